"""A corrections file (the downloaded checklist, CSV or Excel, edited) as a batch submission into the review store:
read in any of the encodings Chinese Excel writes (saying which), checked row by row exactly as the store will
check it, previewed as a diff in words, and — for a signed-in user — stored as pending submissions in one
transaction. Visitors who are not signed in see the preview and are asked to sign in."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from geo.checklist_sheet import heading
from geo.export import formula_safe_frame
from geo.review import Account, BatchResult
from geo.text import escape_markdown
from i18n import catalog, t
from ui.officials_context import CheckContext, attempt
from ui.review_text import kind_word, value_text
from ui.text import problem_text, tr
from ui.widgets import file_uploader

DONE = "batch_done"  # sha1 of the file content last stored by this session (no double submission on rerun)


def batch_frame(result: BatchResult, ctx: CheckContext) -> pd.DataFrame:
    """One row per changed field of each planned change (编号/更改/字段/原值/新值), values in words."""
    lang = ctx.lang
    rows = []
    for ch in result.planned:
        diff = ch.diff() or [("", "", "")]
        for f, old, new in diff:
            rows.append({"id": ch.item_id, "change": kind_word(ch.kind, lang),
                         "field": heading(f, lang) if f and f"checklist.col.{f}" in catalog(lang) else f,
                         "old": value_text(f, old, lang, ctx.data), "new": value_text(f, new, lang, ctx.data)})
    cols = ["id", "change", "field", "old", "new"]
    frame = pd.DataFrame(rows, columns=cols)
    return formula_safe_frame(frame.rename(columns={c: tr(f"check.diff_col.{c}", lang) for c in cols}))


def render(ctx: CheckContext, acc: Account | None) -> None:
    lang = ctx.lang
    st.subheader(tr("check.upload_header", lang))
    st.caption(t("officials.batch.help", lang))
    up = file_uploader(tr("check.upload", lang), lang, type=["csv", "xlsx"], key="corr_upload")
    if up is None:
        return
    if ctx.store is None:
        st.error(t("officials.signin.store_down", lang))
        return
    content = up.getvalue()
    digest = hashlib.sha1(content).hexdigest()
    result = attempt(ctx, lambda: ctx.store.preview_file(acc, ctx.base, up.name, content))  # type: ignore[union-attr]
    if result is None:
        return
    if result.encoding:
        st.text(t("officials.batch.read", lang, file=up.name, encoding=result.encoding, rows=result.rows))
    if result.encoding == "GB18030":
        st.caption(t("officials.batch.gb18030", lang))
    bad_rows = len({p.row for p in result.errors if p.row is not None})
    confirms = sum(1 for c in result.planned if c.kind == "confirm")
    st.text(t("officials.batch.summary", lang, rows=result.rows, changes=len(result.planned) - confirms,
              confirms=confirms, same=len(result.unchanged), bad=bad_rows))
    for p in result.problems:
        (st.error if p.is_error else st.warning)(escape_markdown(problem_text(p, lang)))  # text, never Markdown
    if not result.planned:
        return
    st.dataframe(batch_frame(result, ctx), hide_index=True, key="check_diff")
    if acc is None:
        st.info(escape_markdown(t("officials.batch.sign_in_first", lang)))
        return
    if st.session_state.get(DONE) == digest:
        st.success(escape_markdown(t("officials.batch.already", lang)))
        return
    if st.button(t("officials.batch.submit", lang, n=len(result.planned)), key="check_apply", type="primary"):
        stored = attempt(ctx, lambda: ctx.store.submit_file(acc, ctx.base, up.name, content))  # type: ignore[union-attr]
        if stored is not None:
            st.session_state[DONE] = digest
            st.success(t("officials.batch.stored", lang, n=len(stored.submissions),
                         ids=", ".join(f"#{s.id}" for s in stored.submissions)))
