"""Time and memory of planning a whole week, and how close the plan is to its upper bound.

Issue 3 targets: the bundled sample in under 30 s; a synthetic station (50 grids, 3,000
buildings, 200 focus households, 21 shifts) in under 120 s and under 2 GB peak.

    python bench/plan_bench.py sample
    python bench/plan_bench.py station [--people 100] [--engine pyvrp|ortools]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.scenario.synth import write_synthetic_scenario

REPO = Path(__file__).resolve().parents[1]


def run(folder: Path, params: PlanParams, label: str) -> None:
    t0 = time.perf_counter()
    scenario = read_scenario(folder)
    load_s = time.perf_counter() - t0
    plan = plan_week(scenario, params)
    total = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = plan.timings
    print(
        f"== {label}: {len(scenario.grids)} grids, {len(scenario.buildings)} buildings, "
        f"{len(scenario.focus_households)} focus households, {len(scenario.people)} "
        f"people, {len(plan.slots)} shifts; engine {plan.engine}"
    )
    print(
        f"tasks {len(plan.demand.tasks)}, teams {len(plan.team_plan.teams)}, routes "
        f"{len(plan.routes)}, unserved {len(plan.unserved)}"
    )
    print(
        f"weighted demand met {100 * plan.weighted_demand_met:.1f}% "
        f"(upper bound {100 * plan.upper_bound:.1f}%), walking "
        f"{sum(r.duration_s for r in plan.routes) / 3600:.1f} h"
    )
    print(
        f"time: load {load_s:.1f} s, network {t['network_s']:.1f} s, demand "
        f"{t['demand_s']:.1f} s, teams {t['teams_s']:.1f} s, assignment "
        f"{t['assignment_s']:.1f} s, routing {t['routing_s']:.1f} s; total {total:.1f} s; "
        f"peak RSS {peak_mb:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=("sample", "station"))
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--engine", default=None)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    params = PlanParams(seed=args.seed, engine=args.engine, time_limit_s=args.time_limit)
    if args.which == "sample":
        run(REPO / "data" / "zhenganli", params, "bundled sample")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_synthetic_scenario(
            Path(tmp) / "s",
            grids=50,
            buildings=3000,
            people=args.people,
            focus_households=200,
            seed=0,
        )
        run(folder, params, "synthetic station")


if __name__ == "__main__":
    main()
