"""The county view's list of the unit's plan items: grouped by category (parks first), every entry a button that
opens its details (matched by the item's stable id, never by its name).

Fast at every size (city-wide the list holds ~500 items): each group is a collapsed section with its count whose
entries are built only while it is open (a lazy expander: opening one reruns the app), and an open group shows
:data:`PAGE` entries at a time with a "show more" button. The selected entry's details open right under it, so
they are in view on a phone too, where columns stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from geo.schema import CATEGORIES
from geo.text import clean_str
from layers.popups import kind_note, list_order
from ui.text import category_label, name, tr

#: Order of the groups: parks first, then the other categories as in geo.schema.
GROUP_ORDER: tuple[str, ...] = ("park", *(c for c in CATEGORIES if c != "park"))
KEY_PREFIX = "open_item__"
GROUP_KEY = "item_group__"
MORE_KEY = "item_more__"
#: Entries of an open group shown at first, and added by each "show more".
PAGE = 25
_OPEN = "_item_groups_open"  # category -> open (what the visitor chose; parks open until then)
_SHOWN = "_item_groups_shown"  # category -> entries shown


def _open(item_id: str) -> None:
    ss = st.session_state
    ss["selected"] = ss["map_focus"] = item_id


def _toggled(cat: str) -> None:
    ss = st.session_state
    ss.setdefault(_OPEN, {})[cat] = bool(ss.get(GROUP_KEY + cat))


def _more(cat: str) -> None:
    shown = st.session_state.setdefault(_SHOWN, {})
    shown[cat] = shown.get(cat, PAGE) + PAGE


def groups(items: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(category, its items in list order) in :data:`GROUP_ORDER`; empty categories left out, unknown ones last.
    Within a category by id; parks proper before the clusters and bases the plan lists among them
    (:func:`layers.popups.list_order`)."""
    if items is None or not len(items):
        return []
    cats = [c for c in GROUP_ORDER if c in set(items["category"])]
    cats += sorted(set(items["category"].map(clean_str)) - set(cats))
    out = []
    for c in cats:
        group = items[items["category"] == c]
        order = sorted(range(len(group)), key=lambda i: list_order(group.iloc[i]))
        out.append((c, group.iloc[order]))
    return out


def entry_label(row: Any, lang: str, where: Callable[[str], str] | None = None) -> str:
    """``name · status`` of an item (the plan's name; English beside it in English); a cluster or base among the
    parks adds its kind; ``where(units)`` adds the item's counties (``name · 齐河县 · status``: the city-wide list)."""
    status = clean_str(row.get("status"))
    parts = [name(row.get("name_zh"), row.get("name_en"), lang)]
    if kind_note(row, lang):  # a cluster or a base listed among the parks says so
        parts.append(kind_note(row, lang))
    if where is not None and clean_str(row.get("units")):
        parts.append(where(clean_str(row.get("units"))))
    if status:
        parts.append(tr(f"status.{status}", lang))
    return " · ".join(parts)


def group_label(cat: str, n: int, lang: str) -> str:
    """``园区（14）`` / ``Parks (14)``."""
    return f"{category_label(cat, lang)}（{n}）" if lang == "zh" else f"{category_label(cat, lang)} ({n})"


def is_open(cat: str, selected_cat: str | None) -> bool:
    """Whether the group starts open: as the visitor left it; else parks and the selected item's group."""
    chosen = st.session_state.get(_OPEN, {})
    return bool(chosen[cat]) if cat in chosen else cat in ("park", selected_cat)


def render(items: pd.DataFrame, lang: str, *, selected: str | None = None,
           details: Callable[[str], object] | None = None, where: Callable[[str], str] | None = None) -> int:
    """The grouped list (in the current container); returns the number of entry buttons built. ``details(id)``
    writes the selected item's details, under its entry; ``where(units)`` names an entry's counties."""
    grouped = groups(items)
    if not grouped:
        st.caption(tr("county.none", lang))
        return 0
    selected_cat = next((c for c, g in grouped if selected in set(g["id"].astype(str))), None)
    if selected and selected_cat is None and details is not None:  # selected elsewhere (a town, another unit)
        with st.container(border=True):
            details(selected)
    n = 0
    for cat, group in grouped:
        box = st.expander(group_label(cat, len(group), lang), expanded=is_open(cat, selected_cat),
                          key=GROUP_KEY + cat, on_change=_toggled, args=(cat,))
        if not box.open:  # a closed group costs one line: its entries are built when it is opened
            continue
        with box:
            ids = group["id"].astype(str).tolist()
            limit = st.session_state.get(_SHOWN, {}).get(cat, PAGE)
            if selected in ids:  # the selected entry is always shown
                limit = max(limit, ids.index(selected) + 1)
            for row in group.head(limit).to_dict("records"):
                item_id = clean_str(row["id"])
                st.button(entry_label(row, lang, where), key=KEY_PREFIX + item_id, on_click=_open, args=(item_id,),
                          type="primary" if item_id == selected else "tertiary")
                n += 1
                if item_id == selected and details is not None:
                    with st.container(border=True):
                        details(item_id)
            if len(group) > limit:
                st.button(tr("county.more", lang, rest=len(group) - limit),
                          key=MORE_KEY + cat, on_click=_more, args=(cat,))
    return n
