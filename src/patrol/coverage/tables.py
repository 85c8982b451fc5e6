"""The result tables of a coverage measurement: per street, per building, per grid, and
the station's headline figures (shares in 0–1, NaN when undefined)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.coverage.arrays import FloatArray, IntArray
from patrol.coverage.blind_spots import BlindSpots
from patrol.coverage.cameras import Seen
from patrol.coverage.gaps import Gaps
from patrol.coverage.layers import Layers
from patrol.coverage.walk import Covered, Walked

__all__ = [
    "DEMAND_COLUMNS",
    "Measures",
    "building_table",
    "coverage_by_grid",
    "grid_layer",
    "station_summary",
    "street_table",
]

DEMAND_COLUMNS = (
    "sweeps_required",
    "sweeps_planned",
    "night_sweeps_required",
    "night_sweeps_planned",
    "visits_due",
    "visits_planned",
    "hotspot_minutes_target",
    "hotspot_minutes_planned",
)
_DEMAND_SHARES = (
    ("sweeps_planned", "sweeps_required", "sweeps_share"),
    ("night_sweeps_planned", "night_sweeps_required", "night_sweeps_share"),
    ("visits_planned", "visits_due", "visits_share"),
    ("hotspot_minutes_planned", "hotspot_minutes_target", "hotspot_share"),
)


@dataclass(frozen=True)
class Measures:
    """Everything measured, step by step, that the tables are made of."""

    walked: Walked
    covered: Covered
    seen: Seen
    blind: BlindSpots
    gaps: Gaps


def _grid_ids_of(layers: Layers, index: IntArray) -> Any:
    """The grid id of each feature's grid index, None outside every grid."""
    missing: Any = None
    return np.where(index >= 0, layers.grid_ids.to_numpy()[index], missing)


def street_table(layers: Layers, m: Measures) -> gpd.GeoDataFrame:
    """One row per street: its grid, metres walked and seen, patrols passing, blind."""
    w = m.walked
    return gpd.GeoDataFrame(
        {
            "edge_id": layers.streets["edge_id"].to_numpy(),
            "grid_id": _grid_ids_of(layers, layers.street_grid),
            "length_m": layers.street_len,
            "walked_m": w.walked_m,
            "day_walked_m": w.day_walked_m,
            "night_walked_m": w.night_walked_m,
            "walked_count": w.walked_count,
            "night_walked_count": w.night_walked_count,
            "camera_seen_m": m.seen.seen_m,
            "camera_seen": m.seen.camera_seen,
            "blind": m.blind.streets[0],
            "night_blind": m.blind.streets[1],
        },
        geometry=gpd.GeoSeries(layers.street_geoms, crs=layers.crs),
        crs=layers.crs,
    )


def building_table(layers: Layers, m: Measures) -> gpd.GeoDataFrame:
    """One row per building: its grid, people, covered by band, entrance seen, blind."""
    buildings = layers.buildings
    ids = (
        buildings["building_id"].to_numpy()
        if "building_id" in buildings
        else np.arange(layers.n_buildings)
    )
    entrances = m.seen.entrances.astype(object)
    return gpd.GeoDataFrame(
        {
            "building_id": ids,
            "grid_id": _grid_ids_of(layers, layers.building_grid),
            "households": layers.households,
            "residents": layers.residents,
            "covered": m.covered.week,
            "day_covered": m.covered.day,
            "night_covered": m.covered.night,
            "entrance_seen": m.seen.entrance_seen,
            "blind": m.blind.buildings[0],
            "night_blind": m.blind.buildings[1],
            "entrance_x": shapely.get_x(entrances),
            "entrance_y": shapely.get_y(entrances),
        },
        geometry=gpd.GeoSeries(layers.building_geoms, crs=layers.crs),
        crs=layers.crs,
    )


def _ratio(part: Any, whole: Any) -> FloatArray:
    """``part / whole`` where ``whole`` is positive, NaN elsewhere."""
    part, whole = np.asarray(part, dtype=float), np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1), np.nan)


