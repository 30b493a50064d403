"""Shared test setup: no test may reach the internet (only loopback), and the plan text is optional."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

from geo.paths import DATA_DIR, plan_lines, plan_text_path

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host in ("localhost", "::1") or host.startswith("127.") or host.startswith("/")
    ):
        raise RuntimeError(f"tests must not use the network (tried to connect to {address!r})")
    return _real_connect(self, address, *args, **kwargs)


#: Fixtures that give the shipped data: a test using one of them is a data test (marker ``data``).
DATA_FIXTURES = frozenset({"data", "plan", "data_dir", "real_data"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session", autouse=True)
def _review_store_off_the_repository():
    """The app run by tests (AppTest in this process, the browser tests' subprocess) opens its review store from
    ``PLANMAP_DB``: point it at a throwaway SQLite file, never at the project's var/planmap.sqlite. Tests that
    need their own store set ``PLANMAP_DB`` themselves (monkeypatch)."""
    with tempfile.TemporaryDirectory(prefix="planmap-test-") as tmp:
        before = os.environ.get("PLANMAP_DB")
        os.environ["PLANMAP_DB"] = f"sqlite:///{Path(tmp) / 'session.sqlite'}"
        yield
        if before is None:
            os.environ.pop("PLANMAP_DB", None)
        else:
            os.environ["PLANMAP_DB"] = before


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def plan() -> list[str]:
    """Plan text lines; skips the test (with the reason) when the file is absent."""
    lines = plan_lines()
    if lines is None:
        pytest.skip(f"plan text not found at {plan_text_path()} (set DEZHOU_PLAN_TEXT to run this test)")
    return lines


@pytest.fixture(scope="session")
def data():
    """The shipped plan data, loaded as the app loads it, once per test run (tests read it, never change it).
    ``data`` always means this; hand-made data comes from tests/toy_data.py under another name (``toy``)."""
    from ui.data import load_plan_data

    return load_plan_data()


from app_review_support import review_env  # noqa: E402,F401 - the app's review store with users (AppTest)
from browser_support import app_url, browser  # noqa: E402,F401 - the browser tests' app server and Chromium
from review_support import fast_passwords, pg_store_url, store_url  # noqa: E402,F401 - the review-store fixture (SQLite and PostgreSQL)
