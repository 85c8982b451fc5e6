"""The pages' parts without a browser: what the Scenario page draws and finds under a
click, the calendar, the Plan page's status lines, and the app's routes."""

from __future__ import annotations

from pathlib import Path

import pytest

from patrol.serve import (
    page_check,
    page_compare,
    page_map,
    page_plan,
    page_print,
    page_replan,
    page_scenario,
)
from patrol.serve.app import create_app
from patrol.serve.jobs import STAGES, JobState
from patrol.serve.station import ServeConfig, Station, resolve_folders


@pytest.fixture
def station(tiny_dir: Path) -> Station:
    return Station(ServeConfig(scenario=tiny_dir, out=tiny_dir.parent / "tiny-plan"))


def test_grids_and_points_for_the_map(station: Station) -> None:
    grids = page_scenario.grid_features(station, "zh")["features"]
    assert [f["properties"]["grid_id"] for f in grids] == ["G1", "G2", "G3", "G4"]
    g1 = grids[0]["properties"]
    assert "grid-G1" in g1["css"] and "risk-green" in g1["css"] and g1["tip"].endswith("· 绿")
    assert page_scenario.grid_features(station, "en")["features"][0]["properties"]["tip"].endswith(
        "· green"
    )
    points = page_scenario.point_features(station, "zh")["features"]
    kinds = {f["properties"]["css"].split()[0] for f in points}
    assert kinds == {"camera", "incident"}
    assert len(page_scenario.map_layers(station, "zh")) == 2  # two components, any size


def test_grid_under_a_click(station: Station) -> None:
    import shapely

    g1 = page_scenario.grid_features(station, "zh")["features"][0]
    point = shapely.geometry.shape(g1["geometry"]).representative_point()
    inside = page_scenario.grid_at(station, point.x, point.y)
    assert inside is not None and inside["grid_id"] == "G1"
    assert page_scenario.grid_at(station, 0.0, 0.0) is None


def test_fit_zoom() -> None:
    zoom = page_scenario.fit_zoom([[39.99, 116.34], [40.01, 116.36]])
    assert 14 <= zoom < 16 and zoom * 4 == int(zoom * 4)
    assert page_scenario.fit_zoom([[-80, -179], [80, 179]]) <= 3


def test_availability_calendar_by_date(station: Station) -> None:
    scenario = station.check().scenario
    head, rows = page_scenario.calendar_rows(scenario, "zh")
    assert len(head) == 8 and head[1].endswith("周一")
    assert len(rows) == len(scenario.people)
    officer = next(r for r in rows if r[0].startswith("赵警官"))
    assert officer[0] == "赵警官（民警）"
    assert all(cell != "—" for cell in officer[1:])  # empty availability: always
    text = "".join(page_scenario.calendar_rows(scenario, "en")[0])
    assert "Mon" in text


def test_report_and_pages_without_a_plan(station: Station) -> None:
    assert "检查通过" in str(page_scenario.report(station, "zh"))
    assert "还没有计划" in str(page_plan.layout(station, "zh"))
    assert "还没有计划" in str(page_map.layout(station, "zh"))
    assert "No plan yet" in str(page_print.layout(station, "en"))
    assert "还没有计划" in str(page_replan.layout(station, "zh"))
    assert "还没有计划" in str(page_compare.layout(station, "zh"))
    assert "还没有计划" in str(page_check.layout(station, "zh"))


def test_status_lines() -> None:
    assert page_plan.status_line(JobState(), "zh") == "尚未开始。"
    running = JobState(status="running", stage=4, elapsed_s=12.3)
    assert page_plan.status_line(running, "zh") == "进行中：排路线（12 秒）"
    failed = JobState(status="failed", error_zh="坏了", error_en="broken")
    assert page_plan.status_line(failed, "en").endswith("broken")
    stages = str(page_plan.stage_list(JobState(status="done"), "zh"))
    assert stages.count("✓") == len(STAGES)


def test_app_routes(station: Station) -> None:
    client = create_app(station).server.test_client()

    def status(path: str) -> int:
        with client.get(path) as response:
            return int(response.status_code)

    assert status("/") == 200
    assert status("/_dash-layout") == 200
    assert status("/files/scenario/patrol.toml") == 200
    assert status("/files/scenario/../tiny/patrol.toml") == 404
    assert status("/files/out/maps/plan.html") == 404  # no plan yet
    assert status("/files/elsewhere/x") == 404
    assert status("/sheet/0") == 404
    assert status("/login") == 302  # no password: no login page


def test_resolve_folders(tiny_dir: Path) -> None:
    scenario, out = resolve_folders(tiny_dir)
    assert scenario == tiny_dir.resolve() and out == tiny_dir.resolve().with_name("tiny-plan")
    assert (
        resolve_folders(tiny_dir, out=tiny_dir.parent / "o")[1] == (tiny_dir.parent / "o").resolve()
    )


def test_uploads_are_saved_under_safe_names(tmp_path: Path) -> None:
    import base64

    from patrol.serve.page_check import save_upload

    data = "data:text/csv;base64," + base64.b64encode(b"a,b\n1,2\n").decode()
    saved = save_upload(tmp_path, "../../etc/签到 表.csv", data)
    assert saved.parent == tmp_path and saved.read_bytes() == b"a,b\n1,2\n"
    assert saved.name == "签到_表.csv"
    assert save_upload(tmp_path, "..", data).name == "upload"
