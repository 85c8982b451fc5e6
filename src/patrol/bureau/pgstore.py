"""The bureau store in PostGIS, by URL: every station's plan of every week, in one database.

``patrol plan-bureau --store postgresql://user@host/db`` writes the layers of
``bureau.gpkg`` into tables named ``bureau_<layer>`` (``bureau_routes``,
``bureau_blind_spots``, ...), in WGS 84, each row with its ``week_start``. The database
connection, SQL types, geometry encoding and PostGIS setup are the station store's
(:class:`patrol.ledger.dialects.PostGIS`), so both stores speak PostgreSQL the same way.

**A week is written whole, in one transaction**, and weeks accumulate: the week's old
rows are deleted from every bureau table and the new ones inserted between one ``BEGIN``
and one ``COMMIT``, so a reader sees the old week or the new one, never half, and a run
killed midway leaves the store as it was. A transaction-scoped advisory lock makes two
bureau runs that write the same database take turns instead of interleaving their
deletes and inserts. A column that a later week brings is added to its table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from patrol.bureau.labels import both
from patrol.errors import PatrolError
from patrol.ledger.dialects import DATABASE_URLS, PostGIS, without_password
from patrol.ledger.tables import Table
from patrol.projection import WGS84

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["PREFIX", "is_database_url", "read_bureau_table", "write_bureau_postgis"]

PREFIX = "bureau_"
_SRID = 4326
_LOCK_KEY = 0x70617472  # "patr": the advisory lock every bureau writer takes


def is_database_url(target: str) -> bool:
    """Whether ``--store`` names a PostgreSQL database rather than a file."""
    return str(target).startswith(DATABASE_URLS)


def _kind(series: pd.Series) -> str:
    """The station store's column kind for a frame column."""
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "time"
    return "str"


def table_of(name: str, frame: pd.DataFrame) -> Table:
    """The bureau table for layer ``name``: ``week_start`` first, then the frame's
    columns, and any geometry (of every type) in WGS 84."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = [("week_start", "date")] + [
        (str(c), _kind(frame[c])) for c in frame.columns if c != geometry and c != "week_start"
    ]
    return Table(PREFIX + name, tuple(columns), "GEOMETRY" if geometry else "")


def _ensure_table(conn: Connection, dialect: PostGIS, table: Table) -> None:
    """Create ``table``, or add the columns a later week brings to the existing one."""
    from sqlalchemy import text

    if not dialect.has_table(conn, table.name):
        dialect.create_table(conn, table, srid=_SRID)
        conn.exec_driver_sql(f'CREATE INDEX ON "{table.name}" (week_start)')
        return
    found = conn.execute(
        text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
        {"t": table.name},
    ).scalars()
    have = set(found)
    for column, kind in table.columns:
        if column not in have:
            sql_type = dialect.sql_types[kind]
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column}" {sql_type}')


def _rows(dialect: PostGIS, table: Table, frame: pd.DataFrame, week: dt.date) -> list[Any]:
    """The frame's rows as bound parameters, geometry as WKB in WGS 84."""
    kinds = table.kinds
    data = pd.DataFrame(frame).assign(week_start=week)
    columns = {c: [dialect.param(kinds[c], v) for v in data[c].tolist()] for c in table.names}
    rows = [{c: values[i] for c, values in columns.items()} for i in range(len(data))]
    if table.geometry:
        gdf = gpd.GeoDataFrame(frame)
        gdf = gdf if gdf.crs is None else gdf.to_crs(WGS84)
        for row, geom in zip(rows, gdf.geometry.to_numpy(), strict=True):
            row["geom"] = None if geom is None or geom.is_empty else dialect.encode(geom, _SRID)
    return rows


def write_bureau_postgis(
    url: str, frames: Mapping[str, pd.DataFrame], *, week_start: dt.date
) -> dict[str, int]:
    """Write the bureau's layers (name -> frame) for the week of ``week_start`` into the
    PostGIS database at ``url``, replacing that week in every bureau table, in one
    transaction; returns the rows written per table."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    dialect = PostGIS(url)
    written: dict[str, int] = {}
    engine = dialect.engine()
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            dialect.prepare(conn, srid=_SRID, wkt="")
            week = dialect.param("date", week_start)
            for name, frame in frames.items():
                table = table_of(name, frame)
                _ensure_table(conn, dialect, table)
                conn.execute(text(f'DELETE FROM "{table.name}" WHERE week_start = :w'), {"w": week})
                rows = _rows(dialect, table, frame, week_start)
                dialect.insert(conn, table, rows, _SRID)
                written[table.name] = len(rows)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise PatrolError(both("store_failed", store=without_password(url), reason=reason)) from exc
    finally:
        engine.dispose()
    return written


def read_bureau_table(url: str, name: str, *, week_start: dt.date | None = None) -> pd.DataFrame:
    """One bureau table (``routes``, ``stations``, ...) read back, every week or one; a
    table with geometry comes back as a GeoDataFrame in WGS 84."""
    from sqlalchemy import text

    dialect = PostGIS(url)
    engine = dialect.engine()
    try:
        with engine.connect() as conn:
            table = PREFIX + name
            where = " WHERE week_start = :w" if week_start else ""
            result = conn.execute(
                text(f'SELECT * FROM "{table}"{where} ORDER BY fid'), {"w": week_start}
            )
            frame = pd.DataFrame([dict(row) for row in result.mappings()])
    finally:
        engine.dispose()
    frame = frame.drop(columns="fid", errors="ignore")
    if "geom" not in frame.columns:
        return frame
    geoms = [dialect.decode(bytes.fromhex(g) if isinstance(g, str) else g) for g in frame["geom"]]
    found: pd.DataFrame = gpd.GeoDataFrame(frame.drop(columns="geom"), geometry=geoms, crs=WGS84)
    return found
