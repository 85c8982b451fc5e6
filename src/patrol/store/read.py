"""Read a saved plan back from the store alone: ``OUT/plan.gpkg`` -> Plan and Coverage.

``patrol map OUT`` and ``patrol sheets OUT`` redraw the maps and reprint the sheets of a
plan already written (in another language, redacted, split per team) without planning or
measuring again, and without the scenario folder: the store holds the tasks, the teams,
the routes, the coverage layers and a snapshot of the scenario and its street network
(:mod:`patrol.store.schema`). When the scenario folder the plan refers to (by a path
relative to ``OUT``) still exists and its files changed since, a warning names them and
the saved plan is used as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd

from patrol.coverage.measure import Coverage
from patrol.demand import Demand, GridNeed, Hotspot, Task
from patrol.errors import InputError
from patrol.labels import label
from patrol.plan import Leg, Plan, Stop, TeamRoute, Unserved
from patrol.scenario.model import Person, ShiftSlot
from patrol.store import schema
from patrol.store.layers import layer_names, read_layer, read_meta
from patrol.store.snapshot import changed_inputs, network_from_store, scenario_from_store
from patrol.teams.types import StaffingGap, Team, TeamPlan, team_from_members

log = logging.getLogger("patrol")


def _time(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def _keys(value: Any) -> frozenset[str]:
    return frozenset(str(value).split(";")) if value else frozenset()


def _names(value: Any) -> tuple[str, ...]:
    return tuple(str(value).split(";")) if value else ()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def scenario_folder(out: str | Path, *, scenario: str | Path | None = None) -> Path | None:
    """The scenario a saved plan was made from (``scenario`` when given), if it still exists."""
    out = Path(out)
    if scenario is None:
        ref = read_meta(out / schema.PLAN_FILE).get("scenario", "")
        if not ref:
            return None
        scenario = out / ref
    path = Path(scenario)
    return path if path.exists() else None


def stale_inputs(out: str | Path, *, scenario: str | Path | None = None) -> list[str]:
    """The scenario's input files changed, added or removed since the plan in ``out`` was
    made; empty when they are unchanged or the scenario folder is gone."""
    folder = scenario_folder(out, scenario=scenario)
    if folder is None:
        return []
    table = read_layer(Path(out) / schema.PLAN_FILE, schema.INPUTS.name)
    stored = {str(r["file"]): (str(r["sha256"]), int(r["size"])) for r in _records(table)}
    return changed_inputs(stored, folder)


def read_demand(gpkg: Path, meta: dict[str, Any]) -> Demand:
    """The week's demand as saved: tasks, grid needs, hot spots, street -> grid map."""
    tasks = []
    for r in _records(read_layer(gpkg, schema.TASKS.name)):
        r.update(slots=_keys(r["slots"]), due=dt.date.fromisoformat(r["due"]) if r["due"] else None)
        tasks.append(Task(**r))
    needs_rows = _records(read_layer(gpkg, schema.GRID_NEEDS.name))
    visits_due = {str(r["grid_id"]): int(r.pop("visits_due")) for r in needs_rows}
    hotspots = [
        Hotspot(
            **{
                **{k: v for k, v in r.items() if k != "geometry"},
                "point": r["geometry"],
                "categories": _json(r["categories"]),
                "shifts": _names(r["shifts"]),
            }
        )
        for r in _records(read_layer(gpkg, schema.HOTSPOTS.name))
    ]
    edges = read_layer(gpkg, schema.EDGE_GRID.name)
    extra = {"unplaceable": [tuple(u) for u in meta.get("unplaceable", [])]}
    return Demand(
        tasks=tasks,
        needs={str(r["grid_id"]): GridNeed(**r) for r in needs_rows},
        hotspots=hotspots,
        edge_grid=pd.Series(edges["grid_id"].to_numpy(), index=edges["edge_id"].to_numpy()),
        visits_due={g: n for g, n in visits_due.items() if n},
        **{k: v for k, v in extra.items() if k in {f.name for f in fields(Demand)}},
    )


def _json(text: Any) -> Any:
    import json

    return json.loads(str(text))


def _teams(
    rows: list[dict[str, Any]], slot_of: dict[str, ShiftSlot], people: dict[str, Person]
) -> list[Team]:
    by_team: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_team[str(r["team_id"])].append(r)
    teams = []
    for team_id, own in by_team.items():
        first = own[0]
        members = [people[str(r["person_id"])] for r in own]
        slot = slot_of[f"{first['date']}_{first['shift']}"]
        beat = str(first["beat_id"])
        min_others = int(first["min_others"])
        teams.append(team_from_members(team_id, slot, beat, members, min_others=min_others))
    return teams


