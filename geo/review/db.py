"""Engine, transactions and the geometry column type of the review store (SQLite or PostgreSQL + PostGIS).

- SQLite: WAL journal, foreign keys on, a 30 s busy timeout; a write transaction starts with ``BEGIN IMMEDIATE``
  so concurrent writers (threads or processes) queue instead of failing half-way.
- PostgreSQL: psycopg 3; geometry is a PostGIS ``geometry(GEOMETRY, 4326)`` column with a GiST index.

Geometry values are shapely geometries in WGS84 (EPSG:4326) on both: :class:`GeometryColumn` stores them as
PostGIS geometry on PostgreSQL and as WKT text on SQLite, so no caller sees the difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import shapely.wkt
from geoalchemy2 import Geometry, WKTElement
from geoalchemy2.shape import to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import Text, TypeDecorator, TypeEngine

SRID = 4326
_WRITE = "planmap_write"


class GeometryColumn(TypeDecorator[BaseGeometry]):
    """A shapely geometry in WGS84: PostGIS ``geometry(GEOMETRY, 4326)`` on PostgreSQL, WKT text elsewhere."""

    impl = Text
    cache_ok = True
    spatial_index = True  # read by GeoAlchemy2's DDL hooks: a GiST index on PostgreSQL

    def load_dialect_impl(self, dialect: Dialect | None) -> TypeEngine[Any]:
        if dialect is not None and dialect.name == "postgresql":
            return dialect.type_descriptor(Geometry(geometry_type="GEOMETRY", srid=SRID, spatial_index=True))
        return Text() if dialect is None else dialect.type_descriptor(Text())

    def process_bind_param(self, value: BaseGeometry | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return WKTElement(value.wkt, srid=SRID)
        return value.wkt

    def process_result_value(self, value: Any, dialect: Dialect) -> BaseGeometry | None:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return to_shape(value)
        return shapely.wkt.loads(value)


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` (see :mod:`geo.review.settings`); a SQLite file's folder is created. Statement
    parameters are never put into error messages or logs (they may hold a password hash)."""
    if url.get_backend_name() == "sqlite":
        db = url.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _sqlite_events(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun explicitly below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session inside one write transaction: committed when the block ends, rolled back on any exception
    (a crash before the commit leaves nothing behind). On SQLite the write lock is taken at the start."""
    with engine.connect() as conn:
        conn = conn.execution_options(**{_WRITE: True})
        with Session(bind=conn, expire_on_commit=False) as session, session.begin():
            yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading (its transaction is rolled back at the end)."""
    with Session(bind=engine, expire_on_commit=False) as session:
        yield session
