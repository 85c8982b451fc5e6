"""Figures of a week's teams that every output shows alike: staffing gaps per day and
fallback teams per kind.

The terminal, the CSV, week.pdf, the map and summary.json all count from here, so they
never disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import TypedDict

from patrol.labels import label, shift_label
from patrol.teams.types import FULL, StaffingGap, TeamPlan
from patrol.vocab import FALLBACK_KINDS


class GapCount(TypedDict):
    """Staffing gaps in total and per date (ISO)."""

    total: int
    by_day: dict[str, int]


def count_gaps(plan: TeamPlan) -> GapCount:
    """``{"total": n, "by_day": {"2026-12-06": k, ...}}``: every staffing gap, per date
    (dates in week order, only days that have gaps)."""
    by_day = Counter(g.slot.date.isoformat() for g in plan.gaps)
    return GapCount(total=len(plan.gaps), by_day=dict(sorted(by_day.items())))


def count_fallback_teams(plan: TeamPlan) -> dict[str, int]:
    """Fallback teams formed per kind (every kind of :data:`FALLBACK_KINDS`, 0 when none)."""
    used = Counter(t.kind for t in plan.teams if t.kind != FULL)
    return {kind: used[kind] for kind in FALLBACK_KINDS}


def sort_gaps(gaps: tuple[StaffingGap, ...] | list[StaffingGap]) -> list[StaffingGap]:
    """Gaps in the order people read them: by time, then beat."""
    return sorted(gaps, key=lambda g: (g.slot.start, g.slot.shift, g.beat_id))


def describe_day(gap: StaffingGap, lang: str) -> str:
    """The gap's day as people write it: ``周日 12-06`` / ``Sun 12-06``."""
    d = gap.slot.date
    return f"{label(f'day.{d.weekday()}', lang)} {d.month:02d}-{d.day:02d}"


def gap_rows(plan: TeamPlan, lang: str) -> list[tuple[str, str, str, str, str]]:
    """Every gap as (day, shift, beat, formed/needed, reason) text, in time order: the
    one list the terminal, week.pdf and the map show."""
    return [
        (
            describe_day(g, lang),
            shift_label(g.slot.shift, lang),
            g.beat_id,
            f"{g.formed}/{g.needed}",
            g.reason_zh if lang == "zh" else g.reason_en,
        )
        for g in sort_gaps(plan.gaps)
    ]


def describe_gap_count(plan: TeamPlan, lang: str) -> str:
    """``人员缺口共27个（周一 5、周日 10）`` / ``27 staffing gaps (Mon 5, Sun 10)``."""
    by_day = Counter(g.slot.date for g in plan.gaps)
    sep = "、" if lang == "zh" else ", "
    days = sep.join(f"{label(f'day.{d.weekday()}', lang)} {n}" for d, n in sorted(by_day.items()))
    return label("gaps.count", lang, n=len(plan.gaps), days=days or "-")


def describe_fallback_use(plan: TeamPlan, lang: str) -> str:
    """``已用后备小队：警+志 9`` or ``未用后备小队``: fallback teams per kind."""
    used = {k: n for k, n in count_fallback_teams(plan).items() if n}
    if not used:
        return label("gaps.no_fallback", lang)
    sep = "、" if lang == "zh" else ", "
    text = sep.join(f"{label(f'team.name.{k}', lang)} {n}" for k, n in used.items())
    return label("gaps.fallback_used", lang, text=text)


GAP_COLUMNS: tuple[str, ...] = (
    "date", "day_zh", "day_en", "shift", "beat_id", "needed", "formed", "reason_zh", "reason_en",
)  # fmt: skip
"""The columns of ``staffing_gaps.csv``."""


def gap_records(plan: TeamPlan) -> list[dict[str, object]]:
    """Every gap as one row of ``staffing_gaps.csv``, in time order: date, day (zh, en),
    shift, beat, teams needed and formed, the reason in both languages."""
    return [
        {
            "date": g.slot.date.isoformat(),
            "day_zh": label(f"day.{g.slot.weekday}", "zh"),
            "day_en": label(f"day.{g.slot.weekday}", "en"),
            "shift": g.slot.shift,
            "beat_id": g.beat_id,
            "needed": g.needed,
            "formed": g.formed,
            "reason_zh": g.reason_zh,
            "reason_en": g.reason_en,
        }
        for g in sort_gaps(plan.gaps)
    ]
