"""Mixed travel on the rural week: drive between villages, walk inside them."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS

from patrol.coverage.of_plan import measure_plan_coverage, plan_tracks
from patrol.network import Network, build_network
from patrol.plan import Plan
from patrol.planner import walking_limit_m
from patrol.scenario.model import Scenario
from patrol.travel import (
    MixedNetwork,
    as_mixed,
    edge_modes,
    edge_seconds,
    grid_modes,
    is_mixed,
    is_walked,
    read_mode,
    split_at_borders,
    sweep_mode,
    transit_runs,
    walks_in_grids,
)

UTM = CRS.from_epsg(32648)


def _villages(plan: Plan) -> shapely.Geometry:
    return shapely.union_all(plan.scenario.grids.geometry.buffer(1.0).values)


def test_no_team_walks_between_villages(rural_plan: Plan) -> None:
    villages = _villages(rural_plan)
    walked = [leg for r in rural_plan.routes for leg in r.legs if leg.mode == "walk"]
    driven = [leg for r in rural_plan.routes for leg in r.legs if leg.mode == "car"]
    print(f"\nrural week: {len(walked)} walked legs, {len(driven)} driven")
    assert walked and driven
    for leg in walked:  # every walked leg lies inside a village grid
        assert villages.contains(leg.geometry), (leg.team_id, leg.start)
    between = [leg for leg in driven if leg.geometry.difference(villages).length > 100]
    assert between  # the way between villages is driven
    assert all(leg.mode for r in rural_plan.routes for leg in r.legs)


def test_walking_limit_counts_walked_metres_only(rural_plan: Plan, rural: Scenario) -> None:
    limit = walking_limit_m(rural)
    assert limit == 8000
    longest = max(r.length_m for r in rural_plan.routes)
    most_walked = max(r.walked_m for r in rural_plan.routes)
    print(f"\nlongest route {longest / 1000:.1f} km, most walked {most_walked / 1000:.1f} km")
    assert longest > limit  # the drive is not walking
    assert most_walked <= limit * 1.01


def test_coverage_counts_driven_roads_as_not_patrolled(rural_plan: Plan) -> None:
    tracks = plan_tracks(rural_plan)
    assert len(tracks) == sum(is_walked(leg.mode) for r in rural_plan.routes for leg in r.legs)
    coverage = measure_plan_coverage(rural_plan)
    streets = coverage.street_coverage.copy()
    edges = rural_plan.network.edges
    highway = dict(zip(edges["edge_id"], edges["highway"], strict=True))
    streets["highway"] = streets["edge_id"].map(highway)
    outside = ~streets.geometry.within(_villages(rural_plan))
    county = streets.loc[outside & streets["highway"].isin(["secondary", "tertiary"])]
    share = county["walked_m"].sum() / county["length_m"].sum()
    print(f"\ncounty roads outside villages: {county['length_m'].sum() / 1000:.0f} km, "
          f"patrolled {100 * share:.2f}%")  # fmt: skip
    assert len(county) and share < 0.01
    assert (county.loc[county["length_m"] > 500, "walked_m"] < 50).all()
    assert streets.loc[~outside, "walked_m"].sum() > 0


def test_read_mode_and_grid_modes(rural: Scenario) -> None:
    assert read_mode("步行") == "walk" and read_mode(" CAR ") == "car"
    assert read_mode("") is None and read_mode("plane") is None and read_mode(None) is None
    assert set(grid_modes(rural).values()) == {"walk"}
    assert is_mixed(rural) and walks_in_grids(rural)
    plain = dataclasses.replace(rural, grids=rural.grids.drop(columns="travel"))
    assert not is_mixed(plain) and grid_modes(plain) == {}


def _two_villages() -> tuple[Network, gpd.GeoDataFrame]:
    """Two 500 m villages 5 km apart, a county road between, a footpath round a hill."""
    roads = gpd.GeoDataFrame(
        {"highway": ["residential", "secondary", "residential", "footway"], "name": [None] * 4},
        geometry=[
            shapely.LineString([(0, 0), (250, 0)]),
            shapely.LineString([(250, 0), (5250, 0)]),
            shapely.LineString([(5250, 0), (5500, 0)]),
            shapely.LineString([(250, 0), (250, 500), (5250, 500), (5250, 0)]),
        ],
        crs=UTM,
    )
    zones = gpd.GeoDataFrame(
        {"grid_id": ["A", "B"], "mode": ["walk", "walk"]},
        geometry=[shapely.box(-10, -100, 510, 100), shapely.box(4990, -100, 5510, 100)],
        crs=UTM,
    )
    return build_network(roads), zones


def _mixed(net: Network, zones: gpd.GeoDataFrame) -> MixedNetwork:
    fields = {f.name: getattr(net, f.name) for f in dataclasses.fields(Network) if f.init}
    fields.update(speed_mps=1.25, _csr=None, _pred_cache={}, _dist_cache={})
    return MixedNetwork(**fields, zones=zones, station_mode="car")


def test_a_mixed_network_walks_in_villages_and_drives_between() -> None:
    net, zones = _two_villages()
    assert split_at_borders(net, zones.geometry) >= 2  # the road and the path cut at borders
    mixed = _mixed(net, zones)
    mixed.classify()
    e = mixed.edges
    assert set(e.loc[e["highway"] == "residential", "mode"]) == {"walk"}
    assert set(e.loc[(e["highway"] == "footway") & (e["length_m"] > 1000), "mode"]) == {"car"}
    assert np.isinf(e.loc[(e["highway"] == "footway") & (e["mode"] == "car"), "seconds"]).all()
    a = int(mixed.snap(gpd.GeoSeries([shapely.Point(0, 0)])).node[0])
    b = int(mixed.snap(gpd.GeoSeries([shapely.Point(5500, 0)])).node[0])
    walked = mixed.distance_matrix([a], [b])[0, 0]
    seconds = mixed.travel_time_matrix([a], [b])[0, 0]
    runs = transit_runs(mixed, a, b)
    assert runs is not None and [r.mode for r in runs] == ["walk", "car", "walk"]
    assert walked == pytest.approx(sum(r.metres for r in runs if r.mode == "walk"), abs=1)
    assert seconds == pytest.approx(sum(r.seconds for r in runs))
    assert 400 < walked < 600  # the secondary road inside each village is driven too
    assert sweep_mode(mixed, "A") == "walk" and sweep_mode(net, "A") == ""
    assert transit_runs(net, a, b) is None
    assert as_mixed(mixed) is mixed and isinstance(as_mixed(_plain_copy(mixed)), MixedNetwork)


def _plain_copy(net: MixedNetwork) -> Network:
    fields = {f.name: getattr(net, f.name) for f in dataclasses.fields(Network) if f.init}
    fields.update(_csr=None, _pred_cache={}, _dist_cache={})
    return Network(**fields)


def test_edge_modes_and_seconds() -> None:
    net, zones = _two_villages()
    modes = edge_modes(net.edges, zones, station_mode="car")
    assert len(modes) == len(net.edges)
    hw = np.array(["residential", "footway", "secondary", "cycleway"], dtype=object)
    length = np.full(4, 1000.0)
    car = edge_seconds(hw, length, np.array(["car"] * 4, dtype=object))
    ebike = edge_seconds(hw, length, np.array(["ebike"] * 4, dtype=object))
    walk = edge_seconds(hw, length, np.array(["walk"] * 4, dtype=object))
    assert np.isinf(car[1]) and np.isinf(car[3]) and car[2] < car[0]
    assert np.isfinite(ebike[3]) and np.isinf(ebike[1])
    assert walk == pytest.approx(np.full(4, 800.0))
    capped = edge_seconds(hw, length, np.array(["car"] * 4, dtype=object), cap_kmh=10.0)
    assert capped[2] == pytest.approx(360.0)
