"""Validation by spec table: each layer's validate_* on the tiny scenario's frames."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from patrol.errors import ProblemLog
from patrol.scenario.focus import validate_focus
from patrol.scenario.validate import (
    SPECS,
    check_grid_overlaps,
    check_layer,
    declared_ids,
    empty_layer,
    validate_buildings,
    validate_cameras,
    validate_grids,
    validate_incidents,
    validate_posts,
    validate_roads,
)
from patrol.settings import Settings
from tests.factory import tiny_layers, xy

UTM = "EPSG:32650"
SETTINGS = Settings()


def _points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A lon/lat table of the factory as points."""
    return gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )


@pytest.fixture
def grids() -> gpd.GeoDataFrame:
    return validate_grids(
        tiny_layers()["grids"], file="grids", plog=ProblemLog(), settings=SETTINGS
    ).to_crs(UTM)


def test_every_layer_has_one_spec() -> None:
    assert set(SPECS) == {
        "absences",
        "grids",
        "buildings",
        "roads",
        "posts",
        "incidents",
        "cameras",
        "focus_households",
        "roster",
    }
    for spec in SPECS.values():
        assert set(spec.required) <= set(spec.columns)
        assert {f.name for f in spec.fields} <= set(spec.columns)


def test_each_layer_spec_refers_to_its_own_columns() -> None:
    """Field and LayerSpec records: ids, fills and ranges name columns the layer keeps."""
    for name, spec in SPECS.items():
        columns = set(spec.columns)
        assert spec.id_field is None or spec.id_field == spec.columns[0], name
        assert (spec.numbered_ids != "") <= (spec.id_field is not None), name
        names = [f.name for f in spec.fields]
        assert len(names) == len(set(names)), name
        for f in spec.fields:
            assert f.fill_from is None or f.fill_from in columns, (name, f.name)
            assert f.maximum is None or f.minimum <= f.maximum, (name, f.name)
            if f.default_from is not None:
                assert f.default_from(SETTINGS) > 0, (name, f.name)
    assert SPECS["incidents"].numbered_ids == "I" and SPECS["roads"].id_field is None


def test_check_layer_drives_the_checks_from_the_spec() -> None:
    frame = pd.DataFrame({"camera_id": ["c1", "c1"], "range_m": ["", "5000"]})
    frame = gpd.GeoDataFrame(frame, geometry=[shapely.Point(xy(1, 1))] * 2, crs="EPSG:4326")
    plog = ProblemLog()
    out = check_layer(frame, SPECS["cameras"], file="c", plog=plog, settings=SETTINGS, crs=UTM)
    assert out is not None and out.crs == UTM
    assert out["range_m"].tolist() == [SETTINGS.coverage.camera_range_m] * 2
    assert {p.field for p in plog.errors} == {"camera_id", "range_m"}
    assert (
        check_layer(frame[["geometry"]], SPECS["cameras"], file="c", plog=plog, settings=SETTINGS)
        is None
    )


def test_empty_layer_has_the_columns() -> None:
    empty = empty_layer(SPECS["incidents"], UTM)
    assert list(empty.columns) == [*SPECS["incidents"].columns, "geometry"]
    assert str(empty["time"].dtype).startswith("datetime64")


def test_validate_grids_beats_and_risk() -> None:
    frame = tiny_layers()["grids"].drop(columns="beat_id")
    frame["risk"] = ["红", "purple", None, "Yellow"]
    plog = ProblemLog()
    grids = validate_grids(frame, file="g", plog=plog, settings=SETTINGS)
    assert grids["beat_id"].tolist() == grids["grid_id"].tolist()
    assert grids["risk"].tolist() == ["red", "green", "green", "yellow"]
    assert [p.feature for p in plog.errors] == ["grid_id=G2"]
    assert "own beat" in plog.warnings[0].message


def test_check_grid_overlaps(grids: gpd.GeoDataFrame) -> None:
    plog = ProblemLog()
    check_grid_overlaps(grids, file="g", plog=plog)
    assert plog.problems == []
    moved = grids.copy()
    moved.loc[1, "geometry"] = shapely.affinity.translate(moved.geometry.iloc[1], 0, -50)
    check_grid_overlaps(moved, file="g", plog=plog)
    assert [p.feature for p in plog.errors] == ["grid_id=G2"]


