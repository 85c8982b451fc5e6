"""Write a plan to disk, atomically: plan.gpkg, summary.json, the people's CSVs, plan.xlsx.

``plan.gpkg`` is the plan store (its layout in :mod:`patrol.store.schema`): the plan, the
week's tasks and demand figures, the coverage layers, a snapshot of the scenario and its
street network, the settings and a fingerprint of every input file, so that
:mod:`patrol.store.read` rebuilds the plan without the scenario folder. Every file is
written to a temporary name and renamed into place when complete
(:mod:`patrol.atomic`). CSV files are UTF-8 with a BOM, which Excel needs to show Chinese
text; they and the sheets of plan.xlsx are the people's tables of :mod:`patrol.store.people`
(headers in the reader's language, figures rounded), the store keeps the raw data.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from patrol.atomic import write_csv, write_text
from patrol.labels import Phrase
from patrol.store import schema
from patrol.store.layers import to_json, write_layers
from patrol.store.people import people_table, read_times
from patrol.store.snapshot import (
    fingerprint_inputs,
    network_frames,
    network_meta,
    scenario_frames,
    settings_from_text,
    settings_text,
)
from patrol.teams.tally import GAP_COLUMNS, gap_records

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.demand import Demand
    from patrol.plan import Plan, TeamRoute, Unserved
    from patrol.scenario.model import ShiftSlot
    from patrol.teams.types import Team

log = logging.getLogger("patrol")


def _frame(
    layer: schema.Layer, rows: list[dict[str, Any]], geometry: list[Any], crs: Any
) -> gpd.GeoDataFrame:
    data = pd.DataFrame(rows, columns=layer.names)
    if not layer.spatial:
        return data
    return gpd.GeoDataFrame(data, geometry=geometry or [None] * len(data), crs=crs)


def _fields(record: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dataclass record's fields (shallow: geometries are not copied)."""
    return {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in skip
    }


def _time(value: Any) -> str:
    return str(value.isoformat())


def _slot(slot: ShiftSlot) -> dict[str, Any]:
    return {"date": slot.date.isoformat(), "shift": slot.shift}


def _times(record: Any, *names: str) -> dict[str, str]:
    return {name: _time(getattr(record, name)) for name in names}


def _route_row(r: TeamRoute) -> dict[str, Any]:
    return {
        **_slot(r.team.slot),
        **_times(r, "start", "end"),
        "team_id": r.team.team_id,
        "beat_id": r.team.beat_id,
        "post_id": r.post_id,
        "length_m": r.length_m,
        "stops": sum(1 for s in r.stops if s.kind != "post"),
        "members": "、".join(f"{p.name}({p.role})" for p in r.team.members),
        "night": r.team.slot.night,
    }


def _team_rows(t: Team) -> list[dict[str, Any]]:
    return [
        {
            **_slot(t.slot),
            **_fields(p, skip=("available", "beat_id", "grid_id", "max_shifts_per_week")),
            "team_id": t.team_id,
            "beat_id": t.beat_id,
            "shortfall": t.shortfall,
            "min_others": t.min_others,
        }
        for p in t.members
    ]


def _unserved_row(u: Unserved) -> dict[str, Any]:
    task = u.task
    return {
        **_fields(task, skip=("geometry", "slots", "due")),
        "task": task.task_id,
        "target": task.target_id,
        "reason": u.reason,
        "reason_zh": u.reason_zh,
        "reason_en": u.reason_en,
    }


def plan_layers(plan: Plan) -> dict[str, gpd.GeoDataFrame]:
    """The plan as layers in the working CRS: routes, legs, stops, teams, unserved and the
    staffing gaps (beat-shifts that needed a team and got none)."""
    routes, teams, gaps = plan.routes, plan.team_plan.teams, plan.team_plan.gaps
    legs = [(leg, r.team.slot.night) for r in routes for leg in r.legs]
    stops = [s for r in routes for s in r.stops]
    rows = {
        schema.ROUTES: ([_route_row(r) for r in routes], [r.geometry for r in routes]),
        schema.LEGS: (
            [
                {**_fields(leg, skip=("geometry",)), **_times(leg, "start", "end"), "night": n}
                for leg, n in legs
            ],
            [leg.geometry for leg, _ in legs],
        ),
        schema.STOPS: (
            [{**_fields(s, skip=("point",)), **_times(s, "arrive", "depart")} for s in stops],
            [s.point for s in stops],
        ),
        schema.TEAMS: ([row for t in teams for row in _team_rows(t)], []),
        schema.UNSERVED: (
            [_unserved_row(u) for u in plan.unserved],
            [_point_of(plan, u.task.start_node) for u in plan.unserved],
        ),
        schema.GAPS: ([{**_fields(g, skip=("slot",)), **_slot(g.slot)} for g in gaps], []),
    }
    crs = plan.scenario.crs
    return {layer.name: _frame(layer, r, g, crs) for layer, (r, g) in rows.items()}


