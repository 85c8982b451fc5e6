"""Intervals along a key, merged with numpy: metres along a street, hours in a grid.

Every "how much of this street" and "how long without a patrol" question becomes a set
of intervals ``[lo, hi]`` per key (a street, a grid), answered without a Python loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from patrol.coverage.arrays import FloatArray, IntArray

__all__ = ["WEEK_H", "longest_gaps", "merge_intervals", "union_lengths"]

WEEK_H = 168.0


def _sorted_reach(
    key: IntArray, lo: FloatArray, hi: FloatArray
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """The intervals sorted by key and start, with the furthest end reached so far."""
    order = np.lexsort((lo, key))
    key, lo, hi = key[order], lo[order], hi[order]
    reach = np.asarray(pd.Series(hi).groupby(key).cummax().to_numpy(), dtype=float)
    return key, lo, hi, reach


def union_lengths(key: IntArray, lo: FloatArray, hi: FloatArray, n: int) -> FloatArray:
    """Length of the union of intervals ``[lo, hi]`` for each key in ``range(n)``."""
    if len(key) == 0:
        return np.zeros(n)
    key, lo, hi, reach = _sorted_reach(key, lo, hi)
    before = np.concatenate(([-np.inf], reach[:-1]))
    before[np.concatenate(([True], key[1:] != key[:-1]))] = -np.inf
    gain = np.maximum(0.0, reach - np.maximum(lo, before))
    return np.asarray(np.bincount(key, weights=gain, minlength=n), dtype=float)


def merge_intervals(
    key: IntArray, lo: FloatArray, hi: FloatArray, *, join: float = 0.0
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Merge intervals of the same key that overlap or lie less than ``join`` apart.

    Returns them sorted by key and start, as :func:`longest_gaps` needs them.
    """
    if len(key) == 0:
        return key, lo, hi
    key, lo, hi, reach = _sorted_reach(key, lo, hi)
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (lo[1:] > reach[:-1] + join)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(key)) - 1
    return key[starts], lo[starts], reach[ends]


def longest_gaps(
    key: IntArray, lo: FloatArray, hi: FloatArray, n: int, *, week_h: float = WEEK_H
) -> FloatArray:
    """Longest time without a patrol per key, the week taken as repeating (cyclic).

    Intervals must be merged and sorted (as :func:`merge_intervals` returns them); a key
    with none gets the whole week.
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
