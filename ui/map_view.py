"""The map: build it (cached) with the teammate's ``layers.map_builder`` and show it with st_folium."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import os
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

try:  # the layers part; a minimal stand-in keeps the app usable while it is missing
    from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS, build_map, layer_feature_counts
    LAYERS_AVAILABLE = True
except ImportError:  # pragma: no cover - only before layers/ lands
    from ui.fallback_map import DEFAULT_LAYERS, LAYER_KEYS, build_map, layer_feature_counts
    LAYERS_AVAILABLE = False

__all__ = ["DEFAULT_LAYERS", "LAYER_KEYS", "LAYERS_AVAILABLE", "cached_map", "feature_counts", "show_map",
           "map_html", "locate"]

RETURNED = ["last_object_clicked_tooltip", "last_object_clicked"]


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_map(_data: Any, data_key: str, unit: str, layers: tuple[str, ...], basemap: str, lang: str,
               selected: str | None, tianditu_key: str | None) -> tuple[folium.Map, str | None]:
    """``build_map`` result cached per (data version, view), and an error text when the layers part failed
    (then a minimal stand-in map is returned). Tianditu without a key falls back to no basemap."""
    if basemap == "tianditu" and not tianditu_key:
        basemap = "none"
    try:
        return build_map(_data, unit=unit, layers=list(layers), basemap=basemap, lang=lang, selected=selected,
                         tianditu_key=tianditu_key or None), None
    except Exception as exc:  # noqa: BLE001 - keep the app usable; the error is shown to the user
        from ui import fallback_map

        m = fallback_map.build_map(_data, unit=unit, layers=fallback_map.LAYER_KEYS, lang=lang)
        return m, f"{type(exc).__name__}: {exc}"


VENDOR = Path(__file__).resolve().parent / "vendor"
_LOCAL_ASSETS = {  # CDN file name -> vendored copy (served inline when offline assets are on)
    "leaflet.js": VENDOR / "leaflet-1.9.3" / "leaflet.js",
    "leaflet.css": VENDOR / "leaflet-1.9.3" / "leaflet.css",
    "jquery-3.7.1.min.js": VENDOR / "jquery-3.7.1" / "jquery.min.js",
}


def offline_assets_enabled() -> bool:
    """``DEZHOU_OFFLINE_ASSETS=1``: Leaflet and jQuery travel inline with the map (no CDN; +~310 KB per map)."""
    return os.environ.get("DEZHOU_OFFLINE_ASSETS", "") in ("1", "true", "yes")


@functools.cache
def _data_uri(path: Path) -> str:
    mime = "text/css" if path.suffix == ".css" else "text/javascript"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _localise(elem: Any) -> None:
    for attr in ("default_js", "default_css"):
        links = getattr(elem, attr, None)
        if not links:
            continue
        kept = []
        for name, url in links:
            local = _LOCAL_ASSETS.get(str(url).rsplit("/", 1)[-1])
            if local is not None and local.is_file():
                kept.append((name, _data_uri(local)))
            # other CDN assets (bootstrap, font-awesome, awesome-markers) are not needed by our layers: dropped
        setattr(elem, attr, kept)
    for child in getattr(elem, "_children", {}).values():
        _localise(child)


def prepared(m: folium.Map) -> folium.Map:
    """A copy of the cached map ready to render (st_folium and HTML export alter the tree they render),
    with Leaflet/jQuery inlined when :func:`offline_assets_enabled`."""
    out = copy.deepcopy(m)
    if offline_assets_enabled():
        _localise(out)
    return out


def map_html(m: folium.Map, key: tuple) -> str:
    """Standalone HTML of ``m`` (rendered from a copy: the cached map stays untouched)."""
    return prepared(m).get_root().render()


@st.cache_resource(show_spinner=False, max_entries=32)
def feature_counts(_data: Any, data_key: str, unit: str = "city") -> dict[str, int]:
    """Features per map layer key for ``unit`` (all layer keys)."""
    try:
        return dict(layer_feature_counts(_data, unit, LAYER_KEYS))
    except TypeError:
        return dict(layer_feature_counts(_data))
    except Exception:  # noqa: BLE001 - counts are decoration; never break the sidebar
        return {}


def locate(data: Any, key: str | None) -> tuple[float, float] | None:
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


def show_map(m: folium.Map, *, view: tuple, center: tuple[float, float] | None = None, height: int = 620) -> dict:
    """Render ``m``; only clicks on objects come back (pan/zoom cause no rerun).

    The component key follows the view, so a changed view mounts a fresh Leaflet map (re-running a new map
    script inside the old iframe leaves stale globals behind) and an old click is not reported again.
    """
    key = "plan_map_" + hashlib.sha1(repr(view).encode("utf-8")).hexdigest()[:10]
    # st_folium alters the folium tree it renders; the cached map must stay pristine (a second pass over the
    # same object yields a different, broken script), so it gets a copy (~10 ms)
    return st_folium(prepared(m), key=key, height=height, width=None, returned_objects=RETURNED,
                     center=center, zoom=12 if center else None) or {}


def clicked_item(data: Any, out: dict) -> str | None:
    """The item id or town code the user clicked on: by tooltip text (longest name found in it), else the
    nearest item or town point within ~1 km of the clicked object."""
    tip = str(out.get("last_object_clicked_tooltip") or "")
    items, towns = data.items, data.towns
    candidates: list[tuple[str, list[object], Any]] = []
    if len(items):
        candidates += [(str(i), [zh, en], g) for i, zh, en, g in
                       zip(items["id"], items["name_zh"], items["name_en"], items.geometry, strict=True)]
    if len(towns):
        candidates += [(str(c), [zh, en], g) for c, zh, en, g in
                       zip(towns["code"], towns["name_zh"], towns["name_en"], towns.geometry, strict=True)]
    if tip:
        best: tuple[int, str] | None = None
        for key, names, _ in candidates:
            if key in tip:
                return key
            for n in names:
                n = str(n or "")
                if len(n) >= 2 and n in tip and (best is None or len(n) > best[0]):
                    best = (len(n), key)
        if best:
            return best[1]
    pt = out.get("last_object_clicked")
    if isinstance(pt, dict) and "lat" in pt and "lng" in pt:
        lat, lng = float(pt["lat"]), float(pt["lng"])
        best_d, best_key = 1e9, None
        for key, _, g in candidates:
            if g is not None and not g.is_empty and g.geom_type == "Point":
                d = (g.x - lng) ** 2 + (g.y - lat) ** 2
                if d < best_d:
                    best_d, best_key = d, key
        if best_key is not None and best_d < 0.01 ** 2:
            return best_key
    return None
