"""Tiny hand-built districts for the coverage tests, in one metric CRS, with known answers.

Builders take plain rows, so each test states its geometry in one line per feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import cast

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from patrol.coverage.blind_spots import find_blind_spots
from patrol.coverage.cameras import see_from_cameras
from patrol.coverage.gaps import patrol_gaps
from patrol.coverage.layers import Layers, layers_of
from patrol.coverage.tables import Measures
from patrol.coverage.tracks import track_segments
from patrol.coverage.walk import cover_buildings, walk_streets
from patrol.demand import recent_incidents
from patrol.scenario.model import Scenario
from patrol.settings import Settings

CRS = "EPSG:32650"
MONDAY = pd.Timestamp("2026-03-02")


def grids_of(*cells: tuple[str, BaseGeometry]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"grid_id": [c[0] for c in cells]}, geometry=[c[1] for c in cells], crs=CRS
    )


def streets_of(*edges: tuple[str, Sequence[tuple[float, float]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"edge_id": [e[0] for e in edges]}, geometry=[LineString(e[1]) for e in edges], crs=CRS
    )


def buildings_of(*rows: tuple[str, BaseGeometry, float]) -> gpd.GeoDataFrame:
    """Buildings from (building_id, geometry, residents); one household per 3 residents."""
    return gpd.GeoDataFrame(
        {
            "building_id": [r[0] for r in rows],
            "households": [r[2] / 3 for r in rows],
            "residents": [r[2] for r in rows],
        },
        geometry=[r[1] for r in rows],
        crs=CRS,
    )


def tracks_of(
    *rows: tuple[str, Sequence[tuple[float, float]], str, float, bool],
) -> gpd.GeoDataFrame:
    """Tracks from (team_id, coords, start 'day HH:MM' offset text, hours, night) rows."""
    starts = [MONDAY + pd.Timedelta(r[2]) for r in rows]
    return gpd.GeoDataFrame(
        {
            "team_id": [r[0] for r in rows],
            "date": [s.date().isoformat() for s in starts],
            "shift": ["night" if r[4] else "day" for r in rows],
            "start": starts,
            "end": [s + pd.Timedelta(hours=r[3]) for s, r in zip(starts, rows, strict=True)],
            "night": [r[4] for r in rows],
        },
        geometry=[LineString(r[1]) for r in rows],
        crs=CRS,
    )


NO_TRACKS = gpd.GeoDataFrame(
    {"team_id": [], "start": pd.to_datetime([]), "end": pd.to_datetime([]), "night": []},
    geometry=[],
    crs=CRS,
)
NO_BUILDINGS = buildings_of()
BIG_GRID = grids_of(("G1", box(-500, -500, 500, 500)))


def blind_district() -> dict[str, gpd.GeoDataFrame]:
    """Cluster A (two touching streets, 10 residents) and B (one street, 50 residents) are
    blind; street W is walked, with an incident on it."""
    streets = streets_of(
        ("A1", [(0, 0), (100, 0)]),
        ("A2", [(100, 0), (100, 100)]),
        ("B1", [(400, 0), (450, 0)]),
        ("W", [(0, 300), (200, 300)]),
    )
    buildings = buildings_of(
        ("a", box(40, 10, 60, 20), 10),
        ("b", box(410, 10, 430, 20), 50),
        ("w", box(90, 310, 110, 320), 99),
    )
    tracks = tracks_of(("T1", [(0, 300), (200, 300)], "8h", 1.0, False))
    when = [MONDAY - pd.Timedelta(d) for d in ("1D", "2D", "3D", "5D", "200D")]
    incidents = gpd.GeoDataFrame(
        {"time": when, "category": "theft"},
        geometry=[Point(50, 2), Point(420, 1), Point(100, 50), Point(100, 302), Point(50, 1)],
        crs=CRS,
    )
    return {
        "streets": streets,
        "buildings": buildings,
        "tracks": tracks,
        "incidents": recent_before_monday(incidents),
    }


def recent_before_monday(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The incidents a week starting on MONDAY counts as recent: the one definition,
    :func:`patrol.demand.recent_incidents`, with the default lookback (90 days)."""
    stand_in = SimpleNamespace(incidents=incidents, settings=Settings(week_start=MONDAY.date()))
    return recent_incidents(cast(Scenario, stand_in))


def layers_for(district: dict[str, gpd.GeoDataFrame], grids: gpd.GeoDataFrame = BIG_GRID) -> Layers:
    """The district's layers as the coverage steps take them."""
    return layers_of(grids, district["streets"], district["buildings"], district.get("incidents"))


def measured_blind_district() -> tuple[Layers, Measures]:
    """The blind district measured step by step, as measure_coverage chains the steps."""
    district = blind_district()
    layers = layers_for(district)
    segments = track_segments(district["tracks"], MONDAY)
    walked = walk_streets(layers, segments, tolerance_m=5.0, min_share=0.5)
    covered = cover_buildings(layers, walked, radius_m=50.0)
    seen = see_from_cameras(layers, None, min_share=0.5, radius_m=50.0)
    blind = find_blind_spots(layers, walked, covered, seen, buffer_m=15.0, cell_m=5.0)
    gaps = patrol_gaps(layers, segments, None, week_start=MONDAY, week_h=168.0)
    return layers, Measures(walked=walked, covered=covered, seen=seen, blind=blind, gaps=gaps)
