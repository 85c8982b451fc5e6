"""Time to print a station-scale week of route sheets (issue 6 target: under 60 s).

Plans a synthetic station (44 grids in 11 beats, 21 shifts: about 150 routed team-shifts
by default), then times :func:`patrol.render.sheets.write_sheets` with coverage (blind
spots on the maps and the overview), and prints the files, pages, sizes and where the
time went (layout, maps, PDF). Planning time is reported but not part of the target.

    python bench/sheets_bench.py [--grids 44] [--buildings 2400] [--people N] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

from patrol.coverage.of_plan import measure_plan_coverage
from patrol.planner import PlanParams, plan_week
from patrol.render.sheets import write_sheets
from patrol.scenario.read import read_scenario
from patrol.scenario.synth import write_synthetic_scenario

TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=44)
    parser.add_argument("--buildings", type=int, default=2400)
    parser.add_argument("--focus", type=int, default=140)
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("patrol").setLevel(logging.INFO)
    for name in ("patrol.scenario.read", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_synthetic_scenario(
            Path(tmp) / "station",
            grids=args.grids,
            buildings=args.buildings,
            focus_households=args.focus,
            people=args.people,
            seed=3,
        )
        t0 = time.perf_counter()
        plan = plan_week(read_scenario(folder), PlanParams(seed=1, max_iterations=args.iterations))
        coverage = measure_plan_coverage(plan)
        plan_s = time.perf_counter() - t0
        stops = sum(len(r.stops) - 2 for r in plan.routes)
        print(
            f"== synthetic station: {len(plan.scenario.grids)} grids, "
            f"{len(plan.scenario.buildings)} buildings, {len(plan.scenario.people)} "
            f"people, {len(plan.slots)} shifts"
        )
        print(
            f"plan + coverage {plan_s:.1f} s: {len(plan.routes)} routed team-shifts, "
            f"{stops} stops (max {max(len(r.stops) - 2 for r in plan.routes)} on one "
            f"route), {len(coverage.blind_spots)} blind spots"
        )
        out = args.out or Path(tmp) / "out"
        t1, c1 = time.perf_counter(), time.process_time()
        files = write_sheets(
            plan, out, coverage=coverage, generated=dt.datetime(2026, 11, 29, 18, 0)
        )
        sheets_s = time.perf_counter() - t1
        cpu_s = time.process_time() - c1
        from pypdf import PdfReader

        pages = {p.name: len(PdfReader(p).pages) for p in files}
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        week = files[0]
        print(
            f"sheets: {len(files)} files, {sum(pages.values())} pages "
            f"(week.pdf {pages['week.pdf']} pages, {week.stat().st_size / 1e6:.1f} MB), "
            f"{size_mb:.1f} MB in all"
        )
        print(
            f"write_sheets {sheets_s:.1f} s wall ({cpu_s:.1f} s CPU) = "
            f"{sheets_s / max(1, len(plan.routes)):.2f} s "
            f"per route sheet; target < {TARGET_S:.0f} s: "
            f"{'met' if sheets_s < TARGET_S else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
