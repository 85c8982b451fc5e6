"""Read a scenario folder (or GeoPackage) and validate every layer.

:func:`read_scenario` is the only way data enters patrol. It never writes to the user's
files. It collects every problem it finds – which file, which row or feature, what is
wrong and how to fix it – and raises them together as one :class:`InputError`; repairs
(an invalid polygon fixed with ``make_valid``) are warnings, errors under ``strict=True``.
"""

from __future__ import annotations

import io as _io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from patrol.errors import InputError, ProblemLog
from patrol.projection import WGS84, transform_geoseries_gcj02, utm_crs_for, working_crs_for
from patrol.scenario.model import Person, Scenario
from patrol.settings import Settings, parse_availability, read_settings
from patrol.vocab import POLICE_ROLES, RISK_LEVELS, ROLES

log = logging.getLogger("patrol")

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml", ".kml", ".sqlite")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf")
LAYERS = (
    "grids",
    "buildings",
    "roads",
    "posts",
    "incidents",
    "cameras",
    "focus_households",
    "roster",
)
REQUIRED_LAYERS = ("grids", "posts", "roster")
MAX_ROWS_PER_KIND = 5

_RISK_ALIASES = {
    "绿": "green",
    "绿色": "green",
    "黄": "yellow",
    "黄色": "yellow",
    "橙": "orange",
    "橙色": "orange",
    "红": "red",
    "红色": "red",
}
_ROLE_ALIASES = {
    "民警": "officer",
    "辅警": "auxiliary",
    "网格员": "grid_worker",
    "志愿者": "volunteer",
    "干部": "cadre",
    "村居干部": "cadre",
    "五老": "elder",
}
_LON_NAMES = ("lon", "lng", "longitude", "long", "x", "经度")
_LAT_NAMES = ("lat", "latitude", "y", "纬度")
_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")
_POINTS = ("Point",)


# --- finding and reading files ----------------------------------------------------------


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


def read_text_table(path: Path, plog: ProblemLog) -> pd.DataFrame | None:
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
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.astype(object)


def _read_table_file(path: Path, plog: ProblemLog) -> pd.DataFrame | None:
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
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame.astype(object)
    return read_text_table(path, plog)


def _points_from_table(
    frame: pd.DataFrame, name: str, plog: ProblemLog, crs: str
) -> gpd.GeoDataFrame | None:
    cols = {c.lower(): c for c in frame.columns}
    lon_col = next((cols[c] for c in _LON_NAMES if c in cols), None)
    lat_col = next((cols[c] for c in _LAT_NAMES if c in cols), None)
    if lon_col is None or lat_col is None:
        plog.error(
            name,
            "has no coordinate columns.",
            "Add columns 'lon' and 'lat' (degrees), or give a GeoJSON/GeoPackage.",
        )
        return None
    lon = pd.to_numeric(frame[lon_col], errors="coerce")
    lat = pd.to_numeric(frame[lat_col], errors="coerce")
    bad = lon.isna() | lat.isna()
    for i in list(np.flatnonzero(bad.to_numpy()))[:MAX_ROWS_PER_KIND]:
        plog.error(
            name,
            f"coordinates '{frame[lon_col].iloc[i]}', '{frame[lat_col].iloc[i]}' are not numbers.",
            "Give lon and lat as decimal degrees.",
            feature=f"row {frame.index[int(i)]}",
        )
    frame = frame.loc[~bad].drop(columns=[lon_col, lat_col])
    # keep the index: it holds the row numbers the user sees (see _read_layer)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon[~bad], lat[~bad]), crs=crs)


def _read_osm_roads(path: Path, plog: ProblemLog) -> gpd.GeoDataFrame | None:
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


def _read_layer(
    source: Path, layer: str, plog: ProblemLog, settings: Settings
) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, str]:
    """Read one layer from a folder or a GeoPackage; returns (frame, file label).

    The frame's index is the row number problems name: the spreadsheet row of a table
    (the header is row 1, so data starts at 2), the feature number of a vector layer.
    """
    frame, label = _read_layer_file(source, layer, plog, settings)
    if frame is not None and not label.lower().endswith(TABLE_SUFFIXES):
        frame.index = pd.RangeIndex(1, len(frame) + 1)  # tables are numbered when read
    return frame, label


