"""The ledger's figures on a week with actuals: import into the station store, each report,
the next week, and the visits due next week with and without ``patrol next-week``.

    python bench/ledger_bench.py OUT [--store postgresql://...] [--weeks 4]

OUT is a plan folder with actuals (``patrol demo --out OUT`` makes one). The week is
imported ``--weeks`` times under successive Mondays (a month of history; the rows keep
their own dates), into a fresh GeoPackage (or the given PostGIS URL), then every report
is written from the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _visits_due(folder: Path, *, week_start: dt.date | None = None) -> int:
    """Visits due in the scenario's week (its ``week_start`` moved to ``week_start``)."""
    from patrol.demand import visit_tasks
    from patrol.network import scenario_network
    from patrol.scenario.read import read_scenario

    scenario = read_scenario(folder)
    if week_start is not None:
        scenario.settings = scenario.settings.replace(week_start=week_start)
    network = scenario_network(scenario)
    tasks, _ = visit_tasks(scenario, network, scenario.slots())
    return len(tasks)


def main() -> None:
    from patrol.ledger.book import ledger_tables
    from patrol.ledger.documents import (
        daily_document,
        ledger_document,
        monthly_document,
        weekly_document,
        write_document,
    )
    from patrol.ledger.frames import week_frames
    from patrol.ledger.history import open_store, write_week
    from patrol.ledger.monthly import monthly_report
    from patrol.ledger.nextweek import plan_next_week, write_next_week
    from patrol.ledger.spotcheck import spot_check
    from patrol.ledger.weekly import weekly_follow_up

    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--store", default=None)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    t0 = time.perf_counter()
    week = week_frames(args.out)
    rows = {k: len(v) for k, v in week.frames.items()}
    print(f"week read from OUT: {time.perf_counter() - t0:.2f} s; rows {rows}")
    store = open_store(args.store or tmp / "station.gpkg")
    for k in range(args.weeks):
        start = week.week_start + dt.timedelta(days=7 * k)
        t = time.perf_counter()
        write_week(store, start, week.frames, crs=week.crs, station=week.station)
        print(f"import week {k + 1} ({store.dialect.name}): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    write_week(store, week.week_start, week.frames, crs=week.crs, station=week.station)
    print(f"import the first week again (replace): {time.perf_counter() - t:.2f} s")
    last = week.week_start + dt.timedelta(days=7 * (args.weeks - 1))
    jobs = {
        "daily": lambda: daily_document(spot_check(store, week.week_start + dt.timedelta(days=3))),
        "weekly": lambda: weekly_document(weekly_follow_up(store, last)),
        "monthly": lambda: monthly_document(monthly_report(store, last.strftime("%Y-%m"))),
        "ledger": lambda: ledger_document(ledger_tables(store)),
    }
    for name, job in jobs.items():
        t = time.perf_counter()
        report = job()
        built = time.perf_counter() - t
        files = write_document(report, tmp / "reports", name)
        sizes = ", ".join(f"{p.suffix} {p.stat().st_size / 1e3:.0f} kB" for p in files)
        took = time.perf_counter() - t - built
        print(f"{name}: built {built:.2f} s, written {took:.2f} s ({sizes})")
    t = time.perf_counter()
    nxt = write_next_week(plan_next_week(args.out), tmp / "next")
    plan = plan_next_week(args.out)
    print(f"next week: {time.perf_counter() - t:.2f} s, {len(plan.changes)} changes")
    moved = _visits_due(plan.scenario, week_start=plan.week_start)
    print(
        f"visits due next week: {_visits_due(plan.scenario)} this week; next week "
        f"{moved} with week_start moved by hand, {_visits_due(nxt)} after patrol next-week"
    )
    store.close()


if __name__ == "__main__":
    main()
