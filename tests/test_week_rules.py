"""The rules of a week a station chief would sign (issue #13), one small named scenario each.

Rules 1, 2 and 8 are shown on hand-built tasks and teams (the assignment model alone),
rules 4 and 7 on the tiny scenario planned once; ``test_the_sample_week_keeps_the_rules``
checks them all on the bundled sample and prints every figure (run it with ``-s``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from patrol.demand import Task
from patrol.plan import Plan, sweep_gap_limit_h
from patrol.planner import PlanParams, plan_week
from patrol.routing.assign import TeamSlot, assign_tasks, gap_windows
from patrol.routing.reasons import explain_task, intended_day
from patrol.scenario.read import read_scenario
from patrol.summary import week_rule_figures
from patrol.week_rules import drop_idle_teams, open_overdue_visits
from tests.factory import write_tiny_scenario

DAYS = [f"d{i}" for i in range(7)]


def task(tid: str, **kw: object) -> Task:
    """A 20-minute task on beat B1, grid G1, that may use any day; its own group."""
    fields: dict[str, object] = {
        "task_id": tid, "kind": "visit", "target_id": tid, "grid_id": "G1", "beat_id": "B1",
        "start_node": 0, "end_node": 0, "service_s": 1200, "weight": 2.0,
        "slots": frozenset(DAYS), "group": f"visit:{tid}",
    }  # fmt: skip
    fields.update(kw)
    return Task(**fields)  # type: ignore[arg-type]


def day_teams(*, worker: str | None = "G1", capacity_s: int = 3 * 3600) -> list[TeamSlot]:
    """One team a day (9:00 shifts), each with the grid worker of ``worker``."""
    return [
        TeamSlot(f"T{d}", f"d{d}", d, "B1", capacity_s, start_h=24.0 * d + 9, worker_grid=worker,
                 people=("police", "worker"))
        for d in range(7)
    ]  # fmt: skip


# --- rule 1: work is spread over the week -------------------------------------------------


def test_visits_due_late_in_the_week_are_levelled_not_packed_on_monday() -> None:
    """Scenario "a Friday of visits": seven visits may use any of seven days, and every
    day's team could carry them all; the model spreads them, one a day."""
    tasks = [task(f"v{i}") for i in range(7)]
    result = assign_tasks(tasks, day_teams(), cost_s={t.task_id: 1300 for t in tasks})
    per_day = Counter(result.team_of.values())
    assert len(result.team_of) == 7
    assert max(per_day.values()) == 1, per_day


def test_overdue_visits_may_use_the_first_two_days(tiny_plan: Plan) -> None:
    """Scenario "backlog": a visit due at the week's start may use the first two days; a
    visit due later keeps its own window."""
    slots = tiny_plan.slots
    first = slots[0].date
    late = task("late", slots=frozenset({slots[-1].key}), due=first + dt.timedelta(days=6))
    overdue = task("overdue", slots=frozenset({slots[0].key}), due=first)
    opened = {t.task_id: t for t in open_overdue_visits([late, overdue], slots)}
    two_days = {s.key for s in slots if s.date <= first + dt.timedelta(days=1)}
    assert opened["overdue"].slots == frozenset(two_days)
    assert opened["late"].slots == late.slots


# --- rule 2: the household's own grid worker visits it --------------------------------------


def test_the_own_grid_workers_team_takes_the_visit_and_the_sweep() -> None:
    """Scenario "two teams, one own worker": in one shift a team with G1's grid worker and a
    team with G2's; G1's visit and sweep go to the first, even if listed second."""
    teams = [
        TeamSlot("other", "d0", 0, "B1", 7200, worker_grid="G2", people=("a", "b")),
        TeamSlot("own", "d0", 0, "B1", 7200, worker_grid="G1", people=("c", "d")),
    ]
    tasks = [task("v"), task("s", kind="sweep", group="sweep:G1:1")]
    result = assign_tasks(tasks, teams, cost_s={"v": 1300, "s": 1300})
    assert result.team_of == {"v": "own", "s": "own"}


# --- rule 4: no idle teams ------------------------------------------------------------------


def test_no_team_of_the_plan_is_idle_and_idle_ones_free_their_people(tiny_plan: Plan) -> None:
    """Scenario "tiny": every team kept has a route with a task; dropped teams are not in
    the weekly load."""
    routes = {r.team.team_id: r for r in tiny_plan.routes}
    for team in tiny_plan.team_plan.teams:
        assert any(s.kind != "post" for s in routes[team.team_id].stops), team.team_id
    load = Counter(p.person_id for t in tiny_plan.team_plan.teams for p in t.members)
    assert {k: v for k, v in tiny_plan.team_plan.load.items() if v} == dict(load)
    kept, idle = drop_idle_teams(tiny_plan.team_plan, {}, tiny_plan.scenario.people)
    assert not kept.teams and len(idle) == len(tiny_plan.team_plan.teams)
    assert not any(kept.load.values())


# --- rule 7: unserved tasks say what would fix them; the bound keeps the rules ---------------


