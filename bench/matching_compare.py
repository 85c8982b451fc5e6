"""Map matching compared: mappymatch (LCSS) and leuvenmapmatching against the known truth.

Reads what ``python bench/actuals_bench.py --export DIR`` wrote (the synthetic station's
street network, a few team-shifts' GPS fixes and the truth of each fix) and matches the
same fixes with each library, printing seconds and accuracy (share of fixes matched to
the street they were on, share within 10 m of the true position); ``actuals_bench.py``
prints patrol's own matcher on the same fixes. Neither library is a dependency of patrol:
install them where you run this (``pip install mappymatch leuvenmapmatching``).

Run: ``python bench/matching_compare.py DIR [--only mappymatch|leuven]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def _score(edge_ids: np.ndarray, xy: np.ndarray, truth: pd.DataFrame) -> tuple[float, float]:
    edge = float(np.mean(edge_ids == truth["edge_id"].astype(str).to_numpy()))
    dist = np.hypot(xy[:, 0] - truth["x"].to_numpy(), xy[:, 1] - truth["y"].to_numpy())
    return edge, float(np.mean(np.nan_to_num(dist, nan=1e9) <= 10.0))


def _snap(edges: gpd.GeoDataFrame, edge_ids: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Each fix's nearest point on the street it was matched to (NaN when unmatched)."""
    lines = edges.set_index(edges["edge_id"].astype(str)).geometry
    xy = np.full((len(points), 2), np.nan)
    known = np.array([e in lines.index for e in edge_ids])
    if known.any():
        geoms = lines.reindex(edge_ids[known]).to_numpy()
        near = shapely.line_interpolate_point(
            geoms, shapely.line_locate_point(geoms, points[known])
        )
        xy[known] = shapely.get_coordinates(near)
    return xy


def run_mappymatch(edges: gpd.GeoDataFrame, fixes: gpd.GeoDataFrame) -> np.ndarray:
    """mappymatch's LCSS matcher on a networkx graph of our streets (in EPSG:3857)."""
    import networkx as nx
    from mappymatch.constructs.trace import Trace
    from mappymatch.maps.nx.nx_map import NxMap
    from mappymatch.matchers.lcss.lcss import LCSSMatcher
    from pyproj import CRS

    web = edges.to_crs(3857)
    graph = nx.MultiDiGraph()
    for row in web.itertuples(index=False):
        line = row.geometry
        for a, b, geom in ((row.u, row.v, line), (row.v, row.u, line.reverse())):
            graph.add_edge(
                int(a),
                int(b),
                key=0,
                geometry=geom,
                kilometers=row.length_m / 1000,
                travel_time=row.length_m / 1.2,
                metadata={"edge_id": str(row.edge_id)},
            )
    graph.graph["crs"] = CRS(3857)
    road_map = NxMap(graph)
    matcher = LCSSMatcher(road_map)
    found = np.empty(len(fixes), dtype=object)
    for _, rows in fixes.groupby("track_id", sort=True).indices.items():
        trace = Trace.from_geo_dataframe(fixes.iloc[rows], xy=True)
        result = matcher.match_trace(trace)
        found[rows] = [
            m.road.metadata["edge_id"] if m.road is not None else "" for m in result.matches
        ]
    return found


def run_leuven(edges: gpd.GeoDataFrame, fixes: gpd.GeoDataFrame) -> np.ndarray:
    """leuvenmapmatching's DistanceMatcher on an in-memory map of our streets (metres)."""
    from leuvenmapmatching.map.inmem import InMemMap
    from leuvenmapmatching.matcher.distance import DistanceMatcher

    road_map = InMemMap("streets", use_latlon=False, use_rtree=False, index_edges=True)
    pair: dict[tuple[int, int], str] = {}
    for row in edges.itertuples(index=False):
        a, b = shapely.get_coordinates(row.geometry)[[0, -1]]
        road_map.add_node(int(row.u), (float(a[1]), float(a[0])))
        road_map.add_node(int(row.v), (float(b[1]), float(b[0])))
        road_map.add_edge(int(row.u), int(row.v))
        road_map.add_edge(int(row.v), int(row.u))
        pair[(int(row.u), int(row.v))] = pair[(int(row.v), int(row.u))] = str(row.edge_id)
    found = np.empty(len(fixes), dtype=object)
    for _, rows in fixes.groupby("track_id", sort=True).indices.items():
        xy = shapely.get_coordinates(fixes.geometry.iloc[rows].to_numpy())
        matcher = DistanceMatcher(
            road_map,
            max_dist=60,
            obs_noise=12,
            obs_noise_ne=20,
            max_lattice_width=6,
            non_emitting_states=True,
        )
        matcher.match([(float(y), float(x)) for x, y in xy])
        edge_of = [""] * len(rows)  # observations after the matcher gave up stay unmatched
        for m in matcher.lattice_best:
            if m.is_emitting() and m.obs < len(rows):
                edge_of[m.obs] = pair.get((m.edge_m.l1, m.edge_m.l2), "")
        found[rows] = edge_of
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", choices=("mappymatch", "leuven"), default=None)
    args = parser.parse_args()
    edges = gpd.read_file(args.folder / "edges.gpkg")
    fixes = gpd.read_file(args.folder / "fixes.gpkg")
    truth = pd.read_csv(args.folder / "truth.csv")
    points = fixes.geometry.to_numpy()
    print(f"{fixes['track_id'].nunique()} tracks, {len(fixes)} fixes, {len(edges)} streets")
    for name, run in (("mappymatch", run_mappymatch), ("leuven", run_leuven)):
        if args.only not in (None, name):
            continue
        start = time.perf_counter()
        try:
            found = run(edges, fixes).astype(str)
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        seconds = time.perf_counter() - start
        edge, near = _score(found, _snap(edges, found, points), truth)
        print(f"{name}: {seconds:.1f} s, street {100 * edge:.1f}%, within 10 m {100 * near:.1f}%")


if __name__ == "__main__":
    main()
