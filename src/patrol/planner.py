"""plan_week: the one place the stages are chained.

    Scenario -> Network -> Demand (tasks) + TeamPlan (teams) -> Assignment (task -> team)
             -> RoutingProblem per shift -> solve -> Plan

1. Build the street network and snap posts, homes and hot spots to it.
2. Expand the week's demand into tasks (:mod:`patrol.demand`).
3. Form the 1+1+N teams for every shift (:mod:`patrol.teams.form`), staffing first the beats
   and shifts whose tasks weigh most.
4. Assign tasks to teams within their estimated minutes and the spacing rules
   (:mod:`patrol.routing.assign`).
5. Route each shift's teams along the streets (:func:`patrol.routing.solvers.solve`): teams start
   and end at their post inside the shift window; every task is optional with a penalty
   that follows its priority; teams of the same beat and shift may swap tasks.
6. What routing drops goes back to step 4 for another shift (that shift is forbidden to
   it); repeat until nothing moves, then record why each remaining task is unserved.

The solver seconds of steps 3-5 are one :class:`~patrol.budget.Budget` (``--time-limit``),
shared by the rule of :mod:`patrol.budget`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from patrol.budget import Budget, clock_mode, share_budget, size_total
from patrol.demand import Demand, Task, build_demand
from patrol.labels import Phrase
from patrol.network import Network
from patrol.plan import Plan, TeamRoute, Unserved
from patrol.routing.assign import Assignment, TeamSlot, assign_tasks
from patrol.routing.reasons import explain_task
from patrol.scenario.model import Scenario, ShiftSlot
from patrol.scenario.stays import stationed_people
from patrol.shifts import route_slot
from patrol.teams.types import refused_tasks
from patrol.travel import travel_network, walks_in_grids
from patrol.week_core import improve_and_check, week_problem
from patrol.week_rules import (
    bound_of_plan,
    drop_idle_teams,
    gap_limits,
    open_overdue_visits,
    worker_grid,
)

if TYPE_CHECKING:
    from patrol.teams.types import Team, TeamPlan
    from patrol.weekly.check import WeekReport

log = logging.getLogger("patrol")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanParams:
    """How hard to work and with what.

    ``time_limit_s`` is the whole solver budget of the run, shared by teams, assignment and
    routing as :mod:`patrol.budget` says; ``None`` sizes it to the week.
    ``max_iterations`` bounds each routing solve by work instead of the clock, so the same
    inputs and seed give identical plans on any machine. ``wall_clock`` makes the seconds
    the clock's instead of deterministic work (see :mod:`patrol.budget`).
    """

    time_limit_s: float | None = None
    seed: int | None = None
    engine: str | None = None
    max_iterations: int | None = None
    rounds: int = 3
    wall_clock: bool = False


def _quiet(_: str) -> None:
    return None


def choose_posts(scenario: Scenario, network: Network) -> dict[str, tuple[str, int]]:
    """For each beat: the post its teams start from (its own, else a shared one, else the
    nearest) and that post's network node."""
    posts = scenario.posts
    if posts.empty:
        raise ValueError("the scenario has no posts")
    nodes = network.snap(posts.geometry).node
    node_of = dict(zip(posts["post_id"], nodes, strict=True))
    beats = scenario.beat_polygons()
    result = {}
    for beat, geom in zip(beats["beat_id"], beats.geometry, strict=True):
        own = posts.loc[posts["beat_id"] == beat]
        if own.empty:
            own = posts.loc[posts["beat_id"].isna()]
        if own.empty:
            own = posts
        dist = own.distance(geom.representative_point()).to_numpy()
        pid = str(own.iloc[int(np.argmin(dist))]["post_id"])
        result[str(beat)] = (pid, int(node_of[pid]))
    return result


