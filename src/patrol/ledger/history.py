"""The station store: every week's plan, actuals and compliance, in one place for years.

One GeoPackage by default (``station.gpkg``: no server, opens in QGIS), or PostGIS for a
bureau (``postgresql://user@host/db``). Both are written and read by the same code
below, through SQLAlchemy; :mod:`patrol.ledger.dialects` holds their few differences.

**A week is written whole, in one transaction.** :func:`write_week` creates the tables
it needs, deletes the week's old rows and inserts the new ones between one ``BEGIN`` and
one ``COMMIT``: a failed or killed import leaves the store exactly as it was, and
importing a week again replaces it. Geometries are kept in the store's one CRS (the
first week's working CRS, a UTM zone; later weeks are reprojected to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely

from patrol.errors import PatrolError
from patrol.ledger.dialects import Dialect, dialect_for, without_password
from patrol.ledger.labels import both
from patrol.ledger.tables import BY_NAME, HISTORY_VERSION, META, WEEKS, Table

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

__all__ = [
    "StationStore",
    "delete_week",
    "list_weeks",
    "open_store",
    "read_history",
    "store_crs",
    "write_week",
]


@dataclass
class StationStore:
    """An open station store: where it is, its dialect and its SQLAlchemy engine."""

    target: str
    dialect: Dialect
    engine: Engine

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> StationStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def shown(self) -> str:
        """The store as a message names it (a URL without its password)."""
        return without_password(self.target)


def open_store(target: str | Path) -> StationStore:
    """Open (or name, for a first import) the station store at a path or a
    ``postgresql://`` URL. Nothing is written until :func:`write_week`."""
    dialect = dialect_for(target)
    if dialect.name == "gpkg":
        path = Path(target)
        if path.is_dir():
            raise PatrolError(both("err.store_dir", store=str(path)))
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise PatrolError(both("err.no_psycopg")) from exc
    return StationStore(str(target), dialect, dialect.engine())


@contextmanager
def _connected(store: StationStore, *, write: bool) -> Iterator[Connection]:
    """One transaction on the store; database errors become one clear message."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with store.engine.begin() if write else store.engine.connect() as conn:
            yield conn
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise PatrolError(both("err.store", store=store.shown, reason=reason)) from exc


def _meta(conn: Connection, store: StationStore) -> dict[str, str]:
    from sqlalchemy import text

    if not store.dialect.has_table(conn, META.name):
        return {}
    rows = conn.execute(text(f'SELECT key, value FROM "{META.name}"')).all()
    meta = {str(k): str(v) for k, v in rows}
    if meta.get("history_version", str(HISTORY_VERSION)) != str(HISTORY_VERSION):
        raise PatrolError(
            both(
                "err.version",
                store=store.shown,
                found=meta["history_version"],
                expected=HISTORY_VERSION,
            )
        )
    return meta


def _store_srid(conn: Connection, store: StationStore, crs: Any, station: str) -> int:
    """The store's SRID (set from ``crs`` by the first import) after preparing the store."""
    from pyproj import CRS
    from sqlalchemy import text

    meta = _meta(conn, store)
    if "srid" in meta:
        srid = int(meta["srid"])
        store.dialect.prepare(conn, srid=srid, wkt=CRS.from_epsg(srid).to_wkt())
        return srid
    found = CRS.from_user_input(crs).to_epsg() if crs is not None else None
    srid = int(found) if found else 4326
    store.dialect.prepare(conn, srid=srid, wkt=CRS.from_epsg(srid).to_wkt())
    store.dialect.create_table(conn, META, srid=srid)
    entries = {"history_version": str(HISTORY_VERSION), "srid": str(srid), "station": station}
    conn.execute(
        text(f'INSERT INTO "{META.name}" (key, value) VALUES (:k, :v)'),
        [{"k": k, "v": v} for k, v in entries.items()],
    )
    return srid


def _rows(
    table: Table, frame: pd.DataFrame, week: dt.date, store: StationStore, srid: int
) -> list[dict[str, Any]]:
    """The frame's rows as bound parameters (missing columns empty, others dropped)."""
    d = store.dialect
    data = frame.assign(week_start=week)
    kinds = table.kinds
    columns = {
        c: [d.param(kinds[c], v) for v in data[c].tolist()] if c in data.columns else None
        for c in table.names
    }
    n = len(data)
    rows = [
        {c: (vals[i] if vals is not None else None) for c, vals in columns.items()}
        for i in range(n)
    ]
    if table.geometry:
        geoms = _geometries(table, frame, srid)
        for row, g in zip(rows, geoms, strict=True):
            row["geom"] = d.encode(g, srid)
    return rows


def _geometries(table: Table, frame: pd.DataFrame, srid: int) -> list[Any]:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        return [None] * len(frame)
    gdf = frame
    if gdf.crs is not None and gdf.crs.to_epsg() != srid:
        gdf = gdf.to_crs(epsg=srid)
    geoms = list(gdf.geometry.to_numpy())
    if table.geometry == "MULTIPOLYGON":
        geoms = [
            shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
            for g in geoms
        ]
    return [None if g is None or g.is_empty else g for g in geoms]


