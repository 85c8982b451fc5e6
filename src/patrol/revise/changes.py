"""What a re-plan changed: teams, tasks moved and why, tasks newly unserved.

:func:`list_changes` compares the saved plan with the re-plan from the first re-planned
slot on and gives one :class:`Change` a line: a team whose members changed (with the
re-plan's reason: who is absent, who stands in), a task now on another team or shift (and
why: its team was cancelled, it no longer fitted), a task newly unserved (with its
reason) or newly served. :func:`kept_figures` measures how little changed (the figures of
the issue's "sick officer" test); :func:`changed_routes` names the team-shifts whose
sheets must be printed again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patrol.labels import shift_label
from patrol.revise.labels import both, text

if TYPE_CHECKING:
    from pathlib import Path

    from patrol.plan import Plan, TeamRoute
    from patrol.scenario.model import ShiftSlot


@dataclass(frozen=True)
class Change:
    """One change: ``kind`` (team, task_moved, newly_unserved, newly_served), the team or
    task, its date and shift, before and after, and why (Chinese, English)."""

    kind: str
    what: str
    date: str
    shift: str
    team: str
    before: str
    after: str
    why_zh: str
    why_en: str


def _tasks_of(plan: Plan) -> dict[str, list[str]]:
    """Team id -> its task ids in route order."""
    return {r.team.team_id: [s.task_id for s in r.stops if s.kind != "post"] for r in plan.routes}


def _team_of(plan: Plan) -> dict[str, TeamRoute]:
    """Task id -> the route that carries it."""
    return {s.task_id: r for r in plan.routes for s in r.stops if s.kind != "post"}


def _members(route_or_team: object) -> tuple[str, ...]:
    team = getattr(route_or_team, "team", route_or_team)
    return tuple(sorted(p.person_id for p in team.members))  # type: ignore[attr-defined]


def _names(team: object) -> str:
    return "、".join(p.name for p in team.members)  # type: ignore[attr-defined]


def list_changes(
    old: Plan,
    new: Plan,
    *,
    first: ShiftSlot,
    team_why: Mapping[str, tuple[str, str]] | None = None,
) -> list[Change]:
    """Every change of ``new`` against ``old`` from slot ``first`` on (see the module
    docstring), teams first, then tasks, in time order."""
    why = team_why or {}
    changes = _team_changes(old, new, first, why)
    changes += _task_changes(old, new, first, why)
    return changes


def _team_changes(
    old: Plan, new: Plan, first: ShiftSlot, why: Mapping[str, tuple[str, str]]
) -> list[Change]:
    new_teams = {t.team_id: t for t in new.team_plan.teams}
    out = []
    for team in sorted(old.team_plan.teams, key=lambda t: (t.slot.start, t.team_id)):
        if team.slot.start < first.start:
            continue
        after = new_teams.get(team.team_id)
        if after is not None and _members(after) == _members(team):
            continue
        zh, en = why.get(team.team_id, both("why.team_gone"))
        out.append(
            Change(
                "team", team.team_id, team.slot.date.isoformat(), team.slot.shift,
                team.team_id, _names(team), _names(after) if after else "", zh, en,
            )
        )  # fmt: skip
    return out


def _task_changes(
    old: Plan, new: Plan, first: ShiftSlot, why: Mapping[str, tuple[str, str]]
) -> list[Change]:
    was, now = _team_of(old), _team_of(new)
    old_unserved = {u.task.task_id for u in old.unserved}
    reasons = {u.task.task_id: u for u in new.unserved}
    out = []
    ids = sorted(set(was) | set(now) | set(reasons))
    for tid in ids:
        a, b = was.get(tid), now.get(tid)
        if a is not None and a.team.slot.start < first.start:
            continue  # done before the cut
        if a is not None and b is not None:
            if a.team.team_id == b.team.team_id:
                continue
            zh, en = both("why.team_gone") if a.team.team_id in why else both("why.moved")
            out.append(_task_change("task_moved", tid, a, b, zh, en))
        elif a is not None:
            u = reasons.get(tid)
            zh, en = (u.reason_zh, u.reason_en) if u is not None else both("why.no_longer")
            zh = text("why.newly_unserved", "zh", reason=zh)
            en = text("why.newly_unserved", "en", reason=en)
            out.append(_task_change("newly_unserved", tid, a, None, zh, en))
        elif b is not None:
            zh, en = both("why.new_task") if tid not in old_unserved else both("why.moved")
            out.append(_task_change("newly_served", tid, None, b, zh, en))
    return sorted(out, key=lambda c: (c.date, c.shift, c.what))


def _task_change(
    kind: str, tid: str, a: TeamRoute | None, b: TeamRoute | None, zh: str, en: str
) -> Change:
    where = b or a
    assert where is not None
    slot = where.team.slot
    return Change(
        kind, tid, slot.date.isoformat(), slot.shift, where.team.team_id,
        a.team.team_id if a else "",
        b.team.team_id if b else "",
        zh, en,
    )  # fmt: skip


def changed_routes(old: Plan, new: Plan) -> list[TeamRoute]:
    """The new plan's routes whose sheet differs from the saved one: new teams, other
    members, other stops or times."""
    before = {r.team.team_id: _sheet_key(r) for r in old.routes}
    return [r for r in new.routes if before.get(r.team.team_id) != _sheet_key(r)]


def _sheet_key(route: TeamRoute) -> tuple[object, ...]:
    stops = tuple((s.task_id, s.arrive, s.depart) for s in route.stops)
    return (_members(route), route.post_id, stops)


def kept_figures(
    old: Plan, new: Plan, *, first: ShiftSlot, without: Iterable[str] = ()
) -> dict[str, float]:
    """How little changed: ``before_unchanged`` (share of the team-shifts before the cut
    that are identical), and over the later team-shifts of ``old`` that did not include
    anyone of ``without``: ``same_members`` (share with the same members), ``tasks_kept``
    (share of their tasks still on that team) and ``kept`` (share with the same members
    and at least 80% of their tasks)."""
    gone = set(without)
    new_by_id = {r.team.team_id: r for r in new.routes}
    old_tasks, new_tasks = _tasks_of(old), _tasks_of(new)
    early = [r for r in old.routes if r.team.slot.start < first.start]
    same_early = sum(
        1 for r in early if (n := new_by_id.get(r.team.team_id)) and _sheet_key(n) == _sheet_key(r)
    )
    later = [
        r for r in old.routes if r.team.slot.start >= first.start and not gone & set(_members(r))
    ]
    same_members = kept = 0
    tasks_total = tasks_kept = 0
    for r in later:
        tid = r.team.team_id
        n = new_by_id.get(tid)
        mine = set(old_tasks.get(tid, []))
        still = len(mine & set(new_tasks.get(tid, []))) if n else 0
        tasks_total += len(mine)
        tasks_kept += still
        if n is not None and _members(n) == _members(r):
            same_members += 1
            kept += still >= 0.8 * len(mine)
    return {
        "before_team_shifts": float(len(early)),
        "before_unchanged": same_early / len(early) if early else 1.0,
        "later_team_shifts": float(len(later)),
        "same_members": same_members / len(later) if later else 1.0,
        "tasks_kept": tasks_kept / tasks_total if tasks_total else 1.0,
        "kept": kept / len(later) if later else 1.0,
    }


def changes_table(changes: Iterable[Change], *, lang: str = "zh") -> list[dict[str, str]]:
    """The changes as rows with headers and kinds in ``lang``."""
    rows = []
    for c in changes:
        row = dataclasses.asdict(c)
        why = row.pop("why_zh") if lang == "zh" else row.pop("why_en")
        row.pop("why_en", None)
        row.pop("why_zh", None)
        row["kind"] = text(f"change.{c.kind}", lang)
        row["shift"] = shift_label(c.shift, lang)
        row["why"] = why
        rows.append({text(f"col.{_COLS[k]}", lang): v for k, v in row.items()})
    return rows


_COLS = {
    "kind": "change",
    "what": "what",
    "date": "date",
    "shift": "shift",
    "team": "team",
    "before": "before",
    "after": "after",
    "why": "why",
}


def write_changes(changes: Iterable[Change], target: Path, *, lang: str = "zh") -> Path:
    """The changes as a CSV (UTF-8 with BOM, headers in ``lang``), written atomically."""
    import pandas as pd

    from patrol.atomic import write_csv

    columns = [text(f"col.{c}", lang) for c in _COLS.values()]
    frame = pd.DataFrame(changes_table(changes, lang=lang), columns=columns)
    write_csv(target, frame)
    return target
