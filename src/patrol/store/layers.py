"""Layers in and out of the store's GeoPackage, read back with the types they were written in.

A GeoPackage keeps text, numbers, booleans and date-times, but not pandas' dtypes (object
text comes back as pandas strings, ``datetime.date`` objects as text, a Polygon among
MultiPolygons as a MultiPolygon). :func:`write_layers` records each column's dtype in the
:data:`~patrol.store.schema.COLUMNS` table and :func:`read_layer` restores it, so a layer
reads back equal to the frame that was written. Writes go through
:func:`patrol.atomic.write_gpkg`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.atomic import write_gpkg
from patrol.errors import InputError
from patrol.store.schema import COLUMNS, META, PLAN_FILE, check_version

_SINGLE = "_single_part"  # marks single-part rows of a layer that also holds multi-parts
_DATE = "date-object"
_GEOMETRY = "geometry"


def _object_kind(values: pd.Series) -> str:
    sample = values.dropna()
    if len(sample) and all(
        isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in sample
    ):
        return _DATE
    return "object"


def _dtype_name(values: pd.Series) -> str:
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        return f"str:{dtype.storage}"
    if dtype == np.dtype(object):
        return _object_kind(values)
    return str(dtype)


def _encode(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame as the GeoPackage can keep it, and its columns' dtypes (a ``geometry``
    entry marks a spatial layer)."""
    data = frame.drop(columns=frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else frame
    types = {str(c): _dtype_name(data[c]) for c in data.columns}
    plain = pd.DataFrame(
        {
            c: data[c].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
            if types[str(c)] == _DATE
            else data[c]
            for c in data.columns
        },
        index=range(len(data)),
    )
    if not isinstance(frame, gpd.GeoDataFrame):
        return plain, types
    types[_GEOMETRY] = _GEOMETRY
    geoms = frame.geometry.to_numpy()
    kinds = {g.geom_type for g in geoms if g is not None}
    if any(k.startswith("Multi") for k in kinds) and any(
        not k.startswith(("Multi", "Geometry")) for k in kinds
    ):
        plain[_SINGLE] = [g is not None and not g.geom_type.startswith("Multi") for g in geoms]
        types[_SINGLE] = "bool"
    return gpd.GeoDataFrame(plain, geometry=list(geoms), crs=frame.crs), types


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def to_json(value: Any) -> str:
    """JSON text of ``value`` (numpy numbers as plain ones, Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False, default=_plain)


def write_layers(
    out: Path, frames: dict[str, pd.DataFrame], *, new: bool = False, **meta: Any
) -> Path:
    """Add (or replace) layers and ``meta`` entries in ``OUT/plan.gpkg``, atomically;
    ``new`` starts a new store instead of extending the one there."""
    gpkg = out / PLAN_FILE
    old = not new and gpkg.exists()
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
    rows: list[dict[str, str]] = []
    for name, frame in frames.items():
        layers[name], types = _encode(frame)
        rows += [{"layer": name, "column": c, "dtype": t} for c, t in types.items()]
    known = read_table(gpkg, COLUMNS.name) if old else pd.DataFrame(columns=COLUMNS.names)
    kept = known.loc[~known["layer"].isin(list(frames))]
    layers[COLUMNS.name] = pd.concat([kept, pd.DataFrame(rows, columns=COLUMNS.names)])
    entries = {**(read_meta(gpkg, check=False) if old else {}), **meta}
    layers[META.name] = pd.DataFrame(
        {"key": list(entries), "value": [to_json(v) for v in entries.values()]}
    )
    return write_gpkg(gpkg, layers, extend=old)


def read_table(gpkg: Path, name: str) -> pd.DataFrame:
    """A layer without geometry, as the GeoPackage gives it (no dtype restoring)."""
    import pyogrio

    return pd.DataFrame(pyogrio.read_dataframe(gpkg, layer=name, read_geometry=False))


def read_meta(gpkg: Path, *, check: bool = True) -> dict[str, Any]:
    """The store's ``key -> value`` entries; with ``check``, refuse another store version."""
    if not gpkg.exists():
        raise InputError(
            f"{gpkg} is missing: {gpkg.parent} holds no plan written by 'patrol plan'.",
            file=str(gpkg),
            zh=f"缺少 {gpkg}：{gpkg.parent} 中没有 patrol plan 写出的计划。",
            fix_zh="请先用 patrol plan 生成计划，或指定计划所在的输出文件夹。",
        )
    meta: dict[str, Any] = {}
    if META.name in layer_names(gpkg):
        table = read_table(gpkg, META.name)
        meta = {
            str(k): json.loads(str(v)) for k, v in zip(table["key"], table["value"], strict=True)
        }
    if check:
        check_version(meta, file=str(gpkg))
    return meta


def layer_names(gpkg: Path) -> set[str]:
    """The names of the layers in ``gpkg``."""
    import pyogrio

    return {str(row[0]) for row in pyogrio.list_layers(gpkg)}


def _decode(values: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("str:"):
        storage: Any = dtype[4:]
        return values.astype(pd.StringDtype(storage, na_value=np.nan))
    if dtype in ("object", _DATE):
        obj = values.astype(object)
        missing = obj.isna()
        if dtype == _DATE:
            obj = obj.map(lambda v: v if v is None or v != v else dt.date.fromisoformat(str(v)))
        return obj.where(~missing, None)
    result: pd.Series = values.astype(pd.api.types.pandas_dtype(dtype))
    return result


def _single(geom: Any, single: bool) -> Any:
    if single and geom is not None and geom.geom_type.startswith("Multi"):
        parts = shapely.get_parts(geom)
        return parts[0] if len(parts) == 1 else geom
    return geom


def read_layer(gpkg: Path, name: str) -> pd.DataFrame:
    """A layer as it was written: a GeoDataFrame for a spatial layer, else a DataFrame."""
    types = read_table(gpkg, COLUMNS.name)
    own = types.loc[types["layer"] == name]
    dtype_of = dict(zip(own["column"], own["dtype"], strict=True))
    frame = gpd.read_file(gpkg, layer=name)
    data = pd.DataFrame(
        {c: _decode(frame[c], dtype_of[c]) for c in dtype_of if c not in (_SINGLE, _GEOMETRY)},
        index=frame.index,
    )
    if _GEOMETRY not in dtype_of:
        return data
    geoms = frame.geometry.to_numpy()
    if _SINGLE in dtype_of:
        flags = frame[_SINGLE].astype(bool).to_numpy()
        geoms = np.array([_single(g, f) for g, f in zip(geoms, flags, strict=True)], dtype=object)
    result: pd.DataFrame = gpd.GeoDataFrame(data, geometry=list(geoms), crs=frame.crs)
    return result
