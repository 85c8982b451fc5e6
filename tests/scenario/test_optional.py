"""Optional fields are optional in every stage: the tiny scenario (tests/factory.py) is
validated and planned without each optional column of each layer, and the bundled sample
without ``last_visit`` (which once passed validate and crashed plan)."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from patrol.planner import PlanParams, plan_week
from patrol.scenario.files import find_layer_file
from patrol.scenario.read import read_scenario
from patrol.scenario.validate import SPECS
from tests.factory import write_tiny_scenario

QUICK = PlanParams(time_limit_s=0.5, max_iterations=20, seed=1)
OPTIONAL = [
    (layer, col)
    for layer, spec in SPECS.items()
    for col in spec.columns
    if col not in spec.required and col != spec.id_field
]
# columns that refer to the dropped one go with it (a beat nobody declares is an error)
ALSO = {("grids", "beat_id"): [("roster", "beat_id"), ("posts", "beat_id")]}


def _drop(folder: Path, layer: str, col: str) -> None:
    path = find_layer_file(folder, layer)
    assert path is not None
    if path.suffix == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        table.drop(columns=[col], errors="ignore").to_csv(path, index=False)
    else:
        gdf = gpd.read_file(path)
        gdf.drop(columns=[col], errors="ignore").to_file(path)


def test_every_layer_has_optional_columns_to_drop() -> None:
    assert {layer for layer, _ in OPTIONAL} == set(SPECS)
    assert ("focus_households", "last_visit") in OPTIONAL


@pytest.mark.parametrize(("layer", "col"), OPTIONAL, ids=[f"{a}.{b}" for a, b in OPTIONAL])
def test_the_tiny_scenario_plans_without_an_optional_column(
    tmp_path: Path, layer: str, col: str
) -> None:
    folder = write_tiny_scenario(tmp_path / "s")
    for a, b in [(layer, col), *ALSO.get((layer, col), [])]:
        _drop(folder, a, b)
    scenario = read_scenario(folder)
    plan = plan_week(scenario, QUICK)
    assert plan.routes or plan.unserved


def test_the_sample_plans_without_last_visit(tmp_path: Path, sample_dir: Path) -> None:
    folder = tmp_path / "sample"
    shutil.copytree(sample_dir, folder)
    _drop(folder, "focus_households", "last_visit")
    scenario = read_scenario(folder)
    assert scenario.focus_households["last_visit"].isna().all()
    plan = plan_week(scenario, QUICK)
    visits = [s for r in plan.routes for s in r.stops if s.kind == "visit"]
    assert visits or any(u.task.kind == "visit" for u in plan.unserved)
