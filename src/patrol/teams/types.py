"""The teams of a week as data: a 1+1+N team, a staffing gap, the week's team plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from patrol.scenario.model import Person, ShiftSlot
from patrol.vocab import FALLBACK_KINDS, POLICE_ASSISTANT, POLICE_ROLES, RED_ARMBAND, RISK_LEVELS

if TYPE_CHECKING:
    import pandas as pd

GRID_WORKER = "grid_worker"
TEAM_ROLES: tuple[str, ...] = (
    "officer",
    "auxiliary",
    GRID_WORKER,
    "volunteer",
    "cadre",
    "elder",
    RED_ARMBAND,
    POLICE_ASSISTANT,
)
FULL = "full"
TEAM_KINDS: tuple[str, ...] = (FULL, *FALLBACK_KINDS)
"""A full 1+1+N team, then the fallback kinds (:data:`patrol.vocab.FALLBACK_KINDS`)."""
TASK_KINDS: frozenset[str] = frozenset({"sweep", "hotspot", "visit"})

Duty = set[tuple[int, int, str]]
"""(person index, slot index, beat) triples: who is on duty where."""


@dataclass(frozen=True)
class Team:
    """One team on one beat and slot: a 1+1+N team (police member, grid worker, others) or,
    where none could be formed, a fallback team (:attr:`kind`) without one of them."""

    team_id: str
    slot: ShiftSlot
    beat_id: str
    police: Person | None
    grid_worker: Person | None
    others: tuple[Person, ...]
    min_others: int = 1

    @property
    def members(self) -> tuple[Person, ...]:
        """Police member, grid worker, then the others (whoever the team has)."""
        return tuple(p for p in (self.police, self.grid_worker, *self.others) if p is not None)

    @property
    def kind(self) -> str:
        """``full`` (1+1+N), ``police_volunteers`` (no grid worker), ``police_assistant``
        (led by a village police assistant) or ``red_armband`` (red-armband volunteers);
        read from the members' roles, so a saved team keeps its kind."""
        if self.police is not None:
            return FULL if self.grid_worker is not None else "police_volunteers"
        if any(p.role == POLICE_ASSISTANT for p in self.others):
            return "police_assistant"
        return RED_ARMBAND

    @property
    def own_grid_id(self) -> str | None:
        """The grid of the team's grid worker (None without one, or one without a grid)."""
        return None if self.grid_worker is None else self.grid_worker.grid_id

    @property
    def village(self) -> str | None:
        """The grid a police assistant's team stands in for the police in: its assistant's
        own village (``grid_id``); None for other teams or an assistant without one."""
        if self.kind != POLICE_ASSISTANT:
            return None
        return next((p.grid_id for p in self.others if p.role == POLICE_ASSISTANT), None)

    @property
    def task_kinds(self) -> frozenset[str]:
        """The task kinds the team may take: a red-armband team sweeps only."""
        return frozenset({"sweep"}) if self.kind == RED_ARMBAND else TASK_KINDS

    @property
    def risk_levels(self) -> frozenset[str]:
        """The grid risk levels the team may sweep: a red-armband team green and yellow."""
        return frozenset(RISK_LEVELS[:2]) if self.kind == RED_ARMBAND else frozenset(RISK_LEVELS)

    def may_take(self, kind: str, *, risk: str) -> bool:
        """Whether the team may take a task of ``kind`` in a grid of ``risk``."""
        return kind in self.task_kinds and (kind != "sweep" or risk in self.risk_levels)

    @property
    def shortfall(self) -> int:
        """How many others the team lacks to reach ``min_others`` (a police assistant
        leads and is not counted; a red-armband team is never short)."""
        if self.kind == RED_ARMBAND:
            return 0
        n = len(self.others) - (self.kind == POLICE_ASSISTANT)
        return max(0, self.min_others - n)


@dataclass(frozen=True)
class StaffingGap:
    """A needed beat-slot that got fewer teams than needed, and why."""

    slot: ShiftSlot
    beat_id: str
    needed: int
    formed: int
    reason_en: str
    reason_zh: str


@dataclass(frozen=True)
class TeamPlan:
    """The week's teams, the gaps, and how evenly duty is spread.

    ``objective`` is the weighted number of teams formed (the first priority) and
    ``bound`` the solver's proof of the most that could be formed, in the same units
    (weights rounded to 1/1000 of the largest); ``status`` is CP-SAT's for that first
    priority (``OPTIMAL``, ``FEASIBLE``), ``GREEDY`` when the solver found nothing and the
    greedy week was kept, or ``EMPTY`` when nobody could be put on duty.
    """

    teams: tuple[Team, ...]
    gaps: tuple[StaffingGap, ...]
    spread: dict[str, dict[str, float]]
    load: dict[str, int]
    status: str
    objective: float
    bound: float
    seconds: float

    @property
    def short_teams(self) -> tuple[Team, ...]:
        """Teams formed with fewer others than ``min_others``."""
        return tuple(t for t in self.teams if t.shortfall > 0)


def team_from_members(
    team_id: str,
    slot: ShiftSlot,
    beat_id: str,
    members: Sequence[Person],
    *,
    min_others: int = 1,
) -> Team:
    """A team from its members in any order (as the plan store lists them): the first
    police member leads, the first grid worker joins, everyone else is an other."""
    police = next((p for p in members if p.role in POLICE_ROLES), None)
    grid = next((p for p in members if p.role == GRID_WORKER), None)
    others = tuple(p for p in members if p is not police and p is not grid)
    return Team(team_id, slot, beat_id, police, grid, others, min_others)


class _TaskLike(Protocol):
    """What :func:`refused_tasks` reads of a task (a :class:`patrol.demand.Task`)."""

    @property
    def task_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def grid_id(self) -> str: ...


def refused_tasks(team: Team, tasks: Iterable[_TaskLike], grids: pd.DataFrame) -> frozenset[str]:
    """The ids of ``tasks`` that ``team`` may not take (:meth:`Team.may_take`, with each
    task's grid risk from ``grids``; a police assistant's team only its own village,
    :attr:`Team.village`); none for a 1+1+N team."""
    if team.kind == FULL:
        return frozenset()
    risk_of = dict(zip(grids["grid_id"], grids["risk"], strict=True))
    village = team.village
    return frozenset(
        t.task_id
        for t in tasks
        if not team.may_take(t.kind, risk=risk_of.get(t.grid_id, "green"))
        or (village is not None and t.grid_id != village)
    )
