"""Dezhou 15th Five-Year Plan map — Streamlit entry point (thin wiring; logic lives in geo/, layers/, ui/)."""

from __future__ import annotations

import json

import folium
import streamlit as st

from geo.schema import CATEGORIES
from geo.text import escape_markdown
from geo.url_state import TABS, decode, encode
from i18n import t
from ui import attribution, checklist, compare, county_panel, coverage_panel, detail, present, share, sidebar
from ui.data import (
    blocking_problems,
    facts,
    filter_items,
    search_index,
    selection,
    served,
    unusable,
    with_items,
)
from ui.errors import page_boundary, tab_boundary
from ui.map_view import (
    DEFAULT_LAYERS,
    LAYER_KEYS,
    cached_map,
    click_key,
    clicked_item,
    export_map,
    feature_counts,
    map_html,
    show_map,
)
from ui.officials_context import CheckContext
from ui.text import problem_line, tr, unit_name

presenting = present.requested(st.query_params)
st.set_page_config(page_title=t("app.title", "zh") + " / " + t("app.title", "en"), layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")
ss = st.session_state
TAB_KEYS = TABS

_lang = "en" if st.query_params.get("lang") == "en" else "zh"
with page_boundary("data.load_failed", _lang):  # an unforeseen loader failure: a message, details in the log
    serving = served()  # the shipped data with the approved changes of the review store
base = serving.data
_errors = blocking_problems(base, _lang)
if _errors:  # missing or broken data files: say which (file, row, field; never a server path), keep the rest
    st.error(tr("data.errors", _lang, n=len(_errors)) + "\n\n"
             + "\n".join(f"- {escape_markdown(e)}" for e in _errors[:50]))
    if unusable(base):
        st.warning(tr("data.unusable", _lang))
        st.stop()
data = base  # everything visitors see is shipped + approved; nothing is applied "for this session only"
data_key = serving.key
known = facts(data, data_key)  # options, ids and totals every run reads: derived once per data version
layer_keys = tuple(LAYER_KEYS)
default_layers = tuple(k for k in layer_keys if k in set(DEFAULT_LAYERS))

if presenting:  # ?present=1: only the map, full window, tour of the units (ui/present.py)
    with tab_boundary("present", _lang):
        present.render(data, data_key, units=list(known.unit_codes), layer_keys=layer_keys,
                       default_layers=default_layers)
    st.stop()

if "_init" not in ss:  # first run of the session: the URL decides the view
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    state0 = decode(params, units=list(known.unit_codes), layer_keys=layer_keys, default_layers=default_layers,
                    selectable=known.selectable, industries=list(known.industries), statuses=sidebar.STATUSES,
                    categories=CATEGORIES)
    sidebar.init_state(state0, layer_keys)
    if state0.tab != TAB_KEYS[0]:  # a shared link reopens its tab
        ss["main_tab"] = t(f"ui.tab.{state0.tab}", state0.lang)
    ss["_init"] = True

# the view as the sidebar's widgets hold it; the sidebar itself is drawn after the map (draw_sidebar)
state, tianditu_key = sidebar.view_state(layer_keys, known)
lang = state.lang


def draw_sidebar() -> None:
    """Sidebar widgets (with feature counts and the search index), attribution, store warning."""
    sidebar.render(data, layer_keys, lambda unit: feature_counts(data, data_key, unit), search_index(data, data_key),
                   facts=known)
    attribution.render(lang, where=st.sidebar)
    if not serving.store_ok:  # say so: the approved corrections are missing until the store answers again
        st.sidebar.warning(tr("officials.store_unavailable", lang))


filters = (state.industry, state.status, state.category)
map_data = with_items(data, filter_items(data.items, industry=state.industry, status=state.status,
                                                 category=state.category))
# the map zooms to what was searched for or opened by link; a click on the map only opens the details
map_selected = ss.get("map_focus")
view_key = (data_key, json.dumps(filters), state.unit, state.layers, state.basemap, lang, map_selected,
            tianditu_key)


def current_map() -> folium.Map:
    """The map of the current view (built once per view, then from the cache)."""
    # with an industry filter on, the counties are shaded by their number of matching items (issue 11 item 5c)
    return cached_map(map_data, data_key + json.dumps(filters), state.unit, state.layers, state.basemap, lang,
                      map_selected, tianditu_key, shade_matches=bool(state.industry))


unit_label = unit_name(data.units, state.unit, lang) if state.unit != "city" else tr("unit.city", lang)
# lazy tabs: only the open tab runs (switching tabs reruns the app); the active tab survives a language switch
tab_labels = {lg: [tr(f"tab.{k}", lg) for k in TAB_KEYS] for lg in ("zh", "en")}
if ss.get("main_tab") and ss["main_tab"] not in tab_labels[lang]:
    other = tab_labels["en" if lang == "zh" else "zh"]
    ss["main_tab"] = tab_labels[lang][other.index(ss["main_tab"])] if ss["main_tab"] in other else None
tabs = st.tabs(tab_labels[lang], key="main_tab", on_change="rerun")
is_open = [tab.open is not False for tab in tabs]
open_tab = TAB_KEYS[tab_labels[lang].index(ss["main_tab"])] if ss.get("main_tab") in tab_labels[lang] else TAB_KEYS[0]
state = state.with_(tab=open_tab)  # the URL keeps the open tab
if open_tab != "share":
    ss["_view_tab"] = open_tab


def _clear_selection() -> None:
    ss["selected"] = ss["map_focus"] = None


def map_tab() -> None:
    """Map + details of the selected item/town (a click on an object selects it)."""
    global state
    m = current_map()
    st.markdown(f"### {t('app.title', lang)} · {escape_markdown(unit_label)}")
    c_map, c_detail = st.columns([3, 1])
    with c_map:
        out = show_map(m, view=view_key)
        if ss.get("_last_click") != click_key(out):
            ss["_last_click"] = click_key(out)
            hit = clicked_item(data, out)
            if hit:
                ss["selected"] = hit
                state = state.with_(selected=hit)
        attribution.render(lang)
    with c_detail:
        detail.render(data, state.selected, lang)
        if state.selected:  # a callback: one run, which goes on to draw the sidebar (see below)
            st.button(tr("detail.clear", lang), key="clear_selected", on_click=_clear_selection)
    if data.problems:
        with st.expander(tr("problems.header", lang, n=len(data.problems))):
            st.text("\n".join(problem_line(p, lang) for p in data.problems[:500]))


# one error boundary per tab: a failing tab shows a message (details in the server log), the others keep working
tab_bodies = {
    "map": map_tab,
    "county": lambda: county_panel.render(data, state.unit, lang, items=selection(data, state.unit, *filters)),
    "compare": lambda: compare.render(data, lang, data_key),
    "check": lambda: checklist.render(CheckContext(
        data=data, base=serving.base, store=serving.store, unit=state.unit, lang=lang, unit_label=unit_label,
        basemap=state.basemap, selected=state.selected,
        map_of=lambda unit, layers, sel: cached_map(data, data_key, unit, layers, state.basemap, lang, sel,
                                                    tianditu_key))),
    "coverage": lambda: coverage_panel.render(data, lang=lang, basemap=state.basemap, unit=state.unit),
    # the link offered in the Share tab opens the tab the user was looking at before
    "share": lambda: share.render(encode(state.with_(tab=ss.get("_view_tab", TAB_KEYS[0])),
                                         default_layers=default_layers), selection(data, state.unit, *filters),
                                  lambda: map_html(export_map(map_data, data_key + json.dumps(filters), state.unit,
                                                              state.layers, state.basemap, lang, map_selected)),
                                  lang, stem=f"dezhou_{state.unit}", basemap=state.basemap,
                                  sheets=share.Sheets(data, data_key, state.unit, state.layers, map_data,
                                                      data_key + json.dumps(filters)),
                                  title=f"{t('app.title', lang)} · {unit_label}", html_key=repr(view_key)),
}
# The map goes out first: Streamlit sends elements in script order, so on the map tab the sidebar is drawn after
# it (the browser then starts the map's iframe before it renders ~30 sidebar widgets); the map tab does not cut its
# run short (no st.rerun), so the sidebar is always drawn. The other tabs keep the sidebar first.
sidebar_after = open_tab == "map"
if not sidebar_after:
    draw_sidebar()
for tab, key, open_ in zip(tabs, TAB_KEYS, is_open, strict=True):
    with tab:
        if open_:
            with tab_boundary(key, lang):
                tab_bodies[key]()
if sidebar_after:
    draw_sidebar()

params = encode(state, default_layers=default_layers)  # after the tabs: a click on the map may select something
current = {k: st.query_params.get(k) for k in st.query_params}
if current != params:
    st.query_params.from_dict(params)
