"""The county view's list of the unit's plan items: grouped by category (parks first), every entry a button that
opens its details (matched by the item's stable id, never by its name)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from geo.schema import CATEGORIES
from geo.text import clean_str
from ui.text import category_label, name, tr

#: Order of the groups: parks first, then the other categories as in geo.schema.
GROUP_ORDER: tuple[str, ...] = ("park", *(c for c in CATEGORIES if c != "park"))
KEY_PREFIX = "open_item__"


def _open(item_id: str) -> None:
    ss = st.session_state
    ss["selected"] = ss["map_focus"] = item_id


def groups(items: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(category, its items sorted by id) in :data:`GROUP_ORDER`; empty categories left out, unknown ones last."""
    if items is None or not len(items):
        return []
    cats = [c for c in GROUP_ORDER if c in set(items["category"])]
    cats += sorted(set(items["category"].map(clean_str)) - set(cats))
    return [(c, items[items["category"] == c].sort_values("id")) for c in cats]


def entry_label(row: Any, lang: str) -> str:
    """``name · status`` of an item (the plan's name; English beside it in English)."""
    status = clean_str(row.get("status"))
    label = name(row.get("name_zh"), row.get("name_en"), lang)
    return f"{label} · {tr(f'status.{status}', lang)}" if status else label


def render(items: pd.DataFrame, lang: str, *, selected: str | None = None) -> int:
    """The grouped list (in the current container); returns the number of entries."""
    n = 0
    for cat, group in groups(items):
        with st.expander(f"{category_label(cat, lang)}（{len(group)}）" if lang == "zh"
                         else f"{category_label(cat, lang)} ({len(group)})", expanded=cat == "park"):
            for row in group.to_dict("records"):
                item_id = clean_str(row["id"])
                st.button(entry_label(row, lang), key=KEY_PREFIX + item_id, on_click=_open, args=(item_id,),
                          type="primary" if item_id == selected else "tertiary")
                n += 1
    if not n:
        st.caption(tr("county.none", lang))
    return n
