"""Build the whole Folium map for a unit: basemap, one FeatureGroup per layer, legend, selection (no Leaflet layer control: the sidebar switches layers).

Coordinates: data are WGS84; on the AMap basemap (``datum = gcj02``) every drawn geometry is shifted with
:func:`geo.crs.to_gcj02` for display only. Polygons are simplified for display (``simplify_m``, metres) and all
coordinates are rounded to 5 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.load import PlanData
from geo.text import clean_str
from layers.basemaps import add_basemap, get_basemap
from layers.behaviour import BEHAVIOUR_CSS, FitUnit, MapBehaviour
from layers.boundaries import counties_layer, tianqu_layer
from layers.brief import brief_css
from layers.draw import OnMapGroup, add_css, html_marker, is_point
from layers.geojson_layer import ensure_runtime
from layers.items import county_only_items, county_only_layer, items_layer
from layers.keys import DEFAULT_LAYERS, ITEM_LAYER_KEYS, LAYER_CATEGORIES, LAYER_KEYS
from layers.legend import LEGEND_WIDTH_PX, add_legend
from layers.networks import (
    energy_existing_layer,
    rivers_layer,
    transport_existing_layer,
    transport_planned_layer,
)
from layers.popups import POPUP_CSS, county_only_popup_html, item_popup_html, town_popup_html
from layers.styles import marker_size, marker_svg, style
from layers.towns import roles_by_town, town_areas_layer, towns_layer
from layers.view import View, build_view, unit_list

DEFAULT_SIMPLIFY_M = 60.0
#: The one map centre (lat, lon, WGS84) every map opens on before it is fitted to what it shows.
DEZHOU_CENTER = (37.45, 116.55)
ZOOM_SNAP = 0.1


def _check_layers(layers: Iterable[str]) -> list[str]:
    wanted = set(layers)
    unknown = wanted - set(LAYER_KEYS)
    if unknown:
        raise ValueError(f"unknown layer key(s) {sorted(unknown)}; expected some of {LAYER_KEYS}")
    return [k for k in LAYER_KEYS if k in wanted]


def _n_items_by_county(view: View) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in view.items_by_id.values():
        for code in unit_list(item):
            out[code] = out.get(code, 0) + 1
    return out


def _build_groups(view: View, keys: list[str]) -> list[tuple[str, folium.FeatureGroup, int]]:
    """(layer key, group, feature count) for ``keys`` (plus ``county_only`` when item layers are on)."""
    out: list[tuple[str, folium.FeatureGroup, int]] = []
    for key in keys:
        if key == "counties":
            group, n = counties_layer(view, n_items=_n_items_by_county(view))
        elif key == "tianqu":
            group, n = tianqu_layer(view)
        elif key == "towns":
            group, n = towns_layer(view)
        elif key == "town_areas":
            group, n = town_areas_layer(view)
        elif key == "transport_existing":
            group, n = transport_existing_layer(view)
        elif key == "transport_planned":
            group, n = transport_planned_layer(view)
        elif key == "rivers":
            group, n = rivers_layer(view)
        elif key == "energy_existing":
            group, n = energy_existing_layer(view)
        else:
            group, n = items_layer(view, key)
        out.append((key, group, n))
    item_keys = [k for k in keys if k in LAYER_CATEGORIES]
    if item_keys:
        group, n = county_only_layer(view, item_keys)
        out.append(("county_only", group, n))
    return out


def layer_feature_counts(data: PlanData, unit: str = "city", layers: Iterable[str] = DEFAULT_LAYERS) -> dict[str, int]:
    """How many features each layer shows for ``unit``: polygons, lines and symbols drawn (labels excluded).

    ``county_only`` (present when an item layer is on) is the number of items listed in the county badges
    instead of being drawn as pins.
    """
    keys = _check_layers(layers)
    view = build_view(data, unit, lang="zh", shift=False, simplify_m=0.0)
    return {key: n for key, _, n in _build_groups(view, keys)}


def _bounds(geom: BaseGeometry, pad_deg: float = 0.0) -> list[list[float]]:
    minx, miny, maxx, maxy = geom.bounds
    return [[miny - pad_deg, minx - pad_deg], [maxy + pad_deg, maxx + pad_deg]]


def outline_bounds(view: View) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the unit's display outline (the city's for ``city``): what the map fits.

    Never the networks: lines reach beyond Dezhou, the view is about the unit.
    """
    outline = view.display(view.outline)
    if outline is None or outline.is_empty:
        return None
    return _bounds(outline)


def _outline_of_unit(view: View, code: str) -> BaseGeometry | None:
    """Display outline of a county (adcode) or of ``tianqu`` (``None`` when the view has none)."""
    if code == "tianqu":
        gdf = view.tianqu
        match = gdf.iloc[:1] if gdf is not None else None
    else:
        gdf = view.counties
        match = gdf[gdf["adcode"].astype(str) == code] if gdf is not None and "adcode" in gdf.columns else None
    return match.geometry.iloc[0] if match is not None and len(match) else None


