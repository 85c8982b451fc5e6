"""What-if variants: a small change file applied to a copy of a scenario.

``patrol plan DIR --variant FILE.toml`` plans the scenario with the changes of FILE.toml,
so a what-if needs no hand-edited GeoJSON. The scenario's files are never touched: the
change is made on a copy in memory. A change file holds any of::

    [[add_people]]            # as a roster row: person_id, name, role, beat_id, grid_id,
    person_id = "V90"         # available, max_shifts_per_week, phone
    name = "新志愿者"
    role = "volunteer"
    available = "Mon-Sun night"

    [[set_risk]]
    grid_id = "G03"
    risk = "red"              # green/yellow/orange/red or 绿/黄/橙/红

    [[add_cameras]]
    camera_id = "C99"
    lon = 117.353             # in the scenario's input CRS (WGS 84, CGCS2000 or GCJ-02)
    lat = 39.061
    range_m = 40              # optional, as in cameras.csv: direction_deg, fov_deg

Every entry is checked like the scenario's own files; problems name the file, the entry
(``add_people[2]``), what is wrong and how to fix it, in Chinese and English.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.errors import InputError, ProblemLog
from patrol.revise.labels import both

if TYPE_CHECKING:
    from patrol.scenario.model import Scenario

SECTIONS = ("add_people", "set_risk", "add_cameras")


def read_variant(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """The entries of a change file, by section; raises :class:`InputError` when it is
    not TOML or has other sections."""
    path = Path(path)
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _bad(name, str(exc)) from exc
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise _bad(name, f"unknown section(s) {', '.join(unknown)}")
    out: dict[str, list[dict[str, Any]]] = {}
    for key in SECTIONS:
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise _bad(name, f"'{key}' must be a list of tables ([[{key}]])")
        out[key] = entries
    return out


def _bad(file: str, what: str) -> InputError:
    zh, en = both("variant.bad", file=file, what=what)
    fix_zh, fix_en = both("variant.fix")
    plog = ProblemLog()
    plog.error(file, en, fix_en, zh=(zh, fix_zh))
    return InputError(plog.problems)


def apply_variant(scenario: Scenario, path: str | Path) -> Scenario:
    """A copy of ``scenario`` with the changes of the change file ``path`` (see the
    module docstring); ``scenario`` itself is not changed. Raises :class:`InputError`
    listing every problem of the file."""
    entries = read_variant(path)
    file = Path(path).name
    plog = ProblemLog()
    people = _added_people(scenario, entries["add_people"], file, plog)
    grids = _set_risks(scenario, entries["set_risk"], file, plog)
    cameras = _added_cameras(scenario, entries["add_cameras"], file, plog)
    plog.raise_if_errors()
    return dataclasses.replace(
        scenario, people=(*scenario.people, *people), grids=grids, cameras=cameras
    )


def _added_people(
    scenario: Scenario, rows: list[dict[str, Any]], file: str, plog: ProblemLog
) -> tuple[Any, ...]:
    """The new people, validated as roster rows (their own warnings left out)."""
    import pandas as pd

    from patrol.scenario.roster import validate_roster

    if not rows:
        return ()
    frame = pd.DataFrame([{k: str(v) for k, v in r.items()} for r in rows])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    own = ProblemLog()
    grid_ids = {str(g) for g in scenario.grids["grid_id"]}
    people = validate_roster(
        frame, file=f"{file}:add_people", plog=own, settings=scenario.settings,
        grids=scenario.grids, known_grids=grid_ids, known_beats=set(scenario.beats),
    )  # fmt: skip
    plog.problems.extend(own.errors)
    taken = {p.person_id for p in scenario.people}
    for i, p in enumerate(people, start=1):
        if p.person_id in taken:
            plog.error(
                file,
                f"person_id {p.person_id} is already in the roster.",
                "Give the new person an id of their own.",
                feature=f"add_people[{i}]",
                field="person_id",
                zh=(f"人员编号 {p.person_id} 已在名单中。", "请给新增人员另起编号。"),
            )
    return people


def _set_risks(scenario: Scenario, rows: list[dict[str, Any]], file: str, plog: ProblemLog) -> Any:
    """A copy of the grids with the new risk colours."""
    from patrol.scenario.validate import RISK_ALIASES
    from patrol.vocab import RISK_LEVELS

    grids = scenario.grids.copy()
    ids = [str(g) for g in grids["grid_id"]]
    for i, row in enumerate(rows, start=1):
        where = f"set_risk[{i}]"
        grid, risk = str(row.get("grid_id", "")), str(row.get("risk", "")).strip()
        risk = RISK_ALIASES.get(risk, risk.lower())
        if grid not in ids:
            plog.error(
                file, f"grid '{grid}' is not in the grids layer.", "Use a grid_id of the grids.",
                feature=where, field="grid_id",
                zh=(f"网格“{grid}”不在网格图层中。", "请填写网格图层中的 grid_id。"),
            )  # fmt: skip
        elif risk not in RISK_LEVELS:
            said = row.get("risk")
            plog.error(
                file,
                f"risk '{said}' is unknown.",
                f"Use one of {', '.join(RISK_LEVELS)}.",
                feature=where,
                field="risk",
                zh=(
                    f"风险等级“{said}”无法识别。",
                    "请填写 绿/黄/橙/红 或 green/yellow/orange/red。",
                ),
            )
        else:
            grids.loc[grids["grid_id"].astype(str) == grid, "risk"] = risk
    return grids


def _added_cameras(
    scenario: Scenario, rows: list[dict[str, Any]], file: str, plog: ProblemLog
) -> Any:
    """A copy of the cameras with the new ones, validated as rows of cameras.csv."""
    import geopandas as gpd
    import pandas as pd

    from patrol.scenario.validate import validate_cameras

    if not rows:
        return scenario.cameras.copy()
    points, records = [], []
    for i, row in enumerate(rows, start=1):
        try:
            points.append(gpd.points_from_xy([float(row["lon"])], [float(row["lat"])])[0])
        except (KeyError, TypeError, ValueError):
            plog.error(
                file, "needs lon and lat (numbers).", "Add lon = ... and lat = ... to the camera.",
                feature=f"add_cameras[{i}]", field="lon",
                zh=("摄像头需要数字形式的 lon 与 lat。", "请为摄像头填写 lon 与 lat。"),
            )  # fmt: skip
            continue
        records.append({k: v for k, v in row.items() if k not in ("lon", "lat")})
    if not records:
        return scenario.cameras.copy()
    frame = gpd.GeoDataFrame(pd.DataFrame(records), geometry=points, crs="EPSG:4326")
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    new = validate_cameras(
        frame, file=f"{file}:add_cameras", plog=plog, settings=scenario.settings, crs=scenario.crs
    )
    taken = set(scenario.cameras["camera_id"].astype(str))
    for cid in new["camera_id"].astype(str):
        if cid in taken:
            plog.error(
                file, f"camera_id {cid} is already a camera.", "Give the new camera its own id.",
                feature=f"camera_id={cid}", field="camera_id",
                zh=(f"摄像头编号 {cid} 已存在。", "请给新增摄像头另起编号。"),
            )  # fmt: skip
    both_frames = [f for f in (scenario.cameras, new) if len(f)]
    merged = pd.concat(both_frames, ignore_index=True) if both_frames else new
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=scenario.cameras.crs or scenario.crs)
