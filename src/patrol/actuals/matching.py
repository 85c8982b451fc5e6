"""Map matching: GPS fixes to the plan's own street network, by a hidden Markov model.

The model is Newson and Krumm's (2009): each fix's candidates are the street segments
within :data:`RADIUS_M` (the :data:`MAX_CANDIDATES` nearest), each at the fix's nearest
point on it; a candidate's emission log-probability is ``-½ (d/σ)²`` for the distance
``d`` from the fix; the transition between candidates of two consecutive fixes costs
``|route − straight| / β``, the route measured along the network (scipy's Dijkstra from
the candidates' end nodes, one run per track). Viterbi picks the most likely sequence; a
fix without candidates is left out, and a step no route can explain starts a new chain.

The result is the walk on the streets: *pieces* of street segments, each walked from one
offset to another between two times, joined by the shortest paths between consecutive
fixes. Pieces become timed lines that :func:`patrol.coverage.measure_coverage` measures
like planned legs. ``docs/architecture.md`` says why this was kept over ``mappymatch``
and ``leuvenmapmatching`` (measured in ``bench/actuals_bench.py``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from patrol.actuals.labels import problem
from patrol.errors import Problem

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from patrol.network import Network

__all__ = ["Matched", "StreetIndex", "match_fixes", "street_index"]

RADIUS_M = 60.0
"""Streets farther than this from a fix are not its candidates (a fix with none is far)."""
MAX_CANDIDATES = 6
SIGMA_M = 12.0
"""GPS noise of the emission model (phones in streets: 5–30 m)."""
BETA_M = 8.0
"""Scale of the transition cost |route − straight| for fixes 10 s apart."""
NOISY_M = 8.0
"""A track whose fixes lie farther than this from their streets (median) is noisy: the
distance across the street only, so 10–30 m of GPS error reads as about 11 m."""
ROUTE_LIMIT_M = 2000.0
"""Routes between consecutive fixes are searched this far (a longer step breaks the chain)."""
TURN_M = 10.0
"""A walker going back along a street by more than this turned round (a new piece)."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class StreetIndex:
    """The network's segments as arrays, a spatial index and a symmetric distance graph."""

    geoms: NDArray[np.object_]
    length_m: FloatArray
    u: IntArray
    v: IntArray
    edge_id: NDArray[np.object_]
    tree: shapely.STRtree
    graph: csr_matrix
    pair_edge: dict[tuple[int, int], int]


def street_index(network: Network) -> StreetIndex:
    """The :class:`StreetIndex` of ``network`` (parallel segments: the shortest joins)."""
    from scipy.sparse import coo_matrix

    edges = network.edges
    u = edges["u"].to_numpy(dtype=np.int64)
    v = edges["v"].to_numpy(dtype=np.int64)
    length = np.maximum(edges["length_m"].to_numpy(dtype=float), 1e-6)
    pair_edge: dict[tuple[int, int], int] = {}
    for k in np.argsort(-length, kind="stable"):  # shortest written last, so kept
        pair_edge[(int(min(u[k], v[k])), int(max(u[k], v[k])))] = int(k)
    keys = np.array(list(pair_edge), dtype=np.int64).reshape(-1, 2)
    weight = length[list(pair_edge.values())]
    n = network.n_nodes
    graph = coo_matrix(
        (
            np.concatenate([weight, weight]),
            (np.r_[keys[:, 0], keys[:, 1]], np.r_[keys[:, 1], keys[:, 0]]),
        ),
        shape=(n, n),
    ).tocsr()
    geoms = edges.geometry.to_numpy()
    return StreetIndex(
        geoms,
        length,
        u,
        v,
        edges["edge_id"].astype(str).to_numpy(dtype=object),
        shapely.STRtree(geoms),
        graph,
        pair_edge,
    )


