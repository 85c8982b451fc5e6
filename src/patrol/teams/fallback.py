"""Fallback teams: where no 1+1+N team can be formed, the kinds the station allows.

After the 1+1+N teams are fixed, every needed beat-slot still short of teams tries the
kinds of ``[teams] fallback`` in their order of preference, with the people still free
(available, not on duty in that slot, under their weekly limit, not resting after a
night shift):

- ``police_volunteers``: a police member of the beat with up to ``max(1, min_others)``
  volunteers, cadres or elders, and no grid worker;
- ``red_armband``: two red-armband (红袖标) volunteers; such a team only sweeps green and
  yellow grids (:meth:`~patrol.teams.types.Team.may_take`);
- ``police_assistant``: the beat's own police assistant (警务助理), with a free grid worker
  of the beat if there is one and up to ``max(1, min_others)`` others; at least one
  companion. Only where no police member of the beat is on duty in the slot, and the
  team takes only the tasks of the assistant's own village (``grid_id``; see
  :attr:`~patrol.teams.types.Team.village`).

Beat-slots go heaviest first, people least loaded first and the beat's own before those
of any beat, so the result is the same for the same input. A fallback team never takes
someone a 1+1+N team has, so it is used only where a full team could not be formed.
Where no allowed kind can be formed, the reason says what each kind lacked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from patrol.scenario.model import Person, ShiftSlot
from patrol.teams.rules import rest_pairs, rest_partners
from patrol.teams.types import GRID_WORKER, Team
from patrol.vocab import OTHER_ROLES, POLICE_ASSISTANT, POLICE_ROLES, RED_ARMBAND

RED_ARMBAND_SIZE = 2
"""People in a red-armband team (the issue's "at least two")."""
RED_ARMBAND_RISKS: frozenset[str] = frozenset({"green", "yellow"})
"""The grid risks a red-armband team may sweep."""

KIND_WORDS: dict[str, tuple[str, str]] = {
    "police_volunteers": ("police + volunteers", "民警/辅警+志愿者"),
    "red_armband": ("red-armband team", "红袖标小队"),
    "police_assistant": ("police-assistant team", "警务助理小队"),
}


class _Crew(NamedTuple):
    police: Person | None
    grid_worker: Person | None
    others: tuple[Person, ...]


class _Free:
    """Who is still free in which slot, as the 1+1+N teams (and fallbacks so far) leave it."""

    def __init__(
        self,
        people: Sequence[Person],
        slots: Sequence[ShiftSlot],
        teams: Sequence[Team],
        served: Mapping[str, tuple[str, ...]],
        *,
        rest_after_night: bool,
    ) -> None:
        self.people, self.slots, self.served = people, slots, served
        self.index = {s.key: i for i, s in enumerate(slots)}
        self.partner = rest_partners(rest_pairs(slots) if rest_after_night else [])
        self.busy: set[tuple[str, int]] = set()
        self.load: Counter[str] = Counter()
        for t in teams:
            self.book(t.members, self.index[t.slot.key])

    def book(self, members: Sequence[Person], si: int) -> None:
        for m in members:
            self.busy.add((m.person_id, si))
            self.load[m.person_id] += 1

    def police_on_duty(self, b: str, si: int) -> bool:
        """Whether a police member of beat ``b`` is on a team in slot ``si``."""
        return any(
            p.role in POLICE_ROLES and p.beat_id == b and (p.person_id, si) in self.busy
            for p in self.people
        )

    def exists(self, role: str, b: str) -> bool:
        """Whether anyone of ``role`` in the roster may serve beat ``b`` at all."""
        return any(p.role == role and b in self.served.get(p.person_id, ()) for p in self.people)

    def of(self, roles: frozenset[str], b: str, si: int) -> list[Person]:
        """People of ``roles`` free for beat ``b`` in slot ``si``: own beat first, then
        least loaded, then roster id."""
        slot = self.slots[si]
        found = [
            p
            for p in self.people
            if p.role in roles
            and b in self.served.get(p.person_id, ())
            and p.is_available(slot.weekday, slot.shift)
            and (p.person_id, si) not in self.busy
            and self.load[p.person_id] < p.max_shifts_per_week
            and not any((p.person_id, sj) in self.busy for sj in self.partner[si])
        ]
        return sorted(found, key=lambda p: (p.beat_id != b, self.load[p.person_id], p.person_id))


def _try_kind(
    kind: str, free: _Free, b: str, si: int, min_others: int, *, red_beats: frozenset[str]
) -> _Crew | tuple[str, str]:
    """The crew of a ``kind`` team, or (en, zh) saying what the kind lacks."""
    n_others = max(1, min_others)
    others = free.of(OTHER_ROLES, b, si)
    if kind == "police_volunteers":
        police = free.of(POLICE_ROLES, b, si)
        if not police:
            return (f"no free police of beat {b}", f"无空闲的警格{b}民警/辅警")
        if not others:
            return ("no free volunteer, cadre or elder", "无空闲的志愿者/村居干部/五老")
        return _Crew(police[0], None, tuple(others[:n_others]))
    if kind == RED_ARMBAND:
        red = free.of(frozenset({RED_ARMBAND}), b, si)
        if b not in red_beats:
            return (f"beat {b} has no green or yellow grid", f"警格{b}无绿、黄网格")
        if not free.exists(RED_ARMBAND, b):
            return (
                f"no red-armband volunteers for beat {b} in the roster",
                f"名册中无警格{b}红袖标",
            )
        if len(red) < RED_ARMBAND_SIZE:
            return (
                f"only {len(red)} red-armband volunteer(s) free, {RED_ARMBAND_SIZE} needed",
                f"空闲红袖标{len(red)}名，需{RED_ARMBAND_SIZE}名",
            )
        return _Crew(None, None, tuple(red[:RED_ARMBAND_SIZE]))
    if free.police_on_duty(b, si):
        return (f"a police member of beat {b} is on duty", f"警格{b}已有民警/辅警在岗")
    assistants = [p for p in free.of(frozenset({POLICE_ASSISTANT}), b, si) if p.beat_id == b]
    if not assistants:
        if not any(p.role == POLICE_ASSISTANT and p.beat_id == b for p in free.people):
            return (f"beat {b} has no police assistant in the roster", f"名册中无警格{b}警务助理")
        return (f"no free police assistant of beat {b}", f"无空闲的警格{b}警务助理")
    grid = free.of(frozenset({GRID_WORKER}), b, si)[:1]
    if not grid and not others:
        return (
            "no grid worker, volunteer, cadre or elder free to go with the police assistant",
            "无空闲网格员或志愿者与警务助理同行",
        )
    return _Crew(None, grid[0] if grid else None, (assistants[0], *others[:n_others]))


def add_fallback_teams(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    teams: Sequence[Team],
    needed: Mapping[tuple[str, int], int],
    weight: Mapping[tuple[str, int], float],
    served: Mapping[str, tuple[str, ...]],
    *,
    kinds: Sequence[str],
    min_others: int,
    rest_after_night: bool,
    red_beats: frozenset[str] | None = None,
) -> tuple[list[Team], dict[tuple[str, int], tuple[str, str]]]:
    """Fallback teams for the needed beat-slots the 1+1+N ``teams`` leave short.

    Returns the new teams, and for each beat-slot still short (with ``kinds`` allowed)
    what each kind lacked, as (en, zh) text for the gap's reason. ``red_beats``: the beats
    a red-armband team may work (default: every needed beat).
    """
    red = frozenset(b for b, _si in needed) if red_beats is None else red_beats
    new: list[Team] = []
    why: dict[tuple[str, int], tuple[str, str]] = {}
    if not kinds:
        return new, why
    free = _Free(people, slots, teams, served, rest_after_night=rest_after_night)
    formed = Counter((t.beat_id, free.index[t.slot.key]) for t in teams)
    order = sorted(needed, key=lambda k: (-weight.get(k, 1.0), slots[k[1]].start, k[0]))
    for b, si in order:
        while formed[(b, si)] < needed[(b, si)]:
            lacks: list[tuple[str, str]] = []
            for kind in kinds:
                got = _try_kind(kind, free, b, si, min_others, red_beats=red)
                if isinstance(got, _Crew):
                    formed[(b, si)] += 1
                    slot = slots[si]
                    team_id = f"{slot.key}_{b}_{formed[(b, si)]}"
                    team = Team(team_id, slot, b, *got, min_others)
                    free.book(team.members, si)
                    new.append(team)
                    break
                en, zh = KIND_WORDS[kind]
                lacks.append((f"{en}: {got[0]}", f"{zh}：{got[1]}"))
            else:
                why[(b, si)] = (
                    "no fallback team either (" + "; ".join(en for en, _ in lacks) + ")",
                    "也无法组成后备小队（" + "；".join(zh for _, zh in lacks) + "）",
                )
                break
    return new, why
