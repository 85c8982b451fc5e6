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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from patrol.demand import Task, build_demand
from patrol.network import Network, scenario_network
from patrol.plan import Leg, Plan, Stop, TeamRoute, Unserved
from patrol.routing.assign import TeamSlot, assign_tasks
from patrol.routing.problem import RoutingProblem, ScheduledVisit, Vehicle, Visit, to_integer_matrix
from patrol.scenario.model import Scenario, ShiftSlot

if TYPE_CHECKING:
    from patrol.teams.types import Team

log = logging.getLogger("patrol")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanParams:
    """How hard to work and with what.

    ``time_limit_s`` is the total budget for routing (split across shifts); ``None`` sizes
    it to the scenario. ``max_iterations`` bounds the routing work instead of the clock, so
    the same inputs and seed give identical plans on any machine.
    """

    time_limit_s: float | None = None
    seed: int | None = None
    engine: str | None = None
    max_iterations: int | None = None
    rounds: int = 3


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
    tasks: list[Task], slots: list[ShiftSlot]
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], int]]:
    """How much each beat-shift is needed: the weight of tasks that may use it, shared over
    their allowed shifts; and how many teams the beat's work could keep busy there."""
    weight: dict[tuple[str, str], float] = defaultdict(float)
    minutes: dict[tuple[str, str], float] = defaultdict(float)
    for t in tasks:
        if not t.slots:
            continue
        share = 1.0 / len(t.slots)
        for key in t.slots:
            weight[(t.beat_id, key)] += t.weight * share
            minutes[(t.beat_id, key)] += t.service_s * share
    duration = {s.key: (s.end - s.start).total_seconds() for s in slots}
    need = {
        k: max(1, min(3, math.ceil(2.0 * m / max(duration[k[1]], 1.0)))) for k, m in minutes.items()
    }
    return dict(weight), need


