"""Solve a :class:`~patrol.routing.problem.RoutingProblem`: the only place routing engines load.

``solve(problem, engine="ortools"|"pyvrp", ...)`` is the single entry point. Both engines
hand their visit sequences to :func:`~patrol.routing.problem.evaluate`, so the returned
:class:`~patrol.routing.problem.Solution` is scheduled and checked the same way whoever solved it.
Infeasibility is data: optional visits are dropped, a required visit that cannot be
served shows up in ``violations`` with ``feasible=False``; ``solve`` never returns None.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

from patrol.errors import InputError
from patrol.routing.problem import RoutingProblem, Solution

__all__ = ["DEFAULT_ENGINE", "DEFAULT_TIME_LIMIT_S", "ENGINES", "Engine", "solve"]

log = logging.getLogger("patrol")

Engine = Literal["ortools", "pyvrp"]
ENGINES: tuple[str, ...] = ("ortools", "pyvrp")
DEFAULT_ENGINE: Engine = "pyvrp"
DEFAULT_TIME_LIMIT_S = 5.0


def solve(
    problem: RoutingProblem,
    *,
    engine: str = DEFAULT_ENGINE,
    time_limit_s: float | None = None,
    seed: int = 0,
    max_iterations: int | None = None,
    minimise_vehicles: bool = False,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> Solution:
    """Route the vehicles of ``problem`` and return the checked :class:`Solution`.

    Parameters
    ----------
    engine
        ``"pyvrp"`` (default: best measured quality, supports every constraint of the
        model) or ``"ortools"``.
    time_limit_s
        Wall-clock budget. When ``max_iterations`` is given and this is None, the run is
        bounded by work only and is deterministic; when both are None, 5 s.
    seed
        Random seed (PyVRP; OR-Tools routing is deterministic and ignores it).
    max_iterations
        Work limit: PyVRP iterations, or OR-Tools improving solutions.
    minimise_vehicles
        Fewest vehicles first, then distance (benchmarks, fleet sizing): half the budget
        removes vehicles one at a time while a feasible plan is found, the rest shortens
        the routes. Every visit must be required. Off by default: the planner's patrols
        have prizes and a given fleet, and fixed costs already price a team's use.
    initial_routes
        Visit indices per vehicle to start the search from (a re-plan starts from the old
        routes, PyVRP's ``initial_solution``); OR-Tools ignores them.
    """
    if engine not in ENGINES:
        raise InputError(
            f"unknown routing engine {engine!r}; use one of {list(ENGINES)}.", file="solve"
        )
    if time_limit_s is None and max_iterations is None:
        time_limit_s = DEFAULT_TIME_LIMIT_S
    if minimise_vehicles and any(not v.required for v in problem.visits):
        raise InputError(
            "minimise_vehicles needs every visit required: with optional visits a smaller "
            "fleet is always feasible by dropping them.",
            file="solve",
        )
    if not problem.visits:
        from patrol.routing.problem import evaluate

        return evaluate(problem, [], engine=engine, status="empty")
    if engine == "ortools":
        from patrol.routing.solvers.ortools_engine import solve_ortools

        solution = solve_ortools(
            problem,
            time_limit_s=time_limit_s,
            max_iterations=max_iterations,
            seed=seed,
            minimise_vehicles=minimise_vehicles,
        )
    else:
        from patrol.routing.solvers.pyvrp_engine import solve_pyvrp

        solution = solve_pyvrp(
            problem,
            time_limit_s=time_limit_s,
            max_iterations=max_iterations,
            seed=seed,
            minimise_vehicles=minimise_vehicles,
            initial_routes=initial_routes,
        )
    if not solution.feasible:
        log.warning(
            "%s plan breaks %d rule(s): %s",
            engine,
            len(solution.violations),
            "; ".join(solution.violations[:3]),
        )
    return solution
