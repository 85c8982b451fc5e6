"""A report as data, and its two files: Excel (openpyxl) and PDF (the sheets' machinery).

Every ledger report (daily spot checks, weekly follow-up, monthly report, the ledger) is
a :class:`Report`: a title, the station and period, a few headline lines and sections of
people's tables (:mod:`patrol.ledger.sheets`). :func:`write_excel` writes the headline
on a first sheet and one sheet a section, headers in row 1 (bold, frozen, filterable),
dates as Excel dates, text that begins like a formula as text. :func:`write_pdf` prints
the same on landscape A4 pages with :mod:`patrol.render.pdf` and the embedded Noto Sans
SC subset. Both write atomically; the PDF's bytes depend only on the report.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from patrol.atomic import atomic_path, neutralise_cell
from patrol.ledger.labels import text
from patrol.render.pdf import MARGIN, Cell, Col, Doc, Run, Table, draw_text
from patrol.store.excel import fill_sheet

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["Report", "Section", "report_text", "write_excel", "write_pdf"]

_PAGE_W, _PAGE_H = 297.0, 210.0
_BOTTOM = _PAGE_H - 13.0


@dataclass(frozen=True)
class Section:
    """One table of a report: its heading (also the Excel sheet's name) and rows."""

    heading: str
    table: pd.DataFrame
    note: str = ""


@dataclass
class Report:
    """A report ready to write: title, station, period, headline lines, sections."""

    title: str
    station: str
    period: str
    lang: str
    day: dt.date
    headline: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def _fill(sheet: Any, table: pd.DataFrame) -> None:
    """The table as in plan.xlsx (:func:`patrol.store.excel.fill_sheet`), with filters."""
    fill_sheet(sheet, table)
    if len(table.columns):
        sheet.auto_filter.ref = sheet.dimensions


def _sheet_name(heading: str, taken: list[str]) -> str:
    name = "".join(c for c in heading if c not in "[]:*?/\\")[:31] or "sheet"
    n = 2
    while name in taken:
        name = f"{name[:28]}_{n}"
        n += 1
    return name


def write_excel(report: Report, target: Path) -> Path:
    """Write ``report`` as a workbook at ``target`` (atomically) and return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    front = book.active
    front.title = _sheet_name(text("sheet.overview", report.lang), [])
    for line, size in [(report.title, 16), (f"{report.station}  {report.period}", 12)]:
        front.append([neutralise_cell(line)])
        front.cell(row=front.max_row, column=1).font = Font(bold=True, size=size)
    front.append([])
    for line in report.headline:
        front.append([neutralise_cell(line)])
    front.column_dimensions["A"].width = 100
    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section.heading, book.sheetnames))
        _fill(sheet, section.table)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def _shown(value: Any, kind: str) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if kind in ("date", "time"):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%m-%d" if kind == "date" else "%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _columns(pdf: FPDF, table: pd.DataFrame, width: float) -> list[Col]:
    """Column widths in proportion to their longest text (header or cell), within limits."""
    kinds = table.attrs.get("kinds", {})
    pdf.set_font("noto", size=8)
    wants = []
    for header in table.columns:
        cells = [_shown(v, kinds.get(header, "")) for v in table[header].head(300)]
        longest = max(
            [pdf.get_string_width(str(header)) * 0.8] + [pdf.get_string_width(c) for c in cells]
        )
        wants.append(min(max(longest + 3.0, 12.0), 70.0))
    scale = width / sum(wants) if wants else 1.0
    numeric = ("int", "num1", "share")
    return [
        Col(str(h), w * scale, "R" if kinds.get(h) in numeric else "L")
        for h, w in zip(table.columns, wants, strict=True)
    ]


def report_text(report: Report) -> str:
    """Every character ``report`` prints (for the font subset)."""
    return _report_text(report)


def _report_text(report: Report) -> str:
    parts = [report.title, report.station, report.period, *report.headline]
    for section in report.sections:
        parts += [section.heading, section.note, *map(str, section.table.columns)]
        kinds = section.table.attrs.get("kinds", {})
        for header in section.table.columns:
            parts += [_shown(v, kinds.get(header, "")) for v in section.table[header]]
    footer = [text(k, report.lang) for k in ("sheet.none", "sheet.page", "sheet.plan_id")]
    return "".join(parts + footer) + "0123456789"


def _head(pdf: FPDF, report: Report, *, first: bool) -> float:
    pdf.add_page(orientation="L")
    width = _PAGE_W - 2 * MARGIN
    y = draw_text(
        pdf, MARGIN, MARGIN, width * 0.6, Run(report.title, 16 if first else 12, bold=True)
    )
    draw_text(
        pdf,
        MARGIN + width * 0.5,
        MARGIN + 1,
        width * 0.5,
        Run(f"{report.station}  {report.period}", 10),
        "R",
    )
    return y + 2


def _draw(doc: Doc, report: Report) -> None:
    pdf = doc.pdf
    width = _PAGE_W - 2 * MARGIN
    y = _head(pdf, report, first=True)
    for line in report.headline:
        y = draw_text(pdf, MARGIN, y, width, Run(line, 10)) + 0.5
    for section in report.sections:
        if y > _BOTTOM - 25:
            y = _head(pdf, report, first=False)
        y = draw_text(pdf, MARGIN, y + 3, width, Run(section.heading, 12, bold=True)) + 1
        if section.note:
            y = draw_text(pdf, MARGIN, y, width, Run(section.note, 8)) + 1
        table = section.table
        if not len(table):
            y = draw_text(pdf, MARGIN, y, width, Run(text("sheet.none", report.lang), 9)) + 2
            continue
        kinds = table.attrs.get("kinds", {})
        rows: list[list[Cell]] = [
            [[Run(_shown(v, kinds.get(h, "")), 8)] for h, v in zip(table.columns, row, strict=True)]
            for row in table.itertuples(index=False)
        ]
        drawn = Table(_columns(pdf, table, width), rows, header_size=8, min_row_h=5.0, pad=1.0)
        y, _ = drawn.draw(pdf, MARGIN, y, _BOTTOM, lambda: _head(pdf, report, first=False))
        y += 2


def write_pdf(report: Report, target: Path, *, plan_id: str = "", font_text: str = "") -> Path:
    """Print ``report`` on landscape A4 pages at ``target`` (atomically); the document's
    date is the report's day, so the same report gives the same bytes. ``font_text``
    adds characters to the embedded font subset: reports written together with the same
    ``font_text`` share one subset, made once."""
    from patrol.render.fonts import pdf_font_file

    with tempfile.TemporaryDirectory(prefix="patrol-font-") as tmp:
        font = pdf_font_file(_report_text(report) + font_text, Path(tmp))
        doc = Doc(
            font,
            lang=report.lang,
            plan_id=plan_id or "-",
            week_start=report.day,
            generated=None,
            title=report.title,
        )
        doc.footer_note = report.title
        _draw(doc, report)
        return doc.save(target)
