"""What the actuals show per planned stop and per street: the evidence compliance weighs.

- :func:`planned_edges`: the street segments each team-shift's legs walk (sweep legs
  tied to their sweep stop), found from the legs' geometry on the plan's network.
- :func:`walked_edges`: the metres of each segment each team-shift really walked (the
  union of the matched pieces along it, so walking a street twice counts it once).
- :func:`stop_evidence`: per planned stop, what the track shows (first stay near it and
  the minutes spent there; for a sweep, the share of its streets walked) next to the
  check-in (arrival time, done yes/no).

A *stay* is a run of fixes within :data:`STOP_RADIUS_M` of the stop lasting at least
:data:`STAY_S`; walking past a door is not a stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    import geopandas as gpd

    from patrol.plan import Plan, Stop, TeamRoute

__all__ = [
    "STAY_S",
    "STOP_RADIUS_M",
    "planned_edges",
    "stop_evidence",
    "walked_edges",
]

STOP_RADIUS_M = 40.0
STAY_S = 90.0
MAX_STEP_S = 120.0
"""A step between two fixes counts as time spent at most this long (a gap is not a stay)."""


def planned_edges(plan: Plan) -> pd.DataFrame:
    """Per team-shift, the segments its legs walk: ``team_id``, ``edge_id``, ``length_m``,
    ``kind`` (``sweep``/``transit``) and ``seq`` (the sweep stop, -1 for transit)."""
    edges = plan.network.edges
    lines = edges.geometry.to_numpy()
    middles = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    tree = shapely.STRtree(middles)
    rows = []
    for route in plan.routes:
        sweeps = [s for s in route.stops if s.kind == "sweep"]
        for leg in route.legs:
            seq = next(
                (
                    s.seq
                    for s in sweeps
                    if s.arrive <= leg.start <= s.depart and leg.kind == "sweep"
                ),
                -1,
            )
            for k in tree.query(leg.geometry, predicate="dwithin", distance=1.0):
                rows.append((route.team.team_id, int(k), leg.kind, seq))
    frame = pd.DataFrame(rows, columns=["team_id", "edge", "kind", "seq"])
    frame = frame.sort_values(["team_id", "edge", "seq"], ascending=[True, True, False])
    frame = frame.drop_duplicates(["team_id", "edge", "kind", "seq"]).reset_index(drop=True)
    frame["edge_id"] = edges["edge_id"].astype(str).to_numpy()[frame["edge"].to_numpy()]
    frame["length_m"] = edges["length_m"].to_numpy(dtype=float)[frame["edge"].to_numpy()]
    return frame[["team_id", "edge_id", "length_m", "kind", "seq"]]


def walked_edges(legs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Metres of each segment each team-shift walked: ``team_id``, ``edge_id``,
    ``walked_m`` (the union of the pieces along it) and ``first`` (when the team first
    walked on it)."""
    if not len(legs):
        return pd.DataFrame(columns=["team_id", "edge_id", "walked_m", "first"])
    lo = np.minimum(legs["from_m"].to_numpy(dtype=float), legs["to_m"].to_numpy(dtype=float))
    hi = np.maximum(legs["from_m"].to_numpy(dtype=float), legs["to_m"].to_numpy(dtype=float))
    frame = pd.DataFrame(
        {
            "team_id": legs["team_id"].to_numpy(),
            "edge_id": legs["edge_id"].to_numpy(),
            "lo": lo,
            "hi": hi,
            "start": legs["start"].to_numpy(),
        }
    ).sort_values(["team_id", "edge_id", "lo"], kind="stable")
    keys = [frame["team_id"], frame["edge_id"]]
    reach = frame.groupby(keys, sort=False)["hi"].cummax()
    before = reach.groupby(keys, sort=False).shift(1).fillna(-np.inf).to_numpy()
    # sorted by start offset, each piece adds what lies beyond all the pieces before it
    frame["new_m"] = np.maximum(0.0, frame["hi"].to_numpy() - np.maximum(frame["lo"], before))
    table = frame.groupby(["team_id", "edge_id"], sort=True).agg(
        walked_m=("new_m", "sum"), first=("start", "min")
    )
    return table.reset_index()


def _stays(inside: np.ndarray, secs: np.ndarray) -> tuple[float, float]:
    """(start of the longest stay, seconds in all stays) of one stop; NaN for none.

    The longest stay is the visit itself; shorter ones are passing by or coming back."""
    best, best_s, total = np.nan, 0.0, 0.0
    k, n = 0, len(inside)
    while k < n:
        if not inside[k]:
            k += 1
            continue
        j = k
        while j + 1 < n and inside[j + 1] and secs[j + 1] - secs[j] <= MAX_STEP_S:
            j += 1
        length = secs[j] - secs[k]
        if length >= STAY_S:
            total += length
            if length > best_s:
                best, best_s = secs[k], length
        k = j + 1
    return best, total


def _places(route: TeamRoute) -> list[list[Stop]]:
    """The route's visits and hot spots grouped by place (within 5 m: one door)."""
    groups: list[list[Stop]] = []
    for stop in route.stops:
        if stop.kind in ("post", "sweep"):
            continue
        for group in groups:
            if group[0].point.distance(stop.point) <= 5.0:
                group.append(stop)
                break
        else:
            groups.append([stop])
    return groups


