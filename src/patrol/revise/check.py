"""Does a saved plan still match the scenario it is to be re-planned with?

A re-plan keeps the shifts before the cut and the teams and tasks after it, all named by
grid and person ids. When those ids changed (a grid deleted, a grid moved to another beat,
a person renamed or given a new id, other shifts or another week), the saved plan cannot
be continued: :func:`check_store_matches` says what changed, in Chinese and English,
before anything is planned or written, so a re-plan never gives half a plan. People who
left the roster are no mismatch: they are members gone, and their teams change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patrol.errors import PatrolError
from patrol.revise.labels import both

if TYPE_CHECKING:
    from patrol.plan import Plan
    from patrol.scenario.model import Scenario


def store_mismatches(old: Plan, scenario: Scenario) -> list[tuple[str, str]]:
    """What changed between the saved plan's scenario and ``scenario`` that a re-plan
    cannot follow, as (Chinese, English) lines; empty when the plan can be continued."""
    before, now = old.scenario, scenario
    lines: list[tuple[str, str]] = []
    beat_before, beat_now = before.beat_of_grid(), now.beat_of_grid()
    for grid in sorted(beat_before):
        if grid not in beat_now:
            lines.append(both("mismatch.grid_gone", grid=grid))
        elif beat_now[grid] != beat_before[grid]:
            lines.append(
                both("mismatch.grid_beat", grid=grid, old=beat_before[grid], new=beat_now[grid])
            )
    lines += _people_mismatches(old, scenario)
    old_shifts = [s.name for s in before.settings.shifts]
    new_shifts = [s.name for s in now.settings.shifts]
    if old_shifts != new_shifts:
        lines.append(both("mismatch.shifts", old=",".join(old_shifts), new=",".join(new_shifts)))
    if before.settings.week_start != now.settings.week_start:
        week = {"old": before.settings.week_start, "new": now.settings.week_start}
        lines.append(both("mismatch.week", **week))
    return lines


def _people_mismatches(old: Plan, scenario: Scenario) -> list[tuple[str, str]]:
    """Renamed people and people with a new id (same name, their old id gone)."""
    name_now = {p.person_id: p.name for p in scenario.people}
    id_now = {p.name: p.person_id for p in scenario.people}
    lines = []
    for p in old.scenario.people:
        if p.person_id in name_now and name_now[p.person_id] != p.name:
            values = {"pid": p.person_id, "old": p.name, "new": name_now[p.person_id]}
            lines.append(both("mismatch.renamed", **values))
        elif p.person_id not in name_now and p.name in id_now:
            values = {"name": p.name, "old": p.person_id, "new": id_now[p.name]}
            lines.append(both("mismatch.new_id", **values))
    return lines


def check_store_matches(old: Plan, scenario: Scenario) -> None:
    """Raise :class:`~patrol.errors.PatrolError` (Chinese and English) naming every change
    a re-plan of ``old`` with ``scenario`` cannot follow (see :func:`store_mismatches`)."""
    lines = store_mismatches(old, scenario)
    if not lines:
        return
    head_zh, head_en = both("mismatch.head")
    fix_zh, fix_en = both("mismatch.fix")
    zh = "\n".join([head_zh, *(f"  - {z}" for z, _ in lines), fix_zh])
    en = "\n".join([head_en, *(f"  - {e}" for _, e in lines), fix_en])
    raise PatrolError(en, zh=zh)
