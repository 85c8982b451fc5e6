"""Importers of real public data: each writes a scenario that read_scenario loads cleanly.

The data copies live in ``examples/data`` (Chicago District 12, Mesa GeoDaNet); each
scenario is imported once per module and checked against counts computed here, directly
from the source files.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import re
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
from patrol.vocab import INCIDENT_CATEGORIES

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
CATEGORIES = set(INCIDENT_CATEGORIES)


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
    assert "没有分区“99”的警区" in capsys.readouterr().err  # Chinese by default
    bad_en = ["import", "chicago", str(tmp_path / "bad"), "--district", "99", "--lang", "en"]
    assert patrol_main(bad_en) == 2
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


def test_default_source_is_the_repository_copy_or_says_what_to_pass() -> None:
    from patrol.scenario.importers import default_source

    assert default_source("chicago") == CHICAGO
    assert default_source("mesa") == MESA
    with pytest.raises(InputError, match=r"Pass source= \(or --source\)") as info:
        default_source("atlantis")
    assert "examples/data/atlantis/SOURCE.md" in str(info.value)
    assert info.value.problems[0].file == str(EXAMPLES_DATA / "atlantis")


def test_require_files_names_every_missing_file_at_once(tmp_path: Path) -> None:
    from patrol.scenario.importers import require_files

    (tmp_path / "streets.shp").write_text("")
    require_files(tmp_path, ["streets.shp"])  # all there: no error
    with pytest.raises(InputError) as info:
        require_files(tmp_path, ["streets.shp", "crimes.shp", "crimes.dbf"])
    text = str(info.value)
    assert f"{tmp_path} lacks crimes.shp, crimes.dbf." in text
    assert "streets.shp" not in text.split("lacks")[1]
    assert "SOURCE.md" in text
    assert len(info.value.problems) == 1


def test_synthetic_name_and_phone_repeat_by_seed() -> None:
    from patrol.scenario.importers import synthetic_name, synthetic_phone

    def draw(seed: int) -> list[tuple[str, str]]:
        rng = np.random.default_rng(seed)
        return [(synthetic_name(rng), synthetic_phone(rng)) for _ in range(20)]

    assert draw(7) == draw(7)
    assert draw(7) != draw(8)
    for name, phone in draw(7):
        first, last = name.split(" ")
        assert first.isalpha() and last.isalpha()
        assert re.fullmatch(r"555-01\d\d", phone)  # the range reserved for fiction


def test_make_roster_holds_police_per_beat_a_worker_per_grid_and_the_others() -> None:
    from patrol.scenario.importers import StaffPlan, make_roster

    grids = pd.DataFrame({"grid_id": ["G1", "G2", "G3"], "beat_id": ["B1", "B1", "B2"]})
    staff = StaffPlan(
        police=(("officer", "Mon-Fri day", 5), ("auxiliary", "Mon-Sun night", 6)),
        grid_worker_availability=("Mon-Fri day", "Sat-Sun all"),
        others=(("volunteer", "Sat day", 2), ("elder", "Mon day", 1), ("cadre", "", 3)),
    )
    roster = make_roster(np.random.default_rng(1), grids, staff)
    assert list(roster.columns) == [
        "person_id",
        "name",
        "role",
        "beat_id",
        "grid_id",
        "available",
        "max_shifts_per_week",
        "phone",
    ]
    assert roster["person_id"].tolist() == [f"P{i:03d}" for i in range(1, 11)]
    police = roster.loc[roster["role"].isin(["officer", "auxiliary"])]
    assert sorted(zip(police["beat_id"], police["role"], strict=True)) == [
        ("B1", "auxiliary"),
        ("B1", "officer"),
        ("B2", "auxiliary"),
        ("B2", "officer"),
    ]
    assert (police["grid_id"] == "").all()
    workers = roster.loc[roster["role"] == "grid_worker"]
    assert workers["grid_id"].tolist() == ["G1", "G2", "G3"]
    assert workers["beat_id"].tolist() == ["B1", "B1", "B2"]
    assert workers["available"].tolist() == ["Mon-Fri day", "Sat-Sun all", "Mon-Fri day"]
    assert set(workers["max_shifts_per_week"]) <= {5, 6}
    others = roster.loc[roster["role"].isin(["volunteer", "elder", "cadre"])]
    assert others["role"].tolist() == ["volunteer", "elder", "cadre"]
    assert others["max_shifts_per_week"].tolist() == [2, 1, 3]
    assert (others["beat_id"] == "").all() and set(others["grid_id"]) <= {"G1", "G2", "G3"}
    again = make_roster(np.random.default_rng(1), grids, staff)
    pd.testing.assert_frame_equal(roster, again)


def test_write_geojson_is_wgs84_with_seven_decimals_and_replaces_the_file(tmp_path: Path) -> None:
    from patrol.scenario.importers import write_geojson

    utm = gpd.GeoDataFrame(
        {"id": ["a"]}, geometry=[shapely.Point(448000.123456, 4640000.987654)], crs="EPSG:26916"
    )
    target = tmp_path / "posts.geojson"
    target.write_text("old and broken")
    assert write_geojson(utm, target) == target
    doc = json.loads(target.read_text())
    assert "CRS84" in doc["crs"]["properties"]["name"]  # lon/lat order
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    expected = utm.to_crs("EPSG:4326").geometry.iloc[0]
    assert (lon, lat) == (round(expected.x, 7), round(expected.y, 7))
    assert -88 < lon < -87 and 41 < lat < 42
    assert gpd.read_file(target)["id"].tolist() == ["a"]


def test_lonlat_columns_are_wgs84_rounded_and_keep_the_index() -> None:
    from patrol.scenario.importers import lonlat_columns

    utm = gpd.GeoSeries(
        [shapely.Point(448000.123456, 4640000.987654), shapely.Point(449000, 4641000)],
        index=[5, 9],
        crs="EPSG:26916",
    )
    cols = lonlat_columns(utm)
    assert list(cols.columns) == ["lon", "lat"] and cols.index.tolist() == [5, 9]
    wgs = utm.to_crs("EPSG:4326")
    assert cols["lon"].tolist() == [round(x, 7) for x in wgs.x]
    assert cols["lat"].tolist() == [round(y, 7) for y in wgs.y]


def test_read_district_cameras_one_per_live_approach_near_the_district() -> None:
    from patrol.scenario.importers.chicago import (
        CAMERA_MARGIN_M,
        METRIC_CRS,
        read_district_beats,
        read_district_cameras,
    )

    area = shapely.union_all(read_district_beats(CHICAGO, "12").to_crs(METRIC_CRS).geometry.values)
    cams = read_district_cameras(CHICAGO, area, live_by=dt.date(2018, 1, 29))
    assert cams.crs == METRIC_CRS and len(cams) > 10
    assert cams["camera_id"].is_unique
    assert (cams.distance(area) <= CAMERA_MARGIN_M + 1e-6).all()
    assert set(cams["kind"]) <= {"speed", "red_light"}
    facing = {"NB": 180.0, "SB": 0.0, "EB": 270.0, "WB": 90.0}  # looks at oncoming traffic
    for cam in cams.itertuples():
        approach = cam.camera_id.rsplit("-", 1)[-1]
        if approach in facing:
            assert cam.direction_deg == facing[approach], cam.camera_id
    earlier = read_district_cameras(CHICAGO, area, live_by=dt.date(2013, 1, 1))
    assert len(earlier) > 0 and set(earlier["camera_id"]) < set(cams["camera_id"])


def test_make_cameras_sit_at_intersections_busiest_first() -> None:
    from patrol.scenario.importers.mesa import intersections, make_cameras, make_incidents

    streets = read_streets(MESA)
    crimes = gpd.read_file(MESA / "crimes.shp").to_crs(streets.crs).geometry
    incidents = make_incidents(np.random.default_rng(0), crimes, dt.date(2010, 7, 12))
    cams = make_cameras(np.random.default_rng(0), streets, incidents, n_busy=3, n_other=2)
    assert cams["camera_id"].tolist() == ["CAM01", "CAM02", "CAM03", "CAM04", "CAM05"]
    xy, _ = intersections(streets)
    at = shapely.get_coordinates(cams.geometry.values)
    assert all(np.hypot(*(xy - p).T).min() < 1e-6 for p in at)
    assert len({tuple(p) for p in at}) == 5
    inc = shapely.get_coordinates(incidents.geometry.values)
    crimes_near = [(np.hypot(*(inc - p).T) <= 100.0).sum() for p in xy]
    busiest = sorted(crimes_near, reverse=True)[:3]
    assert [(np.hypot(*(inc - p).T) <= 100.0).sum() for p in at[:3]] == busiest
    dome = cams["direction_deg"].isna()
    assert cams.loc[dome, "fov_deg"].isna().all()
    assert (cams.loc[~dome, "fov_deg"] == 90.0).all()
    assert cams["direction_deg"].dropna().between(0, 360).all()
    again = make_cameras(np.random.default_rng(0), streets, incidents, n_busy=3, n_other=2)
    assert again.equals(cams)


def test_make_focus_picks_about_one_building_in_25_visited_before_the_week() -> None:
    from patrol.scenario.importers.mesa import make_focus

    buildings = pd.DataFrame({"building_id": [f"B{i:03d}" for i in range(100)]})
    week = dt.date(2010, 7, 12)
    focus = make_focus(np.random.default_rng(2), buildings, week)
    assert len(focus) == 4
    assert focus["household_id"].tolist() == ["H001", "H002", "H003", "H004"]
    assert focus["building_id"].is_unique
    assert set(focus["building_id"]) <= set(buildings["building_id"])
    every = {"elderly_alone": 7, "hardship": 14, "special_attention": 7}
    every |= {"mental_health": 14, "disabled": 30}
    assert [every[c] for c in focus["category"]] == focus["visit_every_days"].tolist()
    last = pd.to_datetime(focus["last_visit"]).dt.date
    assert ((last < week) & (last >= week - dt.timedelta(days=34))).all()
    assert focus["label"].str.endswith("(synthetic)").all()
    assert len(make_focus(np.random.default_rng(2), buildings.iloc[:3], week)) == 1
    assert make_focus(np.random.default_rng(2), buildings, week).equals(focus)
