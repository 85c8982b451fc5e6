"""The teams after the cut: kept together unless a member is gone.

A team of the saved plan whose members are all still on the roster and available in its
shift is kept as it was. A team that lost a member gets someone in their place: the
same kind of member (police for police, a grid worker of the beat for a grid worker,
anyone of the N for an other), free in that shift, on the beat, under their weekly limit
and not breaking the rest after a night shift; the least loaded first. A team that loses
an other without a stand-in goes on shorter; one that loses its police member or grid
worker without a stand-in is cancelled, and its beat-shift becomes a staffing gap.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from patrol.revise.labels import both
from patrol.scenario.model import Person, ShiftSlot
from patrol.teams.rules import beats_served, rest_pairs
from patrol.teams.types import GRID_WORKER, StaffingGap, Team, team_from_members
from patrol.vocab import OTHER_ROLES, POLICE_ROLES


@dataclass
class KeptTeams:
    """The teams after the cut, and for each changed team why (Chinese, English)."""

    teams: list[Team]
    why: dict[str, tuple[str, str]] = field(default_factory=dict)
    gaps: list[StaffingGap] = field(default_factory=list)


def _kind(person: Person) -> str:
    if person.role in POLICE_ROLES:
        return "police"
    return "grid" if person.role == GRID_WORKER else "other"


class _Duty:
    """Who is on duty in which slot, and how many shifts each person works."""

    def __init__(self, slots: Sequence[ShiftSlot], before: Sequence[Team]) -> None:
        self.on: dict[str, set[str]] = defaultdict(set)  # slot key -> people
        self.load: dict[str, int] = defaultdict(int)
        self.rest: dict[str, set[str]] = defaultdict(set)  # slot key -> keys it rests with
        ordered = list(slots)
        for i, j in rest_pairs(ordered):
            self.rest[ordered[i].key].add(ordered[j].key)
            self.rest[ordered[j].key].add(ordered[i].key)
        for team in before:
            self.add(team)

    def add(self, team: Team) -> None:
        for p in team.members:
            self.on[team.slot.key].add(p.person_id)
            self.load[p.person_id] += 1

    def free(self, person: Person, slot: ShiftSlot) -> bool:
        """On the roster's availability, off duty in the slot and its rest partners,
        under the weekly limit."""
        pid = person.person_id
        return (
            person.is_available(slot.weekday, slot.shift)
            and pid not in self.on[slot.key]
            and not any(pid in self.on[k] for k in self.rest[slot.key])
            and self.load[pid] < person.max_shifts_per_week
        )


def keep_teams(
    after: Sequence[Team],
    people: Sequence[Person],
    *,
    slots: Sequence[ShiftSlot],
    before: Sequence[Team],
    beat_of_grid: Mapping[str, str],
) -> KeptTeams:
    """The saved teams of the shifts after the cut, kept, mended or cancelled (see the
    module docstring); ``before`` are the kept teams of the shifts before the cut."""
    now = {p.person_id: p for p in people}
    beats = sorted(set(beat_of_grid.values()))
    duty = _Duty(slots, before)
    result = KeptTeams([])
    broken: list[Team] = []
    for team in sorted(after, key=lambda t: (t.slot.start, t.team_id)):
        members = [now.get(p.person_id) for p in team.members]
        if all(
            m is not None and m.is_available(team.slot.weekday, team.slot.shift) for m in members
        ):
            kept = team_from_members(
                team.team_id, team.slot, team.beat_id, [m for m in members if m is not None],
                min_others=team.min_others,
            )  # fmt: skip
            result.teams.append(kept)
            duty.add(kept)
        else:
            broken.append(team)
    for team in broken:
        _mend(team, now, duty, result, beats=beats, beat_of_grid=beat_of_grid, people=people)
    result.teams.sort(key=lambda t: (t.slot.start, t.team_id))
    return result


def _mend(
    team: Team,
    now: Mapping[str, Person],
    duty: _Duty,
    result: KeptTeams,
    *,
    beats: Sequence[str],
    beat_of_grid: Mapping[str, str],
    people: Sequence[Person],
) -> None:
    """Put a stand-in in the place of each gone member of ``team``, or cancel it."""
    slot = team.slot
    staying: list[Person] = []
    notes_zh: list[str] = []
    notes_en: list[str] = []
    for old in team.members:
        person = now.get(old.person_id)
        if person is not None and person.is_available(slot.weekday, slot.shift):
            staying.append(person)
            continue
        stand_in = _stand_in(old, team, duty, staying, beats, beat_of_grid, people)
        if stand_in is not None:
            staying.append(stand_in)
            zh, en = both("why.replaced", old=old.name, new=stand_in.name)
        elif _kind(old) == "other":
            zh, en = both("why.member_gone", name=old.name)
        else:
            zh, en = both("why.dissolved")
            result.why[team.team_id] = (zh, en)
            result.gaps.append(StaffingGap(slot, team.beat_id, 1, 0, en, zh))
            return
        notes_zh.append(zh)
        notes_en.append(en)
    mended = team_from_members(
        team.team_id, slot, team.beat_id, staying, min_others=team.min_others
    )
    result.teams.append(mended)
    duty.add(mended)
    result.why[team.team_id] = ("；".join(notes_zh), "; ".join(notes_en))


def _stand_in(
    gone: Person,
    team: Team,
    duty: _Duty,
    staying: Sequence[Person],
    beats: Sequence[str],
    beat_of_grid: Mapping[str, str],
    people: Sequence[Person],
) -> Person | None:
    """The least loaded free person who can take ``gone``'s place in ``team``."""
    kind = _kind(gone)
    taken = {p.person_id for p in staying}
    candidates = [
        p
        for p in people
        if p.person_id not in taken
        and p.person_id != gone.person_id
        and _kind(p) == kind
        and (kind != "other" or p.role in OTHER_ROLES)
        and team.beat_id in beats_served(p, beats, beat_of_grid)
        and duty.free(p, team.slot)
    ]
    if not candidates:
        return None
    own_grid = [p for p in candidates if kind == "grid" and p.grid_id == gone.grid_id]
    pool = own_grid or candidates
    return min(pool, key=lambda p: duty.load[p.person_id])


