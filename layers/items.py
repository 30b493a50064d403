"""Plan items (projects.csv) by layer family, drawn according to their location precision.

- ``site``: solid symbol at the point;
- ``town``: the same symbol hollow (a ring) at the town point, popup says "placed at town";
- ``schematic``: dashed line (the item's planned_works geometry);
- ``county``: no pin: one badge per county at the county label ("N items located only to county"), its popup
  lists them (:func:`county_only_layer`);
- ``none``: not drawn (listed by the UI).

Point layers with many symbols are clustered (MarkerCluster) until zoom :data:`CLUSTER_UNTIL_ZOOM`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import folium
from folium.plugins import MarkerCluster

from geo.text import clean_str, escape_html
from layers.boundaries import TIANQU_LABEL_UNITS
from layers.brief import item_brief_html
from layers.draw import GeoBatch, feature_group, html_marker, is_point, points_of, svg_marker
from layers.keys import LAYER_CATEGORIES
from layers.popups import county_only_popup_html, item_tooltip
from layers.styles import POINT_SHAPES, Style, badge_html, mode_style, status_style, style, work_line_options
from layers.view import View, records, unit_list

CLUSTER_MIN = 25  # cluster a layer when it has at least this many point symbols
CLUSTER_UNTIL_ZOOM = 12


def item_rows(view: View, key: str) -> list[tuple[dict[str, Any], Any]]:
    """(item, display geometry) of the view's items drawn in layer ``key``."""
    categories = LAYER_CATEGORIES[key]
    return [(p, g) for p, g in records(view.items) if clean_str(p.get("category")) in categories]


def town_name(view: View, code: Any) -> str:
    town = view.towns_by_code.get(clean_str(code), {})
    return clean_str(town.get("name_zh") if view.lang == "zh" else (town.get("name_en") or town.get("name_zh")))


def drawn_items(rows: Iterable[tuple[dict[str, Any], Any]], *,
                skip_ids: set[str] | None = None) -> Iterator[tuple[dict[str, Any], Any, str]]:
    """(item, geometry, precision) of the ``rows`` drawn as symbols: not in ``skip_ids``, with a geometry, and
    placed at a site, a town or along a schematic line (county- and none-precision items go to the county badge)."""
    skip_ids = skip_ids or set()
    for item, geom in rows:
        if clean_str(item.get("id")) in skip_ids or geom is None or geom.is_empty:
            continue
        precision = clean_str(item.get("precision"))
        if precision not in ("county", "none"):
            yield item, geom, precision


def item_style(key: str, item: Mapping[str, Any], base: Style) -> Style:
    """The symbol style of an item in layer ``key``: ``base``, except planned transport works whose mode has a
    point symbol (airports, interchanges), which take it."""
    if key == "transport_planned" and mode_style(item.get("subtype")).shape in POINT_SHAPES:
        return mode_style(item.get("subtype"))
    return base


