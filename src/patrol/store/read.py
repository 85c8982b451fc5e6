"""Read a written plan back: ``OUT/plan.gpkg`` + ``OUT/summary.json`` -> :class:`Plan`.

``patrol map OUT`` and ``patrol sheets OUT`` redraw the maps and reprint the sheets of a
plan already written (in another language, redacted, split per team) without planning
again. The scenario is read again from the folder ``summary.json`` names (or the one
given); the demand is rebuilt from it, which is deterministic, so every stop finds its
task again. A stop whose task no longer exists (the scenario changed since) is an error
that says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from patrol.demand import build_demand
from patrol.errors import InputError
from patrol.network import scenario_network
from patrol.plan import Leg, Plan, Stop, TeamRoute, Unserved
from patrol.scenario.model import Scenario, ShiftSlot
from patrol.scenario.read import read_scenario
from patrol.teams.types import StaffingGap, Team, TeamPlan


def _time(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def read_plan(out: str | Path, *, scenario: Scenario | str | Path | None = None) -> Plan:
    """The plan written to ``out`` by ``patrol plan`` (or :func:`patrol.store.write.write_plan`)."""
    out = Path(out)
    gpkg, summary_path = out / "plan.gpkg", out / "summary.json"
    for path in (gpkg, summary_path):
        if not path.exists():
            raise InputError(
                f"{path} is missing: {out} holds no plan written by 'patrol plan'.", file=str(path)
            )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if scenario is None:
        source = summary.get("scenario")
        if not source or not Path(source).exists():
            raise InputError(
                f"the scenario folder of this plan ({source}) was not found.",
                file=str(summary_path),
            )
        scenario = source
    if not isinstance(scenario, Scenario):
        scenario = read_scenario(scenario)
    crs = scenario.crs
    network = scenario_network(scenario)
    slots = scenario.slots()
    slot_of = {s.key: s for s in slots}
    demand = build_demand(scenario, network, slots)
    tasks = {t.task_id: t for t in demand.tasks}
    people = {p.person_id: p for p in scenario.people}

    def layer(name: str) -> gpd.GeoDataFrame:
        frame = gpd.read_file(gpkg, layer=name)
        if frame.crs is not None and frame.geometry.notna().any():
            frame = frame.to_crs(crs)
        return frame

    teams_rows = layer("teams")
    teams: dict[str, Team] = {}
    for team_id, rows in teams_rows.groupby("team_id", sort=False):
        first = rows.iloc[0]
        slot = slot_of[f"{first['date']}_{first['shift']}"]
        members = [people[str(pid)] for pid in rows["person_id"]]
        police = next(p for p in members if p.is_police)
        worker = next(p for p in members if p.role == "grid_worker")
        others = tuple(p for p in members if p is not police and p is not worker)
        teams[str(team_id)] = Team(
            str(team_id),
            slot,
            str(first["beat_id"]),
            police,
            worker,
            others,
            scenario.settings.teams.min_others,
        )
    gaps = _read_gaps(gpkg, slot_of)
    load = Counter(p.person_id for t in teams.values() for p in t.members)
    team_plan = TeamPlan(
        tuple(teams.values()),
        gaps,
        summary.get("duty_spread", {}),
        dict(load),
        summary.get("team_status", ""),
        0.0,
        0.0,
        0.0,
    )

    stops = layer("stops")
    legs = layer("legs")
    routes_layer = layer("routes")
    legs_of: dict[str, list[Leg]] = defaultdict(list)
    for row in legs.itertuples(index=False):
        legs_of[str(row.team_id)].append(
            Leg(
                str(row.team_id),
                row.kind,
                _time(row.start),
                _time(row.end),
                row.geometry,
                str(row.grid_id or ""),
            )
        )
    routes: list[TeamRoute] = []
    for row in routes_layer.itertuples(index=False):
        team_id = str(row.team_id)
        own = stops.loc[stops["team_id"] == team_id].sort_values("seq")
        route_stops = []
        for s in own.itertuples(index=False):
            if s.kind != "post" and s.task_id not in tasks:
                raise InputError(
                    f"stop {s.task_id} of team {team_id} matches no task of "
                    "the scenario as it is now; plan again.",
                    file=str(gpkg),
                )
            route_stops.append(
                Stop(
                    team_id,
                    int(s.seq),
                    s.kind,
                    str(s.task_id),
                    str(s.target_id),
                    str(s.grid_id or ""),
                    _time(s.arrive),
                    _time(s.depart),
                    s.geometry,
                    str(s.description_zh),
                    str(s.description_en),
                    tasks[s.task_id].weight if s.task_id in tasks else 0.0,
                )
            )
        routes.append(
            TeamRoute(
                teams[team_id],
                str(row.post_id),
                tuple(route_stops),
                tuple(legs_of[team_id]),
                _time(row.start),
                _time(row.end),
                float(row.length_m),
            )
        )
    unserved_rows = layer("unserved")
    unserved = [
        Unserved(tasks[str(r.task)], str(r.reason))
        for r in unserved_rows.itertuples(index=False)
        if str(r.task) in tasks
    ]
    timings = {k: float(v) for k, v in summary.get("timings_s", {}).items()}
    return Plan(
        scenario=scenario,
        network=network,
        demand=demand,
        team_plan=team_plan,
        routes=routes,
        unserved=unserved,
        slots=slots,
        timings=timings,
        engine=str(summary.get("engine", "")),
        seed=int(summary.get("seed", 0)),
        upper_bound=float(summary.get("weighted_demand_upper_bound", 1.0)),
        plan_id=str(summary.get("plan_id", "")),
    )


def _read_gaps(gpkg: Path, slot_of: dict[str, ShiftSlot]) -> tuple[StaffingGap, ...]:
    import pyogrio

    if "staffing_gaps" not in {row[0] for row in pyogrio.list_layers(gpkg)}:
        return ()
    frame = pd.DataFrame(
        gpd.read_file(gpkg, layer="staffing_gaps").drop(columns="geometry", errors="ignore")
    )
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    ]
    return tuple(
        StaffingGap(
            slot_of[f"{r['date']}_{r['shift']}"],
            str(r["beat_id"]),
            int(r["needed"]),
            int(r["formed"]),
            str(r["reason_en"]),
            str(r["reason_zh"]),
        )
        for r in records
        if f"{r['date']}_{r['shift']}" in slot_of
    )
