"""Shared pieces of the re-plan tests: the sample, small solver limits, a sick officer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from patrol.planner import PlanParams
from patrol.scenario.model import Scenario
from patrol.scenario.roster import Absence, apply_absences

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "zhenganli"
PARAMS = PlanParams(time_limit_s=4, seed=1, max_iterations=100)
WEDNESDAY = dt.date(2026, 12, 2)
THURSDAY = dt.date(2026, 12, 3)


def first_officer(scenario: Scenario) -> str:
    """The person id of the roster's first officer."""
    return next(p.person_id for p in scenario.people if p.role == "officer")


def sick_from_wednesday(scenario: Scenario, person_id: str) -> Scenario:
    """``scenario`` with ``person_id`` absent Wednesday to Friday (as absences.csv says)."""
    away = [Absence(person_id, WEDNESDAY, dt.date(2026, 12, 4), reason="病假")]
    names = tuple(s.name for s in scenario.shifts)
    people = apply_absences(scenario.people, away, scenario.settings.days, names)
    return dataclasses.replace(scenario, people=people)


def with_risk(scenario: Scenario, grid: str, risk: str) -> Scenario:
    """``scenario`` with grid ``grid`` of colour ``risk``."""
    grids = scenario.grids.copy()
    grids.loc[grids["grid_id"] == grid, "risk"] = risk
    return dataclasses.replace(scenario, grids=grids)