def _demand_weights(
    tasks: list[Task], slots: list[ShiftSlot], *, max_walk_m: int = 0
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], int]]:
    """How much each beat-shift is needed: the weight of tasks that may use it, shared over
    their allowed shifts; and how many teams the beat's work could keep busy there (by its
    minutes, and by its metres of walking where teams have a walking limit)."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    minutes: dict[tuple[str, str], float] = defaultdict(float)
    metres: dict[tuple[str, str], float] = defaultdict(float)
    for t in tasks:
        if not t.slots:
            continue
        share = 1.0 / len(t.slots)
        for key in t.slots:
            weight[(t.beat_id, key)] += t.weight * share
            minutes[(t.beat_id, key)] += t.service_s * share
            metres[(t.beat_id, key)] += t.length_m * share
    duration = {s.key: (s.end - s.start).total_seconds() for s in slots}

    def teams_for(k: tuple[str, str]) -> int:
        by_time = math.ceil(2.0 * minutes[k] / max(duration[k[1]], 1.0))
        by_walk = math.ceil(2.0 * metres[k] / max_walk_m) if max_walk_m else 0
        return max(1, min(3, max(by_time, by_walk)))

    return dict(weight), {k: teams_for(k) for k in minutes}


def plan_budget(
    params: PlanParams, scenario: Scenario, *, tasks: int, spent_s: float = 0.0
) -> Budget:
    """The run's solver budget: ``params.time_limit_s`` (else sized to ``tasks`` tasks)
    shared by the rule of :mod:`patrol.budget`, the team share capped by the settings;
    ``spent_s`` is what preparation took (it counts only on the clock)."""
    total = params.time_limit_s if params.time_limit_s is not None else size_total(tasks=tasks)
    return share_budget(
        total,
        teams_cap_s=scenario.settings.teams.time_limit_s,
        rounds=params.rounds,
        max_iterations=params.max_iterations,
        wall_clock=params.wall_clock,
        spent_s=spent_s,
        tasks=tasks,
    )


def plan_week(
    scenario: Scenario, params: PlanParams | None = None, *, progress: Progress | None = None
) -> Plan:
    """Plan the week of ``scenario``: teams, routes, unserved tasks with reasons."""
    params = params or PlanParams()
    with clock_mode(wall_clock=params.wall_clock):  # CP-SAT limits: work, or the clock
        return _plan_week(scenario, params, progress=progress)


def _plan_week(scenario: Scenario, params: PlanParams, *, progress: Progress | None) -> Plan:
    from patrol.routing.solvers import DEFAULT_ENGINE

    say = progress or _quiet
    seed = scenario.settings.seed if params.seed is None else params.seed
    clock = _Clock()

    say(Phrase("progress.network"))
    with clock("network_s"):
        network = travel_network(scenario)
        slots = scenario.slots()
        posts = choose_posts(scenario, network)
        scenario = with_stays(scenario, posts)
    say(Phrase("progress.demand"))
    with clock("demand_s"):
        demand = build_demand(scenario, network, slots)
    demand = dataclasses.replace(demand, tasks=open_overdue_visits(demand.tasks, slots))
    live, unserved = split_servable(demand.tasks, network, posts)
    budget = plan_budget(params, scenario, tasks=len(live), spent_s=clock.elapsed_s())
    say(Phrase("progress.teams", shifts=len(slots)))
    with clock("teams_s"):
        team_plan = _form_week_teams(scenario, slots, live, budget=budget, seed=seed)
    say(Phrase("progress.assigning", tasks=len(live), teams=len(team_plan.teams)))
    rounds = _Rounds(
        scenario, network, slots, posts, team_plan, live,
        budget=budget, engine=params.engine or DEFAULT_ENGINE, seed=seed, say=say,
    )  # fmt: skip
    with clock("assignment_s"):
        bound = rounds.bound()
    rounds.run(clock)
    with clock("week_s"):
        week = rounds.improve_week()
    plan = assemble_plan(
        scenario, network, demand, team_plan, rounds, live=live, unserved=unserved,
        bound=bound, clock=clock, seed=seed, week_violations=week.violations,
    )  # fmt: skip
    plan.plan_id = _plan_id(plan)
    met, bound_pct = f"{100 * plan.weighted_demand_met:.1f}", f"{100 * plan.upper_bound:.1f}"
    say(Phrase("progress.planned", routes=len(plan.routes), met=met, bound=bound_pct))
    return plan


def assemble_plan(
    scenario: Scenario,
    network: Network,
    demand: Demand,
    team_plan: TeamPlan,
    rounds: _Rounds,
    *,
    live: Sequence[Task],
    unserved: dict[str, Unserved],
    bound: Assignment,
    clock: _Clock,
    seed: int,
    week_violations: tuple[str, ...] = (),
) -> Plan:
    """The plan the rounds routed (a week's or a re-plan's): every unserved task with its
    reason, idle teams dropped (their people free), the step timings and the bound with
    what its gap is made of. The caller sets ``plan_id``."""
    unserved.update(explain_unserved(live, rounds.kept, team_plan.teams, rounds=rounds))
    kept_teams, idle = drop_idle_teams(team_plan, rounds.routes, scenario.people)
    plan = Plan(
        scenario=scenario,
        network=network,
        demand=demand,
        team_plan=kept_teams,
        routes=sorted(rounds.routes.values(), key=lambda r: (r.start, r.team.team_id)),
        unserved=sorted(unserved.values(), key=lambda u: u.task.task_id),
        slots=scenario.slots(),
        engine=rounds.engine,
        seed=seed,
        idle_teams=idle,
        week_violations=week_violations,
    )
    plan.timings = clock.finish()
    plan.upper_bound, plan.bound_gap = bound_of_plan(plan, bound)
    return plan


class _Clock:
    """Seconds spent per step, summed over repeats, and in all."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, key: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[key] = self.timings.get(key, 0.0) + time.perf_counter() - start

    def elapsed_s(self) -> float:
        """Seconds since the clock started."""
        return time.perf_counter() - self.t0

    def finish(self) -> dict[str, float]:
        self.timings["total_s"] = time.perf_counter() - self.t0
        return self.timings


