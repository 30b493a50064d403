"""Attribution of the data sources, always shown (the user-facing lines of :mod:`geo.attribution`, from i18n)."""

from __future__ import annotations

import streamlit as st

from geo.attribution import attribution_lines
from ui.text import tr


def text(lang: str) -> str:
    """One Markdown paragraph of attributions."""
    return f"{tr('attribution.label', lang)}: {' · '.join(attribution_lines(lang))}"


def render(lang: str, *, where: object = st) -> None:
    """Write the attribution caption into ``where`` (st or st.sidebar)."""
    where.caption(text(lang))  # type: ignore[attr-defined]
