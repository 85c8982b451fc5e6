"""One team's route sheet (巡逻路线单): who walks, the route map, the stops, signatures.

Each sheet has two copies (:data:`patrol.render.sheets.lookup.COPIES`): the police
member's (民警联), which names each focus household's category and label, and the team
copy (队员联) for grid workers, volunteers and cadres, which says only "重点户" and the
address. Phone numbers are printed only when asked for.

A sheet is laid out first (:func:`layout_route`: the stop table measured, the map's height
chosen so the page fits), its map drawn as an image (:func:`render_route_map`), and then
drawn into any number of documents (:func:`draw_route_sheet`): the week's file and the
day's or the team's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from patrol.labels import label, shift_label
from patrol.render.figure import plot_plan, stop_groups
from patrol.render.pdf import (
    FONT,
    MARGIN,
    PT,
    Cell,
    Col,
    Doc,
    Run,
    Table,
    draw_line,
    draw_text,
    line_height,
    place_image,
    set_run_font,
)
from patrol.render.sheets.legs import approach_legs, is_mixed, leg_text, mixed_total_text
from patrol.render.sheets.lookup import Lookup, date_text, duration_text, hm, km_text
from patrol.render.style import BLACK, DARK, PRINT_BLIND_RGB

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL.Image import Image

    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan, Stop, TeamRoute

__all__ = ["RouteSheet", "draw_route_sheet", "layout_route", "render_route_map", "stop_row"]

HEADER_H = 45.0
SIGN_H = 24.0
LEGEND_H = 6.0
PAGE_BOTTOM = 297.0 - 13.0
MAP_MIN, MAP_MAX = 62.0, 150.0
WIDTH = 210 - 2 * MARGIN


# ------------------------------------------------------------------ the stop table


def _post_cells(look: Lookup, s0: Stop, first: bool) -> tuple[list[Run], list[Run]]:
    place = [Run(look.post_name.get(s0.target_id, s0.target_id), 12, bold=True)]
    task = [Run(label("sheet.depart" if first else "sheet.return", look.lang), 11)]
    return place, task


def _sweep_cells(look: Lookup, group: tuple[Stop, ...]) -> tuple[list[Run], list[Run]]:
    lang, s0 = look.lang, group[0]
    place = [Run(look.grid_name.get(s0.grid_id, s0.grid_id), 12, bold=True)]
    street = look.street_near(s0.point)
    if street:
        place.append(Run(label("sheet.start_at", lang, street=street), 9, colour=DARK))
    length = sum(look.task[s.task_id].length_m for s in group if s.task_id in look.task)
    task = [Run(label("sheet.sweep_task", lang, km=km_text(length / len(group))), 11)]
    extra = []
    t = look.task.get(s0.task_id)
    if t is not None and t.parts > 1:
        extra.append(label("sheet.part", lang, part=t.part + 1, parts=t.parts))
    if len(group) > 1:
        extra.append(label("sheet.repeat", lang, n=len(group)))
    if extra:
        task.append(Run(" · ".join(extra), 9, colour=DARK))
    return place, task


def _hotspot_cells(look: Lookup, group: tuple[Stop, ...]) -> tuple[list[Run], list[Run]]:
    lang, s0 = look.lang, group[0]
    grid = look.grid_name.get(s0.grid_id, s0.grid_id)
    near = look.building_near(s0.point) or look.street_near(s0.point)
    place = [
        Run(label("sheet.near", lang, place=near) if near else grid, 12, bold=True),
        Run(label("sheet.hotspot_place", lang, id=s0.target_id) + " · " + grid, 9, colour=DARK),
    ]
    minutes = round(sum((s.depart - s.arrive).total_seconds() for s in group) / 60)
    task = [Run(label("sheet.hotspot_task", lang, min=minutes), 11)]
    h = look.hotspot.get(s0.target_id)
    if h is not None and h.categories:
        top = max(sorted(h.categories), key=lambda c: h.categories[c])
        why = label(
            "sheet.hotspot_why", lang, n=h.incidents, category=label(f"incident.{top}", lang)
        )
        task.append(Run(why, 9, colour=DARK))
        if top == "fraud":
            task.append(Run(label("sheet.anti_fraud", lang), 10, bold=True))
    return place, task


def _visit_cells(look: Lookup, s0: Stop) -> tuple[list[Run], list[Run]]:
    """A household visit: the address and grid; on the police copy the category and the
    household's label (unless redacted), on the others only "重点户"; and an anti-fraud
    talk when its category asks for one."""
    lang = look.lang
    hh = look.household.get(s0.target_id, {})
    building = str(hh.get("building_id", ""))
    place = [
        Run(look.address.get(building, s0.description(lang)), 12, bold=True),
        Run(look.grid_name.get(s0.grid_id, s0.grid_id), 9, colour=DARK),
    ]
    category = str(hh.get("category") or "other")
    shown = label(f"category.{category}", lang)
    if not look.shows_household:
        shown = label("focus_household", lang)
    task = [Run(label("sheet.visit_task", lang, category=shown), 11)]
    text = hh.get("label")
    if look.shows_household and isinstance(text, str) and text:
        task.append(Run(text, 11, bold=True))
    if category in look.anti_fraud:
        task.append(Run(label("sheet.anti_fraud", lang), 10, bold=True))
    return place, task


def stop_row(
    look: Lookup, number: str, group: tuple[Stop, ...], *, first: bool = False, last: bool = False
) -> list[Cell]:
    """One row of the stop table: number, planned times, place, task, box, time, notes.

    ``group`` is one numbered row of :func:`patrol.render.figure.stop_groups`; ``first``
    and ``last`` mark the police room at the start and at the end.
    """
    s0, s1 = group[0], group[-1]
    num: Cell = [Run(number, 15 if len(number) < 3 else 12, bold=True)]
    if first:
        times: Cell = [Run(hm(s0.depart), 14, bold=True)]
    elif last:
        times = [Run(hm(s0.arrive), 14, bold=True)]
    else:
        times = [Run(hm(s0.arrive), 14, bold=True), Run(f"– {hm(s1.depart)}", 10, colour=DARK)]
    if s0.kind == "post":
        place, task = _post_cells(look, s0, first)
    elif s0.kind == "sweep":
        place, task = _sweep_cells(look, group)
    elif s0.kind == "hotspot":
        place, task = _hotspot_cells(look, group)
    else:
        place, task = _visit_cells(look, s0)
    return [num, times, place, task, [], [], []]


def _route_cols(lang: str) -> list[Col]:
    return [
        Col(label("sheet.col.no", lang), 12, "C"),
        Col(label("sheet.col.time", lang), 22, "C"),
        Col(label("sheet.col.place", lang), 52),
        Col(label("sheet.col.task", lang), 48),
        Col(label("sheet.col.check", lang), 14, "C", "check"),
        Col(label("sheet.col.actual", lang), 20, "C", "clock"),
        Col(label("sheet.col.notes", lang), 22),
    ]


# ------------------------------------------------------------------ layout and map


@dataclass
class RouteSheet:
    """A route sheet laid out: the stop table, the map's height, the members' cells."""

    route: TeamRoute
    table: Table
    map_h: float
    members: list[Cell]
    blind: bool = False
    image: Image | None = None
    village_name: str = ""


def layout_route(pdf: FPDF, look: Lookup, route: TeamRoute, blind: bool) -> RouteSheet:
    """Lay out one route's sheet: rows measured with ``pdf``'s font, the map as tall as
    the page allows (between :data:`MAP_MIN` and :data:`MAP_MAX` mm)."""
    lang = look.lang
    groups = stop_groups(route)
    rows: list[list[Cell]] = []
    number = 0
    for k, group in enumerate(groups):
        if group[0].kind == "post" and k == 0:
            rows.append(stop_row(look, label("sheet.start_mark", lang), group, first=True))
        elif group[0].kind == "post" and k == len(groups) - 1:
            rows.append(stop_row(look, label("sheet.end_mark", lang), group, last=True))
        else:
            number += 1
            rows.append(stop_row(look, str(number), group))
        if k and is_mixed(route):  # how the team gets here: 驾车 / 步行, km and minutes
            legs = approach_legs(route, groups[k - 1][-1].depart, group[0].arrive)
            rows[-1][2] = [*rows[-1][2], *(Run(leg_text(g, lang), 8.5, colour=DARK) for g in legs)]
    table = Table(_route_cols(lang), rows, header_size=10, min_row_h=12.0, pad=1.3)
    table.measure(pdf)
    room = PAGE_BOTTOM - SIGN_H - HEADER_H - LEGEND_H - 2
    map_h = max(MAP_MIN, min(MAP_MAX, room - table.height))
    members: list[Cell] = [
        [
            Run(f"{label(f'role.{p.role}', lang)}  ", 9, colour=DARK),
            Run(p.name, 12, bold=True),
            Run(p.phone if look.phones and p.phone else "", 10),
        ]
        for p in route.team.members
    ]
    village = getattr(route.team, "village", None) or ""
    return RouteSheet(
        route, table, map_h, members, blind, village_name=look.grid_name.get(village, village)
    )


def _clear_axes(ax: Any) -> None:
    """Remove what the last map drew, keeping the axes (making axes is costly: ticks)."""
    for artist in (*ax.collections, *ax.patches, *ax.texts, *ax.lines, *ax.images):
        artist.remove()
    # back to the full figure with no aspect: else the next map's view is fitted to a box
    # that the last map's aspect shrank
    ax.set_aspect("auto")
    ax.set_position((0.0, 0.0, 1.0, 1.0))


def render_route_map(
    plan: Plan, sheet: RouteSheet, coverage: Coverage | None, lang: str, fig: Any
) -> Image:
    """The route map as an image sized for its box on the page (1 pt prints as 1 pt).

    ``fig`` is reused from map to map: its one axes is emptied, not rebuilt. The image is
    raw pixels (no metadata), so the same route gives the same image."""
    from PIL import Image as PILImage

    fig.set_size_inches(WIDTH / 25.4, sheet.map_h / 25.4)
    if fig.axes:
        ax = fig.axes[0]
        _clear_axes(ax)
    else:
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    team_id = sheet.route.team.team_id
    plot_plan(plan, coverage=coverage, ax=ax, lang=lang, team_id=team_id, legend=False)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    img = PILImage.fromarray(rgba[..., :3].copy(), "RGB")
    # a 64-colour palette: maps are line art, so this keeps them sharp at a fifth the size
    return img.quantize(colors=64, method=PILImage.Quantize.FASTOCTREE, dither=PILImage.Dither.NONE)


# ------------------------------------------------------------------ drawing


def _key_line(pdf: FPDF, x: float, cy: float, dashed: bool) -> float:
    pdf.set_line_width(0.5 if dashed else 1.0)
    if dashed:
        pdf.set_dash_pattern(1.4, 0.9)
    pdf.line(x, cy, x + 8, cy)
    pdf.set_dash_pattern()
    return 9.5


def _key_symbol(pdf: FPDF, item: str, x: float, cy: float) -> float:
    """Draw the key symbol of ``item`` at ``x``; returns the width it takes."""
    if item == "drive":  # a driven leg: thin and dotted (mixed travel)
        pdf.set_line_width(0.4)
        pdf.set_dash_pattern(0.4, 1.0)
        pdf.line(x, cy, x + 8, cy)
        pdf.set_dash_pattern()
        return 9.5
    if item in ("sweep", "transit"):
        return _key_line(pdf, x, cy, dashed=item == "transit")
    if item == "stop":
        pdf.circle(x + 1.8, cy, 1.8, style="D")
    elif item == "hotspot":
        pdf.polygon([(x + 1.9, cy - 1.9), (x + 3.8, cy), (x + 1.9, cy + 1.9), (x, cy)], style="D")
    elif item in ("visit", "post"):
        if item == "post":
            pdf.set_fill_color(*BLACK)
        pdf.rect(x, cy - 1.7, 3.4, 3.4, style="F" if item == "post" else None)
    else:  # blind spot: a hatched box
        pdf.set_draw_color(*PRINT_BLIND_RGB)
        pdf.rect(x, cy - 1.7, 5, 3.4)
        for k in range(3):
            pdf.line(x + k * 1.7, cy + 1.7, x + k * 1.7 + 1.7, cy - 1.7)
        return 6.5
    return 4.8


_KEY_WORDS = {
    "sweep": "figure.sweep",
    "transit": "figure.transit",
    "stop": "figure.stop",
    "hotspot": "figure.hotspot",
    "visit": "figure.visit",
    "post": "post",
    "blind": "blind_spot",
    "drive": "figure.drive",
}


def _map_legend(
    pdf: FPDF, x: float, y: float, lang: str, blind: bool, *, drive: bool = False
) -> None:
    """The map's key, drawn as vector shapes under the map (sharper and cheaper than a
    legend inside every map image); ``drive`` adds the driven legs of mixed travel."""
    items = ["sweep", "transit", *(["drive"] if drive else []), "stop", "hotspot", "visit", "post"]
    items += ["blind"] if blind else []
    cy = y + LEGEND_H / 2
    for item in items:
        pdf.set_draw_color(*BLACK)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.3)
        w = _key_symbol(pdf, item, x, cy)
        text = label(_KEY_WORDS[item], lang)
        run = Run(text, 8.5, colour=DARK)
        set_run_font(pdf, run)
        tw = pdf.get_string_width(text)
        draw_line(pdf, x + w, cy - line_height(8.5) / 2, tw + 1, run, text, "L")
        x += w + tw + 5


def _page_head(pdf: FPDF, look: Lookup, route: TeamRoute, station: str, continued: bool) -> float:
    """Title, station and police room, date and shift, beat; returns the y below."""
    lang, team = look.lang, route.team
    slot = team.slot
    x, y = MARGIN, MARGIN
    post = look.post_name.get(route.post_id, route.post_id)
    where = post if post == station or not station else f"{station} · {post}"
    title = label("sheet.title", lang) + (label("sheet.continued", lang) if continued else "")
    draw_text(pdf, x, y, WIDTH * 0.5, Run(title, 18, bold=True))
    draw_text(pdf, x + WIDTH * 0.45, y + 1.5, WIDTH * 0.55, Run(where, 12), "R")
    mark = Run(label(f"sheet.copy.{look.copy}", lang), 9.5, bold=True)
    draw_text(pdf, x + WIDTH * 0.45, y + 6.6, WIDTH * 0.55, mark, "R")
    when = (
        f"{date_text(slot.date, lang)}   {shift_label(slot.shift, lang)} "
        f"{hm(slot.start)}–{hm(slot.end)}"
    )
    draw_text(pdf, x, y + 10, WIDTH * 0.72, Run(when, 16, bold=True))
    beat = f"{label('beat', lang)} {team.beat_id}"
    draw_text(pdf, x + WIDTH * 0.7, y + 11.5, WIDTH * 0.3, Run(beat, 11), "R")
    return y + 19


def _members_box(pdf: FPDF, sheet: RouteSheet, lang: str, y: float) -> float:
    """The team's members in a box, three to a line; returns the y below."""
    x, cw = MARGIN, WIDTH / 3
    box_h = 4 + 7.5 * ((len(sheet.members) + 2) // 3)
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, WIDTH, box_h)
    head = label("sheet.members", lang)
    kind = getattr(sheet.route.team, "kind", "full")
    if kind != "full":  # a fallback team says what it may do (issue #13)
        head += " · " + label(f"team.kind.{kind}", lang)
    village = getattr(sheet.route.team, "village", None)
    if village:  # a police assistant stands in for the police in his own village (#21)
        head += " · " + label("team.stand_in", lang, village=sheet.village_name or village)
    draw_text(pdf, x + 1.5, y + 1, WIDTH - 3, Run(head, 8, colour=DARK))
    kind = sheet.route.team.kind
    if kind != "full":  # a fallback team says what kind of team it is (issue #13)
        text = Run(label(f"team.kind.{kind}", lang), 8.5, bold=True)
        draw_text(pdf, x + 22, y + 0.8, WIDTH - 24, text, "R")
    for k, cell in enumerate(sheet.members):
        cx = x + 1.5 + (k % 3) * cw
        cy = y + 4 + (k // 3) * 7.5
        for run in cell:
            set_run_font(pdf, run)
            tw = pdf.get_string_width(run.text)
            draw_line(pdf, cx, cy + (12 - run.size) * PT * 0.8, tw + 0.5, run, run.text, "L")
            cx += tw + 1.5
    return y + box_h + 2


def _totals_and_signatures(pdf: FPDF, route: TeamRoute, lang: str, y: float) -> None:
    x = MARGIN
    total = label(
        "sheet.total",
        lang,
        km=km_text(route.length_m),
        duration=duration_text(route.duration_s, lang),
        start=hm(route.start),
        end=hm(route.end),
    )
    mixed = mixed_total_text(route, lang)
    total = (
        f"{total}（{mixed}）"
        if mixed and lang == "zh"
        else f"{total} ({mixed})"
        if mixed
        else total
    )
    draw_text(pdf, x, y, WIDTH, Run(total, 11, bold=True))
    y3 = y + 12
    half = WIDTH / 2
    pdf.set_line_width(0.3)
    for k, key in enumerate(("sheet.leader_sign", "sheet.reviewer_sign")):
        lx = x + k * half
        text = label(key, lang) + ("：" if lang == "zh" else ": ")
        draw_text(pdf, lx, y3, half, Run(text, 10))
        pdf.set_font(FONT, size=10)
        tw = pdf.get_string_width(text)
        pdf.line(lx + tw + 1, y3 + 5, lx + half - 6, y3 + 5)


def draw_route_sheet(doc: Doc, look: Lookup, sheet: RouteSheet, station: str) -> None:
    """Draw a laid-out route sheet into ``doc`` (one page, more if the stops run over)."""
    pdf = doc.pdf
    route = sheet.route
    pdf.add_page(orientation="P")
    # after add_page: the footer of the previous page is drawn inside add_page
    copy = label(f"sheet.copy_short.{look.copy}", look.lang)
    doc.footer_note = f"{label('sheet.team', look.lang)} {route.team.team_id} · {copy}"
    y = _members_box(pdf, sheet, look.lang, _page_head(pdf, look, route, station, False))
    if sheet.image is not None:
        place_image(pdf, sheet.image, x=MARGIN, y=y, w=WIDTH, h=sheet.map_h)
    pdf.set_line_width(0.4)
    pdf.rect(MARGIN, y, WIDTH, sheet.map_h)
    _map_legend(pdf, MARGIN, y + sheet.map_h, look.lang, sheet.blind, drive=is_mixed(route))
    y += sheet.map_h + LEGEND_H + 1

    def new_page() -> float:
        pdf.add_page(orientation="P")
        return _page_head(pdf, look, route, station, True) + 2

    end, _ = sheet.table.draw(pdf, MARGIN, y, PAGE_BOTTOM - SIGN_H, new_page=new_page)
    _totals_and_signatures(pdf, route, look.lang, max(end + 3, PAGE_BOTTOM - SIGN_H + 2))
