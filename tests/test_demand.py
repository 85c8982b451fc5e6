"""Demand: sweeps from risk and incidents, covering walks, hot spots, visit due dates."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
import shapely

from patrol.demand import build_demand, covering_walk, split_walk
from patrol.network import Network, scenario_network
from patrol.scenario.model import Scenario
from patrol.scenario.read import read_scenario


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Network]:
    from tests.factory import write_tiny_scenario

    scenario = read_scenario(write_tiny_scenario(tmp_path_factory.mktemp("d") / "tiny"))
    net = scenario_network(scenario)
    return scenario, net


def test_sweeps_follow_risk_and_night_minimum(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    demand = build_demand(scenario, net, scenario.slots())
    sweeps = [t for t in demand.tasks if t.kind == "sweep"]
    per_grid = {
        g: len({t.sweep_index for t in sweeps if t.grid_id == g}) for g in ("G1", "G2", "G3", "G4")
    }
    assert per_grid == {"G1": 2, "G2": 3, "G3": 5, "G4": 7}  # green yellow orange red
    night_keys = {s.key for s in scenario.slots() if s.night}
    red_night = [t for t in sweeps if t.grid_id == "G4" and t.night_only]
    assert len({t.sweep_index for t in red_night}) == 2
    assert all(t.slots <= night_keys for t in red_night)


def test_incidents_raise_the_sweeps(tmp_path: Path) -> None:
    from tests.factory import tiny_layers, write_tiny_scenario

    toml = (Path(write_tiny_scenario(tmp_path / "a")) / "patrol.toml").read_text()
    toml += "[demand]\nincidents_per_extra_sweep = 2\n"
    scenario = read_scenario(write_tiny_scenario(tmp_path / "b", layers=tiny_layers(), toml=toml))
    net = scenario_network(scenario)
    needs = build_demand(scenario, net, scenario.slots()).needs
    assert needs["G4"].recent_incidents == 4
    assert needs["G4"].extra == 2


def test_covering_walk_walks_every_grid_street(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    demand = build_demand(scenario, net, scenario.slots())
    edges = list(demand.edge_grid.index[demand.edge_grid.to_numpy() == "G1"])
    walks = covering_walk(net, edges)
    walked = set()
    lookup = {
        (int(u), int(v)): e
        for e, u, v in zip(net.edges["edge_id"], net.edges["u"], net.edges["v"], strict=True)
    }
    for walk in walks:
        assert walk[0] == walk[-1], "a sweep is a closed walk"
        for a, b in itertools.pairwise(walk):
            walked.add(lookup.get((a, b)) or lookup.get((b, a)))
    assert set(edges) <= walked


def test_split_walk_respects_the_maximum_length(tiny: tuple[Scenario, Network]) -> None:
    _, net = tiny
    walk = covering_walk(net, list(net.edges["edge_id"]))[0]
    parts = split_walk(net, walk, 500.0)
    assert len(parts) > 1
    for part in parts:
        assert net.walk_geometry(part).length <= 500.0 + 200.0  # cut at a node
    assert parts[0][0] == walk[0] and parts[-1][-1] == walk[-1]


def test_night_incidents_make_night_hotspots(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    demand = build_demand(scenario, net, scenario.slots())
    assert len(demand.hotspots) == 1
    spot = demand.hotspots[0]
    assert spot.shifts == ("night",) and spot.grid_id == "G4"
    stops = [t for t in demand.tasks if t.kind == "hotspot"]
    assert stops and all(600 <= t.service_s <= 960 for t in stops)  # Koper: 10-16 min


def test_visits_fall_due_from_last_visit(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    demand = build_demand(scenario, net, scenario.slots())
    visits = {t.task_id: t for t in demand.tasks if t.kind == "visit"}
    # H1 visited 2026-11-25 every 7 days: due Wed 2026-12-02, slots Mon..Wed only
    h1 = visits["visit:H1:1"]
    assert str(h1.due) == "2026-12-02"
    assert {k[:10] for k in h1.slots} == {"2026-11-30", "2026-12-01", "2026-12-02"}
    # H2 visited 2026-11-20 every 14 days: due 2026-12-04
    assert str(visits["visit:H2:1"].due) == "2026-12-04"
    assert visits["visit:H1:1"].service_s >= 20 * 60


def test_the_steps_make_up_the_demand(tiny: tuple[Scenario, Network]) -> None:
    from patrol.demand import (
        assign_edges_to_grids,
        find_hotspots,
        grid_needs,
        hotspot_tasks,
        sweep_tasks,
        visit_tasks,
    )

    scenario, net = tiny
    slots = scenario.slots()
    needs = grid_needs(scenario)
    edge_grid = assign_edges_to_grids(net, scenario.grids)
    sweeps = sweep_tasks(scenario, net, slots, needs=needs, edge_grid=edge_grid)
    assert {t.kind for t in sweeps} == {"sweep"}
    assert len({(t.grid_id, t.sweep_index) for t in sweeps}) == sum(n.total for n in needs.values())
    hotspots = find_hotspots(scenario, net, beat_of_grid=scenario.beat_of_grid())
    stops = hotspot_tasks(scenario, net, slots, hotspots=hotspots)
    assert len(stops) == sum(h.stops for h in hotspots)
    visits, due = visit_tasks(scenario, net, slots)
    assert {t.kind for t in visits} <= {"visit"} and sum(due.values()) == len(visits)
    demand = build_demand(scenario, net, slots)
    assert [t.task_id for t in demand.tasks] == [t.task_id for t in sweeps + stops + visits]


def _scenario(tmp_path: Path, extra_toml: str = "", layers: dict | None = None) -> Scenario:  # type: ignore[type-arg]
    from tests.factory import TOML, tiny_layers, write_tiny_scenario

    folder = write_tiny_scenario(
        tmp_path / "s", layers=layers or tiny_layers(), toml=TOML + extra_toml
    )
    return read_scenario(folder)


def test_a_sweep_is_one_whole_walk_when_it_fits(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    sweeps = [t for t in build_demand(scenario, net, scenario.slots()).tasks if t.kind == "sweep"]
    assert sweeps and all(t.parts == 1 and t.part == 0 for t in sweeps)
    assert {t.task_id for t in sweeps if t.grid_id == "G1"} == {"sweep:G1:1:1", "sweep:G1:2:1"}


def test_a_walk_too_long_for_a_shift_is_split_into_parts_that_fit(tmp_path: Path) -> None:
    """With a 1 km walking limit the grids' walks (about 1.2-1.6 km with the way from the
    post) no longer fit: each is cut into the fewest parts that do."""
    scenario = _scenario(tmp_path, "max_walk_km = 1.0\n")  # appended to [teams]
    net = scenario_network(scenario)
    sweeps = [t for t in build_demand(scenario, net, scenario.slots()).tasks if t.kind == "sweep"]
    post = int(net.snap(scenario.posts.geometry).node[0])
    assert any(t.parts > 1 for t in sweeps)
    for t in sweeps:
        approach = net.distance_matrix([post], [t.start_node])[0, 0]
        back = net.distance_matrix([t.end_node], [post])[0, 0]
        assert t.length_m + approach + back <= 1000.0 + 1e-6
    first = sorted(
        (t for t in sweeps if t.sweep_index == 0 and t.grid_id == "G4"), key=lambda t: t.part
    )
    assert [t.part for t in first] == list(range(first[0].parts))
    assert all(a.end_node == b.start_node for a, b in itertools.pairwise(first))  # one walk


def test_rest_stops_count_in_a_sweeps_time() -> None:
    from patrol.demand import sweep_seconds
    from patrol.settings import TeamSettings

    teams = TeamSettings(max_walk_min=50.0, rest_min=10.0)
    short = sweep_seconds(1.25 * 60 * 40, speed_mps=1.25, dwell_s=0, teams=teams)
    long = sweep_seconds(1.25 * 60 * 120, speed_mps=1.25, dwell_s=0, teams=teams)
    assert short == 40 * 60  # 40 min: no rest
    assert long == (120 + 2 * 10) * 60  # 120 min walking: two rests


def test_a_motorway_beside_homes_is_not_swept_unless_it_is_the_only_access(tmp_path: Path) -> None:
    """The lattice's south street becomes a motorway: the homes beside it have other streets,
    so no sweep walks it; a home south of it with no other street near keeps it."""
    import geopandas as gpd
    from shapely.geometry import box

    from patrol.demand import assign_edges_to_grids, sweep_edges
    from tests.factory import tiny_layers, xy

    layers = tiny_layers()
    roads = layers["roads"]
    y0 = xy(0, 0)[1]
    south = [
        i for i, g in enumerate(roads.geometry) if max(abs(c[1] - y0) for c in g.coords) < 1e-9
    ]
    roads.loc[south, "highway"] = "motorway"

    def swept_motorway(scenario: Scenario) -> set[str]:
        net = scenario_network(scenario)
        edge_grid = assign_edges_to_grids(net, scenario.grids)
        motorway = set(net.edges.loc[net.edges["highway"] == "motorway", "edge_id"])
        out: set[str] = set()
        for g in ("G1", "G3"):
            mine = list(edge_grid.index[edge_grid.to_numpy() == g])
            out |= set(sweep_edges(net, scenario, g, mine, merged={})) & motorway
        return out

    assert (
        swept_motorway(_scenario(tmp_path / "a", "[demand]\nsweep_radius_m = 60\n", layers))
        == set()
    )
    b = layers["buildings"]
    lonely = gpd.GeoDataFrame(
        [{**b.iloc[0].to_dict(), "building_id": "b_far", "address": "路南1号"}],
        geometry=[box(*xy(0.45, -0.6), *xy(0.55, -0.5))], crs=b.crs,
    )  # fmt: skip
    layers["buildings"] = gpd.GeoDataFrame(
        pd.concat([b, lonely], ignore_index=True), geometry="geometry", crs=b.crs
    )
    kept = swept_motorway(_scenario(tmp_path / "b", "[demand]\nsweep_radius_m = 60\n", layers))
    assert len(kept) >= 1  # the lonely home's only street


def test_a_visit_walks_to_the_door_and_the_walk_is_timed(tiny: tuple[Scenario, Network]) -> None:
    scenario, net = tiny
    visits = [t for t in build_demand(scenario, net, scenario.slots()).tasks if t.kind == "visit"]
    homes = scenario.buildings.set_index("building_id")
    focus = scenario.focus_households.set_index("household_id")
    post = int(net.snap(scenario.posts.geometry).node[0])
    for t in visits:
        home = homes.loc[focus.loc[t.target_id, "building_id"]].geometry
        door = shapely.Point(net.node_xy[t.start_node])
        assert home.boundary.distance(door) < 1e-6  # the route's stop is on the outline
        assert t.geometry is not None and t.geometry.distance(door) < 1e-6  # marker there
        assert net.path_geometry(post, t.start_node).distance(t.geometry) < 1e-6
        assert t.service_s == 20 * 60  # the access walk is in the travel times
        assert net.distance_matrix([post], [t.start_node])[0, 0] > home.distance(
            shapely.Point(net.node_xy[post])
        )


def test_sample_figures_of_rules_3_and_6(sample_dir: Path) -> None:
    """Rules 3 and 6 on the bundled sample, with the figures printed: sweeps split (only
    grids whose walk cannot fit in a shift), carriageways merged, km walked per
    team-shift against the limit, visit markers' distance to the route."""
    import numpy as np

    from patrol.network import merge_carriageways
    from patrol.planner import PlanParams, plan_week

    scenario = read_scenario(sample_dir)
    plan = plan_week(scenario, PlanParams(max_iterations=300, seed=0))
    sweeps = [t for t in plan.demand.tasks if t.kind == "sweep"]
    split = {t.grid_id for t in sweeps if t.parts > 1}
    merged = merge_carriageways(plan.network, gap_m=scenario.settings.demand.carriageway_gap_m)
    limit_m = scenario.settings.teams.max_walk_km * 1000
    km = np.array([r.length_m for r in plan.routes]) / 1000
    gaps = [r.geometry.distance(s.point) for r in plan.routes for s in r.stops if s.kind == "visit"]
    over = int((km * 1000 > limit_m + 1).sum())
    whole = {(t.grid_id, t.sweep_index) for t in sweeps}
    parted = {(t.grid_id, t.sweep_index) for t in sweeps if t.parts > 1}
    merged_km = plan.network.edges.set_index("edge_id").loc[list(merged), "length_m"].sum() / 1000
    print(
        f"\nsweeps: {len(whole)} whole sweeps in {len(sweeps)} tasks; split: {len(parted)} "
        f"sweeps of {len(split)} grids {sorted(split)}\n"
        f"carriageways merged: {len(merged)} edges, {merged_km:.1f} km\n"
        f"km per team-shift: max {km.max():.2f}, over {limit_m / 1000:.1f} km: {over} of {len(km)}"
        f"\nvisit marker to route: median {np.median(gaps):.2f} m, max {max(gaps):.2f} m"
    )
    assert len(merged) > 0
    assert max(gaps) < 1.0  # markers on the route: visits reach the door
    for g in split:  # a grid is split only when its walk cannot fit in one shift
        assert (
            sum(t.length_m for t in sweeps if t.grid_id == g and t.sweep_index == 0) > 0.5 * limit_m
        )
    assert over == 0  # no team walks past its limit (teams.max_walk_km)
