"""Import the Mesa, Arizona GeoDaNet sample (libpysal) as a walking patrol scenario.

Real: the 293 **street** segments and the 287 **crime points** of a 1.6 km × 1.6 km area of
Mesa (NIJ project data, 2010, as shipped in libpysal's ``geodanet`` example).

Made up, from ``seed``: the crimes' times (the 90 days before the planned week, hours by
category) and categories (the data has neither); the **grids** – a 3 × 3 split whose cut
lines are moved onto the nearest long straight street, so grid edges follow streets – and
the three beats (the north, middle and south rows); **buildings** as points along the
streets with households; one post on the street nearest the centre; cameras at
intersections; focus households; the roster.

Run ``patrol import mesa OUT``.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points

from patrol.scenario.importers import (
    StaffPlan,
    default_source,
    make_roster,
    require_files,
    toml_text,
    write_scenario_folder,
)

log = logging.getLogger("patrol")

METRIC_CRS = "EPSG:32612"  # UTM 12N, metres
SOURCE_FILES = (
    "streets.shp",
    "streets.shx",
    "streets.dbf",
    "streets.prj",
    "crimes.shp",
    "crimes.shx",
    "crimes.dbf",
    "crimes.prj",
)
WEEK_START = dt.date(2010, 7, 12)  # the Monday after the crime file was clipped (2010-07-08)
LOOKBACK_DAYS = 90
GRID_MARGIN_M = 30.0  # the grids reach past the outermost streets
CUT_WINDOW_M = 150.0  # a cut line may move this far onto a street
BUILDING_SPACING_M = 40.0
BUILDING_OFFSET_M = 15.0
PERSONS_PER_HOUSEHOLD = 2.6
ROW_NAMES = ("North", "Middle", "South")
COL_NAMES = ("West", "Centre", "East")

# category: (share, hours of day it happens, severities)
CATEGORIES: dict[str, tuple[float, tuple[int, ...], tuple[int, ...]]] = {
    "other": (0.28, (10, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22), (1, 1, 2)),
    "burglary": (0.18, (9, 10, 11, 13, 14, 15, 2, 3), (2, 3)),
    "dispute": (0.15, (16, 18, 19, 20, 21, 22, 23, 0), (1, 2, 3)),
    "domestic": (0.10, (18, 19, 20, 21, 22, 23, 0, 1), (1, 2, 3)),
    "fraud": (0.09, (9, 10, 11, 13, 14, 15, 16), (2, 3)),
    "noise": (0.10, (20, 21, 22, 23, 0, 1), (1,)),
    "ebike_theft": (0.07, (19, 20, 21, 22, 23, 0, 1, 2, 12), (1, 2)),
    "fire_hazard": (0.03, (11, 14, 17, 19, 20), (2, 3)),
}

MESA_STAFF = StaffPlan(
    police=(
        ("officer", "Mon-Fri day,afternoon; Tue,Thu night", 7),
        ("auxiliary", "Mon-Sun night; Sat-Sun afternoon", 7),
        ("auxiliary", "Mon-Sat day,afternoon", 6),
    ),
    grid_worker_availability=(
        "Mon-Fri day,afternoon",
        "Mon-Fri day,afternoon; Sat day",
        "Mon-Fri afternoon,night; Sat night",
        "Mon-Fri day,night",
    ),
    others=(
        *[("elder", "Mon-Fri day", 3)] * 4,
        *[("elder", "Mon-Fri day,afternoon", 4)] * 3,
        *[("cadre", "Mon-Fri day,afternoon", 4)] * 3,
        *[("cadre", "Mon-Fri day; Thu night", 3)] * 2,
        *[("volunteer", "Mon-Fri night; Sat-Sun all", 3)] * 4,
        *[("volunteer", "Sat-Sun day,afternoon", 2)] * 2,
        *[("volunteer", "Mon-Sun afternoon", 3)] * 2,
        *[("volunteer", "Fri-Sun night", 2)] * 2,
        ("volunteer", "", 2),
    ),
)


def read_streets(source: Path) -> gpd.GeoDataFrame:
    """The real street segments in metres (``street_id``, ``length_m``)."""
    streets = gpd.read_file(source / "streets.shp").to_crs(METRIC_CRS)
    streets = streets.loc[streets.geometry.notna() & ~streets.geometry.is_empty]
    out = gpd.GeoDataFrame(
        {
            "street_id": [f"S{int(i):03d}" for i in streets["ID"]],
            "highway": "residential",
            "name": "",
        },
        geometry=streets.geometry.to_numpy(),
        crs=METRIC_CRS,
    )
    out["length_m"] = np.round(out.length, 1)
    return out.reset_index(drop=True)


def street_cuts(
    streets: gpd.GeoDataFrame, lo: float, hi: float, *, axis: int, parts: int = 3
) -> list[float]:
    """Cut positions splitting [lo, hi] into ``parts``, each moved onto the coordinate
    (x for ``axis=0``, y for 1) with the most straight street length within
    :data:`CUT_WINDOW_M` of the even split, so grid edges follow streets."""
    b = streets.bounds.to_numpy()
    span_other = b[:, 3 - axis] - b[:, 1 - axis]  # extent across the cut direction
    flat = (b[:, 2 + axis] - b[:, axis]) < 5.0  # runs along the cut line
    pos = (b[flat, axis] + b[flat, 2 + axis]) / 2
    weight = span_other[flat]
    cuts = []
    for k in range(1, parts):
        target = lo + (hi - lo) * k / parts
        near = np.abs(pos - target) <= CUT_WINDOW_M
        if not near.any():
            cuts.append(target)
            continue
        bins = np.round(pos[near] / 10.0) * 10.0
        totals = pd.Series(weight[near]).groupby(bins).sum()
        best = float(totals.index.to_numpy()[int(np.argmax(totals.to_numpy()))])
        # the mean position of the street pieces in the winning 10 m bin
        cuts.append(float(np.mean(pos[near][bins == best])))
    return cuts


def make_grids(streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nine grids (3 × 3, cut along streets) in three beats (rows north to south)."""
    x0, y0, x1, y1 = streets.total_bounds
    xs = [x0 - GRID_MARGIN_M, *street_cuts(streets, x0, x1, axis=0), x1 + GRID_MARGIN_M]
    ys = [y0 - GRID_MARGIN_M, *street_cuts(streets, y0, y1, axis=1), y1 + GRID_MARGIN_M]
    rows = []
    for r in range(3):  # north to south
        for c in range(3):  # west to east
            ya, yb = ys[2 - r], ys[3 - r]
            rows.append(
                {
                    "grid_id": f"G{3 * r + c + 1}",
                    "name": f"{ROW_NAMES[r]} {COL_NAMES[c]}",
                    "beat_id": f"B{r + 1}",
                    "geometry": shapely.box(xs[c], ya, xs[c + 1], yb),
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)


def make_buildings(
    rng: np.random.Generator, streets: gpd.GeoDataFrame, grids: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Building points on both sides of every street, one per :data:`BUILDING_SPACING_M`,
    kept off other streets; mostly single-family homes, some small and large apartments."""
    lines = streets.geometry.to_numpy()
    pts: list[shapely.Point] = []
    for line in lines:
        length = line.length
        if length < BUILDING_SPACING_M:
            continue
        n = int(length // BUILDING_SPACING_M)
        at = (np.arange(n) + 0.5) * (length / n)
        for d in at:
            a = line.interpolate(max(d - 1.0, 0.0))
            b = line.interpolate(min(d + 1.0, length))
            dx, dy = b.x - a.x, b.y - a.y
            norm = float(np.hypot(dx, dy)) or 1.0
            mid = line.interpolate(d)
            for side in (1.0, -1.0):
                pts.append(
                    shapely.Point(
                        mid.x - side * dy / norm * BUILDING_OFFSET_M,
                        mid.y + side * dx / norm * BUILDING_OFFSET_M,
                    )
                )
    cand = gpd.GeoSeries(pts, crs=METRIC_CRS)
    tree = shapely.STRtree(lines)
    _, dist = tree.query_nearest(cand.to_numpy(), return_distance=True, all_matches=False)
    keep = dist >= BUILDING_OFFSET_M - 1.0
    cand = cand[keep].reset_index(drop=True)
    # drop near-duplicates (two streets' buildings meeting at a corner)
    xy = np.round(shapely.get_coordinates(cand.to_numpy()) / 12.0)
    cand = cand[~pd.DataFrame(xy).duplicated().to_numpy()].reset_index(drop=True)
    inside = cand.within(shapely.union_all(grids.geometry.values)).to_numpy()
    cand = cand[inside].reset_index(drop=True)
    kind = rng.choice(3, len(cand), p=[0.82, 0.14, 0.04])
    households = np.where(
        kind == 0,
        1,
        np.where(kind == 1, rng.integers(2, 5, len(cand)), rng.integers(12, 49, len(cand))),
    )
    residents = np.maximum(
        1, np.round(households * rng.normal(PERSONS_PER_HOUSEHOLD, 0.5, len(cand)))
    ).astype(int)
    floors = np.where(kind == 2, rng.integers(2, 4, len(cand)), 1)
    return gpd.GeoDataFrame(
        {
            "building_id": [f"BLD{i + 1:04d}" for i in range(len(cand))],
            "households": households.astype(int),
            "residents": residents,
            "floors": floors,
            "address": [
                f"House {i + 1}" if k == 0 else f"Apartments {i + 1}" for i, k in enumerate(kind)
            ],
        },
        geometry=cand.to_numpy(),
        crs=METRIC_CRS,
    )


def make_incidents(
    rng: np.random.Generator, crimes: gpd.GeoSeries, week_start: dt.date
) -> gpd.GeoDataFrame:
    """The real crime points with made-up categories and times in the look-back window."""
    names = list(CATEGORIES)
    share = np.array([CATEGORIES[c][0] for c in names])
    cats = [names[int(i)] for i in rng.choice(len(names), len(crimes), p=share / share.sum())]
    start = pd.Timestamp(week_start) - pd.Timedelta(days=LOOKBACK_DAYS)
    times = []
    severities = []
    for cat in cats:
        _, hours, sev = CATEGORIES[cat]
        day = int(rng.integers(LOOKBACK_DAYS))
        hour = int(rng.choice(hours))
        minute = int(rng.integers(60))
        times.append(start + pd.Timedelta(days=day, hours=hour, minutes=minute))
        severities.append(int(rng.choice(sev)))
    frame = gpd.GeoDataFrame(
        {
            "incident_id": [f"MESA{i + 1:04d}" for i in range(len(crimes))],
            "time": [t.strftime("%Y-%m-%dT%H:%M:%S") for t in times],
            "category": cats,
            "severity": severities,
            "_time": times,
        },
        geometry=crimes.to_numpy(),
        crs=METRIC_CRS,
    )
    frame = frame.sort_values(["_time", "incident_id"], kind="stable")
    return frame.drop(columns="_time").reset_index(drop=True)


def intersections(streets: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Street ends shared by three or more segments: (n, 2) coordinates and degrees."""
    ends = np.vstack(
        [shapely.get_coordinates(shapely.get_point(streets.geometry.values, i)) for i in (0, -1)]
    )
    keys = np.round(ends / 2.0)
    uniq, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    xy = np.vstack([ends[inverse.ravel() == k].mean(axis=0) for k in range(len(uniq))])
    return xy[counts >= 3], counts[counts >= 3]


def make_cameras(
    rng: np.random.Generator,
    streets: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    *,
    n_busy: int = 6,
    n_other: int = 6,
) -> gpd.GeoDataFrame:
    """Cameras at intersections: the ``n_busy`` with the most crimes within 100 m (cameras
    go where trouble was) and ``n_other`` random ones, each looking down one of its
    streets (90° field, 40 m) – or all round (a dome) for one in four."""
    xy, _ = intersections(streets)
    inc = shapely.get_coordinates(incidents.geometry.values)
    near = np.array([(np.hypot(*(inc - p).T) <= 100.0).sum() for p in xy])
    busy = list(np.argsort(-near, kind="stable")[:n_busy])
    rest = [i for i in range(len(xy)) if i not in busy]
    chosen = busy + sorted(int(i) for i in rng.choice(rest, min(n_other, len(rest)), replace=False))
    tree = shapely.STRtree(streets.geometry.values)
    rows = []
    for k, i in enumerate(chosen):
        p = shapely.Point(xy[i])
        touching = tree.query(p.buffer(3.0), predicate="intersects")
        line = streets.geometry.values[int(rng.choice(touching))]
        a, b = shapely.get_coordinates(line)[[0, -1]]
        far = b if np.hypot(*(a - xy[i])) < np.hypot(*(b - xy[i])) else a
        bearing = float(np.degrees(np.arctan2(far[0] - xy[i][0], far[1] - xy[i][1])) % 360)
        dome = rng.random() < 0.25
        rows.append(
            {
                "camera_id": f"CAM{k + 1:02d}",
                "range_m": 40.0,
                "direction_deg": np.nan if dome else round(bearing, 1),
                "fov_deg": np.nan if dome else 90.0,
                "geometry": p,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)


def make_focus(
    rng: np.random.Generator, buildings: gpd.GeoDataFrame, week_start: dt.date
) -> pd.DataFrame:
    """Focus households in about one building in 25."""
    n = max(1, len(buildings) // 25)
    picks = np.sort(rng.choice(len(buildings), n, replace=False))
    cats = ("elderly_alone", "hardship", "special_attention", "mental_health", "disabled")
    every = {
        "elderly_alone": 7,
        "hardship": 14,
        "special_attention": 7,
        "mental_health": 14,
        "disabled": 30,
    }
    chosen = [cats[int(i)] for i in rng.choice(len(cats), n, p=[0.4, 0.2, 0.15, 0.1, 0.15])]
    ago = rng.integers(1, 35, n)
    return pd.DataFrame(
        {
            "household_id": [f"H{i + 1:03d}" for i in range(n)],
            "building_id": buildings["building_id"].to_numpy()[picks],
            "visit_every_days": [every[c] for c in chosen],
            "category": chosen,
            "last_visit": [(week_start - dt.timedelta(days=int(d))).isoformat() for d in ago],
            "label": [f"{c.replace('_', ' ')} (synthetic)" for c in chosen],
        }
    )


def import_mesa(
    out_dir: str | Path,
    *,
    seed: int = 0,
    week_start: dt.date = WEEK_START,
    source: str | Path | None = None,
) -> Path:
    """Write the Mesa scenario folder and return its path.

    Parameters
    ----------
    out_dir : the folder to write (created; files in it are replaced).
    seed : seeds everything made up (times, categories, buildings, cameras, roster).
    week_start : the Monday to plan; the crimes get times in the 90 days before it.
    source : folder with libpysal's ``streets`` and ``crimes`` shapefiles (default the
        repository's ``examples/data/mesa``).
    """
    src = Path(source) if source is not None else default_source("mesa")
    require_files(src, SOURCE_FILES)
    rng = np.random.default_rng(seed)
    streets = read_streets(src)
    grids = make_grids(streets)
    area = shapely.union_all(grids.geometry.values)
    crimes = gpd.read_file(src / "crimes.shp").to_crs(METRIC_CRS).geometry
    crimes = crimes[crimes.within(area).to_numpy()].reset_index(drop=True)
    incidents = make_incidents(rng, crimes, week_start)
    buildings = make_buildings(rng, streets, grids)
    count_residents(grids, buildings)
    grids["risk"] = risk_by_density(grids, incidents)
    post_at = nearest_points(shapely.union_all(streets.geometry.values), area.centroid)[0]
    posts = gpd.GeoDataFrame(
        {"post_id": ["MESA1"], "name": ["Community police room"], "beat_id": [""]},
        geometry=[post_at],
        crs=METRIC_CRS,
    )
    cameras = make_cameras(rng, streets, incidents)
    focus = make_focus(rng, buildings, week_start)
    out = write_scenario_folder(
        out_dir,
        vectors={"grids": grids, "roads": streets, "buildings": buildings, "posts": posts},
        tables={
            "incidents": incidents,
            "cameras": cameras,
            "focus_households": focus,
            "roster": make_roster(rng, grids, MESA_STAFF),
        },
        toml=toml_text(
            {
                "station": "Mesa, AZ (GeoDaNet sample area)",
                "week_start": week_start.isoformat(),
                "language": "en",
                "input_crs": "EPSG:4326",
                "seed": seed,
            },
            {"travel": {"mode": "walk", "snap_tolerance_m": 1.0}, "teams": {"min_others": 1}},
        ),
    )
    log.info(
        "Mesa: %d grids, %d streets, %d buildings, %d incidents -> %s",
        len(grids),
        len(streets),
        len(buildings),
        len(incidents),
        out,
    )
    return out


def count_residents(grids: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> None:
    """Give each building its grid and each grid the sum of its buildings' households and
    residents (both in place)."""
    joined = gpd.sjoin(buildings, grids[["grid_id", "geometry"]], predicate="within")
    joined = joined.loc[~joined.index.duplicated(keep="first")]
    buildings["grid_id"] = joined["grid_id"].reindex(buildings.index)
    sums = buildings.groupby("grid_id")[["households", "residents"]].sum()
    grids["households"] = sums["households"].reindex(grids["grid_id"], fill_value=0).to_numpy()
    grids["residents"] = sums["residents"].reindex(grids["grid_id"], fill_value=0).to_numpy()


def risk_by_density(grids: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame) -> list[str]:
    """Risk colours by recent crimes per km², over nine grids: 2 red, 2 orange, 2 yellow,
    the rest green."""
    inc_grid = (
        gpd.sjoin(incidents[["geometry"]], grids[["grid_id", "geometry"]], predicate="within")
        .groupby("grid_id")
        .size()
    )
    density = inc_grid.reindex(grids["grid_id"], fill_value=0).to_numpy() / (
        grids.area.to_numpy() / 1e6
    )
    order = np.argsort(-density, kind="stable")
    risk = np.array(["green"] * len(grids), dtype=object)
    risk[order[:2]] = "red"
    risk[order[2:4]] = "orange"
    risk[order[4:6]] = "yellow"
    return [str(r) for r in risk]
