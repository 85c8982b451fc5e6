"""The maps in a real headless browser, with every network request refused.

Chromium opens each page from ``file://``; a route handler lets through only the page
itself and records and aborts anything else. Any such request, console error or page
error fails the test. ``PATROL_SCREENSHOTS=1`` saves the screenshots shown in the README
to ``docs/img/`` (otherwise they go to a temporary folder).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from patrol.coverage.measure import Coverage
from patrol.plan import Plan
from patrol.render.maps import write_maps
from patrol.render.style import RISK_COLOURS
from tests.factory import write_tiny_scenario

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "zhenganli"
GENERATED = dt.datetime(2026, 11, 29, 8, 0)

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Opened:
    """A page opened from a file, with what it tried to fetch and the errors it logged."""

    page: Any
    url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    load_s: float = 0.0


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_file(browser: Any, path: Path) -> Opened:
    """Open ``path`` with every other request aborted and recorded."""
    import time

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    opened = Opened(page=page, url=path.resolve().as_uri())

    def handle(route: Any) -> None:
        if route.request.url == opened.url:
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    start = time.perf_counter()
    page.goto(opened.url, wait_until="load")
    page.wait_for_selector(".leaflet-container .leaflet-overlay-pane path")
    opened.load_s = time.perf_counter() - start
    return opened


def assert_clean(opened: Opened) -> None:
    assert opened.blocked == [], f"the page tried to fetch {opened.blocked}"
    assert opened.errors == [], f"console errors: {opened.errors}"


def screenshot(opened: Opened, name: str, tmp: Path) -> None:
    target = tmp / name
    opened.page.screenshot(path=str(target))
    if os.environ.get("PATROL_SCREENSHOTS") == "1":
        (REPO / "docs" / "img").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, REPO / "docs" / "img" / name)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Coverage, Path]:
    """The tiny scenario planned, maps written (the bundled sample with
    ``PATROL_SCREENSHOTS=1``, for pictures worth showing)."""
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import PlanParams, plan_week
    from patrol.scenario.read import read_scenario

    tmp = tmp_path_factory.mktemp("browser")
    folder = (
        SAMPLE
        if os.environ.get("PATROL_SCREENSHOTS") == "1" and (SAMPLE / "patrol.toml").exists()
        else write_tiny_scenario(tmp / "tiny")
    )
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=200))
    coverage = measure_plan_coverage(plan)
    write_maps(plan, coverage, tmp, generated=GENERATED)
    return plan, coverage, tmp


def shift_routes(plan: Plan, key: str) -> list[Any]:
    return [r for r in plan.routes if r.team.slot.key == key]


def test_plan_map_renders_offline_and_switches_shift(
    browser: Any, planned: tuple[Plan, Coverage, Path]
) -> None:
    plan, _, tmp = planned
    opened = open_file(browser, tmp / "maps" / "plan.html")
    page = opened.page
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator("path.patrol-grid").count() == len(plan.scenario.grids)
    slots = sorted(plan.slots, key=lambda s: (s.start, s.key))
    first = next(s for s in slots if shift_routes(plan, s.key))
    shown = page.locator(".leaflet-container").get_attribute("data-shift")
    assert shown == first.key
    routes = shift_routes(plan, first.key)
    assert page.locator("path.patrol-route").count() == len(routes)
    stops = sum(1 for r in routes for s in r.stops if s.kind != "post")
    assert page.locator(".patrol-stop").count() == stops
    assert page.locator(".patrol-post").count() == len(plan.scenario.posts)
    screenshot(opened, "plan_map.png", tmp)
    before = sorted(p.get_attribute("d") for p in page.locator("path.patrol-route").all())

    other = next(s for s in slots[slots.index(first) + 1 :] if shift_routes(plan, s.key))
    page.select_option("select.patrol-shift-select", str(slots.index(other)))
    assert page.locator(".leaflet-container").get_attribute("data-shift") == other.key
    assert page.locator("path.patrol-route").count() == len(shift_routes(plan, other.key))
    after = sorted(p.get_attribute("d") for p in page.locator("path.patrol-route").all())
    assert after != before

    page.click("button.patrol-next")
    nxt = slots[(slots.index(other) + 1) % len(slots)]
    assert page.locator(".leaflet-container").get_attribute("data-shift") == nxt.key
    assert page.locator("path.patrol-route").count() == len(shift_routes(plan, nxt.key))

    # a stop's popup shows its planned times
    page.select_option("select.patrol-shift-select", str(slots.index(first)))
    page.locator(".patrol-stop").first.click()
    popup = page.locator(".leaflet-popup-content").inner_text()
    stop = next(s for s in routes[0].stops if s.kind != "post")
    assert f"{stop.arrive:%H:%M}" in popup

    # the risk colouring is one radio click away, with the same grids
    fills = {p.get_attribute("fill") for p in page.locator("path.patrol-grid").all()}
    page.locator(".leaflet-control-layers label", has_text="网格：风险等级").click()
    assert page.locator("path.patrol-grid").count() == len(plan.scenario.grids)
    risk = {p.get_attribute("fill") for p in page.locator("path.patrol-grid").all()}
    assert risk == {RISK_COLOURS[r] for r in plan.scenario.grids["risk"]}
    assert risk != fills
    assert_clean(opened)
    assert opened.load_s < 3.0
    page.close()


def test_coverage_map_renders_offline(browser: Any, planned: tuple[Plan, Coverage, Path]) -> None:
    plan, coverage, tmp = planned
    opened = open_file(browser, tmp / "maps" / "coverage.html")
    page = opened.page
    spots = coverage.blind_spots
    n_week = int((spots["band"] == "week").sum()) if len(spots) else 0
    n_night = int((spots["band"] == "night").sum()) if len(spots) else 0
    assert page.locator("path.patrol-grid").count() == len(plan.scenario.grids)
    assert page.locator("path.patrol-blind-week").count() == n_week
    assert page.locator("path.patrol-blind-night").count() == n_night
    assert page.locator("path.patrol-camera").count() == len(coverage.camera_views)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    screenshot(opened, "coverage_map.png", tmp)
    rows = page.locator(".patrol-blind-list tr.row")
    assert rows.count() == min(n_week, 10) + min(n_night, 10)
    if rows.count():
        name = page.locator(".leaflet-container").get_attribute("id")
        centre = page.evaluate(f"{name}.getCenter().toString()")
        rows.first.click()
        page.wait_for_timeout(400)
        assert page.evaluate(f"{name}.getCenter().toString()") != centre
    assert_clean(opened)
    assert opened.load_s < 3.0
    page.close()
