"""The roster: who can patrol, in which role, where, and when (the availability grammar).

:func:`validate_roster` turns the roster table into :class:`~patrol.scenario.model.Person`
records, reporting every row it cannot use; :func:`parse_availability` reads the
``available`` column (``"Mon-Fri day,night; Sat night"``, Chinese day names too) and
:func:`format_availability` writes it back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from patrol.errors import ProblemLog
from patrol.labels import label
from patrol.scenario.model import Person
from patrol.scenario.validate import SPECS, check_layer
from patrol.settings import Settings
from patrol.vocab import DAY_CODES, DAY_NAMES, POLICE_ROLES, ROLES

ROLE_ALIASES = {
    "民警": "officer",
    "辅警": "auxiliary",
    "网格员": "grid_worker",
    "志愿者": "volunteer",
    "干部": "cadre",
    "村居干部": "cadre",
    "五老": "elder",
    "红袖标": "red_armband",
    "警务助理": "police_assistant",
}


# --- availability ---------------------------------------------------------------------------

Availability = frozenset[tuple[int, str]]


def parse_availability(text: str | None, shift_names: tuple[str, ...]) -> Availability:
    """Parse ``"Mon-Fri day,night; Sat night"`` into {(weekday, shift), ...}.

    Days are English (``Mon``, ``Monday``) or Chinese (``周一``, ``星期一``), alone, as a
    range (``Mon-Fri``, ``周一-周五``, ``周一至周五``) or a comma list; shifts are names from
    the settings or ``all``. ``Mon-Sun`` wraps (``Fri-Mon`` is Fri, Sat, Sun, Mon). A clause
    with only days means all shifts; one with only shifts means every day. Empty text means
    always available. Raises ``ValueError`` with the offending part.
    """
    everything = frozenset((d, s) for d in range(7) for s in shift_names)
    if text is None or not str(text).strip():
        return everything
    result: set[tuple[int, str]] = set()
    for clause in re.split(r"[;；\n]", str(text)):
        # "Mon - Fri", "周一 至 周五": spaces around a range sign belong to the range
        clause = re.sub(r"\s*(-|–|~|至|到)\s*", r"\1", clause.strip())
        if not clause:
            continue
        parts = clause.split(None, 1)
        days: set[int] | None = _parse_days(parts[0])
        rest = parts[1] if len(parts) > 1 else ""
        if days is None:
            days, rest = set(range(7)), clause
        shifts = _parse_shift_list(rest, shift_names)
        result.update((d, s) for d in days for s in shifts)
    return frozenset(result)


def _parse_days(word: str) -> set[int] | None:
    days: set[int] = set()
    for item in re.split(r"[,，、]", word):
        item = item.strip().lower()
        if not item:
            continue
        m = re.fullmatch(r"(.+?)\s*(?:-|–|~|至|到)\s*(.+)", item)
        if m:
            a, b = DAY_NAMES.get(m.group(1)), DAY_NAMES.get(m.group(2))
            if a is None or b is None:
                return None
            d = a
            days.add(d)
            while d != b:
                d = (d + 1) % 7
                days.add(d)
        elif item in DAY_NAMES:
            days.add(DAY_NAMES[item])
        elif item in ("daily", "每天", "全周", "every"):
            days.update(range(7))
        else:
            return None
    return days or None


def _parse_shift_list(text: str, shift_names: tuple[str, ...]) -> set[str]:
    words = [w.strip() for w in re.split(r"[,，、\s]+", text) if w.strip()]
    if not words or any(w.lower() in ("all", "全部", "全天") for w in words):
        return set(shift_names)
    unknown = [w for w in words if w not in shift_names]
    if unknown:
        raise ValueError(f"unknown day or shift '{unknown[0]}'")
    return set(words)


def format_availability(available: Availability, shift_names: tuple[str, ...]) -> str:
    """Inverse of :func:`parse_availability`, one clause per day (for reports)."""
    clauses = []
    for d in range(7):
        names = [s for s in shift_names if (d, s) in available]
        if names:
            clauses.append(f"{DAY_CODES[d]} {','.join(names)}")
    return "; ".join(clauses)


# --- availability by date --------------------------------------------------------------------

_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_DATE_CLAUSE = re.compile(rf"^({_DATE})(?:\s*(?:\.\.|~|至|到)\s*({_DATE}))?(?:\s+(.*))?$")
_OFF_WORDS = ("off", "休", "休息", "请假", "缺勤")


@dataclass(frozen=True)
class Absence:
    """A person off from ``first`` to ``last`` (both included), in ``shifts`` (empty: every
    shift), for ``reason``."""

    person_id: str
    first: dt.date
    last: dt.date
    shifts: frozenset[str] = frozenset()
    reason: str = ""


def split_date_clauses(
    text: str | None, shift_names: tuple[str, ...], *, person_id: str = ""
) -> tuple[str, tuple[Absence, ...]]:
    """The weekday clauses of an ``available`` text and its date clauses as absences.

    A date clause is ``2026-12-02..2026-12-04 off`` (also ``~``, ``至``; one date alone;
    ``休``/``请假`` for ``off``), optionally naming shifts: ``2026-12-02 off night``.
    Raises ``ValueError`` naming a date clause that cannot be read.
    """
    if text is None or not str(text).strip():
        return "", ()
    kept: list[str] = []
    absences: list[Absence] = []
    for clause in re.split(r"[;；\n]", str(text)):
        m = _DATE_CLAUSE.match(clause.strip())
        if m is None:
            kept.append(clause)
            continue
        first, last = _read_date(m.group(1)), _read_date(m.group(2) or m.group(1))
        if last < first:
            raise ValueError(f"'{clause.strip()}' ends before it starts")
        words = (m.group(3) or "").split(None, 1)
        if not words or words[0].lower() not in _OFF_WORDS:
            raise ValueError(f"'{clause.strip()}' should say 'off' after the dates")
        shifts = _parse_shift_list(words[1], shift_names) if len(words) > 1 else set()
        absences.append(Absence(person_id, first, last, frozenset(shifts)))
    return ";".join(kept), tuple(absences)


def _read_date(text: str) -> dt.date:
    try:
        year, month, day = (int(x) for x in text.split("-"))
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a date") from exc


def absent_slots(
    absences: Iterable[Absence], days: Sequence[dt.date], shift_names: tuple[str, ...]
) -> frozenset[tuple[int, str]]:
    """The (weekday, shift) pairs of the planned week (``days``) the absences take away."""
    out: set[tuple[int, str]] = set()
    for a in absences:
        for day in days:
            if a.first <= day <= a.last:
                out.update((day.weekday(), s) for s in (a.shifts or shift_names))
    return frozenset(out)


def apply_absences(
    people: Sequence[Person],
    absences: Iterable[Absence],
    days: Sequence[dt.date],
    shift_names: tuple[str, ...],
) -> tuple[Person, ...]:
    """The people with the shifts of their absences in the week taken off their
    availability (a week has each weekday once, so a date is its weekday)."""
    import dataclasses

    by_person: dict[str, list[Absence]] = {}
    for a in absences:
        by_person.setdefault(a.person_id, []).append(a)
    return tuple(
        dataclasses.replace(
            p, available=p.available - absent_slots(by_person[p.person_id], days, shift_names)
        )
        if p.person_id in by_person
        else p
        for p in people
    )


def read_availability(
    text: str | None, shift_names: tuple[str, ...], days: Sequence[dt.date]
) -> Availability:
    """An ``available`` text with weekday and date clauses, as the week's availability."""
    weekly, dated = split_date_clauses(text, shift_names)
    available = parse_availability(weekly if weekly.strip() else None, shift_names)
    return available - absent_slots(dated, days, shift_names)


