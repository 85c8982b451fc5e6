"""Re-plan the rest of the sample's week with the least change (issue #16, "Done when")."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from patrol.errors import PatrolError
from patrol.plan import Plan
from patrol.planner import plan_week
from patrol.revise.changes import changed_routes, kept_figures, list_changes
from patrol.revise.check import check_store_matches, store_mismatches
from patrol.revise.replan import cut_slot, replan_week
from patrol.scenario.model import Scenario
from patrol.scenario.read import read_scenario
from tests.revise.conftest import (
    PARAMS,
    SAMPLE,
    THURSDAY,
    WEDNESDAY,
    first_officer,
    sick_from_wednesday,
    with_risk,
)

FRIDAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def sample() -> Iterator[tuple[Scenario, Plan]]:
    """The sample scenario and its week, planned once for the module."""
    scenario = read_scenario(SAMPLE)
    yield scenario, plan_week(scenario, PARAMS)


def test_sick_officer_wednesday_to_friday(sample: tuple[Scenario, Plan]) -> None:
    scenario, old = sample
    officer = first_officer(scenario)
    sick = sick_from_wednesday(scenario, officer)
    result = replan_week(old, sick, WEDNESDAY, params=PARAMS)
    new = result.plan
    figures = kept_figures(old, new, first=result.first, without=[officer])
    full = plan_week(sick, PARAMS)
    gap_points = 100 * (full.weighted_demand_met - new.weighted_demand_met)
    print(
        f"\nsick officer {officer} Wed-Fri, re-planned from Wednesday:"
        f"\n  Mon/Tue team-shifts unchanged: {100 * figures['before_unchanged']:.1f}%"
        f" of {figures['before_team_shifts']:.0f}"
        f"\n  Wed-Sun team-shifts without the officer keeping members and >=80% of tasks:"
        f" {100 * figures['kept']:.1f}% of {figures['later_team_shifts']:.0f}"
        f" (same members {100 * figures['same_members']:.1f}%,"
        f" tasks kept {100 * figures['tasks_kept']:.1f}%)"
        f"\n  demand met {100 * new.weighted_demand_met:.1f}% against a full re-plan's"
        f" {100 * full.weighted_demand_met:.1f}% ({gap_points:+.1f} points)"
    )
    assert figures["before_unchanged"] == 1.0
    assert figures["kept"] >= 0.9
    assert abs(gap_points) <= 1.0
    on_duty_after = {
        p.person_id for r in new.routes if r.team.slot.start >= result.first.start
        and r.team.slot.date <= FRIDAY for p in r.team.members
    }  # fmt: skip
    assert officer not in on_duty_after
    changes = list_changes(old, new, first=result.first, team_why=result.team_why)
    team_changes = [c for c in changes if c.kind == "team"]
    assert team_changes and all(c.why_zh and c.why_en for c in changes)
    assert all(result.team_why[c.what] == (c.why_zh, c.why_en) for c in team_changes)


def test_grid_turned_red_from_thursday(sample: tuple[Scenario, Plan]) -> None:
    scenario, old = sample
    grid = "G05"  # yellow in the sample, on beat B2
    beat = scenario.beat_of_grid()[grid]
    result = replan_week(old, with_risk(scenario, grid, "red"), THURSDAY, params=PARAMS)
    new, first = result.plan, result.first

    def sweeps_after(plan: Plan) -> int:
        return sum(
            s.kind == "sweep" and s.grid_id == grid
            for r in plan.routes if r.team.slot.start >= first.start for s in r.stops
        )  # fmt: skip

    routes = changed_routes(old, new)
    outside = [r.team.team_id for r in routes if r.team.beat_id != beat]
    short = [u for u in new.unserved if u.task.beat_id == beat and u.reason == "no_time"]
    print(
        f"\n{grid} red from Thursday: sweeps Thu-Sun {sweeps_after(old)} -> {sweeps_after(new)};"
        f" {len(routes)} route(s) changed, {len(outside)} outside beat {beat};"
        f" {len(short)} task(s) of the beat left for lack of team time"
    )
    assert sweeps_after(new) > sweeps_after(old)
    assert not outside or short  # changes stay in the beat unless it lacks the staff
    assert all(r.team.slot.start >= first.start for r in routes)


def test_a_store_that_no_longer_matches_is_refused(sample: tuple[Scenario, Plan]) -> None:
    scenario, old = sample
    grids = scenario.grids.loc[scenario.grids["grid_id"] != "G10"]
    person = scenario.people[0]
    renamed = dataclasses.replace(person, name="改名")
    changed = dataclasses.replace(scenario, grids=grids, people=(renamed, *scenario.people[1:]))
    lines = store_mismatches(old, changed)
    assert [zh for zh, _ in lines] == [
        "网格 G10 已从网格图层删除",
        f"人员 {person.person_id} 由“{person.name}”改名为“改名”",
    ]
    with pytest.raises(PatrolError) as caught:
        replan_week(old, changed, WEDNESDAY, params=PARAMS)
    assert "G10" in str(caught.value) and "renamed" in str(caught.value)
    assert "G10" in caught.value.text("zh") and "未重新编排" in caught.value.text("zh")
    check_store_matches(old, scenario)  # the same scenario matches


def test_cut_slot_names_a_day_or_shift_that_is_not_there(sample: tuple[Scenario, Plan]) -> None:
    scenario, _ = sample
    slots = scenario.slots()
    assert cut_slot(slots, WEDNESDAY).key == "2026-12-02_day"
    assert cut_slot(slots, WEDNESDAY, "night").key == "2026-12-02_night"
    with pytest.raises(PatrolError, match="not in the planned week"):
        cut_slot(slots, WEDNESDAY.replace(year=2027))
    with pytest.raises(PatrolError, match="no shift 'late'"):
        cut_slot(slots, WEDNESDAY, "late")
