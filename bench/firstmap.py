"""Time to first map in headless Chromium: the app's default view beside the floor page (bench/floor_app.py: one
st_folium map of one feature, same vendored Leaflet), interleaved visits, medians and the ratio app/floor.

A visit is a fresh browser context (nothing cached, as for a new visitor) on a warm server; the time runs from
navigation start to the first drawn Leaflet feature inside the st_folium iframe, stamped in the page itself
(``bench.browser.FIRST_FEATURE_JS``), so Playwright's polling adds nothing. Each visit is split into
page boot (navigation -> websocket open), server (websocket open -> the map element received: script run up to
st_folium, serialisation, transfer), hand-over (map element -> iframe document start: React mounts the component)
and iframe (iframe start -> first feature: component bundle, Leaflet, the map script, drawing).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import browser as bb
from bench.report import fmt_bytes, fmt_s, median, table
from bench.stclient import MAP_COMPONENT, STREAM_PATH

HERE = Path(__file__).resolve().parent
PHASES = ("boot", "server", "handover", "iframe")


@contextlib.contextmanager
def floor_server() -> Iterator[bb.Server]:
    """Serve bench/floor_app.py like the app: from a temporary folder holding the script and a link to the
    project's static/ (Streamlit serves ``<script folder>/static`` at /app/static), the project on the path."""
    with tempfile.TemporaryDirectory(prefix="planmap-floor-") as tmp:
        folder = Path(tmp)
        script = folder / "floor_app.py"
        script.write_text((HERE / "floor_app.py").read_text(encoding="utf-8"), encoding="utf-8")
        (folder / "static").symlink_to(bb.ROOT / "static", target_is_directory=True)
        path = os.pathsep.join(p for p in (str(bb.ROOT), os.environ.get("PYTHONPATH", "")) if p)
        with bb.app_server(script, env={"PYTHONPATH": path}) as server:
            yield server


@dataclass
class Visit:
    """One visit: seconds from navigation start to the first drawn feature, its phases (s), and the websocket
    bytes received until the script run finished."""

    total: float
    phases: dict[str, float]
    ws_bytes: int
    map_bytes: int


