"""Mixed travel: drive between villages on the roads a car may use, walk inside a village.

A rural station's teams cannot walk from one village to the next (they lie 2 to 40 km
apart): they drive there and patrol the village on foot. Each grid may say how teams move
inside it (``travel`` in the grids layer: ``walk``, ``ebike`` or ``car``); everywhere else
they move in the station's mode (``[travel] mode``). :func:`travel_network` cuts the
street edges at the borders of those grids, so every edge lies wholly inside or outside,
and gives each edge its mode and its seconds: walked edges at walking speed, driven edges
at the speed of their road class (:data:`CAR_SPEEDS_KMH`, capped by ``speed_kmh``), and
no driving at all on footways, paths and steps (:data:`NO_CAR`).

:class:`MixedNetwork` keeps the :class:`~patrol.network.Network` interface: its Dijkstra
runs over seconds, so ``travel_time_matrix`` and ``path_nodes`` follow the quickest way,
and ``distance_matrix`` is the metres *walked* along that way (what the walking limit
``teams.max_walk_km`` counts; a drive walks 0 m). :func:`transit_runs` splits a path into
its walked and driven stretches for the route's legs. Where the car waits while the team
walks is not modelled: it meets the team where the walk ends.

Without any grid ``travel`` value nothing here is used and the network is exactly
:func:`patrol.network.scenario_network`'s.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import shapely
from numpy.typing import NDArray

from patrol.network import ENTRANCE, Network, _cut_edges, scenario_network
from patrol.vocab import TRAVEL_MODE_ALIASES, TRAVEL_SPEEDS_KMH

if TYPE_CHECKING:
    import geopandas as gpd
    from scipy.sparse import csr_matrix

    from patrol.scenario.model import Scenario

WALK = "walk"
MODES: tuple[str, ...] = tuple(TRAVEL_SPEEDS_KMH)
"""The travel modes a grid may name (``walk``, ``ebike``, ``car``)."""
CAR_SPEEDS_KMH: dict[str, float] = {
    "motorway": 90.0,
    "trunk": 70.0,
    "primary": 60.0,
    "secondary": 50.0,
    "tertiary": 40.0,
    "unclassified": 30.0,
    "residential": 20.0,
    "living_street": 10.0,
    "service": 15.0,
    "track": 15.0,
    ENTRANCE: 5.0,
}
"""Driving speed by road class (``*_link`` as its class); other car roads 25 km/h."""
NO_CAR = frozenset({"footway", "path", "pedestrian", "steps", "cycleway", "bridleway", "corridor"})
"""Road classes no car may use (an e-bike may use cycleways and paths)."""
NO_EBIKE = frozenset({"footway", "pedestrian", "steps", "corridor"})
THROUGH_ROADS = frozenset({"motorway", "trunk", "primary", "secondary", "tertiary"})
"""Road classes driven even inside a walking grid (a county road through a village); the
sweep still walks them."""
_OTHER_CAR_KMH = 25.0


def read_mode(value: object) -> str | None:
    """A grid's ``travel`` value as a mode name (None when empty or unknown)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    mode = TRAVEL_MODE_ALIASES.get(text, text.lower())
    return mode if mode in MODES else None


def grid_modes(scenario: Scenario) -> dict[str, str]:
    """Grid id -> travel mode, for the grids whose ``travel`` names one."""
    grids = scenario.grids
    if "travel" not in grids.columns:
        return {}
    out = {}
    for g, value in zip(grids["grid_id"], grids["travel"], strict=True):
        mode = read_mode(value)
        if mode is not None:
            out[str(g)] = mode
    return out


def is_mixed(scenario: Scenario) -> bool:
    """Whether some grid moves in another mode than the station (then travel is mixed)."""
    station = scenario.settings.travel.mode
    return any(m != station for m in grid_modes(scenario).values())


def walks_in_grids(scenario: Scenario) -> bool:
    """Whether teams walk somewhere: the station's mode is walking or a grid walks."""
    return scenario.settings.travel.mode == WALK or WALK in grid_modes(scenario).values()


