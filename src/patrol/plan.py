"""The plan as data: routes with timed stops, the teams, and what could not be served.

A :class:`Plan` always comes back, however short of staff the week is: every task that no
route carries is an :class:`Unserved` with a reason in Chinese and English. Route
geometry follows the streets walked (transit legs and sweep walks), and every leg keeps
its own start and end time, so coverage can be measured from the plan or from GPS tracks
the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import shapely

if TYPE_CHECKING:
    from patrol.demand import Demand, Task
    from patrol.network import Network
    from patrol.scenario.model import Scenario, ShiftSlot
    from patrol.teams.types import Team, TeamPlan

StopKind = Literal["sweep", "hotspot", "visit", "post"]
ReasonCode = Literal["no_team", "no_eligible_team", "no_time", "unreachable", "no_slot"]

REASONS: dict[str, tuple[str, str]] = {
    "no_team": (
        "该警格在可安排的班次均无小队",
        "no team on the beat in any shift the task may use",
    ),
    "no_eligible_team": (
        "无符合条件的小队（须含该网格网格员或本警格民警/辅警）",
        "no eligible team for the household (needs the grid's grid "
        "worker or a police member of its beat)",
    ),
    "no_time": (
        "班次时间不足，按优先级未排入",
        "not enough time in the shifts; dropped by priority",
    ),
    "unreachable": ("从警务室沿街道无法到达", "unreachable from the police room along the streets"),
    "no_slot": (
        "本周没有可用的班次（如夜巡任务但未设夜班）",
        "no shift this week the task may use (e.g. a night sweep without a night shift)",
    ),
}


@dataclass(frozen=True)
class Stop:
    """One stop of a route, with planned arrival and departure (local time)."""

    team_id: str
    seq: int
    kind: StopKind
    task_id: str
    target_id: str
    grid_id: str
    arrive: dt.datetime
    depart: dt.datetime
    point: shapely.Point
    description_zh: str = ""
    description_en: str = ""
    weight: float = 0.0

    def description(self, lang: str = "zh") -> str:
        return self.description_zh if lang == "zh" else self.description_en


@dataclass(frozen=True)
class Leg:
    """A stretch of a route walked between two times: transit or a sweep walk.

    ``mode`` is how it is travelled where travel is mixed (``walk``, ``car``, ``ebike``,
    :mod:`patrol.travel`); "" is the station's one mode."""

    team_id: str
    kind: Literal["transit", "sweep"]
    start: dt.datetime
    end: dt.datetime
    geometry: shapely.LineString
    grid_id: str = ""
    mode: str = ""


@dataclass(frozen=True)
class TeamRoute:
    """One team's shift: leave the post, do the stops, come back."""

    team: Team
    post_id: str
    stops: tuple[Stop, ...]
    legs: tuple[Leg, ...]
    start: dt.datetime
    end: dt.datetime
    length_m: float

    @property
    def geometry(self) -> shapely.LineString:
        """The whole walk as one line (legs joined in order)."""
        coords: list[Any] = []
        for leg in self.legs:
            part = list(leg.geometry.coords)
            coords.extend(part if not coords else part[1:])
        if len(coords) < 2:
            p = self.stops[0].point if self.stops else shapely.Point(0, 0)
            coords = [p.coords[0], p.coords[0]]
        return shapely.LineString(coords)

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def walked_m(self) -> float:
        """Metres on foot: the route's length less its driven (or ridden) legs; all of it
        where travel has one mode."""
        driven = sum(leg.geometry.length for leg in self.legs if leg.mode not in ("", "walk"))
        return self.length_m - driven if driven else self.length_m


