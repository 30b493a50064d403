"""Attribution of the data sources, always shown (text from data/SOURCES.md, section "Attribution shown in the app")."""

from __future__ import annotations

import re
from functools import cache

import streamlit as st

from geo.paths import DATA_DIR
from ui.text import tr

_HEADINGS = {"en": "English", "zh": "中文"}


@cache
def lines_from_sources(lang: str = "en") -> tuple[str, ...]:
    """The bullet lines of the "Attribution shown in the app" section of data/SOURCES.md in ``lang``
    (its ``### English`` / ``### 中文`` subsection), empty if absent."""
    p = DATA_DIR / "SOURCES.md"
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


def text(lang: str) -> str:
    """One Markdown paragraph of attributions."""
    items = lines_from_sources(lang)
    body = " · ".join(items) if items else tr("attribution.default", lang)
    return f"{tr('attribution.label', lang)}: {body}"


def render(lang: str, *, where: object = st) -> None:
    """Write the attribution caption into ``where`` (st or st.sidebar)."""
    where.caption(text(lang))  # type: ignore[attr-defined]
