"""The tables people read: the CSV copies and the sheets of ``plan.xlsx``.

The plan store keeps the machine-readable data (codes, ISO times, full floats); the
people's tables are cut from it, in the reader's language: headers from the label
catalogue (``col.*``), codes turned into names (roles, task kinds, risk colours, shifts),
figures rounded to what a person reads (metres and minutes as integers, shares as
percentages), booleans as 是/否 (yes/no). :data:`TABLES` is the one place that says
which column a table shows, under which header and how its values read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from patrol.labels import label, shift_label

__all__ = ["TABLES", "people_table", "read_times"]

Column = tuple[str, str, str]
"""(column, header key without ``col.``, kind) of one shown column."""

TABLES: dict[str, tuple[Column, ...]] = {
    "routes": (
        ("date", "date", "date"),
        ("shift", "shift", "shift"),
        ("team_id", "team_id", "text"),
        ("beat_id", "beat_id", "text"),
        ("post_id", "post_id", "text"),
        ("start", "start", "time"),
        ("end", "end", "time"),
        ("length_m", "length_m", "int"),
        ("stops", "stops", "int"),
        ("members", "members", "members"),
        ("night", "night", "bool"),
    ),
    "stops": (
        ("team_id", "team_id", "text"),
        ("seq", "seq", "int"),
        ("kind", "kind", "kind"),
        ("target_id", "target_id", "text"),
        ("grid_id", "grid_id", "text"),
        ("arrive", "arrive", "time"),
        ("depart", "depart", "time"),
        ("description", "description", "lang"),
    ),
    "teams": (
        ("date", "date", "date"),
        ("shift", "shift", "shift"),
        ("team_id", "team_id", "text"),
        ("beat_id", "beat_id", "text"),
        ("person_id", "person_id", "text"),
        ("name", "name", "text"),
        ("role", "role", "role"),
        ("phone", "phone", "text"),
        ("shortfall", "shortfall", "int"),
    ),
    "unserved": (
        ("task", "task", "text"),
        ("kind", "kind", "kind"),
        ("target", "target_id", "text"),
        ("grid_id", "grid_id", "text"),
        ("beat_id", "beat_id", "text"),
        ("description", "description", "lang"),
        ("reason", "reason", "lang"),
    ),
    "grids": (
        ("grid_id", "grid_id", "text"),
        ("name", "grid_name", "text"),
        ("beat_id", "beat_id", "text"),
        ("risk", "risk", "risk"),
        ("sweeps_required", "sweeps_required", "int"),
        ("sweeps_planned", "sweeps_planned", "num1"),
        ("night_sweeps_required", "night_sweeps_required", "int"),
        ("night_sweeps_planned", "night_sweeps_planned", "num1"),
        ("visits_due", "visits_due", "int"),
        ("visits_planned", "visits_planned", "int"),
        ("hotspot_minutes_target", "hotspot_minutes_target", "int"),
        ("hotspot_minutes_planned", "hotspot_minutes_planned", "int"),
        ("recent_incidents", "recent_incidents", "int"),
    ),
    "duty": (
        ("person_id", "person_id", "text"),
        ("name", "name", "text"),
        ("role", "role", "role"),
        ("beat_id", "beat_id", "text"),
        ("shifts", "shifts", "int"),
        ("max_shifts", "max_shifts", "int"),
    ),
    "staffing_gaps": (
        ("date", "date", "date"),
        ("day", "day", "lang"),
        ("shift", "shift", "shift"),
        ("beat_id", "beat_id", "text"),
        ("needed", "needed", "int"),
        ("formed", "formed", "int"),
        ("reason", "reason", "lang"),
    ),
    "coverage": (
        ("grid_id", "grid_id", "text"),
        ("name", "grid_name", "text"),
        ("beat_id", "beat_id", "text"),
        ("risk", "risk", "risk"),
        ("households", "households", "int"),
        ("residents", "residents", "int"),
        ("street_length_m", "street_length_m", "int"),
        ("street_walked_share", "street_walked_share", "share"),
        ("night_street_walked_share", "night_street_walked_share", "share"),
        ("camera_seen_share", "camera_seen_share", "share"),
        ("blind_street_share", "blind_street_share", "share"),
        ("buildings", "buildings", "int"),
        ("buildings_covered_share", "buildings_covered_share", "share"),
        ("residents_covered_share", "residents_covered_share", "share"),
        ("night_buildings_covered_share", "night_buildings_covered_share", "share"),
        ("blind_buildings", "blind_buildings", "int"),
        ("blind_residents", "blind_residents", "int"),
        ("patrols", "patrols", "int"),
        ("longest_gap_h", "longest_gap_h", "num1"),
        ("sweeps_required", "sweeps_required", "int"),
        ("sweeps_planned", "sweeps_planned", "num1"),
        ("sweeps_share", "sweeps_share", "share"),
        ("visits_share", "visits_share", "share"),
        ("incidents_90d", "incidents_90d", "int"),
        ("incidents_in_blind_spots", "incidents_in_blind_spots", "int"),
    ),
}
"""Per people's table: the columns shown, in order (a column the frame lacks is left out)."""

