"""Importers: turn real public data into patrol scenario folders.

Each importer reads one public data set and writes a folder that :func:`patrol.scenario.read.
read_scenario` loads: ``grids.geojson``, ``posts.geojson``, ``roster.csv``, ``patrol.toml``
and whichever of ``roads``, ``buildings``, ``incidents``, ``cameras`` and
``focus_households`` the data allows. What the data lacks (staff, households, dates) is made
up, deterministically from a seed, and each importer's docstring says which is which.

- :func:`patrol.scenario.importers.chicago.import_chicago` – one Chicago police district: real
  beats, crimes and traffic cameras, no streets (car travel on the straight-line fallback).
- :func:`patrol.scenario.importers.mesa.import_mesa` – the Mesa, Arizona GeoDaNet sample: real
  streets and crime points, walking teams.

The real files live in the repository's ``examples/data/`` (outside the package); pass
``source=`` to read them from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from patrol.atomic import write_csv, write_text
from patrol.errors import InputError

WGS84 = "EPSG:4326"
RISK_ORDER: tuple[str, ...] = ("green", "yellow", "orange", "red")
EXAMPLES_DATA = Path(__file__).resolve().parents[4] / "examples" / "data"
SHIFTS: tuple[tuple[str, str, str], ...] = (  # the importers' week: (name, start, end)
    ("day", "09:00", "12:00"),
    ("afternoon", "14:00", "17:00"),
    ("night", "19:00", "22:00"),
)

_FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Daniel",
    "Lisa",
    "Luis",
    "Nancy",
    "Anthony",
    "Maria",
    "Kevin",
    "Sandra",
    "Jose",
    "Ashley",
    "Marcus",
    "Keisha",
    "Wei",
    "Aisha",
    "Dmitri",
    "Fatima",
    "Tyrone",
    "Rosa",
    "Hiroshi",
    "Grace",
)
_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
)


@dataclass(frozen=True)
class StaffPlan:
    """How many people of each kind a synthetic roster holds.

    ``police`` lists (role, availability, max shifts) for each beat's police; every grid
    gets one grid worker; ``others`` lists (role, availability, max shifts) for the N of
    1+1+N, each living in a random grid.
    """

    police: tuple[tuple[str, str, int], ...]
    grid_worker_availability: tuple[str, ...]
    others: tuple[tuple[str, str, int], ...]


def default_source(name: str) -> Path:
    """The repository's copy of a data set, ``examples/data/<name>``."""
    folder = EXAMPLES_DATA / name
    if not folder.is_dir():
        raise InputError(
            f"the {name} data copy is not at {folder} (it ships with the "
            "repository, not with the installed package). Pass source= (or "
            "--source) pointing at a folder with the files listed in "
            f"examples/data/{name}/SOURCE.md.",
            file=str(folder),
            zh=f"{name} 数据不在 {folder}（它随代码仓库提供，不随安装包提供）。",
            fix_zh=f"请用 source=（或 --source）指向存放 examples/data/{name}/SOURCE.md "
            "所列文件的文件夹。",
        )
    return folder


def require_files(folder: Path, names: Sequence[str]) -> None:
    """Raise one :class:`InputError` naming every file missing from ``folder``."""
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise InputError(
            f"{folder} lacks {', '.join(missing)}. Give the folder holding "
            "the data set's files (see its SOURCE.md).",
            file=str(folder),
            zh=f"{folder} 缺少 {'、'.join(missing)}。",
            fix_zh="请给出存放该数据集文件的文件夹（见其 SOURCE.md）。",
        )


def monday_after(day: dt.date) -> dt.date:
    """The first Monday strictly after ``day``."""
    return day + dt.timedelta(days=7 - day.weekday())


