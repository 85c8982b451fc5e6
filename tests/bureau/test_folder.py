"""The bureau folder: stations found, shared settings merged under each station's own."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from patrol.bureau.farm import StationJob, read_station
from patrol.bureau.folder import (
    Station,
    merge_settings,
    read_bureau,
    station_key,
    station_settings_text,
    toml_text,
)
from patrol.errors import InputError
from patrol.settings import settings_from_toml
from patrol.store.snapshot import settings_text
from tests.bureau.conftest import TINY_PARAMS


def test_merge_settings_lays_the_station_over_the_shared_tables() -> None:
    shared = {"seed": 1, "teams": {"min_others": 2, "max_walk_km": 6.0}, "shifts": [{"a": 1}]}
    own = {"teams": {"min_others": 1}, "shifts": [{"b": 2}]}
    merged = merge_settings(shared, own)
    assert merged == {
        "seed": 1,
        "teams": {"min_others": 1, "max_walk_km": 6.0},
        "shifts": [{"b": 2}],
    }
    assert shared["teams"] == {"min_others": 2, "max_walk_km": 6.0}  # inputs untouched


def test_toml_text_reads_back_as_the_same_settings() -> None:
    table = {
        "station": "第一派出所",
        "seed": 3,
        "demand": {"sweeps_per_week": {"green": 1, "red": 6}, "visit_min": 25},
        "travel": {"mode": "ebike"},
        "shifts": [
            {"name": "day", "start": "09:00", "end": "12:00"},
            {"name": "night", "start": "20:00", "end": "02:00"},
        ],
    }
    text = toml_text(table)
    assert tomllib.loads(text) == table
    settings = settings_from_toml(text)
    assert settings.station == "第一派出所" and settings.demand.visit_min == 25
    assert [s.name for s in settings.shifts] == ["day", "night"]


def test_read_bureau_finds_stations_and_checks_bureau_toml(tmp_path: Path) -> None:
    for name in ("B", "A", ".hidden"):
        (tmp_path / name).mkdir()
    (tmp_path / "bureau.toml").write_text(
        '[bureau]\nname = "河西分局"\n\n[teams]\nmin_others = 2\n', encoding="utf-8"
    )
    bureau = read_bureau(tmp_path)
    assert bureau.name == "河西分局"
    assert [s.name for s in bureau.stations] == ["A", "B"]
    assert bureau.shared == {"teams": {"min_others": 2}}
    (tmp_path / "bureau.toml").write_text("[teams]\nmin_otters = 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="min_otters"):
        read_bureau(tmp_path)


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        ("none", "not a folder"),
        ("empty", "no station folder"),
        ("bad_table", "[bureau]"),
        ("bad_toml", "not valid UTF-8 TOML"),
    ],
)
def test_bad_bureau_folders_are_refused_in_both_languages(
    tmp_path: Path, setup: str, needle: str
) -> None:
    root = tmp_path / "b"
    if setup != "none":
        root.mkdir()
    if setup in ("bad_table", "bad_toml"):
        (root / "S1").mkdir()
        text = '[bureau]\ncity = "x"\n' if setup == "bad_table" else "name = [\n"
        (root / "bureau.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_bureau(root)
    message = str(caught.value)
    assert needle in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # Chinese too


def test_a_station_is_read_with_the_shared_settings_and_the_store_keeps_them(
    tiny_bureau: Path, tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "bureau"
    shutil.copytree(tiny_bureau, root)
    (root / "bureau.toml").write_text(
        '[bureau]\nname = "x"\n\n[teams]\nmax_walk_km = 5.5\n', encoding="utf-8"
    )
    bureau = read_bureau(root)
    station = bureau.stations[0]
    before = sorted((p.name, p.read_bytes()) for p in Path(station.folder).iterdir())
    text = station_settings_text(bureau, station)
    assert text is not None and "max_walk_km = 5.5" in text
    job = StationJob(station.name, station.folder, str(tmp_path / "o"), text, TINY_PARAMS, "k")
    scenario = read_station(job)
    assert scenario.settings.teams.max_walk_km == 5.5
    assert scenario.settings.station == "合成S01派出所"  # the station's own key kept
    assert scenario.source == station.folder
    assert settings_text(scenario) == text
    assert sorted((p.name, p.read_bytes()) for p in Path(station.folder).iterdir()) == before


def test_station_key_follows_files_settings_and_parameters(tiny_bureau: Path) -> None:
    station = Station("S01", str(tiny_bureau / "S01"))
    key = station_key(station, settings_toml=None, params=TINY_PARAMS)
    assert key == station_key(station, settings_toml=None, params=TINY_PARAMS)
    assert key != station_key(station, settings_toml="seed = 1\n", params=TINY_PARAMS)
    other = Station("S01", str(tiny_bureau / "S03"))
    assert key != station_key(other, settings_toml=None, params=TINY_PARAMS)
