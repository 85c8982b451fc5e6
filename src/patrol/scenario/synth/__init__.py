"""Synthetic scenarios of any size, for tests and benchmarks.

:func:`write_synthetic_scenario` writes a scenario folder in the same contract as the
bundled sample: a street lattice around a plausible Chinese city centre (Tianjin,
117.2° E, 39.1° N) whose main streets bound the grids, jittered side streets inside them
with some streets missing and some diagonal lanes, all noded at intersections; grids as
lattice cells grouped four by four into beats; buildings as small rectangles in the blocks;
one police room per beat; a 1+1+N roster; a year of incidents around hot spots; cameras
with uncovered grids; focus households with visit schedules. The same arguments give the
same bytes. The files are written into a temporary folder renamed at the end.
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
from patrol.errors import InputError, PatrolError
from patrol.scenario.synth.city import build_city
from patrol.scenario.synth.layers import WEEK_START, Layer, build_layers

__all__ = ["OutputExistsError", "write_synthetic_scenario"]

_PATROL_TOML = """\
station = "合成示例派出所"
week_start = "{week_start}"
language = "zh"
input_crs = "EPSG:4326"

[[shifts]]
name = "day"
start = "09:00"
end = "12:00"

[[shifts]]
name = "afternoon"
start = "14:00"
end = "17:00"

[[shifts]]
name = "night"
start = "19:00"
end = "22:00"

[teams]
min_others = 1
"""


class OutputExistsError(PatrolError, FileExistsError):
    """The output folder exists and is not empty (pass ``overwrite=True`` to replace it)."""


def write_synthetic_scenario(
    out_dir: str | Path,
    *,
    grids: int = 50,
    buildings: int = 3000,
    people: int | None = None,
    focus_households: int = 200,
    road_segments: int | None = None,
    incidents: int | None = None,
    cameras: int | None = None,
    seed: int = 0,
    overwrite: bool = False,
) -> Path:
    """Write a valid synthetic scenario folder and return its path.

    Counts are exact: ``grids`` grids, ``buildings`` buildings, ``focus_households``
    focus households, ``people`` roster rows (default: per beat 1 officer + 2
    auxiliaries, one grid worker per grid and two others per grid), ``road_segments``
    street segments (default: blocks of about 100 m), ``incidents`` incidents (default
    25 per grid) and ``cameras`` cameras (default 4 per grid). Refuses a non-empty
    ``out_dir`` unless ``overwrite``.
    """
    out = Path(out_dir)
    n_people = 3 * math.ceil(grids / 4) + 3 * grids if people is None else people
    check_sizes(
        grids=grids,
        buildings=buildings,
        people=n_people,
        counts={"focus_households": focus_households, "incidents": incidents, "cameras": cameras},
        road_segments=road_segments,
    )
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise OutputExistsError(
            f"{out} exists and is not empty; choose a new folder or "
            "pass overwrite=True (--overwrite)."
        )
    rng = np.random.default_rng(seed)
    city = build_city(rng, grids, road_segments)
    layers = build_layers(
        rng,
        city,
        n_buildings=buildings,
        n_people=n_people,
        n_focus=focus_households,
        n_incidents=25 * grids if incidents is None else incidents,
        n_cameras=4 * grids if cameras is None else cameras,
    )
    return write_folder(out, layers)


def check_sizes(
    *,
    grids: int,
    buildings: int,
    people: int,
    counts: dict[str, int | None],
    road_segments: int | None,
) -> None:
    """Raise one :class:`InputError` naming every size a valid scenario cannot have."""
    police = 3 * math.ceil(grids / 4)
    problems: list[tuple[str, str]] = []  # (English, Chinese)
    if grids < 1:
        problems.append(
            (f"grids must be at least 1 (got {grids}).", f"网格数至少为 1（现为 {grids}）。")
        )
    if buildings < grids:
        problems.append((
            f"buildings must be at least the number of grids ({grids}); got {buildings}.",
            f"楼栋数不能少于网格数（{grids}）；现为 {buildings}。",
        ))  # fmt: skip
    if people < police + grids + 1:
        problems.append((
            f"people must be at least {police + grids + 1} (3 police per beat, "
            f"one grid worker per grid and one other); got {people}.",
            f"人数至少为 {police + grids + 1}（每个警格 3 名民警辅警、每个网格 1 名网格员，"
            f"另加 1 人）；现为 {people}。",
        ))  # fmt: skip
    for name, value in counts.items():
        if value is not None and value < 0:
            problems.append(
                (
                    f"{name} must not be negative (got {value}).",
                    f"{name} 不能为负数（现为 {value}）。",
                )
            )
    if road_segments is not None and road_segments < 4 * grids:
        problems.append((
            f"road_segments must be at least 4 per grid ({4 * grids}); got {road_segments}.",
            f"道路段数至少为每个网格 4 段（{4 * grids}）；现为 {road_segments}。",
        ))  # fmt: skip
    if problems:
        raise InputError(" ".join(e for e, _ in problems), zh="".join(z for _, z in problems))


def write_folder(out: Path, layers: dict[str, Layer], *, toml: str | None = None) -> Path:
    """Write the layers (and ``toml`` as ``patrol.toml``, default the city's settings)
    into a temporary folder beside ``out``, renamed to ``out`` at the end (a failed run
    leaves nothing half-written)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, (kind, payload) in layers.items():
            if kind == "geojson":
                write_text(tmp / f"{name}.geojson", geojson_text(name, payload))
            else:
                write_csv(tmp / f"{name}.csv", pd.DataFrame(payload[1:], columns=payload[0]))
        settings = toml or _PATROL_TOML.format(week_start=WEEK_START.isoformat())
        write_text(tmp / "patrol.toml", settings)
        if out.exists():
            if out.is_dir() and not any(out.iterdir()):
                out.rmdir()
            elif out.is_dir():
                shutil.rmtree(out)
            else:
                out.unlink()
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; give it a normal folder's mode
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def geojson_text(name: str, features: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    """A FeatureCollection with one feature per line; WGS 84 lon/lat (the GeoJSON default)."""
    lines = [
        json.dumps(
            {"type": "Feature", "properties": props, "geometry": geom},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for props, geom in features
    ]
    head = '{"type": "FeatureCollection", "name": ' + json.dumps(name) + ', "features": [\n'
    return head + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"
