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


def submitted(info: Any, lang: str) -> None:
    """Say what was stored (the submission's number and that it awaits review)."""
    if info is not None:
        st.success(t("officials.submitted", lang, id=info.id, item=info.item_id))


def attempt(ctx: CheckContext, action: Callable[[], T]) -> T | None:
    """Run a store action; a refusal is shown in the interface language (nothing was changed) and ``None``
    returned. An account that no longer exists or was disabled is signed out."""
    try:
        return action()
    except Refused as refusal:
        st.error(refusal_text(refusal, ctx.lang, ctx.data))
        if refusal.code in ("unknown_user", "user_disabled"):
            sign_out()
        return None
