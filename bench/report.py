"""Printing bench figures: byte sizes, seconds and plain-text tables (one format for every part)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def fmt_bytes(n: float) -> str:
    """``n`` bytes as KiB (or MiB from 1 MiB on)."""
    return f"{n / 1024:,.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MiB"


def fmt_kb(n: float) -> str:
    """``n`` bytes in kB of 1000 bytes (the unit of the speed goals)."""
    return f"{n / 1000:,.0f} kB"


def fmt_s(s: float | None, digits: int = 2) -> str:
    """Seconds, or '–' when not measured."""
    return "–" if s is None else f"{s:.{digits}f} s"


def median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def percentile(xs: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) of ``xs`` by linear interpolation, ``None`` for no values."""
    if not xs:
        return None
    s = sorted(xs)
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def table(title: str, header: list[str], rows: list[list[str]], note: str = "") -> None:
    """Print ``rows`` under ``header`` with aligned columns, a title line above and an optional note below."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip())
    if note:
        print(note)
