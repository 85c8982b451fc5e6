"""One shift's routes: its integer routing problem, and timed routes from the solution.

:func:`slot_problem` turns a shift's teams and tasks into a
:class:`~patrol.routing.problem.RoutingProblem` (a location per post, then one per task;
every task optional with a penalty that follows its weight; a team's walking limit as the
vehicle's ``max_distance``); :func:`route_slot` solves it and walks the answer back onto
the streets as :class:`~patrol.plan.TeamRoute` with timed stops and legs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely

from patrol.demand import Task
from patrol.network import Network, walked_metres_matrix
from patrol.plan import Leg, Stop, TeamRoute
from patrol.routing.problem import RoutingProblem, ScheduledVisit, Vehicle, Visit, to_integer_matrix
from patrol.scenario.model import ShiftSlot
from patrol.travel import sweep_mode, transit_runs

if TYPE_CHECKING:
    from patrol.teams.types import Team


def route_slot(
    network: Network,
    slot: ShiftSlot,
    teams: list[Team],
    tasks: list[Task],
    posts: Mapping[str, tuple[str, int]],
    *,
    engine: str,
    time_limit_s: float,
    seed: int,
    max_iterations: int | None,
    solve: Callable[..., object],
    pinned: Mapping[str, str] | None = None,
    max_walk_m: int = 0,
    refused: Mapping[str, frozenset[str]] | None = None,
    initial: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[TeamRoute], dict[str, str]]:
    """Route one shift's teams over its tasks; returns the routes and task -> team served.

    With ``max_iterations`` the solve is bounded by work only (``time_limit_s`` unused),
    so it repeats exactly. ``pinned`` tasks (task -> team) may only go to that team;
    ``max_walk_m`` (0 = none) is each team's walking limit in metres; ``refused`` (team ->
    task ids) are the tasks a fallback team may not take. ``initial`` (team
    -> task ids in order) is where the search starts: a re-plan's old routes.
    """
    if not tasks or not teams:
        return [], {}
    problem = slot_problem(
        network, slot, teams, tasks, posts, pinned=pinned, max_walk_m=max_walk_m, refused=refused
    )
    solution = solve(
        problem,
        engine=engine,
        time_limit_s=None if max_iterations else time_limit_s,
        seed=seed,
        max_iterations=max_iterations,
        initial_routes=_initial_routes(teams, tasks, initial),
    )
    routes: list[TeamRoute] = []
    served: dict[str, str] = {}
    for r in solution.routes:  # type: ignore[attr-defined]
        team = teams[r.vehicle]
        post_id, post_node = posts[team.beat_id]
        visits = [(tasks[v.visit], v) for v in r.visits]
        walk = _Walk(network, slot, team.team_id)
        routes.append(walk.route(team, post_id, post_node, visits, r.start_s, r.end_s))
        for v in r.visits:
            served[tasks[v.visit].task_id] = team.team_id
    return routes, served


def _initial_routes(
    teams: Sequence[Team], tasks: Sequence[Task], initial: Mapping[str, Sequence[str]] | None
) -> list[list[int]] | None:
    """Visit indices per team of the ``initial`` routes (tasks of this shift only)."""
    if not initial:
        return None
    index = {t.task_id: k for k, t in enumerate(tasks)}
    return [[index[tid] for tid in initial.get(t.team_id, ()) if tid in index] for t in teams]


def slot_problem(
    network: Network,
    slot: ShiftSlot,
    teams: Sequence[Team],
    tasks: Sequence[Task],
    posts: Mapping[str, tuple[str, int]],
    *,
    pinned: Mapping[str, str] | None = None,
    max_walk_m: int = 0,
    refused: Mapping[str, frozenset[str]] | None = None,
) -> RoutingProblem:
    """The integer routing problem of one shift: a location per team post, then one per
    task; every task optional, with a penalty that follows its weight, and open to the
    teams of its beat (a ``pinned`` task only to its team).

    With ``max_walk_m`` the objective is metres walked (street walks, sweep walks and door
    spurs, :func:`patrol.network.walked_metres_matrix`) and no team walks more than that
    in the shift; without it the objective is travel seconds."""
    duration = int((slot.end - slot.start).total_seconds())
    post_nodes = sorted({posts[t.beat_id][1] for t in teams})
    loc_of_post = {n: i for i, n in enumerate(post_nodes)}
    starts = np.array(post_nodes + [t.start_node for t in tasks])
    ends = np.array(post_nodes + [t.end_node for t in tasks])
    seconds = network.travel_time_matrix(ends, starts)
    np.fill_diagonal(seconds, 0.0)
    vehicles = tuple(
        Vehicle(
            start=loc_of_post[posts[t.beat_id][1]],
            end=loc_of_post[posts[t.beat_id][1]],
            earliest_s=0,
            latest_s=duration,
            name=t.team_id,
            max_distance=max_walk_m,
        )
        for t in teams
    )
    team_index_by_beat: dict[str, list[int]] = defaultdict(list)
    index_of = {t.team_id: i for i, t in enumerate(teams)}
    for i, t in enumerate(teams):
        team_index_by_beat[t.beat_id].append(i)
    pin = {tid: index_of[m] for tid, m in (pinned or {}).items() if m in index_of}
    visits = tuple(
        Visit(
            location=len(post_nodes) + k,
            service_s=task.service_s,
            earliest_s=0,
            latest_s=max(0, duration - task.service_s),
            allowed_vehicles=(
                (pin[task.task_id],)
                if task.task_id in pin
                else _willing(team_index_by_beat[task.beat_id], teams, task, refused or {})
            ),
            penalty=round(task.weight * 100_000),
            name=task.task_id,
        )
        for k, task in enumerate(tasks)
    )
    distance = None
    if max_walk_m:
        inner = np.array([0.0] * len(post_nodes) + [t.length_m for t in tasks])
        distance = to_integer_matrix(walked_metres_matrix(network, ends, starts, inner))
    return RoutingProblem(
        duration_s=to_integer_matrix(seconds), vehicles=vehicles, visits=visits, distance=distance
    )


def _willing(
    indices: list[int], teams: Sequence[Team], task: Task, refused: Mapping[str, frozenset[str]]
) -> tuple[int, ...]:
    """The teams of ``indices`` that do not refuse ``task`` (a red-armband team takes sweeps
    only, a police assistant's team only its own village's tasks); all when none would."""
    kept = tuple(i for i in indices if task.task_id not in refused.get(teams[i].team_id, ()))
    return kept or tuple(indices)


class _Walk:
    """Timed stops and street legs of one route, from the routing schedule."""

    def __init__(self, network: Network, slot: ShiftSlot, team_id: str) -> None:
        self.network, self.base, self.team_id = network, slot.start, team_id
        self.legs: list[Leg] = []
        self.length = 0.0

    def at(self, s: float) -> dt.datetime:
        return self.base + dt.timedelta(seconds=float(s))

    def transit(self, here: int, there: int, start_s: float, end_s: float | None) -> None:
        """A transit leg from node ``here`` to ``there`` (ending at ``end_s``, else after
        the walk at the network's speed)."""
        net = self.network
        runs = transit_runs(net, here, there)
        if runs is not None:  # mixed travel: a leg per walked or driven stretch
            for run in runs:
                leg_end = start_s + run.seconds
                self.legs.append(
                    Leg(self.team_id, "transit", self.at(start_s), self.at(leg_end),
                        run.geometry, mode=run.mode)
                )  # fmt: skip
                self.length += run.metres
                start_s = leg_end
            return
        line = net.path_geometry(here, there)
        if line.length <= 0:
            return
        if end_s is None:
            factor = 1.0 if net.has_streets else net.detour_factor
            end_s = start_s + line.length * factor / net.speed_mps
        self.legs.append(Leg(self.team_id, "transit", self.at(start_s), self.at(end_s), line))
        self.length += line.length * (1 if net.has_streets else net.detour_factor)

    def post_stop(self, seq: int, post_id: str, point: shapely.Point, s: float, back: bool) -> Stop:
        zh, en = (
            ("返回警务室", "Back at the police room")
            if back
            else ("警务室出发", "Leave the police room")
        )
        return Stop(
            self.team_id, seq, "post", f"post:{post_id}", post_id, "", self.at(s), self.at(s),
            point, zh, en,
        )  # fmt: skip

    def task_stop(self, seq: int, task: Task, sv: ScheduledVisit) -> Stop:
        """The stop of ``task`` (and its sweep walk as a leg)."""
        node_point = shapely.Point(self.network.node_xy[task.start_node])
        point = node_point if task.kind == "sweep" or task.geometry is None else task.geometry
        if task.kind == "sweep" and task.geometry is not None:
            self.legs.append(
                Leg(
                    self.team_id, "sweep", self.at(sv.start_s), self.at(sv.departure_s),
                    task.geometry, task.grid_id, sweep_mode(self.network, task.grid_id),
                )
            )  # fmt: skip
            self.length += task.length_m
        return Stop(
            self.team_id, seq, task.kind, task.task_id, task.target_id, task.grid_id,
            self.at(sv.start_s), self.at(sv.departure_s), point,
            task.description_zh, task.description_en, task.weight,
        )  # fmt: skip

    def route(
        self,
        team: Team,
        post_id: str,
        post_node: int,
        visits: list[tuple[Task, ScheduledVisit]],
        start_s: int,
        end_s: int,
    ) -> TeamRoute:
        """Leave the post, walk to and do every visit in order, walk back."""
        post_point = shapely.Point(self.network.node_xy[post_node])
        stops = [self.post_stop(0, post_id, post_point, start_s, back=False)]
        here, clock = post_node, float(start_s)
        for seq, (task, sv) in enumerate(visits, start=1):
            self.transit(here, task.start_node, clock, None)
            stops.append(self.task_stop(seq, task, sv))
            here, clock = task.end_node, float(sv.departure_s)
        self.transit(here, post_node, clock, end_s)
        stops.append(self.post_stop(len(visits) + 1, post_id, post_point, end_s, back=True))
        return TeamRoute(
            team, post_id, tuple(stops), tuple(self.legs), self.at(start_s), self.at(end_s),
            self.length,
        )  # fmt: skip
