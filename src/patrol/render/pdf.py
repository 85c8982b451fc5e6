"""PDF page layout for the sheets: text runs, wrapped cells, tables across pages, documents.

The sheets (:mod:`patrol.render.sheets`) are built from these few pieces on top of fpdf2:
a :class:`Run` is one styled line of text, wrapped to its cell when drawn; a :class:`Table`
measures its rows once and draws them across pages; a :class:`Doc` is one PDF with the
embedded Noto Sans SC subset (:mod:`patrol.render.fonts`) and the page footer.

A document's bytes depend only on what is drawn: the creation date is the one given
(:func:`document_date`), never the clock, so two runs print byte-identical files.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.labels import label
from patrol.render.style import BLACK, CLOCK_GREY, DARK, GREY, HEADER_FILL

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL.Image import Image

__all__ = [
    "Cell",
    "Col",
    "Doc",
    "Run",
    "Table",
    "cell_height",
    "document_date",
    "draw_line",
    "draw_runs",
    "draw_text",
    "line_height",
    "place_image",
    "wrap_run",
]

FONT = "noto"
MARGIN = 10.0
PT = 0.3528  # mm per point


@dataclass(frozen=True)
class Run:
    """One line of text in a cell: wrapped to the cell's width when drawn."""

    text: str
    size: float = 10.0
    bold: bool = False
    colour: tuple[int, int, int] = BLACK


@dataclass(frozen=True)
class Col:
    """A table column: title, width in mm, alignment, and what it holds."""

    title: str
    width: float
    align: str = "L"
    kind: str = "text"  # text | check | clock


Cell = Sequence[Run]


def line_height(size: float) -> float:
    """The height in mm of one line of ``size`` pt type."""
    return size * PT * 1.22


def set_run_font(pdf: FPDF, run: Run) -> None:
    """Select the one font at ``run``'s size and colour."""
    pdf.set_font(FONT, size=run.size)
    pdf.set_text_color(*run.colour)


def draw_line(pdf: FPDF, x: float, y: float, w: float, run: Run, text: str, align: str) -> None:
    """One line of ``run``; bold is drawn as fill plus a thin outline (the font has one
    weight), inside its own graphics state so the outline never leaks to later text."""
    set_run_font(pdf, run)
    pdf.set_xy(x, y)
    if not run.bold:
        pdf.cell(w, line_height(run.size), text, align=align)
        return
    with pdf.local_context(
        text_mode="FILL_STROKE", line_width=run.size * 0.018, draw_color=run.colour
    ):
        pdf.cell(w, line_height(run.size), text, align=align)


#: wrapped lines by (text, size, width): the one font's widths never change, and every
#: cell is measured for the layout and again for each file it is drawn into
_WRAPPED: dict[tuple[str, float, float], list[str]] = {}


def _measurer(pdf: FPDF) -> FPDF:
    """A scratch FPDF with ``pdf``'s font, for line breaking: fpdf2 numbers a font's
    glyphs in the order they are first used, and a dry run counts as a use, so breaking
    lines on the document itself would make its bytes depend on what :data:`_WRAPPED`
    already held."""
    from fpdf import FPDF

    found = getattr(pdf, "_patrol_measurer", None)
    if found is None:
        found = FPDF(unit="mm", format="A4")
        font: Any = pdf.fonts[FONT]
        found.add_font(FONT, "", str(font.ttffile))
        found.add_page()
        pdf._patrol_measurer = found  # type: ignore[attr-defined]
    return found  # type: ignore[no-any-return]


def wrap_run(pdf: FPDF, run: Run, width: float) -> list[str]:
    """The lines ``run`` takes in ``width`` mm (widths measured with ``pdf``'s font; the
    line breaking itself on a scratch copy, so ``pdf`` is left as it was)."""
    if not run.text:
        return [""]
    key = (run.text, run.size, width)
    hit = _WRAPPED.get(key)
    if hit is not None:
        return hit
    pdf.set_font(FONT, size=run.size)
    if pdf.get_string_width(run.text) <= width - 0.2:
        lines = [run.text]
    else:
        measure = _measurer(pdf)
        measure.set_font(FONT, size=run.size)
        found: Any = measure.multi_cell(
            width, line_height(run.size), run.text, dry_run=True, output="LINES", padding=0
        )
        lines = [str(x) for x in found] or [""]
    if len(_WRAPPED) > 50_000:
        _WRAPPED.clear()
    _WRAPPED[key] = lines
    return lines


