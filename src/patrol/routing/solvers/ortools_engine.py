"""OR-Tools routing engine for :class:`~patrol.routing.problem.RoutingProblem`.

Model: one routing node per vehicle start/end location and one per visit (so visits may
share a location). Arc cost = the cost matrix; a vehicle's fixed cost is charged when it
leaves its start. A ``Time`` dimension carries travel time plus the service time of the
node left, with slack for waiting; its cumul at a visit is the start of service, bounded
by the visit window, and at the vehicle's start/end by the shift window. A ``Load``
dimension exists when any vehicle has a capacity, a ``Distance`` dimension (on the cost
matrix) when any has a ``max_distance``. The vehicle variable of a visit is limited
to its allowed vehicles. Every visit is in a disjunction: an optional one with
its penalty, a required one with a penalty larger than any route plan's cost, so the
solver always returns a plan and :func:`~patrol.routing.problem.evaluate` reports the required
visit it could not serve instead of the solver failing.

Search: PARALLEL_CHEAPEST_INSERTION then GUIDED_LOCAL_SEARCH (measured in
``docs/routing.md``: PATH_CHEAPEST_ARC found no first solution on some tight Solomon
instances). GLS never stops by itself and may never reach a solution limit, so it runs
only on the clock (``time_limit_s``); with ``max_iterations`` (the planner's deterministic
default) the search descends greedily to a local optimum, at most ``max_iterations``
solutions, and ends by itself: deterministic, but weaker than GLS.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from patrol.routing.problem import RoutingProblem, Solution, evaluate, required_drop_penalty

log = logging.getLogger("patrol")

FIRST_SOLUTION = "PARALLEL_CHEAPEST_INSERTION"
METAHEURISTIC = "GUIDED_LOCAL_SEARCH"


def solve_ortools(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None = None,
    seed: int = 0,
    first_solution: str = FIRST_SOLUTION,
    metaheuristic: str = METAHEURISTIC,
    minimise_vehicles: bool = False,
) -> Solution:
    """Solve with OR-Tools; ``seed`` is unused (OR-Tools routing has no random seed).

    ``minimise_vehicles`` adds no reduction loop here: OR-Tools minimises vehicles through
    the vehicles' fixed costs in the one search (see ``docs/routing.md``).

    ``first_solution`` and ``metaheuristic`` name OR-Tools enum members; they exist so
    the benchmark can compare settings.
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    del seed, minimise_vehicles
    t0 = time.perf_counter()
    n_veh = len(problem.vehicles)
    depot_locs = sorted({v.start for v in problem.vehicles} | {v.end for v in problem.vehicles})
    depot_node = {loc: i for i, loc in enumerate(depot_locs)}
    node_loc = np.array(depot_locs + [v.location for v in problem.visits], dtype=np.int64)
    n_dep = len(depot_locs)
    n_nodes = len(node_loc)
    starts = [depot_node[v.start] for v in problem.vehicles]
    ends = [depot_node[v.end] for v in problem.vehicles]
    manager = pywrapcp.RoutingIndexManager(n_nodes, n_veh, starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    cost = problem.cost_matrix[np.ix_(node_loc, node_loc)]
    service = np.zeros(n_nodes, dtype=np.int64)
    service[n_dep:] = [v.service_s for v in problem.visits]
    travel = problem.duration_s[np.ix_(node_loc, node_loc)] + service[:, None]
    cost_cb = routing.RegisterTransitMatrix(cost.tolist())
    time_cb = routing.RegisterTransitMatrix(travel.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)

    horizon = max(v.latest_s for v in problem.vehicles)
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for v, veh in enumerate(problem.vehicles):
        time_dim.CumulVar(routing.Start(v)).SetRange(veh.earliest_s, veh.latest_s)
        time_dim.CumulVar(routing.End(v)).SetRange(veh.earliest_s, veh.latest_s)
        if veh.fixed_cost:
            routing.SetFixedCostOfVehicle(veh.fixed_cost, v)

    if any(v.capacity > 0 for v in problem.vehicles):
        demand = [0] * n_dep + [v.demand for v in problem.visits]
        total = max(1, sum(demand))
        caps = [v.capacity if v.capacity > 0 else total for v in problem.vehicles]
        demand_cb = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimensionWithVehicleCapacity(demand_cb, 0, caps, True, "Load")

    if any(v.max_distance > 0 for v in problem.vehicles):
        top = int(cost.sum()) + 1
        limits = [v.max_distance if v.max_distance > 0 else top for v in problem.vehicles]
        routing.AddDimensionWithVehicleCapacity(cost_cb, 0, limits, True, "Distance")

    big = required_drop_penalty(problem)
    for i, visit in enumerate(problem.visits):
        index = manager.NodeToIndex(n_dep + i)
        early = min(visit.earliest_s, horizon)
        time_dim.CumulVar(index).SetRange(early, max(early, min(visit.latest_s, horizon)))
        if visit.allowed_vehicles is not None:
            # SetAllowedVehiclesForIndex's Python binding rejects lists in OR-Tools 9.15;
            # restricting the vehicle variable is equivalent (-1 = not performed).
            routing.VehicleVar(index).SetValues([-1, *visit.allowed_vehicles])
        penalty = big if visit.penalty is None else visit.penalty
        routing.AddDisjunction([index], penalty)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution
    )
    # With an iteration limit (the deterministic default) the search must end by itself:
    # guided local search may never reach ``solution_limit`` improving solutions, so it
    # descends greedily to a local optimum instead, bounded by the same limit.
    params.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic,
        "GREEDY_DESCENT" if max_iterations is not None else metaheuristic,
    )
    if time_limit_s is not None:
        params.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    if max_iterations is not None:
        params.solution_limit = max(1, max_iterations)
    assignment = routing.SolveWithParameters(params)
    status = _status_name(routing.status())
    seconds = time.perf_counter() - t0

    sequences: list[list[int]] = [[] for _ in range(n_veh)]
    if assignment is None:
        log.warning("OR-Tools found no solution (status %s).", status)
        return evaluate(
            problem, sequences, engine="ortools", seconds=seconds, status=f"no solution ({status})"
        )
    for v in range(n_veh):
        index = assignment.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(index):
            sequences[v].append(manager.IndexToNode(index) - n_dep)
            index = assignment.Value(routing.NextVar(index))
    return evaluate(problem, sequences, engine="ortools", seconds=seconds, status=status)


def _status_name(code: int) -> str:
    from ortools.constraint_solver import routing_enums_pb2

    try:
        return str(routing_enums_pb2.RoutingSearchStatus.Value.Name(code))
    except (ValueError, AttributeError):
        return str(code)
