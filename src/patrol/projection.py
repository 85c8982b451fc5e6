"""Coordinate systems: the metric working CRS, and the Chinese coordinate systems in and out.

Inputs may be WGS 84 (EPSG:4326), CGCS2000 (EPSG:4490, within a metre of WGS 84) or GCJ-02
(the obfuscated system of Amap/Gaode exports, which pyproj cannot do). Everything inside
patrol works in the local UTM zone, so distances are metres.

The GCJ-02 transform follows the published algorithm (the same polynomial every
open implementation uses); the inverse is found by fixed-point iteration to well under a
centimetre.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import CRS

WGS84 = "EPSG:4326"

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared


def utm_crs_for(lon: float, lat: float) -> CRS:
    """The WGS 84 UTM zone that contains ``(lon, lat)`` (e.g. EPSG:32650 for Beijing)."""
    from pyproj import CRS

    zone = math.floor((lon + 180.0) / 6.0) % 60 + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    return CRS.from_epsg(epsg)


def working_crs_for(gdf: gpd.GeoDataFrame) -> CRS:
    """Choose the metric CRS for a scenario from a layer in geographic coordinates."""
    geo = gdf.to_crs(WGS84) if gdf.crs is not None and not gdf.crs.is_geographic else gdf
    minx, miny, maxx, maxy = geo.total_bounds
    return utm_crs_for((minx + maxx) / 2.0, (miny + maxy) / 2.0)


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Rough bounding box of mainland China, where GCJ-02 applies."""
    lon_a, lat_a = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return (lon_a > 72.004) & (lon_a < 137.8347) & (lat_a > 0.8293) & (lat_a < 55.8271)


def _delta(
    lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift WGS 84 coordinates to GCJ-02 (for display on Amap/Gaode tiles only)."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon_a, lat_a)
    inside = in_china(lon_a, lat_a)
    return np.where(inside, lon_a + dlon, lon_a), np.where(inside, lat_a + dlat, lat_a)


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, tolerance_deg: float = 1e-9
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Invert :func:`wgs84_to_gcj02` by fixed-point iteration (error far below 1 cm)."""
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):
        tlon, tlat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = tlon - glon, tlat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if (
            max(float(np.max(np.abs(elon), initial=0)), float(np.max(np.abs(elat), initial=0)))
            < tolerance_deg
        ):
            break
    return wlon, wlat


def transform_geoseries_gcj02(gdf: gpd.GeoDataFrame, *, to_gcj: bool) -> gpd.GeoDataFrame:
    """Move a lon/lat GeoDataFrame between WGS 84 and GCJ-02 (a copy; CRS label kept 4326)."""
    import shapely

    func = wgs84_to_gcj02 if to_gcj else gcj02_to_wgs84

    def _apply(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    out = gdf.copy()
    out.geometry = shapely.transform(gdf.geometry.values, _apply)
    return out