def test_declared_ids_include_grids_left_out(grids: gpd.GeoDataFrame) -> None:
    frame = tiny_layers()["grids"]
    frame.loc[4] = ["G9", "x", "B9", "green", 1, 1, None]
    ids, beats = declared_ids(frame, grids)
    assert ids == {"G1", "G2", "G3", "G4", "G9"} and beats == {"B1", "B2", "B9"}
    assert declared_ids(frame.drop(columns="grid_id"), grids) == (None, None)


def test_validate_buildings_locates_and_refers(grids: gpd.GeoDataFrame) -> None:
    frame = tiny_layers()["buildings"]
    frame.loc[0, "grid_id"] = None
    frame.loc[1, "grid_id"] = "G9"
    plog = ProblemLog()
    out = validate_buildings(
        frame,
        file="b",
        plog=plog,
        settings=SETTINGS,
        grids=grids,
        crs=UTM,
        known_grids={"G1", "G2", "G3", "G4"},
    )
    assert out.loc[out["building_id"] == "b00", "grid_id"].item() == "G1"  # by location
    assert [p.field for p in plog.errors] == ["grid_id"]
    assert out["address"].notna().all()


def test_validate_roads_and_posts() -> None:
    layers = tiny_layers()
    roads = validate_roads(layers["roads"], file="r", plog=ProblemLog(), settings=SETTINGS, crs=UTM)
    assert roads is not None and len(roads) == 40
    np.testing.assert_allclose(roads.length, 100.0, atol=0.5)
    assert validate_roads(None, file="r", plog=ProblemLog(), settings=SETTINGS, crs=UTM) is None
    layers["posts"]["beat_id"] = "B9"
    plog = ProblemLog()
    posts = validate_posts(
        layers["posts"], file="p", plog=plog, settings=SETTINGS, crs=UTM, beats={"B2"}
    )
    assert list(posts.columns) == ["post_id", "name", "beat_id", "kind", "geometry"]
    assert [p.field for p in plog.errors] == ["beat_id"]


def test_validate_incidents_numbers_ids_and_drops_bad_times() -> None:
    frame = _points(tiny_layers()["incidents"]).drop(columns="incident_id", errors="ignore")
    frame["time"] = frame["time"].astype(object)
    frame.iloc[0, frame.columns.get_loc("time")] = "yesterday"
    plog = ProblemLog()
    out = validate_incidents(frame, file="i", plog=plog, settings=SETTINGS, crs=UTM)
    assert len(out) == len(frame) - 1 and out["incident_id"].iloc[0] == "I00002"
    assert [p.field for p in plog.errors] == ["time"]


def test_validate_cameras_defaults() -> None:
    frame = _points(tiny_layers()["cameras"])
    out = validate_cameras(frame, file="c", plog=ProblemLog(), settings=SETTINGS, crs=UTM)
    assert list(out.columns) == [*SPECS["cameras"].columns, "geometry"]
    assert (out["range_m"] > 0).all()


def test_validate_focus_refers_to_buildings() -> None:
    buildings = pd.DataFrame({"building_id": ["b00"], "grid_id": ["G1"]})
    frame = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "building_id": ["b00", "b99", "b00"],
            "visit_every_days": ["7", "7", ""],
            "last_visit": ["2026-11-01", "", "x"],
        }
    )
    plog = ProblemLog()
    out = validate_focus(frame, file="f", plog=plog, settings=SETTINGS, buildings=buildings)
    assert out["grid_id"].fillna("none").tolist() == ["G1", "none", "G1"]
    assert out["category"].tolist() == ["other"] * 3
    assert {(p.feature, p.field) for p in plog.errors} == {
        ("household_id=H2", "building_id"),
        ("household_id=H3", "visit_every_days"),
        ("household_id=H3", "last_visit"),
    }
    empty = validate_focus(None, file="f", plog=plog, settings=SETTINGS, buildings=buildings)
    assert list(empty.columns) == list(SPECS["focus_households"].columns)


def test_known_categories_reads_codes_and_chinese_names_and_warns_of_others() -> None:
    from patrol.scenario.focus import known_categories

    df = pd.DataFrame(
        {"household_id": ["H1", "H2", "H3"], "category": ["hardship", "独居老人", "gas_refit"]}
    )
    plog = ProblemLog()
    assert known_categories(df, file="f.csv", plog=plog).tolist() == [
        "hardship",
        "elderly_alone",
        "other",
    ]
    assert [w.feature for w in plog.warnings] == ["household_id=H3"]
