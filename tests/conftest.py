"""Shared test setup: no test may reach the internet (only loopback), and the plan text is optional."""

from __future__ import annotations

import socket
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


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


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


@pytest.fixture(scope="module")
def data():
    """The shipped plan data, loaded as the app loads it (modules may override this fixture)."""
    from ui.data import load_plan_data

    return load_plan_data()


from review_support import fast_passwords, store_url  # noqa: E402,F401 - the review-store fixture (SQLite and PostgreSQL)
