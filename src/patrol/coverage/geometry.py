"""Vector look-ups on shapely 2 arrays: straight edges, pieces of lines, nearest, inside.

Each answers a question for whole arrays at once with STRtree and numpy, so coverage
never loops over features in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from patrol.coverage.arrays import FloatArray, GeomArray, IntArray

__all__ = [
    "LineEdges",
    "distinct_lines",
    "grid_index",
    "line_edges",
    "nearest_targets",
    "pieces_inside",
    "points_in_polygons",
    "walked_pieces",
]

Pieces = tuple[IntArray, IntArray, GeomArray, FloatArray, FloatArray]


@dataclass(frozen=True)
class LineEdges:
    """Lines cut into straight edges ``a -> b``: the line each comes from, the metres along
    that line where it starts, its length, and each line's total length."""

    a: FloatArray
    b: FloatArray
    line: IntArray
    offset_m: FloatArray
    length_m: FloatArray
    line_length_m: FloatArray


def line_edges(lines: GeomArray) -> LineEdges:
    """The straight edges of ``lines`` (multi-part lines run part after part)."""
    parts, part_line = shapely.get_parts(lines, return_index=True)
    part_len = shapely.length(parts)
    part_off = pd.Series(part_len).groupby(part_line).cumsum().to_numpy() - part_len
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    same = part_of[:-1] == part_of[1:]
    a, b, edge_part = coords[:-1][same], coords[1:][same], part_of[:-1][same]
    length = np.hypot(b[:, 0] - a[:, 0], b[:, 1] - a[:, 1])
    offset = pd.Series(length).groupby(edge_part).cumsum().to_numpy() - length
    return LineEdges(
        a=a,
        b=b,
        line=part_line[edge_part],
        offset_m=offset + part_off[edge_part],
        length_m=length,
        line_length_m=np.asarray(
            np.bincount(part_line, weights=part_len, minlength=len(lines)), dtype=float
        ),
    )


def pieces_inside(lines: GeomArray, areas: GeomArray) -> Pieces:
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


