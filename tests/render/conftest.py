"""Fixtures of the render tests: the tiny week planned once per session, with coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.coverage.measure import Coverage
from patrol.plan import Plan
from tests.factory import write_tiny_scenario


def plan_tiny(folder: Path) -> Plan:
    """The tiny scenario written into ``folder`` and planned (seed 1, fixed work limit)."""
    from patrol.planner import PlanParams, plan_week
    from patrol.scenario.read import read_scenario

    scenario = read_scenario(write_tiny_scenario(folder))
    return plan_week(scenario, PlanParams(seed=1, max_iterations=200, engine="pyvrp"))


@pytest.fixture(scope="session")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Coverage]:
    """The tiny week planned once, with its coverage (shared by the render tests)."""
    from patrol.coverage.of_plan import measure_plan_coverage

    plan = plan_tiny(tmp_path_factory.mktemp("render") / "tiny")
    return plan, measure_plan_coverage(plan)
