"""Search box: Chinese, pinyin (full or initials) or English; picking a hit selects it and flies the map there."""

from __future__ import annotations

import streamlit as st

from geo.load import PlanData
from geo.search import SearchHit, SearchIndex
from ui.text import name, tr


def _pick() -> None:
    key = st.session_state.get("search_pick")
    if key:
        st.session_state["selected"] = st.session_state["map_focus"] = key


def render(index: SearchIndex, lang: str) -> list[SearchHit]:
    """Text input + result picker (in the current container). Returns the hits shown."""
    q = st.text_input(tr("search.label", lang), key="search_q", placeholder=tr("search.placeholder", lang))
    hits = index.search(q, limit=15) if q else []
    if q and not hits:
        st.caption(tr("search.none", lang))
    if hits:
        labels: dict[str, str] = {
            h.key: f"{name(h.name_zh, h.name_en, lang)} · {tr('search.kind.' + h.kind, lang)}" for h in hits
        }
        st.selectbox(tr("search.results", lang, n=len(hits)), options=list(labels), index=None,
                     format_func=lambda k: labels.get(k, k), key="search_pick", on_change=_pick,
                     placeholder=tr("search.pick", lang))
    return hits


def hit_label(data: PlanData, key: str, lang: str) -> str:
    """Display name of an item id or town code."""
    items = data.items
    hit = items[items["id"] == key] if len(items) else items
    if len(hit):
        return name(hit["name_zh"].iloc[0], hit["name_en"].iloc[0], lang)
    towns = data.towns
    hit = towns[towns["code"].astype(str) == key] if len(towns) else towns
    if len(hit):
        return name(hit["name_zh"].iloc[0], hit["name_en"].iloc[0], lang)
    return key