def _clip_to_boxes(
    start: tuple[FloatArray, FloatArray],
    delta: tuple[FloatArray, FloatArray],
    length: FloatArray,
    tolerance_m: float,
) -> tuple[FloatArray, FloatArray]:
    """Liang–Barsky: the share ``[t0, t1]`` of each edge inside its segment's box, the
    edge given in the segment's frame (along, across) by its start and its change."""
    t0 = np.zeros(len(length))
    t1 = np.ones(len(length))
    for begin, step, low, high in (
        (start[0], delta[0], -tolerance_m, length + tolerance_m),
        (start[1], delta[1], -tolerance_m, tolerance_m),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            ta = (low - begin) / step
            tb = (high - begin) / step
        moving = step != 0
        inside = (begin >= low) & (begin <= high)
        t0 = np.where(moving, np.maximum(t0, np.minimum(ta, tb)), np.where(inside, t0, 1.0))
        t1 = np.where(moving, np.minimum(t1, np.maximum(ta, tb)), np.where(inside, t1, 0.0))
    return t0, t1


def walked_pieces(lines: GeomArray, a: FloatArray, b: FloatArray, *, tolerance_m: float) -> Pieces:
    """Pieces of street ``lines`` that the segments ``a -> b`` run along: line index,
    segment index, piece, and its interval ``[lo, hi]`` in metres along the line.

    A piece is the part of a street edge inside the segment's tolerance box (the segment
    widened and lengthened by ``tolerance_m`` on each side) whose direction is within 45°
    of the segment's, so crossing a street does not walk it. Exact clipping of straight
    edges against the box (Liang–Barsky), in numpy: no GEOS overlay per pair.
    """
    empty_i = np.empty(0, dtype=np.int64)
    if len(lines) == 0 or len(a) == 0:
        return empty_i, empty_i, np.empty(0, dtype=object), np.empty(0), np.empty(0)
    edges = line_edges(lines)
    p, q = edges.a, edges.b
    tree = shapely.STRtree(shapely.linestrings(np.stack((p, q), axis=1)))
    lo_xy = np.minimum(a, b) - tolerance_m
    hi_xy = np.maximum(a, b) + tolerance_m
    seg_i, edge_i = tree.query(shapely.box(lo_xy[:, 0], lo_xy[:, 1], hi_xy[:, 0], hi_xy[:, 1]))
    along = b[seg_i] - a[seg_i]
    length = np.hypot(along[:, 0], along[:, 1])
    u = along / length[:, None]
    n = np.column_stack((-u[:, 1], u[:, 0]))
    dp = p[edge_i] - a[seg_i]
    dq = q[edge_i] - a[seg_i]
    ps, pd_ = np.einsum("ij,ij->i", dp, u), np.einsum("ij,ij->i", dp, n)
    ds = np.einsum("ij,ij->i", dq, u) - ps
    dd = np.einsum("ij,ij->i", dq, n) - pd_
    t0, t1 = _clip_to_boxes((ps, pd_), (ds, dd), length, tolerance_m)
    elen = edges.length_m[edge_i]
    keep = ((t1 - t0) * elen > 1e-9) & (np.abs(ds) >= np.cos(np.pi / 4) * elen)
    seg_i, edge_i, t0, t1 = seg_i[keep], edge_i[keep], t0[keep], t1[keep]
    start_xy = p[edge_i] + (q[edge_i] - p[edge_i]) * t0[:, None]
    end_xy = p[edge_i] + (q[edge_i] - p[edge_i]) * t1[:, None]
    pieces = shapely.linestrings(np.stack((start_xy, end_xy), axis=1))
    lo = edges.offset_m[edge_i] + t0 * edges.length_m[edge_i]
    hi = edges.offset_m[edge_i] + t1 * edges.length_m[edge_i]
    line_i = edges.line[edge_i].astype(np.int64)
    return line_i, seg_i.astype(np.int64), np.asarray(pieces), lo, hi


def distinct_lines(lines: GeomArray) -> GeomArray:
    """Two-point ``lines`` without exact repeats (same coordinates, same direction)."""
    if len(lines) < 2:
        return lines
    xy = shapely.get_coordinates(lines).reshape(len(lines), 4)
    order = np.lexsort(xy.T[::-1])
    xy = xy[order]
    new = np.ones(len(xy), dtype=bool)
    new[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    return np.asarray(lines[order[new]])


def nearest_targets(
    sources: GeomArray, targets: GeomArray, *, reach: float
) -> tuple[IntArray, IntArray]:
    """The nearest target of each source, as ``STRtree(targets).query_nearest(sources,
    all_matches=False)`` returns it.

    Candidates are the targets whose envelope lies within ``reach`` of the source's; when
    the nearest candidate is within ``reach``, no target outside them can be nearer. The
    rest, and exact ties (where the tree's pick decides), go to ``query_nearest``.
    """
    tree = shapely.STRtree(targets)
    bounds = shapely.bounds(sources)
    ok = ~np.isnan(bounds).any(axis=1)
    boxes = np.full(len(sources), None, dtype=object)
    lo, hi = bounds[ok, :2] - reach, bounds[ok, 2:] + reach
    boxes[ok] = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
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


def points_in_polygons(points: GeomArray, polygons: GeomArray) -> tuple[IntArray, IntArray]:
    """Pairs (point, polygon) where the point lies in (or on) the polygon, sorted.

    The tree holds the points and the polygons are the queries, so GEOS prepares each
    polygon once: fast even for large, detailed blind-spot areas.
    """
    if len(points) == 0 or len(polygons) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    poly_i, point_i = shapely.STRtree(points).query(polygons, predicate="intersects")
    order = np.lexsort((poly_i, point_i))
    return point_i[order].astype(np.int64), poly_i[order].astype(np.int64)


def grid_index(
    values: pd.Series | None, geoms: GeomArray, grid_ids: pd.Index, grid_geoms: GeomArray
) -> IntArray:
    """Index of each feature's grid: its ``grid_id`` if known, else the grid holding it
    (-1 for none)."""
    index = np.full(len(geoms), -1, dtype=np.int64)
    if values is not None:
        index = grid_ids.get_indexer(pd.Index(values.to_numpy())).astype(np.int64)
    missing = np.flatnonzero(index < 0)
    if len(missing) and len(grid_geoms):
        probe = shapely.point_on_surface(geoms[missing])
        src, grid = points_in_polygons(probe, grid_geoms)
        src, first = np.unique(src, return_index=True)
        index[missing[src]] = grid[first]
    return index
