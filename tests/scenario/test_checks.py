"""The shared checks: one column, or the geometry, at a time, on hand-built frames."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

from patrol.errors import ProblemLog
from patrol.scenario.checks import (
    POLYGONS,
    as_geodataframe,
    as_text,
    check_date,
    check_geometry,
    check_ids,
    check_lonlat,
    check_number,
    check_scalars,
    check_time,
    clean_text,
    is_blank,
    is_nested,
    name_rows,
    parse_local_times,
    require_fields,
    select_columns,
    to_wgs84,
)


def _frame(**cols: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame(cols, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def test_is_blank_and_as_text() -> None:
    assert [is_blank(v) for v in (None, np.nan, " ", "x", 0)] == [True, True, True, False, False]
    assert as_text(pd.Series([" a ", None, "", 3])).tolist() == ["a", None, None, "3"]


def test_name_rows_by_id_else_row_and_counts_the_rest() -> None:
    frame = _frame(pid=["p1", None, *[f"q{i}" for i in range(6)]])
    names = name_rows(frame, [True] * 8, "pid")
    assert names[:2] == ["pid=p1", "row 3"]
    assert names[-1] == "pid=q2 (and 3 more)"


def test_require_fields_lists_what_is_there() -> None:
    plog = ProblemLog()
    assert not require_fields(_frame(a=[1]), ["a", "b"], file="f", plog=plog)
    assert plog.errors[0].field == "b" and "fields present: a" in plog.errors[0].message


def test_check_ids_reports_empty_and_duplicated() -> None:
    frame = _frame(id=[" a", "a", "", "b"])
    plog = ProblemLog()
    check_ids(frame, "id", file="f", plog=plog)
    assert frame["id"].tolist() == ["a", "a", None, "b"]
    assert [p.feature for p in plog.errors] == ["row 4", "id=a"]
    assert "2 times" in plog.errors[1].message


def test_clean_text_adds_an_absent_column() -> None:
    frame = _frame(a=[" x ", ""])
    clean_text(frame, "a")
    clean_text(frame, "b")
    assert frame["a"].tolist() == ["x", None] and frame["b"].tolist() == [None, None]


def test_check_number_ranges_wholes_and_defaults() -> None:
    frame = _frame(id=["a", "b", "c", "d"], n=["3", "", "2.5", "99"])
    plog = ProblemLog()
    check_number(frame, "n", file="f", plog=plog, id_col="id", default=1.0, integer=True, maximum=9)
    assert frame["n"].tolist() == [3.0, 1.0, 1.0, 1.0]
    assert [p.feature for p in plog.errors] == ["id=c", "id=d"]
    check_number(frame, "absent", file="f", plog=plog, id_col="id", default=np.nan)
    assert frame["absent"].isna().all()


def test_check_time_converts_zones_to_local_time() -> None:
    frame = _frame(id=["a", "b"], time=["2026-05-03T13:40:00+00:00", "later"])
    plog = ProblemLog()
    check_time(frame, "time", file="f", plog=plog, id_col="id")
    assert frame["time"].iloc[0] == pd.Timestamp("2026-05-03 21:40")
    assert pd.isna(frame["time"].iloc[1]) and plog.errors[0].feature == "id=b"


def test_check_date_keeps_dates_and_none() -> None:
    frame = _frame(id=["a", "b", "c"], d=["2026-01-02", "", "soon"])
    plog = ProblemLog()
    check_date(frame, "d", file="f", plog=plog, id_col="id")
    assert frame["d"].tolist() == [dt.date(2026, 1, 2), None, None]
    assert [p.feature for p in plog.errors] == ["id=c"]


def test_check_date_reports_years_out_of_range() -> None:
    """bench/fuzz.py found ``last_visit = -1``: it parsed as the year -1 and crashed."""
    frame = _frame(id=["a", "b"], d=["-1", "9999-01-01"])
    plog = ProblemLog()
    check_date(frame, "d", file="f", plog=plog, id_col="id")
    assert frame["d"].tolist() == [None, None]
    assert [p.feature for p in plog.errors] == ["id=a", "id=b"]


def test_check_date_takes_a_zoned_time_among_dates_on_its_china_day() -> None:
    """bench/fuzz.py (case 3490 of 10,000) found ``last_visit`` with one
    ``2026-11-01T20:30:00+08:00`` among plain dates: pandas raised "Mixed timezones"."""
    frame = _frame(
        id=["a", "b", "c"], d=["2026-10-30", "2026-11-01T20:30:00+08:00", "2026-10-31T20:30:00Z"]
    )
    plog = ProblemLog()
    check_date(frame, "d", file="f", plog=plog, id_col="id")
    assert frame["d"].tolist() == [
        dt.date(2026, 10, 30),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 1),
    ]
    assert not plog.errors


def test_as_geodataframe_needs_geometry() -> None:
    plog = ProblemLog()
    assert as_geodataframe(pd.DataFrame({"a": [1]}), file="f", plog=plog) is None
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0)])
    assert as_geodataframe(gdf, file="f", plog=plog) is gdf
    assert len(plog.errors) == 1


def test_check_geometry_types_missing_and_repairs() -> None:
    bowtie = Polygon([(117.0, 39.0), (117.01, 39.0), (117.0, 39.01), (117.01, 39.01)])
    gdf = gpd.GeoDataFrame(
        {"id": ["a", "b", "c", "d"]},
        geometry=[Point(117, 39).buffer(0.01), None, LineString([(117, 39), (117.1, 39)]), bowtie],
        crs="EPSG:4326",
    )
    plog = ProblemLog()
    kept = check_geometry(gdf, POLYGONS, file="f", plog=plog, id_col="id")
    assert kept["id"].tolist() == ["a", "d"] and kept.geometry.is_valid.all()
    assert [p.feature for p in plog.errors] == ["id=b", "id=c"]
    assert plog.warnings[0].feature == "id=d" and "make_valid" in plog.warnings[0].message


def test_check_lonlat_finds_metres_and_swaps() -> None:
    gdf = gpd.GeoDataFrame(
        {"id": ["ok", "metres", "swapped", "china"]},
        geometry=[Point(117.2, 39.1), Point(500000, 4300000), Point(39.1, 117.2), Point(39.1, 80)],
        crs="EPSG:4326",
    )
    plog = ProblemLog()
    assert check_lonlat(gdf, file="f", plog=plog, id_col="id").tolist() == [
        False,
        True,
        True,
        True,
    ]
    assert [p.feature for p in plog.errors] == ["id=metres", "id=swapped", "id=china"]


def test_to_wgs84_reprojects_and_undoes_gcj02() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(117.2, 39.1)], crs="EPSG:4326")
    utm = gdf.to_crs(32650)
    back = to_wgs84(utm, input_crs="EPSG:4326")
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].distance(Point(117.2, 39.1)) < 1e-9
    shifted = to_wgs84(gdf, input_crs="GCJ-02").geometry.iloc[0]
    assert 0.001 < shifted.distance(Point(117.2, 39.1)) < 0.01  # a few hundred metres


def test_select_columns_renames_the_geometry() -> None:
    gdf = gpd.GeoDataFrame({"a": [1], "b": [2], "geom": [Point(0, 0)]}, geometry="geom")
    gdf.index = [7]
    out = select_columns(gdf, ["a"])
    assert list(out.columns) == ["a", "geometry"] and list(out.index) == [0]


def test_is_nested_and_check_scalars_empty_lists_and_tables() -> None:
    assert [is_nested(v) for v in (["a"], {"a": 1}, np.array([1]), "a", 1)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    frame = _frame(grid_id=["G1", ["G2", "G3"], '{"a": 1}'], name=["x", {"k": 1}, "z"])
    plog = ProblemLog()
    check_scalars(
        frame, ["grid_id", "name", "absent"], file="g.geojson", plog=plog, id_col="grid_id"
    )
    assert frame["grid_id"].tolist() == ["G1", None, None]
    assert frame["name"].tolist() == ["x", None, "z"]
    assert sorted((p.field, p.feature) for p in plog.errors) == [
        ("grid_id", "row 3"),
        ("grid_id", "row 4"),
        ("name", "row 3"),
    ]


def test_parse_local_times_converts_offsets_and_keeps_naive_times() -> None:
    times = parse_local_times(
        pd.Series(["2026-11-01T20:30:00", "2026-11-01T12:30:00Z", "2026-11-01 21:00+08:00", "x"])
    )
    assert [str(t) for t in times[:3]] == [
        "2026-11-01 20:30:00",
        "2026-11-01 20:30:00",
        "2026-11-01 21:00:00",
    ]
    assert pd.isna(times.iloc[3]) and times.dt.tz is None
