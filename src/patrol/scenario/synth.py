"""Synthetic scenarios of any size, for tests and benchmarks.

:func:`write_synthetic_scenario` writes a scenario folder in the same contract as the
bundled sample: a street lattice around a plausible Chinese city centre (Tianjin,
117.2° E, 39.1° N) whose main streets bound the grids, jittered side streets inside them
with some streets missing and some diagonal lanes, all noded at intersections; grids as
lattice cells grouped four by four into beats; buildings as small rectangles in the blocks;
one police room per beat; a 1+1+N roster; a year of incidents around hot spots; cameras
with uncovered grids; focus households with visit schedules. The same arguments give the
same bytes. The files are written into a temporary folder renamed at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.errors import InputError, PatrolError

__all__ = ["OutputExistsError", "write_synthetic_scenario"]

CENTRE_LON, CENTRE_LAT = 117.2, 39.1
CELL_M = 400.0  # side of one grid cell, metres (a governance grid of a few hundred homes)
WEEK_START = dt.date(2026, 11, 30)
M_PER_DEG_LAT = 110_540.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTRE_LAT))

_COMMUNITIES = (
    "幸福里",
    "和平里",
    "建设里",
    "友谊里",
    "光明里",
    "朝阳里",
    "新华里",
    "团结里",
    "春晖里",
    "安居里",
    "长青里",
    "华苑里",
    "丽园里",
    "嘉园里",
    "康乐里",
    "富民里",
)
_ROAD_WORDS = (
    "卫津",
    "复康",
    "红旗",
    "黄河",
    "长江",
    "珠江",
    "泰山",
    "华山",
    "育才",
    "育英",
    "文化",
    "新兴",
    "宾水",
    "水上",
    "鞍山",
    "南京",
    "成都",
    "重庆",
    "西安",
    "昆明",
)
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宁海燕春林凤云亮"
_CATEGORIES = (
    "ebike_theft",
    "burglary",
    "fraud",
    "dispute",
    "domestic",
    "fire_hazard",
    "noise",
    "other",
)
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
_PATROL_TOML = """\
station = "合成示例派出所"
week_start = "{week_start}"
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

FloatArray = npt.NDArray[np.float64]
Rng = np.random.Generator


class OutputExistsError(PatrolError, FileExistsError):
    """The output folder exists and is not empty (pass ``overwrite=True`` to replace it)."""


def write_synthetic_scenario(
    out_dir: str | Path,
    *,
    grids: int = 50,
    buildings: int = 3000,
    people: int | None = None,
    focus_households: int = 200,
    road_segments: int | None = None,
    incidents: int | None = None,
    cameras: int | None = None,
    seed: int = 0,
    overwrite: bool = False,
) -> Path:
    """Write a valid synthetic scenario folder and return its path.

    Counts are exact: ``grids`` grids, ``buildings`` buildings, ``focus_households``
    focus households, ``people`` roster rows (default: per beat 1 officer + 2
    auxiliaries, one grid worker per grid and two others per grid), ``road_segments``
    street segments (default: blocks of about 100 m), ``incidents`` incidents (default
    25 per grid) and ``cameras`` cameras (default 4 per grid). Refuses a non-empty
    ``out_dir`` unless ``overwrite``.
    """
    out = Path(out_dir)
    n_beats = math.ceil(grids / 4)
    police = 3 * n_beats
    n_people = police + grids + 2 * grids if people is None else people
    problems = []
    if grids < 1:
        problems.append(f"grids must be at least 1 (got {grids}).")
    if buildings < grids:
        problems.append(
            f"buildings must be at least the number of grids ({grids}); got {buildings}."
        )
    if n_people < police + grids + 1:
        problems.append(
            f"people must be at least {police + grids + 1} (3 police per beat, "
            f"one grid worker per grid and one other); got {n_people}."
        )
    for name, value in (
        ("focus_households", focus_households),
        ("incidents", incidents),
        ("cameras", cameras),
    ):
        if value is not None and value < 0:
            problems.append(f"{name} must not be negative (got {value}).")
    if road_segments is not None and road_segments < 4 * grids:
        problems.append(
            f"road_segments must be at least 4 per grid ({4 * grids}); got {road_segments}."
        )
    if problems:
        raise InputError(" ".join(problems))
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise OutputExistsError(
            f"{out} exists and is not empty; choose a new folder or "
            "pass overwrite=True (--overwrite)."
        )

    rng = np.random.default_rng(seed)
    city = _build_city(rng, grids, road_segments)
    layers = _build_layers(
        rng,
        city,
        buildings,
        n_people,
        focus_households,
        25 * grids if incidents is None else incidents,
        4 * grids if cameras is None else cameras,
    )

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, (kind, payload) in layers.items():
            if kind == "geojson":
                _write_geojson(tmp / f"{name}.geojson", name, payload)
            else:
                _write_csv(tmp / f"{name}.csv", payload)
        (tmp / "patrol.toml").write_text(
            _PATROL_TOML.format(week_start=WEEK_START.isoformat()), encoding="utf-8"
        )
        if out.exists():
            if out.is_dir() and not any(out.iterdir()):
                out.rmdir()
            elif out.is_dir():
                shutil.rmtree(out)
            else:
                out.unlink()
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; give it a normal folder's mode
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


