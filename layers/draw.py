"""Small Folium building blocks shared by the layer modules (GeoJSON batches, SVG point markers, groups).

Geometry passed here is already display-ready (see :mod:`layers.view`). HTML passed as ``popup``/``tooltip``
must already be escaped (see :mod:`layers.popups`).

Every clickable feature carries its stable id (an item id, a 12-digit town code, a county adcode, a network
feature id): GeoJSON features in ``properties.id``, markers in ``marker.feature.properties.id``. Leaflet's
``toGeoJSON()`` of the clicked layer returns it, and streamlit-folium sends that back as ``last_active_drawing``
(see :func:`ui.map_view.clicked_id`). Clicks are matched by this id, never by a display name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from i18n import t
from layers.brief import Brief
from layers.geojson_layer import GeoJsonLayer
from layers.styles import Style, marker_size, marker_svg

POPUP_MAX_WIDTH = 360
#: Taller popups scroll (a 620 px map leaves about 290 px above a feature in the middle of the frame).
POPUP_MAX_HEIGHT = 260


def add_css(m: folium.Map, css: str, *, name: str) -> None:
    """Put ``<style>css</style>`` once (under ``name``) in the header of the page holding map ``m``."""
    root = m.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"map {m.get_name()} is not on a page (its root is {type(root).__name__})")
    root.header.add_child(Element(f"<style>{css}</style>"), name=name)


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

    def add(self, geom: BaseGeometry | None, options: dict[str, Any], *, fid: str, tooltip: str = "",
            popup: str | Brief = "") -> bool:
        """Add one feature with Leaflet style ``options`` and stable id ``fid`` (``properties.id``); returns False
        for empty geometry."""
        if geom is None or geom.is_empty:
            return False
        if not fid:
            raise ValueError("every feature needs its stable id (fid)")
        key = str(len(self.features))  # the feature's position: the key of its style
        self.features.append({"type": "Feature", "id": key, "geometry": mapping(geom),
                              "properties": {"id": fid, "tip": tooltip, "pop": popup}})
        self.styles[key] = options
        return True

    def __len__(self) -> int:
        return len(self.features)

    def to_geojson(self, *, name: str | None = None, point_radius: int = 0) -> GeoJsonLayer | None:
        """The batch as one compact GeoJSON layer (``None`` when empty): each distinct style once, each feature
        naming its style by position (``properties.s``). Points are drawn as circle markers."""
        if not self.features:
            return None
        distinct: dict[str, int] = {}
        styles: list[dict[str, Any]] = []
        features = []
        for f in self.features:
            opts = self.styles[f["id"]]
            key = json.dumps(opts, sort_keys=True)
            if key not in distinct:
                distinct[key] = len(styles)
                styles.append(opts)
            features.append({"type": "Feature", "geometry": f["geometry"],
                             "properties": {**f["properties"], "s": distinct[key]}})
        return GeoJsonLayer(features, styles=styles, radius=point_radius or 5, name=name,
                            popup_options={"max_width": POPUP_MAX_WIDTH, "max_height": POPUP_MAX_HEIGHT})


class FeatureMarker(folium.Marker):
    """A marker that carries a stable id as a GeoJSON feature (``marker.feature.properties.id``), so the marker's
    ``toGeoJSON()`` (what streamlit-folium returns for a click) names what was clicked."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.marker(
                {{ this.location|tojson }},
                {{ this.options|tojavascript }}
            );
            {{ this.get_name() }}.feature = {"type": "Feature", "properties": {"id": {{ this.feature_id|tojson }}}};
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, location: tuple[float, float], *, feature_id: str, tooltip_html: str = "",
                 popup_html: str | Brief = "", popup_shown: bool = False, **kwargs: Any) -> None:
        super().__init__(location=location, **kwargs)
        self.feature_id = feature_id
        # the strings as given (folium's Popup/Tooltip children hold them rewritten for their templates):
        # layers.payload.merge_markers writes markers of one symbol class as one GeoJSON layer from these
        self.tooltip_html = tooltip_html
        self.popup_html = popup_html
        self.popup_shown = popup_shown
        self.popup_options = {"max_width": POPUP_MAX_WIDTH, "max_height": POPUP_MAX_HEIGHT}


class OnMapGroup(MacroElement):
    """A layer group that joins the map as soon as it is created (a ``folium.FeatureGroup`` joins after its
    children, so a marker inside it cannot open its popup on load). Not listed in the layer control. Clicks on
    its markers reach streamlit-folium through it, like those of any other group."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup().addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "OnMapGroup"


def _marker(geom: BaseGeometry, icon: folium.DivIcon, *, fid: str | None, tooltip: str, popup: str | Brief,
            z: int | None, show_popup: bool, interactive: bool = True) -> folium.Marker:
    """A marker at ``geom`` with the shared popup/tooltip/z-order options; an interactive one carries ``fid``."""
    kwargs: dict[str, Any] = {}
    if not interactive:
        kwargs["interactive"] = False
    if popup:
        kwargs["popup"] = folium.Popup(str(popup), max_width=POPUP_MAX_WIDTH, max_height=POPUP_MAX_HEIGHT, show=show_popup)
    if tooltip:
        kwargs["tooltip"] = folium.Tooltip(tooltip)
    if z is not None:
        kwargs["z_index_offset"] = z * 10
    if not interactive:
        return folium.Marker(location=(geom.y, geom.x), icon=icon, **kwargs)
    if not fid:
        raise ValueError("every clickable marker needs its stable id (fid)")
    return FeatureMarker((geom.y, geom.x), feature_id=fid, icon=icon, tooltip_html=tooltip, popup_html=popup,
                         popup_shown=show_popup, **kwargs)


def svg_marker(geom: BaseGeometry, st: Style, *, fid: str, hollow: bool = False, tooltip: str = "",
               popup: str | Brief = "", z: int | None = None, show_popup: bool = False) -> folium.Marker:
    """A point symbol from the style registry as a DivIcon marker (cluster-friendly) carrying the id ``fid``."""
    size = marker_size(st, hollow=hollow)
    icon = folium.DivIcon(html=marker_svg(st, hollow=hollow), icon_size=(size, size),
                          icon_anchor=(size // 2, size // 2), class_name="dz-pt")
    return _marker(geom, icon, fid=fid, tooltip=tooltip, popup=popup, z=z, show_popup=show_popup)


def html_marker(geom: BaseGeometry, html: str, size: tuple[int, int], anchor: tuple[int, int], *,
                fid: str | None = None, tooltip: str = "", popup: str | Brief = "", z: int | None = None,
                show_popup: bool = False, interactive: bool = True) -> folium.Marker:
    """A DivIcon marker with arbitrary (already escaped) HTML: labels and badges.

    ``interactive=False`` (labels): clicks and hovers pass through to the symbols underneath (no id needed);
    an interactive one carries the id ``fid``.
    """
    icon = folium.DivIcon(html=html, icon_size=size, icon_anchor=anchor, class_name="dz-html")
    return _marker(geom, icon, fid=fid, tooltip=tooltip, popup=popup, z=z, show_popup=show_popup,
                   interactive=interactive)


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
