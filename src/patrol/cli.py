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
from patrol.errors import PatrolError

if TYPE_CHECKING:
    from patrol.outputs import OutputOptions
    from patrol.planner import PlanParams

    _Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

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


def _cmd_validate(args: argparse.Namespace) -> int:
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


def _cmd_synth(args: argparse.Namespace) -> int:
    from patrol.scenario.synth import write_synthetic_scenario

    _progress(f"Writing a synthetic scenario to {args.out} ...")
    sizes = {k: getattr(args, k) for k in ("grids", "buildings", "people", "road_segments")}
    out = write_synthetic_scenario(
        args.out,
        focus_households=args.households,
        seed=args.seed,
        overwrite=args.overwrite,
        **sizes,
    )
    print(f"Wrote {out}. Check it with: patrol validate {out}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else _sample_dir()
    return _run_plan(data, Path(args.out), args)


def _cmd_plan(args: argparse.Namespace) -> int:
    return _run_plan(Path(args.scenario), Path(args.out), args)


def _output_options(args: argparse.Namespace) -> OutputOptions:
    """The drawing options a command was given (a bad --tiles value fails here, early)."""
    from patrol.outputs import OutputOptions
    from patrol.render.basemaps import resolve_tiles

    tiles = getattr(args, "tiles", None)
    try:
        resolve_tiles(tiles)
    except ValueError as exc:
        raise PatrolError(str(exc)) from exc
    return OutputOptions(
        lang=args.lang,
        tiles=tiles,
        split=getattr(args, "split", False),
        redact=getattr(args, "redact", False),
        phones=getattr(args, "phones", False),
    )


def _print_written(written: Sequence[Path]) -> None:
    print("\nOutputs:")
    for path in dict.fromkeys(written):
        print(f"  {path}")


def _run_plan(data: Path, out: Path, args: argparse.Namespace) -> int:
    from patrol.outputs import check_output_folder, language_of, run_week
    from patrol.render.report import describe_coverage, describe_plan, describe_scenario
    from patrol.scenario.read import read_scenario
    from patrol.settings import check_run_options

    started = time.perf_counter()
    check_run_options(  # before any work: a bad value would fail only after reading
        time_limit_s=args.time_limit, seed=args.seed, max_iterations=args.max_iterations
    )
    options = _output_options(args)
    check_output_folder(out, scenario=data)  # before reading and planning
    _progress(f"Reading {data} ...")
    scenario = read_scenario(data, strict=getattr(args, "strict", False))
    print(describe_scenario(scenario, lang=args.lang))
    params = _plan_params(args, spent_s=time.perf_counter() - started)
    week = run_week(scenario, out, params=params, options=options, progress=_progress)
    lang = language_of(week.plan, options)
    print(describe_plan(week.plan, lang=args.lang))
    print(describe_coverage(week.coverage, lang=lang))
    _print_written(week.written)
    return 0


def _plan_params(args: argparse.Namespace, *, spent_s: float) -> PlanParams:
    """The planner's parameters from the options; in wall-clock mode the time limit left
    after ``spent_s`` seconds of reading (the whole run is bounded, not only planning)."""
    from patrol.planner import PlanParams

    limit = args.time_limit
    if limit is not None and limit <= 0:
        raise PatrolError(f"--time-limit must be positive, got {limit}.")
    if args.wall_clock and limit is None:
        raise PatrolError("--wall-clock needs --time-limit S: the seconds the whole run may take.")
    if args.wall_clock:
        limit = max(1.0, limit - spent_s)
    return PlanParams(
        time_limit_s=limit,
        seed=args.seed,
        engine=args.engine,
        max_iterations=args.max_iterations,
        wall_clock=args.wall_clock,
    )


def _cmd_coverage(args: argparse.Namespace) -> int:
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.outputs import moved_paths, staged_folder
    from patrol.render.report import describe_coverage
    from patrol.store.read import read_plan
    from patrol.store.write import write_coverage

    _progress(f"Reading the plan in {args.out} ...")
    plan = read_plan(args.out, scenario=args.scenario)
    _progress(f"Measuring the coverage of the plan in {args.out} ...")
    coverage = measure_plan_coverage(plan)
    with staged_folder(args.out, copy_old=True) as stage:  # OUT changes whole or not at all
        written = moved_paths(
            write_coverage(coverage, stage, lang=args.lang), stage, Path(args.out)
        )
    print(describe_coverage(coverage, lang=args.lang or plan.scenario.settings.language))
    _print_written(written)
    return 0


def _redraw(args: argparse.Namespace, *, maps: bool, sheets: bool) -> int:
    """Redraw the maps or reprint the sheets of the plan saved in ``args.out``."""
    from patrol.outputs import draw_week, read_week

    options = _output_options(args)
    _progress(f"Reading the plan in {args.out} ...")
    week = read_week(args.out, scenario=args.scenario)
    written = draw_week(
        week, args.out, options=options, maps=maps, sheets=sheets, progress=_progress
    )
    _print_written(written)
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    return _redraw(args, maps=True, sheets=False)


def _cmd_sheets(args: argparse.Namespace) -> int:
    return _redraw(args, maps=False, sheets=True)


def _cmd_import(args: argparse.Namespace) -> int:
    """``patrol import chicago|mesa OUT``: a scenario from the public data in examples/."""
    from patrol.scenario.importers.chicago import import_chicago
    from patrol.scenario.importers.mesa import import_mesa

    make: Callable[..., Path] = import_chicago if args.city == "chicago" else import_mesa
    options = {"seed": args.seed, "week_start": args.week_start, "source": args.source}
    if args.city == "chicago":
        options["district"] = args.district
    elif args.week_start is None:
        from patrol.scenario.importers.mesa import WEEK_START

        options["week_start"] = WEEK_START
    _progress(f"Building the {args.city.title()} example scenario in {args.out} ...")
    out = make(args.out, **options)
    print(f"Wrote {out}. Plan it with: patrol plan {out} --out {out}_plan")
    return 0


def _iso_date(text: str) -> dt.date:
    """``--week-start`` as a date; argparse turns the ValueError into a usage error."""
    return dt.date.fromisoformat(text)


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="Language of labels and reports (default: the scenario's setting, else Chinese).",
    )


