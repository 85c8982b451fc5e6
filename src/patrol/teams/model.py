"""The CP-SAT model of the week's duty: who is on duty on which beat in which slot.

Variables exist only where the person is available and the beat-slot is needed:
``x[p, s, b]`` = 1 when person ``p`` is on duty in slot ``s`` on beat ``b``; ``t[b, s]``
in ``0..need[b, s]`` teams; ``y[p, k]`` = 1 when ``p`` works at least ``k`` shifts (a unary
load count, ``y[p, k] >= y[p, k + 1]``).

Constraints (every stage):

- police of ``b`` on duty in ``s`` = ``t[b, s]`` = grid workers on duty on ``b`` in ``s``
  (the 1+1 part is never broken); others on ``b`` in ``s`` <= ``min_others * t[b, s]``;
- a person works at most one beat per slot and ``sum_k y[p, k]`` = shifts <=
  ``max_shifts_per_week``;
- rest after night: no shift starting before 12:00 on the day straight after a night slot;
- symmetry: of people alike in role, beat, grid, availability and limit, the earlier in
  the roster works at least as many shifts.

The stages (the lexicographic objective, see :mod:`patrol.teams.form`) are
:func:`solve_most_teams` (stage A) and :func:`solve_fair_spread` (stages B-D). This module
and :mod:`patrol.routing.assign` are the two CP-SAT models; every solve uses one worker, a
fixed seed and deterministic work from :mod:`patrol.budget`.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from patrol.budget import MIN_CPSAT_S, wall_clock_mode, wall_guard_s
from patrol.labels import Phrase
from patrol.scenario.model import Person, ShiftSlot
from patrol.teams.types import GRID_WORKER, Duty
from patrol.vocab import OTHER_ROLES, POLICE_ROLES

log = logging.getLogger("patrol")


def _solver(budget: float, seed: int) -> Any:
    """A CP-SAT solver: one worker, ``seed``, ``budget`` deterministic seconds. On the
    clock (``--wall-clock``) it also stops at the team stage's end, so the time spent
    building the model before is counted (:func:`patrol.budget.wall_guard_s`)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(MIN_CPSAT_S, budget)
    solver.parameters.max_time_in_seconds = wall_guard_s(budget, stage="teams")
    return solver


def _warn_wall(solver: Any, budget: float) -> None:
    if wall_clock_mode():  # on the clock, stopping on time is the rule, not a warning
        return
    if solver.wall_time >= wall_guard_s(budget) * 0.99:
        log.warning(Phrase("log.team_wall_clock", seconds=f"{solver.wall_time:.1f}"))


def _duty_vars(
    model: Any, keys: Sequence[tuple[int, int, str]]
) -> tuple[dict[tuple[int, int, str], Any], dict[tuple[int, int], list[Any]], dict[int, list[Any]]]:
    """One Boolean per (person, slot, beat) key, and the same grouped by person-slot and
    by person."""
    x = {key: model.new_bool_var(f"x_{key[0]}_{key[1]}_{key[2]}") for key in keys}
    by_person_slot: dict[tuple[int, int], list[Any]] = defaultdict(list)
    by_person: dict[int, list[Any]] = defaultdict(list)
    for (pi, si, _b), var in x.items():
        by_person_slot[(pi, si)].append(var)
        by_person[pi].append(var)
    return x, by_person_slot, by_person


