"""Patrols per grid and the longest gap, from tracks and from sweep times."""

from __future__ import annotations

import pandas as pd
import pytest

from patrol.coverage.gaps import SWEEP_MERGE_H, patrol_gaps
from patrol.coverage.tracks import track_segments
from tests.coverage.districts import MONDAY, NO_TRACKS, measured_blind_district, tracks_of


def test_patrol_gaps_from_tracks_and_from_sweep_times() -> None:
    layers, m = measured_blind_district()
    assert m.gaps.patrols.tolist() == [1] and m.gaps.longest_h.tolist() == [167.0]
    sweeps = pd.DataFrame(
        {
            "grid_id": ["G1", "G1", "nowhere"],
            "start": [MONDAY + pd.Timedelta("10h"), MONDAY + pd.Timedelta("1D10h"), MONDAY],
            "end": [MONDAY + pd.Timedelta("11h"), MONDAY + pd.Timedelta("1D11h"), MONDAY],
        }
    )
    segments = track_segments(NO_TRACKS, MONDAY)
    gaps = patrol_gaps(layers, segments, sweeps, week_start=MONDAY, week_h=168.0)
    assert gaps.patrols.tolist() == [2] and gaps.longest_h.tolist() == [168.0 - 25.0]
    assert pytest.approx(1 / 6) == SWEEP_MERGE_H


def test_tracks_less_than_ten_minutes_apart_are_one_patrol() -> None:
    layers, _ = measured_blind_district()
    tracks = tracks_of(
        ("T1", [(0, 300), (100, 300)], "8h", 0.5, False),
        ("T1", [(100, 300), (200, 300)], "8h35min", 0.5, False),
    )
    gaps = patrol_gaps(layers, track_segments(tracks, MONDAY), None, week_start=MONDAY, week_h=168)
    assert gaps.patrols.tolist() == [1]
