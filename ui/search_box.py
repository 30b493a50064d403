"""Search box: Chinese, pinyin (full or initials) or English; units first. Picking a unit opens it (the county
box follows); picking an item or town selects it and the map zooms to it as precisely as it is located. The search
covers the whole city: a thing of another county opens that county (city-wide when it belongs to several), so the
map never zooms into an empty corner of the wrong county."""

from __future__ import annotations

import streamlit as st

from geo.load import PlanData
from geo.search import SearchHit, SearchIndex
from geo.summary import items_for_unit
from geo.text import clean_str
from layers.view import filter_towns
from ui.text import name, tr

SHOWN = 15
"""At most this many hits are offered (the header then says "first 15 of N")."""
UNIT_PREFIX = "unit:"
"""Picker value of a unit hit (``unit:371425``); items and towns are their id / code."""


def home_unit(data: PlanData, key: str, current: str) -> str:
    """The unit in which to show the item id or town code ``key``: ``current`` when it holds it (or is the city),
    else the item's county (``city`` for an item of several counties) or the town's county."""
    if current == "city":
        return current
    items = data.items
    hit = items[items["id"].astype(str) == key] if len(items) else items
    if len(hit):
        if key in set(items_for_unit(items, current)["id"].astype(str)):
            return current
        units = [u for u in clean_str(hit["units"].iloc[0]).split(";") if u and u != "city"]
        return units[0] if len(units) == 1 else "city"
    towns = data.towns
    hit = towns[towns["code"].astype(str) == key] if len(towns) else towns
    if len(hit):
        if key in set(filter_towns(towns, current)["code"].astype(str)):
            return current
        return clean_str(hit["unit"].iloc[0]) or "city"
    return current


def _pick(data: PlanData | None = None) -> None:
    ss = st.session_state
    key = ss.get("search_pick")
    if key and key.startswith(UNIT_PREFIX):
        ss["unit"] = key[len(UNIT_PREFIX):]
        ss["selected"] = ss["map_focus"] = None
    elif key:
        ss["selected"] = ss["map_focus"] = key
        if data is not None:  # a thing of another county opens that county
            ss["unit"] = home_unit(data, key, ss.get("unit", "city"))


def pick_value(hit: SearchHit) -> str:
    """The picker's value of ``hit``: stable id, never the display name."""
    return UNIT_PREFIX + hit.key if hit.kind == "unit" else hit.key


def render(index: SearchIndex, lang: str, data: PlanData | None = None) -> list[SearchHit]:
    """Text input + result picker (in the current container). Returns the hits shown. With ``data``, picking a
    thing of another county opens that county (:func:`home_unit`)."""
    q = st.text_input(tr("search.label", lang), key="search_q", placeholder=tr("search.placeholder", lang))
    found = index.search(q, limit=None) if q else []
    hits = found[:SHOWN]
    if q and not hits:
        st.caption(tr("search.none", lang))
    if hits:
        labels: dict[str, str] = {
            pick_value(h): f"{name(h.name_zh, h.name_en, lang)} · {tr('search.kind.' + h.kind, lang)}" for h in hits
        }
        header = (tr("search.results_capped", lang, shown=len(hits), n=len(found)) if len(found) > len(hits)
                  else tr("search.results", lang, n=len(hits)))
        st.selectbox(header, options=list(labels), index=None,
                     format_func=lambda k: labels.get(k, k), key="search_pick", on_change=_pick, args=(data,),
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
