"""One compact GeoJSON layer per batch of features: styles and the point symbol once, per feature only what differs.

``folium.GeoJson`` writes ~1.5 KB of script per layer (a tooltip and a popup builder, a style switch listing every
feature, a point-to-layer function) and pretty-printed JSON. A :class:`GeoJsonLayer` writes one call of a small
runtime (:data:`RUNTIME_JS`, written once per map by :class:`Runtime`) with compact JSON: the layer's distinct
styles in a list (each feature names its style by position, ``properties.s``), the DivIcon of its point symbols
(when the points are symbols), and per feature its geometry, stable id, tooltip and popup HTML. Features travel as ``[geometry, id, popup, tooltip, style index]``
(a point's geometry as its ``[lon, lat]``, a line's or polygon's as ``[type code, coordinates]``, trailing blanks
left out); the runtime makes them GeoJSON features
again. What Leaflet draws is what
``folium.GeoJson`` drew: ``L.geoJson`` with the same styles, ``L.circleMarker``/``L.marker`` points, sticky
tooltips, popups of at most :data:`layers.draw.POPUP_MAX_WIDTH` px; a click reports ``feature.properties.id``.

HTML in ``tip``/``pop`` must already be escaped (:mod:`layers.popups`); the JSON is written so that no string can
end the ``<script>`` element that holds it.
"""

from __future__ import annotations

import json
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from layers.brief import BRIEF_CLASS, Brief

__all__ = ["RUNTIME_JS", "GeoJsonLayer", "Runtime", "ensure_runtime", "script_json", "sent_layers", "tooltip_text"]

#: The runtime every :class:`GeoJsonLayer` calls (``DZ.layer(parent, spec)``).
RUNTIME_JS = """var DZ = {
types: {P: "Polygon", L: "LineString", MP: "MultiPolygon", ML: "MultiLineString", MPt: "MultiPoint"},
popup: function(p, labels, shared) {
  if (typeof p === "string") { return p; }
  var h = '<div class="dz-pop ' + (p[2] || "dz-brief") + '"><div class="dz-h">' + p[0][0] + "</div>";
  if (p[0].length > 1) { h += '<div class="dz-h2">' + p[0][1] + "</div>"; }
  h += "<table>";
  p[1].forEach(function(r) {
    if (typeof r === "number") { r = shared[r]; }
    h += "<tr><th>" + labels[r[0]] + "</th><td>" + r[1] + "</td></tr>";
  });
  return h + "</table></div>";
},
layer: function(parent, o) {
  var icon = o.icon ? L.divIcon(o.icon) : null;
  function st(f) { return o.styles[(f.properties && f.properties.s) || 0]; }
  var data = o.f.map(function(x) {  // [geometry, id, popup, tooltip, style index]
    var g = x[0], geom = g;
    if (Array.isArray(g)) {
      geom = typeof g[0] === "number" ? {type: "Point", coordinates: g} : {type: DZ.types[g[0]], coordinates: g[1]};
    }
    return {type: "Feature", geometry: geom, properties: {id: x[1], pop: x[2], tip: x[3], s: x[4]}};
  });
  var g = L.geoJson(data, {
    style: st,
    pointToLayer: function(f, ll) {
      if (icon) { return L.marker(ll, Object.assign({icon: icon}, o.marker || {})); }
      return L.circleMarker(ll, Object.assign({radius: o.radius || 5}, st(f)));
    }
  });
  if (o.tip) {
    g.bindTooltip(function(l) {
      var p = l.feature.properties;
      return p.tip || (p.pop && typeof p.pop !== "string" ? p.pop[0][0] : "");
    }, {sticky: true});
  }
  if (o.pop) { g.bindPopup(function(l) { return DZ.popup(l.feature.properties.pop, o.labels || [], o.rows || []); }, o.pop); }
  return g.addTo(parent);
}
};"""


def script_json(obj: Any) -> str:
    """``obj`` as compact JSON for a script: UTF-8 (no ``\\uXXXX`` escapes), no spaces, ``</`` written ``<\\/``."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace(
        "<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class Runtime(MacroElement):
    """Defines :data:`RUNTIME_JS` (once per map, before every layer; see :func:`ensure_runtime`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.js }}
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "DzRuntime"
        self.js = RUNTIME_JS


def ensure_runtime(m: Element) -> None:
    """Make :class:`Runtime` the first child of the map ``m`` (a no-op when it is there already)."""
    for name, child in m._children.items():
        if isinstance(child, Runtime):
            m._children.move_to_end(name, last=False)
            return
    rt = Runtime()
    m.add_child(rt)
    m._children.move_to_end(rt.get_name(), last=False)


_TYPE_CODES = {"Polygon": "P", "LineString": "L", "MultiPolygon": "MP", "MultiLineString": "ML",
               "MultiPoint": "MPt"}
_CODE_TYPES = {v: k for k, v in _TYPE_CODES.items()}


def _short_geometry(geom: dict[str, Any]) -> Any:
    """A GeoJSON geometry as sent: a point as ``[lon, lat]``, a line or polygon as ``[type code, coordinates]``
    (``DZ.types``), anything else (a collection) as it is."""
    kind = geom.get("type")
    if kind == "Point":
        return list(geom["coordinates"])
    if kind in _TYPE_CODES:
        return [_TYPE_CODES[kind], geom["coordinates"]]
    return geom


def _long_geometry(short: Any) -> dict[str, Any]:
    """The inverse of :func:`_short_geometry`."""
    if isinstance(short, list) and short and isinstance(short[0], int | float):
        return {"type": "Point", "coordinates": short}
    if isinstance(short, list):
        return {"type": _CODE_TYPES[short[0]], "coordinates": short[1]}
    return short


