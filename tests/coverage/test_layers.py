"""The input layers: every problem collected at once, then arrays with grid indexes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from patrol.coverage.layers import check_layers, check_projected, layers_of
from patrol.errors import InputError
from tests.coverage.districts import (
    BIG_GRID,
    CRS,
    MONDAY,
    blind_district,
    grids_of,
    streets_of,
)


def test_check_projected_wants_a_metric_crs() -> None:
    layer = streets_of(("E1", [(0, 0), (10, 0)]))
    assert check_projected(layer, "streets") == []
    assert "to_crs" in str(check_projected(layer.to_crs("EPSG:4326"), "streets")[0])
    assert "no CRS" in str(check_projected(layer.set_crs(None, allow_override=True), "x")[0])


def test_check_layers_reports_crs_columns_and_geometry_together() -> None:
    grids = gpd.GeoDataFrame({"name": ["G"]}, geometry=[Point(0, 0)], crs=CRS)
    streets = streets_of(("E1", [(0, 0), (10, 0)])).to_crs("EPSG:3857")
    with pytest.raises(InputError) as err:
        check_layers({"grids": grids, "streets": streets, "cameras": None})
    text = str(err.value)
    assert "'grid_id'" in text and "wrong geometry type" in text and "CRS differs" in text
    check_layers({"grids": BIG_GRID, "streets": None})


def test_layers_of_finds_each_feature_grid_and_night_incidents() -> None:
    district = blind_district()
    grids = grids_of(("L", box(-10, -10, 300, 400)), ("R", box(300, -10, 500, 400)))
    incidents = district["incidents"].assign(time=MONDAY - pd.Timedelta("1D") + pd.Timedelta("20h"))
    layers = layers_of(grids, district["streets"], district["buildings"], incidents)
    assert layers.n_grids == 2 and layers.n_streets == 4 and layers.n_buildings == 3
    assert layers.street_grid.tolist() == [0, 0, 1, 0]
    assert layers.building_grid.tolist() == [0, 1, 0]
    assert layers.residents.tolist() == [10, 50, 99]
    assert layers.incident_night.all() and len(layers.incident_grid) == 4
    empty = layers_of(grids, district["streets"], district["buildings"])
    assert len(empty.incident_geoms) == 0 and len(empty.incident_night) == 0
