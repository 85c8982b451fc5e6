"""How often one short attempt removes a vehicle: the measurement behind the restarts of
``_minimise_fleet`` (docs/routing.md, issue 8).

For each instance: fleet minimisation for ``--prepare`` seconds gives a plan with k
routes; then ``--attempts`` tries, each with k - 1 vehicles, attempt a dropping the
(a mod k)-th smallest route and using seed a, stopping at the first feasible plan or
after ``--cap`` seconds. Prints the successes and when they came.

    python bench/routing/fleet_attempts.py --instances R104,R112,R211,RC105,RC106
"""

from __future__ import annotations

import argparse
import time
import warnings

from solomon import load

from patrol.routing.solvers.pyvrp_engine import (
    _Budget,
    _fewer_vehicles,
    _minimise_fleet,
    build_data,
)


def main() -> None:
    """Parse the command line, run the attempts, print one line per instance."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="R104,R112,R211,RC105,RC106")
    parser.add_argument("--prepare", type=float, default=10.0, help="Seconds to get k routes.")
    parser.add_argument("--attempts", type=int, default=16)
    parser.add_argument("--cap", type=float, default=1.5, help="Seconds per attempt.")
    args = parser.parse_args()

    from pyvrp import solve
    from pyvrp.exceptions import PenaltyBoundWarning
    from pyvrp.stop import FirstFeasible, MaxRuntime, MultipleCriteria

    warnings.simplefilter("ignore", PenaltyBoundWarning)
    total = 0
    for name in args.instances.split(","):
        inst = load(name.strip())
        data, _ = build_data(inst.problem)
        plan, types = _minimise_fleet(data, _Budget(args.prepare, None), 0, 0.7)
        # the plan's own vehicle types, in the order its routes refer to them
        data = data.replace(vehicle_types=[data.vehicle_type(t) for t in types])
        hits = []
        for attempt in range(args.attempts):
            smaller, _, start = _fewer_vehicles(data, types, plan, attempt)
            stop = MultipleCriteria([FirstFeasible(), MaxRuntime(args.cap)])
            t0 = time.perf_counter()
            res = solve(
                smaller, stop=stop, seed=attempt, collect_stats=False, initial_solution=start
            )
            if res.best.is_feasible():
                hits.append(f"#{attempt} {time.perf_counter() - t0:.1f}s")
        total += len(hits)
        print(
            f"{name}: {plan.num_routes()} -> {plan.num_routes() - 1} vehicles "
            f"(best-known {inst.bks_vehicles}): {len(hits)} of {args.attempts} "
            f"attempts succeeded {' '.join(hits)}",
            flush=True,
        )
    print(f"total: {total} successes")


if __name__ == "__main__":
    main()
