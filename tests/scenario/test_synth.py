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


# --- the steps ------------------------------------------------------------------------------


def test_check_sizes_names_every_problem() -> None:
    from patrol.scenario.synth import check_sizes

    with pytest.raises(InputError) as info:
        check_sizes(grids=4, buildings=1, people=1, counts={"cameras": -1}, road_segments=1)
    text = str(info.value)
    for word in ("buildings", "people", "cameras", "road_segments"):
        assert word in text
    with pytest.raises(InputError, match="grids must be at least 1"):
        check_sizes(grids=0, buildings=0, people=1, counts={}, road_segments=None)
    check_sizes(grids=4, buildings=4, people=8, counts={"cameras": None}, road_segments=None)


def test_build_city_and_its_helpers() -> None:
    import numpy as np

    from patrol.scenario.synth.city import (
        build_city,
        cell_box,
        grid_at,
        grids_at,
        lonlat,
        lonlat_csv,
        ring,
        road_nodes,
    )

    city = build_city(np.random.default_rng(0), 5, 60)
    assert len(city.cells) == 5 and len(city.segments) == 60
    assert city.beat_of_grid == [0, 0, 0, 1, 1]  # two beats, as even as can be
    x0, y0, x1, y1 = cell_box(city, *city.cells[0])
    assert (x1 - x0, y1 - y0) == (400.0, 400.0)
    assert grid_at(city, (x0 + x1) / 2, (y0 + y1) / 2) == 0
    assert grids_at(city, np.array([[x0 + 1, y0 + 1], [1e6, 1e6]]))[0] == 0
    assert road_nodes(city).sum() > 0
    assert lonlat(0.0, 0.0) == [117.2, 39.1] and lonlat_csv(0.0, 0.0) == [117.2, 39.1]
    assert ring([(0, 0), (1, 0), (1, 1)])[-1] == [117.2, 39.1]


def test_build_layers_counts() -> None:
    import numpy as np

    from patrol.scenario.synth.city import build_city
    from patrol.scenario.synth.layers import ROSTER_COLUMNS, build_layers

    rng = np.random.default_rng(1)
    city = build_city(rng, 4, None)
    layers = build_layers(
        rng, city, n_buildings=20, n_people=20, n_focus=5, n_incidents=30, n_cameras=3
    )
    assert {k: v[0] for k, v in layers.items()}["roads"] == "geojson"
    assert len(layers["buildings"][1]) == 20 and len(layers["grids"][1]) == 4
    assert len(layers["incidents"][1]) == 31 and len(layers["cameras"][1]) == 4  # + header
    assert len(layers["focus_households"][1]) == 6
    assert layers["roster"][1][0] == list(ROSTER_COLUMNS) and len(layers["roster"][1]) == 21


def test_names_and_geojson_text() -> None:
    import json

    import numpy as np

    from patrol.scenario.synth import geojson_text
    from patrol.scenario.synth.city import build_city
    from patrol.scenario.synth.names import (
        community_name,
        fake_name,
        fake_phone,
        fake_surname,
        grid_name,
    )

    rng = np.random.default_rng(2)
    assert 2 <= len(fake_name(rng)) <= 3 and "****" in fake_phone(rng)
    assert len(fake_surname(rng)) == 1
    assert community_name(0) == "幸福里" and community_name(16) == "幸福2里"
    city = build_city(rng, 2, None)
    assert grid_name(city, 1) == "幸福里第二网格"
    text = geojson_text("x", [({"a": "中"}, {"type": "Point", "coordinates": [1, 2]})])
    assert json.loads(text)["features"][0]["properties"] == {"a": "中"}
    assert "中" in text and json.loads(geojson_text("x", []))["features"] == []
