"""The roster: the availability grammar and the rows that become people."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from patrol.errors import ProblemLog
from patrol.scenario.roster import format_availability, parse_availability, validate_roster
from patrol.settings import Settings, Shift
from tests.factory import tiny_layers

SHIFTS = ("day", "afternoon", "night")


# --- availability ----------------------------------------------------------------------------


def _days(avail: frozenset[tuple[int, str]], shift: str) -> list[int]:
    return sorted(d for d, s in avail if s == shift)


def test_availability_days_and_shifts() -> None:
    avail = parse_availability("Mon-Fri day,night; Sat night", SHIFTS)
    assert _days(avail, "day") == [0, 1, 2, 3, 4]
    assert _days(avail, "night") == [0, 1, 2, 3, 4, 5]
    assert _days(avail, "afternoon") == []


def test_availability_all_week_one_shift() -> None:
    avail = parse_availability("Mon-Sun night", SHIFTS)
    assert avail == frozenset((d, "night") for d in range(7))


def test_availability_chinese_days() -> None:
    assert parse_availability("周一-周五 all", SHIFTS) == frozenset(
        (d, s) for d in range(5) for s in SHIFTS
    )
    assert parse_availability("周六 night", SHIFTS) == frozenset({(5, "night")})
    assert parse_availability("星期一至星期三 day；周日 day", SHIFTS) == frozenset(
        {(0, "day"), (1, "day"), (2, "day"), (6, "day")}
    )


def test_availability_wraps_around_the_week() -> None:
    assert _days(parse_availability("Fri-Mon day", SHIFTS), "day") == [0, 4, 5, 6]


def test_availability_empty_means_always() -> None:
    everything = frozenset((d, s) for d in range(7) for s in SHIFTS)
    assert parse_availability("", SHIFTS) == everything
    assert parse_availability(None, SHIFTS) == everything
    assert parse_availability("  ", SHIFTS) == everything


def test_availability_days_only_and_shifts_only() -> None:
    assert parse_availability("Sat,Sun", SHIFTS) == frozenset(
        (d, s) for d in (5, 6) for s in SHIFTS
    )
    assert parse_availability("night", SHIFTS) == frozenset((d, "night") for d in range(7))


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Mon-Fri dya", "dya"),
        ("Mon-Fro day", "Mon-Fro"),
        ("Mon-Fri day; Sat nite", "nite"),
        ("whenever", "whenever"),
    ],
)
def test_availability_garbage_names_the_bad_part(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        parse_availability(text, SHIFTS)


def test_format_availability_round_trips() -> None:
    avail = parse_availability("Mon-Fri day,night; Sat night", SHIFTS)
    text = format_availability(avail, SHIFTS)
    assert text.startswith("Mon day,night; Tue day,night")
    assert parse_availability(text, SHIFTS) == avail


def test_availability_spaces_around_the_range_sign() -> None:
    expected = frozenset((d, "day") for d in range(5))
    assert parse_availability("Mon - Fri day", SHIFTS) == expected
    assert parse_availability("周一 至 周五 day", SHIFTS) == expected


# --- validate_roster -------------------------------------------------------------------------


def _grids() -> pd.DataFrame:
    return pd.DataFrame({"grid_id": ["G1", "G2"], "beat_id": ["B1", "B1"]})


def _settings() -> Settings:
    import datetime as dt

    return Settings(shifts=(Shift("day", dt.time(9), dt.time(12)),))


def test_validate_roster_makes_people_and_fills_a_grid_workers_beat() -> None:
    roster = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3"],
            "name": ["赵", "", "钱"],
            "role": ["民警", "grid_worker", "volunteer"],
            "beat_id": ["B1", "", ""],
            "grid_id": ["", "G2", "G1"],
            "available": ["Mon-Fri", "", "Sat day"],
        }
    )
    plog = ProblemLog()
    people = validate_roster(
        roster, file="roster.csv", plog=plog, settings=_settings(), grids=_grids()
    )
    assert [(p.person_id, p.name, p.role, p.beat_id) for p in people] == [
        ("p1", "赵", "officer", "B1"),
        ("p2", "p2", "grid_worker", "B1"),  # the beat of the grid; the id as name
        ("p3", "钱", "volunteer", None),
    ]
    assert people[0].max_shifts_per_week == Settings().teams.max_shifts_per_week
    assert people[2].available == frozenset({(5, "day")})
    assert [p.message for p in plog.problems] == ["grid G1 has no grid worker."]


def test_validate_roster_reports_bad_rows_and_references() -> None:
    roster = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4"],
            "name": ["a", "b", "c", "d"],
            "role": ["boss", "officer", "auxiliary", "grid_worker"],
            "beat_id": ["", "B9", "", ""],
            "grid_id": ["", "", "", "G9"],
            "available": ["", "Mon dya", "", ""],
            "max_shifts_per_week": ["", "", "30", ""],
        }
    )
    plog = ProblemLog()
    people = validate_roster(
        roster,
        file="roster.csv",
        plog=plog,
        settings=_settings(),
        grids=_grids(),
        known_grids={"G1", "G2"},
        known_beats={"B1"},
    )
    assert [p.person_id for p in people] == ["p3", "p4"]
    errors = {(p.feature, p.field) for p in plog.errors}
    assert errors == {
        ("person_id=p1", "role"),
        ("person_id=p2", "beat_id"),
        ("person_id=p2", "available"),
        ("person_id=p3", "max_shifts_per_week"),
        ("person_id=p4", "grid_id"),
    }
    warned = {(p.feature, p.field) for p in plog.warnings}
    assert ("person_id=p3", "beat_id") in warned  # police without a beat


def test_validate_roster_without_a_table_or_a_required_field() -> None:
    plog = ProblemLog()
    kwargs: dict[str, Any] = {
        "file": "roster.csv",
        "plog": plog,
        "settings": _settings(),
        "grids": _grids(),
    }
    assert validate_roster(None, **kwargs) == ()
    roster = tiny_layers()["roster"].drop(columns="role")
    assert validate_roster(roster, **kwargs) == ()
    assert [p.field for p in plog.errors] == ["role"]


def test_validate_roster_reads_red_armband_and_police_assistant_in_both_languages() -> None:
    roster = pd.DataFrame(
        {
            "person_id": ["r1", "r2", "a1", "a2"],
            "name": ["甲", "乙", "丙", "丁"],
            "role": ["红袖标", "red_armband", "警务助理", "police_assistant"],
            "beat_id": ["", "B1", "B1", "B1"],
            "grid_id": ["", "", "", ""],
            "available": ["", "", "", ""],
        }
    )
    plog = ProblemLog()
    people = validate_roster(
        roster, file="roster.csv", plog=plog, settings=_settings(), grids=_grids()
    )
    assert [p.role for p in people] == [
        "red_armband",
        "red_armband",
        "police_assistant",
        "police_assistant",
    ]
    assert not [p for p in plog.problems if "role" in p.message]


def test_warn_narrow_availability_warns_when_almost_no_shift_has_a_team() -> None:
    from patrol.scenario.model import Person
    from patrol.scenario.roster import warn_narrow_availability

    settings = Settings(shifts=(Shift("day", *_times(9, 12)), Shift("night", *_times(19, 22))))
    sunday_night = frozenset({(6, "night")})
    people = [
        Person("p1", "赵", "officer", available=sunday_night),
        Person("p2", "钱", "volunteer", available=frozenset((d, "day") for d in range(7))),
    ]
    plog = ProblemLog()
    warn_narrow_availability(people, settings, file="roster.csv", plog=plog)
    assert "only 0 of the week's 14 shifts" in plog.warnings[0].message
    people[1] = Person("p2", "钱", "volunteer", available=frozenset((d, "night") for d in range(7)))
    people[0] = Person("p1", "赵", "officer", available=frozenset((d, "night") for d in range(7)))
    plog = ProblemLog()
    warn_narrow_availability(people, settings, file="roster.csv", plog=plog)
    assert plog.problems == []


def _times(start: int, end: int) -> tuple[Any, Any]:
    import datetime as dt

    return dt.time(start), dt.time(end)
