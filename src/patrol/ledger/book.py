"""The ledger itself (台账): the running record of every week in the station store.

Three tables, one row per thing recorded, week after week: every team-shift planned
(with what it did), every household visit planned (done, late or missed, and when), and
every grid each week (sweeps and visits planned and done, the longest gap between
patrols and the residents left in blind spots, as walked). A week without actuals shows
its plan with the done columns empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from patrol.ledger.history import StationStore, list_weeks, read_history

__all__ = ["Ledger", "ledger_tables"]


@dataclass
class Ledger:
    """The ledger's three tables (plain figures) and the weeks they cover."""

    weeks: list[dt.date]
    patrols: pd.DataFrame
    visits: pd.DataFrame
    grids: pd.DataFrame


def _patrols(store: StationStore, weeks: list[dt.date]) -> pd.DataFrame:
    routes = pd.DataFrame(read_history(store, "plan_routes", weeks=weeks).drop(columns="geometry"))
    shifts = read_history(store, "compliance_shifts", weeks=weeks)
    done = shifts.drop(columns=["date", "shift", "beat_id", "members"], errors="ignore")
    out = routes.merge(done, on=["week_start", "team_id"], how="left")
    return out.sort_values(["date", "start", "team_id"], kind="stable").reset_index(drop=True)


def _visits(store: StationStore, weeks: list[dt.date]) -> pd.DataFrame:
    planned = pd.DataFrame(read_history(store, "plan_stops", weeks=weeks).drop(columns="geometry"))
    planned = planned.loc[planned["kind"] == "visit"].rename(
        columns={"arrive": "planned_arrive", "target_id": "household_id"}
    )
    routes = read_history(store, "plan_routes", weeks=weeks)[
        ["week_start", "team_id", "date", "shift", "members"]
    ]
    planned = planned.merge(routes, on=["week_start", "team_id"], how="left")
    comp = pd.DataFrame(
        read_history(store, "compliance_stops", weeks=weeks).drop(columns="geometry")
    )
    keep = [
        "week_start",
        "team_id",
        "task_id",
        "status",
        "arrive",
        "dwell_min",
        "late_min",
        "source",
    ]
    out = planned.merge(comp[keep], on=["week_start", "team_id", "task_id"], how="left")
    return out.sort_values(["date", "planned_arrive", "team_id"], kind="stable").reset_index(
        drop=True
    )


def _grids(store: StationStore, weeks: list[dt.date]) -> pd.DataFrame:
    plan = pd.DataFrame(read_history(store, "plan_grids", weeks=weeks).drop(columns="geometry"))
    keep = ["week_start", "grid_id", "name", "beat_id", "risk", "sweeps_required", "visits_due"]
    out = plan[[c for c in keep if c in plan.columns]]
    comp = read_history(store, "compliance_grids", weeks=weeks).drop(
        columns=["beat_id"], errors="ignore"
    )
    out = out.merge(comp, on=["week_start", "grid_id"], how="left")
    return out.sort_values(["week_start", "grid_id"]).reset_index(drop=True)


def ledger_tables(store: StationStore, *, weeks: list[dt.date] | None = None) -> Ledger:
    """The ledger of ``weeks`` (default: every week in the store)."""
    chosen = sorted(weeks) if weeks is not None else list_weeks(store)
    return Ledger(chosen, _patrols(store, chosen), _visits(store, chosen), _grids(store, chosen))
