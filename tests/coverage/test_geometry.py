"""Vector look-ups: straight edges, pieces of lines, nearest targets, points inside."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box

from patrol.coverage.geometry import (
    distinct_lines,
    grid_index,
    line_edges,
    nearest_targets,
    pieces_inside,
    points_in_polygons,
    walked_pieces,
)


def test_line_edges_run_part_after_part_with_offsets() -> None:
    lines = np.array(
        [
            LineString([(0, 0), (3, 4), (3, 10)]),
            MultiLineString([[(0, 0), (1, 0)], [(5, 0), (7, 0)]]),
        ]
    )
    edges = line_edges(lines)
    assert edges.line.tolist() == [0, 0, 1, 1]
    assert edges.length_m.tolist() == [5, 6, 1, 2]
    assert edges.offset_m.tolist() == [0, 5, 0, 1]
    assert edges.line_length_m.tolist() == [11, 3]


def test_pieces_inside_give_the_interval_along_the_line() -> None:
    lines = np.array([LineString([(0, 0), (100, 0)]), LineString([(0, 50), (10, 50)])])
    line_i, area_i, pieces, lo, hi = pieces_inside(lines, np.array([box(20, -5, 30, 5)]))
    assert line_i.tolist() == [0] and area_i.tolist() == [0]
    assert (lo[0], hi[0]) == (20, 30) and shapely.length(pieces[0]) == 10


def test_walked_pieces_follow_a_street_but_not_a_crossing() -> None:
    streets = np.array([LineString([(0, 0), (100, 0)]), LineString([(50, -50), (50, 50)])])
    a, b = np.array([[10.0, 3.0]]), np.array([[40.0, 3.0]])
    line_i, seg_i, _, lo, hi = walked_pieces(streets, a, b, tolerance_m=5.0)
    assert line_i.tolist() == [0] and seg_i.tolist() == [0]
    assert lo[0] == pytest.approx(5) and hi[0] == pytest.approx(45)
    assert len(walked_pieces(streets[:0], a, b, tolerance_m=5.0)[0]) == 0


def test_distinct_lines_drop_exact_repeats_only() -> None:
    a, b = LineString([(0, 0), (1, 0)]), LineString([(1, 0), (0, 0)])
    assert len(distinct_lines(np.array([a, a, b]))) == 2


def test_nearest_targets_match_the_tree_query() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 400, (60, 2))
    lines = shapely.linestrings(np.stack((xy[:30], xy[30:]), axis=1))
    boxes = shapely.box(*xy[:30].T, *(xy[:30] + rng.uniform(1, 40, (30, 2))).T)
    near_src, near_tgt = nearest_targets(boxes, lines, reach=10.0)
    ref_src, ref_tgt = shapely.STRtree(lines).query_nearest(boxes, all_matches=False)
    assert np.array_equal(near_src, ref_src) and np.array_equal(near_tgt, ref_tgt)


def test_points_in_polygons_pairs_every_hit_sorted() -> None:
    points = np.array([Point(5, 5), Point(50, 50), Point(10, 10)])
    polygons = np.array([box(0, 0, 10, 10), box(4, 4, 6, 6)])
    point_i, poly_i = points_in_polygons(points, polygons)
    assert list(zip(point_i.tolist(), poly_i.tolist(), strict=True)) == [(0, 0), (0, 1), (2, 0)]
    assert len(points_in_polygons(points[:0], polygons)[0]) == 0


def test_grid_index_takes_the_given_id_else_the_grid_holding_it() -> None:
    grid_ids = pd.Index(["A", "B"])
    grid_geoms = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10)])
    geoms = np.array([Point(15, 5), Point(15, 5), Point(50, 50)])
    got = grid_index(pd.Series(["A", "Z", None]), geoms, grid_ids, grid_geoms)
    assert got.tolist() == [0, 1, -1]
