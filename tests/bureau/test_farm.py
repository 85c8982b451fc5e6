"""Planning a bureau on a real Dask LocalCluster (two process workers).

The issue's test: three synthetic stations, one of them broken; the two good plans equal
the plans made one by one, the broken one is reported by name, and a second run skips
what did not change.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from patrol.bureau.farm import StationJob, plan_station, prepare_jobs, station_folder, stored_key
from patrol.bureau.folder import read_bureau
from tests.bureau.conftest import TINY_PARAMS

TABLES = ("routes.csv", "stops.csv", "teams.csv", "unserved.csv", "grids.csv")


def test_two_workers_plan_what_one_by_one_planning_gives(farmed: dict[str, Any]) -> None:
    from patrol.outputs import run_week
    from patrol.scenario.read import read_scenario

    run = farmed["run"]
    assert [(r.name, r.status) for r in run.results] == [
        ("S01", "planned"),
        ("S02", "failed"),
        ("S03", "planned"),
    ]
    assert len({r.worker for r in run.results}) == 2  # both worker processes took work
    for name in ("S01", "S03"):
        alone = farmed["root"] / "alone" / name
        scenario = read_scenario(farmed["bureau"] / name)
        run_week(scenario, alone, params=TINY_PARAMS, maps=False, sheets=False)
        farm = station_folder(farmed["out"], name)
        for table in TABLES:
            assert (farm / table).read_bytes() == (alone / table).read_bytes(), (name, table)


def test_the_broken_station_is_reported_by_name_and_the_others_finish(
    farmed: dict[str, Any],
) -> None:
    broken = next(r for r in farmed["run"].results if r.status == "failed")
    assert broken.name == "S02"
    assert "grids" in broken.message
    said = "\n".join(farmed["lines"])
    assert "S02: FAILED" in said and "S02：失败" in said
    assert "stations done 3/3" in said and "已完成 3/3 个派出所" in said
    assert not (station_folder(farmed["out"], "S02") / "plan.gpkg").exists()


def test_a_second_run_skips_unchanged_stations_only(farmed: dict[str, Any], tmp_path: Path) -> None:
    shutil.copytree(farmed["bureau"], tmp_path / "bureau")
    shutil.copytree(farmed["out"], tmp_path / "out")
    bureau, out = read_bureau(tmp_path / "bureau"), tmp_path / "out"
    jobs, settled = prepare_jobs(bureau, out, params=TINY_PARAMS)
    assert [j.name for j in jobs] == ["S02"]  # the broken one has no plan to keep
    assert [(r.name, r.status) for r in settled] == [("S01", "skipped"), ("S03", "skipped")]
    with (tmp_path / "bureau" / "S03" / "incidents.csv").open("a", encoding="utf-8") as f:
        f.write("I999999,2026-11-20T21:00:00,theft,2,117.2,39.1\n")
    jobs, _ = prepare_jobs(bureau, out, params=TINY_PARAMS)
    assert [j.name for j in jobs] == ["S02", "S03"]
    other = dataclasses.replace(TINY_PARAMS, seed=1)
    jobs, _ = prepare_jobs(bureau, out, params=other)
    assert [j.name for j in jobs] == ["S01", "S02", "S03"]  # other parameters re-plan


def test_plan_station_returns_a_failure_instead_of_raising(tmp_path: Path) -> None:
    job = StationJob("X", str(tmp_path / "missing"), str(tmp_path / "out"), None, TINY_PARAMS, "k")
    result = plan_station(job)
    assert result.status == "failed" and "missing" in result.message
    assert stored_key(tmp_path / "out") is None


def test_client_for_starts_nothing_when_nothing_is_to_plan() -> None:
    from patrol.bureau.farm import client_for

    with client_for(None, needed=False, workers=2, scheduler=None) as client:
        assert client is None
    given = object()
    with client_for(given, needed=True, workers=2, scheduler=None) as client:
        assert client is given
