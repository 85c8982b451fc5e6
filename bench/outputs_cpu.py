"""CPU seconds of each output stage of a plan (store, coverage, maps, sheets), per task.

CPU time does not depend on how loaded the machine is, so these figures size the time
``--wall-clock`` keeps for the outputs (``patrol.budget.OUTPUTS_S_PER_TASK`` and
``OUTPUTS_MIN_S``; the run divides them by the share of a core it gets).

    python bench/outputs_cpu.py data/zhenganli      # plans the scenario first (10 s of work)
    python bench/outputs_cpu.py OUT                 # a saved plan (OUT/plan.gpkg)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from patrol.budget import OUTPUTS_MIN_S, OUTPUTS_S_PER_TASK
from patrol.coverage.of_plan import measure_plan_coverage
from patrol.outputs import Week, draw_week, read_week
from patrol.planner import PlanParams, plan_week
from patrol.scenario.read import read_scenario
from patrol.store.write import write_coverage, write_plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", help="A scenario folder, or an OUT folder with plan.gpkg.")
    args = parser.parse_args()
    src = Path(args.source)
    if (src / "plan.gpkg").exists():
        plan = read_week(src).plan
    else:
        plan = plan_week(read_scenario(src), PlanParams(seed=1, time_limit_s=10))
    never = sum(u.reason in ("unreachable", "no_slot") for u in plan.unserved)
    tasks = len(plan.demand.tasks) - never
    cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        c = time.process_time()
        write_plan(plan, out)
        cpu["store"] = time.process_time() - c
        c = time.process_time()
        coverage = measure_plan_coverage(plan)
        cpu["coverage"] = time.process_time() - c
        c = time.process_time()
        write_coverage(coverage, out)
        cpu["store"] += time.process_time() - c
        week = Week(plan, coverage)
        for stage, maps in (("maps", True), ("sheets", False)):
            c = time.process_time()
            draw_week(week, out, maps=maps, sheets=not maps)
            cpu[stage] = time.process_time() - c
    total = sum(cpu.values())
    model = OUTPUTS_MIN_S + OUTPUTS_S_PER_TASK * tasks
    print(
        f"{src.name}: {tasks} servable tasks, {len(plan.routes)} routes; outputs CPU "
        f"{total:.1f} s ({total / tasks:.3f} s a task; the budget's model says {model:.1f} s): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items())
    )


if __name__ == "__main__":
    main()
