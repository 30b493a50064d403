"""Review-store test support: the same tests on SQLite (always) and PostgreSQL + PostGIS (``PLANMAP_TEST_PG``).

``.ci/run`` starts a throwaway cluster on loopback (``.ci/pg_cluster.sh``) and exports ``PLANMAP_TEST_PG``; in CI
(``CI`` set) a missing server fails the PostgreSQL tests, elsewhere they skip with the reason. Each test gets a
fresh schema on the server (dropped afterwards) or a fresh SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from bench.pg_schema import fresh_pg_schema

PG_ENV = "PLANMAP_TEST_PG"
DIALECTS = ("sqlite", "postgresql")
PASSWORDS = {"wang": "ningjin-pass-1", "li": "qihe-pass-22", "zhao": "review-pass-333", "admin": "admin-pass-4444"}


def pg_server_url() -> str:
    """The PostgreSQL test server's URL, or skip (fail in CI) with the reason."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        reason = (f"no PostgreSQL server for the store tests: set {PG_ENV} "
                  "(eval \"$(.ci/pg_cluster.sh start)\" starts one on loopback)")
        if os.environ.get("CI"):
            pytest.fail(reason + " — CI must run them (.ci/run starts the server)")
        pytest.skip(reason)
    return url


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL of a fresh, empty schema on the PostgreSQL test server (dropped on exit), or skip (fail in CI)."""
    with fresh_pg_schema(pg_server_url(), prefix="t_") as url:
        yield url


@pytest.fixture(params=DIALECTS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh schema on the PostgreSQL test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def pg_store_url() -> Iterator[str]:
    """A fresh schema on the PostgreSQL test server only (tests that need PostgreSQL itself)."""
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with small costs (the production parameters cost 0.2 s per hash on this machine; one test checks
    them)."""
    from argon2 import PasswordHasher

    from geo.review import passwords

    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()


class Clock:
    """A clock the test moves by hand (UTC, naive)."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 2, 0, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)
