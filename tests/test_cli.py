"""The command line as a user meets it: clear errors with exit code 2, the whole job."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from patrol import __version__
from patrol.cli import build_parser, main
from tests.factory import write_tiny_scenario


def test_validate_reports_ok(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tiny_dir)]) == 0
    assert "校验无误" in capsys.readouterr().out  # Chinese by default
    assert main(["validate", str(tiny_dir), "--lang", "en"]) == 0
    assert "OK" in capsys.readouterr().out


def test_bad_input_is_one_message_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_tiny_scenario(tmp_path / "bad")
    (folder / "patrol.toml").write_text('week_start = "2026-11-30"\ncolour = "red"\n')
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "colour" in err and "Traceback" not in err
    assert main(["validate", str(tmp_path / "missing")]) == 2


@pytest.mark.slow
def test_plan_then_redraw_and_reprint(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["plan", str(tiny_dir), "--out", str(out), "--seed", "1"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "coverage" in summary and summary["routes"] > 0
    for name in ("plan.gpkg", "maps/plan.html", "maps/coverage.html", "sheets/week.pdf"):
        assert (out / name).exists(), name
    (out / "maps" / "plan.html").unlink()
    assert main(["map", str(out), "--lang", "en"]) == 0
    assert (out / "maps" / "plan.html").exists()
    assert main(["sheets", str(out), "--split", "--redact"]) == 0
    assert len(list((out / "sheets").glob("*.pdf"))) > 8
    before = (out / "coverage.csv").read_bytes()
    (out / "coverage.csv").unlink()
    assert main(["coverage", str(out)]) == 0
    assert (out / "coverage.csv").read_bytes() == before  # measured again: the same figures


def test_bad_tiles_value_is_a_clear_error(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["plan", str(tiny_dir), "--out", str(out), "--tiles", "nonsense"])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_build_parser_lists_every_command_with_a_sentence_of_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    commands = {"demo", "validate", "plan", "coverage", "map", "sheets", "import", "synth"}
    assert commands <= set(sub.choices)  # and one group per module of COMMAND_MODULES
    helps = {a.dest: a.help or "" for a in sub._choices_actions}  # what `patrol -h` lists
    assert set(helps) == set(sub.choices)
    assert all(text.endswith(".") and text[0].isupper() for text in helps.values()), helps
    args = parser.parse_args(["plan", "scen", "--out", "o"])
    assert (args.command, args.scenario, args.out, args.verbose) == ("plan", "scen", "o", False)
    assert callable(args.func)
    args = parser.parse_args(["-v", "import", "chicago", "o"])
    assert (args.city, args.district, args.seed, args.verbose) == ("chicago", "12", 0, True)
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"patrol {__version__}"
    with pytest.raises(SystemExit) as info:
        parser.parse_args([])  # a command is required: exit code 2 with a message
    assert info.value.code == 2 and "COMMAND" in capsys.readouterr().err


def test_an_unusable_out_is_one_message_before_reading_or_planning(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "out.txt"
    afile.write_text("not a folder")
    assert main(["plan", str(tiny_dir), "--out", str(afile)]) == 2
    err = capsys.readouterr().err
    assert "是一个文件" in err and "is a file" not in err and "Traceback" not in err
    assert "正在读取" not in err  # said before the scenario was read, let alone planned
    assert afile.read_text() == "not a folder"
    assert main(["plan", str(tiny_dir), "--out", str(tiny_dir), "--lang", "en"]) == 2
    assert "holds the scenario" in capsys.readouterr().err


def test_wall_clock_needs_a_time_limit_and_the_help_says_what_is_promised(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["plan", str(tiny_dir), "--out", str(out), "--wall-clock"]) == 2
    assert "--time-limit" in capsys.readouterr().err and not out.exists()
    parser = build_parser()
    plan = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in plan.choices["plan"]._actions}
    assert "deterministic" in helps["time_limit"] and "any load" in helps["time_limit"]
    assert "whole run" in helps["wall_clock"] and "20%" in helps["wall_clock"]


@pytest.mark.parametrize(
    "options",
    [
        ["--time-limit", "inf"],
        ["--time-limit", "nan"],
        ["--time-limit", "-1"],
        ["--seed", "-1"],
        ["--seed", "9223372036854775807"],
        ["--seed", "4294967296"],
        ["--max-iterations", "0"],
    ],
)
def test_run_options_are_range_checked_before_any_work(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    out = tmp_path / "out"
    assert main(["plan", str(tiny_dir), "--out", str(out), *options]) == 2
    err = capsys.readouterr().err
    assert options[0] in err and "正在读取" not in err and "Traceback" not in err
    assert not out.exists()
