"""Server time for a county switch over the real server (browser-less client, loopback): one session opens the
city view, then switches to each of the 12 units (first time: the view is built), then to each again (cached);
time from the request to ``script_finished``, the server's CPU seconds and the bytes sent per switch."""

from __future__ import annotations

import asyncio
from typing import Any

from bench import procstat
from bench.report import fmt_bytes, fmt_s, median, table
from bench.stclient import Session


async def _switches(base_url: str, pid: int) -> dict[str, list[tuple[float, float, int]]]:
    out: dict[str, list[tuple[float, float, int]]] = {"first": [], "cached": []}
    async with Session(base_url) as s:
        run = await s.rerun("")
        if not run.ok:
            raise RuntimeError(f"city view failed: {run.errors}")
        labels = list(s.widget("unit").options[1:])
        for case in ("first", "cached"):
            for label in labels:
                s.set("unit", label)
                cpu0 = procstat.cpu_seconds(pid)
                run = await s.rerun()
                cpu = procstat.cpu_seconds(pid) - cpu0
                if not run.ok or not run.map_args or not any(label in t for t in run.texts):
                    raise RuntimeError(f"switch to {label} ({case}): {run.errors or 'no map / heading'}")
                out[case].append((run.seconds, cpu, run.bytes))
    return out


def measure() -> dict[str, list[tuple[float, float, int]]]:
    """A fresh server; the city view first (data loaded and cached), then the switches."""
    from bench.browser import app_server

    with app_server() as srv:
        return asyncio.run(_switches(srv.url, srv.pid))


def print_report(res: dict[str, list[tuple[float, float, int]]]) -> dict[str, Any]:
    rows, out = [], {}
    for case, label in (("first", "first time (view built)"), ("cached", "view seen before (cache hit)")):
        xs = res[case]
        t = [x[0] for x in xs]
        cpu = [x[1] for x in xs]
        rows.append([label, fmt_s(median(t)), fmt_s(max(t) if t else None), fmt_s(median(cpu)),
                     fmt_bytes(median([x[2] for x in xs]) or 0)])
        out[case] = {"median_s": median(t), "max_s": max(t) if t else None, "cpu_s": median(cpu)}
    table(f"Server: county switch in a running session (real server, {len(res['first'])} units)",
          ["case", "median", "max", "server CPU", "bytes sent"], rows,
          "time = request -> script_finished on loopback (server time; transfer is negligible here)")
    return out


def main() -> dict[str, Any]:
    return print_report(measure())
