"""The next week's scenario, from the week really patrolled (``patrol next-week OUT``).

Without it a chief retypes ``last_visit`` by hand, or moves ``week_start`` on and sees the
visits due jump (45 to 54 on the sample) because none of the week's visits counted. From
the compliance of the week in ``OUT`` (``patrol actuals``) this writes a NEW scenario
folder beside the old one, a copy of it with:

- ``last_visit`` of every focus household set to the day its visit was really done;
- the visits missed left as they were, so they are overdue and planned first (in the
  week's first two days, at a higher weight: :mod:`patrol.week_rules`), and listed;
- every grid whose patrols (sweeps) were missed raised one risk colour for the week (a
  red grid gets the missed sweeps on top instead); ``next_week.json`` records the raise,
  so the week after puts the grid back where it was unless its patrols are missed again;
- ``week_start`` moved on by a week in ``patrol.toml``;
- ``changes.csv``: every change, one row each, with the reason (zh and en headers).

The user's files are never opened for writing: layers that change are written as new
files in the new folder (a CSV table stays CSV; a grids layer is written as GeoJSON), the
rest are copied byte for byte. The folder appears whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from patrol.atomic import atomic_folder, atomic_path, write_csv, write_text
from patrol.errors import PatrolError, ProblemLog
from patrol.ledger.labels import both, text
from patrol.scenario.files import find_layer_file, read_table_file
from patrol.store.layers import layer_names, read_layer, read_meta
from patrol.store.read import scenario_folder
from patrol.store.schema import PLAN_FILE

__all__ = ["NextWeek", "next_folder", "plan_next_week", "write_next_week"]

RAISES_FILE = "next_week.json"
CHANGES_FILE = "changes.csv"
_RISK_UP = {"green": "yellow", "yellow": "orange", "orange": "red"}
_RISK_CODE = {"绿": "green", "黄": "yellow", "橙": "orange", "红": "red"}
_DATED = re.compile(r"_(\d{4}-\d{2}-\d{2})$")
_WEEK_START = re.compile(r'^(\s*week_start\s*=\s*)"[^"]*"', re.MULTILINE)


@dataclass
class NextWeek:
    """What the next week changes: the new week, the changed tables and the change list."""

    week_start: dt.date
    scenario: Path
    focus: pd.DataFrame | None
    focus_file: Path | None
    grids: Any
    grids_file: Path | None
    settings: str
    raises: dict[str, dict[str, Any]]
    changes: list[dict[str, Any]] = field(default_factory=list)


def next_folder(scenario: Path, week_start: dt.date) -> Path:
    """The default new folder: ``<scenario>_<new week_start>`` beside the scenario (a date
    already at the end of the scenario's name is replaced)."""
    stem = _DATED.sub("", scenario.name)
    return scenario.parent / f"{stem}_{week_start.isoformat()}"


def _change(layer: str, target: str, column: str, old: Any, new: Any, why: str) -> dict[str, Any]:
    return {"layer": layer, "target": target, "field": column, "old": old, "new": new, "why": why}


def _day(value: Any) -> dt.date | None:
    if value is None or value != value or not str(value).strip():
        return None
    stamp = pd.to_datetime(str(value), errors="coerce")
    return None if pd.isna(stamp) else dt.date(stamp.year, stamp.month, stamp.day)


def _visits_done(stops: pd.DataFrame) -> dict[str, dt.date]:
    """Household -> the last day its visit was really done this week."""
    visits = stops.loc[(stops["kind"] == "visit") & stops["status"].isin(["done", "late"])]
    days: dict[str, dt.date] = {}
    for row in visits.itertuples():
        day = _day(row.arrive) or dt.date.fromisoformat(str(row.date)[:10])
        days[str(row.target_id)] = max(day, days.get(str(row.target_id), day))
    return days


def _missed(stops: pd.DataFrame, kind: str, done: set[str]) -> pd.DataFrame:
    part = stops.loc[(stops["kind"] == kind) & (stops["status"] == "missed")]
    return part.loc[~part["target_id"].astype(str).isin(done)]


def _focus_changes(week: NextWeek, stops: pd.DataFrame) -> None:
    if week.focus is None:
        return
    done = _visits_done(stops)
    ids = [str(v) for v in week.focus["household_id"]]
    old = list(week.focus["last_visit"]) if "last_visit" in week.focus.columns else [""] * len(ids)
    new = list(old)
    for k, household in enumerate(ids):
        day, before = done.get(household), _day(old[k])
        if day is not None and (before is None or day > before):
            new[k] = day.isoformat()
            week.changes.append(
                _change("focus_households", household, "last_visit", old[k], new[k], "visited")
            )
    week.focus = week.focus.assign(last_visit=new)
    due_first = text("value.due_first", "zh")
    for row in _missed(stops, "visit", set(done)).drop_duplicates("target_id").itertuples():
        when = str(row.date)[:10]
        week.changes.append(
            _change("focus_households", str(row.target_id), "due", when, due_first, "missed_visit")
        )


def _risk(value: Any) -> str:
    code = str(value).strip() if value is not None and value == value else ""
    return _RISK_CODE.get(code, code.lower() or "green")


def _grid_changes(
    week: NextWeek, stops: pd.DataFrame, needs: pd.DataFrame, earlier: dict[str, dict[str, Any]]
) -> None:
    if week.grids is None:
        return
    missed = _missed(stops, "sweep", set()).groupby("grid_id").size()
    base = (
        dict(zip(needs["grid_id"], needs["base"] + needs["extra"], strict=True))
        if len(needs)
        else {}
    )
    grids = week.grids.copy()
    if "risk" not in grids.columns:
        grids["risk"] = ""
    for k, grid in grids["grid_id"].astype(str).items():
        was = earlier.get(grid, {})
        original = was.get("risk_before", grids.at[k, "risk"])
        now = grids.at[k, "risk"]
        if grid in missed.index:
            level = _risk(original)
            if level in _RISK_UP:
                raised: Any = _RISK_UP[level]
                week.raises[grid] = {
                    "risk_before": original,
                    "risk": raised,
                    "missed": int(missed[grid]),
                }
                if _risk(now) != raised:
                    grids.at[k, "risk"] = raised
                    week.changes.append(
                        _change("grids", grid, "risk", now, raised, "missed_patrols")
                    )
            else:
                extra = int(base.get(grid, 7)) + int(missed[grid])
                old_n = (
                    grids.at[k, "patrols_per_week"] if "patrols_per_week" in grids.columns else None
                )
                week.raises[grid] = {
                    "risk_before": original,
                    "patrols_before": was.get("patrols_before", old_n),
                    "missed": int(missed[grid]),
                }
                grids.at[k, "patrols_per_week"] = extra
                week.changes.append(
                    _change("grids", grid, "patrols_per_week", old_n, extra, "missed_patrols")
                )
        elif was:
            _end_raise(week, grids, k, grid, was)
    week.grids = grids


def _end_raise(week: NextWeek, grids: Any, k: Any, grid: str, was: dict[str, Any]) -> None:
    """Put a grid raised last week back as it was before the raise."""
    now, before = grids.at[k, "risk"], was.get("risk_before", grids.at[k, "risk"])
    if _risk(now) != _risk(before):
        grids.at[k, "risk"] = before
        week.changes.append(_change("grids", grid, "risk", now, before, "raise_ended"))
    if "patrols_before" in was and "patrols_per_week" in grids.columns:
        now_n, old_n = grids.at[k, "patrols_per_week"], was["patrols_before"]
        grids.at[k, "patrols_per_week"] = old_n
        week.changes.append(_change("grids", grid, "patrols_per_week", now_n, old_n, "raise_ended"))


def _settings(scenario: Path, new_start: dt.date, old_start: dt.date, week: NextWeek) -> str:
    toml = scenario / "patrol.toml"
    old = toml.read_text(encoding="utf-8-sig") if toml.exists() else ""
    value = f'"{new_start.isoformat()}"'
    found = _WEEK_START.search(old)
    new = (
        _WEEK_START.sub(lambda m: m.group(1) + value, old, count=1)
        if found
        else f"week_start = {value}\n" + old
    )
    week.changes.append(
        _change(
            "patrol.toml",
            "",
            "week_start",
            old_start.isoformat(),
            new_start.isoformat(),
            "next_week",
        )
    )
    return new


def _read_layers(scenario: Path) -> tuple[pd.DataFrame | None, Path | None, Any, Path | None]:
    import geopandas as gpd

    plog = ProblemLog()
    focus_file = find_layer_file(scenario, "focus_households")
    focus = read_table_file(focus_file, plog=plog) if focus_file is not None else None
    grids_file = find_layer_file(scenario, "grids")
    grids = gpd.read_file(grids_file) if grids_file is not None else None
    return focus, focus_file, grids, grids_file


def plan_next_week(out: str | Path, *, scenario: str | Path | None = None) -> NextWeek:
    """The next week's changes for the week in ``out`` (nothing is written)."""
    out = Path(out)
    gpkg = out / PLAN_FILE
    meta = read_meta(gpkg)
    folder = scenario_folder(out, scenario=scenario)
    if folder is None:
        raise PatrolError(both("err.no_scenario", folder=str(scenario or meta.get("scenario", ""))))
    if folder.is_file():
        raise PatrolError(both("err.gpkg_scenario", file=str(folder)))
    if "compliance_stops" not in layer_names(gpkg):
        raise PatrolError(both("err.no_actuals", out=str(out)))
    stops = read_layer(gpkg, "compliance_stops")
    needs = read_layer(gpkg, "grid_needs") if "grid_needs" in layer_names(gpkg) else pd.DataFrame()
    old_start = dt.date.fromisoformat(str(meta["week_start"]))
    new_start = old_start + dt.timedelta(days=7)
    earlier_file = folder / RAISES_FILE
    earlier = (
        json.loads(earlier_file.read_text(encoding="utf-8")).get("raised", {})
        if earlier_file.exists()
        else {}
    )
    focus, focus_file, grids, grids_file = _read_layers(folder)
    week = NextWeek(new_start, folder, focus, focus_file, grids, grids_file, "", {})
    week.settings = _settings(folder, new_start, old_start, week)
    _focus_changes(week, stops)
    _grid_changes(week, stops, needs, earlier)
    return week


def _changes_table(week: NextWeek, lang: str) -> pd.DataFrame:
    rows = pd.DataFrame(week.changes, columns=["layer", "target", "field", "old", "new", "why"])
    return pd.DataFrame(
        {
            text("col.layer", lang): rows["layer"],
            text("col.target", lang): rows["target"],
            text("col.field", lang): rows["field"],
            text("col.old", lang): rows["old"].map(lambda v: "" if v is None or v != v else v),
            text("col.new", lang): rows["new"],
            text("col.why", lang): rows["why"].map(lambda c: text(f"change.{c}", lang)),
        }
    )


def write_next_week(week: NextWeek, target: str | Path, *, lang: str = "zh") -> Path:
    """Write ``week`` into the NEW folder ``target`` (refused when it exists) and return it."""
    target = Path(target)
    if target.exists():
        raise PatrolError(both("err.next_exists", folder=str(target)))
    changed = {str(c["layer"]) for c in week.changes}
    focus = week.focus if "focus_households" in changed and week.focus_file is not None else None
    grids = week.grids if "grids" in changed and week.grids_file is not None else None
    replaced = {p for p, f in ((week.focus_file, focus), (week.grids_file, grids)) if f is not None}
    with atomic_folder(target) as stage:
        for entry in sorted(week.scenario.iterdir()):
            if (
                entry in replaced
                or entry.name.startswith(".")
                or entry.name in (RAISES_FILE, CHANGES_FILE)
            ):
                continue
            if entry.is_dir():
                shutil.copytree(entry, stage / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, stage / entry.name, follow_symlinks=False)
        write_text(stage / "patrol.toml", week.settings)
        if focus is not None:  # an input file: written as read, no spreadsheet escaping
            with atomic_path(stage / "focus_households.csv") as tmp:
                focus.to_csv(tmp, index=False, encoding="utf-8-sig")
        if grids is not None:
            grids.to_file(stage / "grids.geojson", driver="GeoJSON")
        raised = {"week_start": week.week_start.isoformat(), "raised": week.raises}
        write_text(
            stage / RAISES_FILE, json.dumps(raised, ensure_ascii=False, indent=2, default=str)
        )
        write_csv(stage / CHANGES_FILE, _changes_table(week, lang))
    return target
