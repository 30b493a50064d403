"""County officials' check: every item the plan assigns to the unit with how precisely it is located, CSV and
Excel checklist downloads, and the officials' workflow on the review store (sign-in, confirm / edit / place per
item, batch upload, own submissions, the reviewers' queue). Nothing is applied "for this session": what is
submitted is stored, and approved changes reach every visitor through ui.data.served()."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.checklist_sheet import checklist_workbook
from geo.export import formula_safe_frame, to_csv_bytes
from geo.summary import items_for_unit
from geo.text import clean_str, escape_markdown
from i18n import t
from layers.popups import source_ref_text
from ui import batch_upload, item_actions, my_submissions, review_queue, sign_in
from ui.officials_context import CheckContext
from ui.review_queue import FLASH
from ui.review_text import value_text
from ui.text import category_label, lines_text, tr


def checklist_table(items: pd.DataFrame, lang: str, data: object = None) -> pd.DataFrame:
    """One row per item: name, status and precision in words, where the location comes from (a placement by an
    official in words: "由 王伟（宁津县）于 … 在地图上定位")."""
    if items is None or not len(items):
        return pd.DataFrame(columns=["id"])
    return formula_safe_frame(pd.DataFrame({  # the grid can be copied or downloaded as CSV: no live formula
        "id": items["id"].astype(str),
        tr("col.name_zh", lang): items["name_zh"].map(clean_str),
        tr("col.name_en", lang): items["name_en"].map(clean_str),
        tr("col.category", lang): items["category"].map(lambda v: category_label(v, lang)),
        tr("col.status", lang): items["status"].map(lambda v: value_text("status", clean_str(v), lang)),
        tr("col.precision", lang): items["precision"].map(lambda v: tr(f"precision.{v}", lang) if clean_str(v) else ""),
        tr("col.location_source", lang): items["location_source"].map(
            lambda v: value_text("location_source", clean_str(v), lang, data)),
        tr("col.town_code", lang): items["town_code"].map(clean_str),
        "lon": items["lon"].map(clean_str),
        "lat": items["lat"].map(clean_str),
        tr("col.source", lang): items["source_ref"].map(lambda v: source_ref_text(v, lang)) + " L"
        + items["source_lines"].map(lines_text),
    }).reset_index(drop=True))


def render(ctx: CheckContext) -> None:
    """The checklist tab: the unit's items with how precisely each is located, downloads (CSV, Excel checklist),
    sign-in, and for a signed-in user the review queue (reviewers), actions per item, the batch upload and the
    user's own submissions. Everything submitted goes into the review store (pending until approved)."""
    lang, data, unit = ctx.lang, ctx.data, ctx.unit
    st.header(tr("check.header", lang, unit=escape_markdown(ctx.unit_label)))
    st.caption(t("officials.intro", lang))
    items = items_for_unit(data.items, unit)
    table = checklist_table(items, lang, data)
    counts = items["precision"].value_counts() if len(items) else pd.Series(dtype=int)
    st.text(" · ".join(f"{tr('precision.' + str(k), lang)}: {int(v)}" for k, v in counts.items()))
    st.dataframe(table, hide_index=True, key="check_table")
    c1, c2 = st.columns(2)
    c1.download_button(tr("check.download_csv", lang), data=to_csv_bytes(items), file_name=f"dezhou_{unit}_items.csv",
                       mime="text/csv", key="check_dl_csv", on_click="ignore")
    c2.download_button(tr("check.download_xlsx", lang), data=lambda: checklist_workbook(items, lang),  # on click
                       file_name=f"dezhou_{unit}_checklist.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="check_dl_xlsx",
                       on_click="ignore")  # no rerun: a deferred file id stays valid for the next click
    st.divider()
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    acc = sign_in.render(ctx.store, lang, data)
    if acc is not None and ctx.store is not None:
        if acc.may_review:
            review_queue.render(ctx, acc)
        item_actions.render(ctx, acc)
    batch_upload.render(ctx, acc)
    if acc is not None and ctx.store is not None and sign_in.account() is not None:
        my_submissions.render(ctx, acc)