@dataclass(frozen=True)
class Matched:
    """The matched fixes and the walk on the streets.

    ``fixes``: one row per fix, in the order given: ``edge`` (index into the network's
    edges, -1 when far from every street), ``edge_id``, ``offset_m`` along it, the
    matched ``x``/``y`` and ``dist_m`` from the fix. ``legs``: the walk as timed lines,
    one per piece of street walked: ``track_id``, ``team_id``, ``edge_id``, ``start``,
    ``end``, ``length_m`` and the offsets ``from_m``/``to_m`` along the street.
    ``problems``: a warning per track that was noisy or had fixes far from any street.
    """

    fixes: pd.DataFrame
    legs: gpd.GeoDataFrame
    problems: list[Problem]


@dataclass
class _Candidates:
    edge: IntArray  # (T, K), -1 = none
    offset: FloatArray
    dist: FloatArray


def _candidates(index: StreetIndex, points: NDArray[np.object_]) -> _Candidates:
    """The :data:`MAX_CANDIDATES` nearest segments within :data:`RADIUS_M` of each fix."""
    n, k_max = len(points), MAX_CANDIDATES
    fix, seg = index.tree.query(points, predicate="dwithin", distance=RADIUS_M)
    dist = shapely.distance(points[fix], index.geoms[seg])
    order = np.lexsort((seg, dist, fix))
    fix, seg, dist = fix[order], seg[order], dist[order]
    first = np.searchsorted(fix, fix, side="left")
    rank = np.arange(len(fix)) - first
    keep = rank < k_max
    fix, seg, dist, rank = fix[keep], seg[keep], dist[keep], rank[keep]
    offset = shapely.line_locate_point(index.geoms[seg], points[fix])
    out = _Candidates(
        np.full((n, k_max), -1, dtype=np.int64),
        np.zeros((n, k_max)),
        np.full((n, k_max), np.inf),
    )
    out.edge[fix, rank], out.offset[fix, rank], out.dist[fix, rank] = seg, offset, dist
    return out


@dataclass
class _Routes:
    """Shortest distances and predecessors from a track's candidate end nodes."""

    local: IntArray  # node -> row of dist and pred (-1: not a source)
    dist: FloatArray
    pred: NDArray[np.int32]

    def between(self, a: IntArray, b: IntArray) -> FloatArray:
        return self.dist[self.local[a], b]

    def path(self, a: int, b: int) -> list[int]:
        row, nodes = int(self.local[a]), [b]
        while nodes[-1] != a:
            step = int(self.pred[row, nodes[-1]])
            if step < 0:
                return []
            nodes.append(step)
        return nodes[::-1]


