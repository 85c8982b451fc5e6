"""The same plan gives the same bytes: maps (HTML) and sheets (PDF), in two runs and in two
processes, with no ``generated`` stamp. Re-drawing a saved plan relies on this."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from patrol.coverage.of_plan import measure_plan_coverage
from patrol.render.maps import write_maps
from patrol.render.sheets import write_sheets
from tests.render.conftest import plan_tiny

REPO = Path(__file__).resolve().parents[2]


def _render(folder: Path) -> dict[str, bytes]:
    """Plan the tiny week afresh and write its maps, week PDF and day sheets (both copies)
    into folder; the bytes by path inside ``folder/out``."""
    plan = plan_tiny(folder / "tiny")
    coverage = measure_plan_coverage(plan)
    paths = write_maps(plan, coverage, folder / "out")
    paths += write_sheets(plan, folder / "out", coverage=coverage)
    return {p.relative_to(folder / "out").as_posix(): p.read_bytes() for p in paths}


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _render(tmp_path_factory.mktemp("first"))


def test_two_runs_give_identical_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    second = _render(tmp_path)
    assert {"maps/plan.html", "maps/coverage.html", "sheets/week.pdf"} <= set(first)
    assert any(name.startswith("sheets/2026") for name in first), "a day's team copies"
    assert any(name.startswith("sheets/police/2026") for name in first), "and police copies"
    assert list(first) == list(second)
    for name, data in first.items():
        assert data == second[name], name


def test_another_process_gives_identical_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from tests.render.test_determinism import _render
        for name, data in _render(Path({str(tmp_path)!r})).items():
            print(name)
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-2000:]
    names = run.stdout.split()
    assert names == list(first)
    out = tmp_path / "out"
    for name in names:
        assert (out / name).read_bytes() == first[name], name


def test_pages_say_nothing_about_the_clock(first: dict[str, bytes]) -> None:
    from patrol.labels import label

    page = first["maps/plan.html"].decode("utf-8")
    assert label("map.generated", "zh", time="").strip() not in page
    assert b"/CreationDate (D:20261130000000Z" in first["sheets/week.pdf"]