@dataclass(frozen=True)
class Unserved:
    """A task no route carries, and why: the reason code and what would fix it (the grid,
    the shifts it could have used and the missing thing, :mod:`patrol.routing.reasons`)."""

    task: Task
    reason: str
    detail_zh: str = ""
    detail_en: str = ""

    @property
    def reason_zh(self) -> str:
        base = REASONS[self.reason][0]
        return f"{base}：{self.detail_zh}" if self.detail_zh else base

    @property
    def reason_en(self) -> str:
        base = REASONS[self.reason][1]
        return f"{base}: {self.detail_en}" if self.detail_en else base

    @classmethod
    def from_texts(cls, task: Task, reason: str, *, zh: str, en: str) -> Unserved:
        """An entry rebuilt from its saved texts (the detail is what follows the base)."""
        base_zh, base_en = REASONS[reason]
        return cls(
            task,
            reason,
            zh[len(base_zh) + 1 :] if zh.startswith(base_zh + "：") else "",
            en[len(base_en) + 2 :] if en.startswith(base_en + ": ") else "",
        )


def sweep_gap_limit_h(risk: str, sweeps: int, *, week_h: float = 168.0) -> float | None:
    """The longest gap allowed between two sweeps of a red or orange grid that needs
    ``sweeps`` sweeps: ``2 × week ÷ sweeps`` hours (None for other grids)."""
    if risk not in ("red", "orange") or sweeps <= 0:
        return None
    return 2.0 * week_h / sweeps


@dataclass
class Plan:
    """The week's plan: teams, routes, unserved tasks, and the figures to judge it by.

    The figures (:attr:`grid_table`) are computed once, on first use, and then read by the
    terminal report, the store, coverage, maps and sheets alike. A plan is not changed
    after it is built, so the cached figures stay true.
    """

    scenario: Scenario
    network: Network
    demand: Demand
    team_plan: TeamPlan
    routes: list[TeamRoute]
    unserved: list[Unserved]
    slots: list[ShiftSlot]
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = ""
    seed: int = 0
    upper_bound: float = 1.0
    plan_id: str = ""
    idle_teams: tuple[Team, ...] = ()
    """Teams formed but given no task, dropped from the plan (their person-shifts free)."""
    week_violations: tuple[str, ...] = ()
    """Rules the week breaks, as :func:`patrol.weekly.check.evaluate_week` found them
    (empty: every route within its limits, every task in an allowed shift and team)."""
    bound_gap: dict[str, float] = field(default_factory=dict)
    """What the gap between the bound and the plan is made of, in shares of the week's
    weight: ``proof`` (the relaxation not solved to optimality) and, per task kind, tasks
    the relaxation fits that the routes do not carry."""

    @property
    def week_h(self) -> float:
        """Hours of the planned week (24 a day)."""
        return 24.0 * len(self.scenario.settings.days)

    def hours_into_week(self, when: dt.datetime) -> float:
        """Hours from the week's first midnight to ``when``."""
        start = dt.datetime.combine(self.scenario.settings.week_start, dt.time())
        return (when - start).total_seconds() / 3600.0

    @property
    def served_task_ids(self) -> set[str]:
        return {s.task_id for r in self.routes for s in r.stops if s.kind != "post"}

    @property
    def weighted_demand_met(self) -> float:
        """Share of the week's task weight that the routes carry (0–1); a sweep in parts
        counts only when every part is routed (a part alone is no sweep)."""
        total = sum(t.weight for t in self.demand.tasks)
        served = self.served_task_ids
        partial = _partial_sweeps(self.demand.tasks, served)
        done = sum(
            t.weight
            for t in self.demand.tasks
            if t.task_id in served and (t.grid_id, t.sweep_index) not in partial
        )
        return done / total if total else 1.0

    @cached_property
    def grid_table(self) -> pd.DataFrame:
        """Per grid: sweeps required/planned (all and night), visits due/planned, hot-spot
        minutes target/planned, indexed by ``grid_id``; computed once per plan."""
        return _grid_table(self)


def _partial_sweeps(tasks: Sequence[Task], served: set[str]) -> set[tuple[str, int]]:
    """(grid, sweep index) of every sweep in parts with some but not all parts served."""
    done: dict[tuple[str, int], list[bool]] = {}
    for t in tasks:
        if t.kind == "sweep" and t.parts > 1:
            done.setdefault((t.grid_id, t.sweep_index), []).append(t.task_id in served)
    return {k for k, v in done.items() if any(v) and not all(v)}


