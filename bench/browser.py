"""Run the app in a subprocess and drive Debian's Chromium with Playwright, fully offline.

Leaflet and jQuery come from ui/vendor (the CDN URLs folium writes are answered locally); every other non-local request
gets an empty answer (scripts, styles) or is aborted (tiles, fonts), so nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LEAFLET_DIR = ROOT / "ui" / "vendor" / "leaflet-1.9.3"
JQUERY = ROOT / "ui" / "vendor" / "jquery-3.7.1" / "jquery.min.js"
_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_app(port: int | None = None, env: dict[str, str] | None = None,
                timeout_s: float = 120.0) -> Iterator[str]:
    """Start ``streamlit run streamlit_app.py`` headless on ``port``; yield its base URL; stop it afterwards."""
    port = port or free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit) if streamlit.exists() else sys.executable, *([] if streamlit.exists() else ["-m", "streamlit"]),
           "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(ROOT / "artifacts" / f"streamlit_{port}.log", "w") if (ROOT / "artifacts").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer on {url} within {timeout_s:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if log is not subprocess.DEVNULL:
            log.close()


def offline_route(route, request) -> None:  # type: ignore[no-untyped-def]
    """Playwright route handler: local requests pass; Leaflet from ui/vendor; other external requests stubbed."""
    url = urlparse(request.url)
    if url.scheme in ("data", "blob") or url.hostname in ("127.0.0.1", "localhost"):
        route.continue_()
        return
    name = url.path.rsplit("/", 1)[-1]
    if "leaflet@" in url.path or "/leaflet/" in url.path:
        local = LEAFLET_DIR / ("images/" + name if url.path.split("/")[-2] == "images" else name)
        if local.is_file():
            route.fulfill(status=200, body=local.read_bytes(), content_type=_TYPES.get(local.suffix, "text/plain"))
            return
    if url.hostname == "code.jquery.com" and name.startswith("jquery-3.") and JQUERY.is_file():
        route.fulfill(status=200, body=JQUERY.read_bytes(), content_type=_TYPES[".js"])
        return
    ext = Path(name).suffix
    if ext in (".js", ".css"):
        route.fulfill(status=200, body=b"/* offline stub */", content_type=_TYPES[ext])
        return
    route.abort()


def no_internet_route(route, request) -> None:  # type: ignore[no-untyped-def]
    """Playwright route handler: local requests pass, every other request fails (a machine without internet)."""
    url = urlparse(request.url)
    if url.scheme in ("data", "blob") or url.hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort("internetdisconnected")


def launch(playwright):  # type: ignore[no-untyped-def]
    """Chromium from /usr/bin/chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def new_page(browser, width: int = 1500, height: int = 1000, route=None):  # type: ignore[no-untyped-def]
    """A page whose context routes every request through ``route`` (default :func:`offline_route`)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    ctx.route("**/*", route or offline_route)
    return ctx.new_page()


MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def wait_for_map(page, timeout_ms: int = 120_000):  # type: ignore[no-untyped-def]
    """Wait until the first st_folium iframe shows a Leaflet map with drawn features; return its frame locator."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".leaflet-container").first.wait_for(timeout=timeout_ms)
    frame.locator(".leaflet-overlay-pane path, .leaflet-marker-pane > *").first.wait_for(
        state="attached", timeout=timeout_ms)
    return frame