def validate_absences(
    frame: Any,
    *,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    people: Sequence[Person],
) -> tuple[Absence, ...]:
    """The absences table (``person``, ``from``, ``to``, ``reason``) as :class:`Absence`
    records; rows naming nobody of the roster, without a readable date, or ending before
    they start are reported (zh and en) and left out."""
    if frame is None:
        return ()
    df = check_layer(frame, SPECS["absences"], file=file, plog=plog, settings=settings)
    if df is None:
        return ()
    known = {p.person_id for p in people} | {p.name for p in people}
    id_of = {p.name: p.person_id for p in people} | {p.person_id: p.person_id for p in people}
    out: list[Absence] = []
    for number, row in zip(df.index, df.to_dict("records"), strict=True):
        where = f"row {number}"
        who, first = row["person"], row["from"]
        last = row["to"] or first
        if who not in known:
            plog.error(
                file,
                f"person '{who}' is not in the roster.",
                "Use a person_id (or name) of the roster.",
                feature=where,
                field="person",
                zh=(f"缺勤人员“{who}”不在人员名单中。", "请填写人员名单中的 person_id 或姓名。"),
            )
        elif first is None:
            continue  # reported by the date check
        elif last < first:
            plog.error(
                file,
                f"ends ({last}) before it starts ({first}).",
                "Swap 'from' and 'to'.",
                feature=where,
                field="to",
                zh=(f"结束日期 {last} 早于开始日期 {first}。", "请交换 from 与 to。"),
            )
        else:
            out.append(Absence(id_of[who], first, last, frozenset(), row["reason"] or ""))
    return tuple(out)