def visit(browser: Any, url: str, timeout_s: float = 180.0, blocked: list[str] | None = None,
          requested: list[str] | None = None) -> Visit:
    """Open ``url`` in a fresh context; wait for the first drawn feature and the end of the script run.
    ``blocked``/``requested`` collect the URLs aborted (not local) and all URLs requested."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page = bb.new_page(browser, timing=True, blocked=blocked, requested=requested)
    frames: list[tuple[float, int, str]] = []  # (epoch ms, bytes, what)
    opened: list[float] = []

    def on_frame(payload: bytes | str) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        fm = ForwardMsg()
        fm.ParseFromString(data)
        what = fm.WhichOneof("type") or ""
        if what == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            if el.WhichOneof("type") == "component_instance" and MAP_COMPONENT in el.component_instance.component_name:
                what = "map"
        frames.append((time.time() * 1000, len(data), what))

    def on_ws(ws: Any) -> None:
        if STREAM_PATH in ws.url:
            opened.append(time.time() * 1000)
            ws.on("framereceived", on_frame)

    page.on("websocket", on_ws)
    try:
        page.goto(url)
        bb.wait_for_map(page, timeout_ms=int(timeout_s * 1000))
        first, iframe_start = bb.first_feature_at(page)
        nav = float(page.evaluate("performance.timeOrigin"))
        deadline = time.monotonic() + timeout_s
        while not any(w == "script_finished" for _, _, w in frames):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: the script run did not finish within {timeout_s:.0f} s")
            page.wait_for_timeout(50)
    finally:
        page.context.close()
    map_at = next((t for t, _, w in frames if w == "map"), first)
    ws_open = opened[0] if opened else nav
    phases = {"boot": ws_open - nav, "server": map_at - ws_open, "handover": iframe_start - map_at,
              "iframe": first - iframe_start}
    return Visit((first - nav) / 1000, {k: v / 1000 for k, v in phases.items()},
                 sum(n for _, n, _ in frames), sum(n for _, n, w in frames if w == "map"))


def _exported(browser: Any, blocked: list[str]) -> list[list[str]]:
    """Seconds until the exported standalone HTML (assets inline), city with all layers, shows a feature: the
    app's map and the naive build's."""
    from bench import naive
    from layers.map_builder import LAYER_KEYS, build_map
    from ui.data import load_plan_data
    from ui.map_view import map_html

    data = load_plan_data()
    rows = []
    for label, builder in (("exported HTML (assets inline), city all layers: app", build_map),
                           ("exported HTML (assets inline), city all layers: naive", naive.build_map)):
        html = map_html(builder(data, unit="city", layers=LAYER_KEYS))
        page = bb.new_page(browser, blocked=blocked)
        t0 = time.perf_counter()
        page.set_content(html, wait_until="commit")
        page.locator(bb.FEATURE_SELECTOR).first.wait_for(state="attached", timeout=180_000)
        page.wait_for_load_state("load")
        rows.append([label, fmt_s(time.perf_counter() - t0)])
        page.context.close()
    return rows


def measure(runs: int = 5) -> dict[str, Any]:
    """Start the app and the floor page, visit each once to warm the servers (reported as 'first visit'), then
    ``runs`` interleaved visits each (ABBA order); then a shared county link (first and second visit) and the
    exported HTML. Every request that would leave the machine is aborted and listed."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    requested: list[str] = []
    out: dict[str, Any] = {"cold": {}, "warm": {"app": [], "floor": []}, "other": [], "blocked": blocked,
                           "requested": requested}
    with bb.app_server() as app, floor_server() as floor, sync_playwright() as p:
        browser = bb.launch(p)
        urls = {"app": app.url + "/", "floor": floor.url + "/"}
        for name in ("floor", "app"):
            out["cold"][name] = visit(browser, urls[name], blocked=blocked, requested=requested)
        for i in range(runs):
            order = ("floor", "app") if i % 2 == 0 else ("app", "floor")
            for name in order:
                out["warm"][name].append(visit(browser, urls[name], blocked=blocked, requested=requested))
        for label in ("app, shared link to a county (371425), first visit of the view",
                      "app, same county link again (view cached)"):
            v = visit(browser, app.url + "/?unit=371425", blocked=blocked, requested=requested)
            out["other"].append([label, fmt_s(v.total)])
        out["other"] += _exported(browser, blocked)
        browser.close()
    return out


def print_report(res: dict[str, Any]) -> dict[str, float]:
    """Print the first-map tables; return the medians (s) and the ratio."""
    med = {name: median([v.total for v in vs]) or 0.0 for name, vs in res["warm"].items()}
    ratio = med["app"] / med["floor"] if med["floor"] else float("nan")
    n = len(res["warm"]["app"])
    rows = []
    for name, label in (("floor", "floor page (one feature)"), ("app", "app, default view (city)")):
        vs = res["warm"][name]
        rows.append([label, fmt_s(med[name]), " ".join(f"{v.total:.2f}" for v in vs),
                     *[fmt_s(median([v.phases[k] for v in vs])) for k in PHASES],
                     fmt_bytes(median([v.ws_bytes for v in vs]) or 0), fmt_s(res["cold"][name].total)])
    table(f"Time to first map, headless Chromium (median of {n} interleaved visits; fresh browser context each)",
          ["page", "median", "runs (s)", "boot", "server", "handover", "iframe", "ws bytes", "first visit"], rows,
          f"ratio app/floor: {ratio:.2f}  (goal ≤ 1.3)\n"
          "boot = navigation -> websocket open; server = websocket open -> map element received (script run up to "
          "st_folium + transfer);\nhandover = map element -> iframe start; iframe = iframe start -> first drawn "
          "feature; first visit = first visit after server start (caches cold)")
    table("Browser: other cases (time to first drawn feature)", ["case", "time"], res["other"])
    static = sorted({r.split("/app/static/", 1)[1] for r in res["requested"] if "/app/static/" in r})
    print(f"\nrequests to the app's /app/static: {static}")
    print(f"requests to other hosts (all aborted): {len(res['blocked'])} {sorted(set(res['blocked']))[:20]}")
    return {"floor_s": med["floor"], "app_s": med["app"], "ratio": ratio}


def main(runs: int = 5) -> dict[str, float]:
    if not bb.CHROMIUM.exists():
        print(f"\nTime to first map: skipped ({bb.CHROMIUM} not found)")
        return {}
    return print_report(measure(runs))
