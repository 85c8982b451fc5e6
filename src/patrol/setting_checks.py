"""Checking one value of a ``patrol.toml`` section, and the run options, before any work.

:func:`check_value` checks a value against the type of its default (true/false, one word
of a list, a table of numbers per risk colour, the fallback kinds, a finite number in
the range :data:`patrol.vocab.SETTING_RANGES` gives); :func:`check_run_options` the
command line's ``--time-limit``, ``--seed`` and ``--max-iterations``. Problems go to a
:class:`~patrol.errors.ProblemLog` in English and Chinese. Kept apart from
:mod:`patrol.settings`, which reads the file and builds the settings from these checks.
"""

from __future__ import annotations

import math
from typing import Any

from patrol.errors import ProblemLog
from patrol.vocab import (
    FALLBACK_KINDS,
    MAX_SEED,
    MAX_SETTING,
    RISK_LEVELS,
    SETTING_RANGES,
    TRAVEL_SPEEDS_KMH,
)

# the settings whose value is one word of a list: (allowed words, fix, fix in Chinese)
_CHOICES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "demand.sweep_scope": (
        ("residential", "all"),
        'Use "residential" (streets near homes) or "all" (every street).',
        '请用 "residential"（住宅附近的街道）或 "all"（所有街道）。',
    ),
    "travel.mode": (
        tuple(TRAVEL_SPEEDS_KMH),
        f"Use one of {', '.join(TRAVEL_SPEEDS_KMH)}.",
        f"请使用以下之一：{'、'.join(TRAVEL_SPEEDS_KMH)}。",
    ),
}


def check_value(label: str, item: Any, default: Any, file: str, log: ProblemLog) -> Any:
    """One value of a section, checked against the type of its default (None: reported).

    ``label`` is ``section.name`` (``travel.speed_kmh``), as problems name it.
    """
    if isinstance(default, dict):
        return _check_risk_table(label, item, default, file, log)
    if isinstance(default, bool):
        if not isinstance(item, bool):
            zh = (f"{label} 应为 true 或 false。", "请写 true（是）或 false（否）。")
            log.error(
                file, f"{label} must be true or false.", "Write true or false.", field=label, zh=zh
            )
            return None
        return item
    if label in _CHOICES:
        words, fix, fix_zh = _CHOICES[label]
        if item not in words:
            zh = (f"{label}“{item}”无法识别。", fix_zh)
            log.error(file, f"{label} '{item}' is unknown.", fix, field=label, zh=zh)
            return None
        return item
    if isinstance(default, int | float) or default is None:
        return _check_number(label, item, default, file, log)
    if label == "teams.fallback":
        return _check_fallback(label, item, file, log)
    return item


def _check_fallback(label: str, item: Any, file: str, log: ProblemLog) -> tuple[str, ...] | None:
    """``fallback = ["police_volunteers", "red_armband"]``: known kinds, each once."""
    fix = f"Write a list of some of {', '.join(FALLBACK_KINDS)}, most preferred first."
    fix_zh = f"请写成一个列表，取自 {'、'.join(FALLBACK_KINDS)}，最优先的放在前面。"
    if not isinstance(item, list) or not all(isinstance(w, str) for w in item):
        zh = (f"{label} 应为一组词的列表。", fix_zh)
        log.error(file, f"{label} must be a list of words.", fix, field=label, zh=zh)
        return None
    bad = [w for w in item if w not in FALLBACK_KINDS]
    if bad or len(set(item)) != len(item):
        what = f"names unknown kind '{bad[0]}'" if bad else "names a kind twice"
        what_zh = f"中有未知的类别“{bad[0]}”" if bad else "中有重复的类别"
        log.error(file, f"{label} {what}.", fix, field=label, zh=(f"{label}{what_zh}。", fix_zh))
        return None
    return tuple(item)


