"""The rural sample (``patrol synth --rural``), written and planned once for tests/rural.

Small limits keep it fast: a 10-second solver budget, a bounded number of routing
iterations. The plan is shared by every test of the folder (session scope)."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.model import Scenario
from patrol.scenario.read import read_scenario
from patrol.scenario.synth.rural import write_rural_scenario


@pytest.fixture(scope="session")
def rural_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rural station of 10 villages (seed 0)."""
    return write_rural_scenario(tmp_path_factory.mktemp("rural") / "rural")


@pytest.fixture(scope="session")
def rural(rural_dir: Path) -> Scenario:
    return read_scenario(rural_dir)


@pytest.fixture(scope="session")
def rural_plan(rural: Scenario) -> Plan:
    """The rural week, planned once with small limits."""
    return plan_week(rural, PlanParams(time_limit_s=10.0, seed=0, max_iterations=200))
