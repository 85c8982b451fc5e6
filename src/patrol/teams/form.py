"""Who patrols when: the week's "1+1+N" teams (警网联动小队), formed with CP-SAT.

A team works one shift slot on one beat: one police member of that beat (officer or
auxiliary), one grid worker whose own grid lies in the beat (one without a grid may
serve any beat) and ``settings.min_others`` others (volunteer, cadre, elder; one with a
``beat_id`` only in that beat). The model decides who is on duty where; people are
paired into teams afterwards, because teams of one beat-slot are interchangeable
(PLANNING.md section 2: far faster than one Boolean per person and team slot).

The model itself (variables, constraints) is in :mod:`patrol.teams.model`; the greedy
start in :mod:`patrol.teams.greedy`, the gap reasons in :mod:`patrol.teams.gaps`, the
independent checker in :mod:`patrol.teams.checks`.

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
shared by the stages as :mod:`patrol.budget` says make the same input give the same teams;
a wall-clock guard only stops a slow machine (a warning says when it struck). After
solving, every needed beat-slot short of teams becomes a :class:`StaffingGap` with its
reason.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from patrol.budget import team_stage_s
from patrol.labels import Phrase
from patrol.scenario.model import Person, ShiftSlot
from patrol.settings import TeamSettings
from patrol.teams.fallback import RED_ARMBAND_RISKS, add_fallback_teams
from patrol.teams.gaps import find_gaps
from patrol.teams.greedy import fill_greedily, greedy_week
from patrol.teams.model import solve_fair_spread, solve_most_teams
from patrol.teams.rules import alike_groups, beats_served, rest_pairs, spread_duty
from patrol.teams.types import GRID_WORKER, TEAM_ROLES, Duty, Team, TeamPlan
from patrol.vocab import OTHER_ROLES, POLICE_ROLES

log = logging.getLogger("patrol")

_WEIGHT_SCALE = 1000
_FULL_TEAM_ROLES = POLICE_ROLES | OTHER_ROLES | {GRID_WORKER}


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
    risk_of_grid: Mapping[str, str] | None = None,
) -> TeamPlan:
    """Form the week's 1+1+N teams (see the module docstring for the model).

    ``need[(beat_id, slot.key)]`` caps the teams of a beat-slot and ``weight`` says how
    much they matter; keys left out default to 1 team and weight 1 (a need of 0 or a
    weight of 0 asks for no team). ``time_limit_s`` is the team share of the run's
    :class:`~patrol.budget.Budget` (alone: ``settings.time_limit_s``), spent as
    deterministic work, so results repeat. ``risk_of_grid`` (grid id -> risk) keeps
    red-armband fallback teams to beats with a green or yellow grid (without it: every
    beat). Never raises for a week short of staff: what
    cannot be formed comes back as gaps with reasons.
    """
    t0 = time.perf_counter()
    _check_unique_ids(people)
    limit = settings.time_limit_s if time_limit_s is None else time_limit_s
    min_others = max(0, settings.min_others)
    slots = list(slots)
    beats = list(dict.fromkeys(beats))
    needed, w_real = _needed_beat_slots(slots, beats, need, weight)
    w_max = max(w_real.values(), default=1.0)
    w_int = {k: max(1, round(_WEIGHT_SCALE * w / w_max)) for k, w in w_real.items()}
    served = {p.person_id: beats_served(p, beats, beat_of_grid) for p in people}
    _warn_unplaced(people, served)
    allowed = {
        (pi, si, b)
        for pi, p in enumerate(people)
        if p.max_shifts_per_week > 0 and p.role in _FULL_TEAM_ROLES
        for si, sl in enumerate(slots)
        if p.is_available(sl.weekday, sl.shift)
        for b in served[p.person_id]
        if (b, si) in needed
    }
    rest = rest_pairs(slots) if settings.rest_after_night else []
    alike = alike_groups(people, {pi for pi, _si, _b in allowed})
    start = greedy_week(people, slots, allowed, needed, w_real, min_others, rest, alike)
    status_name, bound_int, chosen = "EMPTY", 0.0, start
    if allowed:
        week = _Week(people, slots, allowed, rest, alike, min_others)
        chosen, status_name, bound_int = week.solve(needed, w_int, start, limit=limit, seed=seed)
    on_duty: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pi, si, b in sorted(chosen):
        on_duty[(b, si)].append(pi)
    teams = pair_teams(people, slots, beats, on_duty, min_others)
    extra, fallback_why = add_fallback_teams(
        people, slots, teams, needed, w_real, served,
        kinds=settings.fallback, min_others=min_others, rest_after_night=settings.rest_after_night,
        red_beats=_red_armband_beats(beats, beat_of_grid, risk_of_grid),
    )  # fmt: skip
    teams += extra
    load = {p.person_id: 0 for p in people}
    for team in teams:
        for m in team.members:
            load[m.person_id] += 1
    gaps = find_gaps(
        people, slots, beats, teams, needed, load, served, settings, fallback_why=fallback_why
    )
    slot_index = {s.key: i for i, s in enumerate(slots)}
    objective = sum(w_real[(t.beat_id, slot_index[t.slot.key])] for t in teams)
    plan = TeamPlan(
        teams=tuple(teams),
        gaps=tuple(gaps),
        spread=spread_duty(people, load),
        load=load,
        status=status_name,
        objective=objective,
        bound=max(objective, bound_int * w_max / _WEIGHT_SCALE),
        seconds=time.perf_counter() - t0,
    )
    _log_plan(plan)
    return plan


def _red_armband_beats(
    beats: Sequence[str], beat_of_grid: Mapping[str, str], risk_of_grid: Mapping[str, str] | None
) -> frozenset[str]:
    """The beats a red-armband team may work: those with a green or yellow grid."""
    if risk_of_grid is None:
        return frozenset(beats)
    return frozenset(
        beat_of_grid[g]
        for g, r in risk_of_grid.items()
        if r in RED_ARMBAND_RISKS and g in beat_of_grid
    )


def _check_unique_ids(people: Sequence[Person]) -> None:
    ids = [p.person_id for p in people]
    dupes = sorted(k for k, n in Counter(ids).items() if n > 1)
    if dupes:
        raise ValueError(
            f"person_id {dupes[0]!r} appears more than once in the roster; "
            "give every person their own id."
        )


def _needed_beat_slots(
    slots: Sequence[ShiftSlot],
    beats: Sequence[str],
    need: Mapping[tuple[str, str], int] | None,
    weight: Mapping[tuple[str, str], float] | None,
) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], float]]:
    """The beat-slots asked for (by slot index), with their team cap and weight."""
    needed: dict[tuple[str, int], int] = {}
    w_real: dict[tuple[str, int], float] = {}
    for si, s in enumerate(slots):
        for b in beats:
            n = int(need.get((b, s.key), 1)) if need is not None else 1
            w = float(weight.get((b, s.key), 1.0)) if weight is not None else 1.0
            if n > 0 and w > 0 and math.isfinite(w):
                needed[(b, si)] = n
                w_real[(b, si)] = w
    return needed, w_real


def _warn_unplaced(people: Sequence[Person], served: Mapping[str, tuple[str, ...]]) -> None:
    for p in people:
        if p.role in TEAM_ROLES and not served[p.person_id]:
            where = p.grid_id if p.role == GRID_WORKER else p.beat_id
            role = Phrase(f"role.{p.role}")
            log.warning(
                Phrase("log.unplaced", role=role, person=p.person_id, name=p.name, where=where)
            )


class _Week:
    """The CP-SAT stages A-D in order, each hinted with the one before."""

    def __init__(
        self,
        people: Sequence[Person],
        slots: Sequence[ShiftSlot],
        allowed: Duty,
        rest: Sequence[tuple[int, int]],
        alike: Sequence[Sequence[int]],
        min_others: int,
    ) -> None:
        self.people, self.slots, self.allowed = people, slots, allowed
        self.rest, self.alike, self.min_others = rest, alike, min_others

    def solve(
        self,
        needed: Mapping[tuple[str, int], int],
        w_int: Mapping[tuple[str, int], int],
        start: Duty,
        *,
        limit: float,
        seed: int,
    ) -> tuple[Duty, str, float]:
        """Stage A (most teams), then B-D (fair spread); returns (on duty, status, bound)."""
        people, slots, allowed = self.people, self.slots, self.allowed
        rest, alike, min_others = self.rest, self.alike, self.min_others
        chosen, status, bound, used = solve_most_teams(
            people, slots, allowed, needed, w_int, min_others, rest, alike, start,
            budget=team_stage_s(limit, stage=0), seed=seed,
        )  # fmt: skip
        teams_at = Counter((b, si) for pi, si, b in chosen if people[pi].role in POLICE_ROLES)
        others_cap = {k: min_others * n for k, n in teams_at.items()}
        others_start = fill_greedily(people, slots, allowed, others_cap, OTHER_ROLES, rest, alike)
        stages = (
            (POLICE_ROLES, chosen, dict(teams_at), True),
            (frozenset({GRID_WORKER}), chosen, dict(teams_at), True),
            (OTHER_ROLES, others_start, others_cap, False),
        )
        result: Duty = set()
        for stage, (fits, first, caps, exact) in enumerate(stages, start=1):
            part = {c for c in first if people[c[0]].role in fits}
            budget = team_stage_s(limit, stage=stage, spent_s=used)
            better, spent = solve_fair_spread(
                people, slots, allowed, part, caps, exact, fits, rest, alike,
                budget=budget, seed=seed,
            )  # fmt: skip
            result |= better
            used += spent
        return result, status, bound


def _log_plan(plan: TeamPlan) -> None:
    log.info(
        "Teams: %d formed, %d gaps, %d short of others; %s, objective %.2f, bound %.2f, %.2f s.",
        len(plan.teams),
        len(plan.gaps),
        len(plan.short_teams),
        plan.status,
        plan.objective,
        plan.bound,
        plan.seconds,
    )


def pair_teams(
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
