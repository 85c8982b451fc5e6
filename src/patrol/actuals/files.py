"""Reading the actuals' files: tables (xlsx, CSV), headers in either language, times and
lon/lat.

Shared by the check-in and track readers, so a header, a time or a coordinate reads the
same wherever it comes from. Files are only read, never changed; a file that cannot be
read becomes one :class:`~patrol.errors.Problem` (``unreadable``), never a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from patrol.actuals.labels import CATALOGUE

__all__ = [
    "Unreadable",
    "canonical_columns",
    "lonlat_to_xy",
    "parse_time",
    "read_table_file",
]

ALIASES: dict[str, tuple[str, ...]] = {
    "team_id": ("team", "小队", "队伍", "小队id"),
    "person_id": ("person", "人员", "人员编号", "警号", "person id", "user", "用户"),
    "device": ("device", "device_id", "设备", "设备编号", "imei"),
    "time": ("time", "时间", "签到时间", "timestamp", "datetime", "定位时间"),
    "lon": ("lon", "lng", "longitude", "经度", "x"),
    "lat": ("lat", "latitude", "纬度", "y"),
    "point_id": ("point_id", "point", "点位", "点位编号", "签到点", "checkpoint"),
}
"""Other names each column may go by (app exports, hand-made tables), besides the
check-in sheet's own headers in either language."""

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")


class Unreadable(Exception):
    """A file that cannot be read as a table or track; the message says why."""


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, pair in CATALOGUE.items():
        if key.startswith("col."):
            names[key[4:]] = key[4:]
            for word in pair:
                names[word.strip().lower()] = key[4:]
    for name, words in ALIASES.items():
        names[name] = name
        for word in words:
            names[word.lower()] = name
    return names


_NAMES = _header_names()


def canonical_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its headers renamed to the internal names where known (either
    language, the aliases of :data:`ALIASES`); unknown headers are kept as they are."""
    renamed = {c: _NAMES.get(str(c).strip().lower(), str(c).strip()) for c in frame.columns}
    return frame.rename(columns=renamed)


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("not UTF-8 or GB18030 text")


def read_table_file(path: Path) -> pd.DataFrame:
    """The first sheet of an xlsx file, or a CSV file (UTF-8 with or without BOM, or
    GB18030), as text and Excel's own values (dates stay dates); empty rows dropped."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            frame = _read_csv(path)
        else:
            raise Unreadable(f"'{path.suffix}' is not a table file")
    except Unreadable:
        raise
    except Exception as exc:  # any parser failure is the file's fault, said once
        raise Unreadable(f"{type(exc).__name__}: {str(exc)[:120]}") from exc
    frame = frame.replace({"": None})
    return frame.dropna(how="all").reset_index(drop=True)


_CLOCK = re.compile(r"^\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*$")


def parse_time(value: Any, *, day: dt.date | None = None) -> dt.datetime | None:
    """A local date-time from a cell: a date-time, a time of day on ``day`` (``09:35``,
    an Excel time, a fraction of a day), or ISO text; None when blank. Raises
    ``ValueError`` for anything else. Time zones are dropped after conversion to
    Beijing time (UTC+8), the time the plan is in."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return _local(pd.Timestamp(value))
    if isinstance(value, dt.time):
        return _on_day(value, day)
    if isinstance(value, (int, float)) and 0 <= float(value) < 1 and day is not None:
        seconds = round(float(value) * 86400)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    textual = str(value).strip()
    if not textual:
        return None
    clock = _CLOCK.match(textual)
    if clock:
        h, m, s = (int(g) if g else 0 for g in clock.groups())
        return _on_day(dt.time(h, m, s), day)
    return _local(pd.Timestamp(textual))


def _on_day(value: dt.time, day: dt.date | None) -> dt.datetime:
    if day is None:
        raise ValueError("a time of day without a date")
    return dt.datetime.combine(day, value)


def _local(stamp: pd.Timestamp) -> dt.datetime:
    if pd.isna(stamp):
        raise ValueError("not a time")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Shanghai").tz_localize(None)
    result: dt.datetime = stamp.to_pydatetime()
    return result


def lonlat_to_xy(
    lon: NDArray[np.float64], lat: NDArray[np.float64], *, crs: Any, gcj02: bool = False
) -> NDArray[np.float64]:
    """Lon/lat (WGS 84, or GCJ-02 with ``gcj02``) as ``(n, 2)`` metres in ``crs``."""
    from pyproj import Transformer

    from patrol.projection import gcj02_to_wgs84

    if gcj02:
        lon, lat = gcj02_to_wgs84(lon, lat)
    to_xy = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = to_xy.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack((x, y)).astype(np.float64)


def xy_to_lonlat(xy: NDArray[np.float64], *, crs: Any) -> NDArray[np.float64]:
    """Metres in ``crs`` as ``(n, 2)`` WGS 84 lon/lat (for files written from a plan)."""
    from pyproj import Transformer

    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(xy[:, 0], xy[:, 1])
    return np.column_stack((lon, lat)).astype(np.float64)