def _read_layer_file(
    source: Path, layer: str, plog: ProblemLog, settings: Settings
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
        return _read_osm_roads(path, plog), label
    if any(lower.endswith(s) for s in TABLE_SUFFIXES):
        frame = _read_table_file(path, plog)
        if frame is None:
            return None, label
        frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet rows (see _read_layer)
        if layer in ("incidents", "cameras", "posts", "buildings"):
            crs = WGS84 if settings.input_crs == "GCJ-02" else settings.input_crs
            return _points_from_table(frame, label, plog, crs), label
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


# --- field checks -------------------------------------------------------------------------


def _rows(frame: pd.DataFrame, mask: Iterable[bool], id_col: str | None) -> list[str]:
    mask_a = np.asarray(list(mask), dtype=bool)
    idx = np.flatnonzero(mask_a)
    out = []
    for i in idx[:MAX_ROWS_PER_KIND]:
        if id_col and id_col in frame.columns and not _blank(frame[id_col].iloc[i]):
            out.append(f"{id_col}={frame[id_col].iloc[i]}")
        else:
            out.append(f"row {frame.index[i]}")  # the row number the user sees
    if len(idx) > MAX_ROWS_PER_KIND:
        out[-1] += f" (and {len(idx) - MAX_ROWS_PER_KIND} more)"
    return out


def _require_fields(
    frame: pd.DataFrame, name: str, fields: Iterable[str], plog: ProblemLog
) -> bool:
    ok = True
    for f in fields:
        if f not in frame.columns:
            have = ", ".join(c for c in frame.columns if c != "geometry") or "none"
            plog.error(
                name,
                f"has no '{f}' field (fields present: {have}).",
                f"Add a '{f}' column.",
                field=f,
            )
            ok = False
    return ok


def _clean_ids(frame: pd.DataFrame, name: str, col: str, plog: ProblemLog) -> None:
    frame[col] = _as_text(frame[col])
    for where in _rows(frame, frame[col].isna(), None):
        plog.error(
            name, f"has an empty {col}.", f"Give every row a {col}.", feature=where, field=col
        )
    dup = frame[col].duplicated(keep=False) & frame[col].notna()
    for value in sorted(set(frame.loc[dup, col]))[:MAX_ROWS_PER_KIND]:
        plog.error(
            name,
            f"{col} '{value}' is used {int((frame[col] == value).sum())} times.",
            f"Give each row its own {col}.",
            feature=f"{col}={value}",
            field=col,
        )


def _blank(value: Any) -> bool:
    return (
        value is None
        or (not isinstance(value, str) and bool(pd.isna(value)))
        or (str(value).strip() == "")
    )


def _as_text(values: pd.Series) -> pd.Series:
    """Strings stripped of spaces, blanks as None, in an object column (never NaN)."""
    return pd.Series(
        [None if _blank(v) else str(v).strip() for v in values], index=values.index, dtype=object
    )


def _optional_str(frame: pd.DataFrame, col: str) -> None:
    if col not in frame.columns:
        frame[col] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    frame[col] = _as_text(frame[col])


def _numeric(
    frame: pd.DataFrame,
    name: str,
    col: str,
    plog: ProblemLog,
    *,
    id_col: str | None,
    default: float | None = None,
    integer: bool = False,
    minimum: float = 0.0,
    maximum: float | None = None,
) -> None:
    if col not in frame.columns:
        frame[col] = default
        frame[col] = frame[col].astype(float)
        return
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce")
    given = raw.notna() & (raw.astype(str).str.strip() != "")
    bad = given & (values.isna() | (values < minimum))
    if maximum is not None:
        bad |= given & (values > maximum)
    if integer:
        bad |= given & values.notna() & (values != values.round())
    kind = "a whole number" if integer else "a number"
    limits = f" >= {minimum:g}" + (f" and <= {maximum:g}" if maximum is not None else "")
    for where in _rows(frame, bad, id_col):
        plog.error(
            name,
            f"{col} is not {kind}{limits}.",
            f"Write {col} as {kind}{limits}, or leave it empty.",
            feature=where,
            field=col,
        )
    values = values.where(given & ~bad, default)
    frame[col] = values.astype(float)


# --- geometry checks ----------------------------------------------------------------------


def _check_geometry(
    gdf: gpd.GeoDataFrame, name: str, kinds: tuple[str, ...], plog: ProblemLog, id_col: str | None
) -> gpd.GeoDataFrame:
    """Types, emptiness, validity (repaired with a warning), lon/lat sanity."""
    geom = gdf.geometry
    missing = geom.isna() | geom.is_empty
    for where in _rows(gdf, missing, id_col):
        plog.error(name, "has no geometry.", "Draw the feature or remove the row.", feature=where)
    types = geom.geom_type
    wrong = ~missing & ~types.isin(kinds)
    for where, t in zip(_rows(gdf, wrong, id_col), types[wrong], strict=False):
        plog.error(
            name,
            f"is a {t}, expected {' or '.join(kinds)}.",
            f"Save this layer with {kinds[0]} geometries only.",
            feature=where,
        )
    gdf = gdf.loc[~missing & ~wrong].copy()
    if gdf.empty:
        return gdf
    valid = gdf.geometry.is_valid
    if not valid.all():
        reasons = shapely.is_valid_reason(gdf.geometry.values[~valid.to_numpy()])
        for where, why in zip(_rows(gdf, ~valid, id_col), reasons, strict=False):
            plog.warn(
                name,
                f"has an invalid geometry ({why}); repaired with make_valid.",
                "Fix the polygon in your GIS (e.g. QGIS 'Fix geometries') to be sure "
                "the repair is what you meant.",
                feature=where,
            )
        repaired = shapely.make_valid(gdf.geometry.values[~valid.to_numpy()])
        if set(kinds) & set(_POLYGONS):  # grids and building outlines stay areas
            repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
        gdf.loc[~valid, gdf.geometry.name] = repaired
    if gdf.crs is not None and gdf.crs.is_geographic:
        # features with impossible lon/lat are reported and left out: projecting them
        # would give infinite coordinates
        gdf = gdf.loc[~_check_lonlat(gdf, name, plog, id_col)]
    return gdf


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in _POLYGONS:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in _POLYGONS]
    return shapely.union_all(parts) if parts else geom


