"""PyVRP engine for :class:`~patrol.model.RoutingProblem`.

Model: one PyVRP depot per distinct vehicle start/end location and one PyVRP location per
visit (so visits may share a matrix row, and a row can be closed for one visit only).
Identical vehicles become one vehicle type; each type has its start/end depot, shift
window (``tw_early``/``tw_late``), capacity and fixed cost. Visits are clients with
windows, service durations, and ``required=False`` + ``prize`` when optional (PyVRP then
minimises distance + fixed costs + uncollected prizes, the same objective as ours).

Allowed vehicles: PyVRP 0.14 has no per-client vehicle list, so they are modelled with
routing profiles (PyVRP's own way to express access restrictions): a vehicle type that
may not serve a visit gets a profile in which every edge into or out of that visit costs
:data:`FORBIDDEN` in distance and duration. The duration makes such a route break its
time window, so PyVRP's feasible solutions never use it; :func:`~patrol.model.evaluate`
checks the result anyway.

Stopping: ``max_iterations`` (deterministic for a seed) or the time limit. If the best
plan is infeasible, one more run makes required visits optional at a prize above any
plan's cost, so the plan serves what it can and names the visits it could not serve.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import numpy as np

from patrol.model import RoutingProblem, Solution, evaluate, required_drop_penalty

FORBIDDEN = 1 << 40
"""Distance and duration of a closed edge (below PyVRP's MAX_VALUE of 2**44)."""


def _forbidden_sets(problem: RoutingProblem) -> list[frozenset[int]]:
    """Per vehicle, the visits it may not serve."""
    out: list[set[int]] = [set() for _ in problem.vehicles]
    for i, visit in enumerate(problem.visits):
        if visit.allowed_vehicles is not None:
            allowed = set(visit.allowed_vehicles)
            for v in range(len(problem.vehicles)):
                if v not in allowed:
                    out[v].add(i)
    return [frozenset(s) for s in out]


def build_data(
    problem: RoutingProblem, *, relax_required: bool = False
) -> tuple[Any, list[list[int]]]:
    """PyVRP ``ProblemData`` for ``problem``, and the vehicle indices of each vehicle type.

    ``relax_required`` turns required visits into optional ones with a prize above any
    plan's cost, so an impossible visit is left out instead of breaking the plan.
    """
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType

    depot_locs = sorted({v.start for v in problem.vehicles} | {v.end for v in problem.vehicles})
    depot_of = {loc: i for i, loc in enumerate(depot_locs)}
    n_dep = len(depot_locs)
    rows = np.array(depot_locs + [v.location for v in problem.visits], dtype=np.int64)
    distance = problem.cost_matrix[np.ix_(rows, rows)]
    duration = problem.duration_s[np.ix_(rows, rows)]

    use_load = any(v.capacity > 0 for v in problem.vehicles)
    total_demand = max(1, sum(v.demand for v in problem.visits))
    big = required_drop_penalty(problem) if relax_required else 0
    clients = [
        Client(
            location=n_dep + i,
            delivery=[visit.demand] if use_load else [],
            service_duration=visit.service_s,
            tw_early=visit.earliest_s,
            tw_late=visit.latest_s,
            prize=big if visit.penalty is None else visit.penalty,
            required=visit.penalty is None and not relax_required,
            name=visit.name,
        )
        for i, visit in enumerate(problem.visits)
    ]
    depots = [Depot(location=i) for i in range(n_dep)]
    locations = [Location(0.0, 0.0) for _ in rows]

    forbidden = _forbidden_sets(problem)
    # Profile 0 is always the unrestricted one: PyVRP derives its neighbourhoods from it.
    profiles: dict[frozenset[int], int] = {frozenset(): 0}
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for v, veh in enumerate(problem.vehicles):
        profile = profiles.setdefault(forbidden[v], len(profiles))
        key = (
            veh.start,
            veh.end,
            veh.earliest_s,
            veh.latest_s,
            veh.capacity,
            veh.fixed_cost,
            profile,
        )
        groups[key].append(v)
    dist_mats: list[Any] = []
    dur_mats: list[Any] = []
    for closed in profiles:
        dist_p, dur_p = distance.copy(), duration.copy()
        cols = [n_dep + i for i in sorted(closed)]
        for mat in (dist_p, dur_p):
            mat[cols, :] = FORBIDDEN
            mat[:, cols] = FORBIDDEN
            mat[cols, cols] = 0
        dist_mats.append(dist_p)
        dur_mats.append(dur_p)

    type_vehicles: list[list[int]] = []
    vehicle_types = []
    for (start, end, early, late, capacity, fixed, profile), members in groups.items():
        vehicle_types.append(
            VehicleType(
                num_available=len(members),
                capacity=[capacity or total_demand] if use_load else [],
                start_depot=depot_of[start],
                end_depot=depot_of[end],
                fixed_cost=fixed,
                tw_early=early,
                tw_late=late,
                profile=profile,
                name=problem.vehicles[members[0]].name,
            )
        )
        type_vehicles.append(members)
    data = ProblemData(locations, clients, depots, vehicle_types, dist_mats, dur_mats)
    return data, type_vehicles


def solve_pyvrp(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None = None,
    seed: int = 0,
) -> Solution:
    """Solve with PyVRP's iterated local search; same :class:`Solution` out.

    When the best plan breaks a rule (a required visit cannot be served), the search is
    run again with required visits made optional at a prize above any plan's cost, so
    the plan that comes back serves everything it can and names what it could not.
    """
    from pyvrp import solve as pyvrp_solve
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

    t0 = time.perf_counter()
    stop: StoppingCriterion
    if max_iterations is not None and time_limit_s is not None:
        stop = MultipleCriteria([MaxIterations(max_iterations), MaxRuntime(time_limit_s)])
    elif max_iterations is not None:
        stop = MaxIterations(max_iterations)
    else:
        stop = MaxRuntime(time_limit_s if time_limit_s is not None else 5.0)

    any_required = any(v.penalty is None for v in problem.visits)
    for relax in (False, True):
        if relax and not any_required:
            break
        data, type_vehicles = build_data(problem, relax_required=relax)
        result = pyvrp_solve(data, stop=stop, seed=seed, collect_stats=False, display=False)
        if result.best.is_feasible():
            break
    status = "feasible" if result.best.is_feasible() else "infeasible"
    if relax:
        status += " (required visits relaxed)"
    sequences: list[list[int]] = [[] for _ in problem.vehicles]
    free = [list(members) for members in type_vehicles]
    for route in result.best.routes():
        vehicle = free[route.vehicle_type()].pop(0)
        sequences[vehicle] = [act.idx for act in route if act.is_client()]
    seconds = time.perf_counter() - t0
    return evaluate(problem, sequences, engine="pyvrp", seconds=seconds, status=status)
