"""Printed route sheets (巡逻路线单): one A4 page per team and shift, and a week overview.

:func:`write_sheets` writes ``OUT/sheets/week.pdf`` (the chief's overview, then every
route sheet in time order) and one PDF per day with that day's sheets (or one per team
and shift with ``split=True``). A route sheet carries what a team on the street at night
needs: who walks (names, roles, phones), a print map of the route with numbered stops,
the stops in order with big planned times and addresses, a box to tick and a space for
the time actually reached (打卡), and signature lines for the team leader and the
reviewing officer.

Every word comes from :mod:`patrol.labels`; the one font is Noto Sans SC from
``pylopdf-fonts-zh-cn``, embedded (see :mod:`patrol.render.fonts`). A household's label
(e.g. ``独居老人 王某某``) is printed only on the sheet of the team that visits it, never
on the overview; ``redact=True`` leaves labels out everywhere. Output is deterministic
apart from the generated-time stamp (pass ``generated`` to fix it).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from patrol.labels import CATALOGUE, label, shift_label
from patrol.render.figure import font_context, plot_plan, stop_groups
from patrol.render.fonts import pdf_font_file

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL.Image import Image

    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan, Stop, TeamRoute

__all__ = ["write_sheets"]

logger = logging.getLogger("patrol")

FONT = "noto"
MARGIN = 10.0
PT = 0.3528  # mm per point
BLACK = (0, 0, 0)
DARK = (55, 55, 55)
GREY = (120, 120, 120)
HEADER_FILL = (225, 225, 225)


# ----------------------------------------------------------------------------- text runs


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


def _line_h(size: float) -> float:
    return size * PT * 1.22


def _set_font(pdf: FPDF, run: Run) -> None:
    pdf.set_font(FONT, size=run.size)
    pdf.set_text_color(*run.colour)


def _cell(pdf: FPDF, x: float, y: float, w: float, run: Run, text: str, align: str) -> None:
    """One line of ``run``; bold is drawn as fill plus a thin outline (the font has one
    weight), inside its own graphics state so the outline never leaks to later text."""
    _set_font(pdf, run)
    pdf.set_xy(x, y)
    if not run.bold:
        pdf.cell(w, _line_h(run.size), text, align=align)
        return
    with pdf.local_context(
        text_mode="FILL_STROKE", line_width=run.size * 0.018, draw_color=run.colour
    ):
        pdf.cell(w, _line_h(run.size), text, align=align)


#: wrapped lines by (text, size, width): the one font's widths never change, and every
#: cell is measured for the layout and again for each file it is drawn into
_WRAPPED: dict[tuple[str, float, float], list[str]] = {}


def _wrap(pdf: FPDF, run: Run, width: float) -> list[str]:
    """The lines ``run`` takes in ``width`` mm."""
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
        found: Any = pdf.multi_cell(
            width, _line_h(run.size), run.text, dry_run=True, output="LINES", padding=0
        )
        lines = [str(x) for x in found] or [""]
    if len(_WRAPPED) > 50_000:
        _WRAPPED.clear()
    _WRAPPED[key] = lines
    return lines


def _cell_height(pdf: FPDF, cell: Cell, width: float) -> float:
    return sum(_line_h(r.size) * len(_wrap(pdf, r, width)) for r in cell)


def _draw_runs(pdf: FPDF, x: float, y: float, width: float, cell: Cell, align: str) -> float:
    """Draw ``cell`` top-down from ``y``; returns the y below it."""
    for run in cell:
        for line in _wrap(pdf, run, width):
            _cell(pdf, x, y, width, run, line, align)
            y += _line_h(run.size)
    return y


def _text(pdf: FPDF, x: float, y: float, w: float, run: Run, align: str = "L") -> float:
    return _draw_runs(pdf, x, y, w, [run], align)


# ----------------------------------------------------------------------------- tables


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
        self._header_h = (
            max(
                _cell_height(
                    pdf, [Run(c.title, self.header_size, bold=True)], c.width - 2 * self.pad
                )
                for c in self.cols
            )
            + 2 * self.pad
            + 1.0
        )
        self.row_heights = []
        for row in self.rows:
            h = max(
                _cell_height(pdf, cell, col.width - 2 * self.pad)
                for col, cell in zip(self.cols, row, strict=True)
            )
            self.row_heights.append(max(self.min_row_h, h + 2 * self.pad))

    @property
    def header_h(self) -> float:
        return self._header_h or _line_h(self.header_size) + 2 * self.pad + 1.0

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
            _text(
                pdf,
                cx + self.pad,
                y + self.pad + 0.5,
                col.width - 2 * self.pad,
                Run(col.title, self.header_size, bold=True),
                "C",
            )
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
                _text(
                    pdf,
                    cx,
                    y + h / 2 - _line_h(13) / 2,
                    col.width,
                    Run(":", 13, colour=(170, 170, 170)),
                    "C",
                )
            else:
                inner = col.width - 2 * self.pad
                ch = _cell_height(pdf, cell, inner)
                top = y + self.pad if col.align == "L" else y + (h - ch) / 2
                _draw_runs(pdf, cx + self.pad, top, inner, cell, col.align)
            cx += col.width


# ----------------------------------------------------------------------------- look-ups


class _Lookup:
    """Names, addresses and labels a sheet needs, looked up once per plan."""

    def __init__(self, plan: Plan, lang: str, redact: bool, anti_fraud: Collection[str]):
        sc = plan.scenario
        self.plan = plan
        self.lang = lang
        self.redact = redact
        self.anti_fraud = set(anti_fraud)
        self.grid_name = {
            str(g): str(n) for g, n in zip(sc.grids["grid_id"], sc.grids["name"], strict=True)
        }
        self.address = {
            str(b): str(a) if isinstance(a, str) and a else str(b)
            for b, a in zip(
                sc.buildings["building_id"],
                sc.buildings.get("address", sc.buildings["building_id"]),
                strict=True,
            )
        }
        fh = sc.focus_households
        self.household: dict[str, dict[str, Any]] = (
            {
                str(r["household_id"]): {str(k): v for k, v in r.items()}
                for r in fh.to_dict("records")
            }
            if len(fh)
            else {}
        )
        self.hotspot = {h.hotspot_id: h for h in plan.demand.hotspots}
        self.task = {t.task_id: t for t in plan.demand.tasks}
        self.post_name = {
            str(p): str(n) for p, n in zip(sc.posts["post_id"], sc.posts["name"], strict=True)
        }
        edges = plan.network.edges
        named = (
            edges.loc[edges["name"].fillna("").astype(str).str.strip() != ""]
            if plan.network.has_streets and "name" in edges.columns and len(edges)
            else edges.iloc[:0]
        )
        self._street_names = [str(n) for n in named["name"]]
        self._street_tree = (
            shapely.STRtree(np.asarray(named.geometry.values, dtype=object)) if len(named) else None
        )
        b = sc.buildings
        self._building_ids = [str(x) for x in b["building_id"]]
        self._building_tree = (
            shapely.STRtree(np.asarray(b.geometry.values, dtype=object)) if len(b) else None
        )

    def street_near(self, point: Any, max_m: float = 60.0) -> str:
        if self._street_tree is None:
            return ""
        idx = self._street_tree.query_nearest(point, max_distance=max_m)
        return self._street_names[int(idx[0])] if len(idx) else ""

    def building_near(self, point: Any, max_m: float = 80.0) -> str:
        if self._building_tree is None:
            return ""
        idx = self._building_tree.query_nearest(point, max_distance=max_m)
        return self.address[self._building_ids[int(idx[0])]] if len(idx) else ""

    def grid_near(self, point: Any) -> str:
        grids = self.plan.scenario.grids
        hit = grids.loc[grids.intersects(point)]
        if len(hit):
            return self.grid_name[str(hit["grid_id"].iloc[0])]
        d = grids.distance(point)
        return self.grid_name[str(grids["grid_id"].loc[d.idxmin()])] if len(d) else ""


def _l(key: str, lang: str, **values: Any) -> str:
    return label(key, lang, **values)


def _hm(t: dt.datetime) -> str:
    return t.strftime("%H:%M")


def _date_text(day: dt.date, lang: str) -> str:
    wd = _l(f"day.{day.weekday()}", lang)
    return _l("sheet.date", lang, y=day.year, m=day.month, d=day.day, wd=wd, iso=day.isoformat())


def _duration(seconds: float, lang: str) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return _l("sheet.minutes", lang, m=minutes)
    return _l("sheet.duration", lang, h=minutes // 60, m=minutes % 60)


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f}"


# ----------------------------------------------------------------------------- route sheet


def _stop_row(
    look: _Lookup, number: str, group: tuple[Stop, ...], *, first: bool = False, last: bool = False
) -> list[Cell]:
    """One row of the stop table: number, planned times, place, task, box, time, notes."""
    lang = look.lang
    s0, s1 = group[0], group[-1]
    num: Cell = [Run(number, 15 if len(number) < 3 else 12, bold=True)]
    if first:
        times: Cell = [Run(_hm(s0.depart), 14, bold=True)]
    elif last:
        times = [Run(_hm(s0.arrive), 14, bold=True)]
    else:
        times = [Run(_hm(s0.arrive), 14, bold=True), Run(f"– {_hm(s1.depart)}", 10, colour=DARK)]
    place: list[Run] = []
    task: list[Run] = []
    if s0.kind == "post":
        place.append(Run(look.post_name.get(s0.target_id, s0.target_id), 12, bold=True))
        task.append(Run(_l("sheet.depart" if first else "sheet.return", lang), 11))
    elif s0.kind == "sweep":
        t = look.task.get(s0.task_id)
        place.append(Run(look.grid_name.get(s0.grid_id, s0.grid_id), 12, bold=True))
        street = look.street_near(s0.point)
        if street:
            place.append(Run(_l("sheet.start_at", lang, street=street), 9, colour=DARK))
        length = sum(look.task[s.task_id].length_m for s in group if s.task_id in look.task)
        task.append(Run(_l("sheet.sweep_task", lang, km=_km(length / len(group))), 11))
        extra = []
        if t is not None and t.parts > 1:
            extra.append(_l("sheet.part", lang, part=t.part + 1, parts=t.parts))
        if len(group) > 1:
            extra.append(_l("sheet.repeat", lang, n=len(group)))
        if extra:
            task.append(Run(" · ".join(extra), 9, colour=DARK))
    elif s0.kind == "hotspot":
        h = look.hotspot.get(s0.target_id)
        near = look.building_near(s0.point) or look.street_near(s0.point)
        place.append(
            Run(
                _l("sheet.near", lang, place=near)
                if near
                else look.grid_name.get(s0.grid_id, s0.grid_id),
                12,
                bold=True,
            )
        )
        place.append(
            Run(
                _l("sheet.hotspot_place", lang, id=s0.target_id)
                + " · "
                + look.grid_name.get(s0.grid_id, s0.grid_id),
                9,
                colour=DARK,
            )
        )
        minutes = round(sum((s.depart - s.arrive).total_seconds() for s in group) / 60)
        task.append(Run(_l("sheet.hotspot_task", lang, min=minutes), 11))
        if h is not None and h.categories:
            top = max(sorted(h.categories), key=lambda c: h.categories[c])
            task.append(
                Run(
                    _l(
                        "sheet.hotspot_why",
                        lang,
                        n=h.incidents,
                        category=_l(f"incident.{top}", lang),
                    ),
                    9,
                    colour=DARK,
                )
            )
            if top == "fraud":
                task.append(Run(_l("sheet.anti_fraud", lang), 10, bold=True))
    else:  # visit
        hh = look.household.get(s0.target_id, {})
        building = str(hh.get("building_id", ""))
        place.append(Run(look.address.get(building, s0.description(lang)), 12, bold=True))
        place.append(Run(look.grid_name.get(s0.grid_id, s0.grid_id), 9, colour=DARK))
        category = str(hh.get("category") or "other")
        task.append(
            Run(_l("sheet.visit_task", lang, category=_l(f"category.{category}", lang)), 11)
        )
        text = hh.get("label")
        if not look.redact and isinstance(text, str) and text:
            task.append(Run(text, 11, bold=True))
        if category in look.anti_fraud:
            task.append(Run(_l("sheet.anti_fraud", lang), 10, bold=True))
    return [num, times, place, task, [], [], []]


def _route_cols(lang: str) -> list[Col]:
    return [
        Col(_l("sheet.col.no", lang), 12, "C"),
        Col(_l("sheet.col.time", lang), 22, "C"),
        Col(_l("sheet.col.place", lang), 52),
        Col(_l("sheet.col.task", lang), 48),
        Col(_l("sheet.col.check", lang), 14, "C", "check"),
        Col(_l("sheet.col.actual", lang), 20, "C", "clock"),
        Col(_l("sheet.col.notes", lang), 22),
    ]


@dataclass
class RouteSheet:
    """A route sheet laid out: the header text, the stop table and the map's height."""

    route: TeamRoute
    table: Table
    map_h: float
    header: list[tuple[Run, str]]
    members: list[Cell]
    blind: bool = False
    image: Image | None = None


