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
