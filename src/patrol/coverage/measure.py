"""Coverage of a patrol week: streets walked, buildings near a patrol, cameras, blind spots.

Everything works on plain GeoDataFrames in one projected CRS (metres) and is vectorised
with shapely 2 and STRtree: tracks are cut into straight segments, and every "how much of
this street" question becomes intervals along the street, merged with numpy. The
definitions of every measure are in ``docs/coverage.md``; the docstrings repeat the gist.

Time bands: a track row's ``night`` flag decides its band (day otherwise); cameras watch
in both bands. Times inside are hours since ``week_start``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from patrol.coverage.cameras import DEFAULT_RANGE_M, camera_views, check_projected
from patrol.errors import InputError, Problem

__all__ = ["Coverage", "dissolve_buffers", "measure_coverage", "tracks_from_points"]

logger = logging.getLogger("patrol")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
GeomArray = npt.NDArray[Any]

WEEK_H = 168.0
SWEEP_MERGE_H = 10.0 / 60.0  # stays in a grid less than 10 minutes apart are one patrol
DEMAND_COLUMNS = (
    "sweeps_required",
    "sweeps_planned",
    "night_sweeps_required",
    "night_sweeps_planned",
    "visits_due",
    "visits_planned",
    "hotspot_minutes_target",
    "hotspot_minutes_planned",
)
_LINEAL = (1, 5)  # LineString, MultiLineString
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon


@dataclass(frozen=True)
class Coverage:
    """What a week of patrols and the cameras cover, per grid, street and building.

    ``blind_spots`` holds merged areas no camera sees and no patrol passes, for the whole
    week (``band="week"``) and for night patrols only (``band="night"``); ``summary``
    holds the station's headline figures (shares in 0–1, NaN when undefined).
    """

    grid_coverage: gpd.GeoDataFrame
    street_coverage: gpd.GeoDataFrame
    building_coverage: gpd.GeoDataFrame
    camera_views: gpd.GeoDataFrame
    blind_spots: gpd.GeoDataFrame
    summary: dict[str, float]


# ----------------------------------------------------------------------------- helpers


def _hours(values: Any, week_start: pd.Timestamp) -> FloatArray:
    """Timestamps as hours since ``week_start``."""
    times = pd.to_datetime(pd.Series(values))
    delta = (times - week_start) / pd.Timedelta(hours=1)
    return np.asarray(delta.to_numpy(dtype=float, na_value=np.nan), dtype=float)


def _numbers(frame: pd.DataFrame, name: str, default: float = 0.0) -> FloatArray:
    if name not in frame.columns:
        return np.full(len(frame), default)
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(values), default, values)


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


def _union_length(key: IntArray, lo: FloatArray, hi: FloatArray, n: int) -> FloatArray:
    """Length of the union of intervals ``[lo, hi]`` for each key in ``range(n)``."""
    if len(key) == 0:
        return np.zeros(n)
    order = np.lexsort((lo, key))
    key, lo, hi = key[order], lo[order], hi[order]
    reach = pd.Series(hi).groupby(key).cummax().to_numpy()
    before = np.concatenate(([-np.inf], reach[:-1]))
    before[np.concatenate(([True], key[1:] != key[:-1]))] = -np.inf
    gain = np.maximum(0.0, reach - np.maximum(lo, before))
    return np.asarray(np.bincount(key, weights=gain, minlength=n), dtype=float)


def _merge_intervals(
    key: IntArray, lo: FloatArray, hi: FloatArray, *, join: float = 0.0
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Merge intervals of the same key that overlap or lie less than ``join`` apart."""
    if len(key) == 0:
        return key, lo, hi
    order = np.lexsort((lo, key))
    key, lo, hi = key[order], lo[order], hi[order]
    reach = pd.Series(hi).groupby(key).cummax().to_numpy()
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (lo[1:] > reach[:-1] + join)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(key)) - 1
    return key[starts], lo[starts], reach[ends]


def _longest_gaps(
    key: IntArray, lo: FloatArray, hi: FloatArray, n: int, *, week_h: float = WEEK_H
) -> FloatArray:
    """Longest time without a patrol per key, the week taken as repeating (cyclic).

    Intervals must be merged and sorted (as :func:`_merge_intervals` returns them).
    """
    gaps = np.full(n, week_h)
    if len(key) == 0:
        return gaps
    first = np.concatenate(([True], key[1:] != key[:-1]))
    last = np.concatenate((key[1:] != key[:-1], [True]))
    wrap = lo[first] + (week_h - hi[last])
    gaps[key[first]] = wrap
    inner = ~first
    np.maximum.at(gaps, key[inner], lo[inner] - hi[np.flatnonzero(inner) - 1])
    return gaps


def _overlaps(
    lines: GeomArray, areas: GeomArray
) -> tuple[IntArray, IntArray, GeomArray, FloatArray, FloatArray]:
    """Pieces of ``lines`` inside ``areas``: line index, area index, piece, and its
    interval ``[lo, hi]`` in metres along the line."""
    tree = shapely.STRtree(lines)
    area_i, line_i = tree.query(areas, predicate="intersects")
    pieces = shapely.intersection(lines[line_i], areas[area_i])
    parts, k = shapely.get_parts(pieces, return_index=True)
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
    parts, k = parts[keep], k[keep]
    line_i, area_i = line_i[k], area_i[k]
    s0 = shapely.line_locate_point(lines[line_i], shapely.get_point(parts, 0))
    s1 = shapely.line_locate_point(lines[line_i], shapely.get_point(parts, -1))
    return line_i, area_i, parts, np.minimum(s0, s1), np.maximum(s0, s1)