def _planned_per_grid(plan: Plan) -> dict[str, dict[str, float]]:
    """What the routes carry per grid: sweeps (all, night), visits, hot-spot minutes.

    Sweeps are whole numbers: a sweep split into parts counts once all its parts are
    routed, never as a fraction (a night sweep when every part is walked at night)."""
    night_keys = {s.key for s in plan.slots if s.night}
    slot_of_team = {t.team_id: t.slot.key for t in plan.team_plan.teams}
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    done: dict[str, dict[str, float]] = {
        k: defaultdict(float) for k in ("sweeps", "night_sweeps", "visits", "hot_min")
    }
    parts: dict[tuple[str, int], list[bool]] = defaultdict(list)  # sweep -> night per part
    for route in plan.routes:
        night = slot_of_team[route.team.team_id] in night_keys
        for stop in route.stops:
            task = task_by_id.get(stop.task_id)
            if task is None:
                continue
            if task.kind == "sweep":
                parts[(task.grid_id, task.sweep_index)].append(night)
            elif task.kind == "visit":
                done["visits"][task.grid_id] += 1
            elif task.kind == "hotspot":
                minutes = (stop.depart - stop.arrive).total_seconds() / 60
                done["hot_min"][task.grid_id] += minutes
    whole = {(t.grid_id, t.sweep_index): t.parts for t in task_by_id.values() if t.kind == "sweep"}
    for (grid, index), nights in parts.items():
        if len(nights) >= whole[(grid, index)]:
            done["sweeps"][grid] += 1
            done["night_sweeps"][grid] += all(nights)
    return done


def _grid_table(plan: Plan) -> pd.DataFrame:
    """The per-grid figures: what each grid needs next to what the routes carry."""
    needs = plan.demand.needs
    done = _planned_per_grid(plan)
    gaps = longest_sweep_gaps(plan)
    hot_target: dict[str, float] = defaultdict(float)
    for t in plan.demand.tasks:
        if t.kind == "hotspot":
            hot_target[t.grid_id] += t.service_s / 60
    rows = []
    for g in plan.scenario.grids.itertuples(index=False):
        need = needs[g.grid_id]
        rows.append(
            {
                "grid_id": g.grid_id,
                "name": g.name,
                "beat_id": g.beat_id,
                "risk": g.risk,
                "sweeps_required": need.total,
                "sweeps_planned": round(done["sweeps"][g.grid_id], 2),
                "night_sweeps_required": need.night_min,
                "night_sweeps_planned": round(done["night_sweeps"][g.grid_id], 2),
                "visits_due": plan.demand.visits_due.get(g.grid_id, 0),
                "visits_planned": int(done["visits"][g.grid_id]),
                "hotspot_minutes_target": round(hot_target[g.grid_id], 1),
                "hotspot_minutes_planned": round(done["hot_min"][g.grid_id], 1),
                "recent_incidents": need.recent_incidents,
                "longest_gap_h": round(gaps.get(g.grid_id, plan.week_h), 1),
            }
        )
    return pd.DataFrame(rows).set_index("grid_id")


def longest_sweep_gaps(plan: Plan) -> dict[str, float]:
    """Per grid with sweeps planned: the longest time in hours between two sweep starts,
    counted from the week's start and up to its end (a sweep starts at its first part)."""
    starts: dict[str, list[float]] = defaultdict(list)
    task_by_id = {t.task_id: t for t in plan.demand.tasks}
    for route in plan.routes:
        for stop in route.stops:
            task = task_by_id.get(stop.task_id)
            if task is not None and task.kind == "sweep" and task.part == 0:
                starts[task.grid_id].append(plan.hours_into_week(stop.arrive))
    result = {}
    for grid, hours in starts.items():
        marks = [0.0, *sorted(hours), plan.week_h]
        result[grid] = max(b - a for a, b in itertools.pairwise(marks))
    return result
