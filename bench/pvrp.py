"""Cordeau's periodic VRP (p01-p32) through the weekly core and its checker (issue #14).

Every instance is read into a :class:`patrol.weekly.problem.WeekProblem`, solved by
:func:`patrol.weekly.search.solve_week` (the core ``plan_week`` uses) and checked by
:func:`patrol.weekly.check.evaluate_week`; the table gives cost, reference cost and gap.
The reference costs are those of the solutions published with the instances: UPPER
BOUNDS (later papers lowered several), so a gap against them flatters us a little.

    python bench/pvrp.py --instances p01,p02 --time-limit 60 [--dir DIR] [--csv FILE]
    python bench/pvrp.py --instances paper --time-limit 60      # p01-p10, p14-p23
    python bench/pvrp.py --instances large --time-limit 120     # p12, p13, p24-p32
    python bench/pvrp.py --instances p02 --fixed-patterns       # routing share: the
                                                                # reference's days, route only

``--steps`` switches steps off to measure what each buys (``no-lns``, ``no-descent``,
``fixed-days``: PyVRP does not choose single-day tasks' days).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import time
from pathlib import Path

from patrol.weekly.check import evaluate_week
from patrol.weekly.cordeau import read_cordeau, read_reference
from patrol.weekly.problem import WeekProblem
from patrol.weekly.search import SearchParams, solve_week

DATA = Path(__file__).resolve().parent / "data" / "pvrp"
PAPER = [f"p{i:02d}" for i in [*range(1, 11), *range(14, 24)]]
LARGE = [f"p{i:02d}" for i in [12, 13, *range(24, 33)]]
COLUMNS = [
    "instance", "customers", "days", "cost", "reference", "gap_pct", "feasible",
    "violations", "wall_s", "cpu_s", "time_limit_s", "cpu_clock", "seed", "steps",
    "fixed_patterns", "construct", "routed", "descent", "lns_steps", "lns_kept",
]  # fmt: skip


def reference_patterns(problem: WeekProblem, folder: Path, name: str) -> WeekProblem:
    """``problem`` with every task's pattern fixed to the days of the published
    solution (routing only: the routing share of the gap)."""
    ref = read_reference(folder / f"{name}.res", problem)
    days = ref.schedule.days_of(problem)
    tasks = tuple(
        dataclasses.replace(t, patterns=(frozenset(days[i]),)) if i in days else t
        for i, t in enumerate(problem.tasks)
    )
    return problem.replace(tasks=tasks)


def params_of(steps: str, settings: str = "") -> SearchParams:
    """SearchParams with the named steps switched off and ``key=value,...`` settings."""
    off = {s for s in steps.split(",") if s}
    params = SearchParams(
        lns="no-lns" not in off, descent="no-descent" not in off, free_days="fixed-days" not in off
    )
    for item in filter(None, settings.split(",")):
        key, value = item.split("=")
        kind = type(getattr(params, key))
        params = dataclasses.replace(params, **{key: kind(value)})
    return params


def run_one(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Solve and check one instance; the row of the table."""
    folder = Path(args.dir)
    problem = read_cordeau(folder / f"{name}.txt")
    reference = read_reference(folder / f"{name}.res", problem).cost
    if args.fixed_patterns:
        problem = reference_patterns(problem, folder, name)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    schedule = solve_week(
        problem,
        time_limit_s=args.time_limit,
        seed=args.seed,
        params=params_of(args.steps, args.set),
        cpu_clock=args.cpu,
    )
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    report = evaluate_week(problem, schedule)
    return {
        "instance": name,
        "customers": len(problem.tasks),
        "days": problem.n_days,
        "cost": round(report.cost, 2),
        "reference": reference,
        "gap_pct": round(100 * (report.cost / reference - 1), 2),
        "feasible": report.feasible,
        "violations": "; ".join(report.violations[:3]),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "time_limit_s": args.time_limit,
        "cpu_clock": args.cpu,
        "seed": args.seed,
        "steps": (args.steps or "all") + (f" {args.set}" if args.set else ""),
        "fixed_patterns": args.fixed_patterns,
        **{k: round(float(schedule.stats.get(k, 0.0)), 2) for k in COLUMNS[-5:]},
    }


def print_summary(rows: list[dict[str, object]]) -> None:
    """Mean and worst gap, and how many the checker accepted."""
    gaps = [float(str(r["gap_pct"])) for r in rows]
    wall = sum(float(str(r["wall_s"])) for r in rows)
    cpu = sum(float(str(r["cpu_s"])) for r in rows)
    ok = sum(1 for r in rows if r["feasible"])
    print(
        f"{len(rows)} instances: mean gap {statistics.mean(gaps):+.2f}%, worst {max(gaps):+.2f}%, "
        f"accepted by the checker {ok}/{len(rows)}; wall {wall:.0f} s, CPU {cpu:.0f} s"
    )
    print("Reference costs are upper bounds (published 1997 solutions; later papers found lower).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default="paper", help="p01,p02,... or paper / large / all")
    parser.add_argument("--time-limit", type=float, default=60.0, help="wall seconds per instance")
    parser.add_argument("--dir", default=str(DATA), help="folder of pNN.txt and pNN.res files")
    parser.add_argument("--csv", default="", help="write the table to this CSV file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", default="", help="no-lns,no-descent,fixed-days")
    parser.add_argument("--set", default="", help="SearchParams settings: key=value,...")
    parser.add_argument("--fixed-patterns", action="store_true", help="the reference's days")
    parser.add_argument(
        "--cpu", action="store_true", help="count --time-limit in CPU seconds (shared machine)"
    )
    args = parser.parse_args()
    named = {"paper": PAPER, "large": LARGE, "all": PAPER + LARGE}
    names = named.get(args.instances) or [s.strip() for s in args.instances.split(",") if s]
    print(f"{'inst':5} {'n':>4} {'t':>2} {'cost':>10} {'ref*':>10} {'gap%':>7} ok  wall_s  cpu_s")
    rows = []
    fh = open(args.csv, "w", newline="", encoding="utf-8") if args.csv else None  # noqa: SIM115
    writer = csv.DictWriter(fh, fieldnames=COLUMNS) if fh else None
    if writer:
        writer.writeheader()
    for name in names:
        row = run_one(name, args)
        rows.append(row)
        print(
            f"{name:5} {row['customers']:>4} {row['days']:>2} {row['cost']:>10.2f} "
            f"{row['reference']:>10.2f} {row['gap_pct']:>+7.2f} {'y' if row['feasible'] else 'N'} "
            f"{row['wall_s']:>7} {row['cpu_s']:>6}  {row['violations']}",
            flush=True,
        )
        if writer and fh:
            writer.writerow(row)
            fh.flush()  # a sweep stopped early keeps the rows it finished
    print_summary(rows)
    if fh:
        fh.close()


if __name__ == "__main__":
    main()
