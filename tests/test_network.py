"""The street network: noding, snapping endpoints, shortest paths, the straight-line fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS
from shapely.geometry import LineString, Point

from patrol.network import Network, build_network, network_for, straight_line_network
from patrol.scenario.read import read_scenario

UTM50 = CRS.from_epsg(32650)
X0, Y0 = 500_000.0, 4_300_000.0


def _roads(lines: list[LineString]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"highway": ["residential"] * len(lines), "name": [f"路{k}" for k in range(len(lines))]},
        geometry=lines,
        crs=UTM50,
    )


def _p(i: float, j: float) -> tuple[float, float]:
    return (X0 + 100.0 * i, Y0 + 100.0 * j)


def _lattice() -> gpd.GeoDataFrame:
    """The tiny scenario's street lattice in metres: 5 x 5 crossings 100 m apart."""
    lines = []
    for k in range(5):
        for m in range(4):
            lines.append(LineString([_p(m, k), _p(m + 1, k)]))
            lines.append(LineString([_p(k, m), _p(k, m + 1)]))
    return _roads(lines)


def _node_at(net: Network, i: float, j: float) -> int:
    d = np.hypot(*(net.node_xy - np.array(_p(i, j))).T)
    k = int(np.argmin(d))
    assert d[k] < 1e-6
    return k


def _check_lattice(net: Network) -> None:
    """21 nodes: the 4 outer corners are bends (degree 2), merged into their streets."""
    assert (net.n_nodes, len(net.edges)) == (21, 36)
    assert sorted(set(net.edges["length_m"].round(6))) == [100.0, 200.0]
    assert net.edges["length_m"].sum() == pytest.approx(4000.0)
    for i, j in [(0, 0), (0, 4), (4, 0), (4, 4)]:
        assert np.hypot(*(net.node_xy - np.array(_p(i, j))).T).min() > 99


def test_lattice_is_one_component() -> None:
    net = build_network(_lattice())
    _check_lattice(net)
    assert len(set(net.component_labels())) == 1
    assert set(net.edges["highway"]) == {"residential"}


def test_long_lines_are_split_at_every_crossing() -> None:
    """Five east-west and five north-south streets, each drawn as one 400 m line."""
    lines = [LineString([_p(0, k), _p(4, k)]) for k in range(5)]
    lines += [LineString([_p(k, 0), _p(k, 4)]) for k in range(5)]
    net = build_network(_roads(lines))
    _check_lattice(net)


def test_x_of_two_lines_is_noded_at_the_crossing() -> None:
    net = build_network(
        _roads([LineString([_p(0, 0), _p(2, 2)]), LineString([_p(0, 2), _p(2, 0)])])
    )
    assert (net.n_nodes, len(net.edges)) == (5, 4)
    centre = _node_at(net, 1, 1)
    assert sorted(np.concatenate([net.edges["u"], net.edges["v"]]).tolist()).count(centre) == 4
    np.testing.assert_allclose(net.edges["length_m"], 100.0 * np.sqrt(2))
    # each half keeps the name of the street it came from
    assert sorted(net.edges["name"]) == ["路0", "路0", "路1", "路1"]
    for row in net.edges.itertuples():
        rising = (row.geometry.coords[0][1] - row.geometry.coords[-1][1]) * (
            row.geometry.coords[0][0] - row.geometry.coords[-1][0]
        ) > 0
        assert row.name == ("路0" if rising else "路1")


def test_endpoints_within_tolerance_are_merged() -> None:
    a = LineString([_p(0, 0), _p(1, 0)])
    b = LineString([(X0 + 100.4, Y0), _p(2, 0)])  # starts 0.4 m beyond a's end
    net = build_network(_roads([a, b]), snap_tolerance_m=1.0)
    assert net.n_nodes == 3
    assert len(set(net.component_labels())) == 1
    d = net.distance_matrix([_node_near(net, 0, 0)], [_node_near(net, 2, 0)])
    assert d[0, 0] == pytest.approx(199.6, abs=0.01)


def test_endpoints_beyond_tolerance_stay_apart() -> None:
    a = LineString([_p(0, 0), _p(1, 0)])
    b = LineString([(X0 + 103.0, Y0), _p(2, 0)])  # a 3 m gap
    net = build_network(_roads([a, b]), snap_tolerance_m=1.0)
    assert net.n_nodes == 4
    assert len(set(net.component_labels())) == 2
    d = net.distance_matrix([_node_near(net, 0, 0)], [_node_near(net, 2, 0)])
    assert np.isinf(d[0, 0])
    assert net.path_nodes(_node_near(net, 0, 0), _node_near(net, 2, 0)) == []


def _node_near(net: Network, i: float, j: float) -> int:
    return int(np.argmin(np.hypot(*(net.node_xy - np.array(_p(i, j))).T)))


