"""The revisions of a week in one output folder: the new plan next to the old ones.

Layout of ``OUT`` after ``patrol replan``::

    OUT/plan.gpkg, summary.json, *.csv, maps/, sheets/   the current plan (read_plan(OUT))
    OUT/revisions.json                                    every revision: number, first
                                                          re-planned shift, plan id, changes
    OUT/revisions/00/plan.gpkg, summary.json              each earlier plan, whole
    OUT/changes.csv                                       what the last re-plan changed
    OUT/sheets/changed/<date>_<day>.pdf, police/...       only the changed route sheets,
                                                          each page marked 修订 第N版

Revision 0 is the plan ``patrol plan`` wrote; every re-plan adds one. The whole folder is
written in a staged copy and switched in one step (:func:`patrol.outputs.staged_folder`),
so a re-plan killed halfway leaves the previous revision whole.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.labels import Phrase
from patrol.revise.changes import changed_routes, list_changes, write_changes

if TYPE_CHECKING:
    from patrol.outputs import OutputOptions, Week
    from patrol.plan import Plan, TeamRoute
    from patrol.revise.replan import Replanned

REVISIONS_FILE = "revisions.json"
REVISIONS_DIR = "revisions"
CHANGES_FILE = "changes.csv"
KEPT_FILES = ("plan.gpkg", "summary.json")


def read_revisions(out: str | Path) -> list[dict[str, Any]]:
    """The revisions of ``out`` (oldest first); a folder never re-planned has one, 0."""
    path = Path(out) / REVISIONS_FILE
    if path.is_file():
        return list(json.loads(path.read_text(encoding="utf-8")))
    return [{"revision": 0, "from": None, "plan_id": _saved_plan_id(Path(out)), "changes": 0}]


def _saved_plan_id(out: Path) -> str:
    summary = out / "summary.json"
    if not summary.is_file():
        return ""
    return str(json.loads(summary.read_text(encoding="utf-8")).get("plan_id", ""))


def revision_folder(out: str | Path, number: int) -> Path:
    """Where revision ``number`` of ``out`` is kept once a later one replaced it."""
    return Path(out) / REVISIONS_DIR / f"{number:02d}"


def write_revision(
    replanned: Replanned,
    out: str | Path,
    *,
    options: OutputOptions | None = None,
    progress: Callable[[str], None] | None = None,
    full_set: bool = True,
) -> Week:
    """Write the re-plan into ``out`` as its next revision (see the module docstring):
    the current plan moves to ``revisions/NN/``, the new one takes its place with its
    coverage, maps and sheets, ``changes.csv`` lists what changed and ``sheets/changed/``
    holds only the changed route sheets (``full_set`` off: the maps and the whole set of
    sheets are left as they were, for a quick what-if). Returns the new week."""
    from patrol.actuals.workbook import write_checkin_workbook
    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.outputs import OutputOptions, Week, check_output_folder, staged_folder
    from patrol.store.write import write_coverage, write_plan

    say = progress or (lambda _m: None)
    out = check_output_folder(out)
    shown = options or OutputOptions()
    plan = replanned.plan
    lang = shown.lang or plan.scenario.settings.language
    history = read_revisions(out)
    number = int(history[-1]["revision"]) + 1
    changes = list_changes(replanned.old, plan, first=replanned.first, team_why=replanned.team_why)
    with staged_folder(out, copy_old=True) as stage:
        keep = revision_folder(stage, number - 1)
        keep.mkdir(parents=True, exist_ok=True)
        for name in KEPT_FILES:
            if (stage / name).is_file():
                shutil.move(str(stage / name), str(keep / name))
        phones = shown.phones and not shown.redact
        written = write_plan(plan, stage, progress=say, lang=shown.lang, phones=phones)
        written.append(write_checkin_workbook(plan, stage, lang=lang))  # as patrol plan
        say(Phrase("progress.coverage"))
        coverage = measure_plan_coverage(plan)
        written += write_coverage(coverage, stage, lang=shown.lang)
        week = Week(plan, coverage, written)
        if full_set:
            week.written += _draw(week, stage, shown, lang)
        routes = changed_routes(replanned.old, plan)
        week.written += write_changed_sheets(week, routes, stage, shown, lang, revision=number)
        week.written.append(write_changes(changes, stage / CHANGES_FILE, lang=lang))
        entry = {
            "revision": number,
            "from": replanned.first.key,
            "plan_id": plan.plan_id,
            "changes": len(changes),
            "sheets_changed": len(routes),
        }
        week.written.append(_write_history(stage, [*history, entry]))
        say(Phrase("progress.switch_revision", out=out, number=number))
    week.written = [out / p.relative_to(stage) for p in week.written]
    return week


def _write_history(stage: Path, history: list[dict[str, Any]]) -> Path:
    from patrol.atomic import write_text

    text = json.dumps(history, ensure_ascii=False, indent=2)
    return write_text(stage / REVISIONS_FILE, text + "\n")


def _draw(week: Week, stage: Path, shown: OutputOptions, lang: str) -> list[Path]:
    """The new plan's maps and every route sheet, as ``patrol plan`` draws them."""
    from patrol.render.maps import write_maps
    from patrol.render.sheets import write_sheets

    written = write_maps(week.plan, week.coverage, stage, lang=lang, tiles=shown.tiles)
    written += write_sheets(
        week.plan, stage, coverage=week.coverage, lang=lang, split=shown.split,
        redact=shown.redact, phones=shown.phones,
    )  # fmt: skip
    return written


def write_changed_sheets(
    week: Week,
    routes: list[TeamRoute],
    stage: Path,
    shown: OutputOptions,
    lang: str,
    *,
    revision: int,
) -> list[Path]:
    """Only the route sheets of ``routes`` (team and police copies, by day or team) in
    ``stage/sheets/changed/``, every page marked 修订 第N版; the folder of an earlier
    revision is replaced, and left out when nothing changed."""
    from patrol.render.sheets import write_sheets

    target = stage / "sheets" / "changed"
    if target.exists():
        shutil.rmtree(target)
    if not routes:
        return []
    only: Plan = dataclasses.replace(week.plan, routes=routes)
    with tempfile.TemporaryDirectory(prefix=".changed-", dir=stage) as tmp:
        files = write_sheets(
            only, tmp, coverage=week.coverage, lang=lang, split=shown.split,
            redact=shown.redact, phones=shown.phones, revision=revision,
        )  # fmt: skip
        target.mkdir(parents=True)
        written = []
        for path in files:
            if path.name == "week.pdf" and path.parent == Path(tmp) / "sheets":
                continue  # the overview of a part of the week would mislead
            dest = target / path.relative_to(Path(tmp) / "sheets")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(dest))
            written.append(dest)
    return written
