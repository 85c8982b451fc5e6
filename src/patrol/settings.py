"""Settings of a scenario (``patrol.toml``): the week, its shifts and the planning rules.

Every setting has a default, so an empty ``patrol.toml`` works. Unknown keys are errors
(a typo silently ignored is a plan built on the wrong rule). Shifts may cross midnight:
a night shift ``20:00``–``02:00`` ends on the next day.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from patrol.errors import ProblemLog
from patrol.setting_checks import check_run_options, check_value
from patrol.vocab import (
    DAY_CODES,
    DAY_NAMES,
    INPUT_CRS_CHOICES,
    MAX_SEED,
    NIGHT_BAND_H,
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
    max_sweep_length_m: float = 0.0
    """An extra cap on one sweep part (0: none). A grid's walk is split only when it
    cannot fit in one shift (its length within ``teams.max_walk_km``, its time within
    the shortest shift); then it is cut into the fewest parts that each fit."""
    carriageway_gap_m: float = 40.0
    """Parallel carriageways of one named street closer than this are swept once."""
    sweep_scope: str = "residential"
    sweep_radius_m: float = 80.0
    hotspot_radius_m: float = 60.0
    hotspot_min_incidents: int = 4
    hotspot_dwell_min: float = 15.0
    hotspot_stops_per_week: int = 3
    visit_min: float = 20.0


@dataclass(frozen=True)
class TeamSettings:
    """Rules for forming 1+1+N teams.

    ``time_limit_s`` caps the team share of the run's solver budget (``--time-limit``;
    see :mod:`patrol.budget`): it is not a budget of its own.
    """

    min_others: int = 1
    max_shifts_per_week: int = 5
    rest_after_night: bool = True
    time_limit_s: float = 10.0
    fallback: tuple[str, ...] = ()
    """Fallback team kinds allowed where no 1+1+N team can be formed, in order of
    preference (words of :data:`patrol.vocab.FALLBACK_KINDS`); empty: none."""
    max_walk_km: float = 8.0
    """The most a team walks in one shift, every leg counted (the routing enforces it).
    An elder's leisurely pace is about 3 km/h; a 3-hour shift with its rests, visits and
    stops holds 2 to 2.7 hours of walking, so 6 to 8 km: 8 km keeps the bundled sample's
    week servable (97% of its weighted demand) while ruling out the 11.8 km a team used
    to walk in three hours. Lower it for a team of elders."""
    max_walk_min: float = 50.0
    """Continuous walking before a rest stop (older walkers: 45-60 min, then rest)."""
    rest_min: float = 10.0
    """The rest stop after each ``max_walk_min`` of walking (10-15 min)."""


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


_Parser = Callable[[str, Any, str, ProblemLog], Any]  # (key, value, file, log) -> value
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
    if path is None or not Path(path).exists():
        return Settings()
    path = Path(path)
    problem = ("", "")
    if not path.is_file():  # a folder, or a named pipe that would block the read
        problem = ("is not a regular file.", "不是普通文件。")
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            problem = ("is not UTF-8 text.", "不是 UTF-8 文本。")
        except OSError as exc:
            problem = (f"cannot be read ({exc.strerror}).", f"无法读取（{exc.strerror}）。")
    if problem[0]:
        own = log or ProblemLog()
        fix = "Save patrol.toml as a UTF-8 text file."
        own.error(
            path.name, problem[0], fix, zh=(problem[1], "请把 patrol.toml 存为 UTF-8 文本文件。")
        )
        if log is None:
            own.raise_if_errors()
        return Settings()
    return settings_from_toml(text, source=path.name, log=log)


def settings_from_toml(
    text: str, *, source: str = "patrol.toml", log: ProblemLog | None = None
) -> Settings:
    """Build :class:`Settings` from the text of a ``patrol.toml`` (e.g. one saved with a
    plan); ``source`` names it in problems. Problems go to ``log`` when given, otherwise
    they are raised as one :class:`InputError`."""
    own_log = log is None
    log = log or ProblemLog()
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        deep = isinstance(exc, RecursionError)
        reason = "arrays or tables nested too deeply" if deep else exc
        log.error(
            source,
            f"is not valid TOML: {reason}.",
            "Check the quoting and brackets on that line; strings need double quotes.",
            zh=(
                f"不是有效的 TOML：{'数组或表嵌套过深' if deep else exc}。",
                "请检查该行的引号和括号；文字要用英文双引号括起来。",
            ),
        )
        raw = None
    settings = Settings() if raw is None else settings_from_dict(raw, file=source, log=log)
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
        if not _is_known(key, top, file, log):
            continue
        parse: _Parser = _TOP_PARSERS.get(key, _parse_text)
        parsed = parse(key, value, file, log)
        if parsed is not None:
            kwargs[key] = parsed
    settings = Settings(**kwargs)
    if own_log:
        log.raise_if_errors()
    return settings


def _is_known(name: str, known: set[str], file: str, log: ProblemLog, *, section: str = "") -> bool:
    """Whether setting ``name`` (of ``[section]``) is one of ``known``; else reported."""
    label = f"{section}.{name}" if section else name
    if name in known:
        return True
    log.error(
        file,
        f"unknown setting '{label}'.",
        f"Remove it or use one of: {', '.join(sorted(known))}.",
        field=label,
        zh=(f"没有“{label}”这项设置。", f"请删除它，或使用以下之一：{'、'.join(sorted(known))}。"),
    )
    return False


def _parse_text(key: str, value: Any, file: str, log: ProblemLog) -> str | None:
    if isinstance(value, str) and len(value) <= 200:
        return value
    log.error(
        file,
        f"{key} must be a short text.",
        f'Write e.g. {key} = "政安里警务室".',
        field=key,
        zh=(f"{key} 应为一段简短的文字。", f'例如写成 {key} = "政安里警务室"。'),
    )
    return None


FIRST_WEEK, LAST_WEEK = dt.date(2000, 1, 1), dt.date(2199, 12, 31)
_WEEKDAY_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _parse_week_start(key: str, value: Any, file: str, log: ProblemLog) -> dt.date | None:
    day = _parse_date(value)
    if day is not None and not FIRST_WEEK <= day <= LAST_WEEK:
        log.error(
            file,
            f"week_start {day} is outside {FIRST_WEEK.year}-{LAST_WEEK.year}.",
            'Give the Monday the plan starts, e.g. week_start = "2026-11-30".',
            field=key,
            zh=(
                f"week_start {day} 不在 {FIRST_WEEK.year} 至 {LAST_WEEK.year} 年之间。",
                '请填写计划开始的星期一，例如 week_start = "2026-11-30"。',
            ),
        )
        return None
    if day is None:
        log.error(
            file,
            f"week_start '{value}' is not a date.",
            'Write it as "YYYY-MM-DD", e.g. week_start = "2026-11-30".',
            field=key,
            zh=(
                f"week_start“{value}”不是日期。",
                '请写成 "YYYY-MM-DD"，例如 week_start = "2026-11-30"。',
            ),
        )
    elif day.weekday() != 0:
        log.warn(
            file,
            f"week_start {day} is a {DAY_CODES[day.weekday()]}, "
            "not a Monday; the week runs from that day.",
            "Use the Monday the plan starts.",
            field=key,
            zh=(
                f"week_start {day} 是{_WEEKDAY_ZH[day.weekday()]}，不是星期一；一周从这一天算起。",
                "请使用计划开始的星期一。",
            ),
        )
    return day


def _parse_language(key: str, value: Any, file: str, log: ProblemLog) -> str | None:
    if value in ("zh", "en"):
        return str(value)
    log.error(
        file,
        f"language '{value}' is not supported.",
        'Use "zh" (Chinese) or "en" (English).',
        field=key,
        zh=(f"不支持语言“{value}”。", '请用 "zh"（中文）或 "en"（英文）。'),
    )
    return None


def _parse_input_crs(key: str, value: Any, file: str, log: ProblemLog) -> str | None:
    crs = str(value).upper().replace("GCJ02", "GCJ-02")
    crs = {"WGS84": "EPSG:4326", "WGS 84": "EPSG:4326", "4326": "EPSG:4326"}.get(crs, crs)
    crs = {"CGCS2000": "EPSG:4490", "4490": "EPSG:4490"}.get(crs, crs)
    if crs in INPUT_CRS_CHOICES:
        return crs
    fix = f"Use one of {', '.join(INPUT_CRS_CHOICES)}."
    zh = (f"不支持 input_crs“{value}”。", f"请使用以下之一：{'、'.join(INPUT_CRS_CHOICES)}。")
    log.error(file, f"input_crs '{value}' is not supported.", fix, field=key, zh=zh)
    return None


def _parse_seed(key: str, value: Any, file: str, log: ProblemLog) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SEED:
        return value
    log.error(
        file,
        f"seed {value!r} is not a whole number from 0 to {MAX_SEED}.",
        "Write e.g. seed = 0.",
        field=key,
        zh=(f"seed {value!r} 不是 0 到 {MAX_SEED} 之间的整数。", "例如写成 seed = 0。"),
    )
    return None


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


def _parse_shifts(key: str, value: Any, file: str, log: ProblemLog) -> tuple[Shift, ...] | None:
    if not isinstance(value, list) or not value:
        log.error(
            file,
            "shifts must be a list of [[shifts]] tables.",
            'Write [[shifts]] name = "day" start = "09:00" end = "12:00".',
            field="shifts",
            zh=(
                "shifts 应为一组 [[shifts]] 表。",
                '请写成 [[shifts]] name = "白班" start = "09:00" end = "12:00"。',
            ),
        )
        return None
    shifts = [s for i, item in enumerate(value, start=1) if (s := _parse_shift(item, i, file, log))]
    names = [s.name for s in shifts]
    for name in sorted({n for n in names if names.count(n) > 1}):
        log.error(
            file,
            f"two shifts are named '{name}'.",
            "Give each shift its own name.",
            feature=f"shift '{name}'",
            zh=(f"有两个班次都叫“{name}”。", "每个班次要有不同的名称。"),
        )
    _check_overlaps(shifts, file, log)
    return tuple(shifts) or None


# words the availability column reads as days or "every shift": no shift may be named so
AVAILABILITY_WORDS = frozenset(
    {
        *DAY_NAMES,
        *(c.lower() for c in DAY_CODES),
        "all",
        "全部",
        "全天",
        "daily",
        "每天",
        "全周",
        "every",
    }
)


def _is_availability_word(name: str) -> bool:
    """Whether ``name`` reads as a day, a day range (``Mon-Fri``) or ``all``."""
    lower = name.lower()
    m = re.fullmatch(r"(.+?)\s*(?:-|–|~|至|到)\s*(.+)", lower)
    return lower in AVAILABILITY_WORDS or bool(
        m and m.group(1) in AVAILABILITY_WORDS and m.group(2) in AVAILABILITY_WORDS
    )


def _parse_shift(item: Any, number: int, file: str, log: ProblemLog) -> Shift | None:
    """One ``[[shifts]]`` table, or None (reported)."""
    where = f"shift {number}"
    if not isinstance(item, dict):
        zh = ("不是一个表。", "请使用 [[shifts]] 表。")
        log.error(file, "is not a table.", "Use [[shifts]] tables.", feature=where, zh=zh)
        return None
    for key in sorted(set(item) - {"name", "start", "end"}):
        log.error(
            file,
            f"unknown key '{key}' in a shift.",
            "A shift has only name, start and end.",
            feature=where,
            field=key,
            zh=(f"班次中有未知的键“{key}”。", "班次只有 name、start 和 end 三项。"),
        )
    name = str(item.get("name", "")).strip()
    if _is_availability_word(name):
        log.error(
            file,
            f"shift name '{name}' is a word of the roster's availability (a day or 'all').",
            "Rename the shift, e.g. 白班, 夜班, day or night.",
            feature=f"shift '{name}'",
            field="name",
            zh=(
                f"班次名“{name}”与花名册可用时间里的词（某天或“全部”）相同。",
                "请给班次改名，例如 白班、夜班。",
            ),
        )
        return None
    if not name or re.search(r"[\s,;，；、]", name):
        message, fix, zh = (
            (
                "has no name.",
                'Add name = "night" (any word without spaces).',
                ("班次没有名称。", '请加上 name = "夜班"（不含空格的词）。'),
            )
            if not name
            else (
                "name contains spaces, commas or semicolons.",
                "Use one word, e.g. night or night2.",
                ("名称中有空格、逗号或分号。", "请用一个词，例如 夜班 或 夜班2。"),
            )
        )
        feature = where if not name else f"shift '{name}'"
        log.error(file, message, fix, feature=feature, field="name", zh=zh)
        return None
    where = f"shift '{name}'"
    start, end = _parse_time(item.get("start")), _parse_time(item.get("end"))
    if start is None or end is None:
        bad = "start" if start is None else "end"
        log.error(
            file,
            f"{bad} '{item.get(bad)}' is not a time of day.",
            'Write times as "HH:MM", e.g. "19:00".',
            feature=where,
            field=bad,
            zh=(f"{bad}“{item.get(bad)}”不是一天中的时刻。", '时间请写成 "HH:MM"，例如 "19:00"。'),
        )
        return None
    if start == end:
        log.error(
            file,
            f"starts and ends at {start:%H:%M}: a shift of zero (or 24 h) length.",
            "Give the shift a real end time (shifts last under 24 h).",
            feature=where,
            zh=(
                f"开始和结束都是 {start:%H:%M}：班次长度为零（或 24 小时）。",
                "请给班次一个真实的结束时间（班次不足 24 小时）。",
            ),
        )
        return None
    return Shift(name, start, end)


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
                        zh=(
                            f"班次“{a.name}”（{a.label()}）与“{b.name}”（{b.label()}）时间重叠。",
                            "请调整其中一个，使每人的班次错开；一个巡逻队一次只上一个班。",
                        ),
                    )
                    break


def _parse_section(key: str, value: Any, file: str, log: ProblemLog) -> Any:
    cls = _SECTIONS[key]
    if not isinstance(value, dict):
        zh = (f"[{key}] 应为一个表。", f"请写成 [{key}] 一节。")
        fix = f"Write it as a [{key}] section."
        log.error(file, f"[{key}] must be a table.", fix, field=key, zh=zh)
        return None
    known = {f.name: f for f in fields(cls)}
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for name, item in value.items():
        if not _is_known(name, set(known), file, log, section=key):
            continue
        checked = check_value(f"{key}.{name}", item, getattr(defaults, name), file, log)
        if checked is not None:
            kwargs[name] = checked
    return cls(**kwargs)


_TOP_PARSERS: dict[str, _Parser] = {
    "shifts": _parse_shifts,
    "week_start": _parse_week_start,
    "language": _parse_language,
    "input_crs": _parse_input_crs,
    "seed": _parse_seed,
    **{key: _parse_section for key in _SECTIONS},
}


__all__ = [
    "CoverageSettings",
    "DemandSettings",
    "Settings",
    "Shift",
    "TeamSettings",
    "TravelSettings",
    "check_run_options",
    "read_settings",
    "settings_from_dict",
    "settings_from_toml",
]
