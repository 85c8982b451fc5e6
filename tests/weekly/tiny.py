"""A tiny periodic VRP: a depot and six customers on a line, three days, two vehicles a day."""

from __future__ import annotations

import numpy as np

from patrol.weekly.problem import WeekProblem, WeekTask, WeekVehicle

ALL = frozenset({0, 1, 2})


def tiny_problem(*, capacity: float = 10.0) -> WeekProblem:
    """Customers at x = 1..6 (the depot at 0): 1 and 2 every day, 3 and 4 on two days
    ({0, 2} or {1, 2}), 5 and 6 once on any day; demand 2 each, Euclidean distances."""
    xs = np.arange(7, dtype=float)
    travel = np.abs(xs[:, None] - xs[None, :])
    two = (frozenset({0, 2}), frozenset({1, 2}))
    one = tuple(frozenset({d}) for d in range(3))
    tasks = (
        WeekTask(place=1, demand=2, frequency=3, patterns=(ALL,), name="a"),
        WeekTask(place=2, demand=2, frequency=3, patterns=(ALL,), name="b"),
        WeekTask(place=3, demand=2, frequency=2, patterns=two, name="c"),
        WeekTask(place=4, demand=2, frequency=2, patterns=two, name="d"),
        WeekTask(place=5, demand=2, frequency=1, patterns=one, name="e"),
        WeekTask(place=6, demand=2, frequency=1, patterns=one, name="f"),
    )
    vehicles = tuple(
        WeekVehicle(day=d, capacity=capacity, name=f"d{d}v{k}") for d in range(3) for k in range(2)
    )
    return WeekProblem(
        days=("Mon", "Tue", "Wed"), shifts=("all",), vehicles=vehicles, tasks=tasks, travel=travel
    )
