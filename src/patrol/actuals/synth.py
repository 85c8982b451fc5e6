"""Synthetic actuals from a plan, with known deviations: tracks, check-ins and the truth.

Every team-shift walks its planned route (legs at their times, waits at its stops) and
carries one phone that records a fix every :data:`STEP_S` seconds with a few metres of
GPS noise. A few team-shifts, chosen by the seed, deviate in one known way each:

- ``skipped``: a visit or hot-spot stop left out (the team walks straight on to the next);
- ``short_dwell``: a hot-spot stop held :data:`SHORT_DWELL_MIN` minutes, not its target;
- ``detour``: an out-and-back walk of about 400 m on streets the plan did not give the team;
- ``noise``: a phone with 10–30 m of GPS noise;
- ``gap``: a phone off for :data:`GAP_MIN` minutes.

Later items of a deviating team-shift move by the time gained or lost. The check-ins are
the sheet filled in for every stop really done (at its real arrival time). The truth is
each fix's position before noise and the street it lies on, to measure map matching by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.atomic import write_csv, write_text
from patrol.plan import Plan

if TYPE_CHECKING:
    from patrol.plan import TeamRoute

__all__ = [
    "DEVIATIONS",
    "Deviation",
    "SynthWeek",
    "synth_actuals",
    "write_synth_files",
]

STEP_S = 5.0
BASE_NOISE_M = 4.0
SHORT_DWELL_MIN = 4.0
GAP_MIN = 15.0
DETOUR_M = 400.0
DEVIATIONS = ("skipped", "short_dwell", "detour", "noise", "gap")


@dataclass(frozen=True)
class Deviation:
    """One known deviation: its kind, the team-shift, the stop's task (if any), and a note."""

    kind: str
    team_id: str
    task_id: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SynthWeek:
    """Synthetic actuals: ``fixes`` (working CRS: ``track_id``, ``who``, ``team_id``,
    ``time``, ``source``, ``row``), ``checkins`` (the sheet's columns ``team_id``, ``seq``,
    ``arrive``, ``done``, ``note``), ``truth`` (per fix: ``x``, ``y`` before noise and
    ``edge_id``) and the ``deviations`` made."""

    fixes: gpd.GeoDataFrame
    checkins: pd.DataFrame
    truth: pd.DataFrame
    deviations: list[Deviation]


@dataclass
class _Item:
    """A stretch of a team-shift: a walk along ``line`` or a wait (a line of one point)."""

    line: shapely.LineString
    start: float  # seconds since the route's start
    end: float
    stop_seq: int = -1  # the stop waited at, or -1


def _schedule(route: TeamRoute) -> list[_Item]:
    """The route as walks (its legs) and waits (between legs, at the stops)."""
    t0 = route.start
    items: list[_Item] = []
    clock = 0.0
    for leg in sorted(route.legs, key=lambda g: g.start):
        start, end = (leg.start - t0).total_seconds(), (leg.end - t0).total_seconds()
        if start > clock + 0.5:
            here = items[-1].line.coords[-1] if items else leg.geometry.coords[0]
            items.append(_Item(shapely.LineString([here, here]), clock, start))
        items.append(_Item(leg.geometry, start, max(end, start + 0.1)))
        clock = max(end, start + 0.1)
    total = route.duration_s
    if total > clock + 0.5 and items:
        here = items[-1].line.coords[-1]
        items.append(_Item(shapely.LineString([here, here]), clock, total))
    for stop in route.stops:
        a, b = (stop.arrive - t0).total_seconds(), (stop.depart - t0).total_seconds()
        for item in items:
            if item.line.length == 0 and abs(item.start - a) < 2 and abs(item.end - b) < 2:
                item.stop_seq = stop.seq
    return items


def _shift(items: list[_Item], after: float, by: float) -> None:
    for item in items:
        if item.start >= after - 1e-6:
            item.start += by
            item.end += by


def _nearest_node(plan: Plan, xy: tuple[float, ...]) -> int:
    return int(np.argmin(np.hypot(*(plan.network.node_xy - np.asarray(xy[:2])).T)))


def _path(plan: Plan, a: tuple[float, ...], b: tuple[float, ...]) -> shapely.LineString:
    """A walk along the streets from ``a`` to ``b`` (straight to the nearest nodes)."""
    line = plan.network.path_geometry(_nearest_node(plan, a), _nearest_node(plan, b))
    return shapely.LineString([a[:2], *line.coords, b[:2]])


def _skip(plan: Plan, items: list[_Item], k: int) -> None:
    """Leave out the stop waited at in ``items[k]``: walk from before its transit in to
    after its transit out, straight along the streets."""
    lo, hi = k - 1, k + 1
    a, b = items[lo].line.coords[0], items[hi].line.coords[-1]
    line = _path(plan, a, b)
    start, old_end = items[lo].start, items[hi].end
    end = start + line.length / plan.network.speed_mps
    items[lo : hi + 1] = [_Item(line, start, end)]
    _shift(items[lo + 1 :], 0.0, end - old_end)


