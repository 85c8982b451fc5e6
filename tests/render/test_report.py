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
