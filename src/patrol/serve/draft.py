"""The chief's working copy of a scenario folder: edits, checks, and saving with a backup.

Every change on the Scenario page goes to a private copy of the folder's files (the
*draft*), is checked at once by reading the draft as ``patrol plan`` would
(:func:`patrol.scenario.read.read_scenario`), and reaches the scenario's own files only
when the chief saves; the files replaced are first copied into ``backup/<time>/`` inside
the scenario folder. Coordinates stay in the files' own lon/lat (WGS 84, CGCS2000 or
GCJ-02, whatever the folder uses): the page draws them as they are, so a click lands in
the same system as the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from patrol.atomic import atomic_path, write_csv, write_text
from patrol.errors import InputError, PatrolError, Problem, ProblemLog
from patrol.scenario.files import find_layer_file, read_table_file
from patrol.scenario.validate import RISK_ALIASES
from patrol.vocab import RISK_LEVELS

__all__ = [
    "POINT_IDS",
    "Check",
    "Draft",
    "check_draft",
    "grid_shapes",
    "open_draft",
    "place_point",
    "read_points",
    "read_roster",
    "replace_roster",
    "save_draft",
    "set_grid_risk",
    "update_roster",
]

#: editable point layers -> their id column and the prefix of new ids
POINT_IDS: dict[str, tuple[str, str]] = {
    "cameras": ("camera_id", "C"),
    "incidents": ("incident_id", "I"),
}
BACKUP_DIR = "backup"
_GEOJSON = (".geojson", ".json")


@dataclass
class Draft:
    """A scenario folder's working copy: ``folder`` holds the edited files, ``changed``
    the names of files that differ from the scenario's own, ``removed`` files to drop."""

    source: Path
    folder: Path
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Check:
    """What reading the draft found: errors stop a save, warnings do not."""

    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    scenario: Any = None  # the Scenario read, when there were no errors

    @property
    def ok(self) -> bool:
        return not self.errors


def open_draft(source: str | Path, *, work_dir: str | Path | None = None) -> Draft:
    """Copy the scenario folder's files (not its subfolders) into a private draft."""
    src = Path(source).resolve()
    if not src.is_dir():
        raise InputError(
            f"{src.name} is not a scenario folder.",
            file=src.name,
            zh=f"{src.name} 不是场景文件夹。",
            fix="Give the folder that holds grids, posts and roster.",
            fix_zh="请给出含有网格、警务室和人员名单文件的文件夹。",
        )
    folder = Path(tempfile.mkdtemp(prefix="patrol-draft-", dir=work_dir))
    for path in sorted(src.iterdir()):
        if path.is_file() and not path.is_symlink():
            shutil.copy2(path, folder / path.name)
    return Draft(source=src, folder=folder)


def check_draft(draft: Draft) -> Check:
    """Read the draft as planning would and collect its errors and warnings."""
    from patrol.scenario.read import read_scenario

    try:
        scenario = read_scenario(draft.folder)
    except InputError as exc:
        errors = tuple(p for p in exc.problems if p.severity == "error") or tuple(exc.problems)
        warnings = tuple(p for p in exc.problems if p.severity != "error")
        return Check(errors=errors, warnings=warnings)
    except PatrolError as exc:
        return Check(errors=(Problem("input", str(exc)),))
    return Check(warnings=tuple(scenario.warnings), scenario=scenario)


def _layer_path(draft: Draft, layer: str) -> Path:
    path = find_layer_file(draft.folder, layer)
    if path is None:
        raise InputError(
            f"the scenario has no {layer} file.",
            file=layer,
            zh=f"场景中没有 {layer} 文件。",
        )
    return path


def _read_vector(path: Path) -> Any:
    import geopandas as gpd

    layer = path.stem if path.suffix.lower() == ".gpkg" else None
    return gpd.read_file(path, layer=layer, engine="pyogrio")


def _write_vector(gdf: Any, path: Path) -> None:
    layer = path.stem if path.suffix.lower() == ".gpkg" else None
    with atomic_path(path) as tmp:
        gdf.to_file(tmp, layer=layer, engine="pyogrio")


def _write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _risk_code(value: Any) -> str:
    text = str(value or "").strip()
    text = RISK_ALIASES.get(text, text.lower())
    return text if text in RISK_LEVELS else "green"