def _stop_rows(route: TeamRoute, xy: np.ndarray, secs: np.ndarray) -> list[dict[str, object]]:
    """Track evidence of the route's visits and hot spots. A fix counts for the nearest
    place within :data:`STOP_RADIUS_M`; stops at one place (households behind one door)
    share its stays, each a part in proportion to its planned minutes, in planned order."""
    rows = []
    groups = _places(route)
    if len(xy) and groups:
        where = np.array([g[0].point.coords[0][:2] for g in groups])
        dist = np.hypot(xy[:, None, 0] - where[None, :, 0], xy[:, None, 1] - where[None, :, 1])
        nearest = np.argmin(dist, axis=1)
    for k, group in enumerate(groups):
        first, total = np.nan, 0.0
        if len(xy):
            first, total = _stays((nearest == k) & (dist[:, k] <= STOP_RADIUS_M), secs)
        planned = np.array([max((s.depart - s.arrive).total_seconds(), 1.0) for s in group])
        part = total * planned / planned.sum()
        starts = first + np.concatenate(([0.0], np.cumsum(part)[:-1]))
        for stop, start, dwell in zip(group, starts, part, strict=True):
            rows.append(
                {"team_id": route.team.team_id, "seq": stop.seq, "track_s": start, "dwell_s": dwell}
            )
    return rows


def _sweep_rows(
    route: TeamRoute, mine: pd.DataFrame, done: pd.DataFrame
) -> list[dict[str, object]]:
    """Per sweep stop of the route: its planned metres, the metres its team walked of
    them, and when the team first walked one of its streets (not also a transit street)."""
    rows = []
    team = route.team.team_id
    transit = set(mine.loc[mine["kind"] == "transit", "edge_id"])
    for stop in (s for s in route.stops if s.kind == "sweep"):
        own = mine.loc[(mine["seq"] == stop.seq)].drop_duplicates("edge_id")
        length = own.set_index("edge_id")["length_m"]
        got = done["walked_m"].reindex(length.index).fillna(0.0).clip(upper=length)
        firsts = done["first"].reindex([e for e in length.index if e not in transit])
        start = firsts.min() if firsts.notna().any() else done["first"].reindex(length.index).min()
        rows.append(
            {
                "team_id": team,
                "seq": stop.seq,
                "sweep_planned_m": float(length.sum()),
                "sweep_walked_m": float(got.sum()),
                "track_first": start,
            }
        )
    return rows


def stop_evidence(
    plan: Plan,
    fixes: gpd.GeoDataFrame,
    matched_xy: np.ndarray,
    walked: pd.DataFrame,
    planned: pd.DataFrame,
) -> pd.DataFrame:
    """Per planned stop (police rooms left out): ``team_id``, ``seq``, ``track_arrive``
    (first stay, or a sweep's first street walked), ``dwell_min``, and for sweeps
    ``sweep_planned_m``/``sweep_walked_m``; ``tracked`` says the team-shift has a track.
    ``matched_xy`` holds each fix's matched point (NaN where far: the fix is used)."""
    xy_all = (
        np.where(
            np.isnan(matched_xy), shapely.get_coordinates(fixes.geometry.to_numpy()), matched_xy
        )
        if len(fixes)
        else np.zeros((0, 2))
    )
    epoch = pd.Timestamp("1970-01-01")
    secs_all = (
        (pd.to_datetime(fixes["time"]) - epoch).dt.total_seconds().to_numpy()
        if len(fixes)
        else np.zeros(0)
    )
    by_team = fixes.groupby("team_id").indices if len(fixes) else {}
    rows: list[dict[str, object]] = []
    sweeps: list[dict[str, object]] = []
    plans = {str(t): g for t, g in planned.groupby("team_id")}
    walks = {str(t): g.set_index("edge_id") for t, g in walked.groupby("team_id")}
    none_planned = planned.iloc[0:0]
    none_walked = walked.iloc[0:0].set_index("edge_id")
    for route in plan.routes:
        team = route.team.team_id
        at = np.sort(by_team.get(team, np.zeros(0, dtype=np.int64)))
        rows += [r | {"tracked": len(at) > 0} for r in _stop_rows(route, xy_all[at], secs_all[at])]
        mine, done = plans.get(team, none_planned), walks.get(team, none_walked)
        sweeps += [r | {"tracked": len(at) > 0} for r in _sweep_rows(route, mine, done)]
    table = pd.DataFrame(rows, columns=["team_id", "seq", "track_s", "dwell_s", "tracked"])
    table["track_arrive"] = epoch + pd.to_timedelta(table["track_s"], unit="s")
    table["dwell_min"] = table["dwell_s"] / 60.0
    sweep = pd.DataFrame(
        sweeps,
        columns=["team_id", "seq", "sweep_planned_m", "sweep_walked_m", "track_first", "tracked"],
    )
    sweep = sweep.rename(columns={"track_first": "track_arrive"})
    both = pd.concat([table.drop(columns=["track_s", "dwell_s"]), sweep], ignore_index=True)
    both["track_arrive"] = pd.to_datetime(both["track_arrive"])
    return both.sort_values(["team_id", "seq"]).reset_index(drop=True)
