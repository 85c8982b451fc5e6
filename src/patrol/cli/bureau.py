"""``patrol plan-bureau BUREAU --out OUT``: every station of a bureau planned on Dask.

Thin: it parses, calls :func:`patrol.bureau.run.plan_bureau` and prints. Dask is imported
only when the command runs, so ``patrol plan`` and ``import patrol`` never load it. The
exit code is 0 when every station was planned or kept, 1 when some station failed (each
named with its message), 2 for a bad bureau folder or ``OUT``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from patrol.cli.options import lang_option, speaker
from patrol.cli.words import lang_of

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers


def _bureau_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "bureau",
        help="Bureau folder: one scenario folder per station, and an "
        "optional bureau.toml with settings shared by every station.",
    )
    p.add_argument(
        "--out",
        required=True,
        help="Output folder of the bureau (new, or one "
        "written by plan-bureau before: unchanged stations are kept).",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="Worker processes of the local Dask cluster (default 2; one "
        "station at a time each). Ignored with --scheduler.",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="A running Dask scheduler to plan on, e.g. tcp://host:8786 (its "
        "workers must see the bureau folder and OUT at the same paths).",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="Each station's solver budget in seconds of deterministic work "
        "(default: sized to its week), as in patrol plan.",
    )
    p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        metavar="N",
        help="Stop each routing solve after N iterations.",
    )
    p.add_argument("--seed", type=int, default=None, help="Random seed of every station.")
    p.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="Also write the week's bureau layers into a PostGIS database, "
        "postgresql://user@host/db (tables bureau_*, one transaction, weeks kept).",
    )
    p.add_argument(
        "--no-sheets",
        action="store_true",
        help="Leave the route-sheet PDFs out of each station's folder.",
    )
    p.add_argument(
        "--no-maps",
        action="store_true",
        help="Leave each station's own maps out (bureau.html is still drawn).",
    )
    p.add_argument(
        "--no-city",
        action="store_true",
        help="Skip the city-wide coverage (the map then shows each station's own blind spots).",
    )
    lang_option(p)


def _cmd_plan_bureau(args: argparse.Namespace) -> int:
    from patrol.bureau.labels import both, word
    from patrol.bureau.pgstore import is_database_url
    from patrol.bureau.run import plan_bureau
    from patrol.errors import PatrolError
    from patrol.ledger.dialects import without_password
    from patrol.planner import PlanParams
    from patrol.settings import check_run_options

    check_run_options(
        time_limit_s=args.time_limit, seed=args.seed, max_iterations=args.max_iterations
    )
    if args.workers < 1:
        raise PatrolError(both("bad_workers", workers=args.workers))
    if args.store and not is_database_url(args.store):
        raise PatrolError(both("bad_store", store=args.store))
    params = PlanParams(
        time_limit_s=args.time_limit, seed=args.seed, max_iterations=args.max_iterations
    )
    run = plan_bureau(
        args.bureau,
        args.out,
        params=params,
        workers=args.workers,
        scheduler=args.scheduler,
        maps=not args.no_maps,
        sheets=not args.no_sheets,
        city=not args.no_city,
        lang=args.lang or "zh",
        progress=speaker(args),
        store=args.store,
    )
    lang = lang_of(args)
    print("\n" + word("outputs", lang))
    for path in run.extra.get("written", []):
        print(f"  {path}")
    if "database" in run.extra:
        rows = sum(run.extra["database"].values())
        print(f"  {without_password(args.store)} ({word('database_rows', lang, rows=rows)})")
    for failed in run.failed():
        print(word("failed", lang, station=failed.name, message=failed.message))
    return 1 if run.failed() else 0


def add_parsers(sub: Subparsers) -> None:
    """Add ``plan-bureau`` to the ``patrol`` parser."""
    p = sub.add_parser(
        "plan-bureau",
        help="Plan every station of a bureau in parallel on Dask.",
        description="Plan every station folder of BUREAU in parallel on a Dask cluster "
        "(a local one of --workers processes, or --scheduler ADDRESS), measure the "
        "city's coverage, and write OUT/stations/<station>/ (as patrol plan), "
        "OUT/bureau.gpkg, OUT/bureau.html and OUT/stations.csv. A station that fails is "
        "named with its message and the others finish; a second run keeps stations "
        "whose inputs and settings did not change.",
    )
    _bureau_options(p)
    p.set_defaults(func=_cmd_plan_bureau)
