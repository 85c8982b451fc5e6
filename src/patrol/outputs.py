"""A week's outputs, in one place: plan -> coverage -> store -> maps -> sheets.

:func:`patrol.planner.plan_week` chains the planning stages; this module chains what
follows a plan: it measures the plan's coverage, saves both in the plan store, draws the
maps and prints the sheets. ``patrol plan``, ``patrol demo`` and the notebooks call
:func:`run_week`; ``patrol map`` and ``patrol sheets`` redraw from the store with
:func:`read_week`, so a saved plan is never planned or measured again.

**A run's outputs are whole.** Everything a run writes goes into a new folder beside
``OUT`` (:func:`patrol.atomic.atomic_folder`), which takes the place of ``OUT`` only when
the last file is written: a run killed at any moment leaves ``OUT`` holding the previous
plan whole, or nothing, and the next run removes what the killed one left. This was
chosen over a completion marker because every reader then stays right without knowing
of it: ``read_plan``, QGIS opening ``plan.gpkg``, a browser opening the maps, Excel
opening a CSV. :func:`check_output_folder` says before planning, in Chinese and English,
when ``OUT`` cannot take the outputs (a file, a read-only place, too little disk).
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patrol.errors import PatrolError
from patrol.labels import Phrase, label

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan
    from patrol.planner import PlanParams
    from patrol.scenario.model import Scenario

Progress = Callable[[str], None]


PLAN_FILE = "plan.gpkg"
"""The file that marks a folder as a patrol output folder (the plan store)."""

MIN_FREE_BYTES = 50_000_000
"""Never start a run with less free disk than this beside ``OUT``."""

INPUT_GROWTH = 12
"""A run's outputs take about this many times the scenario's input files (the store
keeps a snapshot and the network; measured 74 MB out of 11 MB at 400 grids), plus the
previous ``OUT``, kept until the new one is complete."""


def _quiet(_: str) -> None:
    return None


def _both(key: str, **values: object) -> PatrolError:
    """The error ``key``: its message in Chinese, then English (``text(lang)``: one)."""
    zh, en = label(key, "zh", **values), label(key, "en", **values)
    return PatrolError(f"{zh}\n{en}", zh=zh, en=en)


def _folder_bytes(folder: Path) -> int:
    if not folder.exists():
        return 0
    if folder.is_file():
        return folder.stat().st_size
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def check_output_folder(out: str | Path, *, scenario: str | Path | None = None) -> Path:
    """Check, before any planning, that ``out`` can take a run's outputs; returns it.

    Raises :class:`~patrol.errors.PatrolError` with a message in Chinese and English when
    ``out`` is a file, is a folder that is not a patrol output folder (a run replaces it
    whole), holds the ``scenario`` folder, lies where nothing can be written, or when the
    disk has too little room for the outputs (estimated from the scenario's files and
    the previous ``out``). Creates the missing parents of ``out``.
    """
    out = Path(out)
    if out.is_file() or (out.exists() and not out.is_dir()):
        raise _both("out.is_file", path=out)
    if scenario is not None and _holds(out, Path(scenario)):
        raise _both("out.holds_scenario", path=out, scenario=scenario)
    if out.is_dir() and any(out.iterdir()) and not (out / PLAN_FILE).is_file():
        raise _both("out.not_plan_folder", path=out)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=parent)
        Path(probe).rmdir()
    except OSError as exc:
        raise _both("out.not_writable", parent=parent) from exc
    need = MIN_FREE_BYTES + _folder_bytes(out)
    if scenario is not None:
        need += INPUT_GROWTH * _folder_bytes(Path(scenario))
    free = shutil.disk_usage(parent).free
    if free < need:
        raise _both("out.no_space", parent=parent, free_mb=free // 10**6, need_mb=need // 10**6)
    return out


def _holds(out: Path, scenario: Path) -> bool:
    """True when ``scenario`` is ``out`` or lies inside it."""
    outer, inner = out.resolve(), scenario.resolve()
    return inner == outer or outer in inner.parents


@contextlib.contextmanager
def staged_folder(out: str | Path, *, copy_old: bool = False) -> Iterator[Path]:
    """A new folder to write a run into, which replaces ``out`` whole when the block ends
    without error (:func:`patrol.atomic.atomic_folder`); ``copy_old`` starts it as a copy
    of ``out``. A full disk or a refused write is a :class:`PatrolError` in Chinese and
    English that says ``out`` is as it was."""
    from patrol.atomic import atomic_folder

    out = Path(out)
    try:
        with atomic_folder(out, copy_old=copy_old) as stage:
            yield stage
    except OSError as exc:
        path = exc.filename or out
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _both("out.disk_full", path=path, out=out) from exc
        reason = exc.strerror or type(exc).__name__
        raise _both("out.write_failed", path=path, out=out, reason=reason) from exc


def moved_paths(paths: list[Path], stage: Path, out: Path) -> list[Path]:
    """The paths written in ``stage``, as they are now under ``out`` (after the switch)."""
    return [out / p.relative_to(stage) for p in paths]


@dataclass(frozen=True)
class OutputOptions:
    """How the maps and sheets are drawn: language, base tiles, one PDF per team, redaction.

    ``lang=None`` takes the scenario's own ``language`` setting. ``phones`` puts the
    members' phone numbers on the route sheets and in teams.csv / plan.xlsx (off by
    default); ``redact`` leaves every household category and label and every phone
    number out of every output, the police copies of the sheets too.
    """

    lang: str | None = None
    tiles: str | None = None
    split: bool = False
    redact: bool = False
    phones: bool = False


@dataclass
class Week:
    """A planned (or re-read) week: the plan, its coverage and the files written."""

    plan: Plan
    coverage: Coverage
    written: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds of the output stages (``store_s``, ``coverage_s``, ``maps_s``, ``sheets_s``)."""


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
    maps: bool = True,
    sheets: bool = True,
) -> Week:
    """Plan the week of ``scenario`` and write every output into ``out`` (``maps`` /
    ``sheets`` off: the store, tables and coverage only, as a bureau run may ask)."""
    from patrol.actuals.workbook import write_checkin_workbook
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import plan_week
    from patrol.store.write import write_coverage, write_plan

    say = progress or _quiet
    out = check_output_folder(out, scenario=scenario.source)
    plan = plan_week(scenario, params, progress=say)
    timings: dict[str, float] = {}
    with staged_folder(out) as stage:
        shown = options or OutputOptions()
        with _timed(timings, "store_s"):
            written = write_plan(
                plan,
                stage,
                progress=say,
                lang=shown.lang,
                phones=shown.phones and not shown.redact,
            )
            written.append(write_checkin_workbook(plan, stage, lang=language_of(plan, shown)))
        say(Phrase("progress.coverage"))
        with _timed(timings, "coverage_s"):
            coverage = measure_plan_coverage(plan)
        with _timed(timings, "store_s"):
            written += write_coverage(coverage, stage, lang=shown.lang)
        week = Week(plan, coverage, written, timings)
        week.written += _draw(week, stage, options=shown, maps=maps, sheets=sheets, progress=say)
        say(Phrase("progress.switch", out=out))
    week.written = moved_paths(week.written, stage, out)
    return week


