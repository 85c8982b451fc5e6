"""The one budget: how --time-limit is shared by teams, assignment and routing."""

from __future__ import annotations

import logging
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import patrol.budget
import patrol.planner
import patrol.routing.solvers
import patrol.teams.form
from patrol.budget import (
    MIN_CPSAT_S,
    MIN_CPU_SHARE,
    MIN_ROUTING_ITERATIONS,
    MIN_ROUTING_SOLVE_S,
    MIN_SOLVER_S,
    OUTPUTS_MAX_SHARE,
    OUTPUTS_MIN_S,
    OUTPUTS_S_PER_TASK,
    OUTPUTS_SHARE,
    ROUTING_ITERATIONS_PER_S,
    STAGE_SHARES,
    Budget,
    clock_mode,
    cpu_share,
    outputs_estimate_s,
    routing_iterations,
    seconds_left,
    share_budget,
    size_total,
    solver_total_s,
    start_deadline,
    team_stage_s,
    wall_clock_mode,
    wall_guard_s,
)
from patrol.planner import PlanParams, plan_budget, plan_week
from patrol.scenario.read import read_scenario


@pytest.mark.parametrize("total", [0.5, 5.0, 20.0, 60.0, 300.0])
@pytest.mark.parametrize("cap", [0.0, 10.0, 1000.0])
def test_the_shares_sum_to_the_total(total: float, cap: float) -> None:
    budget = share_budget(total, teams_cap_s=cap)
    assert budget.teams_s + budget.assignment_s + budget.routing_s == pytest.approx(total)
    assert min(budget.teams_s, budget.assignment_s, budget.routing_s) >= 0
    assert budget.teams_s <= cap


def test_twenty_seconds_are_shared_as_the_rule_says() -> None:
    budget = share_budget(20.0, teams_cap_s=10.0, rounds=3, max_iterations=300)
    assert (budget.teams_s, budget.assignment_s, budget.routing_s) == pytest.approx((10, 3, 7))
    assert budget.assignment_round_s(spent_s=0.0) == pytest.approx(3.0)
    assert budget.assignment_round_s(spent_s=1.0) == pytest.approx(2.0)
    assert budget.routing_solve_s(shifts=7) == pytest.approx(7 / 7 / 3)
    assert budget.routing_solve_s(shifts=100) == MIN_ROUTING_SOLVE_S
    assert budget.max_iterations == 300


def test_team_stages_share_the_team_budget() -> None:
    assert team_stage_s(10.0, stage=0) == pytest.approx(4.0)
    assert team_stage_s(10.0, stage=1, spent_s=2.0) == pytest.approx(2.0)
    assert team_stage_s(10.0, stage=2, spent_s=1.0) == pytest.approx(3.0)
    assert team_stage_s(10.0, stage=3, spent_s=6.0) == pytest.approx(4.0)


def test_the_wall_guard_is_loose_by_default_and_the_share_on_the_clock() -> None:
    assert not wall_clock_mode()
    assert wall_guard_s(0.1) == 10.0  # deterministic: only a far slower machine is stopped
    assert wall_guard_s(10.0) == 100.0
    with clock_mode(wall_clock=True):
        assert wall_clock_mode()
        assert wall_guard_s(3.0) == 3.0  # on the clock: the share is the limit
    assert not wall_clock_mode()


def test_deterministic_routing_gets_iterations_and_never_seconds() -> None:
    budget = share_budget(20.0, teams_cap_s=10.0, rounds=3)
    seconds = budget.routing_solve_s(shifts=7)
    small = budget.routing_limits(shifts=7, clients=5)
    assert small == (None, routing_iterations(seconds, clients=5))
    assert small[1] == math.ceil(ROUTING_ITERATIONS_PER_S * seconds)
    big = budget.routing_limits(shifts=7, clients=400)
    assert big[0] is None and MIN_ROUTING_ITERATIONS <= big[1] < small[1]  # type: ignore[operator]
    fixed = share_budget(20.0, teams_cap_s=10.0, max_iterations=123)
    assert fixed.routing_limits(shifts=7, clients=400) == (None, 123)
    assert routing_iterations(0.0, clients=1) == MIN_ROUTING_ITERATIONS