def _check_risk_table(
    label: str, item: Any, default: dict[str, int], file: str, log: ProblemLog
) -> dict[str, int] | None:
    """``{ green = 2, red = 7 }``: whole numbers >= 0 per risk colour, the rest default."""
    if not isinstance(item, dict):
        log.error(
            file,
            f"{label} must be a table like {{ green = 2, red = 7 }}.",
            "Use one number per risk colour.",
            field=label,
            zh=(f"{label} 应为形如 {{ green = 2, red = 7 }} 的表。", "每种风险颜色填一个数。"),
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
                zh=(f"{label} 中有未知的风险颜色“{risk}”。", f"请用 {'、'.join(RISK_LEVELS)}。"),
            )
        elif not isinstance(number, int) or number < 0:
            log.error(
                file,
                f"{label}.{risk} = {number!r} is not a whole number >= 0.",
                "Use a whole number.",
                field=label,
                zh=(f"{label}.{risk} = {number!r} 不是不小于 0 的整数。", "请填写整数。"),
            )
        else:
            merged[risk] = number
    return merged


def _check_number(
    label: str, item: Any, default: float | None, file: str, log: ProblemLog
) -> float | None:
    """A finite number in the setting's range (:data:`patrol.vocab.SETTING_RANGES`), whole
    where the default is; NaN, infinities and booleans are refused."""
    low, high, low_ok = SETTING_RANGES.get(label, (0, MAX_SETTING, True))
    bound = f"{'>=' if low_ok else '>'} {low:g} and <= {high:g}"
    bound_zh = f"请填写{'不小于' if low_ok else '大于'} {low:g}、不大于 {high:g} 的数。"
    if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
        problem, fix = f"{label} = {item!r} is not a number.", f"Write a number {bound}."
        zh = (f"{label} = {item!r} 不是数字。", bound_zh)
    elif isinstance(default, int) and not isinstance(item, int):
        problem, fix = f"{label} = {item!r} must be a whole number.", "Write a whole number."
        zh = (f"{label} = {item!r} 应为整数。", "请填写整数。")
    elif item < low or (item == low and not low_ok) or item > high:
        problem, fix = f"{label} = {item!r} is out of range.", f"Write a number {bound}."
        zh = (f"{label} = {item!r} 超出范围。", bound_zh)
    else:
        return item
    log.error(file, problem, fix, field=label, zh=zh)
    return None


MAX_TIME_LIMIT_S = 7 * 86_400.0  # a week of solving is the most a run may ask for
MAX_ITERATIONS = 10_000_000


def check_run_options(
    *, time_limit_s: float | None, seed: int | None, max_iterations: int | None
) -> None:
    """Range-check the run options before any work starts (one InputError naming each):
    a finite ``--time-limit`` up to a week, a 32-bit ``--seed``, 1 to 10M iterations."""
    log = ProblemLog()
    if time_limit_s is not None and not (
        math.isfinite(time_limit_s) and 0 < time_limit_s <= MAX_TIME_LIMIT_S
    ):
        log.error(
            "--time-limit",
            f"{time_limit_s} is not a number of seconds above 0 and at most {MAX_TIME_LIMIT_S:g}.",
            "Give the solver seconds, e.g. --time-limit 60.",
            zh=(
                f"{time_limit_s} 不是大于 0、至多 {MAX_TIME_LIMIT_S:g} 的秒数。",
                "请给出求解秒数，例如 --time-limit 60。",
            ),
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        zh = (f"{seed} 不在 0 到 {MAX_SEED} 之间。", "例如 --seed 0。")
        log.error("--seed", f"{seed} is not from 0 to {MAX_SEED}.", "Give e.g. --seed 0.", zh=zh)
    if max_iterations is not None and not 1 <= max_iterations <= MAX_ITERATIONS:
        log.error(
            "--max-iterations",
            f"{max_iterations} is not from 1 to {MAX_ITERATIONS:,}.",
            "Give e.g. --max-iterations 2000.",
            zh=(
                f"{max_iterations} 不在 1 到 {MAX_ITERATIONS:,} 之间。",
                "例如 --max-iterations 2000。",
            ),
        )
    log.raise_if_errors()