def _check_lonlat(
    gdf: gpd.GeoDataFrame, name: str, plog: ProblemLog, id_col: str | None
) -> NDArray[np.bool_]:
    """Report coordinates that cannot be lon/lat; returns the mask of those features."""
    bounds = gdf.geometry.bounds
    projected = (bounds.abs() > 360).any(axis=1)
    for where in _rows(gdf, projected, id_col):
        plog.error(
            name,
            "has coordinates in metres in a layer declared as longitude/latitude (WGS 84).",
            "Save the layer with its real projected CRS, or reproject it to "
            "EPSG:4326 before giving it to patrol.",
            feature=where,
        )
    swapped = ~projected & (
        ((bounds["miny"].abs() > 90) | (bounds["maxy"].abs() > 90)) & (bounds["maxx"].abs() <= 90)
    )
    for where in _rows(gdf, swapped, id_col):
        plog.error(
            name,
            "has latitude and longitude swapped (a latitude beyond ±90°).",
            "Swap the columns: x is longitude (e.g. 117.2), y is latitude (e.g. 39.1).",
            feature=where,
        )
    # inside China, lon is 73–135 and lat 18–54: a point with x in the lat range and y in the
    # lon range is almost certainly swapped
    china_swap = (
        ~projected & ~swapped & (bounds["minx"].between(3, 54)) & (bounds["miny"].between(73, 136))
    )
    for where in _rows(gdf, china_swap, id_col):
        plog.error(
            name,
            "looks like latitude/longitude in the wrong order (x looks like a "
            "Chinese latitude, y like a longitude).",
            "Swap the coordinates: x is longitude, y is latitude.",
            feature=where,
        )
    return np.asarray(projected | swapped | china_swap, dtype=bool)


def _select(gdf: gpd.GeoDataFrame, cols: list[str]) -> gpd.GeoDataFrame:
    """The given columns plus the geometry, named 'geometry', with a fresh index."""
    out = gdf[[*cols, gdf.geometry.name]]
    if gdf.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    return out.reset_index(drop=True)


def _to_wgs84(gdf: gpd.GeoDataFrame, settings: Settings) -> gpd.GeoDataFrame:
    if gdf.crs is not None and not gdf.crs.is_geographic:
        return gdf.to_crs(WGS84)
    gdf = gdf.set_crs(WGS84, allow_override=True)
    if settings.input_crs == "GCJ-02":
        gdf = transform_geoseries_gcj02(gdf, to_gcj=False)
    return gdf


# --- the loader -----------------------------------------------------------------------------


