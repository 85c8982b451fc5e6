"""The scenario loader: every validation class, with one small broken input each.

Each broken scenario is the tiny scenario (tests/factory.py) with one or two things changed;
the tests check that the problem names the file, the feature and a fix, and that all the
problems of one input come back in one error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from patrol.errors import InputError, Problem, ProblemLog
from patrol.projection import transform_geoseries_gcj02, wgs84_to_gcj02
from patrol.scenario.model import Scenario
from patrol.scenario.read import LAYERS, read_layers, read_scenario
from patrol.settings import Settings, TravelSettings
from tests.factory import TOML, tiny_layers, write_tiny_scenario, xy

Layers = dict[str, pd.DataFrame]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The valid tiny scenario, loaded once for the tests that compare against it."""
    return read_scenario(write_tiny_scenario(tmp_path_factory.mktemp("reference") / "tiny"))


def _write(
    tmp_path: Path, edit: Callable[[Layers], None] | None = None, *, toml: str = TOML
) -> Path:
    layers = tiny_layers()
    if edit is not None:
        edit(layers)
    return write_tiny_scenario(tmp_path / "scenario", layers=layers, toml=toml)


def _problems(path: Path, *, strict: bool = False) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_scenario(path, strict=strict)
    assert all(p.severity == "error" for p in info.value.problems)
    return info.value.problems


def _find(
    problems: list[Problem],
    file: str,
    feature: str = "",
    *,
    field: str | None = None,
    text: str = "",
) -> Problem:
    """The one problem about ``file``/``feature`` (and ``field``); it must carry a fix."""
    hits = [
        p
        for p in problems
        if p.file == file
        and p.feature == feature
        and (field is None or p.field == field)
        and text.lower() in p.message.lower()
    ]
    assert len(hits) == 1, f"no single problem {file} [{feature}] {field} in:\n" + "\n".join(
        map(str, problems)
    )
    assert hits[0].fix.strip(), hits[0]
    assert file in str(hits[0]) and feature in str(hits[0])
    return hits[0]


def _set(frame: pd.DataFrame, key: str, value: str, col: str, new: object) -> None:
    id_col = frame.columns[0]
    rows = frame.index[frame[id_col] == value]
    assert len(rows) == 1
    frame.loc[rows[0], col] = new


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _bowtie(i0: float, j0: float, i1: float, j1: float) -> Polygon:
    """A self-intersecting 'bow tie' over the box (i0, j0)-(i1, j1)."""
    return Polygon([xy(i0, j0), xy(i1, j0), xy(i0, j1), xy(i1, j1)])


# --- the valid scenario ---------------------------------------------------------------------


def test_tiny_scenario_loads_without_warnings(reference: Scenario) -> None:
    scenario = reference
    assert scenario.warnings == []
    assert scenario.crs.to_epsg() == 32650  # UTM zone 50N at 117.2 E
    assert list(scenario.grids["grid_id"]) == ["G1", "G2", "G3", "G4"]
    assert len(scenario.buildings) == 16 and len(scenario.people) == 12
    assert len(scenario.incidents) == 6 and len(scenario.cameras) == 2
    assert len(scenario.focus_households) == 3
    # lengths in metres: each lattice segment is 100 m
    np.testing.assert_allclose(scenario.roads.length, 100.0, atol=0.5)
    np.testing.assert_allclose(scenario.grids.area, 200.0 * 200.0, rtol=0.01)
    people = {p.person_id: p for p in scenario.people}
    assert people["p05"].beat_id == "B1"  # a grid worker's beat comes from their grid
    assert people["p01"].available == frozenset((d, s) for d in range(7) for s in ("day", "night"))
    assert (people["p04"].name, people["p04"].role) == ("李辅警", "auxiliary")