def split_servable(
    tasks: Sequence[Task], network: Network, posts: Mapping[str, tuple[str, int]]
) -> tuple[list[Task], dict[str, Unserved]]:
    """The tasks some team could serve, and those none ever can (unreachable from the
    post along the streets, or with no shift to use) with their reason."""
    labels = network.component_labels()
    unserved: dict[str, Unserved] = {}
    live: list[Task] = []
    for task in tasks:
        post_node = posts[task.beat_id][1]
        if labels[task.start_node] != labels[post_node]:
            unserved[task.task_id] = Unserved(task, "unreachable")
        elif not task.slots:
            unserved[task.task_id] = Unserved(task, "no_slot")
        else:
            live.append(task)
    return live, unserved


def _form_week_teams(
    scenario: Scenario, slots: list[ShiftSlot], live: list[Task], *, budget: Budget, seed: int
) -> TeamPlan:
    """The week's teams, staffing first the beat-shifts whose tasks weigh most."""
    from patrol.teams.form import form_teams

    weight, need = _demand_weights(live, slots, max_walk_m=walking_limit_m(scenario))
    return form_teams(
        scenario.people,
        slots,
        beat_of_grid=scenario.beat_of_grid(),
        beats=scenario.beats,
        settings=scenario.settings.teams,
        need=need,
        weight=weight,
        time_limit_s=budget.teams_s,
        seed=seed,
        risk_of_grid=dict(zip(scenario.grids["grid_id"], scenario.grids["risk"], strict=True)),
    )


def explain_unserved(
    live: Sequence[Task],
    kept: Mapping[str, str],
    teams: Sequence[Team],
    *,
    rounds: _Rounds | None = None,
) -> dict[str, Unserved]:
    """Why each servable task no route carries is unserved: no (eligible) team on its beat
    in any shift it may use, else not enough time; with ``rounds`` each reason also says
    what would fix it (:func:`patrol.routing.reasons.explain_task`)."""
    beats_with_team = {(t.beat_id, t.slot.key) for t in teams}
    unserved: dict[str, Unserved] = {}
    for task in live:
        if task.task_id in kept:
            continue
        if rounds is not None:
            why = explain_task(
                task,
                slots=rounds.slots,
                teams=teams,
                people=rounds.scenario.people,
                cost_s=rounds.cost_s.get(task.task_id, task.service_s),
            )
            unserved[task.task_id] = Unserved(task, why.code, why.detail_zh, why.detail_en)
            continue
        if not any((task.beat_id, k) in beats_with_team for k in task.slots):
            reason = "no_eligible_team" if task.kind == "visit" else "no_team"
        else:
            reason = "no_time"
        unserved[task.task_id] = Unserved(task, reason)
    return unserved


