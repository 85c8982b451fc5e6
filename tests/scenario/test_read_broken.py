"""Inputs seen in the field and in fuzzing: each is a clear problem or a repair, never a
traceback (issue #19). Each case is the tiny scenario with one thing changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from patrol.errors import InputError
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario

Edit = Callable[[dict[str, Any]], None]


def _edit_geojson(folder: Path, layer: str, edit: Edit) -> None:
    path = folder / f"{layer}.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")


def _first(key: str, value: object) -> Edit:
    return lambda data: data["features"][0]["properties"].__setitem__(key, value)


def _first_point(value: list[float]) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        geometry = data["features"][0]["geometry"]
        if geometry["type"] == "Point":
            geometry["coordinates"] = value
        elif geometry["type"] == "Polygon":
            geometry["coordinates"][0][1] = value
        else:
            geometry["coordinates"][0] = value

    return edit


def _no_properties(data: dict[str, Any]) -> None:
    data["features"][0]["properties"] = None


def _declare_3857(data: dict[str, Any]) -> None:
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}


def _shift_40km(data: dict[str, Any]) -> None:
    for feature in data["features"]:
        coords = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [[x + 0.5, y] for x, y in coords]


CASES: list[tuple[str, str, Edit, str, str]] = [
    # (id, layer, edit, file named, words of the message)
    ("null grid_id", "grids", _first("grid_id", None), "grids.geojson", "empty grid_id"),
    ("empty grid_id", "grids", _first("grid_id", ""), "grids.geojson", "empty grid_id"),
    ("properties null", "grids", _no_properties, "grids.geojson", "empty grid_id"),
    ("list id", "grids", _first("grid_id", ["G1", "G2"]), "grids.geojson", "list or table"),
    ("object id", "posts", _first("post_id", {"a": 1}), "posts.geojson", "list or table"),
    ("households inf", "grids", _first("households", 1e999), "grids.geojson", "households"),
    ("NaN coordinate", "posts", _first_point([float("nan"), 39.1]), "posts.geojson", "NaN"),
    ("inf coordinate", "grids", _first_point([float("inf"), 39.1]), "grids.geojson", "NaN"),
    ("NaN road", "roads", _first_point([float("nan"), 39.1]), "roads.geojson", "NaN"),
    ("latitude 95", "posts", _first_point([117.2, 95.0]), "posts.geojson", "latitude 95"),
    ("post 870 km away", "posts", _first_point([127.2, 39.1]), "posts.geojson", "km from"),
    ("roads 40 km off", "roads", _shift_40km, "roads.geojson", "42.8 km"),
    ("EPSG:3857 on degrees", "posts", _declare_3857, "posts.geojson", "EPSG:3857"),
]


@pytest.mark.parametrize(
    ("layer", "edit", "file", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_input_is_one_clear_problem(
    tmp_path: Path, layer: str, edit: Edit, file: str, words: str
) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    _edit_geojson(folder, layer, edit)
    with pytest.raises(InputError) as info:
        read_scenario(folder)
    hits = [p for p in info.value.problems if p.file == file and words in p.message]
    assert hits, "\n".join(map(str, info.value.problems))
    assert hits[0].fix


def test_mixed_time_zones_are_converted_to_local_time(tmp_path: Path) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    path = folder / "incidents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace("2026-11-01T20:30:00", "2026-11-01T12:30:00Z")
    lines[2] = lines[2].replace("2026-11-04T20:30:00", "2026-11-04T20:30:00+08:00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    times = read_scenario(folder).incidents["time"]
    assert (
        str(times.iloc[0]) == "2026-11-01 20:30:00" and str(times.iloc[1]) == "2026-11-04 20:30:00"
    )
    assert times.dt.tz is None


def test_a_degenerate_footprint_becomes_a_point_and_its_household_is_kept(
    tmp_path: Path,
) -> None:
    folder = write_tiny_scenario(tmp_path / "s")

    def degenerate(data: dict[str, Any]) -> None:
        feature = next(f for f in data["features"] if f["properties"]["building_id"] == "b00")
        x, y = feature["geometry"]["coordinates"][0][0]
        feature["geometry"] = {"type": "Polygon", "coordinates": [[[x, y], [x + 1e-5, y], [x, y]]]}

    _edit_geojson(folder, "buildings", degenerate)
    scenario = read_scenario(folder)
    b00 = scenario.buildings.set_index("building_id").loc["b00"]
    assert b00.geometry.geom_type == "Point" and b00["grid_id"] == "G1"
    assert "b00" in set(scenario.focus_households["building_id"])
    assert any("repaired to a point" in w.message for w in scenario.warnings)


def test_an_unknown_visit_category_is_a_warning_and_reads_as_other(tmp_path: Path) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    path = folder / "focus_households.csv"
    text = path.read_text(encoding="utf-8-sig").replace("elderly_alone", "gas_refit")
    path.write_text(text.replace("hardship", "困难家庭"), encoding="utf-8")
    scenario = read_scenario(folder)
    categories = dict(
        zip(
            scenario.focus_households["household_id"],
            scenario.focus_households["category"],
            strict=True,
        )
    )
    assert (categories["H1"], categories["H2"]) == ("other", "hardship")
    warning = next(w for w in scenario.warnings if w.field == "category")
    assert "gas_refit" in warning.message and "独居老人" in warning.fix


def test_a_roster_available_only_one_shift_a_week_is_warned(tmp_path: Path) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    roster = pd.read_csv(
        folder / "roster.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    roster["available"] = "Sun night"
    roster.to_csv(folder / "roster.csv", index=False)
    warning = next(w for w in read_scenario(folder).warnings if w.field == "available")
    assert "only 1 of the week's 14 shifts" in warning.message
    roster["available"] = ""
    roster.to_csv(folder / "roster.csv", index=False)
    assert not [w for w in read_scenario(folder).warnings if w.field == "available"]
