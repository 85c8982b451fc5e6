"""A re-plan written into the plan store: the new plan next to the old one, the changes,
only the changed sheets reprinted and marked 修订; and two saved plans compared."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from patrol.outputs import OutputOptions, read_week, run_week
from patrol.revise.compare import compare_plans, write_comparison
from patrol.revise.replan import replan_week
from patrol.revise.revisions import (
    CHANGES_FILE,
    read_revisions,
    revision_folder,
    write_revision,
)
from patrol.scenario.read import read_scenario
from patrol.store.read import read_plan
from tests.revise.conftest import PARAMS, SAMPLE, WEDNESDAY, first_officer, sick_from_wednesday


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """The sample planned into OUT (kept as a copy in BEFORE), then re-planned from
    Wednesday with its first officer sick Wednesday to Friday."""
    root = tmp_path_factory.mktemp("revise")
    out = root / "out"
    scenario = read_scenario(SAMPLE)
    run_week(
        scenario, out, params=PARAMS, options=OutputOptions(lang="zh"), maps=False, sheets=False
    )
    before = root / "before"
    shutil.copytree(out, before)
    sick = sick_from_wednesday(scenario, first_officer(scenario))
    result = replan_week(out, sick, WEDNESDAY, params=PARAMS)
    write_revision(result, out, options=OutputOptions(lang="zh"), full_set=False)
    yield out, before, result.plan.plan_id


def test_the_new_plan_is_current_and_the_old_one_kept(revised: tuple[Path, Path, str]) -> None:
    out, before, plan_id = revised
    assert read_plan(out).plan_id == plan_id
    kept = revision_folder(out, 0)
    assert read_plan(kept).plan_id == read_plan(before).plan_id != plan_id
    history = read_revisions(out)
    assert [h["revision"] for h in history] == [0, 1]
    assert history[1]["from"] == "2026-12-02_day" and history[1]["plan_id"] == plan_id
    assert read_revisions(before)[0]["revision"] == 0  # a folder never re-planned


def test_changes_csv_lists_the_changes_with_reasons(revised: tuple[Path, Path, str]) -> None:
    out, _, _ = revised
    text = (out / CHANGES_FILE).read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    assert header.split(",")[:3] == ["变动", "对象", "日期"]
    assert rows and any("小队变动" in r and "缺勤" in r for r in rows)


def test_only_changed_sheets_are_reprinted_and_marked(revised: tuple[Path, Path, str]) -> None:
    out, _, _ = revised
    changed = sorted((out / "sheets" / "changed").rglob("*.pdf"))
    history = read_revisions(out)
    assert changed and not (out / "sheets" / "changed" / "week.pdf").exists()
    days = {p.name for p in changed if p.parent.name == "changed"}
    assert all(name >= "2026-12-02" for name in days)  # nothing before the cut
    pages = [page.extract_text() for p in changed for page in PdfReader(p).pages]
    assert all("修订 第1版" in page for page in pages)
    assert history[1]["sheets_changed"] >= 1
    print(f"\nsheets reprinted: {history[1]['sheets_changed']} team-shifts in {len(changed)} files")


def test_compare_a_plan_with_itself_shows_no_difference(
    revised: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, before, _ = revised
    week = read_week(before)
    comparison = compare_plans(week, week)
    assert not comparison.differs
    csv, page = write_comparison(comparison, tmp_path, lang="zh")
    assert csv.read_text(encoding="utf-8-sig").splitlines() == ["指标,方案A,方案B,差值(B-A)"]
    assert "两方案无差异" in page.read_text(encoding="utf-8")


def test_compare_the_revision_with_the_plan_before(
    revised: tuple[Path, Path, str], tmp_path: Path
) -> None:
    out, before, _ = revised
    comparison = compare_plans(read_week(before), read_week(out))
    assert comparison.differs and comparison.routes_changed
    csv, page = write_comparison(comparison, tmp_path, lang="en")
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "figure,plan A,plan B,difference (B-A)"
    assert any(line.startswith("routes changed,") for line in lines)
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "http" not in html  # offline: nothing to fetch


def test_patrol_compare_and_replan_on_the_command_line(
    revised: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from patrol.cli import main

    _, before, _ = revised
    assert main(["compare", str(before), str(before), "--out", str(tmp_path)]) == 0
    assert "两方案无差异" in capsys.readouterr().out
    assert (tmp_path / "compare.csv").is_file() and (tmp_path / "compare.html").is_file()
    code = main(["replan", str(before), "--from", "2026-12-20", "--scenario", str(SAMPLE)])
    err = capsys.readouterr().err
    assert code == 2 and "2026-12-20" in err and "不在计划周" in err
    assert read_revisions(before)[-1]["revision"] == 0  # nothing written