def test_user_files_are_never_modified(tiny_dir: Path, tmp_path: Path) -> None:
    before = _hashes(tiny_dir)
    read_scenario(tiny_dir)
    assert _hashes(tiny_dir) == before

    def bowtie(layers: Layers) -> None:
        layers["grids"].loc[0, "geometry"] = _bowtie(0, 0, 2, 2)

    repaired = _write(tmp_path, bowtie)
    before = _hashes(repaired)
    assert read_scenario(repaired).warnings
    with pytest.raises(InputError):
        read_scenario(repaired, strict=True)
    assert _hashes(repaired) == before
    assert not [p for p in repaired.iterdir() if p.name not in before]  # nothing new written


def test_missing_folder() -> None:
    with pytest.raises(InputError) as info:
        read_scenario("/nonexistent/scenario")
    assert "does not exist" in str(info.value)


# --- files and layers -----------------------------------------------------------------------


def test_missing_required_layers_are_all_reported(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        del layers["grids"], layers["roster"]

    problems = _problems(_write(tmp_path, drop))
    assert "missing" in _find(problems, "grids").message
    assert "missing" in _find(problems, "roster").message


def test_missing_roster_with_grids_present(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        del layers["roster"]

    problems = _problems(_write(tmp_path, drop))
    _find(problems, "roster", text="missing")


def test_missing_roads_is_a_warning(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        del layers["roads"]

    scenario = read_scenario(_write(tmp_path, drop))
    assert scenario.roads is None
    assert [p.file for p in scenario.warnings] == ["roads"]


def test_point_in_grids(tmp_path: Path) -> None:
    def point(layers: Layers) -> None:
        layers["grids"].loc[1, "geometry"] = Point(xy(1, 3))

    problems = _problems(_write(tmp_path, point))
    assert "Point" in _find(problems, "grids.geojson", "grid_id=G2").message


def test_empty_layers(tmp_path: Path) -> None:
    def empty(layers: Layers) -> None:
        layers["grids"] = layers["grids"].iloc[:0]
        layers["roster"] = layers["roster"].iloc[:0]

    problems = _problems(_write(tmp_path, empty))
    _find(problems, "grids.geojson", text="empty")
    _find(problems, "roster.csv", text="empty")


def test_missing_required_fields(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        layers["grids"] = layers["grids"].drop(columns="grid_id")
        layers["roster"] = layers["roster"].drop(columns="role")

    problems = _problems(_write(tmp_path, drop))
    _find(problems, "grids.geojson", field="grid_id")
    _find(problems, "roster.csv", field="role")


def test_missing_role_field_with_valid_grids(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        layers["roster"] = layers["roster"].drop(columns="role")

    problems = _problems(_write(tmp_path, drop))
    assert len(problems) == 1
    _find(problems, "roster.csv", field="role")


# --- ids and references ---------------------------------------------------------------------


def test_duplicate_ids_are_all_reported(tmp_path: Path) -> None:
    def dup(layers: Layers) -> None:
        _set(layers["grids"], "grids", "G2", "grid_id", "G1")
        _set(layers["buildings"], "buildings", "b01", "building_id", "b00")
        _set(layers["roster"], "roster", "p02", "person_id", "p01")

    problems = _problems(_write(tmp_path, dup))
    assert "2 times" in _find(problems, "grids.geojson", "grid_id=G1", field="grid_id").message
    _find(problems, "buildings.geojson", "building_id=b00", field="building_id")
    _find(problems, "roster.csv", "person_id=p01", field="person_id")


def test_unknown_references_are_all_reported(tmp_path: Path) -> None:
    def refs(layers: Layers) -> None:
        _set(layers["buildings"], "buildings", "b00", "grid_id", "G9")
        _set(layers["roster"], "roster", "p05", "grid_id", "G8")
        _set(layers["roster"], "roster", "p03", "beat_id", "B7")
        _set(layers["focus_households"], "focus", "H2", "building_id", "b99")
        _set(layers["posts"], "posts", "P1", "beat_id", "B9")

    problems = _problems(_write(tmp_path, refs))
    assert "G9" in _find(problems, "buildings.geojson", "building_id=b00", field="grid_id").message
    assert "G8" in _find(problems, "roster.csv", "person_id=p05", field="grid_id").message
    assert "B7" in _find(problems, "roster.csv", "person_id=p03", field="beat_id").message
    assert (
        "b99"
        in _find(problems, "focus_households.csv", "household_id=H2", field="building_id").message
    )
    assert "B9" in _find(problems, "posts.geojson", "post_id=P1", field="beat_id").message
    assert len(problems) == 5


# --- geometry ------------------------------------------------------------------------------


def test_bowtie_grid_is_repaired_with_a_warning(tmp_path: Path) -> None:
    def bowtie(layers: Layers) -> None:
        layers["grids"].loc[0, "geometry"] = _bowtie(0, 0, 2, 2)

    path = _write(tmp_path, bowtie)
    scenario = read_scenario(path)
    warning = _find(scenario.warnings, "grids.geojson", "grid_id=G1", text="invalid")
    assert warning.severity == "warning"
    g1 = scenario.grids.set_index("grid_id").geometry["G1"]
    assert g1.is_valid and g1.geom_type in ("Polygon", "MultiPolygon")
    assert g1.area == pytest.approx(200.0 * 200.0 / 2, rel=0.02)  # two triangles

    problems = _problems(path, strict=True)
    _find(problems, "grids.geojson", "grid_id=G1", text="invalid")


def test_invalid_building_outline_stays_an_area(tmp_path: Path) -> None:
    def bowtie(layers: Layers) -> None:  # b11 drawn as a bow tie with a dangling spike
        b = layers["buildings"]
        b.loc[b["building_id"] == "b11", "geometry"] = Polygon(
            [
                xy(1.3, 1.3),
                xy(1.7, 1.3),
                xy(1.7, 1.7),
                xy(1.3, 1.7),
                xy(1.3, 1.3),
                xy(1.2, 1.2),
                xy(1.3, 1.3),
            ]
        )

    scenario = read_scenario(_write(tmp_path, bowtie))
    _find(scenario.warnings, "buildings.geojson", "building_id=b11", text="invalid")
    geom = scenario.buildings.set_index("building_id").geometry["b11"]
    assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.area == pytest.approx(40.0 * 40.0, rel=0.02)


def test_corrupt_geojson_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path)
    text = (path / "grids.geojson").read_text(encoding="utf-8")
    (path / "grids.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    problems = _problems(path)
    assert "cannot be read" in _find(problems, "grids.geojson").message


def test_overlapping_grids_are_an_error(tmp_path: Path) -> None:
    def overlap(layers: Layers) -> None:  # G2 slid 50 m south, over G1
        layers["grids"].loc[1, "geometry"] = shapely.box(*xy(0, 1.5), *xy(2, 3.5))

    problems = _problems(_write(tmp_path, overlap))
    p = _find(problems, "grids.geojson", "grid_id=G2", text="overlap")
    assert "G1" in p.message


def test_grids_sharing_an_edge_or_a_sliver_are_fine(tmp_path: Path) -> None:
    def sliver(layers: Layers) -> None:  # G2 reaches 10 cm into G1: 20 m², under 0.5 %
        layers["grids"].loc[1, "geometry"] = shapely.box(*xy(0, 1.999), *xy(2, 4))

    scenario = read_scenario(_write(tmp_path, sliver))
    assert not [p for p in scenario.warnings if p.file == "grids.geojson"]


def test_building_outside_every_grid_is_a_warning(tmp_path: Path) -> None:
    def outside(layers: Layers) -> None:
        b = layers["buildings"]
        b.loc[b["building_id"] == "b01", "geometry"] = shapely.box(*xy(6, 6), *xy(6.4, 6.4))
        b.loc[b["building_id"] == "b02", "grid_id"] = None
        b.loc[b["building_id"] == "b02", "geometry"] = shapely.box(*xy(7, 7), *xy(7.4, 7.4))

    scenario = read_scenario(_write(tmp_path, outside))
    _find(scenario.warnings, "buildings.geojson", "building_id=b01", text="outside")
    _find(scenario.warnings, "buildings.geojson", "building_id=b02", text="outside")
    assert (
        "kept in grid G1"
        in _find(scenario.warnings, "buildings.geojson", "building_id=b01").message
    )
    assert "left out" in _find(scenario.warnings, "buildings.geojson", "building_id=b02").message
    kept = set(scenario.buildings["building_id"])
    assert "b02" not in kept  # no grid at all: left out
    assert "b01" in kept  # its grid_id says G1: kept there
    assert "b00" in kept and len(kept) == 15


# --- coordinate reference systems -----------------------------------------------------------


def test_shapefile_without_prj(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        del layers["grids"]

    path = _write(tmp_path, drop)
    tiny_layers()["grids"].to_file(path / "grids.shp", encoding="utf-8")
    (path / "grids.prj").unlink()
    problems = _problems(path)
    assert "coordinate reference system" in _find(problems, "grids.shp").message


def test_shapefile_with_prj_loads(tmp_path: Path) -> None:
    def drop(layers: Layers) -> None:
        del layers["grids"]

    path = _write(tmp_path, drop)
    tiny_layers()["grids"].to_file(path / "grids.shp", encoding="utf-8")
    scenario = read_scenario(path)
    assert list(scenario.grids["name"]) == ["西南网格", "西北网格", "东南网格", "东北网格"]


def test_swapped_coordinates_in_geojson(tmp_path: Path) -> None:
    def swap(layers: Layers) -> None:
        g = layers["grids"]
        g.loc[2, "geometry"] = shapely.transform(g.geometry.iloc[2], lambda c: c[:, ::-1])
        b = layers["buildings"]
        b.geometry = shapely.transform(b.geometry.values, lambda c: c[:, ::-1])

    problems = _problems(_write(tmp_path, swap))
    assert "swapped" in _find(problems, "grids.geojson", "grid_id=G3").message
    assert "swapped" in _find(problems, "buildings.geojson", "building_id=b00").message


def test_projected_metres_in_a_wgs84_geojson(tmp_path: Path) -> None:
    def metres(layers: Layers) -> None:
        g = layers["grids"]
        layers["grids"] = g.to_crs(32650).set_crs(4326, allow_override=True)

    problems = _problems(_write(tmp_path, metres))
    assert "metres" in _find(problems, "grids.geojson", "grid_id=G1").message


def test_cgcs2000_input(tmp_path: Path, reference: Scenario) -> None:
    def cgcs(layers: Layers) -> None:
        for name, frame in layers.items():
            if isinstance(frame, gpd.GeoDataFrame):
                layers[name] = frame.set_crs(4490, allow_override=True)

    scenario = read_scenario(_write(tmp_path, cgcs, toml='input_crs = "EPSG:4490"\n' + TOML))
    assert scenario.settings.input_crs == "EPSG:4490"
    assert scenario.crs.to_epsg() == 32650
    shift = scenario.grids.geometry.hausdorff_distance(reference.grids.geometry)
    assert shift.max() < 1.0


def test_gcj02_input_lands_on_the_wgs84_original(tmp_path: Path, reference: Scenario) -> None:
    def to_gcj(layers: Layers) -> None:
        for name, frame in list(layers.items()):
            if isinstance(frame, gpd.GeoDataFrame):
                layers[name] = transform_geoseries_gcj02(frame, to_gcj=True)
            elif "lon" in frame.columns:
                lon, lat = wgs84_to_gcj02(frame["lon"], frame["lat"])
                layers[name] = frame.assign(lon=lon, lat=lat)

    path = _write(tmp_path, to_gcj, toml='input_crs = "GCJ-02"\n' + TOML)
    scenario = read_scenario(path)
    for layer in ("grids", "buildings", "roads", "posts", "incidents", "cameras"):
        got = getattr(scenario, layer).geometry
        want = getattr(reference, layer).geometry
        assert got.hausdorff_distance(want).max() < 0.5, layer
    # the GCJ-02 shift itself is hundreds of metres: the test would notice a missed inverse
    raw = gpd.read_file(path / "posts.geojson").to_crs(32650)
    assert raw.geometry.distance(reference.posts.geometry).iloc[0] > 100


# --- tables: encodings and spreadsheets -----------------------------------------------------


def _write_roster(tmp_path: Path, data: bytes | None = None, *, encoding: str = "") -> Path:
    def drop(layers: Layers) -> None:
        del layers["roster"]

    path = _write(tmp_path, drop)
    if data is None:
        data = tiny_layers()["roster"].to_csv(index=False).encode(encoding)
    (path / "roster.csv").write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_roster_encodings(tmp_path: Path, encoding: str) -> None:
    scenario = read_scenario(_write_roster(tmp_path, encoding=encoding))
    names = [p.name for p in scenario.people]
    assert names == list(tiny_layers()["roster"]["name"])
    assert names[0] == "赵警官"
    assert scenario.people[0].person_id == "p01"  # a BOM does not stick to the first header


def test_roster_saved_as_excel_unicode_text(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated."""
    data = tiny_layers()["roster"].to_csv(index=False, sep="\t").encode("utf-16")
    scenario = read_scenario(_write_roster(tmp_path, data))
    assert [p.name for p in scenario.people] == list(tiny_layers()["roster"]["name"])


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(128, 256)) * 4,
        "person_id,name,role\np01,赵警官,officer\n".encode("utf-16-le"),
        b"\xff\xfe" + bytes(range(128, 256)) * 3 + b"\x00\xd8",
    ],
    ids=["random-bytes", "utf-16-no-bom", "broken-utf-16"],
)
def test_undecodable_roster(tmp_path: Path, data: bytes) -> None:
    problems = _problems(_write_roster(tmp_path, data))
    p = _find(problems, "roster.csv")
    assert "UTF-8" in p.fix


def test_xlsx_roster_reads_like_the_csv(tmp_path: Path, reference: Scenario) -> None:
    def drop(layers: Layers) -> None:
        del layers["roster"]

    path = _write(tmp_path, drop)
    tiny_layers()["roster"].to_excel(path / "roster.xlsx", index=False)
    assert read_scenario(path).people == reference.people


# --- roster rules ---------------------------------------------------------------------------


def test_roster_row_errors_are_all_reported(tmp_path: Path) -> None:
    def bad(layers: Layers) -> None:
        _set(layers["roster"], "roster", "p10", "role", "boss")
        _set(layers["roster"], "roster", "p09", "available", "Mon-Fri dya")

    problems = _problems(_write(tmp_path, bad))
    assert "boss" in _find(problems, "roster.csv", "person_id=p10", field="role").message
    p = _find(problems, "roster.csv", "person_id=p09", field="available")
    assert "dya" in p.message
    assert len(problems) == 2


def test_chinese_role_names(tmp_path: Path) -> None:
    def zh(layers: Layers) -> None:
        _set(layers["roster"], "roster", "p01", "role", "民警")
        _set(layers["roster"], "roster", "p10", "role", "五老")

    people = {p.person_id: p for p in read_scenario(_write(tmp_path, zh)).people}
    assert (people["p01"].role, people["p10"].role) == ("officer", "elder")


def test_beat_without_police_and_grid_without_worker_warn(tmp_path: Path) -> None:
    def thin(layers: Layers) -> None:
        r = layers["roster"]
        r.loc[r["person_id"].isin(["p03", "p04"]), "beat_id"] = "B1"
        layers["roster"] = r[r["person_id"] != "p08"]

    scenario = read_scenario(_write(tmp_path, thin))
    _find(scenario.warnings, "roster.csv", "beat_id=B2", text="no officer")
    _find(scenario.warnings, "roster.csv", "grid_id=G4", text="no grid worker")
    assert len(scenario.warnings) == 2
    with pytest.raises(InputError):
        read_scenario(scenario.source, strict=True)


def test_row_numbers_match_the_spreadsheet(tmp_path: Path) -> None:
    """A roster row without person_id is named by its row as Excel shows it (header = 1)."""

    def blank(layers: Layers) -> None:
        _set(layers["roster"], "roster", "p02", "person_id", None)
        _set(layers["roster"], "roster", "p03", "role", "boss")

    problems = _problems(_write(tmp_path, blank))
    _find(problems, "roster.csv", "row 3", field="person_id")
    _find(problems, "roster.csv", "person_id=p03", field="role")


def test_problems_of_settings_and_layers_come_together(tmp_path: Path) -> None:
    def point(layers: Layers) -> None:
        layers["grids"].loc[1, "geometry"] = Point(xy(1, 3))

    problems = _problems(_write(tmp_path, point, toml="bogus = 1\n" + TOML))
    _find(problems, "grids.geojson", "grid_id=G2")
    _find(problems, "patrol.toml", field="bogus")


def test_path_as_text(tiny_dir: Path) -> None:
    scenario = read_scenario(str(tiny_dir))
    assert isinstance(scenario, Scenario) and scenario.source == str(tiny_dir)


def test_geopackage_reads_like_the_folder(tmp_path: Path, reference: Scenario) -> None:
    import pyogrio

    gpkg = tmp_path / "scenario.gpkg"
    for name, frame in tiny_layers().items():
        if not isinstance(frame, gpd.GeoDataFrame) and "lon" in frame.columns:
            frame = gpd.GeoDataFrame(
                frame.drop(columns=["lon", "lat"]),
                geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                crs="EPSG:4326",
            )
        pyogrio.write_dataframe(frame, gpkg, layer=name, driver="GPKG")
    (tmp_path / "patrol.toml").write_text(TOML, encoding="utf-8")
    scenario = read_scenario(gpkg)
    assert scenario.warnings == []
    assert scenario.people == reference.people
    assert scenario.grids.geometry.hausdorff_distance(reference.grids.geometry).max() < 1e-6
    assert list(scenario.incidents["incident_id"]) == list(reference.incidents["incident_id"])


# --- read_layers -------------------------------------------------------------------------------


def test_read_layers_returns_every_layer_with_its_file(tiny_dir: Path) -> None:
    plog = ProblemLog()
    raw, labels = read_layers(tiny_dir, plog=plog, settings=Settings())
    assert plog.problems == []
    assert set(raw) == set(labels) == set(LAYERS)
    assert labels["grids"] == "grids.geojson" and labels["roster"] == "roster.csv"
    assert len(raw["grids"]) == 4 and len(raw["roster"]) == 12


def test_read_layers_reports_missing_and_empty_layers_by_weight(tiny_dir: Path) -> None:
    (tiny_dir / "roads.geojson").unlink()
    (tiny_dir / "posts.geojson").unlink()
    for name in ("cameras", "roster"):  # header only
        header = (tiny_dir / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        (tiny_dir / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    plog = ProblemLog()
    settings = Settings(travel=TravelSettings(detour_factor=1.7))
    raw, labels = read_layers(tiny_dir, plog=plog, settings=settings)
    assert {"roads", "posts", "cameras", "roster"}.isdisjoint(raw)
    assert "grids" in raw and labels["posts"] == "posts"
    found = {(p.file, p.severity): p for p in plog.problems}
    assert set(found) == {
        ("posts", "error"),
        ("roster.csv", "error"),
        ("roads", "warning"),
        ("cameras.csv", "warning"),
    }
    assert "posts.geojson / posts.csv" in found[("posts", "error")].fix
    assert "empty" in found[("roster.csv", "error")].message
    assert "detour factor of 1.7" in found[("roads", "warning")].message
    assert found[("cameras.csv", "warning")].fix == "Add at least one feature."


def test_grids_box_is_the_grids_lon_lat_box_with_the_osm_margin() -> None:
    from patrol.scenario.read import grids_box

    grids = tiny_layers()["grids"]
    box = grids_box(grids, Settings())
    assert box is not None
    minx, miny, maxx, maxy = grids.total_bounds
    assert box[0] < minx and box[2] > maxx and box[1] < miny and box[3] > maxy
    assert maxy + 0.0085 < box[3] < maxy + 0.0095  # 1 km of latitude
    assert grids_box(None, Settings()) is None
    assert grids_box(grids.iloc[0:0], Settings()) is None
