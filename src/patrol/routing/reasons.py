"""Why a task is unserved, and what would fix it.

Each reason names the grid and beat, the shifts the task could have used, and the missing
thing: a team on the beat in those shifts (and which member the roster lacks: the grid's
own grid worker, a police member of the beat, or free people), or the team-minutes the
task needs. A sweep also says which sweep of the week it is and the day it was meant for
(sweep ``i`` of ``k`` is meant for day ``⌊i · days ÷ k⌋``), so entries are told apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patrol.labels import label, shift_label

if TYPE_CHECKING:
    from patrol.demand import Task
    from patrol.scenario.model import Person, ShiftSlot
    from patrol.teams.types import Team

MAX_SHIFTS_NAMED = 4
"""How many usable shifts a reason lists before it says "and N more"."""


@dataclass(frozen=True)
class Reason:
    """A reason code and its detail in both languages."""

    code: str
    detail_zh: str
    detail_en: str


def explain_task(
    task: Task,
    *,
    slots: Sequence[ShiftSlot],
    teams: Sequence[Team],
    people: Sequence[Person],
    cost_s: int,
) -> Reason:
    """Why ``task`` is unserved: no team on its beat in any shift it may use (naming the
    member the roster lacks), else not enough team time (naming the minutes)."""
    usable = [s for s in slots if s.key in task.slots]
    with_team = {t.slot.key for t in teams if t.beat_id == task.beat_id}
    parts = [_where(task, usable, slots)]
    if not any(s.key in with_team for s in usable):
        code = "no_eligible_team" if task.kind == "visit" else "no_team"
        parts.append(_missing_member(task, usable, people))
    else:
        code = "no_time"
        minutes = max(1, math.ceil(cost_s / 60))
        parts.append(
            (
                label("why.need_minutes", "zh", beat=task.beat_id, minutes=minutes),
                label("why.need_minutes", "en", beat=task.beat_id, minutes=minutes),
            )
        )
    return Reason(code, "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts))


def intended_day(task: Task, *, days: int) -> int:
    """The day (0-based) sweep ``task.sweep_index`` of ``task.group_size`` is meant for."""
    return min(days - 1, task.sweep_index * days // max(1, task.group_size))


def _where(task: Task, usable: Sequence[ShiftSlot], slots: Sequence[ShiftSlot]) -> tuple[str, str]:
    """The grid and beat, which sweep it is (for sweeps) and the shifts it could use."""
    texts = []
    for lang in ("zh", "en"):
        text = label("why.grid", lang, grid=task.grid_id, beat=task.beat_id)
        if task.kind == "sweep":
            days = len({s.date for s in slots}) or 7
            day = intended_day(task, days=days)
            weekday = next((s.weekday for s in slots if s.day == day), day)
            text += (", " if lang == "en" else "，") + label(
                "why.sweep_of",
                lang,
                i=task.sweep_index + 1,
                k=task.group_size,
                day=label(f"day.{weekday}", lang),
            )
        shifts = [_slot_text(s, lang) for s in usable[:MAX_SHIFTS_NAMED]]
        if len(usable) > MAX_SHIFTS_NAMED:
            shifts.append(label("why.more_shifts", lang, n=len(usable) - MAX_SHIFTS_NAMED))
        joined = ("、" if lang == "zh" else ", ").join(shifts) or "-"
        text += ("，" if lang == "zh" else "; ") + label("why.shifts", lang, shifts=joined)
        texts.append(text)
    return texts[0], texts[1]


def _slot_text(slot: ShiftSlot, lang: str) -> str:
    sep = "" if lang == "zh" else " "
    return f"{label(f'day.{slot.weekday}', lang)}{sep}{shift_label(slot.shift, lang)}"


def _days_text(slots: Sequence[ShiftSlot], lang: str) -> str:
    weekdays = sorted({s.weekday for s in slots})
    return ("、" if lang == "zh" else ", ").join(label(f"day.{d}", lang) for d in weekdays)


def _missing_member(
    task: Task, usable: Sequence[ShiftSlot], people: Sequence[Person]
) -> tuple[str, str]:
    """The member a team on the task's beat lacks in its usable shifts: the grid's own
    grid worker, else a police member of the beat, else free people."""

    def on_duty(p: Person) -> bool:
        return any(p.is_available(s.weekday, s.shift) for s in usable)

    worker = any(
        p.role == "grid_worker" and p.grid_id == task.grid_id for p in people if on_duty(p)
    )
    police = any(p.is_police and p.beat_id == task.beat_id for p in people if on_duty(p))
    key = (
        "why.need_worker" if not worker else "why.need_police" if not police else "why.need_people"
    )
    return tuple(  # type: ignore[return-value]
        label(key, lang, grid=task.grid_id, beat=task.beat_id, days=_days_text(usable, lang))
        for lang in ("zh", "en")
    )
