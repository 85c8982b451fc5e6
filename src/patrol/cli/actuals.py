"""``patrol actuals OUT --checkins FILE... --tracks FILE_OR_DIR...``: what was really
patrolled, read into the plan store and measured against the plan."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from patrol.cli.options import speaker, warn
from patrol.cli.words import lang_of

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers


def _cmd_actuals(args: argparse.Namespace) -> int:
    from patrol.actuals.importer import import_actuals
    from patrol.errors import PatrolError

    if not args.checkins and not args.tracks:
        raise PatrolError("请给出 --checkins 或 --tracks / give --checkins or --tracks (or both)")
    result = import_actuals(
        args.out, checkins=args.checkins, tracks=args.tracks, progress=speaker(args)
    )
    warn(result.warnings, lang_of(args))
    s = result.compliance.summary
    print(
        f"签到 {result.checkins} 条，轨迹 {result.tracks} 条（{result.fixes} 个定位点） / "
        f"{result.checkins} check-ins, {result.tracks} tracks ({result.fixes} fixes)"
    )
    print(
        f"站点完成 {100 * s['stops_done_share']:.1f}%，迟到 {s['stops_late']:.0f}，"
        f"漏巡 {s['stops_missed']:.0f}；巡查路线完成 {100 * s['sweep_share']:.1f}%；"
        f"走访 {s['visits_done']:.0f}/{s['visits_planned']:.0f}；热点驻留不足 "
        f"{s['hotspot_short']:.0f} 次；计划外路段 {s['offplan_m']:.0f} 米"
    )
    print(
        f"stops done {100 * s['stops_done_share']:.1f}%, late {s['stops_late']:.0f}, "
        f"missed {s['stops_missed']:.0f}; sweep length walked {100 * s['sweep_share']:.1f}%; "
        f"visits {s['visits_done']:.0f}/{s['visits_planned']:.0f}; short hot-spot dwells "
        f"{s['hotspot_short']:.0f}; off-plan streets {s['offplan_m']:.0f} m"
    )
    for path in result.written:
        print(f"  {path}")
    return 0


def add_parsers(sub: Subparsers) -> None:
    """Add ``actuals`` to the ``patrol`` parser."""
    p = sub.add_parser(
        "actuals",
        help="Read check-ins and GPS tracks into a plan and measure them against it.",
        description="Read the filled-in check-in sheet (OUT/checkin.xlsx or the same as "
        "CSV), check-in logs of patrol apps (person or team, time, lon/lat or a point id) "
        "and GPS tracks (GPX, CSV with lon, lat, time and person or device, GeoJSON) into "
        "OUT/plan.gpkg; match the tracks to the streets and measure every team-shift "
        "against its plan (stops done, late or missed, sweep length walked, off-plan "
        "streets, hot-spot dwell, visits, gaps, blind spots as walked). Any bad file "
        "stops the import and leaves the store as it was.",
    )
    p.add_argument("out", help="Output folder of patrol plan (holding plan.gpkg).")
    p.add_argument(
        "--checkins",
        nargs="+",
        default=[],
        metavar="FILE",
        help="Check-in files: the filled-in checkin.xlsx, CSV, or app logs.",
    )
    p.add_argument(
        "--tracks",
        nargs="+",
        default=[],
        metavar="FILE_OR_DIR",
        help="GPS track files or folders of them (GPX, CSV, GeoJSON).",
    )
    p.set_defaults(func=_cmd_actuals)