def _point_of(plan: Plan, node: int) -> Any:
    import shapely

    return shapely.Point(plan.network.node_xy[node])


def demand_layers(demand: Demand, *, crs: Any) -> dict[str, pd.DataFrame]:
    """The week's tasks and the figures they came from, as store layers."""
    tasks = [
        {
            **_fields(t, skip=("geometry",)),
            "slots": ";".join(sorted(t.slots)),
            "due": t.due.isoformat() if t.due else "",
        }
        for t in demand.tasks
    ]
    needs = [
        {**_fields(n), "visits_due": demand.visits_due.get(g, 0)} for g, n in demand.needs.items()
    ]
    hotspots = [
        {
            **_fields(h, skip=("point",)),
            "categories": to_json(h.categories),
            "shifts": ";".join(h.shifts),
        }
        for h in demand.hotspots
    ]
    edge_grid = pd.DataFrame(
        {"edge_id": demand.edge_grid.index.to_numpy(), "grid_id": demand.edge_grid.to_numpy()},
        columns=schema.EDGE_GRID.names,
    )
    return {
        schema.TASKS.name: _frame(schema.TASKS, tasks, [t.geometry for t in demand.tasks], crs),
        schema.GRID_NEEDS.name: _frame(schema.GRID_NEEDS, needs, [], crs),
        schema.HOTSPOTS.name: _frame(
            schema.HOTSPOTS, hotspots, [h.point for h in demand.hotspots], crs
        ),
        schema.EDGE_GRID.name: edge_grid,
    }


def plan_meta(plan: Plan, out: Path) -> dict[str, Any]:
    """The store's key -> value entries: version, run, settings, scenario reference."""
    scenario, team_plan = plan.scenario, plan.team_plan
    text = settings_text(scenario)
    week = scenario.settings.week_start.isoformat()
    if settings_from_text(text, week_start=week) != scenario.settings:
        log.warning(Phrase("log.settings_changed"))
    source = Path(scenario.source) if scenario.source else None
    return {
        "schema_version": schema.SCHEMA_VERSION,
        "plan_id": plan.plan_id,
        "engine": plan.engine,
        "seed": plan.seed,
        "upper_bound": plan.upper_bound,
        "timings_s": plan.timings,
        "settings_toml": text,
        "week_start": week,
        "crs": scenario.crs.to_wkt(),
        "scenario": os.path.relpath(source.resolve(), out.resolve()) if source else "",
        "scenario_is_file": bool(source and source.is_file()),
        "network": network_meta(plan.network),
        "team_plan": {
            "spread": team_plan.spread,
            "load": team_plan.load,
            "status": team_plan.status,
            "objective": team_plan.objective,
            "bound": team_plan.bound,
            "seconds": team_plan.seconds,
        },
        "unplaceable": getattr(plan.demand, "unplaceable", []),
    }


def write_plan(
    plan: Plan,
    out: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
    phones: bool = False,
) -> list[Path]:
    """Write plan.gpkg (the plan store), summary.json, the people's CSV copies and
    plan.xlsx into ``out``; returns the paths. ``lang`` (default: the scenario's
    language) is the language of the CSV headers and the workbook. Phone numbers reach
    teams.csv and plan.xlsx only with ``phones`` (the store keeps them for the sheets)."""
    from patrol.summary import duty_table, plan_summary

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (progress or (lambda _m: None))(Phrase("progress.writing", out=out))
    layers = plan_layers(plan)
    source = Path(plan.scenario.source) if plan.scenario.source else None
    inputs = fingerprint_inputs(source) if source and source.exists() else {}
    frames: dict[str, pd.DataFrame] = {
        **layers,
        **demand_layers(plan.demand, crs=plan.scenario.crs),
        **scenario_frames(plan.scenario),
        **network_frames(plan.network),
        schema.INPUTS.name: pd.DataFrame(
            [(name, sha, size) for name, (sha, size) in inputs.items()],
            columns=schema.INPUTS.names,
        ),
    }
    meta = plan_meta(plan, out)
    written = [write_layers(out, frames, new=True, **meta)]  # nothing of an older plan stays
    summary = {**plan_summary(plan), "scenario": meta["scenario"]}
    written.append(_write_summary(out, summary))
    gaps = pd.DataFrame(gap_records(plan.team_plan), columns=GAP_COLUMNS)
    written.append(write_csv(out / "staffing_gaps.csv", gaps))  # every gap, none left out
    rows = {
        **{name: pd.DataFrame(layers[name]) for name in schema.CSV_LAYERS},
        "teams": _people_phones(pd.DataFrame(layers[schema.TEAMS.name]), phones=phones),
        "grids": plan.grid_table.reset_index(),
        "duty": duty_table(plan),
        "staffing_gaps": gaps,
    }
    written += write_people_tables(
        out, rows, lang=lang or plan.scenario.settings.language, csv_of=_PEOPLE_CSV
    )
    return written


