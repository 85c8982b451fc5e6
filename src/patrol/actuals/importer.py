"""``patrol actuals``: read check-ins and GPS tracks into the plan store, in one transaction.

:func:`import_actuals` reads the plan from ``OUT/plan.gpkg``, reads and checks every
file, screens the tracks, matches them to the plan's streets, measures compliance and
writes everything back in one atomic replacement of the store
(:func:`patrol.actuals.layers.write_actuals`). Any error in any file (an unknown team, a
track outside the area, a time outside the week, a duplicate check-in, an unreadable
file) stops the import with every problem listed, in Chinese and English, before anything
is written: the store stays as it was. Warnings (gaps, noise, wrong clocks, fixes far
from the streets) are kept with the actuals and returned.

Importing only check-ins keeps the tracks already imported (and their matching, so it is
quick), and the other way round, so a second import never loses the first one's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from patrol.actuals.checkins import CHECKIN_FIELDS, read_checkins
from patrol.actuals.compliance import Compliance, measure_compliance
from patrol.actuals.labels import both
from patrol.actuals.layers import Actuals, has_actuals, read_actuals, write_actuals
from patrol.actuals.matching import Matched, match_fixes
from patrol.actuals.screen import screen_fixes
from patrol.actuals.tracks import read_tracks
from patrol.errors import InputError, Problem
from patrol.labels import Phrase

if TYPE_CHECKING:
    from patrol.plan import Plan

__all__ = ["ImportResult", "import_actuals"]


@dataclass
class ImportResult:
    """What an import read and measured: counts, the warnings and the compliance."""

    checkins: int
    tracks: int
    fixes: int
    warnings: list[Problem]
    compliance: Compliance
    written: list[Path] = field(default_factory=list)


def _quiet(_: str) -> None:
    return None


def _refuse(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        head = Problem("", both("msg.problems", n=len(errors)))
        raise InputError([head, *errors])


def import_actuals(
    out: str | Path,
    *,
    checkins: list[Path] | list[str] | None = None,
    tracks: list[Path] | list[str] | None = None,
    plan: Plan | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Read ``checkins`` (sheet or app log files) and ``tracks`` (files or folders) into
    the store of ``out``, measure compliance, and save both; see the module. ``plan`` is
    the plan saved in ``out`` when the caller has it already (read from the store
    otherwise)."""
    from patrol.store.read import read_coverage, read_plan

    say = progress or _quiet
    out = Path(out)
    plan = read_plan(out) if plan is None else plan
    kept = read_actuals(out) if has_actuals(out) else None
    problems: list[Problem] = []
    if checkins:
        say(Phrase("progress.checkins", files=len(checkins)))
        sheet, found = read_checkins(list(map(Path, checkins)), plan=plan)
        problems += found
    else:
        sheet = kept.checkins if kept is not None else pd.DataFrame(columns=list(CHECKIN_FIELDS))
    if tracks:
        say(Phrase("progress.tracks"))
        raw, found = read_tracks(list(map(Path, tracks)), crs=plan.scenario.crs)
        problems += found
        fixes, found = screen_fixes(plan, raw)
        problems += found
    else:
        fixes = kept.fixes if kept is not None else screen_fixes(plan, raw_empty(plan))[0]
    _refuse(problems)
    if tracks or kept is None:
        say(Phrase("progress.matching", tracks=fixes["track_id"].nunique()))
        matched = match_fixes(plan.network, fixes)
        problems += matched.problems
    else:
        matched = kept_matching(kept)
    say(Phrase("progress.measuring_actuals"))
    planned = read_coverage(out)
    compliance = measure_compliance(
        plan, checkins=sheet, fixes=fixes, matched=matched, planned=planned
    )
    warnings = [p for p in problems if p.severity != "error"]
    fixes = fixes.assign(
        edge_id=matched.fixes["edge_id"].to_numpy(),
        matched_x=matched.fixes["x"].to_numpy(),
        matched_y=matched.fixes["y"].to_numpy(),
        dist_m=matched.fixes["dist_m"].to_numpy(),
    )
    actuals = Actuals(sheet, fixes, matched.legs, pd.DataFrame())
    say(Phrase("progress.saving_actuals", out=out))
    written = write_actuals(out, actuals, compliance, problems=warnings)
    return ImportResult(
        checkins=len(sheet),
        tracks=int(fixes["track_id"].nunique()) if len(fixes) else 0,
        fixes=len(fixes),
        warnings=warnings,
        compliance=compliance,
        written=[written],
    )


def kept_matching(kept: Actuals) -> Matched:
    """The matching saved with the actuals (when only check-ins are imported again)."""
    fixes = kept.fixes
    per_fix = pd.DataFrame(
        {
            "edge_id": fixes["edge_id"].to_numpy(),
            "x": fixes["matched_x"].to_numpy(dtype=float),
            "y": fixes["matched_y"].to_numpy(dtype=float),
            "dist_m": fixes["dist_m"].to_numpy(dtype=float),
        },
        index=fixes.index,
    )
    return Matched(per_fix, kept.legs, [])


def raw_empty(plan: Plan) -> gpd.GeoDataFrame:
    """An empty table of raw fixes in the plan's CRS (no tracks given nor kept)."""
    crs = plan.scenario.crs
    frame = pd.DataFrame({"source": [], "row": [], "who": [], "time": pd.to_datetime([])})
    return gpd.GeoDataFrame(frame, geometry=[], crs=crs)
