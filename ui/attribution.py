"""Attribution of the data sources, always shown (text from data/SOURCES.md, section "Attribution shown in the app")."""

from __future__ import annotations

import re
from functools import cache

import streamlit as st

from geo.paths import DATA_DIR
from ui.text import tr


@cache
def lines_from_sources() -> tuple[str, ...]:
    """The bullet lines of the "Attribution shown in the app" section of data/SOURCES.md (empty if absent)."""
    p = DATA_DIR / "SOURCES.md"
    if not p.is_file():
        return ()
    text = p.read_text(encoding="utf-8")
    m = re.search(r"^#+\s*Attribution shown in the app.*?$(.*?)(?=^#+\s|\Z)", text, flags=re.M | re.S)
    if not m:
        return ()
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
    items = lines_from_sources()
    body = " · ".join(items) if items else tr("attribution.default", lang)
    return f"{tr('attribution.label', lang)}: {body}"


def render(lang: str, *, where: object = st) -> None:
    """Write the attribution caption into ``where`` (st or st.sidebar)."""
    where.caption(text(lang))  # type: ignore[attr-defined]
