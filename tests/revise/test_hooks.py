"""The re-plan's hooks in routing: a search may start from given routes."""

from __future__ import annotations

import numpy as np

from patrol.routing.problem import RoutingProblem, Vehicle, Visit
from patrol.routing.solvers import solve
from patrol.routing.solvers.pyvrp_engine import build_data, initial_solution


def _line(n: int = 4) -> RoutingProblem:
    """A depot at 0 and ``n`` visits on a line, two vehicles, every visit optional."""
    xs = np.arange(n + 1)
    duration = (np.abs(xs[:, None] - xs[None, :]) * 10).astype(np.int64)
    vehicles = (Vehicle(0, 0, 0, 10_000, name="a"), Vehicle(0, 0, 0, 10_000, name="b"))
    visits = tuple(Visit(i + 1, service_s=5, penalty=100_000, name=f"v{i}") for i in range(n))
    return RoutingProblem(duration, vehicles=vehicles, visits=visits)


def test_initial_solution_builds_the_given_routes() -> None:
    data, types = build_data(_line())
    start = initial_solution(data, types, [[0, 1], [3, 2]])
    assert start is not None
    assert sorted(r.num_clients() for r in start.routes()) == [2, 2]
    assert initial_solution(data, types, [[], []]) is None
    assert initial_solution(data, types, None) is None
    assert initial_solution(data, types, [[0, 99]]) is None  # not a visit: no start


def test_solve_from_initial_routes_serves_every_visit() -> None:
    solution = solve(_line(), max_iterations=50, initial_routes=[[0, 1, 2, 3], []])
    assert sorted(i for r in solution.routes for i in (v.visit for v in r.visits)) == [0, 1, 2, 3]
