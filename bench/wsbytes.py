"""Bytes received over the Streamlit websocket per view, for a first visit (fresh session, nothing cached):
the city view with the default layers and with all layers, and each of the 12 unit views.

Counted twice, independently: in headless Chromium (Playwright ``page.on("websocket")`` -> ``framereceived``,
until the script run finished) and by the browser-less client (``bench.stclient``), which also gives the map
element's share and what websocket compression would send (the server's ``enableWebsocketCompression`` is off
by default, so today the payload is what goes over the wire).
"""

from __future__ import annotations

import asyncio
import csv
from typing import Any
from urllib.parse import urlencode

from bench import browser as bb
from bench.report import fmt_kb, table
from bench.stclient import Run, Session


def units() -> list[tuple[str, str]]:
    """(code, Chinese name) of the 12 units of data/units.csv (11 counties, tianqu), in file order; the city
    is not among them."""
    from geo.paths import DATA_DIR

    with open(DATA_DIR / "units.csv", encoding="utf-8", newline="") as f:
        return [(r["code"], r["name_zh"]) for r in csv.DictReader(f) if r["code"] != "city"]


def views() -> list[tuple[str, str, str]]:
    """(label, query string with the default layers, query string with all layers) per view."""
    from layers.map_builder import LAYER_KEYS

    every = {"layers": ",".join(LAYER_KEYS)}
    out = [("city", "", urlencode(every))]
    out += [(f"{u} {name}", urlencode({"unit": u}), urlencode({"unit": u, **every})) for u, name in units()]
    return out


async def _client_run(base_url: str, query: str) -> Run:
    async with Session(base_url, deflate=True) as s:
        return await s.rerun(query)


async def _client_pass(base_url: str) -> list[dict[str, Any]]:
    await _client_run(base_url, "")  # warm the server: every count below is of a cached view
    rows: list[dict[str, Any]] = []
    for label, q_default, q_all in views():
        row: dict[str, Any] = {"view": label, "query": q_default, "query_all": q_all}
        for key, q in (("default", q_default), ("all", q_all)):
            run = await _client_run(base_url, q)
            if not run.ok or not run.map_args:
                raise RuntimeError(f"view {label} ({q or 'default'}): {run.errors or 'no map element'}")
            row[key] = run
        rows.append(row)
    return rows


def measure(with_browser: bool = True) -> list[dict[str, Any]]:
    """One fresh session per view and layer set: the client counts all of them, then the browser the
    default-layer views and the city with all layers."""
    with bb.app_server() as srv:
        rows = asyncio.run(_client_pass(srv.url))
        if with_browser and bb.CHROMIUM.exists():
            from playwright.sync_api import sync_playwright

            from bench.firstmap import visit

            with sync_playwright() as p:
                browser = bb.launch(p)
                for row in rows:
                    row["browser_default"] = visit(browser, f"{srv.url}/?{row['query']}").ws_bytes
                    if row["view"] == "city":
                        row["browser_all"] = visit(browser, f"{srv.url}/?{row['query_all']}").ws_bytes
                browser.close()
    return rows


def print_report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Print the table; return bytes per view (client count) and the worst unit view."""
    out: dict[str, Any] = {}
    lines = []
    for r in rows:
        d, a = r["default"], r["all"]
        lines.append([r["view"], fmt_kb(r["browser_default"]) if "browser_default" in r else "–",
                      fmt_kb(d.bytes), fmt_kb(d.map_bytes), fmt_kb(d.deflated),
                      fmt_kb(r["browser_all"]) if "browser_all" in r else "–", fmt_kb(a.bytes),
                      fmt_kb(a.map_bytes), fmt_kb(a.deflated)])
        out[r["view"]] = {"default": d.bytes, "all": a.bytes}
    units = [r for r in rows if r["view"] != "city"]
    worst = max(units, key=lambda r: r["default"].bytes) if units else None
    note = ("browser = Chromium frames (Playwright); client = bench.stclient (same frames, no browser); map = the "
            "st_folium element;\ndeflated = each message deflated (permessage-deflate, if the server enabled it).\n"
            "kB = 1000 bytes; goals: city all layers ≤ 300 kB, default ≤ 200 kB, any county view ≤ 120 kB")
    if worst is not None:
        note += f"; largest unit view (default layers): {worst['view']} {fmt_kb(worst['default'].bytes)}"
    table("Websocket bytes received, first visit per view (fresh session)",
          ["view", "default: browser", "client", "map", "deflated", "all layers: browser", "client", "map",
           "deflated"], lines, note)
    return out


def main(with_browser: bool = True) -> dict[str, Any]:
    return print_report(measure(with_browser))
