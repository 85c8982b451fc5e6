"""The tiny scenario planned and saved once, with a week of synthetic actuals matched and
measured, shared by the actuals' tests (read-only: copy ``week.out`` before changing it)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from patrol.actuals.checkins import CHECKIN_FIELDS
from patrol.actuals.compliance import Compliance, measure_compliance
from patrol.actuals.matching import Matched, match_fixes
from patrol.actuals.screen import screen_fixes
from patrol.actuals.synth import SynthWeek, synth_actuals, write_synth_files
from patrol.actuals.workbook import write_checkin_workbook
from patrol.coverage.of_plan import measure_plan_coverage
from patrol.errors import Problem
from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.store.write import write_coverage, write_plan
from tests.factory import write_tiny_scenario

DEVIATE = {
    "2026-12-02_night_B1_1": "detour",
    "2026-12-03_day_B1_1": "skipped",
    "2026-12-03_night_B2_1": "short_dwell",
    "2026-12-02_day_B2_1": "noise",
    "2026-12-04_night_B2_1": "gap",
}
"""The tiny plan's team-shifts that deviate (seed 1 plan), and how."""


@dataclass(frozen=True)
class Week:
    """The saved plan, its synthetic actuals (also as files), matched and measured."""

    plan: Plan
    out: Path
    files: Path
    synth: SynthWeek
    fixes: object
    screened: list[Problem]
    matched: Matched
    compliance: Compliance


@pytest.fixture(scope="session")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    base = tmp_path_factory.mktemp("actuals")
    folder = write_tiny_scenario(base / "tiny")
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300, engine="pyvrp"))
    out = base / "out"
    write_plan(plan, out)
    coverage = measure_plan_coverage(plan)
    write_coverage(coverage, out)
    write_checkin_workbook(plan, out)
    synth = synth_actuals(plan, seed=3, chosen=DEVIATE)
    write_synth_files(synth, base / "files")
    fixes, screened = screen_fixes(plan, synth.fixes.drop(columns=["track_id", "team_id"]))
    matched = match_fixes(plan.network, fixes)
    compliance = measure_compliance(
        plan,
        checkins=pd.DataFrame(columns=list(CHECKIN_FIELDS)),
        fixes=fixes,
        matched=matched,
        planned=coverage,
    )
    return Week(plan, out, base / "files", synth, fixes, screened, matched, compliance)


@pytest.fixture
def store_copy(week: Week, tmp_path: Path) -> Path:
    """A copy of the saved plan folder to import into."""
    target = tmp_path / "out"
    shutil.copytree(week.out, target)
    return target