class _Rounds:
    """Assign, route, and send what routing dropped back for another shift.

    Each round assigns the pending tasks to teams within their estimated minutes, routes
    every shift that received tasks (its earlier tasks plus the new ones), forbids a
    dropped task the shift that dropped it, and stops when nothing moves.
    """

    def __init__(
        self,
        scenario: Scenario,
        network: Network,
        slots: list[ShiftSlot],
        posts: dict[str, tuple[str, int]],
        team_plan: TeamPlan,
        live: list[Task],
        *,
        budget: Budget,
        engine: str,
        seed: int,
        say: Progress,
    ) -> None:
        self.scenario, self.network, self.slots, self.posts = scenario, network, slots, posts
        self.live, self.teams = live, list(team_plan.teams)
        self.budget, self.engine, self.seed, self.say = budget, engine, seed, say
        self.cost_s, self.overhead_s = _estimate_costs(network, live, posts)
        self.teams_by_id = {t.team_id: t for t in self.teams}
        self.duration_of = {s.key: int((s.end - s.start).total_seconds()) for s in slots}
        self.task_by_id = {t.task_id: t for t in live}
        self.used_s: dict[str, int] = defaultdict(int)
        self.forbidden: set[tuple[str, str]] = set()
        self.kept: dict[str, str] = {}  # task -> team, routed and final
        self.routes: dict[str, TeamRoute] = {}
        self.assignment_work_s = 0.0
        shifts = max(1, len({t.slot.key for t in self.teams}))
        self.solve_s = budget.routing_solve_s(shifts=shifts)
        self.shifts = shifts
        self.week_h = 24.0 * len(scenario.settings.days)
        self.gap_limit_h = gap_limits(scenario, live, week_h=self.week_h)
        self.max_walk_m = walking_limit_m(scenario)
        speed = network.speed_mps
        self.cost_m = {
            t.task_id: round(t.length_m + (self.cost_s[t.task_id] - t.service_s) * speed)
            for t in live
        }
        self.overhead_m = {b: round(s * speed) for b, s in self.overhead_s.items()}
        self.used_m: dict[str, int] = defaultdict(int)
        self.stay: dict[str, str] = {}  # a re-plan: task -> the team it stays on
        self.initial: dict[str, list[str]] = {}  # a re-plan: team -> its old task order
        self.was: dict[str, tuple[str, int]] = {}  # a re-plan: task -> old team and day

    def run(self, clock: _Clock, *, pending: list[Task] | None = None) -> None:
        """Up to ``budget.rounds`` rounds of assignment and routing (of ``pending``, by
        default every servable task)."""
        clock.timings.setdefault("routing_s", 0.0)
        clock.timings.setdefault("assignment_s", 0.0)
        pending = list(self.live) if pending is None else pending
        for rnd in range(self.budget.rounds):
            if not pending:
                break
            with clock("assignment_s"):
                team_of = self.assign(pending)
            if not team_of:
                break
            changed = sorted({self.teams_by_id[m].slot.key for m in team_of.values()})
            self.say(
                Phrase("progress.round", round=rnd + 1, tasks=len(team_of), shifts=len(changed))
            )
            with clock("routing_s"):
                dropped = [t for key in changed for t in self.route_shift(key, team_of)]
            pending = _still_pending(pending, self.kept, set(team_of), dropped)

    def team_slots(self, *, full: bool = False) -> list[TeamSlot]:
        """What the assignment knows of each team: its shift, beat, grid worker, people and
        capacity (the shift less the round trip and what routing used, with 8% kept for
        the walk between tasks; ``full``: the whole shift less half the cheapest round trip,
        a capacity no route can beat, for the bound)."""
        week0 = dt.datetime.combine(self.scenario.settings.week_start, dt.time())
        result = []
        for t in self.teams:
            duration = self.duration_of[t.slot.key]
            capacity, walk = self._capacity(t, duration, full=full)
            result.append(
                TeamSlot(
                    t.team_id, t.slot.key, t.slot.day, t.beat_id, max(0, capacity),
                    start_h=(t.slot.start - week0).total_seconds() / 3600.0,
                    worker_grid=worker_grid(t),
                    people=tuple(p.person_id for p in t.members),
                    refused=refused_tasks(t, self.task_by_id.values(), self.scenario.grids),
                    capacity_m=walk,
                )
            )  # fmt: skip
        return result

    def _capacity(self, team: Team, duration: int, *, full: bool) -> tuple[int, int]:
        """Seconds and metres the team still has: the shift (and walking limit) less the
        round trip from the post and what routing used, 8% kept for the walks between
        tasks; ``full``: less half the cheapest round trip only (a bound no route beats).
        Metres are 0 when there is no walking limit."""
        beat, tid = team.beat_id, team.team_id
        if full:
            seconds = duration - self.overhead_s.get(beat, 0) // 2
            metres = self.max_walk_m - self.overhead_m.get(beat, 0) // 2
        else:
            seconds = int(0.92 * duration) - self.overhead_s.get(beat, 0) - self.used_s[tid]
            metres = int(0.92 * self.max_walk_m) - self.overhead_m.get(beat, 0) - self.used_m[tid]
        return max(0, seconds), (max(1, metres) if self.max_walk_m else 0)

    def assign(self, pending: list[Task]) -> dict[str, str]:
        """Task -> team for the pending tasks, in the team time routing left."""
        slots = self.team_slots()
        slot_of = {m.team_id: m for m in slots}
        fixed = [(self.task_by_id[tid], slot_of[m]) for tid, m in sorted(self.kept.items())]
        assignment = assign_tasks(
            pending,
            slots,
            cost_s=self.cost_s,
            cost_m=self.cost_m,
            forbidden=self.forbidden,
            fixed=fixed,
            gap_limit_h=self.gap_limit_h,
            week_h=self.week_h,
            shift_h=max(self.duration_of.values(), default=0) / 3600.0,
            time_limit_s=self.budget.assignment_round_s(spent_s=self.assignment_work_s),
            seed=self.seed,
            stay=self.was,
        )
        self.assignment_work_s += assignment.work_s
        return assignment.team_of

    def bound(self) -> Assignment:
        """The relaxation of the week: every servable task, every team at a capacity no
        route can beat, the same windows, spacing and one-visit-a-day rules, weight only;
        its solver bound is the plan's upper bound. Solved first (it is small and stops at
        its optimum), charged to the assignment pool the rounds then share."""
        cost = {tid: max(0, c - 1) for tid, c in self.cost_s.items()}  # below the rounding
        result = assign_tasks(
            self.live,
            self.team_slots(full=True),
            cost_s=cost,
            cost_m=self.cost_m,
            relax=True,
            time_limit_s=self.budget.assignment_round_s(spent_s=self.assignment_work_s),
            seed=self.seed,
        )
        self.assignment_work_s += result.work_s
        return result

    def improve_week(self, *, insert: bool = True) -> WeekReport:
        """The weekly core on the routed week (:mod:`patrol.week_core`): unserved tasks
        inserted where the real routes leave room (unless ``insert`` is False: a re-plan
        whose earlier shifts are done only checks), then the whole week checked by
        :func:`patrol.weekly.check.evaluate_week`; broken rules are logged."""
        refused = {t.team_id: refused_tasks(t, self.live, self.scenario.grids) for t in self.teams}
        args = (self.network, self.teams, self.live, self.posts)
        week = week_problem(
            self.network, self.slots, *args[1:], refused=refused, max_walk_m=self.max_walk_m
        )
        out = improve_and_check(week, *args, self.routes, max_walk_m=self.max_walk_m, insert=insert)
        self.routes = out.routes
        self.kept = {tid: m for tid, m in out.served.items() if tid in self.task_by_id}
        if out.inserted:
            self.say(Phrase("progress.core", tasks=len(out.inserted)))
        for text in out.report.violations:
            log.warning("the week breaks a rule: %s", text)
        return out.report

    def route_shift(self, key: str, team_of: Mapping[str, str]) -> list[Task]:
        """Route shift ``key`` over its kept and newly assigned tasks; returns those
        routing dropped (now forbidden in this shift). A visit or sweep given to its own
        grid worker's team stays with that team."""
        from patrol.routing.solvers import solve

        slot_teams = [t for t in self.teams if t.slot.key == key]
        chosen = {
            tid: m for tid, m in {**self.kept, **team_of}.items()
            if self.teams_by_id[m].slot.key == key
        }  # fmt: skip
        slot_tasks = [self.task_by_id[tid] for tid in chosen]
        pinned = {
            tid: m for tid, m in chosen.items()
            if self.task_by_id[tid].kind in ("visit", "sweep")
            and worker_grid(self.teams_by_id[m]) == self.task_by_id[tid].grid_id
        } | {tid: m for tid, m in self.stay.items() if chosen.get(tid) == m}  # fmt: skip
        seconds, iterations = self.budget.routing_limits(
            shifts=self.shifts, clients=len(slot_tasks)
        )
        new_routes, served = route_slot(
            self.network,
            slot_teams[0].slot,
            slot_teams,
            slot_tasks,
            self.posts,
            engine=self.engine,
            time_limit_s=seconds or self.solve_s,
            seed=self.seed,
            max_iterations=iterations,
            solve=solve,
            pinned=pinned,
            max_walk_m=self.max_walk_m,
            initial=self.initial,
            refused={
                t.team_id: refused_tasks(t, slot_tasks, self.scenario.grids) for t in slot_teams
            },
        )
        for team in slot_teams:
            self.routes.pop(team.team_id, None)
            self.used_s[team.team_id] = 0
            self.used_m[team.team_id] = 0
        for r in new_routes:
            self.routes[r.team.team_id] = r
            self.used_s[r.team.team_id] = int(r.duration_s)
            self.used_m[r.team.team_id] = int(r.walked_m)
        dropped = []
        for task in slot_tasks:
            if task.task_id in served:
                self.kept[task.task_id] = served[task.task_id]
            else:
                self.kept.pop(task.task_id, None)
                self.forbidden.add((task.task_id, key))
                dropped.append(task)
        return dropped


