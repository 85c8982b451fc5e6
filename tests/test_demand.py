"""Demand: sweeps from risk and incidents, covering walks, hot spots, visit due dates."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

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