def test_a_reason_names_grid_shifts_and_the_missing_grid_worker(tiny_plan: Plan) -> None:
    """Scenario "no worker on Sunday": a G3 sweep meant for Sunday with no team on beat B2
    then says which sweep it is, the shift it could use and that G3's grid worker is
    missing (the tiny roster's G3 worker is free all week, so the police are named when
    the worker is there)."""
    sunday = [s for s in tiny_plan.slots if s.weekday == 6]
    sweep = task(
        "sweep:G3:3:1", kind="sweep", grid_id="G3", beat_id="B2", group="sweep:G3:1",
        slots=frozenset(s.key for s in sunday), sweep_index=2, group_size=3,
    )  # fmt: skip
    people = [p for p in tiny_plan.scenario.people if p.grid_id != "G3"]
    why = explain_task(sweep, slots=tiny_plan.slots, teams=[], people=people, cost_s=600)
    assert why.code == "no_team"
    assert "G3" in why.detail_zh and "周日" in why.detail_zh and "网格员" in why.detail_zh
    assert "sweep 3 of 3" in why.detail_en and "a grid worker of G3" in why.detail_en
    assert intended_day(sweep, days=7) == 4
    busy = explain_task(
        sweep, slots=tiny_plan.slots, teams=tiny_plan.team_plan.teams,
        people=tiny_plan.scenario.people, cost_s=2400,
    )  # fmt: skip
    if any(t.beat_id == "B2" and t.slot.weekday == 6 for t in tiny_plan.team_plan.teams):
        assert busy.code == "no_time" and "40 team-minutes on beat B2" in busy.detail_en


def test_unserved_entries_of_the_plan_are_told_apart(tiny_plan: Plan) -> None:
    texts = [u.reason_en for u in tiny_plan.unserved if u.task.kind == "sweep"]
    sweeps = [u for u in tiny_plan.unserved if u.task.kind == "sweep"]
    assert len({(u.task.description_en, u.reason_en) for u in sweeps}) == len(texts) or all(
        u.task.part for u in sweeps
    )
    for u in tiny_plan.unserved:
        assert u.task.grid_id in u.reason_zh and u.task.grid_id in u.reason_en


def test_the_bound_keeps_the_one_visit_a_day_rule() -> None:
    """Scenario "one household, one day": two visits of one household that may only use
    day 0 fit the team's time, but one visit a day means the bound counts one."""
    tasks = [task(f"v{i}", group="visit:h", slots=frozenset({"d0"})) for i in range(2)]
    result = assign_tasks(tasks, day_teams()[:1], cost_s={"v0": 600, "v1": 600}, relax=True)
    assert result.bound == pytest.approx(2.0)  # one visit of weight 2, not two


# --- rule 3: a sweep in parts is walked whole, on consecutive shifts -------------------------


def two_shift_teams(*, capacity_s: int) -> list[TeamSlot]:
    """Two shifts a day (9:00 and 19:00), one team each, seven days."""
    return [
        TeamSlot(f"T{d}{h}", f"d{d}_{h}", d, "B1", capacity_s, start_h=24.0 * d + h,
                 worker_grid="G1", people=(f"p{d}{h}",))
        for d in range(7) for h in (9, 19)
    ]  # fmt: skip


def sweep_parts(sweep: int, parts: int, *, weight: float = 1.0) -> list[Task]:
    """Sweep ``sweep`` of grid G1 in ``parts`` parts, each its own spacing group."""
    return [
        task(f"s{sweep}p{p}", kind="sweep", group=f"sweep:G1:{p + 1}", group_size=2,
             sweep_index=sweep, part=p, parts=parts, weight=weight,
             slots=frozenset(DAYS) | {f"d{d}_{h}" for d in range(7) for h in (9, 19)})
        for p in range(parts)
    ]  # fmt: skip


def test_a_sweep_in_parts_is_walked_on_the_same_or_the_next_shift() -> None:
    """Scenario "long grid": two sweeps of three parts, each part a whole shift's work.
    Levelling alone would spread the parts over the week; the rule keeps each sweep's
    parts on one run of consecutive shifts, and both sweeps are placed whole."""
    tasks = sweep_parts(0, 3) + sweep_parts(1, 3)
    teams = two_shift_teams(capacity_s=1300)
    rank = {t.team_id: i for i, t in enumerate(teams)}
    result = assign_tasks(tasks, teams, cost_s={t.task_id: 1300 for t in tasks})
    assert len(result.team_of) == 6
    for sweep in (0, 1):
        ranks = [rank[result.team_of[f"s{sweep}p{p}"]] for p in range(3)]
        assert all(0 <= b - a <= 1 for a, b in itertools.pairwise(ranks)), ranks


def test_a_sweep_whose_last_part_cannot_be_walked_is_not_begun() -> None:
    """Scenario "no room for part two": only one shift has room, so no part is placed
    (half a sweep is no sweep), and a part routed earlier fixes where the next one goes."""
    tasks = sweep_parts(0, 2)
    teams = [TeamSlot("T0", "d0", 0, "B1", 1300, start_h=9.0, worker_grid="G1")]
    result = assign_tasks(tasks, teams, cost_s={t.task_id: 1300 for t in tasks})
    assert result.team_of == {}
    teams = two_shift_teams(capacity_s=1300)
    result = assign_tasks(
        tasks[1:], teams, cost_s={t.task_id: 1300 for t in tasks}, fixed=[(tasks[0], teams[4])]
    )
    assert result.team_of == {"s0p1": teams[5].team_id} or result.team_of == {
        "s0p1": teams[4].team_id
    }


