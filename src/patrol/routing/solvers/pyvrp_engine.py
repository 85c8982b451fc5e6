"""PyVRP engine for :class:`~patrol.routing.problem.RoutingProblem`.

Model: one PyVRP depot per distinct vehicle start/end location and one PyVRP location per
visit (so visits may share a matrix row, and a row can be closed for one visit only).
Identical vehicles become one vehicle type; each type has its start/end depot, shift
window (``tw_early``/``tw_late``), capacity, fixed cost and ``max_distance``. Visits are
clients with windows, service durations, and ``required=False`` + ``prize`` when
optional (PyVRP then minimises distance + fixed costs + uncollected prizes, the same
objective as ours).

Allowed vehicles: PyVRP 0.14 has no per-client vehicle list, so they are modelled with
routing profiles (PyVRP's own way to express access restrictions): a vehicle type that
may not serve a visit gets a profile in which every edge into or out of that visit costs
:data:`FORBIDDEN` in distance and duration. The duration makes such a route break its
time window, so PyVRP's feasible solutions never use it; :func:`~patrol.routing.problem.evaluate`
checks the result anyway.

Stopping: ``max_iterations`` (deterministic for a seed) or the time limit. If the best
plan is infeasible, one more run makes required visits optional at a prize above any
plan's cost, so the plan serves what it can and names the visits it could not serve.

Fleet minimisation (``minimise_vehicles=True``, for benchmarks and fleet sizing, not the
planner's path): as in PyVRP's ``minimise_fleet``, repeatedly take one vehicle away and
search until the first feasible plan, here warm-started from the previous plan without
one of its routes, in short attempts that restart from another route and seed; then the
rest of the budget goes to distance with that fleet (see :func:`_minimise_fleet`).
"""

from __future__ import annotations

import time
import warnings
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from patrol.routing.problem import RoutingProblem, Solution, evaluate, required_drop_penalty

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
            veh.max_distance,
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
    for (start, end, early, late, capacity, fixed, profile, max_dist), members in groups.items():
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
                max_distance=max_dist if max_dist > 0 else UNLIMITED,
            )
        )
        type_vehicles.append(members)
    data = ProblemData(locations, clients, depots, vehicle_types, dist_mats, dur_mats)
    return data, type_vehicles


UNLIMITED = 2**63 - 1
"""PyVRP's own default ``max_distance``: no limit."""

FLEET_SHARE = 0.5
"""Share of the budget :func:`solve_pyvrp` spends on removing vehicles when asked to
minimise them (the rest goes to distance); measured in ``docs/routing.md``."""

ATTEMPT_SHARE = 0.08
"""Most of the budget one attempt to remove a vehicle may take before the next attempt
starts from another route and seed (2.4 s of 30 s); measured in ``docs/routing.md``."""

MIN_ATTEMPT_S = 1.0
"""An attempt's time slice is never shorter than this (a 1 s budget gets no restarts)."""


class _Budget:
    """What is left of a run's time limit and/or iteration limit."""

    def __init__(self, time_limit_s: float | None, max_iterations: int | None) -> None:
        self.t0 = time.perf_counter()
        self.time_limit_s = time_limit_s
        self.max_iterations = max_iterations
        self.iterations_used = 0

    def stop(
        self, share: float = 1.0, *, first_feasible: bool = False, slice_share: float = 1.0
    ) -> Any:
        """A stopping criterion for the part of the budget up to ``share`` of the total,
        and at most ``slice_share`` of the total from now (one attempt's slice)."""
        from pyvrp.stop import FirstFeasible, MaxIterations, MaxRuntime, MultipleCriteria

        parts: list[Any] = [FirstFeasible()] if first_feasible else []
        if self.max_iterations is not None:
            left = int(share * self.max_iterations) - self.iterations_used
            cap = max(1, int(slice_share * self.max_iterations))
            parts.append(MaxIterations(max(0, min(left, cap))))
        if self.time_limit_s is not None or self.max_iterations is None:
            limit = self.time_limit_s if self.time_limit_s is not None else 5.0
            left_s = share * limit - (time.perf_counter() - self.t0)
            cap_s = max(MIN_ATTEMPT_S, slice_share * limit)
            parts.append(MaxRuntime(max(0.0, min(left_s, cap_s))))
        return parts[0] if len(parts) == 1 else MultipleCriteria(parts)

    def left(self, share: float) -> bool:
        """True while some of the budget up to ``share`` of the total remains."""
        if self.max_iterations is not None and self.iterations_used >= share * self.max_iterations:
            return False
        if self.time_limit_s is not None:
            return time.perf_counter() - self.t0 < share * self.time_limit_s
        return True


