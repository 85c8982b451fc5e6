"""The checks every layer shares: one column, or the geometry, at a time.

Each check reports what it finds to a :class:`~patrol.errors.ProblemLog` – which file, which
row or feature, what is wrong and how to fix it – and returns the cleaned data, so a loader
runs them all and raises every problem at once. :mod:`patrol.scenario.validate` drives them
from one spec table per layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from patrol.errors import ProblemLog
from patrol.projection import WGS84, transform_geoseries_gcj02

MAX_ROWS_PER_KIND = 5  # problems of one kind named row by row, then "(and N more)"
POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")
POINTS = ("Point",)


def is_blank(value: Any) -> bool:
    """Whether a cell is empty: None, NaN, only spaces, or an empty list."""
    if is_nested(value):
        return len(value) == 0
    return (
        value is None
        or (not isinstance(value, str) and bool(pd.isna(value)))
        or (str(value).strip() == "")
    )


def is_nested(value: Any) -> bool:
    """Whether a cell holds a list or table (a JSON array or object) instead of one value."""
    return isinstance(value, list | tuple | dict | set | np.ndarray)


_JSON_LIKE = re.compile(r"^\s*(\{.*\}|\[.*\])\s*$", re.DOTALL)


def check_scalars(
    frame: pd.DataFrame, cols: Iterable[str], *, file: str, plog: ProblemLog, id_col: str | None
) -> None:
    """Cells of ``cols`` holding a list or table are reported and emptied, in place."""
    for col in cols:
        if col not in frame.columns or frame[col].dtype != object:
            continue
        nested = frame[col].map(is_nested)
        if col == id_col:  # a JSON object or array GDAL handed over as text
            nested |= frame[col].map(
                lambda v: isinstance(v, str) and _JSON_LIKE.match(v) is not None
            )
        if not nested.any():
            continue
        for where in name_rows(frame, nested & (col != id_col), id_col):
            plog.error(
                file,
                f"{col} is a list or table, not a single value.",
                f"Give one {col} per feature (text or a number).",
                feature=where,
                field=col,
                zh=(f"{col} 是列表或表格，不是单个值。", f"每个要素只填一个 {col}（文字或数字）。"),
            )
        for where in name_rows(frame, nested & (col == id_col), None):
            plog.error(
                file,
                f"{col} is a list or table, not a single value.",
                f"Give each feature one {col}.",
                feature=where,
                field=col,
                zh=(f"{col} 是列表或表格，不是单个值。", f"每个要素只填一个 {col}。"),
            )
        frame[col] = frame[col].where(~nested, None)


def as_text(values: pd.Series) -> pd.Series:
    """Strings stripped of spaces, blanks as None, in an object column (never NaN)."""
    return pd.Series(
        [None if is_blank(v) else str(v).strip() for v in values], index=values.index, dtype=object
    )


def name_rows(frame: pd.DataFrame, mask: Iterable[bool], id_col: str | None) -> list[str]:
    """How problems name the rows under ``mask``: ``id=value``, else ``row N`` as the user
    numbers them; at most :data:`MAX_ROWS_PER_KIND`, the last saying how many more."""
    idx = np.flatnonzero(np.asarray(list(mask), dtype=bool))
    out = []
    for i in idx[:MAX_ROWS_PER_KIND]:
        if id_col and id_col in frame.columns and not is_blank(frame[id_col].iloc[i]):
            out.append(f"{id_col}={frame[id_col].iloc[i]}")
        else:
            out.append(f"row {frame.index[i]}")  # the row number the user sees
    if len(idx) > MAX_ROWS_PER_KIND:
        out[-1] += f" (and {len(idx) - MAX_ROWS_PER_KIND} more)"
    return out


def require_fields(
    frame: pd.DataFrame, fields: Iterable[str], *, file: str, plog: ProblemLog
) -> bool:
    """Report each of ``fields`` the layer lacks; True when it has them all."""
    ok = True
    for f in fields:
        if f not in frame.columns:
            have = ", ".join(c for c in frame.columns if c != "geometry") or "none"
            plog.error(
                file,
                f"has no '{f}' field (fields present: {have}).",
                f"Add a '{f}' column.",
                field=f,
                zh=(
                    f"缺少“{f}”字段（现有字段：{have if have != 'none' else '无'}）。",
                    f"请添加“{f}”列。",
                ),
            )
            ok = False
    return ok


def check_ids(frame: pd.DataFrame, col: str, *, file: str, plog: ProblemLog) -> None:
    """Clean the id column in place; report empty and duplicated ids."""
    frame[col] = as_text(frame[col])
    for where in name_rows(frame, frame[col].isna(), None):
        plog.error(
            file,
            f"has an empty {col}.",
            f"Give every row a {col}.",
            feature=where,
            field=col,
            zh=(f"{col} 为空。", f"每一行都要填写 {col}。"),
        )
    dup = frame[col].duplicated(keep=False) & frame[col].notna()
    for value in sorted(set(frame.loc[dup, col]))[:MAX_ROWS_PER_KIND]:
        times = int((frame[col] == value).sum())
        plog.error(
            file,
            f"{col} '{value}' is used {times} times.",
            f"Give each row its own {col}.",
            feature=f"{col}={value}",
            field=col,
            zh=(f"{col}“{value}”重复使用了 {times} 次。", f"每一行的 {col} 都要不同。"),
        )


def clean_text(frame: pd.DataFrame, col: str) -> None:
    """An optional text column, in place: stripped, blanks None, added empty when absent."""
    if col not in frame.columns:
        frame[col] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    frame[col] = as_text(frame[col])


def check_number(
    frame: pd.DataFrame,
    col: str,
    *,
    file: str,
    plog: ProblemLog,
    id_col: str | None,
    default: float | None = None,
    integer: bool = False,
    minimum: float = 0.0,
    maximum: float | None = None,
) -> None:
    """A numeric column, in place, as floats: empty cells and bad values get ``default``;
    bad values (not a number, out of range, not whole) are reported."""
    if col not in frame.columns:
        frame[col] = default
        frame[col] = frame[col].astype(float)
        return
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce")
    given = raw.notna() & (raw.astype(str).str.strip() != "")
    bad = given & (values.isna() | ~np.isfinite(values.fillna(0)) | (values < minimum))
    if maximum is not None:
        bad |= given & (values > maximum)
    if integer:
        bad |= given & values.notna() & (values != values.round())
    kind = "a whole number" if integer else "a number"
    limits = f" >= {minimum:g}" + (f" and <= {maximum:g}" if maximum is not None else "")
    kind_zh = (
        ("整数" if integer else "数字")
        + f"（不小于 {minimum:g}"
        + (f"、不大于 {maximum:g}）" if maximum is not None else "）")
    )
    for where in name_rows(frame, bad, id_col):
        plog.error(
            file,
            f"{col} is not {kind}{limits}.",
            f"Write {col} as {kind}{limits}, or leave it empty.",
            feature=where,
            field=col,
            zh=(f"{col} 不是{kind_zh}。", f"请把 {col} 写成{kind_zh}，或留空。"),
        )
    values = values.where(given & ~bad, default)
    frame[col] = values.astype(float)


def check_time(frame: pd.DataFrame, col: str, *, file: str, plog: ProblemLog, id_col: str) -> None:
    """A date-and-time column, in place, as local times (Asia/Shanghai when a zone is
    given); values that are not ISO 8601 are reported and become NaT."""
    times = parse_local_times(frame[col])
    for where, t in zip(
        name_rows(frame, times.isna(), id_col), frame.loc[times.isna(), col], strict=False
    ):
        plog.error(
            file,
            f"{col} '{t}' is not an ISO 8601 date and time.",
            "Write it like 2026-05-03T21:40:00 (or 2026-05-03 21:40).",
            feature=where,
            field=col,
            zh=(
                f"{col}“{t}”不是 ISO 8601 日期时间。",
                "请写成 2026-05-03T21:40:00（或 2026-05-03 21:40）这样的格式。",
            ),
        )
    frame[col] = times


_OFFSET = r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)\s*$"


def parse_local_times(values: pd.Series) -> pd.Series:
    """ISO 8601 texts as naive local times: times without a zone are local already,
    times with a UTC offset (``+08:00``, ``Z``) are converted to China Standard Time, so
    one column may mix both. Unreadable values become NaT."""
    text = values.map(lambda v: "" if is_blank(v) or is_nested(v) else str(v).strip())
    aware = text.str.contains(_OFFSET, regex=True)
    naive = pd.to_datetime(text.where(~aware, ""), errors="coerce", format="ISO8601")
    times = pd.Series(naive, index=values.index)
    if aware.any():
        zoned = pd.to_datetime(text[aware], errors="coerce", format="ISO8601", utc=True)
        times.loc[aware] = zoned.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return pd.to_datetime(times)


def check_date(frame: pd.DataFrame, col: str, *, file: str, plog: ProblemLog, id_col: str) -> None:
    """An optional date column, in place, as :class:`datetime.date` or None; values that
    are not dates are reported. A date and time with a UTC offset among plain dates is
    taken on its China Standard Time day (``parse_local_times``)."""
    clean_text(frame, col)
    dates = parse_local_times(frame[col])
    years = dates.dt.year
    dates = dates.where((years >= 1900) & (years <= 2200))  # "-1" parses as year -1
    bad = frame[col].notna() & dates.isna()
    for where in name_rows(frame, bad, id_col):
        plog.error(
            file,
            f"{col} is not a date.",
            "Write it as YYYY-MM-DD.",
            feature=where,
            field=col,
            zh=(f"{col} 不是日期。", "请写成 YYYY-MM-DD（如 2026-05-03）。"),
        )
    frame[col] = pd.Series(
        [d.date() if pd.notna(d) else None for d in dates], index=frame.index, dtype=object
    )


def as_geodataframe(
    frame: gpd.GeoDataFrame | pd.DataFrame, *, file: str, plog: ProblemLog
) -> gpd.GeoDataFrame | None:
    """The frame when it has geometries; otherwise report it and return None."""
    if isinstance(frame, gpd.GeoDataFrame):
        return frame
    plog.error(
        file,
        "has no geometry.",
        "Give this layer as GeoJSON/GeoPackage, or a CSV with lon and lat columns.",
        zh=(
            "没有几何（位置）信息。",
            "请用 GeoJSON/GeoPackage 提供该图层，或用带 lon、lat 列的 CSV。",
        ),
    )
    return None


def check_geometry(
    gdf: gpd.GeoDataFrame,
    kinds: tuple[str, ...],
    *,
    file: str,
    plog: ProblemLog,
    id_col: str | None,
) -> gpd.GeoDataFrame:
    """The features with usable geometry: types, emptiness, validity (repaired with a
    warning), lon/lat sanity. Features left out are reported."""
    geom = gdf.geometry
    missing = geom.isna() | geom.is_empty
    for where in name_rows(gdf, missing, id_col):
        plog.error(
            file,
            "has no geometry.",
            "Draw the feature or remove the row.",
            feature=where,
            zh=("没有几何（位置）信息。", "请在 GIS 中画出该要素，或删除这一行。"),
        )
    types = geom.geom_type
    wrong = ~missing & ~types.isin(kinds)
    for where, t in zip(name_rows(gdf, wrong, id_col), types[wrong], strict=False):
        plog.error(
            file,
            f"is a {t}, expected {' or '.join(kinds)}.",
            f"Save this layer with {kinds[0]} geometries only.",
            feature=where,
            zh=(
                f"几何类型是 {t}，应为 {' 或 '.join(kinds)}。",
                f"请只用 {kinds[0]} 几何保存该图层。",
            ),
        )
    gdf = gdf.loc[~missing & ~wrong].copy()
    if gdf.empty:
        return gdf
    gdf = gdf.loc[~_report_non_finite(gdf, file=file, plog=plog, id_col=id_col)]
    gdf = _repair_invalid(gdf, kinds, (file, plog, id_col))
    if gdf.crs is not None and not gdf.crs.is_geographic:
        gdf = gdf.loc[~_report_degrees_in_metres(gdf, file=file, plog=plog, id_col=id_col)]
    if gdf.crs is None or gdf.crs.is_geographic:
        # features with impossible lon/lat are reported and left out: projecting them
        # would give infinite coordinates
        gdf = gdf.loc[~check_lonlat(gdf, file=file, plog=plog, id_col=id_col)]
    return gdf


def _report_non_finite(
    gdf: gpd.GeoDataFrame, *, file: str, plog: ProblemLog, id_col: str | None
) -> NDArray[np.bool_]:
    """Features with a NaN or infinite coordinate (reported); their mask."""
    coords, which = shapely.get_coordinates(gdf.geometry.values, return_index=True)
    bad_coord = ~np.isfinite(coords).all(axis=1)
    bad = np.zeros(len(gdf), dtype=bool)
    bad[np.unique(which[bad_coord])] = True
    _error_rows(
        gdf, bad, (file, plog, id_col),
        "has a coordinate that is not a number (NaN or infinite).",
        "Correct the feature's coordinates in your GIS, or remove it.",
        ("有一个坐标不是数字（NaN 或无穷大）。", "请在 GIS 中改正该要素的坐标，或删除它。"),
    )  # fmt: skip
    return bad


def _error_rows(
    gdf: gpd.GeoDataFrame,
    mask: Any,
    layer: tuple[str, ProblemLog, str | None],
    problem: str,
    fix: str,
    zh: tuple[str, str],
) -> None:
    """One error for every feature of ``mask`` (named by its id or row); ``zh`` is the
    Chinese problem and fix."""
    file, plog, id_col = layer
    for where in name_rows(gdf, mask, id_col):
        plog.error(file, problem, fix, feature=where, zh=zh)


def _report_degrees_in_metres(
    gdf: gpd.GeoDataFrame, *, file: str, plog: ProblemLog, id_col: str | None
) -> NDArray[np.bool_]:
    """In a layer declared projected (metres), features whose coordinates all look like
    degrees: a wrong CRS label, which would put them next to the equator."""
    bounds = gdf.geometry.bounds
    small = (bounds[["minx", "maxx"]].abs() <= 180).all(axis=1) & (
        bounds[["miny", "maxy"]].abs() <= 90
    ).all(axis=1)
    if not small.all():
        return np.zeros(len(gdf), dtype=bool)
    crs = gdf.crs.to_string() if gdf.crs is not None else "?"
    plog.error(
        file,
        f"is declared in {crs} (metres) but its coordinates look like longitude/latitude "
        "in degrees.",
        "Save the layer with its real CRS (EPSG:4326 for lon/lat).",
        zh=(
            f"图层声明的坐标系是 {crs}（米），但坐标看起来是以度为单位的经纬度。",
            "请用真实的坐标系保存该图层（经纬度用 EPSG:4326）。",
        ),
    )
    return np.ones(len(gdf), dtype=bool)


def _repair_invalid(
    gdf: gpd.GeoDataFrame, kinds: tuple[str, ...], layer: tuple[str, ProblemLog, str | None]
) -> gpd.GeoDataFrame:
    """Invalid geometries repaired with ``make_valid`` (a warning each). An outline that
    is no area any more ("too few points") becomes a point where the layer allows points
    (a warning: the building stays), else it is an error and the feature is left out.
    ``layer`` is the layer's file, the problem log and the id column."""
    file, plog, id_col = layer
    valid = gdf.geometry.is_valid.to_numpy()
    if valid.all():
        return gdf
    broken = gdf.geometry.values[~valid]
    reasons = shapely.is_valid_reason(broken)
    repaired = shapely.make_valid(broken)
    if set(kinds) & set(POLYGONS):  # grids and building outlines stay areas
        repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
    types = shapely.get_type_id(repaired)
    usable = np.isin(shapely.geometry.base.GEOMETRY_TYPES, kinds)
    fits = np.array([usable[t] if t >= 0 else False for t in types], dtype=bool)
    as_point = ~fits & ("Point" in kinds)
    repaired[as_point] = [_mean_point(g) for g in broken[as_point]]
    rows = np.flatnonzero(~valid)
    for i, why, fit, point in zip(rows, reasons, fits, as_point, strict=True):
        where = name_rows(gdf.iloc[[i]], [True], id_col)[0]
        if fit or point:
            plog.warn(
                file,
                f"has an invalid geometry ({why}); repaired "
                + ("to a point." if point else "with make_valid."),
                "Fix the polygon in your GIS (e.g. QGIS 'Fix geometries') to be sure "
                "the repair is what you meant.",
                feature=where,
                zh=(
                    f"几何无效（{why}），已"
                    + ("修复为一个点。" if point else "用 make_valid 修复。"),
                    "请在 GIS 中修复该多边形（如 QGIS 的“修复几何”），确认修复结果符合原意。",
                ),
            )
        else:
            plog.error(
                file,
                f"has an invalid geometry ({why}) that is no {' or '.join(kinds)} once repaired.",
                "Redraw the feature in your GIS, or remove it.",
                feature=where,
                zh=(
                    f"几何无效（{why}），修复后不再是 {' 或 '.join(kinds)}。",
                    "请在 GIS 中重画该要素，或删除它。",
                ),
            )
    gdf = gdf.copy()
    gdf.loc[~valid, gdf.geometry.name] = repaired
    keep = np.ones(len(gdf), dtype=bool)
    keep[rows[~(fits | as_point)]] = False
    return gdf.loc[keep]


