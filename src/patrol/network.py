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

from patrol.labels import Phrase

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    from pyproj import CRS
    from scipy.sparse import csr_matrix

    from patrol.scenario.model import Scenario

log = logging.getLogger("patrol")

ENTRANCE = "entrance"
"""``highway`` of the spur from a street to a building's door: walked, never swept, never
snapped to."""
UNSWEPT_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", ENTRANCE})
"""Roads nobody sweeps on foot; every ``*_link`` (interchange ramps, slip roads) too."""
_CLASS_RANK = ("living_street", "residential", "unclassified", "service", "tertiary")
"""Road classes in the order a sweep prefers them among parallel carriageways (side roads
with pavements first); the rest come after."""


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
        streets = np.flatnonzero(self.edges["highway"].to_numpy() != ENTRANCE)
        tree = shapely.STRtree(lines[streets])
        idx_pts, idx_edge = tree.query_nearest(pts, return_distance=False, all_matches=False)
        order = np.argsort(idx_pts, kind="stable")
        edge_of = np.empty(len(pts), dtype=np.int64)
        edge_of[idx_pts[order]] = streets[idx_edge[order]]
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

    def snap_doors(self, geoms: gpd.GeoSeries | NDArray[np.object_]) -> Snapped:
        """Join buildings to the network at their doors: the entrance node that
        :func:`add_entrances` made on the outline (no access walk left: it is on the
        network), else the street as :meth:`snap` does."""
        values = np.asarray(getattr(geoms, "values", geoms))
        snapped = self.snap(values)
        doors = self.edges.loc[self.edges["highway"].to_numpy() == ENTRANCE, "v"].to_numpy()
        if not len(doors) or not len(values):
            return snapped
        door_pts = shapely.points(self.node_xy[doors.astype(np.int64)])
        tree = shapely.STRtree(door_pts)
        idx_geom, idx_door = tree.query_nearest(values, max_distance=0.5, all_matches=False)
        node, access, offset = snapped.node.copy(), snapped.access_m.copy(), snapped.offset_m
        node[idx_geom] = doors[idx_door]
        access[idx_geom] = 0.0
        return Snapped(node, access, offset)

    def reset_paths(self) -> None:
        """Forget the cached matrices and paths (after the graph changed)."""
        self._csr = None
        self._pred_cache.clear()
        self._dist_cache.clear()
        self.__dict__.pop("_lookup", None)

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

    def step_lengths(self, nodes: list[int]) -> list[float]:
        """Metres of each step of a walk given as consecutive nodes (the shortest edge
        between each pair; the shortest path where two nodes are not neighbours)."""
        lookup = self._edge_lookup()
        out = []
        for a, b in itertools.pairwise(nodes):
            geom, _ = lookup.get((a, b), (None, True))
            if a == b:
                out.append(0.0)
            elif geom is not None:
                out.append(float(geom.length))
            else:
                out.append(float(self.distance_matrix([a], [b])[0, 0]))
        return out

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
        log.warning(Phrase("log.no_roads", factor=f"{detour_factor:.2f}"))
        return straight_line_network(crs, speed_mps=speed_mps, detour_factor=detour_factor)
    net = build_network(scenario_roads, speed_mps=speed_mps, snap_tolerance_m=snap_tolerance_m)
    net.detour_factor = detour_factor
    return net


def scenario_network(scenario: Scenario) -> Network:
    """The network of a loaded scenario, with the travel settings of its ``patrol.toml``
    and a door (:func:`add_entrances`) on every building a focus household lives in."""
    travel = scenario.settings.travel
    net = network_for(
        scenario.roads,
        scenario.crs,
        speed_mps=travel.speed_mps,
        detour_factor=travel.detour_factor,
        snap_tolerance_m=travel.snap_tolerance_m,
    )
    focus, buildings = scenario.focus_households, scenario.buildings
    if len(focus) and len(buildings):
        homes = buildings.loc[buildings["building_id"].isin(set(focus["building_id"]))]
        add_entrances(net, homes.geometry.values, tolerance_m=travel.snap_tolerance_m)
    return net


def is_unswept(highway: object) -> bool:
    """Whether a road of class ``highway`` is left out of sweeps on foot: motorways,
    trunk roads, every ``*_link`` ramp of an interchange, and door spurs."""
    text = str(highway) if isinstance(highway, str) else ""
    return text in UNSWEPT_HIGHWAYS or text.endswith("_link")


