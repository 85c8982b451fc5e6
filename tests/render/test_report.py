"""Terminal tables: the scenario, the plan and the coverage in words and numbers."""

from __future__ import annotations

from patrol.coverage.measure import Coverage
from patrol.plan import Plan
from patrol.render.report import (
    describe_coverage,
    describe_plan,
    describe_scenario,
    format_table,
    incidents_per_grid,
)


def test_format_table_lines_up_chinese() -> None:
    table = format_table(["网格", "n"], [["甲", 1.0], ["ab", float("nan")]])
    lines = table.splitlines()
    assert lines[0].startswith("网格") and set(lines[1]) <= {"-", " "}
    assert lines[3].endswith("-")
    widths = {len(line.encode("gbk")) for line in lines}
    assert len(widths) == 1


def test_incidents_per_grid_counts_every_grid(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    counts = incidents_per_grid(plan.scenario)
    assert list(counts.index) == list(plan.scenario.grids["grid_id"])
    assert counts.sum() <= len(plan.scenario.incidents)


def test_describe_scenario_plan_and_coverage(planned: tuple[Plan, Coverage]) -> None:
    plan, coverage = planned
    scenario = describe_scenario(plan.scenario, lang="zh")
    assert plan.scenario.settings.station in scenario
    for name in plan.scenario.grids["name"]:
        assert name in scenario
    text = describe_plan(plan, lang="en")
    assert plan.plan_id in text and "km" in text
    cov = describe_coverage(coverage, lang="zh")
    assert "覆盖与盲区" in cov
    assert "Coverage and blind spots" in describe_coverage(coverage, lang="en")


def test_describe_gaps_lists_every_gap_none_left_out() -> None:
    """Twenty gaps (more than the 15 the terminal used to show), each with its own reason."""
    import datetime as dt

    from patrol.render.report import describe_gaps
    from patrol.scenario.model import week_slots
    from patrol.settings import Settings
    from patrol.teams.types import StaffingGap, TeamPlan

    slots = week_slots(Settings(week_start=dt.date(2026, 11, 30)))
    gaps = tuple(
        StaffingGap(s, "B1", 1, 0, f"reason number {i}", f"第{i}号原因")
        for i, s in enumerate(slots[1:])
    )
    plan = TeamPlan((), gaps, {}, {}, "OPTIMAL", 0.0, 0.0, 0.0)
    zh, en = describe_gaps(plan, lang="zh"), describe_gaps(plan, lang="en")
    assert all(f"第{i}号原因" in zh for i in range(20))
    assert all(f"reason number {i}" in en.splitlines()[i + 3] for i in range(20))
    assert "人员缺口共20个（周一 2、周二 3" in zh and "Sun 3)" in en
    empty = TeamPlan((), (), {}, {}, "OPTIMAL", 0.0, 0.0, 0.0)
    assert "No staffing gaps" in describe_gaps(empty, lang="en")