class GeoJsonLayer(folium.GeoJson):
    """A GeoJSON layer written compactly (see the module docs). ``features`` carry ``properties`` ``id``, ``tip``,
    ``pop`` (empty ones are dropped) and ``s`` (index into ``styles``); ``icon``: DivIcon options (``html``,
    ``iconSize``, ``iconAnchor``, ``className``) to draw the points as that symbol, else points are circle markers
    of ``radius`` px; ``marker``: Leaflet marker options of the symbols (``zIndexOffset``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = DZ.layer({{ this._parent.get_name() }}, {{ this.spec_json() }});
        {% endmacro %}
    """)

    def __init__(self, features: list[dict[str, Any]], *, styles: list[dict[str, Any]],
                 icon: dict[str, Any] | None = None, marker: dict[str, Any] | None = None, radius: int = 5,
                 popup_options: dict[str, Any] | None = None, name: str | None = None) -> None:
        super().__init__({"type": "FeatureCollection", "features": features}, name=name, control=False)
        self._name = "GeoJsonLayer"
        self.styles = styles or [{}]
        self.icon = icon
        self.marker = None  # folium's marker template is not used
        self.marker_options = marker or {}
        self.radius = radius
        self.popup_options = popup_options or {}

    def style_function(self, feature: dict[str, Any]) -> dict[str, Any]:
        """The Leaflet style of one of this layer's features (as folium's ``style_function``): its ``s``-th style."""
        return self.styles[int(feature.get("properties", {}).get("s") or 0)]

    def render(self, **kwargs: Any) -> Any:
        return MacroElement.render(self, **kwargs)  # no style map: the styles travel in the spec

    def spec_json(self) -> str:
        """The layer as the JSON argument of ``DZ.layer``: a brief popup (:class:`layers.brief.Brief`) travels as
        ``[names, [[label index, value] or shared row index, …], class]`` with the layer's labels once in ``labels``
        and rows shown by several features once in ``rows``; a tooltip equal
        to the popup's first name is left out (the runtime takes the name)."""
        labels: dict[str, int] = {}
        counts: dict[tuple[str, str], int] = {}
        for f in self.data["features"]:
            pop = f.get("properties", {}).get("pop")
            if isinstance(pop, Brief):
                for row in pop.rows:
                    counts[row] = counts.get(row, 0) + 1
        shared: dict[tuple[str, str], int] = {}  # rows that several features show: sent once, named by index
        feats = []
        has_tip = has_pop = False
        for f in self.data["features"]:
            given = f.get("properties", {})
            props: dict[str, Any] = {"id": given.get("id")} if given.get("id") else {}
            pop, tip = given.get("pop"), given.get("tip")
            has_tip = has_tip or bool(tip)
            has_pop = has_pop or bool(pop)
            if isinstance(pop, Brief):
                rows: list[Any] = []
                for row in pop.rows:
                    pair = [labels.setdefault(row[0], len(labels)), row[1]]
                    rows.append(shared.setdefault(row, len(shared)) if counts[row] > 1 else pair)
                props["pop"] = [list(pop.names), rows] + ([pop.cls] if pop.cls != BRIEF_CLASS else [])
                if tip and tip != pop.names[0]:
                    props["tip"] = tip
            else:
                if pop:
                    props["pop"] = str(pop)
                if tip:
                    props["tip"] = tip
            if given.get("s"):
                props["s"] = given["s"]
            geom = f["geometry"]
            packed: list[Any] = [_short_geometry(geom), props.get("id", ""), props.get("pop", ""),
                                 props.get("tip", ""), props.get("s", 0)]
            while len(packed) > 1 and packed[-1] in ("", 0):  # trailing blanks are left out
                packed.pop()
            feats.append(packed)
        spec: dict[str, Any] = {"f": feats, "styles": self.styles}
        if self.icon:
            spec["icon"] = self.icon
            if self.marker_options:
                spec["marker"] = self.marker_options
        else:
            spec["radius"] = self.radius
        if has_tip:
            spec["tip"] = 1
        if has_pop:
            spec["pop"] = {"maxWidth": self.popup_options.get("max_width", 300),
                           "maxHeight": self.popup_options.get("max_height")}
            if labels:
                spec["labels"] = list(labels)
            if shared:
                spec["rows"] = [[labels[k], v] for k, v in shared]
        return script_json(spec)


_CALL = "DZ.layer("


def sent_layers(script: str) -> list[dict[str, Any]]:
    """The :class:`GeoJsonLayer` specs written in a map ``script``, each with its features as GeoJSON again
    (``spec["data"]``, a FeatureCollection; a brief popup stays in its sent form, see
    :meth:`GeoJsonLayer.spec_json`). For tests and the bench: what the browser receives, decoded."""
    out = []
    decoder = json.JSONDecoder()
    start = 0
    while (i := script.find(_CALL, start)) >= 0:
        start = i + len(_CALL)
        j = script.find(",", start)
        try:
            spec, _ = decoder.raw_decode(script[j + 1:].lstrip())
        except ValueError:
            continue
        feats = []
        for x in spec.get("f", []):
            geom = _long_geometry(x[0])
            props = {k: v for k, v in zip(("id", "pop", "tip", "s"), x[1:], strict=False) if v not in ("", 0)}
            feats.append({"type": "Feature", "geometry": geom, "properties": props})
        spec["data"] = {"type": "FeatureCollection", "features": feats}
        out.append(spec)
    return out


def tooltip_text(props: dict[str, Any]) -> str:
    """The tooltip a sent feature shows (its ``tip``, else its brief popup's first name), as the runtime does."""
    pop = props.get("pop")
    return str(props.get("tip") or (pop[0][0] if isinstance(pop, list) else ""))