def solve_most_teams(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: Duty,
    needed: Mapping[tuple[str, int], int],
    w_int: Mapping[tuple[str, int], int],
    min_others: int,
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
    start: Duty,
    *,
    budget: float,
    seed: int,
) -> tuple[Duty, str, float, float]:
    """Stage A: most weighted teams (police and grid workers only; a beat-slot where others
    are free wins ties); returns (on duty, status, bound on the integer weighted teams,
    work spent)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    keys = sorted(k for k in allowed if people[k[0]].role not in OTHER_ROLES)
    x, by_person_slot, by_person = _duty_vars(model, keys)
    free_others = Counter((b, si) for pi, si, b in allowed if people[pi].role in OTHER_ROLES)
    by_group: dict[tuple[str, str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (pi, si, b), var in x.items():
        role = people[pi].role
        group = "police" if role in POLICE_ROLES else "grid" if role == GRID_WORKER else "other"
        by_group[(group, b, si)].append(var)
    tier1: list[cp_model.LinearExprT] = []
    ties: list[cp_model.LinearExprT] = []
    n_teams: dict[tuple[str, int], cp_model.IntVar] = {}
    for (b, si), n in sorted(needed.items()):
        police, grid = by_group[("police", b, si)], by_group[("grid", b, si)]
        t = model.new_int_var(0, min(n, len(police), len(grid)), f"t_{b}_{si}")
        n_teams[(b, si)] = t
        model.add(sum(police) == t)
        model.add(sum(grid) == t)
        tier1.append(w_int[(b, si)] * t)
        if min_others and free_others[(b, si)]:
            ties.append(t)
    start_load = Counter(pi for pi, _si, _b in start)
    _add_person_rules(model, people, by_person_slot, by_person, rest, alike, hint_load=start_load)
    weight_a = sum(needed.values()) + 1
    model.maximize(weight_a * cp_model.LinearExpr.sum(tier1) + cp_model.LinearExpr.sum(ties))
    for key, var in x.items():
        model.add_hint(var, key in start)
    hinted = Counter((b, si) for pi, si, b in start if people[pi].role in POLICE_ROLES)
    for beat_slot, t in n_teams.items():
        model.add_hint(t, hinted[beat_slot])
    solver = _solver(budget, seed)
    status = solver.solve(model)
    _warn_wall(solver, budget)
    name = solver.status_name(status)
    # weight_a * tier1 + ties <= bound and ties < weight_a
    bound = math.floor(solver.best_objective_bound / weight_a + 1e-9)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.warning("Team model ended %s without a solution; the greedy start is used.", name)
        kept = {c for c in start if people[c[0]].role not in OTHER_ROLES}
        return kept, "GREEDY", float(bound), solver.deterministic_time
    chosen = {key for key, var in x.items() if solver.boolean_value(var)}
    return chosen, name, float(bound), solver.deterministic_time


def solve_fair_spread(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: Duty,
    part: Duty,
    caps: Mapping[tuple[str, int], int],
    exact: bool,
    fits: frozenset[str],
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
    *,
    budget: float,
    seed: int,
) -> tuple[Duty, float]:
    """Stages B-D, one group at a time (police, grid workers, others): ``caps[(b, si)]``
    of the group on each beat-slot (exactly, or at most and as many as possible), spread
    as evenly as possible (sum of squared shifts), grid workers of the beat's own grids
    before those without a grid. ``part`` is a feasible start."""
    from ortools.sat.python import cp_model

    keys = sorted(k for k in allowed if people[k[0]].role in fits and caps.get((k[2], k[1])))
    if not keys:
        return set(), 0.0
    model = cp_model.CpModel()
    x, by_person_slot, by_person = _duty_vars(model, keys)
    at: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_pi, si, b), var in x.items():
        at[(b, si)].append(var)
    for beat_slot, vs in at.items():
        if exact:
            model.add(sum(vs) == caps[beat_slot])
        else:
            model.add(sum(vs) <= caps[beat_slot])
    load = Counter(pi for pi, _si, _b in part)
    cost, cost_max = _add_person_rules(
        model, people, by_person_slot, by_person, rest, alike, hint_load=load
    )
    floating = [
        v
        for (pi, _si, _b), v in x.items()
        if people[pi].role == GRID_WORKER and people[pi].grid_id is None
    ]
    placed = cp_model.LinearExpr.sum(list(x.values()))
    unfilled = 0 if exact else sum(caps.get(k, 0) for k in at) - placed
    model.minimize(
        (cost_max + len(floating) + 1) * unfilled + cp_model.LinearExpr.sum([*cost, *floating])
    )
    for key, var in x.items():
        model.add_hint(var, key in part)
    solver = _solver(budget, seed)
    status = solver.solve(model)
    _warn_wall(solver, budget)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.warning(
            "Fair spread of %s ended %s; the first assignment is kept.",
            "/".join(sorted(fits)),
            solver.status_name(status),
        )
        return part, solver.deterministic_time
    log.debug("Spread of %s: %s.", "/".join(sorted(fits)), solver.status_name(status))
    return {key for key, var in x.items() if solver.boolean_value(var)}, solver.deterministic_time


def _add_person_rules(
    model: Any,
    people: Sequence[Person],
    by_person_slot: Mapping[tuple[int, int], list[Any]],
    by_person: Mapping[int, list[Any]],
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
    *,
    hint_load: Mapping[int, int],
) -> tuple[list[Any], int]:
    """One beat per slot, rest after night, the symmetry order, and the weekly limit as a
    unary count ``y[p, k]`` (hinted from ``hint_load``) whose k-th shift costs 2k - 1;
    returns those cost terms and their largest possible sum. The unary count, even
    where its cost is unused, let stage A prove optimality where ``sum <= cap`` stalled."""
    for vs in by_person_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    cost: list[Any] = []
    cost_max = 0
    n_slots = Counter(pi for pi, _si in by_person_slot)
    for pi, vs in by_person.items():
        cap = min(people[pi].max_shifts_per_week, n_slots[pi])
        ys = [model.new_bool_var(f"y_{pi}_{k}") for k in range(1, cap + 1)]
        model.add(sum(vs) == sum(ys))
        for longer, shorter in itertools.pairwise(ys):
            model.add_implication(shorter, longer)
        for k, y in enumerate(ys, start=1):
            cost.append((2 * k - 1) * y)
            model.add_hint(y, k <= hint_load.get(pi, 0))
        cost_max += cap * cap
    for si, sj in rest:
        for pi in by_person:
            both = by_person_slot.get((pi, si), []) + by_person_slot.get((pi, sj), [])
            if by_person_slot.get((pi, si)) and by_person_slot.get((pi, sj)):
                model.add_at_most_one(both)
    for group in alike:
        members = [pi for pi in group if pi in by_person]
        for first, second in itertools.pairwise(members):
            model.add(sum(by_person[first]) >= sum(by_person[second]))
    return cost, cost_max
