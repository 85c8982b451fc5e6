"""The week's demand as concrete tasks: grid sweeps, hot-spot stops and household visits.

Every task has a place on the network (a start and an end node: a sweep walks from one
to the other), a service time, a priority weight, the shift slots it may use and a
*spacing group* (the sweeps of one grid, the stops of one hot spot) that the assignment
spreads across the week.

- **Sweeps**: a grid needs ``sweeps_per_week[risk]`` sweeps (or its own
  ``patrols_per_week``), raised by one for every ``incidents_per_extra_sweep`` incidents
  of the last ``incident_lookback_days`` (at most ``max_extra_sweeps`` more); the first
  ``night_sweeps_min[risk]`` of them only at night. A sweep walks a closed covering walk of
  the grid's own street segments (the grid's subgraph made Eulerian by doubling the
  shortest links between odd nodes), cut into parts no longer than
  ``max_sweep_length_m``; each part is a task; its duration is walk time plus dwell.
- **Hot spots**: DBSCAN on recent incidents (radius ``hotspot_radius_m``, at least
  ``hotspot_min_incidents``); each cluster gets stops of ``hotspot_dwell_min`` minutes
  (10–16 min: the Koper curve) in the shifts whose hours hold its incidents.
- **Visits**: a focus household is due ``visit_every_days`` after ``last_visit`` (at the
  week's start when never visited); each visit due this week is a task that may use any
  shift from its window's start up to its due date, done by a team of its beat (whose
  police member is an officer or auxiliary of that beat).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

    from patrol.network import Network
    from patrol.scenario.model import Scenario, ShiftSlot
    from patrol.settings import TeamSettings

log = logging.getLogger("patrol")

TaskKind = Literal["sweep", "hotspot", "visit"]
RISK_WEIGHT = {"green": 1.0, "yellow": 1.5, "orange": 2.0, "red": 3.0}
VISIT_WEIGHT = {
    "special_attention": 3.0,
    "mental_health": 3.0,
    "elderly_alone": 2.5,
    "hardship": 2.0,
    "disabled": 2.0,
}


@dataclass(frozen=True)
class Task:
    """One thing a team must do this week, at one place, in one of some shifts."""

    task_id: str
    kind: TaskKind
    target_id: str  # grid_id, hotspot_id or household_id
    grid_id: str
    beat_id: str
    start_node: int
    end_node: int
    service_s: int
    weight: float
    slots: frozenset[str]  # ShiftSlot.key values the task may use
    group: str  # spacing group: tasks of one group are spread over the week
    length_m: float = 0.0
    geometry: shapely.Geometry | None = field(default=None, compare=False)
    description_zh: str = ""
    description_en: str = ""
    due: dt.date | None = None
    night_only: bool = False
    sweep_index: int = 0  # which sweep of the grid (0 = first)
    group_size: int = 1  # how many tasks share the spacing group (k sweeps of a grid)
    part: int = 0
    parts: int = 1


@dataclass(frozen=True)
class Hotspot:
    """A cluster of recent incidents."""

    hotspot_id: str
    grid_id: str
    beat_id: str
    point: shapely.Point
    incidents: int
    categories: dict[str, int]
    shifts: tuple[str, ...]
    stops: int


@dataclass(frozen=True)
class GridNeed:
    """How many sweeps a grid needs this week, and why."""

    grid_id: str
    risk: str
    base: int
    extra: int
    night_min: int
    recent_incidents: int

    @property
    def total(self) -> int:
        return self.base + self.extra


@dataclass
class Demand:
    """Every task of the week plus the figures they came from."""

    tasks: list[Task]
    needs: dict[str, GridNeed]
    hotspots: list[Hotspot]
    edge_grid: pd.Series  # edge_id -> grid_id (the grid whose sweep walks it)
    visits_due: dict[str, int]  # grid_id -> visits due this week


def recent_incidents(scenario: Scenario) -> gpd.GeoDataFrame:
    """Incidents of the lookback window ending the day before the week starts."""
    days = scenario.settings.demand.incident_lookback_days
    end = pd.Timestamp(scenario.settings.week_start)
    start = end - pd.Timedelta(days=days)
    inc = scenario.incidents
    return inc.loc[(inc["time"] >= start) & (inc["time"] < end)]


def assign_edges_to_grids(network: Network, grids: gpd.GeoDataFrame) -> pd.Series:
    """The grid each street segment belongs to (by its midpoint; boundary streets go to the
    nearest grid, so each segment is swept by exactly one grid; a door spur goes to its
    building's grid, and no sweep walks it)."""
    import geopandas as gpd

    if not network.has_streets or network.edges.empty:
        return pd.Series(dtype=object)
    mids = gpd.GeoDataFrame(
        {"edge_id": network.edges["edge_id"].to_numpy()},
        geometry=shapely.line_interpolate_point(
            network.edges.geometry.values, 0.5, normalized=True
        ),
        crs=network.crs,
    )
    joined = gpd.sjoin_nearest(mids, grids[["grid_id", "geometry"]], how="left", max_distance=30.0)
    joined = joined[~joined.index.duplicated(keep="first")]
    return pd.Series(joined["grid_id"].to_numpy(), index=joined["edge_id"].to_numpy())


def sweep_edges(
    network: Network,
    scenario: Scenario,
    grid_id: str,
    edge_ids: list[str],
    *,
    merged: Mapping[str, str],
) -> list[str]:
    """The grid's streets a sweep walks.

    With ``sweep_scope = "residential"`` those within ``sweep_radius_m`` of the grid's
    homes (patrols walk where people live; campus paths and empty land stay out, and show
    up in coverage as not walked), else all of them. Motorways, trunk roads and ramps
    (:func:`~patrol.network.is_unswept`) stay out unless a home has no other street
    near; a carriageway merged into its parallel twin (``merged``) is walked as the twin.
    """
    from patrol.network import is_unswept

    cfg = scenario.settings.demand
    if not edge_ids:
        return edge_ids
    edges = network.edges.set_index("edge_id").loc[edge_ids]
    walkable = ~np.array([is_unswept(h) for h in edges["highway"]], dtype=bool)
    b = scenario.buildings
    homes = b.loc[(b["grid_id"] == grid_id) & (b["households"] > 0)]
    if cfg.sweep_scope == "all" or homes.empty:
        keep = np.flatnonzero(walkable) if walkable.any() else np.arange(len(edge_ids))
    else:
        tree = shapely.STRtree(homes.geometry.values)
        e_idx, h_idx = tree.query(
            edges.geometry.values, predicate="dwithin", distance=cfg.sweep_radius_m
        )
        served = set(h_idx[walkable[e_idx]].tolist())  # homes with a walkable street near
        use = walkable[e_idx] | ~np.isin(h_idx, list(served))
        keep = np.unique(e_idx[use])
        if not len(keep):
            keep = np.arange(len(edge_ids))
    in_grid = set(edge_ids)
    walked = [merged.get(edge_ids[i], edge_ids[i]) for i in keep]
    return list(dict.fromkeys(e for e in walked if e in in_grid)) or edge_ids


def grid_needs(scenario: Scenario) -> dict[str, GridNeed]:
    """Sweeps each grid needs: risk table or own figure, plus recent incidents."""
    import geopandas as gpd

    cfg = scenario.settings.demand
    recent = recent_incidents(scenario)
    if len(recent):
        joined = gpd.sjoin(
            recent[["geometry"]], scenario.grids[["grid_id", "geometry"]], predicate="within"
        )
        counts = joined.groupby("grid_id").size()
    else:
        counts = pd.Series(dtype=int)
    needs = {}
    for g in scenario.grids.itertuples(index=False):
        own = g.patrols_per_week
        base = int(own) if own == own else int(cfg.sweeps_per_week.get(g.risk, 2))
        n = int(counts.get(g.grid_id, 0))
        extra = 0
        if cfg.incidents_per_extra_sweep > 0:
            extra = min(cfg.max_extra_sweeps, n // cfg.incidents_per_extra_sweep)
        night = min(base + extra, int(cfg.night_sweeps_min.get(g.risk, 0)))
        needs[g.grid_id] = GridNeed(g.grid_id, g.risk, base, extra, night, n)
    return needs


def covering_walk(
    network: Network, edge_ids: Sequence[str], *, start_near: int | None = None
) -> list[list[int]]:
    """Closed walks (node lists) covering every given edge.

    Pieces of the grid's streets that do not touch are first joined by the shortest street
    path between them (walked too), so one sweep is one walk. The joined graph is made
    Eulerian by doubling the shortest links between its odd-degree nodes (greedy nearest
    pairing: within a few percent of the optimal matching on street grids, and fast), then
    walked as an Euler circuit from the node nearest ``start_near``. Pieces that no street
    path reaches get walks of their own.
    """
    import networkx as nx

    edges = network.edges.set_index("edge_id").loc[list(edge_ids)]
    graph = nx.MultiGraph()
    for u, v, length in zip(edges["u"], edges["v"], edges["length_m"], strict=True):
        graph.add_edge(int(u), int(v), length_m=float(length))
    _join_pieces(network, graph)
    walks = []
    for comp in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        sub = nx.MultiGraph(graph.subgraph(comp))
        _double_odd_links(network, sub)
        nodes = sorted(sub.nodes)
        if start_near is not None:
            xy = network.node_xy[nodes]
            target = network.node_xy[start_near]
            source = nodes[int(np.argmin(np.hypot(*(xy - target).T)))]
        else:
            source = nodes[0]
        if not nx.is_eulerian(sub):
            log.warning(
                "grid piece at node %d could not be made Eulerian; walking it edge by edge", source
            )
            walks.append([int(n) for n in nx.dfs_preorder_nodes(sub, source)])
            continue
        walk = [source] + [int(v) for _, v in nx.eulerian_circuit(sub, source=source)]
        walks.append(walk)
    return walks


def _join_pieces(network: Network, graph: nx.MultiGraph) -> None:
    """Connect the pieces of ``graph`` to its largest one by shortest street paths."""
    import networkx as nx

    pieces = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if len(pieces) < 2:
        return
    main = sorted(pieces[0])
    for piece in pieces[1:]:
        nodes = sorted(piece)
        dist = network.distance_matrix(nodes, main)
        if not np.isfinite(dist).any():
            continue
        i, j = np.unravel_index(int(np.argmin(dist)), dist.shape)
        path = network.path_nodes(nodes[int(i)], main[int(j)])
        for a, b in itertools.pairwise(path):
            graph.add_edge(a, b, length_m=0.0)
        main = sorted(set(main) | set(nodes) | set(path))


def _double_odd_links(network: Network, graph: nx.MultiGraph) -> None:
    """Make a connected graph Eulerian: pair odd nodes greedily, double the paths between."""
    odd = sorted(n for n, d in graph.degree() if d % 2)
    if not odd:
        return
    dist = network.distance_matrix(odd, odd)
    np.fill_diagonal(dist, np.inf)
    order = np.argsort(dist, axis=None, kind="stable")
    rows, cols = np.unravel_index(order, dist.shape)
    matched: set[int] = set()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if len(matched) == len(odd):
            break
        if i >= j or i in matched or j in matched or not np.isfinite(dist[i, j]):
            continue
        matched.update((i, j))
        for a, b in itertools.pairwise(network.path_nodes(odd[i], odd[j])):
            graph.add_edge(a, b, length_m=0.0)


def split_walk(network: Network, walk: list[int], max_length_m: float) -> list[list[int]]:
    """Cut a walk into consecutive parts no longer than ``max_length_m`` (at nodes)."""
    if len(walk) < 2:
        return [walk]
    dist = network.step_lengths(walk)
    total = sum(dist)
    n_parts = max(1, math.ceil(total / max_length_m)) if max_length_m > 0 else 1
    return _cut_walk(walk, dist, n_parts)


def _cut_walk(walk: list[int], dist: list[float], n_parts: int) -> list[list[int]]:
    """Cut a walk at nodes into ``n_parts`` consecutive parts of about equal length."""
    target = sum(dist) / n_parts
    parts: list[list[int]] = []
    current, run = [walk[0]], 0.0
    for node, d in zip(walk[1:], dist, strict=True):
        current.append(node)
        run += d
        if run >= target and len(parts) < n_parts - 1:
            parts.append(current)
            current, run = [node], 0.0
    parts.append(current)
    return [p for p in parts if len(p) > 1] or [walk]


def sweep_seconds(length_m: float, *, speed_mps: float, dwell_s: float, teams: TeamSettings) -> int:
    """The time of a sweep walk of ``length_m``: the walk, the dwell, and a rest stop of
    ``teams.rest_min`` after every ``teams.max_walk_min`` of walking."""
    walk_s = length_m / speed_mps
    bout_s = teams.max_walk_min * 60
    rests = max(0, math.ceil(walk_s / bout_s) - 1) if bout_s > 0 else 0
    return math.ceil(walk_s + dwell_s + rests * teams.rest_min * 60)


def fit_walk(
    network: Network,
    walk: list[int],
    *,
    post_node: int | None,
    max_walk_m: float,
    max_time_s: float,
    seconds_of: Callable[[float], float],
) -> list[list[int]]:
    """A grid's walk whole when it fits in one shift, else the fewest parts that each do.

    A part fits when its length plus the walk from the post and back is within
    ``max_walk_m`` and its time (``seconds_of(length)``) plus that walk is within
    ``max_time_s``. A walk that cannot be cut small enough comes back in its smallest
    parts (routing then leaves them unserved with a reason).
    """
    if len(walk) < 2:
        return [walk]
    dist = network.step_lengths(walk)
    total = sum(dist)
    speed = network.speed_mps
    parts = [walk]
    for n in range(1, max(1, math.ceil(total / 100.0)) + 1):
        parts = _cut_walk(walk, dist, n)
        if all(
            _fits(network, p, post_node, max_walk_m, max_time_s, seconds_of, speed) for p in parts
        ):
            return parts
    return parts


def _fits(
    network: Network,
    part: list[int],
    post_node: int | None,
    max_walk_m: float,
    max_time_s: float,
    seconds_of: Callable[[float], float],
    speed: float,
) -> bool:
    length = float(network.walk_geometry(part).length)
    approach = 0.0
    if post_node is not None:
        there = network.distance_matrix([post_node], [part[0]])[0, 0]
        back = network.distance_matrix([part[-1]], [post_node])[0, 0]
        approach = float(there + back) if np.isfinite(there + back) else 0.0
    walk_ok = max_walk_m <= 0 or length + approach <= max_walk_m
    return walk_ok and seconds_of(length) + approach / speed <= max_time_s


def find_hotspots(
    scenario: Scenario, network: Network, *, beat_of_grid: dict[str, str]
) -> list[Hotspot]:
    """Clusters of recent incidents (DBSCAN) with the shifts their hours fall in."""
    from sklearn.cluster import DBSCAN

    cfg = scenario.settings.demand
    recent = recent_incidents(scenario)
    if len(recent) < cfg.hotspot_min_incidents:
        return []
    xy = shapely.get_coordinates(recent.geometry.values)
    labels = DBSCAN(eps=cfg.hotspot_radius_m, min_samples=cfg.hotspot_min_incidents).fit_predict(xy)
    grids = scenario.grids
    hotspots: list[Hotspot] = []
    clusters = sorted(
        {int(k) for k in labels if k >= 0},
        key=lambda k: (-(labels == k).sum(), float(xy[labels == k, 0].mean())),
    )
    for n, k in enumerate(clusters, start=1):
        members = recent.iloc[np.flatnonzero(labels == k)]
        centre = shapely.Point(xy[labels == k].mean(axis=0))
        inside = grids.loc[grids.contains(centre), "grid_id"]
        grid_id = (
            str(inside.iloc[0])
            if len(inside)
            else str(grids.iloc[int(np.argmin(grids.distance(centre).to_numpy()))]["grid_id"])
        )
        shifts = _matching_shifts(scenario, members["time"])
        size = len(members)
        stops = min(
            7,
            cfg.hotspot_stops_per_week
            + max(0, size - cfg.hotspot_min_incidents) // cfg.hotspot_min_incidents,
        )
        hotspots.append(
            Hotspot(
                f"H{n:02d}",
                grid_id,
                beat_of_grid[grid_id],
                centre,
                size,
                dict(members["category"].value_counts().sort_index()),
                shifts,
                stops,
            )
        )
    return hotspots


def _matching_shifts(scenario: Scenario, times: pd.Series) -> tuple[str, ...]:
    """Shifts whose hours (±1 h) hold at least a quarter of the incidents (else the best)."""
    minutes = (times.dt.hour * 60 + times.dt.minute).to_numpy()
    scores = {}
    for shift in scenario.shifts:
        start = shift.start_s // 60 - 60
        end = start + shift.duration_s // 60 + 120
        inside = ((minutes - start) % 1440) < (end - start)
        scores[shift.name] = float(inside.mean()) if len(minutes) else 0.0
    chosen = tuple(s for s, v in scores.items() if v >= 0.25)
    return chosen or (max(scores, key=lambda s: scores[s]),)


def build_demand(scenario: Scenario, network: Network, slots: Sequence[ShiftSlot]) -> Demand:
    """Expand the week's demand into tasks (see the module docstring for the rules)."""
    needs = grid_needs(scenario)
    edge_grid = assign_edges_to_grids(network, scenario.grids)
    hotspots = find_hotspots(scenario, network, beat_of_grid=scenario.beat_of_grid())
    visits, visits_due = visit_tasks(scenario, network, slots)
    tasks = [
        *sweep_tasks(scenario, network, slots, needs=needs, edge_grid=edge_grid),
        *hotspot_tasks(scenario, network, slots, hotspots=hotspots),
        *visits,
    ]
    return Demand(tasks, needs, hotspots, edge_grid, visits_due)


def sweep_tasks(
    scenario: Scenario,
    network: Network,
    slots: Sequence[ShiftSlot],
    *,
    needs: Mapping[str, GridNeed],
    edge_grid: pd.Series,
) -> list[Task]:
    """Each grid's sweeps of the week: one task per sweep (a whole walk of the grid), or
    per part when the walk cannot fit in one shift; the first ``night_min`` sweeps only
    at night."""
    from patrol.network import merge_carriageways

    cfg = scenario.settings.demand
    teams = scenario.settings.teams
    speed = network.speed_mps
    beat_of_grid = scenario.beat_of_grid()
    all_keys = frozenset(s.key for s in slots)
    night_keys = frozenset(s.key for s in slots if s.night)
    post_of = _grid_posts(scenario, network)
    merged = merge_carriageways(network, gap_m=cfg.carriageway_gap_m)
    tasks: list[Task] = []
    dwell_s = cfg.sweep_dwell_min * 60
    shortest = min((s.duration_s for s in scenario.settings.shifts), default=3 * 3600)

    def seconds_of(length: float) -> float:
        return sweep_seconds(length, speed_mps=speed, dwell_s=dwell_s, teams=teams)

    grid_names = dict(zip(scenario.grids["grid_id"], scenario.grids["name"], strict=True))
    for g in scenario.grids["grid_id"]:
        need = needs[g]
        if need.total == 0:
            continue
        edge_ids = sweep_edges(
            network, scenario, g, list(edge_grid.index[edge_grid.to_numpy() == g]), merged=merged
        )
        parts: list[list[int]] = []
        for walk in covering_walk(network, edge_ids, start_near=post_of.get(g)) if edge_ids else []:
            for piece in fit_walk(
                network, walk, post_node=post_of.get(g), max_walk_m=teams.max_walk_km * 1000,
                max_time_s=0.9 * shortest, seconds_of=seconds_of,
            ):  # fmt: skip
                parts.extend(split_walk(network, piece, cfg.max_sweep_length_m))
        if not parts:
            # no street inside the grid (or no street layer): walk to its centre and back
            centre = scenario.grids.loc[scenario.grids["grid_id"] == g].geometry
            node = int(network.snap(centre.representative_point()).node[0])
            parts = [[node]]
        weight = RISK_WEIGHT.get(need.risk, 1.0)
        name = grid_names.get(g, g)
        for i in range(need.total):
            night_only = i < need.night_min
            for p, nodes in enumerate(parts):
                geom = network.walk_geometry(nodes) if len(nodes) > 1 else None
                length = float(geom.length) if geom is not None else 0.0
                # earlier sweeps of a grid matter more than later ones, so a short week
                # drops the last sweeps of the lowest-risk grids first
                w = weight * (1.0 + 0.5 * (need.total - i) / need.total) / len(parts)
                part_text = f" ({p + 1}/{len(parts)})" if len(parts) > 1 else ""
                tasks.append(
                    Task(
                        task_id=f"sweep:{g}:{i + 1}:{p + 1}",
                        kind="sweep",
                        target_id=g,
                        grid_id=g,
                        beat_id=beat_of_grid[g],
                        start_node=nodes[0],
                        end_node=nodes[-1],
                        service_s=math.ceil(seconds_of(length)),
                        weight=round(w, 4),
                        slots=night_keys if night_only else all_keys,
                        group=f"sweep:{g}:{p + 1}",
                        length_m=length,
                        geometry=geom,
                        description_zh=f"巡查{name}{part_text}",
                        description_en=f"Sweep grid {g}{part_text}",
                        night_only=night_only,
                        sweep_index=i,
                        part=p,
                        parts=len(parts),
                        group_size=need.total,
                    )
                )
    return tasks


def _grid_posts(scenario: Scenario, network: Network) -> dict[str, int]:
    """The network node of the post nearest each grid (its own beat's post first)."""
    posts = scenario.posts
    if posts.empty:
        return {}
    nodes = network.snap(posts.geometry).node
    beat_of = scenario.beat_of_grid()
    out: dict[str, int] = {}
    for g, geom in zip(scenario.grids["grid_id"], scenario.grids.geometry, strict=True):
        own = np.flatnonzero((posts["beat_id"] == beat_of.get(g)).to_numpy())
        if not len(own):
            own = np.arange(len(posts))
        dist = posts.geometry.values[own].distance(geom.representative_point())
        out[str(g)] = int(nodes[own[int(np.argmin(dist))]])
    return out


def _door_point(network: Network, node: int, homes: gpd.GeoDataFrame, k: int) -> shapely.Point:
    """Where a visit's marker goes: the building's door (the node the route reaches) when
    the network has one, else the building itself."""
    door = shapely.Point(network.node_xy[node])
    geom = homes.geometry.values[k]
    return door if geom.distance(door) < 0.5 else geom.representative_point()


def hotspot_tasks(
    scenario: Scenario,
    network: Network,
    slots: Sequence[ShiftSlot],
    *,
    hotspots: Sequence[Hotspot],
) -> list[Task]:
    """The stops at each hot spot, in the shifts its incidents fall in."""
    cfg = scenario.settings.demand
    tasks: list[Task] = []
    if hotspots:
        spot_nodes = network.snap(np.array([h.point for h in hotspots], dtype=object)).node
        for h, node in zip(hotspots, spot_nodes, strict=True):
            keys = frozenset(s.key for s in slots if s.shift in h.shifts)
            top = max(h.categories, key=lambda c: h.categories[c])
            for i in range(h.stops):
                tasks.append(
                    Task(
                        task_id=f"hotspot:{h.hotspot_id}:{i + 1}",
                        kind="hotspot",
                        target_id=h.hotspot_id,
                        grid_id=h.grid_id,
                        beat_id=h.beat_id,
                        start_node=int(node),
                        end_node=int(node),
                        service_s=int(cfg.hotspot_dwell_min * 60),
                        weight=round(1.0 + 0.1 * h.incidents, 4),
                        slots=keys,
                        group=f"hotspot:{h.hotspot_id}",
                        group_size=h.stops,
                        geometry=h.point,
                        description_zh=f"热点{h.hotspot_id}驻留（近期{h.incidents}起，{top}）",
                        description_en=f"Hot spot {h.hotspot_id} stop ({h.incidents} recent, "
                        f"mostly {top})",
                    )
                )
    return tasks


def visit_tasks(
    scenario: Scenario, network: Network, slots: Sequence[ShiftSlot]
) -> tuple[list[Task], dict[str, int]]:
    """The household visits due this week (each within its window up to its due day), and
    how many are due per grid."""
    cfg = scenario.settings.demand
    speed = network.speed_mps
    beat_of_grid = scenario.beat_of_grid()
    tasks: list[Task] = []
    visits_due: dict[str, int] = {}
    focus = scenario.focus_households
    if len(focus):
        b = scenario.buildings.set_index("building_id")
        homes = b.loc[focus["building_id"].to_numpy()]
        snapped = network.snap_doors(homes.geometry.values)
        address = homes["address"].to_numpy()
        days = list(scenario.settings.days)
        last_day = days[-1]
        records: list[dict[str, Any]] = [
            {str(k): v for k, v in r.items()} for r in focus.to_dict("records")
        ]
        for k, row in enumerate(records):
            every = int(row["visit_every_days"])
            last: dt.date | None = row["last_visit"]
            due = (
                scenario.settings.week_start
                if last is None
                else max(last + dt.timedelta(days=every), days[0])
            )
            n = 0
            window_start = days[0]
            while due <= last_day:
                keys = frozenset(s.key for s in slots if window_start <= s.date <= due)
                if not keys:
                    keys = frozenset(s.key for s in slots if s.date == days[0])
                n += 1
                overdue = last is not None and last + dt.timedelta(days=every) < days[0]
                w = VISIT_WEIGHT.get(row["category"], 1.5) * (1.3 if overdue else 1.0)
                tasks.append(
                    Task(
                        task_id=f"visit:{row['household_id']}:{n}",
                        kind="visit",
                        target_id=str(row["household_id"]),
                        grid_id=str(row["grid_id"]),
                        beat_id=beat_of_grid[str(row["grid_id"])],
                        start_node=int(snapped.node[k]),
                        end_node=int(snapped.node[k]),
                        service_s=int(cfg.visit_min * 60)
                        + math.ceil(2 * float(snapped.access_m[k]) / speed),
                        weight=round(w, 4),
                        slots=keys,
                        group=f"visit:{row['household_id']}",
                        geometry=_door_point(network, int(snapped.node[k]), homes, k),
                        description_zh=f"走访{address[k]}",
                        description_en=f"Visit at {address[k]}",
                        due=due,
                    )
                )
                visits_due[str(row["grid_id"])] = visits_due.get(str(row["grid_id"]), 0) + 1
                window_start = due + dt.timedelta(days=1)
                due = due + dt.timedelta(days=every)
    return tasks, visits_due