HEADER_H = 45.0
SIGN_H = 24.0
PAGE_BOTTOM = 297.0 - 13.0
MAP_MIN, MAP_MAX = 62.0, 150.0


def _layout_route(pdf: FPDF, look: _Lookup, route: TeamRoute, blind: bool) -> RouteSheet:
    lang = look.lang
    groups = stop_groups(route)
    rows: list[list[Cell]] = []
    number = 0
    for k, group in enumerate(groups):
        if group[0].kind == "post" and k == 0:
            rows.append(_stop_row(look, _l("sheet.start_mark", lang), group, first=True))
        elif group[0].kind == "post" and k == len(groups) - 1:
            rows.append(_stop_row(look, _l("sheet.end_mark", lang), group, last=True))
        else:
            number += 1
            rows.append(_stop_row(look, str(number), group))
    table = Table(_route_cols(lang), rows, header_size=10, min_row_h=12.0, pad=1.3)
    table.measure(pdf)
    room = PAGE_BOTTOM - SIGN_H - HEADER_H - LEGEND_H - 2
    map_h = max(MAP_MIN, min(MAP_MAX, room - table.height))
    team = route.team
    members: list[Cell] = []
    for p in team.members:
        members.append(
            [
                Run(f"{_l(f'role.{p.role}', lang)}  ", 9, colour=DARK),
                Run(p.name, 12, bold=True),
                Run(p.phone or "", 10),
            ]
        )
    return RouteSheet(route, table, map_h, [], members, blind)


