"""The planner's week goes through the weekly core: its problem, its insertion, its check."""

from __future__ import annotations

import dataclasses

import pytest

from patrol.plan import Plan
from patrol.planner import PlanParams, choose_posts, plan_week, walking_limit_m
from patrol.scenario.read import read_scenario
from patrol.week_core import improve_and_check, spacing_of, week_problem
from patrol.weekly.check import evaluate_week
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    folder = write_tiny_scenario(tmp_path_factory.mktemp("week_core") / "s")
    return plan_week(read_scenario(folder), PlanParams(time_limit_s=4, seed=0, max_iterations=100))


def _week(plan: Plan):  # type: ignore[no-untyped-def]
    posts = choose_posts(plan.scenario, plan.network)
    live = [
        t for t in plan.demand.tasks if t.task_id not in {u.task.task_id for u in plan.unserved}
    ]
    live += [u.task for u in plan.unserved if u.reason not in ("unreachable", "no_slot")]
    teams = [r.team for r in plan.routes]
    week = week_problem(
        plan.network, plan.slots, teams, live, posts, refused={},
        max_walk_m=walking_limit_m(plan.scenario),
    )  # fmt: skip
    return week, teams, live, posts


def test_every_plan_is_checked_and_the_tiny_week_breaks_no_rule(tiny_plan: Plan) -> None:
    assert tiny_plan.week_violations == ()
    assert "week_s" in tiny_plan.timings


def test_the_checker_reports_a_broken_week(tiny_plan: Plan) -> None:
    """A route cut short of its shift: the checker names the team and its limit."""
    week, teams, _live, _posts = _week(tiny_plan)
    routes = {r.team.team_id: r for r in tiny_plan.routes}
    schedule = week.schedule_of(routes)
    assert evaluate_week(week.problem, schedule).feasible
    vehicles = tuple(dataclasses.replace(v, duration_limit=60.0) for v in week.problem.vehicles)
    short = week.problem.replace(vehicles=vehicles)
    report = evaluate_week(short, schedule)
    assert not report.feasible
    assert any(
        "over 60" in v and teams[0].team_id in " ".join(report.violations)
        for v in report.violations
    )


def test_unserved_tasks_are_inserted_where_the_routes_leave_room(tiny_plan: Plan) -> None:
    """Take one served task out of its route: the core puts it back, and the week
    checks clean."""
    week, teams, live, posts = _week(tiny_plan)
    routes = {r.team.team_id: r for r in tiny_plan.routes}
    route = next(r for r in tiny_plan.routes if any(s.kind != "post" for s in r.stops))
    task_id = next(s.task_id for s in route.stops if s.kind != "post")
    stops = tuple(s for s in route.stops if s.task_id != task_id)
    routes[route.team.team_id] = dataclasses.replace(route, stops=stops)
    out = improve_and_check(week, tiny_plan.network, teams, live, posts, routes,
                            max_walk_m=walking_limit_m(tiny_plan.scenario))  # fmt: skip
    assert task_id in out.inserted and task_id in out.served
    assert out.report.feasible, out.report.violations
    walk_m = walking_limit_m(tiny_plan.scenario)
    checked = improve_and_check(
        week, tiny_plan.network, teams, live, posts, routes, max_walk_m=walk_m, insert=False
    )
    assert checked.inserted == [] and task_id not in checked.served


def test_spacing_follows_the_assignment(tiny_plan: Plan) -> None:
    """Sweeps of a grid needing k sweeps: ceil(k/7) a day, one in 7 // k days; other
    groups once a day."""
    rules = spacing_of(tiny_plan.demand.tasks)
    for task in tiny_plan.demand.tasks:
        rule = rules[task.group]
        if task.group.startswith("sweep:"):
            k = task.group_size
            assert (rule.per_day, rule.window_days) == (-(-k // 7), max(1, 7 // k))
        else:
            assert rule.per_day == 1 and rule.window_days == 1
