"""Errors patrol raises on purpose: one base class, input problems collected and raised once."""

from __future__ import annotations

import pytest

from patrol.errors import InputError, PatrolError, Problem, ProblemLog


def test_input_error_is_a_patrol_error_and_a_value_error() -> None:
    """Callers catch every deliberate error as PatrolError (the CLI turns it into exit
    code 2); code that expects ValueError for bad input keeps working."""
    err = InputError("week_start is not a date.", file="patrol.toml")
    assert isinstance(err, PatrolError) and isinstance(err, ValueError)
    assert err.problems == [Problem("patrol.toml", "week_start is not a date.")]
    with pytest.raises(PatrolError, match="1 problem"):
        raise err


def test_problem_log_raises_every_error_at_once_and_warnings_only_when_strict() -> None:
    log = ProblemLog()
    log.warn("grids.geojson", "polygon repaired.", feature="grid_id=G1")
    log.raise_if_errors()  # a warning alone does not stop the run
    with pytest.raises(InputError):
        log.raise_if_errors(strict=True)
    log.error("roster.csv", "role is empty.", "Give a role.", feature="3", field="role")
    log.error("posts.csv", "no posts.")
    with pytest.raises(InputError) as info:
        log.raise_if_errors()
    text = str(info.value)
    assert text.startswith("2 problem(s) in the input:")
    assert "roster.csv [3] field 'role': role is empty. Fix: Give a role." in text
    assert "posts.csv: no posts." in text and "repaired" not in text


def test_a_problem_speaks_chinese_by_default_and_english_on_request() -> None:
    log = ProblemLog()
    log.error(
        "roster.csv",
        "role 'boss' is unknown.",
        "Use one of officer, auxiliary.",
        feature="row 3 (and 2 more)",
        field="role",
        zh=("角色“boss”无法识别。", "请填写 民警、辅警 之一。"),
    )
    problem = log.errors[0]
    zh = problem.text()
    assert zh == (
        "roster.csv［第 3 行（另有 2 处）］ 字段“role”：角色“boss”无法识别。"
        "改正：请填写 民警、辅警 之一。"
    )
    assert problem.text("en") == str(problem)
    assert str(problem).startswith("roster.csv [row 3 (and 2 more)] field 'role': role 'boss'")
    with pytest.raises(InputError) as info:
        log.raise_if_errors()
    assert info.value.text().startswith("输入中有 1 个问题：\n  - roster.csv［第 3 行")
    assert info.value.text("en").startswith("1 problem(s) in the input:")


def test_a_problem_without_chinese_shows_its_english_and_strict_keeps_both() -> None:
    log = ProblemLog()
    log.warn("grids.geojson", "polygon repaired.", zh=("多边形已修复。", ""))
    log.warn("posts.csv", "untranslated.")
    with pytest.raises(InputError) as info:
        log.raise_if_errors(strict=True)
    repaired, plain = info.value.problems
    assert repaired.severity == "error" and repaired.text() == "grids.geojson：多边形已修复。"
    assert plain.text() == "posts.csv: untranslated."


def test_a_patrol_error_carries_its_chinese_text() -> None:
    err = PatrolError("OUT is a file.", zh="输出位置是一个文件。")
    assert err.text() == "输出位置是一个文件。" and err.text("en") == "OUT is a file."
    assert PatrolError("only English").text() == "only English"
    both = PatrolError("是文件。\nis a file.", zh="是文件。", en="is a file.")
    assert (both.text(), both.text("en"), str(both)) == (
        "是文件。",
        "is a file.",
        "是文件。\nis a file.",
    )
    single = InputError(
        "bad date.", file="patrol.toml", zh="日期有误。", fix_zh="写成 2026-01-05。"
    )
    assert (
        single.text() == "输入中有 1 个问题：\n  - patrol.toml：日期有误。改正：写成 2026-01-05。"
    )
