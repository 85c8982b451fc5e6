"""Finding a scenario's layer files and reading their formats.

A layer is one file in the scenario folder named after it (``grids.geojson``,
``roster.csv``…) or one layer of a GeoPackage. Vector formats are read with GDAL
(pyogrio), tables as UTF-8 or GBK/GB18030 CSV (what Excel saves in China) or Excel
workbooks, streets also from an OSM extract (:mod:`patrol.scenario.osm`). Every file is
checked before it is opened (:mod:`patrol.scenario.guard`). Reading never changes the user's files;
what cannot be read is reported to the :class:`~patrol.errors.ProblemLog`.
"""

from __future__ import annotations

import io as _io
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from patrol.errors import ProblemLog
from patrol.projection import WGS84
from patrol.scenario.checks import MAX_ROWS_PER_KIND
from patrol.scenario.guard import check_driver, check_input_file, gdal_reason
from patrol.scenario.osm import BBox, read_osm_roads

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml", ".kml", ".sqlite")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf")
POINT_TABLE_LAYERS = ("incidents", "cameras", "posts", "buildings")  # tables with lon, lat
_LON_NAMES = ("lon", "lng", "longitude", "long", "x", "经度")
_LAT_NAMES = ("lat", "latitude", "y", "纬度")


def find_layer_files(folder: Path, layer: str) -> list[Path]:
    """Every file in a scenario folder that could hold ``layer`` (``grids.geojson``,
    ``roster.csv``…), vector formats first, then OSM, then tables; more than one is an
    error for the loader (which one was meant cannot be guessed)."""
    candidates = sorted(
        p
        for p in folder.iterdir()
        if not p.is_dir() and (p.stem == layer or p.name.startswith(layer + "."))
    )
    found: list[Path] = []
    for suffixes in (VECTOR_SUFFIXES, OSM_SUFFIXES, TABLE_SUFFIXES):
        found += [p for p in candidates if _ends_with(p, suffixes) and p not in found]
    return found


def _ends_with(path: Path, suffixes: tuple[str, ...]) -> bool:
    lower = path.name.lower()
    if lower.endswith(".osm.pbf"):
        return ".osm.pbf" in suffixes
    return any(lower.endswith(s) for s in suffixes)


def find_layer_file(folder: Path, layer: str) -> Path | None:
    """The first file that holds ``layer`` in a scenario folder (see :func:`find_layer_files`)."""
    found = find_layer_files(folder, layer)
    return found[0] if found else None


