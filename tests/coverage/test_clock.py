"""Hours since the week starts and the night band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patrol.coverage.clock import hours_since, in_night_band
from patrol.vocab import NIGHT_BAND_H
from tests.coverage.districts import MONDAY


def test_hours_since_counts_hours_and_keeps_missing_times_as_nan() -> None:
    times = [MONDAY + pd.Timedelta("1D2h30min"), None]
    got = hours_since(times, MONDAY)
    assert got[0] == 26.5 and np.isnan(got[1])


def test_night_band_wraps_past_midnight_and_defaults_to_the_project_band() -> None:
    times = pd.Series(
        pd.to_datetime(
            ["2026-03-02 18:59", "2026-03-02 19:00", "2026-03-03 05:59", "2026-03-03 06:00"]
        )
    )
    assert in_night_band(times).tolist() == [False, True, True, False]
    assert in_night_band(times, band=NIGHT_BAND_H).tolist() == in_night_band(times).tolist()
    assert in_night_band(times, band=(6, 19)).tolist() == [True, False, False, True]
