"""solve_week: checked schedules, the optimum of a tiny week, repeatable by work limit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from patrol.weekly.check import evaluate_week
from patrol.weekly.cordeau import read_cordeau, read_reference
from patrol.weekly.problem import Spacing, WeekTask
from patrol.weekly.search import SearchParams, candidate_patterns, solve_week
from tests.weekly.tiny import tiny_problem

PVRP = Path(__file__).resolve().parents[2] / "bench" / "data" / "pvrp"


def test_the_tiny_week_is_solved_to_its_optimum() -> None:
    """Optimum 26: a and b every day; c and d on {0, 2} or {1, 2}, so both on day 2
    (0 -> 4 -> 0, then f: 12) and both on day 0 with e (10); day 1 only a and b (4).
    Putting e and f together with a and b (12) and c, d on two 8-days costs 28."""
    problem = tiny_problem()
    schedule = solve_week(problem, time_limit_s=None, max_iterations=300, seed=0)
    report = evaluate_week(problem, schedule)
    assert report.feasible, report.violations
    assert round(report.cost, 6) == 26.0


def test_same_seed_and_work_limit_give_the_same_week() -> None:
    problem = tiny_problem(capacity=6)
    runs = [solve_week(problem, time_limit_s=None, max_iterations=200, seed=3) for _ in range(2)]
    assert runs[0].routes == runs[1].routes
    assert evaluate_week(problem, runs[0]).feasible


def test_capacity_forces_more_vehicles_and_stays_within_it() -> None:
    problem = tiny_problem(capacity=4)
    schedule = solve_week(problem, time_limit_s=None, max_iterations=300, seed=0)
    report = evaluate_week(problem, schedule)
    assert report.feasible, report.violations
    assert max(r.load for r in report.routes) <= 4


def test_optional_tasks_are_left_out_when_they_cost_more_than_their_weight() -> None:
    problem = tiny_problem()
    far = WeekTask(place=6, frequency=1, weight=0.001, name="far")
    problem = problem.replace(tasks=(*problem.tasks[:5], far), weight_cost=1.0)
    report = evaluate_week(problem, solve_week(problem, time_limit_s=None, max_iterations=200))
    assert report.feasible and report.missing == (5,) and report.unserved_weight == 0.001


def test_spacing_rules_generate_the_patterns() -> None:
    problem = tiny_problem()
    task = WeekTask(place=3, frequency=2, group="g")
    spaced = problem.replace(
        tasks=(*problem.tasks, task), spacing={"g": Spacing(window_days=2, per_window=1)}
    )
    assert candidate_patterns(spaced, 6) == [frozenset({0, 2})]
    report = evaluate_week(spaced, solve_week(spaced, time_limit_s=None, max_iterations=200))
    assert report.feasible, report.violations


def test_p01_reaches_its_reference_and_every_step_is_reported() -> None:
    """Cordeau's p01 (51 customers, 2 days): the reference cost 524.61 (it leaves out a
    dummy customer at the depot, which costs nothing to serve)."""
    problem = read_cordeau(PVRP / "p01.txt")
    schedule = solve_week(problem, time_limit_s=None, max_iterations=3000, seed=0)
    report = evaluate_week(problem, schedule)
    assert report.feasible, report.violations
    reference = read_reference(PVRP / "p01.res", problem).cost
    assert report.cost <= reference * 1.01
    assert {"construct", "routed", "descent", "lns"} <= set(schedule.stats)
    assert schedule.stats["lns"] <= schedule.stats["routed"] <= schedule.stats["construct"]


def test_fixed_patterns_route_only() -> None:
    """With every pattern fixed to one, no task changes its days."""
    problem = tiny_problem()
    tasks = tuple(
        dataclasses.replace(t, patterns=(t.patterns[0],)) if t.patterns else t
        for t in problem.tasks
    )
    fixed = problem.replace(tasks=tasks)
    schedule = solve_week(
        fixed, time_limit_s=None, max_iterations=100, params=SearchParams(lns=False)
    )
    days = schedule.days_of(fixed)
    assert all(frozenset(days[i]) == t.patterns[0] for i, t in enumerate(tasks) if t.patterns)
