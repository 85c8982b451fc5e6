"""Coverage at city scale on dask-geopandas, partitioned spatially into square tiles.

The city is cut into tiles of ``tile_m`` metres. Every building and street belongs to the
tile holding its representative point; each one is also copied, as context, into every
other tile within ``halo_m`` (a building covered from a street of the next tile, a camera
looking across, a track passing by), and so are tracks and cameras. Every layer becomes a
dask-geopandas frame indexed by tile and cut at the same tiles (:func:`tile_divisions`),
so partition *k* of each layer holds the same tiles, and the partitions are measured in
parallel with the station's own :func:`patrol.coverage.measure.measure_coverage`, one
tile at a time. Only a tile's own buildings and streets count; its blind-spot areas are
cut to the tile. The client then joins the pieces that meet across a tile border
(:func:`join_pieces`, from each piece's small seam part), so a blind spot that crosses a
tile or a station border is one area, named with every station it touches.

With ``halo_m`` at least the coverage radius plus the longest camera range plus the
blind-spot buffer, a tile's own features are measured exactly as in one whole run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

TILE_M = 4000.0
HALO_M = 150.0
"""Coverage radius 50 m + camera range up to 60 m + blind buffer 15 m, and a margin."""

SEAM_M = 1.0
"""The strip inside each tile border where the pieces of a blind spot are joined."""

_PIECE_COLUMNS = {
    "tile": "int64",
    "kind": "object",
    "piece": "int64",
    "buildings": "int64",
    "buildings_covered": "int64",
    "buildings_seen": "int64",
    "blind_buildings": "int64",
    "street_m": "float64",
    "walked_m": "float64",
    "blind_street_m": "float64",
}


@dataclass(frozen=True)
class CityCoverage:
    """The city's coverage: per-tile figures, merged blind spots and the headline shares."""

    tiles: gpd.GeoDataFrame
    blind_spots: gpd.GeoDataFrame
    summary: dict[str, float]


@dataclass(frozen=True)
class Tiling:
    """The tile lattice: origin, side and how many tiles across (for the integer key)."""

    x0: float
    y0: float
    tile_m: float
    cols: int

    def box(self, key: int) -> shapely.Geometry:
        iy, ix = divmod(int(key), self.cols)
        x, y = self.x0 + ix * self.tile_m, self.y0 + iy * self.tile_m
        return shapely.box(x, y, x + self.tile_m, y + self.tile_m)


def tiling_for(frames: list[gpd.GeoDataFrame], *, tile_m: float = TILE_M) -> Tiling:
    """The lattice over the bounds of every frame, with a free tile all round."""
    bounds = np.array([f.total_bounds for f in frames if len(f)])
    x0, y0 = bounds[:, 0].min() - tile_m, bounds[:, 1].min() - tile_m
    cols = math.ceil(float(bounds[:, 2].max() - x0) / tile_m) + 2
    return Tiling(float(x0), float(y0), float(tile_m), cols)


def tile_rows(frame: gpd.GeoDataFrame, tiling: Tiling, *, halo_m: float) -> gpd.GeoDataFrame:
    """``frame`` with ``tile`` and ``owned``: a row for the tile holding each feature's
    representative point (owned) and one for every other tile its box touches within
    ``halo_m`` (context)."""
    geoms = frame.geometry.to_numpy()
    if len(frame) == 0:
        empty = frame.iloc[:0].copy()
        return empty.assign(tile=np.zeros(0, np.int64), owned=np.zeros(0, bool))
    rep = shapely.point_on_surface(geoms)
    t, c = tiling.tile_m, tiling.cols
    own_x = np.floor((shapely.get_x(rep) - tiling.x0) / t).astype(np.int64)
    own_y = np.floor((shapely.get_y(rep) - tiling.y0) / t).astype(np.int64)
    b = shapely.bounds(geoms)
    lo_x = np.floor((b[:, 0] - halo_m - tiling.x0) / t).astype(np.int64)
    lo_y = np.floor((b[:, 1] - halo_m - tiling.y0) / t).astype(np.int64)
    hi_x = np.floor((b[:, 2] + halo_m - tiling.x0) / t).astype(np.int64)
    hi_y = np.floor((b[:, 3] + halo_m - tiling.y0) / t).astype(np.int64)
    rows, tiles, owned = [], [], []
    for dx in range(int((hi_x - lo_x).max()) + 1):
        for dy in range(int((hi_y - lo_y).max()) + 1):
            ix, iy = lo_x + dx, lo_y + dy
            hit = np.flatnonzero((ix <= hi_x) & (iy <= hi_y))
            rows.append(hit)
            tiles.append(iy[hit] * c + ix[hit])
            owned.append((ix[hit] == own_x[hit]) & (iy[hit] == own_y[hit]))
    index = np.concatenate(rows)
    out = frame.iloc[index].copy()
    out["tile"] = np.concatenate(tiles)
    out["owned"] = np.concatenate(owned)
    return out.reset_index(drop=True)


