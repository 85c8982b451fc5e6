"""The tiny scenario planned once and saved once, shared by the store's tests (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from patrol.coverage.measure import Coverage
from patrol.coverage.of_plan import measure_plan_coverage
from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.store.write import write_coverage, write_plan
from tests.factory import write_tiny_scenario


@dataclass(frozen=True)
class Saved:
    """A plan, its coverage, the folder it was saved to and the scenario it came from."""

    plan: Plan
    coverage: Coverage
    out: Path
    scenario: Path


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Saved:
    """The tiny scenario planned with a work limit, its coverage measured, both saved.

    Tests must not change ``saved.out`` or ``saved.scenario``: copy them first.
    """
    base = tmp_path_factory.mktemp("store")
    folder = write_tiny_scenario(base / "tiny")
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300, engine="pyvrp"))
    coverage = measure_plan_coverage(plan)
    out = base / "out"
    write_plan(plan, out)
    write_coverage(coverage, out)
    return Saved(plan, coverage, out, folder)