def read_scenario(path: str | Path, *, strict: bool = False) -> Scenario:
    """Read and validate a scenario folder (or GeoPackage) into a :class:`Scenario`.

    Parameters
    ----------
    path : a folder with one file per layer and ``patrol.toml``, or a ``.gpkg`` whose layers
        carry the layer names (its settings in a ``patrol.toml`` beside it).
    strict : treat repairs and warnings as errors.

    Raises
    ------
    InputError
        Listing every problem found, each with file, feature, problem and fix.
    """
    source = Path(path)
    plog = ProblemLog()
    if not source.exists():
        raise InputError(
            f"'{source}' does not exist. Give the folder that holds grids, "
            "roads, posts and roster files (or a .gpkg).",
            file=str(source),
        )
    toml = (source / "patrol.toml") if source.is_dir() else source.with_name("patrol.toml")
    if source.is_dir() and not toml.exists():
        plog.warn(
            "patrol.toml",
            "is missing; using default settings.",
            "Add patrol.toml with week_start and shifts (see the README).",
        )
    settings = read_settings(toml if toml.exists() else None, log=plog)
    raw: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for layer in LAYERS:
        frame, label = _read_layer(source, layer, plog, settings)
        labels[layer] = label
        if frame is None:
            if not any(p.file == label for p in plog.problems):
                if layer in REQUIRED_LAYERS:
                    plog.error(
                        label,
                        f"the '{layer}' layer is missing.",
                        f"Add a file named {layer}.geojson / {layer}.csv (see the "
                        "README's input formats).",
                    )
                elif layer == "roads":
                    plog.warn(
                        label,
                        "no roads layer: travel uses straight lines times a "
                        f"detour factor of {settings.travel.detour_factor}.",
                        "Add roads.geojson or an OSM .osm file for street routes.",
                    )
            continue
        if len(frame) == 0:
            (plog.error if layer in REQUIRED_LAYERS else plog.warn)(
                label, f"the '{layer}' layer is empty.", "Add at least one feature."
            )
            continue
        raw[layer] = frame
    if any(layer not in raw for layer in ("grids",)):
        plog.raise_if_errors(strict=strict)
        raise InputError(plog.problems)
    grids = _validate_grids(raw["grids"], labels["grids"], plog, settings)
    crs = working_crs_for(grids) if len(grids) else _fallback_crs(raw, settings)
    grids = grids.to_crs(crs)
    _check_grid_overlaps(grids, labels["grids"], plog)
    known_grids, known_beats = _declared_ids(raw["grids"], grids)
    buildings = _validate_buildings(
        raw.get("buildings"), labels["buildings"], plog, settings, grids, crs, known_grids
    )
    roads = _validate_roads(raw.get("roads"), labels["roads"], plog, settings, crs)
    posts = _validate_posts(raw.get("posts"), labels["posts"], plog, settings, crs, known_beats)
    incidents = _validate_incidents(raw.get("incidents"), labels["incidents"], plog, settings, crs)
    cameras = _validate_cameras(raw.get("cameras"), labels["cameras"], plog, settings, crs)
    focus = _validate_focus(
        raw.get("focus_households"), labels["focus_households"], plog, buildings
    )
    people = _validate_roster(
        raw.get("roster"), labels["roster"], plog, settings, grids, known_grids, known_beats
    )
    plog.raise_if_errors(strict=strict)
    for p in plog.warnings:
        log.warning("%s", p)
    return Scenario(
        settings=settings,
        crs=crs,
        grids=grids,
        buildings=buildings,
        roads=roads,
        posts=posts,
        incidents=incidents,
        cameras=cameras,
        focus_households=focus,
        people=people,
        source=str(source),
        warnings=plog.warnings,
    )


def _fallback_crs(raw: dict[str, Any], settings: Settings) -> Any:
    """A working CRS when no grid could be read (the scenario fails; the other layers are
    still checked so that every problem is reported at once)."""
    for frame in raw.values():
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None and len(frame):
            geo = _to_wgs84(frame, settings)
            minx, miny, maxx, maxy = geo.total_bounds
            if (
                np.all(np.isfinite(geo.total_bounds))
                and -180 <= minx <= maxx <= 180
                and (-90 <= miny <= maxy <= 90)
            ):
                return utm_crs_for((minx + maxx) / 2, (miny + maxy) / 2)
    return utm_crs_for(117.0, 39.0)


def _declared_ids(frame: Any, grids: gpd.GeoDataFrame) -> tuple[set[str] | None, set[str] | None]:
    """Grid and beat ids the grids layer names, also of grids left out for an error.

    Other layers' references are checked against these, so one broken grid is one problem,
    not one more for every building and person in it. ``None`` when the grids layer has
    no ``grid_id`` at all: references cannot be checked then.
    """
    if not isinstance(frame, pd.DataFrame) or "grid_id" not in frame.columns:
        return None, None
    ids = set(_as_text(frame["grid_id"]).dropna()) | set(grids["grid_id"])
    beats = set(grids["beat_id"].dropna())
    if "beat_id" in frame.columns:
        beats |= set(_as_text(frame["beat_id"]).dropna())
    else:
        beats |= ids
    return ids, beats


