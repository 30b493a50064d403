"""Transport and water networks: existing rail/roads/stations, planned transport works by status, rivers.

Planned works (networks/planned_works.geojson) are joined to their plan item through ``plan_item_id`` for the
name, status and provenance; the line takes the colour of its mode and the dash/weight of its status
(:func:`layers.styles.work_line_options`). ``quality = schematic`` network lines are dashed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import folium
from shapely.geometry import Point

from geo.text import clean_str
from layers.brief import energy_brief_html, network_brief_html
from layers.draw import GeoBatch, feature_group, is_point, points_of, svg_marker
from layers.items import add_item_symbols, item_rows
from layers.popups import network_tooltip
from layers.styles import Style, mode_style, status_style, style, work_line_options
from layers.view import View, records

#: Legend key suffix: the symbol drawn dashed because its geometry is schematic.
SCHEMATIC_SUFFIX = "~schematic"
EXISTING_LINE_LAYERS: tuple[tuple[str, str], ...] = (
    ("rail", "rail"), ("expressways", "expressway"), ("trunk_roads", "trunk_road"),
)
EXISTING_POINT_LAYERS: tuple[tuple[str, str], ...] = (
    ("stations", "station"), ("expressway_entrances", "entrance"), ("airports", "airport"),
)


def is_planned(props: dict[str, Any]) -> bool:
    """True for a network feature of the 2030 scenario (a planned work)."""
    return clean_str(props.get("scenario")) == "2030"


def network_style_key(props: dict[str, Any], default_mode: str) -> str:
    """Style key of an existing network line: rail/HSR (schematic ones dashed), expressway, trunk road."""
    mode = clean_str(props.get("mode")) or default_mode
    schematic = clean_str(props.get("quality")) == "schematic"
    if mode == "hsr":
        return "mode.hsr_schematic" if schematic else "mode.hsr"
    if mode in ("rail", "railway"):
        return "mode.rail_schematic" if schematic else "mode.rail"
    return "mode.expressway" if default_mode == "expressway" else (
        "mode.trunk_road" if default_mode == "trunk_road" else "mode.other")


def point_style_key(props: dict[str, Any], kind: str) -> str:
    """Style key of an existing network point of ``kind`` (EXISTING_POINT_LAYERS): a station (HSR or not), an
    entrance, an airport."""
    if kind == "station":
        return "mode.station_hsr" if clean_str(props.get("hsr")) in ("1", "True", "true") else "mode.station"
    return f"mode.{kind}"


def transport_existing_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Existing rail (real solid / schematic dashed), expressways, trunk roads, stations, entrances, airports."""
    group = feature_group("transport_existing", view.lang)
    lines = GeoBatch()
    points = GeoBatch()
    for layer, default_mode in EXISTING_LINE_LAYERS:
        for props, geom in records(view.networks.get(layer, _empty())):
            if is_planned(props):
                continue
            key = network_style_key(props, default_mode)
            st = style(key)
            opts = st.path_options()
            if clean_str(props.get("quality")) == "schematic" and "dashArray" not in opts:
                opts["dashArray"] = style("precision.schematic").dash
            if lines.add(geom, opts, fid=clean_str(props.get("id")), tooltip=network_tooltip(props, view.lang),
                         popup=network_brief_html(props, view.lang, places=view.place_names_en())):
                schematic = clean_str(props.get("quality")) == "schematic"
                view.use("transport_existing", key if key.endswith("_schematic") or not schematic
                         else key + SCHEMATIC_SUFFIX)
                if schematic:
                    view.use("transport_existing", "precision.schematic")
    for layer, kind in EXISTING_POINT_LAYERS:
        for props, geom in records(view.networks.get(layer, _empty())):
            if is_planned(props) or geom is None or geom.is_empty:
                continue
            key = point_style_key(props, kind)
            st = style(key)
            tip = network_tooltip(props, view.lang)
            pop = network_brief_html(props, view.lang, places=view.place_names_en())
            if is_point(geom):
                for pt in points_of(geom):
                    points.add(pt, st.path_options(), fid=clean_str(props.get("id")), tooltip=tip, popup=pop)
            else:  # runways (lines) or airport areas (polygons)
                opts = {k: v for k, v in st.path_options().items() if k != "radius"}
                polygon = "Polygon" in geom.geom_type
                lines.add(geom, {**opts, "weight": 4 if not polygon else st.weight, "fill": polygon,
                                 "fillOpacity": 0.3 if polygon else 0.0}, fid=clean_str(props.get("id")),
                          tooltip=tip, popup=pop)
            view.use("transport_existing", key)
    for batch in (lines, points):
        gj = batch.to_geojson(point_radius=4)
        if gj is not None:
            gj.add_to(group)
    return group, len(lines) + len(points)


