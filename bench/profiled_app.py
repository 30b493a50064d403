"""The app under cProfile, one profile per script run (``python -m bench profile`` starts the server with this
script). Streamlit runs each script run in its own ScriptRunner thread, where a profiler enabled in the main thread
sees nothing; here the profiler is enabled inside the run itself. Each run's stats go to
``$PLANMAP_PROFILE_DIR/run_<n>.prof`` (with the run's wall and thread CPU seconds in ``run_<n>.txt``).
Not part of the app: the app never imports it."""

from __future__ import annotations

import cProfile
import os
import runpy
import sys
import threading
import time
from pathlib import Path

_APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"
if str(_APP.parent) not in sys.path:  # streamlit puts the script's own folder (bench/) on the path
    sys.path.insert(0, str(_APP.parent))
_OUT = Path(os.environ.get("PLANMAP_PROFILE_DIR", "artifacts/profile"))
_OUT.mkdir(parents=True, exist_ok=True)
_n = int(time.time() * 1000) * 1000 + threading.get_ident() % 1000

prof = cProfile.Profile(time.thread_time)  # CPU of this thread: waits for the GIL or a lock do not count
t0, c0 = time.perf_counter(), time.thread_time()
prof.enable()
try:
    runpy.run_path(str(_APP), run_name="__main__")
finally:
    prof.disable()
    wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
    prof.dump_stats(_OUT / f"run_{_n}.prof")
    (_OUT / f"run_{_n}.txt").write_text(f"{wall:.4f} {cpu:.4f}\n")
