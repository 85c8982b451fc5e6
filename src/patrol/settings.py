"""Settings of a scenario (``patrol.toml``): the week, its shifts and the planning rules.

Every setting has a default, so an empty ``patrol.toml`` works. Unknown keys are errors
(a typo silently ignored is a plan built on the wrong rule). Shifts may cross midnight:
a night shift ``20:00``–``02:00`` ends on the next day.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from patrol.errors import ProblemLog
from patrol.vocab import (
    DAY_CODES,
    DAY_NAMES,
    INPUT_CRS_CHOICES,
    NIGHT_BAND_H,
    RISK_LEVELS,
    TRAVEL_SPEEDS_KMH,
)


@dataclass(frozen=True)
class Shift:
    """A named time window repeated every day of the week, e.g. night 19:00–22:00."""

    name: str
    start: dt.time
    end: dt.time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def duration_s(self) -> int:
        start = self.start.hour * 3600 + self.start.minute * 60
        end = self.end.hour * 3600 + self.end.minute * 60
        return end - start if end > start else end + 86400 - start

    @property
    def start_s(self) -> int:
        """Seconds after midnight of the shift's own day when it starts."""
        return self.start.hour * 3600 + self.start.minute * 60

    @property
    def is_night(self) -> bool:
        """A shift is a night shift when any part of it lies in the night band
        (:data:`patrol.vocab.NIGHT_BAND_H`, 19:00-06:00)."""
        start = self.start_s
        end = start + self.duration_s
        evening, morning = NIGHT_BAND_H
        return end > evening * 3600 or start < morning * 3600

    def window_on(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as local datetimes when the shift is worked on ``day``."""
        start = dt.datetime.combine(day, self.start)
        return start, start + dt.timedelta(seconds=self.duration_s)

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class TravelSettings:
    """How teams move: mode and speed; the fallback without a street layer."""

    mode: str = "walk"
    speed_kmh: float | None = None
    detour_factor: float = 1.3
    snap_tolerance_m: float = 1.0
    max_snap_distance_m: float = 150.0

    @property
    def speed_mps(self) -> float:
        kmh = self.speed_kmh if self.speed_kmh is not None else TRAVEL_SPEEDS_KMH[self.mode]
        return kmh / 3.6


@dataclass(frozen=True)
class DemandSettings:
    """How risk, incidents and schedules become the week's tasks."""

    sweeps_per_week: dict[str, int] = field(
        default_factory=lambda: {"green": 2, "yellow": 3, "orange": 5, "red": 7}
    )
    night_sweeps_min: dict[str, int] = field(
        default_factory=lambda: {"green": 0, "yellow": 0, "orange": 1, "red": 2}
    )
    incident_lookback_days: int = 90
    incidents_per_extra_sweep: int = 6
    max_extra_sweeps: int = 3
    sweep_dwell_min: float = 5.0
    max_sweep_length_m: float = 2500.0
    sweep_scope: str = "residential"
    sweep_radius_m: float = 80.0
    hotspot_radius_m: float = 60.0
    hotspot_min_incidents: int = 4
    hotspot_dwell_min: float = 15.0
    hotspot_stops_per_week: int = 3
    visit_min: float = 20.0


@dataclass(frozen=True)
class TeamSettings:
    """Rules for forming 1+1+N teams."""

    min_others: int = 1
    max_shifts_per_week: int = 5
    rest_after_night: bool = True
    time_limit_s: float = 10.0


@dataclass(frozen=True)
class CoverageSettings:
    """Distances used when measuring coverage."""

    radius_m: float = 50.0
    camera_range_m: float = 30.0


@dataclass(frozen=True)
class Settings:
    """Everything ``patrol.toml`` can say, with defaults."""

    station: str = "派出所"
    week_start: dt.date = field(default_factory=lambda: _next_monday(dt.date.today()))
    language: str = "zh"
    input_crs: str = "EPSG:4326"
    seed: int = 0
    shifts: tuple[Shift, ...] = (
        Shift("day", dt.time(9), dt.time(12)),
        Shift("afternoon", dt.time(14), dt.time(17)),
        Shift("night", dt.time(19), dt.time(22)),
    )
    travel: TravelSettings = field(default_factory=TravelSettings)
    demand: DemandSettings = field(default_factory=DemandSettings)
    teams: TeamSettings = field(default_factory=TeamSettings)
    coverage: CoverageSettings = field(default_factory=CoverageSettings)

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.week_start + dt.timedelta(days=i) for i in range(7))

    def shift(self, name: str) -> Shift:
        for s in self.shifts:
            if s.name == name:
                return s
        raise KeyError(name)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (``settings.replace(language="en")``)."""
        return replace(self, **changes)


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


_SECTIONS: dict[str, type] = {
    "travel": TravelSettings,
    "demand": DemandSettings,
    "teams": TeamSettings,
    "coverage": CoverageSettings,
}


def read_settings(path: str | Path | None, *, log: ProblemLog | None = None) -> Settings:
    """Read ``patrol.toml``; a missing file gives the defaults.

    Problems are added to ``log`` when given (so the scenario loader reports them with the
    rest), otherwise raised at once as :class:`InputError`.
    """
    own_log = log is None
    log = log or ProblemLog()
    if path is None or not Path(path).exists():
        return Settings()
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        log.error(name, "is not UTF-8 text.", "Save patrol.toml as UTF-8.")
        if own_log:
            log.raise_if_errors()
        return Settings()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        log.error(
            name,
            f"is not valid TOML: {exc}.",
            "Check the quoting and brackets on that line; strings need double quotes.",
        )
        if own_log:
            log.raise_if_errors()
        return Settings()
    settings = settings_from_dict(raw, file=name, log=log)
    if own_log:
        log.raise_if_errors()
    return settings


def settings_from_dict(
    raw: dict[str, Any], *, file: str = "patrol.toml", log: ProblemLog | None = None
) -> Settings:
    """Build :class:`Settings` from a parsed TOML table, checking every key."""
    own_log = log is None
    log = log or ProblemLog()
    top = {f.name for f in fields(Settings)}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in top:
            log.error(
                file,
                f"unknown setting '{key}'.",
                f"Remove it or use one of: {', '.join(sorted(top))}.",
                field=key,
            )
            continue
        if key == "shifts":
            shifts = _parse_shifts(value, file, log)
            if shifts:
                kwargs["shifts"] = shifts
        elif key in _SECTIONS:
            section = _parse_section(key, value, file, log)
            if section is not None:
                kwargs[key] = section
        elif key == "week_start":
            day = _parse_date(value)
            if day is None:
                log.error(
                    file,
                    f"week_start '{value}' is not a date.",
                    'Write it as "YYYY-MM-DD", e.g. week_start = "2026-11-30".',
                    field=key,
                )
            else:
                if day.weekday() != 0:
                    log.warn(
                        file,
                        f"week_start {day} is a {DAY_CODES[day.weekday()]}, "
                        "not a Monday; the week runs from that day.",
                        "Use the Monday the plan starts.",
                        field=key,
                    )
                kwargs[key] = day
        elif key == "language":
            if value not in ("zh", "en"):
                log.error(
                    file,
                    f"language '{value}' is not supported.",
                    'Use "zh" (Chinese) or "en" (English).',
                    field=key,
                )
            else:
                kwargs[key] = value
        elif key == "input_crs":
            crs = str(value).upper().replace("GCJ02", "GCJ-02")
            if crs in ("WGS84", "WGS 84", "4326"):
                crs = "EPSG:4326"
            if crs in ("CGCS2000", "4490"):
                crs = "EPSG:4490"
            if crs not in INPUT_CRS_CHOICES:
                log.error(
                    file,
                    f"input_crs '{value}' is not supported.",
                    f"Use one of {', '.join(INPUT_CRS_CHOICES)}.",
                    field=key,
                )
            else:
                kwargs[key] = crs
        elif key == "seed":
            if not isinstance(value, int):
                log.error(
                    file, f"seed '{value}' is not an integer.", "Write e.g. seed = 0.", field=key
                )
            else:
                kwargs[key] = value
        else:
            kwargs[key] = str(value)
    settings = Settings(**kwargs)
    if own_log:
        log.raise_if_errors()
    return settings


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    m = re.fullmatch(r"\s*(\d{1,2})[:：](\d{2})\s*", str(value))
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour == 24 and minute == 0:
        return dt.time(0, 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _parse_shifts(value: Any, file: str, log: ProblemLog) -> tuple[Shift, ...]:
    if not isinstance(value, list) or not value:
        log.error(
            file,
            "shifts must be a list of [[shifts]] tables.",
            'Write [[shifts]] name = "day" start = "09:00" end = "12:00".',
            field="shifts",
        )
        return ()
    shifts: list[Shift] = []
    for i, item in enumerate(value, start=1):
        where = f"shift {i}"
        if not isinstance(item, dict):
            log.error(file, "is not a table.", "Use [[shifts]] tables.", feature=where)
            continue
        unknown = set(item) - {"name", "start", "end"}
        for key in sorted(unknown):
            log.error(
                file,
                f"unknown key '{key}' in a shift.",
                "A shift has only name, start and end.",
                feature=where,
                field=key,
            )
        name = str(item.get("name", "")).strip()
        if not name:
            log.error(
                file,
                "has no name.",
                'Add name = "night" (any word without spaces).',
                feature=where,
                field="name",
            )
            continue
        where = f"shift '{name}'"
        if re.search(r"[\s,;]", name):
            log.error(
                file,
                "name contains spaces, commas or semicolons.",
                "Use one word, e.g. night or night2.",
                feature=where,
                field="name",
            )
            continue
        start, end = _parse_time(item.get("start")), _parse_time(item.get("end"))
        if start is None or end is None:
            bad = "start" if start is None else "end"
            log.error(
                file,
                f"{bad} '{item.get(bad)}' is not a time of day.",
                'Write times as "HH:MM", e.g. "19:00".',
                feature=where,
                field=bad,
            )
            continue
        if start == end:
            log.error(
                file,
                f"starts and ends at {start:%H:%M}: a shift of zero (or 24 h) length.",
                "Give the shift a real end time (shifts last under 24 h).",
                feature=where,
            )
            continue
        shifts.append(Shift(name, start, end))
    names = [s.name for s in shifts]
    for name in sorted({n for n in names if names.count(n) > 1}):
        log.error(
            file,
            f"two shifts are named '{name}'.",
            "Give each shift its own name.",
            feature=f"shift '{name}'",
        )
    _check_overlaps(shifts, file, log)
    return tuple(shifts)


def _check_overlaps(shifts: list[Shift], file: str, log: ProblemLog) -> None:
    """Two shifts overlap when their windows meet on the same day or across midnight."""
    for i, a in enumerate(shifts):
        for b in shifts[i + 1 :]:
            a0, a1 = a.start_s, a.start_s + a.duration_s
            for offset in (-86400, 0, 86400):
                b0, b1 = b.start_s + offset, b.start_s + b.duration_s + offset
                if a0 < b1 and b0 < a1:
                    log.error(
                        file,
                        f"shifts '{a.name}' ({a.label()}) and '{b.name}' ({b.label()}) overlap.",
                        "Move one so that each person's shifts are apart; a team "
                        "works one shift at a time.",
                        feature=f"shift '{b.name}'",
                    )
                    break


def _parse_section(key: str, value: Any, file: str, log: ProblemLog) -> Any:
    cls = _SECTIONS[key]
    if not isinstance(value, dict):
        log.error(file, f"[{key}] must be a table.", f"Write it as a [{key}] section.", field=key)
        return None
    known = {f.name: f for f in fields(cls)}
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for name, item in value.items():
        if name not in known:
            log.error(
                file,
                f"unknown setting '{key}.{name}'.",
                f"Remove it or use one of: {', '.join(sorted(known))}.",
                field=f"{key}.{name}",
            )
            continue
        default = getattr(defaults, name)
        checked = _check_value(key, name, item, default, file, log)
        if checked is not None:
            kwargs[name] = checked
    return cls(**kwargs)


def _check_value(
    section: str, name: str, item: Any, default: Any, file: str, log: ProblemLog
) -> Any:
    label = f"{section}.{name}"
    if isinstance(default, dict):
        if not isinstance(item, dict):
            log.error(
                file,
                f"{label} must be a table like {{ green = 2, red = 7 }}.",
                "Use one number per risk colour.",
                field=label,
            )
            return None
        merged = dict(default)
        for risk, number in item.items():
            if risk not in RISK_LEVELS:
                log.error(
                    file,
                    f"{label} names unknown risk '{risk}'.",
                    f"Use {', '.join(RISK_LEVELS)}.",
                    field=label,
                )
            elif not isinstance(number, int) or number < 0:
                log.error(
                    file,
                    f"{label}.{risk} = {number!r} is not a whole number >= 0.",
                    "Use a whole number.",
                    field=label,
                )
            else:
                merged[risk] = number
        return merged
    if isinstance(default, bool):
        if not isinstance(item, bool):
            log.error(file, f"{label} must be true or false.", "Write true or false.", field=label)
            return None
        return item
    if name == "sweep_scope":
        if item not in ("residential", "all"):
            log.error(
                file,
                f"demand.sweep_scope '{item}' is unknown.",
                'Use "residential" (streets near homes) or "all" (every street).',
                field=label,
            )
            return None
        return item
    if name == "mode":
        if item not in TRAVEL_SPEEDS_KMH:
            log.error(
                file,
                f"travel.mode '{item}' is unknown.",
                f"Use one of {', '.join(TRAVEL_SPEEDS_KMH)}.",
                field=label,
            )
            return None
        return item
    if isinstance(default, int | float) or default is None:
        if isinstance(item, bool) or not isinstance(item, int | float) or item < 0:
            log.error(
                file,
                f"{label} = {item!r} is not a number >= 0.",
                "Write a plain number, e.g. 4.5.",
                field=label,
            )
            return None
        if isinstance(default, int) and not isinstance(item, int):
            log.error(
                file,
                f"{label} = {item!r} must be a whole number.",
                "Write a whole number.",
                field=label,
            )
            return None
        if name == "speed_kmh" and item == 0:
            log.error(file, "travel.speed_kmh is 0.", "Give a speed above 0.", field=label)
            return None
        return item
    return item


# --- availability -------------------------------------------------------------------

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


__all__ = [
    "Availability",
    "CoverageSettings",
    "DemandSettings",
    "Settings",
    "Shift",
    "TeamSettings",
    "TravelSettings",
    "format_availability",
    "parse_availability",
    "read_settings",
    "settings_from_dict",
]