def test_distance_matrix_equals_lattice_distances() -> None:
    net = build_network(_lattice())
    pts = [(1, 0), (1, 1), (3, 4), (4, 1), (2, 3), (2, 2)]
    corners = [_node_at(net, i, j) for i, j in pts]
    d = net.distance_matrix(corners)
    expected = np.array([[100.0 * (abs(a[0] - b[0]) + abs(a[1] - b[1])) for b in pts] for a in pts])
    np.testing.assert_allclose(d, expected, atol=1e-6)
    assert d[1, 5] == pytest.approx(200.0)  # opposite corners of one block
    np.testing.assert_allclose(d, d.T)
    t = net.travel_time_matrix(corners)
    np.testing.assert_allclose(t, d / net.speed_mps)


def test_rectangular_distance_matrix() -> None:
    net = build_network(_lattice())
    d = net.distance_matrix([_node_at(net, 0, 1)], [_node_at(net, 1, 0), _node_at(net, 3, 2)])
    assert d.shape == (1, 2)
    np.testing.assert_allclose(d, [[200.0, 400.0]])  # (1, 0) is via the bent corner


def test_path_geometry_length_equals_distance() -> None:
    net = build_network(_lattice())
    a, b = _node_at(net, 0, 1), _node_at(net, 3, 2)
    geom = net.path_geometry(a, b)
    assert geom.length == pytest.approx(net.distance_matrix([a], [b])[0, 0])
    assert geom.length == pytest.approx(400.0)
    assert geom.coords[0] == pytest.approx(_p(0, 1))
    assert geom.coords[-1] == pytest.approx(_p(3, 2))
    back = net.path_geometry(b, a)
    assert back.coords[0] == pytest.approx(_p(3, 2))
    assert net.path_geometry(a, a).length == 0


def test_snap_point_off_a_street() -> None:
    net = build_network(_lattice())
    # 30 m north of the street y=0, 40 m east of the crossing (1, 0)
    snapped = net.snap(np.array([Point(X0 + 140.0, Y0 + 30.0)], dtype=object))
    assert snapped.offset_m[0] == pytest.approx(30.0)
    assert int(snapped.node[0]) == _node_at(net, 1, 0)
    assert snapped.access_m[0] == pytest.approx(70.0)


def test_snap_polygon_uses_a_point_inside() -> None:
    net = build_network(_lattice())
    block = gpd.GeoSeries([Point(_p(0.5, 0.5)).buffer(10)], crs=UTM50)
    snapped = net.snap(block)
    assert snapped.offset_m[0] == pytest.approx(50.0, abs=0.5)


def test_isolated_street_is_its_own_component() -> None:
    roads = _lattice()
    island = LineString([_p(10, 10), _p(11, 10)])
    net = build_network(pd_concat(roads, _roads([island])))
    labels = net.component_labels()
    assert len(set(labels)) == 2
    assert labels[_node_at(net, 10, 10)] == labels[_node_at(net, 11, 10)]
    assert labels[_node_at(net, 10, 10)] != labels[_node_at(net, 1, 1)]


def pd_concat(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=UTM50)


def test_geographic_roads_are_refused() -> None:
    with pytest.raises(ValueError, match="projected"):
        build_network(_lattice().to_crs(4326))


def test_straight_line_fallback() -> None:
    net = straight_line_network(UTM50, speed_mps=1.25, detour_factor=1.3)
    snapped = net.snap(np.array([Point(X0, Y0), Point(X0 + 300, Y0 + 400)], dtype=object))
    assert list(snapped.node) == [0, 1]
    np.testing.assert_allclose(snapped.access_m, 0.0)
    d = net.distance_matrix(snapped.node)
    np.testing.assert_allclose(d, [[0, 650.0], [650.0, 0]])
    assert net.path_geometry(0, 1).length == pytest.approx(500.0)
    np.testing.assert_allclose(net.travel_time_matrix(snapped.node), d / 1.25)


def test_network_for_without_roads_warns_and_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="patrol"):
        net = network_for(None, UTM50, speed_mps=1.0, detour_factor=1.5, snap_tolerance_m=1)
    assert not net.has_streets and net.detour_factor == 1.5
    assert "straight-line" in caplog.text
    empty = _roads([]).iloc[:0]
    assert not network_for(
        empty, UTM50, speed_mps=1.0, detour_factor=1.5, snap_tolerance_m=1
    ).has_streets


