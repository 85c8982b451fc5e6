"""Tracks: GPS fixes into legs, and legs into timed straight segments.

A track row is a line walked from ``start`` to ``end`` (time grows linearly with length
along it) with a ``night`` flag; a *patrol* is one track (``track_id``) or one team's
shift (``team_id``, ``date``, ``shift``), split by band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.coverage.arrays import BoolArray, FloatArray, GeomArray, IntArray
from patrol.coverage.clock import hours_since, in_night_band
from patrol.coverage.geometry import line_edges
from patrol.coverage.layers import check_projected
from patrol.errors import InputError, Problem
from patrol.vocab import NIGHT_BAND_H

__all__ = ["Segments", "segment_visits", "track_segments", "tracks_from_points"]


@dataclass(frozen=True)
class Segments:
    """Tracks cut into straight segments ``a -> b`` with the hours (since the week
    starts) they begin and end, their band and the patrol they belong to."""

    a: FloatArray
    b: FloatArray
    t0: FloatArray
    t1: FloatArray
    night: BoolArray
    patrol: IntArray
    n_patrols: int

    def lines(self) -> GeomArray:
        """The segments as two-point lines."""
        if not len(self.a):
            return np.empty(0, dtype=object)
        return np.asarray(shapely.linestrings(np.stack((self.a, self.b), axis=1)))


def _night_flags(tracks: pd.DataFrame) -> BoolArray:
    if "night" not in tracks.columns:
        return np.zeros(len(tracks), dtype=bool)
    return np.asarray(tracks["night"].fillna(False).astype(bool).to_numpy(), dtype=bool)


def _patrol_codes(tracks: pd.DataFrame) -> IntArray:
    """One code per patrol (a track, or a team's shift), split by band."""
    if "track_id" in tracks.columns:
        cols = ["track_id"]
    else:
        cols = [c for c in ("team_id", "date", "shift") if c in tracks.columns]
    keys = tracks[cols].astype(str) if cols else pd.DataFrame({"row": np.arange(len(tracks))})
    keys = keys.assign(_night=_night_flags(tracks))
    return np.asarray(keys.groupby(list(keys.columns), sort=True).ngroup(), dtype=np.int64)


def track_segments(tracks: gpd.GeoDataFrame, week_start: pd.Timestamp) -> Segments:
    """Straight segments of every track; time grows linearly with length along a row."""
    edges = line_edges(tracks.geometry.to_numpy())
    row = edges.line
    total = edges.line_length_m[row]
    start = hours_since(tracks["start"], week_start)[row]
    span = hours_since(tracks["end"], week_start)[row] - start
    length = np.where(total > 0, total, 1.0)
    keep = edges.length_m > 0
    codes = _patrol_codes(tracks)
    s0, seg_len = edges.offset_m, edges.length_m
    return Segments(
        a=edges.a[keep],
        b=edges.b[keep],
        t0=(start + span * s0 / length)[keep],
        t1=(start + span * (s0 + seg_len) / length)[keep],
        night=_night_flags(tracks)[row][keep],
        patrol=codes[row][keep],
        n_patrols=int(codes.max()) + 1 if len(codes) else 0,
    )


def segment_visits(segments: Segments, areas: GeomArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """When each segment runs inside each area: area index and the hours ``[lo, hi]``."""
    if not len(segments.a) or not len(areas):
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0)
    lines = segments.lines()
    seg_i, area_i = shapely.STRtree(areas).query(lines, predicate="intersects")
    inside = shapely.intersection(lines[seg_i], areas[area_i])
    parts, k = shapely.get_parts(inside, return_index=True)
    keep = shapely.get_type_id(parts) == 1
    parts, k = parts[keep], k[keep]
    seg_k = seg_i[k]
    walked = lines[seg_k]
    length = np.maximum(shapely.length(walked), 1e-12)
    f0 = shapely.line_locate_point(walked, shapely.get_point(parts, 0)) / length
    f1 = shapely.line_locate_point(walked, shapely.get_point(parts, -1)) / length
    t0 = segments.t0[seg_k]
    span = segments.t1[seg_k] - t0
    return (
        area_i[k].astype(np.int64),
        t0 + span * np.minimum(f0, f1),
        t0 + span * np.maximum(f0, f1),
    )


def _check_points(points: gpd.GeoDataFrame, columns: tuple[str, ...]) -> None:
    problems = check_projected(points, "points")
    for col in columns:
        if col not in points.columns:
            problems.append(Problem("points", f"column '{col}' is missing.", field=col))
    types = shapely.get_type_id(points.geometry.to_numpy())
    if len(types) and not np.all(types == 0):
        problems.append(Problem("points", "GPS fixes must be Points."))
    if problems:
        raise InputError(problems)


def _as_text(values: pd.Series) -> Any:
    return values.astype(str).to_numpy()


def tracks_from_points(
    points: gpd.GeoDataFrame,
    *,
    track_col: str,
    time_col: str,
    night_hours: tuple[float, float] = NIGHT_BAND_H,
) -> gpd.GeoDataFrame:
    """Turn timestamped GPS points into tracks: one leg between each pair of fixes.

    Points are ordered by time within each ``track_col`` value; each leg keeps the exact
    times of its two fixes, so nothing is interpolated across a stop. ``team_id``, ``date``,
    ``shift`` and ``night`` are taken from the leg's first point when present; otherwise
    ``team_id`` is the track, ``date`` the start day, and ``night`` is true when the leg
    starts inside ``night_hours`` (start, end; wrapping past midnight).
    """
    _check_points(points, (track_col, time_col))
    frame = points.assign(_t=pd.to_datetime(points[time_col]))
    frame = frame.sort_values([track_col, "_t"], kind="stable").reset_index(drop=True)
    key = frame[track_col].to_numpy()
    nxt = np.flatnonzero(key[1:] == key[:-1])  # legs go from row i to row i + 1
    xy = shapely.get_coordinates(frame.geometry.to_numpy())
    lines = shapely.linestrings(np.stack((xy[nxt], xy[nxt + 1]), axis=1))
    first = frame.iloc[nxt]
    start = first["_t"].reset_index(drop=True)
    fallback = first[track_col]
    out = pd.DataFrame(
        {
            "track_id": first[track_col].astype(str).to_numpy(),
            "team_id": _as_text(first["team_id"] if "team_id" in frame else fallback),
            "date": (
                first["date"].astype(str).reset_index(drop=True)
                if "date" in frame
                else start.dt.strftime("%Y-%m-%d")
            ).to_numpy(),
            "shift": _as_text(first["shift"] if "shift" in frame else fallback),
            "start": start.to_numpy(),
            "end": frame["_t"].iloc[nxt + 1].to_numpy(),
        }
    )
    if "night" in frame.columns:
        out["night"] = first["night"].fillna(False).astype(bool).to_numpy()
    else:
        out["night"] = in_night_band(start, band=night_hours)
    keep = shapely.length(lines) > 0
    return gpd.GeoDataFrame(out[keep].reset_index(drop=True), geometry=lines[keep], crs=points.crs)