def _bounds(
    rows: list[dict[str, Any]], frame: pd.DataFrame, table: Table, srid: int
) -> tuple[float, ...] | None:
    geoms = [g for g in _geometries(table, frame, srid) if g is not None]
    if not geoms:
        return None
    return tuple(float(v) for v in shapely.total_bounds(geoms))


def write_week(
    store: StationStore,
    week_start: dt.date,
    frames: Mapping[str, pd.DataFrame],
    *,
    crs: Any = None,
    station: str = "",
) -> dict[str, int]:
    """Write one week's tables (table name -> frame) into the store, replacing that week
    in every table, in one transaction; returns the rows written per table.

    The ``weeks`` table gets one row (from ``frames["weeks"]`` when given); a table not
    given loses the week's old rows (a week is whole). ``crs`` is the frames' CRS, used
    to set the store's CRS on the first import.
    """
    from sqlalchemy import text

    unknown = sorted(set(frames) - set(BY_NAME))
    if unknown:
        raise ValueError(f"not a table of the station store: {', '.join(unknown)}")
    written: dict[str, int] = {}
    with _connected(store, write=True) as conn:
        srid = _store_srid(conn, store, crs, station)
        for table in BY_NAME.values():
            if not store.dialect.has_table(conn, table.name):
                store.dialect.create_table(conn, table, srid=srid)
            conn.execute(
                text(f'DELETE FROM "{table.name}" WHERE week_start = :w'),
                {"w": store.dialect.param("date", week_start)},
            )
            frame = frames.get(table.name)
            if frame is None and table is WEEKS:
                frame = pd.DataFrame({"station": [station]})
            if frame is None or not len(frame):
                written[table.name] = 0
                continue
            rows = _rows(table, frame, week_start, store, srid)
            store.dialect.insert(conn, table, rows, srid)
            bounds = _bounds(rows, frame, table, srid) if table.geometry else None
            if bounds is not None:
                store.dialect.update_extent(conn, table, bounds)
            written[table.name] = len(rows)
    return written


def delete_week(store: StationStore, week_start: dt.date) -> None:
    """Remove one week from every table, in one transaction."""
    from sqlalchemy import text

    with _connected(store, write=True) as conn:
        for table in BY_NAME.values():
            if store.dialect.has_table(conn, table.name):
                conn.execute(
                    text(f'DELETE FROM "{table.name}" WHERE week_start = :w'),
                    {"w": store.dialect.param("date", week_start)},
                )


def _exists(store: StationStore) -> bool:
    return store.dialect.name != "gpkg" or Path(store.target).exists()


def list_weeks(store: StationStore) -> list[dt.date]:
    """The weeks in the store, oldest first."""
    frame = read_history(store, WEEKS.name)
    return sorted({d for d in frame["week_start"] if d is not None})


def store_crs(store: StationStore) -> Any:
    """The CRS the store keeps its geometries in (None for an empty store)."""
    if not _exists(store):
        return None
    with _connected(store, write=False) as conn:
        meta = _meta(conn, store)
    return f"EPSG:{meta['srid']}" if "srid" in meta else None


def _decoded(values: list[Any], kind: str) -> pd.Series:
    series = pd.Series(values, dtype=object)
    if kind == "time":
        return pd.to_datetime(series, errors="coerce")
    if kind == "date":
        return series.map(
            lambda v: (
                None
                if v is None
                else (
                    v
                    if isinstance(v, dt.date) and not isinstance(v, dt.datetime)
                    else dt.date.fromisoformat(str(v)[:10])
                )
            )
        )
    if kind == "bool":
        return series.map(lambda v: None if v is None else bool(v))
    if kind in ("int", "float"):
        return pd.to_numeric(series, errors="coerce")
    return series


def read_history(
    store: StationStore, name: str, *, weeks: list[dt.date] | None = None
) -> pd.DataFrame:
    """Table ``name`` of the store (all weeks, or only ``weeks``): a GeoDataFrame in the
    store's CRS for a table with geometry, else a DataFrame; empty (with its columns) when
    the store or the table does not exist yet."""
    from sqlalchemy import text

    table = BY_NAME[name]
    rows: list[Any] = []
    crs = None
    if _exists(store):
        with _connected(store, write=False) as conn:
            meta = _meta(conn, store)
            crs = f"EPSG:{meta['srid']}" if "srid" in meta else None
            if store.dialect.has_table(conn, table.name):
                select = ", ".join(
                    [f'"{c}"' for c in table.names]
                    + ([store.dialect.geometry_out()] if table.geometry else [])
                )
                sql = f'SELECT {select} FROM "{table.name}"'
                params: dict[str, Any] = {}
                if weeks is not None:
                    marks = [f":w{i}" for i in range(len(weeks))] or ["NULL"]
                    sql += f" WHERE week_start IN ({', '.join(marks)})"
                    params = {f"w{i}": store.dialect.param("date", w) for i, w in enumerate(weeks)}
                rows = list(conn.execute(text(sql + " ORDER BY fid"), params).all())
    data = pd.DataFrame(
        {c: _decoded([r[i] for r in rows], k) for i, (c, k) in enumerate(table.columns)}
    )
    if not table.geometry:
        return data
    geoms = [store.dialect.decode(r[len(table.columns)]) for r in rows]
    result: pd.DataFrame = gpd.GeoDataFrame(data, geometry=geoms, crs=crs)
    return result
