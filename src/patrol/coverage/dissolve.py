"""Buffer and dissolve on a raster: many overlapping buffers merged into areas in a second.

Features are burnt into a raster, dilated by a disc of the buffer distance and contoured
(contourpy), which gives the answer of buffer + dissolve + explode up to one raster cell.
Vector unions of tens of thousands of overlapping buffers take GEOS tens of seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import shapely

from patrol.coverage.arrays import BoolArray, FloatArray, GeomArray, IntArray
from patrol.coverage.geometry import points_in_polygons

__all__ = [
    "KEEP_OUT_CELLS",
    "MAX_CELLS",
    "Raster",
    "dissolve_buffers",
    "dissolve_outlines",
    "points_in_areas",
    "raster_cell",
    "sample_outlines",
]

logger = logging.getLogger("patrol")

MAX_CELLS = 60_000_000  # raster cap for dissolving blind spots (~0.5 GB while contouring)
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon


@dataclass(frozen=True)
class Raster:
    """The dilated raster the areas were contoured from: cell ``(row, col)`` has its
    centre at ``(x0 + (col + 0.5) * cell_m, y0 + (row + 0.5) * cell_m)``."""

    mask: BoolArray
    x0: float
    y0: float
    cell_m: float


def raster_cell(bounds: FloatArray, buffer_m: float, cell_m: float) -> float:
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


def sample_outlines(geoms: GeomArray, step: float) -> tuple[FloatArray, IntArray]:
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

    The same answer as buffer + dissolve + explode, up to one raster cell of ``cell_m``
    (coarser when the raster would be too big). Big features are filled, so no hole
    opens inside a footprint.
    """
    if len(geoms) == 0:
        return np.empty(0, dtype=object)
    cell_m = raster_cell(shapely.total_bounds(geoms), buffer_m, cell_m)
    xy, _ = sample_outlines(geoms, cell_m / 2)
    return dissolve_outlines(geoms, xy, buffer_m=buffer_m, cell_m=cell_m)[0]


