"""Run the app in a subprocess and drive Debian's Chromium with Playwright, fully offline.

Every request to a host other than 127.0.0.1/localhost is aborted (``internetdisconnected``) and recorded: nothing is
stubbed, so the map draws only because the app serves Leaflet & co. itself (static/vendor at /app/static/vendor).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(proc: subprocess.Popen, url: str, *, timeout_s: float, hint: str = "") -> None:
    """Wait until the Streamlit server ``proc`` answers on ``url``/_stcore/health (polled every 0.3 s); raise
    RuntimeError if it exits first (``hint``: where its log is), TimeoutError after ``timeout_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}{hint}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"streamlit did not answer on {url} within {timeout_s:.0f} s")
        time.sleep(0.3)


def stop(proc: subprocess.Popen, *, timeout_s: float = 15.0) -> None:
    """Terminate ``proc``; kill it if it has not exited after ``timeout_s`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@dataclass(frozen=True)
class Server:
    """A running Streamlit server: base URL and the process id (its CPU time and memory are in /proc/<pid>)."""

    url: str
    pid: int


@contextlib.contextmanager
def app_server(script: Path | None = None, *, port: int | None = None, env: dict[str, str] | None = None,
               timeout_s: float = 120.0) -> Iterator[Server]:
    """Start ``streamlit run <script>`` (default: the app) headless on 127.0.0.1:``port`` (default: a free port)
    with the project's .streamlit/config.toml; yield it once /_stcore/health answers; stop it afterwards.
    The server log goes to artifacts/streamlit_<port>.log when artifacts/ exists."""
    port = port or free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit) if streamlit.exists() else sys.executable, *([] if streamlit.exists() else ["-m", "streamlit"]),
           "run", str(script or ROOT / "streamlit_app.py"), "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(ROOT / "artifacts" / f"streamlit_{port}.log", "w") if (ROOT / "artifacts").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, timeout_s=timeout_s)
        yield Server(url, proc.pid)
    finally:
        stop(proc)
        if log is not subprocess.DEVNULL:
            log.close()


@contextlib.contextmanager
def running_app(port: int | None = None, env: dict[str, str] | None = None,
                timeout_s: float = 120.0) -> Iterator[str]:
    """Start the app (:func:`app_server`); yield its base URL."""
    with app_server(port=port, env=env, timeout_s=timeout_s) as server:
        yield server.url


def is_local(url: str) -> bool:
    """True for URLs that never leave the machine (loopback hosts, data:/blob:/about: URLs)."""
    u = urlparse(url)
    return u.scheme in ("data", "blob", "about") or u.hostname in ("127.0.0.1", "localhost")


def no_internet_route(route, request, blocked: list[str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Playwright route handler: local requests pass, every other request fails as on a machine without
    internet (its URL is appended to ``blocked``)."""
    if is_local(request.url):
        route.continue_()
        return
    if blocked is not None:
        blocked.append(request.url)
    route.abort("internetdisconnected")


def launch(playwright):  # type: ignore[no-untyped-def]
    """Chromium from /usr/bin/chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


FEATURE_SELECTOR = ".leaflet-overlay-pane path, .leaflet-marker-pane > *"
"""A drawn Leaflet feature: an SVG path (areas, lines, circle markers) or a marker icon."""

FIRST_FEATURE_JS = """(() => {
  if ('__benchFirstFeature' in window) return;
  window.__benchFirstFeature = null;
  const stamp = () => {
    if (window.__benchFirstFeature === null && document.querySelector(__SELECTOR__)) {
      window.__benchFirstFeature = performance.timeOrigin + performance.now();
    }
    return window.__benchFirstFeature !== null;
  };
  // a DOM change and a 5 ms poll (the component may rewrite its document, which drops observers)
  new MutationObserver(stamp).observe(document, {childList: true, subtree: true});
  const timer = setInterval(() => { if (stamp()) clearInterval(timer); }, 5);
})();""".replace("__SELECTOR__", json.dumps(FEATURE_SELECTOR))
"""Init script for every frame: records when the frame first shows a drawn map feature (epoch ms, the same clock
as ``performance.timeOrigin`` of every frame) in ``window.__benchFirstFeature``, to within 5 ms."""


def new_page(browser, width: int = 1500, height: int = 1000, blocked: list[str] | None = None,
             requested: list[str] | None = None, timing: bool = False):  # type: ignore[no-untyped-def]
    """A page without internet (:func:`no_internet_route`): external URLs go to ``blocked``, every URL the page
    (and its iframes) requested to ``requested``. A fresh browser context: nothing cached, like a first visit.
    ``timing``: every frame records its first drawn map feature (:data:`FIRST_FEATURE_JS`)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    if timing:
        ctx.add_init_script(FIRST_FEATURE_JS)
    ctx.route("**/*", lambda route, request: no_internet_route(route, request, blocked))
    if requested is not None:
        ctx.on("request", lambda r: requested.append(r.url))
    return ctx.new_page()


MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def wait_for_map(page, timeout_ms: int = 120_000):  # type: ignore[no-untyped-def]
    """Wait until the first st_folium iframe shows a Leaflet map with drawn features; return its frame locator."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".leaflet-container").first.wait_for(timeout=timeout_ms)
    frame.locator(FEATURE_SELECTOR).first.wait_for(state="attached", timeout=timeout_ms)
    return frame


def first_feature_at(page) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(epoch ms when a frame of ``page`` first drew a map feature, epoch ms when that frame's document started);
    needs ``new_page(..., timing=True)`` and a drawn map (:func:`wait_for_map`)."""
    hits = []
    for fr in page.frames:
        got = fr.evaluate("() => [window.__benchFirstFeature ?? null, performance.timeOrigin]")
        if got[0] is not None:
            hits.append((float(got[0]), float(got[1])))
    if not hits:
        raise RuntimeError("no frame recorded a drawn map feature (was the page opened with timing=True?)")
    return min(hits)
