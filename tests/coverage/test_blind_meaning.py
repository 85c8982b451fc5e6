"""Blind spots mean what they say: no building a patrol passes or a camera sees lies in one.

Each test is one tiny district: a walked street, an unwalked street beside it (whose
buffer would reach the buildings), and the building whose status is in question.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, box

from patrol.coverage.measure import Coverage, measure_coverage
from tests.coverage.districts import BIG_GRID, CRS, buildings_of, streets_of, tracks_of

WALKED = ("W", [(0, 0), (200, 0)])
TRACK = ("T1", [(0, 0), (200, 0)], "8h", 1.0, False)


def _measure(
    buildings: gpd.GeoDataFrame,
    *,
    streets: gpd.GeoDataFrame | None = None,
    cameras: gpd.GeoDataFrame | None = None,
    visits: pd.DataFrame | None = None,
) -> Coverage:
    return measure_coverage(
        grids=BIG_GRID,
        streets=streets if streets is not None else streets_of(WALKED, ("U", [(0, 20), (200, 20)])),
        buildings=buildings,
        tracks=tracks_of(TRACK),
        cameras=cameras,
        visits=visits,
    )


def _in_blind_spot(cov: Coverage, building_id: str, band: str = "week") -> bool:
    """Whether the building touches any blind-spot area of the band."""
    b = cov.building_coverage.set_index("building_id").geometry[building_id]
    spots = cov.blind_spots[cov.blind_spots["band"] == band].geometry.to_numpy()
    return bool(np.any(shapely.intersects(spots, b)))


def _blind(cov: Coverage) -> dict[str, bool]:
    frame = cov.building_coverage
    return dict(zip(frame["building_id"], frame["blind"].astype(bool), strict=True))


def test_building_beside_a_walked_street_is_passed_and_in_no_blind_spot() -> None:
    """P stands 25 m from the walked street W, right beside the unwalked street U."""
    cov = _measure(buildings_of(("P", box(90, 25, 110, 35), 30)))
    assert _blind(cov) == {"P": False}
    assert cov.street_coverage.set_index("edge_id")["blind"].to_dict() == {"W": False, "U": True}
    assert len(cov.blind_spots[cov.blind_spots["band"] == "week"]) >= 1  # U's own area
    assert not _in_blind_spot(cov, "P")


def test_building_at_a_visit_stop_is_passed_even_far_from_every_walk() -> None:
    """V stands 200 m from the walk, beside the unwalked street U2; a team visits it."""
    streets = streets_of(WALKED, ("U2", [(0, 200), (200, 200)]))
    buildings = buildings_of(("V", box(90, 205, 110, 215), 6), ("X", box(300, 205, 320, 215), 9))
    before = _measure(buildings, streets=streets)
    assert _blind(before) == {"V": True, "X": True}
    assert _in_blind_spot(before, "V")
    visits = pd.DataFrame({"building_id": ["V"], "night": [False]})
    after = _measure(buildings, streets=streets, visits=visits)
    assert _blind(after) == {"V": False, "X": True}
    assert not _in_blind_spot(after, "V")
    assert _in_blind_spot(after, "V", "night")  # a day visit does not pass it at night
    top = after.blind_spots[after.blind_spots["band"] == "week"].iloc[0]
    assert not shapely.intersects(top.geometry, buildings.geometry.iloc[0])


def _camera(x: float, y: float, direction_deg: float, fov_deg: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "camera_id": ["C1"],
            "range_m": [30.0],
            "direction_deg": [direction_deg],
            "fov_deg": [fov_deg],
        },
        geometry=[Point(x, y)],
        crs=CRS,
    )


def test_camera_whose_sector_covers_a_building_sees_it() -> None:
    """S stands 200 m from the walk; its entrance on U2 is out of view, the camera 20 m
    east of S looks west at it (a 60° sector)."""
    streets = streets_of(WALKED, ("U2", [(0, 200), (200, 200)]))
    buildings = buildings_of(("S", box(90, 240, 100, 250), 6))
    looking = _measure(buildings, streets=streets, cameras=_camera(120, 245, 270, 60))
    assert not looking.building_coverage["entrance_seen"].iloc[0]
    assert _blind(looking) == {"S": False}
    assert not _in_blind_spot(looking, "S")
    away = _measure(buildings, streets=streets, cameras=_camera(120, 245, 90, 60))
    assert _blind(away) == {"S": True}
    assert _in_blind_spot(away, "S")


def test_camera_placed_at_a_building_changes_its_blind_spot() -> None:
    """Two blind buildings beside the unwalked street U2; a camera goes on one of them."""
    streets = streets_of(WALKED, ("U2", [(0, 200), (200, 200)]))
    buildings = buildings_of(("A", box(40, 230, 60, 240), 6), ("B", box(140, 230, 160, 240), 9))
    without = _measure(buildings, streets=streets)
    with_camera = _measure(buildings, streets=streets, cameras=_camera(150, 235, 0, 360))
    week = [c.blind_spots[c.blind_spots["band"] == "week"] for c in (without, with_camera)]
    assert _blind(without) == {"A": True, "B": True}
    assert _blind(with_camera) == {"A": True, "B": False}
    assert week[0]["buildings"].sum() == 2 and week[1]["buildings"].sum() == 1
    assert week[1]["residents"].sum() == 6
    assert not _in_blind_spot(with_camera, "B") and _in_blind_spot(with_camera, "A")
