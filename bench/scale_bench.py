"""A 400-grid synthetic district: plan, measure, draw and print it; stage times and peak memory.

Issue 20 targets: the whole run (read, plan, store, coverage, maps, sheets) under
10 minutes and 3 GB; with ``--wall-clock --time-limit S`` the run ends within 20% of S.

    python bench/scale_bench.py                      # deterministic default budget
    python bench/scale_bench.py --wall-clock --time-limit 600
    python bench/scale_bench.py --grids 100          # a smaller district

Peak memory is the largest resident set of this process (``ru_maxrss``), sampled also by
a thread every second so the stage that reached it is named.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from pathlib import Path

from patrol.budget import STAGE_SHARES, outputs_estimate_s
from patrol.outputs import run_week
from patrol.planner import PlanParams
from patrol.scenario.read import read_scenario
from patrol.scenario.synth import write_synthetic_scenario


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class _Watch:
    """Progress lines with the seconds since the start, and the stage at peak memory."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.stage = "start"
        self.peak = (0.0, "start")
        self.done = False
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self.done:
            rss = _rss_mb()
            if rss > self.peak[0]:
                self.peak = (rss, self.stage)
            time.sleep(1.0)

    def say(self, message: str) -> None:
        if not message.startswith(("Route maps drawn", "Maps drawn")):
            self.stage = message.rstrip(". ")
        print(f"  {time.perf_counter() - self.t0:7.1f} s  {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=400)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--wall-clock", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=None, help="Write OUT here instead of a temp folder.")
    parser.add_argument("--data", default=None, help="Plan this scenario folder (the sample).")
    args = parser.parse_args()
    grids = args.grids
    with tempfile.TemporaryDirectory() as tmp:
        folder = (
            Path(args.data)
            if args.data
            else write_synthetic_scenario(
                Path(tmp) / "district",
                grids=grids,
                buildings=60 * grids,
                focus_households=4 * grids,
                seed=0,
            )
        )
        out = Path(args.keep) if args.keep else Path(tmp) / "out"
        watch = _Watch()
        scenario = read_scenario(folder)
        read_s = time.perf_counter() - watch.t0
        watch.say(f"read in {read_s:.1f} s")
        limit = args.time_limit
        if args.wall_clock and limit is not None:
            limit = max(1.0, limit - read_s)
        params = PlanParams(seed=args.seed, time_limit_s=limit, wall_clock=args.wall_clock)
        week = run_week(scenario, out, params=params, progress=watch.say)
        total = time.perf_counter() - watch.t0
        watch.done = True
        _report(args, scenario, week, read_s, total, watch.peak)


def _report(
    args: argparse.Namespace,
    scenario: object,
    week: object,
    read_s: float,
    total: float,
    peak: tuple[float, str],
) -> None:
    plan = week.plan  # type: ignore[attr-defined]
    t = {**plan.timings, **week.timings}  # type: ignore[attr-defined]
    print(
        f"== {len(plan.scenario.grids)} grids, {len(plan.scenario.buildings)} buildings, "
        f"{len(plan.scenario.people)} people; tasks {len(plan.demand.tasks)}, teams "
        f"{len(plan.team_plan.teams)}, routes {len(plan.routes)}, unserved {len(plan.unserved)}"
    )
    print(
        f"weighted demand met {100 * plan.weighted_demand_met:.1f}% "
        f"(upper bound {100 * plan.upper_bound:.1f}%)"
    )
    stages = [
        ("read", read_s),
        *((k.removesuffix("_s"), t.get(k, 0.0)) for k in ("network_s", "demand_s", "teams_s")),
        *((k.removesuffix("_s"), t.get(k, 0.0)) for k in ("assignment_s", "routing_s", "week_s")),
        *((k.removesuffix("_s"), t.get(k, 0.0)) for k in ("store_s", "coverage_s")),
        *((k.removesuffix("_s"), t.get(k, 0.0)) for k in ("maps_s", "sheets_s")),
    ]
    counted = sum(s for _, s in stages)
    print("stage times: " + ", ".join(f"{name} {s:.1f} s" for name, s in stages))
    print(
        f"total {total:.1f} s ({total - counted:.1f} s between stages; CPU "
        f"{time.process_time():.1f} s, so the machine gave this run "
        f"{time.process_time() / total:.2f} of a core); peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
        f"(sampled {peak[0]:.0f} MB during: {peak[1]})"
    )
    if args.time_limit is not None:
        mode = "wall clock" if args.wall_clock else "deterministic work"
        never = sum(u.reason in ("unreachable", "no_slot") for u in plan.unserved)
        tasks = len(plan.demand.tasks) - never  # the servable tasks the planner sized it by
        kept = outputs_estimate_s(args.time_limit - read_s, tasks=tasks)
        outputs = sum(t.get(k, 0.0) for k in ("store_s", "coverage_s", "maps_s", "sheets_s"))
        solvers = sum(t.get(k, 0.0) for k in ("teams_s", "assignment_s", "routing_s", "week_s"))
        print(
            f"time limit {args.time_limit:.0f} s ({mode}): run took {total:.0f} s = "
            f"{100 * total / args.time_limit:.0f}% of it (bound: within 20%); outputs of "
            f"{tasks} tasks need {kept:.0f} s on a whole core (the run divides by its share), "
            f"took {outputs:.0f} s; solvers took {solvers:.0f} s"
        )
    print("shares: " + "; ".join(f"{k}: {v}" for k, v in STAGE_SHARES.items()))


if __name__ == "__main__":
    main()
