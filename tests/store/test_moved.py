"""A saved plan redraws anywhere: moved to another folder, with its scenario deleted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _patrol(*args: str | Path) -> None:
    """Run the ``patrol`` command in its own process, as a user does."""
    command = [sys.executable, "-m", "patrol.cli", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def _outputs(out: Path) -> dict[str, bytes]:
    """The maps and sheets in ``out``, by their path inside it."""
    files = [*sorted((out / "maps").glob("*.html")), *sorted((out / "sheets").glob("*.pdf"))]
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


@pytest.mark.slow
def test_moved_plan_redraws_the_same_maps_and_sheets(sample_dir: Path, tmp_path: Path) -> None:
    """Plan the sample with the CLI, move OUT, delete the scenario copy it was planned
    from, then ``patrol map`` and ``patrol sheets`` on the moved folder: the maps and the
    sheets equal those written at plan time, byte for byte.

    Each command runs in its own process, as it does for a user (rendering the same PDF
    twice in one process does not yet give the same bytes).
    """
    scenario = Path(shutil.copytree(sample_dir, tmp_path / "zhenganli"))
    out = tmp_path / "out"
    args = ["--seed", "0", "--time-limit", "20", "--max-iterations", "300"]
    _patrol("plan", scenario, "--out", out, *args)
    at_plan_time = _outputs(out)
    assert any(k.endswith(".html") for k in at_plan_time)
    assert any(k.endswith(".pdf") for k in at_plan_time)
    moved = Path(shutil.move(out, tmp_path / "elsewhere" / "moved"))
    shutil.rmtree(scenario)
    shutil.rmtree(moved / "maps")
    shutil.rmtree(moved / "sheets")
    _patrol("map", moved)
    _patrol("sheets", moved)
    again = _outputs(moved)
    assert again.keys() == at_plan_time.keys()
    differ = [name for name in again if again[name] != at_plan_time[name]]
    assert not differ, f"redrawn outputs differ from those of plan time: {differ}"
