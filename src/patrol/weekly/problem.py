"""The weekly problem on plain data: days, shifts, vehicles, tasks and a travel matrix.

A :class:`WeekProblem` is what the weekly core plans: which task goes on which day, shift
and vehicle, and in which order (a :class:`Schedule`). No geometry, no scenario: places
are row indices of the travel matrix, so a benchmark (Cordeau's periodic VRP) and the
station's week go through the same solver and the same checker
(:func:`patrol.weekly.check.evaluate_week`).

Units are the matrix's own (seconds for the planner, Euclidean length for Cordeau's
instances): a task's ``service`` and a vehicle's ``duration_limit`` are in the units of
``travel``; ``cost`` (default ``travel``) is what the objective sums and what a
vehicle's ``distance_limit`` bounds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.errors import ProblemLog

__all__ = ["Schedule", "Spacing", "WeekProblem", "WeekTask", "WeekVehicle"]

FloatMatrix = npt.NDArray[np.float64]
Slot = tuple[int, int]
"""(day index, shift index)."""

_WHERE = "weekly problem"


@dataclass(frozen=True)
class WeekVehicle:
    """One vehicle (team) in one shift of one day.

    ``duration_limit`` bounds travel plus service of its route, ``capacity`` the sum of
    demands, ``distance_limit`` the route's sum over the cost matrix; 0 means no limit.
    """

    day: int
    shift: int = 0
    start: int = 0
    end: int = 0
    duration_limit: float = 0.0
    capacity: float = 0.0
    distance_limit: float = 0.0
    name: str = ""

    @property
    def slot(self) -> Slot:
        """(day, shift) of the vehicle."""
        return (self.day, self.shift)


@dataclass(frozen=True)
class Spacing:
    """How a group's visits spread over the days: at most ``per_day`` a day, and at most
    ``per_window`` in any ``window_days`` consecutive days (the planner's sweep rule)."""

    per_day: int = 1
    window_days: int = 1
    per_window: int = 1


@dataclass(frozen=True)
class WeekTask:
    """A task visited ``frequency`` times in the period, once a day at most.

    ``patterns`` lists the allowed sets of days (as periodic VRPs state them); None
    lets any days be used within ``slots`` and the spacing of ``group``. ``slots``
    (None = all) are the allowed (day, shift) pairs, ``vehicles`` (None = all) the
    allowed vehicle indices. ``weight`` None makes the task required; a number makes it
    optional, and leaving it out costs that weight. ``end_place`` (default ``place``)
    is where the task ends (a sweep walks from one place to another) and
    ``inner_cost`` what it adds to the route's cost (the sweep's own metres).
    """

    place: int
    service: float = 0.0
    demand: float = 0.0
    frequency: int = 1
    patterns: tuple[frozenset[int], ...] | None = None
    slots: frozenset[Slot] | None = None
    vehicles: frozenset[int] | None = None
    weight: float | None = None
    group: str = ""
    name: str = ""
    end_place: int = -1
    inner_cost: float = 0.0

    @property
    def required(self) -> bool:
        """True when the task has no weight, i.e. must be served."""
        return self.weight is None

    @property
    def exit_place(self) -> int:
        """Where the task ends."""
        return self.place if self.end_place < 0 else self.end_place


@dataclass(frozen=True, eq=False)
class WeekProblem:
    """The weekly routing problem (validated on construction).

    Objective (minimised): the cost-matrix length of all routes plus the tasks' inner
    costs; optional tasks left out are reported by weight. Constraints: each task is
    visited ``frequency`` times on distinct days forming one of its ``patterns`` (or
    obeying its group's :class:`Spacing`), each visit in an allowed slot and on an
    allowed vehicle; each route within its vehicle's duration, capacity and distance.
    ``weight_cost`` is what the solver pays (in cost units) per unit of weight left out.
    """

    days: tuple[str, ...]
    shifts: tuple[str, ...]
    vehicles: tuple[WeekVehicle, ...]
    tasks: tuple[WeekTask, ...]
    travel: FloatMatrix
    cost: FloatMatrix | None = None
    spacing: Mapping[str, Spacing] = field(default_factory=dict)
    weight_cost: float = 1000.0

    def __post_init__(self) -> None:
        log = ProblemLog()
        travel = np.asarray(self.travel, dtype=np.float64)
        if travel.ndim != 2 or travel.shape[0] != travel.shape[1]:
            log.error(_WHERE, f"travel must be square, got shape {travel.shape}.", field="travel")
        cost = travel if self.cost is None else np.asarray(self.cost, dtype=np.float64)
        if cost.shape != travel.shape:
            log.error(_WHERE, "cost and travel differ in shape.", "Give both the same places.")
        object.__setattr__(self, "travel", travel)
        object.__setattr__(self, "cost", cost)
        for name in ("days", "shifts", "vehicles", "tasks"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "spacing", dict(self.spacing))
        n = travel.shape[0] if travel.ndim == 2 else 0
        for i, veh in enumerate(self.vehicles):
            self._check_vehicle(i, veh, n, log)
        for i, task in enumerate(self.tasks):
            self._check_task(i, task, n, log)
        log.raise_if_errors()

    def _check_vehicle(self, i: int, veh: WeekVehicle, n: int, log: ProblemLog) -> None:
        where = f"vehicle {i} {veh.name}".strip()
        if not (0 <= veh.day < len(self.days) and 0 <= veh.shift < len(self.shifts)):
            log.error(_WHERE, f"day {veh.day} / shift {veh.shift} do not exist.", feature=where)
        if not (0 <= veh.start < n and 0 <= veh.end < n):
            log.error(_WHERE, "start or end is not a row of the matrix.", feature=where)

    def _check_task(self, i: int, task: WeekTask, n: int, log: ProblemLog) -> None:
        where = f"task {i} {task.name}".strip()
        if not 0 <= task.place < n or task.exit_place >= n:
            log.error(_WHERE, "place is not a row of the matrix.", feature=where, field="place")
        if task.frequency < 1 or task.frequency > len(self.days):
            log.error(
                _WHERE, f"frequency {task.frequency} is not 1..{len(self.days)}.", feature=where
            )
        for pattern in task.patterns or ():
            if len(pattern) != task.frequency or not pattern <= set(range(len(self.days))):
                log.error(
                    _WHERE,
                    f"pattern {sorted(pattern)} is not {task.frequency} days of the period.",
                    feature=where,
                    field="patterns",
                )
        if task.patterns is not None and not task.patterns:
            log.error(_WHERE, "patterns is empty.", "Use None for any days.", feature=where)

    @property
    def n_days(self) -> int:
        """Days in the period."""
        return len(self.days)

    def replace(self, **changes: Any) -> WeekProblem:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def allows(self, task: int, vehicle: int) -> bool:
        """True when ``vehicle`` may carry ``task`` (its slot and the vehicle allowed)."""
        t, v = self.tasks[task], self.vehicles[vehicle]
        if t.vehicles is not None and vehicle not in t.vehicles:
            return False
        return t.slots is None or v.slot in t.slots


@dataclass(frozen=True)
class Schedule:
    """Which task on which vehicle in which order: ``routes[v]`` is vehicle ``v``'s
    sequence of task indices (its day and shift are the vehicle's)."""

    routes: tuple[tuple[int, ...], ...]
    seconds: float = 0.0
    stats: Mapping[str, float] = field(default_factory=dict)

    def days_of(self, problem: WeekProblem) -> dict[int, list[int]]:
        """Task -> the days it is visited on (one entry per visit)."""
        out: dict[int, list[int]] = {}
        for v, route in enumerate(self.routes):
            for t in route:
                out.setdefault(t, []).append(problem.vehicles[v].day)
        return out
