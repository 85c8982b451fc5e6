"""One week's tables for the station store, cut from a plan's output folder.

``OUT/plan.gpkg`` holds the plan (:mod:`patrol.store`) and, after ``patrol actuals``, the
week's check-ins, tracks and compliance (:mod:`patrol.actuals`). :func:`week_frames` reads
the layers the station store keeps, as they are, and shapes the few it keeps otherwise:
grids with their week's needs, the GPS fixes as one line a track, incidents with their
grid, the roster and households without phones, categories or labels. This is the one
place that knows the layer names of the plan store and of the actuals.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from patrol.store.layers import layer_names, read_layer, read_meta
from patrol.store.schema import PLAN_FILE

__all__ = ["WeekFrames", "week_frames"]

_AS_IS = {
    "routes": "plan_routes",
    "actual_checkins": "actual_checkins",
    "actual_legs": "actual_legs",
    "actual_warnings": "actual_warnings",
    "compliance_stops": "compliance_stops",
    "compliance_shifts": "compliance_shifts",
    "compliance_people": "compliance_people",
    "compliance_grids": "compliance_grids",
}
"""Plan-store layer -> station-store table, for the layers kept as they are."""


@dataclass
class WeekFrames:
    """A week as the station store takes it: its Monday, CRS, station and tables."""

    week_start: dt.date
    crs: Any
    station: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def has_actuals(self) -> bool:
        """Whether the week holds compliance (``patrol actuals`` was run on it)."""
        shifts = self.frames.get("compliance_shifts")
        return shifts is not None and len(shifts) > 0


def _station(meta: dict[str, Any]) -> str:
    import tomllib

    try:
        return str(tomllib.loads(str(meta.get("settings_toml", ""))).get("station", ""))
    except tomllib.TOMLDecodeError:
        return ""


def _grids(gpkg: Path, names: set[str]) -> gpd.GeoDataFrame:
    grids = read_layer(gpkg, "scenario_grids")
    if "grid_needs" in names:
        needs = read_layer(gpkg, "grid_needs")
        needs = needs.assign(
            sweeps_required=needs["base"] + needs["extra"], night_sweeps_required=needs["night_min"]
        )
        keep = ["grid_id", "sweeps_required", "night_sweeps_required", "visits_due"]
        grids = grids.merge(needs[[*keep, "recent_incidents"]], on="grid_id", how="left")
    return grids


def _tracks(fixes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each track's fixes as one line in time order (a point for a single fix)."""
    rows, geoms = [], []
    ordered = fixes.assign(_t=pd.to_datetime(fixes["time"], errors="coerce")).sort_values(
        ["track_id", "_t"], kind="stable"
    )
    for track_id, part in ordered.groupby("track_id", sort=True):
        points = [g for g in part.geometry if g is not None and not g.is_empty]
        coords = [(p.x, p.y) for p in points]
        geoms.append(shapely.LineString(coords) if len(coords) > 1 else (points or [None])[0])
        rows.append(
            {
                "track_id": str(track_id),
                "team_id": _first(part, "team_id"),
                "person_id": _first(part, "person_id"),
                "start": part["_t"].min(),
                "end": part["_t"].max(),
                "points": len(part),
            }
        )
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=fixes.crs)


def _first(frame: pd.DataFrame, column: str) -> Any:
    if column not in frame.columns:
        return None
    values = frame[column].dropna()
    return values.iloc[0] if len(values) else None


def _incidents(gpkg: Path, grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    incidents = read_layer(gpkg, "scenario_incidents")
    if not isinstance(incidents, gpd.GeoDataFrame) or not len(incidents):
        return gpd.GeoDataFrame(geometry=[], crs=grids.crs)
    joined = gpd.sjoin(
        incidents, grids[["grid_id", "geometry"]], how="left", predicate="within"
    ).drop(columns="index_right")
    joined = joined.loc[~joined.index.duplicated()]
    if "incident_id" not in joined.columns:
        joined["incident_id"] = [f"I{k + 1}" for k in range(len(joined))]
    return joined


def _weeks_row(meta: dict[str, Any], out: Path, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    routes = frames["plan_routes"]
    days = sorted(dt.date.fromisoformat(str(d)) for d in routes["date"]) if len(routes) else []
    summary: dict[str, Any] = {}
    if (out / "summary.json").exists():
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    actuals = meta.get("actuals") or {}
    return pd.DataFrame(
        {
            "plan_id": [meta.get("plan_id", "")],
            "station": [_station(meta)],
            "first_day": [days[0] if days else None],
            "last_day": [days[-1] if days else None],
            "actuals": [len(frames.get("compliance_shifts", ())) > 0],
            "checkins": [actuals.get("checkins") if isinstance(actuals, dict) else None],
            "tracks": [actuals.get("tracks") if isinstance(actuals, dict) else None],
            "weighted_demand_met": [summary.get("weighted_demand_met")],
        }
    )


def week_frames(out: str | Path) -> WeekFrames:
    """The week planned (and, when ``patrol actuals`` has run, patrolled) in ``out``."""
    out = Path(out)
    gpkg = out / PLAN_FILE
    meta = read_meta(gpkg)
    names = layer_names(gpkg)
    frames: dict[str, pd.DataFrame] = {
        table: read_layer(gpkg, layer) for layer, table in _AS_IS.items() if layer in names
    }
    stops = read_layer(gpkg, "stops")
    frames["plan_stops"] = stops.loc[stops["kind"] != "post"].reset_index(drop=True)
    frames["plan_teams"] = read_layer(gpkg, "teams").drop(columns=["phone"], errors="ignore")
    grids = _grids(gpkg, names)
    frames["plan_grids"] = grids
    if "scenario_focus_households" in names:
        focus = read_layer(gpkg, "scenario_focus_households")
        frames["plan_households"] = focus.drop(columns=["category", "label"], errors="ignore")
    if "scenario_incidents" in names:
        frames["incidents"] = _incidents(gpkg, grids)
    if "actual_fixes" in names:
        frames["actual_tracks"] = _tracks(read_layer(gpkg, "actual_fixes"))
    frames["weeks"] = _weeks_row(meta, out, frames)
    week_start = dt.date.fromisoformat(str(meta["week_start"]))
    return WeekFrames(week_start, grids.crs, _station(meta), frames)