def _empty():
    from layers.view import gdf_or_empty

    return gdf_or_empty(None)


@dataclass(frozen=True)
class PlannedWork:
    """A drawn feature of a planned transport work (planned_works, or a 2030 feature of another network) with its
    plan item (``None`` when it has no ``plan_item_id`` or an unknown one): the mode and status it is drawn in
    come from the item when there is one."""

    props: dict[str, Any]
    geom: Any
    pid: str
    item: dict[str, Any] | None
    mode: str
    status: str

    @property
    def point_style(self) -> Style:
        """The symbol of a point work: its mode's, or the interchange symbol for a mode drawn as a line."""
        st = mode_style(self.mode)
        return st if st.shape != "line" else style("mode.interchange")

    @property
    def hollow(self) -> bool:
        """A point placed at a town (not at its site) is drawn hollow."""
        source = self.item if self.item is not None else self.props
        return clean_str(source.get("precision")) == "town"


def planned_works(view: View) -> Iterator[PlannedWork]:
    """The view's planned transport works with a geometry, in drawing order (planned_works first, then the 2030
    features of the existing networks); works of a water or energy item are left to their own layer."""
    sources: list[tuple[dict[str, Any], Any]] = list(records(view.networks.get("planned_works", _empty())))
    for layer, _ in (*EXISTING_LINE_LAYERS, *EXISTING_POINT_LAYERS):
        sources += [(p, g) for p, g in records(view.networks.get(layer, _empty())) if is_planned(p)]
    for props, geom in sources:
        if geom is None or geom.is_empty:
            continue
        pid = clean_str(props.get("plan_item_id"))
        item = view.items_by_id.get(pid) if pid else None
        if item is not None and clean_str(item.get("category")) != "transport":
            continue  # a water/energy item's schematic line: drawn by its own layer
        mode = clean_str(item.get("subtype")) if item is not None else clean_str(props.get("mode"))
        status = clean_str(item.get("status")) if item is not None else "unspecified"
        yield PlannedWork(props, geom, pid, item, mode, status)


