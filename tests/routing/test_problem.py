"""Tests of the solver-free routing model: validation, rounding and the checker."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from patrol.errors import InputError
from patrol.routing.problem import (
    UNREACHABLE_S,
    RoutingProblem,
    Vehicle,
    Visit,
    evaluate,
    required_drop_penalty,
    to_integer_matrix,
)


def line_problem(**visit_kwargs: object) -> RoutingProblem:
    """Four points on a line, 10 s apart: post at 0, stops at 10, 20, 30."""
    pos = np.array([0, 10, 20, 30])
    duration = np.abs(pos[:, None] - pos[None, :])
    visits = (Visit(1, name="a"), Visit(2, name="b"), Visit(3, name="c"))
    return RoutingProblem(duration, vehicles=(Vehicle(0, 0, 0, 1000, capacity=0),), visits=visits)


def test_to_integer_matrix_rounds_up() -> None:
    out = to_integer_matrix([[0.0, 1.2], [2.0000000000001, np.inf]])
    assert out.dtype == np.int64
    assert out.tolist() == [[0, 2], [2, UNREACHABLE_S]]
    assert to_integer_matrix([[0.0, 1.2341]], scale=1000).tolist() == [[0, 1235]]


def test_to_integer_matrix_rejects_nan_and_negative() -> None:
    with pytest.raises(InputError, match="NaN"):
        to_integer_matrix([[0.0, np.nan]])
    with pytest.raises(InputError, match="negative"):
        to_integer_matrix([[0.0, -1.0]])


def test_problem_rejects_float_matrix_with_fix() -> None:
    with pytest.raises(InputError, match="to_integer_matrix"):
        RoutingProblem(np.zeros((2, 2)), vehicles=(Vehicle(0, 0, 0, 10),))  # type: ignore[arg-type]


def test_problem_collects_all_index_errors() -> None:
    with pytest.raises(InputError) as info:
        RoutingProblem(
            np.zeros((2, 2), dtype=int),
            vehicles=(Vehicle(0, 5, 10, 0),),
            visits=(Visit(7), Visit(1, allowed_vehicles=(3,)), Visit(1, earliest_s=5, latest_s=1)),
        )
    text = str(info.value)
    assert "end location 5" in text
    assert "shift window [10, 0]" in text
    assert "location 7" in text
    assert "allowed_vehicles [3]" in text
    assert "window [5, 1] is empty" in text


def test_distance_defaults_to_duration_and_replace_revalidates() -> None:
    problem = line_problem()
    assert problem.cost_matrix is problem.duration_s
    with pytest.raises(InputError):
        problem.replace(distance=np.zeros((3, 3), dtype=int))
    longer = problem.replace(vehicles=(Vehicle(0, 0, 0, 5),))
    assert longer.vehicles[0].latest_s == 5


def test_evaluate_schedules_with_waiting() -> None:
    problem = line_problem()
    problem = problem.replace(visits=(Visit(1, service_s=5, earliest_s=50), *problem.visits[1:]))
    sol = evaluate(problem, [[0, 1, 2]])
    assert sol.feasible, sol.violations
    (route,) = sol.routes
    first = route.visits[0]
    assert (first.arrival_s, first.start_s, first.departure_s) == (10, 50, 55)
    # leaves the post late enough not to wait at the first stop
    assert route.start_s == 40
    assert route.end_s == 55 + 10 + 10 + 30
    assert route.distance == 60
    assert route.duration_s == route.end_s - route.start_s


@pytest.mark.parametrize(
    ("change", "routes", "expected"),
    [
        (
            {"visits": (Visit(1, latest_s=5), Visit(2), Visit(3))},
            [[0, 1, 2]],
            "after its window closes",
        ),
        ({"vehicles": (Vehicle(0, 0, 0, 50),)}, [[0, 1, 2]], "after its shift ends"),
        (
            {
                "vehicles": (Vehicle(0, 0, 0, 1000, capacity=1),),
                "visits": (Visit(1, demand=1), Visit(2, demand=1), Visit(3)),
            },
            [[0, 1, 2]],
            "over its capacity 1",
        ),
        (
            {
                "vehicles": (Vehicle(0, 0, 0, 1000), Vehicle(0, 0, 0, 1000)),
                "visits": (Visit(1, allowed_vehicles=(1,)), Visit(2), Visit(3)),
            },
            [[0, 1, 2]],
            "only vehicles [1] may serve it",
        ),
        ({}, [[0, 1, 2, 0]], "served 2 times"),
        ({}, [[0, 1]], "required visit 2 (c) is not served"),
        ({}, [[0, 1, 2, 9]], "visit index 9 does not exist"),
    ],
)
def test_evaluate_reports_each_violation_kind(
    change: dict[str, object], routes: list[list[int]], expected: str
) -> None:
    problem = line_problem().replace(**change)
    sol = evaluate(problem, routes)
    assert not sol.feasible
    assert any(expected in v for v in sol.violations), sol.violations


def test_evaluate_prices_dropped_optional_and_fixed_cost() -> None:
    problem = line_problem().replace(
        vehicles=(Vehicle(0, 0, 0, 1000, fixed_cost=100),),
        visits=(Visit(1), Visit(2), Visit(3, penalty=7)),
    )
    sol = evaluate(problem, [[0, 1]])
    assert sol.feasible
    assert sol.dropped == (2,)
    assert sol.penalty == 7
    assert sol.cost == 40 + 100 + 7
    assert evaluate(problem, [[]]).routes == ()


def test_evaluate_rejects_more_routes_than_vehicles() -> None:
    with pytest.raises(InputError, match="2 routes given for 1 vehicles"):
        evaluate(line_problem(), [[0], [1]])


def test_required_drop_penalty_is_above_any_plans_cost() -> None:
    """Every way of serving the visits (any order, any split over two teams, optional
    visits kept or dropped) costs less than dropping one required visit would."""
    base = line_problem()
    problem = base.replace(
        vehicles=(Vehicle(0, 0, 0, 1000, fixed_cost=50), Vehicle(3, 3, 0, 1000, fixed_cost=20)),
        visits=(Visit(1), Visit(2, penalty=300), Visit(3, penalty=400)),
    )
    big = required_drop_penalty(problem)
    costs = []
    for k in (1, 2, 3):
        for kept in itertools.permutations(range(3), k):
            if 0 not in kept:  # the required visit
                continue
            for cut in range(k + 1):
                sol = evaluate(problem, [list(kept[:cut]), list(kept[cut:])])
                assert sol.feasible, sol.violations
                costs.append(sol.cost)
    assert costs and big > max(costs)


def test_required_drop_penalty_is_capped_so_the_sum_fits_solver_integers() -> None:
    far = np.full((3, 3), 2**38, dtype=np.int64)
    np.fill_diagonal(far, 0)
    problem = RoutingProblem(far, vehicles=(Vehicle(0, 0, 0, 2**40),), visits=(Visit(1), Visit(2)))
    big = required_drop_penalty(problem)
    assert big == 2**40 // 2
    assert big * len(problem.visits) <= 2**40
