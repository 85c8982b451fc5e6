"""The scenario snapshot: layers, roster without phones, settings, network, input files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from patrol.store import schema
from patrol.store.layers import read_meta, write_layers
from patrol.store.snapshot import (
    changed_inputs,
    fingerprint_inputs,
    input_files,
    network_frames,
    network_from_store,
    network_meta,
    scenario_frames,
    scenario_from_store,
    settings_from_text,
    settings_text,
)
from tests.store.conftest import Saved


def test_scenario_frames_keep_the_layers_and_leave_phones_out(saved: Saved) -> None:
    frames = scenario_frames(saved.plan.scenario)
    assert set(frames) >= {ly.name for k, ly in schema.SCENARIO_LAYERS.items() if k != "roads"}
    roster = frames[schema.ROSTER.name]
    assert list(roster.columns) == schema.ROSTER.names
    assert "phone" not in roster.columns
    assert len(roster) == len(saved.plan.scenario.people)


def test_scenario_from_store_rebuilds_the_scenario(saved: Saved) -> None:
    gpkg = saved.out / schema.PLAN_FILE
    original = saved.plan.scenario
    phones = {p.person_id: p.phone for p in original.people[:2]}
    again = scenario_from_store(gpkg, read_meta(gpkg), phones=phones, source="here")
    assert again.settings == original.settings and again.crs == original.crs
    assert again.source == "here"
    for attr in schema.SCENARIO_LAYERS:
        pd.testing.assert_frame_equal(
            pd.DataFrame(getattr(again, attr)), pd.DataFrame(getattr(original, attr))
        )
    with_phone = {p.person_id for p in original.people[:2]}
    assert [p for p in again.people if p.person_id in with_phone] == list(original.people[:2])
    assert all(p.phone == "" for p in again.people if p.person_id not in with_phone)


def test_network_round_trip(saved: Saved, tmp_path: Path) -> None:
    network = saved.plan.network
    assert set(network_frames(network)) == {schema.NODES.name, schema.EDGES.name}
    meta = {"crs": network.crs.to_wkt(), "network": network_meta(network)}
    write_layers(tmp_path, network_frames(network), schema_version=schema.SCHEMA_VERSION)
    again = network_from_store(tmp_path / schema.PLAN_FILE, meta)
    assert np.array_equal(again.node_xy, network.node_xy)
    pd.testing.assert_frame_equal(again.edges, network.edges)
    assert network_meta(again) == network_meta(network)
    assert (
        again.travel_time_matrix([0], [again.n_nodes - 1])[0, 0]
        == (network.travel_time_matrix([0], [network.n_nodes - 1])[0, 0])
    )


def test_settings_text_reads_back_to_the_same_settings(saved: Saved) -> None:
    scenario = saved.plan.scenario
    text = settings_text(scenario)
    assert "week_start" in text
    week = scenario.settings.week_start.isoformat()
    assert settings_from_text(text, week_start=week) == scenario.settings
    assert settings_from_text("", week_start="2026-11-30").week_start.isoformat() == "2026-11-30"


def test_fingerprints_name_changed_added_and_removed_files(saved: Saved, tmp_path: Path) -> None:
    folder = shutil.copytree(saved.scenario, tmp_path / "copy")
    (folder / ".hidden").write_text("not an input")
    assert all(not p.name.startswith(".") for p in input_files(folder))
    stored = fingerprint_inputs(folder)
    assert "patrol.toml" in stored and len(stored["patrol.toml"][0]) == 64
    assert changed_inputs(stored, folder) == []
    (folder / "patrol.toml").write_text((folder / "patrol.toml").read_text() + "\n# edited\n")
    (folder / "extra.csv").write_text("a\n1\n")
    removed = sorted(p for p in stored if p != "patrol.toml")[0]
    (folder / removed).unlink()
    assert changed_inputs(stored, folder) == sorted(["patrol.toml", "extra.csv", removed])
