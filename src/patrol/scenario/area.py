"""Every layer lies where the grids are: features far from every grid are wrong data.

A police room 1000 km away or streets shifted by 40 km are read without complaint by
every format, and then make a plan that walks hundreds of kilometres. Distances are
measured to the box around the grids (in the working CRS, metres): a police room farther
than :data:`MAX_DISTANCE_M` is an error; for streets, incidents and cameras the far
features are left out with a warning, and an error when none is near.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from patrol.errors import ProblemLog
from patrol.scenario.checks import name_rows

MAX_DISTANCE_M = 10_000.0


def distance_to_grids_m(gdf: gpd.GeoDataFrame, grids: gpd.GeoDataFrame) -> np.ndarray:
    """Each feature's distance in metres to the box around the grids (both in metres)."""
    if not len(grids) or not len(gdf):
        return np.zeros(len(gdf))
    area = shapely.box(*grids.total_bounds)
    return np.asarray(shapely.distance(gdf.geometry.values, area), dtype=float)


def check_near_grids(
    gdf: gpd.GeoDataFrame | None,
    grids: gpd.GeoDataFrame,
    *,
    file: str,
    plog: ProblemLog,
    id_col: str | None,
    required: bool,
) -> gpd.GeoDataFrame | None:
    """The features of ``gdf`` within :data:`MAX_DISTANCE_M` of the grids.

    ``required`` (police rooms): each far feature is an error. Otherwise far features
    are left out with one warning, or one error when every feature is far.
    """
    if gdf is None or not len(gdf) or not len(grids):
        return gdf
    far_m = distance_to_grids_m(gdf, grids)
    far = far_m > MAX_DISTANCE_M
    if not far.any():
        return gdf
    limit = f"{MAX_DISTANCE_M / 1000:g} km"
    limit_zh = f"{MAX_DISTANCE_M / 1000:g} 公里"
    if required:
        for where, d in zip(name_rows(gdf, far, id_col), far_m[far], strict=False):
            plog.error(
                file,
                f"lies {d / 1000:,.1f} km from the nearest grid (more than {limit}).",
                "Check its coordinates (and the layer's CRS).",
                feature=where,
                zh=(
                    f"距最近的网格 {d / 1000:,.1f} 公里（超过 {limit_zh}）。",
                    "请检查它的坐标（以及该图层的坐标系）。",
                ),
            )
        return gdf.loc[~far]
    if far.all():
        plog.error(
            file,
            f"every feature lies more than {limit} from the grids "
            f"(the nearest {far_m.min() / 1000:,.1f} km).",
            "Check the layer's coordinates and CRS: it must cover the grids' area.",
            zh=(
                f"所有要素距网格都超过 {limit_zh}（最近的 {far_m.min() / 1000:,.1f} 公里）。",
                "请检查该图层的坐标和坐标系：它必须覆盖网格所在的区域。",
            ),
        )
        return gdf.iloc[0:0]
    plog.warn(
        file,
        f"{int(far.sum())} of {len(gdf)} features lie more than {limit} from the grids "
        f"(up to {far_m.max() / 1000:,.1f} km); they are left out.",
        "Clip the layer to the station's area.",
        zh=(
            f"{len(gdf)} 个要素中有 {int(far.sum())} 个距网格超过 {limit_zh}"
            f"（最远 {far_m.max() / 1000:,.1f} 公里），已略去。",
            "请把该图层裁剪到本所辖区范围。",
        ),
    )
    return gdf.loc[~far]
