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


def test_assignment_keeps_a_task_on_its_old_team_else_on_its_day() -> None:
    from patrol.demand import Task
    from patrol.routing.assign import TeamSlot, assign_tasks

    job = Task(
        task_id="t", kind="hotspot", target_id="t", grid_id="G1", beat_id="B1", start_node=0,
        end_node=0, service_s=600, weight=1.0, slots=frozenset({"d0", "d1"}), group="t",
    )  # fmt: skip
    teams = [
        TeamSlot("T0", "d0", 0, "B1", 1800),
        TeamSlot("T1", "d0", 0, "B1", 1800),
        TeamSlot("T2", "d1", 1, "B1", 1800),
    ]
    cost = {"t": 600}
    for old in ("T1", "T2", "T0"):
        day = next(m.day for m in teams if m.team_id == old)
        assert assign_tasks([job], teams, cost_s=cost, stay={"t": (old, day)}).team_of == {"t": old}
    full = [teams[0], TeamSlot("T1", "d0", 0, "B1", 0), teams[2]]  # its team has no time left
    assert assign_tasks([job], full, cost_s=cost, stay={"t": ("T1", 0)}).team_of == {"t": "T0"}
