"""The two station stores' differences, and nothing else: a GeoPackage file or PostGIS.

:mod:`patrol.ledger.history` writes and reads both through the same SQLAlchemy code; a
:class:`Dialect` says only what differs: how to connect, the SQL type of a column kind,
how a geometry goes in and comes out, and the bookkeeping a GeoPackage needs so that GDAL
and QGIS open it (its ``gpkg_*`` tables, written in the same transaction as the data).

A GeoPackage is SQLite: the connection runs ``BEGIN IMMEDIATE`` itself (Python's sqlite3
would otherwise commit before every DDL statement), so a whole import, tables created
included, is one transaction, and a killed import is rolled back from SQLite's journal
the next time the file is opened. PostgreSQL's transactions cover DDL already.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd
import shapely

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from patrol.ledger.tables import Table

__all__ = ["DATABASE_URLS", "Dialect", "GeoPackage", "PostGIS", "dialect_for", "without_password"]

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_VERSION = 10300
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class Dialect:
    """What one kind of store does its own way (the base holds what both share)."""

    name = ""
    sql_types: ClassVar[dict[str, str]] = {}

    def __init__(self, target: str):
        self.target = target

    def engine(self) -> Engine:
        """A SQLAlchemy engine on the store."""
        raise NotImplementedError

    def prepare(self, conn: Connection, *, srid: int, wkt: str) -> None:
        """Make the store ready for tables in ``srid`` (inside the import's transaction)."""

    def has_table(self, conn: Connection, name: str) -> bool:
        """Whether table ``name`` exists."""
        raise NotImplementedError

    def create_table(self, conn: Connection, table: Table, *, srid: int) -> None:
        """Create ``table`` (and register it where the store needs it)."""
        raise NotImplementedError

    def geometry_in(self, srid: int) -> str:
        """The SQL that turns the bound parameter ``:geom`` into a stored geometry."""
        return ":geom"

    def geometry_out(self) -> str:
        """The SQL that selects the geometry as bytes :meth:`decode` reads."""
        return "geom"

    def encode(self, geom: Any, srid: int) -> Any:
        """A shapely geometry as the bound parameter ``:geom`` (None stays None)."""
        return None if geom is None else shapely.to_wkb(geom, byte_order=1, output_dimension=2)

    def decode(self, value: Any) -> Any:
        """The selected bytes as a shapely geometry."""
        return None if value is None else shapely.from_wkb(bytes(value))

    def param(self, kind: str, value: Any) -> Any:
        """A Python value as the driver takes it for a column of ``kind``."""
        if value is None or value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, float) and value != value:
            return None
        if hasattr(value, "item"):
            value = value.item()
        if kind == "bool":
            return bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "date":
            return _as_date(value)
        if kind == "time":
            return _as_datetime(value)
        return str(value)

    def insert(self, conn: Connection, table: Table, rows: list[dict[str, Any]], srid: int) -> None:
        """Insert ``rows`` (bound parameters by column, ``geom`` encoded) into ``table``."""
        from sqlalchemy import text

        if not rows:
            return
        names = table.names + (["geom"] if table.geometry else [])
        values = [f":{c}" for c in table.names]
        if table.geometry:
            values.append(self.geometry_in(srid))
        columns = ", ".join(f'"{c}"' for c in names)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join(values)})'
        conn.execute(text(sql), rows)

    def update_extent(self, conn: Connection, table: Table, bounds: tuple[float, ...]) -> None:
        """Record where ``table``'s geometries lie (a GeoPackage keeps it; PostGIS not)."""


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> dt.datetime:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    result: dt.datetime = stamp.to_pydatetime()
    return result


