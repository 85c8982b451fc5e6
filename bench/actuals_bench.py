"""Benchmark of patrol.actuals: match and score a week of GPS tracks for the synthetic station.

The station is ``patrol synth``'s (50 grids by default: about 190 team-shifts a week),
planned once and cached in ``--work``. A week of synthetic tracks (one fix every 5 s,
a few metres of noise, one team-shift of each known deviation) is screened, map-matched
to the plan's streets and scored against the plan; the times of each stage are printed
with the matching accuracy against the known truth: the share of fixes matched to the
street they were on, and the share placed within 10 m of their true position. The target
is under 60 s for matching and scoring.

``--export DIR`` also writes the network, the fixes and the truth of ``--tracks`` team-
shifts for ``bench/matching_compare.py`` (mappymatch, leuvenmapmatching) and prints this
matcher's figures on the same tracks.

Run: ``python bench/actuals_bench.py [--grids 50] [--seed 0] [--work /tmp/actuals_bench]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from patrol.actuals.checkins import CHECKIN_FIELDS
from patrol.actuals.compliance import measure_compliance
from patrol.actuals.matching import match_fixes
from patrol.actuals.screen import screen_fixes
from patrol.actuals.synth import synth_actuals


def planned_station(work: Path, *, grids: int, seed: int) -> Path:
    """The synthetic station planned into ``work/out`` (planned once, then reused)."""
    from patrol.outputs import run_week
    from patrol.planner import PlanParams
    from patrol.scenario.read import read_scenario
    from patrol.scenario.synth import write_synthetic_scenario

    out = work / f"out_{grids}_{seed}"
    if (out / "plan.gpkg").exists():
        return out
    folder = write_synthetic_scenario(work / f"scenario_{grids}_{seed}", grids=grids, seed=seed,
                                      overwrite=True)  # fmt: skip
    print(f"planning the synthetic station ({grids} grids) once into {out} ...", flush=True)
    run_week(read_scenario(folder), out, params=PlanParams(seed=seed), maps=False, sheets=False)
    return out


def accuracy(matched: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float]:
    """(share of fixes on their true street, share within 10 m of the true position)."""
    edge = float(np.mean(matched["edge_id"].to_numpy() == truth["edge_id"].to_numpy()))
    dist = np.hypot(matched["x"].to_numpy() - truth["x"].to_numpy(),
                    matched["y"].to_numpy() - truth["y"].to_numpy())  # fmt: skip
    return edge, float(np.mean(np.nan_to_num(dist, nan=1e9) <= 10.0))


def export(plan, week, folder: Path, *, tracks: int) -> None:
    """The network, ``tracks`` team-shifts' fixes and their truth, for the comparison."""
    folder.mkdir(parents=True, exist_ok=True)
    edges = plan.network.edges[["edge_id", "u", "v", "length_m", "geometry"]]
    edges.to_file(folder / "edges.gpkg", driver="GPKG")
    teams = sorted(week.fixes["track_id"].unique())[
        :: max(1, week.fixes["track_id"].nunique() // tracks)
    ][:tracks]
    keep = week.fixes["track_id"].isin(teams).to_numpy()
    fixes = week.fixes.loc[keep, ["track_id", "time", "geometry"]]
    fixes.to_file(folder / "fixes.gpkg", driver="GPKG")
    week.truth.loc[keep].to_csv(folder / "truth.csv", index=False)
    sub = week.fixes.loc[keep].reset_index(drop=True)
    start = time.perf_counter()
    matched = match_fixes(plan.network, sub)
    seconds = time.perf_counter() - start
    edge, near = accuracy(matched.fixes, week.truth.loc[keep].reset_index(drop=True))
    print(f"patrol HMM on the {tracks} exported tracks ({len(sub)} fixes): {seconds:.1f} s, "
          f"street {100 * edge:.1f}%, within 10 m {100 * near:.1f}%")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/actuals_bench"))
    parser.add_argument("--export", type=Path, default=None)
    parser.add_argument("--tracks", type=int, default=10)
    args = parser.parse_args()
    from patrol.store.read import read_coverage, read_plan

    out = planned_station(args.work, grids=args.grids, seed=args.seed)
    plan, planned = read_plan(out), read_coverage(out)
    start = time.perf_counter()
    week = synth_actuals(plan, seed=args.seed)
    synth_s = time.perf_counter() - start
    raw = week.fixes.drop(columns=["track_id", "team_id"])
    clock = time.perf_counter()
    fixes, problems = screen_fixes(plan, raw)
    screen_s = time.perf_counter() - clock
    clock = time.perf_counter()
    matched = match_fixes(plan.network, fixes)
    match_s = time.perf_counter() - clock
    clock = time.perf_counter()
    result = measure_compliance(plan, checkins=pd.DataFrame(columns=list(CHECKIN_FIELDS)),
                                fixes=fixes, matched=matched, planned=planned)  # fmt: skip
    score_s = time.perf_counter() - clock
    truth = week.truth.set_axis(week.fixes.set_index(["team_id", "time"]).index)
    truth = truth.reindex(pd.MultiIndex.from_arrays([fixes["team_id"], fixes["time"]]))
    edge, near = accuracy(matched.fixes.reset_index(drop=True), truth.reset_index(drop=True))
    print(f"team-shifts {len(plan.routes)}, fixes {len(fixes)} (one per 5 s), "
          f"streets {len(plan.network.edges)}; synth {synth_s:.1f} s")  # fmt: skip
    print(f"screen {screen_s:.1f} s, match {match_s:.1f} s, score {score_s:.1f} s; "
          f"match + score {screen_s + match_s + score_s:.1f} s (target < 60 s)")  # fmt: skip
    print(f"matching accuracy: street {100 * edge:.1f}% of fixes, within 10 m of the truth "
          f"{100 * near:.1f}%")  # fmt: skip
    s = result.summary
    warned = len(problems + matched.problems)
    print(f"compliance: stops done {100 * s['stops_done_share']:.1f}%, missed "
          f"{s['stops_missed']:.0f}, short hot-spot dwells {s['hotspot_short']:.0f}, "
          f"off-plan {s['offplan_m']:.0f} m, warnings {warned}")  # fmt: skip
    found = {d.kind: d.team_id for d in week.deviations}
    shifts = result.shifts.set_index("team_id")
    for kind, team in found.items():
        row = shifts.loc[team]
        print(f"  {kind:12s} {team}: missed {row['stops_missed']:.0f}, short dwell "
              f"{row['hotspot_short']:.0f}, sweep {100 * row['sweep_share']:.0f}%, off-plan "
              f"{row['offplan_m']:.0f} m, deviation {row['deviation']:.2f}")  # fmt: skip
    if args.export is not None:
        export(plan, week, args.export, tracks=args.tracks)


if __name__ == "__main__":
    main()
