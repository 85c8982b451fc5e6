"""A re-plan from mid-week against a full plan: time, and how little changes (issue #16).

On the bundled sample and on a synthetic station (50 grids, 3,000 buildings, 200 focus
households, 100 people): plan the week, make the first officer sick Wednesday to Friday,
then time (a) the re-plan from Wednesday (:func:`patrol.revise.replan.replan_week`) and
(b) a full plan of the changed week, and print both with demand met and the kept figures.

    python bench/replan_bench.py sample
    python bench/replan_bench.py station [--time-limit S]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from patrol.planner import PlanParams, plan_week
from patrol.revise.changes import kept_figures, list_changes
from patrol.revise.replan import replan_week
from patrol.scenario.read import read_scenario
from patrol.scenario.roster import Absence, apply_absences
from patrol.scenario.synth import write_synthetic_scenario

REPO = Path(__file__).resolve().parents[1]


def run(folder: Path, params: PlanParams, label: str) -> None:
    scenario = read_scenario(folder)
    old = plan_week(scenario, params)
    days = scenario.settings.days
    wednesday = days[2]
    officer = next(p for p in scenario.people if p.role == "officer")
    away = [Absence(officer.person_id, wednesday, days[4], reason="sick")]
    names = tuple(s.name for s in scenario.shifts)
    sick = dataclasses.replace(scenario, people=apply_absences(scenario.people, away, days, names))
    t0 = time.perf_counter()
    result = replan_week(old, sick, wednesday, params=params)
    replan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = plan_week(sick, params)
    full_s = time.perf_counter() - t0
    new = result.plan
    f = kept_figures(old, new, first=result.first, without=[officer.person_id])
    changes = list_changes(old, new, first=result.first, team_why=result.team_why)
    print(
        f"== {label}: {len(scenario.grids)} grids, {len(scenario.people)} people, "
        f"{len(old.routes)} routes; officer {officer.person_id} sick {wednesday} to {days[4]}"
    )
    print(
        f"re-plan from {wednesday}: {replan_s:.1f} s (network {new.timings.get('network_s', 0):.1f}"
        f" s, demand {new.timings.get('demand_s', 0):.1f} s, routing "
        f"{new.timings.get('routing_s', 0):.1f} s); full plan {full_s:.1f} s "
        f"({replan_s / full_s:.2f} x)"
    )
    print(
        f"demand met: re-plan {100 * new.weighted_demand_met:.1f}%, full re-plan "
        f"{100 * full.weighted_demand_met:.1f}% "
        f"({100 * (new.weighted_demand_met - full.weighted_demand_met):+.1f} points); "
        f"{len(changes)} changes"
    )
    print(
        f"kept: Mon/Tue team-shifts unchanged {100 * f['before_unchanged']:.0f}% of "
        f"{f['before_team_shifts']:.0f}; later team-shifts without the officer with the same "
        f"members and >= 80% of tasks {100 * f['kept']:.1f}% of {f['later_team_shifts']:.0f}"
    )
    g = kept_figures(old, full, first=result.first, without=[officer.person_id])
    print(
        f"(a full re-plan keeps {100 * g['before_unchanged']:.0f}% of Mon/Tue and "
        f"{100 * g['kept']:.1f}% of the later team-shifts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=("sample", "station"))
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    params = PlanParams(seed=args.seed, time_limit_s=args.time_limit)
    if args.which == "sample":
        run(REPO / "data" / "zhenganli", params, "bundled sample")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_synthetic_scenario(
            Path(tmp) / "s", grids=50, buildings=3000, people=100, focus_households=200, seed=0
        )
        run(folder, params, "synthetic station")


if __name__ == "__main__":
    main()
