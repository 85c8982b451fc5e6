"""Finding a scenario's layer files and reading their formats.

A layer is one file in the scenario folder named after it (``grids.geojson``,
``roster.csv``…) or one layer of a GeoPackage. Vector formats are read with GDAL
(pyogrio), tables as UTF-8 or GBK/GB18030 CSV (what Excel saves in China) or Excel
workbooks, streets also from a local OSM XML file. Reading never changes the user's files;
what cannot be read is reported to the :class:`~patrol.errors.ProblemLog`.
"""

from __future__ import annotations

import io as _io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from patrol.errors import ProblemLog
from patrol.projection import WGS84
from patrol.scenario.checks import MAX_ROWS_PER_KIND

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml", ".kml", ".sqlite")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf")
POINT_TABLE_LAYERS = ("incidents", "cameras", "posts", "buildings")  # tables with lon, lat
_LON_NAMES = ("lon", "lng", "longitude", "long", "x", "经度")
_LAT_NAMES = ("lat", "latitude", "y", "纬度")


def find_layer_file(folder: Path, layer: str) -> Path | None:
    """The file that holds ``layer`` in a scenario folder (``grids.geojson``, ``roster.csv``…)."""
    candidates = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and (p.stem == layer or p.name.startswith(layer + "."))
    )
    for suffixes in (VECTOR_SUFFIXES, OSM_SUFFIXES, TABLE_SUFFIXES):
        for p in candidates:
            if any(p.name.lower().endswith(s) for s in suffixes):
                return p
    return None


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
        )
        return None
    return _as_text_table(frame)


def _as_text_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Header names stripped of spaces, every cell an object (text as read)."""
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype(object)


def read_table_file(path: Path, *, plog: ProblemLog) -> pd.DataFrame | None:
    """A table from CSV/TXT (see :func:`read_text_table`) or an Excel workbook, all text."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        try:
            frame = pd.read_excel(path, dtype=str)
        except Exception as exc:  # openpyxl raises many kinds
            plog.error(
                path.name,
                f"cannot be read as a spreadsheet ({exc}).",
                "Save it again from Excel as .xlsx, or as CSV UTF-8.",
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
        )
        return None
    lon = pd.to_numeric(frame[lon_col], errors="coerce")
    lat = pd.to_numeric(frame[lat_col], errors="coerce")
    bad = lon.isna() | lat.isna()
    for i in list(np.flatnonzero(bad.to_numpy()))[:MAX_ROWS_PER_KIND]:
        plog.error(
            file,
            f"coordinates '{frame[lon_col].iloc[i]}', '{frame[lat_col].iloc[i]}' are not numbers.",
            "Give lon and lat as decimal degrees.",
            feature=f"row {frame.index[int(i)]}",
        )
    frame = frame.loc[~bad].drop(columns=[lon_col, lat_col])
    # keep the index: it holds the row numbers the user sees (see read_layer)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon[~bad], lat[~bad]), crs=crs)


def read_osm_roads(path: Path, *, plog: ProblemLog) -> gpd.GeoDataFrame | None:
    """Streets from a local OSM XML file (osmnx; never downloads)."""
    if path.name.lower().endswith(".pbf"):
        plog.error(
            path.name,
            "is an OSM PBF file, which patrol cannot read without pyrosm.",
            "Convert it to .osm XML (osmium cat in.osm.pbf -o roads.osm) or export "
            "the streets to roads.geojson.",
        )
        return None
    try:
        import osmnx as ox

        graph = ox.graph_from_xml(path, simplify=False, retain_all=True, bidirectional=True)
        edges = ox.graph_to_gdfs(graph, nodes=False).reset_index(drop=True)
    except Exception as exc:  # osmnx raises many kinds on bad XML
        plog.error(
            path.name,
            f"could not be read as OSM XML ({exc}).",
            "Export the area again from OpenStreetMap, or give roads.geojson.",
        )
        return None
    keep = [c for c in ("highway", "name") if c in edges.columns]
    out = edges[[*keep, "geometry"]].copy()
    for c in keep:
        out[c] = out[c].map(lambda v: v[0] if isinstance(v, list) else v)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=WGS84)


def read_layer(
    source: Path, layer: str, *, plog: ProblemLog, input_crs: str
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    """Read one layer from a folder or a GeoPackage; returns (frame, file label).

    The frame's index is the row number problems name: the spreadsheet row of a table
    (the header is row 1, so data starts at 2), the feature number of a vector layer.
    """
    frame, label = _read_layer_file(source, layer, plog, input_crs)
    if frame is not None and not label.lower().endswith(TABLE_SUFFIXES):
        frame.index = pd.RangeIndex(1, len(frame) + 1)  # tables are numbered when read
    return frame, label


def _read_layer_file(
    source: Path, layer: str, plog: ProblemLog, input_crs: str
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    if source.is_file():  # one GeoPackage holding every layer
        import pyogrio

        names = {row[0] for row in pyogrio.list_layers(source)}
        label = f"{source.name}:{layer}"
        if layer not in names:
            return None, label
        frame = gpd.read_file(source, layer=layer)
        if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any():
            return frame, label
        return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")), label
    path = find_layer_file(source, layer)
    if path is None:
        return None, layer
    label = path.name
    lower = path.name.lower()
    if any(lower.endswith(s) for s in OSM_SUFFIXES):
        return read_osm_roads(path, plog=plog), label
    if any(lower.endswith(s) for s in TABLE_SUFFIXES):
        frame = read_table_file(path, plog=plog)
        if frame is None:
            return None, label
        frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet rows (see read_layer)
        if layer in POINT_TABLE_LAYERS:
            crs = WGS84 if input_crs == "GCJ-02" else input_crs
            return points_from_table(frame, file=label, plog=plog, crs=crs), label
        return frame, label
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio/GDAL errors
        plog.error(
            label,
            f"cannot be read ({exc}).",
            "Check that the file is complete and in a format GDAL reads.",
        )
        return None, label
    if frame.crs is None:
        if lower.endswith((".geojson", ".json")):
            frame = frame.set_crs(WGS84)  # RFC 7946: GeoJSON is WGS 84
        else:
            plog.error(
                label,
                "has no coordinate reference system.",
                "Give the .prj file beside the .shp, or save the layer as GeoJSON or "
                "GeoPackage with its CRS (EPSG:4326 or EPSG:4490).",
            )
            return None, label
    return frame, label
