"""The ledger's reports as documents: which columns each shows, its headline, its files.

:func:`daily_document`, :func:`weekly_document`, :func:`monthly_document` and
:func:`ledger_document` turn the reports' plain tables into a :class:`~patrol.ledger.report.Report`
in the reader's language; :func:`write_document` writes it as ``NAME.xlsx`` and
``NAME.pdf``. The column lists below are the one place that says what a chief sees.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from patrol.ledger.book import Ledger
from patrol.ledger.labels import text
from patrol.ledger.monthly import Monthly
from patrol.ledger.report import Report, Section, write_excel, write_pdf
from patrol.ledger.sheets import people_frame
from patrol.ledger.spotcheck import SpotCheck
from patrol.ledger.weekly import Weekly

__all__ = [
    "daily_document",
    "ledger_document",
    "monthly_document",
    "weekly_document",
    "write_document",
]

Columns = list[tuple[str, str]]

SPOT: Columns = [
    ("pick", "int"),
    ("date", "date"),
    ("shift", "shift"),
    ("team_id", "text"),
    ("beat_id", "text"),
    ("members", "members"),
    ("grids", "text"),
    ("start", "time"),
    ("end", "time"),
    ("reason", "reason"),
    ("record", "text"),
    ("check_at", "text"),
]
PEOPLE: Columns = [
    ("person_id", "text"),
    ("name", "text"),
    ("role", "role"),
    ("shifts_planned", "int"),
    ("shifts_tracked", "int"),
    ("stops_planned", "int"),
    ("stops_done", "int"),
    ("stops_late", "int"),
    ("stops_missed", "int"),
    ("stops_done_share", "share"),
    ("visits_planned", "int"),
    ("visits_done", "int"),
    ("visits_done_share", "share"),
    ("sweep_share", "share"),
    ("hotspot_target_min", "int"),
    ("hotspot_dwell_min", "int"),
    ("hotspot_short", "int"),
    ("deviation", "share"),
]
GRIDS: Columns = [
    ("grid_id", "text"),
    ("name", "text"),
    ("beat_id", "text"),
    ("risk", "risk"),
    ("sweeps_required", "int"),
    ("sweeps_planned", "int"),
    ("sweeps_done", "int"),
    ("sweep_share", "share"),
    ("visits_planned", "int"),
    ("visits_done", "int"),
    ("visits_done_share", "share"),
    ("hotspot_short", "int"),
    ("stops_missed", "int"),
    ("longest_gap_walked_h", "num1"),
    ("blind_residents_walked", "int"),
]
CARRIED: Columns = [
    ("household_id", "text"),
    ("grid_id", "text"),
    ("beat_id", "text"),
    ("first_missed", "date"),
    ("last_missed", "date"),
    ("times_missed", "int"),
    ("team_id", "text"),
    ("last_done", "date"),
]
TREND: Columns = [
    ("week_start", "date"),
    ("shifts", "int"),
    ("stops_planned", "int"),
    ("stops_done_share", "share"),
    ("stops_missed", "int"),
    ("visits_planned", "int"),
    ("visits_done_share", "share"),
    ("sweep_share", "share"),
    ("hotspot_short", "int"),
    ("deviation", "share"),
    ("blind_residents_walked", "int"),
    ("incidents", "int"),
]
RANKING: Columns = [
    ("rank", "int"),
    ("grid_id", "text"),
    ("name", "text"),
    ("beat_id", "text"),
    ("risk", "risk"),
    ("residents", "int"),
    ("blind_residents_walked", "int"),
    ("incidents", "int"),
    ("stops_missed", "int"),
    ("longest_gap_walked_h", "num1"),
]
PATROLS: Columns = [
    ("week_start", "date"),
    ("date", "date"),
    ("shift", "shift"),
    ("team_id", "text"),
    ("beat_id", "text"),
    ("members", "members"),
    ("start", "time"),
    ("end", "time"),
    ("stops_planned", "int"),
    ("stops_done", "int"),
    ("stops_late", "int"),
    ("stops_missed", "int"),
    ("sweep_share", "share"),
    ("hotspot_dwell_min", "int"),
    ("visits_planned", "int"),
    ("visits_done", "int"),
    ("deviation", "share"),
    ("tracked", "bool"),
]
VISITS: Columns = [
    ("week_start", "date"),
    ("date", "date"),
    ("shift", "shift"),
    ("household_id", "text"),
    ("grid_id", "text"),
    ("team_id", "text"),
    ("members", "members"),
    ("planned_arrive", "time"),
    ("arrive", "time"),
    ("status", "status"),
    ("dwell_min", "int"),
    ("late_min", "int"),
]
GRID_WEEKS: Columns = [
    ("week_start", "date"),
    ("grid_id", "text"),
    ("name", "text"),
    ("beat_id", "text"),
    ("risk", "risk"),
    ("sweeps_required", "int"),
    ("sweep_share", "share"),
    ("visits_due", "int"),
    ("visits_planned", "int"),
    ("visits_done", "int"),
    ("stops_missed", "int"),
    ("longest_gap_walked_h", "num1"),
    ("blind_residents_walked", "int"),
]


def _pct(value: float) -> str:
    return "-" if value != value else f"{100 * value:.1f}%"


def daily_document(spot: SpotCheck, *, lang: str = "zh") -> Report:
    """The spot-check list of ``spot.day``."""
    day = f"{spot.day.isoformat()} {text(f'day.{spot.day.weekday()}', lang)}"
    flagged = int((spot.picks["reason"] != "random").sum())
    headline = [
        text(
            "head.daily",
            lang,
            n=len(spot.picks),
            flagged=flagged,
            candidates=spot.candidates,
            days=spot.lookback_days,
        ),
        text("head.daily_secret", lang),
    ]
    section = Section(text("sec.daily", lang), people_frame(spot.picks, SPOT, lang=lang))
    return Report(text("title.daily", lang), spot.station, day, lang, spot.day, headline, [section])


def weekly_document(weekly: Weekly, *, station: str = "", lang: str = "zh") -> Report:
    """The follow-up of ``weekly.week_start``'s week."""
    t = weekly.totals
    end = weekly.week_start + dt.timedelta(days=6)
    period = text("period.week", lang, start=weekly.week_start.isoformat(), end=end.isoformat())
    planned = t.get("stops_planned", 0.0)
    headline = [
        text(
            "head.weekly",
            lang,
            shifts=int(t.get("shifts", 0)),
            stops=int(planned),
            done=_pct(t.get("stops_done", 0.0) / planned if planned else float("nan")),
            missed=int(t.get("stops_missed", 0)),
            visits=int(t.get("visits_done", 0)),
            due=int(t.get("visits_planned", 0)),
            short=int(t.get("hotspot_short", 0)),
        ),
        text("head.carried", lang, n=int(t.get("carried", 0))),
    ]
    sections = [
        Section(text("sec.people", lang), people_frame(weekly.people, PEOPLE, lang=lang)),
        Section(text("sec.grids", lang), people_frame(weekly.grids, GRIDS, lang=lang)),
        Section(
            text("sec.carried", lang),
            people_frame(weekly.carried, CARRIED, lang=lang),
            text("note.carried", lang),
        ),
    ]
    return Report(
        text("title.weekly", lang), station, period, lang, weekly.week_start, headline, sections
    )


