"""Blind spots: streets no camera sees and no patrol passes, and buildings neither
covered (near a walk, or visited) nor seen, buffered and merged into areas that keep
clear of every building a patrol passes or a camera sees, counted and ranked.

Two bands: the whole week (``band="week"``, ids ``W0001``...) and night patrols only
(``band="night"``, ids ``N0001``...). Areas are ranked by residents, then incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.coverage.arrays import BoolArray, FloatArray, GeomArray, IntArray
from patrol.coverage.cameras import Seen
from patrol.coverage.dissolve import (
    Raster,
    dissolve_outlines,
    points_in_areas,
    raster_cell,
    sample_outlines,
)
from patrol.coverage.layers import Layers
from patrol.coverage.walk import Covered, Walked

__all__ = ["BANDS", "BLIND_COLUMNS", "BlindSpots", "find_blind_spots"]

BANDS = ("week", "night")
BLIND_COLUMNS = (
    "blind_id",
    "band",
    "rank",
    "rank_by_incidents",
    "street_length_m",
    "buildings",
    "households",
    "residents",
    "incidents_90d",
)


@dataclass(frozen=True)
class BlindSpots:
    """Blind streets and buildings (one row per band of :data:`BANDS`), the merged areas,
    and per band whether each incident lies in one of its areas."""

    streets: BoolArray
    buildings: BoolArray
    areas: gpd.GeoDataFrame
    incidents_in: BoolArray


Outlines = tuple[FloatArray, BoolArray]
"""Outline samples of a band's blind features, and which samples are of a building."""


def _band_outlines(
    geoms: GeomArray, blind: BoolArray, n_streets: int, buffer_m: float, cell_m: float
) -> list[Outlines | None]:
    """Outline samples of each band's blind features (rows of ``blind``; the first
    ``n_streets`` features are streets, the rest buildings), sampled once for the
    features blind in any band when every band keeps the raster cell ``cell_m``.

    The night blind features include the week's, so the week needs no sampling of its
    own. ``None`` for a band with no features or a coarser cell.
    """
    out: list[Outlines | None] = [None] * len(blind)
    blind = blind.copy()
    for k in range(len(blind)):
        if not blind[k].any():
            continue
        bounds = shapely.total_bounds(geoms[blind[k]])
        if raster_cell(bounds, buffer_m, cell_m) != cell_m:
            blind[k] = False  # left to _blind_areas to work out
    anywhere = np.flatnonzero(blind.any(axis=0))
    if len(anywhere) == 0:
        return out
    xy, owner = sample_outlines(geoms[anywhere], cell_m / 2)
    of_building = anywhere[owner] >= n_streets
    for k in range(len(blind)):
        if blind[k].any():
            mine = blind[k][anywhere][owner]
            out[k] = (xy[mine], of_building[mine])
    return out


def _keep_out(
    layers: Layers, building_blind: BoolArray, near: FloatArray, cell_m: float
) -> tuple[GeomArray, FloatArray]:
    """The buildings no blind spot of a band may reach, those that are not blind there,
    with their outline samples; only those within the box ``near`` matter."""
    geoms = layers.building_geoms
    if len(geoms) == 0:
        return geoms, np.empty((0, 2))
    b = shapely.bounds(geoms)
    xmin, ymin, xmax, ymax = near
    inside = (b[:, 2] >= xmin) & (b[:, 0] <= xmax) & (b[:, 3] >= ymin) & (b[:, 1] <= ymax)
    passed = geoms[~building_blind & inside]
    xy, _ = sample_outlines(passed, cell_m / 2)
    return passed, xy


def _owners(points: GeomArray, areas: GeomArray, raster: Raster) -> IntArray:
    """The area each point lies in (the first if several), -1 for none."""
    src, area = points_in_areas(points, areas, raster)
    src, first = np.unique(src, return_index=True)
    owner = np.full(len(points), -1, dtype=np.int64)
    owner[src] = area[first]
    return owner


def _rank(table: pd.DataFrame, band: str) -> pd.DataFrame:
    """Rank the areas by residents (ties: incidents, street length, west, south) and by
    incidents (ties: residents, ...), and name them by band and rank."""
    n = len(table)
    ascending = [False, False, False, True, True]
    by_res = table.sort_values(
        ["residents", "incidents_90d", "street_length_m", "_x", "_y"],
        ascending=ascending,
        kind="stable",
    ).index
    by_inc = table.sort_values(
        ["incidents_90d", "residents", "street_length_m", "_x", "_y"],
        ascending=ascending,
        kind="stable",
    ).index
    table["rank"] = 0
    table.loc[by_res, "rank"] = np.arange(1, n + 1)
    table.loc[by_inc, "rank_by_incidents"] = np.arange(1, n + 1)
    table["rank_by_incidents"] = table["rank_by_incidents"].astype(np.int64)
    prefix = "W" if band == "week" else "N"
    table["blind_id"] = [f"{prefix}{r:04d}" for r in table["rank"]]
    table["band"] = band
    return table


