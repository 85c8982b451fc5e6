"""Import one Chicago police district as a patrol scenario.

Real (City of Chicago Data Portal): the district's police **beats** (each becomes a grid),
grouped by their **sector** (3–5 beats; our police beat, 警格); the **crimes** reported in
January 2018 with their place, time, type and domestic flag; the **speed and red-light
cameras** (one directional camera per enforced approach, live by the planned week).

Made up, from ``seed``: households and residents of each beat (a flat density), the homes
of the focus households (placed on real residential blocks taken from the crime records),
the roster, and the posts – the district station's location is not in the data, so each
sector's post sits at the sector's centroid (moved inside the sector when the centroid
falls outside). There are no streets: travel is by car on the straight-line × detour
fallback, and a beat sweep is a stay at the beat's centre.

Run ``patrol import chicago OUT --district 12``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points

from patrol.errors import InputError
from patrol.scenario.importers import (
    WGS84,
    StaffPlan,
    default_source,
    make_roster,
    monday_after,
    require_files,
    risk_by_quantile,
    toml_text,
    write_scenario_folder,
)

log = logging.getLogger("patrol")

METRIC_CRS = "EPSG:26916"  # UTM 16N, metres
BEATS_FILE = "police_beats.geojson"
CRIMES_FILE = "crimes.csv"
SPEED_FILE = "speed_cameras.csv"
RED_LIGHT_FILE = "red_light_cameras.csv"
SOURCE_FILES = (BEATS_FILE, CRIMES_FILE, SPEED_FILE, RED_LIGHT_FILE)
NON_PATROL_BEATS = frozenset({"3100"})  # enclaves outside the patrol districts
CAMERA_RANGE_M = 50.0
CAMERA_FOV_DEG = 60.0
CAMERA_MARGIN_M = 30.0  # cameras on a boundary street watch both districts
RESIDENTS_PER_KM2 = 4600.0  # Chicago's average density, for the synthetic figures
PERSONS_PER_HOUSEHOLD = 2.4
FOCUS_PER_GRID = 3

# Chicago "Primary Type" -> patrol incident category (the domestic flag wins: "domestic")
CATEGORY_OF_TYPE: dict[str, str] = {
    "MOTOR VEHICLE THEFT": "ebike_theft",  # the catalogue's vehicle-theft category
    "BURGLARY": "burglary",
    "DECEPTIVE PRACTICE": "fraud",
    "BATTERY": "dispute",
    "ASSAULT": "dispute",
    "INTIMIDATION": "dispute",
    "STALKING": "dispute",
    "ARSON": "fire_hazard",
    "PUBLIC PEACE VIOLATION": "noise",
    "LIQUOR LAW VIOLATION": "noise",
}
SEVERITY_OF_TYPE: dict[str, int] = {
    "HOMICIDE": 3,
    "CRIM SEXUAL ASSAULT": 3,
    "ROBBERY": 3,
    "WEAPONS VIOLATION": 3,
    "KIDNAPPING": 3,
    "HUMAN TRAFFICKING": 3,
    "ARSON": 3,
    "BURGLARY": 2,
    "MOTOR VEHICLE THEFT": 2,
    "BATTERY": 2,
    "SEX OFFENSE": 2,
    "OFFENSE INVOLVING CHILDREN": 2,
}
# compass bearing of travel for an approach; a camera faces the traffic it enforces
_BEARING = {
    "NB": 0.0,
    "NEB": 45.0,
    "EB": 90.0,
    "SEB": 135.0,
    "SB": 180.0,
    "SWB": 225.0,
    "WB": 270.0,
    "NWB": 315.0,
}

CHICAGO_STAFF = StaffPlan(
    police=(
        ("officer", "Mon-Fri day,afternoon", 5),
        ("officer", "Mon-Fri afternoon,night", 5),
        ("officer", "Wed-Sun night; Sat,Sun afternoon", 5),
        ("officer", "Sat-Tue day,afternoon", 5),
        ("auxiliary", "Mon-Fri day,afternoon", 5),
        ("auxiliary", "Thu-Mon afternoon,night", 5),
    ),
    # the beat facilitator of Chicago's community policing (CAPS) stands for the grid worker
    grid_worker_availability=(
        "Mon-Fri day,afternoon",
        "Mon-Fri afternoon,night; Sat day",
        "Tue-Sat afternoon,night",
        "Mon,Wed,Fri all; Sun afternoon",
    ),
    others=(
        *[("volunteer", "Mon-Fri night; Sat-Sun all", 3)] * 8,
        *[("volunteer", "Sat-Sun day,afternoon", 2)] * 4,
        *[("volunteer", "Mon-Sun afternoon", 3)] * 6,
        *[("volunteer", "Fri-Sun night", 2)] * 4,
        *[("elder", "Mon-Fri day,afternoon", 4)] * 8,
        *[("cadre", "Mon-Fri day,afternoon; Thu night", 4)] * 6,
    ),
)


def read_district_beats(source: Path, district: str) -> gpd.GeoDataFrame:
    """The district's patrol beats (``beat_num``, ``sector``) in metres."""
    beats = gpd.read_file(source / BEATS_FILE)
    code = district.lstrip("0").zfill(2)
    beats = beats.loc[
        (beats["district"].astype(str).str.zfill(2) == code)
        & ~beats["beat_num"].isin(NON_PATROL_BEATS)
    ]
    if beats.empty:
        raise InputError(
            f"district '{district}' has no beats in {source / BEATS_FILE}. "
            "Chicago's districts are 1-25 (some numbers are unused).",
            zh=f"{source / BEATS_FILE} 中没有分区“{district}”的警区。",
            fix_zh="芝加哥的分区编号为 1-25（部分编号未使用）。",
        )
    beats = beats.to_crs(METRIC_CRS)
    beats = beats.dissolve(by="beat_num", as_index=False, aggfunc="first")
    return beats.sort_values("beat_num").reset_index(drop=True)