# --- the roster -----------------------------------------------------------------------------

_REASONS_ZH = (
    (re.compile(r"unknown day or shift '(.*)'"), "无法识别的日期或班次“{}”"),
    (re.compile(r"'(.*)' ends before it starts"), "“{}”结束早于开始"),
    (re.compile(r"'(.*)' should say 'off' after the dates"), "“{}”的日期后面应写“休”或 off"),
    (re.compile(r"'(.*)' is not a date"), "“{}”不是日期"),
)


def _reason_zh(exc: ValueError) -> str:
    """The availability parser's reason in Chinese (its ``ValueError`` text is English)."""
    for pattern, text in _REASONS_ZH:
        m = pattern.fullmatch(str(exc))
        if m:
            return text.format(m.group(1))
    return "格式有误"


def validate_roster(
    frame: Any,
    *,
    file: str,
    plog: ProblemLog,
    settings: Settings,
    grids: gpd.GeoDataFrame,
    known_grids: set[str] | None = None,
    known_beats: set[str] | None = None,
) -> tuple[Person, ...]:
    """The people of the roster; rows with an unknown role or unreadable availability are
    reported and left out, and beats without police or grids without a grid worker warned.

    ``known_grids``/``known_beats`` are the ids the grids layer declares (None: the layer
    has no ids, references are not checked).
    """
    df = (
        None
        if frame is None
        else check_layer(frame, SPECS["roster"], file=file, plog=plog, settings=settings)
    )
    if df is None:
        return ()
    beat_of = dict(zip(grids["grid_id"], grids["beat_id"], strict=True))
    shift_names = tuple(s.name for s in settings.shifts)
    people: list[Person] = []
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in df.to_dict("records")
    ]
    for number, row in zip(df.index, records, strict=True):
        where = f"person_id={row['person_id']}" if row["person_id"] else f"row {number}"
        person = _person_from_row(
            row,
            where,
            file=file,
            plog=plog,
            shift_names=shift_names,
            beat_of=beat_of,
            known=(known_grids, known_beats),
            days=settings.days,
        )
        if person is not None:
            people.append(person)
    _warn_uncovered(people, beat_of, file=file, plog=plog)
    warn_narrow_availability(people, settings, file=file, plog=plog)
    return tuple(people)


