"""The supervision commands: ``patrol ledger`` (the station store and its reports) and
``patrol next-week`` (the next week's scenario from the week really patrolled); and the
demo's second half (a week of synthetic actuals, the lists, the ledger, the next week).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.cli.options import iso_date, lang_option, progress
from patrol.cli.words import lang_of
from patrol.labels import Phrase
from patrol.ledger.labels import both

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a month: write it as YYYY-MM")
    return value


def _print_written(paths: list[Path]) -> None:
    for path in paths:
        print(f"  {path}")


def _cmd_ledger(args: argparse.Namespace) -> int:
    from patrol.ledger.run import run_ledger

    lang = args.lang or "zh"
    progress(Phrase("progress.ledger", out=args.out), lang_of(args))
    run = run_ledger(
        args.out,
        store=args.store,
        day=args.daily,
        week=args.weekly,
        month=args.monthly,
        import_week=not args.no_import,
        lang=lang,
        pdf=not args.no_pdf,
    )
    if run.rows:
        shifts, done = run.rows.get("plan_routes", 0), run.rows.get("compliance_shifts", 0)
        print(both("msg.imported", store=run.store, week=run.week_start, shifts=shifts, done=done))
    for day in run.skipped:
        print(both("msg.no_daily", day=day))
    print(both("msg.reports"))
    _print_written(run.written)
    return 0


def _cmd_next_week(args: argparse.Namespace) -> int:
    from patrol.ledger.nextweek import next_folder, plan_next_week, write_next_week

    week = plan_next_week(args.out, scenario=args.scenario)
    target = Path(args.to) if args.to else next_folder(week.scenario, week.week_start)
    write_next_week(week, target, lang=args.lang or "zh")
    print(both("msg.next_week", folder=target, n=len(week.changes)))
    for change in week.changes:
        old = "" if change["old"] is None else change["old"]
        print(f"  {change['layer']} {change['target']} {change['field']}: {old} -> {change['new']}")
    print(f"  {target / 'changes.csv'}")
    return 0


def _add_ledger(sub: Subparsers) -> None:
    p = sub.add_parser(
        "ledger",
        help="Keep the week in the station store and write the ledger and its reports.",
        description="Import the week planned in OUT (and its actuals, after patrol actuals) "
        "into the station store, then write into OUT/ledger/ the ledger (台账, every week "
        "in the store) and the reports, as Excel and PDF: the daily spot-check list "
        "(每日暗访抽查), the weekly follow-up (每周跟进考核督导), the monthly report "
        "(每月考核通报). Without --daily/--weekly/--monthly it writes tomorrow's list, the "
        "week's follow-up and its month's report. Importing a week again replaces it; a "
        "failed or killed import leaves the store as it was.",
    )
    p.add_argument("out", help="Output folder of patrol plan (with patrol actuals run on it).")
    p.add_argument(
        "--store",
        default=None,
        metavar="STORE",
        help="The station store: a GeoPackage file (default: station.gpkg beside OUT) or "
        "a PostGIS database URL, postgresql://user@host/db (needs pip install "
        "'patrol[postgis]').",
    )
    p.add_argument(
        "--daily",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="Write the spot-check list of this day.",
    )
    p.add_argument(
        "--weekly",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="Write the follow-up of the week starting this Monday.",
    )
    p.add_argument(
        "--monthly",
        type=_month,
        default=None,
        metavar="YYYY-MM",
        help="Write the report of this month.",
    )
    p.add_argument(
        "--no-import",
        action="store_true",
        help="Write the reports from the store as it is, without importing OUT.",
    )
    p.add_argument("--no-pdf", action="store_true", help="Write the Excel files only.")
    lang_option(p)
    p.set_defaults(func=_cmd_ledger)


def _add_next_week(sub: Subparsers) -> None:
    p = sub.add_parser(
        "next-week",
        help="Write the next week's scenario from the visits really done.",
        description="Write a NEW scenario folder for the week after the one in OUT: "
        "last_visit from the visits really done, missed visits overdue (planned first), "
        "grids whose patrols were missed raised one risk colour for a week, week_start "
        "moved on, and changes.csv listing every change. Your files are never changed.",
    )
    p.add_argument("out", help="Output folder of patrol plan, after patrol actuals.")
    p.add_argument(
        "--to",
        default=None,
        metavar="DIR",
        help="The new folder (default: <scenario>_<next Monday> beside the scenario).",
    )
    p.add_argument(
        "--scenario",
        default=None,
        help="The scenario folder of the week (default: the one the plan refers to).",
    )
    lang_option(p)
    p.set_defaults(func=_cmd_next_week)


def add_parsers(sub: Subparsers) -> None:
    """Add ``ledger`` and ``next-week`` to the ``patrol`` parser."""
    _add_ledger(sub)
    _add_next_week(sub)


def demo_cycle(out: Path, *, lang: str | None = None, seed: int = 0) -> int:
    """The demo's second half: a week of synthetic actuals for the plan in ``out``, read
    in as a station would (GPX tracks and a check-in sheet), then the ledger and its
    reports, and the next week's scenario in ``out/next_week``."""
    from patrol.actuals.importer import import_actuals
    from patrol.actuals.synth import synth_actuals, write_synth_files
    from patrol.ledger.nextweek import plan_next_week, write_next_week
    from patrol.ledger.run import run_ledger
    from patrol.store.read import read_plan

    progress(Phrase("progress.synth_actuals"), lang or "zh")
    plan = read_plan(out)
    files = write_synth_files(synth_actuals(plan, seed=seed), out / "actuals")
    tracks = [p for p in files if p.suffix.lower() == ".gpx"]
    checkins = [p for p in files if p.suffix.lower() in (".csv", ".xlsx")]
    import_actuals(out, checkins=checkins, tracks=tracks)
    progress(Phrase("progress.ledger_reports"), lang or "zh")
    start = plan.scenario.settings.week_start
    # the list a chief makes on Wednesday evening for Thursday, from Mon-Wed's actuals
    days = sorted({r.team.slot.date for r in plan.routes}) or [start]
    check_day = days[min(3, len(days) - 1)]
    run = run_ledger(
        out, day=check_day, week=start, month=start.strftime("%Y-%m"), lang=lang or "zh"
    )
    week = plan_next_week(out)
    target = out / "next_week"
    if not target.exists():
        write_next_week(week, target, lang=lang or "zh")
    print(both("msg.reports"))
    _print_written([*run.written, target / "changes.csv"])
    return 0
