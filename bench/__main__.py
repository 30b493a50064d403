"""``make bench`` / ``python -m bench [part …]``: prints figures, asserts nothing.

Parts (each runnable alone, e.g. ``python -m bench load --n 1,10,20,50``):

- ``mapbuild``  map payload per view, server build times, AppTest script times; app beside a naive build
- ``firstmap``  time to first drawn map in headless Chromium: app default view vs the floor page, interleaved
- ``ws``        websocket bytes per view (city default / all layers, 12 unit views)
- ``switch``    server time of a county switch over the real server, first time and cached
- ``load``      load harness: N browser-less sessions at once (open city, switch county, switch a layer on)
- ``scale``     the load harness through a sticky-session proxy in front of 1 and 2 app processes
- ``factsheets`` fact sheets and map pictures of every unit (reports/, issue 13)
- ``profile``   (on request only, not in ``make bench``) where a cached rerun spends its CPU: the app under
  cProfile inside each script run, plus the CPU of Streamlit's script threads outside the script

Offline: the browser has no internet at all (every non-local request is aborted, see bench/browser.py); Leaflet,
jQuery (and markercluster) come from the app's own /app/static/vendor. Ratios against the floor page measured in
the same run are the figures to compare across machines; absolute times drift on shared machines (the load
average is printed first).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from bench.report import fmt_kb, table

PARTS = ("mapbuild", "firstmap", "ws", "switch", "load", "scale", "factsheets")
ON_REQUEST = ("profile",)  # diagnostics: run only when named


def _ns(text: str) -> list[int]:
    try:
        ns = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from exc
    if not ns or min(ns) < 1:
        raise argparse.ArgumentTypeError(f"expected session counts ≥ 1, got {text!r}")
    return ns


def _summary(fig: dict[str, Any]) -> None:
    rows = []
    if fm := fig.get("firstmap"):
        rows.append(["time to first map, app / floor (median)", f"{fm['app_s']:.2f} s / {fm['floor_s']:.2f} s = "
                     f"{fm['ratio']:.2f}", "≤ 1.3"])
    if ws := fig.get("ws"):
        city = ws.get("city", {})
        units = [v["default"] for k, v in ws.items() if k != "city"]
        rows += [["websocket, city, default layers", fmt_kb(city.get("default", 0)), "≤ 200 kB"],
                 ["websocket, city, all layers", fmt_kb(city.get("all", 0)), "≤ 300 kB"],
                 ["websocket, largest unit view (default layers)", fmt_kb(max(units) if units else 0), "≤ 120 kB"]]
    if sw := fig.get("switch"):
        rows.append(["county switch, first / cached (median)",
                     f"{sw['first']['median_s']:.2f} s / {sw['cached']['median_s']:.2f} s", ""])
    if ld := fig.get("load"):
        for n, v in sorted(ld.items()):
            rows.append([f"load N={n}: flows/s, errors, server CPU/flow, RSS/session",
                         f"{v['flows_per_s']:.2f}, {v['errors']}, {v['cpu_per_flow']:.2f} s, "
                         f"{v['rss_per_session'] / 1e6:.1f} MB", "CPU ≤ 0.5 s, 0 errors, ≤ 20 MB"])
    if sc := fig.get("scale"):
        if 1 in sc and 2 in sc and sc[1]["flows_per_s"]:
            rows.append(["throughput 2 processes / 1 process", f"{sc[2]['flows_per_s'] / sc[1]['flows_per_s']:.2f}x "
                         f"({sc[1]['flows_per_s']:.2f} -> {sc[2]['flows_per_s']:.2f} flows/s)", ""])
    if rows:
        table("Summary (goals: issues 9 and 12)", ["figure", "now", "goal"], rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("parts", nargs="*", metavar="part", help=f"parts to run (default: all): {', '.join(PARTS)}; on request: {', '.join(ON_REQUEST)}")
    ap.add_argument("--runs", type=int, default=5, help="firstmap: interleaved visits per page (default 5)")
    ap.add_argument("--n", type=_ns, default=[1, 10, 20, 50], help="load: session counts (default 1,10,20,50)")
    ap.add_argument("--scale-n", type=int, default=20, help="scale: sessions per run (default 20)")
    ap.add_argument("--no-browser", action="store_true", help="ws: count with the browser-less client only")
    args = ap.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS + ON_REQUEST]
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS + ON_REQUEST)}")
    parts = args.parts or list(PARTS)
    load1, load5, _ = os.getloadavg()
    print(f"bench: {', '.join(parts)}; {os.cpu_count()} cores, load average {load1:.1f} (1 min) / {load5:.1f} "
          f"(5 min) at start")
    t0 = time.perf_counter()
    fig: dict[str, Any] = {}
    for part in parts:
        if part == "mapbuild":
            from bench import mapbuild
            mapbuild.main()
        elif part == "firstmap":
            from bench import firstmap
            fig[part] = firstmap.main(args.runs)
        elif part == "ws":
            from bench import wsbytes
            fig[part] = wsbytes.main(with_browser=not args.no_browser)
        elif part == "switch":
            from bench import switch
            fig[part] = switch.main()
        elif part == "load":
            from bench import load
            fig[part] = load.main(args.n)
        elif part == "scale":
            from bench import scale
            fig[part] = scale.main(args.scale_n)
        elif part == "factsheets":  # issue 13: fact sheets and map pictures
            from bench import factsheets
            factsheets.run()
        elif part == "profile":
            from bench import rerun_profile
            rerun_profile.main()
        sys.stdout.flush()
    _summary(fig)
    print(f"\nbench finished in {time.perf_counter() - t0:.0f} s; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