def with_stays(scenario: Scenario, posts: Mapping[str, tuple[str, int]]) -> Scenario:
    """The scenario with its stationed people (``stationed_at``) available only to the
    teams that start from their post during their stay
    (:func:`patrol.scenario.stays.stationed_people`); the same scenario without any."""
    if not any(p.stationed for p in scenario.people):
        return scenario
    post_of_beat = {beat: post for beat, (post, _node) in posts.items()}
    people = stationed_people(scenario.people, post_of_beat)
    return dataclasses.replace(scenario, people=people)


def walking_limit_m(scenario: Scenario) -> int:
    """A team's walking limit in a shift, in metres: ``teams.max_walk_km`` for teams on
    foot (on a mixed network it counts walked metres only); 0 (none) when no team
    walks anywhere (the station travels by e-bike or car)."""
    if not walks_in_grids(scenario):
        return 0
    return round(scenario.settings.teams.max_walk_km * 1000)


def _still_pending(
    pending: list[Task], kept: Mapping[str, str], placed: set[str], dropped: list[Task]
) -> list[Task]:
    """What the next round tries again: tasks neither kept nor placed, and the dropped."""
    again = [
        t for t in pending if t.task_id not in kept and (t.task_id not in placed or t in dropped)
    ]
    again.extend(t for t in dropped if t not in again)
    return sorted({t.task_id: t for t in again}.values(), key=lambda t: t.task_id)


