"""The actuals and their compliance in the plan store (``OUT/plan.gpkg``).

The layers are declared in :mod:`patrol.store.schema` (``ACTUAL_LAYERS``,
``COMPLIANCE_LAYERS``). :func:`write_actuals` writes all of them in one call of
:func:`patrol.store.layers.write_layers`: the store is copied, the layers written into the
copy, and the copy renamed over the store, so a killed import leaves the store as it was.
A store written before the actuals existed has none of these layers: :func:`has_actuals`
says so and the readers raise a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from patrol.actuals.compliance import Compliance
from patrol.actuals.labels import both
from patrol.errors import InputError, Problem
from patrol.store import schema
from patrol.store.layers import layer_names, read_layer, read_meta, write_layers

__all__ = ["Actuals", "has_actuals", "read_actuals", "read_compliance", "write_actuals"]


@dataclass(frozen=True)
class Actuals:
    """The actuals kept in the store: check-ins, screened fixes, matched legs, warnings."""

    checkins: pd.DataFrame
    fixes: gpd.GeoDataFrame
    legs: gpd.GeoDataFrame
    warnings: pd.DataFrame


def _warnings(problems: list[Problem]) -> pd.DataFrame:
    rows = [
        {"file": p.file, "feature": p.feature, "message": p.message, "fix": p.fix} for p in problems
    ]
    return pd.DataFrame(rows, columns=schema.ACTUAL_WARNINGS.names)


def write_actuals(
    out: str | Path,
    actuals: Actuals,
    compliance: Compliance,
    *,
    problems: list[Problem] | None = None,
) -> Path:
    """Replace the actuals and compliance layers of ``out``'s store, all at once."""
    frames: dict[str, pd.DataFrame] = {
        schema.ACTUAL_CHECKINS.name: actuals.checkins[schema.ACTUAL_CHECKINS.names],
        schema.ACTUAL_FIXES.name: actuals.fixes[[*schema.ACTUAL_FIXES.names, "geometry"]],
        schema.ACTUAL_LEGS.name: actuals.legs[[*schema.ACTUAL_LEGS.names, "geometry"]],
        schema.ACTUAL_WARNINGS.name: _warnings(problems or []),
    }
    for f in fields(compliance):
        if f.name != "summary":
            frames[schema.COMPLIANCE_LAYERS[f.name].name] = getattr(compliance, f.name)
    meta: dict[str, Any] = {
        "actuals": {
            "checkins": len(actuals.checkins),
            "tracks": int(actuals.fixes["track_id"].nunique()) if len(actuals.fixes) else 0,
            "fixes": len(actuals.fixes),
        },
        "compliance_summary": compliance.summary,
    }
    return write_layers(Path(out), frames, **meta)


def has_actuals(out: str | Path) -> bool:
    """True when ``out``'s store holds actuals (stores before issue #15 do not)."""
    gpkg = Path(out) / schema.PLAN_FILE
    return gpkg.exists() and schema.ACTUAL_FIXES.name in layer_names(gpkg)


def _store(out: str | Path) -> Path:
    gpkg = Path(out) / schema.PLAN_FILE
    read_meta(gpkg)  # a missing store or another version: the store's own message
    if not has_actuals(out):
        raise InputError(both("err.no_actuals", out=out), file=str(gpkg))
    return gpkg


def read_actuals(out: str | Path) -> Actuals:
    """The actuals saved in ``out`` (raises :class:`InputError` when there are none)."""
    gpkg = _store(out)
    return Actuals(*(read_layer(gpkg, layer.name) for layer in schema.ACTUAL_LAYERS))  # type: ignore[arg-type]


def read_compliance(out: str | Path) -> Compliance:
    """The compliance saved in ``out`` with its summary (raises when there is none)."""
    gpkg = _store(out)
    tables: dict[str, Any] = {
        name: read_layer(gpkg, layer.name) for name, layer in schema.COMPLIANCE_LAYERS.items()
    }
    summary = read_meta(gpkg).get("compliance_summary", {})
    return Compliance(**tables, summary={k: float(v) for k, v in summary.items()})
