"""The map: build it (cached) with ``layers.map_builder`` and show it with st_folium.

Front-end assets never come from a CDN: :func:`localise` points folium's ``<script>``/``<link>`` URLs at the copies
in ``static/vendor`` (served by Streamlit at ``/app/static/vendor/…``, ``server.enableStaticServing``) and drops the
CDN assets our maps do not use; :func:`map_html` inlines them so the exported page opens offline.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.load import PlanData
from geo.text import clean_str
from layers.basemaps import export_basemap
from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS, build_map, layer_feature_counts
from layers.payload import merge_markers
from ui.map_component import MapPayload, component_args
from ui.map_component import render as render_component

__all__ = ["DEFAULT_LAYERS", "LAYER_KEYS", "LOCAL_ASSETS", "UNUSED_ASSETS", "STATIC_URL", "VENDOR", "cached_map",
           "feature_counts", "show_map", "map_html", "export_map", "localise", "prepared", "locate", "clicked_id",
           "clicked_item", "click_key", "uses_jquery", "JQUERY_URL", "map_payload"]

#: What a click sends back: the clicked feature as GeoJSON (its ``properties.id``) and the click count (so a second
#: click on the same feature is a new click). Panning and zooming send nothing (no rerun).
RETURNED = ["last_active_drawing", "last_object_clicked_count"]

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
"""Vendored Leaflet, jQuery and Leaflet.markercluster (see static/vendor/README.md)."""
STATIC_URL = "/app/static/vendor/"
"""Where Streamlit serves :data:`VENDOR` (absolute path: the st_folium iframe is served from the same origin)."""

LOCAL_ASSETS: dict[str, str] = {  # CDN URL written by folium 0.20 -> file under static/vendor
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet-1.9.3/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet-1.9.3/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        "leaflet.markercluster-1.1.0/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css":
        "leaflet.markercluster-1.1.0/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        "leaflet.markercluster-1.1.0/MarkerCluster.Default.css",
}
# folium adds these to every map for its Icon/awesome markers and Bootstrap-styled popups. Our layers draw
# DivIcon/SVG symbols and popups with their own dz-* classes (no btn/table/glyphicon/fa-* class, no
# L.AwesomeMarkers call), so they are dropped: ~300 KB less and no request that cannot work offline.
UNUSED_ASSETS: frozenset[str] = frozenset({
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
})


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_map(_data: PlanData, data_key: str, unit: str, layers: tuple[str, ...], basemap: str, lang: str,
               selected: str | None, tianditu_key: str | None, shade_matches: bool = False) -> folium.Map:
    """``build_map`` result cached per (data version, view). Tianditu without a key (the sidebar warns about it)
    is drawn without a basemap."""
    if basemap == "tianditu" and not tianditu_key:
        basemap = "none"
    return build_map(_data, unit=unit, layers=list(layers), basemap=basemap, lang=lang, selected=selected,
                     tianditu_key=tianditu_key or None, shade_matches=shade_matches)


def localise(elem: Any) -> Any:
    """Point the CDN ``<script>``/``<link>`` URLs of ``elem`` and its children at :data:`STATIC_URL` (in place;
    returns ``elem``). :data:`UNUSED_ASSETS` are dropped; unknown URLs are kept (a unit test catches them)."""
    for attr in ("default_js", "default_css"):
        links = getattr(elem, attr, None)
        if not links:
            continue
        kept = []
        for name, url in links:
            if url in UNUSED_ASSETS:
                continue
            local = LOCAL_ASSETS.get(url)
            kept.append((name, STATIC_URL + local if local else url))
        setattr(elem, attr, kept)  # instance attribute: the class default stays as folium wrote it
    for child in getattr(elem, "_children", {}).values():
        localise(child)
    return elem


def prepared(m: folium.Map) -> folium.Map:
    """A localised copy of the cached map, ready to render (st_folium and HTML export alter the tree they
    render, the cached map stays untouched); point markers of one symbol class written as one GeoJSON layer
    (:func:`layers.payload.merge_markers`)."""
    copied = localise(copy.deepcopy(m))
    merge_markers(copied)
    return copied


JQUERY_URL = STATIC_URL + LOCAL_ASSETS["https://code.jquery.com/jquery-3.7.1.min.js"]
_JQUERY_USE = re.compile(r"\$\(|\$\.|\bjQuery\b")


def uses_jquery(script: str) -> bool:
    """True if ``script`` may call jQuery (``$(…)``, ``$.…``, ``jQuery``): folium's HTML popups of single markers
    and ``objects_in_front`` do; the app's merged layers (:func:`layers.payload.merge_markers`) do not. A ``$(`` in
    a data string counts too (jQuery is then loaded for nothing, never missing)."""
    return _JQUERY_USE.search(script) is not None


def map_payload(m: folium.Map) -> MapPayload:
    """What the st_folium component gets for ``m``: made once per map object and kept on it (the app's maps come
    from :func:`cached_map`, so every session and every rerun of a view reuse it). jQuery (folium lists it for every
    map) is loaded only when the script uses it: one script less to fetch and run before the map draws."""
    payload = getattr(m, "_dz_payload", None)
    if payload is None:
        payload = component_args(prepared(m))
        if not uses_jquery(payload.script):
            payload = dataclasses.replace(payload, js_links=tuple(u for u in payload.js_links if u != JQUERY_URL))
        m._dz_payload = payload  # type: ignore[attr-defined]
    return payload


@functools.cache
def _asset_text(rel: str) -> str:
    text = (VENDOR / rel).read_text(encoding="utf-8")
    if rel.endswith(".css"):  # images referenced by the stylesheet travel along as data URIs
        base = (VENDOR / rel).parent

        def _img(mt: re.Match) -> str:
            p = base / mt.group(1)
            if not p.is_file():
                return mt.group(0)
            return "url(data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii") + ")"

        text = re.sub(r"url\((images/[^)]+\.png)\)", _img, text)
    return text


_LOCAL_TAG = re.compile(r'<script src="' + re.escape(STATIC_URL) + r'([^"]+)"></script>'
                        r'|<link rel="stylesheet" href="' + re.escape(STATIC_URL) + r'([^"]+)"/>')


def inline_assets(html: str) -> str:
    """``html`` with every ``<script>``/``<link>`` of :data:`STATIC_URL` replaced by the file's content inline
    (``<script>…</script>``, ``<style>…</style>``; Leaflet's images as data URIs)."""
    def _sub(mt: re.Match) -> str:
        if mt.group(1):
            return "<script>" + _asset_text(mt.group(1)).replace("</script", "<\\/script") + "</script>"
        return "<style>" + _asset_text(mt.group(2)) + "</style>"

    return _LOCAL_TAG.sub(_sub, html)


def export_map(_data: Any, data_key: str, unit: str, layers: tuple[str, ...], basemap: str, lang: str,
               selected: str | None) -> folium.Map:
    """The map for the HTML export: the current view on :func:`layers.basemaps.export_basemap` — never with the
    user's Tianditu key (there is no key parameter: an exported file must not carry it)."""
    return cached_map(_data, data_key, unit, layers, export_basemap(basemap), lang, selected, None)


def map_html(m: folium.Map, key: tuple = ()) -> str:
    """Standalone HTML of ``m`` that opens without internet: Leaflet (jQuery and markercluster when used)
    inline; only an online basemap's tiles are fetched. Rendered from a copy (the cached map stays untouched)."""
    page = prepared(m)
    # the exported page has no sidebar: a (collapsed) Leaflet layer control switches its layers there
    folium.LayerControl(collapsed=True, position="topright").add_to(page)
    html = page.get_root().render()
    tag = f'<script src="{JQUERY_URL}"></script>'
    if not uses_jquery(html.replace(tag, "")):  # jQuery only where the page uses it (see map_payload)
        html = html.replace(tag, "")
    return inline_assets(html)


@st.cache_resource(show_spinner=False, max_entries=32)
def feature_counts(_data: PlanData, data_key: str, unit: str = "city") -> dict[str, int]:
    """Features per map layer key for ``unit`` (all layer keys)."""
    return layer_feature_counts(_data, unit, LAYER_KEYS)


def locate(data: PlanData, key: str | None) -> tuple[float, float] | None:
    """(lat, lon) of an item (representative point) or a town, or ``None``."""
    if not key:
        return None
    items = data.items
    if len(items):
        hit = items[items["id"] == key]
        if len(hit):
            g = hit.geometry.iloc[0]
            if g is not None and not g.is_empty:
                p = g.representative_point() if g.geom_type != "Point" else g
                return (p.y, p.x)
            return None
    towns = data.towns
    if len(towns):
        hit = towns[towns["code"].astype(str) == key]
        if len(hit) and hit.geometry.iloc[0] is not None:
            p = hit.geometry.iloc[0]
            return (p.y, p.x)
    return None


def show_map(m: folium.Map, *, view: tuple, center: tuple[float, float] | None = None, height: int = 620,
             key_prefix: str = "plan_map_", returned_objects: list[str] | None = None,
             feature_group: folium.FeatureGroup | None = None) -> dict:
    """Render ``m`` (localised: assets from /app/static/vendor, never a CDN); by default only clicks on objects
    come back (pan/zoom cause no rerun). Every map of the app goes through here.

    The component key follows the view, so a changed view mounts a fresh Leaflet map (re-running a new map
    script inside the old iframe leaves stale globals behind) and an old click is not reported again.
    """
    key = key_prefix + hashlib.sha1(repr(view).encode("utf-8")).hexdigest()[:10]
    if feature_group is not None:  # a layer drawn on top (the officials' chosen spot): st_folium adds it live
        return st_folium(prepared(m), key=key, height=height, width=None,
                         returned_objects=RETURNED if returned_objects is None else returned_objects,
                         center=center, zoom=12 if center else None, feature_group_to_add=feature_group) or {}
    # the payload (render of a copy: the cached map stays pristine) is made once per map, see map_payload
    return dict(render_component(map_payload(m), key=key, height=height,
                                 returned_objects=RETURNED if returned_objects is None else returned_objects,
                                 center=center, zoom=12 if center else None))


def clicked_id(out: Mapping[str, Any] | None) -> str | None:
    """The stable id of the feature the user last clicked (``properties.id`` of the GeoJSON feature that
    streamlit-folium returns as ``last_active_drawing``, see :mod:`layers.draw`); ``None`` before any click."""
    drawing = (out or {}).get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    fid = clean_str(props.get("id")) if isinstance(props, Mapping) else ""
    return fid or None


def click_key(out: Mapping[str, Any] | None) -> str:
    """Identifies one click: a new click (even on the same feature) gives a new key."""
    out = out or {}
    return f"{out.get('last_object_clicked_count')}:{clicked_id(out)}"


def clicked_item(data: PlanData, out: Mapping[str, Any] | None) -> str | None:
    """The item id or town code of the feature the user clicked on, matched by its stable id (never by a name);
    ``None`` for a click on anything else (a county, a river, a county badge) or before any click."""
    fid = clicked_id(out)
    if fid is None:
        return None
    if fid in set(data.items["id"].astype(str)) or fid in set(data.towns["code"].astype(str)):
        return fid
    return None