def cell_height(pdf: FPDF, cell: Cell, width: float) -> float:
    """The height in mm of ``cell``'s runs wrapped to ``width`` mm."""
    return sum(line_height(r.size) * len(wrap_run(pdf, r, width)) for r in cell)


def draw_runs(pdf: FPDF, x: float, y: float, width: float, cell: Cell, align: str) -> float:
    """Draw ``cell`` top-down from ``y``; returns the y below it."""
    for run in cell:
        for line in wrap_run(pdf, run, width):
            draw_line(pdf, x, y, width, run, line, align)
            y += line_height(run.size)
    return y


def draw_text(pdf: FPDF, x: float, y: float, w: float, run: Run, align: str = "L") -> float:
    """Draw one run wrapped to ``w`` mm; returns the y below it."""
    return draw_runs(pdf, x, y, w, [run], align)


@dataclass
class Table:
    """A table drawn across pages: columns, rows of cells, and how to start a new page."""

    cols: list[Col]
    rows: list[list[Cell]]
    header_size: float = 9.0
    min_row_h: float = 6.0
    pad: float = 1.2
    row_heights: list[float] = field(default_factory=list)
    _header_h: float = 0.0

    def measure(self, pdf: FPDF) -> None:
        """Measure the header and every row (once; drawing reuses the heights)."""
        inner = [c.width - 2 * self.pad for c in self.cols]
        titles = [[Run(c.title, self.header_size, bold=True)] for c in self.cols]
        tallest = max(cell_height(pdf, t, w) for t, w in zip(titles, inner, strict=True))
        self._header_h = tallest + 2 * self.pad + 1.0
        self.row_heights = []
        for row in self.rows:
            h = max(cell_height(pdf, cell, w) for cell, w in zip(row, inner, strict=True))
            self.row_heights.append(max(self.min_row_h, h + 2 * self.pad))

    @property
    def header_h(self) -> float:
        return self._header_h or line_height(self.header_size) + 2 * self.pad + 1.0

    @property
    def height(self) -> float:
        return self.header_h + sum(self.row_heights)

    def draw(
        self,
        pdf: FPDF,
        x: float,
        y: float,
        bottom: float,
        new_page: Callable[[], float] | None = None,
        start: int = 0,
    ) -> tuple[float, int]:
        """Draw rows from ``start`` until ``bottom``; with ``new_page`` continue on new pages.

        Returns the y below the last row drawn and the index of the next row to draw.
        """
        if not self.row_heights:
            self.measure(pdf)
        y = self._header(pdf, x, y)
        i = start
        while i < len(self.rows):
            h = self.row_heights[i]
            if y + h > bottom:
                if new_page is None:
                    return y, i
                y = self._header(pdf, x, new_page())
            self._row(pdf, x, y, self.rows[i], h)
            y += h
            i += 1
        return y, i

    def _header(self, pdf: FPDF, x: float, y: float) -> float:
        pdf.set_fill_color(*HEADER_FILL)
        pdf.set_draw_color(*BLACK)
        pdf.set_line_width(0.3)
        cx = x
        for col in self.cols:
            pdf.rect(cx, y, col.width, self.header_h, style="DF")
            title = Run(col.title, self.header_size, bold=True)
            draw_text(pdf, cx + self.pad, y + self.pad + 0.5, col.width - 2 * self.pad, title, "C")
            cx += col.width
        return y + self.header_h

    def _row(self, pdf: FPDF, x: float, y: float, row: list[Cell], h: float) -> None:
        pdf.set_draw_color(*BLACK)
        pdf.set_line_width(0.3)
        cx = x
        for col, cell in zip(self.cols, row, strict=True):
            pdf.rect(cx, y, col.width, h)
            if col.kind == "check":
                side = min(7.0, h - 2.5, col.width - 4)
                pdf.set_line_width(0.5)
                pdf.rect(cx + (col.width - side) / 2, y + (h - side) / 2, side, side)
                pdf.set_line_width(0.3)
            elif col.kind == "clock":
                mark = Run(":", 13, colour=CLOCK_GREY)
                draw_text(pdf, cx, y + h / 2 - line_height(13) / 2, col.width, mark, "C")
            else:
                inner = col.width - 2 * self.pad
                ch = cell_height(pdf, cell, inner)
                top = y + self.pad if col.align == "L" else y + (h - ch) / 2
                draw_runs(pdf, cx + self.pad, top, inner, cell, col.align)
            cx += col.width


