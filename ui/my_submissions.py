"""The signed-in user's submissions with their status (read from the store: true after a restart too), and
withdrawal of a pending one."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from geo.review import Account, SubmissionInfo
from i18n import t
from ui.officials_context import CheckContext, attempt
from ui.review_text import kind_word, status_word, value_text


def changes_text(sub: SubmissionInfo, lang: str, data: Any = None) -> str:
    """``进展：推进实施 → 建成；定位精度：仅区县 → 具体位置`` (fields and values in words)."""
    from geo.checklist_sheet import heading

    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{heading(f, lang)}: {value_text(f, o, lang, data) or '—'} → {value_text(f, n, lang, data)}"
                    for f, o, n in sub.diff())


def table(subs: list[SubmissionInfo], ctx: CheckContext) -> pd.DataFrame:
    lang = ctx.lang
    rows = [{
        t("officials.mine.col.id", lang): f"#{s.id}",
        t("officials.mine.col.item", lang): s.item_id,
        t("officials.mine.col.kind", lang): kind_word(s.kind, lang),
        t("officials.mine.col.changes", lang): changes_text(s, lang, ctx.data),
        t("officials.mine.col.when", lang): s.created_at.strftime("%Y-%m-%d %H:%M") + " UTC",
        t("officials.mine.col.status", lang): status_word(s.status, lang),
        t("officials.mine.col.review", lang): " ".join(x for x in (s.reviewer or "", s.review_comment or "") if x),
    } for s in reversed(subs)]
    return pd.DataFrame(rows)


def render(ctx: CheckContext, acc: Account) -> None:
    lang = ctx.lang
    st.subheader(t("officials.mine.header", lang))
    assert ctx.store is not None
    subs = attempt(ctx, lambda: ctx.store.submissions_of(acc))  # type: ignore[union-attr]
    if not subs:
        st.caption(t("officials.mine.none", lang))
        return
    counts = pd.Series([s.status for s in subs]).value_counts()
    st.text(" · ".join(f"{status_word(k, lang)} {int(v)}" for k, v in counts.items()))
    st.dataframe(table(subs, ctx), hide_index=True, key="my_submissions")
    pending = [s.id for s in subs if s.status == "pending"]
    if pending:
        c1, c2 = st.columns([3, 1])
        sid = c1.selectbox(t("officials.mine.withdraw_pick", lang), pending, format_func=lambda i: f"#{i}",
                           key="withdraw_pick")
        if c2.button(t("officials.mine.withdraw", lang), key="withdraw_button"):
            done = attempt(ctx, lambda: ctx.store.withdraw(acc, int(sid)))  # type: ignore[union-attr]
            if done is not None:
                st.session_state["officials_flash"] = t("officials.mine.withdrawn", lang, id=sid)
                st.rerun()