class GeoPackage(Dialect):
    """A GeoPackage file (SQLite), made and kept by this module alone."""

    name = "gpkg"
    sql_types: ClassVar[dict[str, str]] = {
        "str": "TEXT",
        "int": "INTEGER",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
        "date": "DATE",
        "time": "DATETIME",
    }

    def engine(self) -> Engine:
        from sqlalchemy import create_engine, event

        engine = create_engine(f"sqlite:///{Path(self.target)}")

        @event.listens_for(engine, "connect")
        def _no_driver_transactions(dbapi: Any, _: Any) -> None:
            dbapi.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def prepare(self, conn: Connection, *, srid: int, wkt: str) -> None:
        if not self.has_table(conn, "gpkg_contents"):
            for statement in _GPKG_CORE:
                conn.exec_driver_sql(statement)
            conn.exec_driver_sql(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {_GPKG_VERSION}")
        from sqlalchemy import text

        known = conn.execute(
            text("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = :s"), {"s": srid}
        ).first()
        if known is None:
            conn.execute(
                text(
                    "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, "
                    "organization_coordsys_id, definition) VALUES (:n, :s, 'EPSG', :s, :w)"
                ),
                {"n": f"EPSG:{srid}", "s": srid, "w": wkt},
            )

    def has_table(self, conn: Connection, name: str) -> bool:
        from sqlalchemy import text

        found = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": name}
        ).first()
        return found is not None

    def create_table(self, conn: Connection, table: Table, *, srid: int) -> None:
        from sqlalchemy import text

        columns = [f'"{c}" {self.sql_types[k]}' for c, k in table.columns]
        if table.geometry:
            columns.append(f"geom {table.geometry}")
        conn.exec_driver_sql(
            f'CREATE TABLE "{table.name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, '
            + ", ".join(columns)
            + ")"
        )
        kind = "features" if table.geometry else "attributes"
        conn.execute(
            text(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES (:t, :k, :t, :s)"
            ),
            {"t": table.name, "k": kind, "s": srid if table.geometry else None},
        )
        if table.geometry:
            conn.execute(
                text("INSERT INTO gpkg_geometry_columns VALUES (:t, 'geom', :g, :s, 0, 0)"),
                {"t": table.name, "g": table.geometry, "s": srid},
            )

    def encode(self, geom: Any, srid: int) -> Any:
        if geom is None:
            return None
        flags = 0b00000001 | (0b00010000 if geom.is_empty else 0)
        header = b"GP" + bytes([0, flags]) + struct.pack("<i", srid)
        return header + shapely.to_wkb(geom, byte_order=1, output_dimension=2)

    def decode(self, value: Any) -> Any:
        if value is None:
            return None
        blob = bytes(value)
        envelope = _ENVELOPE_BYTES.get((blob[3] >> 1) & 0b111, 0)
        return shapely.from_wkb(blob[8 + envelope :])

    def param(self, kind: str, value: Any) -> Any:
        found = super().param(kind, value)
        if isinstance(found, dt.datetime):
            return found.isoformat(timespec="seconds")
        if isinstance(found, dt.date):
            return found.isoformat()
        if isinstance(found, bool):
            return int(found)
        return found

    def update_extent(self, conn: Connection, table: Table, bounds: tuple[float, ...]) -> None:
        from sqlalchemy import text

        conn.execute(
            text(
                "UPDATE gpkg_contents SET min_x = :a, min_y = :b, max_x = :c, max_y = :d, "
                "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = :t"
            ),
            {"a": bounds[0], "b": bounds[1], "c": bounds[2], "d": bounds[3], "t": table.name},
        )


_GPKG_CORE = (
    "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, "
    "organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, "
    "definition TEXT NOT NULL, description TEXT)",
    "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT "
    "NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT "
    "NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, "
    "max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY "
    "(srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))",
    "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT "
    "NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, "
    "m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), "
    "CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY "
    "(table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY "
    "(srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))",
    "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, "
    "'undefined', 'undefined cartesian coordinate reference system')",
    "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, "
    "'undefined', 'undefined geographic coordinate reference system')",
    "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, "
    '\'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]\','
    " 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
)
"""The GeoPackage core tables (OGC 12-128r18, section 1.1) with their required rows."""


class PostGIS(Dialect):
    """A PostgreSQL database with the PostGIS extension, by URL."""

    name = "postgis"
    sql_types: ClassVar[dict[str, str]] = {
        "str": "TEXT",
        "int": "BIGINT",
        "float": "DOUBLE PRECISION",
        "bool": "BOOLEAN",
        "date": "DATE",
        "time": "TIMESTAMP",
    }

    def engine(self) -> Engine:
        from sqlalchemy import create_engine

        url = self.target
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                url = "postgresql+psycopg://" + url[len(plain) :]
        return create_engine(url)

    def prepare(self, conn: Connection, *, srid: int, wkt: str) -> None:
        from sqlalchemy import text

        found = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
        if found is None:
            conn.exec_driver_sql("CREATE EXTENSION postgis")

    def has_table(self, conn: Connection, name: str) -> bool:
        from sqlalchemy import text

        found = conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar()
        return found is not None

    def create_table(self, conn: Connection, table: Table, *, srid: int) -> None:
        columns = [f'"{c}" {self.sql_types[k]}' for c, k in table.columns]
        if table.geometry:
            columns.append(f"geom geometry({table.geometry}, {srid})")
        conn.exec_driver_sql(
            f'CREATE TABLE "{table.name}" (fid BIGSERIAL PRIMARY KEY, ' + ", ".join(columns) + ")"
        )
        if table.columns and table.columns[0][0] == "week_start":
            conn.exec_driver_sql(f'CREATE INDEX ON "{table.name}" (week_start)')
        if table.geometry:
            conn.exec_driver_sql(f'CREATE INDEX ON "{table.name}" USING gist (geom)')

    def geometry_in(self, srid: int) -> str:
        return f"ST_GeomFromWKB(:geom, {int(srid)})"

    def geometry_out(self) -> str:
        return "ST_AsBinary(geom)"


def without_password(target: str) -> str:
    """A store as a message names it: a URL without its password."""
    if "://" not in target or "@" not in target:
        return target
    scheme, rest = target.split("://", 1)
    who, where = rest.rsplit("@", 1)
    return f"{scheme}://{who.split(':', 1)[0]}@{where}"


DATABASE_URLS = ("postgresql://", "postgres://", "postgresql+psycopg://")
"""How a store given by URL (PostGIS) starts, rather than a file path."""


def dialect_for(target: str | Path) -> Dialect:
    """The dialect of a store given as a file path (GeoPackage) or a ``postgresql://`` URL."""
    text_target = str(target)
    if text_target.startswith(DATABASE_URLS):
        return PostGIS(text_target)
    return GeoPackage(text_target)
