"""The plan's figures: per grid, per person and for the station, from one source."""

from __future__ import annotations

import json

import pytest

from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.summary import duty_table, grid_table, plan_summary
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny scenario planned once with a deterministic work limit."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("summary") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300))


def test_grid_table_is_the_plans_own(tiny_plan: Plan) -> None:
    assert grid_table(tiny_plan) is tiny_plan.grid_table


def test_duty_table_lists_everyone_within_their_limit(tiny_plan: Plan) -> None:
    duty = duty_table(tiny_plan)
    assert list(duty["person_id"]) == [p.person_id for p in tiny_plan.scenario.people]
    assert (duty["shifts"] <= duty["max_shifts"]).all()
    members = sum(len(t.members) for t in tiny_plan.team_plan.teams)
    assert int(duty["shifts"].sum()) == members


def test_plan_summary_totals_agree_with_the_grid_table(tiny_plan: Plan) -> None:
    summary = plan_summary(tiny_plan)
    table = tiny_plan.grid_table
    assert summary["sweeps_required"] == int(table["sweeps_required"].sum())
    assert summary["visits_planned"] == int(table["visits_planned"].sum())
    assert summary["tasks"] == summary["tasks_served"] + summary["tasks_unserved"]
    assert summary["routes"] == len(tiny_plan.routes)
    assert len(summary["grids"]) == len(table)
    json.dumps(summary)  # JSON-ready


def test_week_rule_figures_agree_with_the_routes(tiny_plan: Plan) -> None:
    from patrol.summary import day_task_minutes, own_worker_shares, week_rule_figures

    days = day_task_minutes(tiny_plan)
    tasks = {t.task_id: t for t in tiny_plan.demand.tasks}
    total = sum(
        tasks[s.task_id].service_s / 60
        for r in tiny_plan.routes
        for s in r.stops
        if s.task_id in tasks
    )
    assert sum(days.values()) == pytest.approx(total, abs=0.5)
    visits = own_worker_shares(tiny_plan, "visit")
    assert visits["own"] <= visits["served"] and 0 <= visits["share"] <= 1
    f = week_rule_figures(tiny_plan)
    assert f["busiest_day_minutes"] == max(days.values())
    assert f["idle_teams"] == 0
    assert set(f["longest_gaps"]) <= {"G3", "G4"}
    assert plan_summary(tiny_plan)["week_rules"] == f
    json.dumps(f)
