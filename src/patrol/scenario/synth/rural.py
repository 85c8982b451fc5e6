"""A synthetic rural station: villages far apart, county roads between, posts 130 km out.

Modelled on seed 004 (同心县, Ningxia): a township police station (派出所) whose villages
lie 2 to 40 km apart along county and township roads; each village is one grid with its
own small web of lanes that teams walk (``travel = walk``), while the station drives
between villages (``[travel] mode = "car"``). One village post (警务室) lies 130 km by
road from the station and another half-way; a resident auxiliary is stationed at each
(``stationed_at``: Monday to Friday, or dates), every village has a grid worker and a
police assistant (一村一警务助理), and a footpath over a hill joins two villages that no
car can take. Everything is made up; the same seed gives the same bytes.

:func:`write_rural_scenario` writes the folder; :func:`build_rural_layers` draws the
layers in local metres (then lon/lat around the county); :func:`rural_toml` is the
station's ``patrol.toml``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.errors import InputError
from patrol.scenario.synth import OutputExistsError, write_folder
from patrol.scenario.synth.layers import Feature, Layer
from patrol.scenario.synth.names import fake_name, fake_phone, fake_surname
from patrol.scenario.validate import SPECS

CENTRE_LON, CENTRE_LAT = 105.9, 36.95  # 同心县, Ningxia
M_PER_DEG_LAT = 110_540.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTRE_LAT))
FAR_POST_ROAD_M = 130_000.0
"""Road distance from the station to the far village post (the seed's 130 km)."""
VILLAGE_WORDS = (
    "犁铧嘴", "张家塬", "沟滩", "马高庄", "预旺", "田老庄", "窑山", "下流水", "河西",
    "石狮", "羊路", "韦州", "王团", "丁塘", "兴隆",
)  # fmt: skip
_FOCUS = (
    ("elderly_alone", "独居老人", 7),
    ("elderly_alone", "留守老人", 14),
    ("hardship", "困难家庭", 14),
    ("disabled", "残疾人", 30),
    ("special_attention", "重点关注", 7),
)
_CATEGORIES = ("dispute", "dispute", "fraud", "burglary", "fire_hazard", "other", "other")
WEEK_START = dt.date(2026, 11, 30)
ROSTER_COLUMNS = (*SPECS["roster"].columns, "stationed_at")

Rng = np.random.Generator
FloatArray = npt.NDArray[np.float64]


@dataclass
class Village:
    """One village in local metres: its box, lattice nodes and lanes."""

    name: str
    centre: tuple[float, float]
    box: tuple[float, float, float, float]
    nodes: FloatArray
    lanes: list[tuple[int, int, str]] = field(default_factory=list)  # a, b, highway
    hub: int = 0  # the node the county road reaches


def lonlat(x: float, y: float) -> list[float]:
    """Local metres as [lon, lat], 7 decimals."""
    return [
        round(CENTRE_LON + float(x) / M_PER_DEG_LON, 7),
        round(CENTRE_LAT + float(y) / M_PER_DEG_LAT, 7),
    ]


def _line(points: list[tuple[float, float]] | FloatArray) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [lonlat(x, y) for x, y in points]}


