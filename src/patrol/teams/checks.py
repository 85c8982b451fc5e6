"""An independent checker of a week's teams: every broken rule, one sentence each.

Written apart from the model (:mod:`patrol.teams.model`), so it also judges a hand-edited
plan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from patrol.scenario.model import Person, ShiftSlot
from patrol.settings import TeamSettings
from patrol.teams.fallback import RED_ARMBAND_SIZE
from patrol.teams.rules import rest_pairs, spread_duty
from patrol.teams.types import FULL, GRID_WORKER, Team, TeamPlan
from patrol.vocab import OTHER_ROLES, POLICE_ASSISTANT, POLICE_ROLES, RED_ARMBAND


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

    Checks 1+1+N make-up and beats, double booking, availability, weekly limits, rest after
    night, the declared shortfall, load and spread, and (with ``need``) the team count of
    each beat-slot and the gaps.
    """
    problems: list[str] = []
    by_id = {p.person_id: p for p in people}
    slot_keys = {s.key for s in slots}
    seen_ids: Counter[str] = Counter(t.team_id for t in plan.teams)
    for team_id, n in sorted(seen_ids.items()):
        if n > 1:
            problems.append(f"team id {team_id} is used {n} times")
    for t in plan.teams:
        problems += _team_problems(t, by_id, slot_keys, beat_of_grid, settings)
    problems += _week_problems(plan, people, slots, settings)
    problems += _count_problems(plan, need)
    return problems


def _team_problems(
    t: Team,
    by_id: Mapping[str, Person],
    slot_keys: set[str],
    beat_of_grid: Mapping[str, str],
    settings: TeamSettings,
) -> list[str]:
    """The rules one team breaks on its own: make-up, beats, shortfall, availability."""
    problems: list[str] = []
    tid = t.team_id
    if t.slot.key not in slot_keys:
        problems.append(f"{tid}: slot {t.slot.key} is not in the week")
    problems += _makeup_problems(t, beat_of_grid, settings)
    if t.min_others != settings.min_others:
        problems.append(
            f"{tid}: min_others {t.min_others} differs from the settings' {settings.min_others}"
        )
    counted = [o for o in t.others if o.role in OTHER_ROLES]
    missing = 0 if t.kind == RED_ARMBAND else max(0, settings.min_others - len(counted))
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
    return problems


def _makeup_problems(t: Team, beat_of_grid: Mapping[str, str], settings: TeamSettings) -> list[str]:
    """Who the team is made of, by its kind: roles, beats, a fallback kind allowed."""
    problems: list[str] = []
    tid = t.team_id
    if t.kind != FULL and t.kind not in settings.fallback:
        problems.append(f"{tid}: a {t.kind} team, which the settings' fallback does not allow")
    if t.police is not None:
        if t.police.role not in POLICE_ROLES:
            problems.append(f"{tid}: police member {t.police.person_id} is a {t.police.role}")
        elif t.police.beat_id != t.beat_id:
            problems.append(
                f"{tid}: police member {t.police.person_id} belongs to beat "
                f"{t.police.beat_id}, not {t.beat_id}"
            )
    gw = t.grid_worker
    if gw is not None and gw.role != GRID_WORKER:
        problems.append(f"{tid}: grid worker {gw.person_id} is a {gw.role}")
    elif gw is not None and gw.grid_id is not None and beat_of_grid.get(gw.grid_id) != t.beat_id:
        problems.append(
            f"{tid}: grid worker {gw.person_id}'s grid {gw.grid_id} is not in beat {t.beat_id}"
        )
    if t.kind == RED_ARMBAND:
        fits = frozenset({RED_ARMBAND})
        if len(t.others) < RED_ARMBAND_SIZE:
            problems.append(f"{tid}: a red-armband team of {len(t.others)}, under two")
    elif t.kind == "police_assistant":
        fits = OTHER_ROLES | {POLICE_ASSISTANT}
        lead = [o for o in t.others if o.role == POLICE_ASSISTANT]
        if len(lead) != 1 or lead[0].beat_id != t.beat_id:
            problems.append(f"{tid}: needs one police assistant of beat {t.beat_id}")
        if len(t.members) < 2:
            problems.append(f"{tid}: a police assistant alone is not a team")
    else:
        fits = OTHER_ROLES
        if t.kind == "police_volunteers" and not t.others:
            problems.append(f"{tid}: a police member alone is not a team")
    for o in t.others:
        if o.role not in fits:
            problems.append(f"{tid}: {o.person_id} is a {o.role}, not one of {sorted(fits)}")
        elif o.beat_id is not None and o.beat_id != t.beat_id:
            problems.append(f"{tid}: {o.person_id} belongs to beat {o.beat_id}, not {t.beat_id}")
    return problems


def _week_problems(
    plan: TeamPlan, people: Sequence[Person], slots: Sequence[ShiftSlot], settings: TeamSettings
) -> list[str]:
    """The rules the week breaks per person: double booking, limits, rest, load, spread."""
    problems: list[str] = []
    by_id = {p.person_id: p for p in people}
    booked: Counter[tuple[str, str]] = Counter()
    load: Counter[str] = Counter()
    worked: dict[str, set[str]] = defaultdict(set)
    for t in plan.teams:
        for m in t.members:
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
        for i, j in rest_pairs(slots):
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
    if plan.spread != spread_duty(people, {p.person_id: load[p.person_id] for p in people}):
        problems.append("the duty spread does not match the teams")
    return problems


def _count_problems(plan: TeamPlan, need: Mapping[tuple[str, str], int] | None) -> list[str]:
    """Teams per beat-slot against ``need``, and the gaps against the teams formed."""
    problems: list[str] = []
    count: Counter[tuple[str, str]] = Counter((t.beat_id, t.slot.key) for t in plan.teams)
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
