"""One shift's routing problem and its routes (patrol.shifts), on the tiny plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.plan import Plan
from patrol.planner import PlanParams, choose_posts, plan_week, walking_limit_m
from patrol.routing.solvers import solve
from patrol.scenario.read import read_scenario
from patrol.shifts import route_slot, slot_problem
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    folder = write_tiny_scenario(tmp_path_factory.mktemp("shifts") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300))


def _busiest_shift(plan: Plan) -> tuple[object, list[object], list[object]]:
    """The shift with the most routed tasks, its teams and those tasks."""
    key = max({r.team.slot.key for r in plan.routes}, key=lambda k: sum(
        len(r.stops) for r in plan.routes if r.team.slot.key == k
    ))  # fmt: skip
    teams = [t for t in plan.team_plan.teams if t.slot.key == key]
    by_id = {t.task_id: t for t in plan.demand.tasks}
    tasks = [
        by_id[s.task_id] for r in plan.routes if r.team.slot.key == key
        for s in r.stops if s.task_id in by_id
    ]  # fmt: skip
    return teams[0].slot, teams, tasks


def test_slot_problem_has_a_vehicle_per_team_and_a_visit_per_task(tiny_plan: Plan) -> None:
    slot, teams, tasks = _busiest_shift(tiny_plan)
    posts = choose_posts(tiny_plan.scenario, tiny_plan.network)
    problem = slot_problem(tiny_plan.network, slot, teams, tasks, posts)
    assert len(problem.vehicles) == len(teams) and len(problem.visits) == len(tasks)
    assert all(v.max_distance == 0 for v in problem.vehicles)  # no walking limit asked


def test_a_walking_limit_bounds_every_route(tiny_plan: Plan) -> None:
    """With ``max_walk_m`` the objective is metres and no route walks more than that."""
    slot, teams, tasks = _busiest_shift(tiny_plan)
    posts = choose_posts(tiny_plan.scenario, tiny_plan.network)
    limited = slot_problem(tiny_plan.network, slot, teams, tasks, posts, max_walk_m=1500)
    assert all(v.max_distance == 1500 for v in limited.vehicles)
    walked = [r.length_m for r in tiny_plan.routes if r.team.slot.key == slot.key]
    limit = max(1, int(max(walked) // 2))
    routes, served = route_slot(
        tiny_plan.network, slot, teams, tasks, posts,
        engine="pyvrp", time_limit_s=1.0, seed=0, max_iterations=100, solve=solve,
        max_walk_m=limit,
    )  # fmt: skip
    assert all(r.length_m <= limit + 1 for r in routes)
    assert set(served) <= {t.task_id for t in tasks}
    for r in routes:
        assert r.stops[0].kind == r.stops[-1].kind == "post"
        assert [s.seq for s in r.stops] == list(range(len(r.stops)))


def test_the_walking_limit_is_for_teams_on_foot(tiny_plan: Plan, tmp_path: Path) -> None:
    scenario = tiny_plan.scenario
    assert walking_limit_m(scenario) == round(scenario.settings.teams.max_walk_km * 1000)
    by_car = scenario.settings.replace(travel=scenario.settings.travel.__class__(mode="car"))
    scenario.settings, saved = by_car, scenario.settings
    try:
        assert walking_limit_m(scenario) == 0
    finally:
        scenario.settings = saved
