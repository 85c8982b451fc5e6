"""Nothing a name carries runs: a scenario whose every name, label and id is a script.

The tiny scenario with a script payload in the station, grid names, building addresses,
focus-household labels, person names, camera ids, police-room names and ids, beat ids and
a shift name is planned, its maps opened in headless Chromium (every request but the page
refused), every tooltip hovered and every popup opened, and none of the payloads may run
(``window.__xss`` stays undefined) or fetch (``<img src=x>``); the text shows literally.
The sheets are printed from the same plan: PDF text is drawn, never interpreted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from patrol.coverage.measure import Coverage
from patrol.labels import label
from patrol.plan import Plan
from tests.factory import TOML, tiny_layers, write_tiny_scenario
from tests.render.test_browser import GENERATED, browser, open_file

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, used by the tests below

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "</script><script>window.__xss=1</script>"
SVG = '"><svg onload=window.__xss=1>'
TITLE = "</title><script>window.__xss=1</script>"  # out of the page's <title>
SHIFT = "night<svg/onload=window.__xss=1>"  # a shift name has no spaces (availability)


def hostile_layers() -> dict[str, Any]:
    """The tiny layers with a payload in every name, label and id a page may show."""
    layers = tiny_layers()
    grids = layers["grids"]
    grids["name"] = [f"{IMG}网格{k}" if k % 2 else f"{SCRIPT}网格{k}" for k in range(len(grids))]
    grids["beat_id"] = grids["beat_id"].map(lambda b: f"{b}{SVG}")
    b = layers["buildings"]
    b["address"] = [f"{SVG}{a}" for a in b["address"]]
    fh = layers["focus_households"]
    fh["label"] = [f"{IMG}{x}" for x in fh["label"]]
    fh["household_id"] = [f"{h}{SCRIPT}" for h in fh["household_id"]]
    posts = layers["posts"]
    posts["name"] = [f"{IMG}警务室"]
    posts["post_id"] = [f"P1{SVG}"]
    layers["cameras"]["camera_id"] = [f"{IMG}C1", f"{SCRIPT}C2"]
    roster = layers["roster"]
    roster["name"] = [f"{n}{IMG}" if k % 2 else f"{n}{SVG}" for k, n in enumerate(roster["name"])]
    roster["beat_id"] = roster["beat_id"].map(lambda x: f"{x}{SVG}" if isinstance(x, str) else x)
    roster["available"] = ""  # every shift, whatever its name
    layers["incidents"]["category"] = [f"{SCRIPT}x"] * len(layers["incidents"])
    return layers


def hostile_toml() -> str:
    """The tiny settings with payloads in the station and in the night shift's name."""
    text = TOML.replace('station = "测试警务室"', f'station = "{TITLE}{SCRIPT}{IMG}测试警务室"')
    return text.replace('name = "night"', f"name = '{SHIFT}'")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Coverage, Path]:
    """The hostile scenario planned, with its maps and sheets written."""
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import PlanParams, plan_week
    from patrol.render.maps import write_maps
    from patrol.render.sheets import write_sheets
    from patrol.scenario.read import read_scenario

    tmp = tmp_path_factory.mktemp("hostile")
    folder = write_tiny_scenario(tmp / "scenario", layers=hostile_layers(), toml=hostile_toml())
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=100))
    coverage = measure_plan_coverage(plan)
    write_maps(plan, coverage, tmp, generated=GENERATED)
    write_sheets(plan, tmp, coverage=coverage, generated=GENERATED, phones=True)
    return plan, coverage, tmp


# Every layer with a tooltip or popup: bound content is rendered into the page exactly as
# Leaflet does (a function gets the feature's layer), also for clustered markers that are
# not on the map at the current zoom.
_RENDER_ALL = """
(() => {
  const box = document.createElement('div');
  box.id = 'patrol-all-popups';
  document.body.appendChild(box);
  let n = 0;
  function content(bound, layer) {
    const c = bound._content;
    if (typeof c === 'function' && !layer.feature) { return ''; }  // a group's own
    const v = (typeof c === 'function') ? c(layer) : c;
    return (v instanceof HTMLElement) ? v.outerHTML : String(v);
  }
  function visit(layer, parents) {
    for (const bound of [layer.getPopup && layer.getPopup(),
                         layer.getTooltip && layer.getTooltip()]) {
      if (bound) { const d = document.createElement('div'); d.innerHTML = content(bound, layer);
                   box.appendChild(d); n++; }
    }
    for (const p of parents) {
      for (const bound of [p.getPopup && p.getPopup(), p.getTooltip && p.getTooltip()]) {
        if (bound && typeof bound._content === 'function') {
          const d = document.createElement('div'); d.innerHTML = content(bound, layer);
          box.appendChild(d); n++;
        }
      }
    }
    if (layer.getLayers) { layer.getLayers().forEach(c => visit(c, [...parents, layer])); }
  }
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.eachLayer(l => visit(l, []));
  return n;
})()
"""


