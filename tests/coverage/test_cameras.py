"""Camera view sectors and wall occlusion on hand-built geometry with known answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from patrol.coverage.cameras import camera_views
from patrol.errors import InputError

CRS = "EPSG:32650"


def cameras_at(*rows: tuple[float, float, float, float, float]) -> gpd.GeoDataFrame:
    """Cameras from (x, y, range_m, direction_deg, fov_deg) rows."""
    return gpd.GeoDataFrame(
        {
            "camera_id": [f"C{i}" for i in range(len(rows))],
            "range_m": [r[2] for r in rows],
            "direction_deg": [r[3] for r in rows],
            "fov_deg": [r[4] for r in rows],
        },
        geometry=[Point(r[0], r[1]) for r in rows],
        crs=CRS,
    )


def footprints(*polygons: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"building_id": [f"B{i}" for i in range(len(polygons))]}, geometry=list(polygons), crs=CRS
    )


EAST_90 = cameras_at((0.0, 0.0, 50.0, 90.0, 90.0))
WALL = footprints(box(10, -8, 12, -3))


def test_sector_points_the_compass_way() -> None:
    view = camera_views(EAST_90).geometry[0]
    assert view.contains(Point(30, 5))  # east
    assert not view.contains(Point(0, 30))  # north lies outside a sector facing east
    assert not view.contains(Point(30, 35))  # beyond 45° off the bearing
    assert not view.contains(Point(55, 0))  # beyond range
    assert view.area == pytest.approx(math.pi * 50**2 / 4, rel=0.01)


def test_omnidirectional_defaults() -> None:
    cams = cameras_at((0.0, 0.0, np.nan, np.nan, np.nan))
    views = camera_views(cams, default_range_m=20.0)
    assert views.geometry[0].area == pytest.approx(math.pi * 400, rel=0.01)
    assert views["range_m"].iloc[0] == 20.0
    assert math.isnan(views["direction_deg"].iloc[0])


def test_wall_hides_the_street_behind_it() -> None:
    behind = LineString([(20, -12), (40, -12)])
    beside = LineString([(20, 10), (40, 10)])
    open_view = camera_views(EAST_90).geometry[0]
    assert open_view.contains(behind)
    view = camera_views(EAST_90, buildings=WALL).geometry[0]
    assert view.intersection(behind).length == pytest.approx(0.0, abs=1e-6)
    assert view.contains(beside)
    assert view.contains(Point(30, -3))  # passes above the wall's corner (12, -3)
    assert not view.contains(Point(30, -9))


def test_view_into_a_courtyard_through_its_opening() -> None:
    u_shape = box(20, -10, 40, 10).difference(box(20, -4, 34, 4))  # opens towards the camera
    view = camera_views(EAST_90, buildings=footprints(u_shape)).geometry[0]
    assert view.contains(Point(30, 0))  # inside the courtyard, seen through the opening
    assert not view.contains(Point(30, 7))  # inside the wing
    assert not view.contains(Point(45, 0))  # behind the back wall
    assert not view.contains(Point(45, 9))


def test_camera_mounted_on_a_wall_is_not_blinded_by_it() -> None:
    cams = cameras_at((0.0, 0.0, 30.0, 90.0, 120.0))
    host = footprints(box(-10, -10, 0.5, 10))  # camera 0.5 m inside the footprint
    view = camera_views(cams, buildings=host).geometry[0]
    assert view.contains(Point(20, 0))


def test_geographic_crs_is_refused() -> None:
    with pytest.raises(InputError, match="to_crs"):
        camera_views(EAST_90.to_crs("EPSG:4326"))


def test_sector_polygons_is_a_quarter_disc_for_a_90_degree_view() -> None:
    from patrol.coverage.cameras import sector_polygons

    xy = np.array([[0.0, 0.0], [100.0, 0.0]])
    views = sector_polygons(
        xy, np.array([10.0, 10.0]), np.array([0.0, np.nan]), np.array([90.0, 90.0]), resolution=360
    )
    assert views[0].area == pytest.approx(math.pi * 100 / 4, rel=1e-3)
    assert views[1].area == pytest.approx(math.pi * 100, rel=1e-3)  # no direction: a circle
    assert views[0].bounds[3] == pytest.approx(10)  # it looks north


def test_see_from_cameras_sees_the_street_and_the_entrance_in_view() -> None:
    from patrol.coverage.cameras import see_from_cameras
    from patrol.coverage.layers import layers_of
    from tests.coverage.districts import BIG_GRID, buildings_of, streets_of

    streets = streets_of(("E1", [(0, 0), (40, 0)]), ("E2", [(0, 200), (40, 200)]))
    buildings = buildings_of(("in", box(15, 5, 25, 15), 3), ("out", box(15, 205, 25, 215), 3))
    layers = layers_of(BIG_GRID, streets, buildings)
    seen = see_from_cameras(
        layers, cameras_at((20.0, -5.0, 30.0, np.nan, 360.0)), min_share=0.5, radius_m=50.0
    )
    assert seen.seen_m.tolist() == [pytest.approx(40.0), 0.0]  # all of E1 in view
    assert seen.camera_seen.tolist() == [True, False]
    assert seen.entrance_seen.tolist() == [True, False]
    assert seen.entrances[0].y == pytest.approx(0)
    # a short view over (0, 13.7) m of E1's 40: a third of it, under the share asked for
    short = see_from_cameras(
        layers, cameras_at((5.0, -5.0, 10.0, np.nan, 360.0)), min_share=0.5, radius_m=50.0
    )
    assert short.seen_m[0] == pytest.approx(5 + np.sqrt(75), abs=0.1)
    assert not short.camera_seen.any()
    none = see_from_cameras(layers, None, min_share=0.5, radius_m=50.0)
    assert len(none.views) == 0 and not none.camera_seen.any()


def test_see_from_cameras_sees_a_building_its_view_reaches() -> None:
    """The camera looks at the footprint's east wall; the entrance on E1 is out of view."""
    from patrol.coverage.cameras import see_from_cameras
    from patrol.coverage.layers import layers_of
    from tests.coverage.districts import BIG_GRID, buildings_of, streets_of

    streets = streets_of(("E1", [(0, 0), (40, 0)]))
    buildings = buildings_of(("hit", box(15, 40, 25, 50), 3), ("miss", box(15, 90, 25, 99), 3))
    layers = layers_of(BIG_GRID, streets, buildings)
    seen = see_from_cameras(
        layers, cameras_at((45.0, 45.0, 30.0, 270.0, 60.0)), min_share=0.5, radius_m=100.0
    )
    assert seen.entrance_seen.tolist() == [False, False]
    assert seen.building_seen.tolist() == [True, False]