def _fewer_vehicles(
    data: Any, types: list[int], best: Any, attempt: int = 0
) -> tuple[Any, list[int], Any]:
    """``data`` with one vehicle fewer than ``best`` uses, and ``best`` without one of
    its routes as the warm start (PyVRP inserts the missing clients again).

    Attempt 0 drops the smallest route, attempt 1 the next smallest and so on (cycling),
    so that retries start from different places. ``types`` maps the vehicle types of
    ``data`` to those of the full problem; types left without a vehicle are removed
    (PyVRP needs ``num_available > 0``), so the returned data comes with its own map.
    """
    from pyvrp import Route, Solution

    routes = sorted(best.routes(), key=lambda r: (r.num_clients(), r.distance()))
    routes.pop(attempt % len(routes))
    used = [0] * data.num_vehicle_types
    for route in routes:
        used[route.vehicle_type()] += 1
    keep = [t for t in range(data.num_vehicle_types) if used[t] > 0]
    new_index = {t: i for i, t in enumerate(keep)}
    smaller = data.replace(
        vehicle_types=[data.vehicle_type(t).replace(num_available=used[t]) for t in keep]
    )
    start = [
        Route(smaller, [a.idx for a in r if a.is_client()], new_index[r.vehicle_type()])
        for r in routes
    ]
    return smaller, [types[t] for t in keep], Solution(smaller, start)


