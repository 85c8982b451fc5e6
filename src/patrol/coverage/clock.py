"""Times as coverage needs them: hours since the week starts, and the night band."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from patrol.coverage.arrays import BoolArray, FloatArray
from patrol.vocab import NIGHT_BAND_H

__all__ = ["hours_since", "in_night_band"]


def hours_since(values: Any, start: pd.Timestamp) -> FloatArray:
    """Timestamps as hours since ``start`` (NaN where a time is missing)."""
    times = pd.to_datetime(pd.Series(values))
    delta = (times - start) / pd.Timedelta(hours=1)
    return np.asarray(delta.to_numpy(dtype=float, na_value=np.nan), dtype=float)


def in_night_band(times: pd.Series, *, band: tuple[float, float] = NIGHT_BAND_H) -> BoolArray:
    """Whether each time of day lies in ``band`` (begin, end hours; wraps past midnight).

    The default is the project's night band, 19:00-06:00 (:data:`patrol.vocab.NIGHT_BAND_H`),
    so a night walk and a night incident mean the same hours everywhere.
    """
    hour = (times.dt.hour + times.dt.minute / 60.0).to_numpy()
    begin, end = band
    inside = (hour >= begin) | (hour < end) if begin > end else (hour >= begin) & (hour < end)
    return np.asarray(inside, dtype=bool)