def _sums_by_grid(layers: Layers, m: Measures) -> pd.DataFrame:
    """Street, building and patrol figures summed per grid."""
    n = layers.n_grids

    def per_grid(index: IntArray, weights: Any = None) -> FloatArray:
        ok = index >= 0
        w = None if weights is None else np.asarray(weights, dtype=float)[ok]
        return np.bincount(index[ok], weights=w, minlength=n).astype(float)

    sg, bg = layers.street_grid, layers.building_grid
    length, res, near = layers.street_len, layers.residents, m.covered
    blind_s, blind_b = m.blind.streets, m.blind.buildings
    return pd.DataFrame(
        {
            "street_length_m": per_grid(sg, length),
            "walked_m": per_grid(sg, m.walked.walked_m),
            "day_walked_m": per_grid(sg, m.walked.day_walked_m),
            "night_walked_m": per_grid(sg, m.walked.night_walked_m),
            "camera_seen_m": per_grid(sg, m.seen.seen_m),
            "blind_street_m": per_grid(sg, length * blind_s[0]),
            "night_blind_street_m": per_grid(sg, length * blind_s[1]),
            "buildings": per_grid(bg),
            "households": per_grid(bg, layers.households),
            "residents": per_grid(bg, res),
            "buildings_covered": per_grid(bg, near.week),
            "households_covered": per_grid(bg, layers.households * near.week),
            "residents_covered": per_grid(bg, res * near.week),
            "night_buildings_covered": per_grid(bg, near.night),
            "night_residents_covered": per_grid(bg, res * near.night),
            "entrances_seen": per_grid(bg, m.seen.entrance_seen),
            "blind_buildings": per_grid(bg, blind_b[0]),
            "blind_residents": per_grid(bg, res * blind_b[0]),
            "night_blind_residents": per_grid(bg, res * blind_b[1]),
            "patrols": m.gaps.patrols.astype(float),
            "longest_gap_h": m.gaps.longest_h,
            "_incidents": per_grid(layers.incident_grid),
            "_incidents_in_blind": per_grid(layers.incident_grid, m.blind.incidents_in[0]),
        }
    )


def coverage_by_grid(
    layers: Layers, m: Measures, grid_demand: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per grid: sums, shares, the plan's figures from ``grid_demand`` (indexed
    by grid id; NaN where absent) with their shares, and the incidents."""
    table = _sums_by_grid(layers, m)
    incidents = table.pop("_incidents")
    in_blind = table.pop("_incidents_in_blind")
    length = table["street_length_m"].to_numpy()
    for col in (
        "walked_m",
        "day_walked_m",
        "night_walked_m",
        "camera_seen_m",
        "blind_street_m",
        "night_blind_street_m",
    ):
        name = col.replace("_m", "_share").replace("walked_share", "street_walked_share")
        table[name] = _ratio(table[col], length)
    count = table["buildings"].to_numpy()
    for col, whole in (
        ("buildings_covered", count),
        ("households_covered", table["households"].to_numpy()),
        ("residents_covered", table["residents"].to_numpy()),
        ("night_buildings_covered", count),
        ("entrances_seen", count),
    ):
        table[f"{col}_share"] = _ratio(table[col], whole)
    ids = layers.grid_ids
    demand = grid_demand.reindex(ids) if grid_demand is not None else pd.DataFrame(index=ids)
    for col in DEMAND_COLUMNS:
        table[col] = (
            pd.to_numeric(demand[col], errors="coerce").to_numpy(dtype=float)
            if col in demand.columns
            else np.nan
        )
    for done, due, name in _DEMAND_SHARES:
        table[name] = _ratio(table[done], table[due])
    table["incidents_90d"] = incidents
    table["incidents_in_blind_spots"] = in_blind
    return table


def grid_layer(layers: Layers, by_grid: pd.DataFrame) -> gpd.GeoDataFrame:
    """The grids' own columns followed by the per-grid figures, with the grid shapes."""
    grids = layers.grids
    keep = [c for c in grids.columns if c != grids.geometry.name]
    return gpd.GeoDataFrame(
        pd.concat([grids[keep].reset_index(drop=True), by_grid], axis=1),
        geometry=gpd.GeoSeries(layers.grid_geoms, crs=layers.crs),
        crs=layers.crs,
    )


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


