"""Settings (patrol.toml): reading, checking every key, and the text of a saved file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path

import pytest

from patrol.errors import InputError, Problem, ProblemLog
from patrol.settings import (
    Settings,
    Shift,
    check_run_options,
    read_settings,
    settings_from_dict,
    settings_from_toml,
)

SHIFTS = ("day", "afternoon", "night")


def _read(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "patrol.toml"
    path.write_text(text, encoding="utf-8")
    return read_settings(path)


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        _read(tmp_path, text)
    return info.value.problems


# --- patrol.toml ---------------------------------------------------------------------------


def test_missing_and_empty_file_give_defaults(tmp_path: Path) -> None:
    assert read_settings(tmp_path / "nope.toml").shifts == Settings().shifts
    settings = _read(tmp_path, "")
    assert [s.name for s in settings.shifts] == ["day", "afternoon", "night"]
    assert settings.week_start.weekday() == 0


def test_values_are_read(tmp_path: Path) -> None:
    settings = _read(
        tmp_path,
        'station = "测试所"\nweek_start = "2026-11-30"\n'
        'input_crs = "cgcs2000"\n[travel]\nmode = "ebike"\n'
        "[demand]\nsweeps_per_week = { red = 9 }\n",
    )
    assert settings.station == "测试所"
    assert settings.week_start == dt.date(2026, 11, 30)
    assert settings.input_crs == "EPSG:4490"
    assert settings.travel.speed_mps == pytest.approx(15 / 3.6)
    assert settings.demand.sweeps_per_week["red"] == 9
    assert settings.demand.sweeps_per_week["green"] == 2  # other colours keep defaults


def test_demand_and_coverage_tables_are_read_into_frozen_settings(tmp_path: Path) -> None:
    settings = _read(
        tmp_path,
        "[demand]\nincident_lookback_days = 30\nvisit_min = 25.0\n"
        "[coverage]\nradius_m = 25.0\ncamera_range_m = 40.0\n",
    )
    demand, coverage = settings.demand, settings.coverage
    assert (demand.incident_lookback_days, demand.visit_min) == (30, 25.0)
    assert demand.hotspot_min_incidents == Settings().demand.hotspot_min_incidents
    assert (coverage.radius_m, coverage.camera_range_m) == (25.0, 40.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        coverage.radius_m = 1.0  # type: ignore[misc]


def test_unknown_keys_top_level_and_in_section_are_both_reported(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'statoin = "x"\n[travel]\nspeed = 5\n')
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"statoin", "travel.speed"}
    for p in problems:
        assert p.file == "patrol.toml"
        assert p.fix
    assert "speed_kmh" in by_field["travel.speed"].fix  # the fix lists the real keys
    assert "station" in by_field["statoin"].fix


def test_unknown_key_in_a_shift(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[shifts]]\nname = "day"\nstart = "09:00"\nend = "12:00"\nlength = 3\n'
    )
    assert [(p.feature, p.field) for p in problems] == [("shift 1", "length")]


def test_overlapping_shifts_are_an_error(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[shifts]]\nname = "day"\nstart = "09:00"\nend = "12:00"\n'
        '[[shifts]]\nname = "late"\nstart = "11:00"\nend = "14:00"\n',
    )
    assert len(problems) == 1
    assert "overlap" in problems[0].message
    assert problems[0].feature == "shift 'late'"
    assert problems[0].fix


def test_overlap_across_midnight_is_an_error(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[shifts]]\nname = "night"\nstart = "20:00"\n'
        'end = "02:00"\n[[shifts]]\nname = "early"\nstart = "01:00"\n'
        'end = "05:00"\n',
    )
    assert any("overlap" in p.message for p in problems)


def test_back_to_back_shifts_do_not_overlap(tmp_path: Path) -> None:
    settings = _read(
        tmp_path,
        '[[shifts]]\nname = "a"\nstart = "09:00"\nend = "12:00"\n'
        '[[shifts]]\nname = "b"\nstart = "12:00"\nend = "15:00"\n',
    )
    assert [s.name for s in settings.shifts] == ["a", "b"]


def test_zero_length_shift_is_an_error(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[shifts]]\nname = "day"\nstart = "09:00"\nend = "09:00"\n')
    assert [p.feature for p in problems] == ["shift 'day'"]
    assert "zero" in problems[0].message
    assert problems[0].fix


def test_bad_time_names_the_field(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[shifts]]\nname = "day"\nstart = "9h"\nend = "12:00"\n')
    assert [(p.feature, p.field) for p in problems] == [("shift 'day'", "start")]


def test_invalid_toml_reports_the_line(tmp_path: Path) -> None:
    text = 'station = "x"\nweek_start = "2026-11-30"\nlanguage = zh\n'
    with pytest.raises(tomllib.TOMLDecodeError) as raw:
        tomllib.loads(text)
    assert "line 3" in str(raw.value)  # tomllib's message carries the line number
    problems = _problems(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].file == "patrol.toml"
    assert "line 3" in problems[0].message
    assert problems[0].fix


def test_non_utf8_toml_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "patrol.toml").write_bytes('station = "测试"\n'.encode("utf-16"))
    with pytest.raises(InputError) as info:
        read_settings(tmp_path / "patrol.toml")
    assert info.value.problems[0].file == "patrol.toml"
    assert "UTF-8" in info.value.problems[0].fix


def test_night_shift_crossing_midnight(tmp_path: Path) -> None:
    settings = _read(tmp_path, '[[shifts]]\nname = "night"\nstart = "20:00"\nend = "02:00"\n')
    night = settings.shift("night")
    assert night.crosses_midnight
    assert night.duration_s == 6 * 3600
    assert night.is_night
    start, end = night.window_on(dt.date(2026, 11, 30))
    assert start == dt.datetime(2026, 11, 30, 20, 0)
    assert end == dt.datetime(2026, 12, 1, 2, 0)


def test_day_shift_is_not_night() -> None:
    shift = Shift("day", dt.time(9), dt.time(12))
    assert not shift.crosses_midnight and not shift.is_night
    assert shift.duration_s == 3 * 3600


def test_bad_values_are_collected(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        'week_start = "next monday"\nlanguage = "fr"\n'
        'input_crs = "EPSG:3857"\n[travel]\nmode = "horse"\n'
        'detour_factor = -1\n[teams]\nrest_after_night = "yes"\n',
    )
    assert {p.field for p in problems} == {
        "week_start",
        "language",
        "input_crs",
        "travel.mode",
        "travel.detour_factor",
        "teams.rest_after_night",
    }
    assert all(p.fix for p in problems)


def test_week_start_not_monday_is_a_warning_only() -> None:
    from patrol.errors import ProblemLog

    log = ProblemLog()
    settings = settings_from_dict({"week_start": "2026-12-02"}, log=log)
    assert settings.week_start == dt.date(2026, 12, 2)
    assert not log.errors and [p.field for p in log.warnings] == ["week_start"]


def test_settings_from_dict_raises_without_log() -> None:
    with pytest.raises(InputError):
        settings_from_dict({"nonsense": 1})


def test_settings_from_toml_reads_text_like_the_file(tmp_path: Path) -> None:
    text = 'week_start = "2026-11-30"\nlanguage = "en"\n[travel]\nmode = "ebike"\n'
    settings = settings_from_toml(text)
    assert settings == _read(tmp_path, text)
    assert (settings.language, settings.travel.mode) == ("en", "ebike")


def test_settings_from_toml_names_its_source() -> None:
    with pytest.raises(InputError) as info:
        settings_from_toml("language = zh", source="plan/patrol.toml")
    assert [p.file for p in info.value.problems] == ["plan/patrol.toml"]
    log = ProblemLog()
    assert settings_from_toml("bogus = 1", log=log) == Settings(week_start=Settings().week_start)
    assert [p.field for p in log.errors] == ["bogus"]


def test_teams_fallback_is_read_in_its_order_of_preference(tmp_path: Path) -> None:
    assert Settings().teams.fallback == ()
    settings = _read(tmp_path, '[teams]\nfallback = ["red_armband", "police_volunteers"]\n')
    assert settings.teams.fallback == ("red_armband", "police_volunteers")


@pytest.mark.parametrize(
    "value",
    ['["police_volunteers", "helicopter"]', '"red_armband"', '["red_armband", "red_armband"]'],
)
def test_teams_fallback_rejects_unknown_kinds_and_repeats(tmp_path: Path, value: str) -> None:
    problems = _problems(tmp_path, f"[teams]\nfallback = {value}\n")
    assert [p.field for p in problems] == ["teams.fallback"]
    assert "police_volunteers" in problems[0].fix


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[travel]\nspeed_kmh = nan", "travel.speed_kmh"),
        ("[travel]\nspeed_kmh = inf", "travel.speed_kmh"),
        ("[travel]\ndetour_factor = 0", "travel.detour_factor"),
        ("[travel]\nsnap_tolerance_m = 1e6", "travel.snap_tolerance_m"),
        ("[demand]\nsweep_dwell_min = nan", "demand.sweep_dwell_min"),
        ("[demand]\nvisit_min = nan", "demand.visit_min"),
        ("[demand]\nhotspot_radius_m = 0", "demand.hotspot_radius_m"),
        ("[teams]\ntime_limit_s = -inf", "teams.time_limit_s"),
        ("[coverage]\nradius_m = true", "coverage.radius_m"),
        ("seed = -1", "seed"),
        ("seed = 9223372036854775807", "seed"),
        ("seed = 4294967296", "seed"),
        ("seed = true", "seed"),
        ('week_start = "9999-12-27"', "week_start"),
        ("station = [1, 2]", "station"),
    ],
)
def test_every_number_is_finite_and_in_range(tmp_path: Path, text: str, field: str) -> None:
    problems = _problems(tmp_path, text + "\n")
    assert [p.field for p in problems] == [field]
    assert problems[0].fix


def test_numbers_at_the_edges_of_their_range_are_accepted(tmp_path: Path) -> None:
    settings = _read(tmp_path, "seed = 2147483647\n[travel]\ndetour_factor = 1\n")
    assert (settings.seed, settings.travel.detour_factor) == (2147483647, 1)


@pytest.mark.parametrize("name", ["all", "Mon", "周一", "mon-fri", "每天"])
def test_shift_names_that_read_as_availability_words_are_refused(tmp_path: Path, name: str) -> None:
    problems = _problems(tmp_path, f'[[shifts]]\nname = "{name}"\nstart = "09:00"\nend = "12:00"\n')
    assert [p.field for p in problems] == ["name"] and "availability" in problems[0].message


def test_chinese_shift_names_and_hyphenated_words_are_fine(tmp_path: Path) -> None:
    text = (
        '[[shifts]]\nname = "白班"\nstart = "09:00"\nend = "12:00"\n'
        '[[shifts]]\nname = "early-night"\nstart = "19:00"\nend = "22:00"\n'
    )
    assert [s.name for s in _read(tmp_path, text).shifts] == ["白班", "early-night"]


def test_patrol_toml_as_a_folder_or_a_pipe_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import os

    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "patrol.toml").mkdir()
    os.mkfifo(tmp_path / "patrol.toml")
    for path in (tmp_path / "dir" / "patrol.toml", tmp_path / "patrol.toml"):
        with pytest.raises(InputError) as info:
            read_settings(path)
        assert "not a regular file" in info.value.problems[0].message


def test_deeply_nested_toml_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        settings_from_toml("x = " + "[" * 5000 + "]" * 5000)
    assert "nested too deeply" in info.value.problems[0].message


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"time_limit_s": float("inf")}, "--time-limit"),
        ({"time_limit_s": float("nan")}, "--time-limit"),
        ({"time_limit_s": -1.0}, "--time-limit"),
        ({"seed": -1}, "--seed"),
        ({"seed": 2**63 - 1}, "--seed"),
        ({"seed": 4294967296}, "--seed"),
        ({"max_iterations": 0}, "--max-iterations"),
    ],
)
def test_check_run_options_refuses_what_the_solvers_cannot_take(
    options: dict[str, float], named: str
) -> None:
    given: dict[str, float | None] = {"time_limit_s": None, "seed": None, "max_iterations": None}
    with pytest.raises(InputError) as info:
        check_run_options(**(given | options))  # type: ignore[arg-type]
    assert [p.file for p in info.value.problems] == [named]


def test_check_run_options_accepts_ordinary_values() -> None:
    check_run_options(time_limit_s=60.0, seed=2**31 - 1, max_iterations=1)
    check_run_options(time_limit_s=None, seed=None, max_iterations=None)
