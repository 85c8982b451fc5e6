"""The plan as data: routes with timed stops, the teams, and what could not be served.

A :class:`Plan` always comes back, however short of staff the week is: every task that no
route carries is an :class:`Unserved` with a reason in Chinese and English. Route
geometry follows the streets walked (transit legs and sweep walks), and every leg keeps
its own start and end time, so coverage can be measured from the plan or from GPS tracks
the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import shapely

if TYPE_CHECKING:
    from patrol.demand import Demand, Task
    from patrol.network import Network
    from patrol.scenario.model import Scenario, ShiftSlot
    from patrol.teams.form import Team, TeamPlan

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
    """A stretch of a route walked between two times: transit or a sweep walk."""

    team_id: str
    kind: Literal["transit", "sweep"]
    start: dt.datetime
    end: dt.datetime
    geometry: shapely.LineString
    grid_id: str = ""


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


@dataclass(frozen=True)
class Unserved:
    """A task no route carries, and why."""

    task: Task
    reason: str

    @property
    def reason_zh(self) -> str:
        return REASONS[self.reason][0]

    @property
    def reason_en(self) -> str:
        return REASONS[self.reason][1]


@dataclass
class Plan:
    """The week's plan: teams, routes, unserved tasks, and the figures to judge it by."""

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

    @property
    def served_task_ids(self) -> set[str]:
        return {s.task_id for r in self.routes for s in r.stops if s.kind != "post"}

    @property
    def weighted_demand_met(self) -> float:
        """Share of the week's task weight that the routes carry (0–1)."""
        total = sum(t.weight for t in self.demand.tasks)
        served = self.served_task_ids
        done = sum(t.weight for t in self.demand.tasks if t.task_id in served)
        return done / total if total else 1.0