def test_tiny_scenario_network(tiny_dir: Path) -> None:
    scenario = read_scenario(tiny_dir)
    s = scenario.settings
    net = network_for(
        scenario.roads,
        scenario.crs,
        speed_mps=s.travel.speed_mps,
        detour_factor=s.travel.detour_factor,
        snap_tolerance_m=s.travel.snap_tolerance_m,
    )
    assert net.has_streets
    assert (net.n_nodes, len(net.edges)) == (21, 36)
    assert len(set(net.component_labels())) == 1
    assert net.edges["length_m"].sum() == pytest.approx(4000.0, abs=3.0)
    assert net.edges["length_m"].min() == pytest.approx(100.0, abs=0.5)
    post = net.snap(scenario.posts.geometry)
    assert post.offset_m[0] == pytest.approx(0.0, abs=0.01)
    d = net.distance_matrix(np.arange(net.n_nodes))
    np.testing.assert_allclose(d, d.T)
    assert d.max() == pytest.approx(600.0, abs=2.0)  # (0, 1) to (4, 3)
    graph = net.to_networkx()
    assert graph.number_of_nodes() == 21 and graph.number_of_edges() == 36


def _dual_carriageway() -> gpd.GeoDataFrame:
    """A 400 m street 学院路 drawn as two carriageways 20 m apart, a cross street at each
    end, and 清华路, another street 30 m north of it with its own name."""
    lines = [
        LineString([_p(0, 0), _p(4, 0)]),  # 学院路 north carriageway
        LineString([_p(4, -0.2), _p(0, -0.2)]),  # 学院路 south carriageway
        LineString([_p(0, -0.6), _p(0, 0.6)]),
        LineString([_p(4, -0.6), _p(4, 0.6)]),
        LineString([_p(0, 0.3), _p(4, 0.3)]),  # 清华路, 30 m north
    ]
    roads = _roads(lines)
    roads["name"] = ["学院路", "学院路", "西横路", "东横路", "清华路"]
    roads["highway"] = ["primary", "primary", "residential", "residential", "residential"]
    return roads


def test_dual_carriageway_is_walked_once() -> None:
    from patrol.network import merge_carriageways

    net = build_network(_dual_carriageway())
    names = dict(zip(net.edges["edge_id"], net.edges["name"], strict=True))
    merged = merge_carriageways(net, gap_m=40.0)
    assert len(merged) == 1
    ((gone, kept),) = merged.items()
    assert names[gone] == names[kept] == "学院路"
    assert merge_carriageways(net, gap_m=10.0) == {}  # 20 m apart: two streets then
    assert "清华路" not in {names[e] for e in merged}  # other name, 30 m away: kept


def test_motorways_trunks_and_ramps_are_not_swept() -> None:
    from patrol.network import ENTRANCE, is_unswept

    for highway in ("motorway", "trunk", "motorway_link", "primary_link", ENTRANCE):
        assert is_unswept(highway)
    for highway in ("residential", "primary", "footway", None):
        assert not is_unswept(highway)


def test_a_building_set_back_gets_a_door_on_its_outline() -> None:
    """A building 25 m north of the lattice's middle street: its door is the point of its
    outline nearest the street, reached by a spur; the route to it ends at the door."""
    from shapely.geometry import box

    from patrol.network import ENTRANCE, add_entrances

    net = build_network(_lattice())
    home = box(X0 + 135, Y0 + 225, X0 + 165, Y0 + 245)  # 25 m north of the street y = 200
    assert add_entrances(net, np.array([home], dtype=object)) == 1
    spur = net.edges.loc[net.edges["highway"] == ENTRANCE].iloc[0]
    assert spur["length_m"] == pytest.approx(25.0)
    door = net.snap_doors(np.array([home], dtype=object))
    node = int(door.node[0])
    assert home.boundary.distance(Point(net.node_xy[node])) < 1e-6
    assert door.access_m[0] == 0.0
    start = _node_at(net, 1, 0)
    path = net.path_geometry(start, node)
    assert path.distance(Point(net.node_xy[node])) < 1e-6  # the walk reaches the door
    assert 200 + 35 + 25 - 1e-6 <= net.distance_matrix([start], [node])[0, 0] <= 200 + 65 + 25
    # places other than doors never snap to the spur
    assert net.snap(np.array([Point(X0 + 150, Y0 + 224)], dtype=object)).node[0] != node


def test_walked_metres_count_the_walk_inside_each_place() -> None:
    from patrol.network import walked_metres_matrix

    net = build_network(_lattice())
    a, b = _node_at(net, 1, 0), _node_at(net, 3, 0)
    m = walked_metres_matrix(net, np.array([a, b]), np.array([a, b]), np.array([0.0, 500.0]))
    assert m[0, 1] == pytest.approx(200 + 500)
    assert m[1, 0] == pytest.approx(200) and m[0, 0] == 0.0


def test_step_lengths_follow_the_edges() -> None:
    net = build_network(_lattice())
    walk = [_node_at(net, 1, 0), _node_at(net, 2, 0), _node_at(net, 2, 1)]
    assert net.step_lengths(walk) == pytest.approx([100.0, 100.0])
