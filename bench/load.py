"""Load harness: N sessions without a browser (``bench.stclient``) run one flow each, all at once, against a real
app server: open the city view, switch to a county, switch a layer on. Reports sessions per second, p50/p95/max
per step, errors, the server's CPU per flow and memory per session (from /proc of the server process).

A step counts as done only when its script run finished (``script_finished``, success) and the map element
arrived; the county switch must also show the county's name in the map heading and ``unit=`` in the URL, the
layer switch a different map with the layer in the URL. Exceptions, error boxes, timeouts and closed sockets are
errors; a flow stops at its first error.

Each level N gets a fresh server, warmed first by one flow per unit (every view the flows use is then cached,
as on a server that has been up for a while); that first flow on the cold server is reported as well.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench import procstat
from bench.report import fmt_bytes, median, percentile, table
from bench.stclient import ProtocolError, Run, Session

STEPS = ("load", "switch", "toggle")
TOGGLE_LAYER = "water"
"""The layer the flow switches on (off in the default view)."""


@dataclass
class Flow:
    """One session's flow: seconds per step done, errors (the flow stops at the first), payload bytes."""

    times: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0
    session: Session | None = None


def visitor_cookie(base_url: str) -> str | None:
    """GET the page as a browser does first; return the cookies it sets (``name=value; …``) or ``None``
    (a sticky-session proxy answers with its routing cookie)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(base_url.rstrip("/") + "/", timeout=60) as resp:
        resp.read()
        cookies = [c.split(";", 1)[0].strip() for c in resp.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies) or None


def _check(run: Run, what: str) -> None:
    if run.errors:
        raise ProtocolError("; ".join(run.errors[:3]))
    if not run.map_args:
        raise ProtocolError(f"{what}: the script run finished without the map element")


async def run_flow(base_url: str, unit_index: int, *, timeout_s: float = 300.0) -> Flow:
    """Open the city view, switch to unit number ``unit_index`` (of the unit selector, after the city), switch
    :data:`TOGGLE_LAYER` on. The session stays open (``flow.session``) until the caller closes it."""
    flow = Flow()
    step = "load"
    try:
        t0 = time.perf_counter()
        cookie = await asyncio.to_thread(visitor_cookie, base_url)
        s = flow.session = Session(base_url, cookie=cookie, timeout_s=timeout_s)
        await s.connect()
        run = await s.rerun("")
        flow.bytes += run.bytes
        _check(run, step)
        flow.times[step] = time.perf_counter() - t0

        step = "switch"
        units = s.widget("unit")
        label = units.options[1 + unit_index % (len(units.options) - 1)]
        s.set("unit", label)
        run = await s.rerun()
        flow.bytes += run.bytes
        _check(run, step)
        if not any(label in t for t in run.texts) or "unit=" not in run.query_string:
            raise ProtocolError(f"switch to {label}: heading or URL do not show it ({run.query_string!r})")
        flow.times[step] = run.seconds
        before = run.map_args

        step = "toggle"
        s.set(f"layer__{TOGGLE_LAYER}", True)
        run = await s.rerun()
        flow.bytes += run.bytes
        _check(run, step)
        if run.map_args == before or TOGGLE_LAYER not in run.query_string:
            raise ProtocolError(f"layer {TOGGLE_LAYER!r} on: the map or URL did not change ({run.query_string!r})")
        flow.times[step] = run.seconds
    except (ProtocolError, KeyError, ValueError, OSError) as exc:
        flow.errors.append(f"{step}: {type(exc).__name__}: {exc}")
    return flow


@dataclass
class Level:
    """N concurrent flows: wall time (s), flows, server CPU seconds used, server RSS before, with the sessions
    open and after they closed (bytes), the harness' own CPU seconds."""

    n: int
    wall: float
    flows: list[Flow]
    cpu: float
    rss_before: int
    rss_open: int
    rss_after: int
    client_cpu: float

    @property
    def errors(self) -> list[str]:
        return [e for f in self.flows for e in f.errors]

    @property
    def done(self) -> int:
        return sum(1 for f in self.flows if not f.errors)

    def step_times(self, step: str) -> list[float]:
        return [f.times[step] for f in self.flows if step in f.times]


async def _close(flows: list[Flow]) -> None:
    for f in flows:
        if f.session is not None:
            try:
                await f.session.close()
            except Exception:  # closing a broken session must not hide the figures
                pass
            f.session = None