def _area_of_town(view: View, code: str) -> BaseGeometry | None:
    """Display geometry of a town's approximate area (``None`` when there is none)."""
    areas = view.town_areas
    if areas is None or not len(areas) or "code" not in areas.columns:
        return None
    match = areas[areas["code"].astype(str) == code]
    return match.geometry.iloc[0] if len(match) else None


def _find_selected(view: View, selected: str, data: PlanData) -> tuple[BaseGeometry | None, str, BaseGeometry | None]:
    """Display geometry, popup HTML and what to fit of an item id or town code (``None`` geometry when not found).

    What is fitted follows how precisely the thing is located: a county-only item fits its county's outline (its
    popup at the county badge), a town-precision item and a town fit the town's area (its point when there is no
    area), a site or a line fits itself."""
    item = view.items_by_id.get(selected)
    if item is not None:
        geom = None
        items_gdf = data.items
        match = items_gdf[items_gdf["id"].astype(str) == selected] if len(items_gdf) else items_gdf
        if len(match):
            geom = view.clip(match.geometry.iloc[0])
        precision = clean_str(item.get("precision"))
        if precision == "county" or geom is None or geom.is_empty:
            codes = [c for c in unit_list(item) if c in view.label_points]
            if not codes:
                return None, "", None
            code = view.unit if view.unit in codes else codes[0]
            pool = [it for it in county_only_items(view, ITEM_LAYER_KEYS).get(code, [])] or [item]
            return (view.label_points[code], county_only_popup_html(view.unit_name(code), pool, view.lang),
                    _outline_of_unit(view, code))
        town_code = clean_str(item.get("town_code"))
        town = view.towns_by_code.get(town_code, {})
        town_name = clean_str(town.get("name_zh") if view.lang == "zh" else town.get("name_en"))
        shown = view.display(geom)
        fit = _area_of_town(view, town_code) if precision == "town" else None
        return shown, item_popup_html(item, view.lang, units=view.units, town_name=town_name or None), fit or shown
    selected_town = view.towns_by_code.get(selected)
    if selected_town is not None:
        towns = data.towns
        match = towns[towns["code"].astype(str) == selected]
        geom = match.geometry.iloc[0] if len(match) else None
        if geom is None or geom.is_empty:
            return None, "", None
        roles = roles_by_town(view).get(selected, [])
        if not roles and len(data.town_roles):
            r = data.town_roles
            roles = [x for x in r.drop(columns=r.geometry.name).to_dict("records")
                     if clean_str(x.get("town_code")) == selected]
        shown = view.display(geom)
        return shown, town_popup_html(selected_town, roles, view.lang, units=view.units), _area_of_town(view, selected) or shown
    return None, "", None


def _selection_bounds(geom: BaseGeometry) -> list[list[float]]:
    """The bounds to zoom to for a selected feature (a point: ±0.02°; else its bounds ±0.01°)."""
    if is_point(geom):
        return _bounds(geom if geom.geom_type == "Point" else geom.centroid, 0.02)
    return _bounds(geom, 0.01)


POPUP_MARGIN_PX = 10


class KeepPopupInView(MacroElement):
    """Pan the map so the open popup lies wholly inside it, at least ``margin`` px from every edge.

    Leaflet's own autoPan runs once, when the popup opens, before the map frame has its final size (the Streamlit
    iframe is sized after the script ran) and before the popup's content is laid out, so a tall popup could be cut
    off at the top. This check runs again when the map is ready, on window load, on every resize and popup open,
    and shortly after (for late layout).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map, pad) {
            function keepPopupInView() {
                var popup = null;
                map.eachLayer(function(l) { if (l instanceof L.Popup && map.hasLayer(l)) { popup = l; } });
                var el = popup && popup.getElement();
                if (!el) { return; }
                var mr = map.getContainer().getBoundingClientRect(), pr = el.getBoundingClientRect();
                var dx = 0, dy = 0;
                if (pr.top < mr.top + pad) { dy = pr.top - mr.top - pad; }
                else if (pr.bottom > mr.bottom - pad) { dy = Math.min(pr.bottom - mr.bottom + pad, pr.top - mr.top - pad); }
                if (pr.left < mr.left + pad) { dx = pr.left - mr.left - pad; }
                else if (pr.right > mr.right - pad) { dx = Math.min(pr.right - mr.right + pad, pr.left - mr.left - pad); }
                if (dx || dy) { map.panBy([dx, dy], {animate: false}); }
            }
            map.whenReady(keepPopupInView);
            map.on("resize popupopen", function() { setTimeout(keepPopupInView, 0); });
            window.addEventListener("load", keepPopupInView);
            [100, 400, 1000].forEach(function(ms) { setTimeout(keepPopupInView, ms); });
        })({{ this._parent.get_name() }}, {{ this.margin }});
        {% endmacro %}
    """)

    def __init__(self, margin: int = POPUP_MARGIN_PX) -> None:
        super().__init__()
        self._name = "KeepPopupInView"
        self.margin = int(margin)


