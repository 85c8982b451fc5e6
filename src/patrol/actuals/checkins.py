"""Reading check-ins: the filled-in check-in sheet (xlsx or CSV) and patrol apps' logs.

Two forms are told apart by their headers:

- **the sheet** (:mod:`patrol.actuals.workbook`, either language): team id, stop number,
  arrival time, done yes/no, note; rows left blank are not check-ins;
- **an app log**: person or team, time, and lon/lat or a check-in point id (a task id
  or target id of the plan, such as a household id). A log entry counts for the nearest
  planned stop of the person's team-shift within :data:`PLACE_RADIUS_M`.

Every bad row becomes one :class:`~patrol.errors.Problem` naming the file, the row, what
is wrong and how to fix it (unknown team, time outside the week, duplicate check-in,
unreadable file, ...); the reader collects them all and never raises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from patrol.actuals.duty import Duty, duty_of
from patrol.actuals.files import (
    Unreadable,
    canonical_columns,
    lonlat_to_xy,
    parse_time,
    read_table_file,
)
from patrol.actuals.labels import problem
from patrol.errors import Problem

if TYPE_CHECKING:
    from patrol.plan import Plan

__all__ = ["CHECKIN_FIELDS", "PLACE_RADIUS_M", "read_checkins"]

CHECKIN_FIELDS = (
    "team_id",
    "date",
    "shift",
    "seq",
    "task_id",
    "target_id",
    "person_id",
    "time",
    "done",
    "note",
    "source",
    "row",
)
"""The columns of the check-ins read (and of the store's ``actual_checkins`` layer)."""

PLACE_RADIUS_M = 100.0
"""An app check-in by place counts for a planned stop at most this far away."""

_YES = {"是", "yes", "y", "1", "true", "√", "✓", "完成", "已完成", "done", "x"}
_NO = {"否", "no", "n", "0", "false", "×", "✗", "未完成", "missed"}


@dataclass
class _Reading:
    """What the files gave so far: rows, problems, and where each stop was checked in."""

    duty: Duty
    plan: Plan
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: dict[tuple[Any, ...], str] = field(default_factory=dict)

    def add(self, key: tuple[Any, ...], where: str, team: str, seq: object) -> bool:
        """Note a check-in under ``key``; a duplicate is a problem (False)."""
        if key in self.seen:
            file, _, row = where.partition("#")
            self.problems.append(
                problem(file, "duplicate", row=row, team=team, seq=seq, other=self.seen[key])
            )
            return False
        self.seen[key] = where.replace("#", " row ")
        return True


def _done(value: Any) -> bool | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(word)


def _row_base(reading: _Reading, team_id: str, seq: int) -> dict[str, Any]:
    stop = reading.duty.stops(team_id)[seq]
    slot = reading.duty.routes[team_id].team.slot
    return {
        "team_id": team_id,
        "date": slot.date.isoformat(),
        "shift": slot.shift,
        "seq": seq,
        "task_id": stop.task_id,
        "target_id": stop.target_id,
    }


def _sheet_time(value: Any, team_id: str, reading: _Reading) -> dt.datetime | None:
    """An arrival time from the sheet: a time of day falls in the team-shift (a night
    shift's small hours on the next day)."""
    slot = reading.duty.routes[team_id].team.slot
    when = parse_time(value, day=slot.date)
    if when is not None and when < slot.start - dt.timedelta(hours=6):
        when += dt.timedelta(days=1)
    return when


def _sheet_row(reading: _Reading, file: str, row: int, cells: dict[str, Any]) -> None:
    team_id = str(cells.get("team_id") or "").strip()
    arrive, done_cell, note = cells.get("arrive"), cells.get("done"), cells.get("note")
    if all(v is None or (isinstance(v, float) and np.isnan(v)) for v in (arrive, done_cell)):
        return  # a stop nobody filled in: no check-in
    if team_id not in reading.duty.routes:
        reading.problems.append(problem(file, "unknown_team", row=row, who=team_id))
        return
    try:
        seq = int(float(str(cells.get("seq"))))
        reading.duty.stops(team_id)[seq]
    except (KeyError, ValueError):
        reading.problems.append(
            problem(file, "unknown_stop", row=row, team=team_id, seq=cells.get("seq"))
        )
        return
    try:
        when = _sheet_time(arrive, team_id, reading)
    except ValueError:
        reading.problems.append(problem(file, "bad_time", row=row, value=arrive))
        return
    try:
        done = _done(done_cell)
    except ValueError:
        reading.problems.append(problem(file, "bad_done", row=row, value=done_cell))
        return
    if when is not None and not reading.duty.in_week(when):
        reading.problems.append(_outside_week(reading, file, row, when))
        return
    if not reading.add((team_id, seq), f"{file}#{row}", team_id, seq):
        return
    reading.rows.append(
        {
            **_row_base(reading, team_id, seq),
            "person_id": "",
            "time": when,
            "done": bool(done) if done is not None else when is not None,
            "note": "" if note is None or note != note else str(note),
            "source": file,
            "row": row,
        }
    )


def _outside_week(reading: _Reading, file: str, row: int | str, when: dt.datetime) -> Problem:
    return problem(
        file,
        "outside_week",
        row=row,
        time=when.strftime("%Y-%m-%d %H:%M"),
        start=reading.duty.week_start.strftime("%Y-%m-%d"),
        end=reading.duty.week_end.strftime("%Y-%m-%d %H:%M"),
    )


def _log_stop(
    reading: _Reading, team_id: str, cells: dict[str, Any], xy: np.ndarray | None
) -> int | None:
    """The planned stop of ``team_id`` a log entry is for: by point id, else the nearest
    within :data:`PLACE_RADIUS_M` of ``xy``."""
    stops = reading.duty.stops(team_id)
    point = cells.get("point_id")
    if point is not None and str(point).strip():
        name = str(point).strip()
        return next((k for k, s in stops.items() if name in (s.task_id, s.target_id)), None)
    if xy is None or not stops:
        return None
    seqs = list(stops)
    where = np.array([stops[k].point.coords[0] for k in seqs])
    dist = np.hypot(*(where - xy).T)
    best = int(np.argmin(dist))
    return seqs[best] if dist[best] <= PLACE_RADIUS_M else None


def _known_point(plan: Plan, name: str) -> bool:
    return any(name in (s.task_id, s.target_id) for r in plan.routes for s in r.stops) or any(
        name in (t.task_id, t.target_id) for t in plan.demand.tasks
    )


def _log_place(
    reading: _Reading, file: str, row: int, cells: dict[str, Any]
) -> tuple[bool, np.ndarray | None]:
    """Check the entry's place: (usable, its metres or None for a point id)."""
    point = cells.get("point_id")
    if point is not None and str(point).strip():
        if not _known_point(reading.plan, str(point).strip()):
            reading.problems.append(problem(file, "unknown_point", row=row, point=point))
            return False, None
        return True, None
    try:
        lon, lat = float(str(cells.get("lon"))), float(str(cells.get("lat")))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError
    except ValueError:
        value = f"{cells.get('lon')}, {cells.get('lat')}"
        reading.problems.append(problem(file, "bad_lonlat", row=row, value=value))
        return False, None
    gcj = reading.plan.scenario.settings.input_crs == "GCJ-02"
    xy = lonlat_to_xy(np.array([lon]), np.array([lat]), crs=reading.plan.scenario.crs, gcj02=gcj)
    return True, xy[0]


def _log_row(reading: _Reading, file: str, row: int, cells: dict[str, Any]) -> None:
    who = str(cells.get("team_id") or cells.get("person_id") or "").strip()
    if not reading.duty.known(who):
        reading.problems.append(problem(file, "unknown_team", row=row, who=who))
        return
    try:
        when = parse_time(cells.get("time"))
    except ValueError:
        reading.problems.append(problem(file, "bad_time", row=row, value=cells.get("time")))
        return
    if when is None:
        reading.problems.append(problem(file, "bad_time", row=row, value=""))
        return
    if not reading.duty.in_week(when):
        reading.problems.append(_outside_week(reading, file, row, when))
        return
    usable, xy = _log_place(reading, file, row, cells)
    if not usable:
        return
    key = (who, when, str(cells.get("point_id")), str(cells.get("lon")), str(cells.get("lat")))
    if not reading.add(key, f"{file}#{row}", who, when.strftime("%H:%M")):
        return
    team_id = reading.duty.team_at(who, when)
    seq = _log_stop(reading, team_id, cells, xy) if team_id else None
    if team_id is None or seq is None:
        reading.problems.append(
            problem(
                file,
                "unplaced",
                row=row,
                severity="warning",
                who=who,
                time=when.strftime("%m-%d %H:%M"),
                radius_m=int(PLACE_RADIUS_M),
            )
        )
        return
    reading.rows.append(
        {
            **_row_base(reading, team_id, seq),
            "person_id": who if who not in reading.duty.routes else "",
            "time": when,
            "done": True,
            "note": "",
            "source": file,
            "row": row,
        }
    )


def _read_file(reading: _Reading, path: Path) -> None:
    file = path.name
    try:
        frame = canonical_columns(read_table_file(path))
    except (Unreadable, OSError) as exc:
        reading.problems.append(problem(file, "unreadable", reason=exc))
        return
    cols = set(frame.columns)
    if {"team_id", "seq"} <= cols:
        handle = _sheet_row
    elif (
        "time" in cols
        and ({"lon", "lat"} <= cols or "point_id" in cols)
        and (cols & {"team_id", "person_id"})
    ):
        handle = _log_row
    else:
        need = "小队编号/team id, 序号/stop no., 实到时间/arrival time"
        reading.problems.append(problem(file, "columns", columns=need))
        return
    for k, cells in enumerate(frame.to_dict("records"), start=1):
        handle(reading, file, k, {str(c): v for c, v in cells.items()})


def read_checkins(
    paths: list[Path] | list[str], *, plan: Plan
) -> tuple[pd.DataFrame, list[Problem]]:
    """The check-ins of ``paths`` for ``plan``: one row per stop checked in (the first
    when several members checked in at one stop), columns :data:`CHECKIN_FIELDS`, and
    every problem found (errors and warnings), in file and row order."""
    reading = _Reading(duty_of(plan), plan)
    for path in paths:
        _read_file(reading, Path(path))
    frame = pd.DataFrame(reading.rows, columns=list(CHECKIN_FIELDS))
    if len(frame):
        frame["time"] = pd.to_datetime(frame["time"])
        frame = frame.sort_values(["team_id", "seq", "time"], kind="stable")
        frame = frame.drop_duplicates(["team_id", "seq"], keep="first").reset_index(drop=True)
    return frame, reading.problems
