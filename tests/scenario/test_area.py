"""Features far from every grid: police rooms are errors, other layers lose them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point, box

from patrol.errors import ProblemLog
from patrol.scenario.area import MAX_DISTANCE_M, check_near_grids, distance_to_grids_m

GRIDS = gpd.GeoDataFrame({"grid_id": ["G1"]}, geometry=[box(0, 0, 1000, 1000)], crs=32650)


def _points(*xs: float) -> gpd.GeoDataFrame:
    ids = [f"P{i}" for i in range(len(xs))]
    return gpd.GeoDataFrame({"post_id": ids}, geometry=[Point(x, 500) for x in xs], crs=32650)


def test_distance_to_grids_m_is_zero_inside_and_metres_outside() -> None:
    np.testing.assert_allclose(distance_to_grids_m(_points(500, 3000), GRIDS), [0, 2000])


def test_a_far_police_room_is_an_error_that_says_how_far() -> None:
    plog = ProblemLog()
    kept = check_near_grids(
        _points(500, 1000 + 40_000),
        GRIDS,
        file="posts.geojson",
        plog=plog,
        id_col="post_id",
        required=True,
    )
    assert kept is not None and list(kept["post_id"]) == ["P0"]
    assert plog.errors[0].feature == "post_id=P1" and "40.0 km" in plog.errors[0].message


def test_far_streets_are_left_out_and_all_far_is_an_error() -> None:
    near, far = LineString([(0, 0), (100, 0)]), LineString([(0, 50_000), (100, 50_000)])
    roads = gpd.GeoDataFrame(geometry=[near, far], crs=32650)
    plog = ProblemLog()
    kept = check_near_grids(
        roads, GRIDS, file="roads.geojson", plog=plog, id_col=None, required=False
    )
    assert kept is not None and len(kept) == 1 and "1 of 2" in plog.warnings[0].message
    plog = ProblemLog()
    kept = check_near_grids(
        roads.iloc[[1]], GRIDS, file="roads.geojson", plog=plog, id_col=None, required=False
    )
    assert kept is not None and len(kept) == 0
    assert "49.0 km" in plog.errors[0].message
    assert MAX_DISTANCE_M == 10_000