def split_at_borders(network: Network, zones: gpd.GeoSeries, *, tolerance_m: float = 1.0) -> int:
    """Cut the network's edges where they cross the borders of ``zones`` (polygons), so
    each edge lies wholly inside or outside; returns how many cuts were made."""
    if not len(zones) or network.edges.empty:
        return 0
    borders = shapely.union_all(shapely.boundary(np.asarray(zones.values)))
    hits = shapely.intersection(network.edges.geometry.values, borders)
    chosen: list[int] = []
    feet: list[shapely.Point] = []
    for i in np.flatnonzero(~shapely.is_empty(hits)):
        for part in shapely.get_parts(hits[i]):
            if part.geom_type == "Point":
                chosen.append(int(i))
                feet.append(part)
    if chosen:
        _cut_edges(network, np.asarray(chosen), np.asarray(feet, dtype=object), tolerance_m)
        ids = network.edges["edge_id"]
        again = ids.duplicated(keep="first").to_numpy()  # a piece named like an earlier cut's
        if again.any():
            network.edges.loc[again, "edge_id"] = [f"{e}b{k}" for k, e in enumerate(ids[again])]
    return len(chosen)


def edge_modes(
    edges: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, station_mode: str
) -> NDArray[np.object_]:
    """Each edge's mode: that of the zone (``mode`` column) holding its midpoint, else the
    station's; through roads (:data:`THROUGH_ROADS`) keep the station's vehicle."""
    modes = np.full(len(edges), station_mode, dtype=object)
    if not len(edges) or not len(zones):
        return modes
    mids = shapely.line_interpolate_point(edges.geometry.values, 0.5, normalized=True)
    e_idx, z_idx = shapely.STRtree(zones.geometry.values).query(mids, predicate="within")
    order = np.argsort(e_idx, kind="stable")  # the first zone of each edge wins
    modes[e_idx[order][::-1]] = zones["mode"].to_numpy()[z_idx[order][::-1]]
    if station_mode != WALK:  # a through road crossing a village is driven, its lanes walked
        hw = edges["highway"].to_numpy()
        through = np.array([_road_class(h) in THROUGH_ROADS for h in hw], dtype=bool)
        modes[through & (modes == WALK)] = station_mode
    return modes


def _road_class(highway: object) -> str:
    return str(highway).removesuffix("_link") if isinstance(highway, str) else ""


def edge_seconds(
    highway: NDArray[np.object_],
    length_m: NDArray[np.float64],
    modes: NDArray[np.object_],
    *,
    cap_kmh: float | None = None,
) -> NDArray[np.float64]:
    """Seconds to pass each edge in its mode (``inf`` where the mode may not use it): walking
    at the walking speed, a car at its road class's speed, an e-bike at most 15 km/h;
    ``cap_kmh`` caps the speeds of vehicles."""
    out = np.full(len(length_m), np.inf)
    for i, (hw, length, mode) in enumerate(zip(highway, length_m, modes, strict=True)):
        kind = _road_class(hw)
        if mode == WALK:
            kmh = TRAVEL_SPEEDS_KMH[WALK]
        elif kind in (NO_CAR if mode == "car" else NO_EBIKE):
            continue
        else:
            kmh = CAR_SPEEDS_KMH.get(kind, _OTHER_CAR_KMH)
            if mode != "car":
                kmh = min(kmh, TRAVEL_SPEEDS_KMH[mode])
            if cap_kmh:
                kmh = min(kmh, cap_kmh)
        out[i] = float(length) / (kmh / 3.6)
    return out


class Run(NamedTuple):
    """One stretch of a path in one mode: its mode, line, seconds and metres."""

    mode: str
    geometry: shapely.LineString
    seconds: float
    metres: float