def _estimate_costs(
    network: Network, tasks: list[Task], posts: dict[str, tuple[str, int]]
) -> tuple[dict[str, int], dict[str, int]]:
    """Each task's service plus half its cheapest way in and out (nearest neighbour among
    the beat's tasks and post); and per beat the cheapest round trip from the post."""
    cost: dict[str, int] = {}
    overhead: dict[str, int] = {}
    by_beat: dict[str, list[Task]] = defaultdict(list)
    for t in tasks:
        by_beat[t.beat_id].append(t)
    for beat, items in by_beat.items():
        post = posts[beat][1]
        starts = np.array([t.start_node for t in items] + [post])
        ends = np.array([t.end_node for t in items] + [post])
        tt = network.travel_time_matrix(ends, starts)  # from end i to start j
        np.fill_diagonal(tt, np.inf)
        out_min = np.min(tt, axis=1)
        in_min = np.min(tt, axis=0)
        for i, t in enumerate(items):
            approach = 0.5 * (_finite(in_min[i]) + _finite(out_min[i]))
            cost[t.task_id] = math.ceil(t.service_s + approach)
        round_trip = tt[-1, :-1] + tt[:-1, -1]
        finite = round_trip[np.isfinite(round_trip)]
        overhead[beat] = math.ceil(float(finite.min())) if len(finite) else 0
    return cost, overhead


def _finite(value: float) -> float:
    return float(value) if np.isfinite(value) else 0.0


def _plan_id(plan: Plan) -> str:
    digest = hashlib.sha1()
    for r in plan.routes:
        digest.update(r.team.team_id.encode())
        for s in r.stops:
            digest.update(f"{s.task_id}{s.arrive.isoformat()}".encode())
    return digest.hexdigest()[:10]
