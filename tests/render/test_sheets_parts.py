"""The sheets' parts on the tiny plan: look-ups, stop rows, layout, map image, drawing, the
overview, and the font's text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from pypdf import PdfReader

from patrol.coverage.measure import Coverage
from patrol.plan import Plan
from patrol.render.figure import stop_groups
from patrol.render.fonts import pdf_font_file
from patrol.render.pdf import Doc
from patrol.render.sheets.lookup import Lookup, date_text, duration_text, hm, km_text
from patrol.render.sheets.overview import draw_overview
from patrol.render.sheets.route import (
    draw_route_sheet,
    layout_route,
    render_route_map,
    stop_row,
)
from patrol.render.sheets.write import plan_text

matplotlib.use("Agg")


@pytest.fixture
def doc(planned: tuple[Plan, Coverage], tmp_path: Path) -> Iterator[Doc]:
    plan, _ = planned
    font = pdf_font_file(plan_text(plan), tmp_path)
    d = Doc(
        font,
        lang="zh",
        plan_id=plan.plan_id,
        week_start=plan.scenario.settings.week_start,
        generated=None,
        title="t",
    )
    yield d
    d.close()


def test_text_helpers() -> None:
    assert hm(dt.datetime(2026, 11, 30, 7, 5)) == "07:05"
    assert "11月30日" in date_text(dt.date(2026, 11, 30), "zh")
    assert "Mon" in date_text(dt.date(2026, 11, 30), "en")
    assert duration_text(45 * 60, "en") != duration_text(125 * 60, "en")
    assert km_text(1234) == "1.2"


def test_lookup_finds_names_near_points(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    look = Lookup(plan, "zh", False, ())
    grids = plan.scenario.grids
    inside = grids.geometry.iloc[0].representative_point()
    assert look.grid_near(inside) == grids["name"].iloc[0]
    building = plan.scenario.buildings.iloc[0]
    assert look.building_near(building.geometry.centroid) == building["address"]
    assert isinstance(look.street_near(inside, 1e6), str)


def test_stop_row_hides_labels_when_redacted(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    route = next(r for r in plan.routes if any(s.kind == "visit" for s in r.stops))
    group = next(g for g in stop_groups(route) if g[0].kind == "visit")
    labels = set(plan.scenario.focus_households["label"])
    shown = stop_row(Lookup(plan, "zh", False, ()), "1", group)
    hidden = stop_row(Lookup(plan, "zh", True, ()), "1", group)
    assert len(shown) == len(hidden) == 7
    assert {r.text for r in shown[3]} & labels
    assert not {r.text for r in hidden[3]} & labels


def test_layout_map_and_drawing_of_a_route(
    planned: tuple[Plan, Coverage], doc: Doc, tmp_path: Path
) -> None:
    import matplotlib.pyplot as plt

    plan, coverage = planned
    look = Lookup(plan, "zh", False, ())
    doc.pdf.add_page()
    route = plan.routes[0]
    sheet = layout_route(doc.pdf, look, route, True)
    assert len(sheet.table.rows) == len(stop_groups(route))
    assert 62 <= sheet.map_h <= 150
    fig = plt.figure()
    try:
        image = render_route_map(plan, sheet, coverage, "zh", fig)
    finally:
        plt.close(fig)
    assert image.mode == "P" and image.width > image.height
    sheet.image = image
    draw_route_sheet(doc, look, sheet, plan.scenario.settings.station)
    text = PdfReader(doc.save(tmp_path / "route.pdf")).pages[-1].extract_text()
    assert route.team.team_id in text and "巡逻路线单" in text


def test_overview_pages(planned: tuple[Plan, Coverage], doc: Doc, tmp_path: Path) -> None:
    plan, coverage = planned
    draw_overview(doc, Lookup(plan, "zh", False, ()), plan, coverage, plan.grid_table)
    reader = PdfReader(doc.save(tmp_path / "overview.pdf"))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "巡逻周计划总览" in text and "排班日历" in text
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages)


def test_plan_text_holds_every_printed_string(planned: tuple[Plan, Coverage]) -> None:
    plan, _ = planned
    text = plan_text(plan)
    for person in plan.scenario.people:
        assert person.name in text
    for name in plan.scenario.grids["name"]:
        assert name in text
    assert plan.plan_id in text and "巡逻路线单" in text