def map_category(primary_type: str, description: str, domestic: bool) -> str:
    """Our incident category for a Chicago ``Primary Type`` (see :data:`CATEGORY_OF_TYPE`)."""
    if domestic:
        return "domestic"
    if primary_type == "THEFT" and re.search(r"\b(BI)?CYCLE|BIKE|SCOOTER", description):
        return "ebike_theft"
    return CATEGORY_OF_TYPE.get(primary_type, "other")


def read_district_crimes(source: Path, area: shapely.Geometry) -> gpd.GeoDataFrame:
    """Crimes located inside ``area`` (metres), with time, category and severity."""
    raw = pd.read_csv(source / CRIMES_FILE, dtype=str, keep_default_na=False)
    lon = pd.to_numeric(raw["Longitude"], errors="coerce")
    lat = pd.to_numeric(raw["Latitude"], errors="coerce")
    located = lon.notna() & lat.notna()
    raw = raw.loc[located]
    pts = gpd.GeoSeries(
        gpd.points_from_xy(lon[located], lat[located]), index=raw.index, crs=WGS84
    ).to_crs(METRIC_CRS)
    inside = pts.within(area).to_numpy()
    raw, pts = raw.loc[inside], pts.loc[inside]
    times = pd.to_datetime(raw["Date"], format="%m/%d/%Y %I:%M:%S %p")
    domestic = raw["Domestic"].str.lower().eq("true")
    types = raw["Primary Type"].str.strip().str.upper()
    frame = gpd.GeoDataFrame(
        {
            "incident_id": "CHI" + raw["ID"].str.strip(),
            "time": times.dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "category": [
                map_category(t, d, bool(f))
                for t, d, f in zip(types, raw["Description"].str.upper(), domestic, strict=True)
            ],
            "severity": [SEVERITY_OF_TYPE.get(t, 1) for t in types],
            "source_type": types,
            "block": raw["Block"].str.strip(),
            "location": raw["Location Description"].str.strip(),
            "_time": times,
        },
        geometry=pts.to_numpy(),
        crs=METRIC_CRS,
    )
    return frame.sort_values(["_time", "incident_id"]).reset_index(drop=True)