def _mean_point(geom: shapely.Geometry) -> shapely.Geometry:
    """The mean of a broken outline's vertices (it has no area to take a centroid of)."""
    return shapely.points(shapely.get_coordinates(geom).mean(axis=0))


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in POLYGONS:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in POLYGONS]
    return shapely.union_all(parts) if parts else geom


def check_lonlat(
    gdf: gpd.GeoDataFrame, *, file: str, plog: ProblemLog, id_col: str | None
) -> NDArray[np.bool_]:
    """Report coordinates that cannot be lon/lat; returns the mask of those features."""
    bounds = gdf.geometry.bounds
    projected = (bounds.abs() > 360).any(axis=1)
    beyond = ~projected & (
        (bounds[["minx", "maxx"]].abs() > 180).any(axis=1)
        | ((bounds[["miny", "maxy"]].abs() > 90).any(axis=1) & (bounds["maxx"].abs() > 90))
    )
    for where, lat in zip(name_rows(gdf, beyond, id_col), bounds.loc[beyond, "maxy"], strict=False):
        plog.error(
            file,
            f"has a longitude beyond ±180° or a latitude beyond ±90° (latitude {lat:g}).",
            "Correct the coordinates: longitude -180 to 180, latitude -90 to 90.",
            feature=where,
            zh=(
                f"经度超出 ±180° 或纬度超出 ±90°（纬度 {lat:g}）。",
                "请改正坐标：经度在 -180 到 180 之间，纬度在 -90 到 90 之间。",
            ),
        )
    projected |= beyond
    for where in name_rows(gdf, projected, id_col):
        plog.error(
            file,
            "has coordinates in metres in a layer declared as longitude/latitude (WGS 84).",
            "Save the layer with its real projected CRS, or reproject it to "
            "EPSG:4326 before giving it to patrol.",
            feature=where,
            zh=(
                "图层声明为经纬度（WGS 84），坐标却是以米为单位的投影坐标。",
                "请用真实的投影坐标系保存该图层，或先转换为 EPSG:4326。",
            ),
        )
    swapped = ~projected & (
        ((bounds["miny"].abs() > 90) | (bounds["maxy"].abs() > 90)) & (bounds["maxx"].abs() <= 90)
    )
    _error_rows(
        gdf, swapped, (file, plog, id_col),
        "has latitude and longitude swapped (a latitude beyond ±90°).",
        "Swap the columns: x is longitude (e.g. 117.2), y is latitude (e.g. 39.1).",
        ("纬度和经度写反了（纬度超出 ±90°）。",
         "请对调两列：x 是经度（如 117.2），y 是纬度（如 39.1）。"),
    )  # fmt: skip
    # inside China, lon is 73–135 and lat 18–54: a point with x in the lat range and y in the
    # lon range is almost certainly swapped
    china_swap = (
        ~projected & ~swapped & (bounds["minx"].between(3, 54)) & (bounds["miny"].between(73, 136))
    )
    for where in name_rows(gdf, china_swap, id_col):
        plog.error(
            file,
            "looks like latitude/longitude in the wrong order (x looks like a "
            "Chinese latitude, y like a longitude).",
            "Swap the coordinates: x is longitude, y is latitude.",
            feature=where,
            zh=(
                "经纬度顺序像是写反了（x 像中国的纬度，y 像经度）。",
                "请对调坐标：x 是经度，y 是纬度。",
            ),
        )
    return np.asarray(projected | swapped | china_swap, dtype=bool)


def to_wgs84(gdf: gpd.GeoDataFrame, *, input_crs: str) -> gpd.GeoDataFrame:
    """A layer in WGS 84: projected layers reprojected, GCJ-02 lon/lat shifted back."""
    if gdf.crs is not None and not gdf.crs.is_geographic:
        return gdf.to_crs(WGS84)
    gdf = gdf.set_crs(WGS84, allow_override=True)
    if input_crs == "GCJ-02":
        gdf = transform_geoseries_gcj02(gdf, to_gcj=False)
    return gdf


def select_columns(gdf: gpd.GeoDataFrame, cols: Iterable[str]) -> gpd.GeoDataFrame:
    """The given columns plus the geometry, named 'geometry', with a fresh index."""
    out = gdf[[*cols, gdf.geometry.name]]
    if gdf.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    return out.reset_index(drop=True)
