"""The plan as data: its figures are computed once and agree with its routes."""

from __future__ import annotations

import itertools

import pytest

from patrol.plan import REASONS, Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny scenario planned once with a deterministic work limit."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("plan") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300))


def test_grid_table_is_computed_once(tiny_plan: Plan) -> None:
    assert tiny_plan.grid_table is tiny_plan.grid_table


def test_grid_table_has_a_row_per_grid(tiny_plan: Plan) -> None:
    table = tiny_plan.grid_table
    assert list(table.index) == list(tiny_plan.scenario.grids["grid_id"])
    assert table.index.name == "grid_id"


def test_grid_table_counts_the_routes_visits_and_sweeps(tiny_plan: Plan) -> None:
    table = tiny_plan.grid_table
    tasks = {t.task_id: t for t in tiny_plan.demand.tasks}
    stops = [s for r in tiny_plan.routes for s in r.stops if s.task_id in tasks]
    visits = sum(tasks[s.task_id].kind == "visit" for s in stops)
    sweeps = sum(1 / tasks[s.task_id].parts for s in stops if tasks[s.task_id].kind == "sweep")
    assert int(table["visits_planned"].sum()) == visits
    assert float(table["sweeps_planned"].sum()) == pytest.approx(sweeps, abs=0.05)
    assert (table["night_sweeps_planned"] <= table["sweeps_planned"] + 1e-9).all()


def test_weighted_demand_met_is_a_share(tiny_plan: Plan) -> None:
    assert 0.0 < tiny_plan.weighted_demand_met <= 1.0
    served = tiny_plan.served_task_ids
    assert not served & {u.task.task_id for u in tiny_plan.unserved}


def test_every_unserved_reason_has_both_languages(tiny_plan: Plan) -> None:
    for unserved in tiny_plan.unserved:
        assert unserved.reason in REASONS
        assert unserved.reason_zh and unserved.reason_en


def test_route_geometry_starts_at_its_first_leg(tiny_plan: Plan) -> None:
    route = next(r for r in tiny_plan.routes if r.legs)
    assert route.geometry.coords[0] == route.legs[0].geometry.coords[0]
    assert route.duration_s == (route.end - route.start).total_seconds()


def test_legs_of_a_route_are_its_team_in_time_order_within_the_shift(tiny_plan: Plan) -> None:
    legs = [(r, leg) for r in tiny_plan.routes for leg in r.legs]
    assert {leg.kind for _r, leg in legs} == {"transit", "sweep"}
    for route in tiny_plan.routes:
        slot = route.team.slot
        for leg in route.legs:
            assert leg.team_id == route.team.team_id
            assert slot.start <= leg.start <= leg.end <= slot.end, leg
            assert leg.geometry.length > 0 or leg.start == leg.end
            assert (leg.kind == "sweep") <= (leg.grid_id in set(tiny_plan.grid_table.index))
        assert all(a.end <= b.start for a, b in itertools.pairwise(route.legs))


def test_sweep_gaps_and_limits(tiny_plan: Plan) -> None:
    from patrol.plan import longest_sweep_gaps, sweep_gap_limit_h

    assert sweep_gap_limit_h("orange", 4) == pytest.approx(84.0)
    assert sweep_gap_limit_h("yellow", 4) is None and sweep_gap_limit_h("red", 0) is None
    gaps = longest_sweep_gaps(tiny_plan)
    assert gaps and all(0 < h <= tiny_plan.week_h for h in gaps.values())
    table = tiny_plan.grid_table
    for grid, h in gaps.items():
        assert table.loc[grid, "longest_gap_h"] == pytest.approx(h, abs=0.05)


def test_unserved_detail_reads_back_from_its_texts(tiny_plan: Plan) -> None:
    from patrol.plan import Unserved

    task = tiny_plan.demand.tasks[0]
    entry = Unserved(task, "no_time", "网格G1", "grid G1")
    again = Unserved.from_texts(task, "no_time", zh=entry.reason_zh, en=entry.reason_en)
    assert again == entry
    assert Unserved.from_texts(task, "no_time", zh=REASONS["no_time"][0], en="x").detail_zh == ""


def test_a_split_sweep_counts_once_and_only_whole(tiny_plan: Plan) -> None:
    """Sweeps are whole numbers: a sweep in parts counts 1 when all its parts are routed,
    0 when one is missing, never a fraction."""
    import dataclasses

    from patrol.plan import _planned_per_grid

    routed = [s for r in tiny_plan.routes for s in r.stops if s.kind == "sweep"]
    assert routed, "the tiny week routes sweeps"
    stop = routed[0]
    task = next(t for t in tiny_plan.demand.tasks if t.task_id == stop.task_id)
    before = _planned_per_grid(tiny_plan)["sweeps"][task.grid_id]
    assert float(before).is_integer()
    # the same sweep declared in two parts, of which only this one is routed
    halves = [
        dataclasses.replace(task, parts=2, part=0),
        dataclasses.replace(task, task_id=task.task_id + ":b", parts=2, part=1),
    ]
    others = [t for t in tiny_plan.demand.tasks if t.task_id != task.task_id]
    split = dataclasses.replace(tiny_plan, demand=dataclasses.replace(
        tiny_plan.demand, tasks=[*others, *halves]
    ))  # fmt: skip
    after = _planned_per_grid(split)["sweeps"][task.grid_id]
    assert after == before - 1
