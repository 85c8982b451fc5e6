"""Which task on which team: a CP-SAT model that fills the week's team-minutes evenly.

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
  household at most one visit a day;
- a sweep in parts (a walk too long for one shift) is walked whole or not at all: its
  parts are all placed or none, each on the same shift as the part before it or the
  next shift its beat has a team on (parts already routed in earlier rounds fix their
  shifts);
- gap windows (soft, ``gap_limit_h``): for a red or orange grid with limit ``L`` hours,
  every window of the week that a gap longer than ``L`` would leave empty (from the
  week's start, after each shift start, up to the week's end) holds one of its sweeps;
  an empty window costs :data:`GAP_PENALTY`. Windows are shortened by the longest shift,
  so the arrival times inside the shifts keep the limit too.

Objective (maximised, integers):

- ``WEIGHT_SCALE`` × the priority weight of every task placed (first: serve the most);
- :data:`OWN_VISIT_BONUS` for a visit (:data:`OWN_SWEEP_BONUS` for a sweep) on a team
  whose grid worker is that grid's own (the point of 走格入户);
- minus :data:`DAY_LEVEL` × the busiest day's task-minutes and :data:`PERSON_LEVEL` ×
  the busiest person's task-minutes (tasks already routed included), so work is spread
  over the week instead of packed into its first days;
- minus the empty gap windows;
- in a re-plan (``stay``), :data:`STAY_BONUS` for a task on the team it had, else
  :data:`SAME_DAY_BONUS` on its old day: a cost for moving.

The bonuses and levelling terms are far below one task's weight, so they only choose
*where* work goes, never *whether*. With ``relax=True`` the objective is the weight alone
(the upper-bound relaxation: same windows, spacing and one-visit-a-day rules).
A deterministic work limit (``max_deterministic_time``, the round's share of the run's
:class:`~patrol.budget.Budget`) with one worker keeps the same input giving the same
assignment. This module and :mod:`patrol.teams.model` are the two CP-SAT models.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from patrol.budget import MIN_CPSAT_S, wall_guard_s
from patrol.demand import Task

log = logging.getLogger("patrol")

WEIGHT_SCALE = 10_000
"""Objective units per unit of task weight."""

OWN_VISIT_BONUS = 4_000
"""A visit made by the household's own grid worker's team (0.4 of a weight unit)."""

OWN_SWEEP_BONUS = 1_500
STAY_BONUS = 3_000
"""A re-plan: a task kept on the team it had (below one task's weight)."""
SAME_DAY_BONUS = 1_000
"""A re-plan: a task that must leave its team kept on its day."""
"""A sweep walked by the grid's own grid worker's team."""

DAY_LEVEL = 10
"""Cost per task-minute of the busiest day."""

PERSON_LEVEL = 4
"""Cost per task-minute of the busiest person."""

GAP_PENALTY = 8_000
"""Cost of one gap window of a red or orange grid left without a sweep (above a sweep
part's weight: a grid left long is worse than a later part missing)."""

RELATIVE_GAP = 5e-3
"""The week's model stops once its solution is proved within this share of the optimum
(on the sample about a tenth of one task's weight): the levelling and gap terms make the
last proof slow, and the check is deterministic. The relaxation is solved exactly."""


@dataclass(frozen=True)
class TeamSlot:
    """What the assignment needs to know of a team."""

    team_id: str
    slot_key: str
    day: int
    beat_id: str
    capacity_s: int
    start_h: float = 0.0
    """Hours from the week's start to the team's shift start."""
    worker_grid: str | None = None
    """The grid whose own grid worker is on the team (``None``: no grid worker)."""
    people: tuple[str, ...] = ()
    refused: frozenset[str] = frozenset()
    """Task ids the team may not take (a red-armband team: visits, hot spots, sweeps of
    orange and red grids; see :meth:`patrol.teams.types.Team.may_take`)."""
    capacity_m: int = 0
    """Metres the team may still walk in the shift (0: no walking limit)."""


@dataclass(frozen=True)
class Assignment:
    """Task → team, plus what the solver said."""

    team_of: dict[str, str]
    status: str
    objective: float
    bound: float
    work_s: float = 0.0
    """Deterministic seconds the solver used (charged to the assignment's budget)."""
    placed_weight: float = 0.0
    """Weight of the tasks placed (the objective without bonuses and levelling)."""


@dataclass
class _Model:
    """The CP-SAT model being built, with its choice variables and objective terms."""

    model: Any
    tasks: Sequence[Task]
    teams: Sequence[TeamSlot]
    x: dict[tuple[int, int], Any] = field(default_factory=dict)
    terms: list[Any] = field(default_factory=list)


def assign_tasks(
    tasks: Sequence[Task],
    teams: Sequence[TeamSlot],
    *,
    cost_s: Mapping[str, int],
    cost_m: Mapping[str, int] | None = None,
    forbidden: set[tuple[str, str]] | None = None,
    fixed: Sequence[tuple[Task, TeamSlot]] = (),
    gap_limit_h: Mapping[str, float] | None = None,
    week_h: float = 168.0,
    shift_h: float = 0.0,
    relax: bool = False,
    time_limit_s: float = 10.0,
    seed: int = 0,
    stay: Mapping[str, tuple[str, int]] | None = None,
) -> Assignment:
    """Assign tasks to teams (see the module docstring for the model).

    ``cost_s`` is each task's estimated team time and ``cost_m`` its estimated metres
    walked (checked against a team's ``capacity_m`` where that is set); ``forbidden`` holds
    (task_id, slot_key)
    pairs a previous routing round could not fit; ``fixed`` the tasks already routed with
    the team slot that carries them, so spacing, gap windows and loads count them;
    ``gap_limit_h`` the longest gap (hours) allowed between two sweeps of a grid, in a
    week of ``week_h`` hours whose longest shift lasts ``shift_h``;
    ``relax`` keeps the weight as the only objective (the upper-bound relaxation);
    ``stay`` (task id -> its old team id and day, a re-plan) prices moving a task.
    """
    from ortools.sat.python import cp_model

    m = _Model(cp_model.CpModel(), tasks, teams)
    _add_choices(m, cost_s=cost_s, cost_m=cost_m or {}, forbidden=forbidden or set())
    _add_spacing(m, fixed=fixed)
    _add_consecutive_parts(m, fixed=fixed)
    if not relax:
        _add_own_worker_bonus(m)
        _add_stay_bonus(m, stay or {})
        _add_levelling(m, cost_s=cost_s, fixed=fixed)
    if gap_limit_h and not relax:
        _add_gap_windows(m, gap_limit_h, fixed=fixed, week_h=week_h, shift_h=shift_h)
    m.model.maximize(sum(m.terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(MIN_CPSAT_S, time_limit_s)
    solver.parameters.max_time_in_seconds = wall_guard_s(time_limit_s)
    if not relax:
        solver.parameters.relative_gap_limit = RELATIVE_GAP
    status = solver.solve(m.model)
    team_of: dict[str, str] = {}
    objective = bound = placed = 0.0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (ti, mi), var in m.x.items():
            if solver.boolean_value(var):
                team_of[tasks[ti].task_id] = teams[mi].team_id
                placed += tasks[ti].weight
        objective = solver.objective_value / WEIGHT_SCALE
    if status != cp_model.INFEASIBLE and math.isfinite(solver.best_objective_bound):
        bound = solver.best_objective_bound / WEIGHT_SCALE  # valid even when unproven
    log.info(
        "assignment: %d of %d tasks placed (%s)",
        len(team_of),
        len(tasks),
        solver.status_name(status),
    )
    return Assignment(
        team_of, solver.status_name(status), objective, bound, solver.deterministic_time, placed
    )


def _add_choices(
    m: _Model,
    *,
    cost_s: Mapping[str, int],
    cost_m: Mapping[str, int],
    forbidden: set[tuple[str, str]],
) -> None:
    """``x[t, m]`` where team ``m`` may take task ``t``; each task at most once, each
    team within its time (and walking) capacity; the weight of every placed task in the
    objective."""
    by_slot_beat: dict[tuple[str, str], list[int]] = defaultdict(list)
    for mi, team in enumerate(m.teams):
        by_slot_beat[(team.slot_key, team.beat_id)].append(mi)
    per_task: dict[int, list[Any]] = defaultdict(list)
    per_team: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for ti, task in enumerate(m.tasks):
        gain = round(task.weight * WEIGHT_SCALE)
        for key in sorted(task.slots):
            if (task.task_id, key) in forbidden:
                continue
            for mi in by_slot_beat.get((key, task.beat_id), []):
                if cost_s[task.task_id] > m.teams[mi].capacity_s:
                    continue
                if m.teams[mi].capacity_m and cost_m.get(task.task_id, 0) > m.teams[mi].capacity_m:
                    continue
                if task.task_id in m.teams[mi].refused:
                    continue
                var = m.model.new_bool_var(f"x_{ti}_{mi}")
                m.x[(ti, mi)] = var
                per_task[ti].append(var)
                per_team[mi].append((ti, var))
                m.terms.append(gain * var)
    for vars_ in per_task.values():
        m.model.add_at_most_one(vars_)
    for mi, items in per_team.items():
        m.model.add(
            sum(cost_s[m.tasks[ti].task_id] * v for ti, v in items) <= m.teams[mi].capacity_s
        )
        if m.teams[mi].capacity_m:
            walked = sum(cost_m.get(m.tasks[ti].task_id, 0) * v for ti, v in items)
            m.model.add(walked <= m.teams[mi].capacity_m)


def _add_own_worker_bonus(m: _Model) -> None:
    """Prefer the team of the grid's own grid worker for visits and sweeps."""
    for (ti, mi), var in m.x.items():
        task = m.tasks[ti]
        if m.teams[mi].worker_grid == task.grid_id:
            if task.kind == "visit":
                m.terms.append(OWN_VISIT_BONUS * var)
            elif task.kind == "sweep":
                m.terms.append(OWN_SWEEP_BONUS * var)


def _add_stay_bonus(m: _Model, stay: Mapping[str, tuple[str, int]]) -> None:
    """A re-plan: prefer each task's old team, else its old day."""
    for (ti, mi), var in m.x.items():
        old = stay.get(m.tasks[ti].task_id)
        if old is None:
            continue
        if m.teams[mi].team_id == old[0]:
            m.terms.append(STAY_BONUS * var)
        elif m.teams[mi].day == old[1]:
            m.terms.append(SAME_DAY_BONUS * var)


def _add_levelling(
    m: _Model, *, cost_s: Mapping[str, int], fixed: Sequence[tuple[Task, TeamSlot]]
) -> None:
    """Penalise the busiest day's and the busiest person's task-minutes (fixed included)."""
    day_terms: dict[int, list[Any]] = defaultdict(list)
    person_terms: dict[str, list[Any]] = defaultdict(list)
    day_fixed: dict[int, int] = defaultdict(int)
    person_fixed: dict[str, int] = defaultdict(int)
    for (ti, mi), var in m.x.items():
        minutes = math.ceil(m.tasks[ti].service_s / 60)
        day_terms[m.teams[mi].day].append(minutes * var)
        for pid in m.teams[mi].people:
            person_terms[pid].append(minutes * var)
    for task, team in fixed:
        minutes = math.ceil(task.service_s / 60)
        day_fixed[team.day] += minutes
        for pid in team.people:
            person_fixed[pid] += minutes
    for level, terms, base in (
        (DAY_LEVEL, day_terms, day_fixed),
        (PERSON_LEVEL, person_terms, person_fixed),
    ):
        keys = set(terms) | set(base)
        if not keys:
            continue
        top = max(base.values(), default=0) + sum(math.ceil(t.service_s / 60) for t in m.tasks)
        peak = m.model.new_int_var(0, top, f"peak_{level}")
        for k in sorted(keys, key=str):
            m.model.add(peak >= sum(terms.get(k, [])) + base.get(k, 0))  # type: ignore[call-overload]
        m.terms.append(-level * peak)


def _add_spacing(m: _Model, *, fixed: Sequence[tuple[Task, TeamSlot]]) -> None:
    """Spacing of each group's tasks over the week, counting the tasks already placed in
    earlier rounds (``fixed``) as fixed."""
    per_group_day: dict[tuple[str, int], list[Any]] = defaultdict(list)
    per_group_slot: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for (ti, mi), var in m.x.items():
        task, team = m.tasks[ti], m.teams[mi]
        per_group_day[(task.group, team.day)].append(var)
        per_group_slot[(task.group, team.slot_key)].append(var)
    fixed_count: dict[tuple[str, int], int] = defaultdict(int)
    for task, team in fixed:
        fixed_count[(task.group, team.day)] += 1
    group_size: dict[str, int] = defaultdict(int)
    for task in m.tasks:
        group_size[task.group] = max(group_size[task.group], task.group_size)
    days = sorted({t.day for t in m.teams} | {d for _, d in fixed_count})
    for group, k in group_size.items():
        sweep = group.startswith("sweep:")
        # one group per part of a grid's sweep: each part is walked at most
        # ceil(k/7) times a day and once in every floor(7/k) days for k sweeps
        per_day = math.ceil(k / 7) if sweep else 1
        window = (max(1, 7 // k) if k else 1) if sweep else 1
        for d in days:
            vars_ = per_group_day.get((group, d), [])
            if vars_:
                m.model.add(sum(vars_) <= max(0, per_day - fixed_count[(group, d)]))
            if window > 1:
                span = [
                    v for dd in range(d, d + window) for v in per_group_day.get((group, dd), [])
                ]
                already = sum(fixed_count[(group, dd)] for dd in range(d, d + window))
                if span:
                    m.model.add(sum(span) <= max(0, 1 - already))
    for (group, _key), vars_ in per_group_slot.items():
        if not group.startswith("sweep:") and len(vars_) > 1:
            m.model.add(sum(vars_) <= 1)


def _add_consecutive_parts(m: _Model, *, fixed: Sequence[tuple[Task, TeamSlot]]) -> None:
    """The parts of one sweep all placed or none, each on the shift of the part before it
    or the next one of its beat (the beat's shifts with a team ranked by start; fixed
    parts keep their rank)."""
    starts: dict[str, set[float]] = defaultdict(set)
    for team in (*m.teams, *(t for _, t in fixed)):
        starts[team.beat_id].add(team.start_h)
    rank = {b: {h: i for i, h in enumerate(sorted(hs))} for b, hs in starts.items()}
    free: dict[tuple[str, int], dict[int, list[tuple[int, Any]]]] = defaultdict(dict)
    for (ti, mi), var in m.x.items():
        task, team = m.tasks[ti], m.teams[mi]
        if task.kind == "sweep" and task.parts > 1:
            slot = free[(task.grid_id, task.sweep_index)].setdefault(task.part, [])
            slot.append((rank[team.beat_id][team.start_h], var))
    done: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    for task, team in fixed:
        if task.kind == "sweep" and task.parts > 1:
            done[(task.grid_id, task.sweep_index)][task.part] = rank[team.beat_id][team.start_h]
    parts_of = {(t.grid_id, t.sweep_index): t.parts for t in m.tasks if t.kind == "sweep"}
    for key in sorted(free):
        for p in range(parts_of[key] - 1):
            _link_parts(m, free[key], done[key], p)


def _link_parts(
    m: _Model, free: dict[int, list[tuple[int, Any]]], done: dict[int, int], p: int
) -> None:
    """Part ``p + 1`` on the shift rank of part ``p`` or the next one; both free: placed
    together. ``free`` holds each unplaced part's (rank, choice) pairs, ``done`` the rank
    of each part already routed. Stated per rank (part ``p`` at rank ``r`` needs part
    ``p + 1`` at ``r`` or ``r + 1``), which keeps the model's relaxation tight."""
    a, b = free.get(p), free.get(p + 1)
    if a is not None and b is not None:
        m.model.add(sum(v for _, v in a) == sum(v for _, v in b))
        for r in sorted({r for r, _ in a}):
            here = [v for rr, v in a if rr == r]
            m.model.add(sum(here) <= sum(v for rr, v in b if rr in (r, r + 1)))
        return
    q, other = (p + 1, p) if b is not None else (p, p + 1)
    choices = free.get(q, [])
    allowed = {done[other], done[other] + (1 if q == p + 1 else -1)} if other in done else set()
    outside = [v for r, v in choices if r not in allowed]
    if outside:  # the other part is routed elsewhere, or lost: this one may not go there
        m.model.add(sum(outside) == 0)


def gap_windows(
    starts_h: Sequence[float], *, limit_h: float, shift_h: float, week_h: float
) -> list[tuple[float, float, bool]]:
    """The windows ``(lo, hi, lo_open)`` that must each hold a sweep start so that no gap
    between two sweeps (counted from the week's start, to its end) exceeds ``limit_h``.

    A gap longer than the limit leaves some window ``(T, T + L']`` empty, ``T`` the week's
    start or a shift start and ``L'`` the limit less ``shift_h`` (arrival may come up to a
    shift after the start); the last window ``[week_h - limit_h, week_h]`` keeps the end.
    """
    span = max(0.0, limit_h - shift_h)
    windows = [(0.0, span, False)]
    windows += [(t, t + span, True) for t in sorted(set(starts_h)) if t > 0 and t + span < week_h]
    windows.append((max(0.0, week_h - limit_h), week_h, False))
    return windows


def _add_gap_windows(
    m: _Model,
    gap_limit_h: Mapping[str, float],
    *,
    fixed: Sequence[tuple[Task, TeamSlot]],
    week_h: float,
    shift_h: float,
) -> None:
    """Each red or orange grid's gap windows hold a sweep start (soft: an empty window
    costs :data:`GAP_PENALTY`). A sweep's start is its first part's shift start."""
    events: dict[str, list[tuple[float, Any]]] = defaultdict(list)
    for (ti, mi), var in m.x.items():
        task = m.tasks[ti]
        if task.kind == "sweep" and task.part == 0 and task.grid_id in gap_limit_h:
            events[task.grid_id].append((m.teams[mi].start_h, var))
    done: dict[str, list[float]] = defaultdict(list)
    for task, team in fixed:
        if task.kind == "sweep" and task.part == 0:
            done[task.grid_id].append(team.start_h)
    starts = sorted({t.start_h for t in m.teams} | {t.start_h for _, t in fixed})
    for grid in sorted(gap_limit_h):
        if not events.get(grid):
            continue
        windows = gap_windows(starts, limit_h=gap_limit_h[grid], shift_h=shift_h, week_h=week_h)
        for window in windows:
            if any(_inside(h, window) for h in done[grid]):
                continue
            vars_ = [v for h, v in events[grid] if _inside(h, window)]
            if vars_:
                miss = m.model.new_bool_var(f"gap_{grid}_{window[0]:g}")
                m.model.add(sum(vars_) + miss >= 1)
                m.terms.append(-GAP_PENALTY * miss)


def _inside(hour: float, window: tuple[float, float, bool]) -> bool:
    """Whether ``hour`` lies in the window ``(lo, hi, lo_open)``."""
    lo, hi, lo_open = window
    return (lo < hour if lo_open else lo <= hour) and hour <= hi
