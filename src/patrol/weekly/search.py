"""The weekly solver: choose each task's days, route every slot, and improve both.

:func:`solve_week` runs these steps (each measured in ``docs/routing.md``):

1. **Construction**: tasks in order of frequency, then demand, each on the pattern whose
   days have the cheapest feasible insertions into the routes built so far.
2. **Routing**: one PyVRP search over the whole week (:mod:`patrol.weekly.engine`),
   warm-started from those routes; a task free to use any single day is one client
   group, so PyVRP chooses its day and routes it in the same search.
3. **Pattern descent**: with the real routed costs of the current routes (what taking a
   task out of a day saves, the cheapest feasible insertion on another), move the task
   to the pattern that lowers the cost most; repeat while a move helps.
4. **Large-neighbourhood search over patterns**: take a task and its nearest
   neighbours out of every day, put them back on their best patterns (the most
   constrained first), descend, and route again with PyVRP warm-started; keep the
   result when the checked cost is lower, else go back to the best week.

Every result goes through :func:`patrol.weekly.check.evaluate_week`.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from patrol.weekly.check import evaluate_week
from patrol.weekly.engine import Need, build_model
from patrol.weekly.problem import Schedule, Slot, Spacing, WeekProblem
from patrol.weekly.routes import RouteState

__all__ = ["SearchParams", "candidate_patterns", "solve_week"]

MAX_PATTERNS = 64
"""Most generated patterns per task when the task gives none (spacing rules)."""


@dataclass(frozen=True)
class SearchParams:
    """Which steps run and how the budget is shared (for measuring each step).

    ``first_share`` of the budget goes to the first PyVRP search; every later one gets
    ``slice_share`` (at least ``min_slice_s``). ``free_days`` lets PyVRP choose the day of
    single-day tasks; ``descent`` and ``lns`` switch steps 3 and 4; ``lns_size`` is how
    many tasks one LNS step takes out, ``lns_iterations`` the PyVRP iterations that route
    each step, ``threshold`` how much worse (a share) a step may be and still be kept
    as the current week at the start (shrinking to 0); ``balance`` spreads the
    construction's patterns by load (0: cheapest insertion only); ``regret`` repairs an
    LNS step by regret-2 (the task that loses most if it does not get its best pattern
    goes first) instead of fewest patterns first.
    """

    first_share: float = 0.3
    slice_share: float = 0.04
    min_slice_s: float = 0.3
    free_days: bool = True
    descent: bool = True
    lns: bool = True
    lns_size: int = 12
    lns_iterations: int = 200
    threshold: float = 0.01
    balance: float = 0.0
    regret: bool = True


def _allowed_days(problem: WeekProblem, t: int) -> set[int]:
    task = problem.tasks[t]
    days = {v.day for v in problem.vehicles if task.slots is None or v.slot in task.slots}
    if task.vehicles is not None:
        days &= {problem.vehicles[v].day for v in task.vehicles if v < len(problem.vehicles)}
    return days


def candidate_patterns(problem: WeekProblem, t: int) -> list[frozenset[int]]:
    """The sets of days task ``t`` may use: its patterns on days with an allowed slot, or
    (no patterns) every ``frequency`` days of its allowed days that keep its group's
    spacing, at most :data:`MAX_PATTERNS`."""
    task = problem.tasks[t]
    days = _allowed_days(problem, t)
    if task.patterns is not None:
        return [p for p in task.patterns if p <= days]
    rule = problem.spacing.get(task.group, Spacing()) if task.group else Spacing(window_days=1)
    out = []
    for combo in itertools.combinations(sorted(days), task.frequency):
        span = rule.window_days
        if span > 1 and any(
            sum(1 for d in combo if lo <= d < lo + span) > rule.per_window for lo in combo
        ):
            continue
        out.append(frozenset(combo))
        if len(out) >= MAX_PATTERNS:
            break
    return out


class _Week:
    """The search state: chosen patterns, the routes, and the budget."""

    def __init__(
        self, problem: WeekProblem, params: SearchParams, seed: int, budget: _Budget
    ) -> None:
        self.p, self.params, self.seed, self.budget = problem, params, seed, budget
        self.rng = random.Random(seed)
        n = len(problem.tasks)
        self.cands = [candidate_patterns(problem, t) for t in range(n)]
        self.free = [
            params.free_days and problem.tasks[t].frequency == 1 and len(self.cands[t]) > 1
            for t in range(n)
        ]
        self.choice: list[frozenset[int] | None] = [c[0] if c else None for c in self.cands]
        self.slots_of_day: dict[tuple[int, int], tuple[Slot, ...]] = {}
        self.place = np.array([tk.place for tk in problem.tasks])
        assert problem.cost is not None
        depot = problem.vehicles[0].start if problem.vehicles else 0
        self.round_trip = problem.cost[depot, self.place] + problem.cost[self.place, depot]
        self.runs = 0

    def slots(self, t: int, day: int) -> tuple[Slot, ...]:
        key = (t, day)
        if key not in self.slots_of_day:
            task = self.p.tasks[t]
            shifts = sorted({v.shift for v in self.p.vehicles if v.day == day})
            self.slots_of_day[key] = tuple(
                (day, s) for s in shifts if task.slots is None or (day, s) in task.slots
            )
        return self.slots_of_day[key]

    def needs(self) -> list[Need]:
        """One need per visit: a free task's over all its days, else one per pattern day."""
        out = []
        for t, task in enumerate(self.p.tasks):
            prize = 0.0 if task.required else max(1e-3, (task.weight or 0.0) * self.p.weight_cost)
            if self.free[t]:
                slots = tuple(s for p in self.cands[t] for d in sorted(p) for s in self.slots(t, d))
                out.append(Need(t, slots, prize))
            elif self.choice[t] is not None:
                out.extend(Need(t, self.slots(t, d), prize) for d in sorted(self.choice[t] or ()))
        return out

    def construct(self) -> RouteState:
        """Cheapest-insertion construction, most frequent and largest tasks first."""
        state = RouteState(self.p)
        order = sorted(
            range(len(self.p.tasks)),
            key=lambda t: (-self.p.tasks[t].frequency, -self.p.tasks[t].demand, t),
        )
        for t in order:
            self.place_task(state, t, force=self.p.tasks[t].required, balance=self.params.balance)
        return state

    def _load_share(self, state: RouteState, day: int) -> float:
        """How full a day's vehicles are (load over capacity; 0 without capacities)."""
        vehicles = state.vehicles_of_day.get(day, [])
        cap = float(state.cap[vehicles].sum()) if vehicles else 0.0
        return float(state.load[vehicles].sum()) / cap if 0 < cap < float("inf") else 0.0

    def place_task(self, state: RouteState, t: int, *, force: bool, balance: float = 0.0) -> None:
        """Put ``t`` on its cheapest feasible pattern (else, with ``force``, the least
        loaded one, limits broken for PyVRP to repair). ``balance`` adds that many times
        the task's round trip from the depot per unit of its days' load share, so that
        the first tasks, placed into empty routes, do not all take the same pattern."""
        arr = np.array([t])
        best: tuple[float, int] | None = None
        unit = balance * float(self.round_trip[t])
        for k, pattern in enumerate(self.cands[t]):
            total = sum(float(state.insertion_costs(arr, d)[0][0]) for d in pattern)
            if unit:
                total += unit * sum(self._load_share(state, d) for d in pattern)
            if best is None or total < best[0]:
                best = (total, k)
        if best is None:
            return
        if not np.isfinite(best[0]):
            if not force:
                self.choice[t] = self.cands[t][best[1]]
                return
            loads = [
                sum(state.load[state.vehicles_of_day[d]].sum() for d in p) for p in self.cands[t]
            ]
            best = (0.0, int(np.argmin(loads)))
        self.choice[t] = self.cands[t][best[1]]
        for d in sorted(self.choice[t] or ()):
            state.insert_best(t, d, force=force)

    def descend(self, state: RouteState, tasks: Sequence[int] | None = None) -> int:
        """Pattern descent on the routes as they are; returns the moves made."""
        moves = 0
        pool = [
            t
            for t in (tasks if tasks is not None else range(len(self.p.tasks)))
            if len(self.cands[t]) > 1
        ]
        improved = True
        while improved and pool:
            improved = False
            self.rng.shuffle(pool)
            for t in pool:
                if self._best_move(state, t):
                    moves += 1
                    improved = True
        return moves

    def _best_move(self, state: RouteState, t: int) -> bool:
        """Move ``t`` to a cheaper pattern if one exists (exact on the current routes)."""
        here = {
            d: v for v, r in enumerate(state.routes) if t in r for d in [self.p.vehicles[v].day]
        }
        if not here:
            return False
        gain = {d: state.removal_gain(t, v) for d, v in here.items()}
        old = frozenset(here)
        arr = np.array([t])
        ins: dict[int, float] = {}
        best, best_p = -1e-7, None
        for pattern in self.cands[t]:
            if pattern == old:
                continue
            delta = -sum(gain[d] for d in old - pattern)
            for d in pattern - old:
                if d not in ins:
                    ins[d] = float(state.insertion_costs(arr, d)[0][0])
                delta += ins[d]
            if delta < best:
                best, best_p = delta, pattern
        if best_p is None:
            return False
        for d in old - best_p:
            state.remove(t, here[d])
        for d in sorted(best_p - old):
            state.insert_best(t, d, force=True)
        self.choice[t] = best_p
        return True

    def route(self, state: RouteState, seconds: float | None, iterations: int | None) -> RouteState:
        """PyVRP over the whole week for the chosen patterns, warm-started from ``state``."""
        model = build_model(self.p, self.needs())
        schedule, _feasible, used = model.solve(
            start=state.schedule(), seed=self.seed + self.runs, time_limit_s=seconds,
            max_iterations=iterations, clock=self.budget.clock,
        )  # fmt: skip
        self.runs += 1
        self.budget.iterations += used
        out = RouteState(self.p, schedule)
        self.sync_choice(out)
        return out

    def sync_choice(self, state: RouteState) -> None:
        """Take the days PyVRP chose for free tasks as their patterns."""
        for t, days in state.visits().items():
            if self.free[t]:
                self.choice[t] = frozenset(days)

    def ruin(self, state: RouteState) -> list[int]:
        """Take a random task and its nearest neighbours (by place) out of every day."""
        movable = [t for t in range(len(self.p.tasks)) if len(self.cands[t]) > 1]
        if not movable:
            return []
        seed_t = self.rng.choice(movable)
        assert self.p.cost is not None
        dist = self.p.cost[self.place[seed_t], self.place[movable]]
        k = min(len(movable), self.params.lns_size)
        picked = [movable[i] for i in np.argsort(dist, kind="stable")[:k]]
        for t in picked:
            for v, route in enumerate(state.routes):
                if t in route:
                    state.remove(t, v)
        return picked

    def repair(self, state: RouteState, picked: list[int]) -> None:
        """Put the ruined tasks back, fewest patterns first (or by regret), each on its
        best pattern."""
        self.rng.shuffle(picked)
        picked.sort(key=lambda t: (len(self.cands[t]), -self.p.tasks[t].demand))
        if self.params.regret:
            self._repair_by_regret(state, picked)
            return
        for t in picked:
            self.place_task(state, t, force=self.p.tasks[t].required)

    def _pattern_costs(self, state: RouteState, t: int) -> list[float]:
        """The cheapest insertion of ``t`` on each of its patterns, in these routes."""
        arr = np.array([t])
        day_cost: dict[int, float] = {}
        for pattern in self.cands[t]:
            for d in pattern:
                if d not in day_cost:
                    day_cost[d] = float(state.insertion_costs(arr, d)[0][0])
        return [sum(day_cost[d] for d in pattern) for pattern in self.cands[t]]

    def _repair_by_regret(self, state: RouteState, picked: list[int]) -> None:
        """Regret-2 repair: insert next the task whose best pattern beats its second best
        by the most (a task with one feasible pattern left first), then price again."""
        left = list(picked)
        while left:

            def regret(t: int) -> float:
                costs = sorted(self._pattern_costs(state, t))
                if not np.isfinite(costs[0]):
                    return -1.0  # nothing fits: last, placed (or forced) as before
                second = costs[1] if len(costs) > 1 else float("inf")
                return second - costs[0] if np.isfinite(second) else 1e18

            t = max(left, key=regret)
            left.remove(t)
            self.place_task(state, t, force=self.p.tasks[t].required)