def _clear_axes(ax: Any) -> None:
    """Remove what the last map drew, keeping the axes (making axes is costly: ticks)."""
    for artist in (*ax.collections, *ax.patches, *ax.texts, *ax.lines, *ax.images):
        artist.remove()
    # back to the full figure with no aspect: else the next map's view is fitted to a box
    # that the last map's aspect shrank
    ax.set_aspect("auto")
    ax.set_position((0.0, 0.0, 1.0, 1.0))


def _render_map(
    plan: Plan, sheet: RouteSheet, coverage: Coverage | None, lang: str, fig: Any
) -> Image:
    """The route map as an image sized for its box on the page (1 pt prints as 1 pt).

    ``fig`` is reused from map to map: its one axes is emptied, not rebuilt."""
    from PIL import Image as PILImage

    width_mm = 210 - 2 * MARGIN
    fig.set_size_inches(width_mm / 25.4, sheet.map_h / 25.4)
    if fig.axes:
        ax = fig.axes[0]
        _clear_axes(ax)
    else:
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    plot_plan(
        plan,
        coverage=coverage,
        ax=ax,
        lang=lang,
        team_id=sheet.route.team.team_id,
        fontsize=8.0,
        legend=False,
    )
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    img = PILImage.fromarray(rgba[..., :3].copy(), "RGB")
    # a 64-colour palette: maps are line art, so this keeps them sharp at a fifth the size
    return img.quantize(colors=64, method=PILImage.Quantize.FASTOCTREE, dither=PILImage.Dither.NONE)


