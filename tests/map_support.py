"""Reading a built folium map the way the browser gets it: the clickable features with their ids, and the style
Leaflet draws a feature with (for assertions on what is drawn, not on the legend)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import folium

from layers.draw import FeatureMarker


def walk(el: Any) -> Iterator[Any]:
    """Every element under ``el`` (depth first)."""
    for child in el._children.values():
        yield child
        yield from walk(child)


def drawn_features(m: folium.Map) -> list[dict[str, Any]]:
    """Every clickable feature of ``m`` as Leaflet's ``toGeoJSON()`` gives it for a click (what streamlit-folium
    returns as ``last_active_drawing``), with its tooltip text under ``_tip``."""
    out = []
    for el in walk(m):
        if isinstance(el, folium.GeoJson) and isinstance(el.data, dict) and "features" in el.data:
            for f in el.data["features"]:
                out.append({"type": "Feature", "properties": dict(f["properties"]), "geometry": f["geometry"],
                            "_tip": f["properties"].get("tip", "")})
        elif isinstance(el, folium.Marker) and el.options.get("interactive", True):
            tips = [c.text for c in el._children.values() if isinstance(c, folium.Tooltip)]
            fid = el.feature_id if isinstance(el, FeatureMarker) else None
            out.append({"type": "Feature", "properties": {"id": fid},
                        "geometry": {"type": "Point", "coordinates": [el.location[1], el.location[0]]},
                        "_tip": tips[0] if tips else ""})
    return out


def drawn_style(m: folium.Map, fid: str) -> dict[str, Any]:
    """The Leaflet path style of the GeoJSON feature with ``properties.id == fid`` (exactly one must exist)."""
    found = [el.style_function(f) for el in walk(m) if isinstance(el, folium.GeoJson) and isinstance(el.data, dict)
             for f in el.data.get("features", []) if f["properties"].get("id") == fid]
    assert len(found) == 1, f"{len(found)} features with id {fid!r}"
    return found[0]
