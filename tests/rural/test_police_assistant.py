"""Village police assistants stand in for the police only in their own village."""

from __future__ import annotations

from patrol.plan import Plan
from patrol.teams.types import refused_tasks
from patrol.vocab import POLICE_ROLES


def test_a_police_assistant_only_where_no_police_member_of_the_beat_is_on_duty(
    rural_plan: Plan,
) -> None:
    teams = rural_plan.team_plan.teams
    assistant_teams = [t for t in teams if t.kind == "police_assistant"]
    print(f"\n{len(assistant_teams)} police-assistant teams of {len(teams)}")
    assert assistant_teams
    for t in assistant_teams:
        same = [u for u in teams if u.slot.key == t.slot.key and u.beat_id == t.beat_id]
        police = [p for u in same for p in u.members if p.role in POLICE_ROLES]
        assert not police, t.team_id


def test_a_police_assistant_team_works_only_its_own_village(rural_plan: Plan) -> None:
    routes = [r for r in rural_plan.routes if r.team.kind == "police_assistant"]
    assert routes
    for r in routes:
        village = r.team.village
        assert village is not None
        assert {s.grid_id for s in r.stops if s.kind != "post"} <= {village}
    team = routes[0].team
    refused = refused_tasks(team, rural_plan.demand.tasks, rural_plan.scenario.grids)
    assert refused and all(
        t.grid_id != team.village for t in rural_plan.demand.tasks if t.task_id in refused
    )
