"""Coverage of a plan: hands the plan's legs, streets and figures to :mod:`patrol.coverage.measure`.

:func:`patrol.coverage.measure_coverage` takes plain line geometries with times, so real
GPS tracks (``tracks_from_points``) and planned routes are measured the same way; this
module only turns a :class:`~patrol.plan.Plan` into those inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from patrol.coverage.measure import Coverage, measure_coverage
from patrol.demand import recent_incidents

if TYPE_CHECKING:
    from patrol.plan import Plan


def plan_tracks(plan: Plan) -> gpd.GeoDataFrame:
    """Every walked stretch of the plan (transit and sweeps) with its times and band; a
    driven leg of mixed travel (:mod:`patrol.travel`) patrols nothing and is left out."""
    from patrol.travel import is_walked

    rows = []
    geoms = []
    for route in plan.routes:
        slot = route.team.slot
        for leg in (leg for leg in route.legs if is_walked(leg.mode)):
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


def visit_stops(plan: Plan) -> pd.DataFrame:
    """The buildings teams stop at for household visits: one row per visit stop
    (``building_id``, ``night``), the household's building taken from the scenario."""
    focus = plan.scenario.focus_households
    building_of: dict[str, str] = {}
    if focus is not None and len(focus) and {"household_id", "building_id"} <= set(focus):
        building_of = dict(zip(focus["household_id"], focus["building_id"], strict=True))
    rows = [
        {"building_id": building_of[s.target_id], "night": bool(r.team.slot.night)}
        for r in plan.routes
        for s in r.stops
        if s.kind == "visit" and s.target_id in building_of
    ]
    return pd.DataFrame(rows, columns=["building_id", "night"])


def measure_plan_coverage(
    plan: Plan, *, walked: gpd.GeoDataFrame | None = None, visits: pd.DataFrame | None = None
) -> Coverage:
    """Patrol and camera coverage and blind spots of a planned week.

    The incidents counted are the scenario's recent ones, as the demand counts them
    (:func:`patrol.demand.recent_incidents`: the settings' lookback before the week);
    the buildings of household visits count as passed (:func:`visit_stops`).
    ``walked`` (tracks really walked, as :func:`plan_tracks` gives them) and ``visits``
    (visit stops really made) measure the week as patrolled instead: gaps then come
    from the tracks, not from the planned sweep times.
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
        tracks=plan_tracks(plan) if walked is None else walked,
        cameras=scenario.cameras,
        incidents=recent_incidents(scenario),
        grid_demand=grid_table(plan),
        sweep_times=sweep_times(plan) if walked is None else None,
        visits=visit_stops(plan) if visits is None else visits,
        radius_m=cfg.radius_m,
        default_range_m=cfg.camera_range_m,
        week_start=week_start,
        week_end=week_start + pd.Timedelta(days=7),
    )
