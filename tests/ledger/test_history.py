"""The station store: weeks round-trip in a GeoPackage and in PostGIS, through the same
code; a failed or killed import leaves the store as it was; GDAL opens the GeoPackage."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from patrol.errors import PatrolError
from patrol.ledger import history
from patrol.ledger.dialects import Dialect
from patrol.ledger.history import (
    delete_week,
    list_weeks,
    open_store,
    read_history,
    store_crs,
    write_week,
)
from tests.ledger.weeks import CRS, make_week, team_id

W1 = dt.date(2026, 11, 30)
W2 = dt.date(2026, 12, 7)


def _counts(store: history.StationStore) -> dict[str, int]:
    return {
        name: len(read_history(store, name))
        for name in ("weeks", "plan_routes", "plan_stops", "compliance_stops", "compliance_shifts")
    }


def _round_trip(target: str) -> None:
    store = open_store(target)
    try:
        frames = make_week(W1, missed=[team_id(W1, "B1")])
        written = write_week(store, W1, frames, crs=CRS, station="测试警务室")
        assert written["plan_routes"] == 14 and written["compliance_stops"] == 35
        write_week(store, W2, make_week(W2), crs=CRS, station="测试警务室")
        assert list_weeks(store) == [W1, W2]
        assert store_crs(store) == CRS
        routes = read_history(store, "plan_routes", weeks=[W1])
        given = frames["plan_routes"]
        assert list(routes["team_id"]) == list(given["team_id"])
        assert routes["start"].tolist() == given["start"].tolist()
        assert routes["date"].tolist() == [dt.date.fromisoformat(d) for d in given["date"]]
        assert routes["night"].tolist() == [False] * 14
        assert routes.crs == CRS
        assert routes.geometry.geom_equals_exact(given.geometry, tolerance=0).all()
        grids = read_history(store, "plan_grids", weeks=[W1])
        assert set(grids.geometry.geom_type) == {"MultiPolygon"}
        assert grids.area.round(3).tolist() == [40000.0, 40000.0]
        stops = read_history(store, "compliance_stops", weeks=[W1])
        missed = stops.loc[stops["status"] == "missed"]
        assert missed[["team_id", "target_id"]].values.tolist() == [[team_id(W1, "B1"), "H1"]]
        assert missed["arrive"].isna().all() and stops["dwell_min"].notna().sum() == 34
        # importing a week again replaces it, the other week stays
        write_week(store, W1, make_week(W1), crs=CRS, station="测试警务室")
        again = read_history(store, "compliance_stops", weeks=[W1])
        assert (again["status"] == "done").all() and len(again) == 35
        assert len(read_history(store, "compliance_stops")) == 70
        delete_week(store, W2)
        assert list_weeks(store) == [W1]
    finally:
        store.close()


def test_geopackage_round_trip_and_gdal_opens_it(tmp_path: Path) -> None:
    target = tmp_path / "station.gpkg"
    _round_trip(str(target))
    layers = dict(pyogrio.list_layers(target))
    assert layers["plan_routes"] == "LineString" and layers["plan_grids"] == "MultiPolygon"
    routes = pyogrio.read_dataframe(target, layer="plan_routes")
    assert len(routes) == 14 and routes.crs == CRS
    assert routes.total_bounds.tolist() == [0.0, 0.0, 400.0, 200.0]


def test_postgis_round_trip(postgis_url: str) -> None:
    _round_trip(postgis_url)


def test_failed_import_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch) -> None:
    store = open_store(tmp_path / "station.gpkg")
    write_week(store, W1, make_week(W1), crs=CRS)
    before = _counts(store)
    calls = {"n": 0}
    real = Dialect.insert

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(Dialect, "insert", failing)
    with pytest.raises(RuntimeError):
        write_week(store, W1, make_week(W1, missed=[team_id(W1, "B2")]), crs=CRS)
    calls["n"] = 0
    with pytest.raises(RuntimeError):
        write_week(store, W2, make_week(W2), crs=CRS)
    assert _counts(store) == before and list_weeks(store) == [W1]
    assert (read_history(store, "compliance_stops")["status"] == "done").all()


_KILLED = """
import datetime as dt, os, signal, sys
sys.path.insert(0, {repo!r})
from patrol.ledger import history
from patrol.ledger.dialects import Dialect
from tests.ledger.weeks import CRS, make_week
real, calls = Dialect.insert, []
def insert(*args, **kwargs):
    calls.append(1)
    real(*args, **kwargs)
    if len(calls) == 5:
        os.kill(os.getpid(), signal.SIGKILL)
Dialect.insert = insert
store = history.open_store({target!r})
history.write_week(store, dt.date(2026, 12, 7), make_week(dt.date(2026, 12, 7)), crs=CRS)
"""


def _kill_mid_import(target: str) -> None:
    repo = str(Path(__file__).resolve().parents[2])
    code = textwrap.dedent(_KILLED.format(repo=repo, target=target))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]


@pytest.mark.parametrize("kind", ["gpkg", "postgis"])
def test_killed_import_leaves_the_store_as_it_was(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "gpkg":
        target = str(tmp_path / "station.gpkg")
    else:
        target = request.getfixturevalue("postgis_url")
        with open_store(target) as old:
            delete_week(old, W2)
    store = open_store(target)
    write_week(store, W1, make_week(W1), crs=CRS)
    before = _counts(store)
    store.close()
    _kill_mid_import(target)
    store = open_store(target)
    assert _counts(store) == before and list_weeks(store) == [W1]
    write_week(store, W2, make_week(W2), crs=CRS)  # the store still takes a new week
    assert list_weeks(store) == [W1, W2]
    store.close()


def test_a_store_that_is_no_store_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "station.gpkg"
    bad.write_text("not a database")
    with pytest.raises(PatrolError) as err:
        write_week(open_store(bad), W1, make_week(W1), crs=CRS)
    assert "台账库" in str(err.value) and "station store" in str(err.value)
    assert bad.read_text() == "not a database"
    with pytest.raises(PatrolError, match="folder"):
        open_store(tmp_path)


def test_reading_an_empty_store_gives_empty_tables(tmp_path: Path) -> None:
    store = open_store(tmp_path / "none.gpkg")
    assert list_weeks(store) == [] and store_crs(store) is None
    frame = read_history(store, "compliance_shifts")
    assert frame.empty and "deviation" in frame.columns
    assert not (tmp_path / "none.gpkg").exists()
    assert isinstance(read_history(store, "plan_routes"), pd.DataFrame)
