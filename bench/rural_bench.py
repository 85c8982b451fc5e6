"""The rural station (issue 21): plan its week in under 30 s, and what the plan meets.

Writes ``patrol synth --rural`` (10 villages 2-40 km apart, a post 130 km by road from
the station), plans its week with the default budget, and prints the planning time, the
weighted demand met and its upper bound, the walked and driven kilometres, the fallback
teams, the trips to the stationed posts; with ``--outputs`` also the whole
``patrol plan`` (coverage, store, maps, sheets).

    python bench/rural_bench.py [--villages 10] [--seed 0] [--outputs]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from patrol.planner import plan_week
from patrol.render.sheets.legs import mode_totals, trip_rows
from patrol.scenario.read import read_scenario
from patrol.scenario.synth.rural import write_rural_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--outputs", action="store_true", help="also time the whole run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_rural_scenario(Path(tmp) / "rural", villages=args.villages, seed=args.seed)
        t0 = time.perf_counter()
        scenario = read_scenario(folder)
        plan = plan_week(scenario)
        plan_s = time.perf_counter() - t0
        walked = sum(mode_totals(r)[0] for r in plan.routes) / 1000
        driven = sum(mode_totals(r)[1] for r in plan.routes) / 1000
        kinds: dict[str, int] = {}
        for t in plan.team_plan.teams:
            kinds[t.kind] = kinds.get(t.kind, 0) + 1
        print(
            f"== rural station: {len(scenario.grids)} villages, {len(scenario.people)} people, "
            f"{len(plan.slots)} shifts, {len(plan.demand.tasks)} tasks"
        )
        print(
            f"plan {plan_s:.1f} s (target < 30 s); weighted demand met "
            f"{100 * plan.weighted_demand_met:.1f}% (upper bound {100 * plan.upper_bound:.1f}%)"
        )
        print(
            f"{len(plan.routes)} routes: walked {walked:.1f} km, driven {driven:.1f} km; "
            f"most walked in one route {max(r.walked_m for r in plan.routes) / 1000:.1f} km; "
            f"teams by kind {kinds}; {len(plan.unserved)} unserved"
        )
        for row in trip_rows(plan, "en"):
            print(f"trip (in no shift): {row.text} - {row.drive}")
        if args.outputs:
            from patrol.outputs import run_week

            t1 = time.perf_counter()
            run_week(scenario, Path(tmp) / "out")
            print(
                f"whole run (plan, coverage, store, maps, sheets): {time.perf_counter() - t1:.1f} s"
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