@dataclass
class MixedNetwork(Network):
    """A street network where every edge has a mode: Dijkstra over seconds, distances as
    metres walked along the quickest way (see the module docstring).

    ``zones`` are the grids with their own mode (``grid_id``, ``mode``, geometry);
    ``station_mode`` is the mode everywhere else; ``cap_kmh`` caps vehicle speeds.
    """

    zones: gpd.GeoDataFrame | None = None
    station_mode: str = "car"
    cap_kmh: float | None = None
    _walked: dict[int, NDArray[np.float64]] = field(default_factory=dict, repr=False)
    _walk_csr: csr_matrix | None = field(default=None, repr=False)
    _pairs: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict, repr=False)

    def grid_mode(self, grid_id: str) -> str:
        """How a team moves inside grid ``grid_id``."""
        zones = self.zones
        if zones is None or not len(zones):
            return self.station_mode
        hit = zones.loc[zones["grid_id"] == grid_id, "mode"]
        return str(hit.iloc[0]) if len(hit) else self.station_mode

    def classify(self) -> None:
        """Write each edge's ``mode`` and ``seconds`` into :attr:`edges`."""
        zones = self.zones if self.zones is not None else _no_zones(self.crs)
        modes = edge_modes(self.edges, zones, station_mode=self.station_mode)
        self.edges["mode"] = modes
        self.edges["seconds"] = edge_seconds(
            self.edges["highway"].to_numpy(),
            self.edges["length_m"].to_numpy(dtype=float),
            modes,
            cap_kmh=self.cap_kmh,
        )

    def _matrix(self) -> csr_matrix:
        if self._csr is None:
            from scipy.sparse import coo_matrix

            if self.zones is not None or "seconds" not in self.edges.columns:
                self.classify()  # else the modes and seconds came with the edges (a store)
            e = self.edges
            sec = e["seconds"].to_numpy(dtype=float)
            ok = np.isfinite(sec)
            u = e["u"].to_numpy(dtype=np.int64)[ok]
            v = e["v"].to_numpy(dtype=np.int64)[ok]
            w = np.maximum(sec[ok], 1e-6)
            walked = np.where(e["mode"].to_numpy()[ok] == WALK, e["length_m"].to_numpy()[ok], 0.0)
            modes = e["mode"].to_numpy()[ok]
            a, b = np.minimum(u, v), np.maximum(u, v)
            order = np.lexsort((w, a, b))
            a, b, w, walked, modes = a[order], b[order], w[order], walked[order], modes[order]
            first = np.ones(len(a), dtype=bool)
            first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
            a, b, w, walked, modes = a[first], b[first], w[first], walked[first], modes[first]
            n = self.n_nodes
            rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
            self._csr = coo_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n, n)).tocsr()
            self._walk_csr = coo_matrix(
                (np.concatenate([walked, walked]), (rows, cols)), shape=(n, n)
            ).tocsr()
            self._pairs = {}
            for x, y, mode, s in zip(a.tolist(), b.tolist(), modes, w.tolist(), strict=True):
                self._pairs[(x, y)] = self._pairs[(y, x)] = (str(mode), s)
        return self._csr

    def reset_paths(self) -> None:
        super().reset_paths()
        self._walked.clear()
        self._walk_csr = None
        self._pairs = {}

    def travel_time_matrix(
        self,
        sources: NDArray[np.int64] | list[int],
        targets: NDArray[np.int64] | list[int] | None = None,
    ) -> NDArray[np.float64]:
        """Seconds along the quickest way, walking and driving (``inf``: unreachable)."""
        src = np.asarray(sources, dtype=np.int64)
        tgt = src if targets is None else np.asarray(targets, dtype=np.int64)
        self._run_dijkstra(src)
        if not len(src):
            return np.zeros((0, len(tgt)))
        return np.vstack([self._dist_cache[int(s)][tgt] for s in src])

    def distance_matrix(
        self,
        sources: NDArray[np.int64] | list[int],
        targets: NDArray[np.int64] | list[int] | None = None,
    ) -> NDArray[np.float64]:
        """Metres walked along the quickest way (a drive walks none; ``inf``: unreachable)."""
        src = np.asarray(sources, dtype=np.int64)
        tgt = src if targets is None else np.asarray(targets, dtype=np.int64)
        self._run_dijkstra(src)
        if not len(src):
            return np.zeros((0, len(tgt)))
        return np.vstack([self._walked_from(int(s))[tgt] for s in src])

    def _walked_from(self, source: int) -> NDArray[np.float64]:
        """Metres walked from ``source`` to every node along the quickest-way tree
        (pointer jumping over the predecessors: O(n log depth), vectorised)."""
        if source in self._walked:
            return self._walked[source]
        pred = self._pred_cache[source].astype(np.int64)
        idx = np.arange(len(pred))
        parent = np.where(pred < 0, idx, pred)
        step = np.zeros(len(pred))
        has = pred >= 0
        assert self._walk_csr is not None
        step[has] = np.asarray(self._walk_csr[parent[has], idx[has]]).ravel()
        while not np.array_equal(parent[parent], parent):
            step = step + step[parent]
            parent = parent[parent]
        step[~np.isfinite(self._dist_cache[source])] = np.inf
        self._walked[source] = step
        return step

    def runs(self, source: int, target: int) -> list[Run]:
        """The quickest way from ``source`` to ``target`` as stretches of one mode each."""
        nodes = self.path_nodes(source, target)
        if len(nodes) < 2:
            return []
        self._matrix()
        runs: list[Run] = []
        for mode, steps in itertools.groupby(
            itertools.pairwise(nodes), key=lambda ab: self._pairs[ab][0]
        ):
            pairs = list(steps)
            path = [pairs[0][0], *(b for _, b in pairs)]
            line = self.walk_geometry(path)
            seconds = sum(self._pairs[ab][1] for ab in pairs)
            runs.append(Run(mode, line, seconds, float(line.length)))
        return runs


