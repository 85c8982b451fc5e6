"""The plan's figures: per grid, per person and for the station.

The per-grid figures are computed once per plan (:attr:`patrol.plan.Plan.grid_table`);
the terminal report, ``summary.json``, the CSV files, maps and sheets all read the same
numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from patrol.teams.tally import count_fallback_teams, count_gaps

if TYPE_CHECKING:
    from patrol.plan import Plan


def grid_table(plan: Plan) -> pd.DataFrame:
    """Per grid: sweeps required/planned (all and night), visits due/planned, hot-spot
    minutes target/planned, indexed by ``grid_id``.

    A thin accessor of :attr:`patrol.plan.Plan.grid_table`, which is computed once per plan.
    """
    return plan.grid_table


def duty_table(plan: Plan) -> pd.DataFrame:
    """Per person: role, shifts worked this week, and their weekly limit."""
    load = plan.team_plan.load
    rows = [
        {
            "person_id": p.person_id,
            "name": p.name,
            "role": p.role,
            "beat_id": p.beat_id,
            "shifts": int(load.get(p.person_id, 0)),
            "max_shifts": p.max_shifts_per_week,
        }
        for p in plan.scenario.people
    ]
    return pd.DataFrame(rows)


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The headline figures of a plan, JSON-ready."""
    grids = plan.grid_table
    kinds = Counter(u.task.kind for u in plan.unserved)
    reasons = Counter(u.reason for u in plan.unserved)
    shortfalls = [t for t in plan.team_plan.teams if t.shortfall > 0]
    return {
        "station": plan.scenario.settings.station,
        # the folder's name only: no machine path in an output (the store keeps a
        # path relative to OUT, which write_plan puts here)
        "scenario": Path(plan.scenario.source).name if plan.scenario.source else "",
        "week_start": plan.scenario.settings.week_start.isoformat(),
        "plan_id": plan.plan_id,
        "engine": plan.engine,
        "seed": plan.seed,
        "weighted_demand_met": round(plan.weighted_demand_met, 4),
        "weighted_demand_upper_bound": round(plan.upper_bound, 4),
        "tasks": len(plan.demand.tasks),
        "tasks_served": len(plan.served_task_ids),
        "tasks_unserved": len(plan.unserved),
        "unserved_by_kind": dict(sorted(kinds.items())),
        "unserved_by_reason": dict(sorted(reasons.items())),
        "teams": len(plan.team_plan.teams),
        "routes": len(plan.routes),
        "team_shortfalls": len(shortfalls),
        "staffing_gaps": len(plan.team_plan.gaps),
        "staffing_gaps_by_day": count_gaps(plan.team_plan)["by_day"],
        "fallback_teams": count_fallback_teams(plan.team_plan),
        "walk_km": round(sum(r.length_m for r in plan.routes) / 1000, 2),
        "walk_hours": round(sum(r.duration_s for r in plan.routes) / 3600, 2),
        "sweeps_required": int(grids["sweeps_required"].sum()),
        "sweeps_planned": round(float(grids["sweeps_planned"].sum()), 2),
        "night_sweeps_required": int(grids["night_sweeps_required"].sum()),
        "night_sweeps_planned": round(float(grids["night_sweeps_planned"].sum()), 2),
        "visits_due": int(grids["visits_due"].sum()),
        "visits_planned": int(grids["visits_planned"].sum()),
        "hotspot_minutes_target": round(float(grids["hotspot_minutes_target"].sum()), 1),
        "hotspot_minutes_planned": round(float(grids["hotspot_minutes_planned"].sum()), 1),
        "duty_spread": plan.team_plan.spread,
        "grids": grids.reset_index().to_dict(orient="records"),
        "timings_s": {k: round(v, 2) for k, v in plan.timings.items()},
        "team_status": plan.team_plan.status,
        "week_rules": week_rule_figures(plan),
    }


def day_task_minutes(plan: Plan) -> dict[str, float]:
    """Task-minutes (service time of the tasks the routes carry) per day that has staff
    (a day with a team formed, idle teams included), by date."""
    days = {t.slot.date for t in (*plan.team_plan.teams, *plan.idle_teams)}
    minutes = dict.fromkeys(sorted(days), 0.0)
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    for route in plan.routes:
        for stop in route.stops:
            task = task_by_id.get(stop.task_id)
            if task is not None:
                day = route.team.slot.date
                minutes[day] = minutes.get(day, 0.0) + task.service_s / 60
    return {d.isoformat(): round(m, 1) for d, m in minutes.items()}