def transport_planned_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Planned transport works: planned_works lines/points joined to their plan items (status styles), plus
    transport items located at a site or town that have no planned_works geometry. The count is of works
    (distinct plan items, plus unlinked features), not of drawn pieces."""
    group = feature_group("transport_planned", view.lang)
    lines = GeoBatch()
    markers = 0
    drawn_ids: set[str] = set()
    unlinked = 0  # drawn features without a plan item id (each counts as one work)
    places = view.place_names_en()
    for work in planned_works(view):
        props, geom, pid, item, mode, status = work.props, work.geom, work.pid, work.item, work.mode, work.status
        tip = network_tooltip(props, view.lang, item=item)
        pop = network_brief_html(props, view.lang, item=item, units=view.units, places=places)
        fid = pid if item is not None else clean_str(props.get("id"))  # a work's line selects its plan item
        if pid:
            drawn_ids.add(pid)
        else:
            unlinked += 1
        st_status = status_style(status)
        if is_point(geom):
            st, hollow = work.point_style, work.hollow
            for pt in points_of(geom):
                svg_marker(pt, st, fid=fid, hollow=hollow, tooltip=tip, popup=pop, z=st.z).add_to(group)
                markers += 1
            view.use("transport_planned", st.key)
            view.use("transport_planned", "precision.town" if hollow else "precision.site")
        else:
            opts = work_line_options(mode, status)
            lines.add(geom, opts, fid=fid, tooltip=tip, popup=pop)
            view.use("transport_planned", mode_style(mode).key)
            view.use("transport_planned", st_status.key)
            if clean_str(props.get("quality")) == "schematic":
                view.use("transport_planned", "precision.schematic")
    gj = lines.to_geojson()
    if gj is not None:
        gj.add_to(group)
    n_items = add_item_symbols(view, "transport_planned", item_rows(view, "transport_planned"), group,
                               skip_ids=drawn_ids)
    # count plan works, not drawn pieces: a work drawn as several lines/points is one item (the sidebar compares
    # this number with the plan items of the unit)
    return group, len(drawn_ids) + unlinked + n_items


def energy_existing_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Existing power plants (OSM grounds as areas, a symbol on each) and ≥ 220 kV substations (symbols).

    The symbol stands at the feature's ``lon``/``lat`` (a point on its polygon, WGS84), shifted like all display
    geometry; the count is of plants and substations."""
    group = feature_group("energy_existing", view.lang)
    areas = GeoBatch()
    n = 0
    for layer, key in (("power_plants", "energy.plant"), ("substations", "energy.substation")):
        st = style(key)
        for props, geom in records(view.networks.get(layer, _empty())):
            if geom is None or geom.is_empty:
                continue
            tip = network_tooltip(props, view.lang)
            pop = energy_brief_html(props, view.lang)
            fid = clean_str(props.get("id"))
            # the plant's ground carries its tooltip and id; its popup is the symbol's (not sent twice)
            if layer == "power_plants" and areas.add(geom, style("energy.plant_area").path_options(), fid=fid,
                                                      tooltip=tip):
                view.use("energy_existing", "energy.plant_area")
            try:
                point = view.display(Point(float(props["lon"]), float(props["lat"])))
            except (KeyError, TypeError, ValueError):
                point = geom.representative_point()
            svg_marker(point, st, fid=fid, tooltip=tip, popup=pop, z=st.z).add_to(group)
            view.use("energy_existing", key)
            n += 1
    gj = areas.to_geojson()
    if gj is not None:
        gj.add_to(group)
    return group, n


def rivers_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Rivers and canals (lines; schematic ones dashed) and reservoirs (areas or points)."""
    group = feature_group("rivers", view.lang)
    batch = GeoBatch()
    places = view.place_names_en()
    for props, geom in records(view.networks.get("rivers", _empty())):
        key = "canal" if clean_str(props.get("mode")) == "canal" else "river"
        if clean_str(props.get("accuracy")) == "coarse":  # real but coarse lines (WDB-II): wide and pale
            key += ".coarse"
        opts = style(key).path_options()
        schematic = clean_str(props.get("quality")) == "schematic"
        if schematic:
            opts["dashArray"] = style("precision.schematic").dash
        if batch.add(geom, opts, fid=clean_str(props.get("id")), tooltip=network_tooltip(props, view.lang),
                     popup=network_brief_html(props, view.lang, places=places)):
            view.use("rivers", key + SCHEMATIC_SUFFIX if schematic else key)
            if schematic:
                view.use("rivers", "precision.schematic")
    for props, geom in records(view.networks.get("reservoirs", _empty())):
        st = style("reservoir")
        opts = st.path_options() if not is_point(geom) else {**st.path_options(), "radius": 6}
        if batch.add(geom, opts, fid=clean_str(props.get("id")), tooltip=network_tooltip(props, view.lang),
                     popup=network_brief_html(props, view.lang, places=places)):
            view.use("rivers", "reservoir")
    gj = batch.to_geojson(point_radius=6)
    if gj is not None:
        gj.add_to(group)
    return group, len(batch)