def _tiles_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tiles",
        default=None,
        metavar="TILES",
        help="Background tiles for the maps: none by default (the streets are "
        "the base map), a URL template such as "
        "http://tiles.lan/{z}/{x}/{y}.png (a station's own tile server), "
        "'osm', 'tianditu:KEY' or 'amap' (drawn in GCJ-02).",
    )


def _switches(p: argparse.ArgumentParser, *switches: tuple[str, str]) -> None:
    """On/off options (``--flag``, help text)."""
    for flag, text in switches:
        p.add_argument(flag, action="store_true", help=text)


def _sheet_options(p: argparse.ArgumentParser) -> None:
    _switches(
        p,
        ("--split", "One route-sheet PDF per team and shift instead of one per day."),
        (
            "--redact",
            "Leave every focus household's category and label (the police copies too) and "
            "every phone number out of every output.",
        ),
        (
            "--phones",
            "Print the team members' phone numbers on the route sheets and in teams.csv "
            "(off by default: the sheets and tables are carried and shared).",
        ),
    )


def _strict_option(p: argparse.ArgumentParser) -> None:
    _switches(
        p,
        (
            "--strict",
            "Treat repairs (such as fixed polygons) and warnings in the input as errors.",
        ),
    )


def _plan_options(p: argparse.ArgumentParser) -> None:
    """Options of every command that plans: the solver budget, seed and engine, and the
    drawing options of the outputs."""
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="Solver budget in seconds (default: sized to the week, 0.07 s a task, "
        "20-200 s). By default these are seconds of deterministic work, not of the "
        "clock: team formation and task assignment get deterministic CP-SAT time with "
        "one worker and every routing solve a number of iterations, so the same inputs, "
        "--seed and --time-limit give the same plan layers and CSV files on any machine "
        "and under any load (timing fields aside); how long the run takes then depends "
        "on the machine. With --wall-clock, S bounds the whole run instead.",
    )
    p.add_argument(
        "--wall-clock",
        action="store_true",
        help="Take --time-limit S as seconds of the clock for the whole run (reading, "
        "planning, the store, coverage, maps and sheets, shared by the rule in "
        "patrol/budget.py): the run ends within 20%% of S when S is above what the "
        "district's reading, demand and printing need, but two runs may give different "
        "plans.",
    )
    p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        metavar="N",
        help="Stop each routing solve after N iterations (default: its share of "
        "--time-limit at a fixed rate of iterations a second).",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="Random seed (default: the scenario's setting); without --wall-clock the same "
        "inputs, seed and time limit give the same plan.",
    )
    p.add_argument(
        "--engine",
        choices=("ortools", "pyvrp"),
        default=None,
        help="Routing engine (default: the measured best for the plan's constraints).",
    )
    for add in (_strict_option, _tiles_option, _sheet_options, _lang_option):
        add(p)


def _store_options(p: argparse.ArgumentParser) -> None:
    """The saved plan a command works on."""
    p.add_argument("out", help="Output folder of patrol plan (it may have been moved).")
    p.add_argument(
        "--scenario",
        default=None,
        help="Scenario folder to check for changes since planning (default: the one the "
        "plan refers to, if it is still there). The plan is drawn from the store as saved.",
    )


_Options = Callable[[argparse.ArgumentParser], None]


def _scenario_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="Scenario folder or .gpkg.")


def _out_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="Output folder.")


def _demo_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="out/demo", help="Output folder (default: out/demo).")
    p.add_argument("--data", default=None, help="Use this scenario instead of the sample.")


