"""Importers of real public data: each writes a scenario that read_scenario loads cleanly.

The data copies live in ``examples/data`` (Chicago District 12, Mesa GeoDaNet); each
scenario is imported once per module and checked against counts computed here, directly
from the source files.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from patrol.cli import main as patrol_main
from patrol.errors import InputError
from patrol.scenario.importers import EXAMPLES_DATA, monday_after, risk_by_quantile
from patrol.scenario.importers.chicago import import_chicago, map_category
from patrol.scenario.importers.mesa import import_mesa, read_streets, street_cuts
from patrol.scenario.model import Scenario
from patrol.scenario.read import read_scenario

CHICAGO = EXAMPLES_DATA / "chicago"
MESA = EXAMPLES_DATA / "mesa"
FILES = (
    "grids.geojson",
    "posts.geojson",
    "buildings.geojson",
    "incidents.csv",
    "cameras.csv",
    "focus_households.csv",
    "roster.csv",
    "patrol.toml",
)
CATEGORIES = {
    "ebike_theft",
    "burglary",
    "fraud",
    "dispute",
    "domestic",
    "fire_hazard",
    "noise",
    "other",
}


@pytest.fixture(scope="module")
def chicago_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_chicago(tmp_path_factory.mktemp("chicago") / "d12", district="12", seed=3)


@pytest.fixture(scope="module")
def chicago(chicago_dir: Path) -> Scenario:
    return read_scenario(chicago_dir)


@pytest.fixture(scope="module")
def mesa_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_mesa(tmp_path_factory.mktemp("mesa") / "mesa", seed=3)


@pytest.fixture(scope="module")
def mesa(mesa_dir: Path) -> Scenario:
    return read_scenario(mesa_dir)


def _district_area(crs: object) -> shapely.Geometry:
    beats = gpd.read_file(CHICAGO / "police_beats.geojson")
    return shapely.union_all(beats.loc[beats["district"] == "12"].to_crs(crs).geometry.values)


# --- Chicago ------------------------------------------------------------------------------


def test_chicago_grids_are_the_district_beats(chicago: Scenario) -> None:
    beats = gpd.read_file(CHICAGO / "police_beats.geojson")
    expected = sorted(beats.loc[beats["district"] == "12", "beat_num"])
    assert sorted(chicago.grids["grid_id"]) == expected
    assert len(expected) == 15
    # sectors are the police beats: 121, 122, 123, five grids each, one post each
    assert chicago.grids.groupby("beat_id").size().to_dict() == {"121": 5, "122": 5, "123": 5}
    assert sorted(chicago.posts["beat_id"]) == ["121", "122", "123"]
    for post in chicago.posts.itertuples():
        sector = chicago.grids.loc[chicago.grids["beat_id"] == post.beat_id].union_all()
        assert sector.contains(post.geometry)
    assert set(chicago.grids["risk"]) == {"green", "yellow", "orange", "red"}
    assert chicago.roads is None


def test_chicago_incidents_are_the_district_crimes(chicago: Scenario) -> None:
    raw = pd.read_csv(CHICAGO / "crimes.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[raw["Latitude"] != ""]
    pts = gpd.GeoSeries(
        gpd.points_from_xy(raw["Longitude"].astype(float), raw["Latitude"].astype(float)),
        crs="EPSG:4326",
    )
    inside = pts.to_crs(chicago.crs).within(_district_area(chicago.crs))
    assert len(chicago.incidents) == int(inside.sum()) > 700
    assert set(chicago.incidents["incident_id"]) == {
        "CHI" + i for i in raw.loc[inside.to_numpy(), "ID"]
    }
    assert set(chicago.incidents["category"]) <= CATEGORIES
    assert (chicago.incidents["category"] == "domestic").sum() > 0
    assert chicago.incidents["time"].min() >= pd.Timestamp("2018-01-01")
    # the planned week starts the Monday after the last crime
    assert chicago.settings.week_start == dt.date(2018, 1, 29)
    assert chicago.incidents["time"].max() < pd.Timestamp("2018-01-29")


def test_chicago_cameras_are_near_the_district_and_live(
    chicago_dir: Path, chicago: Scenario
) -> None:
    area = _district_area(chicago.crs)
    assert len(chicago.cameras) > 10
    assert (chicago.cameras.distance(area) <= 30.0 + 1e-6).all()
    assert (chicago.cameras["range_m"] == 50.0).all()
    # one directional camera per approach, facing the traffic it enforces
    table = pd.read_csv(chicago_dir / "cameras.csv", encoding="utf-8-sig")
    nb = table.loc[table["camera_id"].str.endswith("-NB")]
    assert len(nb) > 0
    assert (nb["direction_deg"] == 180.0).all()
    speed = pd.read_csv(CHICAGO / "speed_cameras.csv", dtype=str)
    later = speed.loc[pd.to_datetime(speed["GO-LIVE DATE"]) > pd.Timestamp("2018-01-29"), "ID"]
    assert len(later) > 0
    assert not any(table["camera_id"].str.startswith(tuple(f"SPD-{i}-" for i in later)))


def test_chicago_roster_and_focus_households(chicago: Scenario) -> None:
    roles = pd.Series([p.role for p in chicago.people]).value_counts()
    assert roles["grid_worker"] == 15
    assert roles["officer"] + roles["auxiliary"] == 18
    workers = {p.grid_id for p in chicago.people if p.role == "grid_worker"}
    assert workers == set(chicago.grids["grid_id"])
    assert len(chicago.focus_households) == 45
    assert set(chicago.focus_households["grid_id"]) == set(chicago.grids["grid_id"])
    assert [p.message for p in chicago.warnings] == [
        p.message for p in chicago.warnings if "roads" in p.message
    ]


def test_chicago_is_deterministic(tmp_path: Path, chicago_dir: Path) -> None:
    again = import_chicago(tmp_path / "again", seed=3)
    for name in FILES:
        assert filecmp.cmp(chicago_dir / name, again / name, shallow=False), name
    other = import_chicago(tmp_path / "other", seed=4)
    assert not filecmp.cmp(chicago_dir / "roster.csv", other / "roster.csv", shallow=False)
    assert filecmp.cmp(chicago_dir / "incidents.csv", other / "incidents.csv", shallow=False)


@pytest.mark.parametrize(
    ("ptype", "description", "domestic", "expected"),
    [
        ("BURGLARY", "FORCIBLE ENTRY", False, "burglary"),
        ("DECEPTIVE PRACTICE", "FINANCIAL IDENTITY THEFT OVER $ 300", False, "fraud"),
        ("BATTERY", "SIMPLE", False, "dispute"),
        ("BATTERY", "DOMESTIC BATTERY SIMPLE", True, "domestic"),
        ("MOTOR VEHICLE THEFT", "AUTOMOBILE", False, "ebike_theft"),
        ("THEFT", "$500 AND UNDER", False, "other"),
        ("THEFT", "BICYCLE", False, "ebike_theft"),
        ("ARSON", "BY FIRE", False, "fire_hazard"),
        ("NARCOTICS", "POSS: CANNABIS", False, "other"),
    ],
)
def test_map_category(ptype: str, description: str, domestic: bool, expected: str) -> None:
    assert map_category(ptype, description, domestic) == expected


def test_chicago_unknown_district_and_missing_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="district '99' has no beats"):
        import_chicago(tmp_path / "x", district="99")
    with pytest.raises(InputError, match=r"lacks police_beats\.geojson"):
        import_chicago(tmp_path / "y", source=tmp_path)


def test_patrol_import_chicago_writes_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert patrol_main(["import", "chicago", str(out), "--district", "12", "--seed", "1"]) == 0
    assert (out / "grids.geojson").exists()
    assert f"patrol plan {out}" in capsys.readouterr().out
    assert patrol_main(["import", "chicago", str(tmp_path / "bad"), "--district", "99"]) == 2
    assert "has no beats" in capsys.readouterr().err


# --- Mesa ---------------------------------------------------------------------------------


def test_mesa_scenario_has_the_real_streets_and_crimes(mesa: Scenario) -> None:
    streets = gpd.read_file(MESA / "streets.shp")
    assert mesa.roads is not None and len(mesa.roads) == len(streets) == 293
    assert len(mesa.grids) == 9
    assert mesa.grids.groupby("beat_id").size().to_dict() == {"B1": 3, "B2": 3, "B3": 3}
    crimes = gpd.read_file(MESA / "crimes.shp").to_crs(mesa.crs)
    inside = crimes.within(mesa.grids.union_all())
    assert len(mesa.incidents) == int(inside.sum()) > 250
    assert mesa.incidents.within(mesa.grids.union_all().buffer(1e-6)).all()
    assert set(mesa.incidents["category"]) <= CATEGORIES
    start = pd.Timestamp(mesa.settings.week_start)
    assert (mesa.incidents["time"] >= start - pd.Timedelta(days=90)).all()
    assert (mesa.incidents["time"] < start).all()
    assert mesa.settings.travel.mode == "walk"
    assert mesa.warnings == []


def test_mesa_grid_edges_follow_streets() -> None:
    """Each cut of the 3 x 3 split runs along a street for a third of its length or more;
    the even split, for comparison, crosses the streets (under 10%)."""
    streets = read_streets(MESA)
    x0, y0, x1, y1 = streets.total_bounds
    on_street = shapely.union_all(streets.geometry.values).buffer(3.0)
    for axis, (lo, hi) in ((0, (x0, x1)), (1, (y0, y1))):
        cuts = street_cuts(streets, lo, hi, axis=axis)
        even = [lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3]
        for cut, plain in zip(cuts, even, strict=True):
            assert abs(cut - plain) <= 150.0
            shares = []
            for c in (cut, plain):
                ends = [(c, y0), (c, y1)] if axis == 0 else [(x0, c), (x1, c)]
                line = shapely.LineString(ends)
                shares.append(line.intersection(on_street).length / line.length)
            assert shares[0] >= 0.33 > 0.1 > shares[1]


def test_mesa_buildings_cameras_roster(mesa: Scenario) -> None:
    b = mesa.buildings
    assert len(b) > 800
    assert b["grid_id"].notna().all()
    assert (b["households"] >= 1).all()
    totals = b.groupby("grid_id")["households"].sum()
    assert np.array_equal(
        totals.reindex(mesa.grids["grid_id"]).to_numpy(), mesa.grids["households"].to_numpy()
    )
    assert len(mesa.cameras) == 12
    assert mesa.cameras.within(mesa.grids.union_all()).all()
    assert len(mesa.posts) == 1 and mesa.posts["beat_id"].isna().all()
    assert len(mesa.focus_households) > 20
    roles = pd.Series([p.role for p in mesa.people]).value_counts()
    assert roles["grid_worker"] == 9
    assert roles["officer"] == 3


def test_mesa_is_deterministic(tmp_path: Path, mesa_dir: Path) -> None:
    again = import_mesa(tmp_path / "again", seed=3)
    for name in (*FILES, "roads.geojson"):
        assert filecmp.cmp(mesa_dir / name, again / name, shallow=False), name
    other = import_mesa(tmp_path / "other", seed=4)
    assert not filecmp.cmp(mesa_dir / "incidents.csv", other / "incidents.csv", shallow=False)
    assert filecmp.cmp(mesa_dir / "roads.geojson", other / "roads.geojson", shallow=False)


def test_patrol_import_mesa(tmp_path: Path) -> None:
    args = ["import", "mesa", str(tmp_path / "m"), "--seed", "2", "--week-start", "2010-08-02"]
    assert patrol_main(args) == 0
    assert 'week_start = "2010-08-02"' in (tmp_path / "m" / "patrol.toml").read_text()
    assert patrol_main(["import", "mesa", str(tmp_path / "d")]) == 0
    assert 'week_start = "2010-07-12"' in (tmp_path / "d" / "patrol.toml").read_text()


def test_patrol_import_refuses_a_bad_date_and_a_bad_source(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        patrol_main(["import", "mesa", str(tmp_path / "m"), "--week-start", "2010-13-01"])
    assert info.value.code == 2
    assert patrol_main(["import", "mesa", str(tmp_path / "m"), "--source", str(tmp_path)]) == 2


# --- helpers ------------------------------------------------------------------------------


def test_risk_by_quantile_and_monday_after() -> None:
    # sorted 1 2 | 3 4 | 5 7 | 8 9: two of each colour
    colours = risk_by_quantile([5, 1, 9, 3, 7, 2, 8, 4])
    assert colours == ["orange", "green", "red", "yellow", "orange", "green", "red", "yellow"]
    assert risk_by_quantile([]) == []
    assert monday_after(dt.date(2018, 1, 27)) == dt.date(2018, 1, 29)
    assert monday_after(dt.date(2018, 1, 29)) == dt.date(2018, 2, 5)


def test_write_scenario_folder_and_toml_text(tmp_path: Path) -> None:
    from patrol.scenario.importers import SHIFTS, toml_text, write_scenario_folder

    pts = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(-87.6, 41.9)], crs="EPSG:4326")
    empty = pts.iloc[:0]
    toml = toml_text({"station": "S", "seed": 1}, {"teams": {"min_others": 1}})
    assert toml.count("[[shifts]]") == len(SHIFTS) and 'station = "S"' in toml
    out = write_scenario_folder(
        tmp_path / "s",
        vectors={"grids": pts},
        tables={"cameras": pts, "incidents": empty, "roster": pd.DataFrame({"p": [1]})},
        toml=toml,
    )
    cams = pd.read_csv(out / "cameras.csv", encoding="utf-8-sig")
    assert list(cams.columns) == ["id", "lon", "lat"] and cams["lon"].iloc[0] == -87.6
    assert list(pd.read_csv(out / "incidents.csv").columns) == ["id", "lon", "lat"]
    assert (out / "grids.geojson").exists() and (out / "patrol.toml").read_text() == toml


def test_chicago_steps() -> None:
    from patrol.scenario.importers.chicago import (
        grids_from_beats,
        place_inside,
        read_district_beats,
        read_district_crimes,
        sector_posts,
    )

    beats = read_district_beats(CHICAGO, "12")
    crimes = read_district_crimes(CHICAGO, shapely.union_all(beats.geometry.values))
    grids = grids_from_beats(np.random.default_rng(0), beats, crimes, district="12")
    assert len(grids) == 15 and grids["incidents"].sum() == len(crimes)
    posts = sector_posts(grids)
    assert sorted(posts["post_id"]) == ["P121", "P122", "P123"]
    ring = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)]).difference(shapely.box(2, 2, 8, 8))
    assert ring.intersects(place_inside(ring))  # a thin polygon: on its edge


def test_mesa_steps() -> None:
    from patrol.scenario.importers.mesa import (
        count_residents,
        make_buildings,
        make_grids,
        make_incidents,
        risk_by_density,
    )

    rng = np.random.default_rng(0)
    streets = read_streets(MESA)
    grids = make_grids(streets)
    buildings = make_buildings(rng, streets, grids)
    count_residents(grids, buildings)
    assert grids["households"].sum() == buildings["households"].sum()
    crimes = gpd.read_file(MESA / "crimes.shp").to_crs(grids.crs).geometry
    incidents = make_incidents(rng, crimes, dt.date(2010, 7, 12))
    risk = risk_by_density(grids, incidents)
    assert sorted(risk).count("red") == 2 and risk.count("green") == 3
