"""Routes being edited: exact removal gains and cheapest feasible insertions.

:class:`RouteState` holds one sequence per vehicle with its load, duration and cost, and
prices moves on the routes as they are: what taking a task out of a day saves, and what
the cheapest feasible place for it on another day costs (capacity, duration and distance
limits kept). The pattern search (:mod:`patrol.weekly.search`) moves tasks between days
with these prices: the real routed cost of the current routes, not an estimate.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import numpy.typing as npt

from patrol.weekly.problem import Schedule, WeekProblem

__all__ = ["RouteState"]

INF = float("inf")


class RouteState:
    """One mutable sequence per vehicle and the figures the moves need."""

    def __init__(self, problem: WeekProblem, schedule: Schedule | None = None) -> None:
        self.p = problem
        assert problem.cost is not None
        self.cost: npt.NDArray[np.float64] = problem.cost
        self.n_veh = len(problem.vehicles)
        routes = schedule.routes if schedule is not None else ()
        self.routes: list[list[int]] = [
            list(routes[v]) if v < len(routes) else [] for v in range(self.n_veh)
        ]
        self.place = np.array([t.place for t in problem.tasks], dtype=np.int64)
        self.exit = np.array([t.exit_place for t in problem.tasks], dtype=np.int64)
        self.inner = np.array([t.inner_cost for t in problem.tasks])
        self.service = np.array([t.service for t in problem.tasks])
        self.demand = np.array([t.demand for t in problem.tasks])
        self.vehicles_of_day: dict[int, list[int]] = defaultdict(list)
        for v, veh in enumerate(problem.vehicles):
            self.vehicles_of_day[veh.day].append(v)
        n_t = len(problem.tasks)
        self.allowed = np.ones((n_t, self.n_veh), dtype=bool)
        for t in range(n_t):
            if problem.tasks[t].slots is not None or problem.tasks[t].vehicles is not None:
                self.allowed[t] = [problem.allows(t, v) for v in range(self.n_veh)]
        self.cap = np.array([v.capacity if v.capacity > 0 else INF for v in problem.vehicles])
        self.dlim = np.array(
            [v.duration_limit if v.duration_limit > 0 else INF for v in problem.vehicles]
        )
        self.clim = np.array(
            [v.distance_limit if v.distance_limit > 0 else INF for v in problem.vehicles]
        )
        self.load = np.zeros(self.n_veh)
        self.dur = np.zeros(self.n_veh)
        self.rcost = np.zeros(self.n_veh)
        for v in range(self.n_veh):
            self.refresh(v)

    def refresh(self, v: int) -> None:
        """Recompute vehicle ``v``'s load, duration and cost."""
        veh, route = self.p.vehicles[v], self.routes[v]
        if not route:
            self.load[v] = self.dur[v] = self.rcost[v] = 0.0
            return
        r = np.array(route)
        prev = np.concatenate([[veh.start], self.exit[r]])
        nxt = np.concatenate([self.place[r], [veh.end]])
        self.rcost[v] = float(self.cost[prev, nxt].sum() + self.inner[r].sum())
        self.dur[v] = float(self.p.travel[prev, nxt].sum() + self.service[r].sum())
        self.load[v] = float(self.demand[r].sum())

    def total(self) -> float:
        """The routes' cost."""
        return float(self.rcost.sum())

    def schedule(self) -> Schedule:
        """The routes as a :class:`Schedule`."""
        return Schedule(tuple(tuple(r) for r in self.routes))

    def visits(self) -> dict[int, dict[int, int]]:
        """Task -> {day: vehicle} of its visits."""
        out: dict[int, dict[int, int]] = defaultdict(dict)
        for v, route in enumerate(self.routes):
            day = self.p.vehicles[v].day
            for t in route:
                out[t][day] = v
        return out

    def removal_gain(self, t: int, v: int) -> float:
        """What taking task ``t`` out of vehicle ``v``'s route saves."""
        route, veh = self.routes[v], self.p.vehicles[v]
        i = route.index(t)
        prev = veh.start if i == 0 else int(self.exit[route[i - 1]])
        nxt = veh.end if i == len(route) - 1 else int(self.place[route[i + 1]])
        c = self.cost
        if len(route) == 1:
            return float(self.rcost[v])
        return float(c[prev, self.place[t]] + self.inner[t] + c[self.exit[t], nxt] - c[prev, nxt])

    def remove(self, t: int, v: int) -> None:
        """Take task ``t`` out of vehicle ``v``'s route."""
        self.routes[v].remove(t)
        self.refresh(v)

    def _positions(self, day: int) -> tuple[npt.NDArray[np.int64], ...]:
        """Every insertion position of a day: vehicle, position, previous exit, next place."""
        veh_l, pos_l, prev_l, next_l = [], [], [], []
        for v in self.vehicles_of_day.get(day, []):
            veh, route = self.p.vehicles[v], self.routes[v]
            prevs = [veh.start] + [int(self.exit[t]) for t in route]
            nexts = [int(self.place[t]) for t in route] + [veh.end]
            veh_l += [v] * len(prevs)
            pos_l += list(range(len(prevs)))
            prev_l += prevs
            next_l += nexts
        return tuple(np.array(x, dtype=np.int64) for x in (veh_l, pos_l, prev_l, next_l))

    def insertion_costs(
        self, tasks: npt.NDArray[np.int64], day: int
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For each of ``tasks``: the cheapest feasible insertion cost on ``day`` (inf when
        none fits), and its vehicle and position."""
        n = len(tasks)
        veh, pos, prev, nxt = self._positions(day)
        if n == 0 or len(veh) == 0:
            return np.full(n, INF), np.full(n, -1), np.full(n, -1)
        c, tr = self.cost, self.p.travel
        pl, ex = self.place[tasks][:, None], self.exit[tasks][:, None]
        empty = np.array([len(self.routes[v]) == 0 for v in veh])
        base = np.where(empty, 0.0, c[prev, nxt])
        delta = c[prev[None, :], pl] + self.inner[tasks][:, None] + c[ex, nxt[None, :]] - base
        dtime = tr[prev[None, :], pl] + self.service[tasks][:, None] + tr[ex, nxt[None, :]]
        dtime -= np.where(empty, 0.0, tr[prev, nxt])
        ok = self.allowed[np.ix_(tasks, veh)]
        ok &= self.load[veh][None, :] + self.demand[tasks][:, None] <= self.cap[veh][None, :] + 1e-9
        ok &= self.dur[veh][None, :] + dtime <= self.dlim[veh][None, :] + 1e-9
        ok &= self.rcost[veh][None, :] + delta <= self.clim[veh][None, :] + 1e-9
        delta = np.where(ok, delta, INF)
        best = np.argmin(delta, axis=1)
        return delta[np.arange(n), best], veh[best], pos[best]

    def insert(self, t: int, v: int, pos: int) -> None:
        """Put task ``t`` at ``pos`` of vehicle ``v``'s route."""
        self.routes[v].insert(pos, t)
        self.refresh(v)

    def insert_best(self, t: int, day: int, *, force: bool = False) -> bool:
        """Insert ``t`` at its cheapest feasible place on ``day``; with ``force`` at its
        cheapest place ignoring limits when none is feasible. False when not inserted."""
        cost, veh, pos = self.insertion_costs(np.array([t]), day)
        if np.isfinite(cost[0]):
            self.insert(t, int(veh[0]), int(pos[0]))
            return True
        if not force:
            return False
        options = [v for v in self.vehicles_of_day.get(day, []) if self.allowed[t, v]]
        if not options:
            return False
        v = min(options, key=lambda u: (self.load[u], u))
        self.insert(t, v, len(self.routes[v]))
        return True
