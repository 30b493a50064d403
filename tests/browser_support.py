"""Shared set-up of the browser tests (Playwright driving Debian's /usr/bin/chromium, no internet).

A browser test module starts with::

    from browser_support import TIMEOUT, require_chromium, wait_idle
    sync_api = require_chromium()  # skips the module without Chromium; fails it when CI is set
    expect = sync_api.expect

and uses the module-scoped fixtures ``app_url`` (the app in a ``streamlit run`` subprocess on the shipped data) and
``browser`` (one headless Chromium per module), which tests/conftest.py makes available to every test module. A
module that needs the app on other data or another review store overrides ``app_url`` with
``serve_app(env={...})``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import pytest

from bench.browser import CHROMIUM, launch, running_app
from geo.paths import PROJECT_ROOT

#: Screenshots and the app server's log (bench.browser writes streamlit_<port>.log here when the folder exists).
ARTIFACTS = PROJECT_ROOT / "artifacts"
#: Playwright timeout for anything the app has to compute or the map has to draw, in milliseconds.
TIMEOUT = 120_000


def require_chromium() -> ModuleType:
    """``playwright.sync_api``, or skip the calling test module when /usr/bin/chromium is absent (fail it when the
    environment variable CI is set: there the browser tests must run). Call at module level."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing but CI is set: the browser test must run", pytrace=False)
        pytest.skip(f"{CHROMIUM} not found (install Debian's chromium to run the browser test)",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def serve_app(env: dict[str, str] | None = None) -> Iterator[str]:
    """The app in a subprocess (extra environment ``env``), with artifacts/ present for its log; yields its URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(env=env) as url:
        yield url


def wait_idle(page: Any, *, settle_ms: int = 400) -> None:
    """Wait ``settle_ms`` for a rerun to start, then until Streamlit is not running the script (its status widget
    is gone)."""
    page.wait_for_timeout(settle_ms)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=TIMEOUT)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """URL of the app on the shipped data, one server per test module."""
    with serve_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (no internet: pages come from bench.browser.new_page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