def monthly_document(monthly: Monthly, *, station: str = "", lang: str = "zh") -> Report:
    """The report of ``monthly.month``."""
    trend = monthly.trend
    headline = [
        text("head.monthly", lang, weeks=len(monthly.weeks), shifts=int(trend["shifts"].sum()))
    ]
    if len(monthly.ranking):
        top = monthly.ranking.iloc[0]
        headline.append(
            text(
                "head.monthly_top",
                lang,
                grid=top["grid_id"],
                name=top["name"] or "",
                blind=int(top["blind_residents_walked"])
                if top["blind_residents_walked"] == top["blind_residents_walked"]
                else 0,
                incidents=int(top["incidents"]),
            )
        )
    sections = [
        Section(text("sec.trend", lang), people_frame(trend, TREND, lang=lang)),
        Section(
            text("sec.ranking", lang),
            people_frame(monthly.ranking, RANKING, lang=lang),
            text("note.ranking", lang),
        ),
    ]
    first = monthly.weeks[0]
    return Report(
        text("title.monthly", lang), station, monthly.month, lang, first, headline, sections
    )


def ledger_document(ledger: Ledger, *, station: str = "", lang: str = "zh") -> Report:
    """The ledger of every week in ``ledger``."""
    weeks = ledger.weeks
    period = (
        f"{weeks[0].isoformat()} – {(weeks[-1] + dt.timedelta(days=6)).isoformat()}"
        if weeks
        else ""
    )
    headline = [
        text(
            "head.ledger",
            lang,
            weeks=len(weeks),
            patrols=len(ledger.patrols),
            visits=len(ledger.visits),
        )
    ]
    sections = [
        Section(text("sec.patrols", lang), people_frame(ledger.patrols, PATROLS, lang=lang)),
        Section(text("sec.visits", lang), people_frame(ledger.visits, VISITS, lang=lang)),
        Section(text("sec.grid_weeks", lang), people_frame(ledger.grids, GRID_WEEKS, lang=lang)),
    ]
    return Report(
        text("title.ledger", lang),
        station,
        period,
        lang,
        weeks[0] if weeks else dt.date(2000, 1, 1),
        headline,
        sections,
    )


def write_document(
    report: Report, folder: Path, name: str, *, pdf: bool = True, font_text: str = ""
) -> list[Path]:
    """Write ``report`` as ``folder/NAME.xlsx`` and (with ``pdf``) ``folder/NAME.pdf``
    (``font_text``: see :func:`~patrol.ledger.report.write_pdf`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_excel(report, folder / f"{name}.xlsx")]
    if pdf:
        written.append(write_pdf(report, folder / f"{name}.pdf", font_text=font_text))
    return written
