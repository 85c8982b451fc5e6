"""The bureau store in PostGIS (a real throwaway server) and the lock on ``OUT``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from patrol.bureau.lock import LOCK_FILE, bureau_lock
from patrol.cli import main
from patrol.errors import PatrolError


def _kept_run(farmed: dict[str, Any], root: Path, *extra: str) -> list[str]:
    """The farmed bureau without its broken station, copied so that a run keeps both
    planned stations (nothing to plan, no cluster): the argv of ``plan-bureau``."""
    shutil.copytree(farmed["bureau"], root / "bureau")
    shutil.rmtree(root / "bureau" / "S02")
    shutil.copytree(farmed["out"], root / "out")
    argv = ["plan-bureau", str(root / "bureau"), "--out", str(root / "out"), "--no-sheets"]
    return [*argv, "--no-maps", "--no-city", "--seed", "0", "--max-iterations", "40", *extra]


def test_the_week_goes_into_postgis_whole_and_a_rerun_replaces_it(
    farmed: dict[str, Any], postgis_url: str, tmp_path: Path
) -> None:
    from patrol.bureau.pgstore import read_bureau_table

    argv = _kept_run(farmed, tmp_path, "--time-limit", "2", "--store", postgis_url)
    assert main(argv) == 0
    routes = read_bureau_table(postgis_url, "routes")
    one = gpd.read_file(tmp_path / "out" / "stations" / "S01" / "plan.gpkg", layer="routes")
    assert set(routes["station"]) == {"S01", "S03"}
    assert (routes["station"] == "S01").sum() == len(one)
    assert routes.crs.to_epsg() == 4326 and routes.geometry.notna().all()
    gpkg = gpd.read_file(tmp_path / "out" / "bureau.gpkg", layer="routes")
    degrees = shapely.length(routes.geometry.to_numpy()).sum()  # the same lines, in degrees
    assert degrees == pytest.approx(shapely.length(gpkg.geometry.to_numpy()).sum(), rel=1e-9)
    table = read_bureau_table(postgis_url, "station_table")
    assert list(table["station"]) == ["S01", "S03"] and table["week_start"].nunique() == 1
    assert main(argv) == 0  # the same week again: replaced, not doubled
    assert len(read_bureau_table(postgis_url, "routes")) == len(routes)


def test_weeks_accumulate_and_a_failed_write_changes_nothing(postgis_url: str) -> None:
    from patrol.bureau.pgstore import read_bureau_table, write_bureau_postgis

    def frames(names: list[str]) -> dict[str, pd.DataFrame]:
        points = [shapely.Point(116.3 + i / 100, 39.9) for i in range(len(names))]
        gdf = gpd.GeoDataFrame({"station": names, "n": range(len(names))}, geometry=points)
        return {"probe": gdf.set_crs(4326)}

    write_bureau_postgis(postgis_url, frames(["A", "B"]), week_start=dt.date(2026, 11, 30))
    write_bureau_postgis(postgis_url, frames(["A"]), week_start=dt.date(2026, 12, 7))
    both_weeks = read_bureau_table(postgis_url, "probe")
    assert len(both_weeks) == 3
    week = read_bureau_table(postgis_url, "probe", week_start=dt.date(2026, 12, 7))
    assert list(week["station"]) == ["A"]
    broken = frames(["C"])
    broken['bad name"; drop'] = pd.DataFrame({"x": [1]})  # fails inside the transaction
    with pytest.raises(PatrolError, match="分局数据库"):
        write_bureau_postgis(
            postgis_url, {**frames(["C"]), **broken}, week_start=dt.date(2026, 12, 7)
        )
    after = read_bureau_table(postgis_url, "probe", week_start=dt.date(2026, 12, 7))
    assert list(after["station"]) == ["A"]  # the failed week's delete was rolled back


def test_a_file_store_is_refused_with_what_to_give(farmed: dict[str, Any], tmp_path: Path) -> None:
    argv = _kept_run(farmed, tmp_path, "--store", str(tmp_path / "b.gpkg"))
    assert main(argv) == 2


def test_a_second_run_on_the_same_out_is_refused_while_the_first_holds_it(
    farmed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _kept_run(farmed, tmp_path)
    out = tmp_path / "out"
    with bureau_lock(out):
        assert (out / LOCK_FILE).read_text("utf-8").split() == [
            socket.gethostname(),
            str(os.getpid()),
        ]
        assert main(argv) == 2
        assert "另一个分局编制正在写" in capsys.readouterr().err
    assert not (out / LOCK_FILE).exists()
    assert main(argv) == 0  # the lock is gone once the first run ends


def test_the_lock_of_a_run_that_died_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text(f"{socket.gethostname()} 999999999\n", "utf-8")
    with bureau_lock(tmp_path):
        assert (tmp_path / LOCK_FILE).read_text("utf-8").split()[1] == str(os.getpid())
    (tmp_path / LOCK_FILE).write_text("other-host 1\n", "utf-8")
    with pytest.raises(PatrolError, match="other-host"), bureau_lock(tmp_path):
        pass