class _Budget:
    """Seconds and PyVRP iterations of a run."""

    def __init__(
        self, time_limit_s: float | None, max_iterations: int | None, *, cpu: bool = False
    ) -> None:
        self.clock: Callable[[], float] = time.process_time if cpu else time.perf_counter
        self.t0 = self.clock()
        self.time_limit_s, self.max_iterations = time_limit_s, max_iterations
        self.iterations = 0

    def left_s(self) -> float:
        if self.time_limit_s is None:
            return float("inf")
        return self.time_limit_s - (self.clock() - self.t0)

    def slice(self, share: float, min_s: float) -> tuple[float | None, int | None]:
        """Seconds and iterations of the next PyVRP search."""
        seconds = None
        if self.time_limit_s is not None:
            seconds = min(max(min_s, share * self.time_limit_s), max(0.0, self.left_s()))
        iterations = None
        if self.max_iterations is not None:
            iterations = max(
                1, min(int(share * self.max_iterations), self.max_iterations - self.iterations)
            )
        return seconds, iterations

    def lns_slice(self, iterations: int) -> tuple[float | None, int | None]:
        """Seconds and iterations of one LNS step's search: ``iterations`` at most."""
        seconds = None if self.time_limit_s is None else max(0.0, self.left_s())
        if self.max_iterations is not None:
            iterations = max(1, min(iterations, self.max_iterations - self.iterations))
        return seconds, iterations

    def left_share(self) -> float:
        """Share of the budget not yet used (1 at the start)."""
        shares = []
        if self.time_limit_s:
            shares.append(max(0.0, self.left_s()) / self.time_limit_s)
        if self.max_iterations:
            shares.append(max(0, self.max_iterations - self.iterations) / self.max_iterations)
        return min(shares, default=0.0)

    def done(self) -> bool:
        if self.max_iterations is not None and self.iterations >= self.max_iterations:
            return True
        return self.left_s() <= 0.05