def _no_zones(crs: object) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.GeoDataFrame({"grid_id": [], "mode": []}, geometry=[], crs=crs)


def travel_network(scenario: Scenario) -> Network:
    """The scenario's network: :func:`patrol.network.scenario_network` as it is, or, where
    grids have their own travel mode and there are streets, a :class:`MixedNetwork` on
    its edges cut at those grids' borders."""
    modes = grid_modes(scenario)
    roads = scenario.roads
    if not is_mixed(scenario) or roads is None or not len(roads):
        return scenario_network(scenario)
    import geopandas as gpd

    grids = scenario.grids
    own = grids.loc[grids["grid_id"].isin(list(modes))]
    zones = gpd.GeoDataFrame(
        {"grid_id": own["grid_id"].to_numpy(), "mode": [modes[g] for g in own["grid_id"]]},
        geometry=own.geometry.values,
        crs=grids.crs,
    )
    base = scenario_network(scenario)
    travel = scenario.settings.travel
    split_at_borders(base, zones.geometry, tolerance_m=travel.snap_tolerance_m)
    net = MixedNetwork(
        **_fresh_fields(base, speed_mps=TRAVEL_SPEEDS_KMH[WALK] / 3.6),
        zones=zones,
        station_mode=travel.mode,
        cap_kmh=travel.speed_kmh if travel.mode != WALK else None,
    )
    net.classify()
    return net


def transit_runs(network: Network, source: int, target: int) -> list[Run] | None:
    """The stretches of one mode from ``source`` to ``target`` on a mixed network; None on
    any other network (its one mode: the caller times the path as before)."""
    if not isinstance(network, MixedNetwork):
        return None
    return network.runs(source, target)


def sweep_mode(network: Network, grid_id: str) -> str:
    """The mode a sweep of ``grid_id`` is walked (or ridden) in; "" on a one-mode network."""
    return network.grid_mode(grid_id) if isinstance(network, MixedNetwork) else ""


def is_walked(mode: str) -> bool:
    """Whether a leg of ``mode`` is on foot ("" is the station's one mode: patrolled)."""
    return mode in ("", WALK)


def as_mixed(network: Network) -> Network:
    """``network`` as a :class:`MixedNetwork` when its edges carry their modes and seconds
    (a mixed network read back from a plan store), else as it is."""
    if isinstance(network, MixedNetwork) or not {"mode", "seconds"} <= set(network.edges.columns):
        return network
    return MixedNetwork(**_fresh_fields(network, speed_mps=network.speed_mps))


def _fresh_fields(network: Network, *, speed_mps: float) -> dict[str, Any]:
    """The network's fields for a new network on the same graph (its path caches empty)."""
    fields = {f.name: getattr(network, f.name) for f in dataclasses.fields(Network) if f.init}
    fields.update(speed_mps=speed_mps, _csr=None, _pred_cache={}, _dist_cache={})
    return fields


def drive_between(network: Network, source: int, target: int) -> tuple[float, float]:
    """Metres and seconds of the drive from node ``source`` to ``target``: along the
    quickest way on a mixed network, else the shortest at the car's speed (``inf``
    when unreachable)."""
    net = as_mixed(network)
    if isinstance(net, MixedNetwork):
        seconds = float(net.travel_time_matrix([source], [target])[0, 0])
        if not np.isfinite(seconds):
            return float("inf"), float("inf")
        return sum(r.metres for r in net.runs(source, target)), seconds
    metres = float(network.distance_matrix([source], [target])[0, 0])
    return metres, metres / (TRAVEL_SPEEDS_KMH["car"] / 3.6)
