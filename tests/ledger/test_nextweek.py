"""patrol next-week: the next week's scenario in a NEW folder, from the visits really done;
every change listed; the user's files untouched; a raise lasts one week."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from patrol.errors import PatrolError
from patrol.ledger.nextweek import next_folder, plan_next_week, write_next_week
from patrol.scenario.read import read_scenario
from patrol.store.layers import write_layers
from tests.factory import write_tiny_scenario


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _stop(kind: str, target: str, grid: str, date: str, status: str, arrive: str = "") -> dict:
    return {
        "team_id": f"{date}_day_B1_1",
        "date": date,
        "shift": "day",
        "beat_id": "B1",
        "grid_id": grid,
        "seq": 1,
        "kind": kind,
        "task_id": f"{kind}:{target}:1",
        "target_id": target,
        "arrive": arrive,
        "status": status,
    }


def _out(tmp_path: Path, name: str, scenario: Path, week: str, stops: list[dict]) -> Path:
    """A plan output folder holding only what next-week reads: meta, needs, compliance."""
    out = tmp_path / name
    out.mkdir()
    needs = pd.DataFrame(
        {"grid_id": ["G1", "G2", "G3", "G4"], "base": [2, 3, 5, 7], "extra": [0, 0, 1, 0]}
    )
    write_layers(
        out,
        {"grid_needs": needs, "compliance_stops": pd.DataFrame(stops)},
        new=True,
        schema_version=2,
        week_start=week,
        scenario=os.path.relpath(scenario, out),
    )
    return out


WEEK1 = [
    _stop("visit", "H1", "G1", "2026-12-01", "done", "2026-12-01T09:40:00"),
    _stop("visit", "H1", "G1", "2026-12-03", "late", "2026-12-03T10:10:00"),
    _stop("visit", "H3", "G4", "2026-12-02", "missed"),
    _stop("sweep", "G1", "G1", "2026-12-01", "done", "2026-12-01T09:05:00"),
    _stop("sweep", "G2", "G2", "2026-12-02", "missed"),
    _stop("sweep", "G4", "G4", "2026-12-04", "missed"),
]


def test_next_week_from_the_visits_done(tmp_path: Path) -> None:
    scenario = write_tiny_scenario(tmp_path / "tiny")
    before = _hashes(scenario)
    out = _out(tmp_path, "out", scenario, "2026-11-30", WEEK1)
    week = plan_next_week(out)
    target = write_next_week(week, next_folder(scenario, week.week_start))
    assert target == tmp_path / "tiny_2026-12-07"
    assert _hashes(scenario) == before  # the user's files are never touched
    focus = pd.read_csv(target / "focus_households.csv", encoding="utf-8-sig", dtype=str)
    last = dict(zip(focus["household_id"], focus["last_visit"], strict=True))
    assert last == {"H1": "2026-12-03", "H2": "2026-11-20", "H3": "2026-11-27"}
    assert list(focus.columns) == [
        "household_id",
        "building_id",
        "visit_every_days",
        "category",
        "last_visit",
        "label",
    ]
    grids = gpd.read_file(target / "grids.geojson").set_index("grid_id")
    assert grids.loc["G2", "risk"] == "orange" and grids.loc["G1", "risk"] == "green"
    assert grids.loc["G4", "risk"] == "red" and grids.loc["G4", "patrols_per_week"] == 8
    assert 'week_start = "2026-12-07"' in (target / "patrol.toml").read_text(encoding="utf-8")
    changes = pd.read_csv(target / "changes.csv", encoding="utf-8-sig", dtype=str).fillna("")
    assert list(changes.columns) == ["文件", "对象", "字段", "原值", "新值", "原因"]
    rows = {(r["对象"], r["字段"]): (r["原值"], r["新值"]) for _, r in changes.iterrows()}
    assert rows[("H1", "last_visit")] == ("2026-11-25", "2026-12-03")
    assert rows[("H3", "due")] == ("2026-12-02", "逾期，下周优先走访")
    assert rows[("G2", "risk")] == ("yellow", "orange")
    assert rows[("G4", "patrols_per_week")] == ("", "8")
    assert rows[("", "week_start")] == ("2026-11-30", "2026-12-07")
    assert len(changes) == 5
    copied = {"roads.geojson", "buildings.geojson", "roster.csv", "absences.csv"}
    assert {k: v for k, v in _hashes(target).items() if k in copied} == {
        k: v for k, v in before.items() if k in copied
    }
    scenario2 = read_scenario(target)  # the new folder is a valid scenario of the next week
    assert str(scenario2.settings.week_start) == "2026-12-07"
    with pytest.raises(PatrolError, match="exists"):
        write_next_week(plan_next_week(out), target)


def test_a_raise_lasts_one_week(tmp_path: Path) -> None:
    scenario = write_tiny_scenario(tmp_path / "tiny")
    out1 = _out(tmp_path, "out1", scenario, "2026-11-30", WEEK1)
    week2 = write_next_week(plan_next_week(out1), tmp_path / "tiny_2026-12-07")
    raised = json.loads((week2 / "next_week.json").read_text(encoding="utf-8"))["raised"]
    assert set(raised) == {"G2", "G4"}
    done = [_stop("sweep", g, g, "2026-12-08", "done", "2026-12-08T09:00:00") for g in ("G2", "G4")]
    out2 = _out(tmp_path, "out2", week2, "2026-12-07", done)
    week3 = write_next_week(plan_next_week(out2), tmp_path / "tiny_2026-12-14")
    grids = gpd.read_file(week3 / "grids.geojson").set_index("grid_id")
    assert grids.loc["G2", "risk"] == "yellow"  # back where it was
    assert grids["patrols_per_week"].isna().all()
    changes = pd.read_csv(week3 / "changes.csv", encoding="utf-8-sig")
    ended = changes.loc[changes["原因"] == "上周提级到期，恢复原等级"]
    assert ended[["对象", "字段"]].values.tolist() == [["G2", "risk"], ["G4", "patrols_per_week"]]


def test_next_week_says_what_is_missing(tmp_path: Path) -> None:
    scenario = write_tiny_scenario(tmp_path / "tiny")
    out = tmp_path / "noactuals"
    out.mkdir()
    write_layers(
        out,
        {"grid_needs": pd.DataFrame({"grid_id": ["G1"]})},
        new=True,
        schema_version=2,
        week_start="2026-11-30",
        scenario=os.path.relpath(scenario, out),
    )
    with pytest.raises(PatrolError, match="patrol actuals"):
        plan_next_week(out)
    with pytest.raises(PatrolError, match="--scenario"):
        plan_next_week(out, scenario=tmp_path / "gone")
