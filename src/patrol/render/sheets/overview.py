"""The chief's week overview (landscape): headline with the staffing gaps per day, duty
calendar (fallback teams marked with their kind), per-grid figures, the worst blind spots,
the unserved tasks, then every staffing gap. Household labels never appear here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from patrol.labels import label, shift_label
from patrol.render.pdf import FONT, MARGIN, Cell, Col, Doc, Run, Table, draw_text
from patrol.render.sheets.lookup import Lookup, date_text, km_text
from patrol.render.style import BLACK, DARK, GREY

if TYPE_CHECKING:
    import pandas as pd
    from fpdf import FPDF

    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan
    from patrol.teams.types import Team

__all__ = ["draw_overview"]

WIDTH = 297 - 2 * MARGIN
BOTTOM = 210 - 13.0
LEFT_W, GAP = 150.0, 5.0
N_BLIND = 6


@dataclass
class _Pages:
    """The overview's pages: a new one starts with the title and the week's range."""

    pdf: FPDF
    lang: str
    station: str
    days: list[dt.date]

    def head(self, continued: bool = False) -> float:
        pdf, lang = self.pdf, self.lang
        pdf.add_page(orientation="L")
        title = label("sheet.week_title", lang) + (
            label("sheet.continued", lang) if continued else ""
        )
        draw_text(pdf, MARGIN, MARGIN, WIDTH * 0.5, Run(title, 18, bold=True))
        start, end = date_text(self.days[0], lang), date_text(self.days[-1], lang)
        rng = label("sheet.week_range", lang, start=start, end=end)
        text = Run(f"{self.station}   {rng}", 12)
        draw_text(pdf, MARGIN + WIDTH * 0.4, MARGIN + 1.5, WIDTH * 0.6, text, "R")
        return MARGIN + 10

    def next_page(self) -> float:
        return self.head(True)


def _headline(pages: _Pages, plan: Plan, y: float) -> float:
    text = label(
        "sheet.headline",
        pages.lang,
        routes=len(plan.routes),
        km=km_text(sum(r.length_m for r in plan.routes)),
        met=round(100 * plan.weighted_demand_met),
        bound=round(100 * plan.upper_bound),
        unserved=len(plan.unserved),
    )
    draw_text(pages.pdf, MARGIN, y, WIDTH, Run(text, 10.5))
    return y + 7


def _calendar_rows(plan: Plan, lang: str) -> list[list[Cell]]:
    """One row per shift: its name and hours, then each day's teams (grey: not routed)."""
    settings = plan.scenario.settings
    routed = {r.team.team_id for r in plan.routes}
    by_slot: dict[tuple[dt.date, str], list[Any]] = defaultdict(list)
    for team in plan.team_plan.teams:
        by_slot[(team.slot.date, team.slot.shift)].append(team)
    rows: list[list[Cell]] = []
    for shift in settings.shifts:
        row: list[Cell] = [
            [
                Run(shift_label(shift.name, lang), 10, bold=True),
                Run(f"{shift.start:%H:%M}–{shift.end:%H:%M}", 8, colour=DARK),
            ]
        ]
        for d in settings.days:
            teams = sorted(by_slot.get((d, shift.name), []), key=lambda t: (t.beat_id, t.team_id))
            cell: list[Run] = []
            for t in teams:
                text = _team_text(t, lang)
                cell.append(Run(text, 7.5, colour=BLACK if t.team_id in routed else GREY))
            row.append(cell or [Run(label("sheet.no_team", lang), 7.5, colour=GREY)])
        rows.append(row)
    return rows


def _team_text(team: Team, lang: str) -> str:
    """``B1 police·grid worker·others``; a fallback team says its kind first."""
    lead = [p.name for p in (team.police, team.grid_worker) if p is not None]
    others = "、".join(p.name for p in team.others)
    names = "·".join([*lead, others] if others else lead)
    kind = (
        ""
        if team.kind == "full"
        else label("team.mark", lang, name=label(f"team.name.{team.kind}", lang))
    )
    return f"{team.beat_id} {kind}{names}"


