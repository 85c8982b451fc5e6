"""Improve a given week on its real routes: put what was left out back where it fits.

The planner's assignment places tasks with a travel *estimate*, and routing then drops
what does not fit. :func:`insert_missing` takes the routes as they are and, heaviest
task first, inserts each missing optional task at the cheapest place that keeps every
limit of the route (duration, capacity, distance) and the rules of the week (allowed
slots and vehicles, one visit a day, the group's spacing); a task with several visits
left gets them on days that keep its spacing. It never moves or drops a served task,
so nothing served before is lost, and the result goes through
:func:`~patrol.weekly.check.evaluate_week` like every week.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from patrol.weekly.problem import Schedule, Spacing, WeekProblem
from patrol.weekly.routes import RouteState

__all__ = ["insert_missing"]


def _group_days(problem: WeekProblem, state: RouteState) -> dict[str, dict[int, int]]:
    """Visits per group and day in the current routes."""
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for t, days in state.visits().items():
        group = problem.tasks[t].group
        if group:
            for d in days:
                out[group][d] += 1
    return out


def _day_allowed(problem: WeekProblem, counts: dict[int, int], group: str, day: int) -> bool:
    """True when one more visit of ``group`` on ``day`` keeps its spacing."""
    if not group:
        return True
    rule = problem.spacing.get(group, Spacing())
    if counts.get(day, 0) + 1 > rule.per_day:
        return False
    span = rule.window_days
    for lo in range(max(0, day - span + 1), day + 1):
        if span > 1 and lo + span <= problem.n_days:
            n = sum(counts.get(d, 0) for d in range(lo, lo + span)) + 1
            if n > rule.per_window:
                return False
    return True


def insert_missing(problem: WeekProblem, schedule: Schedule) -> tuple[Schedule, list[int]]:
    """``schedule`` with missing optional tasks inserted where they fit; and the tasks
    inserted (heaviest first: by weight, then the cheaper insertion)."""
    state = RouteState(problem, schedule)
    counts = _group_days(problem, state)
    visits = state.visits()
    missing = [
        t
        for t, task in enumerate(problem.tasks)
        if not task.required and len(visits.get(t, {})) < task.frequency
    ]
    missing.sort(key=lambda t: (-(problem.tasks[t].weight or 0.0), t))
    inserted = []
    for t in missing:
        task = problem.tasks[t]
        have = set(visits.get(t, {}))
        need = task.frequency - len(have)
        options = []
        for day in range(problem.n_days):
            if day in have or not _day_allowed(problem, counts[task.group], task.group, day):
                continue
            if task.patterns is not None and not any(have | {day} <= p for p in task.patterns):
                continue
            cost, _veh, _pos = state.insertion_costs(np.array([t]), day)
            if np.isfinite(cost[0]):
                options.append((float(cost[0]), day))
        if len(options) < need:
            continue
        placed: list[int] = []
        for _cost, day in sorted(options):
            if len(placed) == need:
                break
            if _day_allowed(problem, counts[task.group], task.group, day) and state.insert_best(
                t, day
            ):
                placed.append(day)
                counts[task.group][day] += 1
        if len(placed) == need:
            inserted.append(t)
            continue
        for v, route in enumerate(state.routes):  # not all its visits fit: none stays
            if t in route and problem.vehicles[v].day in placed:
                state.remove(t, v)
        for day in placed:
            counts[task.group][day] -= 1
    return state.schedule(), inserted