def read_text_table(path: Path, *, plog: ProblemLog) -> pd.DataFrame | None:
    """Read a CSV saved as UTF-8 (with or without BOM) or GBK/GB18030 (Excel in China)."""
    raw = path.read_bytes()
    text = None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    elif b"\x00" not in raw:  # NUL bytes: UTF-16 without a BOM, or not text at all
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        plog.error(
            path.name,
            "cannot be read: it is neither UTF-8 nor GBK/GB18030 text.",
            "Open it in Excel or WPS and save as 'CSV UTF-8'.",
            zh=(
                "无法读取：既不是 UTF-8 也不是 GBK/GB18030 文本。",
                "请用 Excel 或 WPS 打开，另存为“CSV UTF-8”。",
            ),
        )
        return None
    header = text.split("\n", 1)[0]
    sep = "\t" if "\t" in header and "," not in header else ","
    try:
        frame = pd.read_csv(
            _io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True, sep=sep
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        plog.error(
            path.name,
            f"is not a readable CSV table ({exc}).",
            "Check that every row has the same number of commas as the header.",
            zh=(f"不是可读的 CSV 表格（{exc}）。", "请检查每一行的逗号个数与表头相同。"),
        )
        return None
    return _as_text_table(frame)


def _as_text_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Header names stripped of spaces, every cell an object (text as read)."""
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype(object)


def read_table_file(path: Path, *, plog: ProblemLog) -> pd.DataFrame | None:
    """A table from CSV/TXT (see :func:`read_text_table`) or an Excel workbook, all text."""
    if path.suffix.lower() == ".xls":
        plog.error(
            path.name,
            "is an old Excel 97-2003 workbook (.xls), which patrol does not read.",
            "Open it in Excel or WPS and save it as .xlsx, or as CSV UTF-8.",
            zh=(
                "是旧版 Excel 97-2003 工作簿（.xls），patrol 不读取这种格式。",
                "请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV UTF-8。",
            ),
        )
        return None
    if path.suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(path, dtype=str)
        except Exception as exc:  # openpyxl raises many kinds
            plog.error(
                path.name,
                f"cannot be read as a spreadsheet ({exc}).",
                "Save it again from Excel as .xlsx, or as CSV UTF-8.",
                zh=(
                    f"无法作为电子表格读取（{exc}）。",
                    "请在 Excel 中重新保存为 .xlsx，或另存为 CSV UTF-8。",
                ),
            )
            return None
        return _as_text_table(frame)
    return read_text_table(path, plog=plog)


def points_from_table(
    frame: pd.DataFrame, *, file: str, plog: ProblemLog, crs: str
) -> gpd.GeoDataFrame | None:
    """Points from a table's lon/lat columns (``lon``/``lat``, ``经度``/``纬度``…); rows
    whose coordinates are not numbers are reported and left out."""
    cols = {c.lower(): c for c in frame.columns}
    lon_col = next((cols[c] for c in _LON_NAMES if c in cols), None)
    lat_col = next((cols[c] for c in _LAT_NAMES if c in cols), None)
    if lon_col is None or lat_col is None:
        plog.error(
            file,
            "has no coordinate columns.",
            "Add columns 'lon' and 'lat' (degrees), or give a GeoJSON/GeoPackage.",
            zh=("没有坐标列。", "请添加“lon”和“lat”列（单位：度），或改用 GeoJSON/GeoPackage。"),
        )
        return None
    lon = pd.to_numeric(frame[lon_col], errors="coerce")
    lat = pd.to_numeric(frame[lat_col], errors="coerce")
    bad = lon.isna() | lat.isna()
    for i in list(np.flatnonzero(bad.to_numpy()))[:MAX_ROWS_PER_KIND]:
        lon_text, lat_text = frame[lon_col].iloc[i], frame[lat_col].iloc[i]
        plog.error(
            file,
            f"coordinates '{lon_text}', '{lat_text}' are not numbers.",
            "Give lon and lat as decimal degrees.",
            feature=f"row {frame.index[int(i)]}",
            zh=(f"坐标“{lon_text}”“{lat_text}”不是数字。", "请用十进制度数填写经度和纬度。"),
        )
    frame = frame.loc[~bad].drop(columns=[lon_col, lat_col])
    # keep the index: it holds the row numbers the user sees (see read_layer)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon[~bad], lat[~bad]), crs=crs)


def read_layer(
    source: Path,
    layer: str,
    *,
    plog: ProblemLog,
    input_crs: str,
    clip_to: BBox | None = None,
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    """Read one layer from a folder or a GeoPackage; returns (frame, file label).

    The frame's index is the row number problems name: the spreadsheet row of a table
    (the header is row 1, so data starts at 2), the feature number of a vector layer.
    Files are checked first (:mod:`patrol.scenario.guard`); an OSM extract is clipped to
    ``clip_to`` (lon/lat, see :func:`patrol.scenario.osm.clip_box`).
    """
    frame, label = _read_layer_file(source, layer, plog, input_crs, clip_to)
    if frame is not None and not label.lower().endswith(TABLE_SUFFIXES):
        frame.index = pd.RangeIndex(1, len(frame) + 1)  # tables are numbered when read
    return frame, label


def _read_geopackage_layer(
    source: Path, layer: str, plog: ProblemLog
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    """One layer of a GeoPackage holding the whole scenario."""
    import pyogrio

    label = f"{source.name}:{layer}"
    if not check_input_file(source, folder=None, plog=plog):
        return None, label
    try:
        names = {row[0] for row in pyogrio.list_layers(source)}
        if layer not in names:
            return None, label
        if not check_driver(source, pyogrio.read_info(source, layer=layer)["driver"], plog=plog):
            return None, label
        frame = gpd.read_file(source, layer=layer)
    except Exception as exc:  # pyogrio/GDAL errors
        reason = gdal_reason(exc, source)
        plog.error(
            label,
            f"cannot be read ({reason}).",
            "Save it again.",
            zh=(f"无法读取（{reason}）。", "请重新保存该文件。"),
        )
        return None, label
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any():
        return frame, label
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")), label


def _read_layer_file(
    source: Path, layer: str, plog: ProblemLog, input_crs: str, clip_to: BBox | None
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    if source.is_file():  # one GeoPackage holding every layer
        if any(p.file.startswith(source.name) for p in plog.errors):
            return None, f"{source.name}:{layer}"  # already refused: say it once
        return _read_geopackage_layer(source, layer, plog)
    paths = find_layer_files(source, layer)
    if not paths:
        return None, layer
    path, label = paths[0], paths[0].name
    if len(paths) > 1:
        plog.error(
            label,
            f"the '{layer}' layer is given by {len(paths)} files: "
            f"{', '.join(p.name for p in paths)}.",
            "Keep one file per layer and move or rename the others.",
            zh=(
                f"“{layer}”图层有 {len(paths)} 个文件：{'、'.join(p.name for p in paths)}。",
                "每个图层只保留一个文件，把其余文件移走或改名。",
            ),
        )
        return None, label
    if not check_input_file(path, folder=source, plog=plog):
        return None, label
    lower = label.lower()
    if any(lower.endswith(s) for s in OSM_SUFFIXES):
        return read_osm_roads(path, plog=plog, bbox=clip_to), label
    if any(lower.endswith(s) for s in TABLE_SUFFIXES):
        return _read_table_layer(path, layer, plog, input_crs), label
    return _read_vector_file(path, plog), label


def _read_table_layer(
    path: Path, layer: str, plog: ProblemLog, input_crs: str
) -> gpd.GeoDataFrame | pd.DataFrame | None:
    frame = read_table_file(path, plog=plog)
    if frame is None:
        return None
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet rows (see read_layer)
    if layer in POINT_TABLE_LAYERS:
        crs = WGS84 if input_crs == "GCJ-02" else input_crs
        return points_from_table(frame, file=path.name, plog=plog, crs=crs)
    return frame


def _read_vector_file(path: Path, plog: ProblemLog) -> gpd.GeoDataFrame | None:
    """A vector file with a driver its suffix allows, in its declared CRS."""
    import pyogrio

    label, lower = path.name, path.name.lower()
    try:
        if not check_driver(path, pyogrio.read_info(path)["driver"], plog=plog):
            return None
        with warnings.catch_warnings():  # NaN coordinates: reported by check_geometry
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio/GDAL errors
        reason = gdal_reason(exc, path)
        plog.error(
            label,
            f"cannot be read ({reason}).",
            "Check that the file is complete and in a format GDAL reads.",
            zh=(f"无法读取（{reason}）。", "请检查文件是否完整、是否为 GDAL 能读取的格式。"),
        )
        return None
    if frame.crs is None:
        if lower.endswith((".geojson", ".json")):
            return frame.set_crs(WGS84)  # RFC 7946: GeoJSON is WGS 84
        plog.error(
            label,
            "has no coordinate reference system.",
            "Give the .prj file beside the .shp, or save the layer as GeoJSON or "
            "GeoPackage with its CRS (EPSG:4326 or EPSG:4490).",
            zh=(
                "没有坐标参考系。",
                "请把 .prj 文件放在 .shp 旁边，或带坐标系（EPSG:4326 或 EPSG:4490）"
                "另存为 GeoJSON 或 GeoPackage。",
            ),
        )
        return None
    return frame