def warn_narrow_availability(
    people: list[Person], settings: Settings, *, file: str, plog: ProblemLog
) -> None:
    """Warn when the roster's availability leaves (almost) the whole week without teams.

    A team needs police and others on duty together: shifts of the week where no police
    member, or nobody else, is available cannot be patrolled at all. A warning, because
    the data may be right (a quiet week), but a typo in ``available`` looks the same.
    """
    slots = [(day.weekday(), s.name) for day in settings.days for s in settings.shifts]
    police = {k for p in people if p.is_police for k in p.available}
    others = {k for p in people if not p.is_police for k in p.available}
    open_slots = [k for k in slots if k in police and k in others]
    if people and len(open_slots) <= max(1, len(slots) // 7):
        plog.warn(
            file,
            f"the availability leaves only {len(open_slots)} of the week's {len(slots)} "
            "shifts with both police and others on duty: the other shifts get no team.",
            "Check the 'available' column (e.g. 'Mon-Fri day,night'; empty means always).",
            field="available",
            zh=(
                f"按可用时间，一周 {len(slots)} 个班次中只有 {len(open_slots)} 个同时有民警（辅警）"
                "和其他人员在岗：其余班次组不成巡逻队。",
                "请检查“available”列（如“周一-周五 day,night”；留空表示随时可用）。",
            ),
        )


def _person_from_row(
    row: dict[str, Any],
    where: str,
    *,
    file: str,
    plog: ProblemLog,
    shift_names: tuple[str, ...],
    beat_of: dict[str, str],
    known: tuple[set[str] | None, set[str] | None],
    days: Sequence[dt.date] = (),
) -> Person | None:
    """One roster row as a :class:`Person`, or None (reported) when it cannot be used."""
    role = ROLE_ALIASES.get(row["role"] or "", (row["role"] or "").lower())
    if role not in ROLES:
        plog.error(
            file,
            f"role '{row['role']}' is unknown.",
            f"Use one of {', '.join(ROLES)}.",
            feature=where,
            field="role",
            zh=(
                f"角色“{row['role']}”无法识别。",
                f"请使用以下之一：{'、'.join(label('role.' + r) for r in ROLES)}。",
            ),
        )
        return None
    _check_row_places(row, role, where, file=file, plog=plog, known=known)
    try:
        available = read_availability(row["available"], shift_names, days)
    except ValueError as exc:
        plog.error(
            file,
            f"availability '{row['available']}' cannot be read: {exc}.",
            "Write e.g. 'Mon-Fri day,night; Sat night' using the shift names "
            f"{', '.join(shift_names)} (days Mon..Sun or 周一..周日); dates as "
            "'2026-12-02..2026-12-04 off'.",
            feature=where,
            field="available",
            zh=(
                f"可用时间“{row['available']}”无法读取：{_reason_zh(exc)}。",
                "请写成如“周一-周五 day,night; 周六 night”，班次名用 "
                f"{'、'.join(shift_names)}（日期写周一..周日或 Mon..Sun）；"
                "按日期请假写成“2026-12-02..2026-12-04 休”。",
            ),
        )
        return None
    beat = row["beat_id"] or (
        beat_of.get(row["grid_id"]) if role == "grid_worker" and row["grid_id"] else None
    )
    return Person(
        person_id=str(row["person_id"]),
        name=row["name"] or str(row["person_id"]),
        role=role,
        beat_id=beat,
        grid_id=row["grid_id"],
        available=available,
        max_shifts_per_week=int(row["max_shifts_per_week"]),
        phone=row["phone"] or "",
    )


def _check_row_places(
    row: dict[str, Any],
    role: str,
    where: str,
    *,
    file: str,
    plog: ProblemLog,
    known: tuple[set[str] | None, set[str] | None],
) -> None:
    """A person's beat and grid must exist; police want a beat, grid workers a grid."""
    known_grids, known_beats = known
    checks = (
        (
            "beat_id",
            known_beats,
            ("beat '{}', which no grid belongs to", "Correct the beat_id or leave it empty."),
            ("警格“{}”，但没有网格属于这个警格。", "请改正 beat_id，或留空。"),
        ),
        (
            "grid_id",
            known_grids,
            (
                "grid '{}', which is not in the grids layer",
                "Correct the grid_id (a grid worker's own grid).",
            ),
            ("网格“{}”，但网格图层中没有它。", "请改正 grid_id（网格员所在的网格）。"),
        ),
    )
    for column, ids, (what, fix), (what_zh, fix_zh) in checks:
        if row[column] and ids is not None and row[column] not in ids:
            plog.error(
                file,
                f"refers to {what.format(row[column])}.",
                fix,
                feature=where,
                field=column,
                zh=(f"填写的是{what_zh.format(row[column])}", fix_zh),
            )
    if role in POLICE_ROLES and not row["beat_id"]:
        plog.warn(
            file,
            f"{role} has no beat_id; they can join a team on any beat.",
            "Give police their beat (警格) so teams stay on their own ground.",
            feature=where,
            field="beat_id",
            zh=(
                f"{label('role.' + role)}没有 beat_id，可以加入任何警格的巡逻队。",
                "请给民警、辅警填写所属警格，使巡逻队留在本警格。",
            ),
        )
    if role == "grid_worker" and not row["grid_id"]:
        plog.warn(
            file,
            "grid worker has no grid_id.",
            "Give each grid worker their own grid.",
            feature=where,
            field="grid_id",
            zh=("网格员没有 grid_id。", "请给每位网格员填写所属网格。"),
        )


def _warn_uncovered(
    people: list[Person], beat_of: dict[str, str], *, file: str, plog: ProblemLog
) -> None:
    """Warn of beats no police can patrol and grids without their grid worker."""
    police_beats = {p.beat_id for p in people if p.is_police}
    any_beat_police = any(p.is_police and p.beat_id is None for p in people)
    for beat in sorted(set(beat_of.values())):
        if beat not in police_beats and not any_beat_police:
            plog.warn(
                file,
                f"beat {beat} has no officer or auxiliary: no team can patrol it.",
                f"Add an officer or auxiliary with beat_id {beat}.",
                feature=f"beat_id={beat}",
                zh=(
                    f"警格 {beat} 没有民警或辅警：没有巡逻队能巡这个警格。",
                    f"请添加一名 beat_id 为 {beat} 的民警或辅警。",
                ),
            )
    worker_grids = {p.grid_id for p in people if p.role == "grid_worker"}
    for grid in sorted(beat_of):
        if grid not in worker_grids:
            plog.warn(
                file,
                f"grid {grid} has no grid worker.",
                f"Add a grid_worker with grid_id {grid}.",
                feature=f"grid_id={grid}",
                zh=(f"网格 {grid} 没有网格员。", f"请添加一名 grid_id 为 {grid} 的网格员。"),
            )
