"""Attribution of the data sources, always shown (text from data/SOURCES.md via :mod:`geo.attribution`)."""

from __future__ import annotations

import streamlit as st

from geo.attribution import attribution_lines
from ui.text import tr


def text(lang: str) -> str:
    """One Markdown paragraph of attributions."""
    items = attribution_lines(lang)
    body = " · ".join(items) if items else tr("attribution.default", lang)
    return f"{tr('attribution.label', lang)}: {body}"


def render(lang: str, *, where: object = st) -> None:
    """Write the attribution caption into ``where`` (st or st.sidebar)."""
    where.caption(text(lang))  # type: ignore[attr-defined]