def _cost(problem: WeekProblem, state: RouteState) -> float:
    report = evaluate_week(problem, state.schedule())
    return report.cost + problem.weight_cost * report.unserved_weight + 1e9 * len(report.violations)


def _lns(
    week: _Week, best: RouteState, best_choice: list[frozenset[int] | None], best_cost: float
) -> tuple[RouteState, float, dict[str, float]]:
    """Ruin and recreate over patterns, routed by short warm-started PyVRP searches.

    A step starts from the current week; its result becomes the current week when its
    checked cost is within a threshold of the current one (record-to-record travel: the
    threshold shrinks from ``params.threshold`` to 0 over the budget), and the best week
    is kept apart.
    """
    p, params, budget = week.p, week.params, week.budget
    current, current_choice, current_cost = best, list(best_choice), best_cost
    steps = kept = 0
    while not budget.done():
        state = RouteState(p, current.schedule())
        week.choice = list(current_choice)
        picked = week.ruin(state)
        if not picked:
            break
        week.repair(state, picked)
        if params.descent:
            week.descend(state, picked)
        state = week.route(state, *budget.lns_slice(params.lns_iterations))
        steps += 1
        cost = _cost(p, state)
        if cost < current_cost * (1 + params.threshold * budget.left_share()) - 1e-9:
            current, current_choice, current_cost = state, list(week.choice), cost
        if cost < best_cost - 1e-9:
            best, best_cost, kept = state, cost, kept + 1
    return best, best_cost, {"lns_steps": steps, "lns_kept": kept}


