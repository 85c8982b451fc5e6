"""Every team-shift against its plan, rolled up per person, team, grid and beat.

Measured from the check-ins and the map-matched tracks (:mod:`patrol.actuals.evidence`)
with the plan's own coverage engine (:func:`patrol.coverage.of_plan.measure_plan_coverage`
on the walked lines), so planned and walked figures mean the same thing:

- **stops** done, late or missed: a stop is *done* when checked in as done or when the
  track stays at it (visits at least :data:`VISIT_MIN_MIN` minutes, hot spots
  :data:`HOTSPOT_SEEN_MIN`), a sweep when :data:`SWEEP_DONE_SHARE` of its streets are
  walked; *late* when it began more than ``late_min`` minutes after the planned arrival;
  a check-in marked "no" is missed whatever the track shows;
- the **share of the planned sweep length** walked, and streets walked **off-plan**
  (segments the team walked for at least :data:`OFFPLAN_MIN_M` and half their length
  that none of its legs use);
- **hot-spot dwell** minutes against the 10–16 minute target (``hotspot_short``: stops
  dwelt under :data:`DWELL_TARGET_MIN` [0]);
- **visits** done;
- per grid, the **longest gap** between patrols and the **blind spots** (residents in
  them) as walked, next to the plan's.

``deviation`` (0–1, 0 = as planned) ranks the team-shifts for the daily spot checks: the
share of stops missed, half the share late, the sweep length not walked, short hot-spot
dwells and off-plan metres (full at :data:`OFFPLAN_FULL_M`), averaged over what the
shift had.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from patrol.actuals.evidence import planned_edges, stop_evidence, walked_edges

if TYPE_CHECKING:
    from patrol.actuals.matching import Matched
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan

__all__ = ["DWELL_TARGET_MIN", "Compliance", "measure_compliance"]

DWELL_TARGET_MIN = (10.0, 16.0)
VISIT_MIN_MIN = 3.0
HOTSPOT_SEEN_MIN = 1.5
SWEEP_DONE_SHARE = 0.8
OFFPLAN_MIN_M = 30.0
OFFPLAN_AWAY_M = 30.0
OFFPLAN_FULL_M = 1000.0
"""Off-plan walking counts fully in the deviation from this many metres on."""

STOP_COLUMNS = [
    "team_id", "date", "shift", "beat_id", "grid_id", "seq", "kind", "task_id", "target_id",
    "planned_arrive", "planned_depart", "arrive", "dwell_min", "sweep_planned_m",
    "sweep_walked_m", "status", "late_min", "source", "unconfirmed",
]  # fmt: skip
SHIFT_SUMS = [
    "stops_planned", "stops_done", "stops_late", "stops_missed", "sweep_planned_m",
    "sweep_walked_m", "hotspot_target_min", "hotspot_dwell_min", "hotspot_short",
    "visits_planned", "visits_done",
]  # fmt: skip


@dataclass(frozen=True)
class Compliance:
    """The week as patrolled against its plan; columns in ``/work/notes/actuals_api.md``
    and ``docs`` of :mod:`patrol.actuals.layers`."""

    stops: gpd.GeoDataFrame
    shifts: pd.DataFrame
    people: pd.DataFrame
    grids: pd.DataFrame
    beats: pd.DataFrame
    offplan: gpd.GeoDataFrame
    blind_spots: gpd.GeoDataFrame
    summary: dict[str, float]


def _planned_stops(plan: Plan) -> gpd.GeoDataFrame:
    rows, points = [], []
    for route in plan.routes:
        slot = route.team.slot
        for s in route.stops:
            if s.kind == "post":
                continue
            rows.append(
                {
                    "team_id": route.team.team_id,
                    "date": slot.date.isoformat(),
                    "shift": slot.shift,
                    "beat_id": route.team.beat_id,
                    "grid_id": s.grid_id,
                    "seq": s.seq,
                    "kind": s.kind,
                    "task_id": s.task_id,
                    "target_id": s.target_id,
                    "planned_arrive": pd.Timestamp(s.arrive),
                    "planned_depart": pd.Timestamp(s.depart),
                }
            )
            points.append(s.point)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=points, crs=plan.scenario.crs)


def _status(table: pd.DataFrame, *, late_min: float) -> pd.DataFrame:
    """Arrival, status, lateness and source of every stop from its evidence."""
    kind = table["kind"]
    by_track = np.select(
        [kind == "visit", kind == "hotspot", kind == "sweep"],
        [
            table["dwell_min"] >= VISIT_MIN_MIN,
            table["dwell_min"] >= HOTSPOT_SEEN_MIN,
            table["sweep_walked_m"] >= SWEEP_DONE_SHARE * table["sweep_planned_m"],
        ],
        False,
    ).astype(bool)
    said = table["done"]
    by_sheet = said.eq(True).to_numpy()
    refused = said.eq(False).to_numpy()
    done = (by_track | by_sheet) & ~refused
    arrive = table["checkin_time"].where(table["checkin_time"].notna(), table["track_arrive"])
    arrive = arrive.where(done)
    late = ((arrive - table["planned_arrive"]).dt.total_seconds() / 60.0).clip(lower=0.0)
    status = np.where(~done, "missed", np.where(late > late_min, "late", "done"))
    source = np.select([by_track & by_sheet, by_sheet, by_track], ["both", "checkin", "track"], "")
    return table.assign(
        arrive=arrive,
        status=status,
        late_min=late.where(done),
        source=np.where(done, source, ""),
        unconfirmed=by_sheet & ~by_track & table["tracked"].fillna(False).to_numpy(dtype=bool),
    )


def stop_table(
    plan: Plan, checkins: pd.DataFrame, evidence: pd.DataFrame, *, late_min: float
) -> gpd.GeoDataFrame:
    """Every planned stop with its status (see the module); the columns of
    :data:`STOP_COLUMNS` and the stop's point."""
    stops = _planned_stops(plan)
    sheet = checkins[["team_id", "seq", "time", "done"]].rename(columns={"time": "checkin_time"})
    table = stops.merge(evidence, on=["team_id", "seq"], how="left")
    table = table.merge(sheet, on=["team_id", "seq"], how="left")
    table["checkin_time"] = pd.to_datetime(table["checkin_time"])
    table["dwell_min"] = table["dwell_min"].fillna(0.0)
    for col in ("sweep_planned_m", "sweep_walked_m"):
        table[col] = table[col].fillna(0.0)
    done = _status(table, late_min=late_min)
    return gpd.GeoDataFrame(
        done[STOP_COLUMNS], geometry=stops.geometry.to_numpy(), crs=plan.scenario.crs
    )