def measure_tile(
    key: int,
    tiling: Tiling,
    layers: dict[str, gpd.GeoDataFrame],
    *,
    week_start: pd.Timestamp,
    radius_m: float = 50.0,
) -> gpd.GeoDataFrame:
    """One tile measured: a ``tile`` row with its own features' figures, and its blind
    areas cut to the tile, each split at the seams (:func:`split_at_seams`): a
    ``kind = "blind"`` row with the part inside the seams and, for a piece that reaches
    one, a ``kind = "seam"`` row with the rest (same ``piece`` number)."""
    from patrol.coverage.measure import measure_coverage

    box = tiling.box(key)
    crs = layers["buildings"].crs
    buildings, streets = layers["buildings"], layers["streets"]
    grids = gpd.GeoDataFrame({"grid_id": [str(key)]}, geometry=[box.buffer(HALO_M * 4)], crs=crs)
    cov = measure_coverage(
        grids=grids,
        streets=streets.drop(columns=["tile", "owned"]),
        buildings=buildings.drop(columns=["tile", "owned"]),
        tracks=layers["tracks"].drop(columns=["tile", "owned"]),
        cameras=layers["cameras"].drop(columns=["tile", "owned"]),
        radius_m=radius_m,
        week_start=week_start,
    )
    own_b = buildings["owned"].to_numpy()
    own_s = streets["owned"].to_numpy()
    bt, st = cov.building_coverage, cov.street_coverage
    figures = {
        "tile": key,
        "kind": "tile",
        "buildings": int(own_b.sum()),
        "buildings_covered": int(bt["covered"].to_numpy()[own_b].sum()),
        "buildings_seen": int(bt["entrance_seen"].to_numpy()[own_b].sum()),
        "blind_buildings": int(bt["blind"].to_numpy()[own_b].sum()),
        "street_m": float(st["length_m"].to_numpy()[own_s].sum()),
        "walked_m": float(st["walked_m"].to_numpy()[own_s].sum()),
        "blind_street_m": float(st["length_m"].to_numpy()[own_s & st["blind"].to_numpy()].sum()),
    }
    week = cov.blind_spots.loc[cov.blind_spots["band"] == "week"]
    pieces = _polygons(shapely.intersection(week.geometry.to_numpy(), box))
    inside, seams = split_at_seams(pieces, box)
    at_seam = np.flatnonzero(~shapely.is_empty(seams))
    rows = [figures]
    rows += [{"tile": key, "kind": "blind", "piece": j} for j in range(len(inside))]
    rows += [{"tile": key, "kind": "seam", "piece": int(j)} for j in at_seam]
    frame = pd.DataFrame(rows).reindex(columns=list(_PIECE_COLUMNS)).fillna(0)
    geoms = [box, *inside, *seams[at_seam]]
    return gpd.GeoDataFrame(frame.astype(_PIECE_COLUMNS), geometry=geoms, crs=crs)


def _polygons(geoms: Any) -> Any:
    """The polygons of ``geoms``, collections and multi-parts taken apart (cutting an
    area at a box can leave a line or a point where it only touches the box)."""
    parts = shapely.get_parts(shapely.get_parts(geoms))
    return parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]


def split_at_seams(pieces: Any, box: shapely.Geometry) -> tuple[Any, Any]:
    """Each blind piece of the tile ``box`` as its part more than :data:`SEAM_M` inside
    the box and the rest, the seam part (empty for a piece clear of the seams).

    The two parts of a piece come from overlays of the same two shapes, so they share
    their edges exactly: the client then joins a blind spot that crosses tile borders by
    a union of its small seam parts and a coverage union of the rest, never an overlay of
    every vertex of a district-sized area (3 times faster at 100,000 buildings).
    """
    inner = shapely.buffer(box, -SEAM_M, join_style="mitre")
    reaches = ~shapely.within(pieces, inner)
    inside = pieces.copy()
    seams = np.full(len(pieces), shapely.Polygon(), dtype=object)
    inside[reaches] = shapely.intersection(pieces[reaches], inner)
    seams[reaches] = shapely.difference(pieces[reaches], inner)
    return inside, seams


