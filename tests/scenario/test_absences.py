"""Availability by date: ``absences.csv`` and ``2026-12-02..2026-12-04 off`` clauses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from patrol.errors import InputError, ProblemLog
from patrol.scenario.model import Person
from patrol.scenario.roster import (
    Absence,
    absent_slots,
    apply_absences,
    read_availability,
    split_date_clauses,
    validate_absences,
)
from patrol.settings import Settings
from tests.factory import tiny_layers, write_tiny_scenario

WEEK = tuple(dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7))  # Mon..Sun
SHIFTS = ("day", "night")


def test_split_date_clauses_takes_dates_out_of_the_weekday_text() -> None:
    text, dated = split_date_clauses("Mon-Fri day; 2026-12-02..2026-12-04 off; Sat night", SHIFTS)
    assert text.split(";") == ["Mon-Fri day", " Sat night"]
    assert dated == (Absence("", dt.date(2026, 12, 2), dt.date(2026, 12, 4)),)
    _, one = split_date_clauses("2026-12-05 休 night", SHIFTS)
    assert one == (Absence("", dt.date(2026, 12, 5), dt.date(2026, 12, 5), frozenset({"night"})),)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("2026-12-04..2026-12-02 off", "ends before it starts"),
        ("2026-12-02 on", "should say 'off'"),
        ("2026-13-02 off", "is not a date"),
        ("2026-12-02 off lunch", "unknown day or shift 'lunch'"),
    ],
)
def test_split_date_clauses_names_what_is_wrong(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        split_date_clauses(text, SHIFTS)


def test_read_availability_removes_the_dates_of_the_week() -> None:
    available = read_availability("Mon-Fri day,night; 2026-12-02..2026-12-04 off", SHIFTS, WEEK)
    assert sorted({d for d, _ in available}) == [0, 1]  # Wed, Thu, Fri off
    only = read_availability("2026-12-06 off night", SHIFTS, WEEK)  # empty weekly part: always
    assert (6, "night") not in only and (6, "day") in only and len(only) == 13
    outside = read_availability("2027-01-01 off", SHIFTS, WEEK)  # not in this week
    assert len(outside) == 14


def test_absent_slots_and_apply_absences() -> None:
    away = Absence("p1", dt.date(2026, 12, 1), dt.date(2026, 12, 2), frozenset({"night"}))
    assert absent_slots([away], WEEK, SHIFTS) == {(1, "night"), (2, "night")}
    everyone = frozenset((d, s) for d in range(7) for s in SHIFTS)
    people = (Person("p1", "a", "officer", available=everyone), Person("p2", "b", "volunteer"))
    after = apply_absences(people, [away], WEEK, SHIFTS)
    assert len(after[0].available) == 12 and after[1] is people[1]


def test_validate_absences_reports_unknown_people_bad_dates_zh_and_en() -> None:
    people = (Person("p1", "赵", "officer"),)
    frame = pd.DataFrame(
        {
            "person": ["p1", "赵", "nobody", "p1", "p1"],
            "from": ["2026-12-02", "2026-12-05", "2026-12-02", "2026-12-04", "soon"],
            "to": ["2026-12-04", "", "", "2026-12-01", ""],
            "reason": ["病假", "", "", "", ""],
        },
        index=[2, 3, 4, 5, 6],
    )
    plog = ProblemLog()
    out = validate_absences(
        frame, file="absences.csv", plog=plog, settings=Settings(), people=people
    )
    assert out == (
        Absence("p1", dt.date(2026, 12, 2), dt.date(2026, 12, 4), reason="病假"),
        Absence("p1", dt.date(2026, 12, 5), dt.date(2026, 12, 5)),  # by name, one day
    )
    problems = {p.feature: p for p in plog.errors}
    assert "nobody" in problems["row 4"].message and "不在人员名单" in problems["row 4"].message_zh
    assert "早于" in problems["row 5"].message_zh and "Swap" in problems["row 5"].fix
    assert any(p.field == "from" for p in plog.errors)  # "soon" is not a date


def test_read_scenario_takes_absences_csv_and_date_clauses(tmp_path: Path) -> None:
    from patrol.scenario.read import read_scenario

    layers = tiny_layers()
    roster = layers["roster"].copy()
    first = str(roster["person_id"].iloc[0])
    second = str(roster["person_id"].iloc[1])
    roster.loc[roster.index[1], "available"] = "2026-11-30 off"
    layers["roster"] = roster
    layers["absences"] = pd.DataFrame(
        {"person": [first], "from": ["2026-11-30"], "to": ["2026-12-06"], "reason": ["病假"]}
    )
    toml = 'week_start = "2026-11-30"\n'
    scenario = read_scenario(write_tiny_scenario(tmp_path / "s", layers=layers, toml=toml))
    assert scenario.person(first).available == frozenset()
    assert all(d != 0 for d, _ in scenario.person(second).available)


def test_read_scenario_reports_a_bad_absence_row(tmp_path: Path) -> None:
    from patrol.scenario.read import read_scenario

    layers = tiny_layers()
    layers["absences"] = pd.DataFrame({"person": ["ghost"], "from": ["2026-12-01"]})
    with pytest.raises(InputError, match="ghost"):
        read_scenario(write_tiny_scenario(tmp_path / "s", layers=layers))
