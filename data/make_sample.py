"""Build the bundled sample scenario ``data/zhenganli/`` from the OSM extract.

Run from the repository root::

    python data/make_sample.py            # writes data/zhenganli/
    python data/make_sample.py --seed 7   # another draw of the synthetic layers

Real: street lines and building footprints (OpenStreetMap, © OpenStreetMap contributors,
ODbL 1.0) around China Agricultural University East Campus, Haidian, Beijing, read from
``data/sources/beijing-haidian-cau-osm/``. Synthetic, modelled on 政安里 community (Jinnan,
Tianjin; 2,834 households, 6,000+ residents, six compounds, 10 grids): grids, beats,
household figures, the police room, roster, incidents, cameras and focus households.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import shutil
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sources" / "beijing-haidian-cau-osm"
OUT = HERE / "zhenganli"
UTM = "EPSG:32650"
WGS84 = "EPSG:4326"
# The bounds requested for the OSM export (SOURCE.md): about 1.35 x 1.25 km.
AREA_LONLAT = (116.34403, 39.99767, 116.35974, 40.00888)
HOUSEHOLDS = 2834
RESIDENTS = 6120
WEEK_START = dt.date(2026, 11, 30)
DROP_HIGHWAYS = {"motorway", "motorway_link", "construction"}
MAJOR_HIGHWAYS = {
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "residential",
    "living_street",
    "unclassified",
}
MAIN_STREETS = {"primary", "secondary", "tertiary"}
RESIDENTIAL_TAGS = {"residential", "apartments", "house"}
CATEGORIES = (
    "ebike_theft",
    "burglary",
    "fraud",
    "dispute",
    "domestic",
    "fire_hazard",
    "noise",
    "other",
)
SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
    "萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宁海燕春林凤云亮雪梅")

# (beat, compound, grid name) for the 10 grids, in beat order; east/west etc. by position.
GRID_PLAN = [
    ("B1", "政安里", "政安里第一网格"),
    ("B1", "政安里", "政安里第二网格"),
    ("B1", "政安里", "政安里第三网格"),
    ("B1", "教师楼", "教师楼网格"),
    ("B2", "人安里", "人安里东网格"),
    ("B2", "人安里", "人安里西网格"),
    ("B2", "育英里", "育英里网格"),
    ("B3", "和盛里", "和盛里北网格"),
    ("B3", "和盛里", "和盛里南网格"),
    ("B3", "通安里", "通安里网格"),
]


# --- helpers -----------------------------------------------------------------------------


def bearing_deg(a: Point, b: Point) -> float:
    """Compass bearing from a to b in the projected CRS (grid north ~ true north here)."""
    return (math.degrees(math.atan2(b.x - a.x, b.y - a.y)) + 360.0) % 360.0


def fake_name(rng: np.random.Generator) -> str:
    given = "".join(rng.choice(GIVEN, size=int(rng.choice([1, 2], p=[0.3, 0.7]))))
    return str(rng.choice(SURNAMES)) + given


def fake_phone(rng: np.random.Generator) -> str:
    prefix = rng.choice(["138", "139", "135", "136", "137", "150", "158", "186", "188", "133"])
    return f"{prefix}****{int(rng.integers(0, 10000)):04d}"


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject and snap to 1e-7 degrees (about 1 cm), the precision written to file,
    so that shared grid edges stay shared and polygons stay valid."""
    out = gdf.to_crs(WGS84)
    geoms = shapely.set_precision(out.geometry.values, 1e-7)
    out["geometry"] = [
        _polygonal(g) if g.geom_type in {"Polygon", "MultiPolygon", "GeometryCollection"} else g
        for g in geoms
    ]
    return out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    if path.exists():
        path.unlink()
    gdf.to_file(
        path, driver="GeoJSON", engine="pyogrio", layer_options={"COORDINATE_PRECISION": "7"}
    )


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


# --- roads -------------------------------------------------------------------------------


def build_roads(area: Polygon) -> tuple[gpd.GeoDataFrame, int]:
    """Clip walkable streets to the area, node them, keep the largest connected component."""
    streets = gpd.read_file(SOURCE / "beijing_cau_streets.geojson").to_crs(UTM)
    streets = streets[~streets["highway"].isin(DROP_HIGHWAYS)].copy()
    streets["geometry"] = streets.geometry.intersection(area)
    streets = streets[~streets.geometry.is_empty].explode(index_parts=False)
    streets = streets[streets.geom_type == "LineString"].reset_index(drop=True)
    # unary_union nodes the lines: every crossing becomes a segment end
    segments = list(shapely.get_parts(shapely.unary_union(streets.geometry.values)))
    tree = shapely.STRtree(streets.geometry.values)
    mids = [s.interpolate(0.5, normalized=True) for s in segments]
    idx = tree.query_nearest(mids, return_distance=False, all_matches=False)[1]
    roads = gpd.GeoDataFrame(
        {"highway": streets["highway"].values[idx], "name": streets["name"].values[idx]},
        geometry=segments,
        crs=UTM,
    )
    roads = roads[roads.length > 0.5].reset_index(drop=True)
    graph = nx.Graph()
    for i, geom in enumerate(roads.geometry):
        a = tuple(np.round(geom.coords[0], 2))
        b = tuple(np.round(geom.coords[-1], 2))
        graph.add_edge(a, b, key=i)
    largest = max(nx.connected_components(graph), key=len)
    keep = [i for i, g in enumerate(roads.geometry) if tuple(np.round(g.coords[0], 2)) in largest]
    dropped = len(roads) - len(keep)
    roads = roads.iloc[keep].reset_index(drop=True)
    roads["name"] = roads["name"].fillna("")
    return roads, dropped