def add_entrances(network: Network, geoms: NDArray[np.object_], *, tolerance_m: float = 1.0) -> int:
    """Give each building a door on the network; returns how many doors were added.

    The door is the point of the building's outline nearest to a street (motorways and
    ramps only when nothing else is near). The street is cut where the door's path leaves
    it and a spur (``highway == ENTRANCE``) walks from there to the door, so a visit's
    route reaches the door and its access walk is timed like any other walk.
    """
    geoms = np.asarray(geoms, dtype=object)
    if not network.has_streets or not len(geoms):
        return 0
    edges = network.edges
    hw = edges["highway"].to_numpy()
    ok = np.flatnonzero([not is_unswept(h) for h in hw]) if len(hw) else np.array([], int)
    if not len(ok):
        ok = np.flatnonzero(hw != ENTRANCE)
    lines = edges.geometry.values
    _, near = shapely.STRtree(lines[ok]).query_nearest(geoms, all_matches=False)
    chosen = ok[near]
    links = shapely.shortest_line(lines[chosen], geoms)
    feet = shapely.get_point(links, 0)
    doors = shapely.get_point(links, -1)
    foot_node = _cut_edges(network, chosen, feet, tolerance_m)
    xy = list(network.node_xy)
    rows = []
    for k, (foot, door) in enumerate(zip(foot_node, doors, strict=True)):
        here = shapely.get_coordinates(door)[0]
        if np.hypot(*(network.node_xy[foot] - here)) <= tolerance_m:
            continue  # the building touches the street: the foot is the door
        xy.append(here)
        line = shapely.LineString([network.node_xy[foot], here])
        rows.append((f"door{k}", int(foot), len(xy) - 1, float(line.length), line))
    _append_edges(network, np.asarray(xy), rows, highway=ENTRANCE)
    return len(rows)


def _cut_edges(
    network: Network, chosen: NDArray[np.int64], feet: NDArray[np.object_], tolerance_m: float
) -> list[int]:
    """Cut the chosen edges at the given points; the node at each point."""
    import geopandas as gpd
    import pandas as pd

    edges = network.edges
    xy = list(network.node_xy)
    out: list[int] = [0] * len(chosen)
    cut_rows: dict[int, list[tuple[float, int]]] = {}
    for k, (i, foot) in enumerate(zip(chosen.tolist(), feet, strict=True)):
        line = edges.geometry.values[i]
        at = float(shapely.line_locate_point(line, foot))
        if at <= tolerance_m:
            out[k] = int(edges["u"].to_numpy()[i])
        elif at >= line.length - tolerance_m:
            out[k] = int(edges["v"].to_numpy()[i])
        else:
            cuts = cut_rows.setdefault(i, [])
            same = [n for d, n in cuts if abs(d - at) <= tolerance_m]
            if same:
                out[k] = same[0]
            else:
                xy.append(shapely.get_coordinates(foot)[0])
                cuts.append((at, len(xy) - 1))
                out[k] = len(xy) - 1
    if not cut_rows:
        return out
    from shapely.ops import substring

    new_rows = []
    for i, cuts in cut_rows.items():
        row = edges.iloc[i]
        line = row.geometry
        marks = [(0.0, int(row["u"])), *sorted(cuts), (float(line.length), int(row["v"]))]
        for n, ((a, na), (b, nb)) in enumerate(itertools.pairwise(marks)):
            piece = substring(line, a, b)
            eid = row["edge_id"] if n == 0 else f"{row['edge_id']}.{n}"
            new_rows.append({**row.to_dict(), "edge_id": eid, "u": na, "v": nb,
                             "length_m": float(piece.length), "geometry": piece})  # fmt: skip
    kept = edges.drop(index=edges.index[list(cut_rows)])
    added = gpd.GeoDataFrame(new_rows, geometry="geometry", crs=edges.crs)
    network.edges = gpd.GeoDataFrame(
        pd.concat([kept, added], ignore_index=True), geometry="geometry", crs=edges.crs
    )
    network.node_xy = np.asarray(xy)
    network.reset_paths()
    return out


def _append_edges(
    network: Network,
    node_xy: NDArray[np.float64],
    rows: list[tuple[str, int, int, float, shapely.LineString]],
    *,
    highway: str,
) -> None:
    """Add edges ``(edge_id, u, v, length_m, geometry)`` of one class to the network."""
    import geopandas as gpd
    import pandas as pd

    network.node_xy = node_xy
    if rows:
        ids, us, vs, lengths, lines = zip(*rows, strict=True)
        added = gpd.GeoDataFrame(
            {"edge_id": ids, "u": us, "v": vs, "length_m": lengths,
             "highway": highway, "name": None},
            geometry=list(lines),
            crs=network.edges.crs,
        )  # fmt: skip
        network.edges = gpd.GeoDataFrame(
            pd.concat([network.edges, added], ignore_index=True),
            geometry="geometry",
            crs=network.edges.crs,
        )
    network.reset_paths()


