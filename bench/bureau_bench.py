"""Benchmark of a bureau's week on Dask; prints wall and CPU seconds and peak memory.

Two parts:

- ``stations``: a synthetic bureau of 20 stations (4-16 grids, 60 buildings a grid) is
  planned with 1 worker and with 2 workers of a local Dask cluster (each station with
  ``--time-limit`` seconds of deterministic solver work, store, tables and coverage;
  no per-station maps or sheets); prints the wall time, the speed-up, the CPU seconds of
  all tasks, the peak memory of each worker and the per-station seconds (median, max).
- ``coverage``: the district of ``bench/coverage_bench.py`` (four buildings a 100 m block,
  two street segments a block, a camera and a 20-segment track per 50 buildings), scaled
  to ``--sizes`` buildings (1,000,000 buildings = 500,000 street segments and 20,000
  cameras), measured by the city-wide dask-geopandas path on a two-worker cluster and by
  plain GeoPandas (``measure_coverage`` in one process) on the same data. Each measure
  runs in its own process so that its peak memory is its own.

Run niced on a shared machine::

    nice -n 10 python bench/bureau_bench.py stations [--stations 20] [--time-limit 5]
    nice -n 10 python bench/bureau_bench.py coverage [--sizes 100000 300000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_stations(args: argparse.Namespace) -> None:
    from patrol.bureau.run import plan_bureau
    from patrol.planner import PlanParams
    from patrol.scenario.synth.bureau import write_synthetic_bureau

    root = Path(tempfile.mkdtemp(prefix="bureau-bench-"))
    bureau = write_synthetic_bureau(root / "bureau", stations=args.stations, seed=args.seed)
    params = PlanParams(seed=args.seed, time_limit_s=args.time_limit)
    print(f"{args.stations} stations, --time-limit {args.time_limit} (deterministic work)")
    print(
        f"{'workers':>7} {'wall_s':>7} {'speedup':>7} {'task_cpu_s':>10} {'median_s':>8} "
        f"{'max_s':>6} {'peak_MB_per_worker':>20} {'failed':>6}"
    )
    base = None
    figures = {}
    for workers in args.workers:
        start = time.perf_counter()
        run = plan_bureau(
            bureau,
            root / f"out{workers}",
            params=params,
            workers=workers,
            maps=False,
            sheets=False,
            city=not args.no_city,
        )
        wall = time.perf_counter() - start
        base = base or wall
        done = [r for r in run.results if r.status == "planned"]
        peaks: dict[str, float] = {}
        for r in done:
            peaks[r.worker] = max(peaks.get(r.worker, 0.0), r.peak_rss_mb)
        cpu = sum(r.cpu_s for r in done)
        secs = [r.wall_s for r in done]
        peak_text = " ".join(f"{p:.0f}" for p in sorted(peaks.values()))
        print(
            f"{workers:>7} {wall:>7.1f} {base / wall:>7.2f} {cpu:>10.1f} "
            f"{statistics.median(secs):>8.1f} {max(secs):>6.1f} {peak_text:>20} "
            f"{len(run.failed()):>6}",
            flush=True,
        )
        figures[workers] = {
            "wall_s": wall,
            "task_cpu_s": cpu,
            "per_station_s": secs,
            "per_station_cpu_s": [r.cpu_s for r in done],
            "city": run.extra.get("city", {}),
        }
    (root / "figures.json").write_text(json.dumps(figures, indent=1))
    print(f"figures in {root / 'figures.json'}")


def _district(size: int, seed: int) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    from coverage_bench import make_district  # the coverage benchmark's district

    data = make_district(size, seed=seed)
    return {k: data[k] for k in ("grids", "streets", "buildings", "tracks", "cameras")}


def measure_one(size: int, how: str, seed: int, npartitions: int) -> dict[str, float]:
    """One measure of the district of ``size`` buildings (this process)."""
    import pandas as pd

    data = _district(size, seed)
    week = pd.Timestamp("2026-03-02")
    t0, c0 = time.perf_counter(), time.process_time()
    out: dict[str, float] = {}
    if how == "plain":
        from patrol.coverage.measure import measure_coverage

        cov = measure_coverage(**data, week_start=week)  # type: ignore[arg-type]
        bt = cov.building_coverage
        out.update(
            covered=float(bt["covered"].sum()),
            blind=float(bt["blind"].sum()),
            spots=float((cov.blind_spots["band"] == "week").sum()),
        )
    else:
        from patrol.bureau.citywide import measure_city
        from patrol.bureau.farm import close_client, start_client

        client, cluster = start_client(workers=2, scheduler=None)
        t0, c0 = time.perf_counter(), time.process_time()
        city = measure_city(
            buildings=data["buildings"],
            streets=data["streets"],  # type: ignore[arg-type]
            cameras=data["cameras"],
            tracks=data["tracks"],  # type: ignore[arg-type]
            week_start=week,
            npartitions=npartitions,
        )
        out["workers_peak_mb"] = max(client.run(peak_rss_mb).values())
        out["workers_cpu_s"] = sum(client.run(time.process_time).values())
        t = city.tiles
        out.update(
            covered=float(t["buildings_covered"].sum()),
            blind=float(t["blind_buildings"].sum()),
            spots=city.summary["blind_spots"],
        )
        close_client(client, cluster)
    out.update(
        wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0, peak_mb=peak_rss_mb()
    )
    return out


def bench_coverage(args: argparse.Namespace) -> None:
    print(
        f"{'buildings':>9} {'how':>5} {'wall_s':>7} {'cpu_s':>7} {'wk_cpu_s':>8} "
        f"{'peak_MB':>8} {'wk_peak_MB':>10} {'covered':>8} {'blind':>6} {'spots':>6}"
    )
    for size in sorted(args.sizes):
        for how in args.how:
            cmd = [
                sys.executable,
                __file__,
                "_one",
                str(size),
                how,
                str(args.seed),
                str(args.npartitions),
            ]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                print(f"{size:>9} {how:>5} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{size:>9} {how:>5} {r['wall_s']:>7.1f} {r['cpu_s']:>7.1f} "
                f"{r.get('workers_cpu_s', 0):>8.1f} {r['peak_mb']:>8.0f} "
                f"{r.get('workers_peak_mb', 0):>10.0f} {r['covered']:>8.0f} "
                f"{r['blind']:>6.0f} {r['spots']:>6.0f}",
                flush=True,
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_one":
        size, how, seed, parts = sys.argv[2:6]
        print(json.dumps(measure_one(int(size), how, int(seed), int(parts))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part", required=True)
    s = sub.add_parser("stations")
    s.add_argument("--stations", type=int, default=20)
    s.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    s.add_argument("--time-limit", type=float, default=5.0)
    s.add_argument("--no-city", action="store_true")
    s.add_argument("--seed", type=int, default=0)
    c = sub.add_parser("coverage")
    c.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    c.add_argument("--how", nargs="+", default=["dask", "plain"], choices=("dask", "plain"))
    c.add_argument("--npartitions", type=int, default=16)
    c.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    (bench_stations if args.part == "stations" else bench_coverage)(args)


if __name__ == "__main__":
    main()