class _Doc:
    """One PDF being written: the FPDF, the font, and the page footer."""

    def __init__(
        self, font_file: Path, *, lang: str, plan_id: str, generated: dt.datetime, title: str
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
        self.pdf.set_creation_date(
            generated.astimezone(dt.UTC) if generated.tzinfo else generated.replace(tzinfo=dt.UTC)
        )
        self.pdf.set_title(title)
        self.pdf.set_creator("patrol")
        self.pdf.set_producer("patrol (fpdf2)")
        self.pdf.set_lang("zh-CN" if lang == "zh" else "en")
        self.lang = lang
        self.plan_id = plan_id
        self.generated = generated.strftime("%Y-%m-%d %H:%M")
        self.footer_note = ""

    def close(self) -> None:
        """Release the font files of a document that is never written (fpdf2 closes them
        itself on output)."""
        for font in self.pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def footer(self) -> None:
        pdf = self.pdf
        w = pdf.w - 2 * MARGIN
        y = pdf.h - 9.5
        left = " · ".join(
            x
            for x in (
                self.footer_note,
                _l("sheet.plan_id", self.lang, id=self.plan_id),
                _l("sheet.generated", self.lang, time=self.generated),
            )
            if x
        )
        _text(pdf, MARGIN, y, w * 0.75, Run(left, 8, colour=GREY))
        page = _l("sheet.page", self.lang, page=pdf.page_no(), pages="{nb}")
        _text(pdf, MARGIN + w * 0.6, y, w * 0.4, Run(page, 9, colour=DARK), "R")


LEGEND_H = 6.0


def _map_legend(pdf: FPDF, x: float, y: float, lang: str, blind: bool) -> None:
    """The map's key, drawn as vector shapes under the map (sharper and cheaper than a
    legend inside every map image)."""
    items = ["sweep", "transit", "stop", "hotspot", "visit", "post"] + (["blind"] if blind else [])
    cy = y + LEGEND_H / 2
    for item in items:
        pdf.set_draw_color(*BLACK)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.3)
        if item == "sweep":
            pdf.set_line_width(1.0)
            pdf.line(x, cy, x + 8, cy)
            w = 9.5
        elif item == "transit":
            pdf.set_line_width(0.5)
            pdf.set_dash_pattern(1.4, 0.9)
            pdf.line(x, cy, x + 8, cy)
            pdf.set_dash_pattern()
            w = 9.5
        elif item == "stop":
            pdf.circle(x + 1.8, cy, 1.8, style="D")
            w = 4.8
        elif item == "hotspot":
            pdf.polygon(
                [(x + 1.9, cy - 1.9), (x + 3.8, cy), (x + 1.9, cy + 1.9), (x, cy)], style="D"
            )
            w = 4.8
        elif item == "visit":
            pdf.rect(x, cy - 1.7, 3.4, 3.4)
            w = 4.8
        elif item == "post":
            pdf.set_fill_color(*BLACK)
            pdf.rect(x, cy - 1.7, 3.4, 3.4, style="F")
            w = 4.8
        else:
            pdf.set_draw_color(178, 24, 43)
            pdf.rect(x, cy - 1.7, 5, 3.4)
            for k in range(3):
                pdf.line(x + k * 1.7, cy + 1.7, x + k * 1.7 + 1.7, cy - 1.7)
            w = 6.5
        text = {
            "sweep": _l("figure.sweep", lang),
            "transit": _l("figure.transit", lang),
            "stop": _l("figure.stop", lang),
            "hotspot": _l("figure.hotspot", lang),
            "visit": _l("figure.visit", lang),
            "post": _l("post", lang),
            "blind": _l("blind_spot", lang),
        }[item]
        run = Run(text, 8.5, colour=DARK)
        _set_font(pdf, run)
        tw = pdf.get_string_width(text)
        _cell(pdf, x + w, cy - _line_h(8.5) / 2, tw + 1, run, text, "L")
        x += w + tw + 5


