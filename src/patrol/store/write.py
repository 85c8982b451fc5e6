"""Write a plan to disk, atomically: plan.gpkg, summary.json and Excel-friendly CSVs.

Every file is written to a temporary name in the output folder and renamed into place
when complete (``os.replace`` is atomic on one file system), so a failed run never leaves
a half-written output. CSV files are UTF-8 with a BOM, which Excel needs to show Chinese
text. Layers are written in WGS 84 (lon/lat), the form other tools expect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from patrol.atomic import write_csv, write_gpkg, write_text
from patrol.projection import WGS84

if TYPE_CHECKING:
    from patrol.coverage.measure import Coverage
    from patrol.plan import Plan


def plan_layers(plan: Plan) -> dict[str, gpd.GeoDataFrame]:
    """The plan as GeoDataFrames in WGS 84: routes, legs, stops, teams, unserved and the
    staffing gaps (beat-shifts that needed a team and got none)."""
    crs = plan.scenario.crs
    routes = gpd.GeoDataFrame(
        [
            {
                "team_id": r.team.team_id,
                "date": r.team.slot.date.isoformat(),
                "shift": r.team.slot.shift,
                "beat_id": r.team.beat_id,
                "post_id": r.post_id,
                "start": r.start.isoformat(timespec="seconds"),
                "end": r.end.isoformat(timespec="seconds"),
                "length_m": round(r.length_m, 1),
                "stops": sum(1 for s in r.stops if s.kind != "post"),
                "members": "、".join(f"{p.name}({p.role})" for p in r.team.members),
                "night": r.team.slot.night,
            }
            for r in plan.routes
        ],
        geometry=[r.geometry for r in plan.routes],
        crs=crs,
    )
    legs = gpd.GeoDataFrame(
        [
            {
                "team_id": leg.team_id,
                "kind": leg.kind,
                "grid_id": leg.grid_id,
                "start": leg.start.isoformat(timespec="seconds"),
                "end": leg.end.isoformat(timespec="seconds"),
                "night": _night_of(plan, leg.team_id),
            }
            for r in plan.routes
            for leg in r.legs
        ],
        geometry=[leg.geometry for r in plan.routes for leg in r.legs],
        crs=crs,
    )
    stops = gpd.GeoDataFrame(
        [
            {
                "team_id": s.team_id,
                "seq": s.seq,
                "kind": s.kind,
                "task_id": s.task_id,
                "target_id": s.target_id,
                "grid_id": s.grid_id,
                "arrive": s.arrive.isoformat(timespec="seconds"),
                "depart": s.depart.isoformat(timespec="seconds"),
                "description_zh": s.description_zh,
                "description_en": s.description_en,
            }
            for r in plan.routes
            for s in r.stops
        ],
        geometry=[s.point for r in plan.routes for s in r.stops],
        crs=crs,
    )
    teams = gpd.GeoDataFrame(
        [
            {
                "date": t.slot.date.isoformat(),
                "shift": t.slot.shift,
                "team_id": t.team_id,
                "beat_id": t.beat_id,
                "person_id": p.person_id,
                "name": p.name,
                "role": p.role,
                "phone": p.phone,
                "shortfall": t.shortfall,
            }
            for t in plan.team_plan.teams
            for p in t.members
        ],
        geometry=[None] * sum(len(t.members) for t in plan.team_plan.teams),
        crs=crs,
    )
    unserved = gpd.GeoDataFrame(
        [
            {
                "task": u.task.task_id,
                "kind": u.task.kind,
                "target": u.task.target_id,
                "grid_id": u.task.grid_id,
                "beat_id": u.task.beat_id,
                "weight": u.task.weight,
                "reason": u.reason,
                "reason_zh": u.reason_zh,
                "reason_en": u.reason_en,
                "description_zh": u.task.description_zh,
            }
            for u in plan.unserved
        ],
        geometry=[_point_of(plan, u.task.start_node) for u in plan.unserved],
        crs=crs,
    )
    gaps = gpd.GeoDataFrame(
        [
            {
                "date": g.slot.date.isoformat(),
                "shift": g.slot.shift,
                "beat_id": g.beat_id,
                "needed": g.needed,
                "formed": g.formed,
                "reason_zh": g.reason_zh,
                "reason_en": g.reason_en,
            }
            for g in plan.team_plan.gaps
        ],
        geometry=[None] * len(plan.team_plan.gaps),
        crs=crs,
    )
    return {
        name: layer.to_crs(WGS84)
        for name, layer in {
            "routes": routes,
            "legs": legs,
            "stops": stops,
            "teams": teams,
            "unserved": unserved,
            "staffing_gaps": gaps,
        }.items()
    }


def _night_of(plan: Plan, team_id: str) -> bool:
    for t in plan.team_plan.teams:
        if t.team_id == team_id:
            return bool(t.slot.night)
    return False


def _point_of(plan: Plan, node: int) -> Any:
    import shapely

    return shapely.Point(plan.network.node_xy[node])


def write_plan(
    plan: Plan, out: str | Path, *, progress: Callable[[str], None] | None = None
) -> list[Path]:
    """Write plan.gpkg, summary.json and the CSV copies into ``out``; returns the paths."""
    from patrol.summary import duty_table, grid_table, plan_summary

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _m: None)
    say(f"Writing the plan to {out} ...")
    layers = plan_layers(plan)
    written = [write_gpkg(out / "plan.gpkg", dict(layers.items()))]
    summary = plan_summary(plan)
    written.append(
        write_text(
            out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str)
        )
    )
    for name in ("routes", "stops", "teams", "unserved"):
        frame = pd.DataFrame(layers[name].drop(columns="geometry"))
        written.append(write_csv(out / f"{name}.csv", frame))
    written.append(write_csv(out / "grids.csv", grid_table(plan).reset_index()))
    written.append(write_csv(out / "duty.csv", duty_table(plan)))
    return written


def write_coverage(coverage: Coverage, out: str | Path) -> list[Path]:
    """Add the coverage layers to ``OUT/plan.gpkg`` and write ``OUT/coverage.csv``; merge
    the headline figures into ``OUT/summary.json``."""
    out = Path(out)
    layers = {
        "grid_coverage": coverage.grid_coverage,
        "street_coverage": coverage.street_coverage,
        "camera_views": coverage.camera_views,
        "blind_spots": coverage.blind_spots,
    }
    layers = {k: v.loc[:, ~v.columns.duplicated(keep="last")] for k, v in layers.items()}
    written = [write_gpkg(out / "plan.gpkg", {k: v.to_crs(WGS84) for k, v in layers.items()})]
    table = pd.DataFrame(layers["grid_coverage"].drop(columns="geometry"))
    written.append(write_csv(out / "coverage.csv", table))
    summary_path = out / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    summary["coverage"] = {
        k: (None if v != v else round(float(v), 4)) for k, v in coverage.summary.items()
    }
    written.append(
        write_text(summary_path, json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    )
    return written