def add_item_symbols(view: View, key: str, rows: Iterable[tuple[dict[str, Any], Any]], group: folium.FeatureGroup,
                     *, style_key: str | None = None, skip_ids: set[str] | None = None) -> int:
    """Draw the site/town/schematic items of ``rows`` into ``group``; returns the number of features drawn."""
    base = style(style_key or f"item.{key}")
    markers: list[folium.Marker] = []
    lines = GeoBatch()
    for item, geom, precision in drawn_items(rows, skip_ids=skip_ids):
        item_id = clean_str(item.get("id"))
        st = item_style(key, item, base)
        popup_town = town_name(view, item.get("town_code")) if precision == "town" else None
        popup = item_brief_html(item, view.lang, units=view.units, town_name=popup_town)
        tip = item_tooltip(item, view.lang)
        if is_point(geom):
            hollow = precision in ("town", "schematic")
            for pt in points_of(geom):
                markers.append(svg_marker(pt, st, fid=item_id, hollow=hollow, tooltip=tip, popup=popup, z=st.z))
            view.use(key, st.key)
            view.use(key, "precision.town" if hollow else "precision.site")
        elif "Line" in geom.geom_type:
            opts = {"color": st.color, "weight": 3.5, "opacity": 0.9, "fill": False}
            if key == "transport_planned":
                opts = work_line_options(item.get("subtype"), item.get("status"))
                view.use(key, mode_style(item.get("subtype")).key)
                view.use(key, status_style(item.get("status")).key)
            if precision == "schematic":
                opts["dashArray"] = style("precision.schematic").dash
                view.use(key, "precision.schematic")
            lines.add(geom, opts, fid=item_id, tooltip=tip, popup=popup)
            if key != "transport_planned":
                view.use(key, st.key)
        else:  # polygons: outline in the layer colour
            opts = {"color": st.color, "weight": 2, "opacity": 0.9, "fillColor": st.color, "fillOpacity": 0.1}
            lines.add(geom, opts, fid=item_id, tooltip=tip, popup=popup)
            view.use(key, st.key)
    gj = lines.to_geojson()
    if gj is not None:
        gj.add_to(group)
    target: folium.map.Layer = group
    if len(markers) >= CLUSTER_MIN:
        target = MarkerCluster(control=False, disableClusteringAtZoom=CLUSTER_UNTIL_ZOOM, maxClusterRadius=40,
                               showCoverageOnHover=False, spiderfyOnMaxZoom=True)
        target.add_to(group)
    for mk in markers:
        mk.add_to(target)
    return len(markers) + len(lines)


def items_layer(view: View, key: str) -> tuple[folium.FeatureGroup, int]:
    """One item family (``parks``, ``water``, ``energy``, ``logistics``, ``innovation``, ``culture_tourism``,
    ``projects``) as a FeatureGroup; returns the group and the number of features drawn."""
    if key not in LAYER_CATEGORIES or key == "transport_planned":
        raise ValueError(f"{key!r} is not an item layer handled here")
    group = feature_group(key, view.lang)
    n = add_item_symbols(view, key, item_rows(view, key), group)
    return group, n


def county_only_items(view: View, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Unit code -> items of precision ``county`` in layers ``keys`` (each item under each of its units).

    In a county view only that unit's badge is kept; city-wide (``city``) items have no badge.
    """
    categories = {c for k in keys if k in LAYER_CATEGORIES for c in LAYER_CATEGORIES[k]}
    out: dict[str, list[dict[str, Any]]] = {}
    for item, _ in records(view.items):
        if clean_str(item.get("precision")) != "county" or clean_str(item.get("category")) not in categories:
            continue
        for code in unit_list(item):
            if code == "city" or (view.unit != "city" and code != view.unit):
                continue
            out.setdefault(code, []).append(item)
    return out


def county_only_layer(view: View, keys: Iterable[str]) -> tuple[folium.FeatureGroup, int]:
    """Badges "N" at the county label points listing the items located only to the county.

    Returns the group and the number of items listed (an item in two counties counts twice).
    """
    group = feature_group("county_only", view.lang)
    n = 0
    for code, items in sorted(county_only_items(view, keys).items()):
        pt = view.label_points.get(code)
        if pt is None:
            continue
        name = view.unit_name(code)
        tip = escape_html(f"{name}: " + _count_text(view, len(items)))
        if code == "tianqu":
            # pink ring (its outline colour); centred on its label point, under its name when labelled, else
            # on the point itself (德城区's name and badge sit away from it, see layers.view._outside_tianqu)
            badge = badge_html(escape_html(len(items)), border=style("tianqu").color)
            anchor = (12, -11) if view.unit in TIANQU_LABEL_UNITS else (12, 12)
        else:
            badge, anchor = badge_html(escape_html(len(items))), (12, -8)
        html_marker(pt, badge, (24, 24), anchor, fid=f"county_only:{code}", tooltip=tip,
                    popup=county_only_popup_html(name, items, view.lang), z=90).add_to(group)
        view.use("county_only", "precision.county")
        n += len(items)
    return group, n


def _count_text(view: View, n: int) -> str:
    from i18n import t

    return t("layers.popup.county_only_short", view.lang, n=n)
