"""The week's rules that sit between the planning stages (issue #13).

- :func:`open_overdue_visits`: a visit overdue at the week's start may use the first two
  days, so the backlog is shared by two days instead of one;
- :func:`gap_limits`: the longest gap allowed between two sweeps of each red or orange
  grid (``2 × week ÷ sweeps``), which the assignment keeps as gap windows;
- :func:`worker_grid`: whose grid a team's grid worker serves (the own-worker rule);
- :func:`drop_idle_teams`: a team routing gave no task is not formed;
- :func:`bound_of_plan`: the upper bound from the assignment relaxation, and what the gap
  between plan and bound is made of.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from patrol.plan import Plan, TeamRoute, sweep_gap_limit_h

if TYPE_CHECKING:
    from patrol.demand import Task
    from patrol.routing.assign import Assignment
    from patrol.scenario.model import Person, Scenario, ShiftSlot
    from patrol.teams.types import Team, TeamPlan


def open_overdue_visits(tasks: Sequence[Task], slots: Sequence[ShiftSlot]) -> list[Task]:
    """Visits due at or before the week's first day (overdue) may use any shift of the
    first two days, so the overdue backlog is shared by two days instead of one."""
    first_days = sorted({s.date for s in slots})[:2]
    if not first_days:
        return list(tasks)
    keys = frozenset(s.key for s in slots if s.date in first_days)
    return [
        dataclasses.replace(t, slots=t.slots | keys)
        if t.kind == "visit" and t.due is not None and t.due <= first_days[0]
        else t
        for t in tasks
    ]


def worker_grid(team: Team) -> str | None:
    """The grid whose own grid worker is on ``team`` (None without a grid worker)."""
    worker = team.grid_worker
    return None if worker is None else worker.grid_id


def gap_limits(scenario: Scenario, tasks: Sequence[Task], *, week_h: float) -> dict[str, float]:
    """The longest gap allowed between two sweeps of each red or orange grid with sweeps."""
    sweeps: dict[str, int] = {}
    for t in tasks:
        if t.kind == "sweep":
            sweeps[t.grid_id] = max(sweeps.get(t.grid_id, 0), t.group_size)
    risk = dict(zip(scenario.grids["grid_id"], scenario.grids["risk"], strict=True))
    limits = {
        g: sweep_gap_limit_h(str(risk.get(g, "")), k, week_h=week_h) for g, k in sweeps.items()
    }
    return {g: v for g, v in limits.items() if v is not None}


def drop_idle_teams(
    team_plan: TeamPlan, routes: Mapping[str, TeamRoute], people: Sequence[Person]
) -> tuple[TeamPlan, tuple[Team, ...]]:
    """The team plan without the teams that got no task (not formed: their person-shifts
    stay free and leave the weekly load and spread), and the dropped teams."""
    from patrol.teams.rules import spread_duty

    def busy(team: Team) -> bool:
        route = routes.get(team.team_id)
        return route is not None and any(s.kind != "post" for s in route.stops)

    kept = tuple(t for t in team_plan.teams if busy(t))
    idle = tuple(t for t in team_plan.teams if not busy(t))
    load = {pid: 0 for pid in team_plan.load}
    for team in kept:
        for p in team.members:
            load[p.person_id] = load.get(p.person_id, 0) + 1
    replaced = dataclasses.replace(
        team_plan, teams=kept, load=load, spread=spread_duty(people, load)
    )
    return replaced, idle


def bound_of_plan(plan: Plan, relaxed: Assignment) -> tuple[float, dict[str, float]]:
    """The upper bound (share of the week's weight) from the relaxation's own bound, and
    what the gap to the plan is made of (see :attr:`patrol.plan.Plan.bound_gap`)."""
    total = sum(t.weight for t in plan.demand.tasks)
    if total == 0:
        return 1.0, {}
    served = plan.served_task_ids
    bound = min(1.0, max(relaxed.bound, relaxed.placed_weight) / total)
    gap: dict[str, float] = {"proof": round(max(0.0, bound - relaxed.placed_weight / total), 4)}
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    for tid in sorted(set(relaxed.team_of) - served):
        kind = task_by_id[tid].kind
        gap[kind] = gap.get(kind, 0.0) + task_by_id[tid].weight / total
    plan_only = sum(task_by_id[t].weight for t in served - set(relaxed.team_of)) / total
    gap["plan_only"] = -plan_only
    return bound, {k: round(v, 4) for k, v in gap.items()}
