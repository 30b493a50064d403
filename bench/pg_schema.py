"""A fresh, empty PostgreSQL schema for one run of the review store (tests and ``bench scale``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fresh_pg_schema(server: str, *, prefix: str) -> Iterator[str]:
    """Create schema ``<prefix><12 hex>`` on the PostgreSQL server at URL ``server``; yield a URL whose
    search_path is that schema (then public, for PostGIS); drop the schema with everything in it on exit."""
    from sqlalchemy import create_engine, make_url, text

    schema = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema},public"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
