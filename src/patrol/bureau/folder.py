"""A bureau folder: one scenario folder per station, and shared settings in ``bureau.toml``.

::

    BUREAU/
      bureau.toml        optional: [bureau] name = "..."; any patrol.toml key, shared
      <station>/         a scenario folder as `patrol plan` reads it (patrol.toml, grids ...)
      <station>/ ...

A station's settings are the shared ones with its own ``patrol.toml`` laid over them:
tables (``[travel]``, ``[teams]`` ...) merge key by key, everything else (``[[shifts]]``
too) is replaced whole by the station's. When ``bureau.toml`` holds no settings a
station is read exactly as ``patrol plan`` reads it. The user's files are never written.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

from patrol.bureau.labels import both
from patrol.errors import InputError
from patrol.settings import settings_from_dict

BUREAU_FILE = "bureau.toml"
SETTINGS_FILE = "patrol.toml"


@dataclass(frozen=True)
class Station:
    """One station of a bureau: its name (the folder's) and its scenario folder."""

    name: str
    folder: str


@dataclass(frozen=True)
class Bureau:
    """A bureau folder as read: its name, shared settings and stations (sorted by name)."""

    root: str
    name: str
    shared: dict[str, Any]
    stations: tuple[Station, ...]


def read_bureau(path: str | Path) -> Bureau:
    """Read a bureau folder: ``bureau.toml`` (checked like ``patrol.toml``) and its stations.

    Every sub-folder not starting with ``.`` is a station. Raises :class:`InputError`
    (Chinese and English) when the folder is missing, holds no station, or ``bureau.toml``
    is not valid.
    """
    root = Path(path)
    if not root.is_dir():
        raise InputError(both("not_folder", path=root), file=str(root))
    table = _read_toml(root / BUREAU_FILE) if (root / BUREAU_FILE).is_file() else {}
    own = table.pop("bureau", {})
    if not isinstance(own, dict) or set(own) - {"name"}:
        raise InputError(both("bad_bureau_table", file=BUREAU_FILE), file=BUREAU_FILE)
    settings_from_dict(table, file=BUREAU_FILE)  # every shared key checked once, here
    stations = tuple(
        Station(name=p.name, folder=str(p))
        for p in sorted(root.iterdir(), key=lambda p: p.name)
        if p.is_dir() and not p.name.startswith(".")
    )
    if not stations:
        raise InputError(both("no_station", path=root), file=str(root))
    name = str(own.get("name", root.name))
    return Bureau(root=str(root), name=name, shared=table, stations=stations)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(both("bad_toml", file=path.name, reason=exc), file=path.name) from exc


def merge_settings(shared: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """The station's settings table: ``own`` laid over ``shared``, tables merged by key."""
    merged = dict(shared)
    for key, value in own.items():
        base = merged.get(key)
        if isinstance(base, dict) and isinstance(value, dict):
            merged[key] = merge_settings(base, value)
        else:
            merged[key] = value
    return merged


def station_settings_text(bureau: Bureau, station: Station) -> str | None:
    """The settings text a station is planned with; ``None`` when it is the station's own
    ``patrol.toml`` as it stands (no shared settings). Raises :class:`InputError` when the
    station's ``patrol.toml`` is not valid TOML."""
    if not bureau.shared:
        return None
    toml = Path(station.folder) / SETTINGS_FILE
    own = _read_toml(toml) if toml.is_file() else {}
    return toml_text(merge_settings(bureau.shared, own))


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)  # dates and times as text


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_text(table: dict[str, Any]) -> str:
    """TOML text of a settings table (scalars first, then tables, then arrays of tables)."""
    lines = [
        f"{k} = {_value(v)}"
        for k, v in table.items()
        if not isinstance(v, dict) and not _is_table_list(v)
    ]
    for key, value in table.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {_value(v)}" for k, v in value.items()]
    for key, value in table.items():
        if _is_table_list(value):
            for item in value:
                lines += ["", f"[[{key}]]"] + [f"{k} = {_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def station_key(station: Station, *, settings_toml: str | None, params: object) -> str:
    """SHA-256 of what a station's plan depends on: the sha256 of every input file (as the
    store fingerprints them), the settings text and the run's parameters."""
    from patrol.store.snapshot import fingerprint_inputs

    fields = asdict(params) if is_dataclass(params) and not isinstance(params, type) else params
    text = json.dumps(
        {
            "files": fingerprint_inputs(Path(station.folder)),
            "settings": settings_toml,
            "params": fields,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()