def _point(x: float, y: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": lonlat(x, y)}


def _box_polygon(box: tuple[float, float, float, float]) -> dict[str, Any]:
    x0, y0, x1, y1 = box
    ring = [lonlat(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    return {"type": "Polygon", "coordinates": [ring]}


def village_chain(rng: Rng, n: int) -> tuple[FloatArray, list[FloatArray]]:
    """Village centres along a winding valley from the station at (0, 0), and the bends
    of the county road before each village; scaled so the road to the last village (the
    far post) is :data:`FAR_POST_ROAD_M` long (its lanes inside villages included)."""
    heading = float(rng.uniform(0.0, 2 * math.pi))
    steps = np.concatenate([[rng.uniform(3_000, 6_000)], rng.uniform(4_000, 17_000, n - 1)])
    centres, bends = [], []
    here = np.zeros(2)
    for step in steps:
        heading += float(rng.normal(0.0, 0.35))
        nxt = here + step * np.array([math.cos(heading), math.sin(heading)])
        normal = np.array([-math.sin(heading), math.cos(heading)])
        wiggle = [
            here + (nxt - here) * t + normal * step * float(rng.uniform(-0.18, 0.18))
            for t in (0.33, 0.66)
        ]
        bends.append(np.array(wiggle))
        centres.append(nxt)
        here = nxt
    xy = np.array(centres)
    starts = [np.zeros(2), *xy[:-1]]
    road = sum(_polyline_m([p, *b, c]) for p, b, c in zip(starts, bends, xy, strict=True))
    scale = FAR_POST_ROAD_M / road
    return xy * scale, [b * scale for b in bends]


def _polyline_m(points: list[FloatArray]) -> float:
    pts = np.array(points)
    return float(np.hypot(*np.diff(pts, axis=0).T).sum())


def build_village(rng: Rng, name: str, centre: FloatArray) -> Village:
    """A village: a box of 380-620 m by 300-460 m holding a jittered lattice of lanes (a
    few of them footways), noded at every crossing."""
    w, h = float(rng.uniform(380, 620)), float(rng.uniform(300, 460))
    cx, cy = float(centre[0]), float(centre[1])
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    nx, ny = int(rng.integers(3, 5)), 3
    xs = np.linspace(box[0] + 50, box[2] - 50, nx)
    ys = np.linspace(box[1] + 50, box[3] - 50, ny)
    nodes = np.array([(x, y) for y in ys for x in xs]) + rng.uniform(-15, 15, (nx * ny, 2))
    village = Village(name, (cx, cy), box, nodes)
    for j in range(ny):
        for i in range(nx):
            k = j * nx + i
            if i + 1 < nx:
                village.lanes.append((k, k + 1, "residential"))
            if j + 1 < ny:
                kind = "footway" if rng.random() < 0.15 else "residential"
                village.lanes.append((k, k + nx, kind))
    village.hub = int(np.argmin(np.hypot(*(nodes - np.array([cx, cy])).T)))
    return village


def _roads(villages: list[Village], bends: list[FloatArray]) -> list[Feature]:
    """Village lanes; the county road (县道, secondary) from the station through every
    village hub; a township road (乡道) spur; a hill footpath no car may take."""
    out: list[Feature] = []
    for v in villages:
        for a, b, kind in v.lanes:
            out.append(({"highway": kind, "name": f"{v.name}村道"}, _line(v.nodes[[a, b]])))
    prev = np.zeros(2)
    for k, (v, bend) in enumerate(zip(villages, bends, strict=True)):
        hub = v.nodes[v.hub]
        pts = [tuple(prev), *map(tuple, bend), tuple(hub)]
        kind, name = ("secondary", "X203县道") if k % 4 != 3 else ("tertiary", "Y015乡道")
        out.append(({"highway": kind, "name": name}, _line(pts)))
        prev = hub
    if len(villages) >= 4:  # the footpath over the hill between the second and fourth
        a, b = villages[1].nodes[0], villages[3].nodes[-1]
        mid = (a + b) / 2 + np.array([300.0, 300.0])
        path = _line([tuple(a), tuple(mid), tuple(b)])
        out.append(({"highway": "path", "name": "山间小路"}, path))
    return out


def _houses(rng: Rng, villages: list[Village]) -> tuple[list[Feature], list[tuple[int, str]]]:
    """Courtyard houses (院落) along each village's lanes: 25 to 70 a village, one or two
    households each; returns the features and (village index, building id) pairs."""
    out: list[Feature] = []
    index: list[tuple[int, str]] = []
    for vi, v in enumerate(villages):
        lanes = [(a, b) for a, b, kind in v.lanes if kind == "residential"]
        for _ in range(int(rng.integers(25, 71))):
            a, b = lanes[int(rng.integers(len(lanes)))]
            t = float(rng.uniform(0.15, 0.85))
            p = v.nodes[a] + t * (v.nodes[b] - v.nodes[a])
            d = v.nodes[b] - v.nodes[a]
            normal = np.array([-d[1], d[0]]) / max(float(np.hypot(*d)), 1e-6)
            c = p + normal * float(rng.choice([-1, 1])) * float(rng.uniform(22, 32))
            hw, hh = float(rng.uniform(8, 12)), float(rng.uniform(6, 9))
            bid = f"BLD{len(out) + 1:05d}"
            households = int(rng.choice([1, 1, 2]))
            props = {
                "building_id": bid,
                "grid_id": f"V{vi + 1:02d}",
                "households": households,
                "residents": households * int(rng.integers(2, 6)),
                "address": f"{v.name}村{len([i for i in index if i[0] == vi]) + 1}号",
                "floors": 1,
            }
            out.append((props, _box_polygon((c[0] - hw, c[1] - hh, c[0] + hw, c[1] + hh))))
            index.append((vi, bid))
    return out, index


def _beats(n: int) -> list[int]:
    """Beat index of each village: three beats of consecutive villages."""
    size = math.ceil(n / 3)
    return [min(2, k // size) for k in range(n)]


def _grids(rng: Rng, villages: list[Village], houses: list[Feature]) -> list[Feature]:
    beat = _beats(len(villages))
    risks = ["green"] * len(villages)
    picks = rng.choice(len(villages), size=2, replace=False)
    risks[int(picks[0])], risks[int(picks[1])] = "yellow", "orange"
    out: list[Feature] = []
    for k, v in enumerate(villages):
        gid = f"V{k + 1:02d}"
        mine = [p for p, _ in houses if p["grid_id"] == gid]
        props = {
            "grid_id": gid,
            "name": f"{v.name}村",
            "beat_id": f"B{beat[k] + 1}",
            "risk": risks[k],
            "households": sum(p["households"] for p in mine),
            "residents": sum(p["residents"] for p in mine),
            "travel": "walk",
        }
        out.append((props, _box_polygon(v.box)))
    return out


def far_posts(n: int) -> tuple[int, int]:
    """Indices of the two village posts: the middle beat's middle village, and the last
    village (the far post, :data:`FAR_POST_ROAD_M` by road from the station)."""
    beat = _beats(n)
    middle = [k for k in range(n) if beat[k] == 1]
    return middle[len(middle) // 2], n - 1


def _posts(villages: list[Village]) -> list[Feature]:
    """The station (派出所, at the valley's mouth, serving beats without a post of their
    own) and the two village posts beside their villages' hubs."""
    mid, far = far_posts(len(villages))
    beat = _beats(len(villages))
    out: list[Feature] = [
        ({"post_id": "PCS", "name": "预旺镇派出所", "beat_id": None, "kind": "station"},
         _point(0.0, 0.0)),
    ]  # fmt: skip
    for pid, k in (("JWS1", mid), ("JWS2", far)):
        x, y = villages[k].nodes[villages[k].hub] + np.array([12.0, 12.0])
        props = {"post_id": pid, "name": f"{villages[k].name}村警务室",
                 "beat_id": f"B{beat[k] + 1}", "kind": "post"}  # fmt: skip
        out.append((props, _point(float(x), float(y))))
    return out


def _incidents(rng: Rng, villages: list[Village]) -> list[list[Any]]:
    """A year of incidents, 6 to 20 a village, near its lanes."""
    rows: list[list[Any]] = [["incident_id", "time", "category", "severity", "lon", "lat"]]
    items = []
    end = WEEK_START - dt.timedelta(days=1)
    for v in villages:
        for _ in range(int(rng.integers(6, 21))):
            x, y = v.nodes[int(rng.integers(len(v.nodes)))] + rng.normal(0.0, 25.0, 2)
            day = end - dt.timedelta(days=int(rng.integers(0, 365)))
            hour = int(rng.choice([9, 10, 14, 16, 19, 20, 21]))
            when = dt.datetime.combine(day, dt.time(hour, int(rng.integers(0, 60))))
            cat = str(rng.choice(_CATEGORIES))
            items.append((when, cat, int(rng.integers(1, 3)), float(x), float(y)))
    items.sort(key=lambda t: (t[0], t[1], t[3]))
    for k, (when, cat, sev, x, y) in enumerate(items):
        lon, lat = lonlat(x, y)
        rows.append([f"I{k + 1:05d}", when.isoformat(timespec="seconds"), cat, sev,
                     round(lon, 6), round(lat, 6)])  # fmt: skip
    return rows


def _cameras(villages: list[Village]) -> list[list[Any]]:
    """A civil camera (民防监控) at every second village's hub."""
    rows: list[list[Any]] = [["camera_id", "lon", "lat", "range_m", "direction_deg", "fov_deg"]]
    for k, v in enumerate(villages[::2]):
        lon, lat = lonlat(*v.nodes[v.hub])
        rows.append([f"C{k + 1:03d}", round(lon, 6), round(lat, 6), 40, "", ""])
    return rows


def _focus(rng: Rng, index: list[tuple[int, str]], n_villages: int) -> list[list[Any]]:
    """Two to five focus households a village."""
    rows: list[list[Any]] = [
        ["household_id", "building_id", "visit_every_days", "category", "last_visit", "label"]
    ]
    for vi in range(n_villages):
        homes = [bid for v, bid in index if v == vi]
        for bid in rng.choice(homes, size=int(rng.integers(2, 6)), replace=False):
            cat, label, every = _FOCUS[int(rng.integers(len(_FOCUS)))]
            last = WEEK_START - dt.timedelta(days=int(rng.integers(1, 20)))
            who = fake_surname(rng) + "某"
            rows.append([f"H{len(rows):04d}", str(bid), every, cat, last.isoformat(),
                         f"{label} {who}"])  # fmt: skip
    return rows


def _roster(rng: Rng, n_villages: int) -> list[list[Any]]:
    """Per beat an officer and an auxiliary from the station (the far beat's officer comes
    on Mondays only, with the chief); a resident auxiliary at each village post
    (Monday to Friday at the far one; by dates at the other); per village a grid worker,
    a police assistant and a volunteer or elder."""
    beat = _beats(n_villages)
    mid, far = far_posts(n_villages)
    rows: list[list[Any]] = [list(ROSTER_COLUMNS)]

    def add(role: str, b: int, grid: str, available: str, cap: int, stay: str = "") -> None:
        pid = f"P{len(rows):03d}"
        rows.append([pid, fake_name(rng), role, f"B{b + 1}", grid, available, cap,
                     fake_phone(rng), stay])  # fmt: skip

    add("officer", 0, "", "Mon-Fri day,afternoon", 6)
    add("auxiliary", 0, "", "Mon-Sat day,afternoon,night", 7)
    add("officer", 1, "", "Mon-Fri day,afternoon", 6)
    add("auxiliary", 1, "", "Tue-Sun day,afternoon", 6)
    add("officer", 2, "", "Mon day,afternoon", 2)
    start = WEEK_START.isoformat()
    end = (WEEK_START + dt.timedelta(days=3)).isoformat()
    add("auxiliary", beat[mid], "", "", 8, f"JWS1 {start}..{end}")
    add("auxiliary", beat[far], "", "Mon-Fri day,night", 9, "JWS2 Mon-Fri")
    for k in range(n_villages):
        grid = f"V{k + 1:02d}"
        add("grid_worker", beat[k], grid, "Mon-Sat day,afternoon,night", 6)
        add("police_assistant", beat[k], grid, "", 7)
        other = ("elder", "Mon-Sun day,afternoon") if k % 2 else ("volunteer", "Mon-Sun all")
        add(other[0], beat[k], "", other[1], 5)
    return rows


def rural_toml(*, week_start: dt.date = WEEK_START) -> str:
    """The station's settings: three shifts, driving between villages, police assistants
    as the fallback."""
    return f"""\
station = "预旺镇派出所"
week_start = "{week_start.isoformat()}"
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

[travel]
mode = "car"

[teams]
min_others = 1
max_walk_km = 8.0
fallback = ["police_assistant"]
"""


def build_rural_layers(rng: Rng, *, villages: int = 10) -> dict[str, Layer]:
    """Every layer of the rural station with ``villages`` villages (8 to 15)."""
    if not 8 <= villages <= len(VILLAGE_WORDS):
        raise InputError(
            f"villages must be 8 to {len(VILLAGE_WORDS)} (got {villages}).",
            fix=f"Give --villages between 8 and {len(VILLAGE_WORDS)}.",
            zh=f"村庄数须为 8 到 {len(VILLAGE_WORDS)} 个（给出的是 {villages}）。",
            fix_zh=f"请把 --villages 设为 8 到 {len(VILLAGE_WORDS)}。",
        )
    centres, bends = village_chain(rng, villages)
    names = VILLAGE_WORDS[villages - 1 :: -1]  # the far village last: 犁铧嘴 (seed 004)
    vs = [build_village(rng, names[k], centres[k]) for k in range(villages)]
    houses, index = _houses(rng, vs)
    return {
        "roads": ("geojson", _roads(vs, bends)),
        "buildings": ("geojson", houses),
        "incidents": ("csv", _incidents(rng, vs)),
        "grids": ("geojson", _grids(rng, vs, houses)),
        "posts": ("geojson", _posts(vs)),
        "cameras": ("csv", _cameras(vs)),
        "focus_households": ("csv", _focus(rng, index, villages)),
        "roster": ("csv", _roster(rng, villages)),
    }


def write_rural_scenario(
    out_dir: str | Path, *, villages: int = 10, seed: int = 0, overwrite: bool = False
) -> Path:
    """Write the rural station's scenario folder (``patrol synth --rural``) and return its
    path; refuses a non-empty ``out_dir`` unless ``overwrite``."""
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise OutputExistsError(
            f"{out} exists and is not empty; choose a new folder or "
            "pass overwrite=True (--overwrite)."
        )
    layers = build_rural_layers(np.random.default_rng(seed), villages=villages)
    return write_folder(out, layers, toml=rural_toml())
