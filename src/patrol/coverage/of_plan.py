"""Coverage of a plan: hands the plan's legs, streets and figures to :mod:`patrol.coverage.measure`.

:func:`patrol.coverage.measure_coverage` takes plain line geometries with times, so real
GPS tracks (``tracks_from_points``) and planned routes are measured the same way; this
module only turns a :class:`~patrol.plan.Plan` into those inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from patrol.coverage.measure import Coverage, measure_coverage
from patrol.demand import recent_incidents

if TYPE_CHECKING:
    from patrol.plan import Plan
    from patrol.scenario.model import Scenario


def plan_tracks(plan: Plan) -> gpd.GeoDataFrame:
    """Every walked stretch of the plan (transit and sweeps) with its times and band."""
    rows = []
    geoms = []
    for route in plan.routes:
        slot = route.team.slot
        for leg in route.legs:
            rows.append(
                {
                    "team_id": leg.team_id,
                    "date": slot.date.isoformat(),
                    "shift": slot.shift,
                    "start": pd.Timestamp(leg.start),
                    "end": pd.Timestamp(leg.end),
                    "night": bool(slot.night),
                    "kind": leg.kind,
                }
            )
            geoms.append(leg.geometry)
    frame = pd.DataFrame(
        rows, columns=["team_id", "date", "shift", "start", "end", "night", "kind"]
    )
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=plan.scenario.crs)


def plan_streets(plan: Plan) -> gpd.GeoDataFrame:
    """The network's street segments with the grid that sweeps each."""
    edges = plan.network.edges
    streets = edges[["edge_id", "highway", "name", "geometry"]].copy()
    streets["grid_id"] = streets["edge_id"].map(plan.demand.edge_grid)
    return gpd.GeoDataFrame(streets, geometry="geometry", crs=edges.crs)


def sweep_times(plan: Plan) -> pd.DataFrame:
    """When each grid is swept: one row per planned sweep stop (grid, start, end)."""
    rows = [
        {"grid_id": s.grid_id, "start": pd.Timestamp(s.arrive), "end": pd.Timestamp(s.depart)}
        for r in plan.routes
        for s in r.stops
        if s.kind == "sweep"
    ]
    return pd.DataFrame(rows, columns=["grid_id", "start", "end"])


def measure_plan_coverage(plan: Plan) -> Coverage:
    """Patrol and camera coverage and blind spots of a planned week.

    The incidents counted are the scenario's recent ones, as the demand counts them
    (:func:`patrol.demand.recent_incidents`: the settings' lookback before the week).
    """
    from patrol.summary import grid_table

    scenario = plan.scenario
    cfg = scenario.settings.coverage
    week_start = pd.Timestamp(scenario.settings.week_start)
    if not plan.network.has_streets:
        streets = gpd.GeoDataFrame({"edge_id": [], "grid_id": []}, geometry=[], crs=scenario.crs)
    else:
        streets = plan_streets(plan)
    return measure_coverage(
        grids=scenario.grids,
        streets=streets,
        buildings=scenario.buildings,
        tracks=plan_tracks(plan),
        cameras=scenario.cameras,
        incidents=recent_incidents(scenario),
        grid_demand=grid_table(plan),
        sweep_times=sweep_times(plan),
        radius_m=cfg.radius_m,
        default_range_m=cfg.camera_range_m,
        week_start=week_start,
        week_end=week_start + pd.Timedelta(days=7),
    )


def coverage_of_saved_plan(scenario: Scenario, out: str | Path) -> Coverage:
    """Coverage of a plan written earlier to ``out`` (its ``legs`` layer and grid figures).

    Works for any tracks saved in that form, not only our own plans: the ``legs`` layer
    needs ``team_id``, ``start``, ``end`` (ISO times) and ``night``.
    """
    from patrol.errors import InputError
    from patrol.network import scenario_network

    out = Path(out)
    gpkg = out / "plan.gpkg"
    if not gpkg.exists():
        raise InputError(f"no plan found at {gpkg}.", file=str(gpkg))
    legs = gpd.read_file(gpkg, layer="legs").to_crs(scenario.crs)
    legs["start"] = pd.to_datetime(legs["start"])
    legs["end"] = pd.to_datetime(legs["end"])
    legs["night"] = legs["night"].astype(bool)
    stops = gpd.read_file(gpkg, layer="stops")
    sweeps = stops.loc[stops["kind"] == "sweep"]
    times = pd.DataFrame(
        {
            "grid_id": sweeps["grid_id"],
            "start": pd.to_datetime(sweeps["arrive"]),
            "end": pd.to_datetime(sweeps["depart"]),
        }
    )
    grid_csv = out / "grids.csv"
    demand = (
        pd.read_csv(grid_csv, encoding="utf-8-sig", dtype={"grid_id": str}).set_index("grid_id")
        if grid_csv.exists()
        else None
    )
    network = scenario_network(scenario)
    from patrol.demand import assign_edges_to_grids

    streets = network.edges[["edge_id", "geometry"]].copy()
    streets["grid_id"] = streets["edge_id"].map(assign_edges_to_grids(network, scenario.grids))
    cfg = scenario.settings.coverage
    week_start = pd.Timestamp(scenario.settings.week_start)
    return measure_coverage(
        grids=scenario.grids,
        streets=gpd.GeoDataFrame(streets, crs=scenario.crs),
        buildings=scenario.buildings,
        tracks=legs,
        cameras=scenario.cameras,
        incidents=recent_incidents(scenario),
        grid_demand=demand,
        sweep_times=times,
        radius_m=cfg.radius_m,
        default_range_m=cfg.camera_range_m,
        week_start=week_start,
        week_end=week_start + pd.Timedelta(days=7),
    )
