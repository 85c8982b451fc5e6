"""Streets from an OpenStreetMap extract (``.osm`` XML or ``.osm.pbf``) through GDAL.

The extracts a station downloads are larger than its area: GDAL's OSM driver (inside
pyogrio, nothing else to install) reads the ``lines`` layer, only the features near the
grids (a box around them with a margin, so routes that leave a grid's edge for a moment
still have their streets), clips them to that box and keeps the ways that are streets,
with their class (``highway``) and ``name``. It never downloads anything.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import shapely

from patrol.errors import ProblemLog
from patrol.projection import WGS84
from patrol.scenario.guard import gdal_reason

CLIP_MARGIN_M = 1000.0  # streets kept around the grids' box
_METRES_PER_DEGREE = 111_320.0

BBox = tuple[float, float, float, float]


def clip_box(bounds: BBox, *, margin_m: float = CLIP_MARGIN_M) -> BBox:
    """The lon/lat box ``bounds`` (minx, miny, maxx, maxy) grown by ``margin_m`` metres."""
    minx, miny, maxx, maxy = bounds
    lat = min(abs(miny), abs(maxy))
    dlat = margin_m / _METRES_PER_DEGREE
    dlon = margin_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return (minx - dlon, max(miny - dlat, -90.0), maxx + dlon, min(maxy + dlat, 90.0))


def read_osm_roads(
    path: Path, *, plog: ProblemLog, bbox: BBox | None = None
) -> gpd.GeoDataFrame | None:
    """The streets of an OSM XML or PBF file in WGS 84, clipped to ``bbox`` when given.

    Ways without a ``highway`` tag (rivers, fences, railways) are left out. Problems (a
    file GDAL cannot read, no streets in the box) go to ``plog``.
    """
    import pyogrio

    try:
        lines = pyogrio.read_dataframe(path, layer="lines", bbox=bbox)
    except Exception as exc:  # pyogrio/GDAL errors on a broken extract
        plog.error(
            path.name,
            f"could not be read as an OpenStreetMap extract ({gdal_reason(exc, path)}).",
            "Download the extract again (.osm or .osm.pbf), or give roads.geojson.",
            zh=(
                f"无法作为 OpenStreetMap 数据读取（{gdal_reason(exc, path)}）。",
                "请重新下载数据（.osm 或 .osm.pbf），或改用 roads.geojson。",
            ),
        )
        return None
    if "highway" not in lines.columns:
        lines["highway"] = None
    if "name" not in lines.columns:
        lines["name"] = None
    streets = lines.loc[lines["highway"].notna(), ["highway", "name", "geometry"]]
    streets = gpd.GeoDataFrame(streets, geometry="geometry", crs=WGS84)
    if bbox is not None and len(streets):
        streets = gpd.clip(streets, shapely.box(*bbox))
        streets = streets.loc[streets.geometry.geom_type.isin(("LineString", "MultiLineString"))]
    if not len(streets):
        plog.warn(
            path.name,
            "has no streets (ways with a highway tag) near the grids.",
            "Download an extract that covers the grids.",
            zh=("网格附近没有街道（带 highway 标签的道路）。", "请下载覆盖各网格的数据范围。"),
        )
        return None
    return streets.reset_index(drop=True)
