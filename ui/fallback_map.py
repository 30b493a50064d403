"""The stand-in map shown (with the error text above it) when layers.map_builder fails at run time: counties and
item points only, same signature as ``build_map``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium

LAYER_KEYS: tuple[str, ...] = ("counties", "items")
DEFAULT_LAYERS: tuple[str, ...] = ("counties", "items")


def layer_feature_counts(data: Any, unit: str = "city", layers: Iterable[str] = LAYER_KEYS) -> dict[str, int]:
    """Features per layer key."""
    return {"counties": len(data.counties), "items": int(data.items.geometry.notna().sum()) if len(data.items) else 0}


def build_map(data: Any, *, unit: str = "city", layers: Iterable[str] = DEFAULT_LAYERS, basemap: str = "none",
              lang: str = "zh", selected: str | None = None, tianditu_key: str | None = None,
              extra_layers: Iterable[Any] = ()) -> folium.Map:
    """Counties and item points, nothing else (WGS84)."""
    m = folium.Map(location=[37.2, 116.6], zoom_start=9, tiles=None if basemap == "none" else "OpenStreetMap")
    layers = set(layers)
    if "counties" in layers and len(data.counties):
        fg = folium.FeatureGroup(name="counties")
        folium.GeoJson(data.counties[["adcode", "name_zh", "geometry"]].to_json(),
                       tooltip=folium.GeoJsonTooltip(["name_zh"])).add_to(fg)
        fg.add_to(m)
    if "items" in layers:
        fg = folium.FeatureGroup(name="items")
        for r in data.items.itertuples():
            g = r.geometry
            if g is None or g.is_empty or g.geom_type != "Point":
                continue
            folium.Marker([g.y, g.x], tooltip=folium.Tooltip(str(r.name_zh))).add_to(fg)
        fg.add_to(m)
    for layer in extra_layers:
        layer.add_to(m)
    folium.LayerControl().add_to(m)
    return m
