"""Options shared by the ``patrol`` commands, each a function that adds its arguments
to a parser (so every command that plans, prints or reads a saved plan says the same)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from patrol.cli.words import lang_of, say
from patrol.labels import Phrase, said

if TYPE_CHECKING:
    from patrol.errors import Problem

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

Options = Callable[[argparse.ArgumentParser], None]


def progress(message: str, lang: str = "zh") -> None:
    """Print one progress line with the time of day to stderr, a :class:`Phrase` in
    ``lang``."""
    print(f"[{time.strftime('%H:%M:%S')}] {said(message, lang)}", file=sys.stderr, flush=True)


def warn(problems: Sequence[Problem], lang: str) -> None:
    """Print the input's warnings (repairs, defaults taken) to stderr in ``lang``."""
    for problem in problems:
        print(say("warning", lang) + problem.text(lang), file=sys.stderr)


def speaker(args: argparse.Namespace) -> Callable[[str], None]:
    """The progress callback of a command: lines in the command's language."""
    lang = lang_of(args)
    return lambda message: progress(message, lang)


class SaidFormatter(logging.Formatter):
    """Log lines as ``LEVEL: message`` in the command's language: a :class:`Phrase`
    logged by the library is said in ``lang``, the level word too."""

    _LEVELS: ClassVar[dict[str, str]] = {"WARNING": "警告", "INFO": "信息", "ERROR": "错误"}

    def __init__(self, lang: str) -> None:
        super().__init__("%(levelname)s: %(message)s")
        self.lang = lang

    def format(self, record: logging.LogRecord) -> str:
        if self.lang != "zh":
            return super().format(record)
        text = said(record.msg, "zh") if isinstance(record.msg, Phrase) else record.getMessage()
        return f"{self._LEVELS.get(record.levelname, record.levelname)}：{text}"


def iso_date(text: str) -> dt.date:
    """``--week-start`` as a date; argparse turns the ValueError into a usage error."""
    return dt.date.fromisoformat(text)


def lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="Language of labels and reports (default: the scenario's setting, else Chinese).",
    )


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


def switches(p: argparse.ArgumentParser, *switches: tuple[str, str]) -> None:
    """On/off options (``--flag``, help text)."""
    for flag, text in switches:
        p.add_argument(flag, action="store_true", help=text)


def sheet_options(p: argparse.ArgumentParser) -> None:
    switches(
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


def strict_option(p: argparse.ArgumentParser) -> None:
    switches(
        p,
        (
            "--strict",
            "Treat repairs (such as fixed polygons) and warnings in the input as errors.",
        ),
    )


def plan_options(p: argparse.ArgumentParser) -> None:
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
    for add in (strict_option, tiles_option, sheet_options, lang_option):
        add(p)


def store_options(p: argparse.ArgumentParser) -> None:
    """The saved plan a command works on."""
    p.add_argument("out", help="Output folder of patrol plan (it may have been moved).")
    p.add_argument(
        "--scenario",
        default=None,
        help="Scenario folder to check for changes since planning (default: the one the "
        "plan refers to, if it is still there). The plan is drawn from the store as saved.",
    )


def scenario_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="Scenario folder or .gpkg.")


def out_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="Output folder.")
