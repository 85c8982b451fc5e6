"""Reading the store back: the same plan and coverage, without the scenario folder."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from patrol.errors import InputError
from patrol.store import schema
from patrol.store.layers import read_meta, write_layers
from patrol.store.read import (
    read_coverage,
    read_demand,
    read_plan,
    scenario_folder,
    stale_inputs,
)
from tests.store.conftest import Saved


def _moved(saved: Saved, tmp_path: Path) -> Path:
    """A copy of the saved plan in another folder, with no scenario beside it."""
    return Path(shutil.copytree(saved.out, tmp_path / "elsewhere" / "out"))


def test_round_trip_gives_the_same_plan(saved: Saved, tmp_path: Path) -> None:
    plan = saved.plan
    again = read_plan(_moved(saved, tmp_path))
    assert again.routes == plan.routes
    assert again.team_plan == plan.team_plan
    assert again.demand.tasks == plan.demand.tasks
    assert [t.geometry for t in again.demand.tasks] == [t.geometry for t in plan.demand.tasks]
    assert again.unserved == plan.unserved
    assert again.slots == plan.slots
    assert (again.plan_id, again.engine, again.seed) == (plan.plan_id, plan.engine, plan.seed)
    assert again.upper_bound == plan.upper_bound and again.timings == plan.timings
    assert again.weighted_demand_met == plan.weighted_demand_met
    pd.testing.assert_frame_equal(again.grid_table, plan.grid_table)
    assert again.scenario.source == "", "the scenario folder is not beside the copy"


def test_read_demand_gives_the_same_demand(saved: Saved) -> None:
    gpkg = saved.out / schema.PLAN_FILE
    demand, original = read_demand(gpkg, read_meta(gpkg)), saved.plan.demand
    assert demand.tasks == original.tasks
    assert demand.needs == original.needs and demand.hotspots == original.hotspots
    assert demand.visits_due == original.visits_due
    pd.testing.assert_series_equal(demand.edge_grid, original.edge_grid)


def test_read_coverage_gives_the_same_figures_and_layers(saved: Saved, tmp_path: Path) -> None:
    coverage = read_coverage(_moved(saved, tmp_path))
    original = saved.coverage
    assert coverage.summary.keys() == original.summary.keys()
    for key, value in original.summary.items():
        assert coverage.summary[key] == pytest.approx(value, nan_ok=True), key
    for attr in schema.COVERAGE_LAYERS:
        frame = getattr(original, attr)
        frame = frame.loc[:, ~frame.columns.duplicated(keep="last")]
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(coverage, attr)), pd.DataFrame(frame))


def test_read_coverage_of_a_plan_without_coverage(tmp_path: Path) -> None:
    write_layers(tmp_path, {}, schema_version=schema.SCHEMA_VERSION)
    with pytest.raises(InputError, match="patrol coverage"):
        read_coverage(tmp_path)


def test_scenario_folder_is_found_relative_to_out(saved: Saved, tmp_path: Path) -> None:
    assert scenario_folder(saved.out) == saved.out / "../tiny"
    assert scenario_folder(_moved(saved, tmp_path)) is None
    assert scenario_folder(saved.out, scenario=tmp_path / "nowhere") is None


def test_changed_scenario_files_are_named_and_the_plan_still_reads(
    saved: Saved, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = Path(shutil.copytree(saved.scenario, tmp_path / "tiny"))
    out = Path(shutil.copytree(saved.out, tmp_path / "out"))
    assert stale_inputs(out) == []
    (folder / "roster.csv").write_text("changed\n", encoding="utf-8")
    assert stale_inputs(out) == ["roster.csv"]
    with caplog.at_level(logging.WARNING, logger="patrol"):
        plan = read_plan(out)
    assert plan.routes == saved.plan.routes
    assert "roster.csv" in caplog.text and "场景文件" in caplog.text and "changed" in caplog.text
    shutil.rmtree(folder)
    assert stale_inputs(out) == []


def test_a_store_of_another_version_is_refused(saved: Saved, tmp_path: Path) -> None:
    out = _moved(saved, tmp_path)
    write_layers(out, {}, schema_version=schema.SCHEMA_VERSION + 1)
    for read in (read_plan, read_coverage):
        with pytest.raises(InputError, match=f"version {schema.SCHEMA_VERSION + 1}"):
            read(out)
