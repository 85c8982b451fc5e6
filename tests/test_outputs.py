"""The output chain: plan -> coverage -> store -> maps -> sheets, and redrawing from the store."""

from __future__ import annotations

import errno
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from patrol.cli import main
from patrol.errors import PatrolError
from patrol.labels import said
from patrol.outputs import (
    OutputOptions,
    check_output_folder,
    count_progress,
    draw_week,
    language_of,
    moved_paths,
    read_week,
    run_week,
    staged_folder,
)
from patrol.planner import PlanParams
from patrol.scenario.read import read_scenario

PARAMS = PlanParams(time_limit_s=4, seed=1, max_iterations=100)


def test_run_week_writes_every_output_and_reads_back(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    told: list[str] = []
    week = run_week(read_scenario(tiny_dir), out, params=PARAMS, progress=told.append)
    routes = len(week.plan.routes)
    assert f"Route maps drawn: {routes}/{routes}" in told and "Maps drawn: 2/2" in told
    assert set(week.timings) == {"store_s", "coverage_s", "maps_s", "sheets_s"}
    names = {p.relative_to(out).as_posix() for p in week.written}
    for name in ("plan.gpkg", "summary.json", "maps/plan.html", "sheets/week.pdf"):
        assert name in names
    again = read_week(out)
    assert [r.team.team_id for r in again.plan.routes] == [r.team.team_id for r in week.plan.routes]
    assert again.coverage.summary == week.coverage.summary


def test_draw_week_draws_only_what_is_asked_in_the_language_asked(
    tiny_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_week(read_scenario(tiny_dir), out, params=PARAMS)
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    shutil.rmtree(moved / "maps")
    week = read_week(moved)
    options = OutputOptions(lang="en")
    assert language_of(week.plan, options) == "en"
    assert language_of(week.plan, OutputOptions()) == week.plan.scenario.settings.language
    written = draw_week(week, moved, options=options, sheets=False)
    assert {p.parent.name for p in written} == {"maps"}
    html = (moved / "maps" / "plan.html").read_text(encoding="utf-8")
    assert ": patrol plan" in html and "巡逻计划图" not in html


# A run killed at a moment: the hook pauses the named function (before its call, or after
# its first call), says PAUSED on stdout and waits there to be killed with SIGKILL.
_HOOK = r"""
import importlib, sys, time
from patrol.cli import main
module, attr, when = sys.argv[1:4]
owner = importlib.import_module(module)
name = attr
if "." in attr:
    cls, name = attr.split(".")
    owner = getattr(owner, cls)
real = getattr(owner, name)
def paused(*args, **kwargs):
    result = real(*args, **kwargs) if when == "after" else None
    print("PAUSED", flush=True)
    time.sleep(600)
    return result
setattr(owner, name, paused)
sys.exit(main(sys.argv[4:]))
"""

KILL_MOMENTS = {
    "planning": ("patrol.routing.solvers", "solve", "before"),
    "store": ("patrol.store.write", "write_csv", "after"),
    "coverage": ("patrol.coverage.of_plan", "measure_plan_coverage", "before"),
    "maps": ("patrol.render.maps.write", "coverage_map", "before"),  # plan.html written
    "sheets": ("patrol.render.pdf", "Doc.save", "after"),  # week.pdf written, days not
}


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _start_killable(moment: str, scenario: Path, out: Path) -> subprocess.Popen[str]:
    module, attr, when = KILL_MOMENTS[moment]
    args = ["plan", str(scenario), "--out", str(out), "--seed", "2", "--lang", "en"]
    return subprocess.Popen(
        [sys.executable, "-c", _HOOK, module, attr, when, *args, "--max-iterations", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when_paused(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    with proc.stdout:
        for line in proc.stdout:  # blocks until the hook speaks (or the run ends: a failure)
            if "PAUSED" in line:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before its kill moment"


def _plan_args(scenario: Path, out: Path) -> list[str]:
    return ["plan", str(scenario), "--out", str(out), "--seed", "1", "--max-iterations", "30"]


@pytest.mark.slow
def test_a_run_killed_at_any_moment_leaves_the_previous_plan_whole_or_nothing(
    tiny_dir: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    assert main(_plan_args(tiny_dir, first)) == 0
    before = _hashes(first)
    outs = {m: tmp_path / f"out_{m}" for m in KILL_MOMENTS if m != "planning"}
    for out in outs.values():
        shutil.copytree(first, out)
    nothing = tmp_path / "never_planned"  # killed while planning its first plan
    runs = {m: _start_killable(m, tiny_dir, out) for m, out in outs.items()}
    runs["planning"] = _start_killable("planning", tiny_dir, nothing)
    try:
        for proc in runs.values():
            _kill_when_paused(proc)
    finally:
        for proc in runs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for moment, out in outs.items():
        assert _hashes(out) == before, f"killed during {moment}: OUT is not the previous plan"
    assert read_week(outs["sheets"]).plan.plan_id == read_week(first).plan.plan_id
    assert not nothing.exists()
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".out_maps.tmp-")]
    assert len(stale) == 1  # the killed run's new folder, half written ...
    assert main(_plan_args(tiny_dir, outs["maps"])) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out_maps.")]  # ... gone


def test_staged_folder_turns_a_full_disk_into_one_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.gpkg").write_text("previous plan")
    with pytest.raises(PatrolError) as info, staged_folder(out) as stage:
        (stage / "summary.json").write_text("{}")
        raise OSError(errno.ENOSPC, "No space left on device", str(stage / "routes.csv"))
    text = str(info.value)
    assert "磁盘已满" in text and "disk filled up" in text and "routes.csv" in text
    assert [p.name for p in out.iterdir()] == ["plan.gpkg"]  # OUT as it was
    assert (out / "plan.gpkg").read_text() == "previous plan"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    with staged_folder(out, copy_old=True) as stage:
        (stage / "maps").mkdir()
    written = moved_paths([stage / "maps"], stage, out)
    assert written == [out / "maps"] and sorted(p.name for p in out.iterdir()) == [
        "maps",
        "plan.gpkg",
    ]


def test_check_output_folder_says_before_planning_what_is_wrong(
    tmp_path: Path, tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(PatrolError, match=r"是一个文件(.|\n)*is a file"):
        check_output_folder(afile)
    other = tmp_path / "documents"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(PatrolError, match=r"plan\.gpkg"):
        check_output_folder(other)  # a run replaces OUT whole: never someone's folder
    with pytest.raises(PatrolError, match="holds the scenario"):
        check_output_folder(tiny_dir.parent, scenario=tiny_dir)
    new = tmp_path / "a" / "b" / "out"
    assert check_output_folder(new, scenario=tiny_dir) == new and new.parent.is_dir()

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EROFS, "Read-only file system")

    with monkeypatch.context() as m:
        m.setattr(tempfile, "mkdtemp", refuse)
        with pytest.raises(PatrolError, match=r"只读(.|\n)*read-only"):
            check_output_folder(new)

    class Usage:
        free = 10_000_000

    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage())
    with pytest.raises(PatrolError, match="10 MB free"):
        check_output_folder(new, scenario=tiny_dir)


def test_count_progress_tells_about_ten_times_and_the_end() -> None:
    told: list[str] = []
    tell = count_progress(told.append, "progress.route_maps_drawn")
    for done in range(1, 101):
        tell(done, 100)
    assert len(told) == 10 and told[0] == "Route maps drawn: 10/100"
    assert told[-1] == "Route maps drawn: 100/100"
    assert said(told[-1], "zh") == "路线图已绘制：100/100"
    few: list[str] = []
    tell = count_progress(few.append, "progress.maps_drawn", steps=2)
    tell(1, 2)
    tell(2, 2)
    assert few == ["Maps drawn: 1/2", "Maps drawn: 2/2"]


def test_the_language_option_reaches_the_csv_headers(tiny_dir: Path, tmp_path: Path) -> None:
    """``--lang en`` gives English CSV headers, the default (zh) Chinese ones."""
    import pandas as pd

    zh, en = tmp_path / "zh", tmp_path / "en"
    scenario = read_scenario(tiny_dir)
    run_week(scenario, zh, params=PARAMS)
    run_week(scenario, en, params=PARAMS, options=OutputOptions(lang="en"))
    for name in ("routes.csv", "coverage.csv"):
        zh_cols = list(pd.read_csv(zh / name, encoding="utf-8-sig", nrows=0).columns)
        en_cols = list(pd.read_csv(en / name, encoding="utf-8-sig", nrows=0).columns)
        assert all(c.isascii() for c in en_cols), en_cols
        assert any(not c.isascii() for c in zh_cols), zh_cols
