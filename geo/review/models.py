"""The tables of the review store (SQLAlchemy 2 ORM). Times are UTC without a zone (``datetime`` naive).

- ``users``: who may sign in: name, role (official / reviewer / admin), unit (officials), Argon2 password hash.
- ``submissions``: one per submitted change of one item: field changes (JSON, new values) with the values they
  replace, the placement geometry, who/when/why, status and review.
- ``audit_log``: append-only record of every action (database triggers refuse UPDATE and DELETE).
- ``sign_in_attempts``: sign-in attempts per user name, for the rate limit shared by all app processes.
- ``schema_migrations``: the applied schema versions (:mod:`geo.review.migrations`).

The migrations create these tables; a test checks that the migrated schema equals these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from geo.review.db import GeometryColumn

ROLES: tuple[str, ...] = ("official", "reviewer", "admin")
STATUSES: tuple[str, ...] = ("pending", "approved", "rejected", "withdrawn", "superseded")
KINDS: tuple[str, ...] = ("edit", "placement", "confirm", "new")


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    def __repr__(self) -> str:  # never the hash
        return f"User(id={self.id}, name={self.name!r}, role={self.role!r}, unit={self.unit!r})"


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON)
    units: Mapped[str] = mapped_column(String(200))
    geometry: Mapped[BaseGeometry | None] = mapped_column(GeometryColumn)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    source_file: Mapped[str | None] = mapped_column(String(255))
    source_row: Mapped[int | None]


class AuditEvent(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(32), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_name_at", "user_name", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]
    ok: Mapped[bool]


class SchemaMigration(Base):
    __tablename__ = "schema_migrations"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime]
