"""One patrol.toml value checked against its default, and the run options, in both languages."""

from __future__ import annotations

import re

import pytest

from patrol.errors import InputError, ProblemLog
from patrol.setting_checks import check_run_options, check_value

_LATIN_WORD = re.compile(r"\b(is|not|must|the|Write|Use|number)\b")


@pytest.mark.parametrize(
    ("label", "item", "default"),
    [
        ("travel.speed_kmh", float("nan"), None),
        ("demand.visit_min", -1.0, 20.0),
        ("teams.max_shifts_per_week", 2.5, 5),
        ("coverage.radius_m", True, 50.0),
        ("teams.rest_after_night", "yes", True),
        ("travel.mode", "flying", "walk"),
        ("teams.fallback", ["nobody"], ()),
        ("demand.sweeps_per_week", {"purple": 2}, {"green": 2}),
    ],
)
def test_a_bad_value_is_reported_in_chinese_and_english(
    label: str, item: object, default: object
) -> None:
    log = ProblemLog()
    check_value(label, item, default, "patrol.toml", log)
    (problem,) = log.errors
    assert problem.field == label and problem.fix and problem.fix_zh
    assert problem.text().startswith(f"patrol.toml 字段“{label}”：")
    assert not _LATIN_WORD.search(problem.message_zh + problem.fix_zh), problem.text()
    assert problem.text("en").startswith(f"patrol.toml field '{label}': ")


def test_a_good_value_passes_unchanged() -> None:
    log = ProblemLog()
    assert check_value("travel.speed_kmh", 4.5, None, "patrol.toml", log) == 4.5
    assert check_value("demand.sweeps_per_week", {"red": 9}, {"green": 2, "red": 7}, "t", log) == {
        "green": 2,
        "red": 9,
    }
    assert log.problems == []


def test_run_options_are_refused_in_chinese_by_default() -> None:
    with pytest.raises(InputError) as info:
        check_run_options(time_limit_s=float("inf"), seed=-1, max_iterations=0)
    zh = info.value.text()
    assert zh.startswith("输入中有 3 个问题：")
    assert "--time-limit：inf 不是大于 0" in zh and "--seed：-1 不在 0 到" in zh
    assert "3 problem(s) in the input:" in info.value.text("en")
