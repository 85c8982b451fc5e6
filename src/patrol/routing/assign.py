"""Which task on which team: a CP-SAT model that fills the week's team-minutes.

Model
-----
Variables: ``x[t, m]`` = 1 when task ``t`` goes to team ``m``, defined only where the
team's shift is among the task's allowed slots and the team is on the task's beat.

Constraints:

- each task at most once;
- each team's estimated minutes (service plus an estimate of the walk to the task) fit its
  capacity (the shift minus the walk from the post and back, less what routing already
  used);
- spacing: each part of a grid's sweep is walked at most once a day (more only when the
  grid needs more than seven sweeps), and at most once in every ``⌊7/k⌋`` consecutive
  days for ``k`` sweeps; a hot spot gets at most one stop a day (and one per shift); a
  household at most one visit a day.

Objective: maximise the priority weight of the tasks placed; ties go to visits placed
earlier (nearer their due date) and to the earlier parts of a sweep, so the plan is stable.
A deterministic work limit (``max_deterministic_time``, the round's share of the run's
:class:`~patrol.budget.Budget`) with one worker keeps the same input giving the same
assignment. This module and :mod:`patrol.teams.model` are the two CP-SAT models.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from patrol.budget import MIN_CPSAT_S, wall_guard_s
from patrol.demand import Task

log = logging.getLogger("patrol")


@dataclass(frozen=True)
class TeamSlot:
    """What the assignment needs to know of a team."""

    team_id: str
    slot_key: str
    day: int
    beat_id: str
    capacity_s: int


@dataclass(frozen=True)
class Assignment:
    """Task → team, plus what the solver said."""

    team_of: dict[str, str]
    status: str
    objective: float
    bound: float
    work_s: float = 0.0
    """Deterministic seconds the solver used (charged to the assignment's budget)."""


def assign_tasks(
    tasks: Sequence[Task],
    teams: Sequence[TeamSlot],
    *,
    cost_s: Mapping[str, int],
    forbidden: set[tuple[str, str]] | None = None,
    fixed_days: Mapping[str, int] | None = None,
    group_of: Mapping[str, str] | None = None,
    time_limit_s: float = 10.0,
    seed: int = 0,
) -> Assignment:
    """Assign tasks to teams (see the module docstring for the model).

    ``cost_s`` is each task's estimated team time; ``forbidden`` holds (task_id, slot_key)
    pairs a previous routing round could not fit; ``fixed_days`` gives the day of tasks
    already routed (with ``group_of`` their spacing group), so spacing counts them.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = _add_choices(model, tasks, teams, cost_s=cost_s, forbidden=forbidden or set())
    _add_spacing(model, tasks, teams, x, fixed_days=fixed_days or {}, group_of=group_of or {})
    # objective: weight first; ties to earlier days for visits and hot spots
    terms = []
    for (ti, mi), var in x.items():
        task = tasks[ti]
        gain = round(task.weight * 10_000)
        if task.kind == "visit":
            gain += 7 - teams[mi].day
        terms.append(gain * var)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(MIN_CPSAT_S, time_limit_s)
    solver.parameters.max_time_in_seconds = wall_guard_s(time_limit_s)
    status = solver.solve(model)
    team_of: dict[str, str] = {}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (ti, mi), var in x.items():
            if solver.boolean_value(var):
                team_of[tasks[ti].task_id] = teams[mi].team_id
        objective, bound = solver.objective_value / 10_000, solver.best_objective_bound / 10_000
    else:
        objective = bound = 0.0
    log.info(
        "assignment: %d of %d tasks placed (%s)",
        len(team_of),
        len(tasks),
        solver.status_name(status),
    )
    return Assignment(
        team_of, solver.status_name(status), objective, bound, solver.deterministic_time
    )


def _add_choices(
    model: Any,
    tasks: Sequence[Task],
    teams: Sequence[TeamSlot],
    *,
    cost_s: Mapping[str, int],
    forbidden: set[tuple[str, str]],
) -> dict[tuple[int, int], Any]:
    """``x[t, m]`` where team ``m`` may take task ``t``; each task at most once, each
    team within its capacity."""
    by_slot_beat: dict[tuple[str, str], list[TeamSlot]] = defaultdict(list)
    for m in teams:
        by_slot_beat[(m.slot_key, m.beat_id)].append(m)
    x: dict[tuple[int, int], Any] = {}
    team_index = {m.team_id: i for i, m in enumerate(teams)}
    per_task: dict[int, list[Any]] = defaultdict(list)
    per_team: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for ti, task in enumerate(tasks):
        for key in sorted(task.slots):
            if (task.task_id, key) in forbidden:
                continue
            for m in by_slot_beat.get((key, task.beat_id), []):
                if cost_s[task.task_id] > m.capacity_s:
                    continue
                mi = team_index[m.team_id]
                var = model.new_bool_var(f"x_{ti}_{mi}")
                x[(ti, mi)] = var
                per_task[ti].append(var)
                per_team[mi].append((ti, var))
    for vars_ in per_task.values():
        model.add_at_most_one(vars_)
    for mi, items in per_team.items():
        model.add(sum(cost_s[tasks[ti].task_id] * v for ti, v in items) <= teams[mi].capacity_s)
    return x


def _add_spacing(
    model: Any,
    tasks: Sequence[Task],
    teams: Sequence[TeamSlot],
    x: Mapping[tuple[int, int], Any],
    *,
    fixed_days: Mapping[str, int],
    group_of: Mapping[str, str],
) -> None:
    """Spacing of each group's tasks over the week, counting the tasks already placed in
    earlier rounds (``fixed_days``) as fixed."""
    per_group_day: dict[tuple[str, int], list[Any]] = defaultdict(list)
    per_group_slot: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for (ti, mi), var in x.items():
        task, m = tasks[ti], teams[mi]
        per_group_day[(task.group, m.day)].append(var)
        per_group_slot[(task.group, m.slot_key)].append(var)
    fixed_count: dict[tuple[str, int], int] = defaultdict(int)
    for task_id, day in fixed_days.items():
        fixed_count[(group_of.get(task_id, task_id), day)] += 1
    group_tasks: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        group_tasks[task.group].append(task)
    slot_vars_of: dict[str, list[list[Any]]] = defaultdict(list)
    for (g, _key), vars_ in per_group_slot.items():
        slot_vars_of[g].append(vars_)
    days = sorted({m.day for m in teams} | {d for _, d in fixed_count})
    for group, members in group_tasks.items():
        k = max(t.group_size for t in members)
        if group.startswith("sweep:"):
            # one group per part of a grid's sweep: each part is walked at most
            # ceil(k/7) times a day and once in every floor(7/k) days for k sweeps
            per_day = math.ceil(k / 7)
            window = max(1, 7 // k) if k else 1
        else:
            per_day, window = 1, 1
        for d in days:
            vars_ = per_group_day.get((group, d), [])
            if vars_:
                model.add(sum(vars_) <= max(0, per_day - fixed_count[(group, d)]))
            if window > 1:
                span = [
                    v for dd in range(d, d + window) for v in per_group_day.get((group, dd), [])
                ]
                already = sum(fixed_count[(group, dd)] for dd in range(d, d + window))
                if span:
                    model.add(sum(span) <= max(0, 1 - already))
        if not group.startswith("sweep:"):
            for vars_ in slot_vars_of.get(group, []):
                if len(vars_) > 1:
                    model.add(sum(vars_) <= 1)
