"""The ``patrol`` command line: thin, it parses, calls the library and prints.

User errors (bad input, a missing folder) print one clear message and exit with code 2,
never a traceback. Each group of commands lives in its own module of this package and
adds its parsers through ``add_parsers(sub)``; ``COMMAND_MODULES`` lists them in the
order ``patrol --help`` shows them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from patrol import __version__
from patrol.cli.options import SaidFormatter
from patrol.cli.words import lang_of, say
from patrol.errors import PatrolError

COMMAND_MODULES: tuple[str, ...] = ("commands", "bureau", "ledger", "serve", "actuals", "revise")


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
    for name in COMMAND_MODULES:
        importlib.import_module(f"patrol.cli.{name}").add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``patrol`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(SaidFormatter(lang_of(args)))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PatrolError as exc:  # InputError included; in the --lang language (zh default)
        lang = lang_of(args)
        print(say("error", lang) + exc.text(lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(say("interrupted", lang_of(args)), file=sys.stderr)
        return 130
