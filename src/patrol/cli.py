"""The ``patrol`` command line: thin, it parses, calls the library and prints.

User errors (bad input, a missing folder) print one clear message and exit with code 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from patrol import __version__
from patrol.errors import InputError, PatrolError

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

log = logging.getLogger("patrol")


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _sample_dir() -> Path:
    """The bundled sample: ``data/zhenganli`` in the repository (or the working folder)."""
    here = Path(__file__).resolve()
    for base in (here.parents[2], Path.cwd()):
        candidate = base / "data" / "zhenganli"
        if (candidate / "patrol.toml").exists():
            return candidate
    raise PatrolError(
        "The bundled sample (data/zhenganli) was not found. Run patrol demo from "
        "a clone of the repository, or give a scenario folder with --data."
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from patrol.render.report import describe_scenario
    from patrol.scenario.read import read_scenario

    _progress(f"Reading {args.scenario} ...")
    scenario = read_scenario(args.scenario, strict=args.strict)
    for problem in scenario.warnings:
        print(f"warning: {problem}")
    print(describe_scenario(scenario, lang=args.lang))
    print(
        f"OK: {args.scenario} is valid"
        + (f" ({len(scenario.warnings)} warning(s))." if scenario.warnings else ".")
    )
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from patrol.scenario.synth import write_synthetic_scenario

    _progress(f"Writing a synthetic scenario to {args.out} ...")
    out = write_synthetic_scenario(
        args.out,
        grids=args.grids,
        buildings=args.buildings,
        people=args.people,
        focus_households=args.households,
        road_segments=args.road_segments,
        seed=args.seed,
        overwrite=args.overwrite,
    )
    print(f"Wrote {out}. Check it with: patrol validate {out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else _sample_dir()
    out = Path(args.out)
    return _run_plan(data, out, args)


def cmd_plan(args: argparse.Namespace) -> int:
    return _run_plan(Path(args.scenario), Path(args.out), args)


def _run_plan(data: Path, out: Path, args: argparse.Namespace) -> int:
    from patrol.render.basemaps import resolve_tiles
    from patrol.render.report import describe_scenario
    from patrol.scenario.read import read_scenario

    try:  # a bad --tiles value fails before the week is planned
        resolve_tiles(args.tiles)
    except ValueError as exc:
        raise PatrolError(str(exc)) from exc
    _progress(f"Reading {data} ...")
    scenario = read_scenario(data, strict=getattr(args, "strict", False))
    print(describe_scenario(scenario, lang=args.lang))
    from patrol.planner import PlanParams, plan_week
    from patrol.render.report import describe_plan
    from patrol.store.write import write_plan

    params = PlanParams(
        time_limit_s=args.time_limit,
        seed=args.seed,
        engine=args.engine,
        max_iterations=args.max_iterations,
    )
    plan = plan_week(scenario, params, progress=_progress)
    written = write_plan(plan, out, progress=_progress)
    print(describe_plan(plan, lang=args.lang))
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.render.report import describe_coverage
    from patrol.store.write import write_coverage

    _progress("Measuring coverage and blind spots ...")
    coverage = measure_plan_coverage(plan)
    written += write_coverage(coverage, out)
    lang = args.lang or scenario.settings.language
    print(describe_coverage(coverage, lang=lang))
    from patrol.render.maps import write_maps

    _progress("Drawing the maps ...")
    try:
        written += write_maps(plan, coverage, out, lang=lang, tiles=args.tiles)
    except ValueError as exc:  # a bad --tiles value
        raise PatrolError(str(exc)) from exc
    from patrol.render.sheets import write_sheets

    _progress("Printing the route sheets ...")
    written += write_sheets(
        plan, out, coverage=coverage, lang=lang, split=args.split, redact=args.redact
    )
    print("\nOutputs:")
    for path in dict.fromkeys(written):
        print(f"  {path}")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.render.report import describe_coverage
    from patrol.store.read import read_plan
    from patrol.store.write import write_coverage

    _progress(f"Reading the plan in {args.plan} ...")
    plan = read_plan(args.plan, scenario=args.scenario)
    _progress(f"Measuring the coverage of the plan in {args.plan} ...")
    coverage = measure_plan_coverage(plan)
    written = write_coverage(coverage, args.plan)
    print(describe_coverage(coverage, lang=args.lang or plan.scenario.settings.language))
    print("\nOutputs:")
    for path in dict.fromkeys(written):
        print(f"  {path}")
    return 0


def _written_plan(args: argparse.Namespace) -> tuple[Plan, Coverage, str]:
    """The saved plan and coverage in ``args.out``, from the store alone (a changed scenario
    is named in a warning)."""
    from patrol.store.read import read_coverage, read_plan

    _progress(f"Reading the plan in {args.out} ...")
    plan = read_plan(args.out, scenario=args.scenario)
    return plan, read_coverage(args.out), args.lang or plan.scenario.settings.language


def cmd_map(args: argparse.Namespace) -> int:
    from patrol.render.maps import write_maps

    plan, coverage, lang = _written_plan(args)
    _progress("Drawing the maps ...")
    try:
        written = write_maps(plan, coverage, args.out, lang=lang, tiles=args.tiles)
    except ValueError as exc:  # a bad --tiles value
        raise PatrolError(str(exc)) from exc
    for path in written:
        print(f"  {path}")
    return 0


def cmd_sheets(args: argparse.Namespace) -> int:
    from patrol.render.sheets import write_sheets

    plan, coverage, lang = _written_plan(args)
    _progress("Printing the route sheets ...")
    written = write_sheets(
        plan,
        args.out,
        coverage=coverage,
        lang=lang,
        split=args.split,
        redact=args.redact,
    )
    for path in written:
        print(f"  {path}")
    return 0


def cmd_import_chicago(args: argparse.Namespace) -> int:
    from patrol.scenario.importers.chicago import import_chicago

    _progress(f"Building the Chicago example scenario in {args.out} ...")
    out = import_chicago(
        args.out,
        district=args.district,
        seed=args.seed,
        week_start=args.week_start,
        source=args.source,
    )
    print(f"Wrote {out}. Plan it with: patrol plan {out} --out {out}_plan")
    return 0


def cmd_import_mesa(args: argparse.Namespace) -> int:
    from patrol.scenario.importers.mesa import WEEK_START, import_mesa

    _progress(f"Building the Mesa example scenario in {args.out} ...")
    out = import_mesa(
        args.out, seed=args.seed, week_start=args.week_start or WEEK_START, source=args.source
    )
    print(f"Wrote {out}. Plan it with: patrol plan {out} --out {out}_plan")
    return 0


def iso_date(text: str) -> dt.date:
    """``--week-start`` as a date; argparse turns the ValueError into a usage error."""
    return dt.date.fromisoformat(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="patrol",
        description="Plan a week of community-policing '1+1+N' patrols: form the teams, "
        "route them along the streets, measure coverage and blind spots, and "
        "print the route sheets.",
    )
    parser.add_argument("--version", action="version", version=f"patrol {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="Print progress details and the solver's log lines.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def lang(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang",
            choices=("zh", "en"),
            default=None,
            help="Language of labels and reports (default: the scenario's setting, else Chinese).",
        )

    def plan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--time-limit",
            type=float,
            default=None,
            metavar="S",
            help=(
                "Seconds the solvers may spend in all: teams, assignment and routing share "
                "them (default: a budget sized to the week)."
            ),
        )
        p.add_argument(
            "--max-iterations",
            type=int,
            default=None,
            metavar="N",
            help=(
                "Stop each routing solve after N iterations instead of its seconds, so the "
                "same inputs and seed give the same plan on any machine."
            ),
        )
        p.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Random seed; the same inputs and seed give the same plan.",
        )
        p.add_argument(
            "--engine",
            choices=("ortools", "pyvrp"),
            default=None,
            help="Routing engine (default: the measured best for the plan's constraints).",
        )
        p.add_argument(
            "--strict",
            action="store_true",
            help="Treat repairs and warnings in the input as errors.",
        )
        tiles_option(p)
        sheet_options(p)
        lang(p)

    def tiles_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--tiles",
            default=None,
            metavar="TILES",
            help="Background tiles for the maps: none by default (the streets are "
            "the base map), a URL template such as "
            "http://tiles.lan/{z}/{x}/{y}.png (a station's own tile server), "
            "'osm', 'tianditu:KEY' or 'amap' (drawn in GCJ-02).",
        )

    def sheet_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--split",
            action="store_true",
            help="One route-sheet PDF per team and shift instead of one per day.",
        )
        p.add_argument(
            "--redact",
            action="store_true",
            help="Leave the labels of focus households off every route sheet.",
        )

    def written_plan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("out", help="Output folder of patrol plan.")
        p.add_argument(
            "--scenario",
            default=None,
            help="Scenario folder (default: the one the plan was made from).",
        )

    p = sub.add_parser(
        "demo",
        help="Plan the bundled sample week and write every output.",
        description="Run the whole job on the bundled 政安里 sample: validate "
        "it, plan the week and write the outputs to OUT.",
    )
    p.add_argument("--out", default="out/demo", help="Output folder (default: out/demo).")
    p.add_argument("--data", default=None, help="Use this scenario instead of the sample.")
    plan_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "validate",
        help="Check a scenario folder and report every problem.",
        description="Read a scenario folder (or GeoPackage), check every "
        "layer and setting, and list every problem with the file, "
        "the feature and how to fix it. Exit code 2 on errors.",
    )
    p.add_argument("scenario", help="Scenario folder or .gpkg.")
    p.add_argument(
        "--strict",
        action="store_true",
        help="Treat repairs (such as fixed polygons) and warnings as errors.",
    )
    lang(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "plan",
        help="Plan the week of a scenario and write the outputs.",
        description="Form the teams for every shift, route them along the "
        "streets, and write plan.gpkg, summary.json and CSV files "
        "to OUT.",
    )
    p.add_argument("scenario", help="Scenario folder or .gpkg.")
    p.add_argument("--out", required=True, help="Output folder.")
    plan_options(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser(
        "coverage",
        help="Measure coverage and blind spots of a written plan.",
        description="Measure what the plan in OUT (its legs layer: planned "
        "routes or imported tracks) and the cameras cover, and "
        "where the blind spots are; adds layers to OUT/plan.gpkg "
        "and writes OUT/coverage.csv.",
    )
    p.add_argument("scenario", help="Scenario folder or .gpkg.")
    p.add_argument("--plan", required=True, metavar="OUT", help="Output folder of patrol plan.")
    lang(p)
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser(
        "map",
        help="Redraw the maps of a written plan.",
        description="Draw OUT/maps/plan.html and coverage.html for the plan in "
        "OUT again (another language, other base tiles) without "
        "planning again.",
    )
    written_plan_options(p)
    tiles_option(p)
    lang(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser(
        "sheets",
        help="Reprint the route sheets of a written plan.",
        description="Print OUT/sheets/ again for the plan in OUT: the week "
        "overview and one A4 route sheet per team and shift.",
    )
    written_plan_options(p)
    sheet_options(p)
    lang(p)
    p.set_defaults(func=cmd_sheets)

    p = sub.add_parser(
        "import",
        help="Build a scenario from real public data (examples).",
        description="Turn the real public data in examples/data into a patrol "
        "scenario: 'chicago' (one police district: beats, a month "
        "of crimes, traffic cameras; no streets) or 'mesa' (real "
        "streets and crime points of Mesa, Arizona).",
    )
    cities = p.add_subparsers(dest="city", required=True, metavar="CITY")

    def import_options(p: argparse.ArgumentParser, *, source: str) -> None:
        p.add_argument("out", help="Folder to write (created; its files are replaced).")
        p.add_argument("--seed", type=int, default=0, help="Seed for the made-up parts.")
        p.add_argument(
            "--week-start",
            type=iso_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="Monday of the planned week (default: right after the data).",
        )
        p.add_argument(
            "--source",
            default=None,
            help=f"Folder with the source files (default: examples/data/{source}).",
        )

    c = cities.add_parser(
        "chicago",
        help="One Chicago police district: beats, crimes and traffic cameras.",
        description="Write a patrol scenario for one Chicago police district from the "
        "City of Chicago's police beats, a month of crimes and its speed and red-light "
        "cameras; the roster and households are made up from the seed.",
    )
    import_options(c, source="chicago")
    c.add_argument("--district", default="12", help="Police district number (default 12).")
    c.set_defaults(func=cmd_import_chicago)
    c = cities.add_parser(
        "mesa",
        help="The Mesa, Arizona sample: real streets and crime points, walking teams.",
        description="Write a walking patrol scenario on the real streets and crime "
        "points of the Mesa, Arizona GeoDaNet sample; grids, buildings, cameras and the "
        "roster are made up from the seed.",
    )
    import_options(c, source="mesa")
    c.set_defaults(func=cmd_import_mesa)

    p = sub.add_parser(
        "synth",
        help="Write a synthetic scenario of any size.",
        description="Write a valid synthetic scenario (street lattice, grids, "
        "buildings, roster, incidents, cameras) for tests and "
        "benchmarks. The same seed gives the same files.",
    )
    p.add_argument("out", help="Folder to create (must be empty or absent).")
    p.add_argument("--grids", type=int, default=50, help="Number of grids (default 50).")
    p.add_argument(
        "--buildings", type=int, default=3000, help="Number of buildings (default 3000)."
    )
    p.add_argument(
        "--people", type=int, default=None, help="Roster size (default: sized to the grids)."
    )
    p.add_argument(
        "--households", type=int, default=200, help="Number of focus households (default 200)."
    )
    p.add_argument(
        "--road-segments",
        type=int,
        default=None,
        help="Number of street segments (default: sized to the area).",
    )
    p.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
    p.add_argument("--overwrite", action="store_true", help="Replace a non-empty folder.")
    p.set_defaults(func=cmd_synth)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``patrol`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except PatrolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
