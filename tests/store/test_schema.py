"""The store's layout: written once, versioned, refusing another version with a clear message."""

from __future__ import annotations

from dataclasses import fields

import pytest

from patrol.demand import GridNeed, Hotspot, Task
from patrol.errors import InputError
from patrol.store import schema


def test_tasks_layer_holds_every_task_field() -> None:
    assert set(schema.TASKS.names) == {f.name for f in fields(Task)} - {"geometry"}


def test_demand_layers_hold_every_need_and_hotspot_field() -> None:
    assert set(schema.GRID_NEEDS.names) == {f.name for f in fields(GridNeed)} | {"visits_due"}
    assert set(schema.HOTSPOTS.names) == {f.name for f in fields(Hotspot)} - {"point"}


def test_layer_names_and_kinds() -> None:
    assert schema.STOPS.names[:3] == ["team_id", "seq", "kind"]
    assert dict(schema.TASKS.columns)["slots"] == "keys"
    assert not schema.TEAMS.spatial and schema.ROUTES.spatial
    names = [ly.name for ly in (*schema.PLAN_LAYERS, *schema.DEMAND_LAYERS)]
    assert len(names) == len(set(names))
    assert "phone" not in schema.ROSTER.names


def test_check_version_accepts_the_current_one() -> None:
    schema.check_version({"schema_version": schema.SCHEMA_VERSION}, file="plan.gpkg")


def test_check_version_names_both_versions_and_what_to_do() -> None:
    with pytest.raises(InputError) as info:
        schema.check_version({}, file="OUT/plan.gpkg")
    text = str(info.value)
    assert "version 1" in text and f"version {schema.SCHEMA_VERSION}" in text
    assert "patrol plan" in text and "重新制定计划" in text
    assert "OUT/plan.gpkg" in text
