"""Where a cached rerun spends the server's CPU (``python -m bench profile``; on request, not in ``make bench``).

The app runs under :mod:`bench.profiled_server` (CPU seconds per thread name) with :mod:`bench.profiled_app` as its
script (cProfile inside each script run: Streamlit runs each run in its own thread, where a profiler started in the
main thread sees nothing). After one warm-up flow per unit, ``flows`` load-harness flows run one after the other
(open city, switch county, switch a layer on). Printed: the server's CPU per flow split into the script itself,
the rest of the script threads (Streamlit's work before and after each run) and everything else (event loop:
websocket, compression), then the functions with the most cumulative and own CPU inside the script runs.
The raw profiles stay in artifacts/profile/ (``python -m pstats``)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import procstat
from bench.browser import free_port, stop, wait_healthy
from bench.load import _close, run_flow, warm_up

ROOT = Path(__file__).resolve().parent.parent


def _start(out: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "profiled_server.py"), "run", str(ROOT / "bench" / "profiled_app.py"),
           "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    log = open(out / "server.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PLANMAP_PROFILE_DIR": str(out)}, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, timeout_s=120, hint=f"; see {out / 'server.log'}")
    except BaseException:
        stop(proc)
        raise
    return proc, url


def measure(flows: int = 8, *, out: Path | None = None) -> dict[str, Any]:
    """Profile ``flows`` warmed flows; returns CPU seconds per flow (``process``, ``script``, ``script_threads``)
    and the merged :class:`pstats.Stats` of the script runs (``stats``)."""
    out = out or ROOT / "artifacts" / "profile"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    proc, url = _start(out)
    try:
        asyncio.run(warm_up(url))
        time.sleep(0.5)
        for p in out.glob("run_*"):
            p.unlink()
        proc.send_signal(signal.SIGUSR1)
        time.sleep(0.2)
        cpu0 = procstat.cpu_seconds(proc.pid)

        async def _flows() -> int:
            errors = 0
            for i in range(flows):
                f = await run_flow(url, i)
                errors += len(f.errors)
                await _close([f])
            return errors

        errors = asyncio.run(_flows())
        time.sleep(0.5)
        cpu = procstat.cpu_seconds(proc.pid) - cpu0
        proc.send_signal(signal.SIGUSR2)
        time.sleep(0.5)
        threads = json.loads((out / "threads.json").read_text())
    finally:
        stop(proc)
    runs = sorted(out.glob("run_*.prof"))
    times = [tuple(map(float, p.with_suffix(".txt").read_text().split())) for p in runs]
    stats = pstats.Stats(*map(str, runs), stream=io.StringIO()) if runs else None
    script_threads = threads.get("ScriptRunner.scriptThread", 0.0)
    return {"flows": flows, "errors": errors, "runs": len(runs), "process": cpu / flows,
            "script": sum(t[1] for t in times) / flows, "script_threads": script_threads / flows,
            "run_wall_median": statistics.median(t[0] for t in times) if times else 0.0, "stats": stats}


def print_report(res: dict[str, Any], top: int = 30) -> None:
    n = res["flows"]
    print(f"\nProfile of cached reruns: {n} flows (open city, switch county, switch a layer on) one after the "
          f"other, {res['runs']} script runs, {res['errors']} errors")
    print(f"  server CPU per flow {res['process']:.3f} s = script {res['script']:.3f} s (under cProfile) "
          f"+ rest of the script threads {res['script_threads'] - res['script']:.3f} s "
          f"+ other threads (event loop: websocket, compression) {res['process'] - res['script_threads']:.3f} s")
    print(f"  script run wall time, median {res['run_wall_median']:.3f} s")
    st = res["stats"]
    if st is None:
        return
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        st.stream = buf
        st.sort_stats(key).print_stats(top)
        text = buf.getvalue()
        print(text[text.find("   Ordered by"):] if "   Ordered by" in text else text)


def main(flows: int = 8) -> dict[str, Any]:
    res = measure(flows)
    print_report(res)
    return {k: v for k, v in res.items() if k != "stats"}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
