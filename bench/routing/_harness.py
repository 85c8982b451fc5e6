"""Shared benchmark harness for the routing layer: run, check, tabulate (issue 8).

Each instance becomes a :class:`patrol.routing.problem.RoutingProblem` and goes through the
product's own front door, :func:`patrol.routing.solvers.solve`. Every solution is checked twice:
by :func:`patrol.routing.problem.evaluate` on the integer data, and here again in real numbers
(float travel times, windows, capacity, every customer exactly once), so a rounding or
scaling slip cannot pass as a good result.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from patrol.routing.problem import RoutingProblem, Solution, evaluate
from patrol.routing.solvers import ENGINES, solve

COLUMNS = [
    "instance",
    "engine",
    "vehicles",
    "distance",
    "bks_vehicles",
    "bks_distance",
    "gap_pct",
    "seconds",
    "group",
    "feasible",
    "time_limit_s",
    "setting",
    "violations",
]


@dataclass(frozen=True)
class Instance:
    """A benchmark instance in real numbers plus its integer routing problem."""

    name: str
    group: str
    problem: RoutingProblem
    dist: np.ndarray  # real-valued distance = travel time, node x node (node 0 = depot)
    demand: np.ndarray
    capacity: int
    ready: np.ndarray  # per node; depot row = shift start
    due: np.ndarray  # per node; depot row = shift end
    service: np.ndarray
    bks_vehicles: int
    bks_distance: float
    round_distance: bool  # X: each edge rounded to the nearest integer


def euclidean(xy: np.ndarray) -> np.ndarray:
    """Full-precision Euclidean distances between rows of ``xy``."""
    diff = xy[:, None, :] - xy[None, :, :]
    out: np.ndarray = np.sqrt((diff**2).sum(axis=2))
    return out


def check_real(inst: Instance, sol: Solution) -> list[str]:
    """Re-check a solution in real numbers: windows, shift, capacity, each customer once."""
    problems: list[str] = []
    seen: dict[int, int] = defaultdict(int)
    for route in sol.routes:
        nodes = [inst.problem.visits[s.visit].location for s in route.visits]
        t, here, load = float(inst.ready[0]), 0, 0
        for node in nodes:
            seen[node] += 1
            t = max(t + inst.dist[here, node], float(inst.ready[node]))
            if t > inst.due[node] + 1e-6:
                problems.append(f"{inst.name}: node {node} starts at {t:.3f} > {inst.due[node]}")
            t += float(inst.service[node])
            load += int(inst.demand[node])
            here = node
        if t + inst.dist[here, 0] > inst.due[0] + 1e-6:
            problems.append(f"{inst.name}: route of vehicle {route.vehicle} ends late")
        if load > inst.capacity:
            problems.append(f"{inst.name}: route of vehicle {route.vehicle} load {load}")
    n_nodes = len(inst.dist)
    for node in range(1, n_nodes):
        if seen.get(node, 0) != 1:
            problems.append(f"{inst.name}: customer {node} served {seen.get(node, 0)} times")
    return problems


def real_distance(inst: Instance, sol: Solution) -> float:
    """Route length in the benchmark's own convention (full precision or rounded edges)."""
    dist = np.rint(inst.dist) if inst.round_distance else inst.dist
    total = 0.0
    for route in sol.routes:
        nodes = [0] + [inst.problem.visits[s.visit].location for s in route.visits] + [0]
        total += float(sum(dist[a, b] for a, b in itertools.pairwise(nodes)))
    return total


