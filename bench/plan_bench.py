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

from patrol.plan import Plan
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.scenario.synth import write_synthetic_scenario
from patrol.summary import week_rule_figures

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
    print_rule_figures(plan)


def print_rule_figures(plan: Plan) -> None:
    """The figures of issue #13's rules: busiest day, own-worker shares, idle teams, plan
    against bound and the longest sweep gaps of red and orange grids."""
    f = week_rule_figures(plan)
    visits, sweeps = f["own_worker_visits"], f["own_worker_sweeps"]
    print(
        f"rule 1: busiest day {f['busiest_day_minutes']:.0f} task-min, mean "
        f"{f['mean_day_minutes']:.0f} over days with staff: {f['busiest_over_mean']:.2f} x"
    )
    print(
        f"rule 2: own grid worker makes {visits['own']}/{visits['served']} visits "
        f"({100 * visits['share']:.1f}%; {100 * visits['share_where_possible']:.1f}% where "
        f"possible), walks {sweeps['own']}/{sweeps['served']} sweeps ({100 * sweeps['share']:.1f}%)"
    )
    split = f["split_sweeps"]
    print(
        f"rule 3: {split['in_parts']} sweeps in parts, {split['walked_whole']} walked whole, "
        f"{split['consecutive']} on consecutive shifts, {split['partly_walked']} partly walked"
    )
    print(f"rule 4: idle teams {f['idle_teams']} ({f['idle_teams_dropped']} dropped)")
    print(
        f"rule 7: plan {100 * f['plan']:.1f}% vs bound {100 * f['bound']:.1f}% "
        f"({f['bound_gap_points']:.2f} points; made of {f['bound_gap']})"
    )
    worst = sorted(
        f["longest_gaps"].items(), key=lambda kv: kv[1]["limit_h"] - kv[1]["longest_gap_h"]
    )
    over = sum(g["longest_gap_h"] > g["limit_h"] for _, g in worst)
    shown = ", ".join(f"{k} {g['longest_gap_h']:.0f}/{g['limit_h']:.0f} h" for k, g in worst[:8])
    print(f"rule 8: {len(worst)} red/orange grids, {over} over their limit; tightest: {shown}")


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
