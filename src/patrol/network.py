"""The walkable street network: graph, snapping, shortest paths and travel-time matrices.

:func:`build_network` nodes the ``roads`` lines at their intersections, joins endpoints
closer than a tolerance, and keeps every piece between two intersections as one edge (a
``networkx.MultiGraph``, so two streets joining the same corners both stay). Lengths are
metres in the scenario's working CRS; times come from the travel speed.

Without a roads layer the network falls back to straight lines times a detour factor
(:func:`straight_line_network`): each snapped place becomes its own node, and the route
geometry is a straight segment. The scenario loader warns when that happens.

Shortest paths use scipy's compiled Dijkstra over a sparse matrix, one run per source
node, so a matrix over the task places of a beat costs O(k · E log V), never O(V²).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    from pyproj import CRS
    from scipy.sparse import csr_matrix

    from patrol.scenario.model import Scenario

log = logging.getLogger("patrol")


@dataclass(frozen=True)
class Snapped:
    """Where places join the network: a node each and the walk from the place to it."""

    node: NDArray[np.int64]
    access_m: NDArray[np.float64]
    offset_m: NDArray[np.float64]  # straight distance from the place to the nearest street


@dataclass
class Network:
    """A street network in a metric CRS.

    Attributes
    ----------
    crs : the working CRS (metres).
    node_xy : (n, 2) node coordinates.
    edges : GeoDataFrame of edges: ``edge_id``, ``u``, ``v``, ``length_m``, ``highway``,
        ``name``, geometry oriented from ``u`` to ``v``.
    speed_mps : travel speed.
    detour_factor : used only by the straight-line fallback.
    """

    crs: CRS
    node_xy: NDArray[np.float64]
    edges: gpd.GeoDataFrame
    speed_mps: float
    detour_factor: float = 1.3
    has_streets: bool = True
    _csr: csr_matrix | None = field(default=None, repr=False)
    _pred_cache: dict[int, NDArray[np.int32]] = field(default_factory=dict, repr=False)
    _dist_cache: dict[int, NDArray[np.float64]] = field(default_factory=dict, repr=False)

    @property
    def n_nodes(self) -> int:
        return int(self.node_xy.shape[0])

    # --- graph views ---------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiGraph:
        """The network as a networkx MultiGraph (edge keys are edge ids)."""
        import networkx as nx

        graph = nx.MultiGraph(crs=self.crs)
        for i, (x, y) in enumerate(self.node_xy):
            graph.add_node(i, x=float(x), y=float(y))
        for row in self.edges.itertuples(index=False):
            graph.add_edge(
                int(row.u),
                int(row.v),
                key=row.edge_id,
                length_m=row.length_m,
                geometry=row.geometry,
            )
        return graph

    def _matrix(self) -> csr_matrix:
        if self._csr is None:
            from scipy.sparse import coo_matrix

            u = self.edges["u"].to_numpy(dtype=np.int64)
            v = self.edges["v"].to_numpy(dtype=np.int64)
            w = self.edges["length_m"].to_numpy(dtype=float)
            # keep the shortest of parallel edges; zero-length edges get a tiny weight so
            # scipy does not treat them as missing
            w = np.maximum(w, 1e-6)
            order = np.lexsort((w, np.minimum(u, v), np.maximum(u, v)))
            a, b, ww = np.minimum(u, v)[order], np.maximum(u, v)[order], w[order]
            first = np.ones(len(a), dtype=bool)
            first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
            a, b, ww = a[first], b[first], ww[first]
            n = self.n_nodes
            self._csr = coo_matrix(
                (np.concatenate([ww, ww]), (np.concatenate([a, b]), np.concatenate([b, a]))),
                shape=(n, n),
            ).tocsr()
        return self._csr

    def component_labels(self) -> NDArray[np.int32]:
        """Connected-component label per node."""
        from scipy.sparse.csgraph import connected_components

        if not self.has_streets:
            return np.zeros(self.n_nodes, dtype=np.int32)
        _, labels = connected_components(self._matrix(), directed=False)
        return np.asarray(labels, dtype=np.int32)

    # --- snapping ----------------------------------------------------------------------

    def snap(self, geoms: gpd.GeoSeries | NDArray[np.object_]) -> Snapped:
        """Join places (any geometry; their representative points) to the network.

        Each place goes to the nearest street segment, then to the nearer end of it; the
        access walk is the straight offset to the street plus the way along it.
        """
        pts = shapely.point_on_surface(np.asarray(getattr(geoms, "values", geoms)))
        if not self.has_streets:
            start = self.n_nodes
            xy = shapely.get_coordinates(pts)
            self.node_xy = np.vstack([self.node_xy, xy]) if self.n_nodes else xy
            n = len(xy)
            return Snapped(np.arange(start, start + n, dtype=np.int64), np.zeros(n), np.zeros(n))
        lines = self.edges.geometry.values
        tree = shapely.STRtree(lines)
        idx_pts, idx_edge = tree.query_nearest(pts, return_distance=False, all_matches=False)
        order = np.argsort(idx_pts, kind="stable")
        edge_of = np.empty(len(pts), dtype=np.int64)
        edge_of[idx_pts[order]] = idx_edge[order]
        chosen = lines[edge_of]
        along = shapely.line_locate_point(chosen, pts)
        length = self.edges["length_m"].to_numpy()[edge_of]
        offset = shapely.distance(chosen, pts)
        u = self.edges["u"].to_numpy()[edge_of]
        v = self.edges["v"].to_numpy()[edge_of]
        to_u = along <= length - along
        node = np.where(to_u, u, v).astype(np.int64)
        walk = np.where(to_u, along, length - along)
        return Snapped(node, offset + walk, offset)

    # --- shortest paths ----------------------------------------------------------------

    def _run_dijkstra(self, sources: NDArray[np.int64]) -> None:
        todo = sorted({int(s) for s in sources} - set(self._dist_cache))
        if not todo:
            return
        from scipy.sparse.csgraph import dijkstra

        dist, pred = dijkstra(
            self._matrix(), directed=False, indices=todo, return_predecessors=True
        )
        for k, s in enumerate(todo):
            self._dist_cache[s] = dist[k]
            self._pred_cache[s] = pred[k]

    def distance_matrix(
        self,
        sources: NDArray[np.int64] | list[int],
        targets: NDArray[np.int64] | list[int] | None = None,
    ) -> NDArray[np.float64]:
        """Shortest walking distance in metres between nodes (``inf`` = unreachable)."""
        src = np.asarray(sources, dtype=np.int64)
        tgt = src if targets is None else np.asarray(targets, dtype=np.int64)
        if not self.has_streets:
            a, b = self.node_xy[src], self.node_xy[tgt]
            d = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
            return d * self.detour_factor
        self._run_dijkstra(src)
        return (
            np.vstack([self._dist_cache[int(s)][tgt] for s in src])
            if len(src)
            else np.zeros((0, len(tgt)))
        )

    def travel_time_matrix(
        self,
        sources: NDArray[np.int64] | list[int],
        targets: NDArray[np.int64] | list[int] | None = None,
    ) -> NDArray[np.float64]:
        """Walking (or riding) time in seconds; ``inf`` where unreachable."""
        return self.distance_matrix(sources, targets) / self.speed_mps

    def path_nodes(self, source: int, target: int) -> list[int]:
        """Nodes of a shortest path from ``source`` to ``target`` ([] when unreachable)."""
        if source == target:
            return [int(source)]
        if not self.has_streets:
            return [int(source), int(target)]
        self._run_dijkstra(np.array([source]))
        pred = self._pred_cache[int(source)]
        if pred[target] < 0:
            return []
        nodes = [int(target)]
        while nodes[-1] != source:
            nodes.append(int(pred[nodes[-1]]))
        return nodes[::-1]

    def path_geometry(self, source: int, target: int) -> shapely.LineString:
        """The street geometry walked along a shortest path, oriented source → target."""
        nodes = self.path_nodes(source, target)
        if len(nodes) < 2:
            xy = self.node_xy[source]
            return shapely.LineString([xy, xy])
        if not self.has_streets:
            return shapely.LineString(self.node_xy[nodes])
        return self.walk_geometry(nodes)

    def walk_geometry(self, nodes: list[int]) -> shapely.LineString:
        """Geometry of a walk given as consecutive nodes (shortest edge between each pair)."""
        lookup = self._edge_lookup()
        coords: list[NDArray[np.float64]] = []
        for a, b in itertools.pairwise(nodes):
            geom, forward = lookup.get((a, b), (None, True))
            if geom is None:
                part = self.node_xy[[a, b]]
            else:
                part = shapely.get_coordinates(geom)
                if not forward:
                    part = part[::-1]
            coords.append(part if not coords else part[1:])
        if not coords:
            return shapely.LineString([self.node_xy[nodes[0]]] * 2)
        return shapely.LineString(np.vstack(coords))

    def _edge_lookup(self) -> dict[tuple[int, int], tuple[shapely.Geometry, bool]]:
        cache: dict[tuple[int, int], tuple[shapely.Geometry, bool]] | None = self.__dict__.get(
            "_lookup"
        )
        if cache is None:
            cache = {}
            order = np.argsort(-self.edges["length_m"].to_numpy())  # shortest wins
            us = self.edges["u"].to_numpy()
            vs = self.edges["v"].to_numpy()
            geoms = self.edges.geometry.values
            for i in order:
                u, v = int(us[i]), int(vs[i])
                cache[(u, v)] = (geoms[i], True)
                cache[(v, u)] = (geoms[i], False)
            self.__dict__["_lookup"] = cache
        return cache


def build_network(
    roads: gpd.GeoDataFrame, *, speed_mps: float = 1.25, snap_tolerance_m: float = 1.0
) -> Network:
    """Build the street network from road lines in a projected CRS.

    Lines are noded where they cross (shapely ``union_all``), endpoints within
    ``snap_tolerance_m`` are merged, and each piece between intersections becomes an edge
    that keeps the ``highway`` and ``name`` of the road it came from.
    """
    import geopandas as gpd

    if roads.crs is None or not roads.crs.is_projected:
        raise ValueError(
            "roads must be in a projected CRS (metres); use "
            "patrol.scenario.read.read_scenario, which reprojects to the local UTM zone."
        )
    lines = shapely.line_merge(roads.geometry.values)
    noded = shapely.union_all(lines, grid_size=0.01)
    pieces = [g for g in shapely.get_parts(noded) if g.geom_type == "LineString"]
    pieces = (
        [
            g
            for g in shapely.get_parts(shapely.line_merge(shapely.multilinestrings(pieces)))
            if not g.is_empty
        ]
        if pieces
        else []
    )
    # line_merge joins pieces only through points where exactly two pieces meet (bends and
    # the joints of one street drawn in several ways); every intersection stays a node
    pieces_arr = np.asarray(pieces, dtype=object)
    if len(pieces_arr) == 0:
        raise ValueError("the roads layer has no usable lines.")
    # attributes from the source road nearest to each piece's midpoint
    mids = shapely.line_interpolate_point(pieces_arr, 0.5, normalized=True)
    tree = shapely.STRtree(roads.geometry.values)
    pi, ri = tree.query_nearest(mids, all_matches=False)
    src = np.empty(len(pieces_arr), dtype=np.int64)
    src[pi] = ri
    starts = shapely.get_coordinates(shapely.get_point(pieces_arr, 0))
    ends = shapely.get_coordinates(shapely.get_point(pieces_arr, -1))
    node_xy, ids = _cluster_points(np.vstack([starts, ends]), snap_tolerance_m)
    u, v = ids[: len(pieces_arr)], ids[len(pieces_arr) :]
    lengths = shapely.length(pieces_arr)
    keep = ~((u == v) & (lengths < snap_tolerance_m * 2))
    edges = gpd.GeoDataFrame(
        {
            "edge_id": [f"e{i}" for i in range(int(keep.sum()))],
            "u": u[keep],
            "v": v[keep],
            "length_m": lengths[keep],
            "highway": roads["highway"].to_numpy()[src][keep] if "highway" in roads else None,
            "name": roads["name"].to_numpy()[src][keep] if "name" in roads else None,
        },
        geometry=pieces_arr[keep],
        crs=roads.crs,
    )
    net = Network(crs=roads.crs, node_xy=node_xy, edges=edges, speed_mps=speed_mps)
    labels = net.component_labels()
    sizes = np.bincount(labels)
    log.info(
        "street network: %d nodes, %d edges, %d components (largest %d nodes)",
        net.n_nodes,
        len(edges),
        len(sizes),
        int(sizes.max()) if len(sizes) else 0,
    )
    return net


def straight_line_network(crs: CRS, *, speed_mps: float, detour_factor: float) -> Network:
    """The fallback without streets: distances are straight lines times ``detour_factor``."""
    import geopandas as gpd

    edges = gpd.GeoDataFrame(
        {"edge_id": [], "u": [], "v": [], "length_m": [], "highway": [], "name": []},
        geometry=[],
        crs=crs,
    )
    return Network(
        crs=crs,
        node_xy=np.zeros((0, 2)),
        edges=edges,
        speed_mps=speed_mps,
        detour_factor=detour_factor,
        has_streets=False,
    )


def _cluster_points(
    xy: NDArray[np.float64], tolerance_m: float
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Merge points closer than ``tolerance_m`` (union-find over KD-tree pairs)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    tree = cKDTree(xy)
    pairs = tree.query_pairs(r=max(tolerance_m, 1e-6), output_type="ndarray")
    n = len(xy)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    # stable node order: by first occurrence
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    ids = rank[inverse]
    counts = np.bincount(ids)
    node_xy = np.column_stack(
        [np.bincount(ids, xy[:, 0]) / counts, np.bincount(ids, xy[:, 1]) / counts]
    )
    return node_xy, ids.astype(np.int64)


def network_for(
    scenario_roads: gpd.GeoDataFrame | None,
    crs: CRS,
    *,
    speed_mps: float,
    detour_factor: float,
    snap_tolerance_m: float,
) -> Network:
    """The scenario's network: streets when there are roads, else the straight-line fallback."""
    if scenario_roads is None or len(scenario_roads) == 0:
        log.warning("no roads: travel is straight-line distance x %.2f", detour_factor)
        return straight_line_network(crs, speed_mps=speed_mps, detour_factor=detour_factor)
    net = build_network(scenario_roads, speed_mps=speed_mps, snap_tolerance_m=snap_tolerance_m)
    net.detour_factor = detour_factor
    return net


def scenario_network(scenario: Scenario) -> Network:
    """The network of a loaded scenario, with the travel settings of its ``patrol.toml``."""
    travel = scenario.settings.travel
    return network_for(
        scenario.roads,
        scenario.crs,
        speed_mps=travel.speed_mps,
        detour_factor=travel.detour_factor,
        snap_tolerance_m=travel.snap_tolerance_m,
    )