def make_parser(description: str, quick: str, *, fleet_min: str = "on") -> argparse.ArgumentParser:
    """The CLI both benchmark scripts share (``fleet_min``: default of ``--fleet-min``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--instances", default="quick", help=f"Comma-separated names, 'all', or 'quick' ({quick})."
    )
    parser.add_argument(
        "--time-limit", type=float, default=5.0, help="Seconds per instance and engine."
    )
    parser.add_argument(
        "--engine", default=",".join(ENGINES), help="Comma-separated engines: ortools, pyvrp."
    )
    parser.add_argument("--csv", type=Path, default=None, help="Write one row per run here.")
    parser.add_argument("--seed", type=int, default=0, help="Random seed.")
    parser.add_argument(
        "--fleet-min",
        choices=["on", "off"],
        default=fleet_min,
        help=f"solve(..., minimise_vehicles=True): fewest vehicles first (default {fleet_min}).",
    )
    parser.add_argument(
        "--fleet-share",
        type=float,
        default=None,
        help="Tuning: share of the PyVRP budget spent removing vehicles.",
    )
    parser.add_argument(
        "--ortools-first-solution",
        default=None,
        help="Tuning: OR-Tools FirstSolutionStrategy name.",
    )
    parser.add_argument(
        "--ortools-metaheuristic",
        default=None,
        help="Tuning: OR-Tools LocalSearchMetaheuristic name.",
    )
    return parser


def solve_with(problem: RoutingProblem, engine: str, args: argparse.Namespace) -> Solution:
    """``solve()``, or the OR-Tools engine with a tuning setting from the command line."""
    if engine == "ortools" and (args.ortools_first_solution or args.ortools_metaheuristic):
        from patrol.routing.solvers.ortools_engine import (
            FIRST_SOLUTION,
            METAHEURISTIC,
            solve_ortools,
        )

        return solve_ortools(
            problem,
            time_limit_s=args.time_limit,
            first_solution=args.ortools_first_solution or FIRST_SOLUTION,
            metaheuristic=args.ortools_metaheuristic or METAHEURISTIC,
        )
    fleet_min = args.fleet_min == "on"
    if engine == "pyvrp" and fleet_min and args.fleet_share is not None:
        from patrol.routing.solvers.pyvrp_engine import solve_pyvrp

        return solve_pyvrp(
            problem,
            time_limit_s=args.time_limit,
            seed=args.seed,
            minimise_vehicles=True,
            fleet_share=args.fleet_share,
        )
    return solve(
        problem,
        engine=engine,
        time_limit_s=args.time_limit,
        seed=args.seed,
        minimise_vehicles=fleet_min,
    )


def setting_label(engine: str, args: argparse.Namespace, extra: str = "") -> str:
    """Short text naming the tuning setting of a run."""
    parts = [extra] if extra else []
    parts.append(f"fleet-min={args.fleet_min}")
    if engine == "pyvrp" and args.fleet_share is not None:
        parts.append(f"fleet-share={args.fleet_share:g}")
    if engine == "ortools":
        parts += [
            args.ortools_first_solution or "default-first",
            args.ortools_metaheuristic or "default-meta",
        ]
    return " ".join(parts)


def run(
    names: Sequence[str],
    load: Callable[[str], Instance],
    args: argparse.Namespace,
    *,
    setting: str = "",
) -> list[dict[str, object]]:
    """Solve every instance with every engine, check it, print and write the rows."""
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    rows: list[dict[str, object]] = []
    writer = None
    handle = None
    if args.csv is not None:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        handle = args.csv.open("w", newline="", encoding="utf-8")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
    print(
        f"{'instance':<12} {'engine':<8} {'veh':>4} {'bks':>4} {'distance':>11} "
        f"{'bks':>10} {'gap%':>7} {'sec':>6}"
    )
    try:
        for name in names:
            inst = load(name)
            for engine in engines:
                t0 = time.perf_counter()
                sol = solve_with(inst.problem, engine, args)
                seconds = time.perf_counter() - t0
                again = evaluate(inst.problem, sol.sequences(len(inst.problem.vehicles)))
                issues = list(again.violations) + check_real(inst, sol)
                distance = real_distance(inst, sol)
                gap = 100.0 * (distance - inst.bks_distance) / inst.bks_distance
                row: dict[str, object] = {
                    "instance": inst.name,
                    "engine": engine,
                    "vehicles": sol.n_vehicles,
                    "distance": round(distance, 2),
                    "bks_vehicles": inst.bks_vehicles,
                    "bks_distance": inst.bks_distance,
                    "gap_pct": round(gap, 3) if not issues else "",
                    "seconds": round(seconds, 2),
                    "group": inst.group,
                    "feasible": not issues,
                    "time_limit_s": args.time_limit,
                    "setting": setting_label(engine, args, setting),
                    "violations": "; ".join(issues[:3]),
                }
                rows.append(row)
                if writer is not None and handle is not None:
                    writer.writerow(row)
                    handle.flush()
                flag = "" if not issues else f"  INFEASIBLE: {issues[0]}"
                print(
                    f"{inst.name:<12} {engine:<8} {sol.n_vehicles:>4} {inst.bks_vehicles:>4} "
                    f"{distance:>11.2f} {inst.bks_distance:>10.2f} "
                    f"{gap if not issues else math.nan:>7.2f} {seconds:>6.1f}{flag}",
                    flush=True,
                )
    finally:
        if handle is not None:
            handle.close()
    print_summary(rows)
    return rows


def print_summary(rows: Sequence[dict[str, object]]) -> None:
    """Per class and engine: mean gap, vehicles above BKS, infeasible runs."""
    by: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by[(str(row["group"]), str(row["engine"]))].append(row)
    print(
        f"\n{'class':<6} {'engine':<8} {'n':>3} {'mean gap%':>10} {'veh>bks':>8} "
        f"{'veh<bks':>8} {'infeas':>7} {'mean s':>7}"
    )
    for (group, engine), items in sorted(by.items()):
        gaps = [float(str(r["gap_pct"])) for r in items if r["feasible"]]
        more = sum(1 for r in items if int(str(r["vehicles"])) > int(str(r["bks_vehicles"])))
        fewer = sum(1 for r in items if int(str(r["vehicles"])) < int(str(r["bks_vehicles"])))
        bad = sum(1 for r in items if not r["feasible"])
        mean_gap = statistics.fmean(gaps) if gaps else math.nan
        secs = statistics.fmean(float(str(r["seconds"])) for r in items)
        print(
            f"{group:<6} {engine:<8} {len(items):>3} {mean_gap:>10.2f} {more:>8} "
            f"{fewer:>8} {bad:>7} {secs:>7.1f}"
        )
    sys.stdout.flush()
