"""The planning commands: demo, validate, plan, coverage, map, sheets, synth, import.

Each command parses nothing itself (its options come from ``cli.options``), calls the
library and prints.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.cli.options import (
    Options,
    iso_date,
    lang_option,
    out_option,
    plan_options,
    progress,
    scenario_arg,
    sheet_options,
    speaker,
    store_options,
    strict_option,
    tiles_option,
    warn,
)
from patrol.cli.revise import variant_option
from patrol.cli.words import both, lang_of, say
from patrol.errors import PatrolError

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers
    from patrol.outputs import OutputOptions
    from patrol.planner import PlanParams

log = logging.getLogger("patrol")


def _sample_dir() -> Path:
    """The bundled sample: ``data/zhenganli`` in the repository (or the working folder)."""
    here = Path(__file__).resolve()
    for base in (here.parents[3], Path.cwd()):
        candidate = base / "data" / "zhenganli"
        if (candidate / "patrol.toml").exists():
            return candidate
    raise PatrolError(**both("no_sample"))


def _cmd_validate(args: argparse.Namespace) -> int:
    from patrol.render.report import describe_scenario
    from patrol.scenario.read import read_scenario

    progress(say("reading", lang_of(args), path=args.scenario))
    scenario = read_scenario(args.scenario, strict=args.strict)
    lang = lang_of(args)
    for problem in scenario.warnings:
        print(say("warning", lang) + problem.text(lang))
    print(describe_scenario(scenario, lang=args.lang))
    count = len(scenario.warnings)
    verdict = "valid_warnings" if count else "valid"
    print(say(verdict, lang, scenario=args.scenario, count=count))
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from patrol.scenario.synth import write_synthetic_scenario

    if args.bureau:
        from patrol.scenario.synth.bureau import write_synthetic_bureau

        progress(say("writing_bureau", lang_of(args), count=args.bureau, out=args.out))
        out = write_synthetic_bureau(
            args.out, stations=args.bureau, seed=args.seed, overwrite=args.overwrite
        )
        print(say("wrote_bureau", lang_of(args), out=out))
        return 0
    progress(say("writing_synth", lang_of(args), out=args.out))
    if args.rural:  # a rural station: villages far apart, posts far out (#21)
        from patrol.scenario.synth.rural import write_rural_scenario

        out = write_rural_scenario(
            args.out, villages=args.villages, seed=args.seed, overwrite=args.overwrite
        )
        print(say("wrote_synth", lang_of(args), out=out))
        return 0
    sizes = {k: getattr(args, k) for k in ("grids", "buildings", "people", "road_segments")}
    out = write_synthetic_scenario(
        args.out,
        focus_households=args.households,
        seed=args.seed,
        overwrite=args.overwrite,
        **sizes,
    )
    print(say("wrote_synth", lang_of(args), out=out))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else _sample_dir()
    code = _run_plan(data, Path(args.out), args)
    from patrol.cli.ledger import demo_cycle  # the rest of the week's cycle (#15)

    return code or demo_cycle(Path(args.out), lang=args.lang, seed=args.seed or 0)


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
        raise PatrolError(**both("bad_tiles", reason=exc)) from exc
    return OutputOptions(
        lang=args.lang,
        tiles=tiles,
        split=getattr(args, "split", False),
        redact=getattr(args, "redact", False),
        phones=getattr(args, "phones", False),
    )


def _print_written(written: Sequence[Path], lang: str) -> None:
    print("\n" + say("outputs", lang))
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
    progress(say("reading", lang_of(args), path=data))
    scenario = read_scenario(data, strict=getattr(args, "strict", False))
    warn(scenario.warnings, lang_of(args))
    if getattr(args, "variant", None):  # a what-if on a copy (patrol.revise.variant)
        from patrol.revise.variant import apply_variant

        scenario = apply_variant(scenario, args.variant)
    print(describe_scenario(scenario, lang=args.lang))
    params = _plan_params(args, spent_s=time.perf_counter() - started)
    week = run_week(scenario, out, params=params, options=options, progress=speaker(args))
    lang = language_of(week.plan, options)
    print(describe_plan(week.plan, lang=args.lang))
    print(describe_coverage(week.coverage, lang=lang))
    _print_written(week.written, lang)
    return 0


def _plan_params(args: argparse.Namespace, *, spent_s: float) -> PlanParams:
    """The planner's parameters from the options; in wall-clock mode the time limit left
    after ``spent_s`` seconds of reading (the whole run is bounded, not only planning)."""
    from patrol.planner import PlanParams

    limit = args.time_limit
    if limit is not None and limit <= 0:
        raise PatrolError(**both("time_limit_positive", limit=limit))
    if args.wall_clock and limit is None:
        raise PatrolError(**both("wall_clock_needs_limit"))
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

    progress(say("reading_plan", lang_of(args), out=args.out))
    plan = read_plan(args.out, scenario=args.scenario)
    progress(say("measuring", lang_of(args), out=args.out))
    coverage = measure_plan_coverage(plan)
    with staged_folder(args.out, copy_old=True) as stage:  # OUT changes whole or not at all
        written = moved_paths(
            write_coverage(coverage, stage, lang=args.lang), stage, Path(args.out)
        )
    lang = args.lang or plan.scenario.settings.language
    print(describe_coverage(coverage, lang=lang))
    _print_written(written, lang)
    return 0


def _redraw(args: argparse.Namespace, *, maps: bool, sheets: bool) -> int:
    """Redraw the maps or reprint the sheets of the plan saved in ``args.out``."""
    from patrol.outputs import draw_week, read_week

    options = _output_options(args)
    progress(say("reading_plan", lang_of(args), out=args.out))
    week = read_week(args.out, scenario=args.scenario)
    written = draw_week(
        week, args.out, options=options, maps=maps, sheets=sheets, progress=speaker(args)
    )
    _print_written(written, args.lang or week.plan.scenario.settings.language)
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
    progress(say("importing", lang_of(args), city=args.city.title(), out=args.out))
    out = make(args.out, **options)
    print(say("wrote_import", lang_of(args), out=out))
    return 0


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
        ("--bureau", None, "Write a bureau of N stations of varied size instead (4-16 grids)."),
    )
    for flag, default, text in sizes:
        p.add_argument(flag, type=int, default=default, help=text)
    p.add_argument(
        "--rural",
        action="store_true",
        help="Write a rural station instead: villages 2-40 km apart on county roads, walked "
        "inside and driven between, a village post 130 km from the station, resident "
        "auxiliaries and police assistants.",
    )
    p.add_argument(
        "--villages", type=int, default=10, help="Villages of --rural, 8 to 15 (default 10)."
    )
    p.add_argument("--overwrite", action="store_true", help="Replace a non-empty folder.")


# name, one-line help, description, options, command
_COMMANDS: tuple[tuple[str, str, str, tuple[Options, ...], Callable[..., int]], ...] = (
    (
        "demo",
        "Plan the bundled sample week and write every output.",
        "Run the whole job on the bundled 政安里 sample: validate it, plan the week and "
        "write the outputs to OUT; then a week of synthetic actuals (GPS tracks, "
        "check-ins), the spot-check list, the weekly follow-up, the ledger and the next "
        "week's scenario (OUT/ledger, OUT/next_week).",
        (_demo_options, plan_options),
        _cmd_demo,
    ),
    (
        "validate",
        "Check a scenario folder and report every problem.",
        "Read a scenario folder (or GeoPackage), check every layer and setting, and list "
        "every problem with the file, the feature and how to fix it. Exit code 2 on errors.",
        (scenario_arg, strict_option, lang_option),
        _cmd_validate,
    ),
    (
        "plan",
        "Plan the week of a scenario and write the outputs.",
        "Form the teams for every shift, route them along the streets, measure coverage, "
        "and write the plan store (plan.gpkg), summary.json, CSV files, maps and route "
        "sheets to OUT.",
        (scenario_arg, out_option, plan_options, variant_option),
        _cmd_plan,
    ),
    (
        "coverage",
        "Measure coverage and blind spots of a saved plan again.",
        "Measure again what the plan saved in OUT and the cameras cover, and where the "
        "blind spots are; replaces the coverage layers in OUT/plan.gpkg and writes "
        "OUT/coverage.csv.",
        (store_options, lang_option),
        _cmd_coverage,
    ),
    (
        "map",
        "Redraw the maps of a saved plan.",
        "Draw OUT/maps/plan.html and coverage.html for the plan saved in OUT again "
        "(another language, other base tiles) without planning or measuring again, even "
        "with the scenario folder gone.",
        (store_options, tiles_option, lang_option),
        _cmd_map,
    ),
    (
        "sheets",
        "Reprint the route sheets of a saved plan.",
        "Print OUT/sheets/ again for the plan saved in OUT: the week overview and one A4 "
        "route sheet per team and shift.",
        (store_options, sheet_options, lang_option),
        _cmd_sheets,
    ),
    (
        "synth",
        "Write a synthetic scenario of any size.",
        "Write a valid synthetic scenario (street lattice, grids, buildings, roster, "
        "incidents, cameras) for tests and benchmarks. The same seed gives the same files.",
        (_synth_options, lang_option),
        _cmd_synth,
    ),
)


def _add_commands(sub: Subparsers) -> None:
    """Every command but ``import``, from the table above."""
    for name, text, description, options, func in _COMMANDS:
        p = sub.add_parser(name, help=text, description=description)
        for add in options:
            add(p)
        p.set_defaults(func=func)


def _import_options(p: argparse.ArgumentParser, *, source: str) -> None:
    p.add_argument("out", help="Folder to write (created; its files are replaced).")
    p.add_argument("--seed", type=int, default=0, help="Seed for the made-up parts.")
    lang_option(p)
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


def _add_import(sub: Subparsers) -> None:
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


def add_parsers(sub: Subparsers) -> None:
    """Add the planning commands and ``import`` to the ``patrol`` parser."""
    for add in (_add_commands, _add_import):
        add(sub)