def _team_plan(
    gpkg: Path, meta: dict[str, Any], teams: list[Team], slot_of: dict[str, ShiftSlot]
) -> TeamPlan:
    gaps = tuple(
        StaffingGap(
            slot_of[f"{r['date']}_{r['shift']}"],
            str(r["beat_id"]),
            int(r["needed"]),
            int(r["formed"]),
            str(r["reason_en"]),
            str(r["reason_zh"]),
        )
        for r in _records(read_layer(gpkg, schema.GAPS.name))
    )
    saved = meta["team_plan"]
    return TeamPlan(
        tuple(teams),
        gaps,
        saved["spread"],
        saved["load"],
        saved["status"],
        saved["objective"],
        saved["bound"],
        saved["seconds"],
    )


def _routes(gpkg: Path, teams: dict[str, Team]) -> list[TeamRoute]:
    legs_of: dict[str, list[Leg]] = defaultdict(list)
    for r in _records(read_layer(gpkg, schema.LEGS.name)):
        legs_of[str(r["team_id"])].append(
            Leg(
                str(r["team_id"]),
                r["kind"],
                _time(r["start"]),
                _time(r["end"]),
                r["geometry"],
                str(r["grid_id"]),
                str(r.get("mode") or ""),  # stores before mixed travel have no mode
            )
        )
    stops_of: dict[str, list[Stop]] = defaultdict(list)
    for r in _records(read_layer(gpkg, schema.STOPS.name)):
        r.update(arrive=_time(r["arrive"]), depart=_time(r["depart"]), point=r.pop("geometry"))
        stops_of[str(r["team_id"])].append(Stop(**r))
    return [
        TeamRoute(
            teams[str(r["team_id"])],
            str(r["post_id"]),
            tuple(stops_of[str(r["team_id"])]),
            tuple(legs_of[str(r["team_id"])]),
            _time(r["start"]),
            _time(r["end"]),
            float(r["length_m"]),
        )
        for r in _records(read_layer(gpkg, schema.ROUTES.name))
    ]


def read_plan(out: str | Path, *, scenario: str | Path | None = None) -> Plan:
    """The plan saved in ``out`` by ``patrol plan`` (:func:`patrol.store.write.write_plan`),
    rebuilt from the store alone: no planning, no scenario folder.

    ``scenario`` is the folder to compare the saved input fingerprints with (default: the
    one the plan was made from); changed files are named in a warning.
    """
    out = Path(out)
    gpkg = out / schema.PLAN_FILE
    meta = read_meta(gpkg)
    changed = stale_inputs(out, scenario=scenario)
    if changed:
        files = ", ".join(changed)
        log.warning(
            "%s / %s",
            label("store.inputs_changed", "zh", files=files),
            label("store.inputs_changed", "en", files=files),
        )
    team_rows = _records(read_layer(gpkg, schema.TEAMS.name))
    folder = scenario_folder(out, scenario=scenario)
    scen = scenario_from_store(
        gpkg,
        meta,
        phones={str(r["person_id"]): str(r["phone"] or "") for r in team_rows},
        source=str(folder) if folder else "",
    )
    slots = scen.slots()
    slot_of = {s.key: s for s in slots}
    teams = _teams(team_rows, slot_of, {p.person_id: p for p in scen.people})
    demand = read_demand(gpkg, meta)
    task_of = {t.task_id: t for t in demand.tasks}
    unserved = [
        Unserved.from_texts(
            task_of[str(r["task"])],
            str(r["reason"]),
            zh=str(r["reason_zh"]),
            en=str(r["reason_en"]),
        )
        for r in _records(read_layer(gpkg, schema.UNSERVED.name))
    ]
    return Plan(
        scenario=scen,
        network=network_from_store(gpkg, meta),
        demand=demand,
        team_plan=_team_plan(gpkg, meta, teams, slot_of),
        routes=_routes(gpkg, {t.team_id: t for t in teams}),
        unserved=unserved,
        slots=slots,
        timings={k: float(v) for k, v in meta["timings_s"].items()},
        engine=str(meta["engine"]),
        seed=int(meta["seed"]),
        upper_bound=float(meta["upper_bound"]),
        plan_id=str(meta["plan_id"]),
    )


def read_coverage(out: str | Path) -> Coverage:
    """The coverage saved in ``out`` (:func:`patrol.store.write.write_coverage`), as it was
    measured: no measuring again."""
    gpkg = Path(out) / schema.PLAN_FILE
    meta = read_meta(gpkg)
    present = layer_names(gpkg)
    missing = [ly.name for ly in schema.COVERAGE_LAYERS.values() if ly.name not in present]
    if missing or "coverage_summary" not in meta:
        raise InputError(
            f"{gpkg} holds no coverage ({', '.join(missing) or 'figures'} missing). "
            f"Measure it with: patrol coverage {out}",
            file=str(gpkg),
            zh=f"{gpkg} 中没有覆盖结果（缺少 {'、'.join(missing) or '统计数字'}）。",
            fix_zh=f"请用以下命令测算：patrol coverage {out}",
        )
    layers = {attr: read_layer(gpkg, ly.name) for attr, ly in schema.COVERAGE_LAYERS.items()}
    figures = {
        k: float("nan") if v is None else float(v) for k, v in meta["coverage_summary"].items()
    }
    return Coverage(summary=figures, **layers)
