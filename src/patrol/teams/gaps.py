"""Why a needed beat-slot got fewer teams than needed, in Chinese and English.

After solving, every needed beat-slot short of teams becomes a :class:`StaffingGap` whose
reason names the missing police or grid worker and why (none in the roster, none
available, at the weekly limit, resting after a night shift, on duty elsewhere).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from patrol.labels import label, shift_label
from patrol.scenario.model import Person, ShiftSlot
from patrol.settings import TeamSettings
from patrol.teams.rules import rest_pairs
from patrol.teams.types import GRID_WORKER, StaffingGap, Team
from patrol.vocab import DAY_CODES, POLICE_ROLES

_GROUP_WORDS = {
    "police": ("police of beat {b}", "警格{b}民警/辅警"),
    "grid": ("grid worker for beat {b}", "警格{b}网格员"),
}


def _slot_words(slot: ShiftSlot) -> tuple[str, str]:
    en = f"{DAY_CODES[slot.weekday]} {slot.shift}"
    zh = f"{label(f'day.{slot.weekday}', 'zh')}{shift_label(slot.shift, 'zh')}"
    return en, zh


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


def find_gaps(
    people: Sequence[Person],
    slots: Sequence[ShiftSlot],
    beats: Sequence[str],
    teams: Sequence[Team],
    needed: Mapping[tuple[str, int], int],
    load: Mapping[str, int],
    served: Mapping[str, tuple[str, ...]],
    settings: TeamSettings,
    *,
    fallback_why: Mapping[tuple[str, int], tuple[str, str]] | None = None,
) -> list[StaffingGap]:
    """A gap for every needed beat-slot short of teams, with the reason in en and zh
    (and, from ``fallback_why``, what each allowed fallback team lacked)."""
    index = {s.key: i for i, s in enumerate(slots)}
    busy = {(m.person_id, index[t.slot.key]): t.beat_id for t in teams for m in t.members}
    formed = Counter((t.beat_id, index[t.slot.key]) for t in teams)
    night_rest = rest_pairs(slots)
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
                    "police", b, si, slots, police_of[b], n, got, load, busy, night_rest, settings
                ),
                _group_reason(
                    "grid", b, si, slots, grid_of[b], n, got, load, busy, night_rest, settings
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
            if fallback_why and (b, si) in fallback_why:
                reasons.append(fallback_why[(b, si)])
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
