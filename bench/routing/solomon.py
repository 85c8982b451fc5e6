"""Solomon VRPTW benchmark (56 instances, 100 customers) for the routing layer.

Objective as in the classic hierarchical table (``sintef_hier_*`` in ``bks.csv``): fewest
vehicles first, then distance, full-precision Euclidean distances. Vehicles get a fixed
cost (``--fixed-cost``, in distance units) so the solvers minimise vehicles first.
Distances and times are scaled by 1000 to integers: travel times rounded UP (a route
feasible in integers is feasible in real time), costs rounded to nearest; the reported
distance is recomputed in full precision.

    python bench/routing/solomon.py --instances quick --time-limit 5 \
        --engine ortools,pyvrp --csv bench/routing/results/solomon_quick_5s.csv
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from _harness import Instance, euclidean, make_parser, run

from patrol.routing.problem import RoutingProblem, Vehicle, Visit, to_integer_matrix

DATA = Path(__file__).resolve().parent / "data" / "solomon"
QUICK = ["C101", "C201", "R101", "R201", "RC101", "RC201"]
SCALE = 1000


def read_solomon(path: Path) -> tuple[int, int, np.ndarray]:
    """Vehicle number, capacity, and rows (id, x, y, demand, ready, due, service)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fleet = cap = 0
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        if line.strip().startswith("NUMBER"):
            fleet, cap = (int(v) for v in lines[i + 1].split()[:2])
        parts = line.split()
        if len(parts) == 7 and all(p.replace(".", "", 1).isdigit() for p in parts):
            rows.append([float(p) for p in parts])
    if not rows or fleet == 0:
        raise ValueError(f"{path} is not a Solomon instance")
    return fleet, cap, np.array(rows)


def read_bks() -> dict[str, tuple[str, int, float]]:
    """Group, vehicles and distance of the hierarchical best-known solutions."""
    with (DATA / "bks.csv").open(encoding="utf-8") as fh:
        return {
            r["instance"]: (
                r["group"],
                int(r["sintef_hier_best_vehicles"]),
                float(r["sintef_hier_best_distance"]),
            )
            for r in csv.DictReader(fh)
        }


def load(name: str, *, fixed_cost: float = 2000.0, scale: int = SCALE) -> Instance:
    """Read one instance into a :class:`RoutingProblem` with fixed-cost vehicles."""
    fleet, cap, rows = read_solomon(DATA / f"{name}.txt")
    xy = rows[:, 1:3]
    dist = euclidean(xy)
    demand = rows[:, 3].astype(int)
    ready, due, service = rows[:, 4], rows[:, 5], rows[:, 6]
    duration = to_integer_matrix(dist, scale=scale)
    cost = np.rint(dist * scale).astype(np.int64)
    vehicle = Vehicle(
        0,
        0,
        int(ready[0] * scale),
        int(due[0] * scale),
        capacity=cap,
        fixed_cost=int(fixed_cost * scale),
    )
    visits = tuple(
        Visit(
            i,
            service_s=int(service[i] * scale),
            earliest_s=int(ready[i] * scale),
            latest_s=int(due[i] * scale),
            demand=int(demand[i]),
            name=str(int(rows[i, 0])),
        )
        for i in range(1, len(rows))
    )
    problem = RoutingProblem(duration, distance=cost, vehicles=(vehicle,) * fleet, visits=visits)
    group, bks_v, bks_d = read_bks()[name]
    return Instance(
        name,
        group,
        problem,
        dist,
        demand,
        cap,
        ready,
        due,
        service,
        bks_v,
        bks_d,
        round_distance=False,
    )


def main() -> None:
    """Parse the command line and run the benchmark."""
    parser = make_parser(__doc__.splitlines()[0], ",".join(QUICK))
    parser.add_argument(
        "--fixed-cost",
        type=float,
        default=2000.0,
        help="Vehicle fixed cost in distance units (vehicles first).",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=SCALE,
        help="Integer units per distance unit (times rounded up).",
    )
    args = parser.parse_args()
    bks = read_bks()
    if args.instances == "all":
        names = sorted(bks, key=lambda n: (bks[n][0], n))
    elif args.instances == "quick":
        names = QUICK
    else:
        names = [n.strip() for n in args.instances.split(",") if n.strip()]
    fixed, scale = args.fixed_cost, args.scale
    run(
        names,
        lambda n: load(n, fixed_cost=fixed, scale=scale),
        args,
        setting=f"fixed={fixed:g} scale={scale}",
    )


if __name__ == "__main__":
    main()