def _offplan(plan: Plan, planned: pd.DataFrame, walked: pd.DataFrame) -> gpd.GeoDataFrame:
    """Streets a team walked for at least :data:`OFFPLAN_MIN_M` and half their length that
    none of its legs use, lying farther than :data:`OFFPLAN_AWAY_M` from its route (a
    street beside the route is GPS noise matched to the wrong side, not a detour)."""
    edges = plan.network.edges.set_index(plan.network.edges["edge_id"].astype(str))
    mine = set(zip(planned["team_id"], planned["edge_id"], strict=True))
    keep = [
        (t, e) not in mine
        and m >= max(OFFPLAN_MIN_M, 0.5 * edges.at[e, "length_m"])
        and edges.at[e, "highway"] != "entrance"
        for t, e, m in zip(walked["team_id"], walked["edge_id"], walked["walked_m"], strict=True)
    ]
    off = walked.loc[keep, ["team_id", "edge_id", "walked_m"]].reset_index(drop=True)
    routes = {r.team.team_id: r.geometry for r in plan.routes}
    middles = shapely.line_interpolate_point(
        edges.geometry.reindex(off["edge_id"]).to_numpy(), 0.5, normalized=True
    )
    lines = np.array([routes[t] for t in off["team_id"]], dtype=object)
    away = shapely.distance(middles, lines) > OFFPLAN_AWAY_M if len(off) else np.zeros(0, bool)
    off = off.loc[away].reset_index(drop=True)
    off["grid_id"] = off["edge_id"].map(plan.demand.edge_grid).fillna("")
    geoms = edges.geometry.reindex(off["edge_id"]).to_numpy()
    return gpd.GeoDataFrame(off, geometry=list(geoms), crs=plan.scenario.crs)


