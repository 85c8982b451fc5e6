"""The whole week as one PyVRP problem, for given visit days: the only PyVRP import here.

Model: every *need* (one visit of a task, in one of some slots) is one PyVRP client. A
vehicle (one team in one slot) gets a routing profile in which every edge into or out of
a client it may not carry (another slot, or a vehicle the task does not allow) costs
:data:`FORBIDDEN` in distance and duration, so its feasible routes only hold its own
slot's clients. A need open to several slots (a frequency-1 task free to use any day) is
open in all their profiles, so PyVRP chooses its day with its ordinary moves while it
routes. Profile 0 is used by no vehicle: PyVRP derives its granular neighbourhoods from
it, so there two clients are far apart unless they share a slot, and the neighbourhoods
stay within a day. Vehicles with equal places, limits and profile form one vehicle type.

Real-valued matrices become integers once (the model's ``scale``): distances rounded,
durations rounded up so that an integer-feasible route is feasible in real units too.
"""

from __future__ import annotations

import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.weekly.problem import Schedule, Slot, WeekProblem

__all__ = ["Need", "WeekModel", "build_model"]

FORBIDDEN = 1 << 36
"""Distance and duration of a closed edge (below PyVRP's 2**44 limit)."""

_MAX_INT = 1 << 31


@dataclass(frozen=True)
class Need:
    """One visit of task ``task``, in one of ``slots``; ``prize`` (cost units) 0 makes it
    required, more makes it optional at that price."""

    task: int
    slots: tuple[Slot, ...]
    prize: float = 0.0


def _scale_of(problem: WeekProblem) -> float:
    """Integer units per matrix unit: 1000, less when the matrices are large."""
    assert problem.cost is not None
    finite = np.concatenate([problem.travel[np.isfinite(problem.travel)], problem.cost.ravel()])
    top = float(finite.max(initial=1.0))
    return min(1000.0, _MAX_INT / max(top * max(1, len(problem.tasks)), 1.0))