def _gap_line(pages: _Pages, plan: Plan, y: float) -> float:
    """The gap count per day and the fallback teams used, under the headline."""
    from patrol.teams.tally import describe_fallback_use, describe_gap_count

    tp = plan.team_plan
    text = f"{describe_gap_count(tp, pages.lang)} · {describe_fallback_use(tp, pages.lang)}"
    draw_text(pages.pdf, MARGIN, y - 1, WIDTH, Run(text, 9.5, bold=bool(tp.gaps)))
    return y + 5


def _gaps(pages: _Pages, plan: Plan) -> None:
    """Every staffing gap on pages of its own (none cut): day, shift, beat, teams formed of
    those needed, and what was missing."""
    from patrol.teams.tally import describe_gap_count, gap_rows

    pdf, lang = pages.pdf, pages.lang
    y = pages.head(True)
    title = f"{label('gaps.title', lang)}  {describe_gap_count(plan.team_plan, lang)}"
    draw_text(pdf, MARGIN, y, WIDTH, Run(title, 11, bold=True))
    found = gap_rows(plan.team_plan, lang)
    if not found:
        draw_text(pdf, MARGIN, y + 6, WIDTH, Run(label("gaps.none", lang), 9))
        return
    cols = [
        Col(label("sheet.day", lang), 22),
        Col(label("shift", lang), 16, "C"),
        Col(label("beat", lang), 14, "C"),
        Col(label("gaps.formed", lang), 18, "C"),
        Col(label("sheet.reason", lang), WIDTH - 70),
    ]
    rows: list[list[Cell]] = [[[Run(text, 8.5)] for text in row] for row in found]
    _small_table(cols, rows).draw(pdf, MARGIN, y + 6, BOTTOM, new_page=lambda: pages.head(True))


def _day_title(d: dt.date, lang: str) -> str:
    day = label(f"day.{d.weekday()}", lang)
    return f"{day} {d.month}-{d.day:02d}" if lang == "zh" else f"{day} {d.isoformat()[5:]}"


def _calendar(pages: _Pages, plan: Plan, y: float) -> float:
    """The duty calendar, shifts by days, at the largest type at which every team fits
    on one line and the table on the page."""
    pdf, lang = pages.pdf, pages.lang
    draw_text(pdf, MARGIN, y, WIDTH, Run(label("sheet.calendar", lang), 11, bold=True))
    grey = Run(label("sheet.calendar_grey", lang), 8.5, colour=GREY)
    draw_text(pdf, MARGIN + WIDTH * 0.5, y + 0.8, WIDTH * 0.5, grey, "R")
    y += 6
    day_w = (WIDTH - 24) / len(pages.days)
    cols = [Col(label("shift", lang), 24, "C")] + [
        Col(_day_title(d, lang), day_w) for d in pages.days
    ]
    rows = _calendar_rows(plan, lang)
    inner = day_w - 2.0
    for size in (10.0, 9.0, 8.0, 7.5, 7.0, 6.5):
        pdf.set_font(FONT, size=size)
        fits = all(
            pdf.get_string_width(x.text) <= inner - 0.3 for r in rows for c in r[1:] for x in c
        )
        sized = [
            [r[0], *[[Run(x.text, size, x.bold, x.colour) for x in c] for c in r[1:]]] for r in rows
        ]
        cal = Table(cols, sized, header_size=9, min_row_h=10, pad=1.0)
        cal.measure(pdf)
        if fits and y + cal.height <= BOTTOM:
            break
    y, _ = cal.draw(pdf, MARGIN, y, BOTTOM, new_page=pages.next_page)
    return y


