"""The Scenario page on a copy of the bundled sample, in a real browser: a grid's risk
changed by clicking it, a camera added by clicking, a broken roster upload answered in
Chinese, Save with a backup, and file URLs that leave the folders refused."""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import (
    SAMPLE,
    Server,
    assert_clean,
    click_inside,
    free_port,
    open_app,
    screenshot,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample(workdir: Path) -> Path:
    folder = workdir / "zhenganli"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture(scope="module")
def server(sample: Path) -> Iterator[Server]:
    srv = start_server([str(sample)], sample.parent / "serve.log", port=free_port())
    yield srv
    stop_server(srv)


def _risk_in_file(folder: Path, grid_id: str) -> str:
    data = json.loads((folder / "grids.geojson").read_text(encoding="utf-8-sig"))
    return next(f["properties"]["risk"] for f in data["features"]
                if f["properties"]["grid_id"] == grid_id)  # fmt: skip


def test_change_risk_and_add_camera_then_save(
    browser: object, server: Server, sample: Path, tmp_path: Path
) -> None:
    opened = open_app(browser, server, "/", wait="path.grid-G03")
    page = opened.page
    assert _risk_in_file(sample, "G03") == "green"
    page.wait_for_selector("path.risk-green.grid-G03")
    screenshot(page, "serve_scenario.png", tmp_path)
    # the red risk is chosen by default; clicking G03 makes it red on the map
    click_inside(page, "path.grid-G03")
    page.wait_for_selector("path.grid-G03.risk-red", timeout=30_000)
    assert "G03" in page.inner_text("#scn-note") or "第三网格" in page.inner_text("#scn-note")
    assert "未保存的修改：grids.geojson" in page.inner_text("#scn-report")
    assert _risk_in_file(sample, "G03") == "green", "the scenario changed before Save"
    # a camera by clicking, then Save
    cameras_before = (sample / "cameras.csv").read_text(encoding="utf-8-sig").count("\n")
    page.get_by_text("放置摄像头").click()
    click_inside(page, "path.grid-G05")
    page.wait_for_selector("#scn-note:has-text('摄像头')", timeout=30_000)
    new_id = page.inner_text("#scn-note").split()[1]
    page.wait_for_selector(f"path.camera-{new_id}")
    page.get_by_text("保存到场景文件").click()
    page.wait_for_selector("#scn-note:has-text('已保存')", timeout=30_000)
    assert _risk_in_file(sample, "G03") == "red"
    cameras = (sample / "cameras.csv").read_text(encoding="utf-8-sig")
    assert cameras.count("\n") == cameras_before + 1 and new_id in cameras
    backups = list((sample / "backup").iterdir())
    assert len(backups) == 1
    assert json.loads((backups[0] / "grids.geojson").read_text(encoding="utf-8-sig"))
    assert new_id not in (backups[0] / "cameras.csv").read_text(encoding="utf-8-sig")
    assert_clean(opened)
    page.context.close()


def test_broken_roster_upload_is_answered_in_chinese(
    browser: object, server: Server, sample: Path, tmp_path: Path
) -> None:
    opened = open_app(browser, server, "/", wait="path.grid")
    page = opened.page
    page.wait_for_selector("#scn-roster td")
    original = (sample / "roster.csv").read_bytes()
    broken = tmp_path / "roster.csv"
    text = original.decode("utf-8-sig").replace(",officer,", ",captain,", 1)
    broken.write_text(text, encoding="utf-8-sig")
    page.set_input_files("#scn-upload input[type=file]", str(broken))
    page.wait_for_selector(".problem-error", timeout=30_000)
    errors = page.inner_text("#scn-report")
    assert "roster.csv" in errors and "captain" in errors and "无法识别" in errors
    page.get_by_text("保存到场景文件").click()
    page.wait_for_selector("#scn-note:has-text('有错误，未保存')", timeout=30_000)
    assert (sample / "roster.csv").read_bytes() == original
    assert_clean(opened)
    page.context.close()


TRAVERSALS = (
    "/files/scenario/../../../../etc/passwd",
    "/files/scenario/..%2f..%2f..%2fetc%2fpasswd",
    "/files/out/%2e%2e/%2e%2e/etc/passwd",
    "/files/scenario//etc/passwd",
    "/files/home/etc/passwd",
    "/files/scenario/backup/../../../etc/passwd",
)


def test_traversal_urls_are_refused(server: Server) -> None:
    host = server.url.removeprefix("http://")
    for path in TRAVERSALS:
        conn = http.client.HTTPConnection(host, timeout=30)
        conn.request("GET", path)  # sent as written: no client-side normalising
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status in (400, 404), (path, response.status)
        assert b"root:" not in body


def test_scenario_files_are_served_from_the_folder(server: Server) -> None:
    host = server.url.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", "/files/scenario/patrol.toml")
    response = conn.getresponse()
    assert response.status == 200 and "week_start" in response.read().decode()
    conn.close()


def test_english_switch_and_the_page_links(browser: object, server: Server) -> None:
    opened = open_app(browser, server, "/", wait="path.grid")
    page = opened.page
    assert page.inner_text("#nav").startswith("① 场景")
    page.get_by_text("English").click()
    page.wait_for_selector("#nav:has-text('① Scenario')")
    page.wait_for_selector("text=Click on the map to:")
    page.get_by_text("② Plan").click()
    page.wait_for_selector("#plan-start:has-text('Plan the week')")
    assert page.url.endswith("/plan")
    page.reload()  # the choice is remembered
    page.wait_for_selector("#plan-start:has-text('Plan the week')", timeout=30_000)
    assert_clean(opened)
    page.context.close()
