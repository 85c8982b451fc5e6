"""Fallback teams (issue #13, rule 5): formed only where no 1+1+N team can be, in the
station's order of preference, and what each kind may take."""

from __future__ import annotations

import dataclasses
import datetime as dt

from patrol.scenario.model import Person, ShiftSlot, week_slots
from patrol.settings import Settings, TeamSettings
from patrol.teams.checks import check_teams
from patrol.teams.fallback import add_fallback_teams
from patrol.teams.form import form_teams
from patrol.teams.types import Team, TeamPlan, refused_tasks, team_from_members

MON, SUN = 0, 6
SLOTS = [s for s in week_slots(Settings(week_start=dt.date(2026, 11, 30))) if s.shift == "day"]
GRIDS = {"G1": "B1", "G2": "B2"}
BEATS = ("B1", "B2")
ALL = ("police_volunteers", "red_armband", "police_assistant")


def person(pid: str, role: str, *, beat: str | None = None, grid: str | None = None,
           days: tuple[int, ...] = (MON, SUN), max_shifts: int = 5) -> Person:  # fmt: skip
    return Person(pid, pid, role, beat, grid, frozenset((d, "day") for d in days), max_shifts)


def plan_for(people: list[Person], fallback: tuple[str, ...]) -> TeamPlan:
    """Teams for the Monday and Sunday day shifts of beats B1 and B2 (the other days are not
    needed), checked by the independent checker."""
    rules = TeamSettings(min_others=1, time_limit_s=5.0, fallback=fallback)
    need = {(b, s.key): int(s.weekday in (MON, SUN)) for b in BEATS for s in SLOTS}
    plan = form_teams(people, SLOTS, beat_of_grid=GRIDS, beats=BEATS, settings=rules, need=need)
    assert check_teams(plan, people, SLOTS, beat_of_grid=GRIDS, settings=rules, need=need) == []
    return plan


def kinds(plan: TeamPlan) -> dict[tuple[str, int], str]:
    return {(t.beat_id, t.slot.weekday): t.kind for t in plan.teams}


def sunday_without_grid_workers() -> list[Person]:
    """B1: an officer and a volunteer every Monday and Sunday, a grid worker only on Monday;
    B2: the same, plus two red-armband volunteers and a police assistant of B2."""
    return [
        person("off1", "officer", beat="B1"),
        person("gw1", "grid_worker", grid="G1", days=(MON,)),
        person("vol1", "volunteer", beat="B1"),
        person("off2", "officer", beat="B2", days=(MON,)),
        person("gw2", "grid_worker", grid="G2", days=(MON,)),
        person("vol2", "volunteer", beat="B2"),
        person("red1", "red_armband", beat="B2"),
        person("red2", "red_armband"),
        person("pa2", "police_assistant", beat="B2"),
    ]


def test_without_fallback_sunday_is_a_gap_naming_the_missing_grid_worker() -> None:
    plan = plan_for(sunday_without_grid_workers(), ())
    assert kinds(plan) == {("B1", MON): "full", ("B2", MON): "full"}
    sunday = [g for g in plan.gaps if g.slot.weekday == SUN]
    assert [g.beat_id for g in sunday] == ["B1", "B2"]
    assert "no grid worker for beat B1 available on Sun day" in sunday[0].reason_en
    assert "周日白班无可用警格B1网格员" in sunday[0].reason_zh


def test_police_with_volunteers_cover_sunday_and_only_sunday() -> None:
    plan = plan_for(sunday_without_grid_workers(), ("police_volunteers",))
    assert kinds(plan)[("B1", SUN)] == "police_volunteers"
    assert kinds(plan)[("B1", MON)] == "full"  # a full team wherever one can be formed
    sun_b1 = next(t for t in plan.teams if (t.beat_id, t.slot.weekday) == ("B1", SUN))
    assert sun_b1.grid_worker is None and [p.person_id for p in sun_b1.members] == [
        "off1",
        "vol1",
    ]
    gap = next(g for g in plan.gaps if g.slot.weekday == SUN)  # B2 has no police on Sunday
    assert gap.beat_id == "B2"
    assert "police + volunteers: no free police of beat B2" in gap.reason_en
    assert "民警/辅警+志愿者：无空闲的警格B2民警/辅警" in gap.reason_zh


def test_the_order_of_preference_decides_and_red_armband_sweeps_green_and_yellow_only() -> None:
    plan = plan_for(sunday_without_grid_workers(), ("red_armband", "police_assistant"))
    assert kinds(plan)[("B2", SUN)] == "red_armband"
    assert ("B1", SUN) not in kinds(plan)  # B1 has no red armband nor assistant
    red = next(t for t in plan.teams if t.kind == "red_armband")
    assert {p.person_id for p in red.members} == {"red1", "red2"}
    assert red.police is None and red.grid_worker is None and red.shortfall == 0
    assert red.may_take("sweep", risk="green") and red.may_take("sweep", risk="yellow")
    assert not red.may_take("sweep", risk="orange") and not red.may_take("sweep", risk="red")
    assert not red.may_take("visit", risk="green") and not red.may_take("hotspot", risk="green")
    gap_b1 = next(g for g in plan.gaps if g.slot.weekday == SUN)
    assert "only 1 red-armband volunteer(s) free, 2 needed" in gap_b1.reason_en
    assert "名册中无警格B1警务助理" in gap_b1.reason_zh  # none in the roster, not "none free"