def _grid_table(grid: pd.DataFrame, lang: str) -> Table:
    """Per grid: planned against required sweeps, night sweeps, visits, hot-spot minutes."""
    short = label("sheet.short", lang)

    def pair(done: float, due: float) -> Cell:
        text = f"{done:g}/{due:g}"
        if done + 1e-9 < due:
            return [Run(f"{text} {short}", 8.5, bold=True)]
        return [Run(text, 8.5)]

    cols = [
        Col(label("grid", lang), 36),
        Col(label("beat", lang), 12, "C"),
        Col(label("risk", lang), 14, "C"),
        Col(label("report.sweeps_planned", lang), 22, "C"),
        Col(label("report.night_sweeps", lang), 20, "C"),
        Col(label("report.visits_planned", lang), 22, "C"),
        Col(label("report.hotspot_minutes", lang), 24, "C"),
    ]
    rows: list[list[Cell]] = [
        [
            [Run(f"{g['name']}", 8.5), Run(str(gid), 7, colour=GREY)],
            [Run(str(g["beat_id"]), 8.5)],
            [Run(label(f"risk.{g['risk']}", lang), 8.5)],
            pair(g["sweeps_planned"], g["sweeps_required"]),
            pair(g["night_sweeps_planned"], g["night_sweeps_required"]),
            pair(g["visits_planned"], g["visits_due"]),
            pair(g["hotspot_minutes_planned"], g["hotspot_minutes_target"]),
        ]
        for gid, g in grid.iterrows()
    ]
    return _small_table(cols, rows)


def _small_table(cols: list[Col], rows: list[list[Cell]]) -> Table:
    """The overview's compact tables: 8 pt headers, tight rows."""
    return Table(cols, rows, header_size=8, min_row_h=5.5, pad=0.8)


def _blind_spots(pdf: FPDF, look: Lookup, coverage: Coverage | None, x: float, y: float) -> float:
    """The week's worst blind spots by rank, placed by grid and nearest address."""
    lang, w = look.lang, WIDTH - LEFT_W - GAP
    draw_text(pdf, x, y, w, Run(label("sheet.blind_spots", lang, n=N_BLIND), 11, bold=True))
    y += 6
    if coverage is None:
        draw_text(pdf, x, y, w, Run(label("sheet.no_coverage", lang), 9, colour=DARK))
        return y + 7
    spots = coverage.blind_spots
    spots = spots.loc[spots["band"] == "week"].sort_values("rank").head(N_BLIND)
    if not len(spots):
        draw_text(pdf, x, y, w, Run(label("sheet.no_blind_spots", lang), 9))
        return y + 7
    cols = [
        Col(label("sheet.rank", lang), 10, "C"),
        Col(label("sheet.place", lang), 52),
        Col(label("residents", lang), 16, "C"),
        Col(label("households", lang), 16, "C"),
        Col(label("incidents", lang), 18, "C"),
    ]
    rows: list[list[Cell]] = []
    for s in spots.itertuples(index=False):
        p = s.geometry.representative_point()
        near = look.building_near(p, 150) or look.street_near(p, 150)
        where = label("sheet.near", lang, place=near) if near else ""
        rows.append(
            [
                [Run(str(s.rank), 8.5)],
                [Run(look.grid_near(p), 8.5), Run(where, 7, colour=DARK)],
                [Run(f"{float(s.residents):.0f}", 8.5)],
                [Run(f"{float(s.households):.0f}", 8.5)],
                [Run(f"{int(s.incidents_90d)}", 8.5)],
            ]
        )
    y, _ = _small_table(cols, rows).draw(pdf, x, y, BOTTOM)
    return y + 4


def _unserved_kinds(plan: Plan, lang: str) -> list[tuple[tuple[str, str, str, str], int]]:
    """One entry per kind of unserved task (kind, task, grid, reason) with its count,
    most weight first: the same sweep dropped twice reads "×2"."""
    counts: dict[tuple[str, str, str, str], int] = defaultdict(int)
    weight: dict[tuple[str, str, str, str], float] = defaultdict(float)
    zh = lang == "zh"
    for u in plan.unserved:
        t = u.task
        desc, reason = (t.description_zh, u.reason_zh) if zh else (t.description_en, u.reason_en)
        key = (str(t.kind), desc, t.grid_id, reason)
        counts[key] += 1
        weight[key] += t.weight
    return [(k, counts[k]) for k in sorted(counts, key=lambda k: (-weight[k], k))]


