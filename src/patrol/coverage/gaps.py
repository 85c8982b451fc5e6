"""When each grid is patrolled, and its longest gap without a patrol in the week.

The week is taken as repeating, so the gap runs from the last patrol of the week to the
first of the next: with two patrols it is the longer of the two times between them, with
one the week minus its length, with none the whole week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patrol.coverage.arrays import FloatArray, IntArray
from patrol.coverage.clock import hours_since
from patrol.coverage.intervals import longest_gaps, merge_intervals
from patrol.coverage.layers import Layers
from patrol.coverage.tracks import Segments, segment_visits

__all__ = ["SWEEP_MERGE_H", "Gaps", "patrol_gaps"]

SWEEP_MERGE_H = 10.0 / 60.0  # stays in a grid less than 10 minutes apart are one patrol


@dataclass(frozen=True)
class Gaps:
    """Per grid: the patrols (merged stays) and the longest time without one, in hours."""

    patrols: IntArray
    longest_h: FloatArray


def patrol_gaps(
    layers: Layers,
    segments: Segments,
    sweep_times: pd.DataFrame | None,
    *,
    week_start: pd.Timestamp,
    week_h: float,
) -> Gaps:
    """Patrols and longest gap of each grid.

    The stays come from ``sweep_times`` (``grid_id``, ``start``, ``end``) when given, else
    from the segments inside each grid, stays less than :data:`SWEEP_MERGE_H` apart
    joined; both are clipped to the week.
    """
    if sweep_times is not None:
        ids = pd.Index(sweep_times["grid_id"].to_numpy())
        grid = layers.grid_ids.get_indexer(ids).astype(np.int64)
        lo = hours_since(sweep_times["start"], week_start)
        hi = hours_since(sweep_times["end"], week_start)
        join = 0.0
    else:
        grid, lo, hi = segment_visits(segments, layers.grid_geoms)
        join = SWEEP_MERGE_H
    ok = (grid >= 0) & (hi > 0) & (lo < week_h) & (hi >= lo)
    lo, hi = np.clip(lo[ok], 0, week_h), np.clip(hi[ok], 0, week_h)
    m_grid, m_lo, m_hi = merge_intervals(grid[ok], lo, hi, join=join)
    return Gaps(
        patrols=np.bincount(m_grid, minlength=layers.n_grids),
        longest_h=longest_gaps(m_grid, m_lo, m_hi, layers.n_grids, week_h=week_h),
    )