async def run_level(base_url: str, n: int, pids: list[int], *, timeout_s: float = 300.0) -> Level:
    """``n`` flows at once against ``base_url`` (unit ``i`` for flow ``i``); CPU and memory of ``pids``."""
    import os

    me = os.getpid()
    cpu0 = sum(procstat.cpu_seconds(p) for p in pids)
    rss0 = sum(procstat.rss_bytes(p) for p in pids)
    my0 = procstat.cpu_seconds(me)
    t0 = time.perf_counter()
    flows = list(await asyncio.gather(*(run_flow(base_url, i, timeout_s=timeout_s) for i in range(n))))
    wall = time.perf_counter() - t0
    cpu = sum(procstat.cpu_seconds(p) for p in pids) - cpu0
    rss_open = sum(procstat.rss_bytes(p) for p in pids)
    client_cpu = procstat.cpu_seconds(me) - my0
    await _close(flows)
    await asyncio.sleep(1.0)
    rss_after = sum(procstat.rss_bytes(p) for p in pids)
    return Level(n, wall, flows, cpu, rss0, rss_open, rss_after, client_cpu)


async def warm_up(base_url: str, units: int = 12) -> Flow:
    """One flow per unit, one after the other: every view the flows use gets built and cached. Returns the
    first flow (cold server)."""
    first = None
    for i in range(units):
        f = await run_flow(base_url, i)
        await _close([f])
        if f.errors:
            raise RuntimeError(f"warm-up flow {i} failed: {f.errors}")
        first = first or f
    assert first is not None
    return first


def measure(ns: list[int]) -> dict[str, Any]:
    """For each N in ``ns``: a fresh app server, warm-up, then N flows at once."""
    from bench.browser import app_server

    out: dict[str, Any] = {"levels": [], "cold": None}
    for n in ns:
        with app_server() as srv:
            cpu0 = procstat.cpu_seconds(srv.pid)
            cold_flow = asyncio.run(_first_flow(srv.url))
            cold_cpu = procstat.cpu_seconds(srv.pid) - cpu0
            if out["cold"] is None:
                out["cold"] = (cold_flow, cold_cpu)
            asyncio.run(warm_up(srv.url))
            out["levels"].append(asyncio.run(run_level(srv.url, n, [srv.pid])))
    return out


async def _first_flow(base_url: str) -> Flow:
    f = await run_flow(base_url, 0)
    await _close([f])
    return f


def _pct(xs: list[float]) -> str:
    if not xs:
        return "–"
    return f"{percentile(xs, 0.5):.2f} / {percentile(xs, 0.95):.2f} / {max(xs):.2f}"


def level_rows(levels: list[Level], label: str = "") -> list[list[str]]:
    """Table rows for :func:`print_report` (one per level)."""
    rows = []
    for lv in levels:
        rows.append([*([label] if label else []), str(lv.n), f"{lv.done / lv.wall:.2f}", f"{lv.wall:.1f} s",
                     *[_pct(lv.step_times(s)) for s in STEPS], f"{len(lv.errors)}",
                     f"{lv.cpu / lv.n:.2f} s", fmt_bytes((lv.rss_open - lv.rss_before) / lv.n),
                     fmt_bytes(lv.rss_before), f"{lv.client_cpu / lv.n:.2f} s"])
    return rows


LEVEL_HEADER = ["N", "flows/s", "wall", "load p50/p95/max (s)", "switch p50/p95/max", "toggle p50/p95/max",
                "errors", "server CPU/flow", "RSS/session", "RSS base", "harness CPU/flow"]


def print_report(res: dict[str, Any]) -> dict[str, Any]:
    """Print the load table; return the figures by N."""
    levels: list[Level] = res["levels"]
    cold, cold_cpu = res["cold"]
    table("Load: N sessions at once, each: open city view -> switch county -> switch a layer on (no browser; "
          "fresh server per N, warmed)", LEVEL_HEADER, level_rows(levels),
          f"cold server, first flow: load {cold.times.get('load', 0):.2f} s, switch {cold.times.get('switch', 0):.2f} s, "
          f"toggle {cold.times.get('toggle', 0):.2f} s, server CPU {cold_cpu:.2f} s"
          f"{'; errors: ' + '; '.join(cold.errors) if cold.errors else ''}\n"
          "flows/s = completed flows / wall time; RSS/session = (server RSS with the N sessions open - before) / N; "
          f"goals: server CPU/flow ≤ 0.5 s, 0 errors at 50, RSS/session ≤ 20 MB")
    for lv in levels:
        if lv.errors:
            print(f"  N={lv.n} errors (first 5): " + " | ".join(sorted(set(lv.errors))[:5]))
    return {lv.n: {"flows_per_s": lv.done / lv.wall, "errors": len(lv.errors), "cpu_per_flow": lv.cpu / lv.n,
                   "rss_per_session": (lv.rss_open - lv.rss_before) / lv.n,
                   **{f"{s}_p50": median(lv.step_times(s)) for s in STEPS}} for lv in levels}


def main(ns: list[int]) -> dict[str, Any]:
    return print_report(measure(ns))
