"""Posts far from the station: stationed_at, the resident auxiliary, the trips."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from patrol.errors import ProblemLog
from patrol.plan import Plan
from patrol.planner import with_stays
from patrol.render.sheets.legs import trip_rows
from patrol.scenario.model import Person, Scenario
from patrol.scenario.stays import (
    Stay,
    format_stays,
    parse_stays,
    read_stays,
    stationed_people,
    stay_trips,
)
from patrol.teams.rules import rest_pairs

WEEK = [dt.date(2026, 11, 30) + dt.timedelta(days=k) for k in range(7)]


def test_parse_stays_by_weekdays_and_dates() -> None:
    (mon_fri,) = parse_stays("JWS2 Mon-Fri", WEEK)
    assert mon_fri.post_id == "JWS2" and mon_fri.dates == tuple(WEEK[:5])
    assert parse_stays("JWS2 周一-周五", WEEK) == (mon_fri,)
    (dates,) = parse_stays("JWS1 2026-12-1..2026-12-03", WEEK)
    assert dates.dates == tuple(WEEK[1:4])
    two = parse_stays("A Sat,Sun; B 2026-11-30", WEEK)
    assert [s.post_id for s in two] == ["A", "B"] and two[0].dates == tuple(WEEK[5:])
    assert parse_stays("", WEEK) == () and parse_stays(None, WEEK) == ()
    assert parse_stays("A Fri-Mon", WEEK)[0].dates == (WEEK[0], WEEK[4], WEEK[5], WEEK[6])
    for bad in ("JWS2", "JWS2 someday", "JWS2 2026-12-04..2026-12-01"):
        with pytest.raises(ValueError):
            parse_stays(bad, WEEK)
    assert format_stays(two) == "A 2026-12-05..2026-12-06; B 2026-11-30..2026-11-30"


def _person(**kw: object) -> Person:
    base = {"person_id": "P1", "name": "锁明", "role": "auxiliary", "beat_id": "B3"}
    available = frozenset((d, s) for d in range(7) for s in ("day", "night"))
    return Person(**{**base, "available": available, **kw})  # type: ignore[arg-type]


def test_stationed_people_only_at_their_post_on_their_days() -> None:
    stay = Stay("JWS2", tuple(WEEK[:5]))
    at_post = stationed_people([_person(stationed=(stay,))], {"B3": "JWS2", "B1": "PCS"})[0]
    assert {d for d, _ in at_post.available} == {0, 1, 2, 3, 4}
    elsewhere = stationed_people([_person(beat_id="B1", stationed=(stay,))], {"B1": "PCS"})[0]
    assert {d for d, _ in elsewhere.available} == {5, 6}
    volunteer = _person(role="volunteer", beat_id=None, stationed=(stay,))
    placed = stationed_people([volunteer], {"B3": "JWS2", "B1": "PCS"})[0]
    assert placed.beat_id == "B3"
    plain = _person()
    assert stationed_people([plain], {"B3": "JWS2"})[0] is plain


def test_stay_trips_out_on_the_first_day_back_on_the_last() -> None:
    p = _person(stationed=(Stay("JWS2", (WEEK[0], WEEK[1], WEEK[4])),))
    trips = stay_trips([p])
    assert [(t.date, t.out) for t in trips] == [
        (WEEK[0], True), (WEEK[1], False), (WEEK[4], True), (WEEK[4], False),
    ]  # fmt: skip


def test_read_stays_reports_what_it_cannot_use() -> None:
    roster = pd.DataFrame(
        {"person_id": ["P1", "P2", "P3"], "stationed_at": ["JWS2 Mon-Fri", "XX Mon", "JWS2 ?"]}
    )
    people = (_person(), _person(person_id="P2"), _person(person_id="P3"))
    plog = ProblemLog()
    out = read_stays(people, roster, days=WEEK, posts={"JWS2"}, file="roster.csv", plog=plog)
    assert out[0].stationed and not out[1].stationed and not out[2].stationed
    assert len(plog.errors) == 2
    assert all(p.field == "stationed_at" and p.file == "roster.csv" for p in plog.errors)
    assert read_stays(people, None, days=WEEK, posts=set(), file="r", plog=plog) == people


def _resident(rural: Scenario) -> list[Person]:
    return [p for p in rural.people if p.stationed]


def test_a_resident_auxiliary_only_in_teams_of_his_post_on_his_days(
    rural_plan: Plan, rural: Scenario
) -> None:
    residents = _resident(rural)
    assert len(residents) == 2
    posts = {t.team_id: r.post_id for r in rural_plan.routes for t in [r.team]}
    seen = 0
    for p in residents:
        (stay,) = p.stationed
        for team in rural_plan.team_plan.teams:
            if p.person_id not in {m.person_id for m in team.members}:
                continue
            seen += 1
            assert team.slot.date in stay.dates, (p.person_id, team.team_id)
            if team.team_id in posts:
                assert posts[team.team_id] == stay.post_id
    print(f"\nresident auxiliaries on {seen} team-shifts, all at their post on their days")
    assert seen


def test_a_resident_patrols_nights_as_normal_duty_and_rests_after(
    rural_plan: Plan, rural: Scenario
) -> None:
    slots = rural_plan.slots
    index = {s.key: i for i, s in enumerate(slots)}
    far = next(p for p in _resident(rural) if p.stationed[0].post_id == "JWS2")
    worked = {index[t.slot.key] for t in rural_plan.team_plan.teams if far in t.members}
    nights = [i for i in worked if slots[i].night]
    assert nights  # he patrols at night where he lives
    for night, morning in rest_pairs(slots):
        assert not (night in worked and morning in worked)
    from patrol.summary import duty_table

    duty = duty_table(rural_plan)
    row = duty.loc[duty["person_id"] == far.person_id].iloc[0]
    assert int(row["shifts"]) == len(worked) <= far.max_shifts_per_week


def test_the_130_km_trip_is_on_the_overview_and_in_no_shift(rural_plan: Plan) -> None:
    rows = trip_rows(rural_plan, "zh")
    assert len(rows) == 4
    far = [r for r in rows if "犁铧嘴" in r.text]
    print("\n" + "\n".join(f"{r.text}  {r.drive}" for r in rows))
    assert len(far) == 2 and all("驾车 12" in r.drive or "驾车 13" in r.drive for r in far)
    shift_legs = [leg for r in rural_plan.routes for leg in r.legs]
    assert max(leg.geometry.length for leg in shift_legs) < 100_000  # no route carries it
    assert trip_rows(dataclasses.replace(rural_plan, scenario=_no_stays(rural_plan)), "zh") == []


def _no_stays(plan: Plan) -> Scenario:
    people = tuple(dataclasses.replace(p, stationed=()) for p in plan.scenario.people)
    return dataclasses.replace(plan.scenario, people=people)


def test_with_stays_keeps_a_scenario_without_stays(rural_plan: Plan) -> None:
    plain = _no_stays(rural_plan)
    assert with_stays(plain, {"B1": ("PCS", 0)}) is plain
