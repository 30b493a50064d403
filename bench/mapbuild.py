"""Map build, app beside a naive build (bench/naive.py): map payload per view, static assets, server build times
(cold first load in a fresh interpreter, warm county switch) and the whole app script in AppTest."""

from __future__ import annotations

import copy
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.report import fmt_bytes as _fmt_bytes
from bench.report import table as _table

ROOT = Path(__file__).resolve().parent.parent


def _cold(kind: str) -> None:
    """Run in a fresh interpreter: import, load, build the city map (default layers), render; print JSON times."""
    t0 = time.perf_counter()
    from ui.data import load_plan_data

    if kind == "app":
        from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS, build_map
        layers = [k for k in LAYER_KEYS if k in set(DEFAULT_LAYERS)]
    else:
        from bench.naive import build_map
        from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS
        layers = [k for k in LAYER_KEYS if k in set(DEFAULT_LAYERS)]
    t1 = time.perf_counter()
    data = load_plan_data()
    t2 = time.perf_counter()
    m = build_map(data, unit="city", layers=layers)
    t3 = time.perf_counter()
    html = m.get_root().render()
    t4 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "load": t2 - t1, "build": t3 - t2, "render": t4 - t3, "total": t4 - t0,
                      "bytes": len(html.encode("utf-8"))}))


def _run_cold(kind: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.mapbuild", "--cold", kind], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from bench import naive
    from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS, build_map
    from ui.data import load_plan_data
    from ui.map_view import LOCAL_ASSETS, VENDOR, map_html, prepared

    data = load_plan_data()
    units = ["city"] + [str(c) for c in data.units["code"] if c != "city"]
    names = dict(zip(data.units["code"].astype(str), data.units["name_zh"], strict=True))
    default = [k for k in LAYER_KEYS if k in set(DEFAULT_LAYERS)]
    print(f"data: {len(data.items)} items, {len(data.towns)} towns, {len(data.counties)} counties; "
          f"layers: all = {len(LAYER_KEYS)}, default = {len(default)}")

    # 1. payload per view (all layers): the map HTML the app renders for st_folium (assets linked from
    # /app/static/vendor, fetched once and cached by the browser), the exported standalone HTML (assets inline),
    # and the naive builder's HTML (assets linked)
    rows = []
    for u in units:
        m = build_map(data, unit=u, layers=LAYER_KEYS)
        a = len(prepared(m).get_root().render().encode("utf-8"))
        e = len(map_html(m).encode("utf-8"))
        n = len(naive.build_map(data, unit=u, layers=LAYER_KEYS).get_root().render().encode("utf-8"))
        rows.append([f"{u} {names.get(u, '')}", _fmt_bytes(a), _fmt_bytes(e), _fmt_bytes(n), f"{n / a:.1f}x"])
    _table("Map payload per view (all layers)", ["view", "app map", "export (inline)", "naive", "naive/app"], rows)
    used = [r for r in dict.fromkeys(LOCAL_ASSETS.values()) if "markercluster" not in r]
    _table("Static assets served once from /app/static/vendor (browser-cached)", ["file", "bytes"],
           [[r, _fmt_bytes((VENDOR / r).stat().st_size)] for r in dict.fromkeys(LOCAL_ASSETS.values())]
           + [["per map page without clusters", _fmt_bytes(sum((VENDOR / r).stat().st_size for r in used))]])

    # 2. server time: cold first load (fresh interpreter) and warm county switch
    cold_app, cold_naive = _run_cold("app"), _run_cold("naive")
    rows = [[k, f"{cold_app[k]:.2f} s", f"{cold_naive[k]:.2f} s"] for k in ("import", "load", "build", "render",
                                                                           "total")]
    _table("Server: first load, cold (fresh process; city, default layers)", ["step", "app", "naive"], rows)

    counties = [u for u in units if u != "city"]
    app_switch, app_hit, naive_switch = [], [], []
    cache: dict[str, object] = {}
    for u in counties:
        t0 = time.perf_counter()
        m = build_map(data, unit=u, layers=default)
        copy.deepcopy(m).get_root().render()
        app_switch.append(time.perf_counter() - t0)
        cache[u] = m
    for u in counties:  # the same views again: the app's cache_resource hit = copy + render only
        t0 = time.perf_counter()
        copy.deepcopy(cache[u]).get_root().render()
        app_hit.append(time.perf_counter() - t0)
    for u in counties:  # no caching at all: reload the data, build, render
        t0 = time.perf_counter()
        d = load_plan_data()
        naive.build_map(d, unit=u, layers=default).get_root().render()
        naive_switch.append(time.perf_counter() - t0)
    rows = [["county switch, first time (data warm)", f"{statistics.median(app_switch):.3f} s",
             f"{statistics.median(naive_switch):.3f} s"],
            ["county switch, view seen before (cache hit)", f"{statistics.median(app_hit):.3f} s",
             f"{statistics.median(naive_switch):.3f} s (no cache)"]]
    _table(f"Map build only (no Streamlit): county switch = build + one render, median over {len(counties)} units "
           "(default layers)", ["case", "app", "naive"], rows)

    # 2b. the whole Streamlit script (AppTest, in-process): first run and a county switch
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    runs = []
    for u in counties:
        t0 = time.perf_counter()
        at.selectbox(key="unit").set_value(u).run()
        runs.append(time.perf_counter() - t0)
    repeat = []
    for u in counties[:4]:
        t0 = time.perf_counter()
        at.selectbox(key="unit").set_value(u).run()
        repeat.append(time.perf_counter() - t0)
    _table("Server: the app script (map tab open), AppTest in this process",
           ["case", "time"],
           [["first run (Streamlit caches cold: load, index, build)", f"{first:.2f} s"],
            [f"county switch, median over {len(runs)} units, first visit", f"{statistics.median(runs):.2f} s"],
            ["county switch, view seen before", f"{statistics.median(repeat):.2f} s"]])





if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--cold":
        _cold(sys.argv[2])
    else:
        main()
