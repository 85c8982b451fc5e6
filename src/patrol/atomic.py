"""Atomic file writes: text, CSV for Excel, GeoPackage layers.

Every file is written to a temporary name beside its target and renamed into place when
complete (``os.replace`` is atomic on one file system), so a failed or killed run never
leaves a half-written file. This is the one writer of CSV and GeoPackage files: the plan
store, the importers and the synthetic scenarios all use it. Arguments are always
``(target, data)``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from patrol.projection import WGS84


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return target


def write_csv(target: Path, frame: pd.DataFrame) -> Path:
    """CSV in UTF-8 with BOM (opens correctly in Excel with Chinese text)."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    return target


def write_gpkg(
    target: Path, layers: dict[str, gpd.GeoDataFrame | pd.DataFrame], *, extend: bool = True
) -> Path:
    """Write a GeoPackage; with ``extend`` (the default) the old file's other layers are
    kept as they are (the file is copied, then the given layers replace their namesakes)."""
    import shutil

    with atomic_path(target) as tmp:
        if extend and target.exists():
            shutil.copyfile(target, tmp)
        for name, frame in layers.items():
            if isinstance(frame, gpd.GeoDataFrame):
                frame.to_file(tmp, layer=name, driver="GPKG")
            else:
                gdf = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=WGS84)
                gdf.to_file(tmp, layer=name, driver="GPKG")
    return target
