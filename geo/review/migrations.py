"""Versioned schema of the review store: ``python -m geo.review init`` applies every pending migration.

Why not Alembic: the store has five tables on two dialects and needs exactly one operation — "bring the
schema to the newest version, safely, while other app processes may be starting too". A migration here is a
numbered function written with SQLAlchemy Core (no hand-written dialect SQL except the append-only triggers),
recorded in ``schema_migrations``. All pending migrations run in ONE transaction (PostgreSQL and SQLite both
have transactional DDL), under a lock (``pg_advisory_xact_lock`` / SQLite ``BEGIN IMMEDIATE``), so a crash
or a second process never sees a half-made schema. A database newer than this code is refused, not touched.
Each migration is a frozen snapshot: to change a table, add a migration; never edit an applied one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
)

from geo.review.db import GeometryColumn, write_session
from geo.review.errors import StoreUnavailable

_LOCK_KEY = 7_130_214_115  # pg_advisory_xact_lock key of "planmap schema"


def _v1(conn: Connection) -> None:
    """users, submissions, audit_log (append-only), sign_in_attempts."""
    md = MetaData()
    Table("users", md,
          Column("id", Integer, primary_key=True),
          Column("name", String(80), nullable=False, unique=True),
          Column("role", String(16), nullable=False),
          Column("unit", String(16)),
          Column("password_hash", String(255), nullable=False),
          Column("active", Boolean, nullable=False),
          Column("created_at", DateTime, nullable=False))
    Table("submissions", md,
          Column("id", Integer, primary_key=True),
          Column("item_id", String(64), nullable=False, index=True),
          Column("kind", String(16), nullable=False),
          Column("changes", JSON, nullable=False),
          Column("old_values", JSON, nullable=False),
          Column("units", String(200), nullable=False),
          Column("geometry", GeometryColumn),
          Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
          Column("created_at", DateTime, nullable=False),
          Column("reason", Text, nullable=False),
          Column("status", String(16), nullable=False, index=True),
          Column("reviewer_id", Integer, ForeignKey("users.id")),
          Column("reviewed_at", DateTime),
          Column("review_comment", Text),
          Column("superseded_by", Integer, ForeignKey("submissions.id")),
          Column("source_file", String(255)),
          Column("source_row", Integer))
    Table("audit_log", md,
          Column("id", Integer, primary_key=True),
          Column("at", DateTime, nullable=False),
          Column("actor", String(80), nullable=False),
          Column("action", String(32), nullable=False, index=True),
          Column("submission_id", Integer, ForeignKey("submissions.id")),
          Column("details", JSON, nullable=False))
    attempts = Table("sign_in_attempts", md,
                     Column("id", Integer, primary_key=True),
                     Column("user_name", String(80), nullable=False),
                     Column("at", DateTime, nullable=False),
                     Column("ok", Boolean, nullable=False))
    Index("ix_sign_in_attempts_name_at", attempts.c.user_name, attempts.c.at)
    md.create_all(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "CREATE FUNCTION planmap_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"))
        conn.execute(text("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                          "FOR EACH ROW EXECUTE FUNCTION planmap_audit_append_only()"))
        conn.execute(text("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                          "FOR EACH STATEMENT EXECUTE FUNCTION planmap_audit_append_only()"))
    else:
        for verb in ("UPDATE", "DELETE"):
            conn.execute(text(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                              "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"))


#: (version, description, function) in order; the newest version is the last one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "users, submissions, append-only audit log, sign-in attempts", _v1),
)
LATEST: int = MIGRATIONS[-1][0]

_versions = Table("schema_migrations", MetaData(),
                  Column("version", Integer, primary_key=True, autoincrement=False),
                  Column("name", String(200), nullable=False),
                  Column("applied_at", DateTime, nullable=False))


def current_version(conn: Connection) -> int:
    """The schema version of the database (0 when it has no schema yet)."""
    if not conn.dialect.has_table(conn, "schema_migrations"):
        return 0
    return int(conn.execute(select(_versions.c.version).order_by(_versions.c.version.desc())).scalar() or 0)


def upgrade(engine: Engine) -> list[int]:
    """Apply every pending migration in one locked transaction; returns the versions applied (``[]`` when the
    schema is current). Raises :class:`StoreUnavailable` when the database is newer than this code."""
    with write_session(engine) as session:
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        _versions.create(conn, checkfirst=True)
        have = current_version(conn)
        if have > LATEST:
            raise StoreUnavailable(f"the store's schema version {have} is newer than this code's ({LATEST}): "
                                   "update the code")
        applied = []
        for version, name, fn in MIGRATIONS:
            if version > have:
                fn(conn)
                conn.execute(insert(_versions).values(version=version, name=name,
                                                      applied_at=datetime.now(UTC).replace(tzinfo=None)))
                applied.append(version)
        return applied