def solve_week(
    problem: WeekProblem,
    *,
    time_limit_s: float | None = 10.0,
    max_iterations: int | None = None,
    seed: int = 0,
    params: SearchParams | None = None,
    cpu_clock: bool = False,
) -> Schedule:
    """Plan the week: days per task, routes per slot, improved as the module says.

    With ``max_iterations`` (PyVRP iterations over all searches) and no time limit, the
    run is bounded by work only and repeats exactly for a seed. ``cpu_clock`` counts the
    seconds in this process's CPU time (benchmarks on a shared machine). ``stats`` of the
    returned schedule holds the cost after each step and how many LNS steps helped.
    """
    params = params or SearchParams()
    budget = _Budget(time_limit_s, max_iterations, cpu=cpu_clock)
    week = _Week(problem, params, seed, budget)
    stats: dict[str, float] = {}
    state = week.construct()
    stats["construct"] = _cost(problem, state)
    state = week.route(state, *budget.slice(params.first_share, params.min_slice_s))
    best_cost = stats["routed"] = _cost(problem, state)
    best, best_choice = state, list(week.choice)
    if params.descent and week.descend(state):
        state = week.route(state, *budget.slice(params.slice_share, params.min_slice_s))
        cost = _cost(problem, state)
        if cost < best_cost:
            best, best_cost, best_choice = state, cost, list(week.choice)
    stats["descent"] = best_cost
    if params.lns:
        best, best_cost, lns_stats = _lns(week, best, best_choice, best_cost)
        stats.update(lns_stats)
    stats.update(lns=best_cost, pyvrp_runs=week.runs)
    stats["iterations"] = budget.iterations
    return Schedule(best.schedule().routes, seconds=budget.clock() - budget.t0, stats=stats)
