"""The input layers of a coverage measurement: checked once, then held as arrays.

Every layer must be a GeoDataFrame in one projected CRS (metres); the checks collect
every problem of every layer and raise them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.coverage.arrays import BoolArray, FloatArray, GeomArray, IntArray
from patrol.coverage.clock import in_night_band
from patrol.coverage.geometry import grid_index
from patrol.errors import InputError, Problem
from patrol.vocab import NIGHT_BAND_H

__all__ = ["Layers", "check_layers", "check_projected", "layers_of"]

_LINEAL = (1, 5)  # LineString, MultiLineString
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon
_NEEDS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "grids": (("grid_id",), _POLYGONAL),
    "streets": (("edge_id",), _LINEAL),
    "buildings": ((), (0, 3, 6)),
    "tracks": (("start", "end"), _LINEAL),
    "cameras": ((), (0,)),
    "incidents": (("time",), (0,)),
}


def check_projected(layer: gpd.GeoDataFrame, name: str) -> list[Problem]:
    """Problems if ``layer`` has no CRS or a geographic one; metres are needed inside."""
    crs = layer.crs
    if crs is None:
        return [
            Problem(
                name,
                "the layer has no CRS, so distances in metres cannot be trusted.",
                "set the CRS it was drawn in, then use to_crs() to a projected metric CRS.",
            )
        ]
    if not crs.is_projected:
        return [
            Problem(
                name,
                f"the layer is in the geographic CRS {crs.to_string()}; coverage needs metres.",
                "reproject all layers with to_crs() to one projected CRS (e.g. local UTM).",
            )
        ]
    return []


def _check_shape(name: str, layer: gpd.GeoDataFrame) -> list[Problem]:
    """Missing columns and wrong geometry types of one layer."""
    columns, types = _NEEDS[name]
    problems = [
        Problem(name, f"column '{col}' is missing.", field=col)
        for col in columns
        if col not in layer.columns
    ]
    bad = np.flatnonzero(~np.isin(shapely.get_type_id(layer.geometry.to_numpy()), types))
    if len(bad):
        problems.append(
            Problem(
                name,
                f"{len(bad)} feature(s) have the wrong geometry type.",
                "check the layer's geometry type.",
                feature=f"row {bad[0]}",
            )
        )
    return problems


def check_layers(layers: dict[str, gpd.GeoDataFrame | None]) -> None:
    """Collect every CRS, column and geometry problem of the layers; raise them at once.

    ``layers`` maps a layer name (grids, streets, buildings, tracks, cameras, incidents)
    to its frame, or to None for an optional layer not given.
    """
    problems: list[Problem] = []
    crs = None
    for name, layer in layers.items():
        if layer is None:
            continue
        if not isinstance(layer, gpd.GeoDataFrame):
            problems.append(Problem(name, "expected a GeoDataFrame.", "use geopandas."))
            continue
        found = check_projected(layer, name)
        problems += found
        if not found:
            if crs is None:
                crs = layer.crs
            elif layer.crs != crs:
                problems.append(
                    Problem(
                        name,
                        f"the CRS differs from the first layer's ({crs.to_string()}).",
                        "reproject every layer to one CRS with to_crs().",
                    )
                )
        problems += _check_shape(name, layer)
    if problems:
        raise InputError(problems)


@dataclass(frozen=True)
class Layers:
    """Grids, streets, buildings and incidents as arrays, each feature with its grid index
    (-1 outside every grid)."""

    grids: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    crs: Any
    grid_ids: pd.Index
    grid_geoms: GeomArray
    street_geoms: GeomArray
    street_len: FloatArray
    street_grid: IntArray
    building_geoms: GeomArray
    building_grid: IntArray
    households: FloatArray
    residents: FloatArray
    incident_geoms: GeomArray
    incident_night: BoolArray
    incident_grid: IntArray

    @property
    def n_grids(self) -> int:
        return len(self.grid_geoms)

    @property
    def n_streets(self) -> int:
        return len(self.street_geoms)

    @property
    def n_buildings(self) -> int:
        return len(self.building_geoms)


def _numbers(frame: pd.DataFrame, name: str, default: float = 0.0) -> FloatArray:
    """A numeric column, ``default`` where it is missing or not a number."""
    if name not in frame.columns:
        return np.full(len(frame), default)
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(values), default, values)


def layers_of(
    grids: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame | None = None,
    *,
    night_hours: tuple[float, float] = NIGHT_BAND_H,
) -> Layers:
    """The checked layers as arrays; every row of ``incidents`` counts (select the recent
    ones first), and an incident is a night one when its time falls in ``night_hours``."""
    grid_ids = pd.Index(grids["grid_id"].to_numpy())
    grid_geoms = grids.geometry.to_numpy()
    street_geoms = streets.geometry.to_numpy()
    building_geoms = buildings.geometry.to_numpy()
    if incidents is not None and len(incidents):
        incident_geoms = incidents.geometry.to_numpy()
        incident_night = in_night_band(pd.to_datetime(incidents["time"]), band=night_hours)
    else:
        incident_geoms = np.empty(0, dtype=object)
        incident_night = np.zeros(0, dtype=bool)
    return Layers(
        grids=grids,
        streets=streets,
        buildings=buildings,
        crs=grids.crs,
        grid_ids=grid_ids,
        grid_geoms=grid_geoms,
        street_geoms=street_geoms,
        street_len=shapely.length(street_geoms),
        street_grid=grid_index(streets.get("grid_id"), street_geoms, grid_ids, grid_geoms),
        building_geoms=building_geoms,
        building_grid=grid_index(buildings.get("grid_id"), building_geoms, grid_ids, grid_geoms),
        households=_numbers(buildings, "households"),
        residents=_numbers(buildings, "residents"),
        incident_geoms=incident_geoms,
        incident_night=incident_night,
        incident_grid=grid_index(None, incident_geoms, grid_ids, grid_geoms),
    )
