"""Who may serve where and when: the team rules shared by the model, the greedy start,
the gap reasons and the checker."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from patrol.scenario.model import Person, ShiftSlot
from patrol.teams.types import GRID_WORKER, TEAM_ROLES
from patrol.vocab import OTHER_ROLES, POLICE_ASSISTANT, POLICE_ROLES, RED_ARMBAND

_MORNING_BEFORE = dt.time(12, 0)


def beats_served(
    person: Person, beats: Sequence[str], beat_of_grid: Mapping[str, str]
) -> tuple[str, ...]:
    """The beats a person may serve in a team (empty when none)."""
    known = set(beats)
    if person.role in POLICE_ROLES or person.role == POLICE_ASSISTANT:
        return (person.beat_id,) if person.beat_id in known else ()
    if person.role == GRID_WORKER:
        if person.grid_id is None:
            return tuple(beats)
        beat = beat_of_grid.get(person.grid_id)
        return (beat,) if beat in known else ()
    if person.role in OTHER_ROLES or person.role == RED_ARMBAND:
        if person.beat_id is None:
            return tuple(beats)
        return (person.beat_id,) if person.beat_id in known else ()
    return ()


def _is_morning(slot: ShiftSlot) -> bool:
    return slot.start.time() < _MORNING_BEFORE


def rest_pairs(slots: Sequence[ShiftSlot]) -> list[tuple[int, int]]:
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


def alike_groups(people: Sequence[Person], working: set[int]) -> list[list[int]]:
    """Indices of people alike in everything the model sees, in roster order."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for pi, p in enumerate(people):
        if pi in working:
            groups[(p.role, p.beat_id, p.grid_id, p.available, p.max_shifts_per_week)].append(pi)
    return [g for g in groups.values() if len(g) > 1]


def spread_duty(people: Sequence[Person], load: Mapping[str, int]) -> dict[str, dict[str, float]]:
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


def rest_partners(rest: Sequence[tuple[int, int]]) -> dict[int, set[int]]:
    """For each slot index, the slots a person on duty there may not also work (the night
    and the next morning, both ways)."""
    partner: dict[int, set[int]] = defaultdict(set)
    for i, j in rest:
        partner[i].add(j)
        partner[j].add(i)
    return partner