def _detour(plan: Plan, route: TeamRoute, items: list[_Item], k: int) -> bool:
    """After the wait ``items[k]``, walk about :data:`DETOUR_M` out along streets the
    route does not use, and back."""
    here = items[k].line.coords[-1]
    source = _nearest_node(plan, here)
    dist = plan.network.distance_matrix([source], np.arange(plan.network.n_nodes))[0]
    planned = route.geometry.buffer(30.0)
    far = np.flatnonzero((dist > 0.8 * DETOUR_M) & (dist < 1.3 * DETOUR_M))
    outside = [n for n in far if not planned.contains(shapely.Point(plan.network.node_xy[n]))]
    if not outside:
        return False
    target = int(min(outside, key=lambda n: abs(dist[n] - DETOUR_M)))
    out = plan.network.path_geometry(source, target)
    line = shapely.LineString([*out.coords, *list(out.coords)[::-1][1:]])
    start = items[k].end
    length_s = line.length / plan.network.speed_mps
    _shift(items[k + 1 :], 0.0, length_s)
    items.insert(k + 1, _Item(line, start, start + length_s))
    return True


def _deviate(plan: Plan, route: TeamRoute, items: list[_Item], kind: str) -> str:
    """Apply ``kind`` to ``items``; the task id of the stop it concerns ('' for none,
    None-like '-' when the route has no stop fit for it)."""
    waits = [k for k, it in enumerate(items) if it.stop_seq >= 0 and 0 < k < len(items) - 1]
    stops = {s.seq: s for s in route.stops}
    fit = {
        "skipped": [k for k in waits if stops[items[k].stop_seq].kind in ("visit", "hotspot")],
        "short_dwell": [k for k in waits if stops[items[k].stop_seq].kind == "hotspot"],
        "detour": [k for k in waits if stops[items[k].stop_seq].kind in ("visit", "hotspot")],
    }.get(kind)
    if fit is None:
        return ""
    if not fit:
        return "-"
    k = fit[len(fit) // 2]
    task = stops[items[k].stop_seq].task_id
    if kind == "skipped":
        _skip(plan, items, k)
    elif kind == "short_dwell":
        cut = (items[k].end - items[k].start) - SHORT_DWELL_MIN * 60
        items[k].end -= cut
        _shift(items[k + 1 :], 0.0, -cut)
    elif not _detour(plan, route, items, k):
        return "-"
    return task


def _positions(items: list[_Item], times: np.ndarray) -> np.ndarray:
    starts = np.array([it.start for it in items])
    which = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(items) - 1)
    lines = np.array([it.line for it in items], dtype=object)[which]
    span = np.array([max(it.end - it.start, 1e-9) for it in items])[which]
    share = np.clip((times - starts[which]) / span, 0.0, 1.0)
    points = shapely.line_interpolate_point(lines, share, normalized=True)
    return np.asarray(shapely.get_coordinates(points), dtype=float)