def _draw_route_sheet(doc: _Doc, look: _Lookup, sheet: RouteSheet, station: str) -> None:
    pdf = doc.pdf
    lang = look.lang
    route = sheet.route
    team = route.team
    slot = team.slot
    pdf.add_page(orientation="P")
    doc.footer_note = f"{_l('sheet.team', lang)} {team.team_id}"  # after add_page: the
    # footer of the previous page is drawn inside add_page
    width = 210 - 2 * MARGIN
    x, y = MARGIN, MARGIN

    def page_head(continued: bool) -> float:
        post = look.post_name.get(route.post_id, route.post_id)
        where = post if post == station or not station else f"{station} · {post}"
        title = _l("sheet.title", lang) + (_l("sheet.continued", lang) if continued else "")
        _text(pdf, x, y, width * 0.5, Run(title, 18, bold=True))
        _text(pdf, x + width * 0.45, y + 1.5, width * 0.55, Run(where, 12), "R")
        when = (
            f"{_date_text(slot.date, lang)}   {shift_label(slot.shift, lang)} "
            f"{_hm(slot.start)}–{_hm(slot.end)}"
        )
        _text(pdf, x, y + 10, width * 0.72, Run(when, 16, bold=True))
        beat = f"{_l('beat', lang)} {team.beat_id}"
        _text(pdf, x + width * 0.7, y + 11.5, width * 0.3, Run(beat, 11), "R")
        return y + 19

    yy = page_head(False)
    # members: three to a line
    cw = width / 3
    pdf.set_draw_color(*BLACK)
    rows_m = (len(sheet.members) + 2) // 3
    box_h = 4 + 7.5 * rows_m
    pdf.set_line_width(0.3)
    pdf.rect(x, yy, width, box_h)
    _text(pdf, x + 1.5, yy + 1, 20, Run(_l("sheet.members", lang), 8, colour=DARK))
    for k, cell in enumerate(sheet.members):
        cx = x + 1.5 + (k % 3) * cw
        cy = yy + 4 + (k // 3) * 7.5
        for run in cell:
            _set_font(pdf, run)
            tw = pdf.get_string_width(run.text)
            _cell(pdf, cx, cy + (12 - run.size) * PT * 0.8, tw + 0.5, run, run.text, "L")
            cx += tw + 1.5
    yy += box_h + 2
    # map
    map_y = yy
    if sheet.image is not None:
        pdf.image(sheet.image, x=x, y=map_y, w=width, h=sheet.map_h)
    pdf.set_line_width(0.4)
    pdf.rect(x, map_y, width, sheet.map_h)
    _map_legend(pdf, x, map_y + sheet.map_h, lang, sheet.blind)
    yy = map_y + sheet.map_h + LEGEND_H + 1

    def new_page() -> float:
        pdf.add_page(orientation="P")
        return page_head(True) + 2

    end, _ = sheet.table.draw(pdf, x, yy, PAGE_BOTTOM - SIGN_H, new_page=new_page)
    # totals and signatures
    y2 = max(end + 3, PAGE_BOTTOM - SIGN_H + 2)
    total = _l(
        "sheet.total",
        lang,
        km=_km(route.length_m),
        duration=_duration(route.duration_s, lang),
        start=_hm(route.start),
        end=_hm(route.end),
    )
    _text(pdf, x, y2, width, Run(total, 11, bold=True))
    y3 = y2 + 12
    half = width / 2
    pdf.set_line_width(0.3)
    for k, key in enumerate(("sheet.leader_sign", "sheet.reviewer_sign")):
        lx = x + k * half
        text = _l(key, lang) + ("：" if lang == "zh" else ": ")
        _text(pdf, lx, y3, half, Run(text, 10))
        pdf.set_font(FONT, size=10)
        tw = pdf.get_string_width(text)
        pdf.line(lx + tw + 1, y3 + 5, lx + half - 6, y3 + 5)


# ----------------------------------------------------------------------------- overview


def _overview(doc: _Doc, look: _Lookup, plan: Plan, coverage: Coverage | None) -> None:
    """The chief's pages: headline, duty calendar, per-grid figures, blind spots, unserved."""
    from patrol.summary import grid_table

    pdf = doc.pdf
    lang = look.lang
    settings = plan.scenario.settings
    days = list(settings.days)
    width = 297 - 2 * MARGIN
    bottom = 210 - 13.0
    doc.footer_note = ""

    def head(continued: bool = False) -> float:
        pdf.add_page(orientation="L")
        title = _l("sheet.week_title", lang) + (_l("sheet.continued", lang) if continued else "")
        _text(pdf, MARGIN, MARGIN, width * 0.5, Run(title, 18, bold=True))
        rng = _l(
            "sheet.week_range",
            lang,
            start=_date_text(days[0], lang),
            end=_date_text(days[-1], lang),
        )
        _text(
            pdf,
            MARGIN + width * 0.4,
            MARGIN + 1.5,
            width * 0.6,
            Run(f"{settings.station}   {rng}", 12),
            "R",
        )
        return MARGIN + 10

    y = head()
    met = round(100 * plan.weighted_demand_met)
    headline = _l(
        "sheet.headline",
        lang,
        routes=len(plan.routes),
        km=_km(sum(r.length_m for r in plan.routes)),
        met=met,
        bound=round(100 * plan.upper_bound),
        unserved=len(plan.unserved),
    )
    _text(pdf, MARGIN, y, width, Run(headline, 10.5))
    y += 7
    # calendar: shifts x days
    _text(pdf, MARGIN, y, width, Run(_l("sheet.calendar", lang), 11, bold=True))
    _text(
        pdf,
        MARGIN + width * 0.5,
        y + 0.8,
        width * 0.5,
        Run(_l("sheet.calendar_grey", lang), 8.5, colour=GREY),
        "R",
    )
    y += 6
    shifts = [s.name for s in settings.shifts]
    routed = {r.team.team_id for r in plan.routes}
    by_slot: dict[tuple[dt.date, str], list[Any]] = defaultdict(list)
    for team in plan.team_plan.teams:
        by_slot[(team.slot.date, team.slot.shift)].append(team)
    day_w = (width - 24) / len(days)
    cols = [Col(_l("shift", lang), 24, "C")] + [
        Col(
            f"{_l(f'day.{d.weekday()}', lang)} {d.month}-{d.day:02d}"
            if lang == "zh"
            else f"{_l(f'day.{d.weekday()}', lang)} {d.isoformat()[5:]}",
            day_w,
        )
        for d in days
    ]
    rows: list[list[Cell]] = []
    for name in shifts:
        shift = next(s for s in settings.shifts if s.name == name)
        row: list[Cell] = [
            [
                Run(shift_label(name, lang), 10, bold=True),
                Run(f"{shift.start:%H:%M}–{shift.end:%H:%M}", 8, colour=DARK),
            ]
        ]
        for d in days:
            teams = sorted(by_slot.get((d, name), []), key=lambda t: (t.beat_id, t.team_id))
            cell: list[Run] = []
            for t in teams:
                others = "、".join(p.name for p in t.others)
                text = f"{t.beat_id} {t.police.name}·{t.grid_worker.name}" + (
                    f"·{others}" if others else ""
                )
                cell.append(Run(text, 7.5, colour=BLACK if t.team_id in routed else GREY))
            row.append(cell or [Run(_l("sheet.no_team", lang), 7.5, colour=GREY)])
        rows.append(row)
    # the largest type at which every team fits on one line and the table on the page
    inner = day_w - 2.0
    for size in (10.0, 9.0, 8.0, 7.5, 7.0, 6.5):
        pdf.set_font(FONT, size=size)
        fits = all(
            pdf.get_string_width(x.text) <= inner - 0.3 for r in rows for c in r[1:] for x in c
        )
        cal = Table(
            cols,
            [
                [r[0], *[[Run(x.text, size, x.bold, x.colour) for x in c] for c in r[1:]]]
                for r in rows
            ],
            header_size=9,
            min_row_h=10,
            pad=1.0,
        )
        cal.measure(pdf)
        if fits and y + cal.height <= bottom:
            break
    y, _ = cal.draw(pdf, MARGIN, y, bottom, new_page=lambda: head(True))

    # per grid (left), blind spots and unserved (right): under the calendar when the grid
    # table fits there, else on the next page
    left_w, gap = 150.0, 5.0
    right_x, right_w = MARGIN + left_w + gap, width - left_w - gap
    grid = grid_table(plan)
    short = _l("sheet.short", lang)

    def pair(done: float, due: float) -> Cell:
        text = f"{done:g}/{due:g}"
        if done + 1e-9 < due:
            return [Run(f"{text} {short}", 8.5, bold=True)]
        return [Run(text, 8.5)]

    gcols = [
        Col(_l("grid", lang), 36),
        Col(_l("beat", lang), 12, "C"),
        Col(_l("risk", lang), 14, "C"),
        Col(_l("report.sweeps_planned", lang), 22, "C"),
        Col(_l("report.night_sweeps", lang), 20, "C"),
        Col(_l("report.visits_planned", lang), 22, "C"),
        Col(_l("report.hotspot_minutes", lang), 24, "C"),
    ]
    grows: list[list[Cell]] = []
    for gid, g in grid.iterrows():
        grows.append(
            [
                [Run(f"{g['name']}", 8.5), Run(str(gid), 7, colour=GREY)],
                [Run(str(g["beat_id"]), 8.5)],
                [Run(_l(f"risk.{g['risk']}", lang), 8.5)],
                pair(g["sweeps_planned"], g["sweeps_required"]),
                pair(g["night_sweeps_planned"], g["night_sweeps_required"]),
                pair(g["visits_planned"], g["visits_due"]),
                pair(g["hotspot_minutes_planned"], g["hotspot_minutes_target"]),
            ]
        )
    gtable = Table(gcols, grows, header_size=8, min_row_h=5.5, pad=0.8)
    gtable.measure(pdf)
    top = y + 5 if y + 11 + gtable.height <= bottom else head(True)
    _text(pdf, MARGIN, top, left_w, Run(_l("sheet.per_grid", lang), 11, bold=True))
    page2 = pdf.page_no()
    gtable.draw(pdf, MARGIN, top + 6, bottom, new_page=lambda: head(True) + 2)
    last_page = pdf.page_no()
    pdf.page = page2  # the right column shares the grid table's first page
    _right_column(pdf, look, plan, coverage, right_x, right_w, top, bottom)
    pdf.page = last_page


def _right_column(
    pdf: FPDF,
    look: _Lookup,
    plan: Plan,
    coverage: Coverage | None,
    right_x: float,
    right_w: float,
    top: float,
    bottom: float,
) -> None:
    """Top blind spots, then unserved tasks (most important first), cut to the page."""
    lang = look.lang
    ry = top
    n_blind = 6
    _text(pdf, right_x, ry, right_w, Run(_l("sheet.blind_spots", lang, n=n_blind), 11, bold=True))
    ry += 6
    if coverage is None:
        _text(pdf, right_x, ry, right_w, Run(_l("sheet.no_coverage", lang), 9, colour=DARK))
        ry += 7
    else:
        spots = coverage.blind_spots
        spots = spots.loc[spots["band"] == "week"].sort_values("rank").head(n_blind)
        if not len(spots):
            _text(pdf, right_x, ry, right_w, Run(_l("sheet.no_blind_spots", lang), 9))
            ry += 7
        else:
            bcols = [
                Col(_l("sheet.rank", lang), 10, "C"),
                Col(_l("sheet.place", lang), 52),
                Col(_l("residents", lang), 16, "C"),
                Col(_l("households", lang), 16, "C"),
                Col(_l("incidents", lang), 18, "C"),
            ]
            brows: list[list[Cell]] = []
            for s in spots.itertuples(index=False):
                p = s.geometry.representative_point()
                near = look.building_near(p, 150) or look.street_near(p, 150)
                brows.append(
                    [
                        [Run(str(s.rank), 8.5)],
                        [
                            Run(look.grid_near(p), 8.5),
                            Run(_l("sheet.near", lang, place=near) if near else "", 7, colour=DARK),
                        ],
                        [Run(f"{float(s.residents):.0f}", 8.5)],
                        [Run(f"{float(s.households):.0f}", 8.5)],
                        [Run(f"{int(s.incidents_90d)}", 8.5)],
                    ]
                )
            btable = Table(bcols, brows, header_size=8, min_row_h=5.5, pad=0.8)
            ry, _ = btable.draw(pdf, right_x, ry, bottom)
            ry += 4
    _text(pdf, right_x, ry, right_w, Run(_l("sheet.unserved", lang), 11, bold=True))
    ry += 6
    # one row per kind of unserved task: the same sweep dropped twice reads "×2"
    counts: dict[tuple[str, str, str, str], int] = defaultdict(int)
    weight: dict[tuple[str, str, str, str], float] = defaultdict(float)
    for u in plan.unserved:
        t = u.task
        key = (
            str(t.kind),
            t.description_zh if lang == "zh" else t.description_en,
            t.grid_id,
            u.reason_zh if lang == "zh" else u.reason_en,
        )
        counts[key] += 1
        weight[key] += t.weight
    if not counts:
        _text(pdf, right_x, ry, right_w, Run(_l("sheet.none", lang), 9))
        return
    ucols = [
        Col(_l("sheet.kind", lang), 18),
        Col(_l("sheet.task", lang), 42),
        Col(_l("sheet.reason", lang), right_w - 60),
    ]
    urows: list[list[Cell]] = []
    for key in sorted(counts, key=lambda k: (-weight[k], k)):
        kind, desc, grid_id, reason = key
        times = f" ×{counts[key]}" if counts[key] > 1 else ""
        urows.append(
            [
                [Run(_l(f"kind.{kind}", lang), 8)],
                [Run(desc + times, 8), Run(look.grid_name.get(grid_id, grid_id), 7, colour=DARK)],
                [Run(reason, 7.5)],
            ]
        )
    utable = Table(ucols, urows, header_size=8, min_row_h=5.5, pad=0.8)
    utable.measure(pdf)
    more_h = 6.0
    end, nxt = utable.draw(pdf, right_x, ry, bottom - more_h)
    if nxt < len(urows):
        _text(
            pdf,
            right_x,
            end + 1,
            right_w,
            Run(
                _l(
                    "sheet.more",
                    lang,
                    n=sum(counts[k] for k in sorted(counts, key=lambda k: (-weight[k], k))[nxt:]),
                ),
                8.5,
                bold=True,
            ),
        )


# ----------------------------------------------------------------------------- writing


def _plan_text(plan: Plan) -> str:
    """Every string the documents may print, for the font subset."""
    sc = plan.scenario
    parts: list[str] = [sc.settings.station, plan.plan_id]
    from patrol.plan import REASONS

    for pair in (*CATALOGUE.values(), *REASONS.values()):
        parts.extend(pair)
    for frame, cols in (
        (sc.grids, ("grid_id", "name", "beat_id")),
        (sc.buildings, ("building_id", "address")),
        (sc.posts, ("post_id", "name")),
        (sc.focus_households, ("household_id", "label", "category")),
    ):
        for c in cols:
            if c in frame.columns:
                parts.extend(str(v) for v in frame[c].dropna().unique())
    if plan.network.has_streets and "name" in plan.network.edges.columns:
        parts.extend(str(v) for v in plan.network.edges["name"].dropna().unique())
    for p in sc.people:
        parts.extend((p.name, p.phone or "", p.role))
    for t in plan.demand.tasks:
        parts.extend((t.description_zh, t.description_en, t.target_id))
    for target, why_zh, why_en in plan.demand.unplaceable:
        parts.extend((target, why_zh, why_en))
    for r in plan.routes:
        parts.append(r.team.team_id)
    for team in plan.team_plan.teams:
        parts.append(team.team_id)
    for s in sc.settings.shifts:
        parts.append(s.name)
    return "".join(parts)


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "sheet"


def _save(doc: _Doc, target: Path) -> Path:
    from patrol.atomic import atomic_path

    with atomic_path(target) as tmp:
        doc.pdf.output(str(tmp))
    return target


def write_sheets(
    plan: Plan,
    out_dir: str | Path,
    *,
    coverage: Coverage | None = None,
    lang: str = "zh",
    split: bool = False,
    redact: bool = False,
    generated: dt.datetime | None = None,
    anti_fraud: Iterable[str] = (),
) -> list[Path]:
    """Write the week's printed sheets into ``out_dir/sheets`` and return the files.

    ``week.pdf`` holds the chief's overview (landscape) and then every route sheet in time
    order; one PDF per day (``2026-11-30_Mon.pdf``) holds that day's sheets, or, with
    ``split=True``, one PDF per team and shift (named after the team id). ``coverage``
    adds blind spots to the overview and the maps; ``redact`` leaves every household
    label out; ``anti_fraud`` lists focus-household categories whose visits include an
    anti-fraud talk (hot spots where fraud leads always get one). ``generated`` stamps
    the pages (default: now), the only thing that differs between two runs.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}.")
    t0 = time.perf_counter()
    folder = Path(out_dir) / "sheets"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = generated or dt.datetime.now().replace(second=0, microsecond=0)
    look = _Lookup(plan, lang, redact, tuple(anti_fraud))
    routes = sorted(plan.routes, key=lambda r: (r.team.slot.start, r.team.beat_id, r.team.team_id))
    station = plan.scenario.settings.station
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="patrol-font-") as tmp:
        font_file = pdf_font_file(_plan_text(plan), Path(tmp))

        def new_doc(title: str) -> _Doc:
            return _Doc(font_file, lang=lang, plan_id=plan.plan_id, generated=stamp, title=title)

        measure = new_doc("")
        try:
            measure.pdf.add_page()
            blind = coverage is not None and bool(len(coverage.blind_spots))
            sheets = [_layout_route(measure.pdf, look, r, blind) for r in routes]
        finally:
            measure.close()
        t_layout = time.perf_counter()
        with font_context():
            fig = plt.figure()
            try:
                for sheet in sheets:
                    sheet.image = _render_map(plan, sheet, coverage, lang, fig)
            finally:
                plt.close(fig)
        t_maps = time.perf_counter()

        week = new_doc(_l("sheet.week_title", lang))
        _overview(week, look, plan, coverage)
        for sheet in sheets:
            _draw_route_sheet(week, look, sheet, station)
        written.append(_save(week, folder / "week.pdf"))

        if split:
            for sheet in sheets:
                doc = new_doc(_l("sheet.title", lang))
                _draw_route_sheet(doc, look, sheet, station)
                written.append(_save(doc, folder / f"{_safe_name(sheet.route.team.team_id)}.pdf"))
        else:
            by_day: dict[dt.date, list[RouteSheet]] = defaultdict(list)
            for sheet in sheets:
                by_day[sheet.route.team.slot.date].append(sheet)
            for day, day_sheets in sorted(by_day.items()):
                doc = new_doc(f"{_l('sheet.title', lang)} {day.isoformat()}")
                for sheet in day_sheets:
                    _draw_route_sheet(doc, look, sheet, station)
                name = f"{day.isoformat()}_{label(f'day.{day.weekday()}', 'en')}.pdf"
                written.append(_save(doc, folder / name))
    t_end = time.perf_counter()
    logger.info(
        "sheets: %d route sheets, %d files in %.1f s (layout %.1f s, maps %.1f s, PDF %.1f s)",
        len(sheets),
        len(written),
        t_end - t0,
        t_layout - t0,
        t_maps - t_layout,
        t_end - t_maps,
    )
    return written
