"""A plan turned into coverage inputs, and measured with the demand's recent incidents."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from patrol.coverage.of_plan import (
    measure_plan_coverage,
    plan_streets,
    plan_tracks,
    sweep_times,
    visit_stops,
)
from patrol.demand import recent_incidents
from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny scenario planned once with a deterministic work limit."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("of_plan") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300, engine="pyvrp"))


def test_plan_tracks_are_the_legs_with_times_and_band(tiny_plan: Plan) -> None:
    tracks = plan_tracks(tiny_plan)
    legs = [leg for route in tiny_plan.routes for leg in route.legs]
    assert len(tracks) == len(legs) > 0
    assert (tracks["end"] >= tracks["start"]).all()
    assert set(tracks["night"]) <= {True, False}
    assert tracks.crs == tiny_plan.scenario.crs


def test_plan_streets_carry_the_grid_that_sweeps_them(tiny_plan: Plan) -> None:
    streets = plan_streets(tiny_plan)
    assert len(streets) == len(tiny_plan.network.edges)
    assert streets["grid_id"].notna().all()


def test_sweep_times_are_one_row_per_sweep_stop(tiny_plan: Plan) -> None:
    times = sweep_times(tiny_plan)
    stops = [s for r in tiny_plan.routes for s in r.stops if s.kind == "sweep"]
    assert len(times) == len(stops) > 0
    assert list(times.columns) == ["grid_id", "start", "end"]


def test_plan_coverage_counts_the_demands_recent_incidents(tiny_plan: Plan) -> None:
    cov = measure_plan_coverage(tiny_plan)
    recent = recent_incidents(tiny_plan.scenario)
    assert cov.summary["incidents_90d"] == len(recent)
    assert cov.grid_coverage["incidents_90d"].sum() <= len(recent)
    assert cov.summary["grids"] == len(tiny_plan.scenario.grids)
    assert isinstance(cov.grid_coverage["longest_gap_h"], pd.Series)


def test_incidents_outside_the_lookback_are_not_counted(tiny_plan: Plan) -> None:
    """An incident 200 days old and one at the very start of the week are not recent."""
    scenario = tiny_plan.scenario
    week_start = pd.Timestamp(scenario.settings.week_start)
    extra = scenario.incidents.iloc[[0, 0]].assign(
        incident_id=["old", "now"], time=[week_start - pd.Timedelta(days=200), week_start]
    )
    incidents = pd.concat([scenario.incidents, extra], ignore_index=True)
    moved = dataclasses.replace(
        tiny_plan, scenario=dataclasses.replace(scenario, incidents=incidents)
    )
    before = measure_plan_coverage(tiny_plan).summary["incidents_90d"]
    assert measure_plan_coverage(moved).summary["incidents_90d"] == before


def test_visit_stops_are_the_visited_households_buildings(tiny_plan: Plan) -> None:
    """Every visit stop names its household's building, and that building is covered."""
    visits = visit_stops(tiny_plan)
    stops = [s for r in tiny_plan.routes for s in r.stops if s.kind == "visit"]
    assert len(visits) == len(stops) > 0
    focus = tiny_plan.scenario.focus_households.set_index("household_id")["building_id"]
    assert set(visits["building_id"]) == {focus[s.target_id] for s in stops}
    covered = measure_plan_coverage(tiny_plan).building_coverage.set_index("building_id")
    assert covered.loc[list(visits["building_id"]), "covered"].all()
