"""A week's outputs, in one place: plan -> coverage -> store -> maps -> sheets.

:func:`patrol.planner.plan_week` chains the planning stages; this module chains what
follows a plan: it measures the plan's coverage, saves both in the plan store, draws the
maps and prints the sheets. ``patrol plan``, ``patrol demo`` and the notebooks call
:func:`run_week`; ``patrol map`` and ``patrol sheets`` redraw from the store with
:func:`read_week`, so a saved plan is never planned or measured again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan
    from patrol.planner import PlanParams
    from patrol.scenario.model import Scenario

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class OutputOptions:
    """How the maps and sheets are drawn: language, base tiles, one PDF per team, redaction.

    ``lang=None`` takes the scenario's own ``language`` setting.
    """

    lang: str | None = None
    tiles: str | None = None
    split: bool = False
    redact: bool = False


@dataclass
class Week:
    """A planned (or re-read) week: the plan, its coverage and the files written."""

    plan: Plan
    coverage: Coverage
    written: list[Path] = field(default_factory=list)


def language_of(plan: Plan, options: OutputOptions) -> str:
    """The language to draw in: the option, else the scenario's setting."""
    return options.lang or plan.scenario.settings.language


def run_week(
    scenario: Scenario,
    out: str | Path,
    *,
    params: PlanParams | None = None,
    options: OutputOptions | None = None,
    progress: Progress | None = None,
) -> Week:
    """Plan the week of ``scenario`` and write every output into ``out``."""
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import plan_week
    from patrol.store.write import write_coverage, write_plan

    say = progress or _quiet
    out = Path(out)
    plan = plan_week(scenario, params, progress=say)
    written = write_plan(plan, out, progress=say)
    say("Measuring coverage and blind spots ...")
    coverage = measure_plan_coverage(plan)
    written += write_coverage(coverage, out)
    week = Week(plan, coverage, written)
    week.written += draw_week(week, out, options=options or OutputOptions(), progress=say)
    return week


def read_week(out: str | Path, *, scenario: str | Path | None = None) -> Week:
    """The plan and coverage saved in ``out``, from the store alone (no planning, no
    measuring; changed scenario files are named in a warning)."""
    from patrol.store.read import read_coverage, read_plan

    return Week(read_plan(out, scenario=scenario), read_coverage(out))


def draw_week(
    week: Week,
    out: str | Path,
    *,
    options: OutputOptions | None = None,
    maps: bool = True,
    sheets: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    """Draw the maps and print the route sheets of ``week`` into ``out``."""
    from patrol.render.maps import write_maps
    from patrol.render.sheets import write_sheets

    say = progress or _quiet
    options = options or OutputOptions()
    lang = language_of(week.plan, options)
    written: list[Path] = []
    if maps:
        say("Drawing the maps ...")
        written += write_maps(week.plan, week.coverage, out, lang=lang, tiles=options.tiles)
    if sheets:
        say("Printing the route sheets ...")
        written += write_sheets(
            week.plan,
            out,
            coverage=week.coverage,
            lang=lang,
            split=options.split,
            redact=options.redact,
        )
    return written
