"""The independent checker of a week: :func:`evaluate_week`.

It recomputes everything from the problem and the schedule alone (no solver state): each
route's cost, duration (travel plus service) and load against its vehicle's limits, each
task's visits against its frequency, its allowed patterns or its group's spacing, its
allowed slots and vehicles. Every broken rule becomes one sentence in ``violations``;
the benchmark and the planner both send every schedule through it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from patrol.weekly.problem import Schedule, Spacing, WeekProblem

__all__ = ["RouteReport", "WeekReport", "evaluate_week"]

TOLERANCE = 1e-6
"""Slack allowed on limits (floating-point sums)."""


@dataclass(frozen=True)
class RouteReport:
    """One used vehicle's route as the checker measured it."""

    vehicle: int
    cost: float
    duration: float
    load: float


@dataclass(frozen=True)
class WeekReport:
    """What :func:`evaluate_week` found: cost, what is missing, and every broken rule.

    ``cost`` sums the routes (cost matrix plus tasks' inner costs); ``unserved_weight``
    the weights of optional tasks left out; ``missing`` the tasks with fewer visits than
    their frequency; ``feasible`` is True when ``violations`` is empty.
    """

    cost: float
    unserved_weight: float
    routes: tuple[RouteReport, ...]
    missing: tuple[int, ...]
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        """No rule broken."""
        return not self.violations


def _label(problem: WeekProblem, task: int) -> str:
    name = problem.tasks[task].name
    return f"task {task} ({name})" if name else f"task {task}"


def _route(problem: WeekProblem, v: int, route: tuple[int, ...], out: list[str]) -> RouteReport:
    """Cost, duration and load of one route, and the limits it breaks."""
    veh = problem.vehicles[v]
    travel, cost = problem.travel, problem.cost
    assert cost is not None
    here, total_cost, duration, load = veh.start, 0.0, 0.0, 0.0
    for t in route:
        task = problem.tasks[t]
        if not problem.allows(t, v):
            out.append(f"{_label(problem, t)} is on vehicle {v} ({veh.name}), not allowed there.")
        total_cost += float(cost[here, task.place]) + task.inner_cost
        duration += float(travel[here, task.place]) + task.service
        load += task.demand
        here = task.exit_place
    if route:
        total_cost += float(cost[here, veh.end])
        duration += float(travel[here, veh.end])
    if veh.duration_limit > 0 and duration > veh.duration_limit + TOLERANCE:
        out.append(f"vehicle {v} ({veh.name}) takes {duration:.2f}, over {veh.duration_limit:g}.")
    if veh.capacity > 0 and load > veh.capacity + TOLERANCE:
        out.append(f"vehicle {v} ({veh.name}) carries {load:g}, over {veh.capacity:g}.")
    if veh.distance_limit > 0 and total_cost > veh.distance_limit + TOLERANCE:
        out.append(f"vehicle {v} ({veh.name}) goes {total_cost:.2f}, over {veh.distance_limit:g}.")
    return RouteReport(v, total_cost, duration, load)


def _spacing(problem: WeekProblem, days_of: dict[int, list[int]], out: list[str]) -> None:
    """Each group's visits per day and per window of consecutive days."""
    per_group_day: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for t, days in days_of.items():
        group = problem.tasks[t].group
        if group and problem.tasks[t].patterns is None:
            for d in days:
                per_group_day[group][d] += 1
    for group, counts in sorted(per_group_day.items()):
        rule = problem.spacing.get(group, Spacing())
        for d, n in sorted(counts.items()):
            if n > rule.per_day:
                out.append(f"group {group} has {n} visits on day {d}, more than {rule.per_day}.")
        if rule.window_days > 1:
            for d in range(problem.n_days - rule.window_days + 1):
                n = sum(counts.get(dd, 0) for dd in range(d, d + rule.window_days))
                if n > rule.per_window:
                    out.append(
                        f"group {group} has {n} visits in days {d}..{d + rule.window_days - 1}, "
                        f"more than {rule.per_window}."
                    )


def _visits(problem: WeekProblem, t: int, days: list[int], out: list[str]) -> bool:
    """Check one task's visits; returns True when it is missing visits."""
    task = problem.tasks[t]
    label = _label(problem, t)
    if len(set(days)) < len(days):
        out.append(f"{label} is visited more than once on one day ({sorted(days)}).")
    if len(days) > task.frequency:
        out.append(f"{label} is visited {len(days)} times, its frequency is {task.frequency}.")
    if len(days) < task.frequency:
        if task.required or days:
            out.append(f"{label} is visited {len(days)} of {task.frequency} times.")
        return True
    if task.patterns is not None and frozenset(days) not in task.patterns:
        allowed = [sorted(p) for p in task.patterns]
        out.append(f"{label} is visited on days {sorted(days)}, not one of its patterns {allowed}.")
    return False


def evaluate_week(problem: WeekProblem, schedule: Schedule) -> WeekReport:
    """Check ``schedule`` against ``problem`` and price it.

    Verifies every route's duration, capacity and distance; every visit's slot and
    vehicle; every task's visit count (required tasks all their visits, optional ones
    all or none), its days against its patterns, and its group's spacing.
    """
    out: list[str] = []
    if len(schedule.routes) > len(problem.vehicles):
        out.append(f"{len(schedule.routes)} routes for {len(problem.vehicles)} vehicles.")
    reports: list[RouteReport] = []
    days_of: dict[int, list[int]] = defaultdict(list)
    for v, route in enumerate(schedule.routes[: len(problem.vehicles)]):
        bad = [t for t in route if not 0 <= t < len(problem.tasks)]
        if bad:
            out.append(f"vehicle {v} carries task indices {bad} that do not exist.")
        route = tuple(t for t in route if 0 <= t < len(problem.tasks))
        if route:
            reports.append(_route(problem, v, route, out))
        for t in route:
            days_of[t].append(problem.vehicles[v].day)
    missing = [t for t in range(len(problem.tasks)) if _visits(problem, t, days_of[t], out)]
    _spacing(problem, days_of, out)
    unserved = sum(problem.tasks[t].weight or 0.0 for t in missing if not days_of[t])
    return WeekReport(
        cost=sum(r.cost for r in reports),
        unserved_weight=unserved,
        routes=tuple(reports),
        missing=tuple(missing),
        violations=tuple(out),
    )
