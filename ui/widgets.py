"""Arguments that make Streamlit's choice widgets speak the interface language."""

from __future__ import annotations

from typing import TypedDict

from ui.text import tr


class MultiselectText(TypedDict, total=False):
    """Keyword arguments of ``st.multiselect`` set by :func:`multiselect_text`."""

    placeholder: str
    select_all: bool


def multiselect_text(lang: str) -> MultiselectText:
    """``placeholder`` in ``lang`` (Streamlit's default is English "Choose options"). Streamlit 1.67 draws the
    dropdown's "Select all" row with English text built into its frontend, which no argument translates: in the
    Chinese interface that row is switched off (``select_all=False``); English keeps it."""
    kw: MultiselectText = {"placeholder": tr("choose.many", lang)}
    if lang != "en":
        kw["select_all"] = False
    return kw
