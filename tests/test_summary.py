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