# --- buildings and households ------------------------------------------------------------


def _elongation(geom: Polygon) -> float:
    rect = geom.minimum_rotated_rectangle
    c = np.asarray(rect.exterior.coords)
    d = np.hypot(*np.diff(c[:3], axis=0).T)
    return float(max(d) / max(min(d), 1.0))


def build_buildings(area: Polygon, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Real footprints in the area; households on residential multi-storey buildings."""
    b = gpd.read_file(SOURCE / "beijing_cau_buildings.geojson").to_crs(UTM)
    b = b[b.representative_point().within(area)].copy()
    b["geometry"] = [shapely.make_valid(g) for g in b.geometry]
    b["geometry"] = [
        max(shapely.get_parts(g), key=lambda p: p.area) if g.geom_type != "Polygon" else g
        for g in b.geometry
    ]
    b = b.sort_values("osm_id" if "osm_id" in b and b["osm_id"].notna().all() else "osm_way_id")
    b["osm_ref"] = b["osm_id"].fillna(b["osm_way_id"]).astype(str)
    b = b.sort_values("osm_ref").reset_index(drop=True)
    levels = b["other_tags"].fillna("").str.extract(r'"building:levels"=>"(\d+)"')[0]
    area_m2 = b.area.to_numpy()
    elong = np.array([_elongation(g) for g in b.geometry])
    name = b["name"].fillna("")
    numbered = name.str.fullmatch(r"(.{0,4}\d+号楼)|")
    tag = b["building"].fillna("yes")
    residential = tag.isin(RESIDENTIAL_TAGS) & (area_m2 >= 150)
    residential |= (tag == "yes") & numbered & (area_m2 >= 250) & (area_m2 <= 2300) & (elong >= 1.6)
    floors = np.zeros(len(b), dtype=int)
    for i in range(len(b)):
        if isinstance(levels.iloc[i], str):
            floors[i] = int(levels.iloc[i])
        elif residential.iloc[i]:
            if tag.iloc[i] == "house":
                floors[i] = int(rng.integers(2, 4))
            elif tag.iloc[i] == "residential":  # old walk-up slabs
                floors[i] = int(rng.choice([5, 6, 6, 6, 7]))
            elif area_m2[i] < 900 and elong[i] < 2.5:  # point towers
                floors[i] = int(rng.choice([11, 12, 14, 16, 18]))
            else:
                floors[i] = int(rng.choice([6, 6, 9, 11, 12, 15, 18]))
        else:
            floors[i] = int(rng.choice([1, 2, 3, 4, 5, 6]))
    raw = np.where(residential, area_m2 * floors * 0.75 / 85.0, 0.0)
    households = _round_to_total(raw, HOUSEHOLDS)
    ratio = rng.uniform(1.8, 2.6, len(b)) * (households > 0)
    residents = _round_to_total(households * ratio, RESIDENTS)
    residents = np.maximum(residents, households)  # at least one resident per household
    out = gpd.GeoDataFrame(
        {
            "osm_name": name.to_numpy(),
            "households": households,
            "residents": residents,
            "floors": floors,
            "residential": residential.to_numpy(),
        },
        geometry=b.geometry.values,
        crs=UTM,
    )
    return out


def _round_to_total(raw: np.ndarray, total: int) -> np.ndarray:
    """Scale ``raw`` to sum to ``total`` and round by largest remainder."""
    scaled = raw / raw.sum() * total
    base = np.floor(scaled).astype(int)
    rest = total - int(base.sum())
    order = np.argsort(-(scaled - base), kind="stable")
    base[order[:rest]] += 1
    return base


# --- grids and beats ---------------------------------------------------------------------


def build_atoms(
    area: Polygon, roads: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Street blocks (faces of the major streets); blocks with many households are split
    into Voronoi groups of their buildings so grids can balance households."""
    major = roads[roads["highway"].isin(MAJOR_HIGHWAYS)].geometry.tolist()
    lines = shapely.unary_union([*major, area.boundary])
    faces = [
        f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))) if f.area > 1.0
    ]
    pts = buildings.representative_point()
    faces = _merge_medians(faces, pts)
    blocks = gpd.GeoDataFrame(geometry=faces, crs=UTM)
    target = HOUSEHOLDS / len(GRID_PLAN)
    atoms: list[tuple[Polygon, float]] = []
    for face in blocks.geometry:
        inside = buildings[pts.within(face).to_numpy()]
        hh = float(inside["households"].sum())
        k = math.ceil(hh / (0.25 * target))
        if k <= 1 or len(inside) < 2:
            atoms.append((face, hh))
            continue
        cells = _building_cells(face, inside)
        groups = _bisect(
            list(range(len(inside))),
            np.array([[c.x, c.y] for c in inside.representative_point()]),
            inside["households"].to_numpy(dtype=float) + 1.0,
            k,
        )
        for group in groups:
            geom = shapely.unary_union([cells[i] for i in group])
            atoms.append((geom, float(inside["households"].to_numpy()[group].sum())))
    return gpd.GeoDataFrame(
        {"households": [a[1] for a in atoms]}, geometry=[a[0] for a in atoms], crs=UTM
    )