def _capacity_bound(data: Any) -> int:
    """Fewest vehicles the total demand needs at the largest capacity (at least 1)."""
    bound = 1
    for dim in range(data.num_load_dimensions):
        demand = sum(c.delivery[dim] for c in data.clients())
        cap = max(data.vehicle_type(t).capacity[dim] for t in range(data.num_vehicle_types))
        bound = max(bound, -(-demand // max(1, cap)))
    return bound


def _minimise_fleet(
    data: Any, budget: _Budget, seed: int, fleet_share: float
) -> tuple[Any, list[int]]:
    """Fewest vehicles first, then distance: PyVRP's fleet minimisation with restarts.

    A first feasible plan, then while ``fleet_share`` of the budget lasts and the fleet is
    above the capacity bound (total demand / largest capacity): drop one route, give the
    search one vehicle fewer and the rest of the plan as a start, stop at its first
    feasible plan. An attempt gets at most :data:`ATTEMPT_SHARE` of the budget; when it
    fails, the current plan is shortened for a slice as long, and the next attempt drops
    the next smallest route with the next seed. Measured on the hard Solomon instances, a
    removal succeeds within about two seconds or not at all from that start, so several
    short attempts from different starts beat one long one (``docs/routing.md``). The
    rest of the budget shortens the routes of the smallest fleet. Returns PyVRP's best
    solution (None when no feasible plan was found at all) and the map from its vehicle
    types to those of ``data``.
    """
    from pyvrp import solve as pyvrp_solve

    def run(problem: Any, stop: Any, init: Any = None, attempt: int = 0) -> Any:
        result = pyvrp_solve(
            problem,
            stop=stop,
            seed=seed + attempt,
            collect_stats=False,
            display=False,
            initial_solution=init,
        )
        budget.iterations_used += result.num_iterations
        return result.best

    types = list(range(data.num_vehicle_types))
    best = run(data, budget.stop(fleet_share, first_feasible=True))
    if not best.is_feasible():
        return None, types
    best_data, fresh = data, best
    lower = _capacity_bound(data)
    attempt = 0
    while best.num_routes() > lower and budget.left(fleet_share):
        smaller, smaller_types, start = _fewer_vehicles(best_data, types, best, attempt)
        stop = budget.stop(fleet_share, first_feasible=True, slice_share=ATTEMPT_SHARE)
        found = run(smaller, stop, start, attempt)
        if found.is_feasible():
            best = fresh = found
            best_data, types, attempt = smaller, smaller_types, 0
            continue
        attempt += 1
        # Shorten the current routes before the next try: a tighter plan leaves the
        # slack in its windows that taking one more route away needs.
        tighter = run(best_data, budget.stop(fleet_share, slice_share=ATTEMPT_SHARE), best, attempt)
        if tighter.is_feasible():
            best = tighter
    # The distance search continues from the first plan found with this fleet, not from
    # the tightened one: measured, the search stays stuck at a plan that earlier slices
    # already took to a local optimum, while from a fresh plan it moves on.
    improved = run(best_data, budget.stop(), fresh)
    better = improved.is_feasible() and _key(improved) < _key(best)
    return (improved if better else best), types


def _key(solution: Any) -> tuple[int, int]:
    """Vehicles first, then distance: the order in which fleet plans are compared."""
    return solution.num_routes(), solution.distance()


def initial_solution(
    data: Any, type_vehicles: list[list[int]], routes: Sequence[Sequence[int]] | None
) -> Any:
    """A PyVRP ``Solution`` of ``data`` from visit indices per vehicle of the problem (the
    routes a re-plan starts from), or None when there are none or they do not fit."""
    from pyvrp import Route, Solution

    if not routes or not any(routes):
        return None
    type_of = {v: t for t, members in enumerate(type_vehicles) for v in members}
    try:  # clients are numbered as the problem's visits
        return Solution(
            data,
            [Route(data, list(visits), type_of[v]) for v, visits in enumerate(routes) if visits],
        )
    except (ValueError, RuntimeError, KeyError, IndexError):
        return None


def solve_pyvrp(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None = None,
    seed: int = 0,
    minimise_vehicles: bool = False,
    fleet_share: float = FLEET_SHARE,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> Solution:
    """Solve with PyVRP's iterated local search; same :class:`Solution` out.

    When the best plan breaks a rule (a required visit cannot be served), the search is
    run again with required visits made optional at a prize above any plan's cost, so
    the plan that comes back serves everything it can and names what it could not.

    ``minimise_vehicles`` (benchmarks, fleet sizing; all visits must be required): fewest
    vehicles first, then distance - see :func:`_minimise_fleet`; ``fleet_share`` of the
    budget goes to removing vehicles.
    """
    from pyvrp import solve as pyvrp_solve
    from pyvrp.exceptions import PenaltyBoundWarning

    budget = _Budget(time_limit_s, max_iterations)
    any_required = any(v.penalty is None for v in problem.visits)
    best: Any = None
    relax = False
    type_map: list[int] = []
    with warnings.catch_warnings():
        # PyVRP warns when it cannot find a feasible plan; here that case is handled
        # (relaxed re-run, named violations) or probed on purpose (fewer vehicles).
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        if minimise_vehicles:
            data, type_vehicles = build_data(problem)
            best, type_map = _minimise_fleet(data, budget, seed, fleet_share)
        for relax in (False, True) if best is None else ():
            if relax and not any_required:
                relax = False
                break
            data, type_vehicles = build_data(problem, relax_required=relax)
            # The relaxed re-run gets a budget of its own (documented: doubles the time).
            stop = budget.stop() if not relax else _Budget(time_limit_s, max_iterations).stop()
            start = None if relax else initial_solution(data, type_vehicles, initial_routes)
            result = pyvrp_solve(
                data, stop=stop, seed=seed, collect_stats=False, display=False,
                initial_solution=start,
            )  # fmt: skip
            best = result.best
            type_map = list(range(data.num_vehicle_types))
            if best.is_feasible():
                break
    status = "feasible" if best.is_feasible() else "infeasible"
    if relax:
        status += " (required visits relaxed)"
    sequences: list[list[int]] = [[] for _ in problem.vehicles]
    free = [list(members) for members in type_vehicles]
    for route in best.routes():
        vehicle = free[type_map[route.vehicle_type()]].pop(0)
        sequences[vehicle] = [act.idx for act in route if act.is_client()]
    seconds = time.perf_counter() - budget.t0
    return evaluate(problem, sequences, engine="pyvrp", seconds=seconds, status=status)
