"""Where the review store lives: the setting ``PLANMAP_DB`` (a database URL).

Default: ``sqlite:///var/planmap.sqlite``, a file under ``var/`` of the project root, created on first use.
A relative SQLite path is taken relative to the project root (not the working directory), so the app, the CLI
and the tests started from anywhere share one file. ``postgresql://…`` (no driver given) means psycopg 3.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from geo.paths import PROJECT_ROOT
from geo.review.errors import StoreUnavailable

ENV_VAR = "PLANMAP_DB"
DEFAULT_URL = "sqlite:///var/planmap.sqlite"


def database_url(url: str | None = None, env: Mapping[str, str] | None = None) -> URL:
    """The store's URL: ``url`` if given, else ``$PLANMAP_DB``, else the default SQLite file; normalised
    (SQLite path made absolute against the project root, ``postgresql://`` -> ``postgresql+psycopg://``)."""
    env = os.environ if env is None else env
    raw = url or env.get(ENV_VAR) or DEFAULT_URL
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise StoreUnavailable(f"{ENV_VAR} is not a database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:" and not db.startswith("file:") and not Path(db).is_absolute():
            parsed = parsed.set(database=str(PROJECT_ROOT / db))
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        raise StoreUnavailable(f"{ENV_VAR}: unsupported database {parsed.get_backend_name()!r} "
                               "(use sqlite:///path or postgresql://user@host/db)")
    return parsed


def describe(url: URL) -> str:
    """The URL as it may be shown (password hidden)."""
    return url.render_as_string(hide_password=True)
