"""The data attribution in the user's language: the lines of i18n/<lang>/attribution.json, in a fixed order.

One source for every place that shows it: under the web maps (``ui/attribution.py``), in the exported map page,
the fact sheets and the map pictures (``reports/``). The words are the user's (source, licence, what it is); the
technical trail (package versions, files, conversions) stays in data/SOURCES.md and in the data files. No
Streamlit here.
"""

from __future__ import annotations

from i18n import t

#: The attribution lines, in the order shown (keys ``attribution.line.<name>`` in i18n).
LINES: tuple[str, ...] = ("plan", "counties", "town_list", "town_points", "town_areas", "rail", "power", "rivers",
                          "schematic")


def attribution_lines(lang: str = "en") -> tuple[str, ...]:
    """The attribution lines in ``lang`` (zh or en)."""
    return tuple(t(f"attribution.line.{name}", lang) for name in LINES)