def _walked_pieces(
    lines: GeomArray, seg: _Segments, *, tolerance_m: float
) -> tuple[IntArray, IntArray, GeomArray, FloatArray, FloatArray]:
    """Pieces of street ``lines`` a track segment runs along: line index, segment index,
    piece, and its interval ``[lo, hi]`` in metres along the line.

    A piece is the part of a street edge inside the segment's tolerance box (the segment
    widened and lengthened by ``tolerance_m`` on each side) whose direction is within 45°
    of the segment's, so crossing a street does not walk it. Exact clipping of straight
    edges against the box (Liang–Barsky), in numpy: no GEOS overlay per pair.
    """
    empty_i = np.empty(0, dtype=np.int64)
    if len(lines) == 0 or len(seg.a) == 0:
        return empty_i, empty_i, np.empty(0, dtype=object), np.empty(0), np.empty(0)
    parts, part_line = shapely.get_parts(lines, return_index=True)
    part_len = shapely.length(parts)
    part_off = pd.Series(part_len).groupby(part_line).cumsum().to_numpy() - part_len
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    same = part_of[:-1] == part_of[1:]
    p, q, edge_part = coords[:-1][same], coords[1:][same], part_of[:-1][same]
    edge_len = np.hypot(q[:, 0] - p[:, 0], q[:, 1] - p[:, 1])
    edge_off = pd.Series(edge_len).groupby(edge_part).cumsum().to_numpy() - edge_len
    edge_off = edge_off + part_off[edge_part]
    edge_line = part_line[edge_part]

    tree = shapely.STRtree(shapely.linestrings(np.stack((p, q), axis=1)))
    lo_xy = np.minimum(seg.a, seg.b) - tolerance_m
    hi_xy = np.maximum(seg.a, seg.b) + tolerance_m
    seg_i, edge_i = tree.query(shapely.box(lo_xy[:, 0], lo_xy[:, 1], hi_xy[:, 0], hi_xy[:, 1]))
    a = seg.a[seg_i]
    along = seg.b[seg_i] - a
    length = np.hypot(along[:, 0], along[:, 1])
    u = along / length[:, None]
    n = np.column_stack((-u[:, 1], u[:, 0]))
    dp = p[edge_i] - a
    dq = q[edge_i] - a
    ps, pd_ = np.einsum("ij,ij->i", dp, u), np.einsum("ij,ij->i", dp, n)
    ds = np.einsum("ij,ij->i", dq, u) - ps
    dd = np.einsum("ij,ij->i", dq, n) - pd_
    t0 = np.zeros(len(seg_i))
    t1 = np.ones(len(seg_i))
    for start, delta, low, high in (
        (ps, ds, -tolerance_m, length + tolerance_m),
        (pd_, dd, -tolerance_m, tolerance_m),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            ta = (low - start) / delta
            tb = (high - start) / delta
        moving = delta != 0
        inside = (start >= low) & (start <= high)
        t0 = np.where(moving, np.maximum(t0, np.minimum(ta, tb)), np.where(inside, t0, 1.0))
        t1 = np.where(moving, np.minimum(t1, np.maximum(ta, tb)), np.where(inside, t1, 0.0))
    elen = edge_len[edge_i]
    parallel = np.abs(ds) >= np.cos(np.pi / 4) * elen
    keep = (t1 - t0) * elen > 1e-9
    keep &= parallel
    seg_i, edge_i, t0, t1 = seg_i[keep], edge_i[keep], t0[keep], t1[keep]
    start_xy = p[edge_i] + (q[edge_i] - p[edge_i]) * t0[:, None]
    end_xy = p[edge_i] + (q[edge_i] - p[edge_i]) * t1[:, None]
    pieces = shapely.linestrings(np.stack((start_xy, end_xy), axis=1))
    lo = edge_off[edge_i] + t0 * edge_len[edge_i]
    hi = edge_off[edge_i] + t1 * edge_len[edge_i]
    return edge_line[edge_i].astype(np.int64), seg_i.astype(np.int64), np.asarray(pieces), lo, hi


def _distinct_lines(lines: GeomArray) -> GeomArray:
    """Two-point ``lines`` without exact repeats (same coordinates, same direction)."""
    if len(lines) < 2:
        return lines
    xy = shapely.get_coordinates(lines).reshape(len(lines), 4)
    order = np.lexsort(xy.T[::-1])
    xy = xy[order]
    new = np.ones(len(xy), dtype=bool)
    new[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    return np.asarray(lines[order[new]])


def _nearest(sources: GeomArray, targets: GeomArray, *, reach: float) -> tuple[IntArray, IntArray]:
    """The nearest target of each source, as ``STRtree(targets).query_nearest(sources,
    all_matches=False)`` returns it.

    Candidates are the targets whose envelope lies within ``reach`` of the source's; when
    the nearest candidate is within ``reach``, no target outside them can be nearer. The
    rest, and exact ties (where the tree's pick decides), go to ``query_nearest``.
    """
    tree = shapely.STRtree(targets)
    b = shapely.bounds(sources)
    ok = ~np.isnan(b).any(axis=1)
    boxes = np.full(len(sources), None, dtype=object)
    boxes[ok] = shapely.box(b[ok, 0] - reach, b[ok, 1] - reach, b[ok, 2] + reach, b[ok, 3] + reach)
    src, tgt = tree.query(boxes)
    dist = shapely.distance(sources[src], targets[tgt])
    order = np.lexsort((dist, src))
    src, tgt, dist = src[order], tgt[order], dist[order]
    first = np.flatnonzero(np.concatenate(([True], src[1:] != src[:-1]))) if len(src) else src
    ends = np.append(first[1:], len(src))
    second = np.minimum(first + 1, max(len(src) - 1, 0))
    tie = (ends - first > 1) & (dist[second] <= dist[first] * (1 + 1e-9) + 1e-12)
    good = ~tie & (dist[first] <= reach)
    found = np.full(len(sources), -1, dtype=np.int64)
    found[src[first[good]]] = tgt[first[good]]
    rest = np.flatnonzero(found < 0)
    if len(rest):
        r_i, t_i = tree.query_nearest(sources[rest], all_matches=False)
        found[rest[r_i]] = t_i
    hit = np.flatnonzero(found >= 0)
    return hit.astype(np.int64), found[hit]


def _points_in(points: GeomArray, polygons: GeomArray) -> tuple[IntArray, IntArray]:
    """Pairs (point, polygon) where the point lies in (or on) the polygon.

    The tree holds the points and the polygons are the queries, so GEOS prepares each
    polygon once: fast even for large, detailed blind-spot areas.
    """
    if len(points) == 0 or len(polygons) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    poly_i, point_i = shapely.STRtree(points).query(polygons, predicate="intersects")
    order = np.lexsort((poly_i, point_i))
    return point_i[order].astype(np.int64), poly_i[order].astype(np.int64)


def _grid_index(
    values: pd.Series | None, geoms: GeomArray, grid_ids: pd.Index, grid_geoms: GeomArray
) -> IntArray:
    """Index of each feature's grid: its ``grid_id`` if known, else the grid holding it."""
    index = np.full(len(geoms), -1, dtype=np.int64)
    if values is not None:
        index = grid_ids.get_indexer(pd.Index(values.to_numpy())).astype(np.int64)
    missing = np.flatnonzero(index < 0)
    if len(missing) and len(grid_geoms):
        probe = shapely.point_on_surface(geoms[missing])
        src, grid = _points_in(probe, grid_geoms)
        src, first = np.unique(src, return_index=True)
        index[missing[src]] = grid[first]
    return index


# ----------------------------------------------------------------------------- tracks


@dataclass(frozen=True)
class _Segments:
    """Tracks cut into straight segments with the hours they start and end."""

    a: FloatArray
    b: FloatArray
    t0: FloatArray
    t1: FloatArray
    night: BoolArray
    patrol: IntArray
    n_patrols: int


def _patrol_codes(tracks: pd.DataFrame) -> IntArray:
    """One code per patrol (a track, or a team's shift), split by band."""
    if "track_id" in tracks.columns:
        cols = ["track_id"]
    else:
        cols = [c for c in ("team_id", "date", "shift") if c in tracks.columns]
    keys = tracks[cols].astype(str) if cols else pd.DataFrame({"row": np.arange(len(tracks))})
    keys = keys.assign(_night=_night_flags(tracks))
    return np.asarray(keys.groupby(list(keys.columns), sort=True).ngroup(), dtype=np.int64)


def _night_flags(tracks: pd.DataFrame) -> BoolArray:
    if "night" not in tracks.columns:
        return np.zeros(len(tracks), dtype=bool)
    return np.asarray(tracks["night"].fillna(False).astype(bool).to_numpy(), dtype=bool)


def _track_segments(tracks: gpd.GeoDataFrame, week_start: pd.Timestamp) -> _Segments:
    """Straight segments of every track; time grows linearly with length along a row."""
    parts, src = shapely.get_parts(tracks.geometry.to_numpy(), return_index=True)
    part_len = shapely.length(parts)
    part_off = pd.Series(part_len).groupby(src).cumsum().to_numpy() - part_len
    total = np.bincount(src, weights=part_len, minlength=len(tracks))
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    same = part_of[:-1] == part_of[1:]
    a, b, seg_part = coords[:-1][same], coords[1:][same], part_of[:-1][same]
    seg_len = np.hypot(b[:, 0] - a[:, 0], b[:, 1] - a[:, 1])
    s0 = pd.Series(seg_len).groupby(seg_part).cumsum().to_numpy() - seg_len
    s0 = s0 + part_off[seg_part]
    row = src[seg_part]
    start = _hours(tracks["start"], week_start)[row]
    span = _hours(tracks["end"], week_start)[row] - start
    length = np.where(total[row] > 0, total[row], 1.0)
    keep = seg_len > 0
    codes = _patrol_codes(tracks)
    return _Segments(
        a=a[keep],
        b=b[keep],
        t0=(start + span * s0 / length)[keep],
        t1=(start + span * (s0 + seg_len) / length)[keep],
        night=_night_flags(tracks)[row][keep],
        patrol=codes[row][keep],
        n_patrols=int(codes.max()) + 1 if len(codes) else 0,
    )


def tracks_from_points(
    points: gpd.GeoDataFrame,
    *,
    track_col: str,
    time_col: str,
    night_hours: tuple[float, float] = (19.0, 6.0),
) -> gpd.GeoDataFrame:
    """Turn timestamped GPS points into tracks: one leg between each pair of fixes.

    Points are ordered by time within each ``track_col`` value; each leg keeps the exact
    times of its two fixes, so nothing is interpolated across a stop. ``team_id``, ``date``,
    ``shift`` and ``night`` are taken from the leg's first point when present; otherwise
    ``team_id`` is the track, ``date`` the start day, and ``night`` is true when the leg
    starts inside ``night_hours`` (start, end; wrapping past midnight).
    """
    problems = check_projected(points, "points")
    for col in (track_col, time_col):
        if col not in points.columns:
            problems.append(Problem("points", f"column '{col}' is missing.", field=col))
    types = shapely.get_type_id(points.geometry.to_numpy())
    if len(types) and not np.all(types == 0):
        problems.append(Problem("points", "GPS fixes must be Points."))
    if problems:
        raise InputError(problems)
    frame = points.assign(_t=pd.to_datetime(points[time_col]))
    frame = frame.sort_values([track_col, "_t"], kind="stable").reset_index(drop=True)
    key = frame[track_col].to_numpy()
    nxt = np.flatnonzero(key[1:] == key[:-1])  # legs go from row i to row i + 1
    xy = shapely.get_coordinates(frame.geometry.to_numpy())
    lines = shapely.linestrings(np.stack((xy[nxt], xy[nxt + 1]), axis=1))
    first = frame.iloc[nxt]
    start = first["_t"].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "track_id": first[track_col].astype(str).to_numpy(),
            "team_id": (first["team_id"] if "team_id" in frame else first[track_col])
            .astype(str)
            .to_numpy(),
            "date": (
                first["date"].astype(str).reset_index(drop=True)
                if "date" in frame
                else start.dt.strftime("%Y-%m-%d")
            ).to_numpy(),
            "shift": (first["shift"].astype(str) if "shift" in frame else first[track_col])
            .astype(str)
            .to_numpy(),
            "start": start.to_numpy(),
            "end": frame["_t"].iloc[nxt + 1].to_numpy(),
        }
    )
    if "night" in frame.columns:
        out["night"] = first["night"].fillna(False).astype(bool).to_numpy()
    else:
        hour = (start.dt.hour + start.dt.minute / 60.0).to_numpy()
        begin, end = night_hours
        out["night"] = (
            (hour >= begin) | (hour < end) if begin > end else ((hour >= begin) & (hour < end))
        )
    keep = shapely.length(lines) > 0
    return gpd.GeoDataFrame(out[keep].reset_index(drop=True), geometry=lines[keep], crs=points.crs)


