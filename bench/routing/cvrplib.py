"""CVRPLIB X benchmark (Uchoa et al. 2017, X-n101 ... X-n303) for the routing layer.

Capacitated VRP, distance only: each edge is the Euclidean distance rounded to the
nearest integer (TSPLIB ``EUC_2D``), no time windows, no fixed cost, no fleet minimisation
(``--fleet-min off`` by default: the target is distance). The fleet is the
``k`` of the name plus a margin (best-known solutions sometimes use k+1 or k+2 routes).

    python bench/routing/cvrplib.py --instances all --time-limit 5 \
        --engine ortools,pyvrp --csv bench/routing/results/x_5s.csv
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from _harness import Instance, euclidean, make_parser, run

from patrol.routing.problem import UNBOUNDED_S, RoutingProblem, Vehicle, Visit

DATA = Path(__file__).resolve().parent / "data" / "cvrplib-x"
QUICK = ["X-n101-k25", "X-n157-k13", "X-n303-k21"]


def read_vrp(path: Path) -> tuple[int, np.ndarray, np.ndarray, int]:
    """Capacity, coordinates, demands (node order of the file) and the depot index."""
    capacity = 0
    coords: list[list[float]] = []
    demand: list[int] = []
    depot = 0
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        head = line.split(":")[0].strip()
        if head == "CAPACITY":
            capacity = int(line.split(":")[1])
        if line.endswith("SECTION"):
            section = line
            continue
        if ":" in line:
            section = ""
            continue
        parts = line.split()
        if section == "NODE_COORD_SECTION":
            coords.append([float(parts[1]), float(parts[2])])
        elif section == "DEMAND_SECTION":
            demand.append(int(parts[1]))
        elif section == "DEPOT_SECTION" and int(parts[0]) > 0:
            depot = int(parts[0]) - 1
    return capacity, np.array(coords), np.array(demand), depot


def read_bks() -> dict[str, tuple[int, int, float]]:
    """k (min vehicles in the name), routes of the best-known solution, its cost."""
    with (DATA / "bks.csv").open(encoding="utf-8") as fh:
        return {
            r["instance"]: (
                int(r["k_min_vehicles"]),
                int(r["bks_solution_routes"]),
                float(r["bks_cost"]),
            )
            for r in csv.DictReader(fh)
        }


def load(name: str) -> Instance:
    """Read one X instance into a :class:`RoutingProblem` (node 0 = depot)."""
    capacity, xy, demand, depot = read_vrp(DATA / f"{name}.vrp")
    order = [depot] + [i for i in range(len(xy)) if i != depot]
    xy, demand = xy[order], demand[order]
    dist = euclidean(xy)
    cost = np.rint(dist).astype(np.int64)
    k, bks_routes, bks_cost = read_bks()[name]
    fleet = k + max(3, k // 10)
    vehicle = Vehicle(0, 0, 0, UNBOUNDED_S, capacity=capacity)
    visits = tuple(Visit(i, demand=int(demand[i])) for i in range(1, len(xy)))
    problem = RoutingProblem(cost, vehicles=(vehicle,) * fleet, visits=visits)
    n = len(xy)
    return Instance(
        name,
        "X",
        problem,
        dist,
        demand,
        capacity,
        np.zeros(n),
        np.full(n, float(UNBOUNDED_S)),
        np.zeros(n),
        bks_routes,
        bks_cost,
        round_distance=True,
    )


def main() -> None:
    """Parse the command line and run the benchmark."""
    args = make_parser(__doc__.splitlines()[0], ",".join(QUICK), fleet_min="off").parse_args()
    bks = read_bks()
    if args.instances == "all":
        names = sorted(bks, key=lambda n: int(n.split("-")[1][1:]))
    elif args.instances == "quick":
        names = QUICK
    else:
        names = [n.strip() for n in args.instances.split(",") if n.strip()]
    run(names, load, args)


if __name__ == "__main__":
    main()
