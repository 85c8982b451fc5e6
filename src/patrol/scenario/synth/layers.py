"""The layers of a synthetic scenario, built step by step on the street lattice.

:func:`build_layers` draws, in a fixed order from one random generator, the buildings
(rectangles in the blocks), a year of incidents around hot spots, the grids with their
risk colours, one police room per beat, the cameras (some grids without any), focus
households and a 1+1+N roster. Layers come as GeoJSON features (lon/lat) or table rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.scenario.synth.city import (
    CENTRE_LAT,
    CENTRE_LON,
    M_PER_DEG_LAT,
    M_PER_DEG_LON,
    City,
    FloatArray,
    Rng,
    cell_box,
    grid_at,
    grids_at,
    lonlat,
    lonlat_csv,
    ring,
    road_nodes,
)
from patrol.scenario.synth.names import (
    community_name,
    fake_name,
    fake_phone,
    fake_surname,
    grid_name,
)
from patrol.scenario.validate import SPECS
from patrol.vocab import INCIDENT_CATEGORIES

WEEK_START = dt.date(2026, 11, 30)
_CATEGORIES = INCIDENT_CATEGORIES
_CATEGORY_P = (0.25, 0.07, 0.17, 0.18, 0.08, 0.06, 0.11, 0.08)
_HOURS: dict[str, tuple[int, ...]] = {
    "ebike_theft": (19, 20, 21, 22, 23, 0, 1, 2, 3, 12),
    "burglary": (10, 11, 13, 14, 15, 2, 3),
    "fraud": (9, 10, 10, 11, 14, 15, 16),
    "dispute": (17, 18, 19, 19, 20, 20, 21, 10),
    "domestic": (19, 20, 21, 22, 23, 7),
    "fire_hazard": (19, 20, 21, 22, 23, 0, 12),
    "noise": (21, 22, 22, 23, 23, 0),
    "other": tuple(range(8, 23)),
}
_SEVERITY: dict[str, tuple[int, ...]] = {
    "ebike_theft": (1, 2),
    "burglary": (2, 3),
    "fraud": (2, 2, 3),
    "dispute": (1, 1, 2, 3),
    "domestic": (1, 2, 3),
    "fire_hazard": (2, 3),
    "noise": (1,),
    "other": (1, 1, 2),
}
_FOCUS = (
    ("elderly_alone", 0.36, "独居老人", (7, 14, 14)),
    ("hardship", 0.2, "困难家庭", (14, 30)),
    ("special_attention", 0.14, "重点关注", (7,)),
    ("mental_health", 0.13, "精神障碍患者", (7, 14)),
    ("disabled", 0.17, "残疾人", (14, 30, 30)),
)
_POLICE_AVAILABLE = (
    "Mon-Fri day,afternoon; Tue,Thu night; Sat day",
    "Mon-Sun night; Sat-Sun afternoon",
    "周一-周五 day,afternoon; 周日 day",
)
_GRID_WORKER_AVAILABLE = (
    "周一-周五 day,afternoon",
    "Mon-Fri day,afternoon; Sat day",
    "Mon-Fri afternoon,night; Sat night",
    "Mon-Fri day,night",
)
_OTHERS = (
    ("elder", "Mon-Fri day", 3),
    ("elder", "周一-周五 day,afternoon", 4),
    ("cadre", "Mon-Fri day,afternoon", 4),
    ("volunteer", "Mon-Fri night; Sat-Sun all", 3),
    ("volunteer", "Sat-Sun day,afternoon", 2),
    ("volunteer", "Mon-Sun afternoon", 3),
    ("elder", "Mon,Wed,Fri day; Tue,Thu afternoon", 3),
    ("volunteer", "Fri-Sun night", 2),
)

Feature = tuple[dict[str, Any], dict[str, Any]]  # (properties, GeoJSON geometry)
Layer = tuple[str, Any]  # ("geojson", features) or ("csv", rows with a header row)


@dataclass
class _Homes:
    """The buildings as features and as arrays: centre (metres), grid, households."""

    features: list[Feature]
    xy: FloatArray
    grid: npt.NDArray[np.int64]
    households: FloatArray


def build_layers(
    rng: Rng,
    city: City,
    *,
    n_buildings: int,
    n_people: int,
    n_focus: int,
    n_incidents: int,
    n_cameras: int,
) -> dict[str, Layer]:
    """Every layer of the scenario on ``city``, drawn from ``rng`` in a fixed order (the
    same seed gives the same layers)."""
    homes = _buildings(rng, city, n_buildings)
    on_road = road_nodes(city)
    incidents, per_grid = _incidents(rng, city, homes, on_road, n_incidents)
    return {
        "roads": ("geojson", _roads(city)),
        "buildings": ("geojson", homes.features),
        "incidents": ("csv", incidents),
        "grids": ("geojson", _grids(city, homes, per_grid)),
        "posts": ("geojson", _posts(city, on_road)),
        "cameras": ("csv", _cameras(rng, city, on_road, n_cameras)),
        "focus_households": ("csv", _focus(rng, homes, n_focus)),
        "roster": ("csv", _roster(rng, city, n_people)),
    }


def _roads(city: City) -> list[Feature]:
    xy = city.node_xy
    node_ll = np.round(
        np.column_stack(
            [CENTRE_LON + xy[:, 0] / M_PER_DEG_LON, CENTRE_LAT + xy[:, 1] / M_PER_DEG_LAT]
        ),
        7,
    ).tolist()
    return [
        (
            {"highway": hw, "name": name},
            {"type": "LineString", "coordinates": [node_ll[a], node_ll[b]]},
        )
        for a, b, hw, name in city.segments
    ]


def _buildings(rng: Rng, city: City, n_buildings: int) -> _Homes:
    """Rectangles in slots inside each block, kept clear of the streets."""
    n_grids = len(city.cells)
    features: list[Feature] = []
    centres: list[tuple[float, float]] = []
    grid: list[int] = []
    per_grid = [
        n_buildings // n_grids + (1 if g < n_buildings % n_grids else 0) for g in range(n_grids)
    ]
    for g, (c, r) in enumerate(city.cells):
        blocks = [
            (c * city.kx + a, r * city.ky + b) for b in range(city.ky) for a in range(city.kx)
        ]
        n_here = per_grid[g]
        per_block = [
            n_here // len(blocks) + (1 if k < n_here % len(blocks) else 0)
            for k in range(len(blocks))
        ]
        offset = int(rng.integers(len(blocks)))
        per_block = per_block[-offset:] + per_block[:-offset] if offset else per_block
        in_grid = 0
        for (i, j), m in zip(blocks, per_block, strict=True):
            for slot in _slots(city, i, j, m):
                in_grid += 1
                features.append(_building(rng, city, g, slot, len(features) + 1, in_grid))
                centres.append(slot[:2])
                grid.append(g)
    households = [float(props["households"]) for props, _ in features]
    return _Homes(
        features, np.asarray(centres), np.asarray(grid), np.asarray(households, dtype=float)
    )


def _slots(city: City, i: int, j: int, m: int) -> list[tuple[float, float, float, float]]:
    """``m`` building slots (centre x, y and slot width, height) in block (i, j), a margin
    off its streets."""
    if m == 0:
        return []
    corners = city.node_xy[
        [city.node(i, j), city.node(i + 1, j), city.node(i, j + 1), city.node(i + 1, j + 1)]
    ]
    x0 = max(corners[0, 0], corners[2, 0])
    x1 = min(corners[1, 0], corners[3, 0])
    y0 = max(corners[0, 1], corners[1, 1])
    y1 = min(corners[2, 1], corners[3, 1])
    margin_x = min(8.0, 0.1 * (x1 - x0))
    margin_y = min(8.0, 0.1 * (y1 - y0))
    x0, x1, y0, y1 = x0 + margin_x, x1 - margin_x, y0 + margin_y, y1 - margin_y
    ncol = max(1, math.ceil(math.sqrt(m * (x1 - x0) / max(y1 - y0, 1e-6) / 3)))
    nrow = math.ceil(m / ncol)
    sw, sh = (x1 - x0) / ncol, (y1 - y0) / nrow
    slots = []
    for s in range(m):
        sr, sc = divmod(s, ncol)
        slots.append((x0 + (sc + 0.5) * sw, y0 + (sr + 0.5) * sh, sw, sh))
    return slots


def _building(
    rng: Rng,
    city: City,
    g: int,
    slot: tuple[float, float, float, float],
    number: int,
    compound: int,
) -> Feature:
    """One building in a slot of grid ``g``: mostly flats of 6 to 18 floors, some shops."""
    cx, cy, sw, sh = slot
    w = min(0.8 * sw, float(rng.uniform(30.0, 60.0)))
    h = min(0.6 * sh, float(rng.uniform(10.0, 16.0)))
    residential = rng.random() > 0.06
    floors = int(rng.choice([6, 6, 7, 11, 12, 18])) if residential else int(rng.integers(1, 5))
    per_floor = int(rng.choice([2, 4, 4, 6]))  # two homes per stairwell a floor
    households = floors * per_floor if residential else 0
    residents = round(households * float(rng.uniform(1.9, 2.6)))
    props = {
        "building_id": f"BLD{number:06d}",
        "grid_id": f"G{g + 1:03d}",
        "households": households,
        "residents": residents,
        "address": f"{community_name(city.beat_of_grid[g])}{g + 1}区{compound}号楼",
        "floors": floors,
    }
    corners = [
        (cx - w / 2, cy - h / 2),
        (cx + w / 2, cy - h / 2),
        (cx + w / 2, cy + h / 2),
        (cx - w / 2, cy + h / 2),
    ]
    return props, {"type": "Polygon", "coordinates": [ring(corners)]}


def _incidents(
    rng: Rng, city: City, homes: _Homes, on_road: npt.NDArray[np.bool_], n_incidents: int
) -> tuple[list[list[Any]], npt.NDArray[np.int64]]:
    """A year of incidents before the week: 60 % around hot spots (nodes), the rest at
    homes; a table with a header row, in time order, and the count in each grid."""
    xy = city.node_xy
    n_hot = max(1, len(city.cells) // 5)
    street_nodes = np.flatnonzero(on_road)
    hot_nodes = rng.choice(street_nodes, size=min(n_hot, len(street_nodes)), replace=False)
    end = WEEK_START - dt.timedelta(days=1)
    inc: list[tuple[dt.datetime, str, int, float, float]] = []
    weights = homes.households + 1.0
    home_pick = rng.choice(len(homes.xy), size=n_incidents, p=weights / weights.sum())
    for n in range(n_incidents):
        cat = _CATEGORIES[int(rng.choice(len(_CATEGORIES), p=_CATEGORY_P))]
        if rng.random() < 0.6:
            x, y = xy[int(rng.choice(hot_nodes))] + rng.normal(0.0, 30.0, 2)
        else:
            x, y = homes.xy[int(home_pick[n])] + rng.normal(0.0, 8.0, 2)
        date = end - dt.timedelta(days=int(rng.integers(0, 365)))
        when = dt.datetime.combine(
            date, dt.time(int(rng.choice(_HOURS[cat])), int(rng.integers(0, 60)))
        )
        inc.append((when, cat, int(rng.choice(_SEVERITY[cat])), float(x), float(y)))
    inc.sort(key=lambda t: (t[0], t[1], t[3]))
    rows = [["incident_id", "time", "category", "severity", "lon", "lat"]] + [
        [f"I{k + 1:06d}", t.isoformat(timespec="seconds"), cat, sev, *lonlat_csv(x, y)]
        for k, (t, cat, sev, x, y) in enumerate(inc)
    ]
    per_grid = np.zeros(len(city.cells), dtype=np.int64)
    for _, _, _, x, y in inc:
        g = grid_at(city, x, y)
        if g >= 0:
            per_grid[g] += 1
    return rows, per_grid


def _grids(city: City, homes: _Homes, grid_incidents: npt.NDArray[np.int64]) -> list[Feature]:
    """The grid cells with their households, residents and a risk colour ranked by
    incidents (3 % red, 7 % orange, 20 % yellow)."""
    n_grids = len(city.cells)
    rank = np.argsort(-grid_incidents, kind="stable")
    risk = ["green"] * n_grids
    n_red = max(1, round(0.03 * n_grids))
    n_orange = round(0.07 * n_grids)
    n_yellow = round(0.2 * n_grids)
    for pos, g in enumerate(rank):
        if pos < n_red:
            risk[int(g)] = "red"
        elif pos < n_red + n_orange:
            risk[int(g)] = "orange"
        elif pos < n_red + n_orange + n_yellow:
            risk[int(g)] = "yellow"
    rows = []
    for g, (c, r) in enumerate(city.cells):
        x0, y0, x1, y1 = cell_box(city, c, r)
        mask = homes.grid == g
        props = {
            "grid_id": f"G{g + 1:03d}",
            "name": grid_name(city, g),
            "beat_id": f"B{city.beat_of_grid[g] + 1:02d}",
            "risk": risk[g],
            "households": int(homes.households[mask].sum()),
            "residents": int(sum(homes.features[k][0]["residents"] for k in np.flatnonzero(mask))),
        }
        geom = {"type": "Polygon", "coordinates": [ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])]}
        rows.append((props, geom))
    return rows


def _posts(city: City, on_road: npt.NDArray[np.bool_]) -> list[Feature]:
    """One police room per beat, on the street node nearest the beat's centre."""
    xy = city.node_xy
    posts = []
    n_grids = len(city.cells)
    for b in range(max(city.beat_of_grid) + 1):
        boxes = [
            cell_box(city, *city.cells[g]) for g in range(n_grids) if city.beat_of_grid[g] == b
        ]
        centre = np.mean(
            [[(bx0 + bx1) / 2, (by0 + by1) / 2] for bx0, by0, bx1, by1 in boxes], axis=0
        )
        inside = np.zeros(len(xy), dtype=bool)
        for bx0, by0, bx1, by1 in boxes:
            inside |= (xy[:, 0] >= bx0) & (xy[:, 0] <= bx1) & (xy[:, 1] >= by0) & (xy[:, 1] <= by1)
        dist = np.where(
            inside & on_road, np.hypot(xy[:, 0] - centre[0], xy[:, 1] - centre[1]), np.inf
        )
        near = int(np.argmin(dist))
        props = {
            "post_id": f"WS{b + 1:02d}",
            "name": f"{community_name(b)}警务室",
            "beat_id": f"B{b + 1:02d}",
        }
        posts.append((props, {"type": "Point", "coordinates": lonlat(*xy[near])}))
    return posts


