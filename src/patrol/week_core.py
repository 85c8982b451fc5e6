"""The planner's week through the weekly core: its problem, the core's insertion, its check.

:func:`week_problem` states the station's week as a plain
:class:`~patrol.weekly.problem.WeekProblem`: one place per post and per task (rows are
where a place ends, columns where it starts, so a sweep's walk from one street end to
the other is exact), travel in whole seconds and cost in whole metres walked, as
:func:`patrol.shifts.slot_problem` gives each shift's routing; one vehicle per team
(its shift, its post, the shift's length and the walking limit); each task once, in its
allowed shifts, on its beat's teams that may take it, with its spacing group's rule (the
assignment's: sweeps of a grid at most ``ceil(k/7)`` a day and once in ``7 // k`` days,
other groups once a day).

:func:`improve_and_check` sends the routed week to the core:
:func:`~patrol.weekly.improve.insert_missing` puts back unserved tasks where the real
routes leave room (never moving a served one; the parts of a split sweep are left to the
assignment, which places them together), the changed shifts are re-timed along the
streets, and :func:`~patrol.weekly.check.evaluate_week` checks the whole week.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from patrol.demand import Task
from patrol.network import Network, walked_metres_matrix
from patrol.plan import TeamRoute
from patrol.routing.problem import RoutingProblem, Solution, evaluate, to_integer_matrix
from patrol.scenario.model import ShiftSlot
from patrol.shifts import route_slot
from patrol.weekly.check import WeekReport, evaluate_week
from patrol.weekly.improve import insert_missing
from patrol.weekly.problem import Schedule, Spacing, WeekProblem, WeekTask, WeekVehicle

if TYPE_CHECKING:
    from patrol.teams.types import Team

__all__ = ["StationWeek", "WeekOutcome", "improve_and_check", "spacing_of", "week_problem"]


@dataclass(frozen=True)
class StationWeek:
    """The week as the core sees it, and the maps back to task and team ids."""

    problem: WeekProblem
    task_ids: tuple[str, ...]
    team_ids: tuple[str, ...]

    def schedule_of(self, routes: Mapping[str, TeamRoute]) -> Schedule:
        """The routes' task sequences as a :class:`Schedule` (stops of other tasks, such
        as posts, are left out)."""
        index = {tid: i for i, tid in enumerate(self.task_ids)}
        seqs = []
        for team_id in self.team_ids:
            route = routes.get(team_id)
            stops = route.stops if route is not None else ()
            seqs.append(tuple(index[s.task_id] for s in stops if s.task_id in index))
        return Schedule(tuple(seqs))


def spacing_of(tasks: Sequence[Task]) -> dict[str, Spacing]:
    """Each spacing group's rule, as the assignment states it."""
    size: dict[str, int] = defaultdict(int)
    for t in tasks:
        size[t.group] = max(size[t.group], t.group_size)
    out = {}
    for group, k in size.items():
        if group.startswith("sweep:"):
            out[group] = Spacing(per_day=math.ceil(k / 7), window_days=max(1, 7 // max(1, k)))
        else:
            out[group] = Spacing(per_day=1)
    return out


def week_problem(
    network: Network,
    slots: Sequence[ShiftSlot],
    teams: Sequence[Team],
    tasks: Sequence[Task],
    posts: Mapping[str, tuple[str, int]],
    *,
    refused: Mapping[str, frozenset[str]],
    max_walk_m: int = 0,
) -> StationWeek:
    """The station's week as a :class:`WeekProblem` (see the module docstring);
    ``refused`` maps a team id to the task ids it may not take."""
    post_nodes = sorted({posts[t.beat_id][1] for t in teams})
    loc_of_post = {n: i for i, n in enumerate(post_nodes)}
    starts = np.array(post_nodes + [t.start_node for t in tasks], dtype=np.int64)
    ends = np.array(post_nodes + [t.end_node for t in tasks], dtype=np.int64)
    seconds = network.travel_time_matrix(ends, starts)
    np.fill_diagonal(seconds, 0.0)
    travel = to_integer_matrix(seconds).astype(np.float64)
    cost = None
    if max_walk_m:
        inner = np.array([0.0] * len(post_nodes) + [t.length_m for t in tasks])
        metres = walked_metres_matrix(network, ends, starts, inner)
        cost = to_integer_matrix(metres).astype(np.float64)
    days = sorted({s.day for s in slots})
    shifts = sorted({s.shift for s in slots})
    day_i, shift_i = {d: i for i, d in enumerate(days)}, {s: i for i, s in enumerate(shifts)}
    slot_of = {s.key: (day_i[s.day], shift_i[s.shift]) for s in slots}
    vehicles = tuple(
        WeekVehicle(
            day=day_i[t.slot.day],
            shift=shift_i[t.slot.shift],
            start=loc_of_post[posts[t.beat_id][1]],
            end=loc_of_post[posts[t.beat_id][1]],
            duration_limit=float((t.slot.end - t.slot.start).total_seconds()),
            distance_limit=float(max_walk_m),
            name=t.team_id,
        )
        for t in teams
    )
    week_tasks = tuple(
        WeekTask(
            place=len(post_nodes) + k,
            service=float(task.service_s),
            slots=frozenset(slot_of[key] for key in task.slots if key in slot_of),
            vehicles=frozenset(
                i
                for i, team in enumerate(teams)
                if team.beat_id == task.beat_id
                and task.task_id not in refused.get(team.team_id, ())
            ),
            weight=task.weight,
            group=task.group,
            name=task.task_id,
        )
        for k, task in enumerate(tasks)
    )
    problem = WeekProblem(
        days=tuple(str(d) for d in days),
        shifts=tuple(shifts),
        vehicles=vehicles,
        tasks=week_tasks,
        travel=travel,
        cost=cost,
        spacing=spacing_of(tasks),
    )
    return StationWeek(problem, tuple(t.task_id for t in tasks), tuple(t.team_id for t in teams))


@dataclass
class WeekOutcome:
    """What the core did to the routed week: new routes of the changed shifts, the tasks
    it inserted, and the checker's report of the final week."""

    routes: dict[str, TeamRoute]
    inserted: list[str]
    report: WeekReport
    served: dict[str, str] = field(default_factory=dict)


def improve_and_check(
    week: StationWeek,
    network: Network,
    teams: Sequence[Team],
    tasks: Sequence[Task],
    posts: Mapping[str, tuple[str, int]],
    routes: Mapping[str, TeamRoute],
    *,
    max_walk_m: int = 0,
    insert: bool = True,
) -> WeekOutcome:
    """Insert unserved tasks where the routes leave room, re-time the changed shifts,
    and check the week (see the module docstring). Tasks of a sweep in parts are not
    inserted (their parts go together or not at all); ``insert`` False only checks."""
    problem = week.problem
    before = week.schedule_of(routes)
    parts = {i for i, t in enumerate(tasks) if t.parts > 1}
    blocked = problem.replace(
        tasks=tuple(
            t if i not in parts else _required_nowhere(t) for i, t in enumerate(problem.tasks)
        )
    )
    after, inserted = insert_missing(blocked, before) if insert else (before, [])
    new_routes = dict(routes)
    changed = {v for v, seq in enumerate(after.routes) if seq != before.routes[v]}
    by_slot: dict[str, list[int]] = defaultdict(list)
    for v in changed:
        by_slot[teams[v].slot.key].append(v)
    for key in sorted(by_slot):
        members = [v for v, t in enumerate(teams) if t.slot.key == key]
        slot_tasks = sorted({t for v in members for t in after.routes[v]})
        sequences = [[slot_tasks.index(t) for t in after.routes[v]] for v in members]
        walked, _ = route_slot(
            network,
            teams[members[0]].slot,
            [teams[v] for v in members],
            [tasks[t] for t in slot_tasks],
            posts,
            engine="evaluate",
            time_limit_s=0.0,
            seed=0,
            max_iterations=None,
            solve=_given(sequences),
            max_walk_m=max_walk_m,
        )
        for v in members:
            new_routes.pop(teams[v].team_id, None)
        new_routes.update({r.team.team_id: r for r in walked})
    report = evaluate_week(problem, week.schedule_of(new_routes))
    served = {
        s.task_id: team_id for team_id, r in new_routes.items() for s in r.stops if s.kind != "post"
    }
    return WeekOutcome(new_routes, [week.task_ids[t] for t in inserted], report, served)


def _given(sequences: list[list[int]]) -> Callable[..., Solution]:
    """A ``solve`` for :func:`patrol.shifts.route_slot` that solves nothing: it times the
    given visit sequences with the routing checker (:func:`patrol.routing.problem.evaluate`)."""

    def solve(problem: RoutingProblem, **_: object) -> Solution:
        return evaluate(problem, sequences, engine="weekly")

    return solve


def _required_nowhere(task: WeekTask) -> WeekTask:
    """``task`` made impossible to insert (no allowed vehicle)."""
    return WeekTask(**{**task.__dict__, "vehicles": frozenset()})
