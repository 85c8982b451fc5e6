"""The weekly follow-up (每周跟进考核督导): per person and grid, planned against done,
with the week's missed visits carried forward.

Built from the station store alone. A person's figures are the sums over the team-shifts
they were on (a 1+1+N team's work counts for each member); a grid's come from the stops
of the week in that grid. A visit missed this week is carried forward, and so is one
missed in an earlier week whose household has had no visit done since: the list says
since when it is outstanding, so the next week's plan (``patrol next-week``) and the
chief see the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from patrol.errors import PatrolError
from patrol.ledger.history import StationStore, list_weeks, read_history
from patrol.ledger.labels import both

__all__ = ["Weekly", "carried_visits", "weekly_follow_up"]

_SUMS = [
    "stops_planned",
    "stops_done",
    "stops_late",
    "stops_missed",
    "visits_planned",
    "visits_done",
    "sweep_planned_m",
    "sweep_walked_m",
    "hotspot_target_min",
    "hotspot_dwell_min",
    "hotspot_short",
]


@dataclass
class Weekly:
    """The week's follow-up tables (plain figures; :mod:`patrol.ledger.write` shows them)."""

    week_start: dt.date
    people: pd.DataFrame
    grids: pd.DataFrame
    carried: pd.DataFrame
    totals: dict[str, float]


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["stops_done_share"] = out["stops_done"] / out["stops_planned"].where(
        out["stops_planned"] > 0
    )
    out["visits_done_share"] = out["visits_done"] / out["visits_planned"].where(
        out["visits_planned"] > 0
    )
    out["sweep_share"] = out["sweep_walked_m"] / out["sweep_planned_m"].where(
        out["sweep_planned_m"] > 0
    )
    out["hotspot_share"] = out["hotspot_dwell_min"] / out["hotspot_target_min"].where(
        out["hotspot_target_min"] > 0
    )
    return out


def _people(shifts: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    joined = shifts.merge(
        teams[["team_id", "person_id", "name", "role", "beat_id"]].rename(
            columns={"beat_id": "team_beat"}
        ),
        on="team_id",
    )
    if not len(joined):
        return _shares(
            pd.DataFrame(
                columns=["person_id", "name", "role", "shifts_planned", "shifts_tracked", *_SUMS]
            )
        )
    grouped = joined.groupby(["person_id", "name", "role"], sort=True)
    people = grouped[_SUMS].sum().reset_index()
    people["shifts_planned"] = grouped.size().to_numpy()
    people["shifts_tracked"] = grouped["tracked"].sum().to_numpy()
    people["deviation"] = grouped["deviation"].mean().to_numpy()
    return _shares(people)


def _grids(stops: pd.DataFrame, grids: pd.DataFrame, comp: pd.DataFrame) -> pd.DataFrame:
    base = pd.DataFrame(grids.drop(columns="geometry", errors="ignore"))[
        ["grid_id", "name", "beat_id", "risk", "sweeps_required"]
    ]
    real = stops.loc[stops["kind"] != "post"]
    done = real["status"].isin(["done", "late"])
    per = (
        pd.DataFrame(
            {
                "grid_id": real["grid_id"],
                "sweeps_planned": real["kind"].eq("sweep"),
                "sweeps_done": real["kind"].eq("sweep") & done,
                "visits_planned": real["kind"].eq("visit"),
                "visits_done": real["kind"].eq("visit") & done,
                "hotspot_planned": real["kind"].eq("hotspot"),
                "hotspot_short": real["kind"].eq("hotspot") & (real["dwell_min"] < 10),
                "stops_missed": real["status"].eq("missed"),
            }
        )
        .groupby("grid_id")
        .sum()
        .reset_index()
    )
    out = base.merge(per, on="grid_id", how="left").fillna(
        {c: 0 for c in per.columns if c != "grid_id"}
    )
    keep = ["grid_id", "sweep_share", "longest_gap_walked_h", "blind_residents_walked"]
    if len(comp):
        out = out.merge(comp[[c for c in keep if c in comp.columns]], on="grid_id", how="left")
    out["visits_done_share"] = out["visits_done"] / out["visits_planned"].where(
        out["visits_planned"] > 0
    )
    return out.sort_values("grid_id").reset_index(drop=True)


def carried_visits(store: StationStore, week_start: dt.date) -> pd.DataFrame:
    """The visits missed up to the end of ``week_start``'s week and not done since: one row
    a household (its grid, when it was first missed, how many times, the team of the last
    miss)."""
    weeks = [w for w in list_weeks(store) if w <= week_start]
    stops = read_history(store, "compliance_stops", weeks=weeks)
    visits = stops.loc[stops["kind"] == "visit"].sort_values(
        ["date", "planned_arrive"], kind="stable"
    )
    rows = []
    for household, part in visits.groupby("target_id", sort=True):
        done = part.loc[part["status"].isin(["done", "late"]), "date"]
        last_done = max(done) if len(done) else None
        open_ = part.loc[
            (part["status"] == "missed")
            & ((last_done is None) | (part["date"] > (last_done or dt.date.min)))
        ]
        if not len(open_):
            continue
        last = open_.iloc[-1]
        rows.append(
            {
                "household_id": household,
                "grid_id": last["grid_id"],
                "beat_id": last["beat_id"],
                "first_missed": open_["date"].min(),
                "last_missed": last["date"],
                "times_missed": len(open_),
                "team_id": last["team_id"],
                "last_done": last_done,
            }
        )
    columns = [
        "household_id",
        "grid_id",
        "beat_id",
        "first_missed",
        "last_missed",
        "times_missed",
        "team_id",
        "last_done",
    ]
    return pd.DataFrame(rows, columns=columns)


def weekly_follow_up(store: StationStore, week_start: dt.date) -> Weekly:
    """The follow-up of the week starting ``week_start`` (which must be in the store)."""
    if week_start not in list_weeks(store):
        raise PatrolError(both("err.no_week", week=week_start.isoformat()))
    shifts = read_history(store, "compliance_shifts", weeks=[week_start])
    teams = read_history(store, "plan_teams", weeks=[week_start])
    stops = read_history(store, "compliance_stops", weeks=[week_start])
    grids = read_history(store, "plan_grids", weeks=[week_start])
    comp = read_history(store, "compliance_grids", weeks=[week_start])
    people = _people(shifts, teams)
    totals = {c: float(shifts[c].sum()) for c in _SUMS if c in shifts.columns}
    totals["shifts"] = float(len(shifts))
    totals["deviation"] = float(shifts["deviation"].mean()) if len(shifts) else float("nan")
    carried = carried_visits(store, week_start)
    totals["carried"] = float(len(carried))
    return Weekly(week_start, people, _grids(stops, grids, comp), carried, totals)
