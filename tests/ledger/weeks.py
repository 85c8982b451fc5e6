"""Hand-built weeks for the ledger tests, in the station store's table shapes.

Two grids (G1 in beat B1, G2 in beat B2), one day shift a day, one team a beat; each team
has a sweep of its grid, a visit to one household of its grid and (B1 only) a hot-spot
stop. ``missed``, ``short`` and ``deviation`` shape the compliance of chosen team-shifts,
so a test knows what every report must find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

CRS = "EPSG:32650"
GRIDS = {"G1": ("B1", 0.0), "G2": ("B2", 200.0)}
PEOPLE = {
    "B1": [("P1", "王一", "officer"), ("P2", "李二", "grid_worker"), ("P3", "张三", "volunteer")],
    "B2": [("P4", "赵四", "officer"), ("P5", "钱五", "grid_worker"), ("P6", "孙六", "elder")],
}
HOUSEHOLDS = {"G1": "H1", "G2": "H2"}


def team_id(day: dt.date, beat: str) -> str:
    return f"{day.isoformat()}_day_{beat}_1"


def _stamp(day: dt.date, hour: int, minute: int = 0) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(day, dt.time(hour))) + pd.Timedelta(minutes=minute)


def _stops(day: dt.date, beat: str, grid: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"seq": 1, "kind": "sweep", "task_id": f"sweep:{grid}:1:1", "target_id": grid},
        {
            "seq": 2,
            "kind": "visit",
            "task_id": f"visit:{HOUSEHOLDS[grid]}:1",
            "target_id": HOUSEHOLDS[grid],
        },
    ]
    if beat == "B1":
        rows.append({"seq": 3, "kind": "hotspot", "task_id": "hotspot:HS1:1", "target_id": "HS1"})
    for k, row in enumerate(rows):
        row.update(
            team_id=team_id(day, beat),
            date=day.isoformat(),
            shift="day",
            beat_id=beat,
            grid_id=grid,
            planned_arrive=_stamp(day, 9, 20 * k + 10),
            planned_depart=_stamp(day, 9, 20 * k + 25),
        )
    return rows


def _status(row: Mapping[str, object], missed: set[str], short: set[str]) -> dict[str, object]:
    tid = str(row["team_id"])
    planned = pd.Timestamp(row["planned_arrive"])
    if tid in missed and row["kind"] == "visit":
        return {
            "status": "missed",
            "arrive": None,
            "depart": None,
            "dwell_min": float("nan"),
            "late_min": float("nan"),
            "source": "",
        }
    dwell = 6.0 if (tid in short and row["kind"] == "hotspot") else 15.0
    return {
        "status": "done",
        "arrive": planned,
        "depart": planned + pd.Timedelta(minutes=dwell),
        "dwell_min": dwell,
        "late_min": 0.0,
        "source": "track",
    }


def make_week(
    week_start: dt.date,
    *,
    missed: Iterable[str] = (),
    short: Iterable[str] = (),
    deviation: Mapping[str, float] | None = None,
    actual_days: int = 7,
    last_visit: dt.date | None = None,
) -> dict[str, pd.DataFrame]:
    """One week's tables: ``missed`` team ids miss their visit, ``short`` ones dwell 6
    minutes at the hot spot, ``deviation`` sets a team-shift's deviation (default 0.05);
    only the first ``actual_days`` days have actuals."""
    missed, short, deviation = set(missed), set(short), dict(deviation or {})
    days = [week_start + dt.timedelta(days=i) for i in range(7)]
    grids = gpd.GeoDataFrame(
        {
            "grid_id": list(GRIDS),
            "name": ["一号网格", "二号网格"],
            "beat_id": [b for b, _ in GRIDS.values()],
            "risk": ["green", "yellow"],
            "households": [100.0, 120.0],
            "residents": [250.0, 300.0],
            "sweeps_required": [7, 7],
            "visits_due": [1, 1],
        },
        geometry=[
            Polygon([(x, 0), (x + 200, 0), (x + 200, 200), (x, 200)]) for _, x in GRIDS.values()
        ],
        crs=CRS,
    )
    routes, stops, teams, comp_stops, shifts = [], [], [], [], []
    for day in days:
        for grid, (beat, x) in GRIDS.items():
            tid = team_id(day, beat)
            members = "、".join(f"{n}({r})" for _, n, r in PEOPLE[beat])
            routes.append(
                {
                    "team_id": tid,
                    "date": day.isoformat(),
                    "shift": "day",
                    "beat_id": beat,
                    "post_id": "WS1",
                    "start": _stamp(day, 9),
                    "end": _stamp(day, 11),
                    "length_m": 1600.0,
                    "stops": 3,
                    "members": members,
                    "night": False,
                    "geometry": LineString([(x, 0), (x + 200, 200)]),
                }
            )
            teams += [
                {
                    "date": day.isoformat(),
                    "shift": "day",
                    "team_id": tid,
                    "beat_id": beat,
                    "person_id": p,
                    "name": n,
                    "role": r,
                }
                for p, n, r in PEOPLE[beat]
            ]
            planned = _stops(day, beat, grid)
            stops += [
                {
                    **r,
                    "arrive": r["planned_arrive"],
                    "depart": r["planned_depart"],
                    "geometry": Point(x + 100, 100),
                }
                for r in planned
            ]
            if day >= week_start + dt.timedelta(days=actual_days):
                continue
            done = [
                {**r, **_status(r, missed, short), "geometry": Point(x + 100, 100)} for r in planned
            ]
            comp_stops += done
            shifts.append(_shift_row(tid, day, beat, members, done, deviation.get(tid, 0.05)))
    focus = pd.DataFrame(
        {
            "household_id": ["H1", "H2"],
            "building_id": ["B01", "B02"],
            "grid_id": ["G1", "G2"],
            "visit_every_days": [7.0, 7.0],
            "last_visit": [last_visit or week_start - dt.timedelta(days=7)] * 2,
        }
    )
    cs = gpd.GeoDataFrame(comp_stops, geometry="geometry", crs=CRS) if comp_stops else None
    frames: dict[str, pd.DataFrame] = {
        "weeks": pd.DataFrame(
            {
                "plan_id": [f"p{week_start:%m%d}"],
                "station": ["测试警务室"],
                "first_day": [days[0]],
                "last_day": [days[-1]],
                "actuals": [bool(comp_stops)],
            }
        ),
        "plan_grids": grids,
        "plan_routes": gpd.GeoDataFrame(routes, geometry="geometry", crs=CRS),
        "plan_stops": gpd.GeoDataFrame(stops, geometry="geometry", crs=CRS),
        "plan_teams": pd.DataFrame(teams),
        "plan_households": focus,
        "compliance_stops": cs if cs is not None else pd.DataFrame(),
        "compliance_shifts": pd.DataFrame(shifts),
    }
    return frames


def _shift_row(
    tid: str, day: dt.date, beat: str, members: str, done: list[dict[str, object]], deviation: float
) -> dict[str, object]:
    status = [r["status"] for r in done]
    hotspot = [r for r in done if r["kind"] == "hotspot"]
    visits = [r for r in done if r["kind"] == "visit"]
    return {
        "team_id": tid,
        "date": day.isoformat(),
        "shift": "day",
        "beat_id": beat,
        "members": members,
        "stops_planned": len(done),
        "stops_done": status.count("done"),
        "stops_late": status.count("late"),
        "stops_missed": status.count("missed"),
        "sweep_planned_m": 800.0,
        "sweep_walked_m": 800.0 * (1 - deviation),
        "sweep_share": 1 - deviation,
        "offplan_m": 50.0,
        "hotspot_target_min": 15.0 * len(hotspot),
        "hotspot_dwell_min": float(sum(float(str(r["dwell_min"])) for r in hotspot)),
        "hotspot_short": sum(1 for r in hotspot if float(str(r["dwell_min"])) < 10),
        "visits_planned": len(visits),
        "visits_done": sum(1 for r in visits if r["status"] != "missed"),
        "tracked": True,
        "deviation": deviation,
    }
