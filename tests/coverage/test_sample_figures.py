"""The bundled sample's coverage figures equal the recorded ones, and its blind spots
hold no building a patrol passes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely

from patrol.coverage.measure import Coverage
from patrol.coverage.of_plan import measure_plan_coverage, plan_tracks, visit_stops
from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario

EXPECTED = Path(__file__).parent / "data" / "sample_coverage.json"


@pytest.fixture(scope="module")
def sample_plan() -> Plan:
    """The sample planned as in the recorded-plan test (seed 0, 300 iterations)."""
    sample = Path(__file__).resolve().parents[2] / "data" / "zhenganli"
    params = PlanParams(time_limit_s=20, seed=0, max_iterations=300)
    return plan_week(read_scenario(sample), params)


@pytest.fixture(scope="module")
def sample_coverage(sample_plan: Plan) -> Coverage:
    """The sample plan's coverage."""
    return measure_plan_coverage(sample_plan)


def _in_spots(geoms: Any, spots: Any) -> Any:
    return shapely.intersects(geoms, shapely.union_all(spots.geometry.to_numpy()))


def test_no_building_near_a_walk_or_visited_lies_in_a_blind_spot(
    sample_plan: Plan, sample_coverage: Coverage
) -> None:
    """Issue #19: buildings within 25 m of a walked route (inside the coverage radius)
    and visited buildings are passed, so no blind spot of their band holds them."""
    tracks = plan_tracks(sample_plan)
    buildings = sample_coverage.building_coverage
    geoms = buildings.geometry.to_numpy()
    visited = buildings["building_id"].isin(visit_stops(sample_plan)["building_id"]).to_numpy()
    spots = sample_coverage.blind_spots
    for band, walks in (("week", tracks), ("night", tracks[tracks["night"]])):
        near = shapely.dwithin(geoms, shapely.union_all(walks.geometry.to_numpy()), 25.0)
        inside = _in_spots(geoms, spots[spots["band"] == band])
        print(
            f"{band}: {int(near.sum())} buildings within 25 m of a walk, "
            f"{int((near & inside).sum())} of them in a blind spot"
        )
        assert near.sum() > 0 and not (near & inside).any()
    week = spots[spots["band"] == "week"]
    assert not (visited & _in_spots(geoms, week)).any()
    assert not shapely.intersects(geoms[visited], week.geometry.iloc[0]).any()


def _same(got: float, want: Any) -> bool:
    if want is None:
        return math.isnan(got)
    return got == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_sample_summary_is_the_recorded_one(sample_coverage: Coverage) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["summary"]
    assert list(sample_coverage.summary) == list(expected)
    wrong = {
        k: (v, expected[k]) for k, v in sample_coverage.summary.items() if not _same(v, expected[k])
    }
    assert not wrong


def test_sample_blind_spots_are_the_recorded_ones(sample_coverage: Coverage) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    spots = sample_coverage.blind_spots
    for band, area in expected["blind_spots_area_m2"].items():
        assert spots.loc[spots["band"] == band].area.sum() == pytest.approx(area, rel=1e-9)
    rows = [
        [
            r.blind_id,
            r.band,
            int(r.rank),
            int(r.rank_by_incidents),
            round(float(r.street_length_m), 6),
            int(r.buildings),
            round(float(r.residents), 6),
            int(r.incidents_90d),
            round(float(r.geometry.area), 3),
        ]
        for r in spots.itertuples()
    ]
    assert rows == expected["blind_spots"]
