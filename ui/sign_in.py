"""Sign-in for officials and reviewers (viewing needs none). The session keeps only the signed-in
:class:`geo.review.Account` (id, name, role, unit) — never the password: the password box is emptied in the
sign-in callback, before the script runs again."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from geo.review import Account, Refused, Store
from geo.text import escape_markdown
from i18n import t
from ui.review_text import refusal_text, unit_names

log = logging.getLogger("dezhou_plan_map")
ACCOUNT = "review_account"
_NAME, _PASSWORD, _MESSAGE = "signin_name", "signin_password", "signin_message"


def account() -> Account | None:
    """The signed-in account of this session, if any."""
    acc = st.session_state.get(ACCOUNT)
    return acc if isinstance(acc, Account) else None


def sign_out() -> None:
    st.session_state[ACCOUNT] = None
    st.session_state[_MESSAGE] = None


def _sign_in(store: Store, lang: str, data: Any) -> None:
    ss = st.session_state
    name, password = str(ss.get(_NAME) or "").strip(), str(ss.get(_PASSWORD) or "")
    ss[_PASSWORD] = ""  # never kept in the session
    if not name or not password:
        ss[_MESSAGE] = t("officials.signin.fill_both", lang)
        return
    try:
        ss[ACCOUNT] = store.authenticate(name, password)
        ss[_MESSAGE] = None
    except Refused as refusal:
        ss[ACCOUNT] = None
        ss[_MESSAGE] = refusal_text(refusal, lang, data)


def who(acc: Account, data: Any, lang: str) -> str:
    """``wang（区县用户，宁津县）`` / ``wang (county official, Ningjin County)``."""
    role = t(f"review.role.{acc.role}", lang)
    unit = unit_names(data, acc.unit, lang) if acc.unit else t("ui.unit.city", lang)
    return t("officials.signin.who", lang, name=acc.name, role=role, unit=unit)


def render(store: Store | None, lang: str, data: Any) -> Account | None:
    """The sign-in form (or who is signed in, with a sign-out button); returns the signed-in account."""
    acc = account()
    if store is None:
        st.info(t("officials.signin.store_down", lang))
        return None
    if acc is not None:
        c1, c2 = st.columns([4, 1])
        c1.success(escape_markdown(t("officials.signin.signed_in", lang, who=who(acc, data, lang))))
        c2.button(t("officials.signin.sign_out", lang), key="signout", on_click=sign_out)
        return acc
    with st.expander(t("officials.signin.header", lang), expanded=bool(st.session_state.get(_MESSAGE))):
        st.caption(t("officials.signin.help", lang))
        with st.form("signin_form", clear_on_submit=False, border=False):
            st.text_input(t("officials.signin.name", lang), key=_NAME, autocomplete="username")
            st.text_input(t("officials.signin.password", lang), key=_PASSWORD, type="password",
                          autocomplete="current-password")
            st.form_submit_button(t("officials.signin.submit", lang), on_click=_sign_in, args=(store, lang, data))
        msg = st.session_state.get(_MESSAGE)
        if msg:
            st.error(escape_markdown(msg))
    return None