def test_a_police_assistant_team_forms_on_its_own_village_beat() -> None:
    plan = plan_for(sunday_without_grid_workers(), ("police_assistant",))
    assert kinds(plan)[("B2", SUN)] == "police_assistant"
    team = next(t for t in plan.teams if t.kind == "police_assistant")
    assert [p.person_id for p in team.members] == ["pa2", "vol2"]
    assert team.may_take("visit", risk="red") and team.may_take("sweep", risk="red")
    assert ("B1", SUN) not in kinds(plan)  # the assistant serves only beat B2


def test_one_red_armband_volunteer_is_not_a_team() -> None:
    people = [p for p in sunday_without_grid_workers() if p.person_id != "red2"]
    plan = plan_for(people, ("red_armband",))
    assert "red_armband" not in kinds(plan).values()


def test_fallback_never_takes_people_a_full_team_needs() -> None:
    """Monday: B1 can form a full team; the only police member then has no time for a
    fallback elsewhere, and the full team keeps its grid worker."""
    people = sunday_without_grid_workers()
    plan = plan_for(people, ALL)
    full = {(t.beat_id, t.slot.weekday) for t in plan.teams if t.kind == "full"}
    assert full == {("B1", MON), ("B2", MON)}
    assert all(t.slot.weekday == SUN for t in plan.teams if t.kind != "full")


def test_add_fallback_teams_respects_limits_and_says_what_each_kind_lacked() -> None:
    people = [
        person("off1", "officer", beat="B1", max_shifts=0),
        person("vol1", "volunteer", beat="B1"),
    ]
    sunday = next(i for i, s in enumerate(SLOTS) if s.weekday == SUN)
    new, why = add_fallback_teams(
        people, SLOTS, [], {("B1", sunday): 1}, {}, {"off1": ("B1",), "vol1": ("B1", "B2")},
        kinds=("police_volunteers", "red_armband"), min_others=1, rest_after_night=True,
    )  # fmt: skip
    assert new == []
    en, zh = why[("B1", sunday)]
    assert en.startswith("no fallback team either") and "red-armband" in en
    assert zh.startswith("也无法组成后备小队")


def test_team_from_members_restores_the_kind_of_a_saved_team() -> None:
    slot: ShiftSlot = SLOTS[0]
    crew = [person("red1", "red_armband"), person("red2", "red_armband")]
    assert team_from_members("t", slot, "B1", crew).kind == "red_armband"
    pv = [person("vol", "volunteer"), person("off", "officer", beat="B1")]
    team = team_from_members("t", slot, "B1", pv)
    assert team.kind == "police_volunteers" and team.police is not None
    assert team.police.person_id == "off" and team.own_grid_id is None
    full = Team("t", slot, "B1", pv[1], person("gw", "grid_worker", grid="G1"), (pv[0],))
    assert full.kind == "full" and full.own_grid_id == "G1"
    assert dataclasses.replace(full, grid_worker=None).kind == "police_volunteers"


def test_no_red_armband_team_on_a_beat_without_green_or_yellow_grids() -> None:
    """B2's only grid is red: its red-armband volunteers could sweep nothing there."""
    rules = TeamSettings(min_others=1, time_limit_s=5.0, fallback=("red_armband",))
    need = {(b, s.key): int(s.weekday == SUN) for b in BEATS for s in SLOTS}
    people = sunday_without_grid_workers()
    kw = {"beat_of_grid": GRIDS, "beats": BEATS, "settings": rules, "need": need}
    red_g2 = form_teams(people, SLOTS, **kw, risk_of_grid={"G1": "green", "G2": "red"})  # type: ignore[arg-type]
    assert "red_armband" not in {t.kind for t in red_g2.teams}
    gap = next(g for g in red_g2.gaps if g.beat_id == "B2")
    assert "beat B2 has no green or yellow grid" in gap.reason_en
    assert "警格B2无绿、黄网格" in gap.reason_zh
    yellow_g2 = form_teams(people, SLOTS, **kw, risk_of_grid={"G1": "green", "G2": "yellow"})  # type: ignore[arg-type]
    assert [t.beat_id for t in yellow_g2.teams if t.kind == "red_armband"] == ["B2"]


def test_refused_tasks_of_a_red_armband_team() -> None:
    import pandas as pd

    @dataclasses.dataclass
    class _T:
        task_id: str
        kind: str
        grid_id: str

    grids = pd.DataFrame({"grid_id": ["G1", "G2"], "risk": ["yellow", "orange"]})
    tasks = [_T("a", "sweep", "G1"), _T("b", "sweep", "G2"), _T("c", "visit", "G1")]
    crew = [person("red1", "red_armband"), person("red2", "red_armband")]
    red = team_from_members("t", SLOTS[0], "B1", crew)
    assert refused_tasks(red, tasks, grids) == {"b", "c"}
    full = Team("t", SLOTS[0], "B1", person("o", "officer"), person("g", "grid_worker"), ())
    assert refused_tasks(full, tasks, grids) == frozenset()
