"""The data attribution in the user's language, from data/SOURCES.md (section "Attribution shown in the app").

One source for every place that shows it: under the web maps (``ui/attribution.py``), in the fact sheets and on
the map pictures (``reports/``). No Streamlit here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from geo.paths import DATA_DIR

_HEADINGS = {"en": "English", "zh": "中文"}


@cache
def attribution_lines(lang: str = "en", sources: Path | None = None) -> tuple[str, ...]:
    """The bullet lines of the "Attribution shown in the app" section of data/SOURCES.md (``sources``) in ``lang``
    (its ``### English`` / ``### 中文`` subsection), empty if absent."""
    p = sources or DATA_DIR / "SOURCES.md"
    if not p.is_file():
        return ()
    text = p.read_text(encoding="utf-8")
    m = re.search(r"^##\s*Attribution shown in the app.*?$(.*?)(?=^##\s|\Z)", text, flags=re.M | re.S)
    if not m:
        return ()
    sub = re.search(rf"^###\s*{_HEADINGS.get(lang, 'English')}\s*$(.*?)(?=^###\s|\Z)", m.group(1), flags=re.M | re.S)
    if sub:
        m = sub
    out = []
    for line in m.group(1).splitlines():
        line = line.strip()
        if line.startswith(("-", "*")):
            out.append(line.lstrip("-* ").strip())
        elif line and not out:
            out.append(line)
    # relative links point into the repository, not the app: keep their text only
    return tuple(re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", x) for x in out if x)