def _as_gdf(
    frame: gpd.GeoDataFrame | pd.DataFrame, name: str, plog: ProblemLog
) -> gpd.GeoDataFrame | None:
    if isinstance(frame, gpd.GeoDataFrame):
        return frame
    plog.error(
        name,
        "has no geometry.",
        "Give this layer as GeoJSON/GeoPackage, or a CSV with lon and lat columns.",
    )
    return None


def _validate_grids(
    frame: Any, name: str, plog: ProblemLog, settings: Settings
) -> gpd.GeoDataFrame:
    cols = ["grid_id", "name", "beat_id", "risk", "households", "residents", "patrols_per_week"]
    gdf = _as_gdf(frame, name, plog)
    if gdf is None or not _require_fields(gdf, name, ["grid_id"], plog):
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=WGS84)
    gdf = gdf.copy()
    _clean_ids(gdf, name, "grid_id", plog)
    gdf = _check_geometry(gdf, name, _POLYGONS, plog, "grid_id")
    gdf = _to_wgs84(gdf, settings)
    for col in ("name", "beat_id"):
        _optional_str(gdf, col)
    gdf["name"] = gdf["name"].fillna(gdf["grid_id"])
    if gdf["beat_id"].isna().any():
        if gdf["beat_id"].notna().any():
            for where in _rows(gdf, gdf["beat_id"].isna(), "grid_id"):
                plog.error(
                    name,
                    "has no beat_id while other grids have one.",
                    "Give every grid the beat (警格) it belongs to.",
                    feature=where,
                    field="beat_id",
                )
        else:
            plog.warn(
                name,
                "has no beat_id: each grid is treated as its own beat.",
                "Add a beat_id column to group grids into police beats.",
            )
        gdf["beat_id"] = gdf["beat_id"].fillna(gdf["grid_id"])
    _optional_str(gdf, "risk")
    risk = gdf["risk"].map(lambda v: _RISK_ALIASES.get(v, v.lower()) if v else "green")
    bad = ~risk.isin(RISK_LEVELS)
    for where in _rows(gdf, bad, "grid_id"):
        plog.error(
            name,
            "has an unknown risk colour.",
            f"Use one of {', '.join(RISK_LEVELS)} (or 绿/黄/橙/红).",
            feature=where,
            field="risk",
        )
    gdf["risk"] = risk.where(~bad, "green")
    for col in ("households", "residents"):
        _numeric(gdf, name, col, plog, id_col="grid_id", default=np.nan, integer=True)
    _numeric(
        gdf,
        name,
        "patrols_per_week",
        plog,
        id_col="grid_id",
        default=np.nan,
        integer=True,
        maximum=21 * 7,
    )
    return _select(gdf, cols)


def _check_grid_overlaps(grids: gpd.GeoDataFrame, name: str, plog: ProblemLog) -> None:
    """Grids may touch along streets; overlapping by more than 0.5% of a grid is an error."""
    if len(grids) < 2:
        return
    geoms = grids.geometry.values
    left, right = grids.sindex.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if len(left) == 0:
        return
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    over = areas > np.maximum(1.0, 0.005 * smaller)
    ids = grids["grid_id"].to_numpy()
    for a, b, area in list(zip(left[over], right[over], areas[over], strict=True))[:10]:
        plog.error(
            name,
            f"grids {ids[a]} and {ids[b]} overlap by {area:,.0f} m².",
            "Redraw the shared boundary so each place is in one grid (snap the "
            "vertices in your GIS).",
            feature=f"grid_id={ids[b]}",
        )