def test_on_the_clock_the_whole_run_is_shared() -> None:
    assert solver_total_s(100.0, wall_clock=False, spent_s=30.0) == 100.0
    assert solver_total_s(100.0, wall_clock=True, spent_s=30.0) == pytest.approx(
        100.0 * (1 - OUTPUTS_SHARE) - 30.0
    )
    assert solver_total_s(10.0, wall_clock=True, spent_s=60.0) == MIN_SOLVER_S
    budget = share_budget(100.0, teams_cap_s=10.0, wall_clock=True, spent_s=5.0)
    assert budget.wall_clock and budget.total_s == pytest.approx(60.0)
    assert budget.teams_s + budget.assignment_s + budget.routing_s == pytest.approx(60.0)
    seconds, iterations = budget.routing_limits(shifts=4, clients=50)
    assert seconds == pytest.approx(budget.routing_solve_s(shifts=4)) and iterations is None
    assert set(STAGE_SHARES) == {"preparation", "teams", "assignment", "routing", "outputs"}


def test_without_a_limit_the_total_is_sized_to_the_week() -> None:
    assert size_total(tasks=10) == 20.0
    assert size_total(tasks=1000) == pytest.approx(70.0)
    assert size_total(tasks=10_000) == 200.0


def test_a_non_positive_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        share_budget(0.0, teams_cap_s=10.0)


def test_the_stages_receive_what_the_rule_says(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, list[Any]] = {"teams": [], "assign": [], "solve": []}
    real_form, real_assign = patrol.teams.form.form_teams, patrol.planner.assign_tasks
    real_solve = patrol.routing.solvers.solve

    def form(*args: Any, **kw: Any) -> Any:
        seen["teams"].append(kw["time_limit_s"])
        return real_form(*args, **kw)

    def assign(*args: Any, **kw: Any) -> Any:
        seen["assign"].append(kw["time_limit_s"])
        return real_assign(*args, **kw)

    def solve(*args: Any, **kw: Any) -> Any:
        seen["solve"].append((kw["time_limit_s"], kw["max_iterations"]))
        return real_solve(*args, **kw)

    monkeypatch.setattr(patrol.teams.form, "form_teams", form)
    monkeypatch.setattr(patrol.planner, "assign_tasks", assign)
    monkeypatch.setattr(patrol.routing.solvers, "solve", solve)
    scenario = read_scenario(tiny_dir)
    params = PlanParams(time_limit_s=8.0, seed=0, max_iterations=50)
    plan = plan_week(scenario, params)
    budget = plan_budget(params, scenario, tasks=len(plan.demand.tasks))
    cap = scenario.settings.teams.time_limit_s
    assert seen["teams"] == [pytest.approx(min(cap, 4.0))] == [pytest.approx(budget.teams_s)]
    assert seen["assign"][0] == pytest.approx(0.15 * 8.0)
    assert all(later <= seen["assign"][0] for later in seen["assign"])
    assert seen["solve"] and all(s == (None, 50) for s in seen["solve"])


