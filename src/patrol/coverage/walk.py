"""What the patrols walk: metres of each street walked, streets passed, buildings near.

A street is *walked* along the length a track runs within ``tolerance_m`` of it, in the
track's direction; one patrol *passes* a street when it walks ``min_share`` of its
length; a building is *covered* when it lies within ``radius_m`` of a walked piece, or
when a team stops at it (a household visit), in the band of that patrol.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from patrol.coverage.arrays import BoolArray, FloatArray, GeomArray, IntArray
from patrol.coverage.geometry import distinct_lines, walked_pieces
from patrol.coverage.intervals import union_lengths
from patrol.coverage.layers import Layers
from patrol.coverage.tracks import Segments

__all__ = ["Covered", "Walked", "cover_buildings", "walk_streets"]


@dataclass(frozen=True)
class Walked:
    """Per street: metres walked (in all, by day, by night) and the patrols passing it
    (in all, at night); and the walked pieces themselves with their band."""

    walked_m: FloatArray
    day_walked_m: FloatArray
    night_walked_m: FloatArray
    walked_count: IntArray
    night_walked_count: IntArray
    pieces: GeomArray
    piece_night: BoolArray


@dataclass(frozen=True)
class Covered:
    """Per building: whether a walk passes within the radius, in the week, by day, at
    night."""

    week: BoolArray
    day: BoolArray
    night: BoolArray


def walk_streets(
    layers: Layers, segments: Segments, *, tolerance_m: float, min_share: float
) -> Walked:
    """How much of each street the segments walk, and how many patrols pass it."""
    n = layers.n_streets
    s_i, g_i, pieces, lo, hi = walked_pieces(
        layers.street_geoms, segments.a, segments.b, tolerance_m=tolerance_m
    )
    night = segments.night[g_i]
    day = ~night
    per = max(segments.n_patrols, 1)
    pair_keys, pair_code = np.unique(s_i * per + segments.patrol[g_i], return_inverse=True)
    pair_len = union_lengths(pair_code.astype(np.int64), lo, hi, len(pair_keys))
    pair_street = pair_keys // per
    passed = pair_len >= min_share * layers.street_len[pair_street] - 1e-9
    pair_night = np.zeros(len(pair_keys), dtype=bool)
    pair_night[pair_code] = night
    return Walked(
        walked_m=union_lengths(s_i, lo, hi, n),
        day_walked_m=union_lengths(s_i[day], lo[day], hi[day], n),
        night_walked_m=union_lengths(s_i[night], lo[night], hi[night], n),
        walked_count=np.bincount(pair_street[passed], minlength=n),
        night_walked_count=np.bincount(pair_street[passed & pair_night], minlength=n),
        pieces=pieces,
        piece_night=night,
    )


def cover_buildings(
    layers: Layers, walked: Walked, *, radius_m: float, visited: BoolArray | None = None
) -> Covered:
    """Which buildings lie within ``radius_m`` of a walked piece, or are visited, by band.

    ``visited`` (two rows, day and night, one column per building) marks the buildings a
    team stops at: a visited building is passed even when it stands far from every street.
    """
    near = np.zeros((2, layers.n_buildings), dtype=bool)  # day, night
    if visited is not None:
        near |= np.asarray(visited, dtype=bool).reshape(2, layers.n_buildings)
    if layers.n_buildings:
        tree = shapely.STRtree(layers.building_geoms)
        for row, in_band in enumerate((~walked.piece_night, walked.piece_night)):
            if np.any(in_band):
                lines = distinct_lines(walked.pieces[in_band])
                _, b_i = tree.query(lines, predicate="dwithin", distance=radius_m)
                near[row, b_i] = True
    return Covered(week=near[0] | near[1], day=near[0], night=near[1])
