"""The plan's figures: per grid, per person and for the station.

The per-grid figures are computed once per plan (:attr:`patrol.plan.Plan.grid_table`);
the terminal report, ``summary.json``, the CSV files, maps and sheets all read the same
numbers.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

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
