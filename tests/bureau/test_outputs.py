"""The bureau's outputs through ``patrol plan-bureau``: table, store, offline map."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from patrol.bureau.outputs import bureau_map, station_table, table_for_people
from patrol.cli import main
from tests.render.test_maps import remote_fetches


@pytest.fixture(scope="module")
def by_cli(farmed: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The farmed bureau without its broken station, run again by the command: both
    stations are kept (nothing to plan, so no cluster is started) and every bureau
    output is written."""
    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(farmed["bureau"], root / "bureau")
    shutil.rmtree(root / "bureau" / "S02")
    shutil.copytree(farmed["out"], root / "out")
    argv = ["plan-bureau", str(root / "bureau"), "--out", str(root / "out"), "--no-sheets"]
    argv += ["--no-maps", "--seed", "0", "--max-iterations", "40", "--time-limit", "2"]
    return {"code": main(argv), "out": root / "out"}


def test_the_command_keeps_unchanged_stations_and_writes_the_tables(
    by_cli: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert by_cli["code"] == 0
    table = pd.read_csv(by_cli["out"] / "stations_en.csv", encoding="utf-8-sig")
    assert list(table["station"]) == ["S01", "S03"]
    assert list(table["status"]) == ["kept", "kept"]
    zh = pd.read_csv(by_cli["out"] / "stations.csv", encoding="utf-8-sig")
    assert list(zh.columns[:3]) == ["派出所", "状态", "网格数"]
    assert list(zh["状态"]) == ["沿用", "沿用"]
    assert zh.loc[0, "加权需求完成率"].endswith("%")


def test_plan_bureau_puts_a_failed_station_in_the_table_with_its_message(
    farmed: dict[str, Any], cluster_client: Any, tmp_path: Path
) -> None:
    from patrol.bureau.run import plan_bureau
    from tests.bureau.conftest import TINY_PARAMS

    shutil.copytree(farmed["out"], tmp_path / "out")
    run = plan_bureau(
        farmed["bureau"],
        tmp_path / "out",
        params=TINY_PARAMS,
        client=cluster_client,
        maps=False,
        sheets=False,
        city=False,
    )
    assert [r.name for r in run.failed()] == ["S02"]
    table = pd.read_csv(tmp_path / "out" / "stations_en.csv", encoding="utf-8-sig")
    assert list(table["status"]) == ["kept", "failed", "kept"]
    assert "grids" in table.loc[1, "message"]


def test_the_bureau_store_holds_every_planned_station_and_the_city(
    by_cli: dict[str, Any],
) -> None:
    gpkg = by_cli["out"] / "bureau.gpkg"
    names = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {
        "routes",
        "stops",
        "blind_spots",
        "grid_coverage",
        "stations",
        "city_blind_spots",
    } <= names
    routes = gpd.read_file(gpkg, layer="routes")
    assert set(routes["station"]) == {"S01", "S03"} and routes.crs.to_epsg() == 4326
    one = gpd.read_file(by_cli["out"] / "stations" / "S01" / "plan.gpkg", layer="routes")
    assert (routes["station"] == "S01").sum() == len(one)
    stations = gpd.read_file(gpkg, layer="stations")
    assert list(stations["station"]) == ["S01", "S03"]
    city = gpd.read_file(gpkg, layer="city_blind_spots")
    assert len(city) > 0 and city["stations"].str.len().min() > 0


def test_bureau_html_opens_offline(by_cli: dict[str, Any]) -> None:
    text = (by_cli["out"] / "bureau.html").read_text(encoding="utf-8")
    assert remote_fetches(text) == []
    assert "L.map(" in text and "合成示例分局" in text


def test_names_on_the_map_are_escaped() -> None:
    name = "<script>alert(1)</script>"
    stations = gpd.GeoDataFrame(
        {"station": [name]}, geometry=[shapely.box(117.2, 39.1, 117.21, 39.11)], crs=4326
    )
    table = pd.DataFrame({"station": [name], "demand_met": [0.9], "blind_spots": [2]})
    page = bureau_map({"stations": stations}, table, name=name).get_root().render()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_station_table_reads_the_station_summaries(farmed: dict[str, Any]) -> None:
    table = station_table(farmed["run"], farmed["out"])
    row = table.set_index("station").loc["S01"]
    assert 0 < row["demand_met"] <= row["bound"] <= 1
    assert row["routes"] > 0 and row["status"] == "planned"
    shown = table_for_people(table, "en")
    assert shown.loc[1, "status"] == "failed" and shown.loc[1, "weighted demand met"] == ""


def test_output_folder_inside_the_bureau_is_refused(farmed: dict[str, Any], tmp_path: Path) -> None:
    code = main(["plan-bureau", str(farmed["bureau"]), "--out", str(farmed["bureau"] / "out")])
    assert code == 2
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["plan-bureau", str(farmed["bureau"]), "--out", str(tmp_path)]) == 2