def read_district_cameras(
    source: Path, area: shapely.Geometry, *, live_by: dt.date
) -> gpd.GeoDataFrame:
    """One directional camera per enforced approach of every speed and red-light camera
    within :data:`CAMERA_MARGIN_M` of ``area`` that went live by ``live_by``."""
    rows: list[dict[str, object]] = []
    geoms: list[shapely.Point] = []
    for file, prefix, date_col in (
        (SPEED_FILE, "SPD", "GO-LIVE DATE"),
        (RED_LIGHT_FILE, "RLC", "GO LIVE DATE"),
    ):
        cams = pd.read_csv(source / file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        pts = gpd.GeoSeries(
            gpd.points_from_xy(pd.to_numeric(cams["LONGITUDE"]), pd.to_numeric(cams["LATITUDE"])),
            crs=WGS84,
        ).to_crs(METRIC_CRS)
        live = pd.to_datetime(cams[date_col], format="%m/%d/%Y").dt.date <= live_by
        near = (pts.distance(area) <= CAMERA_MARGIN_M).to_numpy() & live.to_numpy()
        approaches = [c for c in cams.columns if c.endswith("APPROACH")]
        for i in np.flatnonzero(near):
            row = cams.iloc[i]
            site = row["ID"] if "ID" in cams.columns else row["INTERSECTION"]
            site_id = re.sub(r"[^A-Za-z0-9]+", "", str(site))
            given = [
                str(row[c]).strip().upper()
                for c in approaches
                if str(row[c]).strip().upper() in _BEARING
            ]
            for approach in given or [""]:
                direction = (_BEARING[approach] + 180.0) % 360.0 if approach else np.nan
                rows.append(
                    {
                        "camera_id": f"{prefix}-{site_id}" + (f"-{approach}" if approach else ""),
                        "range_m": CAMERA_RANGE_M,
                        "direction_deg": direction,
                        "fov_deg": CAMERA_FOV_DEG if approach else np.nan,
                        "kind": "speed" if prefix == "SPD" else "red_light",
                        "address": row.get("ADDRESS", row.get("INTERSECTION", "")),
                    }
                )
                geoms.append(pts.iloc[i])
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=METRIC_CRS)


def place_inside(polygon: shapely.Geometry) -> shapely.Point:
    """The polygon's centroid, or the nearest point inside it when the centroid is outside."""
    centre = polygon.centroid
    if polygon.contains(centre):
        return centre
    inner = polygon.buffer(-10.0)
    target = inner if not inner.is_empty else polygon
    point: shapely.Point = nearest_points(target, centre)[0]
    return point


def import_chicago(
    out_dir: str | Path,
    *,
    district: str = "12",
    seed: int = 0,
    week_start: dt.date | None = None,
    source: str | Path | None = None,
) -> Path:
    """Write a scenario folder for one Chicago police district and return its path.

    Parameters
    ----------
    out_dir : the folder to write (created; files in it are replaced).
    district : the police district number, e.g. ``"12"`` (Near West: 15 beats, 3 sectors).
    seed : seeds everything made up (roster, households, focus homes).
    week_start : the Monday to plan; default the Monday after the last crime, so the
        crimes are the last days of the 90-day look-back.
    source : folder with ``police_beats.geojson``, ``crimes.csv``, ``speed_cameras.csv``
        and ``red_light_cameras.csv`` (default the repository's ``examples/data/chicago``).
    """
    src = Path(source) if source is not None else default_source("chicago")
    require_files(src, SOURCE_FILES)
    rng = np.random.default_rng(seed)
    code = district.lstrip("0") or "0"
    beats = read_district_beats(src, code)
    area = shapely.union_all(beats.geometry.values)
    crimes = read_district_crimes(src, area)
    if week_start is None:
        last = crimes["_time"].max() if len(crimes) else pd.Timestamp.today()
        week_start = monday_after(last.date())
    cameras = read_district_cameras(src, area, live_by=week_start)
    grids = grids_from_beats(rng, beats, crimes, district=code)
    posts = sector_posts(grids)
    buildings, focus = _focus_homes(rng, crimes, grids, week_start)
    out = write_scenario_folder(
        out_dir,
        vectors={"grids": grids, "posts": posts, "buildings": buildings},
        tables={
            "incidents": crimes.drop(columns="_time"),
            "cameras": cameras,
            "focus_households": focus,
            "roster": make_roster(rng, grids, CHICAGO_STAFF),
        },
        toml=_chicago_toml(code, week_start, seed),
    )
    log.info(
        "Chicago district %s: %d beats, %d sectors, %d crimes, %d cameras -> %s",
        code,
        len(grids),
        len(posts),
        len(crimes),
        len(cameras),
        out,
    )
    return out


def grids_from_beats(
    rng: np.random.Generator, beats: gpd.GeoDataFrame, crimes: gpd.GeoDataFrame, *, district: str
) -> gpd.GeoDataFrame:
    """One grid per beat, its police beat the sector (district + sector, e.g. "121"), its
    risk by crimes per km² (quartiles), made-up households and residents."""
    grids = gpd.GeoDataFrame(
        {
            "grid_id": beats["beat_num"].astype(str),
            "name": "Beat " + beats["beat_num"].astype(str),
            "beat_id": district + beats["sector"].astype(str),
        },
        geometry=beats.geometry.to_numpy(),
        crs=METRIC_CRS,
    )
    km2 = grids.area.to_numpy() / 1e6
    joined = gpd.sjoin(crimes[["geometry"]], grids[["grid_id", "geometry"]], predicate="within")
    counts = joined.groupby("grid_id").size().reindex(grids["grid_id"], fill_value=0)
    grids["risk"] = risk_by_quantile(counts.to_numpy() / km2)
    residents = np.round(km2 * RESIDENTS_PER_KM2 * rng.uniform(0.7, 1.3, len(grids)))
    grids["households"] = np.round(residents / PERSONS_PER_HOUSEHOLD).astype(int)
    grids["residents"] = residents.astype(int)
    grids["incidents"] = counts.to_numpy()
    grids["incidents_per_km2"] = np.round(counts.to_numpy() / km2, 1)
    return grids