def _merge_medians(faces: list[Polygon], pts: gpd.GeoSeries) -> list[Polygon]:
    """Fold thin empty faces (medians of dual carriageways, slip-road islands) into the
    neighbouring block they share most boundary with."""
    faces = list(faces)
    while True:
        thin = [
            i for i, f in enumerate(faces) if f.area / f.length < 15.0 and not pts.within(f).any()
        ]
        if not thin:
            return faces
        i = min(thin, key=lambda k: faces[k].area)
        shared = [
            (faces[i].buffer(0.05).intersection(f).area, j) for j, f in enumerate(faces) if j != i
        ]
        best = max(shared)[1]
        faces[best] = shapely.unary_union([faces[best], faces[i]])
        del faces[i]


def _building_cells(face: Polygon, inside: gpd.GeoDataFrame) -> list[Polygon]:
    """Voronoi cells of each building's outline (densified), clipped to the block."""
    coords, owner = [], []
    for i, geom in enumerate(inside.geometry):
        ring = shapely.segmentize(geom.exterior, 8.0)
        xy = np.unique(np.round(np.asarray(ring.coords), 3), axis=0)
        coords.append(xy)
        owner.extend([i] * len(xy))
    xy = np.vstack(coords)
    xy, first = np.unique(xy, axis=0, return_index=True)
    owner_arr = np.asarray(owner)[first]
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(xy), extend_to=face.buffer(50)))
    tree = shapely.STRtree(shapely.points(xy))
    cell_idx, pt_idx = tree.query(cells, predicate="contains")
    parts: list[list[Polygon]] = [[] for _ in range(len(inside))]
    for c, p in zip(cell_idx, pt_idx, strict=True):
        parts[owner_arr[p]].append(cells[c])
    return [shapely.unary_union(p).intersection(face) for p in parts]


def _bisect(items: list[int], xy: np.ndarray, weight: np.ndarray, n: int) -> list[list[int]]:
    """Recursive coordinate bisection into ``n`` groups of about equal weight."""
    if n == 1:
        return [items]
    sub = xy[items]
    axis = int(np.ptp(sub[:, 1]) > np.ptp(sub[:, 0]))
    order = [items[i] for i in np.argsort(sub[:, axis], kind="stable")]
    n1 = n // 2
    cum = np.cumsum(weight[order])
    cut = int(np.searchsorted(cum, cum[-1] * n1 / n)) + 1
    cut = min(max(cut, 1), len(order) - 1)
    return _bisect(order[:cut], xy, weight, n1) + _bisect(order[cut:], xy, weight, n - n1)


