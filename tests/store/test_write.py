"""Writing the store: layers as the schema says, a relative scenario path, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from patrol.store import schema
from patrol.store.layers import layer_names, read_meta
from patrol.store.write import demand_layers, plan_layers, plan_meta, write_coverage, write_plan
from tests.store.conftest import Saved


def test_plan_layers_follow_the_schema(saved: Saved) -> None:
    layers = plan_layers(saved.plan)
    for layer in schema.PLAN_LAYERS:
        assert list(layers[layer.name].columns[: len(layer.names)]) == layer.names
        assert isinstance(layers[layer.name], gpd.GeoDataFrame) == layer.spatial
    assert len(layers["stops"]) == sum(len(r.stops) for r in saved.plan.routes)
    assert layers["routes"].crs == saved.plan.scenario.crs


def test_demand_layers_hold_every_task(saved: Saved) -> None:
    demand = saved.plan.demand
    layers = demand_layers(demand, crs=saved.plan.scenario.crs)
    tasks = layers[schema.TASKS.name]
    assert list(tasks.columns[:-1]) == schema.TASKS.names
    assert list(tasks["task_id"]) == [t.task_id for t in demand.tasks]
    assert len(layers[schema.EDGE_GRID.name]) == len(demand.edge_grid)


def test_plan_meta_refers_to_the_scenario_relative_to_out(saved: Saved) -> None:
    meta = plan_meta(saved.plan, saved.out)
    assert meta["schema_version"] == schema.SCHEMA_VERSION
    assert meta["scenario"] == "../tiny"
    assert meta["plan_id"] == saved.plan.plan_id and "week_start" in meta["settings_toml"]


def test_write_plan_holds_no_absolute_path(saved: Saved) -> None:
    summary = json.loads((saved.out / schema.SUMMARY_FILE).read_text(encoding="utf-8"))
    assert summary["scenario"] == "../tiny"
    assert str(saved.scenario.parent) not in (saved.out / schema.SUMMARY_FILE).read_text()
    gpkg = saved.out / schema.PLAN_FILE
    assert not Path(read_meta(gpkg)["scenario"]).is_absolute()
    assert {ly.name for ly in schema.PLAN_LAYERS} <= layer_names(gpkg)


def test_write_plan_then_coverage(saved: Saved, tmp_path: Path) -> None:
    written = write_plan(saved.plan, tmp_path)
    assert all(p.exists() for p in written)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temp files left"
    names = layer_names(tmp_path / schema.PLAN_FILE)
    assert {ly.name for ly in schema.DEMAND_LAYERS} <= names
    assert not {ly.name for ly in schema.COVERAGE_LAYERS.values()} & names
    written = write_coverage(saved.coverage, tmp_path)
    assert {ly.name for ly in schema.COVERAGE_LAYERS.values()} <= layer_names(written[0])
    summary = json.loads((tmp_path / schema.SUMMARY_FILE).read_text(encoding="utf-8"))
    assert set(summary["coverage"]) == set(saved.coverage.summary)
    assert (tmp_path / "coverage.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_people_csvs_and_workbook_read_in_chinese(saved: Saved) -> None:
    """Issue #19: Chinese headers, names not codes, no True/False or ISO times in zh."""
    import csv

    import openpyxl

    texts = {
        name: (saved.out / f"{name}.csv").read_text(encoding="utf-8-sig")
        for name in ("routes", "stops", "teams", "unserved", "grids", "duty", "coverage")
    }
    for name, text in texts.items():
        header = next(csv.reader([text.splitlines()[0]]))
        assert not any(h.isascii() for h in header), (name, header)
        for code in ("True", "False", "(officer)", "(grid_worker)", "T09:", "T19:"):
            assert code not in text, (name, code)
    coverage = list(csv.DictReader(texts["coverage"].splitlines()))
    assert len(coverage[0]) < 30 and "街道巡走比例(%)" in coverage[0]
    assert all(len(r["街道巡走比例(%)"].partition(".")[2]) <= 1 for r in coverage)
    book = openpyxl.load_workbook(saved.out / "plan.xlsx")
    assert {"巡逻路线", "停靠点", "小队成员", "网格需求", "人员班次", "网格覆盖"} <= set(
        book.sheetnames
    )
    assert book["巡逻路线"]["F2"].is_date