def risk_by_quantile(values: Sequence[float]) -> list[str]:
    """Risk colours by quartile of ``values`` (lowest quarter green, highest red).

    Ranks break ties by position, so equal values may land in neighbouring colours; the
    split is relative: every district has its red quarter.
    """
    arr = np.asarray(values, dtype=float)
    if len(arr) == 0:
        return []
    ranks = np.argsort(np.argsort(arr, kind="stable"), kind="stable")
    levels = np.minimum((ranks * len(RISK_ORDER)) // len(arr), len(RISK_ORDER) - 1)
    return [RISK_ORDER[int(k)] for k in levels]


def synthetic_name(rng: np.random.Generator) -> str:
    """A made-up English personal name."""
    return f"{_FIRST[int(rng.integers(len(_FIRST)))]} {_LAST[int(rng.integers(len(_LAST)))]}"


def synthetic_phone(rng: np.random.Generator) -> str:
    """A made-up, masked US phone number (555 numbers are reserved for fiction)."""
    return f"555-01{int(rng.integers(100)):02d}"


def make_roster(rng: np.random.Generator, grids: pd.DataFrame, staff: StaffPlan) -> pd.DataFrame:
    """A synthetic roster: ``staff.police`` for every beat, one grid worker per grid and
    ``staff.others`` living in random grids."""
    rows: list[dict[str, object]] = []
    for beat in sorted(set(grids["beat_id"])):
        for role, avail, cap in staff.police:
            rows.append(
                {
                    "role": role,
                    "beat_id": beat,
                    "grid_id": "",
                    "available": avail,
                    "max_shifts_per_week": cap,
                }
            )
    workers = staff.grid_worker_availability
    for k, (grid, beat) in enumerate(zip(grids["grid_id"], grids["beat_id"], strict=True)):
        rows.append(
            {
                "role": "grid_worker",
                "beat_id": beat,
                "grid_id": grid,
                "available": workers[k % len(workers)],
                "max_shifts_per_week": int(rng.choice([5, 6])),
            }
        )
    grid_ids = list(grids["grid_id"])
    for role, avail, cap in staff.others:
        rows.append(
            {
                "role": role,
                "beat_id": "",
                "grid_id": str(rng.choice(grid_ids)),
                "available": avail,
                "max_shifts_per_week": cap,
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "person_id", [f"P{i + 1:03d}" for i in range(len(frame))])
    frame.insert(1, "name", [synthetic_name(rng) for _ in range(len(frame))])
    frame["phone"] = [synthetic_phone(rng) for _ in range(len(frame))]
    return frame


def toml_text(
    settings: dict[str, object],
    tables: dict[str, dict[str, object]],
    *,
    shifts: Sequence[tuple[str, str, str]] = SHIFTS,
) -> str:
    """``patrol.toml`` from top-level keys, ``[[shifts]]`` (default :data:`SHIFTS`) and
    tables of scalars or {risk: int} inline tables."""

    def value(v: object) -> str:
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        return json.dumps(str(v), ensure_ascii=False)

    lines = [f"{k} = {value(v)}" for k, v in settings.items()]
    for name, start, end in shifts:
        lines += [
            "",
            "[[shifts]]",
            f"name = {value(name)}",
            f"start = {value(start)}",
            f"end = {value(end)}",
        ]
    for table, items in tables.items():
        lines += ["", f"[{table}]"] + [f"{k} = {value(v)}" for k, v in items.items()]
    return "\n".join(lines) + "\n"


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write a layer as WGS 84 GeoJSON with 7 decimals (about 1 cm)."""
    path.unlink(missing_ok=True)
    gdf.to_crs(WGS84).to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)
    return path


def write_scenario_folder(
    out_dir: str | Path,
    *,
    vectors: dict[str, gpd.GeoDataFrame],
    tables: dict[str, gpd.GeoDataFrame | pd.DataFrame],
    toml: str,
) -> Path:
    """Write an imported scenario: ``vectors`` as GeoJSON, ``tables`` as CSV (point layers
    with ``lon``/``lat`` columns), and ``patrol.toml``; returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, gdf in vectors.items():
        write_geojson(gdf, out / f"{name}.geojson")
    for name, frame in tables.items():
        if isinstance(frame, gpd.GeoDataFrame):
            rows = frame.drop(columns="geometry")
            frame = (
                pd.concat([rows, lonlat_columns(frame.geometry)], axis=1)
                if len(frame)
                else rows.assign(lon=[], lat=[])
            )
        write_csv(out / f"{name}.csv", frame)
    write_text(out / "patrol.toml", toml)
    return out


def lonlat_columns(points: gpd.GeoSeries) -> pd.DataFrame:
    """``lon`` and ``lat`` columns (WGS 84, 7 decimals) of a point series."""
    pts = points.to_crs(WGS84)
    return pd.DataFrame(
        {"lon": np.round(pts.x.to_numpy(), 7), "lat": np.round(pts.y.to_numpy(), 7)},
        index=points.index,
    )


__all__ = [
    "EXAMPLES_DATA",
    "RISK_ORDER",
    "SHIFTS",
    "StaffPlan",
    "default_source",
    "lonlat_columns",
    "make_roster",
    "monday_after",
    "require_files",
    "risk_by_quantile",
    "synthetic_name",
    "synthetic_phone",
    "toml_text",
    "write_geojson",
    "write_scenario_folder",
]
