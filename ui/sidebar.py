"""Sidebar controls: language, unit, map layers, basemap, filters, search. Widget keys mirror the URL state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo import schema
from geo.load import PlanData
from geo.url_state import BASEMAPS, ViewState
from layers.basemaps import valid_key
from ui import search_box
from ui.data import Facts, unit_codes
from ui.text import category_label, maybe, name, tr
from ui.widgets import multiselect_text

STATUSES = schema.STATUSES
__all__ = ["STATUSES", "LANG_FORMATTED_KEYS", "init_state", "refresh_on_language_switch", "unit_codes",
           "layer_label", "render", "resend_view_values", "view_state"]
#: Widgets whose option labels depend on the language. Streamlit (1.67) keeps a selectbox's or multiselect's value
#: in the browser as its *label*: after a language switch the browser still holds the old language's label, shows
#: it, and sends it back on the next click, where it matches no option and the widget falls back to its default
#: (the county reset to city-wide). Re-assigning these keys on the switch run makes Streamlit send the value with
#: the new label (issue 11 item 1).
LANG_FORMATTED_KEYS: tuple[str, ...] = ("unit", "basemap", "f_industry", "f_status", "f_category", "search_pick",
                                        "cov_scenario", "cov_target", "cov_origin")


def init_state(state: ViewState, layer_keys: tuple[str, ...]) -> None:
    """Put ``state`` into the widget keys (first run of a session, before the widgets exist)."""
    ss = st.session_state
    ss["lang"] = state.lang
    ss["unit"] = state.unit
    ss["basemap"] = state.basemap
    ss["selected"] = ss["map_focus"] = state.selected
    for k in layer_keys:
        ss[f"layer__{k}"] = k in state.layers
    ss["f_industry"] = list(state.industry)
    ss["f_status"] = list(state.status)
    ss["f_category"] = list(state.category)


def _resend(keys: tuple[str, ...]) -> None:
    """Re-assign each of ``keys`` that session state holds, so Streamlit sends its value to the browser with the
    widget drawn in this run (call before the widgets)."""
    ss = st.session_state
    for k in keys:
        if k in ss:
            ss[k] = ss[k]


def resend_view_values(layer_keys: tuple[str, ...]) -> None:
    """Re-assign the sidebar's view keys (language, unit, basemap, layer toggles, filters) on every run, before the
    widgets are drawn, so that every run sends their values to the browser (Streamlit's ``set_value``).

    Streamlit sends a value set in code only with the widget drawn in the run that set it, and the browser takes
    the value in only when it renders that widget. A click during the first run (a tab opened at once on a shared
    link) starts the next run before the ~30 sidebar widgets have rendered: the browser then has no value for them,
    the next run draws them without one, and they show their defaults (全市, layers off) and send them back on the
    next click (seen with websocket frames: the tab click's rerun carried no value for ``unit`` or the toggles).
    Values that did not change cost nothing but the value in each widget's message."""
    _resend(("lang", "unit", "basemap", "f_industry", "f_status", "f_category",
             *(f"layer__{k}" for k in layer_keys)))


def refresh_on_language_switch(lang: str) -> None:
    """On the run where the language changed, re-assign every :data:`LANG_FORMATTED_KEYS` value (read with the
    previous run's labels) so the browser gets it back with the new language's label; call before those widgets."""
    ss = st.session_state
    if ss.get("_lang_shown") not in (None, lang):
        _resend(LANG_FORMATTED_KEYS)
    ss["_lang_shown"] = lang


def layer_label(key: str, lang: str) -> str:
    """Label of a map layer key: the layers part's i18n text when it has one."""
    for k in (f"layers.{key}", f"layers.layer.{key}", f"layers.name.{key}", f"ui.layer.{key}"):
        v = maybe(k, lang, "")
        if v:
            return v
    return key


def tianditu_key(basemap: str) -> str:
    """The Tianditu key the map may use: the typed key when the Tianditu basemap is chosen and the key is well
    formed, else '' (the sidebar says why, see :func:`render`)."""
    if basemap != "tianditu":
        return ""
    key = str(st.session_state.get("tianditu_key") or "")
    return key if key and valid_key(key) else ""


def view_state(layer_keys: tuple[str, ...], facts: Facts) -> tuple[ViewState, str]:
    """The view the sidebar's widgets hold, read from their session-state keys *before* the widgets are drawn, and
    the Tianditu key ('' if none): the app draws the map first and the sidebar after it (Streamlit sends elements
    in script order, so the map leaves the server before ~30 sidebar widgets). The same values as the widgets of
    :func:`render` return in this run: a widget's value is in session state from the start of the run (set by
    :func:`init_state` on the first run, by the browser afterwards), and callbacks (search pick) ran before.
    Also makes the values valid for this run's widgets (language switch, industry options of ``facts``)."""
    ss = st.session_state
    resend_view_values(layer_keys)
    lang = "en" if ss.get("lang") == "en" else "zh"
    refresh_on_language_switch(lang)
    ind_opts = set(facts.industries)
    ss["f_industry"] = [v for v in ss.get("f_industry", []) if v in ind_opts]
    basemap = str(ss["basemap"]) if ss.get("basemap") in BASEMAPS else BASEMAPS[0]
    state = ViewState(
        lang=lang, unit=str(ss.get("unit") or "city"), layers=tuple(k for k in layer_keys if ss.get(f"layer__{k}")),
        basemap=basemap, selected=ss.get("selected"), industry=tuple(ss["f_industry"]),
        status=tuple(ss.get("f_status", ())), category=tuple(ss.get("f_category", ())),
    )
    return state, tianditu_key(basemap)


def render(data: PlanData, layer_keys: tuple[str, ...], counts: Callable[[str], dict[str, int]],
           index: Any, *, facts: Facts) -> None:
    """Draw the sidebar's widgets. The view they hold is read by :func:`view_state` (call that first: it prepares
    the widget values of this run).

    ``counts(unit)`` gives the number of features per layer key (shown beside the toggles); ``facts``: the data's
    options and totals (:func:`ui.data.facts`, cached per data version)."""
    sb = st.sidebar
    with sb:
        lang = st.radio("语言 / Language", options=["zh", "en"], key="lang", horizontal=True,
                        format_func=lambda c: {"zh": "中文", "en": "English"}[c])
        st.title(tr("title", lang))
        st.caption(tr("subtitle", lang))
        units = data.units
        names = {str(r.code): name(r.name_zh, r.name_en, lang) for r in units.itertuples()}
        names["city"] = tr("unit.city", lang)
        st.selectbox(tr("unit.label", lang), options=list(facts.unit_codes), key="unit",
                     format_func=lambda c: names.get(c, c))
        st.subheader(tr("search.header", lang))
        search_box.render(index, lang, data)

        st.subheader(tr("layers.header", lang))
        n_by_key = counts(st.session_state["unit"])
        totals = facts.totals[st.session_state["unit"]]
        for k in layer_keys:
            n = n_by_key.get(k)
            label = layer_label(k, lang)
            if k in totals and n is not None:  # most plan items are known only to their county: say so
                # a unit's map also draws lines the plan lists for other units: the second number is the unit's list
                key = "layers.count_items" if st.session_state["unit"] == "city" else "layers.count_items_unit"
                label += f" ({tr(key, lang, drawn=n, total=totals[k])})"
            elif n is not None:
                label += f" ({n})"
            st.toggle(label, key=f"layer__{k}")

        st.subheader(tr("basemap.header", lang))
        basemap = st.selectbox(tr("basemap.label", lang), options=list(BASEMAPS), key="basemap",
                               format_func=lambda b: tr(f"basemap.{b}", lang))
        if basemap == "tianditu":
            typed = st.text_input(tr("basemap.tianditu_key", lang), key="tianditu_key", type="password",
                                  help=tr("basemap.tianditu_help", lang))
            if not typed:
                st.warning(tr("basemap.tianditu_missing", lang))
            elif not valid_key(typed):  # refuse the key, keep the map (drawn without the Tianditu tiles)
                st.error(tr("basemap.tianditu_bad_key", lang))
        if basemap != "none":
            st.caption(tr("basemap.online_note", lang))

        st.subheader(tr("filters.header", lang))
        ind_en = facts.industry_en
        ind_opts = list(facts.industries)
        st.multiselect(tr("filters.industry", lang), options=ind_opts, key="f_industry",
                       format_func=lambda v: name(v, ind_en.get(v, ""), lang), **multiselect_text(lang))
        st.multiselect(tr("filters.status", lang), options=list(STATUSES), key="f_status",
                       format_func=lambda v: tr(f"status.{v}", lang), **multiselect_text(lang))
        st.multiselect(tr("filters.category", lang), options=list(schema.CATEGORIES), key="f_category",
                       format_func=lambda v: category_label(v, lang), **multiselect_text(lang))
