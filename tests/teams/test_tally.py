"""The team figures every output shares: gaps per day, fallback teams per kind, gap rows."""

from __future__ import annotations

import datetime as dt

from patrol.scenario.model import Person, week_slots
from patrol.settings import Settings
from patrol.teams.tally import (
    GAP_COLUMNS,
    count_fallback_teams,
    count_gaps,
    describe_day,
    describe_fallback_use,
    describe_gap_count,
    gap_records,
    gap_rows,
    sort_gaps,
)
from patrol.teams.types import StaffingGap, Team, TeamPlan

SLOTS = week_slots(Settings(week_start=dt.date(2026, 11, 30)))
MON_DAY, SUN_DAY, SUN_NIGHT = SLOTS[0], SLOTS[18], SLOTS[20]


def _person(pid: str, role: str) -> Person:
    return Person(pid, pid, role, "B1", None, frozenset(), 5)


def week_with_gaps() -> TeamPlan:
    """Three gaps (Sunday night and day on B2, Monday day on B1, listed out of order) and
    one police + volunteers team on Sunday day on B1."""
    gaps = (
        StaffingGap(SUN_NIGHT, "B2", 1, 0, "no grid worker on Sun night", "周日夜班无网格员"),
        StaffingGap(MON_DAY, "B1", 2, 1, "only 1 police", "仅1名民警"),
        StaffingGap(SUN_DAY, "B2", 1, 0, "no grid worker on Sun day", "周日白班无网格员"),
    )
    fallback = Team(
        "t", SUN_DAY, "B1", _person("off", "officer"), None, (_person("vol", "volunteer"),)
    )
    return TeamPlan((fallback,), gaps, {}, {}, "OPTIMAL", 1.0, 1.0, 0.0)


def test_count_gaps_totals_and_counts_per_day() -> None:
    assert count_gaps(week_with_gaps()) == {
        "total": 3,
        "by_day": {"2026-11-30": 1, "2026-12-06": 2},
    }


def test_count_fallback_teams_names_every_kind() -> None:
    assert count_fallback_teams(week_with_gaps()) == {
        "police_volunteers": 1,
        "red_armband": 0,
        "police_assistant": 0,
    }


def test_sort_gaps_and_rows_follow_the_week() -> None:
    plan = week_with_gaps()
    assert [g.slot.key for g in sort_gaps(plan.gaps)] == [
        MON_DAY.key,
        SUN_DAY.key,
        SUN_NIGHT.key,
    ]
    rows = gap_rows(plan, "zh")
    assert rows[0] == ("周一 11-30", "白班", "B1", "1/2", "仅1名民警")
    assert rows[-1][4] == "周日夜班无网格员"
    assert gap_rows(plan, "en")[1] == ("Sun 12-06", "day", "B2", "0/1", "no grid worker on Sun day")
    assert describe_day(plan.gaps[0], "en") == "Sun 12-06"


def test_gap_records_are_the_csv_rows_in_both_languages() -> None:
    records = gap_records(week_with_gaps())
    assert [tuple(r) for r in records] == [GAP_COLUMNS] * 3
    assert records[1]["day_zh"] == "周日" and records[1]["reason_en"] == "no grid worker on Sun day"


def test_describe_counts_and_fallback_use() -> None:
    plan = week_with_gaps()
    assert describe_gap_count(plan, "zh") == "人员缺口共3个（周一 1、周日 2）"
    assert describe_gap_count(plan, "en") == "3 staffing gaps (Mon 1, Sun 2)"
    assert describe_fallback_use(plan, "zh") == "已用后备小队：民警/辅警+志愿者 1"
    empty = TeamPlan((), (), {}, {}, "EMPTY", 0.0, 0.0, 0.0)
    assert describe_fallback_use(empty, "en") == "No fallback teams used"
