"""Size and opening time of the interactive maps for a station-scale week.

Plans a synthetic station (50 grids, 3,000 buildings by default; 21 shifts), writes
``plan.html`` and ``coverage.html``, and prints their sizes, the time to write them and,
when Debian's chromium is installed, the time each takes to open in headless Chromium
with every network request refused. Targets: each file under 10 MB, open under 3 s.

    python bench/maps_bench.py [--grids 50] [--buildings 3000] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def open_times(paths: list[Path], repeat: int = 3) -> dict[str, tuple[float, int]]:
    """Best-of-``repeat`` seconds until each page's vector layers are drawn, and how many
    requests it tried to make (must be 0)."""
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[float, int]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for path in paths:
            url = path.resolve().as_uri()
            best, blocked = float("inf"), 0
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                refused: list[str] = []

                def handle(route, refused=refused, url=url):  # type: ignore[no-untyped-def]
                    if route.request.url == url:
                        route.continue_()
                    else:
                        refused.append(route.request.url)
                        route.abort()

                page.route("**/*", handle)
                start = time.perf_counter()
                page.goto(url, wait_until="load")
                page.wait_for_selector(".leaflet-overlay-pane path")
                best = min(best, time.perf_counter() - start)
                blocked = max(blocked, len(refused))
                page.close()
            out[path.name] = (best, blocked)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=50)
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from patrol.coverage.of_plan import measure_plan_coverage
    from patrol.planner import PlanParams, plan_week
    from patrol.render.maps import write_maps
    from patrol.scenario.read import read_scenario
    from patrol.scenario.synth import write_synthetic_scenario

    work = args.out or Path(tempfile.mkdtemp(prefix="maps_bench_"))
    scenario_dir = write_synthetic_scenario(
        work / "scenario", grids=args.grids, buildings=args.buildings, seed=1, overwrite=True
    )
    t0 = time.perf_counter()
    plan = plan_week(
        read_scenario(scenario_dir), PlanParams(seed=1, max_iterations=args.iterations)
    )
    coverage = measure_plan_coverage(plan)
    t_plan = time.perf_counter() - t0
    stops = sum(len(r.stops) for r in plan.routes)
    print(
        f"scenario: {len(plan.scenario.grids)} grids, {len(plan.scenario.buildings)} buildings, "
        f"{len(plan.network.edges)} street segments, {len(plan.slots)} shifts, "
        f"{len(plan.routes)} routes, {stops} stops, {len(plan.unserved)} unserved, "
        f"{len(coverage.blind_spots)} blind spots (planned in {t_plan:.1f} s)"
    )
    t0 = time.perf_counter()
    paths = write_maps(plan, coverage, work, generated=dt.datetime(2026, 1, 1))
    t_write = time.perf_counter() - t0
    print(f"write_maps: {t_write:.2f} s")
    for path in paths:
        size = path.stat().st_size / 1e6
        flag = "ok" if size < 10 else "OVER 10 MB"
        print(f"  {path.name:14s} {size:6.2f} MB  {flag}")
    if CHROMIUM.exists():
        for name, (seconds, blocked) in open_times(paths).items():
            flag = "ok" if seconds < 3 and not blocked else "SLOW or ONLINE"
            print(f"  open {name:14s} {seconds:5.2f} s  requests refused: {blocked}  {flag}")
    else:
        print(f"  (no {CHROMIUM}: opening time not measured)")
    print(f"files in {work}")


if __name__ == "__main__":
    main()
