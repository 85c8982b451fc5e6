"""The monthly report (每月考核通报): the trend over the month's weeks, and the grids
ranked by blind-spot residents and incidents.

A week belongs to the month its Monday falls in. The trend has one row a week (stops,
visits, sweeps and hot-spot dwell done against planned, the mean deviation, blind-spot
residents as walked, the incidents of the week); the ranking sums each grid over the
month: residents left in blind spots as walked (each week's count, summed: a grid blind
every week ranks above one blind once) and the incidents recorded in it during the
month (from the newest scenario snapshot: incidents are reported after they happen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from patrol.errors import PatrolError
from patrol.ledger.history import StationStore, list_weeks, read_history
from patrol.ledger.labels import both

__all__ = ["Monthly", "month_weeks", "monthly_report"]


@dataclass
class Monthly:
    """The month's tables (plain figures)."""

    month: str
    weeks: list[dt.date]
    trend: pd.DataFrame
    ranking: pd.DataFrame


def month_weeks(store: StationStore, month: str) -> list[dt.date]:
    """The store's weeks whose Monday falls in ``month`` (``YYYY-MM``)."""
    return [w for w in list_weeks(store) if w.strftime("%Y-%m") == month]


def _incidents(store: StationStore, weeks: list[dt.date]) -> pd.DataFrame:
    """Every incident known to the newest week's snapshot (one row each)."""
    newest = max(list_weeks(store))
    found = read_history(store, "incidents", weeks=[newest])
    return pd.DataFrame(found.drop(columns="geometry", errors="ignore"))


def _trend(store: StationStore, weeks: list[dt.date], incidents: pd.DataFrame) -> pd.DataFrame:
    shifts = read_history(store, "compliance_shifts", weeks=weeks)
    grids = read_history(store, "compliance_grids", weeks=weeks)
    rows = []
    for week in weeks:
        s = shifts.loc[shifts["week_start"] == week]
        g = grids.loc[grids["week_start"] == week]
        end = pd.Timestamp(week + dt.timedelta(days=7))
        times = incidents["time"] if len(incidents) else pd.Series(dtype="datetime64[ns]")
        rows.append(
            {
                "week_start": week,
                "shifts": len(s),
                "stops_planned": s["stops_planned"].sum(),
                "stops_done_share": _share(s["stops_done"].sum(), s["stops_planned"].sum()),
                "stops_missed": s["stops_missed"].sum(),
                "visits_planned": s["visits_planned"].sum(),
                "visits_done_share": _share(s["visits_done"].sum(), s["visits_planned"].sum()),
                "sweep_share": _share(s["sweep_walked_m"].sum(), s["sweep_planned_m"].sum()),
                "hotspot_short": s["hotspot_short"].sum(),
                "deviation": s["deviation"].mean() if len(s) else float("nan"),
                "blind_residents_walked": g["blind_residents_walked"].sum()
                if len(g)
                else float("nan"),
                "incidents": int(((times >= pd.Timestamp(week)) & (times < end)).sum()),
            }
        )
    return pd.DataFrame(rows)


def _share(done: float, planned: float) -> float:
    return float(done) / float(planned) if planned else float("nan")


def _ranking(
    store: StationStore, weeks: list[dt.date], incidents: pd.DataFrame, month: str
) -> pd.DataFrame:
    plan = read_history(store, "plan_grids", weeks=[weeks[-1]])
    out = pd.DataFrame(plan.drop(columns="geometry"))[
        ["grid_id", "name", "beat_id", "risk", "residents"]
    ]
    comp = read_history(store, "compliance_grids", weeks=weeks)
    if len(comp):
        blind = comp.groupby("grid_id").agg(
            blind_residents_walked=("blind_residents_walked", "sum"),
            stops_missed=("stops_missed", "sum"),
            longest_gap_walked_h=("longest_gap_walked_h", "max"),
        )
        out = out.merge(blind.reset_index(), on="grid_id", how="left")
    in_month = (
        incidents.loc[incidents["time"].dt.strftime("%Y-%m") == month]
        if len(incidents)
        else incidents
    )
    counts = in_month.groupby("grid_id").size() if len(in_month) else pd.Series(dtype=int)
    out["incidents"] = out["grid_id"].map(counts).fillna(0).astype(int)
    if "blind_residents_walked" not in out.columns:
        out["blind_residents_walked"] = float("nan")
    out = out.sort_values(
        ["blind_residents_walked", "incidents", "grid_id"],
        ascending=[False, False, True],
        na_position="last",
    )
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def monthly_report(store: StationStore, month: str) -> Monthly:
    """The report of ``month`` (``YYYY-MM``) from the store's weeks in it."""
    weeks = month_weeks(store, month)
    if not weeks:
        raise PatrolError(both("err.no_month", month=month))
    incidents = _incidents(store, weeks)
    return Monthly(
        month, weeks, _trend(store, weeks, incidents), _ranking(store, weeks, incidents, month)
    )
