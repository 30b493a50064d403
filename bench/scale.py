"""Throughput beyond one process: the load harness (bench.load) through a sticky-session proxy
(bench.proxy) in front of 1, then 2 app processes on loopback, same N. Every process is warmed directly first.
The CPU share per process shows that the proxy spreads the sessions; with 2 cores the ceiling is about 2x
(the harness and the proxy run on the same cores).

The processes share one review store, as in a deployment (docs/DEPLOY.md): ``PLANMAP_DB`` when set, else a fresh
schema on the PostgreSQL server of ``PLANMAP_TEST_PG`` (``eval "$(.ci/pg_cluster.sh start)"``; dropped afterwards),
else one SQLite file in a temporary directory (said in the report: fine on one machine, not a deployment)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import Any

from bench import procstat
from bench.load import LEVEL_HEADER, Level, level_rows, run_level, warm_up
from bench.pg_schema import fresh_pg_schema
from bench.report import table


@contextlib.contextmanager
def shared_store() -> Iterator[tuple[str, str]]:
    """(URL, kind) of the review store the processes share: ``PLANMAP_DB``, a fresh PostgreSQL schema on
    ``PLANMAP_TEST_PG`` (dropped on exit) or a temporary SQLite file."""
    if os.environ.get("PLANMAP_DB"):
        yield os.environ["PLANMAP_DB"], "PLANMAP_DB"
        return
    server = os.environ.get("PLANMAP_TEST_PG", "")
    if not server:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/scale-store.sqlite", "SQLite file (no PLANMAP_TEST_PG: not a deployment)"
        return
    with fresh_pg_schema(server, prefix="bench_") as url:
        yield url, "PostgreSQL (PLANMAP_TEST_PG, fresh schema)"


STORE_KIND: list[str] = []
"""The kind of store the last :func:`measure` shared (for the report)."""


def measure(n: int = 20, procs: tuple[int, ...] = (1, 2)) -> list[tuple[int, Level, list[float], float]]:
    """For each process count: (count, the level, CPU seconds per process, proxy CPU seconds)."""
    from bench.browser import app_server
    from bench.proxy import running_proxy

    out = []
    for k in procs:
        with contextlib.ExitStack() as stack:
            url, kind = stack.enter_context(shared_store())
            STORE_KIND[:] = [kind]
            servers = [stack.enter_context(app_server(env={"PLANMAP_DB": url})) for _ in range(k)]
            for s in servers:
                asyncio.run(warm_up(s.url))
            proxy = stack.enter_context(running_proxy([s.url for s in servers]))
            cpu0 = [procstat.cpu_seconds(s.pid) for s in servers]
            pcpu0 = procstat.cpu_seconds(proxy.pid)
            level = asyncio.run(run_level(proxy.url, n, [s.pid for s in servers]))
            cpu = [procstat.cpu_seconds(s.pid) - c for s, c in zip(servers, cpu0, strict=True)]
            out.append((k, level, cpu, procstat.cpu_seconds(proxy.pid) - pcpu0))
    return out


def print_report(res: list[tuple[int, Level, list[float], float]]) -> dict[str, Any]:
    rows = []
    for k, level, _, _ in res:
        rows += level_rows([level], label=f"{k}")
    base = res[0][1].done / res[0][1].wall if res and res[0][1].wall else 0.0
    notes = []
    for k, level, cpu, pcpu in res:
        total = sum(cpu) or 1.0
        rate = level.done / level.wall
        notes.append(f"{k} process(es): {rate:.2f} flows/s = {rate / base if base else float('nan'):.2f}x; "
                     f"CPU share per process {' / '.join(f'{c / total:.0%}' for c in cpu)}; proxy CPU "
                     f"{pcpu / level.n:.3f} s/flow")
    notes.append(f"shared review store: {STORE_KIND[0] if STORE_KIND else '?'}; load average now "
                 f"{os.getloadavg()[0]:.1f}")
    table(f"Scale: N={res[0][1].n if res else 0} sessions through a sticky-session proxy (bench.proxy) in front of "
          "1 and 2 app processes", ["processes", *LEVEL_HEADER], rows, "\n".join(notes))
    return {k: {"flows_per_s": lv.done / lv.wall, "errors": len(lv.errors)} for k, lv, _, _ in res}


def main(n: int = 20) -> dict[str, Any]:
    return print_report(measure(n))
