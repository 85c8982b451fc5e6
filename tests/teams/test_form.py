"""Tests for patrol.teams.form: 1+1+N teams per shift slot, gaps with reasons, the checker."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from patrol.scenario.model import Person, ShiftSlot, week_slots
from patrol.settings import Settings, TeamSettings
from patrol.teams.checks import check_teams
from patrol.teams.form import form_teams, pair_teams
from patrol.teams.types import Team, TeamPlan
from patrol.vocab import POLICE_ROLES

MON, TUE, WED = 0, 1, 2
SLOTS = week_slots(Settings(week_start=dt.date(2026, 11, 30)))  # a Monday
GRIDS = {"G1": "B1", "G2": "B2"}
BEATS = ("B1", "B2")
RULES = TeamSettings(min_others=1, time_limit_s=5.0)


def person(
    pid: str,
    role: str,
    *,
    beat: str | None = None,
    grid: str | None = None,
    when: set[tuple[int, str]] | None = None,
    max_shifts: int = 5,
) -> Person:
    return Person(pid, pid, role, beat, grid, frozenset(when or set()), max_shifts)


def plan_for(
    people: list[Person],
    *,
    slots: list[ShiftSlot] = SLOTS,
    settings: TeamSettings = RULES,
    **kw: object,
) -> TeamPlan:
    plan = form_teams(people, slots, beat_of_grid=GRIDS, beats=BEATS, settings=settings, **kw)  # type: ignore[arg-type]
    problems = check_teams(
        plan, people, slots, beat_of_grid=GRIDS, settings=settings, need=kw.get("need")
    )  # type: ignore[arg-type]
    assert problems == []
    return plan


def slot(day: int, shift: str) -> ShiftSlot:
    return next(s for s in SLOTS if s.day == day and s.shift == shift)


MON_NIGHT_TUE_DAY = {(MON, "night"), (TUE, "day")}


@pytest.fixture
def two_beats() -> list[Person]:
    """Beat B1: an officer, an auxiliary, its grid worker, two volunteers of B1 and a
    floating cadre; beat B2: an officer and its grid worker; all free Mon and Tue all day."""
    free = {(d, s) for d in (MON, TUE) for s in ("day", "afternoon", "night")}
    return [
        person("off1", "officer", beat="B1", when=free),
        person("aux1", "auxiliary", beat="B1", when=free),
        person("gw1", "grid_worker", grid="G1", when=free),
        person("gw1b", "grid_worker", grid="G1", when=free),
        person("vol1", "volunteer", beat="B1", when=free),
        person("vol2", "volunteer", beat="B1", when=free),
        person("cad", "cadre", when=free),
        person("off2", "officer", beat="B2", when=free),
        person("gw2", "grid_worker", grid="G2", when=free),
    ]


def test_every_team_is_one_plus_one_plus_n_on_its_beat(two_beats: list[Person]) -> None:
    plan = plan_for(two_beats)
    assert plan.teams
    for team in plan.teams:
        assert team.police.role in POLICE_ROLES and team.police.beat_id == team.beat_id
        assert team.grid_worker.role == "grid_worker"
        assert GRIDS[team.grid_worker.grid_id or ""] == team.beat_id
        assert all(o.beat_id in (None, team.beat_id) for o in team.others)
        assert team.members[:2] == (team.police, team.grid_worker)
    # a team needs both halves of 1+1: beat B2 has one officer and one grid worker
    b2 = [t for t in plan.teams if t.beat_id == "B2"]
    assert {t.police.person_id for t in b2} == {"off2"}
    assert plan.status == "OPTIMAL"


def test_nobody_is_double_booked_and_limits_hold(two_beats: list[Person]) -> None:
    plan = plan_for(two_beats, need={(b, s.key): 3 for b in BEATS for s in SLOTS})
    seen = [(m.person_id, t.slot.key) for t in plan.teams for m in t.members]
    assert len(seen) == len(set(seen))
    for p in two_beats:
        assert plan.load[p.person_id] <= p.max_shifts_per_week
    # B1 has two police and two grid workers: never more than two teams in a slot
    per_slot = [sum(t.beat_id == "B1" and t.slot == s for t in plan.teams) for s in SLOTS]
    assert max(per_slot) == 2


def test_availability_and_weekly_limit() -> None:
    every = {(d, s) for d in range(7) for s in ("day", "afternoon", "night")}
    people = [
        person("off", "officer", beat="B1", when=every, max_shifts=2),
        person(
            "gw", "grid_worker", grid="G1", when={(WED, "day"), (WED, "night"), (MON, "afternoon")}
        ),
    ]
    plan = plan_for(people)
    assert plan.load == {"off": 2, "gw": 2}
    assert {t.slot.key for t in plan.teams} <= {
        slot(WED, "day").key,
        slot(WED, "night").key,
        slot(MON, "afternoon").key,
    }
    gap = next(
        g
        for g in plan.gaps
        if g.slot == slot(WED, "night")
        or g.slot == slot(MON, "afternoon")
        or g.slot == slot(WED, "day")
    )
    assert "weekly limit" in gap.reason_en


def _rest_roster() -> list[Person]:
    return [
        person("off", "officer", beat="B1", when=MON_NIGHT_TUE_DAY),
        person("gw", "grid_worker", grid="G1", when=MON_NIGHT_TUE_DAY),
        person("vol", "volunteer", when=MON_NIGHT_TUE_DAY),
    ]


def test_no_morning_shift_after_a_night_shift() -> None:
    plan = plan_for(_rest_roster())
    assert len(plan.teams) == 1
    assert plan.load == {"off": 1, "gw": 1, "vol": 1}
    other = slot(TUE, "day") if plan.teams[0].slot == slot(MON, "night") else slot(MON, "night")
    gap = next(g for g in plan.gaps if g.beat_id == "B1" and g.slot == other)
    assert "resting after a night shift" in gap.reason_en
    assert "夜班后须休息" in gap.reason_zh


def test_without_the_rest_rule_both_shifts_are_worked() -> None:
    relaxed = dataclasses.replace(RULES, rest_after_night=False)
    plan = plan_for(_rest_roster(), settings=relaxed)
    assert sorted(t.slot.key for t in plan.teams) == [slot(MON, "night").key, slot(TUE, "day").key]


def test_a_shortfall_of_others_forms_the_team_and_is_reported() -> None:
    people = [
        person("off", "officer", beat="B1", when={(MON, "day")}),
        person("gw", "grid_worker", grid="G1", when={(MON, "day")}),
    ]
    plan = plan_for(people, settings=dataclasses.replace(RULES, min_others=2))
    (team,) = plan.teams
    assert team.team_id == f"{slot(MON, 'day').key}_B1_1"
    assert team.others == () and team.shortfall == 2
    assert plan.short_teams == (team,)


def test_no_grid_worker_means_no_team_and_a_gap_with_reason() -> None:
    people = [
        person("off", "officer", beat="B1", when={(TUE, "night")}),
        person("vol", "volunteer", when={(TUE, "night")}),
    ]
    plan = plan_for(people, slots=[slot(TUE, "night")])
    assert plan.teams == ()
    by_beat = {g.beat_id: g for g in plan.gaps}
    assert by_beat["B1"].needed == 1 and by_beat["B1"].formed == 0
    assert by_beat["B1"].reason_en == "no grid worker for beat B1 in the roster"
    assert "no police of beat B2 in the roster" in by_beat["B2"].reason_en
    assert plan.load == {"off": 0, "vol": 0}


def test_gap_reason_names_who_is_missing_and_when() -> None:
    people = [
        person("off", "officer", beat="B2", when={(MON, "night")}),
        person("gw", "grid_worker", grid="G2", when={(TUE, "night"), (MON, "night")}),
    ]
    plan = plan_for(
        people,
        slots=[slot(MON, "night"), slot(TUE, "night")],
        need={("B1", slot(MON, "night").key): 0, ("B1", slot(TUE, "night").key): 0},
    )
    (gap,) = plan.gaps
    assert gap.beat_id == "B2" and gap.slot == slot(TUE, "night")
    assert gap.reason_en == "no police of beat B2 available on Tue night"
    assert gap.reason_zh == "周二夜班无可用警格B2民警/辅警"


def test_an_empty_week_is_all_gaps_not_an_error() -> None:
    plan = plan_for([])
    assert plan.teams == () and plan.status == "EMPTY"
    assert len(plan.gaps) == len(SLOTS) * len(BEATS)
    assert all(g.reason_en and g.reason_zh for g in plan.gaps)


def test_duty_is_spread_fairly_within_a_role() -> None:
    six = {(d, "night") for d in range(6)}
    people = [
        person("aux1", "auxiliary", beat="B1", when=six),
        person("aux2", "auxiliary", beat="B1", when=six),
        person("gw", "grid_worker", grid="G1", when=six, max_shifts=6),
    ]
    plan = plan_for(people)
    assert len(plan.teams) == 6
    assert plan.load["aux1"] == plan.load["aux2"] == 3
    assert plan.spread["auxiliary"] == {"min": 3.0, "max": 3.0, "mean": 3.0}
    assert plan.spread["grid_worker"] == {"min": 6.0, "max": 6.0, "mean": 6.0}
    # alike but for one extra free night (which has no grid worker): still 3/3, not 5/1
    people[0] = person("aux1", "auxiliary", beat="B1", when=six | {(6, "night")})
    assert plan_for(people).load == {"aux1": 3, "aux2": 3, "gw": 6}


def test_weight_decides_which_slot_a_scarce_person_staffs() -> None:
    when = {(MON, "day"), (MON, "night")}
    people = [
        person("off", "officer", beat="B1", when=when, max_shifts=1),
        person("gw", "grid_worker", grid="G1", when=when),
    ]
    weight = {("B1", slot(MON, "night").key): 5.0}
    plan = plan_for(people, weight=weight)
    assert [t.slot for t in plan.teams] == [slot(MON, "night")]
    assert plan.objective == pytest.approx(5.0)
    assert plan.bound == pytest.approx(5.0)


def test_a_scarce_team_goes_where_an_other_can_join() -> None:
    """Each day a police member and a grid worker can do one of two shifts; an other is
    free for only one of them, alternately the day and the afternoon shift."""
    people = []
    for d in range(6):
        when = {(d, "day"), (d, "afternoon")}
        joins = ("day", "afternoon")[d % 2]
        people += [
            person(f"off{d}", "officer", beat="B1", when=when, max_shifts=1),
            person(f"gw{d}", "grid_worker", grid="G1", when=when, max_shifts=1),
            person(f"vol{d}", "volunteer", when={(d, joins)}),
        ]
    plan = plan_for(people, settings=dataclasses.replace(RULES, rest_after_night=False))
    assert len(plan.teams) == 6
    assert plan.short_teams == ()
    assert {t.slot.shift for t in plan.teams} == {"day", "afternoon"}


def test_own_grid_workers_preferred_over_one_without_a_grid() -> None:
    when = {(MON, "night")}
    people = [
        person("a-float", "grid_worker", when=when),
        person("off", "officer", beat="B1", when=when),
        person("aux", "auxiliary", beat="B1", when=when),
        person("gw", "grid_worker", grid="G1", when=when),
        person("gw2", "grid_worker", grid="G1", when=when),
    ]
    plan = plan_for(people, need={("B1", slot(MON, "night").key): 2})
    assert sorted(t.grid_worker.person_id for t in plan.teams) == ["gw", "gw2"]


def test_need_two_forms_two_teams_when_staff_allow(two_beats: list[Person]) -> None:
    key = slot(MON, "night").key
    need = {(b, s.key): 0 for b in BEATS for s in SLOTS} | {("B1", key): 2}
    plan = plan_for(two_beats, need=need)
    assert [t.team_id for t in plan.teams] == [f"{key}_B1_1", f"{key}_B1_2"]
    assert {t.police.person_id for t in plan.teams} == {"off1", "aux1"}
    # three others of B1 (two volunteers, one floating cadre) over two teams, one each
    assert all(len(t.others) == 1 for t in plan.teams)
    assert plan.gaps == ()


def test_same_input_gives_same_teams(two_beats: list[Person]) -> None:
    a, b = plan_for(two_beats), plan_for(two_beats)
    assert a.teams == b.teams and a.gaps == b.gaps and a.load == b.load


def test_check_teams_catches_a_broken_plan(two_beats: list[Person]) -> None:
    plan = plan_for(two_beats)
    team = plan.teams[0]
    off2 = next(p for p in two_beats if p.person_id == "off2")
    stranger = person("ghost", "volunteer", beat="B2", when=set())
    bad: Team = dataclasses.replace(team, police=off2, others=(stranger,))
    broken = dataclasses.replace(plan, teams=(bad, *plan.teams))
    problems = check_teams(broken, two_beats, SLOTS, beat_of_grid=GRIDS, settings=RULES)
    text = "\n".join(problems)
    assert "belongs to beat B2, not B1" in text
    assert "ghost is not in the roster" in text
    assert "ghost is not available" in text
    assert "is in 2 teams" in text
    assert f"team id {team.team_id} is used 2 times" in text
    assert "load of" in text
    swapped = dataclasses.replace(
        team, grid_worker=next(p for p in two_beats if p.person_id == "gw2")
    )
    text = "\n".join(
        check_teams(
            dataclasses.replace(plan, teams=(swapped,)),
            two_beats,
            SLOTS,
            beat_of_grid=GRIDS,
            settings=RULES,
        )
    )
    assert "grid worker gw2's grid G2 is not in beat B1" in text
    assert "the duty spread does not match" in text


def test_check_teams_catches_rest_and_limit_breaches() -> None:
    relaxed = dataclasses.replace(RULES, rest_after_night=False)
    plan = plan_for(_rest_roster(), settings=relaxed)
    problems = check_teams(plan, _rest_roster(), SLOTS, beat_of_grid=GRIDS, settings=RULES)
    night, morning = slot(MON, "night").key, slot(TUE, "day").key
    assert f"off works {morning} straight after the night shift {night}" in problems
    capped = [dataclasses.replace(p, max_shifts_per_week=1) for p in _rest_roster()]
    problems = check_teams(plan, capped, SLOTS, beat_of_grid=GRIDS, settings=relaxed)
    assert "gw works 2 shifts, over the weekly limit of 1" in problems


def test_duplicate_person_ids_are_an_input_error() -> None:
    twice = [person("p", "officer", beat="B1"), person("p", "auxiliary", beat="B1")]
    with pytest.raises(ValueError, match="more than once"):
        form_teams(twice, SLOTS, beat_of_grid=GRIDS, beats=BEATS, settings=RULES)


def test_pair_teams_keeps_partners_prefers_own_grid_and_shares_out_the_others() -> None:
    """p1 and p2 are B1's police, gw1 is G1's grid worker, gwx has no grid. On Monday
    only p1 and gwx are on duty; on Tuesday p1 takes gwx again (earlier partner), though
    gw1 has a grid of its own. Slots are given out of time order on purpose."""
    people = [
        person("p1", "officer", beat="B1"),
        person("p2", "auxiliary", beat="B1"),
        person("gw1", "grid_worker", grid="G1"),
        person("gwx", "grid_worker"),
        person("v1", "volunteer"),
        person("v2", "volunteer"),
        person("v3", "elder"),
    ]
    idx = {p.person_id: i for i, p in enumerate(people)}
    slots = [slot(TUE, "day"), slot(MON, "day")]
    monday = {("B1", 1): [idx["gwx"], idx["p1"], idx["v1"]]}
    tuesday = {("B1", 0): [idx[k] for k in ("v3", "gw1", "p2", "v1", "gwx", "p1", "v2")]}
    teams = pair_teams(people, slots, BEATS, monday | tuesday, 2)
    assert [t.team_id for t in teams] == [
        f"{slots[1].key}_B1_1",
        f"{slots[0].key}_B1_1",
        f"{slots[0].key}_B1_2",
    ]
    crews = [[m.person_id for m in t.members] for t in teams]
    assert crews == [["p1", "gwx", "v1"], ["p1", "gwx", "v1", "v3"], ["p2", "gw1", "v2"]]
    assert [t.shortfall for t in teams] == [1, 0, 1]
    assert all(t.beat_id == "B1" and t.min_others == 2 for t in teams)
    # without Monday's history the officer takes the grid worker with a grid
    fresh = pair_teams(people, slots, BEATS, tuesday, 1)
    assert [[m.person_id for m in t.members] for t in fresh] == [
        ["p1", "gw1", "v1"],
        ["p2", "gwx", "v2"],
    ]
    assert pair_teams(people, slots, BEATS, {}, 1) == []
