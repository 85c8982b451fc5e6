"""Coordinate systems: GCJ-02 both ways (checked against prcoords), the UTM working CRS."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import prcoords
import pytest
from shapely.geometry import LineString, Point

from patrol.projection import (
    gcj02_to_wgs84,
    in_china,
    transform_geoseries_gcj02,
    utm_crs_for,
    wgs84_to_gcj02,
    working_crs_for,
)

# ~20 places across China (lon, lat): cities from Harbin to Sanya, Kashgar to Shanghai
CHINA = np.array(
    [
        (116.397, 39.909),
        (117.200, 39.100),
        (121.473, 31.230),
        (113.264, 23.129),
        (114.057, 22.543),
        (104.066, 30.572),
        (108.940, 34.341),
        (126.642, 45.757),
        (87.617, 43.826),
        (75.989, 39.470),
        (91.117, 29.648),
        (109.512, 18.252),
        (102.712, 25.040),
        (120.155, 30.274),
        (118.797, 32.060),
        (114.305, 30.593),
        (112.549, 37.870),
        (123.431, 41.805),
        (106.713, 26.578),
        (101.778, 36.617),
        (119.296, 26.074),
        (111.670, 40.818),
    ]
)


def test_gcj02_matches_prcoords() -> None:
    glon, glat = wgs84_to_gcj02(CHINA[:, 0], CHINA[:, 1])
    for (lon, lat), gx, gy in zip(CHINA, glon, glat, strict=True):
        ref = prcoords.wgs_gcj((lat, lon))  # prcoords takes and returns (lat, lon)
        assert abs(gx - ref.lon) < 1e-6 and abs(gy - ref.lat) < 1e-6, (lon, lat)
        # and the shift is real: GCJ-02 moves points by tens to hundreds of metres
        assert 1e-4 < abs(gx - lon) + abs(gy - lat) < 1e-2


def test_gcj02_round_trip() -> None:
    glon, glat = wgs84_to_gcj02(CHINA[:, 0], CHINA[:, 1])
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    np.testing.assert_allclose(wlon, CHINA[:, 0], atol=1e-7, rtol=0)
    np.testing.assert_allclose(wlat, CHINA[:, 1], atol=1e-7, rtol=0)


def test_gcj02_inverse_agrees_with_prcoords() -> None:
    glon, glat = wgs84_to_gcj02(CHINA[:, 0], CHINA[:, 1])
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    for gx, gy, wx, wy in zip(glon, glat, wlon, wlat, strict=True):
        ref = prcoords.gcj_wgs_bored((gy, gx))
        assert abs(wx - ref.lon) < 1e-6 and abs(wy - ref.lat) < 1e-6


@pytest.mark.parametrize(
    ("lon", "lat"), [(2.35, 48.86), (-74.0, 40.7), (139.69, 35.69), (151.2, -33.87)]
)
def test_points_outside_china_unchanged(lon: float, lat: float) -> None:
    assert not in_china(lon, lat)
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert (float(glon), float(glat)) == (lon, lat)
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    assert (float(wlon), float(wlat)) == (lon, lat)


def test_scalar_input() -> None:
    glon, glat = wgs84_to_gcj02(117.2, 39.1)
    ref = prcoords.wgs_gcj((39.1, 117.2))
    assert float(glon) == pytest.approx(ref.lon, abs=1e-6)
    assert float(glat) == pytest.approx(ref.lat, abs=1e-6)


def test_transform_geodataframe_moves_every_vertex_and_keeps_the_input() -> None:
    line = LineString([(117.2, 39.1), (117.201, 39.101), (117.202, 39.1)])
    gdf = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[Point(117.2, 39.1), line], crs="EPSG:4326")
    before = gdf.geometry.copy()
    moved = transform_geoseries_gcj02(gdf, to_gcj=True)
    assert gdf.geometry.equals(before)  # a copy, the input is untouched
    assert moved.crs == gdf.crs and list(moved["k"]) == [1, 2]
    ref = prcoords.wgs_gcj((39.101, 117.201))
    x, y = moved.geometry.iloc[1].coords[1]
    assert x == pytest.approx(ref.lon, abs=1e-6) and y == pytest.approx(ref.lat, abs=1e-6)
    back = transform_geoseries_gcj02(moved, to_gcj=False)
    np.testing.assert_allclose(
        np.asarray(back.geometry.iloc[1].coords), np.asarray(line.coords), atol=1e-7
    )


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (117.2, 39.1, 32650),
        (116.4, 39.9, 32650),
        (121.47, 31.23, 32651),
        (87.6, 43.8, 32645),
        (114.0, 22.5, 32650),
        (-70.0, -33.0, 32719),
    ],
)
def test_utm_zone(lon: float, lat: float, epsg: int) -> None:
    assert utm_crs_for(lon, lat).to_epsg() == epsg


def test_working_crs_from_projected_layer() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(117.2, 39.1)], crs="EPSG:4326").to_crs(3857)
    assert working_crs_for(gdf).to_epsg() == 32650
