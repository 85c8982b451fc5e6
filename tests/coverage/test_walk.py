"""Streets walked and passed, buildings near a walk, by band."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Point, box

from patrol.coverage.layers import Layers, layers_of
from patrol.coverage.tracks import Segments, track_segments
from patrol.coverage.walk import cover_buildings, walk_streets
from tests.coverage.districts import BIG_GRID, MONDAY, buildings_of, streets_of, tracks_of


def _district() -> tuple[Layers, Segments]:
    """E1 walked 80 m by day, E2 30 m at night; one building near each."""
    streets = streets_of(("E1", [(0, 0), (100, 0)]), ("E2", [(0, 100), (100, 100)]))
    buildings = buildings_of(("day", box(40, 20, 60, 30), 5), ("night", Point(50, 140), 2))
    tracks = tracks_of(
        ("T1", [(0, 0), (80, 0)], "8h", 1.0, False),
        ("T2", [(0, 100), (30, 100)], "20h", 1.0, True),
    )
    return layers_of(BIG_GRID, streets, buildings), track_segments(tracks, MONDAY)


def test_walk_streets_measures_metres_and_patrols_passing() -> None:
    layers, segments = _district()
    walked = walk_streets(layers, segments, tolerance_m=5.0, min_share=0.5)
    # the tolerance box reaches 5 m past the segment's end (the start is the street's)
    assert walked.walked_m.tolist() == pytest.approx([85, 35])
    assert walked.day_walked_m.tolist() == pytest.approx([85, 0])
    assert walked.night_walked_m.tolist() == pytest.approx([0, 35])
    assert walked.walked_count.tolist() == [1, 0]  # 30 m of 100 m is under half
    assert walked.night_walked_count.tolist() == [0, 0]
    assert walked.piece_night.tolist() == [False, True]


def test_cover_buildings_within_the_radius_by_band() -> None:
    layers, segments = _district()
    walked = walk_streets(layers, segments, tolerance_m=5.0, min_share=0.5)
    covered = cover_buildings(layers, walked, radius_m=50.0)
    assert covered.day.tolist() == [True, False]
    assert covered.night.tolist() == [False, True]
    assert covered.week.tolist() == [True, True]


def test_cover_buildings_counts_a_visited_building_in_the_visits_band() -> None:
    """The night building is visited by a day team: covered by day too."""
    layers, segments = _district()
    walked = walk_streets(layers, segments, tolerance_m=5.0, min_share=0.5)
    visited = [[False, True], [False, False]]  # day row, night row
    covered = cover_buildings(layers, walked, radius_m=5.0, visited=np.array(visited))
    assert covered.day.tolist() == [False, True]
    assert covered.night.tolist() == [False, False]