def _synth_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="Folder to create (must be empty or absent).")
    sizes = (
        ("--grids", 50, "Number of grids (default 50)."),
        ("--buildings", 3000, "Number of buildings (default 3000)."),
        ("--people", None, "Roster size (default: sized to the grids)."),
        ("--households", 200, "Number of focus households (default 200)."),
        ("--road-segments", None, "Number of street segments (default: sized to the area)."),
        ("--seed", 0, "Random seed (default 0)."),
    )
    for flag, default, text in sizes:
        p.add_argument(flag, type=int, default=default, help=text)
    p.add_argument("--overwrite", action="store_true", help="Replace a non-empty folder.")


# name, one-line help, description, options, command
_COMMANDS: tuple[tuple[str, str, str, tuple[_Options, ...], Callable[..., int]], ...] = (
    (
        "demo",
        "Plan the bundled sample week and write every output.",
        "Run the whole job on the bundled 政安里 sample: validate it, plan the week and "
        "write the outputs to OUT.",
        (_demo_options, _plan_options),
        _cmd_demo,
    ),
    (
        "validate",
        "Check a scenario folder and report every problem.",
        "Read a scenario folder (or GeoPackage), check every layer and setting, and list "
        "every problem with the file, the feature and how to fix it. Exit code 2 on errors.",
        (_scenario_arg, _strict_option, _lang_option),
        _cmd_validate,
    ),
    (
        "plan",
        "Plan the week of a scenario and write the outputs.",
        "Form the teams for every shift, route them along the streets, measure coverage, "
        "and write the plan store (plan.gpkg), summary.json, CSV files, maps and route "
        "sheets to OUT.",
        (_scenario_arg, _out_option, _plan_options),
        _cmd_plan,
    ),
    (
        "coverage",
        "Measure coverage and blind spots of a saved plan again.",
        "Measure again what the plan saved in OUT and the cameras cover, and where the "
        "blind spots are; replaces the coverage layers in OUT/plan.gpkg and writes "
        "OUT/coverage.csv.",
        (_store_options, _lang_option),
        _cmd_coverage,
    ),
    (
        "map",
        "Redraw the maps of a saved plan.",
        "Draw OUT/maps/plan.html and coverage.html for the plan saved in OUT again "
        "(another language, other base tiles) without planning or measuring again, even "
        "with the scenario folder gone.",
        (_store_options, _tiles_option, _lang_option),
        _cmd_map,
    ),
    (
        "sheets",
        "Reprint the route sheets of a saved plan.",
        "Print OUT/sheets/ again for the plan saved in OUT: the week overview and one A4 "
        "route sheet per team and shift.",
        (_store_options, _sheet_options, _lang_option),
        _cmd_sheets,
    ),
    (
        "synth",
        "Write a synthetic scenario of any size.",
        "Write a valid synthetic scenario (street lattice, grids, buildings, roster, "
        "incidents, cameras) for tests and benchmarks. The same seed gives the same files.",
        (_synth_options,),
        _cmd_synth,
    ),
)


def _add_commands(sub: _Subparsers) -> None:
    """Every command but ``import``, from the table above."""
    for name, text, description, options, func in _COMMANDS:
        p = sub.add_parser(name, help=text, description=description)
        for add in options:
            add(p)
        p.set_defaults(func=func)


def _import_options(p: argparse.ArgumentParser, *, source: str) -> None:
    p.add_argument("out", help="Folder to write (created; its files are replaced).")
    p.add_argument("--seed", type=int, default=0, help="Seed for the made-up parts.")
    p.add_argument(
        "--week-start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="Monday of the planned week (default: right after the data).",
    )
    p.add_argument(
        "--source",
        default=None,
        help=f"Folder with the source files (default: examples/data/{source}).",
    )


def _add_import(sub: _Subparsers) -> None:
    p = sub.add_parser(
        "import",
        help="Build a scenario from real public data (examples).",
        description="Turn the real public data in examples/data into a patrol "
        "scenario: 'chicago' (one police district: beats, a month "
        "of crimes, traffic cameras; no streets) or 'mesa' (real "
        "streets and crime points of Mesa, Arizona).",
    )
    cities = p.add_subparsers(dest="city", required=True, metavar="CITY")
    c = cities.add_parser(
        "chicago",
        help="One Chicago police district: beats, crimes and traffic cameras.",
        description="Write a patrol scenario for one Chicago police district from the "
        "City of Chicago's police beats, a month of crimes and its speed and red-light "
        "cameras; the roster and households are made up from the seed.",
    )
    _import_options(c, source="chicago")
    c.add_argument("--district", default="12", help="Police district number (default 12).")
    c.set_defaults(func=_cmd_import)
    c = cities.add_parser(
        "mesa",
        help="The Mesa, Arizona sample: real streets and crime points, walking teams.",
        description="Write a walking patrol scenario on the real streets and crime "
        "points of the Mesa, Arizona GeoDaNet sample; grids, buildings, cameras and the "
        "roster are made up from the seed.",
    )
    _import_options(c, source="mesa")
    c.set_defaults(func=_cmd_import)


def build_parser() -> argparse.ArgumentParser:
    """The ``patrol`` argument parser with every subcommand."""
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
    for add in (_add_commands, _add_import):
        add(sub)
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
    except PatrolError as exc:  # InputError included
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