# --- the street lattice ------------------------------------------------------------------


@dataclass
class _City:
    """The lattice in local metres: nodes, road segments, grid cells and beats."""

    cols: int  # grid cells across
    rows: int
    kx: int  # blocks per cell, across and up
    ky: int
    node_xy: FloatArray  # (nx * ny, 2) jittered node coordinates
    nx: int  # lattice nodes across
    cells: list[tuple[int, int]]  # used cells (c, r) in snake order = grid order
    beat_of_grid: list[int]
    segments: list[tuple[int, int, str, str]]  # node a, node b, highway, name

    def node(self, i: int, j: int) -> int:
        return j * self.nx + i


def _snake_cells(n: int, cols: int) -> list[tuple[int, int]]:
    cells = []
    for k in range(n):
        r, c = divmod(k, cols)
        cells.append((c if r % 2 == 0 else cols - 1 - c, r))
    return cells


def _lattice_edges(
    cols: int, rows: int, kx: int, ky: int, used: npt.NDArray[np.bool_]
) -> list[tuple[int, int, int, int]]:
    """Lattice edges (i0, j0, i1, j1) bordering at least one block of a used cell."""
    nxb, nyb = cols * kx, rows * ky
    block_used = np.zeros((nxb + 2, nyb + 2), dtype=bool)  # padded
    for bx in range(nxb):
        for by in range(nyb):
            block_used[bx + 1, by + 1] = used[bx // kx, by // ky]
    edges = []
    for j in range(nyb + 1):  # horizontal edges: blocks below (j-1) and above (j)
        for i in range(nxb):
            if block_used[i + 1, j] or block_used[i + 1, j + 1]:
                edges.append((i, j, i + 1, j))
    for i in range(nxb + 1):  # vertical edges: blocks left (i-1) and right (i)
        for j in range(nyb):
            if block_used[i, j + 1] or block_used[i + 1, j + 1]:
                edges.append((i, j, i, j + 1))
    return edges


def _choose_density(
    cols: int, rows: int, used: npt.NDArray[np.bool_], target: int | None
) -> tuple[int, int]:
    """Blocks per cell (kx, ky): about 100 m blocks, or the densest lattice whose edge count
    does not exceed ``target`` (diagonal lanes then make up the difference)."""
    if target is None:
        return 4, 4
    n_used = int(used.sum())
    best = (1, 1)
    k = 1
    while 2 * n_used * k * k <= target * 1.2 and k < 200:
        for kx, ky in ((k, k), (k + 1, k)):
            count = _count_edges(cols, rows, kx, ky, used)
            if count <= target and count >= _count_edges(cols, rows, *best, used):
                best = (kx, ky)
        k += 1
    return best


def _count_edges(cols: int, rows: int, kx: int, ky: int, used: npt.NDArray[np.bool_]) -> int:
    """Number of lattice edges (fast: counts per cell boundary instead of per edge)."""
    pad = np.zeros((cols + 2, rows + 2), dtype=bool)
    pad[1:-1, 1:-1] = used
    n = int(used.sum()) * (kx * (ky - 1) + ky * (kx - 1))  # inside the cells
    n += int((pad[1:-1, :-1] | pad[1:-1, 1:]).sum()) * kx  # horizontal cell borders
    n += int((pad[:-1, 1:-1] | pad[1:, 1:-1]).sum()) * ky  # vertical cell borders
    return n


def _build_city(rng: Rng, n_grids: int, road_segments: int | None) -> _City:
    cols = math.ceil(math.sqrt(n_grids))
    rows = math.ceil(n_grids / cols)
    cells = _snake_cells(n_grids, cols)
    used = np.zeros((cols, rows), dtype=bool)
    for c, r in cells:
        used[c, r] = True
    kx, ky = _choose_density(cols, rows, used, road_segments)
    nx, ny = cols * kx + 1, rows * ky + 1
    bx, by = CELL_M / kx, CELL_M / ky
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny))
    x = ii.ravel() * bx - cols * CELL_M / 2
    y = jj.ravel() * by - rows * CELL_M / 2
    # main streets (cell borders) stay straight; side streets wander by up to 12 % of a block
    inner_x = (ii.ravel() % kx) != 0
    inner_y = (jj.ravel() % ky) != 0
    x = x + np.where(inner_x, rng.uniform(-0.12, 0.12, x.size) * bx, 0.0)
    y = y + np.where(inner_y, rng.uniform(-0.12, 0.12, y.size) * by, 0.0)
    node_xy = np.column_stack([x, y])

    edges = _lattice_edges(cols, rows, kx, ky, used)
    degree = np.zeros(nx * ny, dtype=int)
    for i0, j0, i1, j1 in edges:
        degree[j0 * nx + i0] += 1
        degree[j1 * nx + i1] += 1
    segments: list[tuple[int, int, str, str]] = []
    n_missing = 0
    target = road_segments
    max_missing = len(edges) // 30
    order = rng.permutation(len(edges))
    missing = np.zeros(len(edges), dtype=bool)
    for e in order[: 3 * max_missing]:  # some side streets are missing
        i0, j0, i1, j1 = edges[e]
        a, b = j0 * nx + i0, j1 * nx + i1
        on_main = (i0 == i1 and i0 % kx == 0) or (j0 == j1 and j0 % ky == 0)
        if n_missing >= max_missing or on_main or degree[a] <= 2 or degree[b] <= 2:
            continue
        missing[e] = True
        degree[a] -= 1
        degree[b] -= 1
        n_missing += 1
    if not _connected(
        nx * ny,
        [
            (j0 * nx + i0, j1 * nx + i1)
            for e, (i0, j0, i1, j1) in enumerate(edges)
            if not missing[e]
        ],
    ):
        missing[:] = False
    for e, (i0, j0, i1, j1) in enumerate(edges):
        if missing[e]:
            continue
        a, b = j0 * nx + i0, j1 * nx + i1
        if i0 == i1 and i0 % kx == 0:
            highway = "secondary" if (i0 // kx) % 2 == 0 else "tertiary"
            name = _ROAD_WORDS[(i0 // kx) % len(_ROAD_WORDS)] + "路"
        elif j0 == j1 and j0 % ky == 0:
            highway = "secondary" if (j0 // ky) % 2 == 0 else "tertiary"
            name = _ROAD_WORDS[(j0 // ky + 7) % len(_ROAD_WORDS)] + "道"
        else:
            highway = "residential" if rng.random() < 0.6 else "service"
            name = ""
        segments.append((a, b, highway, name))
    # diagonal lanes across blocks: a few by default, or exactly what the target needs
    blocks = [(i, j) for i in range(nx - 1) for j in range(ny - 1) if used[i // kx, j // ky]]
    n_diag = max(len(blocks) // 25, 1) if target is None else target - len(segments)
    n_diag = max(0, min(n_diag, len(blocks)))
    for k in rng.permutation(len(blocks))[:n_diag]:
        i, j = blocks[int(k)]
        if rng.random() < 0.5:
            a, b = j * nx + i, (j + 1) * nx + i + 1
        else:
            a, b = j * nx + i + 1, (j + 1) * nx + i
        segments.append((a, b, "footway", ""))
    beats = math.ceil(n_grids / 4)
    sizes = [n_grids // beats + (1 if b < n_grids % beats else 0) for b in range(beats)]
    beat_of_grid = [b for b, s in enumerate(sizes) for _ in range(s)]
    return _City(cols, rows, kx, ky, node_xy, nx, cells, beat_of_grid, segments)


def _connected(n_nodes: int, pairs: list[tuple[int, int]]) -> bool:
    """Whether the nodes touched by ``pairs`` form one connected network (union-find)."""
    parent = list(range(n_nodes))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    touched: set[int] = set()
    for a, b in pairs:
        touched.update((a, b))
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return len({find(a) for a in touched}) <= 1


# --- the layers --------------------------------------------------------------------------


def _lonlat(x: float, y: float) -> list[float]:
    return [
        round(CENTRE_LON + float(x) / M_PER_DEG_LON, 7),
        round(CENTRE_LAT + float(y) / M_PER_DEG_LAT, 7),
    ]


def _ring(xy: Sequence[tuple[float, float]]) -> list[list[float]]:
    pts = [_lonlat(x, y) for x, y in xy]
    return [*pts, pts[0]]


def _cell_box(city: _City, c: int, r: int) -> tuple[float, float, float, float]:
    x0 = c * CELL_M - city.cols * CELL_M / 2
    y0 = r * CELL_M - city.rows * CELL_M / 2
    return x0, y0, x0 + CELL_M, y0 + CELL_M


def _fake_name(rng: Rng) -> str:
    given = "".join(rng.choice(list(_GIVEN), size=int(rng.choice([1, 2], p=[0.3, 0.7]))))
    return str(rng.choice(list(_SURNAMES))) + given


def _fake_phone(rng: Rng) -> str:
    prefix = ("138", "139", "135", "136", "137", "150", "158", "186", "188", "133")
    return f"{prefix[int(rng.integers(len(prefix)))]}****{int(rng.integers(0, 10000)):04d}"


def _grid_name(city: _City, g: int) -> str:
    beat = city.beat_of_grid[g]
    first = city.beat_of_grid.index(beat)
    n = g - first
    community = _community(beat)
    return f"{community}第{_NUMERALS[n % 10]}网格" if n < 10 else f"{community}第{n + 1}网格"


def _community(beat: int) -> str:
    base = _COMMUNITIES[beat % len(_COMMUNITIES)]
    rounds = beat // len(_COMMUNITIES)
    return base if rounds == 0 else f"{base[:-1]}{rounds + 1}里"


def _build_layers(
    rng: Rng,
    city: _City,
    n_buildings: int,
    n_people: int,
    n_focus: int,
    n_incidents: int,
    n_cameras: int,
) -> dict[str, tuple[str, Any]]:
    n_grids = len(city.cells)
    layers: dict[str, tuple[str, Any]] = {}

    # roads
    xy = city.node_xy
    node_ll = np.round(
        np.column_stack(
            [CENTRE_LON + xy[:, 0] / M_PER_DEG_LON, CENTRE_LAT + xy[:, 1] / M_PER_DEG_LAT]
        ),
        7,
    ).tolist()
    roads = [
        (
            {"highway": hw, "name": name},
            {"type": "LineString", "coordinates": [node_ll[a], node_ll[b]]},
        )
        for a, b, hw, name in city.segments
    ]
    layers["roads"] = ("geojson", roads)

    # buildings: rectangles in slots inside each block, kept clear of the streets
    bld_rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
    bld_xy: list[tuple[float, float]] = []
    bld_grid: list[int] = []
    bld_households: list[int] = []
    per_grid = [
        n_buildings // n_grids + (1 if g < n_buildings % n_grids else 0) for g in range(n_grids)
    ]
    compound_no = [0] * n_grids
    for g, (c, r) in enumerate(city.cells):
        blocks = [
            (c * city.kx + a, r * city.ky + b) for b in range(city.ky) for a in range(city.kx)
        ]
        n_here = per_grid[g]
        community = _community(city.beat_of_grid[g])
        per_block = [
            n_here // len(blocks) + (1 if k < n_here % len(blocks) else 0)
            for k in range(len(blocks))
        ]
        offset = int(rng.integers(len(blocks)))
        per_block = per_block[-offset:] + per_block[:-offset] if offset else per_block
        for (i, j), m in zip(blocks, per_block, strict=True):
            if m == 0:
                continue
            corners = xy[
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
            for s in range(m):
                sr, sc = divmod(s, ncol)
                w = min(0.8 * sw, float(rng.uniform(30.0, 60.0)))
                h = min(0.6 * sh, float(rng.uniform(10.0, 16.0)))
                cx = x0 + (sc + 0.5) * sw
                cy = y0 + (sr + 0.5) * sh
                residential = rng.random() > 0.06
                floors = (
                    int(rng.choice([6, 6, 7, 11, 12, 18]))
                    if residential
                    else int(rng.integers(1, 5))
                )
                per_floor = int(rng.choice([2, 4, 4, 6]))  # two homes per stairwell a floor
                households = floors * per_floor if residential else 0
                residents = round(households * float(rng.uniform(1.9, 2.6)))
                compound_no[g] += 1
                bid = f"BLD{len(bld_rows) + 1:06d}"
                props = {
                    "building_id": bid,
                    "grid_id": f"G{g + 1:03d}",
                    "households": households,
                    "residents": residents,
                    "address": f"{community}{g + 1}区{compound_no[g]}号楼",
                    "floors": floors,
                }
                geom = {
                    "type": "Polygon",
                    "coordinates": [
                        _ring(
                            [
                                (cx - w / 2, cy - h / 2),
                                (cx + w / 2, cy - h / 2),
                                (cx + w / 2, cy + h / 2),
                                (cx - w / 2, cy + h / 2),
                            ]
                        )
                    ],
                }
                bld_rows.append((props, geom))
                bld_xy.append((cx, cy))
                bld_grid.append(g)
                bld_households.append(households)
    layers["buildings"] = ("geojson", bld_rows)
    bxy = np.asarray(bld_xy)
    bgrid = np.asarray(bld_grid)
    bhh = np.asarray(bld_households, dtype=float)

    # incidents: 60 % around hot spots (nodes), the rest at homes
    n_hot = max(1, n_grids // 5)
    on_road = np.zeros(len(xy), dtype=bool)
    for a, b, _, _ in city.segments:
        on_road[a] = on_road[b] = True
    road_nodes = np.flatnonzero(on_road)
    hot_nodes = rng.choice(road_nodes, size=min(n_hot, len(road_nodes)), replace=False)
    end = WEEK_START - dt.timedelta(days=1)
    inc: list[tuple[dt.datetime, str, int, float, float]] = []
    weights = bhh + 1.0
    home_pick = rng.choice(len(bxy), size=n_incidents, p=weights / weights.sum())
    for n in range(n_incidents):
        cat = _CATEGORIES[int(rng.choice(len(_CATEGORIES), p=_CATEGORY_P))]
        if rng.random() < 0.6:
            x, y = xy[int(rng.choice(hot_nodes))] + rng.normal(0.0, 30.0, 2)
        else:
            x, y = bxy[int(home_pick[n])] + rng.normal(0.0, 8.0, 2)
        date = end - dt.timedelta(days=int(rng.integers(0, 365)))
        when = dt.datetime.combine(
            date, dt.time(int(rng.choice(_HOURS[cat])), int(rng.integers(0, 60)))
        )
        inc.append((when, cat, int(rng.choice(_SEVERITY[cat])), float(x), float(y)))
    inc.sort(key=lambda t: (t[0], t[1], t[3]))
    layers["incidents"] = (
        "csv",
        [["incident_id", "time", "category", "severity", "lon", "lat"]]
        + [
            [f"I{k + 1:06d}", t.isoformat(timespec="seconds"), cat, sev, *_lonlat_csv(x, y)]
            for k, (t, cat, sev, x, y) in enumerate(inc)
        ],
    )
    grid_incidents = np.zeros(n_grids, dtype=int)
    for _, _, _, x, y in inc:
        g = _grid_at(city, x, y)
        if g >= 0:
            grid_incidents[g] += 1

    # grids and risk
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
    grid_rows = []
    for g, (c, r) in enumerate(city.cells):
        x0, y0, x1, y1 = _cell_box(city, c, r)
        mask = bgrid == g
        props = {
            "grid_id": f"G{g + 1:03d}",
            "name": _grid_name(city, g),
            "beat_id": f"B{city.beat_of_grid[g] + 1:02d}",
            "risk": risk[g],
            "households": int(bhh[mask].sum()),
            "residents": int(
                sum(p["residents"] for p, _ in (bld_rows[k] for k in np.flatnonzero(mask)))
            ),
        }
        geom = {"type": "Polygon", "coordinates": [_ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])]}
        grid_rows.append((props, geom))
    layers["grids"] = ("geojson", grid_rows)

    # posts: one per beat, on the lattice node nearest the beat's centre
    posts = []
    n_beats = max(city.beat_of_grid) + 1
    for b in range(n_beats):
        boxes = [
            _cell_box(city, *city.cells[g]) for g in range(n_grids) if city.beat_of_grid[g] == b
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
        posts.append(
            (
                {
                    "post_id": f"WS{b + 1:02d}",
                    "name": f"{_community(b)}警务室",
                    "beat_id": f"B{b + 1:02d}",
                },
                {"type": "Point", "coordinates": _lonlat(*xy[near])},
            )
        )
    layers["posts"] = ("geojson", posts)

    # cameras: at intersections, none in about a fifth of the grids (old compounds)
    blind = set(rng.choice(n_grids, size=n_grids // 5, replace=False).tolist())
    node_grid = _grids_at(city, xy)
    covered_nodes = [
        int(k) for k in road_nodes if node_grid[k] >= 0 and int(node_grid[k]) not in blind
    ]
    cam_rows: list[list[Any]] = [["camera_id", "lon", "lat", "range_m", "direction_deg", "fov_deg"]]
    pool = covered_nodes or [int(k) for k in road_nodes]
    for k in range(n_cameras):
        node = pool[int(rng.integers(len(pool)))]
        x, y = xy[node] + rng.uniform(-3.0, 3.0, 2)
        if rng.random() < 0.3:
            cam_rows.append(
                [f"C{k + 1:05d}", *_lonlat_csv(x, y), int(rng.choice([20, 25, 30])), "", ""]
            )
        else:
            bearing = (int(rng.choice([0, 90, 180, 270])) + int(rng.integers(-20, 21))) % 360
            cam_rows.append(
                [
                    f"C{k + 1:05d}",
                    *_lonlat_csv(x, y),
                    int(rng.choice([30, 40, 50, 60])),
                    bearing,
                    int(rng.choice([60, 70, 90, 110])),
                ]
            )
    layers["cameras"] = ("csv", cam_rows)

    # focus households, in residential buildings
    res = np.flatnonzero(bhh > 0)
    p_res = bhh[res] / bhh[res].sum()
    shares = np.array([share for _, share, _, _ in _FOCUS])
    counts = np.floor(shares * n_focus).astype(int)
    for k in np.argsort(-(shares * n_focus - counts), kind="stable")[: n_focus - counts.sum()]:
        counts[k] += 1
    focus_rows: list[list[Any]] = [
        ["household_id", "building_id", "visit_every_days", "category", "last_visit", "label"]
    ]
    picks = (
        rng.choice(len(res), size=n_focus, p=p_res)
        if n_focus and len(res)
        else np.zeros(0, dtype=np.int64)
    )
    for (cat, _, label, every), n in zip(_FOCUS, counts, strict=True):
        for _ in range(int(n)):
            b = int(res[int(picks[len(focus_rows) - 1])])
            last = WEEK_START - dt.timedelta(days=int(rng.integers(1, 31)))
            who = str(rng.choice(list(_SURNAMES))) + str(rng.choice(["某某", "某"]))
            focus_rows.append(
                [
                    f"H{len(focus_rows):06d}",
                    bld_rows[b][0]["building_id"],
                    int(rng.choice(every)),
                    cat,
                    last.isoformat(),
                    f"{label} {who}",
                ]
            )
    layers["focus_households"] = ("csv", focus_rows)

    # roster: per beat 1 officer + 2 auxiliaries; a grid worker per grid; others
    roster: list[list[Any]] = [
        [
            "person_id",
            "name",
            "role",
            "beat_id",
            "grid_id",
            "available",
            "max_shifts_per_week",
            "phone",
        ]
    ]

    def add(role: str, beat: str, grid: str, available: str, cap: int) -> None:
        roster.append(
            [
                f"P{len(roster):06d}",
                _fake_name(rng),
                role,
                beat,
                grid,
                available,
                cap,
                _fake_phone(rng),
            ]
        )

    for b in range(n_beats):
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
    layers["roster"] = ("csv", roster)
    return layers


def _grid_at(city: _City, x: float, y: float) -> int:
    """Index of the grid holding a point, -1 outside every grid."""
    return int(_grids_at(city, np.array([[x, y]]))[0])


def _grids_at(city: _City, xy: FloatArray) -> npt.NDArray[np.int64]:
    c = np.floor((xy[:, 0] + city.cols * CELL_M / 2) / CELL_M).astype(np.int64)
    r = np.floor((xy[:, 1] + city.rows * CELL_M / 2) / CELL_M).astype(np.int64)
    c = np.clip(c, 0, city.cols - 1)
    r = np.clip(r, 0, city.rows - 1)
    lookup = np.full((city.cols, city.rows), -1, dtype=np.int64)
    for g, (cc, rr) in enumerate(city.cells):
        lookup[cc, rr] = g
    out: npt.NDArray[np.int64] = lookup[c, r]
    return out


def _lonlat_csv(x: float, y: float) -> list[float]:
    lon, lat = _lonlat(x, y)
    return [round(lon, 6), round(lat, 6)]


# --- writing -----------------------------------------------------------------------------


def _write_geojson(
    path: Path, name: str, features: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    """One feature per line; WGS 84 lon/lat (the GeoJSON default), 7 decimals."""
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('{"type": "FeatureCollection", "name": ' + json.dumps(name) + ', "features": [\n')
        for k, (props, geom) in enumerate(features):
            f.write(
                json.dumps(
                    {"type": "Feature", "properties": props, "geometry": geom},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
            f.write(",\n" if k < len(features) - 1 else "\n")
        f.write("]}\n")


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerows(rows)
