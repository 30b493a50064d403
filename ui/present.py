"""Presentation mode (link parameter ``present=1``): for a projector or a shared screen.

Only the map, at the window's full height, with large labels; the unit's headline facts (cited) as a caption;
previous / next through a tour of all units (the city first, then the central city, then round the counties);
no sidebar, no toolbar, no menu. The ← / → keys step through the tour; Esc or the exit button returns to the
normal view of the same unit (the link without ``present``). Works in both languages (``lang``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, cast

import folium
import streamlit as st
from branca.element import Figure, MacroElement
from jinja2 import Template

from geo.text import escape_html
from geo.url_state import decode
from reports.facts import key_facts
from ui.attribution import text as attribution_text
from ui.map_view import cached_map, show_map
from ui.text import tr, unit_name

PARAM = "present"
#: The tour: the city, the central city (德城区, 天衢新区, 陵城区; plan 第三十节), then the counties round the city
#: from the north-west (宁津县) clockwise.
TOUR: tuple[str, ...] = ("city", "371402", "tianqu", "371403", "371422", "371423", "371481", "371424", "371482",
                         "371425", "371427", "371428", "371426")
#: The map's height in pixels before the page's CSS stretches it to the window (also the height without CSS).
MAP_HEIGHT_PX = 760
#: Page CSS of the mode: no sidebar, header, toolbar or menu; the map as tall as the window allows.
PAGE_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], #MainMenu, footer
{display: none !important}
[data-testid="stMainBlockContainer"], .block-container {padding: 0.6rem 1.2rem 0 1.2rem !important;
 max-width: 100% !important}
iframe[title="streamlit_folium.st_folium"] {height: calc(100vh - 10.5rem) !important; min-height: 360px}
.dz-present-title {font-size: 1.9rem; font-weight: 700; line-height: 1.2; margin: 0}
.dz-present-pos {color: #777; font-size: 0.95rem}
.dz-present-facts {font-size: 1.05rem; line-height: 1.45; margin: 0.25rem 0 0 0}
.dz-present-facts small {color: #777; font-size: 0.72rem}
.dz-present-attr {color: #777; font-size: 0.7rem; margin: 0}
"""
#: Map CSS of the mode (inside the map's frame): the map fills its frame, labels and badges 1.6 times larger.
MAP_CSS = """
#map_div, .folium-map {height: 100vh !important}
.dz-html > div {zoom: 1.6}
.dz-legend {zoom: 1.25}
"""


class EscapeToPage(MacroElement):
    """Esc pressed while the map has the focus (inside its frame) is passed on to the page, where the exit
    button's shortcut listens (a key event does not leave an iframe by itself)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        document.addEventListener("keydown", function (e) {
            if (e.key !== "Escape" || window.parent === window) { return; }
            var init = {key: "Escape", code: "Escape", keyCode: 27, which: 27, bubbles: true};
            window.parent.document.dispatchEvent(new window.parent.KeyboardEvent("keydown", init));
        });
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "EscapeToPage"


def requested(params: Mapping[str, Any]) -> bool:
    """True when the link asks for presentation mode (``present=1``)."""
    value = params.get(PARAM)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return str(value or "") in ("1", "true", "yes")


def tour(units: list[str]) -> list[str]:
    """The tour over ``units`` (the codes the data has): :data:`TOUR` order, any other unit at the end."""
    known = [u for u in TOUR if u in units]
    return known + [u for u in units if u not in known]


def neighbours(order: list[str], unit: str) -> tuple[str, str]:
    """(previous, next) of ``unit`` in the tour, going round."""
    i = order.index(unit) if unit in order else 0
    return order[(i - 1) % len(order)], order[(i + 1) % len(order)]


def _go(unit: str) -> None:
    st.query_params["unit"] = unit


def _leave() -> None:
    """Back to the normal view of the same unit: the link without ``present`` decides the view again."""
    if PARAM in st.query_params:
        del st.query_params[PARAM]
    st.session_state.pop("_init", None)


def _lang(lang: str) -> None:
    st.query_params["lang"] = lang


def presented_map(m: folium.Map) -> folium.Map:
    """A copy of the (cached) map with the mode's CSS and key handling; the cached map stays as it is. Made once
    per map and kept on it, so every run of a view reuses the same copy and with it its browser payload
    (``ui.map_view.map_payload``) instead of rendering the map again."""
    out = getattr(m, "_dz_presented", None)
    if out is not None:
        return cast(folium.Map, out)
    out = copy.deepcopy(m)
    # the copy must not inherit the payload (or the presented copy) made for the map itself
    for attr in ("_dz_payload", "_dz_presented"):
        out.__dict__.pop(attr, None)
    root = out.get_root()
    if not isinstance(root, Figure):  # a folium map's root is always a branca Figure
        raise TypeError(f"unexpected map root {type(root).__name__}")
    root.header.add_child(folium.Element(f"<style>{MAP_CSS}</style>"), name="dz_present_css")
    EscapeToPage().add_to(out)
    m._dz_presented = out  # type: ignore[attr-defined]
    return out


def facts_html(data: Any, unit: str, lang: str) -> str:
    """The caption: the unit's headline facts, each with its plan reference in small print (escaped)."""
    parts = []
    for f in key_facts(data, unit, lang):
        parts.append(f"<b>{escape_html(f.label)}</b>: {escape_html(f.value)} <small>[{escape_html(f.ref)}]</small>")
    return '<p class="dz-present-facts">' + " · ".join(parts) + "</p>"


def render(data: Any, data_key: str, *, units: list[str], layer_keys: tuple[str, ...],
           default_layers: tuple[str, ...]) -> None:
    """The whole page in presentation mode (the caller stops the script afterwards)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    state = decode(params, units=units, layer_keys=layer_keys, default_layers=default_layers)
    lang, unit = state.lang, state.unit
    order = tour(units)
    prev_u, next_u = neighbours(order, unit)
    name = tr("unit.city", lang) if unit == "city" else unit_name(data.units, unit, lang)
    st.html(f"<style>{PAGE_CSS}</style>")

    c_prev, c_title, c_next, c_lang, c_exit = st.columns([1.3, 6, 1.3, 1, 1.3], vertical_alignment="center")
    c_prev.button(tr("present.prev", lang), key="present_prev", on_click=_go, args=(prev_u,), shortcut="Left",
                  width="stretch")
    c_title.html(f'<p class="dz-present-title">{escape_html(name)} '
                 f'<span class="dz-present-pos">{order.index(unit) + 1} / {len(order)}</span></p>')
    c_next.button(tr("present.next", lang), key="present_next", on_click=_go, args=(next_u,), shortcut="Right",
                  width="stretch")
    other = "en" if lang == "zh" else "zh"
    c_lang.button(tr("present.other_lang", lang), key="present_lang", on_click=_lang, args=(other,), width="stretch")
    c_exit.button(tr("present.exit", lang), key="present_exit", on_click=_leave, shortcut="Esc", type="primary",
                  width="stretch")
    st.html(facts_html(data, unit, lang))

    m = cached_map(data, data_key, unit, tuple(state.layers), "none" if state.basemap == "tianditu" else state.basemap,
                   lang, None, None)
    show_map(presented_map(m), view=("present", data_key, unit, state.layers, state.basemap, lang),
             height=MAP_HEIGHT_PX, key_prefix="present_map_", returned_objects=[])
    st.html(f'<p class="dz-present-attr">{escape_html(attribution_text(lang))}</p>')
