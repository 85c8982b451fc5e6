"""The output chain: plan -> coverage -> store -> maps -> sheets, and redrawing from the store."""

from __future__ import annotations

import shutil
from pathlib import Path

from patrol.outputs import OutputOptions, draw_week, language_of, read_week, run_week
from patrol.planner import PlanParams
from patrol.scenario.read import read_scenario

PARAMS = PlanParams(time_limit_s=4, seed=1, max_iterations=100)


def test_run_week_writes_every_output_and_reads_back(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    week = run_week(read_scenario(tiny_dir), out, params=PARAMS)
    names = {p.relative_to(out).as_posix() for p in week.written}
    for name in ("plan.gpkg", "summary.json", "maps/plan.html", "sheets/week.pdf"):
        assert name in names
    again = read_week(out)
    assert [r.team.team_id for r in again.plan.routes] == [
        r.team.team_id for r in week.plan.routes
    ]
    assert again.coverage.summary == week.coverage.summary


def test_draw_week_draws_only_what_is_asked_in_the_language_asked(
    tiny_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_week(read_scenario(tiny_dir), out, params=PARAMS)
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    shutil.rmtree(moved / "maps")
    week = read_week(moved)
    options = OutputOptions(lang="en")
    assert language_of(week.plan, options) == "en"
    assert language_of(week.plan, OutputOptions()) == week.plan.scenario.settings.language
    written = draw_week(week, moved, options=options, sheets=False)
    assert {p.parent.name for p in written} == {"maps"}
    html = (moved / "maps" / "plan.html").read_text(encoding="utf-8")
    assert ": patrol plan" in html and "巡逻计划图" not in html
