"""Coverage of a patrol week: streets walked, buildings near a patrol, cameras, blind spots.

:func:`measure_coverage` chains named steps, each in the module of its one job:
:mod:`~patrol.coverage.layers` (check the inputs, hold them as arrays),
:mod:`~patrol.coverage.tracks` (tracks into timed segments), :mod:`~patrol.coverage.walk`
(streets walked, buildings covered), :mod:`~patrol.coverage.cameras` (what cameras see),
:mod:`~patrol.coverage.blind_spots`, :mod:`~patrol.coverage.gaps` (longest time without a
patrol) and :mod:`~patrol.coverage.tables` (the result tables). Everything works on plain
GeoDataFrames in one projected CRS (metres); the definitions of every measure are in
``docs/coverage.md``.

Time bands: a track row's ``night`` flag decides its band (day otherwise); cameras watch
in both bands. Times inside are hours since ``week_start``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from patrol.coverage.arrays import BoolArray
from patrol.coverage.blind_spots import find_blind_spots
from patrol.coverage.cameras import DEFAULT_RANGE_M, see_from_cameras
from patrol.coverage.gaps import patrol_gaps
from patrol.coverage.layers import Layers, check_layers, layers_of
from patrol.coverage.tables import (
    Measures,
    building_table,
    coverage_by_grid,
    grid_layer,
    station_summary,
    street_table,
)
from patrol.coverage.tracks import track_segments
from patrol.coverage.walk import cover_buildings, walk_streets
from patrol.errors import InputError, Problem
from patrol.vocab import NIGHT_BAND_H

__all__ = ["Coverage", "measure_coverage", "visited_buildings"]

logger = logging.getLogger("patrol")


@dataclass(frozen=True)
class Coverage:
    """What a week of patrols and the cameras cover, per grid, street and building.

    ``blind_spots`` holds merged areas no camera sees and no patrol passes, for the whole
    week (``band="week"``) and for night patrols only (``band="night"``); ``summary``
    holds the station's headline figures (shares in 0–1, NaN when undefined).
    """

    grid_coverage: gpd.GeoDataFrame
    street_coverage: gpd.GeoDataFrame
    building_coverage: gpd.GeoDataFrame
    camera_views: gpd.GeoDataFrame
    blind_spots: gpd.GeoDataFrame
    summary: dict[str, float]


def _check_options(
    *, radius_m: float, tolerance_m: float, blind_buffer_m: float, min_share: float
) -> None:
    """Raise every out-of-range distance or share at once."""
    problems = [
        Problem("settings", f"{name} must be positive, got {value}.")
        for name, value in (
            ("radius_m", radius_m),
            ("tolerance_m", tolerance_m),
            ("blind_buffer_m", blind_buffer_m),
        )
        if not value > 0
    ]
    if not 0 < min_share <= 1:
        problems.append(Problem("settings", f"min_share must be in (0, 1], got {min_share}."))
    if problems:
        raise InputError(problems)


def _week_of(
    tracks: gpd.GeoDataFrame,
    sweep_times: pd.DataFrame | None,
    *,
    week_start: pd.Timestamp | None,
    week_end: pd.Timestamp | None,
) -> tuple[pd.Timestamp, float]:
    """The week's start and its length in hours; the start defaults to the midnight
    before the first track or sweep, the end to 7 days after the start."""
    if week_start is None:
        starts = list(pd.to_datetime(tracks["start"]).dropna())
        if sweep_times is not None and len(sweep_times):
            starts += list(pd.to_datetime(sweep_times["start"]).dropna())
        week_start = min(starts).normalize() if starts else pd.Timestamp("1970-01-05")
    else:
        week_start = pd.Timestamp(week_start)
    week_end = week_start + pd.Timedelta(days=7) if week_end is None else pd.Timestamp(week_end)
    week_h = float((week_end - week_start) / pd.Timedelta(hours=1))
    if week_h <= 0:
        raise InputError("week_end must be after week_start.", file="settings")
    return week_start, week_h


def visited_buildings(layers: Layers, visits: pd.DataFrame | None) -> BoolArray | None:
    """Which buildings a team stops at, by day (row 0) and at night (row 1); ``visits``
    holds ``building_id`` and ``night``. Unknown building ids are skipped."""
    if visits is None or len(visits) == 0 or "building_id" not in layers.buildings:
        return None
    ids = pd.Index(layers.buildings["building_id"].to_numpy())
    where = ids.get_indexer(pd.Index(visits["building_id"].to_numpy()))
    night = visits["night"].to_numpy(dtype=bool)
    out = np.zeros((2, layers.n_buildings), dtype=bool)
    known = where >= 0
    out[night[known].astype(np.int64), where[known]] = True
    return out


def measure_coverage(
    *,
    grids: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    tracks: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    grid_demand: pd.DataFrame | None = None,
    sweep_times: pd.DataFrame | None = None,
    visits: pd.DataFrame | None = None,
    radius_m: float = 50.0,
    tolerance_m: float = 5.0,
    min_share: float = 0.5,
    blind_buffer_m: float = 15.0,
    blind_cell_m: float | None = None,
    default_range_m: float = DEFAULT_RANGE_M,
    camera_resolution: int = 64,
    week_start: pd.Timestamp | None = None,
    week_end: pd.Timestamp | None = None,
    night_hours: tuple[float, float] = NIGHT_BAND_H,
) -> Coverage:
    """Measure what the week's tracks and the cameras cover, and where the blind spots are.

    - A street is *walked* along the length a track runs within ``tolerance_m`` of it, in
      the track's direction (within 45°, so crossing a street does not walk it); one
      patrol (a track, or a team's shift) *passes* a street when it walks ``min_share`` of
      its length, and a camera set *sees* it when the views cover ``min_share`` of it.
    - A building is *covered* when it lies within ``radius_m`` of a walked street piece
      or a team stops at it (``visits``: ``building_id`` and the stop's ``night`` flag),
      and *seen* when a camera view reaches it or its entrance (nearest street point).
    - A street no camera sees and no patrol passes, and a building neither covered nor
      seen, is blind; blind features buffered by ``blind_buffer_m`` and dissolved form
      the blind-spot areas, for the week and for night patrols, kept clear of every
      building covered or seen in that band.
    - The *longest gap* of a grid is the longest time in the week with no patrol in it,
      the week taken as repeating (168 h with none). Patrol intervals come from
      ``sweep_times`` when given, else from the tracks.
    - ``incidents`` are the recent incidents, all counted: select them first with the
      one definition of "recent", :func:`patrol.demand.recent_incidents` (the lookback
      of the settings). Night incidents fall in ``night_hours`` (19:00-06:00).

    Tracks carry ``start``/``end`` timestamps and a ``night`` flag; ``week_start``
    defaults to the midnight before the first track and ``week_end`` to 7 days later.
    """
    check_layers(
        {
            "grids": grids,
            "streets": streets,
            "buildings": buildings,
            "tracks": tracks,
            "cameras": cameras,
            "incidents": incidents,
        }
    )
    _check_options(
        radius_m=radius_m,
        tolerance_m=tolerance_m,
        blind_buffer_m=blind_buffer_m,
        min_share=min_share,
    )
    start, week_h = _week_of(tracks, sweep_times, week_start=week_start, week_end=week_end)
    layers = layers_of(grids, streets, buildings, incidents, night_hours=night_hours)
    segments = track_segments(tracks, start)
    walked = walk_streets(layers, segments, tolerance_m=tolerance_m, min_share=min_share)
    covered = cover_buildings(
        layers, walked, radius_m=radius_m, visited=visited_buildings(layers, visits)
    )
    seen = see_from_cameras(
        layers,
        cameras,
        min_share=min_share,
        radius_m=radius_m,
        default_range_m=default_range_m,
        resolution=camera_resolution,
    )
    blind = find_blind_spots(
        layers,
        walked,
        covered,
        seen,
        buffer_m=blind_buffer_m,
        cell_m=blind_cell_m or blind_buffer_m / 3.0,
    )
    gaps = patrol_gaps(layers, segments, sweep_times, week_start=start, week_h=week_h)
    measures = Measures(walked=walked, covered=covered, seen=seen, blind=blind, gaps=gaps)
    by_grid = coverage_by_grid(layers, measures, grid_demand)
    summary = station_summary(layers, measures, by_grid)
    logger.info(
        "coverage: %.0f%% of street length walked, %d blind spots",
        100 * summary["street_walked_share"] if summary["street_length_m"] else 0,
        int(summary["blind_spots"]),
    )
    return Coverage(
        grid_coverage=grid_layer(layers, by_grid),
        street_coverage=street_table(layers, measures),
        building_coverage=building_table(layers, measures),
        camera_views=seen.views,
        blind_spots=blind.areas,
        summary=summary,
    )
