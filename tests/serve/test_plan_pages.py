"""Plan, Map, Print, Re-plan and Compare pages in a real browser: a plan run from the page
with its progress bar reaching the end (a second run refused meanwhile), the plan map with
routes drawn, a route-sheet PDF downloaded and read, the last day planned again and the
two revisions compared, and a week of check-ins and tracks uploaded for the reports.

The tiny scenario keeps it to seconds of planning (``--max-iterations``, a small time
limit); ``PATROL_SCREENSHOTS=1`` plans the bundled sample instead, for the README's
picture.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factory import write_tiny_scenario
from tests.serve.conftest import (
    SAMPLE,
    Server,
    assert_clean,
    free_port,
    open_app,
    screenshot,
    start_server,
    stop_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def scenario(workdir: Path) -> Path:
    tmp = workdir
    if os.environ.get("PATROL_SCREENSHOTS") == "1":
        return Path(shutil.copytree(SAMPLE, tmp / "zhenganli"))
    return write_tiny_scenario(tmp / "tiny")


@pytest.fixture(scope="module")
def server(scenario: Path) -> Iterator[Server]:
    limits = ["--max-iterations", "30", "--time-limit", "2"]
    srv = start_server([str(scenario), *limits], scenario.parent / "serve.log", port=free_port())
    yield srv
    stop_server(srv)


def plan_from_the_page(browser: Any, server: Server, scenario: Path) -> dict[str, Any]:
    """Plan from the Plan page; what the page showed along the way."""
    opened = open_app(browser, server, "/plan", wait="#plan-start")
    page = opened.page
    assert page.locator("#plan-bar").get_attribute("value") == "0"
    page.click("#plan-start")
    page.wait_for_selector("#plan-msg:has-text('计划已开始')")
    page.click("#plan-start")  # a second run while the first goes on is refused
    page.wait_for_selector("#plan-msg:has-text('已有一个计划正在进行')")
    seen = set()
    for _ in range(600):
        value = page.locator("#plan-bar").get_attribute("value")
        seen.add(int(value or 0))
        if value == "100" or "计划失败" in page.inner_text("#plan-status"):
            break
        page.wait_for_timeout(500)
    page.wait_for_selector("table.headline", timeout=30_000)
    shown = {
        "seen": seen,
        "status": page.inner_text("#plan-status"),
        "stages": page.inner_text("#plan-stages"),
        "results": page.inner_text("#plan-results"),
    }
    screenshot(page, "serve_plan.png", scenario.parent)
    assert_clean(opened)
    page.context.close()
    return shown


def test_plan_then_map_then_print(browser: Any, server: Server, scenario: Path) -> None:
    """One test, so that a parallel run plans once (xdist shares no module fixture)."""
    planned = plan_from_the_page(browser, server, scenario)
    check_progress(planned, scenario)
    check_plan_map(browser, server)
    check_route_sheets(browser, server, scenario.parent / "downloads")
    check_page_parts(scenario)
    if os.environ.get("PATROL_SCREENSHOTS") == "1":
        return  # pictures of the sample; every normal run goes on with the tiny scenario
    check_replan_and_compare(browser, server, scenario)
    check_actuals_and_reports(browser, server, scenario)


def check_progress(planned: dict[str, Any], scenario: Path) -> None:
    assert 100 in planned["seen"], planned["status"]
    assert any(0 < v < 100 for v in planned["seen"]), planned["seen"]  # it moved on the way
    assert planned["status"].startswith("完成")
    assert planned["stages"].count("✓") == 9
    results = planned["results"]
    assert "加权需求完成率" in results and "缺编班次" in results and "未完成任务及原因" in results
    assert (scenario.parent / f"{scenario.name}-plan" / "plan.gpkg").is_file()


def check_plan_map(browser: Any, server: Server) -> None:
    opened = open_app(browser, server, "/map", wait="#map-frame")
    frame = opened.page.frame_locator("#map-frame")
    frame.locator("path.patrol-route").first.wait_for(timeout=30_000)
    assert frame.locator("path.patrol-route").count() > 0
    assert frame.locator("path.patrol-grid").count() > 0
    opened.page.get_by_text("覆盖地图").click()
    frame.locator("path.patrol-camera").first.wait_for(timeout=30_000)
    assert_clean(opened)
    opened.page.context.close()


def check_route_sheets(browser: Any, server: Server, tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    from pypdf import PdfReader

    opened = open_app(browser, server, "/print", wait="#print-team")
    page = opened.page
    with page.expect_download() as got:
        page.locator("a.download", has_text="所长联").click()
    week = tmp_path / "week.pdf"
    got.value.save_as(week)
    text = "".join(p.extract_text() for p in PdfReader(week).pages)
    assert "巡逻路线单" in text or "路线单" in text
    page.wait_for_selector("#print-team-link[href^='/sheet/0']")
    with page.expect_download() as got:
        page.click("#print-team-link")
    one = tmp_path / got.value.suggested_filename
    got.value.save_as(one)
    reader = PdfReader(one)
    team_text = "".join(p.extract_text() for p in reader.pages)
    assert one.suffix == ".pdf" and len(reader.pages) >= 1
    assert "队员联" in team_text
    assert_clean(opened)
    page.context.close()


def check_page_parts(scenario: Path) -> None:
    from pypdf import PdfReader

    from patrol.serve.app import team_sheet_pdf
    from patrol.serve.page_plan import headline_rows
    from patrol.serve.page_print import team_options
    from patrol.serve.station import ServeConfig, Station, resolve_folders

    out = scenario.parent / f"{scenario.name}-plan"
    assert resolve_folders(out) == (scenario.resolve(), out.resolve())  # a store names its scenario
    station = Station(ServeConfig(scenario=None, out=out))
    week = station.week()
    assert week is station.week()  # read once per version of plan.gpkg
    rows = dict(headline_rows(week, "zh"))
    assert rows["路线数"] == str(len(week.plan.routes))
    options = team_options(week, "zh")
    assert len(options) == len(week.plan.routes)
    assert week.plan.routes[0].team.team_id in options[0]["label"]
    name, data = team_sheet_pdf(week, 0, copy="police", lang="en")
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    (scenario.parent / name).write_bytes(data)
    assert len(PdfReader(scenario.parent / name).pages) >= 1


def check_replan_and_compare(browser: Any, server: Server, scenario: Path) -> None:
    """Re-plan the last day from the page, then compare the two revisions."""
    out = scenario.parent / f"{scenario.name}-plan"
    opened = open_app(browser, server, "/replan", wait="#rp-start")
    page = opened.page
    page.click("#rp-start")
    page.wait_for_selector("#rp-msg:has-text('计划已开始')")
    for _ in range(600):  # the earlier plan's "完成" shows until the first tick
        status = page.inner_text("#rp-status")
        if status.startswith("计划失败") or (
            status.startswith("完成") and (out / "revisions.json").is_file()
        ):
            break
        page.wait_for_timeout(500)
    assert status.startswith("完成"), status
    page.wait_for_selector("#rp-results h3:has-text('变化')", timeout=30_000)
    assert (out / "revisions" / "00" / "plan.gpkg").is_file()
    assert (out / "changes.csv").is_file()
    assert_clean(opened)
    page.context.close()

    opened = open_app(browser, server, "/compare", wait="#cmp-go")
    page = opened.page
    page.click("#cmp-go")
    page.wait_for_selector("#cmp-table td", timeout=60_000)
    assert "加权需求" in page.inner_text("#cmp-table")
    assert_clean(opened)
    page.context.close()

    from patrol.serve.page_compare import compare_revisions, revision_choices
    from patrol.serve.page_replan import changes_rows

    assert [c["value"] for c in revision_choices(out, "zh")] == [0, 1]
    rows = compare_revisions(out, 0, 1, lang="en")
    assert rows and all(len(r) == 4 for r in rows)
    assert isinstance(changes_rows(out), list)


def check_actuals_and_reports(browser: Any, server: Server, scenario: Path) -> None:
    """Upload a synthetic week of check-ins and tracks; the reports are listed after."""
    from patrol.actuals.synth import synth_actuals, write_synth_files
    from patrol.store.read import read_plan

    out = scenario.parent / f"{scenario.name}-plan"
    files = write_synth_files(synth_actuals(read_plan(out), seed=1), scenario.parent / "actuals")
    opened = open_app(browser, server, "/check", wait="#chk-start")
    page = opened.page
    page.set_input_files("#chk-upload input[type=file]", [str(p) for p in files])
    page.wait_for_selector("#chk-files li", timeout=30_000)
    assert page.locator("#chk-files li").count() == len(files)
    page.click("#chk-start")
    page.wait_for_selector("#chk-msg:has-text('计划已开始')")
    page.wait_for_selector(".check-summary", timeout=600_000)
    assert "签到" in page.inner_text(".check-summary")
    assert page.locator("#chk-results a.download").count() > 0
    assert (out / "ledger").is_dir()
    assert_clean(opened)
    page.context.close()
