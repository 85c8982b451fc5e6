"""The scenario as the plan saw it: its layers, roster, settings, network and input files.

A saved plan carries this snapshot so that it redraws and re-plans without the scenario
folder: :func:`scenario_frames` and :func:`network_frames` turn the scenario and its
street network into store layers, :func:`scenario_from_store` and
:func:`network_from_store` rebuild them. The settings are kept as the ``patrol.toml``
text and read again by the settings loader. Phone numbers are not copied into the roster
snapshot; the ``teams`` layer keeps those of the people on duty.

:func:`fingerprint_inputs` records a SHA-256 and size of every input file, and
:func:`changed_inputs` names the files that differ since.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from patrol.network import Network
from patrol.scenario.model import Person, Scenario
from patrol.scenario.roster import format_availability, parse_availability
from patrol.scenario.stays import format_stays, parse_stays
from patrol.settings import Settings, settings_from_dict
from patrol.store.layers import read_layer
from patrol.store.schema import EDGES, NODES, ROSTER, SCENARIO_LAYERS

SETTINGS_FILE = "patrol.toml"


def scenario_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """The scenario's layers and roster (without phones) as store layers."""
    frames: dict[str, pd.DataFrame] = {}
    for attr, layer in SCENARIO_LAYERS.items():
        frame = getattr(scenario, attr)
        if frame is not None:
            frames[layer.name] = frame
    shift_names = tuple(s.name for s in scenario.shifts)
    rows = [
        {
            "person_id": p.person_id,
            "name": p.name,
            "role": p.role,
            "beat_id": p.beat_id,
            "grid_id": p.grid_id,
            "available": format_availability(p.available, shift_names),
            "max_shifts_per_week": p.max_shifts_per_week,
            "stationed_at": format_stays(p.stationed),
        }
        for p in scenario.people
    ]
    frames[ROSTER.name] = pd.DataFrame(rows, columns=ROSTER.names)
    return frames


def network_frames(network: Network) -> dict[str, pd.DataFrame]:
    """The street network's nodes and edges as store layers."""
    nodes = pd.DataFrame(network.node_xy.reshape(-1, 2), columns=NODES.names)
    return {NODES.name: nodes, EDGES.name: network.edges}


def settings_text(scenario: Scenario) -> str:
    """The text of the scenario's ``patrol.toml`` (empty when it has none), or the text
    its settings were read from when that is another (``Scenario.settings_toml``)."""
    if scenario.settings_toml is not None:
        return scenario.settings_toml
    if not scenario.source:
        return ""
    source = Path(scenario.source)
    toml = source / SETTINGS_FILE if source.is_dir() else source.with_name(SETTINGS_FILE)
    return toml.read_text(encoding="utf-8-sig") if toml.exists() else ""


def settings_from_text(text: str, *, week_start: str) -> Settings:
    """Settings read from saved ``patrol.toml`` text, on the week that was planned."""
    import datetime as dt

    settings = settings_from_dict(tomllib.loads(text), file=SETTINGS_FILE)
    return settings.replace(week_start=dt.date.fromisoformat(week_start))


def _optional(value: Any) -> str | None:
    return None if value is None or value != value else str(value)


def _people(roster: pd.DataFrame, settings: Settings, phones: dict[str, str]) -> tuple[Person, ...]:
    shift_names = tuple(s.name for s in settings.shifts)
    return tuple(
        Person(
            person_id=str(r["person_id"]),
            name=str(r["name"]),
            role=str(r["role"]),
            beat_id=_optional(r["beat_id"]),
            grid_id=_optional(r["grid_id"]),
            available=(
                parse_availability(r["available"], shift_names) if r["available"] else frozenset()
            ),
            max_shifts_per_week=int(r["max_shifts_per_week"]),
            phone=phones.get(str(r["person_id"]), ""),
            stationed=parse_stays(r.get("stationed_at") or None, settings.days),
        )
        for r in roster.to_dict("records")
    )


def scenario_from_store(
    gpkg: Path, meta: dict[str, Any], *, phones: dict[str, str], source: str = ""
) -> Scenario:
    """The scenario rebuilt from its snapshot in ``gpkg``; ``phones`` of people on duty."""
    from patrol.store.layers import layer_names

    settings = settings_from_text(meta["settings_toml"], week_start=meta["week_start"])
    present = layer_names(gpkg)
    frames: dict[str, Any] = {
        attr: read_layer(gpkg, layer.name) if layer.name in present else None
        for attr, layer in SCENARIO_LAYERS.items()
    }
    return Scenario(
        settings=settings,
        crs=CRS.from_wkt(meta["crs"]),
        people=_people(read_layer(gpkg, ROSTER.name), settings, phones),
        source=source,
        **frames,
    )


def network_from_store(gpkg: Path, meta: dict[str, Any]) -> Network:
    """The street network rebuilt from its nodes and edges in ``gpkg`` (no re-noding)."""
    nodes = read_layer(gpkg, NODES.name)
    net = meta["network"]
    return Network(
        crs=CRS.from_wkt(meta["crs"]),
        node_xy=nodes[NODES.names].to_numpy(dtype=np.float64).reshape(-1, 2),
        edges=read_layer(gpkg, EDGES.name),
        speed_mps=float(net["speed_mps"]),
        detour_factor=float(net["detour_factor"]),
        has_streets=bool(net["has_streets"]),
    )


def network_meta(network: Network) -> dict[str, Any]:
    """The network's settings that its layers do not carry."""
    return {
        "speed_mps": network.speed_mps,
        "detour_factor": network.detour_factor,
        "has_streets": network.has_streets,
    }


def input_files(source: Path) -> list[Path]:
    """The scenario's input files: every file of its folder (or the ``.gpkg`` and the
    ``patrol.toml`` beside it), hidden files left out."""
    if source.is_dir():
        return sorted(p for p in source.rglob("*") if p.is_file() and not _hidden(p, source))
    toml = source.with_name(SETTINGS_FILE)
    return [p for p in (source, toml) if p.is_file()]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _base(source: Path) -> Path:
    return source if source.is_dir() else source.parent


def fingerprint_inputs(source: Path) -> dict[str, tuple[str, int]]:
    """``file -> (sha256, size)`` of every input file, names relative to the folder."""
    result = {}
    for path in input_files(source):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        result[path.relative_to(_base(source)).as_posix()] = (digest, path.stat().st_size)
    return result


def changed_inputs(stored: dict[str, tuple[str, int]], source: Path) -> list[str]:
    """The input files changed, added or removed since ``stored`` was taken (sorted)."""
    now = fingerprint_inputs(source)
    return sorted(
        name
        for name in set(stored) | set(now)
        if tuple(stored.get(name, ())) != tuple(now.get(name, ()))
    )