def _fill_footprints(
    mask: BoolArray, geoms: GeomArray, x0: float, y0: float, *, buffer_m: float, cell_m: float
) -> None:
    """Mark the cell centres inside footprints too wide for the dilation to fill."""
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGONAL)
    b = shapely.bounds(geoms)
    wide = polygonal & (np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) > 2 * buffer_m)
    for k in np.flatnonzero(wide):
        c0, r0 = int((b[k, 0] - x0) // cell_m), int((b[k, 1] - y0) // cell_m)
        c1, r1 = int((b[k, 2] - x0) // cell_m), int((b[k, 3] - y0) // cell_m)
        c0, r0 = max(c0, 0), max(r0, 0)  # a kept-out footprint may reach past the raster
        c1, r1 = min(c1, mask.shape[1] - 1), min(r1, mask.shape[0] - 1)
        if c0 > c1 or r0 > r1:
            continue
        rows, cols = np.mgrid[r0 : r1 + 1, c0 : c1 + 1]
        inside = shapely.contains_xy(
            geoms[k], x0 + (cols + 0.5) * cell_m, y0 + (rows + 0.5) * cell_m
        )
        mask[rows[inside], cols[inside]] = True


def _contour_areas(raster: Raster) -> GeomArray:
    """The areas where the raster is on, as polygons with holes."""
    from contourpy import contour_generator

    mask, cell_m = raster.mask, raster.cell_m
    xs = raster.x0 + (np.arange(mask.shape[1]) + 0.5) * cell_m
    ys = raster.y0 + (np.arange(mask.shape[0]) + 0.5) * cell_m
    generator = contour_generator(xs, ys, mask.astype(np.float64), fill_type="OuterOffset")
    filled = generator.filled(0.49, 2.0)  # off 0.5: saddles resolve one way
    del generator
    points: list[FloatArray] = [np.asarray(p, dtype=float) for p in filled[0]]
    offsets: list[IntArray] = [np.asarray(o, dtype=np.int64) for o in filled[1]]
    if not points:
        return np.empty(0, dtype=object)
    # all areas at once: one coordinate array, the ring offsets into it, rings per area
    sizes = np.array([len(off) - 1 for off in offsets], dtype=np.int64)
    lengths = np.array([len(p) for p in points], dtype=np.int64)
    base = np.repeat(np.cumsum(lengths) - lengths, sizes)
    ring_off = np.append(np.concatenate([off[:-1] for off in offsets]) + base, lengths.sum())
    pts, ring_off = _drop_collinear(np.concatenate(points), ring_off)
    ring_of = np.repeat(np.arange(len(ring_off) - 1), np.diff(ring_off))
    rings = shapely.linearrings(pts, indices=ring_of)
    areas = shapely.polygons(rings, indices=np.repeat(np.arange(len(sizes)), sizes))
    return np.asarray(areas, dtype=object)


def dissolve_outlines(
    geoms: GeomArray,
    xy: FloatArray,
    *,
    buffer_m: float,
    cell_m: float,
    keep_out: tuple[GeomArray, FloatArray] | None = None,
    hold_xy: FloatArray | None = None,
) -> tuple[GeomArray, Raster]:
    """:func:`dissolve_buffers` given the outline samples ``xy`` of ``geoms`` (at most
    ``cell_m / 2`` apart) and the final raster cell; also returns the raster, which
    :func:`points_in_areas` reads.

    ``keep_out`` (geometries and their outline samples) are features no area may reach:
    the cells near them are cleared after the buffer, except the cells of ``hold_xy``
    (samples of features that must stay inside an area)."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)  # the samples' bounds too
    pad = buffer_m + 3 * cell_m
    x0, y0 = xmin - pad, ymin - pad
    width, height = xmax - xmin + 2 * pad, ymax - ymin + 2 * pad
    shape = (int(np.ceil(height / cell_m)) + 1, int(np.ceil(width / cell_m)) + 1)
    mask = np.zeros(shape, dtype=bool)
    _burn(mask, xy, x0, y0, cell_m)
    _fill_footprints(mask, geoms, x0, y0, buffer_m=buffer_m, cell_m=cell_m)
    dilated = _dilate(mask, buffer_m / cell_m)
    if keep_out is not None:
        _clear_keep_out(dilated, keep_out, x0, y0, cell_m=cell_m, hold_xy=hold_xy)
    raster = Raster(dilated, float(x0), float(y0), float(cell_m))
    return _contour_areas(raster), raster


KEEP_OUT_CELLS = 2.0
"""Cells cleared around a kept-out feature: enough that no contoured area reaches it."""


def _burn(mask: BoolArray, xy: FloatArray, x0: float, y0: float, cell_m: float) -> None:
    """Mark the cells holding the points ``xy`` (points off the raster are skipped)."""
    col = np.floor((xy[:, 0] - x0) / cell_m).astype(np.int64)
    row = np.floor((xy[:, 1] - y0) / cell_m).astype(np.int64)
    ok = (row >= 0) & (row < mask.shape[0]) & (col >= 0) & (col < mask.shape[1])
    mask.reshape(-1)[row[ok] * mask.shape[1] + col[ok]] = True


def _clear_keep_out(
    mask: BoolArray,
    keep_out: tuple[GeomArray, FloatArray],
    x0: float,
    y0: float,
    *,
    cell_m: float,
    hold_xy: FloatArray | None,
) -> None:
    """Switch off the cells within :data:`KEEP_OUT_CELLS` of the kept-out features (their
    geometries and outline samples), then back on the cells of ``hold_xy``.

    Why: a blind spot must not reach a building that a patrol passes or a camera sees,
    though the buffer of a blind street beside it would; the features held (blind
    buildings) stay inside their areas even when a kept-out one stands close.
    """
    geoms, xy = keep_out
    if len(xy) == 0:
        return
    away = np.zeros_like(mask)
    _burn(away, xy, x0, y0, cell_m)
    _fill_footprints(away, geoms, x0, y0, buffer_m=KEEP_OUT_CELLS * cell_m, cell_m=cell_m)
    mask &= ~_dilate(away, KEEP_OUT_CELLS)
    if hold_xy is not None and len(hold_xy):
        _burn(mask, hold_xy, x0, y0, cell_m)
        mask &= ~_dilate(away, 1.0)  # two buildings a cell apart: the passed one wins


def points_in_areas(
    points: GeomArray, areas: GeomArray, raster: Raster
) -> tuple[IntArray, IntArray]:
    """:func:`~patrol.coverage.geometry.points_in_polygons` for ``areas`` contoured from
    ``raster``, mostly read off it.

    A point in a quad of four cell centres that are all on lies inside one area (the
    contour never enters such a quad), the area of every cell 4-connected to them; a
    point in a quad of four off centres, or off the raster, lies in none. Each connected
    group is matched to its area by an exact test of one of its points; points in mixed
    quads are tested exactly.
    """
    from scipy import ndimage

    if len(points) == 0 or len(areas) == 0:
        return points_in_polygons(points, areas)
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
    rep_i, rep_area = points_in_polygons(points[inside[first]], areas)
    rep_i, one = np.unique(rep_i, return_index=True)
    area_of = np.full(len(groups), -1, dtype=np.int64)
    area_of[rep_i] = rep_area[one]
    found = area_of[np.searchsorted(groups, group)]
    unsure = np.concatenate((unsure, inside[found < 0]))
    u_i, u_area = points_in_polygons(points[unsure], areas)
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
