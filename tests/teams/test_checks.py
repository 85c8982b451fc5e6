"""The independent checker passes a sound plan and names a broken one."""

from __future__ import annotations

import dataclasses

from patrol.teams.checks import check_teams
from patrol.teams.form import form_teams
from tests.teams.test_form import BEATS, GRIDS, MON, RULES, SLOTS, person

PEOPLE = [
    person("o", "officer", beat="B1", when={(MON, "day")}),
    person("g", "grid_worker", grid="G1", when={(MON, "day")}),
    person("v", "volunteer", when={(MON, "day")}),
]


def test_a_formed_plan_is_sound_and_a_dropped_member_is_named() -> None:
    plan = form_teams(PEOPLE, SLOTS, beat_of_grid=GRIDS, beats=BEATS, settings=RULES)
    assert check_teams(plan, PEOPLE, SLOTS, beat_of_grid=GRIDS, settings=RULES) == []
    team = plan.teams[0]
    lonely = dataclasses.replace(team, others=())
    broken = dataclasses.replace(plan, teams=(lonely,))
    problems = check_teams(broken, PEOPLE, SLOTS, beat_of_grid=GRIDS, settings=RULES)
    assert any("the duty spread does not match" in p for p in problems)
    assert any("load of v says 1, teams give 0" in p for p in problems)
