"""The review store as the app holds it: one :class:`geo.review.Store` per database URL per process
(``st.cache_resource``), opened (and migrated) on first use.

When the store cannot be opened (a bad ``PLANMAP_DB``, a database server that is down, a schema newer than this
code) the app keeps serving the shipped data and says so; the reason goes to the server log only (it may name
the server). A failed opening is retried after :data:`RETRY_S` seconds, not on every rerun.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

import streamlit as st

from geo.review import Store
from geo.review.settings import database_url

log = logging.getLogger("dezhou_plan_map")
RETRY_S = 30.0

_failed: dict[str, float] = {}  # URL -> monotonic time of the last failed opening
_lock = threading.Lock()


def store_url() -> str | None:
    """The store's URL from ``PLANMAP_DB`` (or the default SQLite file), ``None`` when the setting is unusable."""
    try:
        return database_url().render_as_string(hide_password=False)
    except Exception:  # a bad setting is logged and the app serves the shipped data
        log.exception("PLANMAP_DB is not usable")
        return None


def store_key(url: str) -> str:
    """A short stable key of the store (part of cache keys; never shows the URL)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(url: str) -> Store:
    return Store.open(url)


def get_store() -> Store | None:
    """The review store, or ``None`` when it cannot be opened now (logged on the server)."""
    url = store_url()
    if url is None:
        return None
    with _lock:
        failed_at = _failed.get(url)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_S:
            return None
    try:
        store = _open(url)
    except Exception:  # any failure to open: serve the shipped data, details in the log
        log.exception("the review store cannot be opened")
        with _lock:
            _failed[url] = time.monotonic()
        return None
    with _lock:
        _failed.pop(url, None)
    return store


def store_failed(store: Store) -> None:
    """Record that ``store`` stopped answering (its next use waits :data:`RETRY_S` seconds)."""
    url = store.engine.url.render_as_string(hide_password=False)
    with _lock:
        _failed[url] = time.monotonic()