def _routes(index: StreetIndex, edges: IntArray) -> _Routes:
    from scipy.sparse.csgraph import dijkstra

    used = edges[edges >= 0]
    nodes = np.unique(np.r_[index.u[used], index.v[used]])
    dist, pred = dijkstra(
        index.graph, directed=False, indices=nodes, return_predecessors=True, limit=ROUTE_LIMIT_M
    )
    local = np.full(index.graph.shape[0], -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    return _Routes(local, dist, pred)


def _transitions(
    index: StreetIndex, cand: _Candidates, routes: _Routes, xy: FloatArray, secs: FloatArray
) -> FloatArray:
    """Log-probabilities ``(T-1, K, K)`` of moving between consecutive candidates."""
    e0, e1 = cand.edge[:-1, :, None], cand.edge[1:, None, :]
    s0, s1 = cand.offset[:-1, :, None], cand.offset[1:, None, :]
    safe0, safe1 = np.maximum(e0, 0), np.maximum(e1, 0)
    len0, len1 = index.length_m[safe0], index.length_m[safe1]
    shape = np.broadcast_shapes(e0.shape, e1.shape)
    best = np.full(shape, np.inf)
    for ends0, to_end in ((index.u, s0), (index.v, len0 - s0)):
        for ends1, from_end in ((index.u, s1), (index.v, len1 - s1)):
            a = np.broadcast_to(ends0[safe0], shape)
            b = np.broadcast_to(ends1[safe1], shape)
            best = np.minimum(best, to_end + routes.between(a, b) + from_end)
    route = np.where(e0 == e1, np.abs(s1 - s0), best)
    straight = np.hypot(*(xy[1:] - xy[:-1]).T)[:, None, None]
    scale = BETA_M * np.maximum(1.0, np.diff(secs) / 10.0)[:, None, None]
    cost = -np.abs(route - straight) / scale
    return np.where((e0 >= 0) & (e1 >= 0) & np.isfinite(route), cost, -np.inf)


def _viterbi(emit: FloatArray, trans: FloatArray) -> IntArray:
    """The most likely candidate per step; a step nothing reaches starts a new chain."""
    steps, k_max = emit.shape
    back = np.zeros((steps, k_max), dtype=np.int64)
    chain_end = np.full(steps, -1, dtype=np.int64)  # best last candidate of a broken chain
    score = emit[0].copy()
    columns = np.arange(k_max)
    for t in range(1, steps):
        total = score[:, None] + trans[t - 1]
        arg = total.argmax(0)
        back[t] = arg
        new = total[arg, columns] + emit[t]
        if new.max() == -np.inf:
            chain_end[t - 1] = int(np.argmax(score))
            back[t] = -1
            new = emit[t].copy()
        score = new
    pick = np.zeros(steps, dtype=np.int64)
    pick[-1] = int(np.argmax(score))
    for t in range(steps - 1, 0, -1):
        pick[t - 1] = chain_end[t - 1] if back[t, 0] == -1 else back[t, pick[t]]
    return pick


def _match_track(
    index: StreetIndex, cand: _Candidates, xy: FloatArray, secs: FloatArray
) -> tuple[IntArray, _Routes | None]:
    """The chosen candidate per fix of one track (-1: far), and the routes used."""
    has = cand.edge[:, 0] >= 0
    pick = np.full(len(xy), -1, dtype=np.int64)
    if not has.any():
        return pick, None
    sub = _Candidates(cand.edge[has], cand.offset[has], cand.dist[has])
    routes = _routes(index, sub.edge)
    emit = np.where(sub.edge >= 0, -0.5 * (sub.dist / SIGMA_M) ** 2, -np.inf)
    trans = _transitions(index, sub, routes, xy[has], secs[has])
    pick[has] = _viterbi(emit, trans)
    return pick, routes


_Piece = tuple[int, float, float, float, float]  # edge, from offset, to offset, start s, end s


@dataclass
class _Walk:
    """The pieces of one track built fix by fix; ``cur`` is the piece being walked."""

    index: StreetIndex
    pieces: list[_Piece]
    cur: list[float]  # edge, s_in, t_in, s_at, t_at, direction

    def start(self, edge: int, s_in: float, t_in: float, s_at: float, t_at: float) -> None:
        self.close()
        self.cur = [edge, s_in, t_in, s_at, t_at, float(np.sign(s_at - s_in))]

    def close(self) -> None:
        if self.cur and abs(self.cur[3] - self.cur[1]) > 0.5:
            edge, s_in, t_in, s_at, t_at, _ = self.cur
            self.pieces.append((int(edge), s_in, s_at, t_in, t_at))
        self.cur = []

    def along(self, s: float, t: float) -> None:
        """A fix on the current piece's street: on, back (a turn) or staying."""
        edge, s_in, _, s_at, t_at, direction = self.cur
        step = s - s_at
        if direction == 0 and abs(s - s_in) > 1.0:
            self.cur[3], self.cur[4], self.cur[5] = s, t, float(np.sign(s - s_in))
        elif step * direction > 0:
            self.cur[3], self.cur[4] = s, t
        elif -step * direction > TURN_M:
            self.start(int(edge), s_at, t_at, s, t)
        else:
            self.cur[4] = t


def _step(walk: _Walk, routes: _Routes, fix: tuple[int, float, float], t0: float) -> None:
    """Walk from the current piece's fix to ``fix`` (edge, offset, time) on another street,
    along the shortest path between the nearest ends."""
    index = walk.index
    e0, s0 = int(walk.cur[0]), walk.cur[3]
    e1, s1, t1 = fix
    options = []
    for a, to_end in ((index.u[e0], s0), (index.v[e0], index.length_m[e0] - s0)):
        for b, from_end in ((index.u[e1], s1), (index.v[e1], index.length_m[e1] - s1)):
            gap = routes.dist[routes.local[a], b]
            options.append((to_end + gap + from_end, to_end, from_end, int(a), int(b)))
    total, to_end, from_end, a, b = min(options)
    if not np.isfinite(total):
        walk.start(e1, s1, t1, s1, t1)
        return
    per_m = (t1 - t0) / max(total, 1e-9)
    clock = t0 + to_end * per_m
    walk.cur[3], walk.cur[4] = (0.0 if a == index.u[e0] else index.length_m[e0]), clock
    walk.close()
    nodes = routes.path(a, b)
    for x, y in itertools.pairwise(nodes):
        edge = index.pair_edge[(min(x, y), max(x, y))]
        size = index.length_m[edge]
        ends = (0.0, size) if x == index.u[edge] else (size, 0.0)
        walk.pieces.append((edge, ends[0], ends[1], clock, clock + size * per_m))
        clock += size * per_m
    s_in = 0.0 if b == index.u[e1] else index.length_m[e1]
    walk.start(e1, s_in, clock, s1, t1)


def _track_pieces(
    index: StreetIndex, routes: _Routes, edges: IntArray, offsets: FloatArray, secs: FloatArray
) -> list[_Piece]:
    """The pieces of street walked by one track's matched fixes (in time order)."""
    walk = _Walk(index, [], [])
    walk.start(int(edges[0]), float(offsets[0]), float(secs[0]), float(offsets[0]), float(secs[0]))
    for k in range(1, len(edges)):
        e, s, t = int(edges[k]), float(offsets[k]), float(secs[k])
        if e == int(walk.cur[0]):
            walk.along(s, t)
        else:
            _step(walk, routes, (e, s, t), float(secs[k - 1]))
    walk.close()
    return walk.pieces


def _legs(index: StreetIndex, pieces: pd.DataFrame, crs: Any) -> gpd.GeoDataFrame:
    """Timed lines of the pieces (each oriented the way it was walked)."""
    from shapely.ops import substring

    geoms = [
        substring(index.geoms[e], a, b)
        for e, a, b in zip(pieces["edge"], pieces["s0"], pieces["s1"], strict=True)
    ]
    epoch = pd.Timestamp("1970-01-01")
    frame = pd.DataFrame(
        {
            "track_id": pieces["track_id"].to_numpy(),
            "team_id": pieces["team_id"].to_numpy(),
            "edge_id": index.edge_id[pieces["edge"].to_numpy(dtype=np.int64)],
            "start": epoch + pd.to_timedelta(pieces["t0"].to_numpy(), unit="s"),
            "end": epoch + pd.to_timedelta(pieces["t1"].to_numpy(), unit="s"),
            "length_m": np.abs(
                pieces["s1"].to_numpy(dtype=float) - pieces["s0"].to_numpy(dtype=float)
            ),
            "from_m": pieces["s0"].to_numpy(dtype=float),
            "to_m": pieces["s1"].to_numpy(dtype=float),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs)


def _warnings(fixes: pd.DataFrame, per_fix: pd.DataFrame) -> list[Problem]:
    """One warning per track with fixes far from every street, one per noisy track."""
    found: list[Problem] = []
    table = per_fix.assign(
        track_id=fixes["track_id"].to_numpy(),
        source=fixes["source"].to_numpy() if "source" in fixes else "",
        row=fixes["row"].to_numpy() if "row" in fixes else "",
    )
    for track_id, one in table.groupby("track_id", sort=True):
        far = one["edge"].to_numpy() < 0
        source, row = str(one["source"].iloc[0]), one["row"].iloc[int(np.argmax(far))]
        if far.any():
            found.append(
                problem(
                    source,
                    "far",
                    row=row,
                    severity="warning",
                    track=track_id,
                    count=int(far.sum()),
                    limit_m=int(RADIUS_M),
                )
            )
        median = float(np.median(one["dist_m"].to_numpy()[~far])) if (~far).any() else 0.0
        if median > NOISY_M:
            found.append(
                problem(
                    source,
                    "noise",
                    row=one["row"].iloc[0],
                    severity="warning",
                    track=track_id,
                    median_m=round(median),
                )
            )
    return found


def match_fixes(network: Network, fixes: gpd.GeoDataFrame) -> Matched:
    """Match every track of ``fixes`` (``track_id``, ``time``, a point; ``team_id``,
    ``source``, ``row`` when known) to the streets of ``network``; see the module."""
    index = street_index(network)
    points = fixes.geometry.to_numpy()
    xy = shapely.get_coordinates(points) if len(points) else np.zeros((0, 2))
    secs = (pd.to_datetime(fixes["time"]) - pd.Timestamp("1970-01-01")).dt.total_seconds()
    secs_all = secs.to_numpy(dtype=float)
    cand = _candidates(index, points)
    chosen = np.full(len(fixes), -1, dtype=np.int64)
    pieces: list[tuple[Any, ...]] = []
    teams = fixes["team_id"].to_numpy() if "team_id" in fixes else fixes["track_id"].to_numpy()
    for rows in fixes.groupby("track_id", sort=True).indices.values():
        rows = np.sort(rows)
        sub = _Candidates(cand.edge[rows], cand.offset[rows], cand.dist[rows])
        pick, routes = _match_track(index, sub, xy[rows], secs_all[rows])
        chosen[rows] = pick
        ok = rows[pick >= 0]
        if routes is None or not len(ok):
            continue
        k = pick[pick >= 0]
        walked = _track_pieces(index, routes, cand.edge[ok, k], cand.offset[ok, k], secs_all[ok])
        track, team = fixes["track_id"].iloc[rows[0]], teams[rows[0]]
        pieces += [(track, team, *p) for p in walked]
    return _matched(index, fixes, cand, chosen, pieces)


def _matched(
    index: StreetIndex,
    fixes: gpd.GeoDataFrame,
    cand: _Candidates,
    chosen: IntArray,
    pieces: list[tuple[Any, ...]],
) -> Matched:
    rows = np.arange(len(fixes))
    k = np.maximum(chosen, 0)
    edge = np.where(chosen >= 0, cand.edge[rows, k], -1)
    xy = np.full((len(fixes), 2), np.nan)
    ok = edge >= 0
    if ok.any():
        at = shapely.line_interpolate_point(index.geoms[edge[ok]], cand.offset[rows, k][ok])
        xy[ok] = shapely.get_coordinates(at)
    per_fix = pd.DataFrame(
        {
            "edge": edge,
            "edge_id": np.where(edge >= 0, index.edge_id[np.maximum(edge, 0)], ""),
            "offset_m": np.where(chosen >= 0, cand.offset[rows, k], np.nan),
            "x": xy[:, 0],
            "y": xy[:, 1],
            "dist_m": np.where(chosen >= 0, cand.dist[rows, k], np.nan),
        },
        index=fixes.index,
    )
    table = pd.DataFrame(pieces, columns=["track_id", "team_id", "edge", "s0", "s1", "t0", "t1"])
    legs = _legs(index, table, fixes.crs)
    return Matched(per_fix, legs, _warnings(fixes, per_fix) if len(fixes) else [])
