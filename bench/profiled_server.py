"""``python bench/profiled_server.py <streamlit arguments>``: Streamlit with the CPU seconds of its threads counted
by thread name (``python -m bench profile`` uses it). SIGUSR1 resets the counts, SIGUSR2 writes them to
``$PLANMAP_PROFILE_DIR/threads.json``. Threads still running when the counts are written are not counted;
Streamlit's script threads end with their run. Not part of the app."""

from __future__ import annotations

import collections
import json
import os
import runpy
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

_OUT = Path(os.environ.get("PLANMAP_PROFILE_DIR", "artifacts/profile"))
_cpu: collections.Counter[str] = collections.Counter()
_lock = threading.Lock()
_run = threading.Thread.run


def _counted_run(self: threading.Thread) -> None:
    t0 = time.thread_time()
    try:
        _run(self)
    finally:
        with _lock:
            _cpu[self.name.split("-")[0]] += time.thread_time() - t0


def _reset(*_: Any) -> None:
    with _lock:
        _cpu.clear()


def _dump(*_: Any) -> None:
    with _lock:
        (_OUT / "threads.json").write_text(json.dumps(dict(_cpu)))


if __name__ == "__main__":
    threading.Thread.run = _counted_run  # type: ignore[method-assign]
    signal.signal(signal.SIGUSR1, _reset)
    signal.signal(signal.SIGUSR2, _dump)
    sys.argv = ["streamlit", *sys.argv[1:]]
    runpy.run_module("streamlit", run_name="__main__")