def build_grids(
    area: Polygon, atoms: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Group atoms into 3 beats (4+3+3 grids) and 10 contiguous grids of similar size."""
    xy = np.array([[p.x, p.y] for p in atoms.representative_point()])
    hh = atoms["households"].to_numpy()
    w = 0.95 * hh / hh.sum() + 0.05 * atoms.area.to_numpy() / atoms.area.sum()
    items = list(range(len(atoms)))
    ordered = _bisect_sizes(items, xy, w, [4, 3, 3])
    labels = np.zeros(len(atoms), dtype=int)
    g = 0
    for beat_items, n in zip(ordered, [4, 3, 3], strict=True):
        for grid_items in _bisect(beat_items, xy, w, n):
            labels[grid_items] = g
            g += 1
    adjacency = _adjacency(atoms)
    labels = _make_contiguous(adjacency, atoms, labels)
    beat_of = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    labels = _balance(adjacency, w, labels, beat_of)
    geoms = [shapely.unary_union(atoms.geometry.values[labels == k]) for k in range(10)]
    geoms = _attach_detached(geoms)
    # Each footprint lies wholly in the grid of its representative point.
    pts = buildings.representative_point()
    owner = np.array([int(np.argmin([g.distance(p) for g in geoms])) for p in pts])
    fps = buildings.geometry.values
    final = []
    for k in range(10):
        mine = shapely.unary_union([*fps[owner == k], geoms[k]])
        others = shapely.unary_union(list(fps[owner != k]))
        geom = shapely.make_valid(mine.difference(others))
        parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
        # keep the main body and the pieces holding footprints; drop slivers
        main_part = max(parts, key=lambda p: p.area)
        keep = [p for p in parts if p is main_part or p.area > 50.0]
        final.append(shapely.unary_union(keep))
    grids = gpd.GeoDataFrame({"k": range(10)}, geometry=final, crs=UTM)
    buildings["k"] = owner
    return grids


def _attach_detached(geoms: list[Polygon]) -> list[Polygon]:
    """A grid is one polygon: a detached piece joins the grid it shares most edge with."""
    geoms = list(geoms)
    for _ in range(100):
        multi = [k for k, g in enumerate(geoms) if len(shapely.get_parts(g)) > 1]
        if not multi:
            break
        k = multi[0]
        parts = sorted(shapely.get_parts(geoms[k]), key=lambda p: -p.area)
        piece = parts[-1]
        shared = [
            (piece.buffer(0.05).intersection(g).area, j) for j, g in enumerate(geoms) if j != k
        ]
        j = max(shared)[1]
        geoms[j] = shapely.unary_union([geoms[j], piece])
        geoms[k] = shapely.unary_union(parts[:-1])
    return geoms


def _adjacency(atoms: gpd.GeoDataFrame) -> nx.Graph:
    """Atoms sharing more than 5 m of boundary."""
    geoms = atoms.geometry.values
    graph = nx.Graph()
    graph.add_nodes_from(range(len(geoms)))
    tree = shapely.STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if i < j and geoms[i].buffer(0.05).intersection(geoms[j]).area > 0.25:
            graph.add_edge(int(i), int(j))
    return graph


def _bisect_sizes(
    items: list[int], xy: np.ndarray, w: np.ndarray, sizes: list[int]
) -> list[list[int]]:
    """Split into len(sizes) groups with weights proportional to sizes (first vs rest)."""
    if len(sizes) == 1:
        return [items]
    sub = xy[items]
    axis = int(np.ptp(sub[:, 1]) > np.ptp(sub[:, 0]))
    order = [items[i] for i in np.argsort(sub[:, axis], kind="stable")]
    cum = np.cumsum(w[order])
    cut = int(np.searchsorted(cum, cum[-1] * sizes[0] / sum(sizes))) + 1
    return [order[:cut], *_bisect_sizes(order[cut:], xy, w, sizes[1:])]


def _make_contiguous(graph: nx.Graph, atoms: gpd.GeoDataFrame, labels: np.ndarray) -> np.ndarray:
    """Give detached pieces of a grid to the neighbouring grid they touch most."""
    labels = labels.copy()
    area = atoms.area.to_numpy()
    for _ in range(50):
        changed = False
        for k in range(labels.max() + 1):
            sub = graph.subgraph(np.flatnonzero(labels == k))
            comps = sorted(nx.connected_components(sub), key=lambda c: -sum(area[i] for i in c))
            for comp in comps[1:]:
                votes: dict[int, int] = {}
                for i in comp:
                    for j in graph.neighbors(i):
                        if labels[j] != k:
                            votes[int(labels[j])] = votes.get(int(labels[j]), 0) + 1
                if votes:
                    labels[list(comp)] = max(sorted(votes), key=lambda v: votes[v])
                    changed = True
        if not changed:
            break
    return labels


def _balance(graph: nx.Graph, w: np.ndarray, labels: np.ndarray, beat_of: np.ndarray) -> np.ndarray:
    """Move boundary atoms from heavier to lighter neighbouring grids while it evens
    them out and keeps every grid and every beat connected."""
    labels = labels.copy()
    n = labels.max() + 1
    for _ in range(2000):
        load = np.bincount(labels, weights=w, minlength=n)
        best: tuple[float, int, int] | None = None
        for i in graph.nodes:
            a = labels[i]
            for j in graph.neighbors(i):
                b = labels[j]
                if a == b:
                    continue
                gain = load[a] - load[b] - w[i]  # > 0: the pair gets more even
                if gain > 1e-9 and (best is None or gain * w[i] > best[0]):
                    rest = [x for x in np.flatnonzero(labels == a) if x != i]
                    beat_rest = [x for x in np.flatnonzero(beat_of[labels] == beat_of[a]) if x != i]
                    if (
                        rest
                        and nx.is_connected(graph.subgraph(rest))
                        and nx.is_connected(graph.subgraph(beat_rest))
                    ):
                        best = (gain * w[i], int(i), int(b))
        if best is None:
            break
        labels[best[1]] = best[2]
    return labels


# --- the synthetic layers ----------------------------------------------------------------


def name_grids(grids: gpd.GeoDataFrame) -> None:
    """Grid ids in beat order; east/west and north/south names by position."""
    c = grids.representative_point()
    grids["cx"], grids["cy"] = c.x, c.y
    names = [p[2] for p in GRID_PLAN]
    # grids 4,5 are 人安里 (east first), 7,8 和盛里 (north first): order by position.
    for a, b, coord in ((4, 5, "cx"), (7, 8, "cy")):
        if grids.loc[a, coord] < grids.loc[b, coord]:
            names[a], names[b] = names[b], names[a]
    grids["grid_id"] = [f"G{k + 1:02d}" for k in range(10)]
    grids["name"] = names
    grids["beat_id"] = [p[0] for p in GRID_PLAN]
    grids["compound"] = [p[1] for p in GRID_PLAN]


def address_buildings(buildings: gpd.GeoDataFrame, grids: gpd.GeoDataFrame) -> None:
    """``<compound><n>号楼``; OSM names are kept (numbered ones get the compound prefix)."""
    compound = grids["compound"].to_numpy()[buildings["k"].to_numpy()]
    buildings["compound"] = compound
    order = np.lexsort(
        (
            -buildings.representative_point().y.to_numpy(),
            buildings.representative_point().x.to_numpy(),
        )
    )
    used: dict[str, set[int]] = {}
    for name, comp in zip(buildings["osm_name"], compound, strict=True):
        m = re.fullmatch(r"(\d+)号楼", name)
        if m:
            used.setdefault(comp, set()).add(int(m.group(1)))
    counters: dict[str, int] = {}
    addresses = [""] * len(buildings)
    for i in order:
        name, comp = buildings["osm_name"].iloc[i], compound[i]
        if re.fullmatch(r"\d+号楼", name):
            addresses[i] = comp + name
        elif name:
            addresses[i] = name
        else:
            n = counters.get(comp, 0) + 1
            while n in used.get(comp, set()):
                n += 1
            counters[comp] = n
            addresses[i] = f"{comp}{n}号楼"
    buildings["address"] = addresses
    buildings["building_id"] = [f"BLD{i + 1:03d}" for i in range(len(buildings))]


def place_post(roads: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> Point:
    """On a minor street nearest the households' centre of gravity."""
    pts = buildings.representative_point()
    w = buildings["households"].to_numpy()
    centre = Point(float(np.average(pts.x, weights=w)), float(np.average(pts.y, weights=w)))
    minor = roads[roads["highway"].isin({"service", "residential", "living_street"})]
    nearest = minor.geometry.iloc[int(np.argmin(minor.distance(centre).to_numpy()))]
    return nearest.interpolate(nearest.project(centre))


def make_incidents(
    rng: np.random.Generator, area: Polygon, buildings: gpd.GeoDataFrame, hotspots: dict[str, Point]
) -> pd.DataFrame:
    """A year of incidents: e-bike thefts at bike parking by night, disputes in the old
    compound by evening, fraud spread over homes by day; fewer as the year goes on."""
    counts = {
        "ebike_theft": 82,
        "dispute": 58,
        "fraud": 54,
        "noise": 34,
        "domestic": 24,
        "burglary": 20,
        "fire_hazard": 19,
        "other": 25,
    }
    hours = {
        "ebike_theft": [19, 20, 21, 22, 23, 0, 1, 2, 3, 12, 18],
        "dispute": [17, 18, 19, 19, 20, 20, 21, 10, 15],
        "fraud": [9, 10, 10, 11, 14, 15, 16],
        "noise": [21, 22, 22, 23, 23, 0, 12],
        "domestic": [19, 20, 21, 22, 23, 7],
        "burglary": [10, 11, 13, 14, 15, 2, 3],
        "fire_hazard": [19, 20, 21, 22, 23, 0, 1, 12],
        "other": list(range(8, 23)),
    }
    severity = {
        "ebike_theft": [1, 2],
        "dispute": [1, 1, 2, 3],
        "fraud": [2, 2, 3],
        "noise": [1],
        "domestic": [1, 2, 3],
        "burglary": [2, 3],
        "fire_hazard": [2, 3],
        "other": [1, 1, 2],
    }
    res = buildings[buildings["households"] > 0]
    res_pts = res.representative_point()
    res_w = res["households"].to_numpy(dtype=float)
    old = res["old"].to_numpy()
    end = WEEK_START - dt.timedelta(days=1)
    days = np.arange(365)
    # the trend: incidents fall over the year ("a quarter of last year's"), summer peak
    trend = np.linspace(1.7, 0.6, 365) * (1 + 0.35 * np.sin((days - 120) / 365 * 2 * np.pi))
    rows = []
    for cat in CATEGORIES:
        for _ in range(counts[cat]):
            if cat == "ebike_theft":
                spot = hotspots[str(rng.choice(["metro", "mall", "bikes"], p=[0.4, 0.25, 0.35]))]
                pt = _near(rng, spot, 35.0, area)
            elif cat == "dispute" and rng.random() < 0.6:
                pt = _near(rng, hotspots["old"], 70.0, area)
            else:
                w = res_w * (np.where(old, 2.5, 1.0) if cat in {"fraud", "fire_hazard"} else 1)
                i = int(rng.choice(len(res), p=w / w.sum()))
                pt = _near(rng, res_pts.iloc[i], 12.0, area)
            day = int(rng.choice(days, p=trend / trend.sum()))
            date = end - dt.timedelta(days=364 - day)
            when = dt.datetime.combine(
                date, dt.time(int(rng.choice(hours[cat])), int(rng.integers(0, 60)))
            )
            rows.append((when, cat, int(rng.choice(severity[cat])), pt))
    rows.sort(key=lambda r: (r[0], r[1]))
    pts = gpd.GeoSeries([r[3] for r in rows], crs=UTM).to_crs(WGS84)
    return pd.DataFrame(
        {
            "incident_id": [f"I{i + 1:04d}" for i in range(len(rows))],
            "time": [r[0].isoformat(timespec="seconds") for r in rows],
            "category": [r[1] for r in rows],
            "severity": [r[2] for r in rows],
            "lon": np.round(pts.x.to_numpy(), 6),
            "lat": np.round(pts.y.to_numpy(), 6),
        }
    )


def _near(rng: np.random.Generator, centre: Point, sigma_m: float, area: Polygon) -> Point:
    for _ in range(100):
        p = Point(centre.x + rng.normal(0, sigma_m), centre.y + rng.normal(0, sigma_m))
        if area.contains(p):
            return p
    return centre


def make_cameras(
    rng: np.random.Generator,
    roads: gpd.GeoDataFrame,
    post: Point,
    hotspots: dict[str, Point],
    old_zone: Polygon,
) -> pd.DataFrame:
    """Entrances and main streets covered; the old compound's back lanes are not."""
    cams: list[tuple[Point, float | None, float | None, float]] = []
    ends: dict[tuple[float, float], list[int]] = {}
    for i, g in enumerate(roads.geometry):
        for c in (g.coords[0], g.coords[-1]):
            ends.setdefault((round(c[0], 2), round(c[1], 2)), []).append(i)
    hw = roads["highway"].to_numpy()
    # compound entrances: a service road meeting a major street; camera looks inwards
    entrances = []
    for node, segs in sorted(ends.items()):
        kinds = {hw[s] for s in segs}
        if "service" in kinds and kinds & MAJOR_HIGHWAYS:
            seg = next(s for s in segs if hw[s] == "service")
            geom = roads.geometry.iloc[seg]
            p = Point(node)
            inner = geom.interpolate(
                min(20.0, geom.length)
                if Point(geom.coords[0]).distance(p) < 0.1
                else max(geom.length - 20.0, 0.0)
            )
            entrances.append((p, bearing_deg(p, inner)))
    order = rng.permutation(len(entrances))
    taken: list[Point] = []
    for i in order:
        p, brg = entrances[i]
        if len(taken) >= 16 or any(p.distance(q) < 60 for q in taken):
            continue
        taken.append(p)
        cams.append(
            (
                p,
                round(brg),
                float(rng.choice([60, 70, 80, 90])),
                float(rng.choice([40, 45, 50, 60])),
            )
        )
    # main streets every ~170 m, looking along the street
    for geom in roads[roads["highway"].isin(MAIN_STREETS)].geometry:
        for d in np.arange(60.0, geom.length - 20.0, 170.0):
            p = geom.interpolate(d)
            if any(p.distance(q) < 80 for q in taken) or len(cams) >= 32:
                continue
            ahead = geom.interpolate(min(d + 10.0, geom.length))
            taken.append(p)
            cams.append((p, round(bearing_deg(p, ahead)), float(rng.choice([90, 100, 110])), 60.0))
    # domes: the police room, the hot spots, and a few busy intersections
    domes = [post, hotspots["metro"], hotspots["mall"]]
    busy = sorted((n for n, s in ends.items() if len(s) >= 4), key=lambda n: (n[0], n[1]))
    for n in (busy[i] for i in rng.permutation(len(busy))):
        if len(domes) >= 40 - len(cams):
            break
        p = Point(n)
        if not any(p.distance(q) < 60 for q in taken + domes):
            domes.append(p)
    for p in domes:
        cams.append((p, None, None, float(rng.choice([20, 25, 30]))))
    # the gap: the old compound's lanes have no camera apart from its gate
    kept = [c for c in cams if not old_zone.contains(c[0])]
    pts = gpd.GeoSeries([c[0] for c in kept], crs=UTM).to_crs(WGS84)
    return pd.DataFrame(
        {
            "camera_id": [f"C{i + 1:02d}" for i in range(len(kept))],
            "lon": np.round(pts.x.to_numpy(), 6),
            "lat": np.round(pts.y.to_numpy(), 6),
            "range_m": [c[3] for c in kept],
            "direction_deg": pd.array([c[1] for c in kept], dtype="Int64"),
            "fov_deg": pd.array([c[2] for c in kept], dtype="Int64"),
        }
    )


def make_focus(rng: np.random.Generator, buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    """About 60 households with visit schedules; some due this week, some not."""
    plan = [
        ("elderly_alone", 22, "独居老人", [7, 14, 14]),
        ("hardship", 12, "困难家庭", [14, 30]),
        ("special_attention", 8, "重点关注", [7]),
        ("mental_health", 8, "精神障碍患者", [7, 14]),
        ("disabled", 10, "残疾人", [30, 30, 14]),
    ]
    res = buildings[buildings["households"] > 0]
    w = res["households"].to_numpy(dtype=float) * np.where(res["old"], 2.0, 1.0)
    rows = []
    for cat, n, label, every in plan:
        for _ in range(n):
            i = int(rng.choice(len(res), p=w / w.sum()))
            days = int(rng.choice(every))
            last = WEEK_START - dt.timedelta(days=int(rng.integers(1, 31)))
            who = str(rng.choice(SURNAMES)) + str(rng.choice(["某某", "某", "某某"]))
            rows.append((res["building_id"].iloc[i], days, cat, last.isoformat(), f"{label} {who}"))
    rows.sort(key=lambda r: (r[0], r[2]))
    return pd.DataFrame(
        {
            "household_id": [f"H{i + 1:03d}" for i in range(len(rows))],
            "building_id": [r[0] for r in rows],
            "visit_every_days": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "last_visit": [r[3] for r in rows],
            "label": [r[4] for r in rows],
        }
    )


def make_roster(rng: np.random.Generator, grids: gpd.GeoDataFrame) -> pd.DataFrame:
    """一区一警、一区两辅警, one grid worker per grid, 25 volunteers/cadres/elders.

    Police capacity per beat is close to the 21 shifts of a week and grid workers rest on
    Sundays, so most shifts can field a 1+1+N team in every beat, but not all of them.
    """
    rows: list[tuple[str, str, str, str, str, str, int | None]] = []
    police = {
        "B1": [
            ("officer", "Mon-Fri day,afternoon; Tue,Thu night; Sat day", 8),
            ("auxiliary", "Mon-Sun night; Sat-Sun afternoon", 7),
            ("auxiliary", "周一-周五 day,afternoon; 周日 day", 7),
        ],
        "B2": [
            ("officer", "Mon-Fri day,afternoon,night", 7),
            ("auxiliary", "Mon-Sat night; Sun all", 7),
            ("auxiliary", "Mon-Sat day,afternoon", 6),
        ],
        "B3": [
            ("officer", "Mon-Fri day,afternoon; Wed night", 6),
            ("auxiliary", "Mon-Sun night", 6),
            ("auxiliary", "Mon,Wed,Fri-Sun day,afternoon", 6),
        ],
    }
    for beat, people in police.items():
        for role, avail, cap in people:
            rows.append((fake_name(rng), role, beat, "", avail, fake_phone(rng), cap))
    gw_avail = [
        "周一-周五 day,afternoon",
        "Mon-Fri day,afternoon; Sat day",
        "Mon-Fri afternoon,night; Sat night",
        "Mon-Fri day,night",
    ]
    for k, g in grids.iterrows():
        avail = gw_avail[int(k) % len(gw_avail)]
        rows.append(
            (
                fake_name(rng),
                "grid_worker",
                g["beat_id"],
                g["grid_id"],
                avail,
                fake_phone(rng),
                int(rng.choice([5, 6])),
            )
        )
    others = (
        [("elder", "Mon-Fri day", 3)] * 4
        + [("elder", "周一-周五 day,afternoon", 4)] * 3
        + [("elder", "Mon,Wed,Fri day; Tue,Thu afternoon", 3)] * 2
        + [("cadre", "Mon-Fri day,afternoon", 4)] * 3
        + [("cadre", "Mon-Fri day; Thu night", 3)] * 2
        + [("volunteer", "Mon-Fri night; Sat-Sun all", 3)] * 4
        + [("volunteer", "Sat-Sun day,afternoon", 2)] * 2
        + [("volunteer", "Mon-Sun afternoon", 3)] * 2
        + [("volunteer", "Fri-Sun night", 2)] * 2
        + [("volunteer", "", 2)]
    )
    grid_ids = grids["grid_id"].tolist()
    for role, avail, cap in others:
        home = str(rng.choice(grid_ids))
        rows.append((fake_name(rng), role, "", home, avail, fake_phone(rng), cap))
    return pd.DataFrame(
        {
            "person_id": [f"P{i + 1:03d}" for i in range(len(rows))],
            "name": [r[0] for r in rows],
            "role": [r[1] for r in rows],
            "beat_id": [r[2] for r in rows],
            "grid_id": [r[3] for r in rows],
            "available": [r[4] for r in rows],
            "max_shifts_per_week": pd.array([r[6] for r in rows], dtype="Int64"),
            "phone": [r[5] for r in rows],
        }
    )


PATROL_TOML = """\
station = "政安里警务室"
week_start = "2026-11-30"
language = "zh"
input_crs = "EPSG:4326"

[[shifts]]
name = "day"
start = "09:00"
end = "12:00"

[[shifts]]
name = "afternoon"
start = "14:00"
end = "17:00"

[[shifts]]
name = "night"
start = "19:00"
end = "22:00"

[teams]
min_others = 1
"""


def main(seed: int = 2026, out: Path = OUT) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    area = gpd.GeoSeries([box(*AREA_LONLAT)], crs=WGS84).to_crs(UTM).iloc[0]
    roads, dropped = build_roads(area)
    buildings = build_buildings(area, rng)
    atoms = build_atoms(area, roads, buildings)
    grids = build_grids(area, atoms, buildings)
    name_grids(grids)
    address_buildings(buildings, grids)
    buildings["grid_id"] = grids["grid_id"].to_numpy()[buildings["k"].to_numpy()]
    gsum = buildings.groupby("k")[["households", "residents"]].sum()
    grids["households"] = gsum["households"].reindex(range(10), fill_value=0).to_numpy()
    grids["residents"] = gsum["residents"].reindex(range(10), fill_value=0).to_numpy()

    # hot spots from the map: the metro entrance, the mall, the densest bike parking
    # (the largest residential building's door) and the old walk-up compound
    named = dict(zip(buildings["osm_name"], buildings.geometry, strict=False))
    res = buildings[buildings["households"] > 0]
    buildings["old"] = buildings["residential"] & (buildings["floors"] <= 7)
    old = buildings[buildings["old"] & (buildings["households"] > 0)]
    old_c = old.representative_point()
    # the old compound: the densest cluster of walk-ups
    dens = [int((old_c.distance(p) < 150).sum()) for p in old_c]
    old_centre = old_c.iloc[int(np.argmax(dens))]
    biggest = res.geometry.iloc[int(np.argmax(res["households"].to_numpy()))]
    hotspots = {
        "metro": _door(named.get("六道口", biggest), roads),
        "mall": _door(named.get("新辰里学清路店", biggest), roads),
        "bikes": _door(biggest, roads),
        "old": old_centre,
    }
    post = place_post(roads, buildings)
    incidents = make_incidents(rng, area, buildings, hotspots)
    inc_pts = gpd.GeoSeries(
        gpd.points_from_xy(incidents["lon"], incidents["lat"]), crs=WGS84
    ).to_crs(UTM)
    per_grid = np.array([int(inc_pts.within(g).sum()) for g in grids.geometry])
    rank = np.argsort(-per_grid, kind="stable")
    risk = np.array(["green"] * 10, dtype=object)
    risk[rank[0]] = "red"
    risk[rank[1]] = "orange"
    risk[rank[2:5]] = "yellow"
    grids["risk"] = risk
    old_zone = old_centre.buffer(110.0)
    cameras = make_cameras(rng, roads, post, hotspots, old_zone)
    focus = make_focus(rng, buildings)
    roster = make_roster(rng, grids)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_geojson(
        to_wgs84(
            grids[["grid_id", "name", "beat_id", "risk", "households", "residents", "geometry"]]
        ),
        out / "grids.geojson",
    )
    write_geojson(
        to_wgs84(
            buildings[
                [
                    "building_id",
                    "grid_id",
                    "households",
                    "residents",
                    "address",
                    "floors",
                    "geometry",
                ]
            ]
        ),
        out / "buildings.geojson",
    )
    write_geojson(to_wgs84(roads[["highway", "name", "geometry"]]), out / "roads.geojson")
    write_geojson(
        to_wgs84(
            gpd.GeoDataFrame(
                {"post_id": ["WS1"], "name": ["政安里警务室"], "beat_id": [""]},
                geometry=[post],
                crs=UTM,
            )
        ),
        out / "posts.geojson",
    )
    write_csv(incidents, out / "incidents.csv")
    write_csv(cameras, out / "cameras.csv")
    write_csv(focus, out / "focus_households.csv")
    write_csv(roster, out / "roster.csv")
    (out / "patrol.toml").write_text(PATROL_TOML, encoding="utf-8")
    figures = {
        "roads": len(roads),
        "roads_dropped": dropped,
        "grids": len(grids),
        "buildings": len(buildings),
        "residential_buildings": int((buildings.households > 0).sum()),
        "households": int(buildings.households.sum()),
        "residents": int(buildings.residents.sum()),
        "incidents": len(incidents),
        "cameras": len(cameras),
        "focus_households": len(focus),
        "roster": len(roster),
    }
    for k, g in grids.iterrows():
        figures[f"{g['grid_id']} {g['name']} {g['beat_id']} {g['risk']} incidents"] = int(
            per_grid[int(k)]
        )
        figures[f"{g['grid_id']} households"] = int(g["households"])
    return figures


def _door(geom: Polygon, roads: gpd.GeoDataFrame) -> Point:
    """The point on the nearest street in front of a building."""
    c = geom.representative_point()
    seg = roads.geometry.iloc[int(np.argmin(roads.distance(c).to_numpy()))]
    p = seg.interpolate(seg.project(c))
    # a few metres from the street towards the building: where bikes are parked
    d = max(p.distance(c), 1e-9)
    return Point(p.x + (c.x - p.x) * min(8.0 / d, 1.0), p.y + (c.y - p.y) * min(8.0 / d, 1.0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for key, value in main(args.seed, args.out).items():
        print(f"{key}: {value}")
