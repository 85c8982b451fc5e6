"""Tracks: GPS fixes into legs, legs into timed segments, segments inside areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from patrol.coverage.tracks import segment_visits, track_segments, tracks_from_points
from patrol.errors import InputError
from tests.coverage.districts import CRS, MONDAY, NO_TRACKS, tracks_of


def test_tracks_from_points_takes_night_from_the_clock() -> None:
    points = gpd.GeoDataFrame(
        {
            "track": ["T", "T", "T"],
            "time": [MONDAY + pd.Timedelta(h) for h in ("18h50min", "19h", "19h10min")],
        },
        geometry=[Point(0, 0), Point(100, 0), Point(200, 0)],
        crs=CRS,
    )
    legs = tracks_from_points(points.iloc[::-1], track_col="track", time_col="time")
    assert legs["night"].tolist() == [False, True]
    assert legs.geometry.iloc[0].coords[0] == (0.0, 0.0)


def test_tracks_from_points_wants_projected_points_and_its_columns() -> None:
    points = gpd.GeoDataFrame({"track": ["T"]}, geometry=[Point(0, 0)], crs="EPSG:4326")
    with pytest.raises(InputError) as err:
        tracks_from_points(points, track_col="track", time_col="time")
    assert "'time'" in str(err.value) and "to_crs" in str(err.value)


def test_time_grows_with_length_along_a_track() -> None:
    tracks = tracks_of(
        ("T1", [(0, 0), (100, 0), (100, 300)], "8h", 2.0, False),
        ("T2", [(0, 0), (0, 10)], "20h", 1.0, True),
    )
    seg = track_segments(tracks, MONDAY)
    assert seg.t0.tolist() == [8.0, 8.5, 20.0] and seg.t1.tolist() == [8.5, 10.0, 21.0]
    assert seg.night.tolist() == [False, False, True]
    assert seg.n_patrols == 2 and seg.patrol.tolist() == [0, 0, 1]
    assert len(seg.lines()) == 3
    assert len(track_segments(NO_TRACKS, MONDAY).lines()) == 0


def test_segment_visits_time_the_stretch_inside_each_area() -> None:
    seg = track_segments(tracks_of(("T1", [(0, 0), (100, 0)], "8h", 1.0, False)), MONDAY)
    area, lo, hi = segment_visits(seg, np.array([box(50, -5, 75, 5), box(500, 0, 600, 10)]))
    assert area.tolist() == [0]
    assert lo[0] == pytest.approx(8.5) and hi[0] == pytest.approx(8.75)
    assert len(segment_visits(seg, np.empty(0, dtype=object))[0]) == 0
    assert pd.isna(pd.Series(lo)).sum() == 0
