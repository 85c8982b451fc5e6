"""evaluate_week: every rule it checks is caught, and a good week passes priced right."""

from __future__ import annotations

import dataclasses

import numpy as np

from patrol.weekly.check import evaluate_week
from patrol.weekly.problem import Schedule, Spacing, WeekProblem, WeekTask, WeekVehicle
from tests.weekly.tiny import tiny_problem

# vehicles: 0,1 = Mon; 2,3 = Tue; 4,5 = Wed
GOOD = Schedule(((0, 1, 2, 4), (), (0, 1, 3, 5), (), (0, 1, 2, 3), ()))


def test_a_valid_week_passes_with_its_cost() -> None:
    report = evaluate_week(tiny_problem(), GOOD)
    assert report.feasible, report.violations
    # Mon 0-1-2-3-5-0 = 10, Tue 0-1-2-4-6-0 = 12, Wed 0-1-2-3-4-0 = 8
    assert report.cost == 30.0
    assert [r.load for r in report.routes] == [8.0, 8.0, 8.0]


def test_a_pattern_not_allowed_is_reported() -> None:
    # c on Mon and Tue: {0, 1} is not one of its patterns
    bad = Schedule(((0, 1, 2, 4), (), (0, 1, 2, 3, 5), (), (0, 1, 3), ()))
    report = evaluate_week(tiny_problem(), bad)
    assert any("task 2 (c)" in v and "not one of its patterns" in v for v in report.violations)


def test_missing_and_double_visits_are_reported() -> None:
    bad = Schedule(((0, 1, 2, 4, 4), (), (0, 1, 3), (), (0, 1, 2, 3), ()))
    report = evaluate_week(tiny_problem(), bad)
    text = " ".join(report.violations)
    assert "task 4 (e) is visited more than once on one day" in text
    assert "task 5 (f) is visited 0 of 1 times" in text
    assert report.missing == (5,)


def test_capacity_and_duration_are_checked() -> None:
    problem = tiny_problem(capacity=6)
    report = evaluate_week(problem, GOOD)
    assert sum("over 6" in v for v in report.violations) == 3
    limited = problem.replace(
        vehicles=tuple(
            dataclasses.replace(v, capacity=0, duration_limit=9) for v in problem.vehicles
        )
    )
    report = evaluate_week(limited, GOOD)
    assert [v for v in report.violations if "takes" in v] == [
        "vehicle 0 (d0v0) takes 10.00, over 9.",
        "vehicle 2 (d1v0) takes 12.00, over 9.",
    ]


def test_slots_vehicles_and_spacing_rules() -> None:
    """Tasks without patterns: allowed slots, allowed vehicles, a group's spacing."""
    travel = np.ones((3, 3)) - np.eye(3)
    spacing = {"g": Spacing(per_day=1, window_days=2, per_window=1)}
    tasks = (
        WeekTask(place=1, frequency=2, group="g", name="x", slots=frozenset({(0, 0), (2, 0)})),
        WeekTask(place=2, weight=1.0, vehicles=frozenset({1}), name="y"),
    )
    vehicles = tuple(WeekVehicle(day=d, name=f"v{d}") for d in range(3))
    problem = WeekProblem(("a", "b", "c"), ("s",), vehicles, tasks, travel, spacing=spacing)
    ok = evaluate_week(problem, Schedule(((0,), (1,), (0,))))
    assert ok.feasible, ok.violations
    bad = evaluate_week(problem, Schedule(((0, 1), (0,), ())))
    text = " ".join(bad.violations)
    assert "task 0 (x) is on vehicle 1 (v1), not allowed there" in text
    assert "task 1 (y) is on vehicle 0 (v0), not allowed there" in text
    assert "group g has 2 visits in days 0..1, more than 1" in text
    dropped = evaluate_week(problem, Schedule(((0,), (), (0,))))
    assert dropped.feasible and dropped.unserved_weight == 1.0
