"""A bureau's week in one call: plan every station, measure the city, write the outputs.

:func:`plan_bureau` is what ``patrol plan-bureau`` runs: it reads the bureau folder,
checks ``OUT``, starts one Dask client (a local cluster of processes, or the scheduler
given) and uses it for both the stations (:mod:`patrol.bureau.farm`) and the city-wide
coverage (:mod:`patrol.bureau.citywide`), then writes the bureau store, map and table
(:mod:`patrol.bureau.outputs`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from patrol.bureau.farm import (
    STATIONS_DIR,
    BureauRun,
    client_for,
    farm_jobs,
    prepare_jobs,
    station_folder,
)
from patrol.bureau.folder import read_bureau
from patrol.bureau.labels import both
from patrol.bureau.lock import LOCK_FILE, bureau_lock
from patrol.errors import PatrolError

if TYPE_CHECKING:
    from patrol.bureau.citywide import CityCoverage
    from patrol.planner import PlanParams

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def check_bureau_out(bureau: str | Path, out: str | Path) -> Path:
    """``out`` if a bureau run may write there: not inside the bureau folder, and new,
    empty or a bureau output folder already (never someone else's folder)."""
    out, root = Path(out), Path(bureau)
    inner, outer = out.resolve(), root.resolve()
    if inner == outer or outer in inner.parents:
        raise PatrolError(both("out_inside", out=out, bureau=root))
    if out.exists() and (not out.is_dir() or _foreign(out)):
        raise PatrolError(both("out_not_bureau", out=out))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _foreign(out: Path) -> bool:
    from patrol.bureau.outputs import STORE_FILE

    known = (out / STATIONS_DIR).is_dir() or (out / STORE_FILE).is_file()
    return any(p.name != LOCK_FILE for p in out.iterdir()) and not known


def week_start_of(folders: list[Path]) -> pd.Timestamp:
    """The earliest week start of the stations' plans (the city's coverage week)."""
    starts = [
        dt.date.fromisoformat(json.loads((f / "summary.json").read_text("utf-8"))["week_start"])
        for f in folders
    ]
    return pd.Timestamp(min(starts))


def measure_bureau(folders: list[Path]) -> CityCoverage:
    """The city-wide coverage of the planned stations in ``folders`` (their stores)."""
    from patrol.bureau.citywide import city_layers, measure_city

    layers = city_layers(folders)
    return measure_city(**layers, week_start=week_start_of(folders))


def plan_bureau(
    bureau: str | Path,
    out: str | Path,
    *,
    params: PlanParams | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    maps: bool = True,
    sheets: bool = True,
    city: bool = True,
    lang: str = "zh",
    progress: Progress | None = None,
    client: Any = None,
    store: str | None = None,
) -> BureauRun:
    """Plan every station of the bureau folder ``bureau`` into ``out`` and write the
    bureau's outputs; ``run.extra`` holds the city's headline figures and the files
    written. Station failures are in the results; a bad bureau folder or ``out`` raises.
    ``store``, a ``postgresql://`` URL, also writes the week into that PostGIS database
    (:mod:`patrol.bureau.pgstore`). ``out`` is locked for the run
    (:mod:`patrol.bureau.lock`): a second run on it is refused."""
    from patrol.planner import PlanParams

    say = progress or _quiet
    folder = read_bureau(bureau)
    out = check_bureau_out(bureau, out)
    with bureau_lock(out):
        jobs, settled = prepare_jobs(
            folder, out, params=params or PlanParams(), maps=maps, sheets=sheets
        )
        # nothing to plan: no cluster, the city's coverage runs on local threads
        with client_for(client, needed=bool(jobs), workers=workers, scheduler=scheduler) as used:
            run = farm_jobs(folder, jobs, settled, client=used, progress=say)
            done = [station_folder(out, r.name) for r in run.results if r.status != "failed"]
            coverage = measure_bureau(done) if city and done else None
        run.extra["written"] = write_bureau(
            run, out, name=folder.name, lang=lang, city=coverage, store=store
        )
    if coverage is not None:
        run.extra["city"] = coverage.summary
    counts = {s: sum(r.status == s for r in run.results) for s in ("planned", "skipped", "failed")}
    say(both("done", out=out, **counts))
    return run


def write_bureau(
    run: BureauRun,
    out: Path,
    *,
    name: str,
    lang: str,
    city: CityCoverage | None,
    store: str | None = None,
) -> list[Path]:
    """The bureau's table, store and map for ``run``; with ``store`` (a ``postgresql://``
    URL) the week's layers go into that database too (``run.extra["database"]``: the rows
    written per table)."""
    from patrol.bureau.outputs import (
        bureau_frames,
        collect_layers,
        station_table,
        write_bureau_map,
        write_bureau_store,
        write_station_tables,
    )

    table = station_table(run, out)
    written = write_station_tables(table, out)
    layers = collect_layers(run, out)
    frames = bureau_frames(layers, table, city=city)
    written.append(write_bureau_store(frames, out))
    if store:
        from patrol.bureau.pgstore import write_bureau_postgis

        done = [station_folder(out, r.name) for r in run.results if r.status != "failed"]
        week = week_start_of(done).date() if done else dt.date.today()
        run.extra["database"] = write_bureau_postgis(store, frames, week_start=week)
    written.append(write_bureau_map(layers, table, out, name=name, lang=lang, city=city))
    return written