def _validate_buildings(
    frame: Any,
    name: str,
    plog: ProblemLog,
    settings: Settings,
    grids: gpd.GeoDataFrame,
    crs: Any,
    known_grids: set[str] | None = None,
) -> gpd.GeoDataFrame:
    cols = ["building_id", "grid_id", "households", "residents", "address", "floors"]
    empty = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=crs)
    if frame is None:
        return empty
    gdf = _as_gdf(frame, name, plog)
    if gdf is None or not _require_fields(gdf, name, ["building_id"], plog):
        return empty
    gdf = gdf.copy()
    _clean_ids(gdf, name, "building_id", plog)
    gdf = _check_geometry(gdf, name, (*_POINTS, *_POLYGONS), plog, "building_id")
    gdf = _to_wgs84(gdf, settings).to_crs(crs)
    for col in ("grid_id", "address"):
        _optional_str(gdf, col)
    for col in ("households", "residents", "floors"):
        _numeric(gdf, name, col, plog, id_col="building_id", default=0.0, integer=True)
    # known_grids None: the grids layer has no grid_id, so references cannot be checked
    unknown = (
        gdf["grid_id"].notna()
        & ~gdf["grid_id"].isin(known_grids or set())
        & (known_grids is not None)
    )
    for where, g in zip(
        _rows(gdf, unknown, "building_id"), gdf.loc[unknown, "grid_id"], strict=False
    ):
        plog.error(
            name,
            f"refers to grid '{g}', which is not in the grids layer.",
            "Correct the grid_id, or leave it empty to assign the grid by location.",
            feature=where,
            field="grid_id",
        )
    # buildings without a grid_id get the grid their representative point lies in
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=crs)
    if len(grids):
        joined = gpd.sjoin(points, grids[["grid_id", "geometry"]], how="left", predicate="within")
        located = joined[~joined.index.duplicated(keep="first")]["grid_id"]
        located = located.reindex(gdf.index)
    else:
        located = pd.Series([None] * len(gdf), index=gdf.index)
    given = gdf["grid_id"].notna()
    gdf["grid_id"] = gdf["grid_id"].where(given, located)
    for where in _rows(gdf, located.isna() & ~given, "building_id"):
        plog.warn(
            name,
            "lies outside every grid; it is left out of visits and coverage figures.",
            "Extend a grid to include it, or remove the building.",
            feature=where,
        )
    for where, g in zip(
        _rows(gdf, located.isna() & given, "building_id"),
        gdf.loc[located.isna() & given, "grid_id"],
        strict=False,
    ):
        plog.warn(
            name,
            f"lies outside every grid; it is kept in grid {g} as its grid_id says.",
            "Check the building's position, or extend the grid to include it.",
            feature=where,
            field="grid_id",
        )
    gdf = gdf.loc[gdf["grid_id"].notna()]
    gdf["address"] = gdf["address"].fillna(gdf["building_id"])
    return _select(gdf, cols)


def _validate_roads(
    frame: Any, name: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame | None:
    if frame is None:
        return None
    gdf = _as_gdf(frame, name, plog)
    if gdf is None:
        return None
    gdf = _check_geometry(gdf.copy(), name, _LINES, plog, None)
    gdf = _to_wgs84(gdf, settings).to_crs(crs)
    for col in ("highway", "name"):
        _optional_str(gdf, col)
    gdf = gdf.explode(index_parts=False)
    return _select(gdf, ["highway", "name"])


def _validate_posts(
    frame: Any, name: str, plog: ProblemLog, settings: Settings, crs: Any, beats: set[str] | None
) -> gpd.GeoDataFrame:
    cols = ["post_id", "name", "beat_id"]
    empty = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=crs)
    if frame is None:
        return empty
    gdf = _as_gdf(frame, name, plog)
    if gdf is None or not _require_fields(gdf, name, ["post_id"], plog):
        return empty
    gdf = gdf.copy()
    _clean_ids(gdf, name, "post_id", plog)
    gdf = _check_geometry(gdf, name, _POINTS, plog, "post_id")
    gdf = _to_wgs84(gdf, settings).to_crs(crs)
    for col in ("name", "beat_id"):
        _optional_str(gdf, col)
    gdf["name"] = gdf["name"].fillna(gdf["post_id"])
    unknown = gdf["beat_id"].notna() & ~gdf["beat_id"].isin(beats or set()) & (beats is not None)
    for where, b in zip(_rows(gdf, unknown, "post_id"), gdf.loc[unknown, "beat_id"], strict=False):
        plog.error(
            name,
            f"refers to beat '{b}', which no grid belongs to.",
            "Correct the beat_id (or leave it empty for a post serving every beat).",
            feature=where,
            field="beat_id",
        )
    return _select(gdf, cols)


