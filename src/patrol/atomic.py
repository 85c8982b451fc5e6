"""Atomic file writes: text, CSV for Excel, GeoPackage layers.

Every file is written to a temporary name beside its target and renamed into place when
complete (``os.replace`` is atomic on one file system), so a failed or killed run never
leaves a half-written file. This is the one writer of CSV and GeoPackage files: the plan
store, the importers and the synthetic scenarios all use it. Arguments are always
``(target, data)``.

Text cells that a spreadsheet would run as a formula (beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are written with a leading apostrophe
(:func:`neutralise_cell`), so a name such as ``=HYPERLINK(...)`` shows as text in Excel;
numbers, and text that is a plain number such as ``-3.5``, stay as they are.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from patrol.projection import WGS84

__all__ = [
    "atomic_path",
    "neutralise_cell",
    "neutralise_frame",
    "write_csv",
    "write_gpkg",
    "write_text",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


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


def neutralise_cell(value: object) -> object:
    """``value`` safe for a spreadsheet cell: text a spreadsheet would run as a formula
    gets a leading apostrophe; numbers and plain-number text (``-3.5``) are kept.

    Excel, LibreOffice and WPS run a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and
    some a tab or carriage return before them) as a formula, so a name from an input file
    could fetch a URL or run a command when a chief opens the CSV.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through
    :func:`neutralise_cell`; numeric columns are untouched. The CSV writer below and
    any spreadsheet writer call this."""
    out = frame.copy()
    for k in range(out.shape[1]):
        column = out.iloc[:, k]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out.iloc[:, k] = column.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def write_csv(target: Path, frame: pd.DataFrame) -> Path:
    """CSV in UTF-8 with BOM (opens correctly in Excel with Chinese text), with formula
    cells neutralised (:func:`neutralise_frame`)."""
    with atomic_path(target) as tmp:
        neutralise_frame(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
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
