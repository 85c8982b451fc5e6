"""Tiny hand-built scenarios whose answers are easy to reason about.

The tiny scenario: a 400 m x 400 m square near Tianjin (117.2 E, 39.1 N) with a street
lattice every 100 m (5 x 5 intersections, 40 segments), four 200 m grids G1..G4 in two
beats (B1 = G1, G2 west; B2 = G3, G4 east), one building per 100 m block, a police room
at the centre intersection, a roster of one officer and one auxiliary per beat, a grid
worker per grid and four volunteers, a few incidents, two cameras and three focus
households.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

LON0, LAT0 = 117.2, 39.1
DLON = 100.0 / 86_370.0  # degrees of longitude per 100 m at 39.1 N
DLAT = 100.0 / 111_000.0

TOML = """station = "测试警务室"
week_start = "2026-11-30"
language = "zh"
[[shifts]]
name = "day"
start = "09:00"
end = "12:00"
[[shifts]]
name = "night"
start = "19:00"
end = "22:00"
[teams]
min_others = 1
"""


def xy(i: float, j: float) -> tuple[float, float]:
    """Lon/lat of lattice position (i, j), in 100 m steps east and north."""
    return (LON0 + i * DLON, LAT0 + j * DLAT)


def tiny_layers() -> dict[str, pd.DataFrame]:
    """The tiny scenario's layers as (Geo)DataFrames in WGS 84."""
    roads = []
    for k in range(5):
        for m in range(4):
            roads.append(LineString([xy(m, k), xy(m + 1, k)]))
            roads.append(LineString([xy(k, m), xy(k, m + 1)]))
    grids = gpd.GeoDataFrame(
        {
            "grid_id": ["G1", "G2", "G3", "G4"],
            "name": ["西南网格", "西北网格", "东南网格", "东北网格"],
            "beat_id": ["B1", "B1", "B2", "B2"],
            "risk": ["green", "yellow", "orange", "red"],
            "households": [80, 80, 80, 80],
            "residents": [200, 200, 200, 200],
        },
        geometry=[
            box(*xy(0, 0), *xy(2, 2)),
            box(*xy(0, 2), *xy(2, 4)),
            box(*xy(2, 0), *xy(4, 2)),
            box(*xy(2, 2), *xy(4, 4)),
        ],
        crs="EPSG:4326",
    )
    b_rows, b_geom = [], []
    for i in range(4):
        for j in range(4):
            grid = {(0, 0): "G1", (0, 1): "G2", (1, 0): "G3", (1, 1): "G4"}[(i // 2, j // 2)]
            b_rows.append(
                {
                    "building_id": f"b{i}{j}",
                    "grid_id": grid,
                    "households": 20,
                    "residents": 50,
                    "address": f"测试小区{i}{j}号楼",
                    "floors": 6,
                }
            )
            b_geom.append(box(*xy(i + 0.3, j + 0.3), *xy(i + 0.7, j + 0.7)))
    buildings = gpd.GeoDataFrame(b_rows, geometry=b_geom, crs="EPSG:4326")
    posts = gpd.GeoDataFrame(
        {"post_id": ["P1"], "name": ["测试警务室"], "beat_id": [None]},
        geometry=[Point(xy(2, 2))],
        crs="EPSG:4326",
    )
    incidents = pd.DataFrame(
        {
            "incident_id": [f"I{k}" for k in range(6)],
            "time": [
                (dt.datetime(2026, 11, 1, 20, 30) + dt.timedelta(days=3 * k)).isoformat()
                for k in range(6)
            ],
            "category": ["ebike_theft"] * 4 + ["dispute", "fraud"],
            "severity": [1, 1, 2, 1, 2, 1],
            "lon": [xy(3.1, 3.1)[0]] * 4 + [xy(0.5, 0.5)[0], xy(1.5, 3.5)[0]],
            "lat": [xy(3.1, 3.1)[1]] * 4 + [xy(0.5, 0.5)[1], xy(1.5, 3.5)[1]],
        }
    )
    cameras = pd.DataFrame(
        {
            "camera_id": ["C1", "C2"],
            "lon": [xy(2, 2)[0], xy(4, 0)[0]],
            "lat": [xy(2, 2)[1], xy(4, 0)[1]],
            "range_m": [40, 30],
            "direction_deg": [None, 315],
            "fov_deg": [None, 90],
        }
    )
    focus = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "building_id": ["b00", "b13", "b31"],
            "visit_every_days": [7, 14, 7],
            "category": ["elderly_alone", "hardship", "special_attention"],
            "last_visit": ["2026-11-25", "2026-11-20", "2026-11-27"],
            "label": ["独居老人 张某", "困难家庭 李某", "重点关注 王某"],
        }
    )
    roster = pd.DataFrame(
        [
            ("p01", "赵警官", "officer", "B1", None, "", 6),
            ("p02", "钱辅警", "auxiliary", "B1", None, "Mon-Sun all", 6),
            ("p03", "孙警官", "officer", "B2", None, "", 6),
            ("p04", "李辅警", "auxiliary", "B2", None, "周一-周日 day,night", 6),
            ("p05", "周网格员", "grid_worker", None, "G1", "Mon-Fri all", 5),
            ("p06", "吴网格员", "grid_worker", None, "G2", "Mon-Sun day; Sat-Sun night", 5),
            ("p07", "郑网格员", "grid_worker", None, "G3", "", 5),
            ("p08", "王网格员", "grid_worker", None, "G4", "", 5),
            ("p09", "冯志愿者", "volunteer", None, None, "Mon-Sun night", 4),
            ("p10", "陈大爷", "elder", None, None, "Mon-Fri day", 4),
            ("p11", "褚书记", "cadre", "B2", None, "", 4),
            ("p12", "卫志愿者", "volunteer", None, None, "Sat,Sun all", 3),
        ],
        columns=[
            "person_id",
            "name",
            "role",
            "beat_id",
            "grid_id",
            "available",
            "max_shifts_per_week",
        ],
    )
    roster["phone"] = [f"1380000{k:04d}" for k in range(len(roster))]
    return {
        "roads": gpd.GeoDataFrame(
            {"highway": ["residential"] * len(roads), "name": ["测试路"] * len(roads)},
            geometry=roads,
            crs="EPSG:4326",
        ),
        "grids": grids,
        "buildings": buildings,
        "posts": posts,
        "incidents": incidents,
        "cameras": cameras,
        "focus_households": focus,
        "roster": roster,
        # a sick day outside the planned week: read and checked, changes nothing
        "absences": pd.DataFrame(
            {"person": ["p01"], "from": ["2027-01-04"], "to": ["2027-01-05"], "reason": ["病假"]}
        ),
    }


def write_tiny_scenario(
    out: Path, *, layers: dict[str, pd.DataFrame] | None = None, toml: str = TOML
) -> Path:
    """Write the tiny scenario (or edited ``layers``) as a scenario folder."""
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (layers or tiny_layers()).items():
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_file(out / f"{name}.geojson", driver="GeoJSON")
        else:
            frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    (out / "patrol.toml").write_text(toml, encoding="utf-8")
    return out
