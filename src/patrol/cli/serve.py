"""``patrol serve``: the station's own web page, on this PC (or, with a password, the LAN)."""

from __future__ import annotations

import argparse
import getpass
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.cli.options import lang_option, progress
from patrol.cli.words import lang_of
from patrol.errors import PatrolError
from patrol.labels import Phrase

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers


def _bundled_sample_copy() -> Path:
    """A working copy of the bundled sample under ``out/serve`` (the repository's own
    files are never edited)."""
    from patrol.cli.commands import _sample_dir

    target = Path("out") / "serve" / "zhenganli"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(_sample_dir(), target)
    return target


def _cmd_serve(args: argparse.Namespace) -> int:
    from patrol.planner import PlanParams
    from patrol.serve.access import write_password_file
    from patrol.serve.server import make_server, serve

    if args.set_password:
        if not args.password_file:
            raise PatrolError("--set-password needs --password-file FILE (where the hash goes).")
        prompt = "新密码 / new password: "
        password = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
        path = write_password_file(args.password_file, password.rstrip("\n"))
        print(f"密码已设置（只保存哈希）/ password set (hash only): {path}")
        return 0
    where = Path(args.path) if args.path else _bundled_sample_copy()
    progress(Phrase("progress.opening", where=where), lang_of(args))
    server = make_server(
        where,
        host=args.host,
        port=args.port,
        out=args.out,
        password_file=args.password_file,
        lang=args.lang or "zh",
        params=PlanParams(
            time_limit_s=args.time_limit, max_iterations=args.max_iterations, seed=args.seed
        ),
    )
    serve(server)
    return 0


def add_parsers(sub: Subparsers) -> None:
    """Add ``patrol serve`` to the ``patrol`` parser."""
    p = sub.add_parser(
        "serve",
        help="Open the station's web page: adjust the scenario, plan, view maps, print.",
        description="Start the station's own web page on this PC and print its address. "
        "Scenario (grids by risk, cameras and incidents by clicking, the roster and its "
        "calendar; saved with a backup), Plan (progress and results), Map and Print. "
        "Nothing is fetched from the internet.",
    )
    p.add_argument(
        "path",
        nargs="?",
        default=None,
        help="A scenario folder, or an output folder with a saved plan (default: a copy "
        "of the bundled sample in out/serve).",
    )
    p.add_argument("--out", default=None, help="Where plans go (default: <scenario>-plan).")
    p.add_argument("--port", type=int, default=8765, help="Port (default 8765).")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="Address to listen on (default 127.0.0.1: this PC only). Any other address "
        "needs --password-file.",
    )
    p.add_argument(
        "--password-file",
        default=None,
        help="File with the login password's hash (made by --set-password).",
    )
    p.add_argument(
        "--set-password",
        action="store_true",
        help="Ask for a password, store its hash in --password-file, and stop.",
    )
    p.add_argument(
        "--time-limit", type=float, default=None, metavar="S",
        help="Solver seconds of a plan started from the page (default: sized to the week).",
    )  # fmt: skip
    p.add_argument(
        "--max-iterations", type=int, default=None, metavar="N",
        help="Routing iterations of a plan started from the page.",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=None, help="Random seed of a plan.")
    lang_option(p)
    p.set_defaults(func=_cmd_serve)
