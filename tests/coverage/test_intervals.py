"""Intervals along a key: union length, merging, and the cyclic longest gap."""

from __future__ import annotations

import numpy as np

from patrol.coverage.intervals import WEEK_H, longest_gaps, merge_intervals, union_lengths


def _arrays(rows: list[tuple[int, float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    key, lo, hi = zip(*rows, strict=True) if rows else ((), (), ())
    return np.array(key, dtype=np.int64), np.array(lo, dtype=float), np.array(hi, dtype=float)


def test_union_length_counts_overlaps_once_per_key() -> None:
    key, lo, hi = _arrays([(0, 0, 10), (0, 5, 12), (0, 20, 25), (2, 1, 2)])
    assert union_lengths(key, lo, hi, 3).tolist() == [17.0, 0.0, 1.0]
    assert union_lengths(*_arrays([]), 2).tolist() == [0.0, 0.0]


def test_merge_joins_overlapping_and_near_intervals_only() -> None:
    key, lo, hi = _arrays([(1, 5, 6), (0, 0, 1), (0, 1.05, 2), (0, 3, 4)])
    m_key, m_lo, m_hi = merge_intervals(key, lo, hi, join=0.1)
    assert m_key.tolist() == [0, 0, 1]
    assert m_lo.tolist() == [0, 3, 5] and m_hi.tolist() == [2, 4, 6]


def test_longest_gap_wraps_around_the_week() -> None:
    key, lo, hi = _arrays([(0, 10, 12), (0, 100, 101), (1, 0, 168)])
    gaps = longest_gaps(key, lo, hi, 3)
    assert gaps[0] == max(100 - 12, 10 + 168 - 101)
    assert gaps[1] == 0 and gaps[2] == WEEK_H