class WeekModel:
    """PyVRP data for one choice of needs, and the maps back to tasks and vehicles."""

    def __init__(self, problem: WeekProblem, needs: Sequence[Need]) -> None:
        self.problem = problem
        self.needs = list(needs)
        self.scale = _scale_of(problem)
        self._build()

    def _build(self) -> None:
        from pyvrp import Client, Depot, Location, ProblemData

        p, s = self.problem, self.scale
        use_load = any(v.capacity > 0 for v in p.vehicles)
        depot_places = sorted({v.start for v in p.vehicles} | {v.end for v in p.vehicles})
        self.depot_of = {place: i for i, place in enumerate(depot_places)}
        self.n_depots = len(depot_places)
        clients: list[Any] = []
        for need in self.needs:
            task = p.tasks[need.task]
            clients.append(
                Client(
                    location=self.n_depots + len(clients),
                    delivery=[round(task.demand)] if use_load else [],
                    service_duration=int(np.ceil(np.round(task.service * s, 6))),
                    prize=min(FORBIDDEN, round(need.prize * s)),
                    required=need.prize <= 0,
                    name=task.name,
                )
            )
        dist, dur = self._matrices(depot_places)
        types, dist_mats, dur_mats = self._vehicle_types(dist, dur, use_load)
        locations = [Location(0.0, 0.0) for _ in range(len(dist))]
        depots = [Depot(location=i) for i in range(self.n_depots)]
        self.data = ProblemData(locations, clients, depots, types, dist_mats, dur_mats)

    def _matrices(
        self, depot_places: list[int]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Integer distance and duration over the model's locations (depots, then one per
        need); a task's inner cost rides on the edges leaving it, from its exit place."""
        p, s = self.problem, self.scale
        assert p.cost is not None
        tasks = [p.tasks[n.task] for n in self.needs]
        rows = np.array(depot_places + [t.exit_place for t in tasks], dtype=np.int64)
        cols = np.array(depot_places + [t.place for t in tasks], dtype=np.int64)
        inner = np.array([0.0] * len(depot_places) + [t.inner_cost for t in tasks])
        dist = np.rint((p.cost[np.ix_(rows, cols)] + inner[:, None]) * s).astype(np.int64)
        dur = np.ceil(np.round(p.travel[np.ix_(rows, cols)] * s, 6)).astype(np.int64)
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        return dist, dur

    def _neighbourhood(self, dist: Any, dur: Any) -> tuple[Any, Any]:
        """Profile 0: clients that share no slot are far apart (for the neighbourhoods)."""
        slots = sorted({v.slot for v in self.problem.vehicles})
        index = {sl: i for i, sl in enumerate(slots)}
        member = np.zeros((len(self.needs), len(slots)), dtype=np.int64)
        for n, need in enumerate(self.needs):
            for sl in need.slots:
                if sl in index:
                    member[n, index[sl]] = 1
        apart = (member @ member.T) == 0
        d0, t0 = dist.copy(), dur.copy()
        k = self.n_depots
        d0[k:, k:][apart] = FORBIDDEN
        t0[k:, k:][apart] = FORBIDDEN
        np.fill_diagonal(d0, 0)
        np.fill_diagonal(t0, 0)
        return d0, t0

    def _forbidden(self) -> list[frozenset[int]]:
        """Per vehicle, the clients (needs) it may not carry."""
        p = self.problem
        out: list[set[int]] = [set() for _ in p.vehicles]
        for c, need in enumerate(self.needs):
            open_slots = set(need.slots)
            restricted = p.tasks[need.task].vehicles is not None
            for v, veh in enumerate(p.vehicles):
                if veh.slot not in open_slots or (restricted and not p.allows(need.task, v)):
                    out[v].add(c)
        return [frozenset(x) for x in out]

    def _vehicle_types(
        self, dist: Any, dur: Any, use_load: bool
    ) -> tuple[list[Any], list[Any], list[Any]]:
        """One vehicle type per group of equal vehicles, and the routing profiles."""
        from pyvrp import VehicleType

        p, s = self.problem, self.scale
        forbidden = self._forbidden()
        profiles: dict[frozenset[int], int] = {}
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for v, veh in enumerate(p.vehicles):
            prof = profiles.setdefault(forbidden[v], len(profiles) + 1)
            key = (veh.start, veh.end, veh.duration_limit, veh.capacity, veh.distance_limit, prof)
            groups[key].append(v)
        total = max(1, sum(round(p.tasks[n.task].demand) for n in self.needs))
        self.type_vehicles: list[list[int]] = []
        types = []
        for (start, end, limit, cap, max_dist, prof), members in groups.items():
            types.append(
                VehicleType(
                    num_available=len(members),
                    capacity=[round(cap) if cap > 0 else total] if use_load else [],
                    start_depot=self.depot_of[start],
                    end_depot=self.depot_of[end],
                    shift_duration=int(limit * s) if limit > 0 else FORBIDDEN - 1,
                    max_distance=int(max_dist * s) if max_dist > 0 else 2**63 - 1,
                    profile=prof,
                    name=p.vehicles[members[0]].name,
                )
            )
            self.type_vehicles.append(members)
        d0, t0 = self._neighbourhood(dist, dur)
        dist_mats, dur_mats = [d0], [t0]
        for closed in profiles:
            dp, tp = dist.copy(), dur.copy()
            cols = [self.n_depots + c for c in sorted(closed)]
            for mat in (dp, tp):
                mat[cols, :] = FORBIDDEN
                mat[:, cols] = FORBIDDEN
                np.fill_diagonal(mat, 0)
            dist_mats.append(dp)
            dur_mats.append(tp)
        return types, dist_mats, dur_mats

    def to_pyvrp(self, schedule: Schedule) -> Any:
        """A PyVRP solution of this model holding what ``schedule`` has of its needs (a
        visit in a slot its task's needs do not offer is left out)."""
        from pyvrp import Route, Solution

        type_of = {v: k for k, members in enumerate(self.type_vehicles) for v in members}
        open_needs: dict[tuple[int, Slot], list[int]] = defaultdict(list)
        for n, need in enumerate(self.needs):
            for sl in need.slots:
                open_needs[(need.task, sl)].append(n)
        used: set[int] = set()
        routes = []
        for v, route in enumerate(schedule.routes):
            slot = self.problem.vehicles[v].slot
            visits = []
            for t in route:
                free = [n for n in open_needs.get((t, slot), []) if n not in used]
                if free:
                    used.add(free[0])
                    visits.append(free[0])
            if visits:
                routes.append(Route(self.data, visits, type_of[v]))
        return Solution(self.data, routes)

    def to_schedule(self, solution: Any) -> Schedule:
        """The schedule of a PyVRP solution of this model."""
        routes: list[tuple[int, ...]] = [() for _ in self.problem.vehicles]
        free = [list(m) for m in self.type_vehicles]
        for route in solution.routes():
            v = free[route.vehicle_type()].pop(0)
            routes[v] = tuple(self.needs[a.idx].task for a in route if a.is_client())
        return Schedule(tuple(routes))

    def solve(
        self,
        *,
        start: Schedule | None,
        seed: int,
        time_limit_s: float | None = None,
        max_iterations: int | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> tuple[Schedule, bool, int]:
        """Run PyVRP's search (warm-started from ``start``) for ``time_limit_s`` seconds of
        ``clock`` (the wall's, or the process's CPU time) and/or ``max_iterations``; the
        best schedule, whether it is feasible, and the iterations used."""
        from pyvrp import solve as pyvrp_solve
        from pyvrp.exceptions import PenaltyBoundWarning
        from pyvrp.stop import MaxIterations, MultipleCriteria

        parts: list[Any] = []
        if max_iterations is not None:
            parts.append(MaxIterations(max_iterations))
        if time_limit_s is not None or not parts:
            parts.append(_ClockLimit(clock, max(0.0, time_limit_s or 1.0)))
        stop = parts[0] if len(parts) == 1 else MultipleCriteria(parts)
        init = self.to_pyvrp(start) if start is not None else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = pyvrp_solve(
                self.data, stop=stop, seed=seed, collect_stats=False, display=False,
                initial_solution=init,
            )  # fmt: skip
        best = result.best
        return self.to_schedule(best), bool(best.is_feasible()), int(result.num_iterations)


class _ClockLimit:
    """PyVRP stopping criterion: stop once ``seconds`` of ``clock`` have passed."""

    def __init__(self, clock: Callable[[], float], seconds: float) -> None:
        self.clock, self.end = clock, clock() + seconds

    def __call__(self, best_cost: float) -> bool:
        return self.clock() >= self.end


def build_model(problem: WeekProblem, needs: Sequence[Need]) -> WeekModel:
    """The PyVRP model of ``problem`` for the given needs."""
    return WeekModel(problem, needs)