def _validate_incidents(
    frame: Any, name: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame:
    cols = ["incident_id", "time", "category", "severity"]
    empty = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=crs)
    empty["time"] = pd.to_datetime(empty["time"])
    if frame is None:
        return empty
    gdf = _as_gdf(frame, name, plog)
    if gdf is None or not _require_fields(gdf, name, ["time"], plog):
        return empty
    gdf = _check_geometry(gdf.copy(), name, _POINTS, plog, "incident_id")
    gdf = _to_wgs84(gdf, settings).to_crs(crs)
    if "incident_id" not in gdf.columns:
        gdf["incident_id"] = [f"I{i + 1:05d}" for i in range(len(gdf))]
    _clean_ids(gdf, name, "incident_id", plog)
    times = pd.to_datetime(gdf["time"].astype(str), errors="coerce", format="ISO8601")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    for where, t in zip(
        _rows(gdf, times.isna(), "incident_id"), gdf.loc[times.isna(), "time"], strict=False
    ):
        plog.error(
            name,
            f"time '{t}' is not an ISO 8601 date and time.",
            "Write it like 2026-05-03T21:40:00 (or 2026-05-03 21:40).",
            feature=where,
            field="time",
        )
    gdf["time"] = times
    gdf = gdf.loc[times.notna()]
    _optional_str(gdf, "category")
    gdf["category"] = gdf["category"].fillna("other")
    _numeric(gdf, name, "severity", plog, id_col="incident_id", default=1.0, minimum=0)
    return _select(gdf, cols)


def _validate_cameras(
    frame: Any, name: str, plog: ProblemLog, settings: Settings, crs: Any
) -> gpd.GeoDataFrame:
    cols = ["camera_id", "range_m", "direction_deg", "fov_deg"]
    empty = gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=crs)
    if frame is None:
        return empty
    gdf = _as_gdf(frame, name, plog)
    if gdf is None or not _require_fields(gdf, name, ["camera_id"], plog):
        return empty
    gdf = gdf.copy()
    _clean_ids(gdf, name, "camera_id", plog)
    gdf = _check_geometry(gdf, name, _POINTS, plog, "camera_id")
    gdf = _to_wgs84(gdf, settings).to_crs(crs)
    _numeric(
        gdf,
        name,
        "range_m",
        plog,
        id_col="camera_id",
        default=settings.coverage.camera_range_m,
        minimum=0.1,
        maximum=1000,
    )
    _numeric(gdf, name, "direction_deg", plog, id_col="camera_id", default=np.nan, maximum=360)
    _numeric(gdf, name, "fov_deg", plog, id_col="camera_id", default=np.nan, minimum=1, maximum=360)
    return _select(gdf, cols)


def _validate_focus(
    frame: Any, name: str, plog: ProblemLog, buildings: gpd.GeoDataFrame
) -> pd.DataFrame:
    cols = [
        "household_id",
        "building_id",
        "grid_id",
        "visit_every_days",
        "category",
        "last_visit",
        "label",
    ]
    if frame is None:
        return pd.DataFrame({c: [] for c in cols})
    df = pd.DataFrame(frame).drop(columns="geometry", errors="ignore").copy()
    if not _require_fields(df, name, ["household_id", "building_id", "visit_every_days"], plog):
        return pd.DataFrame({c: [] for c in cols})
    _clean_ids(df, name, "household_id", plog)
    _optional_str(df, "building_id")
    grid_of = dict(zip(buildings["building_id"], buildings["grid_id"], strict=True))
    unknown = ~df["building_id"].isin(grid_of.keys())
    for where, b in zip(
        _rows(df, unknown, "household_id"), df.loc[unknown, "building_id"], strict=False
    ):
        plog.error(
            name,
            f"refers to building '{b}', which is not in the buildings layer "
            "(or lies outside every grid).",
            "Correct the building_id, or add the building to buildings.",
            feature=where,
            field="building_id",
        )
    df["grid_id"] = df["building_id"].map(grid_of)
    _numeric(
        df,
        name,
        "visit_every_days",
        plog,
        id_col="household_id",
        default=np.nan,
        integer=True,
        minimum=1,
        maximum=366,
    )
    missing = df["visit_every_days"].isna() & ~unknown
    for where in _rows(df, missing, "household_id"):
        plog.error(
            name,
            "has no visit_every_days.",
            "Give how often the household is visited, in days (e.g. 7).",
            feature=where,
            field="visit_every_days",
        )
    for col in ("category", "label", "last_visit"):
        _optional_str(df, col)
    df["category"] = df["category"].fillna("other")
    dates = pd.to_datetime(df["last_visit"], errors="coerce", format="ISO8601")
    bad = df["last_visit"].notna() & dates.isna()
    for where in _rows(df, bad, "household_id"):
        plog.error(
            name,
            "last_visit is not a date.",
            "Write it as YYYY-MM-DD.",
            feature=where,
            field="last_visit",
        )
    df["last_visit"] = dates.dt.date.where(dates.notna(), None)
    return df[cols].reset_index(drop=True)