def _unserved(pdf: FPDF, look: Lookup, plan: Plan, x: float, y: float) -> None:
    """The unserved tasks and why, cut to the page with a count of the rest."""
    lang, w = look.lang, WIDTH - LEFT_W - GAP
    draw_text(pdf, x, y, w, Run(label("sheet.unserved", lang), 11, bold=True))
    y += 6
    kinds = _unserved_kinds(plan, lang)
    if not kinds:
        draw_text(pdf, x, y, w, Run(label("sheet.none", lang), 9))
        return
    cols = [
        Col(label("sheet.kind", lang), 18),
        Col(label("sheet.task", lang), 42),
        Col(label("sheet.reason", lang), w - 60),
    ]
    rows: list[list[Cell]] = []
    for (kind, desc, grid_id, reason), n in kinds:
        times = f" ×{n}" if n > 1 else ""
        grid = look.grid_name.get(grid_id, grid_id)
        rows.append(
            [
                [Run(label(f"kind.{kind}", lang), 8)],
                [Run(desc + times, 8), Run(grid, 7, colour=DARK)],
                [Run(reason, 7.5)],
            ]
        )
    table = _small_table(cols, rows)
    table.measure(pdf)
    more_h = 6.0
    end, nxt = table.draw(pdf, x, y, BOTTOM - more_h)
    if nxt < len(rows):
        more = label("sheet.more", lang, n=sum(n for _, n in kinds[nxt:]))
        draw_text(pdf, x, end + 1, w, Run(more, 8.5, bold=True))


def draw_overview(
    doc: Doc, look: Lookup, plan: Plan, coverage: Coverage | None, grid: pd.DataFrame
) -> None:
    """The chief's pages: headline, duty calendar, per-grid figures (``grid``, the plan's
    :attr:`~patrol.plan.Plan.grid_table`), blind spots, unserved tasks."""
    pdf, lang = doc.pdf, look.lang
    settings = plan.scenario.settings
    doc.footer_note = ""
    pages = _Pages(pdf, lang, settings.station, list(settings.days))
    y = _calendar(pages, plan, _gap_line(pages, plan, _headline(pages, plan, pages.head())))
    # per grid (left), blind spots and unserved (right): under the calendar when the grid
    # table fits there, else on the next page
    table = _grid_table(grid, lang)
    table.measure(pdf)
    top = y + 5 if y + 11 + table.height <= BOTTOM else pages.head(True)
    draw_text(pdf, MARGIN, top, LEFT_W, Run(label("sheet.per_grid", lang), 11, bold=True))
    first_page = pdf.page_no()
    table.draw(pdf, MARGIN, top + 6, BOTTOM, new_page=lambda: pages.head(True) + 2)
    last_page = pdf.page_no()
    pdf.page = first_page  # the right column shares the grid table's first page
    right_x = MARGIN + LEFT_W + GAP
    _unserved(pdf, look, plan, right_x, _blind_spots(pdf, look, coverage, right_x, top))
    pdf.page = last_page
    _gaps(pages, plan)
    _trips(pages, plan)


def _trips(pages: _Pages, plan: Plan) -> None:
    """The drives to and from the posts people are stationed at (``stationed_at``), on a
    page of their own: they are in no shift (nothing when nobody is stationed)."""
    from patrol.render.sheets.legs import trip_rows

    found = trip_rows(plan, pages.lang)
    if not found:
        return
    pdf, lang = pages.pdf, pages.lang
    y = pages.head(True)
    draw_text(pdf, MARGIN, y, WIDTH, Run(label("sheet.trips_title", lang), 11, bold=True))
    cols = [Col(label("sheet.day", lang), WIDTH * 0.6), Col(label("leg.car", lang), WIDTH * 0.4)]
    rows: list[list[Cell]] = [[[Run(t.text, 9)], [Run(t.drive, 9)]] for t in found]
    _small_table(cols, rows).draw(pdf, MARGIN, y + 6, BOTTOM, new_page=lambda: pages.head(True))
