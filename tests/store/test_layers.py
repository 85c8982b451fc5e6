"""Layers read back with the types they were written in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from patrol.errors import InputError
from patrol.store import schema
from patrol.store.layers import (
    layer_names,
    read_layer,
    read_meta,
    read_table,
    to_json,
    write_layers,
)


def _mixed() -> gpd.GeoDataFrame:
    square = shapely.box(0, 0, 1, 1)
    return gpd.GeoDataFrame(
        {
            "text": pd.Series(["a", None, "c"], dtype=object),
            "name": pd.Series(["x", "y", None], dtype=pd.StringDtype("python", na_value=np.nan)),
            "day": [dt.date(2026, 11, 30), None, dt.date(2026, 12, 1)],
            "when": pd.to_datetime(["2026-11-30 09:00", "2026-11-30 10:00", "2026-12-01 00:00"]),
            "count": np.array([1, 2, 3], dtype=np.int64),
            "share": [0.5, np.nan, 1 / 3],
            "flag": [True, False, True],
        },
        geometry=[square, shapely.MultiPolygon([square, shapely.box(2, 2, 3, 3)]), None],
        crs="EPSG:32650",
    )


def test_a_layer_reads_back_as_written(tmp_path: Path) -> None:
    frame = _mixed()
    write_layers(tmp_path, {"mixed": frame, "table": pd.DataFrame({"k": ["a"], "n": [2]})})
    again = read_layer(tmp_path / schema.PLAN_FILE, "mixed")
    pd.testing.assert_frame_equal(pd.DataFrame(again), pd.DataFrame(frame), check_index_type=False)
    assert again.crs == frame.crs
    assert again.geometry.iloc[0].geom_type == "Polygon", "a Polygon stays a Polygon"
    table = read_layer(tmp_path / schema.PLAN_FILE, "table")
    assert not isinstance(table, gpd.GeoDataFrame)
    assert table.to_dict("records") == [{"k": "a", "n": 2}]


def test_write_layers_extends_replaces_and_starts_new(tmp_path: Path) -> None:
    gpkg = tmp_path / schema.PLAN_FILE
    write_layers(tmp_path, {"a": pd.DataFrame({"x": [1]})}, schema_version=2, seed=1)
    write_layers(tmp_path, {"b": pd.DataFrame({"y": [2]})}, seed=3)
    assert {"a", "b", schema.META.name, schema.COLUMNS.name} <= layer_names(gpkg)
    assert read_meta(gpkg) == {"schema_version": 2, "seed": 3}
    types = read_table(gpkg, schema.COLUMNS.name)
    assert set(types["layer"]) == {"a", "b"}
    write_layers(tmp_path, {"c": pd.DataFrame({"z": [3]})}, new=True, schema_version=2)
    assert "a" not in layer_names(gpkg)
    assert read_meta(gpkg) == {"schema_version": 2}


def test_read_meta_of_a_missing_or_old_store(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no plan written"):
        read_meta(tmp_path / schema.PLAN_FILE)
    write_layers(tmp_path, {"a": pd.DataFrame({"x": [1]})}, schema_version=1)
    assert read_meta(tmp_path / schema.PLAN_FILE, check=False)["schema_version"] == 1
    with pytest.raises(InputError, match="version 1"):
        read_meta(tmp_path / schema.PLAN_FILE)


def test_to_json_takes_numpy_numbers_and_keeps_chinese() -> None:
    assert to_json({"警格": np.int64(3), "x": np.float64(0.5)}) == '{"警格": 3, "x": 0.5}'
    with pytest.raises(TypeError):
        to_json({"x": object()})