def _patrol_figures(layers: Layers, m: Measures) -> dict[str, float]:
    """The station's street, building and camera shares."""
    length, res, near = layers.street_len, layers.residents, m.covered
    total_len, total_r = float(length.sum()), float(res.sum())
    n_streets, n_buildings = layers.n_streets, layers.n_buildings
    return {
        "street_length_m": total_len,
        "street_walked_share": _share(float(m.walked.walked_m.sum()), total_len),
        "day_street_walked_share": _share(float(m.walked.day_walked_m.sum()), total_len),
        "night_street_walked_share": _share(float(m.walked.night_walked_m.sum()), total_len),
        "streets_passed_share": _share(float((m.walked.walked_count > 0).sum()), n_streets),
        "camera_street_share": _share(float(m.seen.seen_m.sum()), total_len),
        "buildings_covered_share": _share(float(near.week.sum()), n_buildings),
        "households_covered_share": _share(
            float(layers.households @ near.week), float(layers.households.sum())
        ),
        "residents_covered_share": _share(float(res @ near.week), total_r),
        "day_buildings_covered_share": _share(float(near.day.sum()), n_buildings),
        "night_buildings_covered_share": _share(float(near.night.sum()), n_buildings),
        "night_residents_covered_share": _share(float(res @ near.night), total_r),
        "camera_entrance_share": _share(float(m.seen.entrance_seen.sum()), n_buildings),
    }


def _blind_figures(layers: Layers, m: Measures) -> dict[str, float]:
    """The station's blind shares, blind-spot counts and incidents in them."""
    length, res = layers.street_len, layers.residents
    total_len, total_r = float(length.sum()), float(res.sum())
    blind_s, blind_b, areas = m.blind.streets, m.blind.buildings, m.blind.areas
    n_inc = len(layers.incident_geoms)
    in_blind = m.blind.incidents_in
    return {
        "blind_street_share": _share(float(length @ blind_s[0]), total_len),
        "night_blind_street_share": _share(float(length @ blind_s[1]), total_len),
        "blind_buildings_share": _share(float(blind_b[0].sum()), layers.n_buildings),
        "blind_residents_share": _share(float(res @ blind_b[0]), total_r),
        "night_blind_residents_share": _share(float(res @ blind_b[1]), total_r),
        "blind_spots": float((areas["band"] == "week").sum()),
        "night_blind_spots": float((areas["band"] == "night").sum()),
        "incidents_90d": float(n_inc),
        "incidents_in_blind_spots_share": _share(float(in_blind[0].sum()), n_inc),
        "night_incidents_in_night_blind_spots_share": _share(
            float((in_blind[1] & layers.incident_night).sum()), int(layers.incident_night.sum())
        ),
    }


def station_summary(layers: Layers, m: Measures, by_grid: pd.DataFrame) -> dict[str, float]:
    """The station's headline figures, from the measures and the per-grid table."""
    gaps, n_grids = m.gaps.longest_h, layers.n_grids
    demand = {
        c: float(np.nansum(by_grid[c])) if by_grid[c].notna().any() else float("nan")
        for c in DEMAND_COLUMNS
    }
    return {
        "grids": float(n_grids),
        "streets": float(layers.n_streets),
        "buildings": float(layers.n_buildings),
        "cameras": float(len(m.seen.views)),
        **_patrol_figures(layers, m),
        **_blind_figures(layers, m),
        "longest_gap_h_max": float(gaps.max()) if n_grids else float("nan"),
        "longest_gap_h_mean": float(gaps.mean()) if n_grids else float("nan"),
        **demand,
        **{name: _share(demand[done], demand[due]) for done, due, name in _DEMAND_SHARES},
    }
