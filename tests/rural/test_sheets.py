"""The route sheet of a mixed route: each leg 驾车 or 步行 with distance and time; the plan
map in two line styles; a police assistant's sheet says he stands in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from patrol.plan import Plan, TeamRoute
from patrol.render.fonts import pdf_font_file
from patrol.render.pdf import Doc
from patrol.render.sheets.legs import (
    approach_legs,
    is_mixed,
    leg_text,
    mixed_total_text,
    mode_totals,
)
from patrol.render.sheets.lookup import Lookup
from patrol.render.sheets.route import draw_route_sheet, layout_route
from patrol.render.sheets.write import plan_text


@pytest.fixture
def doc(rural_plan: Plan, tmp_path: Path) -> Iterator[Doc]:
    font = pdf_font_file(plan_text(rural_plan), tmp_path)
    start = rural_plan.scenario.settings.week_start
    d = Doc(font, lang="zh", plan_id=rural_plan.plan_id, week_start=start, generated=None,
            title="t")  # fmt: skip
    yield d
    d.close()


def _sheet_text(plan: Plan, route: TeamRoute, doc: Doc, path: Path) -> str:
    look = Lookup(plan, "zh", False, ())
    doc.pdf.add_page()
    sheet = layout_route(doc.pdf, look, route, False)
    draw_route_sheet(doc, look, sheet, plan.scenario.settings.station)
    reader = PdfReader(doc.save(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_route_sheet_of_a_mixed_route_shows_drive_and_walk_legs(
    rural_plan: Plan, doc: Doc, tmp_path: Path
) -> None:
    route = max(rural_plan.routes, key=lambda r: len(r.legs))
    assert is_mixed(route)
    text = _sheet_text(rural_plan, route, doc, tmp_path / "route.pdf")
    drives = re.findall(r"驾车 \d+\.\d km · \d+分钟", text)
    walks = re.findall(r"步行 \d+\.\d km · \d+分钟", text)
    print(f"\n{route.team.team_id}: {len(drives)} driven and {len(walks)} walked legs listed")
    assert drives and walks
    walked, driven, mode = mode_totals(route)
    assert mode == "car" and driven > walked > 0
    assert mixed_total_text(route, "zh") in text.replace("\n", "")


def test_leg_helpers(rural_plan: Plan) -> None:
    route = rural_plan.routes[0]
    first, second = route.stops[0], route.stops[1]
    legs = approach_legs(route, first.depart, second.arrive)
    assert legs and all(leg.kind == "transit" for leg in legs)
    assert leg_text(legs[0], "en").split()[0] in ("drive", "walk")


def test_a_police_assistant_sheet_says_he_stands_in(
    rural_plan: Plan, doc: Doc, tmp_path: Path
) -> None:
    route = next(r for r in rural_plan.routes if r.team.kind == "police_assistant")
    text = _sheet_text(rural_plan, route, doc, tmp_path / "assistant.pdf").replace("\n", "")
    assert "警务助理在" in text and "代行民警职责" in text


def test_the_plan_map_draws_driven_legs_dashed(rural_plan: Plan) -> None:
    from patrol.render.maps.plan import plan_map

    html = plan_map(rural_plan).get_root().render()
    assert '"drives"' in html and "patrol-route-drive" in html
    assert "驾车/骑行路段" in html  # the legend names the second line style
