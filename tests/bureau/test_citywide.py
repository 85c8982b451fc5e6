"""City-wide coverage on dask-geopandas: tiles with a halo give the whole run's answer."""

from __future__ import annotations

from typing import Any

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from patrol.bureau.citywide import (
    CityCoverage,
    Tiling,
    join_pieces,
    measure_city,
    split_at_seams,
    tile_divisions,
    tile_rows,
    tiling_for,
)
from patrol.coverage.measure import measure_coverage

CRS = "EPSG:32650"
WEEK = pd.Timestamp("2026-11-30")


STATIONS = gpd.GeoDataFrame(
    {"station": ["东站", "西站"]},
    geometry=[shapely.box(0, 0, 400, 800), shapely.box(400, 0, 800, 800)],
    crs=CRS,
)


@pytest.fixture(scope="module")
def measured() -> CityCoverage:
    with dask.config.set(scheduler="synchronous"):  # no cluster needed for the maths
        return measure_city(
            **small_city(), stations=STATIONS, week_start=WEEK, tile_m=400.0, npartitions=3
        )


def small_city(blocks: int = 8) -> dict[str, gpd.GeoDataFrame]:
    """A lattice of 100 m blocks, four buildings a block, two tracks and three cameras."""
    n = blocks + 1
    ij = np.stack(np.meshgrid(np.arange(n), np.arange(n), indexing="ij"), -1).reshape(-1, 2)
    xy = ij * 100.0
    east, north = ij[:, 0] < n - 1, ij[:, 1] < n - 1
    ids = np.arange(n * n)
    u = np.concatenate((ids[east], ids[north]))
    v = np.concatenate((ids[east] + n, ids[north] + 1))
    streets = gpd.GeoDataFrame(
        {"edge_id": [f"e{k}" for k in range(len(u))]},
        geometry=shapely.linestrings(np.stack((xy[u], xy[v]), axis=1)),
        crs=CRS,
    )
    cells = np.stack(np.meshgrid(np.arange(blocks), np.arange(blocks), indexing="ij"), -1)
    quad = np.array([[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]])
    centre = ((cells.reshape(-1, 2)[:, None, :] + quad[None]) * 100.0).reshape(-1, 2)
    buildings = gpd.GeoDataFrame(
        {"building_id": [f"b{k}" for k in range(len(centre))], "residents": 10},
        geometry=shapely.box(*(centre - 8).T, *(centre + 8).T),
        crs=CRS,
    )
    side = blocks * 100.0
    tracks = gpd.GeoDataFrame(
        {
            "team_id": ["t1", "t2"],
            "start": [WEEK + pd.Timedelta(hours=9), WEEK + pd.Timedelta(hours=20)],
            "end": [WEEK + pd.Timedelta(hours=10), WEEK + pd.Timedelta(hours=21)],
            "night": [False, True],
        },
        geometry=[
            shapely.LineString([(0, 300), (side, 300)]),
            shapely.LineString([(400, 0), (400, side)]),
        ],
        crs=CRS,
    )
    cameras = gpd.GeoDataFrame(
        {"camera_id": ["c1", "c2", "c3"], "range_m": [40.0, 40.0, 60.0]},
        geometry=shapely.points([(100, 100), (600, 700), (700, 200)]),
        crs=CRS,
    )
    return {"buildings": buildings, "streets": streets, "tracks": tracks, "cameras": cameras}


def test_tile_rows_own_each_feature_once_and_copy_it_into_near_tiles() -> None:
    city = small_city()
    tiling = tiling_for([city["buildings"]], tile_m=250.0)
    rows = tile_rows(city["buildings"], tiling, halo_m=60.0)
    owned = rows.loc[rows["owned"]]
    assert sorted(owned["building_id"]) == sorted(city["buildings"]["building_id"])
    assert len(rows) > len(owned)  # buildings near a tile edge are context elsewhere
    for key, geom in zip(rows["tile"], rows.geometry, strict=True):
        x0, y0, x1, y1 = tiling.box(key).bounds
        assert shapely.box(x0 - 60, y0 - 60, x1 + 60, y1 + 60).intersects(geom)


def test_tiles_measure_what_one_whole_run_measures(measured: CityCoverage) -> None:
    city, result = small_city(), measured
    grids = gpd.GeoDataFrame(
        {"grid_id": ["all"]}, geometry=[shapely.box(-500, -500, 1500, 1500)], crs=CRS
    )
    whole = measure_coverage(grids=grids, week_start=WEEK, **city)
    bt, st = whole.building_coverage, whole.street_coverage
    tiles = result.tiles
    assert len(tiles) > 4
    assert tiles["buildings"].sum() == len(city["buildings"])
    assert tiles["buildings_covered"].sum() == bt["covered"].sum()
    assert tiles["blind_buildings"].sum() == bt["blind"].sum() > 0
    assert tiles["walked_m"].sum() == pytest.approx(st["walked_m"].sum())
    assert tiles["blind_street_m"].sum() == pytest.approx(st.loc[st["blind"], "length_m"].sum())
    week = whole.blind_spots.loc[whole.blind_spots["band"] == "week"]
    assert len(result.blind_spots) == len(week)  # pieces cut by tiles joined again
    # outlines are traced on a 5 m raster laid per tile: within a cell of the whole run's
    assert result.blind_spots["area_m2"].sum() == pytest.approx(week.area.sum(), rel=0.1)


def test_a_blind_spot_across_a_station_border_is_one_area_naming_both(
    measured: CityCoverage,
) -> None:
    result = measured
    across = result.blind_spots.loc[result.blind_spots["stations"] == "东站;西站"]
    assert len(across) >= 1
    assert result.summary["blind_spots_across_stations"] == len(across)


def test_join_pieces_joins_across_tile_borders_and_keeps_inner_pieces() -> None:
    tiling = Tiling(0.0, 0.0, 100.0, 4)
    pieces = {
        0: [shapely.box(80, 10, 100, 30), shapely.box(10, 10, 20, 20)],
        1: [shapely.box(100, 10, 130, 30), shapely.box(100, 50, 120, 60)],
    }
    rows: list[dict[str, Any]] = []
    for tile, shapes in pieces.items():
        inside, seams = split_at_seams(np.array(shapes, dtype=object), tiling.box(tile))
        rows += [
            {"tile": tile, "kind": "blind", "piece": j, "geometry": g} for j, g in enumerate(inside)
        ]
        rows += [
            {"tile": tile, "kind": "seam", "piece": j, "geometry": g}
            for j, g in enumerate(seams)
            if not g.is_empty
        ]
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    joined = join_pieces(frame[frame["kind"] == "blind"], frame[frame["kind"] == "seam"])
    # the two halves across the border are one; the inner one and the one at the border
    # alone stay as they were; every outline exact
    assert sorted(round(g.area, 6) for g in joined) == [100, 200, 1000]
    assert all(g.is_valid and len(g.interiors) == 0 for g in joined)
    assert any(g.equals(shapely.box(80, 10, 130, 30)) for g in joined)


def test_tile_divisions_cut_between_tiles_into_at_most_n_ranges() -> None:
    frame = pd.DataFrame({"x": range(12)}, index=pd.Index([1, 1, 1, 1, 2, 3, 3, 5, 8, 8, 8, 9]))
    cuts = tile_divisions([frame], npartitions=3)
    assert cuts[0] == 1 and cuts[-1] == 9
    assert list(cuts) == sorted(set(cuts)) and len(cuts) - 1 <= 3
