"""Who patrols when: the week's "1+1+N" teams (警网联动小队), formed with CP-SAT.

A team works one shift slot on one beat: one police member of that beat (officer or
auxiliary), one grid worker whose own grid lies in the beat (one without a grid may
serve any beat) and ``settings.min_others`` others (volunteer, cadre, elder; one with a
``beat_id`` only in that beat). The model decides who is on duty where; people are
paired into teams afterwards, because teams of one beat-slot are interchangeable
(PLANNING.md section 2: far faster than one Boolean per person and team slot).

Model
-----
Variables exist only where the person is available and the beat-slot is needed
(``need > 0`` and ``weight > 0``): ``x[p, s, b]`` = 1 when person ``p`` is on duty in
slot ``s`` on beat ``b``; ``t[b, s]`` in ``0..need[b, s]`` teams; ``y[p, k]`` = 1 when
``p`` works at least ``k`` shifts (a unary load count, ``y[p, k] >= y[p, k + 1]``).

Constraints (every stage):

- police of ``b`` on duty in ``s`` = ``t[b, s]`` = grid workers on duty on ``b`` in ``s``
  (the 1+1 part is never broken); others on ``b`` in ``s`` <= ``min_others * t[b, s]``;
- a person works at most one beat per slot and ``sum_k y[p, k]`` = shifts <=
  ``max_shifts_per_week``;
- rest after night (``settings.rest_after_night``): no shift starting before 12:00 on the
  day straight after a night slot;
- symmetry: of people alike in role, beat, grid, availability and limit, the earlier in
  the roster works at least as many shifts.

Objective, lexicographic, solved in stages (one weighted objective with big multipliers
was measured far worse: 352 teams against 371 proven optimal on 300 people):

A. police and grid workers only: maximise ``sum weight[b, s] * t[b, s]`` (weights scaled
   to integers 1..1000), ties going to beat-slots where an other is free;
B. police, with ``t`` held: minimise ``sum_p shifts_p**2`` (``sum_k (2k - 1) y[p, k]``,
   convex, so duty evens out within a role: two alike auxiliaries share six shifts 3/3);
C. grid workers, ``t`` held: the same, plus one per shift of a grid worker without a grid
   (a tie-breaker: a grid's own worker is preferred, but not at the cost of evenness);
D. others: at most ``min_others * t[b, s]`` each beat-slot; maximise the places filled,
   then the same evenness.

Every stage starts from a complete feasible hint (a greedy week, then the previous
stage), so a solution always comes back; if stage A finds none the greedy week is used
(status ``GREEDY``). One worker, a fixed seed and a deterministic work limit
(``max_deterministic_time``, 40% to stage A, the rest shared by B-D) make the same input
give the same teams; a wall-clock limit of four times each stage's budget only guards against a
slow machine (a warning says when it struck). After solving, every needed beat-slot short
of teams becomes a :class:`StaffingGap` whose reason names the missing police or grid
worker and why (none in the roster, none available, at the weekly limit, resting after a
night shift, on duty elsewhere).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from patrol.labels import label, shift_label
from patrol.scenario.model import Person, ShiftSlot
from patrol.settings import TeamSettings
from patrol.vocab import DAY_CODES, OTHER_ROLES, POLICE_ROLES

log = logging.getLogger("patrol")

GRID_WORKER = "grid_worker"
TEAM_ROLES: tuple[str, ...] = ("officer", "auxiliary", GRID_WORKER, "volunteer", "cadre", "elder")
_WEIGHT_SCALE = 1000
_MORNING_BEFORE = dt.time(12, 0)


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


# --- eligibility ----------------------------------------------------------------------


def _beats_served(
    person: Person, beats: Sequence[str], beat_of_grid: Mapping[str, str]
) -> tuple[str, ...]:
    """The beats a person may serve in a team (empty when none)."""
    known = set(beats)
    if person.role in POLICE_ROLES:
        return (person.beat_id,) if person.beat_id in known else ()
    if person.role == GRID_WORKER:
        if person.grid_id is None:
            return tuple(beats)
        beat = beat_of_grid.get(person.grid_id)
        return (beat,) if beat in known else ()
    if person.role in OTHER_ROLES:
        if person.beat_id is None:
            return tuple(beats)
        return (person.beat_id,) if person.beat_id in known else ()
    return ()


def _is_morning(slot: ShiftSlot) -> bool:
    return slot.start.time() < _MORNING_BEFORE


def _rest_pairs(slots: Sequence[ShiftSlot]) -> list[tuple[int, int]]:
    """(night slot, morning slot of the next day) index pairs."""
    by_date: dict[dt.date, list[int]] = defaultdict(list)
    for i, s in enumerate(slots):
        by_date[s.date].append(i)
    pairs = []
    for i, s in enumerate(slots):
        if not s.night:
            continue
        for j in by_date.get(s.date + dt.timedelta(days=1), []):
            if _is_morning(slots[j]):
                pairs.append((i, j))
    return pairs


def _slot_words(slot: ShiftSlot) -> tuple[str, str]:
    en = f"{DAY_CODES[slot.weekday]} {slot.shift}"
    zh = f"{label(f'day.{slot.weekday}', 'zh')}{shift_label(slot.shift, 'zh')}"
    return en, zh


# --- the solver -------------------------------------------------------------------------


def form_teams(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    *,
    beat_of_grid: Mapping[str, str],
    beats: Sequence[str],
    settings: TeamSettings,
    need: Mapping[tuple[str, str], int] | None = None,
    weight: Mapping[tuple[str, str], float] | None = None,
    time_limit_s: float | None = None,
    seed: int = 0,
) -> TeamPlan:
    """Form the week's 1+1+N teams (see the module docstring for the model).

    ``need[(beat_id, slot.key)]`` caps the teams of a beat-slot and ``weight`` says how
    much they matter; keys left out default to 1 team and weight 1 (a need of 0 or a
    weight of 0 asks for no team). ``time_limit_s`` defaults to ``settings.time_limit_s``
    and is spent as deterministic work, so results repeat. Never raises for a week short
    of staff: what cannot be formed comes back as gaps with reasons.
    """
    t0 = time.perf_counter()
    ids = [p.person_id for p in people]
    dupes = sorted(k for k, n in Counter(ids).items() if n > 1)
    if dupes:
        raise ValueError(
            f"person_id {dupes[0]!r} appears more than once in the roster; "
            "give every person their own id."
        )
    limit = settings.time_limit_s if time_limit_s is None else time_limit_s
    min_others = max(0, settings.min_others)
    slots = list(slots)
    beats = list(dict.fromkeys(beats))

    needed: dict[tuple[str, int], int] = {}
    w_real: dict[tuple[str, int], float] = {}
    for si, s in enumerate(slots):
        for b in beats:
            n = int(need.get((b, s.key), 1)) if need is not None else 1
            w = float(weight.get((b, s.key), 1.0)) if weight is not None else 1.0
            if n > 0 and w > 0 and math.isfinite(w):
                needed[(b, si)] = n
                w_real[(b, si)] = w
    w_max = max(w_real.values(), default=1.0)
    w_int = {k: max(1, round(_WEIGHT_SCALE * w / w_max)) for k, w in w_real.items()}

    served = {p.person_id: _beats_served(p, beats, beat_of_grid) for p in people}
    for p in people:
        if p.role in TEAM_ROLES and not served[p.person_id]:
            where = p.grid_id if p.role == GRID_WORKER else p.beat_id
            log.warning(
                "%s %s (%s) serves no planned beat (%s); left out of the teams.",
                p.role,
                p.person_id,
                p.name,
                where,
            )

    allowed = {
        (pi, si, b)
        for pi, p in enumerate(people)
        if p.max_shifts_per_week > 0
        for si, sl in enumerate(slots)
        if p.is_available(sl.weekday, sl.shift)
        for b in served[p.person_id]
        if (b, si) in needed
    }
    rest = _rest_pairs(slots) if settings.rest_after_night else []
    alike = _alike_groups(people, {pi for pi, _si, _b in allowed})
    start = _greedy(people, slots, allowed, needed, w_real, min_others, rest, alike)
    status_name = "EMPTY"
    bound_int = 0.0
    chosen = start
    if allowed:
        chosen, status_name, bound_int, used = _stage_teams(
            people,
            slots,
            allowed,
            needed,
            w_int,
            min_others,
            rest,
            alike,
            start,
            0.4 * limit,
            limit,
            seed,
        )
        teams_at = Counter((b, si) for pi, si, b in chosen if people[pi].role in POLICE_ROLES)
        others_cap = {k: min_others * n for k, n in teams_at.items()}
        others_start = _greedy_fill(people, slots, allowed, others_cap, OTHER_ROLES, rest, alike)
        stages = (
            (POLICE_ROLES, chosen, dict(teams_at), True, 4),
            (frozenset({GRID_WORKER}), chosen, dict(teams_at), True, 3),
            (OTHER_ROLES, others_start, others_cap, False, 1),
        )
        result: set[tuple[int, int, str]] = set()
        for fits, first, caps, exact, share in stages:
            part = {c for c in first if people[c[0]].role in fits}
            budget = max(0.05, (limit - used) / share)
            better, spent = _stage_fair(
                people, slots, allowed, part, caps, exact, fits, rest, alike, budget, limit, seed
            )
            result |= better
            used += spent
        chosen = result
    on_duty: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pi, si, b in sorted(chosen):
        on_duty[(b, si)].append(pi)

    teams = _pair(people, slots, beats, on_duty, min_others)
    load = {p.person_id: 0 for p in people}
    for team in teams:
        for m in team.members:
            load[m.person_id] += 1
    gaps = _gaps(people, slots, beats, teams, needed, load, served, settings)
    slot_index = {s.key: i for i, s in enumerate(slots)}
    objective = sum(w_real[(t.beat_id, slot_index[t.slot.key])] for t in teams)
    bound = max(objective, bound_int * w_max / _WEIGHT_SCALE)
    seconds = time.perf_counter() - t0
    log.info(
        "Teams: %d formed, %d gaps, %d short of others; %s, objective %.2f, bound %.2f, %.2f s.",
        len(teams),
        len(gaps),
        sum(t.shortfall > 0 for t in teams),
        status_name,
        objective,
        bound,
        seconds,
    )
    return TeamPlan(
        teams=tuple(teams),
        gaps=tuple(gaps),
        spread=_spread(people, load),
        load=load,
        status=status_name,
        objective=objective,
        bound=bound,
        seconds=seconds,
    )


def _solver(budget: float, limit: float, seed: int) -> Any:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(0.05, budget)
    solver.parameters.max_time_in_seconds = max(2.0, 4.0 * budget)
    return solver


def _warn_wall(solver: Any, budget: float) -> None:
    if solver.wall_time >= max(2.0, 4.0 * budget) * 0.99:
        log.warning(
            "Team model stopped on the wall-clock limit (%.1f s); results may "
            "differ between runs on a slow machine.",
            solver.wall_time,
        )


def _stage_teams(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: set[tuple[int, int, str]],
    needed: Mapping[tuple[str, int], int],
    w_int: Mapping[tuple[str, int], int],
    min_others: int,
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
    start: set[tuple[int, int, str]],
    budget: float,
    limit: float,
    seed: int,
) -> tuple[set[tuple[int, int, str]], str, float, float]:
    """Stage A: most weighted teams (police and grid workers only; a beat-slot where others
    are free wins ties); returns (on duty, status, bound on the integer weighted teams,
    work spent)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    keys = sorted(k for k in allowed if people[k[0]].role not in OTHER_ROLES)
    x = {key: model.new_bool_var(f"x_{key[0]}_{key[1]}_{key[2]}") for key in keys}
    free_others = Counter((b, si) for pi, si, b in allowed if people[pi].role in OTHER_ROLES)
    by_group: dict[tuple[str, str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (pi, si, b), var in x.items():
        role = people[pi].role
        group = "police" if role in POLICE_ROLES else "grid" if role == GRID_WORKER else "other"
        by_group[(group, b, si)].append(var)
        by_person_slot[(pi, si)].append(var)
        by_person[pi].append(var)
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
    solver = _solver(budget, limit, seed)
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


def _stage_fair(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: set[tuple[int, int, str]],
    part: set[tuple[int, int, str]],
    caps: Mapping[tuple[str, int], int],
    exact: bool,
    fits: frozenset[str],
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
    budget: float,
    limit: float,
    seed: int,
) -> tuple[set[tuple[int, int, str]], float]:
    """Stages B-D, one group at a time (police, grid workers, others): ``caps[(b, si)]``
    of the group on each beat-slot (exactly, or at most and as many as possible), spread
    as evenly as possible (sum of squared shifts), grid workers of the beat's own grids
    before those without a grid. ``part`` is a feasible start."""
    from ortools.sat.python import cp_model

    keys = sorted(k for k in allowed if people[k[0]].role in fits and caps.get((k[2], k[1])))
    if not keys:
        return set(), 0.0
    model = cp_model.CpModel()
    x = {key: model.new_bool_var(f"x_{key[0]}_{key[1]}_{key[2]}") for key in keys}
    at: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (pi, si, b), var in x.items():
        at[(b, si)].append(var)
        by_person_slot[(pi, si)].append(var)
        by_person[pi].append(var)
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
    solver = _solver(budget, limit, seed)
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


def _alike_groups(people: Sequence[Person], working: set[int]) -> list[list[int]]:
    """Indices of people alike in everything the model sees, in roster order."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for pi, p in enumerate(people):
        if pi in working:
            groups[(p.role, p.beat_id, p.grid_id, p.available, p.max_shifts_per_week)].append(pi)
    return [g for g in groups.values() if len(g) > 1]


def _greedy(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: set[tuple[int, int, str]],
    needed: Mapping[tuple[str, int], int],
    weight: Mapping[tuple[str, int], float],
    min_others: int,
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
) -> set[tuple[int, int, str]]:
    """A feasible week built team by team, heaviest beat-slots first, least-loaded people
    first; then alike people swap whole weeks so the symmetry order holds."""
    options: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pi, si, b in sorted(allowed):
        options[(b, si)].append(pi)
    partner: dict[int, set[int]] = defaultdict(set)
    for i, j in rest:
        partner[i].add(j)
        partner[j].add(i)
    busy: set[tuple[int, int]] = set()
    load: Counter[int] = Counter()
    chosen: set[tuple[int, int, str]] = set()

    def pick(b: str, si: int, fits: frozenset[str] | set[str]) -> int | None:
        free = [
            pi
            for pi in options[(b, si)]
            if people[pi].role in fits
            and (pi, si) not in busy
            and load[pi] < people[pi].max_shifts_per_week
            and not any((pi, sj) in busy for sj in partner[si])
        ]
        if not free:
            return None
        return min(
            free,
            key=lambda pi: (
                people[pi].grid_id is None and people[pi].beat_id is None,
                load[pi],
                pi,
            ),
        )

    def take(pi: int, si: int, b: str) -> None:
        busy.add((pi, si))
        load[pi] += 1
        chosen.add((pi, si, b))

    order = sorted(needed, key=lambda k: (-weight[k], slots[k[1]].start, k[0]))
    for round_ in range(max(needed.values(), default=0)):
        for b, si in order:
            if needed[(b, si)] <= round_:
                continue
            cop = pick(b, si, POLICE_ROLES)
            gw = pick(b, si, {GRID_WORKER})
            if cop is None or gw is None:
                continue
            take(cop, si, b)
            take(gw, si, b)
            for _ in range(min_others):
                other = pick(b, si, OTHER_ROLES)
                if other is not None:
                    take(other, si, b)
    return _symmetrize(chosen, alike)


def _greedy_fill(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    allowed: set[tuple[int, int, str]],
    caps: Mapping[tuple[str, int], int],
    fits: frozenset[str],
    rest: Sequence[tuple[int, int]],
    alike: Sequence[Sequence[int]],
) -> set[tuple[int, int, str]]:
    """Fill up to ``caps`` places per beat-slot with people of ``fits``, least loaded first
    (a feasible start for the others' stage)."""
    options: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pi, si, b in sorted(allowed):
        if people[pi].role in fits:
            options[(b, si)].append(pi)
    partner: dict[int, set[int]] = defaultdict(set)
    for i, j in rest:
        partner[i].add(j)
        partner[j].add(i)
    busy: set[tuple[int, int]] = set()
    load: Counter[int] = Counter()
    chosen: set[tuple[int, int, str]] = set()
    order = sorted(caps, key=lambda k: (slots[k[1]].start, k[0]))
    for round_ in range(max(caps.values(), default=0)):
        for b, si in order:
            if caps[(b, si)] <= round_:
                continue
            free = [
                pi
                for pi in options[(b, si)]
                if (pi, si) not in busy
                and load[pi] < people[pi].max_shifts_per_week
                and not any((pi, sj) in busy for sj in partner[si])
            ]
            if free:
                pi = min(free, key=lambda p: (people[p].beat_id is None, load[p], p))
                busy.add((pi, si))
                load[pi] += 1
                chosen.add((pi, si, b))
    return _symmetrize(chosen, alike)


def _symmetrize(
    chosen: set[tuple[int, int, str]], alike: Sequence[Sequence[int]]
) -> set[tuple[int, int, str]]:
    """Alike people swap whole weeks so that earlier ones work at least as many shifts."""
    chosen = set(chosen)
    for group in alike:
        weeks = sorted(
            ([(si, b) for pi, si, b in sorted(chosen) if pi == g] for g in group),
            key=len,
            reverse=True,
        )
        chosen -= {c for c in chosen if c[0] in group}
        chosen |= {(pi, si, b) for pi, week in zip(group, weeks, strict=True) for si, b in week}
    return chosen


def _pair(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    beats: Sequence[str],
    on_duty: Mapping[tuple[str, int], list[int]],
    min_others: int,
) -> list[Team]:
    """Pair the people on duty into teams; a police member keeps earlier partners."""
    partners: Counter[tuple[str, str]] = Counter()
    teams: list[Team] = []
    order = sorted(range(len(slots)), key=lambda i: (slots[i].start, slots[i].shift))
    for si in order:
        slot = slots[si]
        for b in beats:
            crew = sorted(
                (people[pi] for pi in on_duty.get((b, si), [])), key=lambda p: p.person_id
            )
            police = [p for p in crew if p.role in POLICE_ROLES]
            grid = [p for p in crew if p.role == GRID_WORKER]
            others = [p for p in crew if p.role in OTHER_ROLES]
            rest = list(grid)
            pairs = []
            for cop in police:
                best = max(
                    rest,
                    key=lambda g: (
                        partners[(cop.person_id, g.person_id)],
                        g.grid_id is not None,
                        -rest.index(g),
                    ),
                )
                rest.remove(best)
                partners[(cop.person_id, best.person_id)] += 1
                pairs.append((cop, best))
            for i, (cop, gw) in enumerate(pairs):
                own = tuple(others[i :: len(pairs)][:min_others])
                teams.append(Team(f"{slot.key}_{b}_{i + 1}", slot, b, cop, gw, own, min_others))
    return teams


# --- reports ----------------------------------------------------------------------------


_GROUP_WORDS = {
    "police": ("police of beat {b}", "警格{b}民警/辅警"),
    "grid": ("grid worker for beat {b}", "警格{b}网格员"),
}


def _group_reason(
    group: str,
    b: str,
    si: int,
    slots: Sequence[ShiftSlot],
    eligible: list[Person],
    needed: int,
    formed: int,
    load: Mapping[str, int],
    busy: Mapping[tuple[str, int], str],
    rest_pairs: Sequence[tuple[int, int]],
    settings: TeamSettings,
) -> tuple[str, str] | None:
    """Why ``group`` (police or grid workers) limits beat ``b`` in slot ``si``; None if not."""
    slot = slots[si]
    when_en, when_zh = _slot_words(slot)
    who_en, who_zh = (w.format(b=b) for w in _GROUP_WORDS[group])
    if not eligible:
        return (f"no {who_en} in the roster", f"名册中无{who_zh}")
    avail = [p for p in eligible if p.is_available(slot.weekday, slot.shift)]
    if not avail:
        return (f"no {who_en} available on {when_en}", f"{when_zh}无可用{who_zh}")
    blocked: Counter[str] = Counter()
    free = 0
    for p in avail:
        where = busy.get((p.person_id, si))
        if where == b:
            continue
        if where is not None:
            blocked["elsewhere"] += 1
        elif load.get(p.person_id, 0) >= p.max_shifts_per_week:
            blocked["limit"] += 1
        elif settings.rest_after_night and any(
            (i == si and (p.person_id, j) in busy) or (j == si and (p.person_id, i) in busy)
            for i, j in rest_pairs
        ):
            blocked["rest"] += 1
        else:
            free += 1
    if free:
        return None
    words = {
        "limit": ("at their weekly limit", "已达每周班次上限"),
        "rest": ("resting after a night shift", "夜班后须休息"),
        "elsewhere": ("on duty on another beat", "已在其他警格值班"),
    }
    if len(avail) < needed and not blocked:
        return (
            f"only {len(avail)} {who_en} available on {when_en} for {needed} teams",
            f"{when_zh}仅{len(avail)}名{who_zh}可用，需{needed}队",
        )
    if len(blocked) == 1 and formed == 0:
        key = next(iter(blocked))
        return (
            f"{who_en} available on {when_en} but all {words[key][0]}",
            f"{when_zh}{who_zh}可用但均{words[key][1]}",
        )
    parts_en = ", ".join(f"{n} {words[k][0]}" for k, n in sorted(blocked.items()))
    parts_zh = "，".join(f"{n}名{words[k][1]}" for k, n in sorted(blocked.items()))
    return (
        f"{len(avail)} {who_en} available on {when_en}, {formed} on duty here, {parts_en}",
        f"{when_zh}{who_zh}可用{len(avail)}名，本警格值班{formed}名，{parts_zh}",
    )


def _gaps(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    beats: Sequence[str],
    teams: Sequence[Team],
    needed: Mapping[tuple[str, int], int],
    load: Mapping[str, int],
    served: Mapping[str, tuple[str, ...]],
    settings: TeamSettings,
) -> list[StaffingGap]:
    """A gap for every needed beat-slot short of teams, with the reason in en and zh."""
    index = {s.key: i for i, s in enumerate(slots)}
    busy = {(m.person_id, index[t.slot.key]): t.beat_id for t in teams for m in t.members}
    formed = Counter((t.beat_id, index[t.slot.key]) for t in teams)
    rest_pairs = _rest_pairs(slots)
    police_of = {
        b: [p for p in people if p.role in POLICE_ROLES and b in served[p.person_id]] for b in beats
    }
    grid_of = {
        b: [p for p in people if p.role == GRID_WORKER and b in served[p.person_id]] for b in beats
    }
    gaps = []
    for si in sorted(range(len(slots)), key=lambda i: (slots[i].start, slots[i].shift)):
        for b in beats:
            n = needed.get((b, si), 0)
            got = formed[(b, si)]
            if n == 0 or got >= n:
                continue
            found = (
                _group_reason(
                    "police", b, si, slots, police_of[b], n, got, load, busy, rest_pairs, settings
                ),
                _group_reason(
                    "grid", b, si, slots, grid_of[b], n, got, load, busy, rest_pairs, settings
                ),
            )
            reasons = [r for r in found if r is not None]
            if not reasons:
                when_en, when_zh = _slot_words(slots[si])
                reasons = [
                    (
                        f"not staffed within the solver's work limit on {when_en}",
                        f"{when_zh}求解时限内未排出",
                    )
                ]
            gaps.append(
                StaffingGap(
                    slots[si],
                    b,
                    n,
                    got,
                    "; ".join(r[0] for r in reasons),
                    "；".join(r[1] for r in reasons),
                )
            )
    return gaps


def _spread(people: Sequence[Person], load: Mapping[str, int]) -> dict[str, dict[str, float]]:
    """Per role: min, max and mean shifts per person over the roster."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for p in people:
        if p.role in TEAM_ROLES:
            by_role[p.role].append(load.get(p.person_id, 0))
    return {
        role: {"min": float(min(v)), "max": float(max(v)), "mean": round(sum(v) / len(v), 3)}
        for role in TEAM_ROLES
        if (v := by_role.get(role))
    }


# --- independent checker ----------------------------------------------------------------


def check_teams(
    plan: TeamPlan,
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    *,
    beat_of_grid: Mapping[str, str],
    settings: TeamSettings,
    need: Mapping[tuple[str, str], int] | None = None,
) -> list[str]:
    """Every broken team rule in ``plan``, one sentence each (empty when the plan is sound).

    Written apart from the model, so it also judges a hand-edited plan: 1+1+N make-up and
    beats, double booking, availability, weekly limits, rest after night, the declared
    shortfall, load and spread, and (with ``need``) the team count of each beat-slot and
    the gaps.
    """
    problems: list[str] = []
    by_id = {p.person_id: p for p in people}
    slot_keys = {s.key for s in slots}
    seen_ids: Counter[str] = Counter(t.team_id for t in plan.teams)
    for team_id, n in sorted(seen_ids.items()):
        if n > 1:
            problems.append(f"team id {team_id} is used {n} times")
    booked: Counter[tuple[str, str]] = Counter()
    load: Counter[str] = Counter()
    worked: dict[str, set[str]] = defaultdict(set)
    count: Counter[tuple[str, str]] = Counter()
    for t in plan.teams:
        tid = t.team_id
        if t.slot.key not in slot_keys:
            problems.append(f"{tid}: slot {t.slot.key} is not in the week")
        count[(t.beat_id, t.slot.key)] += 1
        if t.police.role not in POLICE_ROLES:
            problems.append(f"{tid}: police member {t.police.person_id} is a {t.police.role}")
        elif t.police.beat_id != t.beat_id:
            problems.append(
                f"{tid}: police member {t.police.person_id} belongs to beat "
                f"{t.police.beat_id}, not {t.beat_id}"
            )
        gw = t.grid_worker
        if gw.role != GRID_WORKER:
            problems.append(f"{tid}: grid worker {gw.person_id} is a {gw.role}")
        elif gw.grid_id is not None and beat_of_grid.get(gw.grid_id) != t.beat_id:
            problems.append(
                f"{tid}: grid worker {gw.person_id}'s grid {gw.grid_id} is not in beat {t.beat_id}"
            )
        for o in t.others:
            if o.role not in OTHER_ROLES:
                problems.append(
                    f"{tid}: {o.person_id} is a {o.role}, not a volunteer, cadre or elder"
                )
            elif o.beat_id is not None and o.beat_id != t.beat_id:
                problems.append(
                    f"{tid}: {o.person_id} belongs to beat {o.beat_id}, not {t.beat_id}"
                )
        if t.min_others != settings.min_others:
            problems.append(
                f"{tid}: min_others {t.min_others} differs from the settings' {settings.min_others}"
            )
        missing = max(0, settings.min_others - len(t.others))
        if t.shortfall != missing:
            problems.append(f"{tid}: reports shortfall {t.shortfall}, has {missing}")
        ids = [m.person_id for m in t.members]
        if len(set(ids)) != len(ids):
            problems.append(f"{tid}: a person appears twice in the team")
        for m in t.members:
            if by_id.get(m.person_id) != m:
                problems.append(f"{tid}: {m.person_id} is not in the roster as given")
            if not m.is_available(t.slot.weekday, t.slot.shift):
                problems.append(f"{tid}: {m.person_id} is not available on {t.slot.key}")
            booked[(m.person_id, t.slot.key)] += 1
            load[m.person_id] += 1
            worked[m.person_id].add(t.slot.key)
    for (pid, key), n in sorted(booked.items()):
        if n > 1:
            problems.append(f"{pid} is in {n} teams on {key}")
    for pid, n in sorted(load.items()):
        p = by_id.get(pid)
        if p is not None and n > p.max_shifts_per_week:
            problems.append(
                f"{pid} works {n} shifts, over the weekly limit of {p.max_shifts_per_week}"
            )
    if settings.rest_after_night:
        for i, j in _rest_pairs(slots):
            night, morning = slots[i].key, slots[j].key
            for pid in sorted(worked):
                if night in worked[pid] and morning in worked[pid]:
                    problems.append(f"{pid} works {morning} straight after the night shift {night}")
    for p in people:
        if plan.load.get(p.person_id, 0) != load[p.person_id]:
            problems.append(
                f"load of {p.person_id} says {plan.load.get(p.person_id, 0)}, "
                f"teams give {load[p.person_id]}"
            )
    if plan.spread != _spread(people, {p.person_id: load[p.person_id] for p in people}):
        problems.append("the duty spread does not match the teams")
    if need is not None:
        for (b, key), n in sorted(count.items()):
            if n > need.get((b, key), 1):
                problems.append(
                    f"beat {b} has {n} teams on {key}, more than the {need.get((b, key), 1)} needed"
                )
    for g in plan.gaps:
        got = count[(g.beat_id, g.slot.key)]
        if g.formed != got or g.formed >= g.needed:
            problems.append(
                f"gap {g.beat_id} {g.slot.key}: says {g.formed} of {g.needed} "
                f"formed, teams give {got}"
            )
        if not (g.reason_en and g.reason_zh):
            problems.append(f"gap {g.beat_id} {g.slot.key} has no reason")
    return problems
