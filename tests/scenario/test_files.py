"""Finding layer files and reading their formats, one reader at a time."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from patrol.errors import ProblemLog
from patrol.scenario.files import (
    find_layer_file,
    find_layer_files,
    points_from_table,
    read_layer,
    read_table_file,
    read_text_table,
)
from tests.factory import tiny_layers


def test_find_layer_file_prefers_vector_then_osm_then_table(tmp_path: Path) -> None:
    for name in ("roads.csv", "roads.osm", "roads.geojson", "roster.xlsx", "roster_old.csv"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert find_layer_file(tmp_path, "roads") == tmp_path / "roads.geojson"
    assert find_layer_file(tmp_path, "roster") == tmp_path / "roster.xlsx"
    assert find_layer_file(tmp_path, "grids") is None


def test_read_text_table_gbk_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("a\t名字\n 1\t张三\n".encode("gb18030"))
    frame = read_text_table(path, plog=ProblemLog())
    assert frame is not None and list(frame.columns) == ["a", "名字"]
    assert frame.iloc[0].tolist() == ["1", "张三"]


def test_read_text_table_reports_a_broken_table(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,2,3\n"x', encoding="utf-8")
    plog = ProblemLog()
    assert read_text_table(path, plog=plog) is None
    assert "commas" in plog.errors[0].fix


def test_read_table_file_reads_excel_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    pd.DataFrame({"id ": ["p1"], "n": [3]}).to_excel(path, index=False)
    frame = read_table_file(path, plog=ProblemLog())
    assert frame is not None and list(frame.columns) == ["id", "n"]
    assert frame.iloc[0].tolist() == ["p1", "3"]
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    plog = ProblemLog()
    assert read_table_file(tmp_path / "bad.xlsx", plog=plog) is None
    assert "spreadsheet" in plog.errors[0].message


def test_points_from_table_keeps_row_numbers_and_reports_bad_coordinates() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "经度": ["117.2", "x"], "纬度": ["39.1", "39"]})
    frame.index = pd.RangeIndex(2, 4)
    plog = ProblemLog()
    points = points_from_table(frame, file="t.csv", plog=plog, crs="EPSG:4326")
    assert points is not None and list(points.index) == [2]
    assert (points.geometry.x.iloc[0], list(points.columns)) == (117.2, ["id", "geometry"])
    assert plog.errors[0].feature == "row 3"
    assert points_from_table(frame[["id"]], file="t.csv", plog=plog, crs="EPSG:4326") is None


def test_read_layer_numbers_rows_as_the_user_sees_them(tmp_path: Path) -> None:
    layers = tiny_layers()
    layers["grids"].to_file(tmp_path / "grids.geojson")
    layers["roster"].to_csv(tmp_path / "roster.csv", index=False)
    plog = ProblemLog()
    grids, label = read_layer(tmp_path, "grids", plog=plog, input_crs="EPSG:4326")
    assert label == "grids.geojson" and list(grids.index)[:2] == [1, 2]
    roster, label = read_layer(tmp_path, "roster", plog=plog, input_crs="EPSG:4326")
    assert label == "roster.csv" and list(roster.index)[:2] == [2, 3]  # the header is row 1
    assert read_layer(tmp_path, "cameras", plog=plog, input_crs="EPSG:4326") == (None, "cameras")
    assert plog.problems == []


def test_read_layer_from_a_geopackage(tmp_path: Path) -> None:
    gpkg = tmp_path / "s.gpkg"
    tiny_layers()["grids"].to_file(gpkg, layer="grids")
    frame, label = read_layer(gpkg, "grids", plog=ProblemLog(), input_crs="EPSG:4326")
    assert label == "s.gpkg:grids" and isinstance(frame, gpd.GeoDataFrame)
    assert read_layer(gpkg, "posts", plog=ProblemLog(), input_crs="EPSG:4326")[0] is None


def test_find_layer_files_lists_every_candidate(tmp_path: Path) -> None:
    for name in ("grids.geojson", "grids.json", "roads.osm.pbf", "grids.geojson.bak"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in find_layer_files(tmp_path, "grids")] == ["grids.geojson", "grids.json"]
    assert [p.name for p in find_layer_files(tmp_path, "roads")] == ["roads.osm.pbf"]


def test_read_layer_refuses_two_files_for_one_layer(tmp_path: Path) -> None:
    grids = tiny_layers()["grids"]
    grids.to_file(tmp_path / "grids.geojson")
    grids.to_file(tmp_path / "grids.json", driver="GeoJSON")
    plog = ProblemLog()
    assert read_layer(tmp_path, "grids", plog=plog, input_crs="EPSG:4326")[0] is None
    assert "grids.geojson, grids.json" in plog.errors[0].message


def test_read_table_file_explains_old_excel(tmp_path: Path) -> None:
    (tmp_path / "roster.xls").write_bytes(b"\xd0\xcf\x11\xe0 old workbook")
    plog = ProblemLog()
    assert read_table_file(tmp_path / "roster.xls", plog=plog) is None
    assert ".xls" in plog.errors[0].message and ".xlsx" in plog.errors[0].fix
    assert "calamine" not in str(plog.errors[0])


def test_read_layer_names_an_empty_geojson(tmp_path: Path) -> None:
    (tmp_path / "grids.geojson").write_bytes(b"")
    plog = ProblemLog()
    assert read_layer(tmp_path, "grids", plog=plog, input_crs="EPSG:4326")[0] is None
    assert plog.errors[0].message == "is empty (0 bytes)."
    assert "DRIVER" not in str(plog.errors[0])
