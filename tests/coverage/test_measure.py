"""measure_coverage end to end on tiny hand-built districts with known answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from patrol.coverage.layers import layers_of
from patrol.coverage.measure import measure_coverage, visited_buildings
from patrol.coverage.tracks import tracks_from_points
from patrol.errors import InputError
from tests.coverage.districts import (
    BIG_GRID,
    CRS,
    MONDAY,
    NO_BUILDINGS,
    NO_TRACKS,
    blind_district,
    buildings_of,
    grids_of,
    streets_of,
    tracks_of,
)


def test_building_49_m_from_walked_street_is_covered_51_m_is_not() -> None:
    """One walked street along y = 0; footprints and points 49 m and 51 m away."""
    streets = streets_of(("E1", [(0, 0), (200, 0)]))
    buildings = buildings_of(
        ("near", box(90, 49, 110, 60), 10),
        ("far", box(90, -70, 110, -51), 20),
        ("near_pt", Point(150, -49), 1),
        ("far_pt", Point(150, 51), 1),
    )
    tracks = tracks_of(("T1", [(0, 0), (200, 0)], "8h", 1.0, False))
    cov = measure_coverage(grids=BIG_GRID, streets=streets, buildings=buildings, tracks=tracks)
    covered = dict(
        zip(cov.building_coverage["building_id"], cov.building_coverage["covered"], strict=True)
    )
    assert covered == {"near": True, "far": False, "near_pt": True, "far_pt": False}
    assert cov.summary["residents_covered_share"] == pytest.approx(11 / 32)
    assert cov.summary["street_walked_share"] == pytest.approx(1.0)
    row = cov.street_coverage.iloc[0]
    assert row["walked_count"] == 1 and row["night_walked_count"] == 0


def test_radius_is_configurable() -> None:
    streets = streets_of(("E1", [(0, 0), (200, 0)]))
    buildings = buildings_of(("b", Point(100, 70), 1))
    tracks = tracks_of(("T1", [(0, 0), (200, 0)], "8h", 1.0, False))
    cov = measure_coverage(
        grids=BIG_GRID, streets=streets, buildings=buildings, tracks=tracks, radius_m=80.0
    )
    assert bool(cov.building_coverage["covered"].iloc[0])


def test_street_walked_only_by_day_is_a_night_blind_spot() -> None:
    streets = streets_of(("day", [(0, 0), (200, 0)]), ("night", [(0, 100), (200, 100)]))
    tracks = tracks_of(
        ("T1", [(0, 0), (200, 0)], "9h", 1.0, False),
        ("T2", [(0, 100), (200, 100)], "20h", 1.0, True),
    )
    cov = measure_coverage(grids=BIG_GRID, streets=streets, buildings=NO_BUILDINGS, tracks=tracks)
    sc = cov.street_coverage.set_index("edge_id")
    assert not sc.loc["day", "blind"] and sc.loc["day", "night_blind"]
    assert not sc.loc["night", "blind"] and not sc.loc["night", "night_blind"]
    assert sc.loc["night", "night_walked_count"] == 1
    assert cov.summary["night_street_walked_share"] == pytest.approx(0.5)
    night = cov.blind_spots[cov.blind_spots["band"] == "night"]
    assert len(night) == 1 and night["street_length_m"].iloc[0] == pytest.approx(200)
    assert (cov.blind_spots["band"] == "week").sum() == 0


def test_partly_walked_street_counts_its_walked_length_and_crossing_walks_nothing() -> None:
    streets = streets_of(("long", [(0, 0), (200, 0)]), ("cross", [(50, -100), (50, 100)]))
    tracks = tracks_of(("T1", [(0, 0), (60, 0)], "8h", 1.0, False))  # crosses 'cross' at x=50
    cov = measure_coverage(grids=BIG_GRID, streets=streets, buildings=NO_BUILDINGS, tracks=tracks)
    sc = cov.street_coverage.set_index("edge_id")
    assert sc.loc["long", "walked_m"] == pytest.approx(65, abs=0.5)  # 60 m + 5 m tolerance
    assert sc.loc["long", "walked_count"] == 0  # under half the street
    assert sc.loc["cross", "walked_m"] == 0


def test_camera_sees_the_street_in_its_sector_but_not_behind_a_wall() -> None:
    streets = streets_of(
        ("front", [(20, 10), (40, 10)]),
        ("behind", [(20, -12), (40, -12)]),
        ("west", [(-40, 10), (-20, 10)]),
    )
    wall = buildings_of(("wall", box(10, -8, 12, -3), 0))
    cameras = gpd.GeoDataFrame(
        {"camera_id": ["C1"], "range_m": [50.0], "direction_deg": [90.0], "fov_deg": [90.0]},
        geometry=[Point(0, 0)],
        crs=CRS,
    )
    cov = measure_coverage(
        grids=BIG_GRID, streets=streets, buildings=wall, tracks=NO_TRACKS, cameras=cameras
    )
    seen = dict(
        zip(cov.street_coverage["edge_id"], cov.street_coverage["camera_seen"], strict=True)
    )
    assert seen == {"front": True, "behind": False, "west": False}
    assert cov.summary["camera_street_share"] == pytest.approx(1 / 3, abs=1e-3)
    week = cov.blind_spots[cov.blind_spots["band"] == "week"]
    assert week["street_length_m"].sum() == pytest.approx(40)


def test_grid_swept_twice_has_the_time_between_the_sweeps_as_longest_gap() -> None:
    grids = grids_of(
        ("G1", box(0, -50, 100, 50)), ("G2", box(100, -50, 200, 50)), ("G3", box(200, -50, 300, 50))
    )
    sweeps = pd.DataFrame(
        {
            "grid_id": ["G1", "G1", "G2"],
            "start": [
                MONDAY + pd.Timedelta("2h"),
                MONDAY + pd.Timedelta("5D20h"),
                MONDAY + pd.Timedelta("1D"),
            ],
            "end": [
                MONDAY + pd.Timedelta("3h"),
                MONDAY + pd.Timedelta("5D21h"),
                MONDAY + pd.Timedelta("1D2h"),
            ],
        }
    )
    cov = measure_coverage(
        grids=grids,
        streets=streets_of(),
        buildings=NO_BUILDINGS,
        tracks=NO_TRACKS,
        sweep_times=sweeps,
        week_start=MONDAY,
    )
    gaps = cov.grid_coverage.set_index("grid_id")["longest_gap_h"]
    assert gaps["G1"] == pytest.approx(5 * 24 + 17)  # Mon 03:00 -> Sat 20:00
    assert gaps["G2"] == pytest.approx(166)  # once, 2 h: the rest of the week
    assert gaps["G3"] == pytest.approx(168)  # never


def test_longest_gap_derived_from_tracks_inside_the_grid() -> None:
    grids = grids_of(("G1", box(0, -50, 100, 50)))
    # each track spends its middle half hour in G1 (100 of 200 m, one hour in all)
    tracks = tracks_of(
        ("T1", [(-50, 0), (150, 0)], "2h", 1.0, False),
        ("T2", [(-50, 0), (150, 0)], "5D20h", 1.0, True),
    )
    cov = measure_coverage(grids=grids, streets=streets_of(), buildings=NO_BUILDINGS, tracks=tracks)
    row = cov.grid_coverage.iloc[0]
    assert row["patrols"] == 2
    assert row["longest_gap_h"] == pytest.approx((5 * 24 + 20.25) - 2.75)


def test_route_and_same_route_as_gps_points_agree() -> None:
    route = [(0, 0), (200, 0), (200, 150), (50, 150)]
    streets = streets_of(
        ("A", [(0, 0), (200, 0)]),
        ("B", [(200, 0), (200, 150)]),
        ("C", [(200, 150), (0, 150)]),
        ("D", [(0, 0), (0, 150)]),
    )
    grids = grids_of(("G1", box(-10, -10, 100, 160)), ("G2", box(100, -10, 210, 160)))
    buildings = buildings_of(("b1", box(80, 40, 120, 60), 30), ("b2", Point(-60, 75), 5))
    tracks = tracks_of(("T1", route, "19h30min", 1.0, True))
    line = LineString(route)
    dist = np.linspace(0, line.length, 51)
    times = tracks["start"].iloc[0] + pd.to_timedelta(dist / line.length, unit="h")
    points = gpd.GeoDataFrame(
        {"track": "T1", "time": times, "night": True},
        geometry=[line.interpolate(d) for d in dist],
        crs=CRS,
    )
    legs = tracks_from_points(points, track_col="track", time_col="time")
    assert len(legs) == 50
    assert legs["start"].iloc[0] == tracks["start"].iloc[0]
    a = measure_coverage(grids=grids, streets=streets, buildings=buildings, tracks=tracks)
    b = measure_coverage(grids=grids, streets=streets, buildings=buildings, tracks=legs)
    cols = ["walked_m", "night_walked_m", "walked_count", "night_walked_count"]
    pd.testing.assert_frame_equal(
        a.street_coverage[cols], b.street_coverage[cols], check_exact=False, atol=1e-6
    )
    assert list(a.building_coverage["covered"]) == list(b.building_coverage["covered"])
    pd.testing.assert_series_equal(
        a.grid_coverage["longest_gap_h"], b.grid_coverage["longest_gap_h"], atol=1e-6
    )
    assert a.grid_coverage["patrols"].tolist() == b.grid_coverage["patrols"].tolist()
    for key in ("street_walked_share", "night_street_walked_share", "buildings_covered_share"):
        assert a.summary[key] == pytest.approx(b.summary[key])
    assert a.street_coverage.set_index("edge_id")["walked_count"].to_dict() == {
        "A": 1,
        "B": 1,
        "C": 1,
        "D": 0,
    }


def test_blind_spots_are_merged_and_ranked_by_residents() -> None:
    cov = measure_coverage(grids=BIG_GRID, week_start=MONDAY, **blind_district())
    week = cov.blind_spots[cov.blind_spots["band"] == "week"].set_index("rank")
    assert list(week.index) == [1, 2]
    assert week.loc[1, "residents"] == 50 and week.loc[1, "street_length_m"] == pytest.approx(50)
    assert week.loc[2, "residents"] == 10 and week.loc[2, "street_length_m"] == pytest.approx(200)
    assert week.loc[2, "buildings"] == 1
    assert week.loc[1, "blind_id"] == "W0001"
    assert week.loc[2, "incidents_90d"] == 2  # the 200-day-old one is out of the window
    assert week.loc[2, "rank_by_incidents"] == 1
    assert cov.summary["blind_spots"] == 2
    assert cov.blind_spots.is_valid.all()


def test_share_of_recent_incidents_in_blind_spots() -> None:
    cov = measure_coverage(grids=BIG_GRID, week_start=MONDAY, **blind_district())
    assert cov.summary["incidents_90d"] == 4
    assert cov.summary["incidents_in_blind_spots_share"] == pytest.approx(3 / 4)
    assert cov.grid_coverage["incidents_in_blind_spots"].iloc[0] == 3


def test_grid_demand_figures_pass_through_and_are_nan_when_absent() -> None:
    demand = pd.DataFrame(
        {"sweeps_required": [4], "sweeps_planned": [3]}, index=pd.Index(["G1"], name="grid_id")
    )
    cov = measure_coverage(
        grids=BIG_GRID,
        streets=streets_of(),
        buildings=NO_BUILDINGS,
        tracks=NO_TRACKS,
        grid_demand=demand,
    )
    row = cov.grid_coverage.iloc[0]
    assert row["sweeps_share"] == pytest.approx(0.75)
    assert math.isnan(row["visits_due"]) and math.isnan(row["visits_share"])
    assert cov.summary["sweeps_share"] == pytest.approx(0.75)
    assert math.isnan(cov.summary["hotspot_share"])


def test_bad_layers_are_reported_together() -> None:
    streets = streets_of(("E1", [(0, 0), (10, 0)])).to_crs("EPSG:4326")
    tracks = NO_TRACKS.drop(columns="start")
    with pytest.raises(InputError) as err:
        measure_coverage(grids=BIG_GRID, streets=streets, buildings=NO_BUILDINGS, tracks=tracks)
    text = str(err.value)
    assert "streets" in text and "to_crs" in text and "'start'" in text


def test_building_exactly_50_m_from_walked_street_is_covered() -> None:
    streets = streets_of(("E1", [(0, 0), (200, 0)]))
    buildings = buildings_of(("at", box(90, 50, 110, 60), 1), ("pt", Point(150, -50), 1))
    tracks = tracks_of(("T1", [(0, 0), (200, 0)], "8h", 1.0, False))
    cov = measure_coverage(grids=BIG_GRID, streets=streets, buildings=buildings, tracks=tracks)
    assert cov.building_coverage["covered"].tolist() == [True, True]


def test_visited_buildings_by_band_unknown_ids_skipped() -> None:
    buildings = buildings_of(("a", Point(0, 0), 3), ("b", Point(10, 0), 3))
    layers = layers_of(BIG_GRID, streets_of(("E1", [(0, 0), (1, 0)])), buildings)
    visits = pd.DataFrame({"building_id": ["b", "zz", "a"], "night": [True, False, False]})
    rows = visited_buildings(layers, visits)
    assert rows is not None
    assert rows.tolist() == [[True, False], [False, True]]
    assert visited_buildings(layers, None) is None
