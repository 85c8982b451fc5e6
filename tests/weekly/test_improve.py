"""insert_missing: left-out tasks go back where the routes leave room, rules kept."""

from __future__ import annotations

import numpy as np

from patrol.weekly.check import evaluate_week
from patrol.weekly.improve import insert_missing
from patrol.weekly.problem import Schedule, Spacing, WeekProblem, WeekTask, WeekVehicle


def _problem(*, duration: float = 10.0) -> WeekProblem:
    """Places 0 (post), 1, 2, 3 one unit apart on a line; two days, one team a day."""
    xs = np.arange(4, dtype=float)
    travel = np.abs(xs[:, None] - xs[None, :])
    tasks = (
        WeekTask(place=1, weight=1.0, group="g", name="a"),
        WeekTask(place=2, weight=2.0, group="g", name="b"),
        WeekTask(place=3, weight=0.5, name="c", slots=frozenset({(1, 0)})),
    )
    vehicles = tuple(WeekVehicle(day=d, duration_limit=duration, name=f"t{d}") for d in range(2))
    return WeekProblem(("d0", "d1"), ("s",), vehicles, tasks, travel, spacing={"g": Spacing()})


def test_missing_tasks_are_inserted_heaviest_first_within_the_rules() -> None:
    problem = _problem()
    schedule, inserted = insert_missing(problem, Schedule(((), ())))
    report = evaluate_week(problem, schedule)
    assert report.feasible, report.violations
    assert inserted == [1, 0, 2]
    # the group's one visit a day puts a and b on different days; c only on day 1
    days = schedule.days_of(problem)
    assert days[0] != days[1] and days[2] == [1]


def test_served_tasks_stay_and_limits_hold() -> None:
    """a stays on day 0; b (the group's one visit a day) goes to day 1 (0-2-0: 4 of 5);
    c, only on day 1, would make it 6: left out."""
    problem = _problem(duration=5.0)
    start = Schedule(((0,), ()))
    schedule, inserted = insert_missing(problem, start)
    assert schedule.routes[0][0] == 0
    assert inserted == [1]
    report = evaluate_week(problem, schedule)
    assert report.feasible and report.missing == (2,)
