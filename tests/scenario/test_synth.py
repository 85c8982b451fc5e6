"""Synthetic scenarios: exact counts, unique ids, resolving references, same bytes per seed."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from patrol.errors import InputError
from patrol.scenario.synth import OutputExistsError, write_synthetic_scenario

FILES = (
    "grids.geojson",
    "buildings.geojson",
    "roads.geojson",
    "posts.geojson",
    "incidents.csv",
    "cameras.csv",
    "focus_households.csv",
    "roster.csv",
    "patrol.toml",
)


def _features(folder: Path, layer: str) -> list[dict[str, Any]]:
    data = json.loads((folder / f"{layer}.geojson").read_text(encoding="utf-8"))
    return [f["properties"] | {"_geometry": f["geometry"]} for f in data["features"]]


def _rows(folder: Path, layer: str) -> list[dict[str, str]]:
    with (folder / f"{layer}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """9 grids (3 beats), 200 buildings, 40 people, 30 focus households, 600 segments."""
    out = tmp_path_factory.mktemp("synth") / "small"
    return write_synthetic_scenario(
        out,
        grids=9,
        buildings=200,
        people=40,
        focus_households=30,
        road_segments=600,
        incidents=90,
        cameras=25,
        seed=5,
    )


def test_writes_every_layer(small: Path) -> None:
    assert sorted(p.name for p in small.iterdir()) == sorted(FILES)


def test_counts_match(small: Path) -> None:
    assert len(_features(small, "grids")) == 9
    assert len(_features(small, "buildings")) == 200
    assert len(_features(small, "roads")) == 600
    assert len(_features(small, "posts")) == 3
    assert len(_rows(small, "roster")) == 40
    assert len(_rows(small, "focus_households")) == 30
    assert len(_rows(small, "incidents")) == 90
    assert len(_rows(small, "cameras")) == 25


def test_ids_are_unique(small: Path) -> None:
    for layer, key in (("grids", "grid_id"), ("buildings", "building_id"), ("posts", "post_id")):
        ids = [f[key] for f in _features(small, layer)]
        assert len(set(ids)) == len(ids), layer
    for layer, key in (
        ("roster", "person_id"),
        ("focus_households", "household_id"),
        ("incidents", "incident_id"),
        ("cameras", "camera_id"),
    ):
        ids = [r[key] for r in _rows(small, layer)]
        assert len(set(ids)) == len(ids), layer


def test_references_resolve(small: Path) -> None:
    grids = {f["grid_id"]: f for f in _features(small, "grids")}
    beats = {f["beat_id"] for f in grids.values()}
    buildings = {f["building_id"]: f for f in _features(small, "buildings")}
    assert {f["grid_id"] for f in buildings.values()} <= set(grids)
    assert {f["beat_id"] for f in _features(small, "posts")} == beats
    for row in _rows(small, "focus_households"):
        assert buildings[row["building_id"]]["households"] > 0
    roster = _rows(small, "roster")
    assert {r["beat_id"] for r in roster} - {""} <= beats
    assert {r["grid_id"] for r in roster} - {""} <= set(grids)
    workers = sorted(r["grid_id"] for r in roster if r["role"] == "grid_worker")
    assert workers == sorted(grids)
    for beat in beats:
        police = sorted(
            r["role"]
            for r in roster
            if r["beat_id"] == beat and r["role"] in {"officer", "auxiliary"}
        )
        assert police == ["auxiliary", "auxiliary", "officer"]
    households = {g: 0 for g in grids}
    for b in buildings.values():
        households[b["grid_id"]] += b["households"]
    assert households == {g: f["households"] for g, f in grids.items()}


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    a = write_synthetic_scenario(tmp_path / "a", grids=5, buildings=60, seed=11)
    b = write_synthetic_scenario(tmp_path / "b", grids=5, buildings=60, seed=11)
    c = write_synthetic_scenario(tmp_path / "c", grids=5, buildings=60, seed=12)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "incidents.csv").read_bytes() != (c / "incidents.csv").read_bytes()


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="not empty"):
        write_synthetic_scenario(out, grids=2, buildings=10)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    write_synthetic_scenario(out, grids=2, buildings=10, overwrite=True)
    assert not (out / "keep.txt").exists() and (out / "grids.geojson").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no temporary folder left


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert write_synthetic_scenario(out, grids=1, buildings=4) == out
    assert (out / "roster.csv").exists()


def test_impossible_sizes_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="people must be at least"):
        write_synthetic_scenario(tmp_path / "x", grids=8, people=5)
    with pytest.raises(InputError, match="grids must be at least 1"):
        write_synthetic_scenario(tmp_path / "x", grids=0)
    assert not (tmp_path / "x").exists()


def test_the_loader_reads_it(small: Path) -> None:
    from patrol.scenario.read import read_scenario

    scenario = read_scenario(small, strict=True)
    assert len(scenario.grids) == 9
    assert len(scenario.people) == 40
