"""PDF layout pieces: runs wrap, tables run over pages, documents carry a fixed date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from patrol.render.fonts import pdf_font_file
from patrol.render.pdf import (
    Col,
    Doc,
    Run,
    Table,
    cell_height,
    document_date,
    draw_line,
    draw_runs,
    draw_text,
    line_height,
    set_run_font,
    wrap_run,
)

WEEK = dt.date(2026, 11, 30)


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Doc]:
    """A one-page document with the font subset of a little Chinese and English."""
    font = pdf_font_file("巡逻路线单测试文字甲乙丙丁", tmp_path)
    d = Doc(font, lang="zh", plan_id="p1", week_start=WEEK, generated=None, title="t")
    d.pdf.add_page()
    yield d
    d.close()


def test_line_height_grows_with_size() -> None:
    assert line_height(10) == pytest.approx(10 * 0.3528 * 1.22)
    assert line_height(20) == pytest.approx(2 * line_height(10))


def test_wrap_run_breaks_long_text_and_keeps_short(doc: Doc) -> None:
    assert wrap_run(doc.pdf, Run("甲乙", 10), 50) == ["甲乙"]
    long = Run("巡逻路线单测试文字" * 6, 10)
    lines = wrap_run(doc.pdf, long, 30)
    assert len(lines) > 2 and "".join(lines) == long.text
    assert wrap_run(doc.pdf, Run("", 10), 30) == [""]
    assert cell_height(doc.pdf, [long], 30) == pytest.approx(len(lines) * line_height(10))


def test_draw_functions_return_the_y_below(doc: Doc) -> None:
    set_run_font(doc.pdf, Run("x", 12))
    assert doc.pdf.font_size_pt == 12
    draw_line(doc.pdf, 10, 10, 50, Run("甲", 10, bold=True), "甲", "L")
    y = draw_text(doc.pdf, 10, 20, 80, Run("乙", 10))
    assert y == pytest.approx(20 + line_height(10))
    y = draw_runs(doc.pdf, 10, 30, 80, [Run("甲", 10), Run("乙", 12)], "C")
    assert y == pytest.approx(30 + line_height(10) + line_height(12))


def test_table_runs_over_pages_with_new_page(doc: Doc) -> None:
    cols = [Col("甲", 30), Col("乙", 20, kind="check"), Col("丙", 20, kind="clock")]
    rows = [[[Run(f"{i}", 10)], [], []] for i in range(60)]
    table = Table(cols, rows, min_row_h=8)
    table.measure(doc.pdf)
    assert len(table.row_heights) == 60 and table.height > 60 * 8
    end, nxt = table.draw(doc.pdf, 10, 10, 280)
    assert 0 < nxt < 60 and end <= 280

    def new_page() -> float:
        doc.pdf.add_page()
        return 10.0

    _, done = table.draw(doc.pdf, 10, 10, 280, new_page=new_page)
    assert done == 60 and doc.pdf.page_no() >= 2


def test_document_date_is_fixed_by_the_week_unless_given() -> None:
    assert document_date(WEEK) == dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    when = dt.datetime(2026, 11, 29, 18, 0)
    assert document_date(WEEK, when) == when.replace(tzinfo=dt.UTC)


def test_doc_saves_with_footer_and_fixed_creation_date(doc: Doc, tmp_path: Path) -> None:
    doc.footer_note = "甲"
    path = doc.save(tmp_path / "out.pdf")
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]).startswith("D:20261130000000")
    text = reader.pages[0].extract_text()
    assert "p1" in text and "甲" in text
    stamped = Doc(
        pdf_font_file("甲", tmp_path),
        lang="en",
        plan_id="p2",
        week_start=WEEK,
        generated=dt.datetime(2026, 11, 29, 18, 0),
        title="t",
    )
    stamped.pdf.add_page()
    page = PdfReader(stamped.save(tmp_path / "stamped.pdf")).pages[0].extract_text()
    assert "Generated 2026-11-29 18:00" in page


def test_place_image_compresses_once_and_writes_what_fpdf_writes() -> None:
    """A route map goes into three documents: compressed once, the bytes unchanged."""
    import datetime as dt

    import numpy as np
    from fpdf import FPDF
    from PIL import Image

    from patrol.render.pdf import place_image

    rng = np.random.default_rng(0)
    maps = [
        Image.fromarray((rng.random((60, 90, 3)) * 255).astype("uint8"), "RGB").quantize(64)
        for _ in range(2)
    ]

    def document(place: bool) -> bytes:
        pdf = FPDF()
        pdf.set_creation_date(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
        for image in (*maps, maps[0]):
            pdf.add_page()
            if place:
                place_image(pdf, image, x=10, y=10, w=90, h=60)
            else:
                pdf.image(image, x=10, y=10, w=90, h=60)
        return bytes(pdf.output())

    plain = document(place=False)
    assert document(place=True) == plain
    info = maps[0]._patrol_pdf_info  # type: ignore[attr-defined]
    assert document(place=True) == plain  # the second document reuses the compressed data
    assert maps[0]._patrol_pdf_info is info  # type: ignore[attr-defined]