def tile_divisions(frames: list[pd.DataFrame], *, npartitions: int) -> tuple[int, ...]:
    """Dask divisions over the tile index: at most ``npartitions`` ranges of tiles with
    about the same number of rows of ``frames`` each."""
    counts = pd.concat([f.index.to_series().value_counts() for f in frames]).groupby(level=0).sum()
    counts = counts.sort_index()
    keys = counts.index.to_numpy()
    share = np.cumsum(counts.to_numpy()) / counts.sum()
    group = np.minimum((share * npartitions).astype(int), npartitions - 1)
    first = [int(keys[0])] + [
        int(k) for k, g, h in zip(keys[1:], group[1:], group[:-1], strict=True) if g != h
    ]
    return (*first, int(keys[-1]))


def _measure_partition(
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    tracks: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame,
    *,
    tiling: Tiling,
    week_start: pd.Timestamp,
    crs: Any,
) -> gpd.GeoDataFrame:
    """Every tile whose own buildings or streets lie in this partition (frames indexed
    by tile), measured."""
    buildings, streets, tracks, cameras = (
        gpd.GeoDataFrame(f.reset_index(), geometry="geometry", crs=crs)
        for f in (buildings, streets, tracks, cameras)
    )
    own = set(buildings.loc[buildings["owned"], "tile"]) | set(
        streets.loc[streets["owned"], "tile"]
    )
    parts = [_meta(buildings.crs)]
    for key in sorted(int(k) for k in own):
        layers = {
            name: frame.loc[frame["tile"].to_numpy() == key]
            for name, frame in (
                ("buildings", buildings),
                ("streets", streets),
                ("tracks", tracks),
                ("cameras", cameras),
            )
        }
        parts.append(measure_tile(key, tiling, layers, week_start=week_start))
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=buildings.crs)


def _meta(crs: Any) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({k: pd.Series(dtype=v) for k, v in _PIECE_COLUMNS.items()})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def measure_city(
    *,
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame,
    tracks: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame | None = None,
    week_start: pd.Timestamp,
    tile_m: float = TILE_M,
    halo_m: float = HALO_M,
    npartitions: int = 8,
) -> CityCoverage:
    """Measure the whole city's coverage on the current Dask scheduler (a
    ``distributed.Client`` when one is active, else Dask's local threads).

    Layers in one metric CRS, as :func:`~patrol.coverage.measure.measure_coverage`
    takes them; ``stations`` (``station``, polygon) names the stations each merged blind
    spot touches.
    """
    import dask.dataframe as dd
    import dask_geopandas as dgpd

    tiling = tiling_for([buildings, streets], tile_m=tile_m)
    tracks = tracks.assign(
        start=pd.to_datetime(tracks["start"], format="ISO8601"),
        end=pd.to_datetime(tracks["end"], format="ISO8601"),
    )
    rows = {
        name: tile_rows(frame.reset_index(drop=True), tiling, halo_m=halo_m)
        .set_index("tile")
        .sort_index(kind="stable")
        for name, frame in (
            ("buildings", buildings),
            ("streets", streets),
            ("tracks", tracks),
            ("cameras", cameras),
        )
    }
    cuts = tile_divisions([rows["buildings"], rows["streets"]], npartitions=npartitions)
    # spatially partitioned: every layer cut at the same tiles, a tile never split
    spread = {
        name: dgpd.from_geopandas(frame, npartitions=1, sort=True).repartition(
            divisions=cuts, force=True
        )
        for name, frame in rows.items()
    }
    pieces = dd.map_partitions(  # type: ignore[no-untyped-call]
        _measure_partition,
        spread["buildings"],
        spread["streets"],
        spread["tracks"],
        spread["cameras"],
        tiling=tiling,
        week_start=week_start,
        crs=buildings.crs,
        meta=_meta(buildings.crs),
    )
    result = gpd.GeoDataFrame(pieces.compute(), crs=buildings.crs)
    return _merge(result, stations)