def _validate_roster(
    frame: Any,
    name: str,
    plog: ProblemLog,
    settings: Settings,
    grids: gpd.GeoDataFrame,
    known_grids: set[str] | None = None,
    known_beats: set[str] | None = None,
) -> tuple[Person, ...]:
    if frame is None:
        return ()
    df = pd.DataFrame(frame).drop(columns="geometry", errors="ignore").copy()
    if not _require_fields(df, name, ["person_id", "name", "role"], plog):
        return ()
    _clean_ids(df, name, "person_id", plog)
    for col in ("name", "role", "beat_id", "grid_id", "available", "phone"):
        _optional_str(df, col)
    _numeric(
        df,
        name,
        "max_shifts_per_week",
        plog,
        id_col="person_id",
        default=float(settings.teams.max_shifts_per_week),
        integer=True,
        maximum=21,
    )
    beat_of = dict(zip(grids["grid_id"], grids["beat_id"], strict=True))
    beats = set(beat_of.values())
    shift_names = tuple(s.name for s in settings.shifts)
    people: list[Person] = []
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in df.to_dict("records")
    ]
    for number, row in zip(df.index, records, strict=True):
        pid = row["person_id"]
        where = f"person_id={pid}" if pid else f"row {number}"
        role = _ROLE_ALIASES.get(row["role"] or "", (row["role"] or "").lower())
        if role not in ROLES:
            plog.error(
                name,
                f"role '{row['role']}' is unknown.",
                f"Use one of {', '.join(ROLES)}.",
                feature=where,
                field="role",
            )
            continue
        if row["beat_id"] and known_beats is not None and row["beat_id"] not in known_beats:
            plog.error(
                name,
                f"refers to beat '{row['beat_id']}', which no grid belongs to.",
                "Correct the beat_id or leave it empty.",
                feature=where,
                field="beat_id",
            )
        if row["grid_id"] and known_grids is not None and row["grid_id"] not in known_grids:
            plog.error(
                name,
                f"refers to grid '{row['grid_id']}', which is not in the grids layer.",
                "Correct the grid_id (a grid worker's own grid).",
                feature=where,
                field="grid_id",
            )
        if role in POLICE_ROLES and not row["beat_id"]:
            plog.warn(
                name,
                f"{role} has no beat_id; they can join a team on any beat.",
                "Give police their beat (警格) so teams stay on their own ground.",
                feature=where,
                field="beat_id",
            )
        if role == "grid_worker" and not row["grid_id"]:
            plog.warn(
                name,
                "grid worker has no grid_id.",
                "Give each grid worker their own grid.",
                feature=where,
                field="grid_id",
            )
        try:
            available = parse_availability(row["available"], shift_names)
        except ValueError as exc:
            plog.error(
                name,
                f"availability '{row['available']}' cannot be read: {exc}.",
                "Write e.g. 'Mon-Fri day,night; Sat night' using the shift names "
                f"{', '.join(shift_names)} (days Mon..Sun or 周一..周日).",
                feature=where,
                field="available",
            )
            continue
        beat = row["beat_id"] or (
            beat_of.get(row["grid_id"]) if role == "grid_worker" and row["grid_id"] else None
        )
        people.append(
            Person(
                person_id=str(pid),
                name=row["name"] or str(pid),
                role=role,
                beat_id=beat,
                grid_id=row["grid_id"],
                available=available,
                max_shifts_per_week=int(row["max_shifts_per_week"]),
                phone=row["phone"] or "",
            )
        )
    police_beats = {p.beat_id for p in people if p.is_police}
    any_beat_police = any(p.is_police and p.beat_id is None for p in people)
    for beat in sorted(beats):
        if beat not in police_beats and not any_beat_police:
            plog.warn(
                name,
                f"beat {beat} has no officer or auxiliary: no team can patrol it.",
                f"Add an officer or auxiliary with beat_id {beat}.",
                feature=f"beat_id={beat}",
            )
    worker_grids = {p.grid_id for p in people if p.role == "grid_worker"}
    for grid in sorted(beat_of):
        if grid not in worker_grids:
            plog.warn(
                name,
                f"grid {grid} has no grid worker.",
                f"Add a grid_worker with grid_id {grid}.",
                feature=f"grid_id={grid}",
            )
    return tuple(people)