def sector_posts(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One post per sector, at its centroid (moved inside when the centroid is outside)."""
    sectors = grids.dissolve(by="beat_id", as_index=False)
    return gpd.GeoDataFrame(
        {
            "post_id": "P" + sectors["beat_id"],
            "name": "Sector " + sectors["beat_id"] + " post (sector centroid)",
            "beat_id": sectors["beat_id"],
        },
        geometry=[place_inside(g) for g in sectors.geometry],
        crs=METRIC_CRS,
    )


def _chicago_toml(code: str, week_start: dt.date, seed: int) -> str:
    return toml_text(
        {
            "station": f"Chicago Police District {code}",
            "week_start": week_start.isoformat(),
            "language": "en",
            "input_crs": "EPSG:4326",
            "seed": seed,
        },
        {
            "travel": {"mode": "car", "detour_factor": 1.3},
            # a month of big-city crime: one extra sweep per 20 crimes, hot spots need 6
            "demand": {
                "incidents_per_extra_sweep": 20,
                "hotspot_radius_m": 80.0,
                "hotspot_min_incidents": 6,
                "sweep_dwell_min": 20.0,
            },
            "teams": {"min_others": 1},
            "coverage": {"radius_m": 50.0, "camera_range_m": CAMERA_RANGE_M},
        },
    )


def _focus_homes(
    rng: np.random.Generator, crimes: gpd.GeoDataFrame, grids: gpd.GeoDataFrame, week_start: dt.date
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Synthetic focus households, housed on real residential blocks (the block-level
    locations of crimes at a residence or apartment), :data:`FOCUS_PER_GRID` per beat."""
    homes = crimes.loc[crimes["location"].str.contains("RESIDEN|APARTMENT", regex=True)]
    joined = gpd.sjoin(
        homes[["block", "geometry"]], grids[["grid_id", "geometry"]], predicate="within"
    )
    joined = joined.loc[~joined.geometry.duplicated()]
    rows: list[dict[str, object]] = []
    geoms: list[shapely.Geometry] = []
    for grid_id, poly in zip(grids["grid_id"], grids.geometry, strict=True):
        pool = joined.loc[joined["grid_id"] == grid_id]
        if len(pool) >= FOCUS_PER_GRID:
            picks = rng.choice(len(pool), FOCUS_PER_GRID, replace=False)
            chosen = [
                (pool.geometry.iloc[int(i)], str(pool["block"].iloc[int(i)])) for i in sorted(picks)
            ]
        else:  # too few residential records: a point inside the beat
            chosen = [(poly.representative_point(), f"Beat {grid_id}")] * FOCUS_PER_GRID
        for k, (pt, block) in enumerate(chosen):
            rows.append(
                {
                    "building_id": f"B{grid_id}-{k + 1}",
                    "grid_id": grid_id,
                    "households": 1,
                    "residents": int(rng.integers(1, 4)),
                    "address": block,
                }
            )
            geoms.append(pt)
    buildings = gpd.GeoDataFrame(rows, geometry=geoms, crs=METRIC_CRS)
    categories = ("elderly_alone", "hardship", "special_attention", "mental_health", "disabled")
    every = {
        "elderly_alone": 7,
        "hardship": 14,
        "special_attention": 7,
        "mental_health": 14,
        "disabled": 30,
    }
    cats = [
        categories[int(i)]
        for i in rng.choice(len(categories), len(buildings), p=[0.4, 0.2, 0.15, 0.1, 0.15])
    ]
    ago = rng.integers(1, 35, len(buildings))
    focus = pd.DataFrame(
        {
            "household_id": [f"H{i + 1:03d}" for i in range(len(buildings))],
            "building_id": buildings["building_id"],
            "visit_every_days": [every[c] for c in cats],
            "category": cats,
            "last_visit": [(week_start - dt.timedelta(days=int(d))).isoformat() for d in ago],
            "label": [f"{c.replace('_', ' ')} (synthetic)" for c in cats],
        }
    )
    return buildings, focus