def _sums(stops: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The stop counts and metres of :data:`SHIFT_SUMS` per ``keys``."""
    hot = stops["kind"] == "hotspot"
    planned_min = (stops["planned_depart"] - stops["planned_arrive"]).dt.total_seconds() / 60
    frame = stops.assign(
        stops_planned=1,
        stops_done=stops["status"].isin(["done", "late"]).astype(int),
        stops_late=(stops["status"] == "late").astype(int),
        stops_missed=(stops["status"] == "missed").astype(int),
        hotspot_target_min=np.where(hot, planned_min, 0.0),
        hotspot_dwell_min=np.where(hot, stops["dwell_min"], 0.0),
        hotspot_short=(
            hot & (stops["status"] != "missed") & (stops["dwell_min"] < DWELL_TARGET_MIN[0])
        ).astype(int),
        visits_planned=(stops["kind"] == "visit").astype(int),
        visits_done=((stops["kind"] == "visit") & (stops["status"] != "missed")).astype(int),
    )
    return frame.groupby(keys, sort=True)[SHIFT_SUMS].sum().reset_index()


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    result: pd.Series = (num / den.where(den > 0)).clip(upper=1.0)
    return result


def _deviation(t: pd.DataFrame) -> pd.Series:
    parts = pd.DataFrame(
        {
            "missed": _share(t["stops_missed"], t["stops_planned"]),
            "late": 0.5 * _share(t["stops_late"], t["stops_planned"]),
            "sweep": 1.0 - t["sweep_share"],
            "dwell": _share(t["hotspot_short"], t["stops_planned"]),
            "offplan": (t["offplan_m"] / OFFPLAN_FULL_M).clip(upper=1.0),
        }
    )
    result: pd.Series = parts.mean(axis=1, skipna=True).fillna(0.0).round(4)
    return result


def shift_table(
    plan: Plan, stops: pd.DataFrame, offplan: pd.DataFrame, tracked: set[str]
) -> pd.DataFrame:
    """One row per planned team-shift: sums of its stops, sweep share, off-plan metres,
    whether it was tracked, and its ``deviation``."""
    base = pd.DataFrame(
        [
            {
                "team_id": r.team.team_id,
                "date": r.team.slot.date.isoformat(),
                "shift": r.team.slot.shift,
                "beat_id": r.team.beat_id,
                "members": "、".join(p.name for p in r.team.members),
                "person_ids": ";".join(p.person_id for p in r.team.members),
            }
            for r in plan.routes
        ]
    )
    table = base.merge(_sums(stops, ["team_id"]), on="team_id", how="left")
    table[SHIFT_SUMS] = table[SHIFT_SUMS].fillna(0)
    table["sweep_share"] = _share(table["sweep_walked_m"], table["sweep_planned_m"])
    off = offplan.groupby("team_id")["walked_m"].sum()
    table["offplan_m"] = table["team_id"].map(off).fillna(0.0)
    table["tracked"] = table["team_id"].isin(tracked)
    table["deviation"] = _deviation(table)
    return table.sort_values(["date", "shift", "team_id"]).reset_index(drop=True)


def people_table(plan: Plan, shifts: pd.DataFrame) -> pd.DataFrame:
    """Per person on duty: team-shifts planned and tracked, and the sums of their stops
    (each member of a team-shift shares its stops)."""
    people = {p.person_id: p for r in plan.routes for p in r.team.members}
    rows = shifts.assign(person_id=shifts["person_ids"].str.split(";")).explode("person_id")
    cols = [c for c in SHIFT_SUMS if c not in ("hotspot_target_min",)]
    table = rows.groupby("person_id", sort=True).agg(
        shifts_planned=("team_id", "size"), shifts_tracked=("tracked", "sum"),
        **{c: (c, "sum") for c in cols},
    ).reset_index()  # fmt: skip
    table.insert(1, "name", table["person_id"].map(lambda p: people[p].name))
    table.insert(2, "role", table["person_id"].map(lambda p: people[p].role))
    table["sweep_share"] = _share(table["sweep_walked_m"], table["sweep_planned_m"])
    return table


def grid_table(
    plan: Plan, stops: pd.DataFrame, planned_cov: Coverage, walked_cov: Coverage
) -> pd.DataFrame:
    """Per grid: the stop sums, sweep share, and longest gap, blind-spot residents and
    street share as planned and as walked."""
    grids = plan.scenario.grids[["grid_id", "beat_id"]].copy()
    table = grids.merge(_sums(stops, ["grid_id"]), on="grid_id", how="left")
    table[SHIFT_SUMS] = table[SHIFT_SUMS].fillna(0)
    table["sweep_share"] = _share(table["sweep_walked_m"], table["sweep_planned_m"])
    for label, cov in (("planned", planned_cov), ("walked", walked_cov)):
        g = cov.grid_coverage.set_index("grid_id")
        table[f"longest_gap_{label}_h"] = table["grid_id"].map(g["longest_gap_h"])
        table[f"blind_residents_{label}"] = table["grid_id"].map(g["blind_residents"])
        table[f"street_walked_share_{label}"] = table["grid_id"].map(g["street_walked_share"])
    result: pd.DataFrame = table.drop(columns=["stops_planned"])
    return result


def beat_table(grids: pd.DataFrame) -> pd.DataFrame:
    """Per beat: the grids' sums, the sweep share and the longest gaps (the worst grid)."""
    sums = [c for c in SHIFT_SUMS if c in grids.columns]
    extra = ["blind_residents_planned", "blind_residents_walked"]
    table = grids.groupby("beat_id", sort=True)[sums + extra].sum()
    gaps = grids.groupby("beat_id", sort=True)[["longest_gap_planned_h", "longest_gap_walked_h"]]
    table = table.join(gaps.max()).reset_index()
    table["sweep_share"] = _share(table["sweep_walked_m"], table["sweep_planned_m"])
    return table


def _walked_lines(plan: Plan, legs: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The matched legs as the coverage engine reads tracks (date, shift, night)."""
    slots = {r.team.team_id: r.team.slot for r in plan.routes}
    team = legs["team_id"]
    return legs.assign(
        date=team.map(lambda t: slots[t].date.isoformat()),
        shift=team.map(lambda t: slots[t].shift),
        night=team.map(lambda t: bool(slots[t].night)).astype(bool),
        kind="walk",
    )[["team_id", "date", "shift", "start", "end", "night", "kind", "geometry"]]


def _visits_done(plan: Plan, stops: pd.DataFrame) -> pd.DataFrame:
    from patrol.coverage.of_plan import visit_stops

    made = stops.loc[(stops["kind"] == "visit") & (stops["status"] != "missed")]
    focus = plan.scenario.focus_households
    if focus is None or not len(made) or "building_id" not in focus:
        return visit_stops(plan).iloc[0:0]
    building = dict(zip(focus["household_id"], focus["building_id"], strict=True))
    night = {r.team.team_id: bool(r.team.slot.night) for r in plan.routes}
    return pd.DataFrame(
        {"building_id": made["target_id"].map(building), "night": made["team_id"].map(night)}
    ).dropna()


def _summary(shifts: pd.DataFrame, grids: pd.DataFrame, offplan: pd.DataFrame) -> dict[str, float]:
    total = shifts[SHIFT_SUMS].sum()
    planned = float(total["stops_planned"]) or 1.0
    sweep = float(total["sweep_planned_m"]) or 1.0
    return {
        "team_shifts": float(len(shifts)),
        "team_shifts_tracked": float(shifts["tracked"].sum()),
        "stops_planned": float(total["stops_planned"]),
        "stops_done_share": float(total["stops_done"]) / planned,
        "stops_late": float(total["stops_late"]),
        "stops_missed": float(total["stops_missed"]),
        "sweep_share": float(total["sweep_walked_m"]) / sweep,
        "visits_planned": float(total["visits_planned"]),
        "visits_done": float(total["visits_done"]),
        "hotspot_dwell_min": float(total["hotspot_dwell_min"]),
        "hotspot_short": float(total["hotspot_short"]),
        "offplan_m": float(offplan["walked_m"].sum()),
        "blind_residents_planned": float(grids["blind_residents_planned"].sum()),
        "blind_residents_walked": float(grids["blind_residents_walked"].sum()),
        "longest_gap_walked_h_max": float(grids["longest_gap_walked_h"].max()),
    }


def measure_compliance(
    plan: Plan,
    *,
    checkins: pd.DataFrame,
    fixes: gpd.GeoDataFrame,
    matched: Matched,
    planned: Coverage | None = None,
    late_min: float = 15.0,
) -> Compliance:
    """Measure every team-shift of ``plan`` against the check-ins and the matched tracks
    (``fixes`` screened, ``matched`` their :func:`~patrol.actuals.matching.match_fixes`);
    ``planned`` is the plan's coverage (measured when not given). See the module."""
    from patrol.coverage.of_plan import measure_plan_coverage

    edges = planned_edges(plan)
    walked = walked_edges(matched.legs)
    xy = matched.fixes[["x", "y"]].to_numpy(dtype=float)
    evidence = stop_evidence(plan, fixes, xy, walked, edges)
    stops = stop_table(plan, checkins, evidence, late_min=late_min)
    offplan = _offplan(plan, edges, walked)
    shifts = shift_table(plan, stops, offplan, set(fixes["team_id"]))
    planned_cov = planned or measure_plan_coverage(plan)
    lines = _walked_lines(plan, matched.legs) if len(matched.legs) else _empty_lines(plan)
    walked_cov = measure_plan_coverage(plan, walked=lines, visits=_visits_done(plan, stops))
    grids = grid_table(plan, stops, planned_cov, walked_cov)
    return Compliance(
        stops=stops,
        shifts=shifts,
        people=people_table(plan, shifts),
        grids=grids,
        beats=beat_table(grids),
        offplan=offplan,
        blind_spots=walked_cov.blind_spots,
        summary=_summary(shifts, grids, offplan),
    )


def _empty_lines(plan: Plan) -> gpd.GeoDataFrame:
    cols: dict[str, Any] = {c: [] for c in ("team_id", "date", "shift", "kind")}
    cols |= {"start": pd.to_datetime([]), "end": pd.to_datetime([]), "night": np.array([], bool)}
    return gpd.GeoDataFrame(
        pd.DataFrame(cols), geometry=shapely.points(np.zeros((0, 2))), crs=plan.scenario.crs
    )
