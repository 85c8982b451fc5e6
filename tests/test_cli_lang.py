"""The command line speaks the chief's language: every message of a broken roster, a
broken grid layer or a bad patrol.toml in Chinese by default, in English with --lang en
(file, row, what is wrong, how to fix it), and no English words or codes in the Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from patrol.cli import main
from tests.factory import TOML, tiny_layers, write_tiny_scenario

Layers = dict[str, pd.DataFrame]
# three English words in a row, or a role/category code: an untranslated text
_ENGLISH = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}|grid_worker|officer|auxiliary")


def _broken_roster(layers: Layers) -> None:
    roster = layers["roster"].astype(object)
    roster.loc[0, "role"] = "boss"
    roster.loc[1, "available"] = "Mon-Fri dya"
    roster.loc[2, "max_shifts_per_week"] = "many"
    layers["roster"] = roster


def _broken_grids(layers: Layers) -> None:
    grids = layers["grids"].copy()
    grids.loc[0, "risk"] = "purple"
    grids.loc[1, "grid_id"] = "G3"  # G2 gone: G3 twice
    grids.loc[3, "households"] = -5
    layers["grids"] = grids


CASES: dict[str, tuple[Callable[[Layers], None] | None, str, tuple[str, ...]]] = {
    "roster": (_broken_roster, TOML, ("roster.csv", "第 2 行", "角色“boss”无法识别", "改正")),
    "grids": (_broken_grids, TOML, ("grids.geojson", "风险颜色无法识别", "重复使用了 2 次")),
    "toml": (
        None,
        TOML.replace('language = "zh"', 'language = "fr"\ncolour = "red"')
        + "[travel]\nspeed_kmh = nan\n",
        ("patrol.toml", "不支持语言“fr”", "没有“colour”这项设置", "travel.speed_kmh"),
    ),
}
ENGLISH = {
    "roster": ("roster.csv [", "role 'boss' is unknown.", "Fix:"),
    "grids": ("grids.geojson [", "unknown risk colour", "is used 2 times"),
    "toml": ("language 'fr' is not supported", "unknown setting 'colour'", "is not a number"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_speaks_chinese_by_default_and_english_with_lang_en(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, toml, chinese = CASES[case]
    layers = tiny_layers()
    if edit is not None:
        edit(layers)
    folder = write_tiny_scenario(tmp_path / case, layers=layers, toml=toml)
    assert main(["validate", str(folder)]) == 2
    zh = capsys.readouterr().err
    assert zh.startswith("[") and "正在读取" in zh.splitlines()[0]  # the progress line
    zh = zh.split("\n", 1)[1]
    assert zh.startswith("错误：输入中有 ") and "Traceback" not in zh
    for words in chinese:
        assert words in zh, zh
    for line in zh.splitlines()[1:]:
        text = line.split("：", 1)[1]  # after the file and field names
        assert not _ENGLISH.search(text), line
    assert main(["validate", str(folder), "--lang", "en"]) == 2
    en = capsys.readouterr().err.split("\n", 1)[1]
    assert en.startswith("error: ") and "problem(s) in the input" in en
    for words in ENGLISH[case]:
        assert words in en, en
    assert not re.search(r"[\u4e00-\u9fff]{3}", en.replace("政安里警务室", ""))


def test_warnings_and_the_verdict_follow_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layers = tiny_layers()
    layers["grids"] = layers["grids"].drop(columns="beat_id")
    layers["roster"] = layers["roster"].drop(columns="beat_id")
    layers["posts"] = layers["posts"].drop(columns="beat_id")
    folder = write_tiny_scenario(tmp_path / "s", layers=layers)
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "警告：grids.geojson：没有 beat_id" in out and "条警告" in out
    assert main(["validate", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "warning: grids.geojson: has no beat_id" in out and "warning(s))." in out


def test_the_progress_lines_of_a_plan_follow_the_language(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run's progress lines (network, teams, rounds, coverage, maps, the switch) are
    Chinese by default and English with ``--lang en``: no stage talks English to a
    Chinese station."""
    common = ["--time-limit", "2"]
    assert main(["plan", str(tiny_dir), "--out", str(tmp_path / "zh"), *common]) == 0
    zh = [line.split("] ", 1)[1] for line in capsys.readouterr().err.splitlines() if "] " in line]
    for words in ("正在构建街道路网", "组建“1+1+N”小队", "第1轮路线规划", "已规划", "正在计算覆盖"):
        assert any(words in line for line in zh), zh
    assert not [line for line in zh if _ENGLISH.search(line)], zh
    argv = ["plan", str(tiny_dir), "--out", str(tmp_path / "en"), *common, "--lang", "en"]
    assert main(argv) == 0
    en = capsys.readouterr().err
    assert "Building the street network" in en and "Routing round 1" in en
    assert not re.search(r"[\u4e00-\u9fff]{3}", en.replace("政安里警务室", ""))


def test_plan_shows_the_input_warnings_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """``patrol plan`` shows what validate warns about in the chief's language, and logs
    no English copy of it."""
    layers = tiny_layers()
    for layer in ("grids", "roster", "posts"):
        layers[layer] = layers[layer].drop(columns="beat_id")
    folder = write_tiny_scenario(tmp_path / "s", layers=layers)
    caplog.set_level("WARNING", logger="patrol")
    assert main(["plan", str(folder), "--out", str(tmp_path / "o"), "--time-limit", "1"]) == 0
    err = capsys.readouterr().err
    assert "警告：grids.geojson：没有 beat_id" in err, err
    assert not [r for r in caplog.records if "beat_id" in r.getMessage()]


def test_log_lines_a_chief_sees_are_said_in_the_language() -> None:
    """A library warning logged as a Phrase (no roads, a person left out of the teams)
    reads Chinese on a Chinese run, role names included, and English with --lang en."""
    import logging

    from patrol.cli.options import SaidFormatter
    from patrol.labels import Phrase

    def record(msg: object) -> logging.LogRecord:
        return logging.LogRecord("patrol", logging.WARNING, "", 0, msg, None, None)

    roads = record(Phrase("log.no_roads", factor="1.30"))
    assert SaidFormatter("zh").format(roads) == "警告：没有道路：行程按直线距离 × 1.30 估算。"
    assert (
        SaidFormatter("en").format(roads)
        == "WARNING: no roads: travel is straight-line distance x 1.30"
    )
    role = Phrase("role.officer")
    left = record(Phrase("log.unplaced", role=role, person="p01", name="张三", where="B9"))
    zh = SaidFormatter("zh").format(left)
    assert zh.startswith("警告：民警 p01（张三）") and not _ENGLISH.search(zh)
    assert SaidFormatter("zh").format(record("plain %s")) == "警告：plain %s"