# ----------------------------------------------------------------------------- checks


def _check_layers(layers: dict[str, gpd.GeoDataFrame | None]) -> None:
    """Collect every CRS, column and geometry problem of the layers; raise them at once."""
    need = {
        "grids": (("grid_id",), _POLYGONAL),
        "streets": (("edge_id",), _LINEAL),
        "buildings": ((), (0, 3, 6)),
        "tracks": (("start", "end"), _LINEAL),
        "cameras": ((), (0,)),
        "incidents": (("time",), (0,)),
    }
    problems: list[Problem] = []
    crs = None
    for name, layer in layers.items():
        if layer is None:
            continue
        if not isinstance(layer, gpd.GeoDataFrame):
            problems.append(Problem(name, "expected a GeoDataFrame.", "use geopandas."))
            continue
        found = check_projected(layer, name)
        problems += found
        if not found:
            if crs is None:
                crs = layer.crs
            elif layer.crs != crs:
                problems.append(
                    Problem(
                        name,
                        f"the CRS differs from the first layer's ({crs.to_string()}).",
                        "reproject every layer to one CRS with to_crs().",
                    )
                )
        columns, types = need[name]
        for col in columns:
            if col not in layer.columns:
                problems.append(Problem(name, f"column '{col}' is missing.", field=col))
        geom_types = shapely.get_type_id(layer.geometry.to_numpy())
        bad = np.flatnonzero(~np.isin(geom_types, types))
        if len(bad):
            problems.append(
                Problem(
                    name,
                    f"{len(bad)} feature(s) have the wrong geometry type.",
                    "check the layer's geometry type.",
                    feature=f"row {bad[0]}",
                )
            )
    if problems:
        raise InputError(problems)


# ----------------------------------------------------------------------------- blind spots

MAX_CELLS = 60_000_000  # raster cap for dissolving blind spots (~0.5 GB while contouring)


def _raster_cell(bounds: FloatArray, buffer_m: float, cell_m: float) -> float:
    """The raster cell for features within ``bounds``: ``cell_m``, coarser if the raster
    would exceed :data:`MAX_CELLS`."""
    xmin, ymin, xmax, ymax = bounds
    pad = buffer_m + 3 * cell_m
    width, height = xmax - xmin + 2 * pad, ymax - ymin + 2 * pad
    if width * height / cell_m**2 > MAX_CELLS:
        coarse = float(np.sqrt(width * height / MAX_CELLS))
        logger.info(
            "blind spots: raster cell %.1f m -> %.1f m to stay under %d cells",
            cell_m,
            coarse,
            MAX_CELLS,
        )
        return coarse
    return cell_m