def own_worker_shares(plan: Plan, kind: str) -> dict[str, float]:
    """Of the ``kind`` tasks the routes carry: how many, how many by a team whose grid
    worker is the grid's own, and how many could have been (that worker on a team in a
    shift the task may use); with both shares."""
    formed = (*plan.team_plan.teams, *plan.idle_teams)
    on_duty = {(t.grid_worker.grid_id, t.slot.key) for t in formed if t.grid_worker is not None}
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    served = own = possible = 0
    for route in plan.routes:
        worker = route.team.grid_worker
        for stop in route.stops:
            task = task_by_id.get(stop.task_id)
            if task is None or task.kind != kind:
                continue
            served += 1
            own += worker is not None and worker.grid_id == task.grid_id
            possible += any((task.grid_id, k) in on_duty for k in task.slots)
    return {
        "served": served,
        "own": own,
        "possible": possible,
        "share": round(own / served, 4) if served else 1.0,
        "share_where_possible": round(min(1.0, own / possible), 4) if possible else 1.0,
    }


def week_rule_figures(plan: Plan) -> dict[str, Any]:
    """The figures of the week's rules (issue #13): the busiest day against the mean of
    the days with staff, own-grid-worker shares of visits and sweeps, idle teams, plan
    against bound (and what the gap is made of), and the longest sweep gap of every red
    and orange grid against its limit."""
    from patrol.plan import sweep_gap_limit_h

    days = day_task_minutes(plan)
    mean = sum(days.values()) / len(days) if days else 0.0
    busiest = max(days.values(), default=0.0)
    grids = plan.grid_table
    gaps = {}
    for grid, row in grids.iterrows():
        limit = sweep_gap_limit_h(str(row["risk"]), int(row["sweeps_required"]), week_h=plan.week_h)
        if limit is not None:
            gaps[str(grid)] = {
                "risk": str(row["risk"]),
                "longest_gap_h": float(row["longest_gap_h"]),
                "limit_h": round(limit, 1),
            }
    idle = [r for r in plan.routes if not any(s.kind != "post" for s in r.stops)]
    return {
        "day_task_minutes": days,
        "busiest_day_minutes": busiest,
        "mean_day_minutes": round(mean, 1),
        "busiest_over_mean": round(busiest / mean, 3) if mean else 0.0,
        "own_worker_visits": own_worker_shares(plan, "visit"),
        "own_worker_sweeps": own_worker_shares(plan, "sweep"),
        "idle_teams": len(plan.team_plan.teams) - len(plan.routes) + len(idle),
        "idle_teams_dropped": len(plan.idle_teams),
        "plan": round(plan.weighted_demand_met, 4),
        "bound": round(plan.upper_bound, 4),
        "bound_gap_points": round(100 * (plan.upper_bound - plan.weighted_demand_met), 2),
        "bound_gap": dict(plan.bound_gap),
        "longest_gaps": gaps,
        "split_sweeps": split_sweep_figures(plan),
    }


def split_sweep_figures(plan: Plan) -> dict[str, int]:
    """Sweeps walked in parts (issue #13 rule 3): how many, how many were walked whole,
    and how many of those had every part on the shift of the part before or the next
    shift of the grid's beat (its shifts with a team ranked by start)."""
    starts: dict[str, set[dt.datetime]] = {}
    for team in (*plan.team_plan.teams, *plan.idle_teams):
        starts.setdefault(team.beat_id, set()).add(team.slot.start)
    rank = {(b, h): i for b, hs in starts.items() for i, h in enumerate(sorted(hs))}
    parts: dict[tuple[str, int], dict[int, int]] = {}
    size: dict[tuple[str, int], int] = {}
    split = {t.task_id: t for t in plan.demand.tasks if t.kind == "sweep" and t.parts > 1}
    for t in split.values():
        size[(t.grid_id, t.sweep_index)] = t.parts
    for route in plan.routes:
        for stop in route.stops:
            if stop.task_id in split:
                t = split[stop.task_id]
                at = rank[(route.team.beat_id, route.team.slot.start)]
                parts.setdefault((t.grid_id, t.sweep_index), {})[t.part] = at
    whole = {k: v for k, v in parts.items() if len(v) == size[k]}
    consecutive = sum(
        all(0 <= v[p + 1] - v[p] <= 1 for p in range(size[k] - 1)) for k, v in whole.items()
    )
    return {
        "in_parts": len(size),
        "walked_whole": len(whole),
        "consecutive": int(consecutive),
        "partly_walked": len(parts) - len(whole),
    }
