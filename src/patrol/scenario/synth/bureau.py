"""A synthetic bureau: many synthetic stations of varied size, side by side on one map.

:func:`write_synthetic_bureau` writes ``BUREAU/<station>/`` scenario folders (each one a
:func:`~patrol.scenario.synth.write_synthetic_scenario` moved east and north so that the
stations tile the city with touching borders) and a ``bureau.toml`` naming the bureau.
Station sizes vary between ``min_grids`` and ``max_grids``; the same arguments give the
same bytes. The bureau is written into a temporary folder renamed at the end.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patrol.atomic import write_csv, write_text
from patrol.errors import InputError
from patrol.scenario.synth import OutputExistsError, geojson_text, write_synthetic_scenario

__all__ = ["station_sizes", "write_synthetic_bureau"]

_BUREAU_TOML = """\
# The bureau's name; any patrol.toml key written below [bureau] is shared by every
# station, and a station's own patrol.toml overrides it.
[bureau]
name = "{name}"
"""


def station_sizes(stations: int, *, min_grids: int, max_grids: int, seed: int) -> list[int]:
    """The number of grids of each station: spread evenly from ``min_grids`` to
    ``max_grids`` and shuffled with ``seed``, so every run has small and large ones."""
    if stations < 1 or min_grids < 1 or max_grids < min_grids:
        raise InputError(
            "need stations >= 1 and 1 <= min_grids <= max_grids "
            f"(got {stations}, {min_grids}, {max_grids})."
        )
    sizes = np.rint(np.linspace(min_grids, max_grids, stations)).astype(int)
    np.random.default_rng(seed).shuffle(sizes)
    return [int(s) for s in sizes]


def _shift_coords(value: Any, dlon: float, dlat: float) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], int | float):
        return [round(value[0] + dlon, 7), round(value[1] + dlat, 7), *value[2:]]
    if isinstance(value, list):
        return [_shift_coords(v, dlon, dlat) for v in value]
    return value


def _bounds(folder: Path) -> tuple[float, float, float, float]:
    """lon/lat box of the station's grids."""
    data = json.loads((folder / "grids.geojson").read_text(encoding="utf-8"))
    xy = np.array(
        [pt for f in data["features"] for ring in f["geometry"]["coordinates"] for pt in ring]
    )
    return (
        float(xy[:, 0].min()),
        float(xy[:, 1].min()),
        float(xy[:, 0].max()),
        float(xy[:, 1].max()),
    )


def move_station(folder: Path, *, dlon: float, dlat: float, name: str) -> None:
    """Move a synthetic station folder by ``dlon``/``dlat`` degrees and give it ``name``."""
    for path in sorted(folder.glob("*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        features = [
            (
                f["properties"],
                {
                    **f["geometry"],
                    "coordinates": _shift_coords(f["geometry"]["coordinates"], dlon, dlat),
                },
            )
            for f in data["features"]
        ]
        write_text(path, geojson_text(path.stem, features))
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if {"lon", "lat"} <= set(frame.columns):
            frame["lon"] = [f"{float(v) + dlon:.6f}" for v in frame["lon"]]
            frame["lat"] = [f"{float(v) + dlat:.6f}" for v in frame["lat"]]
            write_csv(path, frame)
    toml = folder / "patrol.toml"
    text = toml.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    write_text(toml, f"station = {json.dumps(name, ensure_ascii=False)}\n{rest}")
    del first


def write_synthetic_bureau(
    out_dir: str | Path,
    *,
    stations: int = 20,
    min_grids: int = 4,
    max_grids: int = 16,
    buildings_per_grid: int = 60,
    seed: int = 0,
    overwrite: bool = False,
) -> Path:
    """Write a bureau folder of ``stations`` synthetic stations and return its path.

    Stations are named ``S01`` ... and laid out in rows, each touching the previous one,
    so blind spots may cross a station border. Refuses a non-empty ``out_dir`` unless
    ``overwrite``.
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise OutputExistsError(
            f"{out} exists and is not empty; choose a new folder or "
            "pass overwrite=True (--overwrite)."
        )
    sizes = station_sizes(stations, min_grids=min_grids, max_grids=max_grids, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_stations(tmp, sizes, buildings_per_grid=buildings_per_grid, seed=seed)
        write_text(tmp / "bureau.toml", _BUREAU_TOML.format(name="合成示例分局"))
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _write_stations(root: Path, sizes: list[int], *, buildings_per_grid: int, seed: int) -> None:
    """Write every station into ``root``, row by row, each touching its western neighbour."""
    per_row = math.ceil(math.sqrt(len(sizes)))
    x_edge, y_base, row_top = 0.0, 0.0, 0.0
    origin: tuple[float, float] | None = None
    for k, grids in enumerate(sizes):
        name = f"S{k + 1:02d}"
        folder = root / name
        write_synthetic_scenario(
            folder,
            grids=grids,
            buildings=grids * buildings_per_grid,
            focus_households=4 * grids,
            seed=seed * 1000 + k,
        )
        x0, y0, x1, y1 = _bounds(folder)
        if origin is None:
            origin = (x0, y0)
            x_edge, y_base = x0, y0
        if k and k % per_row == 0:  # a new row above the highest station of the last one
            x_edge, y_base = origin[0], row_top
        dlon, dlat = x_edge - x0, y_base - y0
        move_station(folder, dlon=dlon, dlat=dlat, name=f"合成{name}派出所")
        x_edge = x1 + dlon
        row_top = max(row_top, y1 + dlat)