def _cameras(
    rng: Rng, city: City, on_road: npt.NDArray[np.bool_], n_cameras: int
) -> list[list[Any]]:
    """Cameras at intersections, none in about a fifth of the grids (old compounds)."""
    xy = city.node_xy
    n_grids = len(city.cells)
    street_nodes = np.flatnonzero(on_road)
    blind = set(rng.choice(n_grids, size=n_grids // 5, replace=False).tolist())
    node_grid = grids_at(city, xy)
    covered_nodes = [
        int(k) for k in street_nodes if node_grid[k] >= 0 and int(node_grid[k]) not in blind
    ]
    rows: list[list[Any]] = [["camera_id", "lon", "lat", "range_m", "direction_deg", "fov_deg"]]
    pool = covered_nodes or [int(k) for k in street_nodes]
    for k in range(n_cameras):
        node = pool[int(rng.integers(len(pool)))]
        x, y = xy[node] + rng.uniform(-3.0, 3.0, 2)
        if rng.random() < 0.3:  # a dome: all round
            rows.append([f"C{k + 1:05d}", *lonlat_csv(x, y), int(rng.choice([20, 25, 30])), "", ""])
        else:
            bearing = (int(rng.choice([0, 90, 180, 270])) + int(rng.integers(-20, 21))) % 360
            rows.append(
                [
                    f"C{k + 1:05d}",
                    *lonlat_csv(x, y),
                    int(rng.choice([30, 40, 50, 60])),
                    bearing,
                    int(rng.choice([60, 70, 90, 110])),
                ]
            )
    return rows


def _focus(rng: Rng, homes: _Homes, n_focus: int) -> list[list[Any]]:
    """Focus households in residential buildings, by category shares (largest remainder)."""
    res = np.flatnonzero(homes.households > 0)
    p_res = homes.households[res] / homes.households[res].sum()
    shares = np.array([share for _, share, _, _ in _FOCUS])
    counts = np.floor(shares * n_focus).astype(int)
    for k in np.argsort(-(shares * n_focus - counts), kind="stable")[: n_focus - counts.sum()]:
        counts[k] += 1
    rows: list[list[Any]] = [
        ["household_id", "building_id", "visit_every_days", "category", "last_visit", "label"]
    ]
    picks = (
        rng.choice(len(res), size=n_focus, p=p_res)
        if n_focus and len(res)
        else np.zeros(0, dtype=np.int64)
    )
    for (cat, _, label, every), n in zip(_FOCUS, counts, strict=True):
        for _ in range(int(n)):
            b = int(res[int(picks[len(rows) - 1])])
            last = WEEK_START - dt.timedelta(days=int(rng.integers(1, 31)))
            who = fake_surname(rng) + str(rng.choice(["某某", "某"]))
            rows.append(
                [
                    f"H{len(rows):06d}",
                    homes.features[b][0]["building_id"],
                    int(rng.choice(every)),
                    cat,
                    last.isoformat(),
                    f"{label} {who}",
                ]
            )
    return rows


ROSTER_COLUMNS = SPECS["roster"].columns


def _roster(rng: Rng, city: City, n_people: int) -> list[list[Any]]:
    """Per beat 1 officer + 2 auxiliaries; a grid worker per grid; the others at random."""
    roster: list[list[Any]] = [list(ROSTER_COLUMNS)]
    n_grids = len(city.cells)

    def add(role: str, beat: str, grid: str, available: str, cap: int) -> None:
        person = f"P{len(roster):06d}"
        roster.append([person, fake_name(rng), role, beat, grid, available, cap, fake_phone(rng)])

    for b in range(max(city.beat_of_grid) + 1):
        for role, available in zip(
            ("officer", "auxiliary", "auxiliary"), _POLICE_AVAILABLE, strict=True
        ):
            add(role, f"B{b + 1:02d}", "", available, int(rng.choice([6, 7, 8])))
    for g in range(n_grids):
        add(
            "grid_worker",
            f"B{city.beat_of_grid[g] + 1:02d}",
            f"G{g + 1:03d}",
            _GRID_WORKER_AVAILABLE[g % len(_GRID_WORKER_AVAILABLE)],
            int(rng.choice([5, 6])),
        )
    for k in range(n_people - len(roster) + 1):
        role, available, cap = _OTHERS[k % len(_OTHERS)]
        add(role, "", f"G{int(rng.integers(n_grids)) + 1:03d}", available, cap)
    return roster
