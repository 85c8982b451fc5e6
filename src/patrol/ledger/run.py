"""``patrol ledger OUT``: import a week into the station store, then write the reports.

:func:`run_ledger` is what the command and the demo call: it reads the week in ``OUT``
(plan, and actuals when ``patrol actuals`` has run) into the station store in one
transaction, then writes, from the store alone, into ``OUT/ledger/``: the ledger
(``ledger.xlsx``/``.pdf``, every week in the store) and the reports asked for: the
spot-check list of a day (``daily_<date>``), the follow-up of a week (``weekly_<date>``),
the report of a month (``monthly_<YYYY-MM>``). Asked for none, it writes the three a
chief needs after importing a week: tomorrow's list (the day after the last day with
actuals), the week's follow-up and its month's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from patrol.ledger.book import ledger_tables
from patrol.ledger.documents import (
    daily_document,
    ledger_document,
    monthly_document,
    weekly_document,
    write_document,
)
from patrol.ledger.frames import WeekFrames, week_frames
from patrol.ledger.history import StationStore, list_weeks, open_store, read_history, write_week
from patrol.ledger.monthly import monthly_report
from patrol.ledger.report import Report, report_text
from patrol.ledger.spotcheck import spot_check
from patrol.ledger.tables import STORE_FILE
from patrol.ledger.weekly import weekly_follow_up

__all__ = ["LedgerRun", "default_store", "run_ledger", "tomorrow"]

REPORTS_FOLDER = "ledger"


@dataclass
class LedgerRun:
    """What a run did: the week imported (if any), the rows written, the files."""

    store: str
    week_start: dt.date | None
    rows: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    """The days of the imported week with a patrol planned (ISO)."""


def default_store(out: str | Path) -> Path:
    """``station.gpkg`` beside the week's output folder (one store for all its weeks)."""
    return Path(out).resolve().parent / STORE_FILE


def tomorrow(store: StationStore, week_start: dt.date) -> dt.date:
    """The day after the last day of ``week_start``'s week with actuals (its first day
    when it has none): the day whose spot checks a chief plans now."""
    shifts = read_history(store, "compliance_shifts", weeks=[week_start])
    days = [d for d in shifts["date"] if d is not None]
    return max(days) + dt.timedelta(days=1) if days else week_start


def _import(store: StationStore, week: WeekFrames) -> dict[str, int]:
    return write_week(store, week.week_start, week.frames, crs=week.crs, station=week.station)


def run_ledger(
    out: str | Path,
    *,
    store: str | Path | None = None,
    day: dt.date | None = None,
    week: dt.date | None = None,
    month: str | None = None,
    import_week: bool = True,
    lang: str = "zh",
    pdf: bool = True,
    book: bool = True,
) -> LedgerRun:
    """Import ``out``'s week into ``store`` (default :func:`default_store`) and write the
    reports into ``out/ledger`` (the ledger itself unless ``book`` is false); returns what
    was done."""
    out = Path(out)
    target = str(store) if store is not None else str(default_store(out))
    folder = out / REPORTS_FOLDER
    with open_store(target) as station:
        frames = week_frames(out) if import_week or not any((day, week, month)) else None
        run = LedgerRun(station.shown, frames.week_start if frames else None)
        if frames is not None:
            run.days = sorted({d for d in frames.frames["plan_routes"]["date"]})
        if frames is not None and import_week:
            run.rows = _import(station, frames)
        name = frames.station if frames else _station_name(station)
        if not any((day, week, month)) and frames is not None:
            week = frames.week_start
            month = week.strftime("%Y-%m")
            day = tomorrow(station, week)
            if day not in _planned_days(station, day):
                run.skipped.append(day.isoformat())
                day = None
        docs = _documents(station, day=day, week=week, month=month, name=name, lang=lang)
        if book and list_weeks(station):
            docs.append(
                (ledger_document(ledger_tables(station), station=name, lang=lang), "ledger")
            )
    shared = "".join(report_text(doc) for doc, _ in docs)  # one font subset for all
    for doc, file in docs:
        run.written += write_document(doc, folder, file, pdf=pdf, font_text=shared)
    return run


def _documents(
    store: StationStore,
    *,
    day: dt.date | None,
    week: dt.date | None,
    month: str | None,
    name: str,
    lang: str,
) -> list[tuple[Report, str]]:
    """The reports asked for, with their file names."""
    docs = []
    if day is not None:
        spot = spot_check(store, day, station=name, lang=lang)
        docs.append((daily_document(spot, lang=lang), f"daily_{day.isoformat()}"))
    if week is not None:
        doc = weekly_document(weekly_follow_up(store, week), station=name, lang=lang)
        docs.append((doc, f"weekly_{week.isoformat()}"))
    if month is not None:
        doc = monthly_document(monthly_report(store, month), station=name, lang=lang)
        docs.append((doc, f"monthly_{month}"))
    return docs


def _planned_days(store: StationStore, day: dt.date) -> set[dt.date]:
    weeks = [w for w in list_weeks(store) if w <= day < w + dt.timedelta(days=7)]
    routes = read_history(store, "plan_routes", weeks=weeks)
    return {d for d in routes["date"] if d is not None}


def _station_name(store: StationStore) -> str:
    weeks = read_history(store, "weeks")
    names = [str(n) for n in weeks["station"] if n]
    return names[-1] if names else ""