@contextlib.contextmanager
def _timed(timings: dict[str, float], key: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[key] = timings.get(key, 0.0) + time.perf_counter() - start


def count_progress(say: Progress, key: str, *, steps: int = 10) -> Callable[[int, int], None]:
    """A ``(done, total)`` callback that tells ``say`` the catalogue phrase ``key`` (with
    ``done`` and ``total``) about ``steps`` times in all and at the end, for the CLI's
    progress line."""
    told = {0}

    def tell(done: int, total: int) -> None:
        step = done * steps // max(1, total)
        if step not in told or done == total:
            told.add(step)
            say(Phrase(key, done=done, total=total))

    return tell


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
    """Draw the maps and print the route sheets of ``week`` into ``out``, whole: the
    other files of ``out`` are kept and ``out`` changes only when all are drawn."""
    out = Path(out)
    with staged_folder(out, copy_old=True) as stage:
        written = _draw(week, stage, options=options, maps=maps, sheets=sheets, progress=progress)
    return moved_paths(written, stage, out)


def _draw(
    week: Week,
    out: Path,
    *,
    options: OutputOptions | None = None,
    maps: bool = True,
    sheets: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    from patrol.render.maps import write_maps
    from patrol.render.sheets import write_sheets

    say = progress or _quiet
    options = options or OutputOptions()
    lang = language_of(week.plan, options)
    written: list[Path] = []
    if maps:
        say(Phrase("progress.maps"))
        with _timed(week.timings, "maps_s"):
            written += write_maps(
                week.plan,
                week.coverage,
                out,
                lang=lang,
                tiles=options.tiles,
                progress=count_progress(say, "progress.maps_drawn", steps=2),
            )
    if sheets:
        say(Phrase("progress.sheets"))
        with _timed(week.timings, "sheets_s"):
            written += write_sheets(
                week.plan,
                out,
                coverage=week.coverage,
                lang=lang,
                split=options.split,
                redact=options.redact,
                phones=options.phones,
                progress=count_progress(say, "progress.route_maps_drawn"),
            )
    return written
