"""The ledger on a real (tiny) plan: the week read from OUT/plan.gpkg with compliance layers
in the shape patrol.actuals writes, imported, reported, and the next week written."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from patrol.ledger.frames import week_frames
from patrol.ledger.history import list_weeks, open_store, read_history
from patrol.ledger.nextweek import plan_next_week, write_next_week
from patrol.ledger.run import default_store, run_ledger, tomorrow
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.store.layers import read_layer, write_layers
from patrol.store.write import write_plan
from tests.factory import write_tiny_scenario


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny scenario planned and saved (no coverage), and its scenario folder."""
    base = tmp_path_factory.mktemp("ledger")
    folder = write_tiny_scenario(base / "tiny")
    plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=200))
    write_plan(plan, base / "out")
    return base / "out", folder


def _patrolled(out: Path, *, until: dt.date) -> pd.DataFrame:
    """Compliance layers as patrol.actuals writes them: every stop up to ``until`` done on
    time, except the first visit and the first sweep, missed."""
    stops = read_layer(out / "plan.gpkg", "stops")
    stops = stops.loc[
        (stops["kind"] != "post") & (pd.to_datetime(stops["arrive"]).dt.date <= until)
    ].reset_index(drop=True)
    routes = read_layer(out / "plan.gpkg", "routes").set_index("team_id")
    comp = stops.assign(
        date=stops["team_id"].map(routes["date"]),
        shift=stops["team_id"].map(routes["shift"]),
        beat_id=stops["team_id"].map(routes["beat_id"]),
        planned_arrive=stops["arrive"],
        status="done",
        dwell_min=15.0,
        source="track",
    )
    for kind in ("visit", "sweep"):
        first = comp.index[comp["kind"] == kind][0]
        comp.loc[first, ["status", "arrive"]] = ["missed", ""]
    shifts = (
        comp.groupby("team_id")
        .agg(
            date=("date", "first"),
            shift=("shift", "first"),
            beat_id=("beat_id", "first"),
            stops_planned=("seq", "size"),
            stops_done=("status", lambda s: int((s == "done").sum())),
            stops_missed=("status", lambda s: int((s == "missed").sum())),
        )
        .reset_index()
        .assign(
            stops_late=0,
            visits_planned=1,
            visits_done=1,
            deviation=0.1,
            hotspot_short=0,
            tracked=True,
        )
    )
    write_layers(
        out,
        {"compliance_stops": gpd.GeoDataFrame(comp, crs=stops.crs), "compliance_shifts": shifts},
    )
    return comp


def test_a_week_from_out_to_the_store_reports_and_next_week(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(planned[0], out)
    scenario = tmp_path / "tiny"
    shutil.copytree(planned[1], scenario)
    comp = _patrolled(out, until=dt.date(2026, 12, 2))
    week = week_frames(out)
    assert week.week_start == dt.date(2026, 11, 30) and week.station == "测试警务室"
    assert week.has_actuals and set(week.frames["plan_grids"]["grid_id"]) == {
        "G1",
        "G2",
        "G3",
        "G4",
    }
    assert "phone" not in week.frames["plan_teams"].columns
    assert "label" not in week.frames["plan_households"].columns
    run = run_ledger(out, pdf=False)
    assert run.store == str(default_store(out)) == str(tmp_path / "station.gpkg")
    assert run.rows["compliance_stops"] == len(comp)
    names = sorted(p.name for p in run.written)
    assert names == [
        "daily_2026-12-03.xlsx",
        "ledger.xlsx",
        "monthly_2026-11.xlsx",
        "weekly_2026-11-30.xlsx",
    ]
    with open_store(default_store(out)) as store:
        assert list_weeks(store) == [dt.date(2026, 11, 30)]
        assert tomorrow(store, dt.date(2026, 11, 30)) == dt.date(2026, 12, 3)
        assert (read_history(store, "compliance_stops")["status"] == "missed").sum() == 2
    book = openpyxl.load_workbook(out / "ledger" / "weekly_2026-11-30.xlsx")
    carried = list(book["结转走访"].iter_rows(values_only=True))
    assert (
        len(carried) == 2
        and carried[1][0] == comp.loc[comp["kind"] == "visit", "target_id"].iloc[0]
    )
    run_ledger(out, pdf=False)  # importing the week again replaces it
    with open_store(default_store(out)) as store:
        assert len(read_history(store, "compliance_stops")) == len(comp)
    nxt = write_next_week(plan_next_week(out, scenario=scenario), tmp_path / "next")
    changes = pd.read_csv(nxt / "changes.csv", encoding="utf-8-sig")
    assert {"本周漏访：最近走访日期不变，下周逾期优先", "本周有漏巡：下周提级一周"} <= set(
        changes["原因"]
    )
    assert read_scenario(nxt).settings.week_start == dt.date(2026, 12, 7)