# --- rule 8: red and orange grids are never left long -----------------------------------------


def test_a_red_grids_sweeps_leave_no_gap_over_its_limit() -> None:
    """Scenario "red grid, three sweeps": a red grid needing three sweeps may be swept on
    any day; its sweeps (no two within two days) leave no gap over 2 × 168 ÷ 3 = 112 h,
    counted from the week's start to its end."""
    limit = sweep_gap_limit_h("red", 3)
    assert limit is not None
    assert limit == pytest.approx(112.0) and sweep_gap_limit_h("green", 3) is None
    tasks = [
        task(f"s{i}", kind="sweep", group="sweep:G1:1", group_size=3, sweep_index=i)
        for i in range(3)
    ]
    teams = day_teams(capacity_s=3 * 3600)
    result = assign_tasks(
        tasks, teams, cost_s={t.task_id: 1300 for t in tasks},
        gap_limit_h={"G1": limit}, shift_h=3.0,
    )  # fmt: skip
    start = {m.team_id: m.start_h for m in teams}
    marks = [0.0, *sorted(start[m] for m in result.team_of.values()), 168.0]
    assert len(result.team_of) == 3
    assert max(b - a for a, b in itertools.pairwise(marks)) <= limit - 3.0


def test_gap_windows_cover_the_start_each_shift_and_the_end() -> None:
    windows = gap_windows([9.0, 33.0, 57.0], limit_h=48.0, shift_h=3.0, week_h=168.0)
    assert windows[0] == (0.0, 45.0, False)
    assert windows[-1] == (120.0, 168.0, False)
    assert (9.0, 54.0, True) in windows


# --- the sample: every rule, every figure printed ----------------------------------------------


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The tiny scenario planned once with a deterministic work limit."""
    folder = write_tiny_scenario(tmp_path_factory.mktemp("rules") / "tiny")
    return plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=300))


@pytest.mark.slow
def test_the_sample_week_keeps_the_rules(sample_dir: Path) -> None:
    """Rules 1, 2, 3, 4, 7 and 8 on the bundled sample, with every figure printed (rule 8
    where the beat's staff allow it; else the grid's unserved sweeps say why)."""
    plan = plan_week(
        read_scenario(sample_dir), PlanParams(time_limit_s=20, seed=0, max_iterations=300)
    )
    f = week_rule_figures(plan)
    print("\n#13 figures on the sample:")
    print(json.dumps(f, ensure_ascii=False, indent=1))
    assert f["busiest_over_mean"] <= 1.6  # rule 1
    assert f["own_worker_visits"]["share"] >= 0.8  # rule 2
    assert f["idle_teams"] == 0  # rule 4
    gap_points = f["bound_gap_points"]  # rule 7
    assert 0 <= gap_points <= 2 or sum(f["bound_gap"].values()) * 100 == pytest.approx(
        gap_points, abs=0.2
    )
    for u in plan.unserved:
        assert u.task.grid_id in u.reason_en and "missing" in u.reason_en
    split = f["split_sweeps"]  # rule 3
    assert split["consecutive"] == split["walked_whole"]
    for grid, g in f["longest_gaps"].items():  # rule 8, or the plan says why not
        if g["longest_gap_h"] > g["limit_h"] + 0.05:
            short = [u for u in plan.unserved if u.task.kind == "sweep" and u.task.grid_id == grid]
            assert short and all(grid in u.reason_en for u in short), grid


def test_gap_limits_worker_grid_and_bound_of_plan(tiny_plan: Plan) -> None:
    """The helpers alone: limits only for red and orange grids with sweeps, the grid of a
    team's grid worker, and a bound at least the plan with its gap accounted for."""
    from patrol.routing.assign import Assignment
    from patrol.week_rules import bound_of_plan, gap_limits, worker_grid

    limits = gap_limits(tiny_plan.scenario, tiny_plan.demand.tasks, week_h=168.0)
    assert set(limits) <= {"G3", "G4"} and limits  # orange G3, red G4
    team = tiny_plan.team_plan.teams[0]
    assert worker_grid(team) == (team.grid_worker.grid_id if team.grid_worker else None)
    served = {s.task_id: "T" for r in tiny_plan.routes for s in r.stops if s.kind != "post"}
    weight = sum(t.weight for t in tiny_plan.demand.tasks if t.task_id in served)
    bound, gap = bound_of_plan(
        tiny_plan, Assignment(served, "OPTIMAL", weight, weight + 1, 0, weight)
    )
    total = sum(t.weight for t in tiny_plan.demand.tasks)
    assert bound == pytest.approx(min(1.0, (weight + 1) / total))
    assert gap["proof"] == pytest.approx(bound - weight / total, abs=1e-4)
