"""The reports' tables as people read them: headers in the reader's language, codes as
names, figures rounded.

Each report builds plain frames (codes, full floats, timestamps); :func:`people_frame`
cuts the shown columns out of one, given ``(column, kind)`` pairs, with headers from
:mod:`patrol.ledger.labels` (``col.<column>``). Kinds: ``text``, ``int``, ``num1`` (one
decimal), ``share`` (a 0–1 share shown as a percentage with one decimal), ``date``,
``time``, ``bool`` (是/否), and the codes ``shift``, ``role``, ``kind``, ``status``,
``risk``, ``reason`` (names from the catalogues). ``frame.attrs["kinds"]`` keeps each
header's kind, so the Excel writer formats dates as dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from patrol.labels import shift_label
from patrol.ledger.labels import text

__all__ = ["people_frame", "shown_value"]

_CODES = {"role": "role", "kind": "kind", "status": "status", "risk": "risk", "reason": "why"}
_ROLE_IN_TEXT = re.compile(r"\(([a-z_]+)\)")


def _code(prefix: str, value: Any, lang: str) -> Any:
    if not isinstance(value, str) or not value:
        return value
    key = f"{prefix}.{value}"
    found = text(key, lang)
    return value if found == key else found


def shown_value(value: Any, kind: str, lang: str) -> Any:
    """One value as a person reads it (blanks stay blank)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if kind in ("int", "num1", "share"):
        number = float(value)
        if kind == "int":
            return round(number)
        return round(number * (100.0 if kind == "share" else 1.0), 1)
    if kind == "bool":
        return text("yes" if bool(value) else "no", lang)
    if kind in ("date", "time"):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.to_pydatetime()
    if kind == "shift":
        return shift_label(str(value), lang)
    if kind in _CODES:
        return _code(_CODES[kind], value, lang)
    if kind == "members":
        return _ROLE_IN_TEXT.sub(lambda m: f"({_code('role', m.group(1), lang)})", str(value))
    return value


def people_frame(
    frame: pd.DataFrame, columns: Sequence[tuple[str, str]], *, lang: str
) -> pd.DataFrame:
    """The shown ``columns`` (``(column, kind)``) of ``frame`` with headers in ``lang``;
    a column the frame lacks is left out."""
    shown = [(c, k) for c, k in columns if c in frame.columns]
    out = pd.DataFrame(
        {
            text(f"col.{c}", lang): [shown_value(v, k, lang) for v in frame[c].tolist()]
            for c, k in shown
        },
        index=range(len(frame)),
    )
    out.attrs["kinds"] = {text(f"col.{c}", lang): k for c, k in shown}
    return out