def _sample_outlines(geoms: GeomArray, step: float) -> tuple[FloatArray, IntArray]:
    """Points on the outlines of ``geoms`` (lines, polygon rings, points) at most ``step``
    apart, and the index of the geometry each comes from.

    The same points as ``shapely.segmentize(boundary, step)`` gives (every vertex, plus
    ``ceil(length / step) - 1`` evenly spaced points inside each longer segment, with
    GEOS's arithmetic), without building the densified geometries.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    ring_like = shapely.get_type_id(parts) == 3
    rings, ring_of = shapely.get_rings(parts[ring_like], return_index=True)
    lines = np.concatenate((parts[~ring_like], rings))
    line_of = np.concatenate((part_of[~ring_like], part_of[ring_like][ring_of]))
    xy, k = shapely.get_coordinates(lines, return_index=True)
    owner = line_of[k]
    same = np.flatnonzero(k[:-1] == k[1:])
    p, d = xy[same], xy[same + 1] - xy[same]
    length = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
    count = np.where(length > step, np.ceil(length / step), 1.0)
    extra = count.astype(np.int64) - 1
    seg = np.repeat(np.arange(len(p)), extra)
    j = np.arange(len(seg)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    frac = (j * (length / count)[seg]) / length[seg]
    inner = p[seg] + frac[:, None] * d[seg]
    return np.concatenate((xy, inner)), np.concatenate((owner, owner[same][seg]))


def _dilate(mask: BoolArray, reach: float) -> BoolArray:
    """Binary dilation by the disc of radius ``reach`` cells (as
    ``ndimage.binary_dilation`` with that structure), as ORs of shifted rows."""
    half = int(np.ceil(reach))
    limit = reach**2 + 1e-9  # the disc: offsets (dx, dy) with dx² + dy² <= reach²
    widths = [
        max(dx for dx in range(half + 1) if dx * dx + dy * dy <= limit)
        for dy in range(half + 1)
        if dy * dy <= limit
    ]
    out = np.zeros_like(mask)
    band = mask.copy()  # mask dilated by w cells along rows
    for w in range(max(widths) + 1):
        if w:
            band[:, w:] |= mask[:, :-w]
            band[:, :-w] |= mask[:, w:]
        for dy, width in enumerate(widths):
            if width != w:
                continue
            if dy == 0:
                out |= band
            else:
                out[dy:] |= band[:-dy]
                out[:-dy] |= band[dy:]
    return out


def dissolve_buffers(geoms: GeomArray, *, buffer_m: float, cell_m: float) -> GeomArray:
    """Polygons covering everything within ``buffer_m`` of ``geoms``, merged where they meet.

    The same answer as buffer + dissolve + explode, up to one raster cell of ``cell_m``:
    the features are burnt into a raster, dilated by a disc of ``buffer_m`` and contoured.
    Vector unions of tens of thousands of overlapping buffers take GEOS tens of seconds;
    this takes about one. Big features are filled, so no hole opens inside a footprint.
    """
    if len(geoms) == 0:
        return np.empty(0, dtype=object)
    cell_m = _raster_cell(shapely.total_bounds(geoms), buffer_m, cell_m)
    xy, _ = _sample_outlines(geoms, cell_m / 2)
    return _dissolve(geoms, xy, buffer_m=buffer_m, cell_m=cell_m)[0]


@dataclass(frozen=True)
class _Raster:
    """The dilated raster the areas were contoured from: cell ``(row, col)`` has its
    centre at ``(x0 + (col + 0.5) * cell_m, y0 + (row + 0.5) * cell_m)``."""

    mask: BoolArray
    x0: float
    y0: float
    cell_m: float


def _dissolve(
    geoms: GeomArray, xy: FloatArray, *, buffer_m: float, cell_m: float
) -> tuple[GeomArray, _Raster]:
    """:func:`dissolve_buffers` given the outline samples ``xy`` of ``geoms`` (at most
    ``cell_m / 2`` apart) and the final raster cell; also returns the raster."""
    from contourpy import contour_generator

    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)  # the samples' bounds too
    pad = buffer_m + 3 * cell_m
    x0, y0 = xmin - pad, ymin - pad
    width, height = xmax - xmin + 2 * pad, ymax - ymin + 2 * pad
    shape = (int(np.ceil(height / cell_m)) + 1, int(np.ceil(width / cell_m)) + 1)
    mask = np.zeros(shape, dtype=bool)
    col = np.floor((xy[:, 0] - x0) / cell_m).astype(np.int64)
    row = np.floor((xy[:, 1] - y0) / cell_m).astype(np.int64)
    ok = (row >= 0) & (row < shape[0]) & (col >= 0) & (col < shape[1])
    mask.reshape(-1)[row[ok] * shape[1] + col[ok]] = True
    # footprints too wide for the dilation to fill: mark the cell centres inside them
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGONAL)
    b = shapely.bounds(geoms)
    wide = polygonal & (np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) > 2 * buffer_m)
    for k in np.flatnonzero(wide):
        c0, r0 = int((b[k, 0] - x0) // cell_m), int((b[k, 1] - y0) // cell_m)
        c1, r1 = int((b[k, 2] - x0) // cell_m), int((b[k, 3] - y0) // cell_m)
        rows, cols = np.mgrid[r0 : r1 + 1, c0 : c1 + 1]
        inside = shapely.contains_xy(
            geoms[k], x0 + (cols + 0.5) * cell_m, y0 + (rows + 0.5) * cell_m
        )
        mask[rows[inside], cols[inside]] = True
    mask = _dilate(mask, buffer_m / cell_m)
    xs = x0 + (np.arange(shape[1]) + 0.5) * cell_m
    ys = y0 + (np.arange(shape[0]) + 0.5) * cell_m
    generator = contour_generator(xs, ys, mask.astype(np.float64), fill_type="OuterOffset")
    raster = _Raster(mask, float(x0), float(y0), float(cell_m))
    filled = generator.filled(0.49, 2.0)  # off 0.5: saddles resolve one way
    del generator
    points: list[FloatArray] = [np.asarray(p, dtype=float) for p in filled[0]]
    offsets: list[IntArray] = [np.asarray(o, dtype=np.int64) for o in filled[1]]
    if not points:
        return np.empty(0, dtype=object), raster
    # all areas at once: one coordinate array, the ring offsets into it, rings per area
    sizes = np.array([len(off) - 1 for off in offsets], dtype=np.int64)
    lengths = np.array([len(p) for p in points], dtype=np.int64)
    base = np.repeat(np.cumsum(lengths) - lengths, sizes)
    ring_off = np.append(np.concatenate([off[:-1] for off in offsets]) + base, lengths.sum())
    pts, ring_off = _drop_collinear(np.concatenate(points), ring_off)
    ring_of = np.repeat(np.arange(len(ring_off) - 1), np.diff(ring_off))
    rings = shapely.linearrings(pts, indices=ring_of)
    areas = shapely.polygons(rings, indices=np.repeat(np.arange(len(sizes)), sizes))
    return np.asarray(areas, dtype=object), raster


def _points_in_areas(
    points: GeomArray, areas: GeomArray, raster: _Raster
) -> tuple[IntArray, IntArray]:
    """:func:`_points_in` for ``areas`` contoured from ``raster``, mostly read off it.

    A point in a quad of four cell centres that are all on lies inside one area (the
    contour never enters such a quad), the area of every cell 4-connected to them; a
    point in a quad of four off centres, or off the raster, lies in none. Each connected
    group is matched to its area by an exact test of one of its points; points in mixed
    quads are tested exactly.
    """
    from scipy import ndimage

    if len(points) == 0 or len(areas) == 0:
        return _points_in(points, areas)
    mask = raster.mask
    x = np.full(len(points), np.nan)
    y = np.full(len(points), np.nan)
    solid = np.flatnonzero(~shapely.is_empty(points) & ~shapely.is_missing(points))
    x[solid] = (shapely.get_x(points[solid]) - raster.x0) / raster.cell_m - 0.5
    y[solid] = (shapely.get_y(points[solid]) - raster.y0) / raster.cell_m - 0.5
    finite = np.isfinite(x) & np.isfinite(y)
    col = np.floor(np.where(finite, x, -1.0)).astype(np.int64)
    row = np.floor(np.where(finite, y, -1.0)).astype(np.int64)
    on_grid = finite & (col >= 0) & (col < mask.shape[1] - 1)
    on_grid &= (row >= 0) & (row < mask.shape[0] - 1)
    r, c = row[on_grid], col[on_grid]
    corners = mask[r, c].astype(np.int8) + mask[r, c + 1] + mask[r + 1, c] + mask[r + 1, c + 1]
    inside = np.flatnonzero(on_grid)[corners == 4]
    unsure = np.flatnonzero(on_grid)[(corners > 0) & (corners < 4)]
    unsure = np.concatenate((unsure, np.flatnonzero(~finite)))
    labels, _ = ndimage.label(mask)
    group = labels[row[inside], col[inside]]
    groups, first = np.unique(group, return_index=True)
    rep_i, rep_area = _points_in(points[inside[first]], areas)
    rep_i, one = np.unique(rep_i, return_index=True)
    area_of = np.full(len(groups), -1, dtype=np.int64)
    area_of[rep_i] = rep_area[one]
    found = area_of[np.searchsorted(groups, group)]
    unsure = np.concatenate((unsure, inside[found < 0]))
    u_i, u_area = _points_in(points[unsure], areas)
    point_i = np.concatenate((inside[found >= 0], unsure[u_i]))
    area_i = np.concatenate((found[found >= 0], u_area))
    order = np.lexsort((area_i, point_i))
    return point_i[order].astype(np.int64), area_i[order].astype(np.int64)


def _drop_collinear(pts: FloatArray, off: IntArray) -> tuple[FloatArray, IntArray]:
    """Remove ring vertices that lie on the straight line through their neighbours."""
    keep = np.ones(len(pts), dtype=bool)
    d1 = pts[1:-1] - pts[:-2]
    d2 = pts[2:] - pts[1:-1]
    cross = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
    keep[1:-1] = np.abs(cross) > 1e-9 * (np.abs(d1).sum(axis=1) * np.abs(d2).sum(axis=1))
    keep[off[:-1]] = True  # ring ends stay
    keep[off[1:] - 1] = True
    kept = np.concatenate(([0], np.cumsum(keep)))
    return pts[keep], kept[off]


def _band_outlines(
    street_geoms: GeomArray,
    building_geoms: GeomArray,
    street_blind: BoolArray,
    building_blind: BoolArray,
    buffer_m: float,
    cell_m: float,
) -> list[FloatArray | None]:
    """Outline samples of each band's blind features (rows of the masks), sampled once
    for the features blind in any band when every band keeps the raster cell ``cell_m``.

    The night blind features include the week's, so the week needs no sampling of its
    own. ``None`` for a band with no features or a coarser cell.
    """
    bands = len(street_blind)
    out: list[FloatArray | None] = [None] * bands
    geoms = np.concatenate((street_geoms, building_geoms))
    blind = np.hstack((street_blind, building_blind))
    for k in range(bands):
        if not blind[k].any():
            continue
        bounds = shapely.total_bounds(geoms[blind[k]])
        if _raster_cell(bounds, buffer_m, cell_m) != cell_m:
            blind[k] = False  # left to dissolve_buffers
    anywhere = np.flatnonzero(blind.any(axis=0))
    if len(anywhere) == 0:
        return out
    xy, owner = _sample_outlines(geoms[anywhere], cell_m / 2)
    for k in range(bands):
        if blind[k].any():
            out[k] = xy[blind[k][anywhere][owner]]
    return out


def _blind_areas(
    street_geoms: GeomArray,
    street_len: FloatArray,
    building_geoms: GeomArray,
    households: FloatArray,
    residents: FloatArray,
    incident_xy: GeomArray,
    *,
    buffer_m: float,
    cell_m: float,
    band: str,
    crs: Any,
    outline_xy: FloatArray | None = None,
) -> tuple[gpd.GeoDataFrame, BoolArray]:
    """Merge blind streets and buildings into areas, sum what they hold, rank them.

    ``outline_xy``: the features' outline samples for the raster cell ``cell_m`` already
    settled by :func:`_band_outlines` (else :func:`dissolve_buffers` works them out).
    Returns the areas and, per incident, whether it lies in one.
    """
    geoms = np.concatenate((street_geoms, building_geoms))
    columns = [
        "blind_id",
        "band",
        "rank",
        "rank_by_incidents",
        "street_length_m",
        "buildings",
        "households",
        "residents",
        "incidents_90d",
    ]
    if len(geoms) == 0:
        empty = gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=crs)
        return empty, np.zeros(len(incident_xy), dtype=bool)
    if outline_xy is None:
        cell_m = _raster_cell(shapely.total_bounds(geoms), buffer_m, cell_m)
        outline_xy, _ = _sample_outlines(geoms, cell_m / 2)
    areas, raster = _dissolve(geoms, outline_xy, buffer_m=buffer_m, cell_m=cell_m)
    probes = np.concatenate(
        (
            shapely.line_interpolate_point(street_geoms, 0.5, normalized=True),
            shapely.point_on_surface(building_geoms),
        )
    )
    src, area = _points_in_areas(probes, areas, raster)
    src, first = np.unique(src, return_index=True)
    owner = np.full(len(probes), -1, dtype=np.int64)
    owner[src] = area[first]
    n = len(areas)
    ns = len(street_geoms)
    s_own, b_own = owner[:ns], owner[ns:]
    ok_s, ok_b = s_own >= 0, b_own >= 0
    inc_src, inc_area = _points_in_areas(incident_xy, areas, raster)
    inc_src, first_inc = np.unique(inc_src, return_index=True)
    in_blind = np.zeros(len(incident_xy), dtype=bool)
    in_blind[inc_src] = True
    table = pd.DataFrame(
        {
            "street_length_m": np.bincount(s_own[ok_s], weights=street_len[ok_s], minlength=n),
            "buildings": np.bincount(b_own[ok_b], minlength=n),
            "households": np.bincount(b_own[ok_b], weights=households[ok_b], minlength=n),
            "residents": np.bincount(b_own[ok_b], weights=residents[ok_b], minlength=n),
            "incidents_90d": np.bincount(inc_area[first_inc], minlength=n),
            "_x": shapely.get_x(shapely.centroid(areas)),
            "_y": shapely.get_y(shapely.centroid(areas)),
        }
    )
    by_res = table.sort_values(
        ["residents", "incidents_90d", "street_length_m", "_x", "_y"],
        ascending=[False, False, False, True, True],
        kind="stable",
    ).index
    by_inc = table.sort_values(
        ["incidents_90d", "residents", "street_length_m", "_x", "_y"],
        ascending=[False, False, False, True, True],
        kind="stable",
    ).index
    table["rank"] = 0
    table.loc[by_res, "rank"] = np.arange(1, n + 1)
    table.loc[by_inc, "rank_by_incidents"] = np.arange(1, n + 1)
    table["rank_by_incidents"] = table["rank_by_incidents"].astype(np.int64)
    prefix = "W" if band == "week" else "N"
    table["blind_id"] = [f"{prefix}{r:04d}" for r in table["rank"]]
    table["band"] = band
    out = gpd.GeoDataFrame(table[columns], geometry=areas, crs=crs)
    return out.sort_values("rank").reset_index(drop=True), in_blind


# ----------------------------------------------------------------------------- main


def measure_coverage(
    *,
    grids: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    tracks: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    grid_demand: pd.DataFrame | None = None,
    sweep_times: pd.DataFrame | None = None,
    radius_m: float = 50.0,
    tolerance_m: float = 5.0,
    min_share: float = 0.5,
    blind_buffer_m: float = 15.0,
    blind_cell_m: float | None = None,
    default_range_m: float = DEFAULT_RANGE_M,
    camera_resolution: int = 64,
    as_of: pd.Timestamp | None = None,
    week_start: pd.Timestamp | None = None,
    week_end: pd.Timestamp | None = None,
    night_hours: tuple[float, float] = (19.0, 6.0),
) -> Coverage:
    """Measure what the week's tracks and the cameras cover, and where the blind spots are.

    - A street is *walked* along the length a track runs within ``tolerance_m`` of it, in
      the track's direction (within 45°, so crossing a street does not walk it); one
      patrol (a track, or a team's shift) *passes* a street when it walks ``min_share`` of
      its length, and a camera set *sees* it when the views cover ``min_share`` of it.
    - A building is *covered* when it lies within ``radius_m`` of a walked street piece,
      and its entrance (nearest street point) is *seen* when it lies in a camera view.
    - A street no camera sees and no patrol passes, and a building neither covered nor
      seen, is blind; blind features buffered by ``blind_buffer_m`` and dissolved form
      the blind-spot areas, for the week and for night patrols.
    - The *longest gap* of a grid is the longest time in the week with no patrol in it,
      the week taken as repeating, so the gap runs from the last patrol of the week to
      the first of the next: with two patrols it is the longer of the two times between
      them, with one the week minus its length, with none the whole week (168 h).
      Patrol intervals come from ``sweep_times`` when given, else from the tracks.
    - Recent incidents are those in the 90 days up to ``as_of`` (default ``week_start``
      when given, else the last incident); night incidents fall in ``night_hours``.

    Tracks carry ``start``/``end`` timestamps and a ``night`` flag; ``week_start``
    defaults to the midnight before the first track and ``week_end`` to 7 days later.
    """
    _check_layers(
        {
            "grids": grids,
            "streets": streets,
            "buildings": buildings,
            "tracks": tracks,
            "cameras": cameras,
            "incidents": incidents,
        }
    )
    problems = []
    for name, value in (
        ("radius_m", radius_m),
        ("tolerance_m", tolerance_m),
        ("blind_buffer_m", blind_buffer_m),
    ):
        if not value > 0:
            problems.append(Problem("settings", f"{name} must be positive, got {value}."))
    if not 0 < min_share <= 1:
        problems.append(Problem("settings", f"min_share must be in (0, 1], got {min_share}."))
    if problems:
        raise InputError(problems)
    crs = grids.crs

    # the week
    if week_start is None:
        starts = list(pd.to_datetime(tracks["start"]).dropna())
        if sweep_times is not None and len(sweep_times):
            starts += list(pd.to_datetime(sweep_times["start"]).dropna())
        week_start = min(starts).normalize() if starts else pd.Timestamp("1970-01-05")
        as_of_default = None
    else:
        week_start = pd.Timestamp(week_start)
        as_of_default = week_start
    week_end = week_start + pd.Timedelta(days=7) if week_end is None else pd.Timestamp(week_end)
    week_h = (week_end - week_start) / pd.Timedelta(hours=1)
    if week_h <= 0:
        raise InputError("week_end must be after week_start.", file="settings")

    grid_ids = pd.Index(grids["grid_id"].to_numpy())
    grid_geoms = grids.geometry.to_numpy()
    n_grids = len(grids)
    street_geoms = streets.geometry.to_numpy()
    n_streets = len(streets)
    street_len = shapely.length(street_geoms)
    building_geoms = buildings.geometry.to_numpy()
    n_buildings = len(buildings)
    households = _numbers(buildings, "households")
    residents = _numbers(buildings, "residents")

    # ---- streets walked
    seg = _track_segments(tracks, week_start)
    seg_lines = (
        shapely.linestrings(np.stack((seg.a, seg.b), axis=1))
        if len(seg.a)
        else (np.empty(0, dtype=object))
    )
    s_i, g_i, pieces, lo, hi = _walked_pieces(street_geoms, seg, tolerance_m=tolerance_m)
    piece_night = seg.night[g_i]
    walked_m = _union_length(s_i, lo, hi, n_streets)
    night_walked_m = _union_length(s_i[piece_night], lo[piece_night], hi[piece_night], n_streets)
    day = ~piece_night
    day_walked_m = _union_length(s_i[day], lo[day], hi[day], n_streets)
    pair = s_i * max(seg.n_patrols, 1) + seg.patrol[g_i]
    pair_keys, pair_code = np.unique(pair, return_inverse=True)
    pair_len = _union_length(pair_code.astype(np.int64), lo, hi, len(pair_keys))
    pair_street = pair_keys // max(seg.n_patrols, 1)
    passed = pair_len >= min_share * street_len[pair_street] - 1e-9
    pair_night = np.zeros(len(pair_keys), dtype=bool)
    pair_night[pair_code] = piece_night
    walked_count = np.bincount(pair_street[passed], minlength=n_streets)
    night_walked_count = np.bincount(pair_street[passed & pair_night], minlength=n_streets)

    # ---- buildings near a walked street
    near = np.zeros((3, n_buildings), dtype=bool)  # week, day, night
    building_tree = shapely.STRtree(building_geoms)
    for row, in_band in ((1, ~piece_night), (2, piece_night)):
        if np.any(in_band) and n_buildings:
            _, b_i = building_tree.query(
                _distinct_lines(pieces[in_band]), predicate="dwithin", distance=radius_m
            )
            near[row, b_i] = True
    near[0] = near[1] | near[2]

    # ---- cameras
    if cameras is not None:
        footprints = (
            buildings if np.any(np.isin(shapely.get_type_id(building_geoms), _POLYGONAL)) else None
        )
        views = camera_views(
            cameras,
            buildings=footprints,
            default_range_m=default_range_m,
            resolution=camera_resolution,
        )
    else:
        views = gpd.GeoDataFrame({"camera_id": []}, geometry=[], crs=crs)
    view_geoms = views.geometry.to_numpy()
    c_s, _, _, c_lo, c_hi = _overlaps(street_geoms, view_geoms)
    seen_m = _union_length(c_s, c_lo, c_hi, n_streets)
    camera_seen = (seen_m >= min_share * street_len - 1e-9) & (street_len > 0)
    entrance_seen = np.zeros(n_buildings, dtype=bool)
    entrances = np.full(n_buildings, None, dtype=object)
    if n_streets and n_buildings:
        b_idx, s_idx = _nearest(building_geoms, street_geoms, reach=radius_m)
        entrances[b_idx] = shapely.get_point(
            shapely.shortest_line(building_geoms[b_idx], street_geoms[s_idx]), 1
        )
        if len(view_geoms):
            has = np.flatnonzero(~shapely.is_missing(entrances))
            e_i, _ = _points_in(entrances[has], view_geoms)
            entrance_seen[has[e_i]] = True

    # ---- incidents of the last 90 days
    if incidents is not None and len(incidents):
        times = pd.to_datetime(incidents["time"])
        if as_of is None:
            as_of = as_of_default if as_of_default is not None else times.max()
        as_of = pd.Timestamp(as_of)
        recent = ((times > as_of - pd.Timedelta(days=90)) & (times <= as_of)).to_numpy()
        inc = incidents[recent]
        inc_geoms = inc.geometry.to_numpy()
        hour = (times[recent].dt.hour + times[recent].dt.minute / 60.0).to_numpy()
        begin, end = night_hours
        inc_night = (
            (hour >= begin) | (hour < end) if begin > end else ((hour >= begin) & (hour < end))
        )
    else:
        inc_geoms = np.empty(0, dtype=object)
        inc_night = np.zeros(0, dtype=bool)

    # ---- blind spots
    street_blind = np.vstack(
        (~camera_seen & (walked_count == 0), ~camera_seen & (night_walked_count == 0))
    )
    building_blind = np.vstack((~entrance_seen & ~near[0], ~entrance_seen & ~near[2]))
    blind_tables = []
    in_blind = []
    blind_cell = blind_cell_m or blind_buffer_m / 3.0
    outlines = _band_outlines(
        street_geoms, building_geoms, street_blind, building_blind, blind_buffer_m, blind_cell
    )
    for k, band in enumerate(("week", "night")):
        table, hits = _blind_areas(
            street_geoms[street_blind[k]],
            street_len[street_blind[k]],
            building_geoms[building_blind[k]],
            households[building_blind[k]],
            residents[building_blind[k]],
            inc_geoms,
            buffer_m=blind_buffer_m,
            cell_m=blind_cell,
            band=band,
            crs=crs,
            outline_xy=outlines[k],
        )
        blind_tables.append(table)
        in_blind.append(hits)
    blind_spots = gpd.GeoDataFrame(
        pd.concat(blind_tables, ignore_index=True), geometry="geometry", crs=crs
    )

    # ---- per street, per building
    street_grid = _grid_index(streets.get("grid_id"), street_geoms, grid_ids, grid_geoms)
    building_grid = _grid_index(
        buildings.get("grid_id"),
        building_geoms,
        grid_ids,
        grid_geoms,
    )
    street_coverage = gpd.GeoDataFrame(
        {
            "edge_id": streets["edge_id"].to_numpy(),
            "grid_id": np.where(street_grid >= 0, grid_ids.to_numpy()[street_grid], None),
            "length_m": street_len,
            "walked_m": walked_m,
            "day_walked_m": day_walked_m,
            "night_walked_m": night_walked_m,
            "walked_count": walked_count,
            "night_walked_count": night_walked_count,
            "camera_seen_m": seen_m,
            "camera_seen": camera_seen,
            "blind": street_blind[0],
            "night_blind": street_blind[1],
        },
        geometry=gpd.GeoSeries(street_geoms, crs=crs),
        crs=crs,
    )
    building_ids = (
        buildings["building_id"].to_numpy()
        if "building_id" in buildings
        else np.arange(n_buildings)
    )
    building_coverage = gpd.GeoDataFrame(
        {
            "building_id": building_ids,
            "grid_id": np.where(building_grid >= 0, grid_ids.to_numpy()[building_grid], None),
            "households": households,
            "residents": residents,
            "covered": near[0],
            "day_covered": near[1],
            "night_covered": near[2],
            "entrance_seen": entrance_seen,
            "blind": building_blind[0],
            "night_blind": building_blind[1],
            "entrance_x": shapely.get_x(entrances.astype(object)),
            "entrance_y": shapely.get_y(entrances.astype(object)),
        },
        geometry=gpd.GeoSeries(building_geoms, crs=crs),
        crs=crs,
    )

    # ---- patrol intervals per grid and the longest gap
    if sweep_times is not None:
        iv_grid = grid_ids.get_indexer(pd.Index(sweep_times["grid_id"].to_numpy())).astype(np.int64)
        iv_lo = _hours(sweep_times["start"], week_start)
        iv_hi = _hours(sweep_times["end"], week_start)
        iv_join = 0.0
    else:
        if len(seg.a) and n_grids:
            seg_i, grid_i = shapely.STRtree(grid_geoms).query(seg_lines, predicate="intersects")
            inside = shapely.intersection(seg_lines[seg_i], grid_geoms[grid_i])
            parts, k = shapely.get_parts(inside, return_index=True)
            keep = shapely.get_type_id(parts) == 1
            parts, k = parts[keep], k[keep]
            seg_k = seg_i[k]
            lines = seg_lines[seg_k]
            length = np.maximum(shapely.length(lines), 1e-12)
            f0 = shapely.line_locate_point(lines, shapely.get_point(parts, 0)) / length
            f1 = shapely.line_locate_point(lines, shapely.get_point(parts, -1)) / length
            span = seg.t1[seg_k] - seg.t0[seg_k]
            iv_grid = grid_i[k].astype(np.int64)
            iv_lo = seg.t0[seg_k] + span * np.minimum(f0, f1)
            iv_hi = seg.t0[seg_k] + span * np.maximum(f0, f1)
        else:
            iv_grid = np.empty(0, dtype=np.int64)
            iv_lo = iv_hi = np.empty(0)
        iv_join = SWEEP_MERGE_H
    ok = (iv_grid >= 0) & (iv_hi > 0) & (iv_lo < week_h) & (iv_hi >= iv_lo)
    iv_grid, iv_lo, iv_hi = (
        iv_grid[ok],
        np.clip(iv_lo[ok], 0, week_h),
        np.clip(iv_hi[ok], 0, week_h),
    )
    m_grid, m_lo, m_hi = _merge_intervals(iv_grid, iv_lo, iv_hi, join=iv_join)
    gaps = _longest_gaps(m_grid, m_lo, m_hi, n_grids, week_h=week_h)
    patrols_in_grid = np.bincount(m_grid, minlength=n_grids)

    # ---- per grid
    def per_grid(index: IntArray, weights: Any = None) -> FloatArray:
        ok = index >= 0
        w = None if weights is None else np.asarray(weights, dtype=float)[ok]
        return np.bincount(index[ok], weights=w, minlength=n_grids).astype(float)

    sg = street_grid
    bg = building_grid
    table = pd.DataFrame(
        {
            "street_length_m": per_grid(sg, street_len),
            "walked_m": per_grid(sg, walked_m),
            "day_walked_m": per_grid(sg, day_walked_m),
            "night_walked_m": per_grid(sg, night_walked_m),
            "camera_seen_m": per_grid(sg, seen_m),
            "blind_street_m": per_grid(sg, street_len * street_blind[0]),
            "night_blind_street_m": per_grid(sg, street_len * street_blind[1]),
            "buildings": per_grid(bg),
            "households": per_grid(bg, households),
            "residents": per_grid(bg, residents),
            "buildings_covered": per_grid(bg, near[0]),
            "households_covered": per_grid(bg, households * near[0]),
            "residents_covered": per_grid(bg, residents * near[0]),
            "night_buildings_covered": per_grid(bg, near[2]),
            "night_residents_covered": per_grid(bg, residents * near[2]),
            "entrances_seen": per_grid(bg, entrance_seen),
            "blind_buildings": per_grid(bg, building_blind[0]),
            "blind_residents": per_grid(bg, residents * building_blind[0]),
            "night_blind_residents": per_grid(bg, residents * building_blind[1]),
            "patrols": patrols_in_grid.astype(float),
            "longest_gap_h": gaps,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        length = table["street_length_m"].to_numpy()
        count = table["buildings"].to_numpy()
        for col in (
            "walked_m",
            "day_walked_m",
            "night_walked_m",
            "camera_seen_m",
            "blind_street_m",
            "night_blind_street_m",
        ):
            name = col.replace("_m", "_share").replace("walked_share", "street_walked_share")
            table[name] = np.where(
                length > 0, table[col].to_numpy() / np.where(length > 0, length, 1), np.nan
            )
        for col, whole in (
            ("buildings_covered", count),
            ("households_covered", table["households"].to_numpy()),
            ("residents_covered", table["residents"].to_numpy()),
            ("night_buildings_covered", count),
            ("entrances_seen", count),
        ):
            table[f"{col}_share"] = np.where(
                whole > 0, table[col].to_numpy() / np.where(whole > 0, whole, 1), np.nan
            )
    demand = (
        grid_demand.reindex(grid_ids) if grid_demand is not None else pd.DataFrame(index=grid_ids)
    )
    for col in DEMAND_COLUMNS:
        table[col] = (
            pd.to_numeric(demand[col], errors="coerce").to_numpy(dtype=float)
            if col in demand.columns
            else np.nan
        )
    for done, due, name in (
        ("sweeps_planned", "sweeps_required", "sweeps_share"),
        ("night_sweeps_planned", "night_sweeps_required", "night_sweeps_share"),
        ("visits_planned", "visits_due", "visits_share"),
        ("hotspot_minutes_planned", "hotspot_minutes_target", "hotspot_share"),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            due_v = table[due].to_numpy()
            table[name] = np.where(
                due_v > 0, table[done].to_numpy() / np.where(due_v > 0, due_v, 1), np.nan
            )
    inc_grid = _grid_index(None, inc_geoms, grid_ids, grid_geoms)
    table["incidents_90d"] = per_grid(inc_grid)
    table["incidents_in_blind_spots"] = per_grid(inc_grid, in_blind[0])
    keep_cols = [c for c in grids.columns if c != grids.geometry.name]
    grid_coverage = gpd.GeoDataFrame(
        pd.concat([grids[keep_cols].reset_index(drop=True), table], axis=1),
        geometry=gpd.GeoSeries(grid_geoms, crs=crs),
        crs=crs,
    )

    # ---- station summary
    total_len = float(street_len.sum())
    total_h = float(households.sum())
    total_r = float(residents.sum())
    demand_sum = {
        c: float(np.nansum(table[c])) if table[c].notna().any() else float("nan")
        for c in DEMAND_COLUMNS
    }
    n_inc = len(inc_geoms)
    n_night_inc = int(inc_night.sum())
    summary: dict[str, float] = {
        "grids": float(n_grids),
        "streets": float(n_streets),
        "buildings": float(n_buildings),
        "cameras": float(len(views)),
        "street_length_m": total_len,
        "street_walked_share": _share(float(walked_m.sum()), total_len),
        "day_street_walked_share": _share(float(day_walked_m.sum()), total_len),
        "night_street_walked_share": _share(float(night_walked_m.sum()), total_len),
        "streets_passed_share": _share(float((walked_count > 0).sum()), n_streets),
        "camera_street_share": _share(float(seen_m.sum()), total_len),
        "buildings_covered_share": _share(float(near[0].sum()), n_buildings),
        "households_covered_share": _share(float(households @ near[0]), total_h),
        "residents_covered_share": _share(float(residents @ near[0]), total_r),
        "day_buildings_covered_share": _share(float(near[1].sum()), n_buildings),
        "night_buildings_covered_share": _share(float(near[2].sum()), n_buildings),
        "night_residents_covered_share": _share(float(residents @ near[2]), total_r),
        "camera_entrance_share": _share(float(entrance_seen.sum()), n_buildings),
        "blind_street_share": _share(float(street_len @ street_blind[0]), total_len),
        "night_blind_street_share": _share(float(street_len @ street_blind[1]), total_len),
        "blind_buildings_share": _share(float(building_blind[0].sum()), n_buildings),
        "blind_residents_share": _share(float(residents @ building_blind[0]), total_r),
        "night_blind_residents_share": _share(float(residents @ building_blind[1]), total_r),
        "blind_spots": float((blind_spots["band"] == "week").sum()),
        "night_blind_spots": float((blind_spots["band"] == "night").sum()),
        "incidents_90d": float(n_inc),
        "incidents_in_blind_spots_share": _share(float(in_blind[0].sum()), n_inc),
        "night_incidents_in_night_blind_spots_share": _share(
            float((in_blind[1] & inc_night).sum()), n_night_inc
        ),
        "longest_gap_h_max": float(gaps.max()) if n_grids else float("nan"),
        "longest_gap_h_mean": float(gaps.mean()) if n_grids else float("nan"),
        **demand_sum,
        "sweeps_share": _share(demand_sum["sweeps_planned"], demand_sum["sweeps_required"]),
        "night_sweeps_share": _share(
            demand_sum["night_sweeps_planned"], demand_sum["night_sweeps_required"]
        ),
        "visits_share": _share(demand_sum["visits_planned"], demand_sum["visits_due"]),
        "hotspot_share": _share(
            demand_sum["hotspot_minutes_planned"], demand_sum["hotspot_minutes_target"]
        ),
    }
    logger.info(
        "coverage: %.0f%% of street length walked, %d blind spots",
        100 * summary["street_walked_share"] if total_len else 0,
        int(summary["blind_spots"]),
    )
    return Coverage(
        grid_coverage=grid_coverage,
        street_coverage=street_coverage,
        building_coverage=building_coverage,
        camera_views=views,
        blind_spots=blind_spots,
        summary=summary,
    )
