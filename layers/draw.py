"""Small Folium building blocks shared by the layer modules (GeoJSON batches, SVG point markers, groups).

Geometry passed here is already display-ready (see :mod:`layers.view`). HTML passed as ``popup``/``tooltip``
must already be escaped (see :mod:`layers.popups`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import folium
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from i18n import t
from layers.styles import Style, marker_size, marker_svg

POPUP_MAX_WIDTH = 360
#: Taller popups scroll (a 620 px map leaves about 290 px above a feature in the middle of the frame).
POPUP_MAX_HEIGHT = 260


def layer_name(key: str, lang: str) -> str:
    """Translated name of layer ``key`` (as shown in the layer control)."""
    return t(f"layers.name.{key}", lang)


def feature_group(key: str, lang: str, *, show: bool = True) -> folium.FeatureGroup:
    """A FeatureGroup named with the translated layer name."""
    return folium.FeatureGroup(name=layer_name(key, lang), overlay=True, control=True, show=show)


@dataclass
class GeoBatch:
    """Features collected for one ``folium.GeoJson`` (one script block for many features = small payload)."""

    features: list[dict[str, Any]] = field(default_factory=list)
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, geom: BaseGeometry | None, options: dict[str, Any], *, tooltip: str = "", popup: str = "") -> bool:
        """Add one feature with Leaflet style ``options``; returns False for empty geometry."""
        if geom is None or geom.is_empty:
            return False
        fid = str(len(self.features))
        self.features.append({"type": "Feature", "id": fid, "geometry": mapping(geom),
                              "properties": {"tip": tooltip, "pop": popup}})
        self.styles[fid] = options
        return True

    def __len__(self) -> int:
        return len(self.features)

    def to_geojson(self, *, name: str | None = None, point_radius: int = 0) -> folium.GeoJson | None:
        """The batch as one GeoJson layer (``None`` when empty). Points are drawn as circle markers."""
        if not self.features:
            return None
        styles = self.styles
        has_tip = any(f["properties"]["tip"] for f in self.features)
        has_pop = any(f["properties"]["pop"] for f in self.features)
        kwargs: dict[str, Any] = {}
        if has_tip:
            kwargs["tooltip"] = folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
        if has_pop:
            kwargs["popup"] = folium.GeoJsonPopup(fields=["pop"], labels=False, max_width=POPUP_MAX_WIDTH,
                                                  max_height=POPUP_MAX_HEIGHT)
        if any(f["geometry"]["type"] in ("Point", "MultiPoint") for f in self.features):
            kwargs["marker"] = folium.CircleMarker(radius=point_radius or 5)
        data = {"type": "FeatureCollection", "features": self.features}
        return folium.GeoJson(data, name=name, control=False, style_function=lambda f: styles[f["id"]],
                              highlight_function=None, **kwargs)


def _marker(geom: BaseGeometry, icon: folium.DivIcon, *, tooltip: str, popup: str, z: int | None,
            show_popup: bool, interactive: bool = True) -> folium.Marker:
    """A marker at ``geom`` with the shared popup/tooltip/z-order options."""
    kwargs: dict[str, Any] = {}
    if not interactive:
        kwargs["interactive"] = False
    if popup:
        kwargs["popup"] = folium.Popup(popup, max_width=POPUP_MAX_WIDTH, max_height=POPUP_MAX_HEIGHT, show=show_popup)
    if tooltip:
        kwargs["tooltip"] = folium.Tooltip(tooltip)
    if z is not None:
        kwargs["z_index_offset"] = z * 10
    return folium.Marker(location=(geom.y, geom.x), icon=icon, **kwargs)


def svg_marker(geom: BaseGeometry, st: Style, *, hollow: bool = False, tooltip: str = "", popup: str = "",
               z: int | None = None, show_popup: bool = False) -> folium.Marker:
    """A point symbol from the style registry as a DivIcon marker (cluster-friendly)."""
    size = marker_size(st, hollow=hollow)
    icon = folium.DivIcon(html=marker_svg(st, hollow=hollow), icon_size=(size, size),
                          icon_anchor=(size // 2, size // 2), class_name="dz-pt")
    return _marker(geom, icon, tooltip=tooltip, popup=popup, z=z, show_popup=show_popup)


def html_marker(geom: BaseGeometry, html: str, size: tuple[int, int], anchor: tuple[int, int], *,
                tooltip: str = "", popup: str = "", z: int | None = None, show_popup: bool = False,
                interactive: bool = True) -> folium.Marker:
    """A DivIcon marker with arbitrary (already escaped) HTML: labels and badges.

    ``interactive=False`` (labels): clicks and hovers pass through to the symbols underneath.
    """
    icon = folium.DivIcon(html=html, icon_size=size, icon_anchor=anchor, class_name="dz-html")
    return _marker(geom, icon, tooltip=tooltip, popup=popup, z=z, show_popup=show_popup, interactive=interactive)


def points_of(geom: BaseGeometry) -> list[BaseGeometry]:
    """The points of a Point/MultiPoint geometry (other types: their representative point)."""
    if geom.geom_type == "Point":
        return [geom]
    if geom.geom_type == "MultiPoint":
        return list(geom.geoms)
    return [geom.representative_point()]


def is_point(geom: BaseGeometry | None) -> bool:
    return geom is not None and not geom.is_empty and geom.geom_type in ("Point", "MultiPoint")


def compact_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
