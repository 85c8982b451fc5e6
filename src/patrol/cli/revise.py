"""``patrol replan OUT --from DATE``, ``patrol compare A B`` and ``--variant FILE.toml``.

Thin: parses, calls :mod:`patrol.revise` and prints. ``replan`` re-reads the scenario the
plan in OUT was made from (or ``--scenario``), plans the rest of the week again from
DATE with the least change and writes it as OUT's next revision; ``compare`` sets two
saved plans side by side.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.cli.options import iso_date, lang_option, plan_options, progress, speaker, warn
from patrol.cli.words import lang_of
from patrol.errors import PatrolError
from patrol.labels import Phrase
from patrol.revise.labels import both

if TYPE_CHECKING:
    from patrol.cli.options import Subparsers
    from patrol.planner import PlanParams
    from patrol.revise.compare import Comparison

SHOWN_CHANGES = 20


def variant_option(p: argparse.ArgumentParser) -> None:
    """``--variant FILE.toml`` of ``patrol plan``: a what-if applied to a copy."""
    p.add_argument(
        "--variant",
        default=None,
        metavar="FILE.toml",
        help="Plan a what-if: apply the change file (add people, set a grid's risk, add a "
        "camera; see patrol.revise.variant) to a copy of the scenario; its files are "
        "not touched.",
    )


def _params(args: argparse.Namespace) -> PlanParams:
    from patrol.planner import PlanParams

    if args.time_limit is not None and args.time_limit <= 0:
        zh, en = both("cli.time_limit", limit=args.time_limit)
        raise PatrolError(en, zh=zh)
    return PlanParams(
        time_limit_s=args.time_limit,
        seed=args.seed,
        engine=args.engine,
        max_iterations=args.max_iterations,
        wall_clock=args.wall_clock,
    )


def _scenario_of(out: Path, given: str | None) -> Path:
    from patrol.store.read import scenario_folder

    folder = scenario_folder(out, scenario=given)
    if folder is None:
        zh, en = both("cli.no_scenario", out=out)
        raise PatrolError(en, zh=zh)
    return folder


def _cmd_replan(args: argparse.Namespace) -> int:
    from patrol.outputs import OutputOptions
    from patrol.revise.changes import kept_figures, list_changes
    from patrol.revise.labels import text
    from patrol.revise.replan import replan_week
    from patrol.revise.revisions import write_revision
    from patrol.scenario.read import read_scenario
    from patrol.store.read import read_plan, stale_inputs

    out = Path(args.out)
    folder = _scenario_of(out, args.scenario)
    progress(Phrase("progress.reading_revise", out=out, folder=folder), lang_of(args))
    changed = stale_inputs(out, scenario=folder)
    if changed:
        progress(text("cli.inputs_changed", lang_of(args), files=", ".join(changed)))
    quiet = logging.getLogger("patrol")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # read_plan's "changed since" warning: said above
    try:
        old = read_plan(out, scenario=folder)
    finally:
        quiet.setLevel(level)
    scenario = read_scenario(folder, strict=args.strict)
    warn(scenario.warnings, lang_of(args))
    if args.variant:
        from patrol.revise.variant import apply_variant

        scenario = apply_variant(scenario, args.variant)
    result = replan_week(
        old, scenario, args.cut, shift=args.shift, params=_params(args), progress=speaker(args)
    )
    options = OutputOptions(
        lang=args.lang, tiles=args.tiles, split=args.split, redact=args.redact, phones=args.phones
    )
    week = write_revision(result, out, options=options, progress=speaker(args))
    lang = args.lang or scenario.settings.language
    changes = list_changes(old, result.plan, first=result.first, team_why=result.team_why)
    figures = kept_figures(old, result.plan, first=result.first)
    print(
        text(
            "cli.replanned", lang, first=result.first.key, count=len(changes),
            before=f"{100 * old.weighted_demand_met:.1f}",
            after=f"{100 * result.plan.weighted_demand_met:.1f}",
            kept=f"{100 * figures['same_members']:.0f}",
        )
    )  # fmt: skip
    for c in changes[:SHOWN_CHANGES]:
        why = c.why_zh if lang == "zh" else c.why_en
        print(f"  {text(f'change.{c.kind}', lang)} {c.what} {c.before} -> {c.after}: {why}")
    if len(changes) > SHOWN_CHANGES:
        more = len(changes) - SHOWN_CHANGES
        print("  " + text("cli.more", lang, count=more, file=out / "changes.csv"))
    print(text("cli.outputs", lang))
    for path in dict.fromkeys(week.written):
        print(f"  {path}")
    return 0


def _print_comparison(comparison: Comparison, lang: str) -> None:
    from patrol.revise.compare import comparison_rows
    from patrol.revise.labels import text

    if not comparison.differs:
        print(text("cmp.same", lang))
    for row in comparison_rows(comparison, lang=lang):
        name, a, b, diff = row.values()
        if diff or name.startswith(text("cmp.demand_met", lang)[:4]):
            print(f"  {name}: {a:g} | {b:g} ({diff:+g})")


def _cmd_compare(args: argparse.Namespace) -> int:
    from patrol.outputs import read_week, staged_folder
    from patrol.revise.compare import compare_plans, write_comparison

    progress(Phrase("progress.reading_compare", a=args.a, b=args.b), lang_of(args))
    a, b = read_week(args.a), read_week(args.b)
    comparison = compare_plans(a, b)
    lang = args.lang or b.plan.scenario.settings.language
    _print_comparison(comparison, lang)
    if args.out:
        written = write_comparison(comparison, args.out, lang=lang)
    else:  # inside plan B's folder, which changes whole or not at all
        with staged_folder(args.b, copy_old=True) as stage:
            files = write_comparison(comparison, stage / "compare", lang=lang)
        written = [Path(args.b) / p.relative_to(stage) for p in files]
    for path in written:
        print(f"  {path}")
    return 0


def add_parsers(sub: Subparsers) -> None:
    """``patrol replan`` and ``patrol compare``."""
    p = sub.add_parser(
        "replan",
        help="Plan the rest of the week again from a date, with the least change.",
        description="Re-read the scenario (new absences, risks, people, cameras) and plan "
        "the week saved in OUT again from DATE on: shifts before it are kept exactly and "
        "count as done; teams stay together unless a member is gone, tasks stay on their "
        "team unless they must move, routes start from the old ones. The new plan becomes "
        "OUT's next revision (the old one is kept in OUT/revisions/NN); OUT/changes.csv "
        "lists the changes and OUT/sheets/changed/ holds the reprinted sheets, marked 修订.",
    )
    p.add_argument("out", help="Output folder of patrol plan.")
    p.add_argument("--from", dest="cut", type=iso_date, required=True, metavar="DATE",
                   help="First day to plan again (YYYY-MM-DD).")  # fmt: skip
    p.add_argument("--shift", default=None, metavar="NAME",
                   help="First shift of that day to plan again (default: its first).")  # fmt: skip
    p.add_argument("--scenario", default=None,
                   help="Scenario folder (default: the one the plan was made from).")  # fmt: skip
    variant_option(p)
    plan_options(p)
    p.set_defaults(func=_cmd_replan)
    c = sub.add_parser(
        "compare",
        help="Set two saved plans of one station side by side.",
        description="Compare the plans saved in A and B: demand met, visits, sweeps per "
        "grid, walking hours, residents and incidents in blind spots, duty spread; writes "
        "compare.csv (the differences) and compare.html (an offline map of blind spots "
        "gained and lost, streets newly walked or unwalked, routes changed) to --out "
        "(default: B/compare).",
    )
    c.add_argument("a", help="Output folder of plan A.")
    c.add_argument("b", help="Output folder of plan B.")
    c.add_argument("--out", default=None, metavar="DIR", help="Folder for the comparison.")
    lang_option(c)
    c.set_defaults(func=_cmd_compare)
