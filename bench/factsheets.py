"""Fact sheets and map pictures (issue 13): seconds per sheet and file size for every unit and language.

``python -m bench.factsheets`` (also part of ``make bench``). Prints tables; asserts nothing. Goals: each PDF and
PNG under 3 MB, each made in under 5 s on the 2-core machine. The one-time costs of a process (loading the data,
cutting the font subsets, the coverage analysis behind the access table) are shown apart: the app and the CLI pay
them once per process, then every sheet costs only its own time.
"""

from __future__ import annotations

import os
import statistics
import time

UNITS = ("city", "371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428",
         "371481", "371482", "tianqu")
GOAL_S = 5.0
GOAL_BYTES = 3 * 1024 * 1024


def _fmt(n: float) -> str:
    return f"{n / 1024:,.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MiB"


def _table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))


def run() -> dict[str, object]:
    """Build every sheet and picture once; print and return the figures."""
    load1, _, _ = os.getloadavg()
    t0 = time.perf_counter()
    from geo.load import load_all
    from reports import facts, factsheet

    t1 = time.perf_counter()
    data = load_all()
    t2 = time.perf_counter()
    factsheet.fonts_for(data)
    t3 = time.perf_counter()
    facts.access_rows(data, "city", "zh")
    t4 = time.perf_counter()
    _table(f"Fact sheets: one-time costs per process (load average {load1:.1f} on {os.cpu_count()} cores)",
           ["step", "time"],
           [["import reports (matplotlib, reportlab)", f"{t1 - t0:.2f} s"], ["load the data", f"{t2 - t1:.2f} s"],
            ["cut the font subsets (2 weights)", f"{t3 - t2:.2f} s"], ["coverage analysis", f"{t4 - t3:.2f} s"]])
    rows, pdf_s, png_s, pdf_cpu, png_cpu, sizes = [], [], [], [], [], []
    for unit in UNITS:
        for lang in ("zh", "en"):
            a, ac = time.perf_counter(), time.process_time()
            sheet = factsheet.build_sheet(data, unit, lang)
            b, bc = time.perf_counter(), time.process_time()
            pic = factsheet.build_png(data, unit, lang)
            c, cc = time.perf_counter(), time.process_time()
            pdf_s.append(b - a)
            png_s.append(c - b)
            pdf_cpu.append(bc - ac)
            png_cpu.append(cc - bc)
            sizes += [len(sheet.pdf), len(pic.png)]
            rows.append([unit, lang, f"{b - a:.2f} s ({bc - ac:.2f})", _fmt(len(sheet.pdf)), str(sheet.pages),
                         f"{sheet.body_pt:g} pt", f"{c - b:.2f} s ({cc - bc:.2f})", _fmt(len(pic.png))])
    _table("Per sheet (warm process): PDF and PNG, wall time (CPU time of this process)",
           ["unit", "lang", "PDF time", "PDF size", "pages", "text size", "PNG time", "PNG size"], rows)
    summary = {"pdf_median_s": statistics.median(pdf_s), "pdf_max_s": max(pdf_s),
               "png_median_s": statistics.median(png_s), "png_max_s": max(png_s),
               "pdf_cpu_max_s": max(pdf_cpu), "png_cpu_max_s": max(png_cpu), "max_bytes": max(sizes)}
    load_end, _, _ = os.getloadavg()
    _table(f"Fact sheets: summary (load average now {load_end:.1f}; on a shared machine wall time > CPU time)",
           ["figure", "now", "goal"],
           [["PDF per sheet, wall median / max", f"{summary['pdf_median_s']:.2f} s / {summary['pdf_max_s']:.2f} s",
             f"< {GOAL_S:g} s"],
            ["PDF per sheet, CPU max", f"{summary['pdf_cpu_max_s']:.2f} s", f"< {GOAL_S:g} s"],
            ["PNG per picture, wall median / max", f"{summary['png_median_s']:.2f} s / {summary['png_max_s']:.2f} s",
             f"< {GOAL_S:g} s"],
            ["PNG per picture, CPU max", f"{summary['png_cpu_max_s']:.2f} s", f"< {GOAL_S:g} s"],
            ["largest file", _fmt(summary["max_bytes"]), f"< {_fmt(GOAL_BYTES)}"]])
    return summary


if __name__ == "__main__":
    run()
