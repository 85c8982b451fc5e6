"""Load + network build time and peak memory on a synthetic scenario (issue 2 target:
50 grids / 3,000 buildings / 20,000 road segments in under 10 s and under 1 GB).

    python bench/load_bench.py [--grids 50] [--buildings 3000] [--road-segments 20000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from patrol.network import scenario_network
from patrol.scenario.read import read_scenario
from patrol.scenario.synth import write_synthetic_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grids", type=int, default=50)
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--road-segments", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_synthetic_scenario(
            Path(tmp) / "s",
            grids=args.grids,
            buildings=args.buildings,
            road_segments=args.road_segments,
            seed=args.seed,
        )
        t0 = time.perf_counter()
        scenario = read_scenario(folder)
        t1 = time.perf_counter()
        net = scenario_network(scenario)
        snapped = net.snap(scenario.buildings.geometry)
        t2 = time.perf_counter()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"scenario: {len(scenario.grids)} grids, {len(scenario.buildings)} buildings, "
            f"{len(scenario.roads)} road segments, {len(scenario.people)} people"
        )
        print(
            f"network: {net.n_nodes} nodes, {len(net.edges)} edges; "
            f"{len(snapped.node)} buildings snapped"
        )
        print(f"load + validate: {t1 - t0:.2f} s")
        print(f"network build + snap: {t2 - t1:.2f} s")
        print(
            f"total: {t2 - t0:.2f} s (target < 10 s); peak RSS {peak_mb:.0f} MB (target < 1024 MB)"
        )


if __name__ == "__main__":
    main()
