"""The core's parts alone: pattern codes, the PyVRP model of a week, route prices."""

from __future__ import annotations

import numpy as np

from patrol.weekly.check import evaluate_week
from patrol.weekly.cordeau import decode_pattern
from patrol.weekly.engine import Need, build_model
from patrol.weekly.problem import Schedule
from patrol.weekly.routes import RouteState
from tests.weekly.tiny import tiny_problem


def test_pattern_codes_read_most_significant_bit_first() -> None:
    assert decode_pattern(16, 5) == frozenset({0})
    assert decode_pattern(1, 5) == frozenset({4})
    assert decode_pattern(31, 5) == frozenset(range(5))
    assert decode_pattern(0b1010, 4) == frozenset({0, 2})


def test_the_week_model_keeps_each_need_on_its_days() -> None:
    """One need of e (task 4) open on every day, the others fixed: PyVRP's answer keeps
    every fixed visit on its day and visits e once."""
    problem = tiny_problem()
    needs = [Need(t, ((d, 0),)) for t in (0, 1) for d in range(3)]
    needs += [Need(2, ((0, 0),)), Need(2, ((2, 0),)), Need(3, ((1, 0),)), Need(3, ((2, 0),))]
    needs += [Need(4, ((0, 0), (1, 0), (2, 0))), Need(5, ((1, 0),))]
    model = build_model(problem, needs)
    schedule, feasible, used = model.solve(start=None, seed=0, max_iterations=200)
    assert feasible and used == 200
    days = schedule.days_of(problem)
    assert sorted(days[2]) == [0, 2] and sorted(days[3]) == [1, 2] and days[5] == [1]
    assert len(days[4]) == 1
    assert evaluate_week(problem, schedule).feasible
    again = model.to_schedule(model.to_pyvrp(schedule))
    assert again.days_of(problem) == days


def test_route_prices_are_exact() -> None:
    """Removing and inserting price the route change exactly, within the limits."""
    problem = tiny_problem(capacity=6)
    state = RouteState(problem, Schedule(((0, 2), (), (1,), (), (), ())))
    before = state.total()
    gain = state.removal_gain(2, 0)  # 0-1-3-0 (6) to 0-1-0 (2)
    state.remove(2, 0)
    assert gain == before - state.total() == 4.0
    cost, veh, pos = state.insertion_costs(np.array([4, 5]), 1)  # day 1: vehicles 2, 3
    assert list(cost) == [6.0, 8.0] and list(veh) == [2, 2]
    assert list(pos) == [0, 0]  # before or after b cost the same: the first place
    state.insert(4, 2, 1)
    state.insert(1, 2, 1)  # b twice on a day: the checker catches it, not the prices
    cost, _veh, _pos = state.insertion_costs(np.array([5]), 1)
    assert cost[0] == 12.0  # vehicle 2 is full (6), so the empty vehicle 3: 0-6-0
