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

A whole output folder is replaced the same way (:func:`atomic_folder`): a run writes into
a new sibling folder ``.OUT.tmp-<pid>-<random>`` and only when everything is written does
that folder take the place of ``OUT`` (:func:`swap_folders`: one ``renameat2`` exchange on
Linux, else two renames), so a killed run leaves the previous ``OUT`` whole, or none.
Temporary files and folders carry the id of the process that made them; the next write
beside them removes those whose process is gone (:func:`remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from patrol.projection import WGS84

__all__ = [
    "atomic_folder",
    "atomic_path",
    "neutralise_cell",
    "neutralise_frame",
    "remove_stale_temps",
    "swap_folders",
    "write_csv",
    "write_gpkg",
    "write_text",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


TEMP_MARK = ".tmp-"
"""Temporary names are ``.<target name>.tmp-<pid>-<random>``: hidden, and owned."""

OLD_MARK = ".old-"
"""Where the previous folder waits while a new one is renamed in (no exchange rename)."""

_OWNED = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-[^/]*$")


def _temp_prefix(target: Path, mark: str = TEMP_MARK) -> str:
    return f".{target.name}{mark}{os.getpid()}-"


def _process_gone(pid: int) -> bool:
    """True when no process ``pid`` runs any more (a zombie still counts as running)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove_stale_temps(folder: Path, *, name: str | None = None) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` left by killed runs (for
    targets called ``name`` only, when given); returns what was removed.

    An entry is stale when the process named in it is gone. A previous output folder
    left waiting (``.OUT.old-*``) while its target is missing is renamed back instead.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in sorted(folder.iterdir()):
        match = _OWNED.match(entry.name)
        if not match or (name is not None and match["name"] != name):
            continue
        if not _process_gone(int(match["pid"])):
            continue
        target = folder / match["name"]
        if OLD_MARK in entry.name and not target.exists():
            os.rename(entry, target)  # the swap was cut between its two renames
            continue
        _remove(entry)
        removed.append(entry)
    return removed


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent, name=target.name)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=target.suffix, dir=target.parent)
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


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False when the
    system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    code = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(code == 0)


def swap_folders(new: Path, target: Path) -> None:
    """Put folder ``new`` in the place of ``target`` and delete the old ``target``.

    With no ``target`` one rename; else one exchange where the system has it, else
    ``target`` goes to ``.target.old-<pid>-…`` first (a run killed between the two
    renames leaves no ``target`` and :func:`remove_stale_temps` renames the old back).
    """
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        _remove(new)  # now the old folder
        return
    old = Path(tempfile.mkdtemp(prefix=_temp_prefix(target, OLD_MARK), dir=target.parent))
    old.rmdir()
    os.rename(target, old)
    os.rename(new, target)
    _remove(old)


@contextlib.contextmanager
def atomic_folder(target: Path, *, copy_old: bool = False) -> Iterator[Path]:
    """A new folder beside ``target`` that takes its place whole if the block succeeds.

    ``copy_old`` starts the new folder as a copy of the old one (to redraw a part of it).
    Until the block ends ``target`` stays as it was; when the block fails (or the
    process is killed) the new folder goes and ``target`` is untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent, name=target.name)
    stage = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=target.parent))
    try:
        if copy_old and target.is_dir():
            shutil.copytree(target, stage, dirs_exist_ok=True)
        yield stage
        swap_folders(stage, target)
    finally:
        if stage.exists():
            _remove(stage)
