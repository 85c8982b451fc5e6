"""The teams of a week as data: a 1+1+N team, a staffing gap, the week's team plan."""

from __future__ import annotations

from dataclasses import dataclass

from patrol.scenario.model import Person, ShiftSlot

GRID_WORKER = "grid_worker"
TEAM_ROLES: tuple[str, ...] = ("officer", "auxiliary", GRID_WORKER, "volunteer", "cadre", "elder")

Duty = set[tuple[int, int, str]]
"""(person index, slot index, beat) triples: who is on duty where."""


@dataclass(frozen=True)
class Team:
    """One 1+1+N team: a police member, a grid worker and others, on one beat and slot."""

    team_id: str
    slot: ShiftSlot
    beat_id: str
    police: Person
    grid_worker: Person
    others: tuple[Person, ...]
    min_others: int = 1

    @property
    def members(self) -> tuple[Person, ...]:
        """Police member, grid worker, then the others."""
        return (self.police, self.grid_worker, *self.others)

    @property
    def shortfall(self) -> int:
        """How many others the team lacks to reach ``min_others``."""
        return max(0, self.min_others - len(self.others))


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