def merge_carriageways(
    network: Network, *, gap_m: float = 40.0, max_angle_deg: float = 25.0
) -> dict[str, str]:
    """Parallel carriageways of one named street, to be walked once.

    Returns ``edge_id -> edge_id`` of the carriageway it is walked as. An edge is merged
    when every point of it lies within ``gap_m`` of a kept edge of the same name running
    the same way (within ``max_angle_deg``): the two sides of a dual carriageway, or a
    main road beside its own side road. Side roads (where the pavement is) are kept
    first, then longer edges.
    """
    edges = network.edges
    if not network.has_streets or edges.empty:
        return {}
    names = edges["name"].to_numpy()
    hw = edges["highway"].to_numpy()
    lines = edges.geometry.values
    lengths = edges["length_m"].to_numpy()
    ids = edges["edge_id"].to_numpy()
    named = [i for i in range(len(edges)) if isinstance(names[i], str) and names[i].strip()]
    named = [i for i in named if hw[i] != ENTRANCE]
    named.sort(key=lambda i: (_class_rank(hw[i]), -lengths[i], str(ids[i])))
    kept: dict[str, list[int]] = {}
    merged: dict[str, str] = {}
    cos_min = float(np.cos(np.radians(max_angle_deg)))
    for i in named:
        near = [k for k in kept.get(names[i], []) if lines[k].distance(lines[i]) <= gap_m]
        partner = _alongside(lines[i], [lines[k] for k in near], gap_m, cos_min)
        if partner is None:
            kept.setdefault(names[i], []).append(i)
        else:
            merged[str(ids[i])] = str(ids[near[partner]])
    return merged


def _class_rank(highway: object) -> int:
    text = str(highway).removesuffix("_link") if isinstance(highway, str) else ""
    return _CLASS_RANK.index(text) if text in _CLASS_RANK else len(_CLASS_RANK)


def _alongside(
    line: shapely.LineString, others: list[shapely.LineString], gap_m: float, cos_min: float
) -> int | None:
    """The first of ``others`` that runs beside ``line``: every point of it (but the last
    20 m at each end, where it meets the crossing streets) within ``gap_m`` of one of
    ``others`` going the same way. None when it does not."""
    if not others:
        return None
    length = float(line.length)
    at = np.linspace(0.0, length, max(3, int(np.ceil(length / 10.0)) + 1))
    pts = shapely.line_interpolate_point(line, at)
    own = _directions(line, at)
    inner = (at >= 20.0) & (at <= length - 20.0)
    if not inner.any():
        inner = np.arange(len(at)) == len(at) // 2  # a short edge: its middle
    covered = np.zeros(len(at), dtype=bool)
    first: int | None = None
    for k, other in enumerate(others):
        along = shapely.line_locate_point(other, pts)
        their = _directions(other, along)
        beside = (along > 0.5) & (along < other.length - 0.5)  # not beyond its ends
        ok = (
            beside
            & (shapely.distance(other, pts) <= gap_m)
            & (np.abs((own * their).sum(axis=1)) >= cos_min)
        )
        if first is None and ok[inner].any():
            first = k
        covered |= ok
    return first if first is not None and covered[inner].all() else None


def _directions(line: shapely.LineString, at: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unit tangents of ``line`` at distances ``at`` along it."""
    a = shapely.get_coordinates(shapely.line_interpolate_point(line, np.maximum(at - 2.0, 0.0)))
    b = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.minimum(at + 2.0, line.length))
    )
    d = b - a
    norm = np.hypot(d[:, 0], d[:, 1])
    return np.asarray(d / np.where(norm > 0, norm, 1.0)[:, None], dtype=np.float64)


def walked_metres_matrix(
    network: Network,
    ends: NDArray[np.int64],
    starts: NDArray[np.int64],
    inner_m: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Metres walked from the end of place ``i`` to the end of place ``j``: the street
    walk to ``starts[j]`` plus ``inner_m[j]``, the walk inside ``j`` (a sweep's length).

    Summed over a route this is every metre the team walks, so a routing distance limit
    on it (``Vehicle.max_distance``) is the team's walking limit.
    """
    metres = np.array(network.distance_matrix(ends, starts), dtype=np.float64)
    metres += np.asarray(inner_m, dtype=float)[None, :]
    np.fill_diagonal(metres, 0.0)  # solvers want a zero diagonal; no route stays in place
    return metres
