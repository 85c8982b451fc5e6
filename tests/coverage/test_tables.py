"""The result tables: per street, per building, per grid and the station summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from patrol.coverage.tables import (
    building_table,
    coverage_by_grid,
    grid_layer,
    station_summary,
    street_table,
)
from tests.coverage.districts import measured_blind_district


def test_street_and_building_tables_have_one_row_each() -> None:
    layers, m = measured_blind_district()
    streets = street_table(layers, m)
    assert streets["edge_id"].tolist() == ["A1", "A2", "B1", "W"]
    assert streets["grid_id"].tolist() == ["G1"] * 4
    assert streets["blind"].tolist() == [True, True, True, False]
    assert streets.loc[3, "walked_count"] == 1
    buildings = building_table(layers, m)
    assert buildings["building_id"].tolist() == ["a", "b", "w"]
    assert buildings["covered"].tolist() == [False, False, True]
    assert np.isfinite(buildings["entrance_x"]).all()


def test_coverage_by_grid_sums_shares_and_passes_the_plan_figures() -> None:
    layers, m = measured_blind_district()
    demand = pd.DataFrame({"visits_due": [4], "visits_planned": [1]}, index=pd.Index(["G1"]))
    table = coverage_by_grid(layers, m, demand)
    row = table.iloc[0]
    assert row["street_length_m"] == pytest.approx(450)
    assert row["street_walked_share"] == pytest.approx(200 / 450)
    assert row["visits_share"] == 0.25 and math.isnan(row["sweeps_share"])
    assert row["incidents_90d"] == 4 and row["incidents_in_blind_spots"] == 3
    layer = grid_layer(layers, table)
    assert layer["grid_id"].tolist() == ["G1"] and layer.geometry.iloc[0].equals(
        box(-500, -500, 500, 500)
    )


def test_station_summary_adds_up_the_station() -> None:
    layers, m = measured_blind_district()
    summary = station_summary(layers, m, coverage_by_grid(layers, m))
    assert summary["streets"] == 4 and summary["buildings"] == 3 and summary["cameras"] == 0
    assert summary["blind_spots"] == 2
    assert summary["incidents_90d"] == 4
    assert summary["incidents_in_blind_spots_share"] == pytest.approx(3 / 4)
    assert summary["blind_residents_share"] == pytest.approx(60 / 159)
    assert math.isnan(summary["sweeps_share"])