def _merge(pieces: gpd.GeoDataFrame, stations: gpd.GeoDataFrame | None) -> CityCoverage:
    """Join touching blind pieces into areas, name their stations, add the headline."""
    tiles = pieces.loc[pieces["kind"] == "tile"].drop(columns="kind").sort_values("tile")
    blind = pieces.loc[pieces["kind"] == "blind"]
    seams = pieces.loc[pieces["kind"] == "seam"]
    areas = gpd.GeoDataFrame(geometry=join_pieces(blind, seams), crs=pieces.crs)
    areas["area_m2"] = areas.area
    areas = areas.sort_values("area_m2", ascending=False, kind="stable").reset_index(drop=True)
    areas.insert(0, "blind_id", [f"CB{k + 1:05d}" for k in range(len(areas))])
    areas["stations"] = _stations_of(areas, stations)
    sums = tiles[list(_PIECE_COLUMNS)[2:]].sum()
    summary = {
        "tiles": float(len(tiles)),
        "buildings": float(sums["buildings"]),
        "buildings_covered_share": _share(sums["buildings_covered"], sums["buildings"]),
        "blind_buildings_share": _share(sums["blind_buildings"], sums["buildings"]),
        "street_m": float(sums["street_m"]),
        "street_walked_share": _share(sums["walked_m"], sums["street_m"]),
        "blind_street_share": _share(sums["blind_street_m"], sums["street_m"]),
        "blind_spots": float(len(areas)),
        "blind_spots_across_stations": float(
            sum(";" in s for s in areas["stations"]) if len(areas) else 0
        ),
    }
    return CityCoverage(tiles=tiles.reset_index(drop=True), blind_spots=areas, summary=summary)


def join_pieces(blind: gpd.GeoDataFrame, seams: gpd.GeoDataFrame) -> list[Any]:
    """The blind spots from the tiles' pieces: ``blind`` rows (``tile``, ``piece``, the
    part inside the seams) and ``seams`` rows (the same keys, the seam part). A piece
    with no seam part is whole already; pieces whose seam parts meet across a tile
    border are one blind spot: the union of their seam parts, then a coverage union
    with their inner parts (which share those edges exactly)."""
    geoms = blind.geometry.to_numpy()
    if not len(geoms):
        return []
    row_of = {k: i for i, k in enumerate(zip(blind["tile"], blind["piece"], strict=True))}
    keys = zip(seams["tile"], seams["piece"], strict=True)
    seam_rows = np.array([row_of[k] for k in keys], dtype=np.int64)
    kept = list(geoms[np.setdiff1d(np.arange(len(geoms)), seam_rows)])
    parts = seams.geometry.to_numpy()
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    for members in _groups(len(parts), left, right):
        joined = shapely.union_all(parts[members])
        pieces = _polygons(np.array([joined, *geoms[seam_rows[members]]], dtype=object))
        kept.extend(_polygons(shapely.coverage_union_all(pieces)))
    return kept


def _groups(n: int, left: Any, right: Any) -> list[list[int]]:
    """The connected groups of ``n`` items linked by the pairs ``left[k], right[k]``."""
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for a, b in zip(left, right, strict=True):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _share(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole else float("nan")


def _stations_of(areas: gpd.GeoDataFrame, stations: gpd.GeoDataFrame | None) -> list[str]:
    if stations is None or not len(areas):
        return [""] * len(areas)
    tree = shapely.STRtree(stations.geometry.to_numpy())
    hit_area, hit_station = tree.query(areas.geometry.to_numpy(), predicate="intersects")
    names = stations["station"].to_numpy()
    found: dict[int, set[str]] = {}
    for a, s in zip(hit_area, hit_station, strict=True):
        found.setdefault(int(a), set()).add(str(names[s]))
    return [";".join(sorted(found.get(k, set()))) for k in range(len(areas))]


def city_layers(folders: list[Path]) -> dict[str, gpd.GeoDataFrame]:
    """The whole bureau's buildings, streets, cameras, tracks (the planned legs) and
    station outlines, read from the stations' plan stores, in the first one's CRS."""
    from patrol.store.layers import read_layer

    found: dict[str, list[gpd.GeoDataFrame]] = {
        k: [] for k in ("buildings", "streets", "cameras", "tracks", "stations")
    }
    crs = None
    for folder in folders:
        gpkg = folder / "plan.gpkg"

        def layer(name: str, columns: list[str], gpkg: Path = gpkg) -> gpd.GeoDataFrame:
            frame = gpd.GeoDataFrame(read_layer(gpkg, name))
            kept = [c for c in columns if c in frame.columns]
            return gpd.GeoDataFrame(frame[[*kept, "geometry"]], geometry="geometry")

        grids = layer("scenario_grids", [])
        crs = crs or grids.crs
        outline = gpd.GeoDataFrame(
            {"station": [folder.name]}, geometry=[grids.union_all()], crs=grids.crs
        )
        parts = {
            "buildings": layer("scenario_buildings", ["building_id", "households", "residents"]),
            "streets": layer("network_edges", ["edge_id", "highway", "name"]),
            "cameras": layer(
                "scenario_cameras", ["camera_id", "range_m", "direction_deg", "fov_deg"]
            ),
            "tracks": layer("legs", ["team_id", "start", "end", "night"]),
            "stations": outline,
        }
        for name, frame in parts.items():
            found[name].append(frame.to_crs(crs))
    return {
        name: gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
        for name, frames in found.items()
    }