def _add_selection(m: folium.Map, geom: BaseGeometry, popup: str, fid: str) -> None:
    """Halo around the selected feature (id ``fid``) with its popup open.

    Call after ``fit_bounds`` (the popup then pans into view after the fit). The marker holding the open popup
    goes into a group already on the map (:class:`layers.draw.OnMapGroup`): Leaflet's ``openPopup`` does nothing
    for a marker not on a map yet. The halo and the marker carry ``fid`` like every clickable feature.
    """
    sel = style("selected")
    group = OnMapGroup().add_to(m)
    if is_point(geom):
        pt = geom if geom.geom_type == "Point" else geom.centroid
        size = marker_size(sel)
        html_marker(pt, marker_svg(sel), (size, size), (size // 2, size // 2), fid=fid, popup=popup, z=99,
                    show_popup=True).add_to(group)
    else:
        folium.GeoJson({"type": "Feature", "properties": {"id": fid}, "geometry": mapping(geom)}, control=False,
                       style_function=lambda _f: {"color": sel.color, "weight": 10, "opacity": 0.6,
                                                  "fillOpacity": 0.1}).add_to(group)
        anchor = geom.interpolate(0.5, normalized=True) if "Line" in geom.geom_type else geom.representative_point()
        html_marker(anchor, "", (1, 1), (0, 0), fid=fid, popup=popup, show_popup=True).add_to(group)
    KeepPopupInView().add_to(m)


def build_map(data: PlanData, *, unit: str = "city", layers: Iterable[str] = DEFAULT_LAYERS, basemap: str = "none",
              lang: str = "zh", selected: str | None = None, tianditu_key: str | None = None,
              extra_layers: Iterable[Any] = (), simplify_m: float = DEFAULT_SIMPLIFY_M,
              shade_matches: bool = False) -> folium.Map:
    """The Folium map of ``unit`` (``city``, a county adcode or ``tianqu``) with the layer keys ``layers``.

    ``basemap``: a key of :data:`layers.basemaps.BASEMAPS` (``tianditu`` needs ``tianditu_key``).
    ``selected``: an item id or a 12-digit town code to zoom to, with its popup open.
    ``extra_layers``: Folium layers added as they are (e.g. a user's uploaded boundary file).
    ``simplify_m``: display simplification tolerance in metres (0 = none).
    ``shade_matches``: shade the counties by the number of ``data.items`` (then the filtered items) they list.
    """
    keys = _check_layers(layers)
    bm = get_basemap(basemap)
    if bm.needs_key and not tianditu_key:
        raise ValueError(f"basemap {basemap!r} needs a user key (tianditu_key); none given")
    view = build_view(data, unit, lang=lang, shift=bm.datum == "gcj02", simplify_m=simplify_m)

    # zoom_snap 0.1: fitBounds fills the frame instead of dropping a whole zoom level (a 2x smaller city)
    m = folium.Map(location=DEZHOU_CENTER, zoom_start=9, tiles=None, control_scale=True, max_zoom=bm.max_zoom,
                   prefer_canvas=False, zoom_snap=ZOOM_SNAP)
    ensure_runtime(m)  # the compact GeoJSON layers' runtime (layers.geojson_layer), before every layer
    add_basemap(m, basemap, lang=lang, tianditu_key=tianditu_key)
    groups = _build_groups(view, keys)
    if shade_matches:  # under everything else: the shading must not catch clicks meant for lines and points
        from layers.match_shading import match_counts, match_layer

        match_layer(view, match_counts(data.items))[0].add_to(m)
    for _, group, _ in groups:
        group.add_to(m)
    for layer in extra_layers:
        layer.add_to(m)
    legend = add_legend(m, view.legend, [*(["match"] if shade_matches else []), *keys, "county_only"], lang)
    # no Leaflet layer control: the sidebar (and the link) is the one place where layers are switched

    bounds = None
    geom, popup, fit = _find_selected(view, str(selected), data) if selected else (None, "", None)
    if fit is not None and not fit.is_empty:
        bounds = _selection_bounds(fit)
    if bounds is None:
        bounds = outline_bounds(view)
    if bounds is not None:
        # keep the unit clear of the bottom-left legend where the map is wide enough: Leaflet fits into the frame
        # minus this left margin (a tall unit is only shifted right; a wide one zooms out a little); a narrow map
        # (a phone) gets no margin, its legend starts collapsed. The user's view of the same unit and selection
        # is kept when only the layers, the basemap or the language change (layers.behaviour).
        left = LEGEND_WIDTH_PX + 10 if legend is not None else 10
        FitUnit(bounds, padding_top_left=(left, 10), padding_bottom_right=(10, 10),
                view_id=f"{unit}|{selected or ''}").add_to(m)
    MapBehaviour().add_to(m)
    if geom is not None:
        _add_selection(m, geom, popup, str(selected))
    add_css(m, f".dz-pt,.dz-html{{background:none;border:none}}{POPUP_CSS}{brief_css(lang)}{BEHAVIOUR_CSS}",
            name="dz_css")
    return m
