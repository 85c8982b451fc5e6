"""The plan's figures: per grid, per person and for the station.

One function computes them (:func:`grid_table`, :func:`plan_summary`); the terminal
report, ``summary.json``, the CSV files, maps and sheets all read the same numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from patrol.plan import Plan


def grid_table(plan: Plan) -> pd.DataFrame:
    """Per grid: sweeps required/planned (all and night), visits due/planned, hot-spot
    minutes target/planned, indexed by ``grid_id``."""
    scenario = plan.scenario
    needs = plan.demand.needs
    night_keys = {s.key for s in plan.slots if s.night}
    slot_of_team = {t.team_id: t.slot.key for t in plan.team_plan.teams}
    sweeps: dict[str, float] = defaultdict(float)
    night_sweeps: dict[str, float] = defaultdict(float)
    visits: dict[str, int] = defaultdict(int)
    hot_min: dict[str, float] = defaultdict(float)
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    for route in plan.routes:
        night = slot_of_team[route.team.team_id] in night_keys
        for stop in route.stops:
            task = task_by_id.get(stop.task_id)
            if task is None:
                continue
            if task.kind == "sweep":
                sweeps[task.grid_id] += 1.0 / task.parts
                if night:
                    night_sweeps[task.grid_id] += 1.0 / task.parts
            elif task.kind == "visit":
                visits[task.grid_id] += 1
            elif task.kind == "hotspot":
                hot_min[task.grid_id] += (stop.depart - stop.arrive).total_seconds() / 60
    hot_target: dict[str, float] = defaultdict(float)
    for t in plan.demand.tasks:
        if t.kind == "hotspot":
            hot_target[t.grid_id] += t.service_s / 60
    rows = []
    for g in scenario.grids.itertuples(index=False):
        need = needs[g.grid_id]
        rows.append(
            {
                "grid_id": g.grid_id,
                "name": g.name,
                "beat_id": g.beat_id,
                "risk": g.risk,
                "sweeps_required": need.total,
                "sweeps_planned": round(sweeps[g.grid_id], 2),
                "night_sweeps_required": need.night_min,
                "night_sweeps_planned": round(night_sweeps[g.grid_id], 2),
                "visits_due": plan.demand.visits_due.get(g.grid_id, 0),
                "visits_planned": visits[g.grid_id],
                "hotspot_minutes_target": round(hot_target[g.grid_id], 1),
                "hotspot_minutes_planned": round(hot_min[g.grid_id], 1),
                "recent_incidents": need.recent_incidents,
            }
        )
    return pd.DataFrame(rows).set_index("grid_id")


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
    grids = grid_table(plan)
    kinds = Counter(u.task.kind for u in plan.unserved)
    reasons = Counter(u.reason for u in plan.unserved)
    shortfalls = [t for t in plan.team_plan.teams if t.shortfall > 0]
    return {
        "station": plan.scenario.settings.station,
        "scenario": str(Path(plan.scenario.source).resolve()) if plan.scenario.source else "",
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
    }
