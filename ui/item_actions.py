"""A signed-in user's actions on one item of the checklist: confirm it ("checked, correct"), edit its fields
(checked by the store with ``geo.validate``'s rules), or place it on the map (see :mod:`ui.placement`).
Each action is one submission into the review store, pending until a reviewer decides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.checklist_sheet import heading, word
from geo.review import Account
from geo.schema import PRECISIONS, STATUSES
from geo.summary import items_for_unit
from geo.text import clean_str
from i18n import t
from ui import placement
from ui.officials_context import CheckContext, attempt, submitted

EDIT_FIELDS = ("name_zh", "name_en", "status", "precision", "town_code", "lon", "lat", "industry_tags", "notes")
ACTIONS = ("confirm", "edit", "place")


def _label(items: pd.DataFrame, item_id: str) -> str:
    row = items[items["id"] == item_id]
    return f"{clean_str(row['name_zh'].iloc[0])}（{item_id}）" if len(row) else item_id


def render(ctx: CheckContext, acc: Account) -> None:
    """Pick an item of the unit and act on it."""
    lang = ctx.lang
    st.subheader(t("officials.item.header", lang))
    items = items_for_unit(ctx.data.items, ctx.unit)
    if not len(items):
        st.info(t("officials.item.none", lang))
        return
    ids = list(items["id"].astype(str))
    if ctx.selected in ids and st.session_state.get("act_item") not in ids:
        st.session_state["act_item"] = ctx.selected
    item_id = st.selectbox(t("officials.item.pick", lang), ids, key="act_item",
                           format_func=lambda i: _label(items, i))
    if acc.role == "official" and acc.unit not in str(items.loc[items["id"] == item_id, "units"].iloc[0]).split(";"):
        st.caption(t("officials.item.other_unit", lang))
    row = {c: clean_str(v) for c, v in items[items["id"] == item_id].iloc[0].items() if c != "geometry"}
    action = st.radio(t("officials.item.action", lang), ACTIONS, key="act_kind", horizontal=True,
                      format_func=lambda a: t(f"officials.action.{a}", lang))
    if action == "confirm":
        _confirm(ctx, acc, item_id)
    elif action == "edit":
        _edit(ctx, acc, item_id, row)
    else:
        placement.render(ctx, acc, item_id, row)


def _confirm(ctx: CheckContext, acc: Account, item_id: str) -> None:
    lang = ctx.lang
    st.caption(t("officials.confirm.help", lang))
    comment = st.text_input(t("officials.comment", lang), key="confirm_comment")
    if st.button(t("officials.confirm.button", lang), key="confirm_button"):
        submitted(attempt(ctx, lambda: ctx.store.confirm(acc, ctx.base, item_id, comment)), lang)  # type: ignore[union-attr]


def _edit(ctx: CheckContext, acc: Account, item_id: str, row: dict[str, str]) -> None:
    lang = ctx.lang
    with st.form(f"edit_{item_id}", border=True):
        values: dict[str, str] = {}
        for f in EDIT_FIELDS:
            label, current = heading(f, lang), row.get(f, "")
            if f in ("status", "precision"):
                codes: list[str] = list(STATUSES if f == "status" else PRECISIONS)

                def shown(c: str, f: str = f) -> str:
                    return word(f, c, lang)

                picked = st.selectbox(label, codes, index=codes.index(current) if current in codes else 0,
                                      format_func=shown, key=f"edit_{item_id}_{f}")
                values[f] = str(picked or "")
            else:
                values[f] = st.text_input(label, value=current, key=f"edit_{item_id}_{f}")
        reason = st.text_input(t("officials.reason", lang), key=f"edit_{item_id}_reason")
        go = st.form_submit_button(t("officials.edit.button", lang))
    if go:
        changes = {f: v.strip() for f, v in values.items() if v.strip() != row.get(f, "")}
        if not changes:
            st.info(t("officials.edit.nothing", lang))
            return
        submitted(attempt(ctx, lambda: ctx.store.submit_changes(acc, ctx.base, item_id, changes, reason)),  # type: ignore[union-attr]
                  lang)
