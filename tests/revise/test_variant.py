"""What-if variants on a copy of the sample: people, risk, a camera over a blind spot."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely

from patrol.coverage.of_plan import measure_plan_coverage
from patrol.errors import InputError
from patrol.outputs import Week
from patrol.planner import plan_week
from patrol.projection import WGS84
from patrol.revise.compare import blind_area, compare_plans
from patrol.revise.variant import apply_variant, read_variant
from patrol.scenario.model import Scenario
from patrol.scenario.read import read_scenario
from tests.revise.conftest import PARAMS, SAMPLE


@pytest.fixture(scope="module")
def sample_week() -> Iterator[tuple[Scenario, Week]]:
    scenario = read_scenario(SAMPLE)
    plan = plan_week(scenario, PARAMS)
    yield scenario, Week(plan, measure_plan_coverage(plan))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "what_if.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_camera_over_a_blind_spot_shrinks_it_by_its_view(
    sample_week: tuple[Scenario, Week], tmp_path: Path
) -> None:
    scenario, week = sample_week
    blind = week.coverage.blind_spots
    week_blind = blind.loc[blind["band"] == "week"]
    reach_of = [
        math.ceil(shapely.hausdorff_distance(g.centroid, g.exterior)) + 5
        if g.geom_type == "Polygon" else 10**6
        for g in week_blind.geometry
    ]  # fmt: skip
    pick = min(
        range(len(reach_of)), key=lambda i: (reach_of[i] > 60, -week_blind.geometry.iloc[i].area)
    )
    spot = week_blind.iloc[pick]
    reach = reach_of[pick]  # the camera's view covers the whole spot
    centre = spot.geometry.centroid
    lonlat = type(blind)(geometry=[centre], crs=blind.crs).to_crs(WGS84).geometry.iloc[0]
    path = _write(
        tmp_path,
        f'[[add_cameras]]\ncamera_id = "NEW1"\nlon = {lonlat.x}\nlat = {lonlat.y}\n'
        f"range_m = {reach}\n",
    )
    variant = apply_variant(scenario, path)
    assert len(variant.cameras) == len(scenario.cameras) + 1 and len(scenario.cameras) == 40
    plan_b = dataclasses.replace(week.plan, scenario=variant)  # the same routes
    coverage_b = measure_plan_coverage(plan_b)
    comparison = compare_plans(week, Week(plan_b, coverage_b))
    views = coverage_b.camera_views
    view = views.loc[views["camera_id"] == "NEW1"].geometry.iloc[0]
    lost = comparison.figure("blind_lost").b
    outside = comparison.blind_lost.geometry.difference(view.buffer(20.0)).area.sum()
    print(
        f"\ncamera NEW1 ({reach} m) in blind spot {spot['blind_id']}"
        f" ({spot.geometry.area:.0f} m²): blind area lost {lost:.0f} m²"
        f" ({100 * outside / max(lost, 1):.0f}% of it beyond the view and the 15 m blind buffer),"
        f" gained {comparison.figure('blind_gained').b:.0f} m²"
    )
    assert lost > 0 and outside <= 0.15 * lost  # it shrinks where the camera sees (a street
    # seen for half its length is seen whole)
    before, after = (
        blind_area(c).intersection(spot.geometry).area for c in (week.coverage, coverage_b)
    )
    assert after < before
    assert comparison.figure("blind_gained").b == 0
    assert comparison.figure("blind_area").diff == pytest.approx(-lost, rel=0.05)


def test_add_people_and_set_risk_on_a_copy(
    sample_week: tuple[Scenario, Week], tmp_path: Path
) -> None:
    scenario, _ = sample_week
    path = _write(
        tmp_path,
        '[[add_people]]\nperson_id = "V90"\nname = "新志愿者"\nrole = "志愿者"\n'
        'available = "Mon-Sun night"\n\n[[add_people]]\nperson_id = "V91"\nname = "新五老"\n'
        'role = "elder"\n\n[[set_risk]]\ngrid_id = "G03"\nrisk = "红"\n',
    )
    variant = apply_variant(scenario, path)
    assert [p.person_id for p in variant.people[-2:]] == ["V90", "V91"]
    assert variant.person("V90").role == "volunteer" and len(variant.person("V90").available) == 7
    risk = dict(zip(variant.grids["grid_id"], variant.grids["risk"], strict=True))
    assert risk["G03"] == "red"
    assert (
        dict(zip(scenario.grids["grid_id"], scenario.grids["risk"], strict=True))["G03"] == "green"
    )
    assert len(scenario.people) == len(variant.people) - 2  # the original is untouched


@pytest.mark.parametrize(
    ("text", "where", "bad"),
    [
        ('[[set_risk]]\ngrid_id = "G99"\nrisk = "red"\n', "set_risk[1]", "G99"),
        ('[[set_risk]]\ngrid_id = "G01"\nrisk = "purple"\n', "set_risk[1]", "purple"),
        (
            '[[add_people]]\nperson_id = "P001"\nname = "x"\nrole = "volunteer"\n',
            "add_people[1]",
            "P001",
        ),
        ('[[add_cameras]]\ncamera_id = "C"\n', "add_cameras[1]", "lon"),
        ('[[remove_grid]]\ngrid_id = "G01"\n', "", "remove_grid"),
        ("not toml [", "", "what_if.toml"),
    ],
)
def test_a_bad_change_file_names_the_entry_and_the_fix(
    sample_week: tuple[Scenario, Week], tmp_path: Path, text: str, where: str, bad: str
) -> None:
    scenario, _ = sample_week
    with pytest.raises(InputError) as caught:
        apply_variant(scenario, _write(tmp_path, text))
    problem = caught.value.problems[0]
    assert problem.feature == where and bad in str(caught.value)
    assert problem.message_zh and (problem.fix or problem.fix_zh)


def test_read_variant_gives_every_section(tmp_path: Path) -> None:
    entries = read_variant(_write(tmp_path, '[[set_risk]]\ngrid_id = "G01"\nrisk = "red"\n'))
    assert entries == {
        "add_people": [],
        "set_risk": [{"grid_id": "G01", "risk": "red"}],
        "add_cameras": [],
    }


def test_patrol_plan_variant_plans_the_copy_and_leaves_the_files(
    tiny_dir: Path, tmp_path: Path
) -> None:
    from patrol.cli import main
    from patrol.store.read import read_plan

    before = {p.name: p.read_bytes() for p in tiny_dir.iterdir()}
    change = _write(
        tmp_path,
        '[[set_risk]]\ngrid_id = "G1"\nrisk = "red"\n\n[[add_people]]\nperson_id = "v99"\n'
        'name = "新志愿者"\nrole = "volunteer"\n',
    )
    out = tmp_path / "out"
    args = ["plan", str(tiny_dir), "--out", str(out), "--variant", str(change)]
    assert main([*args, "--time-limit", "1", "--max-iterations", "20", "--seed", "1"]) == 0
    saved = read_plan(out).scenario
    assert dict(zip(saved.grids["grid_id"], saved.grids["risk"], strict=True))["G1"] == "red"
    assert saved.person("v99").name == "新志愿者"
    assert {p.name: p.read_bytes() for p in tiny_dir.iterdir()} == before
