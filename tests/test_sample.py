"""The bundled sample ``data/zhenganli/`` is a consistent scenario (checked with geopandas)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from patrol.vocab import INCIDENT_CATEGORIES

SAMPLE = Path(__file__).parents[1] / "data" / "zhenganli"
UTM = "EPSG:32650"


@pytest.fixture(scope="module")
def layers() -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for name in ("grids", "buildings", "roads", "posts"):
        out[name] = gpd.read_file(SAMPLE / f"{name}.geojson")
    for name in ("incidents", "cameras", "focus_households", "roster"):
        out[name] = pd.read_csv(
            SAMPLE / f"{name}.csv",
            encoding="utf-8-sig",
            dtype={"beat_id": str, "grid_id": str},
            keep_default_na=False,
        )
    return out


def test_every_file_is_there() -> None:
    names = {p.name for p in SAMPLE.iterdir()}
    assert {
        "grids.geojson",
        "buildings.geojson",
        "roads.geojson",
        "posts.geojson",
        "incidents.csv",
        "cameras.csv",
        "focus_households.csv",
        "roster.csv",
        "patrol.toml",
    } <= names


def test_geometries_are_valid_wgs84(layers: dict[str, pd.DataFrame]) -> None:
    expected = {
        "grids": {"Polygon", "MultiPolygon"},
        "buildings": {"Polygon"},
        "roads": {"LineString"},
        "posts": {"Point"},
    }
    for name, types in expected.items():
        gdf = layers[name]
        assert isinstance(gdf, gpd.GeoDataFrame)
        assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
        assert set(gdf.geom_type) <= types, name
        assert gdf.is_valid.all(), name
        minx, miny, maxx, maxy = gdf.total_bounds
        assert 116.3 < minx <= maxx < 116.4 and 39.9 < miny <= maxy < 40.1


def test_ids_are_unique(layers: dict[str, pd.DataFrame]) -> None:
    for name, col in (
        ("grids", "grid_id"),
        ("buildings", "building_id"),
        ("posts", "post_id"),
        ("incidents", "incident_id"),
        ("cameras", "camera_id"),
        ("focus_households", "household_id"),
        ("roster", "person_id"),
    ):
        assert layers[name][col].is_unique, name


def test_grids_are_ten_in_three_beats_without_overlap(layers: dict[str, pd.DataFrame]) -> None:
    grids = layers["grids"].to_crs(UTM)
    assert len(grids) == 10
    assert sorted(set(grids["beat_id"])) == ["B1", "B2", "B3"]
    assert grids.groupby("beat_id").size().between(3, 4).all()
    assert set(grids["risk"]) <= {"green", "yellow", "orange", "red"}
    assert (grids["risk"] == "red").sum() == 1 and (grids["risk"] == "orange").sum() == 1
    for i in range(len(grids)):
        for j in range(i + 1, len(grids)):
            overlap = grids.geometry.iloc[i].intersection(grids.geometry.iloc[j]).area
            assert overlap < 1.0, (grids["grid_id"].iloc[i], grids["grid_id"].iloc[j])
    for beat in grids.dissolve("beat_id").geometry:  # beats are contiguous
        assert beat.geom_type == "Polygon"


def test_every_building_lies_in_its_one_grid(layers: dict[str, pd.DataFrame]) -> None:
    grids = layers["grids"].to_crs(UTM).set_index("grid_id")
    buildings = layers["buildings"].to_crs(UTM)
    assert set(buildings["grid_id"]) <= set(grids.index)
    for _, b in buildings.iterrows():
        point = b.geometry.representative_point()
        holders = [g for g, geom in grids.geometry.items() if geom.contains(point)]
        assert holders == [b["grid_id"]], b["building_id"]
        inside = b.geometry.intersection(grids.geometry[b["grid_id"]]).area
        assert inside > 0.99 * b.geometry.area, b["building_id"]


def test_households_add_up(layers: dict[str, pd.DataFrame]) -> None:
    grids, buildings = layers["grids"], layers["buildings"]
    assert 2700 <= buildings["households"].sum() <= 2900
    assert 5800 <= buildings["residents"].sum() <= 6500
    per_grid = buildings.groupby("grid_id")["households"].sum()
    assert (grids.set_index("grid_id")["households"] == per_grid).all()
    assert (buildings["residents"] >= buildings["households"]).all()
    assert (buildings["households"] == 0).any()  # campus and shops
    assert buildings["address"].str.len().gt(0).all()


def test_references_resolve(layers: dict[str, pd.DataFrame]) -> None:
    grids = set(layers["grids"]["grid_id"])
    beats = set(layers["grids"]["beat_id"])
    residential = set(layers["buildings"].query("households > 0")["building_id"])
    assert set(layers["focus_households"]["building_id"]) <= residential
    roster = layers["roster"]
    assert set(roster["beat_id"]) - {""} <= beats
    assert set(roster["grid_id"]) - {""} <= grids
    assert set(layers["posts"]["beat_id"].fillna("")) <= beats | {""}


def test_roster_is_one_plus_one_plus_n(layers: dict[str, pd.DataFrame]) -> None:
    roster = layers["roster"]
    police = roster[roster["role"].isin(["officer", "auxiliary"])]
    assert (
        police.groupby("beat_id")["role"].apply(sorted).tolist()
        == [["auxiliary", "auxiliary", "officer"]] * 3
    )
    workers = roster[roster["role"] == "grid_worker"]
    assert sorted(workers["grid_id"]) == sorted(layers["grids"]["grid_id"])
    assert (roster["role"].isin(["volunteer", "cadre", "elder"])).sum() >= 20


def test_incidents_cover_the_year_before_the_week(layers: dict[str, pd.DataFrame]) -> None:
    incidents = layers["incidents"]
    assert 250 <= len(incidents) <= 400
    times = pd.to_datetime(incidents["time"])
    assert times.max() < pd.Timestamp(dt.date(2026, 11, 30))
    assert times.min() >= pd.Timestamp(dt.date(2025, 11, 30))
    assert set(incidents["category"]) == set(INCIDENT_CATEGORIES)
    assert incidents["severity"].between(1, 3).all()


def test_cameras_and_focus_households(layers: dict[str, pd.DataFrame]) -> None:
    cameras = layers["cameras"]
    assert 30 <= len(cameras) <= 50
    domes = cameras["direction_deg"] == ""
    assert domes.any() and (~domes).any()
    assert (cameras.loc[domes, "fov_deg"] == "").all()
    focus = layers["focus_households"]
    assert 50 <= len(focus) <= 70
    assert set(focus["category"]) == {
        "elderly_alone",
        "hardship",
        "special_attention",
        "mental_health",
        "disabled",
    }
    assert (focus.query("category == 'special_attention'")["visit_every_days"] == 7).all()
    last = pd.to_datetime(focus["last_visit"])
    due = last + pd.to_timedelta(focus["visit_every_days"], unit="D")
    week_end = pd.Timestamp(dt.date(2026, 12, 6))
    assert (due <= week_end).any() and (due > week_end).any()