def _people_phones(teams: pd.DataFrame, *, phones: bool) -> pd.DataFrame:
    """The teams table with its phone numbers blanked unless the chief asks for them."""
    return teams if phones else teams.assign(phone="")


_PEOPLE_CSV = (*schema.CSV_LAYERS, "grids", "duty", "coverage")
"""The tables whose CSV copy is the people's table (staffing_gaps.csv keeps its codes)."""


def write_people_tables(
    out: Path,
    rows: dict[str, pd.DataFrame],
    *,
    lang: str,
    extend: bool = False,
    csv_of: tuple[str, ...] = _PEOPLE_CSV,
) -> list[Path]:
    """Write each table of ``rows`` (store rows by table name) as a sheet of
    ``OUT/plan.xlsx`` and, for the names in ``csv_of``, as ``OUT/<name>.csv``, in the
    people's form (:mod:`patrol.store.people`): headers in ``lang``, codes as names,
    figures rounded. ``extend`` keeps the workbook's other sheets."""
    from patrol.store.excel import WORKBOOK_FILE, write_workbook

    tables = {name: people_table(name, frame, lang=lang) for name, frame in rows.items()}
    written = [
        write_csv(out / f"{name}.csv", read_times(t))
        for name, t in tables.items()
        if name in csv_of
    ]
    written.append(write_workbook(out / WORKBOOK_FILE, tables, lang=lang, extend=extend))
    return written


def _write_summary(out: Path, summary: dict[str, Any]) -> Path:
    text = json.dumps(summary, ensure_ascii=False, indent=2, default=str)
    return write_text(out / schema.SUMMARY_FILE, text)


def _unique_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[:, ~frame.columns.duplicated(keep="last")]


def saved_language(out: Path) -> str:
    """The language of the plan saved in ``out`` (its settings), "zh" without one."""
    from patrol.store.layers import read_meta

    gpkg = out / schema.PLAN_FILE
    if not gpkg.exists():
        return "zh"
    meta = read_meta(gpkg, check=False)
    text, week = meta.get("settings_toml"), meta.get("week_start")
    if not text or not week:
        return "zh"
    return settings_from_text(text, week_start=week).language


def write_coverage(coverage: Coverage, out: str | Path, *, lang: str | None = None) -> list[Path]:
    """Add the coverage layers to ``OUT/plan.gpkg``, write ``OUT/coverage.csv`` and the
    coverage sheet of ``OUT/plan.xlsx`` (the columns a person reads, rounded, in
    ``lang``, by default the saved plan's language); merge the headline figures into
    ``OUT/summary.json``."""
    out = Path(out)
    lang = lang or saved_language(out)
    frames = {  # a column measured twice (grid households, residents) is kept once
        layer.name: _unique_columns(getattr(coverage, attr))
        for attr, layer in schema.COVERAGE_LAYERS.items()
    }
    figures = {k: (None if v != v else float(v)) for k, v in coverage.summary.items()}
    written = [write_layers(out, frames, coverage_summary=figures)]
    grid_layer = schema.COVERAGE_LAYERS["grid_coverage"].name
    table = pd.DataFrame(frames[grid_layer]).drop(columns="geometry", errors="ignore")
    written += write_people_tables(out, {"coverage": table}, lang=lang, extend=True)
    summary_path = out / schema.SUMMARY_FILE
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    summary["coverage"] = {k: (None if v is None else round(v, 4)) for k, v in figures.items()}
    written.append(_write_summary(out, summary))
    return written