def plan_week(
    scenario: Scenario, params: PlanParams | None = None, *, progress: Progress | None = None
) -> Plan:
    """Plan the week of ``scenario``: teams, routes, unserved tasks with reasons."""
    from patrol.routing.solvers import DEFAULT_ENGINE, solve
    from patrol.teams.form import form_teams

    params = params or PlanParams()
    say = progress or _quiet
    seed = scenario.settings.seed if params.seed is None else params.seed
    engine = params.engine or DEFAULT_ENGINE
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    say("Building the street network ...")
    network = scenario_network(scenario)
    slots = scenario.slots()
    posts = choose_posts(scenario, network)
    timings["network_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    say("Expanding the week's demand into tasks ...")
    demand = build_demand(scenario, network, slots)
    timings["demand_s"] = time.perf_counter() - t1

    # tasks that can never be served, whatever the teams
    labels = network.component_labels()
    unserved: dict[str, Unserved] = {}
    live: list[Task] = []
    for task in demand.tasks:
        post_node = posts[task.beat_id][1]
        if labels[task.start_node] != labels[post_node]:
            unserved[task.task_id] = Unserved(task, "unreachable")
        elif not task.slots:
            unserved[task.task_id] = Unserved(task, "no_slot")
        else:
            live.append(task)

    t2 = time.perf_counter()
    say(f"Forming 1+1+N teams for {len(slots)} shifts ...")
    weight, need = _demand_weights(live, slots)
    team_plan = form_teams(
        scenario.people,
        slots,
        beat_of_grid=scenario.beat_of_grid(),
        beats=scenario.beats,
        settings=scenario.settings.teams,
        need=need,
        weight=weight,
        seed=seed,
    )
    timings["teams_s"] = time.perf_counter() - t2

    # travel estimates per beat: nearest neighbour among the beat's tasks and its post
    say(f"Assigning {len(live)} tasks to {len(team_plan.teams)} teams ...")
    cost_s, overhead_s = _estimate_costs(network, live, posts)
    teams_by_id = {t.team_id: t for t in team_plan.teams}
    duration_of = {s.key: int((s.end - s.start).total_seconds()) for s in slots}
    used_s: dict[str, int] = defaultdict(int)
    forbidden: set[tuple[str, str]] = set()
    kept: dict[str, str] = {}  # task -> team, routed and final
    routes: dict[str, TeamRoute] = {}
    budget = params.time_limit_s
    if budget is None:
        budget = min(60.0, max(10.0, 0.02 * len(live)))
    n_team_slots = max(1, len({t.slot.key for t in team_plan.teams}))
    per_slot_s = max(0.2, 0.8 * budget / n_team_slots / max(1, params.rounds))
    timings["routing_s"] = 0.0
    timings["assignment_s"] = 0.0
    pending = [t for t in live]
    group_of = {t.task_id: t.group for t in live}
    for rnd in range(params.rounds):
        if not pending:
            break
        ta = time.perf_counter()
        team_slots = [
            TeamSlot(
                t.team_id,
                t.slot.key,
                t.slot.day,
                t.beat_id,
                max(
                    0,
                    int(0.92 * duration_of[t.slot.key])
                    - overhead_s.get(t.beat_id, 0)
                    - used_s[t.team_id],
                ),
            )
            for t in team_plan.teams
        ]
        fixed_days = {tid: teams_by_id[m].slot.day for tid, m in kept.items()}
        assignment = assign_tasks(
            pending,
            team_slots,
            cost_s=cost_s,
            forbidden=forbidden,
            fixed_days=fixed_days,
            group_of=group_of,
            time_limit_s=min(10.0, 0.1 * budget + 1),
            seed=seed,
        )
        timings["assignment_s"] += time.perf_counter() - ta
        if not assignment.team_of:
            break
        # route every shift that received tasks: its earlier tasks plus the new ones
        tr = time.perf_counter()
        changed = sorted({teams_by_id[m].slot.key for m in assignment.team_of.values()})
        say(
            f"Routing round {rnd + 1}: {len(assignment.team_of)} tasks in {len(changed)} shifts ..."
        )
        task_by_id = {t.task_id: t for t in live}
        dropped_now: list[Task] = []
        for key in changed:
            slot_teams = [t for t in team_plan.teams if t.slot.key == key]
            slot_tasks = [
                task_by_id[tid]
                for tid, m in {**kept, **assignment.team_of}.items()
                if teams_by_id[m].slot.key == key
            ]
            slot = slot_teams[0].slot
            new_routes, served = _route_slot(
                network,
                slot,
                slot_teams,
                slot_tasks,
                posts,
                engine=engine,
                time_limit_s=per_slot_s,
                seed=seed,
                max_iterations=params.max_iterations,
                solve=solve,
            )
            for team in slot_teams:
                routes.pop(team.team_id, None)
                used_s[team.team_id] = 0
            for r in new_routes:
                routes[r.team.team_id] = r
                used_s[r.team.team_id] = int(r.duration_s)
            for task in slot_tasks:
                if task.task_id in served:
                    kept[task.task_id] = served[task.task_id]
                else:
                    kept.pop(task.task_id, None)
                    forbidden.add((task.task_id, key))
                    dropped_now.append(task)
        timings["routing_s"] += time.perf_counter() - tr
        placed = set(assignment.team_of)
        pending = [
            t
            for t in pending
            if t.task_id not in kept and (t.task_id not in placed or t in dropped_now)
        ]
        pending.extend(t for t in dropped_now if t not in pending)
        pending = sorted({t.task_id: t for t in pending}.values(), key=lambda t: t.task_id)

    # reasons for the rest
    beats_with_team = {(t.beat_id, t.slot.key) for t in team_plan.teams}
    for task in live:
        if task.task_id in kept:
            continue
        if not any((task.beat_id, k) in beats_with_team for k in task.slots):
            reason = "no_eligible_team" if task.kind == "visit" else "no_team"
        else:
            reason = "no_time"
        unserved[task.task_id] = Unserved(task, reason)
    plan = Plan(
        scenario=scenario,
        network=network,
        demand=demand,
        team_plan=team_plan,
        routes=sorted(routes.values(), key=lambda r: (r.start, r.team.team_id)),
        unserved=sorted(unserved.values(), key=lambda u: u.task.task_id),
        slots=slots,
        engine=engine,
        seed=seed,
    )
    timings["total_s"] = time.perf_counter() - t0
    plan.timings = timings
    plan.upper_bound = demand_upper_bound(plan, cost_s=cost_s, overhead_s=overhead_s)
    plan.plan_id = _plan_id(plan)
    say(
        f"Planned {len(plan.routes)} routes; weighted demand met "
        f"{100 * plan.weighted_demand_met:.1f}% (upper bound {100 * plan.upper_bound:.1f}%)."
    )
    return plan


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


def _route_slot(
    network: Network,
    slot: ShiftSlot,
    teams: list[Team],
    tasks: list[Task],
    posts: dict[str, tuple[str, int]],
    *,
    engine: str,
    time_limit_s: float,
    seed: int,
    max_iterations: int | None,
    solve: Callable[..., object],
) -> tuple[list[TeamRoute], dict[str, str]]:
    """Route one shift's teams over its tasks; returns the routes and task -> team served."""
    if not tasks or not teams:
        return [], {}
    duration = int((slot.end - slot.start).total_seconds())
    # locations: one per team post node (deduplicated), then one per task
    post_nodes = sorted({posts[t.beat_id][1] for t in teams})
    loc_of_post = {n: i for i, n in enumerate(post_nodes)}
    starts = np.array(post_nodes + [t.start_node for t in tasks])
    ends = np.array(post_nodes + [t.end_node for t in tasks])
    seconds = network.travel_time_matrix(ends, starts)
    np.fill_diagonal(seconds, 0.0)
    matrix = to_integer_matrix(seconds)
    vehicles = tuple(
        Vehicle(
            start=loc_of_post[posts[t.beat_id][1]],
            end=loc_of_post[posts[t.beat_id][1]],
            earliest_s=0,
            latest_s=duration,
            name=t.team_id,
        )
        for t in teams
    )
    team_index_by_beat: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(teams):
        team_index_by_beat[t.beat_id].append(i)
    visits = tuple(
        Visit(
            location=len(post_nodes) + k,
            service_s=task.service_s,
            earliest_s=0,
            latest_s=max(0, duration - task.service_s),
            allowed_vehicles=tuple(team_index_by_beat[task.beat_id]),
            penalty=round(task.weight * 100_000),
            name=task.task_id,
        )
        for k, task in enumerate(tasks)
    )
    problem = RoutingProblem(duration_s=matrix, vehicles=vehicles, visits=visits)
    solution = solve(
        problem,
        engine=engine,
        time_limit_s=None if max_iterations else time_limit_s,
        seed=seed,
        max_iterations=max_iterations,
    )
    routes: list[TeamRoute] = []
    served: dict[str, str] = {}
    for r in solution.routes:  # type: ignore[attr-defined]
        team = teams[r.vehicle]
        post_id, post_node = posts[team.beat_id]
        routes.append(
            _build_route(
                network,
                slot,
                team,
                post_id,
                post_node,
                [(tasks[v.visit], v) for v in r.visits],
                r.start_s,
                r.end_s,
            )
        )
        for v in r.visits:
            served[tasks[v.visit].task_id] = team.team_id
    return routes, served


def _build_route(
    network: Network,
    slot: ShiftSlot,
    team: Team,
    post_id: str,
    post_node: int,
    visits: list[tuple[Task, ScheduledVisit]],
    start_s: int,
    end_s: int,
) -> TeamRoute:
    """Timed stops and street legs of one route (times from the routing schedule)."""
    team_id = team.team_id
    base = slot.start

    def at(s: float) -> dt.datetime:
        return base + dt.timedelta(seconds=float(s))

    post_point = shapely.Point(network.node_xy[post_node])
    stops = [
        Stop(
            team_id,
            0,
            "post",
            f"post:{post_id}",
            post_id,
            "",
            at(start_s),
            at(start_s),
            post_point,
            "警务室出发",
            "Leave the police room",
        )
    ]
    legs: list[Leg] = []
    here, clock = post_node, float(start_s)
    length = 0.0
    for seq, (task, sv) in enumerate(visits, start=1):
        transit = network.path_geometry(here, task.start_node)
        walk_s = (
            transit.length / network.speed_mps
            if network.has_streets
            else transit.length * network.detour_factor / network.speed_mps
        )
        if transit.length > 0:
            legs.append(Leg(team_id, "transit", at(clock), at(clock + walk_s), transit))
            length += transit.length * (1 if network.has_streets else network.detour_factor)
        point = (
            shapely.Point(network.node_xy[task.start_node])
            if task.kind == "sweep"
            else task.geometry
            if task.geometry is not None
            else shapely.Point(network.node_xy[task.start_node])
        )
        stops.append(
            Stop(
                team_id,
                seq,
                task.kind,
                task.task_id,
                task.target_id,
                task.grid_id,
                at(sv.start_s),
                at(sv.departure_s),
                point,
                task.description_zh,
                task.description_en,
                task.weight,
            )
        )
        if task.kind == "sweep" and task.geometry is not None:
            legs.append(
                Leg(
                    team_id,
                    "sweep",
                    at(sv.start_s),
                    at(sv.departure_s),
                    task.geometry,
                    task.grid_id,
                )
            )
            length += task.length_m
        here, clock = task.end_node, float(sv.departure_s)
    back = network.path_geometry(here, post_node)
    if back.length > 0:
        legs.append(Leg(team_id, "transit", at(clock), at(end_s), back))
        length += back.length * (1 if network.has_streets else network.detour_factor)
    stops.append(
        Stop(
            team_id,
            len(visits) + 1,
            "post",
            f"post:{post_id}",
            post_id,
            "",
            at(end_s),
            at(end_s),
            post_point,
            "返回警务室",
            "Back at the police room",
        )
    )
    return TeamRoute(team, post_id, tuple(stops), tuple(legs), at(start_s), at(end_s), length)


def demand_upper_bound(plan: Plan, *, cost_s: dict[str, int], overhead_s: dict[str, int]) -> float:
    """An upper bound on the weighted demand any plan with these teams can meet.

    Per beat, the team-seconds available (each team's shift less the cheapest round trip
    from its post) are filled with the beat's tasks in order of weight per second at their
    cheapest cost, fractionally (a knapsack relaxation that ignores windows and spacing).
    Tasks no team can ever take count as unmet.
    """
    total = sum(t.weight for t in plan.demand.tasks)
    if total == 0:
        return 1.0
    capacity: dict[str, float] = defaultdict(float)
    for team in plan.team_plan.teams:
        shift = (team.slot.end - team.slot.start).total_seconds()
        capacity[team.beat_id] += max(0.0, shift - overhead_s.get(team.beat_id, 0))
    reachable = {u.task.task_id for u in plan.unserved if u.reason in ("unreachable", "no_slot")}
    slots_of_beat: dict[str, set[str]] = defaultdict(set)
    for team in plan.team_plan.teams:
        slots_of_beat[team.beat_id].add(team.slot.key)
    bound = 0.0
    by_beat: dict[str, list[Task]] = defaultdict(list)
    for t in plan.demand.tasks:
        if t.task_id not in reachable and t.slots & slots_of_beat[t.beat_id]:
            by_beat[t.beat_id].append(t)
    for beat, items in by_beat.items():
        room = capacity[beat]
        items.sort(key=lambda t: -t.weight / max(1, cost_s.get(t.task_id, t.service_s)))
        for t in items:
            c = max(1, cost_s.get(t.task_id, t.service_s))
            take = min(1.0, room / c)
            if take <= 0:
                break
            bound += t.weight * take
            room -= c * take
    return min(1.0, bound / total)


def _plan_id(plan: Plan) -> str:
    digest = hashlib.sha1()
    for r in plan.routes:
        digest.update(r.team.team_id.encode())
        for s in r.stops:
            digest.update(f"{s.task_id}{s.arrive.isoformat()}".encode())
    return digest.hexdigest()[:10]
