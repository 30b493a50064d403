"""What the officials' check tab works with: the served data, the shipped data submissions are checked against,
the review store, the view, and a way to draw a map of a unit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import folium
import streamlit as st

from geo.load import PlanData
from geo.review import Refused, Store
from geo.text import escape_markdown
from i18n import t
from ui.review_text import refusal_text
from ui.sign_in import sign_out

log = logging.getLogger("dezhou_plan_map")
T = TypeVar("T")


@dataclass(frozen=True)
class CheckContext:
    """``data``: what visitors see (shipped + approved); ``base``: the shipped data (the store's reference);
    ``store``: ``None`` when the store cannot be used now; ``map_of(unit, layers, selected)``: the app's cached map."""

    data: PlanData
    base: PlanData
    store: Store | None
    unit: str
    lang: str
    unit_label: str
    basemap: str
    map_of: Callable[[str, tuple[str, ...], str | None], folium.Map]
    selected: str | None = None


MESSAGES = "officials_messages"


def _say(kind: str, text: str, defer: bool) -> None:
    if defer:  # from a widget callback: shown by show_messages() where the form is drawn
        st.session_state.setdefault(MESSAGES, []).append((kind, text))
    else:
        (st.success if kind == "success" else st.error)(escape_markdown(text))  # names are text, not Markdown


def show_messages() -> None:
    """Show (once) the messages of the last widget callback."""
    for kind, text in st.session_state.pop(MESSAGES, None) or []:
        _say(kind, text, False)


def submitted(info: Any, lang: str, *, defer: bool = False) -> None:
    """Say what was stored (the submission's number and that it awaits review)."""
    if info is not None:
        _say("success", t("officials.submitted", lang, id=info.id, item=info.item_id), defer)


def attempt(ctx: CheckContext, action: Callable[[], T], *, defer: bool = False) -> T | None:
    """Run a store action; a refusal is shown in the interface language (nothing was changed) and ``None``
    returned. An account that no longer exists or was disabled is signed out. ``defer``: called from a widget
    callback (the message is shown by :func:`show_messages`)."""
    try:
        return action()
    except Refused as refusal:
        _say("error", refusal_text(refusal, ctx.lang, ctx.data), defer)
        if refusal.code in ("unknown_user", "user_disabled"):
            sign_out()
        return None
