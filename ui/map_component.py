"""The st_folium component, fed from a cache: a map is turned into its browser payload once per view.

``streamlit_folium.st_folium`` renders the whole folium figure twice on every rerun (the page, then each element's
script) — about a second of server CPU for the city map with all layers, repeated for every session, every click
and every widget change. :func:`component_args` does the same work once per map (the same helpers of
streamlit_folium, pinned in requirements.txt) and keeps the result with the cached map; :func:`render` then only
hands the cached strings to the component. The script is sent compact (:func:`layers.payload.compact_script`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import branca
import folium
import streamlit as st
import streamlit_folium as stf

from layers.payload import compact_script

__all__ = ["MapPayload", "component_args", "defaults", "render"]


@dataclass(frozen=True)
class MapPayload:
    """What the st_folium component needs of one map (everything but the per-call options)."""

    script: str  # the Leaflet script (compact)
    header: str  # <style>/<script> of the page head, without external links
    html: str  # the page body without the map div
    map_id: str  # folium's id of the map element
    bounds: list[list[float | None]]  # [[south, west], [north, east]] of the map's content
    zoom: Any  # the map's start zoom option
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    digest: str  # sha256 of the script: the component key follows the content

    @property
    def n_bytes(self) -> int:
        """UTF-8 bytes of the strings sent with the component."""
        return sum(len(s.encode("utf-8")) for s in (self.script, self.header, self.html))


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """CSS and JS links of every element of ``m`` (deduplicated, in order), as st_folium collects them."""
    css: list[str] = []
    js: list[str] = []

    def walk(el: Any) -> None:
        if isinstance(el, branca.colormap.ColorMap):  # pragma: no cover - our maps carry no colormap
            raise ValueError("colormaps need d3 from a CDN; the app works offline")
        css.extend(href for _, href in getattr(el, "default_css", []))
        js.extend(src for _, src in getattr(el, "default_js", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def component_args(m: folium.Map) -> MapPayload:
    """The payload of ``m`` (altered in place by the render: pass a copy you do not need afterwards)."""
    m.get_root().render()
    m.render()
    html = stf._get_html(m)
    header = stf._get_header(m)
    script = compact_script(stf._get_map_string(m))
    try:
        bounds = m.get_bounds()
    except AttributeError:  # pragma: no cover
        bounds = [[None, None], [None, None]]
    css, js = _links(m)
    return MapPayload(script=script, header=header, html=html, map_id=stf.get_full_id(m), bounds=bounds,
                      zoom=m.options.get("zoom"), css_links=tuple(css), js_links=tuple(js),
                      digest=hashlib.sha256(script.encode("utf-8")).hexdigest())


def _bounds_dict(bounds: list[list[float | None]]) -> dict[str, dict[str, float | None]]:
    (s, w), (n, e) = bounds
    return {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}


#: The component's start values (streamlit_folium's frontend, ``updateComponentValue``), in the order its ``_data``
#: object lists them. On mount the frontend compares its value, filtered to ``returned_objects``, with the
#: ``default`` argument as JSON text and sends it (one more script run: ~12 kB and a full rerun for nothing) unless
#: they are equal, so the defaults are exactly those values in that order. ``bounds``, ``zoom`` and ``center``
#: depend on the browser's viewport and cannot match; a caller that returns them gets that extra run.
_FRONTEND_START: dict[str, Any] = {
    "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": 0,
    "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
    "last_active_drawing": None, "last_geocoder_result": None, "bounds": None, "zoom": None,
    "last_circle_radius": None, "last_circle_polygon": None, "center": None, "selected_layers": [],
    "selected_tags": [],
}


def defaults(payload: MapPayload, returned_objects: list[str]) -> dict[str, Any]:
    """The ``default`` argument: what the component returns before the browser sent a value, equal (same keys,
    values and order) to what the frontend sends on mount for the returned objects it knows at start."""
    start = {**_FRONTEND_START, "bounds": _bounds_dict(payload.bounds), "zoom": payload.zoom}
    return {k: v for k, v in start.items() if k in returned_objects}


def render(payload: MapPayload, *, key: str, height: int, returned_objects: list[str],
           center: tuple[float, float] | None = None, zoom: int | None = None,
           on_change: Callable[[], None] | None = None) -> Mapping[str, Any]:
    """Show ``payload`` with the st_folium component (what ``st_folium(..., width=None)`` sends, from the cache)."""
    hash_key = hashlib.sha256(f"{payload.digest}:{key}".encode()).hexdigest()

    def _changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return stf._component_func(
        script=payload.script, header=payload.header, html=payload.html, id=payload.map_id, key=hash_key,
        height=height, width=None, returned_objects=returned_objects, default=defaults(payload, returned_objects),
        zoom=zoom, center=center, feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(payload.css_links), js_links=list(payload.js_links), on_change=_changed,
        wrap_longitude=False) or {}