def _blind_areas(
    layers: Layers,
    street_blind: BoolArray,
    building_blind: BoolArray,
    *,
    buffer_m: float,
    cell_m: float,
    band: str,
    outlines: Outlines | None,
) -> tuple[gpd.GeoDataFrame, BoolArray]:
    """Merge one band's blind streets and buildings into areas, sum what they hold, rank.

    ``outlines``: the features' outline samples for the raster cell ``cell_m`` already
    settled by :func:`_band_outlines` (else worked out here). The areas keep clear of
    every building that is not blind in the band (passed by a patrol or seen by a
    camera), so a blind spot never holds a building a team passes. Returns the areas
    and, per incident, whether it lies in one.
    """
    street_geoms = layers.street_geoms[street_blind]
    building_geoms = layers.building_geoms[building_blind]
    incidents = layers.incident_geoms
    geoms = np.concatenate((street_geoms, building_geoms))
    if len(geoms) == 0:
        empty = gpd.GeoDataFrame({c: [] for c in BLIND_COLUMNS}, geometry=[], crs=layers.crs)
        return empty, np.zeros(len(incidents), dtype=bool)
    if outlines is None:
        cell_m = raster_cell(shapely.total_bounds(geoms), buffer_m, cell_m)
        xy, owner = sample_outlines(geoms, cell_m / 2)
        outlines = (xy, owner >= len(street_geoms))
    xy, of_building = outlines
    bounds = shapely.total_bounds(geoms) + np.array([-1, -1, 1, 1]) * (buffer_m + 3 * cell_m)
    areas, raster = dissolve_outlines(
        geoms,
        xy,
        buffer_m=buffer_m,
        cell_m=cell_m,
        keep_out=_keep_out(layers, building_blind, bounds, cell_m),
        hold_xy=xy[of_building],
    )
    probes = np.concatenate(
        (
            shapely.line_interpolate_point(street_geoms, 0.5, normalized=True),
            shapely.point_on_surface(building_geoms),
        )
    )
    owner = _owners(probes, areas, raster)
    n = len(areas)
    s_own, b_own = owner[: len(street_geoms)], owner[len(street_geoms) :]
    ok_s, ok_b = s_own >= 0, b_own >= 0
    street_len = layers.street_len[street_blind]
    households = layers.households[building_blind]
    residents = layers.residents[building_blind]
    inc_area = _owners(incidents, areas, raster)
    table = pd.DataFrame(
        {
            "street_length_m": np.bincount(s_own[ok_s], weights=street_len[ok_s], minlength=n),
            "buildings": np.bincount(b_own[ok_b], minlength=n),
            "households": np.bincount(b_own[ok_b], weights=households[ok_b], minlength=n),
            "residents": np.bincount(b_own[ok_b], weights=residents[ok_b], minlength=n),
            "incidents_90d": np.bincount(inc_area[inc_area >= 0], minlength=n),
            "_x": shapely.get_x(shapely.centroid(areas)),
            "_y": shapely.get_y(shapely.centroid(areas)),
        }
    )
    table = _rank(table, band)
    out = gpd.GeoDataFrame(table[list(BLIND_COLUMNS)], geometry=areas, crs=layers.crs)
    return out.sort_values("rank").reset_index(drop=True), inc_area >= 0


def find_blind_spots(
    layers: Layers,
    walked: Walked,
    covered: Covered,
    seen: Seen,
    *,
    buffer_m: float,
    cell_m: float,
) -> BlindSpots:
    """The blind features of each band and their areas: features buffered by ``buffer_m``
    and dissolved on a raster of ``cell_m`` (coarser for very large districts), cut
    back from the buildings that are not blind in the band."""
    street_blind = np.vstack(
        (
            ~seen.camera_seen & (walked.walked_count == 0),
            ~seen.camera_seen & (walked.night_walked_count == 0),
        )
    )
    building_blind = np.vstack(
        (~seen.building_seen & ~covered.week, ~seen.building_seen & ~covered.night)
    )
    geoms = np.concatenate((layers.street_geoms, layers.building_geoms))
    outlines = _band_outlines(
        geoms, np.hstack((street_blind, building_blind)), layers.n_streets, buffer_m, cell_m
    )
    tables, hits = [], []
    for k, band in enumerate(BANDS):
        table, hit = _blind_areas(
            layers,
            street_blind[k],
            building_blind[k],
            buffer_m=buffer_m,
            cell_m=cell_m,
            band=band,
            outlines=outlines[k],
        )
        tables.append(table)
        hits.append(hit)
    areas = gpd.GeoDataFrame(
        pd.concat(tables, ignore_index=True), geometry="geometry", crs=layers.crs
    )
    return BlindSpots(
        streets=street_blind,
        buildings=building_blind,
        areas=areas,
        incidents_in=np.vstack(hits),
    )