def _noise(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """GPS error: a few metres, or 10–30 m in a random direction for a noisy phone."""
    if kind == "noise":
        size = rng.uniform(10.0, 30.0, n)
        angle = rng.uniform(0, 2 * np.pi, n)
        return np.column_stack((size * np.cos(angle), size * np.sin(angle)))
    return rng.normal(0.0, BASE_NOISE_M / np.sqrt(2), (n, 2))


def _arrivals(route: TeamRoute, items: list[_Item]) -> dict[int, float]:
    return {it.stop_seq: it.start for it in items if it.stop_seq >= 0}


_FIT = {
    "skipped": ("visit", "hotspot"),
    "short_dwell": ("hotspot",),
    "detour": ("visit", "hotspot"),
    "noise": ("visit", "hotspot", "sweep"),
    "gap": ("visit", "hotspot", "sweep"),
}


def _choose(plan: Plan, rng: np.random.Generator, count: int) -> dict[str, str]:
    """Which team-shifts deviate, and how: ``count`` of each kind (among the team-shifts
    with a stop fit for it: a middle stop of the right kind), none twice."""
    chosen: dict[str, str] = {}
    for kind in DEVIATIONS:
        fit = [
            r.team.team_id
            for r in plan.routes
            if r.team.team_id not in chosen
            and any(s.kind in _FIT[kind] for s in r.stops[1:-1])
            and len(r.stops) >= 3
        ]
        for team in rng.permutation(sorted(fit))[:count]:
            chosen[str(team)] = kind
    return chosen


def _track(
    plan: Plan, route: TeamRoute, kind: str, rng: np.random.Generator
) -> tuple[pd.DataFrame, list[dict[str, Any]], str]:
    items = _schedule(route)
    task = _deviate(plan, route, items, kind) if kind else ""
    end = max(it.end for it in items)
    times = np.arange(0.0, end + 1e-9, STEP_S)
    if kind == "gap":
        mid = end / 2
        times = times[(times < mid) | (times >= mid + GAP_MIN * 60)]
    true_xy = _positions(items, times)
    xy = true_xy + _noise(rng, len(times), kind)
    team = route.team
    who = team.members[0].person_id if team.members else team.team_id
    when = pd.Timestamp(route.start) + pd.to_timedelta(times, unit="s")
    frame = pd.DataFrame(
        {
            "who": who,
            "team_id": team.team_id,
            "time": when,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "true_x": true_xy[:, 0],
            "true_y": true_xy[:, 1],
        }
    )
    arrive = _arrivals(route, items)
    rows = []
    for stop in route.stops:
        if stop.kind == "post" or (kind == "skipped" and stop.task_id == task):
            continue
        at = arrive.get(stop.seq, (stop.arrive - route.start).total_seconds())
        rows.append(
            {
                "team_id": team.team_id,
                "seq": stop.seq,
                "arrive": route.start + dt.timedelta(seconds=round(at)),
                "done": "是",
                "note": "",
            }
        )
    return frame, rows, task


def synth_actuals(
    plan: Plan, *, seed: int = 0, per_kind: int = 1, chosen: dict[str, str] | None = None
) -> SynthWeek:
    """A week of synthetic tracks and check-ins for ``plan`` with ``per_kind`` team-shifts
    of every deviation in :data:`DEVIATIONS` (see the module), or the deviations
    ``chosen`` (team id -> kind); the same seed gives the same week. A deviation a
    team-shift has no stop for is not made (and not listed)."""
    rng = np.random.default_rng(seed)
    chosen = _choose(plan, rng, per_kind) if chosen is None else chosen
    frames, checkins, deviations = [], [], []
    for route in sorted(plan.routes, key=lambda r: r.team.team_id):
        kind = chosen.get(route.team.team_id, "")
        frame, rows, task = _track(plan, route, kind, rng)
        if kind and task != "-":
            deviations.append(Deviation(kind, route.team.team_id, task))
        frames.append(frame)
        checkins += rows
    fixes = pd.concat(frames, ignore_index=True)
    fixes["track_id"] = fixes["team_id"]
    fixes["source"] = "synth"
    fixes["row"] = np.arange(1, len(fixes) + 1)
    points = shapely.points(fixes[["x", "y"]].to_numpy())
    truth = _truth(plan, fixes)
    cols = ["track_id", "who", "team_id", "time", "source", "row"]
    return SynthWeek(
        gpd.GeoDataFrame(fixes[cols], geometry=points, crs=plan.scenario.crs),
        pd.DataFrame(checkins, columns=["team_id", "seq", "arrive", "done", "note"]),
        truth,
        deviations,
    )


def _truth(plan: Plan, fixes: pd.DataFrame) -> pd.DataFrame:
    """Each fix's position before noise and the street it lies on."""
    edges = plan.network.edges
    points = shapely.points(fixes[["true_x", "true_y"]].to_numpy())
    tree = shapely.STRtree(edges.geometry.to_numpy())
    which, edge = tree.query_nearest(points, all_matches=False)
    edge_id = np.empty(len(points), dtype=object)
    edge_id[which] = edges["edge_id"].astype(str).to_numpy()[edge]
    return pd.DataFrame({"x": fixes["true_x"], "y": fixes["true_y"], "edge_id": edge_id})


def _gpx(fixes: pd.DataFrame, lonlat: np.ndarray, name: str) -> str:
    """GPX 1.1 text of one track (times in UTC)."""
    utc = (fixes["time"] - pd.Timedelta(hours=8)).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    points = "\n".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>{t}</time></trkpt>'
        for (lon, lat), t in zip(lonlat, utc, strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="patrol" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>{name}</name><trkseg>\n{points}\n</trkseg></trk>\n</gpx>\n"
    )


def write_synth_files(week: SynthWeek, folder: str | Path) -> list[Path]:
    """Write ``week`` as files a station would hand in: one GPX per team-shift under
    ``folder/tracks/`` (named by its phone's carrier) and ``folder/checkins.csv``."""
    from patrol.actuals.files import xy_to_lonlat

    folder = Path(folder)
    written: list[Path] = []
    fixes = week.fixes
    lonlat = xy_to_lonlat(shapely.get_coordinates(fixes.geometry.to_numpy()), crs=fixes.crs)
    for track_id, rows in fixes.groupby("track_id", sort=True).indices.items():
        one = fixes.iloc[rows]
        text = _gpx(one, lonlat[rows], str(one["who"].iloc[0]))
        written.append(write_text(folder / "tracks" / f"{track_id}.gpx", text))
    sheet = week.checkins.assign(
        arrive=week.checkins["arrive"].map(lambda t: t.strftime("%Y-%m-%d %H:%M"))
    )
    written.append(write_csv(folder / "checkins.csv", sheet))
    return written
