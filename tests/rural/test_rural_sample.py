"""The rural sample: villages far apart on county roads, posts far from the station."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import shapely

from patrol.scenario.model import Scenario
from patrol.scenario.synth import OutputExistsError
from patrol.scenario.synth.rural import (
    build_rural_layers,
    build_village,
    far_posts,
    rural_toml,
    village_chain,
    write_rural_scenario,
)
from patrol.travel import drive_between, travel_network


def test_villages_lie_2_to_40_km_apart(rural: Scenario) -> None:
    grids = rural.grids
    assert 8 <= len(grids) <= 15
    centres = [g.centroid for g in grids.geometry]
    nearest = [
        min(a.distance(b) for j, b in enumerate(centres) if j != i) for i, a in enumerate(centres)
    ]
    print(f"\nnearest village: {min(nearest) / 1000:.1f} to {max(nearest) / 1000:.1f} km")
    assert min(nearest) >= 2_000 and max(nearest) <= 40_000
    for a, b in itertools.combinations(grids.geometry, 2):
        assert a.distance(b) > 1_000  # no two villages touch
    assert set(grids["travel"]) == {"walk"}


def test_county_roads_join_the_villages_and_no_car_takes_the_footpath(rural: Scenario) -> None:
    roads = rural.roads
    assert roads is not None
    classes = set(roads["highway"])
    assert {"secondary", "residential", "path", "footway"} <= classes
    outside = roads.loc[~roads.intersects(shapely.union_all(rural.grids.geometry.values))]
    assert set(outside["highway"]) <= {"secondary", "tertiary", "path"}


def test_the_far_post_is_130_km_by_road_from_the_station(rural: Scenario) -> None:
    net = travel_network(rural)
    posts = rural.posts.set_index("post_id")
    assert posts.loc["PCS", "kind"] == "station"
    nodes = net.snap(posts.geometry).node
    node = dict(zip(posts.index, nodes, strict=True))
    metres, seconds = drive_between(net, int(node["PCS"]), int(node["JWS2"]))
    print(f"\nstation -> far post: {metres / 1000:.1f} km, {seconds / 3600:.2f} h by car")
    assert 125_000 <= metres <= 135_000
    assert 1.5 * 3600 <= seconds <= 4 * 3600


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    a = write_rural_scenario(tmp_path / "a", villages=8, seed=3)
    b = write_rural_scenario(tmp_path / "b", villages=8, seed=3)
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
    with pytest.raises(OutputExistsError):
        write_rural_scenario(a)
    assert (a / "patrol.toml").read_text(encoding="utf-8") == rural_toml()


def test_village_counts_outside_8_to_15_are_refused() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="8 to 15"):
        build_rural_layers(rng, villages=7)
    with pytest.raises(ValueError, match="8 to 15"):
        build_rural_layers(rng, villages=16)


def test_village_chain_and_posts() -> None:
    centres, bends = village_chain(np.random.default_rng(1), 9)
    assert centres.shape == (9, 2) and len(bends) == 9
    mid, far = far_posts(9)
    assert far == 8 and 0 < mid < far


def test_rural_toml_drives_between_villages() -> None:
    text = rural_toml()
    assert 'mode = "car"' in text and "police_assistant" in text


def test_patrol_synth_rural_writes_a_valid_station(tmp_path: Path) -> None:
    from patrol.cli import main
    from patrol.scenario.read import read_scenario

    assert main(["synth", str(tmp_path / "r"), "--rural", "--villages", "8", "--seed", "2"]) == 0
    scenario = read_scenario(tmp_path / "r")
    assert len(scenario.grids) == 8 and any(p.stationed for p in scenario.people)
    assert main(["synth", str(tmp_path / "x"), "--rural", "--villages", "16"]) == 2


def test_a_village_is_a_small_web_of_lanes_inside_its_box() -> None:
    v = build_village(np.random.default_rng(4), "沟滩", np.array([1000.0, 2000.0]))
    x0, y0, x1, y1 = v.box
    assert 380 <= x1 - x0 <= 620 and 300 <= y1 - y0 <= 460
    assert ((v.nodes[:, 0] > x0) & (v.nodes[:, 0] < x1)).all()
    assert {kind for _, _, kind in v.lanes} <= {"residential", "footway"}
    assert len(v.lanes) >= 7 and 0 <= v.hub < len(v.nodes)