def test_routing_gets_iterations_by_default_and_seconds_only_on_the_clock(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits: list[tuple[float | None, int | None, int]] = []
    real_solve = patrol.routing.solvers.solve

    def solve(problem: Any, **kw: Any) -> Any:
        limits.append((kw["time_limit_s"], kw["max_iterations"], len(problem.visits)))
        return real_solve(problem, **kw)

    monkeypatch.setattr(patrol.routing.solvers, "solve", solve)
    scenario = read_scenario(tiny_dir)
    plan = plan_week(scenario, PlanParams(time_limit_s=4.0, seed=0))
    budget = share_budget(4.0, teams_cap_s=scenario.settings.teams.time_limit_s)
    shifts = len({t.slot.key for t in plan.team_plan.teams})
    seconds = budget.routing_solve_s(shifts=shifts)
    assert limits and all(s is None and i is not None for s, i, _ in limits)
    assert all(i >= routing_iterations(seconds, clients=n) for _, i, n in limits)
    limits.clear()
    plan_week(scenario, PlanParams(time_limit_s=40.0, seed=0, wall_clock=True))
    assert limits and all(s is not None and s > 0 and i is None for s, i, _ in limits)


def _plan_layers(out: Path) -> dict[str, pd.DataFrame]:
    from patrol.store import schema
    from patrol.store.layers import read_layer

    names = ("ROUTES", "LEGS", "STOPS", "TEAMS", "UNSERVED", "GAPS", "TASKS")
    return {
        getattr(schema, n).name: read_layer(out / "plan.gpkg", getattr(schema, n).name)
        for n in names
    }


@pytest.mark.slow
def test_the_same_seed_gives_the_same_plan_beside_a_cpu_burning_neighbour(
    sample_dir: Path, tmp_path: Path
) -> None:
    """The sample (the tiny scenario is solved to the same optimum even on the clock; the
    sample's routes differed in 205 of 205 stops on the clock under load, 0 by default)."""
    from patrol.store.write import write_plan

    scenario = read_scenario(sample_dir)
    default = PlanParams(seed=3, time_limit_s=6.0)  # no --wall-clock: deterministic work
    quiet = plan_week(scenario, default)
    write_plan(quiet, tmp_path / "quiet")
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        loaded = plan_week(scenario, default)
    finally:
        for proc in burners:
            proc.kill()
            proc.wait()
    write_plan(loaded, tmp_path / "loaded")
    assert quiet.plan_id == loaded.plan_id
    a, b = _plan_layers(tmp_path / "quiet"), _plan_layers(tmp_path / "loaded")
    for name, frame in a.items():
        pd.testing.assert_frame_equal(frame, b[name], obj=name)
    csvs = sorted(p.name for p in (tmp_path / "quiet").glob("*.csv"))
    assert {"routes.csv", "stops.csv", "teams.csv", "unserved.csv"} <= set(csvs)
    for name in csvs:
        assert (tmp_path / "quiet" / name).read_bytes() == (tmp_path / "loaded" / name).read_bytes()


def test_a_budget_built_by_hand_gives_its_limits() -> None:
    budget = Budget(total_s=10.0, teams_s=5.0, assignment_s=1.5, routing_s=3.5, rounds=1)
    assert budget.assignment_round_s(spent_s=2.0) == MIN_CPSAT_S  # the pool is spent
    assert budget.routing_limits(shifts=1, clients=20) == (None, 14_000)
    clock = Budget(total_s=10.0, teams_s=5.0, assignment_s=1.5, routing_s=3.5, wall_clock=True)
    assert clock.routing_limits(shifts=1, clients=20) == (pytest.approx(3.5 / 3), None)


class _FakeClock:
    """A clock that moves only when told: deadlines are tested without timing anything."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> _FakeClock:
    clock = _FakeClock()
    monkeypatch.setattr(patrol.budget, "_now", clock)
    return clock


def test_the_outputs_are_kept_what_the_district_needs() -> None:
    small = share_budget(600.0, teams_cap_s=10.0, wall_clock=True, spent_s=20.0, tasks=10)
    assert small.total_s == pytest.approx(600.0 - 20.0 - OUTPUTS_MIN_S - 10 * OUTPUTS_S_PER_TASK)
    large = share_budget(600.0, teams_cap_s=10.0, wall_clock=True, spent_s=20.0, tasks=2818)
    need = OUTPUTS_MIN_S + OUTPUTS_S_PER_TASK * 2818
    assert large.total_s == pytest.approx(600.0 - 20.0 - need)
    huge = share_budget(600.0, teams_cap_s=10.0, wall_clock=True, spent_s=20.0, tasks=10**6)
    assert huge.total_s == pytest.approx(600.0 * (1 - OUTPUTS_MAX_SHARE) - 20.0)
    assert outputs_estimate_s(100.0, tasks=None) == pytest.approx(100.0 * OUTPUTS_SHARE)
    assert share_budget(600.0, teams_cap_s=10.0, tasks=10**6).total_s == 600.0  # work: all


def test_building_a_team_model_counts_against_the_team_stage(fake_clock: _FakeClock) -> None:
    with clock_mode(wall_clock=True):
        budget = share_budget(100.0, teams_cap_s=10.0, wall_clock=True, tasks=100)
        assert seconds_left("teams") == pytest.approx(budget.teams_s)
        assert wall_guard_s(4.0, stage="teams") == pytest.approx(4.0)  # the stage's share
        fake_clock.t += 8.0  # building the model took 8 of the team stage's 10 s
        assert wall_guard_s(4.0, stage="teams") == pytest.approx(2.0)
        fake_clock.t += 5.0  # past the team stage: only the least a solve gets
        assert wall_guard_s(4.0, stage="teams") == MIN_CPSAT_S
        assert wall_guard_s(4.0) == pytest.approx(4.0)  # the assignment: its own share
        left = budget.total_s - 13.0
        assert wall_guard_s(10_000.0) == pytest.approx(left)  # never past the solvers' end
        seconds, _ = budget.routing_limits(shifts=1, clients=10)
        assert seconds == pytest.approx(min(budget.routing_solve_s(shifts=1), left))
        fake_clock.t += budget.total_s  # the solvers' time is up
        assert budget.routing_limits(shifts=1, clients=10)[0] == MIN_ROUTING_SOLVE_S
    with clock_mode(wall_clock=True):
        assert seconds_left() is None  # the deadline ended with the run's clock mode


def test_deterministic_runs_keep_no_deadline(fake_clock: _FakeClock) -> None:
    with clock_mode(wall_clock=False):
        budget = share_budget(100.0, teams_cap_s=10.0, tasks=100)
        fake_clock.t += 1e6
        assert seconds_left() is None and wall_guard_s(4.0, stage="teams") == 40.0
        assert budget.routing_limits(shifts=1, clients=10)[0] is None


def test_the_team_solver_stops_at_the_team_stage_end(fake_clock: _FakeClock) -> None:
    from patrol.teams.model import _solver

    with clock_mode(wall_clock=True):
        start_deadline(solvers_s=50.0, teams_s=6.0)
        fake_clock.t += 5.0
        solver = _solver(4.0, seed=0)
        assert solver.parameters.max_time_in_seconds == pytest.approx(1.0)
        assert solver.parameters.max_deterministic_time == pytest.approx(4.0)


def test_a_loaded_machine_keeps_the_outputs_longer(
    fake_clock: _FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="patrol")  # whatever an earlier test left:
    monkeypatch.setattr(logging.getLogger("patrol"), "disabled", False)  # a dictConfig too
    cpu = [50.0]
    monkeypatch.setattr(patrol.budget, "_cpu", lambda: cpu[0])
    need = OUTPUTS_MIN_S + OUTPUTS_S_PER_TASK * 500
    with clock_mode(wall_clock=True):
        assert cpu_share() == 1.0  # just started
        fake_clock.t += 20.0  # preparing took 20 s of the clock and 5 s of CPU: a quarter
        cpu[0] += 5.0
        assert cpu_share() == pytest.approx(0.25)
        budget = share_budget(1000.0, teams_cap_s=10.0, wall_clock=True, spent_s=20.0, tasks=500)
        assert budget.total_s == pytest.approx(1000.0 - 20.0 - need / 0.25)
    assert outputs_estimate_s(1000.0, tasks=500, share=0.001) == pytest.approx(
        min(OUTPUTS_MAX_SHARE * 1000.0, need / MIN_CPU_SHARE)
    )
    assert "too short for this district" in caplog.text  # the overrun is said, not hidden
    assert cpu_share() == 1.0  # outside a run