def grid_shapes(draft: Draft) -> list[dict[str, Any]]:
    """Each grid of the draft as ``grid_id``, ``name``, ``risk`` (a code) and its rings in
    ``[lat, lon]`` order, the way Leaflet draws them (read again only when the file
    changed)."""
    path = _layer_path(draft, "grids")
    stat = path.stat()
    return _grid_shapes(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _grid_shapes(path: Path, _mtime_ns: int, _size: int) -> list[dict[str, Any]]:
    import shapely

    gdf = _read_vector(path)
    if gdf.crs is not None and not gdf.crs.is_geographic:
        gdf = gdf.to_crs(4326)
    shapes = []
    for row in gdf.itertuples(index=False):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        polygons = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        rings = [
            [[round(y, 7), round(x, 7)] for x, y in shapely.get_coordinates(p.exterior)]
            for p in polygons
            if p.geom_type == "Polygon"
        ]
        shapes.append(
            {
                "grid_id": str(row.grid_id),
                "name": str(getattr(row, "name", "") or row.grid_id),
                "risk": _risk_code(getattr(row, "risk", "")),
                "rings": rings,
                "geometry": geom,
            }
        )
    return shapes


def set_grid_risk(draft: Draft, grid_id: str, risk: str) -> None:
    """Give grid ``grid_id`` the risk colour ``risk`` (green/yellow/orange/red)."""
    if risk not in RISK_LEVELS:
        raise ValueError(f"risk must be one of {RISK_LEVELS}, got {risk!r}.")
    path = _layer_path(draft, "grids")
    if path.suffix.lower() in _GEOJSON:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        hits = [f for f in data["features"] if str(f["properties"].get("grid_id")) == grid_id]
        for feature in hits:
            feature["properties"]["risk"] = risk
        if hits:
            _write_json(path, data)
    else:
        gdf = _read_vector(path)
        hits = gdf.index[gdf["grid_id"].astype(str) == grid_id]
        gdf.loc[hits, "risk"] = risk
        if len(hits):
            _write_vector(gdf, path)
    if not len(hits):
        raise KeyError(grid_id)
    draft.changed.add(path.name)


def read_points(draft: Draft, layer: str) -> pd.DataFrame:
    """The draft's ``layer`` points as ``id``, ``lon``, ``lat`` (empty when it has none)."""
    id_col, _ = POINT_IDS[layer]
    path = find_layer_file(draft.folder, layer)
    empty = pd.DataFrame({"id": [], "lon": [], "lat": []})
    if path is None:
        return empty
    if path.suffix.lower() in (".csv", ".txt", ".xlsx"):
        frame = read_table_file(path, plog=ProblemLog())
        if frame is None or not {"lon", "lat"} <= set(frame.columns):
            return empty
        out = pd.DataFrame(
            {
                "id": frame.get(id_col, pd.Series(range(len(frame)))).astype(str),
                "lon": pd.to_numeric(frame["lon"], errors="coerce"),
                "lat": pd.to_numeric(frame["lat"], errors="coerce"),
            }
        )
        return out.dropna().reset_index(drop=True)
    gdf = _read_vector(path)
    if gdf.crs is not None and not gdf.crs.is_geographic:
        gdf = gdf.to_crs(4326)
    points = gdf[gdf.geometry.geom_type == "Point"]
    ids = points[id_col] if id_col in points else pd.Series(range(len(points)))
    return pd.DataFrame(
        {"id": ids.astype(str).to_numpy(), "lon": points.geometry.x, "lat": points.geometry.y}
    ).reset_index(drop=True)


def _next_id(ids: pd.Series, prefix: str) -> str:
    taken = set(ids.astype(str))
    n = len(taken) + 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def place_point(
    draft: Draft,
    layer: str,
    lon: float,
    lat: float,
    *,
    point_id: str | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    """Move point ``point_id`` of ``layer`` (cameras, incidents) to ``lon``/``lat``, or add
    a new one there (with ``values`` for its other fields); returns its id."""
    id_col, prefix = POINT_IDS[layer]
    path = find_layer_file(draft.folder, layer) or draft.folder / f"{layer}.csv"
    if path.suffix.lower() in (".csv", ".txt"):
        frame = read_table_file(path, plog=ProblemLog()) if path.exists() else None
        if frame is None:
            frame = pd.DataFrame(columns=[id_col, "lon", "lat"])
        point_id = _set_table_point(frame, id_col, prefix, lon, lat, point_id, values, path)
    elif path.suffix.lower() in _GEOJSON:
        point_id = _set_geojson_point(path, id_col, prefix, lon, lat, point_id, values)
    else:
        raise InputError(
            f"{path.name}: points can be placed on the page only in CSV or GeoJSON files.",
            file=path.name,
            zh=f"{path.name}：只能在 CSV 或 GeoJSON 文件中用网页放置点位。",
        )
    draft.changed.add(path.name)
    return point_id


def _set_table_point(
    frame: pd.DataFrame,
    id_col: str,
    prefix: str,
    lon: float,
    lat: float,
    point_id: str | None,
    values: dict[str, Any] | None,
    path: Path,
) -> str:
    for col in (id_col, "lon", "lat", *(values or {})):
        if col not in frame.columns:
            frame[col] = ""
    ids = frame[id_col].astype(str)
    if point_id is None or point_id not in set(ids):
        point_id = point_id or _next_id(ids, prefix)
        row = {col: "" for col in frame.columns} | dict(values or {}) | {id_col: point_id}
        frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    where = frame[id_col].astype(str) == point_id
    frame.loc[where, "lon"] = f"{lon:.6f}"
    frame.loc[where, "lat"] = f"{lat:.6f}"
    write_csv(path, frame)
    return point_id


def _set_geojson_point(
    path: Path,
    id_col: str,
    prefix: str,
    lon: float,
    lat: float,
    point_id: str | None,
    values: dict[str, Any] | None,
) -> str:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    features = data.setdefault("features", [])
    ids = pd.Series([str(f["properties"].get(id_col)) for f in features], dtype=object)
    hit = [f for f in features if point_id and str(f["properties"].get(id_col)) == point_id]
    if not hit:
        point_id = point_id or _next_id(ids, prefix)
        hit = [{"type": "Feature", "properties": dict(values or {}) | {id_col: point_id}}]
        features.append(hit[0])
    hit[0]["geometry"] = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
    _write_json(path, data)
    assert point_id is not None
    return point_id


def read_roster(draft: Draft) -> pd.DataFrame:
    """The draft's roster table as text cells (empty when it cannot be read)."""
    path = find_layer_file(draft.folder, "roster")
    frame = read_table_file(path, plog=ProblemLog()) if path is not None else None
    return frame if frame is not None else pd.DataFrame()


def update_roster(draft: Draft, records: list[dict[str, Any]]) -> None:
    """Write the roster table as edited on the page (same columns, same file)."""
    path = find_layer_file(draft.folder, "roster") or draft.folder / "roster.csv"
    frame = pd.DataFrame.from_records(records).fillna("").astype(str)
    if path.suffix.lower() == ".xlsx":
        with atomic_path(path) as tmp:
            frame.to_excel(tmp, index=False)
    else:
        path = path.with_suffix(".csv")
        write_csv(path, frame)
    draft.changed.add(path.name)


def replace_roster(draft: Draft, content: bytes, filename: str) -> None:
    """Put an uploaded roster (CSV or .xlsx, by its name) in place of the draft's."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    for old in draft.folder.glob("roster.*"):
        old.unlink()
        draft.changed.discard(old.name)
        if (draft.source / old.name).exists() and old.suffix != suffix:
            draft.removed.add(old.name)
    target = draft.folder / f"roster{suffix}"
    with atomic_path(target) as tmp:
        tmp.write_bytes(content)
    draft.removed.discard(target.name)
    draft.changed.add(target.name)


def save_draft(draft: Draft, *, now: dt.datetime | None = None) -> Path | None:
    """Copy the changed files into the scenario folder after backing up the ones they
    replace into ``backup/<YYYYmmdd-HHMMSS>/``; refuses while the draft has errors.

    Returns the backup folder (``None`` when nothing had changed)."""
    if not draft.changed and not draft.removed:
        return None
    check = check_draft(draft)
    if not check.ok:
        raise InputError(list(check.errors))
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = draft.source / BACKUP_DIR / stamp
    backup.mkdir(parents=True, exist_ok=True)
    for name in sorted(draft.changed | draft.removed):
        if (draft.source / name).exists():
            shutil.copy2(draft.source / name, backup / name)
    for name in sorted(draft.changed):
        with atomic_path(draft.source / name) as tmp:
            shutil.copyfile(draft.folder / name, tmp)
    for name in sorted(draft.removed):
        (draft.source / name).unlink(missing_ok=True)
    draft.changed.clear()
    draft.removed.clear()
    return backup