_ROLE_IN_TEXT = re.compile(r"\(([a-z_]+)\)")
_CODE_IN_TEXT = re.compile(r"(?<![A-Za-z_])([a-z]+_[a-z_]+|[a-z]+)(?![A-Za-z_])")


def _named_incidents(lang: str) -> Callable[[Any], Any]:
    """Incident category codes inside a text (``…，ebike_theft）``) -> their names
    (``电动车盗窃``): task descriptions are made with the raw code of a hot spot's
    commonest category."""
    name = _codes("incident", lang)
    return lambda text: (
        _CODE_IN_TEXT.sub(lambda m: str(name(m.group(1))), text) if isinstance(text, str) else text
    )


def _codes(prefix: str, lang: str) -> Callable[[Any], Any]:
    """A code -> its catalogue name (``role.officer`` -> 民警); unknown codes stay."""

    def name(code: Any) -> Any:
        if not isinstance(code, str) or not code:
            return code
        text = label(f"{prefix}.{code}", lang)
        return code if text == f"{prefix}.{code}" else text

    return name


def _members(lang: str) -> Callable[[Any], Any]:
    """``唐平斌(officer)、…`` -> ``唐平斌(民警)、…``."""
    role = _codes("role", lang)
    return lambda text: (
        _ROLE_IN_TEXT.sub(lambda m: f"({role(m.group(1))})", text)
        if isinstance(text, str)
        else text
    )


def _rounded(values: pd.Series, digits: int) -> pd.Series:
    """Numbers rounded (to integers for ``digits = 0``); blanks stay blank."""
    numbers = pd.to_numeric(values, errors="coerce")
    if digits == 0:
        return numbers.round().astype("Int64")
    return numbers.round(digits)


def _values(frame: pd.DataFrame, column: str, kind: str, lang: str) -> pd.Series:
    """One shown column's values, as people read them."""
    if kind == "lang":
        return frame[f"{column}_{lang}"].map(_named_incidents(lang))
    values = frame[column]
    if kind == "int":
        return _rounded(values, 0)
    if kind == "num1":
        return _rounded(values, 1)
    if kind == "share":
        return _rounded(pd.to_numeric(values, errors="coerce") * 100.0, 1)
    if kind == "bool":
        yes, no = label("yes", lang), label("no", lang)
        return values.map(lambda v: yes if bool(v) else no)
    if kind in ("date", "time"):
        return pd.to_datetime(values, errors="coerce")
    if kind == "shift":
        return values.map(lambda v: shift_label(v, lang) if isinstance(v, str) else v)
    if kind == "members":
        return values.map(_members(lang))
    if kind in ("role", "kind", "risk"):
        return values.map(_codes(kind, lang))
    return values


def _has(frame: pd.DataFrame, column: str, kind: str, lang: str) -> bool:
    return (f"{column}_{lang}" if kind == "lang" else column) in frame.columns


def people_table(name: str, frame: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """The people's version of table ``name`` (a key of :data:`TABLES`) made from its
    store rows ``frame``: shown columns only, headers and values in ``lang``.

    Dates and times come back as timestamps (``plan.xlsx`` writes them as Excel dates;
    :func:`read_times` gives the CSV text); a column the frame lacks is left out.
    """
    shown = [c for c in TABLES[name] if _has(frame, c[0], c[2], lang)]
    out = pd.DataFrame(
        {label(f"col.{key}", lang): _values(frame, col, kind, lang) for col, key, kind in shown}
    )
    out.attrs["kinds"] = {label(f"col.{key}", lang): kind for _, key, kind in shown}
    return out.reset_index(drop=True)


def read_times(table: pd.DataFrame) -> pd.DataFrame:
    """A people's table with its dates as ``2026-11-30`` and times as
    ``2026-11-30 09:00``: the text a CSV holds (no ISO ``T``, no seconds)."""
    out = table.copy()
    for header, kind in table.attrs.get("kinds", {}).items():
        if kind in ("date", "time"):
            fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M"
            stamps = pd.to_datetime(out[header], errors="coerce")
            out[header] = np.where(stamps.isna(), "", stamps.dt.strftime(fmt))
    return out