def extra_teams(
    scenario: Any,
    slots: Sequence[ShiftSlot],
    pending: Sequence[Any],
    teams: Sequence[Team],
    *,
    time_limit_s: float,
    seed: int,
) -> list[Team]:
    """New teams for the tasks still open after the kept teams had their turn (a grid
    turned red, a new volunteer), formed from the people still free: off duty in the
    slot and its rest partners, under their weekly limit. Their ids end in ``n`` so they
    never take the id of a saved team."""
    from patrol.planner import _demand_weights, walking_limit_m
    from patrol.teams.form import form_teams

    if not pending:
        return []
    duty = _Duty(scenario.slots(), teams)
    later = list(slots)
    free_people = []
    for p in scenario.people:
        busy = {(s.weekday, s.shift) for s in later if not duty.free(p, s)}
        left = p.max_shifts_per_week - duty.load[p.person_id]
        free_people.append(
            dataclasses.replace(p, available=p.available - busy, max_shifts_per_week=max(0, left))
        )
    weight, need = _demand_weights(list(pending), later, max_walk_m=walking_limit_m(scenario))
    formed = form_teams(
        free_people, later, beat_of_grid=scenario.beat_of_grid(), beats=scenario.beats,
        settings=scenario.settings.teams, need=need, weight=weight,
        time_limit_s=time_limit_s, seed=seed,
        risk_of_grid=dict(zip(scenario.grids["grid_id"], scenario.grids["risk"], strict=True)),
    )  # fmt: skip
    now = {p.person_id: p for p in scenario.people}
    renamed = []
    for t in formed.teams:
        members = [now[p.person_id] for p in t.members]
        renamed.append(
            team_from_members(f"{t.team_id}n", t.slot, t.beat_id, members, min_others=t.min_others)
        )
    return renamed
