"""Buffer and dissolve on a raster, against the vector answer of shapely itself."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from patrol.coverage.dissolve import (
    MAX_CELLS,
    dissolve_buffers,
    dissolve_outlines,
    points_in_areas,
    raster_cell,
    sample_outlines,
)
from patrol.coverage.geometry import points_in_polygons


def test_raster_dissolve_matches_the_vector_buffer_union() -> None:
    geoms = np.array(
        [
            LineString([(0, 0), (100, 0)]),
            LineString([(100, 0), (100, 80)]),
            box(20, 20, 70, 70),
            Point(300, 0),
        ],
        dtype=object,
    )
    areas = dissolve_buffers(geoms, buffer_m=15.0, cell_m=1.0)
    exact = shapely.union_all(shapely.buffer(geoms, 15.0, quad_segs=16))
    assert len(areas) == 2 and shapely.is_valid(areas).all()
    merged = shapely.union_all(areas)
    assert merged.symmetric_difference(exact).area < 0.03 * exact.area
    assert merged.contains(geoms[2])  # the wide footprint is filled, no hole inside


def _mixed_geoms() -> tuple[np.ndarray, np.random.Generator]:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 400, (60, 2))
    lines = shapely.linestrings(np.stack((xy[:30], xy[30:]), axis=1))
    boxes = shapely.box(*xy[:30].T, *(xy[:30] + rng.uniform(1, 40, (30, 2))).T)
    holed = shapely.Polygon(
        [(0, 0), (90, 0), (90, 90), (0, 90)], [[(30, 30), (60, 30), (60, 60), (30, 60)]]
    )
    extra = [holed, Point(5, 5), shapely.MultiPolygon([holed])]
    return np.concatenate((lines, boxes, extra)), rng


def test_outline_samples_are_the_segmentized_outlines() -> None:
    geoms, _ = _mixed_geoms()
    outlines = np.where(np.isin(shapely.get_type_id(geoms), (3, 6)), shapely.boundary(geoms), geoms)
    expected = shapely.get_coordinates(shapely.segmentize(outlines, 2.5))
    got, owner = sample_outlines(geoms, 2.5)
    assert np.array_equal(np.unique(expected, axis=0), np.unique(got, axis=0))
    assert len(owner) == len(got) and owner.max() == len(geoms) - 1


def test_points_read_off_the_raster_match_the_exact_test() -> None:
    geoms, rng = _mixed_geoms()
    xy, _ = sample_outlines(geoms, 2.5)
    areas, raster = dissolve_outlines(geoms, xy, buffer_m=15.0, cell_m=5.0)
    assert raster.cell_m == 5.0 and raster.mask.any()
    probes = np.concatenate(
        (shapely.points(rng.uniform(-40, 480, (3000, 2))), [Point(), Point(45, 45)])
    )
    got = points_in_areas(probes, areas, raster)
    want = points_in_polygons(probes, areas)
    assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True))


def test_raster_cell_grows_only_past_the_cap() -> None:
    small = np.array([0.0, 0.0, 1000.0, 1000.0])
    assert raster_cell(small, 15.0, 5.0) == 5.0
    huge = np.array([0.0, 0.0, 1e6, 1e6])
    coarse = raster_cell(huge, 15.0, 5.0)
    assert coarse > 5.0
    assert (1e6 + 2 * (15 + 15)) ** 2 / coarse**2 == pytest.approx(MAX_CELLS, rel=0.01)


def test_dissolve_outlines_keeps_clear_of_kept_out_features() -> None:
    """A street's 15 m buffer would cover the box beside it; kept out, it does not, and a
    held point right beside the box stays inside."""
    street = np.array([LineString([(0, 0), (100, 0)]), Point(50, -10)], dtype=object)
    xy, owner = sample_outlines(street, 2.5)
    kept = np.array([box(40, 5, 60, 12)], dtype=object)
    kept_xy, _ = sample_outlines(kept, 2.5)
    plain, _ = dissolve_outlines(street, xy, buffer_m=15.0, cell_m=5.0)
    assert shapely.intersects(shapely.union_all(plain), kept[0])
    areas, _ = dissolve_outlines(
        street, xy, buffer_m=15.0, cell_m=5.0, keep_out=(kept, kept_xy), hold_xy=xy[owner == 1]
    )
    merged = shapely.union_all(areas)
    assert not shapely.intersects(merged, kept[0])
    assert merged.contains(Point(50, -10)) and merged.contains(Point(5, 0))