def _hover_and_click_everything(page: Any) -> tuple[int, str]:
    """Hover every grid, camera and blind spot and every marker; click every stop and
    route of every shift (plan.html); returns how many were touched and the popups' text."""
    touched, popups = 0, []
    for selector in (
        "path.patrol-grid",
        "path.patrol-camera",
        "path.patrol-blind-week",
        "path.patrol-blind-night",
        ".patrol-post",
        ".patrol-rank",
    ):
        for item in page.locator(selector).all()[:12]:
            item.dispatch_event("mouseover")  # as a pointer would, even off screen
            touched += 1
    shifts = page.locator("select.patrol-shift-select option").count()
    for k in range(shifts):
        page.select_option("select.patrol-shift-select", str(k))
        for item in page.locator(".patrol-stop").all() + page.locator("path.patrol-route").all():
            item.dispatch_event("click")
            touched += 1
            popups += page.locator(".leaflet-popup-content").all_inner_texts()
    return touched, "\n".join(popups)


def _literal_text(page: Any) -> str:
    return str(page.evaluate("document.body.innerText"))


@pytest.mark.parametrize("name", ["plan.html", "coverage.html"])
def test_no_payload_runs_in_the_maps(
    browser: Any, hostile: tuple[Plan, Coverage, Path], name: str
) -> None:
    plan, _, tmp = hostile
    opened = open_file(browser, tmp / "maps" / name)
    page = opened.page
    touched, popups = _hover_and_click_everything(page)
    assert touched >= len(plan.scenario.grids)
    shown = page.evaluate(_RENDER_ALL)
    assert shown > len(plan.scenario.grids)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert opened.blocked == [], f"a payload fetched {opened.blocked}"
    assert opened.errors == [], opened.errors
    assert (
        page.locator("svg[onload], img[onerror], script:not([src])").evaluate_all(
            "els => els.filter(e => e.closest('.leaflet-container, #patrol-all-popups')).length"
        )
        == 0
    )
    # the names show as the text they are
    text = _literal_text(page) + popups
    assert f"{TITLE}{SCRIPT}{IMG}测试警务室" in text  # the title panel
    assert f"{TITLE}{SCRIPT}{IMG}测试警务室" in page.title()
    assert f"{IMG}网格1" in text and f"{SCRIPT}网格0" in text
    assert f"B1{SVG}" in text
    assert f"{IMG}警务室" in text
    if name == "coverage.html":
        assert f"{IMG}C1" in text and f"{SCRIPT}C2" in text  # camera tooltips
    else:
        assert any(p.name in text for r in plan.routes for p in r.team.members)
        assert f"{SVG}测试小区" in text  # a visit's address in its stop popup
        # a shared map: a visit is a 重点户 at its address, never its category or name
        fh = plan.scenario.focus_households
        categories = [label(f"category.{c}", "zh") for c in fh["category"]]
        assert "重点户" in text
        assert not any(x in text for x in [*fh["label"], *categories])
    page.close()


def test_sheets_print_the_payloads_as_text(hostile: tuple[Plan, Coverage, Path]) -> None:
    from pypdf import PdfReader

    plan, _, tmp = hostile
    week = tmp / "sheets" / "week.pdf"
    text = "".join(p.extract_text() for p in PdfReader(week).pages)
    flat = "".join(text.split())  # lines wrap at spaces

    def squeezed(x: str) -> str:
        return "".join(x.split())

    assert squeezed(f"{TITLE}{SCRIPT}{IMG}测试警务室") in flat  # drawn as it is written
    assert squeezed(f"{IMG}网格1") in flat
    days = {r.team.slot.date for r in plan.routes}
    assert len(list((tmp / "sheets").rglob("*.pdf"))) == 1 + 2 * len(days)
