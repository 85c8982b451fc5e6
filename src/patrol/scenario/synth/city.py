"""The synthetic city's street lattice, in local metres around a centre near Tianjin.

:func:`build_city` lays the lattice: main streets on the grid cells' borders, jittered
side streets inside them, some missing and some diagonal lanes; the helpers turn local
metres into lon/lat and find the grid cell of a point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

CENTRE_LON, CENTRE_LAT = 117.2, 39.1
CELL_M = 400.0  # side of one grid cell, metres (a governance grid of a few hundred homes)
M_PER_DEG_LAT = 110_540.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTRE_LAT))

FloatArray = npt.NDArray[np.float64]
Rng = np.random.Generator

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


@dataclass
class City:
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


def build_city(rng: Rng, n_grids: int, road_segments: int | None) -> City:
    """The lattice for ``n_grids`` grid cells (snake order), about ``road_segments``
    street segments when given (default: blocks of about 100 m)."""
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
    return City(cols, rows, kx, ky, node_xy, nx, cells, beat_of_grid, segments)


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


def lonlat(x: float, y: float) -> list[float]:
    """Local metres as [lon, lat], 7 decimals."""
    return [
        round(CENTRE_LON + float(x) / M_PER_DEG_LON, 7),
        round(CENTRE_LAT + float(y) / M_PER_DEG_LAT, 7),
    ]


def ring(xy: Sequence[tuple[float, float]]) -> list[list[float]]:
    """A closed GeoJSON ring in lon/lat from corners in local metres."""
    pts = [lonlat(x, y) for x, y in xy]
    return [*pts, pts[0]]


def cell_box(city: City, c: int, r: int) -> tuple[float, float, float, float]:
    """The bounds (x0, y0, x1, y1) of grid cell (c, r), in local metres."""
    x0 = c * CELL_M - city.cols * CELL_M / 2
    y0 = r * CELL_M - city.rows * CELL_M / 2
    return x0, y0, x0 + CELL_M, y0 + CELL_M


def grid_at(city: City, x: float, y: float) -> int:
    """Index of the grid holding a point, -1 outside every grid."""
    return int(grids_at(city, np.array([[x, y]]))[0])


def grids_at(city: City, xy: FloatArray) -> npt.NDArray[np.int64]:
    """Index of the grid holding each point, -1 outside every grid."""
    c = np.floor((xy[:, 0] + city.cols * CELL_M / 2) / CELL_M).astype(np.int64)
    r = np.floor((xy[:, 1] + city.rows * CELL_M / 2) / CELL_M).astype(np.int64)
    c = np.clip(c, 0, city.cols - 1)
    r = np.clip(r, 0, city.rows - 1)
    lookup = np.full((city.cols, city.rows), -1, dtype=np.int64)
    for g, (cc, rr) in enumerate(city.cells):
        lookup[cc, rr] = g
    out: npt.NDArray[np.int64] = lookup[c, r]
    return out


def lonlat_csv(x: float, y: float) -> list[float]:
    """[lon, lat] with 6 decimals, for CSV tables."""
    lon, lat = lonlat(x, y)
    return [round(lon, 6), round(lat, 6)]


def road_nodes(city: City) -> npt.NDArray[np.bool_]:
    """Which lattice nodes a street touches."""
    on_road = np.zeros(len(city.node_xy), dtype=bool)
    for a, b, _, _ in city.segments:
        on_road[a] = on_road[b] = True
    return on_road
