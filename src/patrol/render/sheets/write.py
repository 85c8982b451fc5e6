"""Write the week's PDFs: the overview and every route sheet, by week, day or team."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.labels import CATALOGUE, label
from patrol.render.figure import font_context
from patrol.render.fonts import pdf_font_file
from patrol.render.pdf import Doc
from patrol.render.sheets.lookup import Lookup
from patrol.render.sheets.overview import draw_overview
from patrol.render.sheets.route import (
    RouteSheet,
    draw_route_sheet,
    layout_route,
    render_route_map,
)

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

__all__ = ["plan_text", "write_sheets"]

logger = logging.getLogger("patrol")


def plan_text(plan: Plan) -> str:
    """Every string the documents may print, for the font subset."""
    from patrol.plan import REASONS

    sc = plan.scenario
    parts: list[str] = [sc.settings.station, plan.plan_id]
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
    parts.extend(r.team.team_id for r in plan.routes)
    parts.extend(team.team_id for team in plan.team_plan.teams)
    parts.extend(g.reason_zh + g.reason_en for g in plan.team_plan.gaps)  # the gap pages
    parts.extend(u.reason_zh + u.reason_en for u in plan.unserved)
    parts.extend(s.name for s in sc.settings.shifts)
    return "".join(parts)


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "sheet"


def _laid_out(
    plan: Plan,
    look: Lookup,
    coverage: Coverage | None,
    new_doc: Callable[[str], Doc],
    progress: Callable[[int, int], None] | None = None,
) -> list[RouteSheet]:
    """Every route's sheet laid out and its map drawn, in time order; ``progress(done,
    total)`` after each map."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    routes = sorted(plan.routes, key=lambda r: (r.team.slot.start, r.team.beat_id, r.team.team_id))
    measure = new_doc("")
    try:
        measure.pdf.add_page()
        blind = coverage is not None and bool(len(coverage.blind_spots))
        sheets = [layout_route(measure.pdf, look, r, blind) for r in routes]
    finally:
        measure.close()
    with font_context():
        fig = plt.figure()
        try:
            for done, sheet in enumerate(sheets, start=1):
                sheet.image = render_route_map(plan, sheet, coverage, look.lang, fig)
                if progress is not None:
                    progress(done, len(sheets))
        finally:
            plt.close(fig)
    return sheets


def _team_copies(
    police: list[RouteSheet], look: Lookup, new_doc: Callable[[str], Doc]
) -> list[RouteSheet]:
    """The team copies of the laid-out police copies: the same route maps (never taller,
    for a team copy's rows are never taller), rows without household categories."""
    measure = new_doc("")
    try:
        measure.pdf.add_page()
        sheets = [layout_route(measure.pdf, look, s.route, s.blind) for s in police]
    finally:
        measure.close()
    for sheet, own in zip(sheets, police, strict=True):
        sheet.map_h, sheet.image = own.map_h, own.image
    return sheets


def _by_file(sheets: list[RouteSheet], lang: str, split: bool) -> dict[str, list[RouteSheet]]:
    """The route sheets of each file besides the week: one per team, or one per day."""
    if split:
        return {f"{_safe_name(s.route.team.team_id)}.pdf": [s] for s in sheets}
    by_day: dict[dt.date, list[RouteSheet]] = defaultdict(list)
    for sheet in sheets:
        by_day[sheet.route.team.slot.date].append(sheet)
    return {
        f"{day.isoformat()}_{label(f'day.{day.weekday()}', 'en')}.pdf": day_sheets
        for day, day_sheets in sorted(by_day.items())
    }


def write_sheets(
    plan: Plan,
    out_dir: str | Path,
    *,
    coverage: Coverage | None = None,
    lang: str = "zh",
    split: bool = False,
    redact: bool = False,
    phones: bool = False,
    generated: dt.datetime | None = None,
    anti_fraud: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
    revision: int | None = None,
) -> list[Path]:
    """Write the week's printed sheets into ``out_dir/sheets`` and return the files.

    Every route sheet has two copies. The team copy (队员联), for the grid worker,
    volunteers and cadres, shows a household visit only as "重点户" and its address; the
    police copy (民警联) adds the household's category and label. ``week.pdf`` holds the
    chief's overview (landscape) and then every police copy in time order; one PDF per
    day (``2026-11-30_Mon.pdf``) holds that day's team copies and ``police/`` the same
    day's police copies (with ``split=True`` one PDF per team and shift, named after the
    team id, in both folders). To print a day: both files of that day.

    ``coverage`` adds blind spots to the overview and the maps; ``redact`` leaves every
    household category and label out of every copy (and phones); ``phones`` prints the
    members' phone numbers (off by default); ``anti_fraud`` lists focus-household
    categories whose visits include an anti-fraud talk (hot spots where fraud leads
    always get one). ``generated`` stamps the pages' footers; without it nothing depends
    on the clock, and the same plan gives byte-identical files (see
    :func:`patrol.render.pdf.document_date`). ``progress(done, total)`` is called after
    each route's map is drawn (the slow part). ``revision`` marks every page and title
    "修订 第N版" (a re-plan's changed sheets, :mod:`patrol.revise.revisions`).
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}.")
    t0 = time.perf_counter()
    folder = Path(out_dir) / "sheets"
    folder.mkdir(parents=True, exist_ok=True)
    look = Lookup(plan, lang, redact, tuple(anti_fraud), phones=phones, copy="police")
    station = plan.scenario.settings.station
    with tempfile.TemporaryDirectory(prefix="patrol-font-") as tmp:
        font_file = pdf_font_file(plan_text(plan), Path(tmp))

        def new_doc(title: str) -> Doc:
            week_start = plan.scenario.settings.week_start
            mark = "" if revision is None else label("sheet.revised", lang, n=revision)
            doc = Doc(
                font_file,
                lang=lang,
                plan_id=plan.plan_id,
                week_start=week_start,
                generated=generated,
                title=f"{mark} {title}".strip(),
            )
            doc.mark = mark
            return doc

        sheets = _laid_out(plan, look, coverage, new_doc, progress)
        team_look = look.for_copy("team")
        team_sheets = _team_copies(sheets, team_look, new_doc)
        t_maps = time.perf_counter()
        week = new_doc(label("sheet.week_title", lang))
        draw_overview(week, look, plan, coverage, plan.grid_table)
        for sheet in sheets:
            draw_route_sheet(week, look, sheet, station)
        written = [week.save(folder / "week.pdf")]
        for where, copy_look, copy_sheets in (
            (folder, team_look, team_sheets),
            (folder / "police", look, sheets),
        ):
            for name, file_sheets in _by_file(copy_sheets, lang, split).items():
                day = "" if split else f" {name[:10]}"
                copy = label(f"sheet.copy_short.{copy_look.copy}", lang)
                doc = new_doc(f"{label('sheet.title', lang)}{day} {copy}")
                for sheet in file_sheets:
                    draw_route_sheet(doc, copy_look, sheet, station)
                written.append(doc.save(where / name))
    logger.info(
        "sheets: %d route sheets, %d files in %.1f s (layout and maps %.1f s)",
        len(sheets),
        len(written),
        time.perf_counter() - t0,
        t_maps - t0,
    )
    return written
