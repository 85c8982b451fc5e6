"""Re-plan the rest of a week with the least change: ``replan_week(store, scenario, cut)``.

The scenario is read again (new absences, risks, people, cameras) and the week from the
cut on is planned again, starting from the saved plan:

1. Every shift before the cut is kept exactly as it was; its tasks count as done.
2. The tasks still open may use only the shifts from the cut on.
3. The saved teams after the cut stay together unless a member is gone
   (:func:`patrol.revise.teams.keep_teams`: a stand-in, else shorter, else cancelled).
4. Each task first goes back to the team that had it (the planner's ``stay``), each route
   starts from the old order (PyVRP's ``initial_solution``); what no longer fits, the
   tasks of cancelled teams and new tasks then go through the planner's usual rounds of
   assignment and routing.

The saved plan is checked first (:func:`patrol.revise.check.check_store_matches`): a store
whose grids or people changed ids is refused with a message naming the change, before
anything is planned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.budget import clock_mode
from patrol.errors import PatrolError
from patrol.labels import Phrase
from patrol.plan import Plan, TeamRoute, Unserved
from patrol.revise.check import check_store_matches
from patrol.revise.labels import both
from patrol.revise.teams import extra_teams, keep_teams
from patrol.scenario.model import ShiftSlot
from patrol.teams.types import TeamPlan

if TYPE_CHECKING:
    from patrol.demand import Task
    from patrol.network import Network
    from patrol.planner import PlanParams
    from patrol.scenario.model import Scenario

log = logging.getLogger("patrol")

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def cut_slot(slots: Sequence[ShiftSlot], day: dt.date, shift: str | None = None) -> ShiftSlot:
    """The first re-planned slot: ``shift`` on ``day`` (default: the day's first shift).
    Raises :class:`~patrol.errors.PatrolError` (zh and en) for a day outside the week or
    an unknown shift."""
    days = sorted({s.date for s in slots})
    if day not in days:
        zh, en = both("cut.bad_date", date=day, first=days[0], last=days[-1])
        raise PatrolError(en, zh=zh)
    on_day = sorted((s for s in slots if s.date == day), key=lambda s: s.start)
    if shift is None:
        return on_day[0]
    for s in on_day:
        if s.shift == shift:
            return s
    names = ", ".join(s.shift for s in on_day)
    zh, en = both("cut.bad_shift", shift=shift, names=names)
    raise PatrolError(en, zh=zh)


@dataclass
class Replanned:
    """A re-plan: the new plan, the saved one it continues, the first re-planned slot, and
    why each changed team changed (team id -> (Chinese, English))."""

    plan: Plan
    old: Plan
    first: ShiftSlot
    team_why: dict[str, tuple[str, str]] = field(default_factory=dict)


def replan_week(
    store: Plan | str | Path,
    scenario: Scenario,
    cut: dt.date,
    *,
    shift: str | None = None,
    params: PlanParams | None = None,
    progress: Progress | None = None,
) -> Replanned:
    """The week of the saved plan ``store`` (a :class:`Plan` or an output folder) planned
    again from ``cut`` (``shift`` on that day, default its first) with ``scenario``, with
    the least change (see the module docstring)."""
    from patrol.planner import PlanParams
    from patrol.store.read import read_plan

    old = store if isinstance(store, Plan) else read_plan(store)
    check_store_matches(old, scenario)
    first = cut_slot(scenario.slots(), cut, shift)
    params = params or PlanParams()
    with clock_mode(wall_clock=params.wall_clock):
        plan, why = _replan(old, scenario, first, params, progress or _quiet)
    return Replanned(plan, old, first, why)


def _replan(
    old: Plan, scenario: Scenario, first: ShiftSlot, params: Any, say: Progress
) -> tuple[Plan, dict[str, tuple[str, str]]]:
    from patrol.demand import build_demand
    from patrol.planner import _Clock, choose_posts, plan_budget, split_servable
    from patrol.week_rules import open_overdue_visits

    clock = _Clock()
    seed = scenario.settings.seed if params.seed is None else params.seed
    slots = scenario.slots()
    before = {s.key for s in slots if s.start < first.start}
    say(Phrase("progress.replan_from", start=first.key, kept=len(before)))
    with clock("network_s"):
        network = _network(old, scenario)
        posts = choose_posts(scenario, network)
    with clock("demand_s"):
        demand = build_demand(scenario, network, slots)
    demand = dataclasses.replace(demand, tasks=open_overdue_visits(demand.tasks, slots))
    locked = [r for r in old.routes if r.team.slot.key in before]
    done = {s.task_id for r in locked for s in r.stops if s.kind != "post"}
    open_tasks = [
        dataclasses.replace(t, slots=t.slots - before)
        for t in demand.tasks
        if t.task_id not in done
    ]
    live, unserved = split_servable(open_tasks, network, posts)
    _keep_old_reasons(unserved, old)
    with clock("teams_s"):
        team_plan, why = _week_teams(old, scenario, slots, before)
    budget = plan_budget(params, scenario, tasks=len(live), spent_s=clock.elapsed_s())
    rounds = _rounds(
        scenario, network, slots, posts, team_plan, live, locked, demand.tasks,
        budget=budget, engine=params.engine or old.engine, seed=seed, say=say,
    )  # fmt: skip
    with clock("assignment_s"):
        bound = rounds.bound()
    _warm_start(rounds, old, live, clock)
    rounds.run(clock, pending=[t for t in live if t.task_id not in rounds.kept])
    pending = [t for t in live if t.task_id not in rounds.kept]
    with clock("teams_s"):
        extra = extra_teams(
            scenario, [s for s in slots if s.key not in before], pending, rounds.teams,
            time_limit_s=budget.teams_s, seed=seed,
        )  # fmt: skip
    if extra:
        say(Phrase("progress.more_teams", teams=len(extra)))
        rounds.teams.extend(extra)
        rounds.teams_by_id.update((t.team_id, t) for t in extra)
        filled = {(t.beat_id, t.slot.key) for t in extra}
        gaps = tuple(g for g in team_plan.gaps if (g.beat_id, g.slot.key) not in filled)
        team_plan = dataclasses.replace(team_plan, teams=(*team_plan.teams, *extra), gaps=gaps)
        rounds.run(clock, pending=pending)
    with clock("week_s"):  # the weekly checker only: the shifts before the cut are done
        report = rounds.improve_week(insert=False)
    plan = _finish(old, scenario, network, demand, team_plan, rounds, unserved, live, bound,
                   clock=clock, seed=seed)  # fmt: skip
    plan.week_violations = report.violations
    return plan, why


def _finish(
    old: Plan,
    scenario: Scenario,
    network: Network,
    demand: Any,
    team_plan: TeamPlan,
    rounds: Any,
    unserved: dict[str, Unserved],
    live: list[Task],
    bound: Any,
    *,
    clock: Any,
    seed: int,
) -> Plan:
    from patrol.planner import assemble_plan

    plan = assemble_plan(
        scenario, network, demand, team_plan, rounds, live=live, unserved=unserved,
        bound=bound, clock=clock, seed=seed,
    )  # fmt: skip
    plan.plan_id = _plan_id(plan, old)
    return plan


def _network(old: Plan, scenario: Scenario) -> Network:
    """The saved plan's street network when the streets, buildings and focus households
    are as they were (it is what the network is built from); else built again."""
    from patrol.network import scenario_network

    same = all(
        _same_layer(getattr(old.scenario, name), getattr(scenario, name))
        for name in ("roads", "buildings", "focus_households")
    )
    return old.network if same else scenario_network(scenario)


def _same_layer(a: Any, b: Any) -> bool:
    """Two layers with the same rows, columns and (to a micrometre) geometries."""
    if a is None or b is None:
        return a is None and b is None
    if len(a) != len(b) or list(a.columns) != list(b.columns):
        return False
    try:
        if "geometry" in a.columns:
            ga, gb = a.geometry.reset_index(drop=True), b.geometry.reset_index(drop=True)
            if not ga.geom_equals_exact(gb, 1e-6).all():
                return False
        cols = [c for c in a.columns if c != "geometry"]
        left = a[cols].reset_index(drop=True).astype(str)
        right = b[cols].reset_index(drop=True).astype(str)
        return bool((left == right).all().all())
    except (TypeError, ValueError):
        return False


def _keep_old_reasons(unserved: dict[str, Unserved], old: Plan) -> None:
    """A task left without a shift because its shifts are all before the cut keeps the
    reason the saved plan gave it."""
    reason_of = {u.task.task_id: u for u in old.unserved}
    for tid, u in list(unserved.items()):
        if u.reason == "no_slot" and tid in reason_of:
            was = reason_of[tid]
            unserved[tid] = Unserved.from_texts(
                u.task, was.reason, zh=was.reason_zh, en=was.reason_en
            )


def _week_teams(
    old: Plan, scenario: Scenario, slots: list[ShiftSlot], before: set[str]
) -> tuple[TeamPlan, dict[str, tuple[str, str]]]:
    """The saved teams before the cut as they were, those after it kept or mended."""
    first_teams = [t for t in old.team_plan.teams if t.slot.key in before]
    later = [t for t in old.team_plan.teams if t.slot.key not in before]
    kept = keep_teams(
        later, scenario.people, slots=slots, before=first_teams,
        beat_of_grid=scenario.beat_of_grid(),
    )  # fmt: skip
    slot_of = {s.key: s for s in slots}
    teams = [dataclasses.replace(t, slot=slot_of[t.slot.key]) for t in first_teams] + kept.teams
    gaps = (*old.team_plan.gaps, *kept.gaps)
    load: dict[str, int] = {p.person_id: 0 for p in scenario.people}
    for t in teams:
        for p in t.members:
            load[p.person_id] = load.get(p.person_id, 0) + 1
    plan = dataclasses.replace(old.team_plan, teams=tuple(teams), gaps=gaps, load=load)
    return plan, kept.why


def _rounds(
    scenario: Scenario,
    network: Network,
    slots: list[ShiftSlot],
    posts: dict[str, tuple[str, int]],
    team_plan: TeamPlan,
    live: list[Task],
    locked: list[TeamRoute],
    week_tasks: list[Task],
    **options: Any,
) -> Any:
    """The planner's rounds over the open tasks, with the kept shifts' tasks as done."""
    from patrol.planner import _Rounds

    done_ids = {s.task_id for r in locked for s in r.stops if s.kind != "post"}
    done = [t for t in week_tasks if t.task_id in done_ids]
    rounds = _Rounds(scenario, network, slots, posts, team_plan, [*live, *done], **options)
    by_id = {t.team_id: t for t in team_plan.teams}
    for r in locked:
        route = dataclasses.replace(r, team=by_id.get(r.team.team_id, r.team))
        rounds.routes[r.team.team_id] = route
        for s in r.stops:
            if s.task_id in rounds.task_by_id:
                rounds.kept[s.task_id] = r.team.team_id
    return rounds


def _warm_start(rounds: Any, old: Plan, live: list[Task], clock: Any) -> None:
    """Give each open task back to the team that had it (when that team is kept and the
    task may still use its shift) and route those shifts from the old order."""
    teams = rounds.teams_by_id
    open_ids = {t.task_id: t for t in live}
    team_of: dict[str, str] = {}
    for r in old.routes:
        tid = r.team.team_id
        if tid not in teams:
            continue
        order = [s.task_id for s in r.stops if s.task_id in open_ids]
        order = [x for x in order if teams[tid].slot.key in open_ids[x].slots]
        rounds.initial[tid] = order
        team_of.update((x, tid) for x in order)
    rounds.stay = dict(team_of)
    rounds.was = {
        s.task_id: (r.team.team_id, r.team.slot.day)
        for r in old.routes for s in r.stops if s.task_id in open_ids
    }  # fmt: skip
    keys = sorted({teams[m].slot.key for m in team_of.values()})
    rounds.say(Phrase("progress.old_teams", tasks=len(team_of), shifts=len(keys)))
    with clock("routing_s"):
        for key in keys:
            rounds.route_shift(key, team_of)


def _plan_id(plan: Plan, old: Plan) -> str:
    digest = hashlib.sha1(old.plan_id.encode())
    for r in plan.routes:
        digest.update(r.team.team_id.encode())
        for s in r.stops:
            digest.update(f"{s.task_id}{s.arrive.isoformat()}".encode())
    return digest.hexdigest()[:10]
