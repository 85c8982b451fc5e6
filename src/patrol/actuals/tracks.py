"""Reading GPS tracks: GPX, CSV (lon, lat, time, person or device) and GeoJSON.

Every format becomes the same table of *fixes*: ``source`` (the file's name), ``row`` (the
fix's place in the file, 1 = first), ``who`` (the team, person or device named), ``time``
(local Beijing time) and a point in the plan's working CRS. Which team-shift a fix
belongs to, and whether it makes sense, is :mod:`patrol.actuals.screen`'s job.

- **GPX** (through ``gpxpy``): each track's points with times; ``who`` is the track's
  name, else the file's, else the file name.
- **CSV**: columns ``lon``, ``lat``, ``time`` and one of ``team_id``, ``person_id`` or
  ``device`` (Chinese headers too: 经度, 纬度, 时间, 人员, 设备, 小队).
- **GeoJSON** (a FeatureCollection, or one feature per line: ``.geojsonl``, ``.ndjson``):
  Point features with a ``time`` property, or LineStrings with ``times`` (or
  ``coordTimes``) listing one time per vertex; ``person_id``/``team_id``/``device`` name
  the walker.

A file that cannot be read becomes one ``unreadable`` problem; coordinates are WGS 84.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.actuals.files import (
    Unreadable,
    canonical_columns,
    lonlat_to_xy,
    parse_time,
    read_table_file,
)
from patrol.actuals.labels import problem
from patrol.errors import Problem

__all__ = ["FIX_COLUMNS", "TRACK_SUFFIXES", "read_tracks", "track_files"]

FIX_COLUMNS = ("source", "row", "who", "time")
TRACK_SUFFIXES = (".gpx", ".csv", ".geojson", ".json", ".geojsonl", ".jsonl", ".ndjson")

_Fix = tuple[str, float, float, Any]  # who, lon, lat, time


def track_files(paths: list[Path] | list[str]) -> list[Path]:
    """The track files named: files as given, folders by their track files (sorted)."""
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            found += sorted(
                p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in TRACK_SUFFIXES
            )
        else:
            found.append(item)
    return found


def _gpx_fixes(path: Path) -> list[_Fix]:
    import gpxpy

    with path.open(encoding="utf-8") as handle:
        gpx = gpxpy.parse(handle)
    fixes: list[_Fix] = []
    for track in gpx.tracks:
        who = (track.name or gpx.name or path.stem).strip()
        for segment in track.segments:
            fixes += [(who, p.longitude, p.latitude, p.time) for p in segment.points]
    return fixes


def _csv_fixes(path: Path) -> list[_Fix]:
    frame = canonical_columns(read_table_file(path))
    names = [c for c in ("team_id", "person_id", "device") if c in frame.columns]
    missing = [c for c in ("lon", "lat", "time") if c not in frame.columns]
    if missing or not names:
        raise Unreadable(f"columns lon, lat, time and person or device needed; missing {missing}")
    who = frame[names].bfill(axis=1).iloc[:, 0].astype(str).str.strip()
    return list(
        zip(who, frame["lon"].astype(float), frame["lat"].astype(float), frame["time"], strict=True)
    )


def _feature_fixes(feature: dict[str, Any], fallback: str) -> list[_Fix]:
    props = canonical_columns(pd.DataFrame([feature.get("properties") or {}])).iloc[0]
    who = next((str(props[c]) for c in ("team_id", "person_id", "device") if c in props), fallback)
    geometry = feature.get("geometry") or {}
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Point":
        return [(who, coords[0], coords[1], props.get("time"))]
    if kind == "MultiLineString":
        coords = [c for part in coords for c in part]
    elif kind != "LineString":
        return []
    raw = feature.get("properties") or {}
    times = raw.get("times") or raw.get("coordTimes") or []
    if times and isinstance(times[0], list):
        times = [t for part in times for t in part]
    if len(times) != len(coords):
        raise Unreadable(f"{len(coords)} vertices but {len(times)} times")
    return [(who, c[0], c[1], t) for c, t in zip(coords, times, strict=True)]


def _geojson_fixes(path: Path) -> list[_Fix]:
    content = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".geojsonl", ".jsonl", ".ndjson"):
        features = [json.loads(line) for line in content.splitlines() if line.strip()]
    else:
        data = json.loads(content)
        features = data.get("features", [data]) if isinstance(data, dict) else []
    fixes: list[_Fix] = []
    for feature in features:
        fixes += _feature_fixes(feature, path.stem)
    return fixes


def _file_fixes(path: Path) -> list[_Fix]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".gpx":
            return _gpx_fixes(path)
        if suffix in (".csv", ".txt"):
            return _csv_fixes(path)
        if suffix in (".geojson", ".json", ".geojsonl", ".jsonl", ".ndjson"):
            return _geojson_fixes(path)
    except Unreadable:
        raise
    except Exception as exc:  # any parser failure is the file's fault, said once
        raise Unreadable(f"{type(exc).__name__}: {str(exc)[:120]}") from exc
    raise Unreadable(f"'{path.suffix}' is not GPX, CSV or GeoJSON")


def _frame(fixes: list[_Fix], file: str, crs: Any) -> gpd.GeoDataFrame:
    """The fixes of one file as a table in ``crs``; raises ``Unreadable`` for a bad time
    or coordinate, naming the row."""
    times, lon, lat = [], np.empty(len(fixes)), np.empty(len(fixes))
    for k, (_, x, y, when) in enumerate(fixes):
        try:
            stamp = parse_time(when)
            lon[k], lat[k] = float(x), float(y)
        except (TypeError, ValueError) as exc:
            raise Unreadable(f"row {k + 1}: {exc}") from exc
        if stamp is None or not (-180 <= lon[k] <= 180 and -90 <= lat[k] <= 90):
            raise Unreadable(f"row {k + 1}: no time or lon/lat out of range")
        times.append(stamp)
    xy = lonlat_to_xy(lon, lat, crs=crs)
    frame = pd.DataFrame(
        {
            "source": file,
            "row": np.arange(1, len(fixes) + 1),
            "who": [f[0] for f in fixes],
            "time": pd.to_datetime(pd.Series(times, dtype=object)),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=shapely.points(xy), crs=crs)


def read_tracks(
    paths: list[Path] | list[str], *, crs: Any
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The GPS fixes of the track files and folders ``paths`` in ``crs`` (columns
    :data:`FIX_COLUMNS` and a point), and one problem per file that could not be read."""
    frames: list[gpd.GeoDataFrame] = []
    problems: list[Problem] = []
    for path in track_files(paths):
        try:
            fixes = _file_fixes(path)
            if not fixes:
                problems.append(problem(path.name, "no_fixes"))
                continue
            frames.append(_frame(fixes, path.name, crs))
        except (Unreadable, OSError, UnicodeDecodeError) as exc:
            problems.append(problem(path.name, "unreadable", reason=exc))
    if not frames:
        empty = pd.DataFrame({c: [] for c in FIX_COLUMNS})
        return gpd.GeoDataFrame(empty, geometry=[], crs=crs), problems
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs), problems
