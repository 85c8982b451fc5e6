"""The command line as a user meets it: clear errors with exit code 2, the whole job."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patrol.cli import main
from tests.factory import write_tiny_scenario


def test_validate_reports_ok(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tiny_dir)]) == 0
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
