"""Benchmark of patrol.coverage.measure on a synthetic district; prints times and peak memory.

The district is a square lattice of streets 100 m apart (two street segments per block),
four building footprints per block with households and residents, governance grids of
10 x 10 blocks, cameras on the streets (a third omnidirectional), patrol tracks that walk
20 street segments each (30 % at night) and 90 days of incidents. Everything is seeded,
so runs are comparable. Sizes scale together with the number of buildings; the full size
is 100,000 buildings, ~50,000 street segments, 2,000 cameras and 2,000 tracks.

Run: ``python bench/coverage_bench.py [--sizes 10000 30000 100000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.coverage.cameras import camera_views
from patrol.coverage.measure import measure_coverage

CRS = "EPSG:32650"
BLOCK_M = 100.0
WEEK_START = pd.Timestamp("2026-03-02")


def make_district(buildings: int, *, seed: int = 0) -> dict[str, object]:
    """A seeded synthetic district with ``buildings`` footprints (4 per block)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(buildings / 4)))  # blocks per side
    n = side + 1  # nodes per side
    ij = np.stack(np.meshgrid(np.arange(n), np.arange(n), indexing="ij"), -1).reshape(-1, 2)
    node_xy = ij * BLOCK_M
    east = ij[:, 0] < n - 1
    north = ij[:, 1] < n - 1
    ids = np.arange(n * n)
    u = np.concatenate((ids[east], ids[north]))
    v = np.concatenate((ids[east] + n, ids[north] + 1))
    street_geoms = shapely.linestrings(np.stack((node_xy[u], node_xy[v]), axis=1))
    streets = gpd.GeoDataFrame(
        {"edge_id": [f"e{k}" for k in range(len(u))]}, geometry=street_geoms, crs=CRS
    )

    # buildings: four boxes per block, jittered, 12-22 m wide
    blocks = np.stack(np.meshgrid(np.arange(side), np.arange(side), indexing="ij"), -1)
    blocks = blocks.reshape(-1, 2)
    quad = np.array([[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]])
    centre = ((blocks[:, None, :] + quad[None]) * BLOCK_M).reshape(-1, 2)[:buildings]
    centre = centre + rng.uniform(-6, 6, centre.shape)
    half = rng.uniform(6, 11, centre.shape)
    footprints = shapely.box(*(centre - half).T, *(centre + half).T)
    grid_side = 10
    gi = (centre // (BLOCK_M * grid_side)).astype(int)
    grid_of = [f"G{a:02d}-{b:02d}" for a, b in gi]
    residents = rng.integers(5, 120, len(centre))
    buildings_gdf = gpd.GeoDataFrame(
        {
            "building_id": [f"b{k}" for k in range(len(centre))],
            "grid_id": grid_of,
            "households": residents // 3,
            "residents": residents,
        },
        geometry=footprints,
        crs=CRS,
    )

    cells = int(np.ceil(side / grid_side))
    cij = np.stack(np.meshgrid(np.arange(cells), np.arange(cells), indexing="ij"), -1)
    cij = cij.reshape(-1, 2)
    size = BLOCK_M * grid_side
    grids = gpd.GeoDataFrame(
        {"grid_id": [f"G{a:02d}-{b:02d}" for a, b in cij]},
        geometry=shapely.box(
            cij[:, 0] * size, cij[:, 1] * size, (cij[:, 0] + 1) * size, (cij[:, 1] + 1) * size
        ),
        crs=CRS,
    )

    n_cams = max(1, buildings // 50)
    on = rng.integers(0, len(u), n_cams)
    frac = rng.uniform(0.1, 0.9, n_cams)
    cam_xy = node_xy[u[on]] + (node_xy[v[on]] - node_xy[u[on]]) * frac[:, None]
    omni = rng.random(n_cams) < 1 / 3
    cameras = gpd.GeoDataFrame(
        {
            "camera_id": [f"c{k}" for k in range(n_cams)],
            "range_m": rng.uniform(25, 60, n_cams),
            "direction_deg": np.where(omni, np.nan, rng.uniform(0, 360, n_cams)),
            "fov_deg": np.where(omni, np.nan, rng.choice([60.0, 90.0, 120.0], n_cams)),
        },
        geometry=shapely.points(cam_xy),
        crs=CRS,
    )

    # tracks: random walks of 20 street segments on the lattice
    n_tracks = max(1, buildings // 50)
    steps = 20
    pos = rng.integers(0, n, (n_tracks, 2))
    path = [pos.copy()]
    moves = np.array([[1, 0], [-1, 0], [0, 1], [0, -1]])
    for _ in range(steps):
        pos = np.clip(pos + moves[rng.integers(0, 4, n_tracks)], 0, n - 1)
        path.append(pos.copy())
    coords = np.stack(path, axis=1) * BLOCK_M
    day = rng.integers(0, 7, n_tracks)
    night = rng.random(n_tracks) < 0.3
    hour = np.where(night, rng.uniform(19, 22, n_tracks), rng.uniform(8, 17, n_tracks))
    start = WEEK_START + pd.to_timedelta(day * 24 + hour, unit="h")
    tracks = gpd.GeoDataFrame(
        {
            "team_id": [f"t{k % 200}" for k in range(n_tracks)],
            "date": start.strftime("%Y-%m-%d"),
            "shift": np.where(night, "night", "day"),
            "start": start,
            "end": start + pd.Timedelta(minutes=40),
            "night": night,
        },
        geometry=shapely.linestrings(coords),
        crs=CRS,
    )

    n_inc = max(10, buildings // 10)
    extent = side * BLOCK_M
    incidents = gpd.GeoDataFrame(
        {
            "time": WEEK_START - pd.to_timedelta(rng.uniform(0, 120, n_inc), unit="D"),
            "category": "theft",
        },
        geometry=shapely.points(rng.uniform(0, extent, (n_inc, 2))),
        crs=CRS,
    )
    return {
        "grids": grids,
        "streets": streets,
        "buildings": buildings_gdf,
        "tracks": tracks,
        "cameras": cameras,
        "incidents": incidents,
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"{'buildings':>9} {'streets':>7} {'cameras':>7} {'tracks':>6} "
        f"{'views_s':>7} {'total_s':>7} {'cpu_s':>6} {'blind':>6} {'invalid':>7} "
        f"{'walked%':>7} {'peak_MB':>7}"
    )
    for size in sorted(args.sizes):
        data = make_district(size, seed=args.seed)
        t0 = time.perf_counter()
        camera_views(data["cameras"], buildings=data["buildings"])
        views_s = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        cov = measure_coverage(**data, week_start=WEEK_START)  # type: ignore[arg-type]
        total_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        invalid = int((~shapely.is_valid(cov.blind_spots.geometry.to_numpy())).sum())
        s = cov.summary
        print(
            f"{size:>9} {int(s['streets']):>7} {int(s['cameras']):>7} "
            f"{len(data['tracks']):>6} {views_s:>7.2f} {total_s:>7.2f} {cpu_s:>6.2f} "  # type: ignore[arg-type]
            f"{int(s['blind_spots']):>6} {invalid:>7} {100 * s['street_walked_share']:>7.1f} "
            f"{peak_rss_mb():>7.0f}",
            flush=True,
        )
    print("summary at the largest size:")
    for key, value in cov.summary.items():
        print(f"  {key}: {value:.4g}")


if __name__ == "__main__":
    main()