def place_image(pdf: FPDF, image: Image, *, x: float, y: float, w: float, h: float) -> None:
    """Place a PIL image on ``pdf``'s page, compressed once however many documents show
    it: fpdf2 hashes and compresses an image again for every document it is added to,
    and a route map goes into three (the week, the day's team and police copies). The
    compressed data is kept on the image; the document bytes are the same as
    ``pdf.image(image)`` gives."""
    from fpdf.image_parsing import get_img_info

    cache = pdf.image_cache
    name: str | None = getattr(image, "_patrol_pdf_name", None)
    if name is None:  # a name fpdf2 keeps the image under (the PDF itself numbers them)
        import hashlib

        name = "patrol:" + hashlib.md5(image.tobytes(), usedforsecurity=False).hexdigest()
        image._patrol_pdf_info = get_img_info(name, image, cache.image_filter)  # type: ignore[attr-defined]
        image._patrol_pdf_name = name  # type: ignore[attr-defined]
    if name not in cache.images:
        info = copy.copy(image._patrol_pdf_info)  # type: ignore[attr-defined]
        info["i"], info["usages"], info["iccp_i"] = len(cache.images) + 1, 0, None
        cache.images[name] = info
    pdf.image(name, x=x, y=y, w=w, h=h)


def document_date(week_start: dt.date, generated: dt.datetime | None = None) -> dt.datetime:
    """The creation date a PDF carries: ``generated`` if given, else the midnight (UTC)
    the plan's week starts, a fixed date so re-printing a saved plan gives the same bytes.
    """
    if generated is None:
        return dt.datetime.combine(week_start, dt.time(0, 0), tzinfo=dt.UTC)
    return generated.astimezone(dt.UTC) if generated.tzinfo else generated.replace(tzinfo=dt.UTC)


class Doc:
    """One PDF being written: the FPDF, the font, and the page footer.

    ``generated`` is printed in the footer when given; the creation date in the file's
    metadata is :func:`document_date` of the week and ``generated``.
    """

    def __init__(
        self,
        font_file: Path,
        *,
        lang: str,
        plan_id: str,
        week_start: dt.date,
        generated: dt.datetime | None,
        title: str,
    ):
        from fpdf import FPDF

        doc = self

        class _PDF(FPDF):
            def footer(self) -> None:
                doc.footer()

        self.pdf = _PDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.add_font(FONT, "", str(font_file))
        self.pdf.set_font(FONT, size=10)
        self.pdf.set_creation_date(document_date(week_start, generated))
        self.pdf.set_title(title)
        self.pdf.set_creator("patrol")
        self.pdf.set_producer("patrol (fpdf2)")
        self.pdf.set_lang("zh-CN" if lang == "zh" else "en")
        self.lang = lang
        self.plan_id = plan_id
        self.generated = generated.strftime("%Y-%m-%d %H:%M") if generated else ""
        self.footer_note = ""
        self.mark = ""  # e.g. "修订 第1版" on every page of a re-plan's changed sheets

    def close(self) -> None:
        """Release the font files of a document that is never written (fpdf2 closes them
        itself on output), and of its scratch copy for line breaking."""
        _close_fonts(self.pdf)
        _close_fonts(getattr(self.pdf, "_patrol_measurer", None))

    def footer(self) -> None:
        """The page's foot: team or note, plan id, generated time (if any), page n of N."""
        pdf = self.pdf
        w = pdf.w - 2 * MARGIN
        y = pdf.h - 9.5
        parts = [self.mark, self.footer_note, label("sheet.plan_id", self.lang, id=self.plan_id)]
        if self.generated:
            parts.append(label("sheet.generated", self.lang, time=self.generated))
        left = " · ".join(x for x in parts if x)
        draw_text(pdf, MARGIN, y, w * 0.75, Run(left, 8, colour=GREY))
        page = label("sheet.page", self.lang, page=pdf.page_no(), pages="{nb}")
        draw_text(pdf, MARGIN + w * 0.6, y, w * 0.4, Run(page, 9, colour=DARK), "R")

    def save(self, target: Path) -> Path:
        """Write the document to ``target`` atomically and return the path."""
        from patrol.atomic import atomic_path

        with atomic_path(target) as tmp:
            self.pdf.output(str(tmp))
        _close_fonts(getattr(self.pdf, "_patrol_measurer", None))
        return target


def _close_fonts(pdf: FPDF | None) -> None:
    for font in pdf.fonts.values() if pdf is not None else ():
        close = getattr(font, "close", None)
        if close is not None:
            close()
