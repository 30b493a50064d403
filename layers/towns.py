"""Towns (乡镇/街道): styled by the roles the plan gives them (data.town_roles), others muted; approximate areas."""

from __future__ import annotations

from typing import Any

import folium

from geo.text import clean_str, escape_html
from layers.brief import area_brief_html, town_brief_html
from layers.draw import GeoBatch, feature_group, svg_marker
from layers.styles import TOWN_ROLE_STYLES, style, town_role_style
from layers.view import View, records


def roles_by_town(view: View) -> dict[str, list[dict[str, Any]]]:
    """Town code -> its role rows (in the view), in role-priority order."""
    order = {r: i for i, r in enumerate(TOWN_ROLE_STYLES)}
    out: dict[str, list[dict[str, Any]]] = {}
    for props, _ in records(view.town_roles):
        code = clean_str(props.get("town_code"))
        if code:
            out.setdefault(code, []).append(props)
    for rows in out.values():
        rows.sort(key=lambda r: order.get(clean_str(r.get("role")), 99))
    return out


def towns_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """All towns of the view: role towns with their role symbol, the others as small muted dots.

    A town with two roles (e.g. 祝阿镇 center + feature) is one symbol (the higher-priority role) whose popup
    lists both roles. Returns the group and the number of town symbols drawn.
    """
    group = feature_group("towns", view.lang)
    roles = roles_by_town(view)
    plain = GeoBatch()
    n = 0
    drawn: set[str] = set()
    role_geoms = {clean_str(p.get("town_code")): g for p, g in records(view.town_roles) if g is not None}
    for props, geom in records(view.towns):
        code = clean_str(props.get("code"))
        if code in roles:
            continue
        name = props.get("name_zh") if view.lang == "zh" else props.get("name_en")
        if plain.add(geom, style("town.plain").path_options(), fid=code, tooltip=escape_html(name),
                     popup=town_brief_html(props, [], view.lang, units=view.units)):
            view.use("towns", "town.plain")
            drawn.add(code)
    gj = plain.to_geojson(point_radius=style("town.plain").radius)
    if gj is not None:
        gj.add_to(group)
    n += len(plain)
    for code, rows in roles.items():
        geom = role_geoms.get(code)
        if geom is None or geom.is_empty:
            continue
        town = view.towns_by_code.get(code) or {"name_zh": rows[0].get("town_name_zh"), "unit": rows[0].get("unit")}
        st = town_role_style([clean_str(r.get("role")) for r in rows])
        name = town.get("name_zh") if view.lang == "zh" else (town.get("name_en") or town.get("name_zh"))
        svg_marker(geom, st, fid=code, tooltip=escape_html(name),
                   popup=town_brief_html(town, rows, view.lang, units=view.units), z=st.z).add_to(group)
        view.use("towns", st.key)
        drawn.add(code)
        n += 1
    return group, n


def town_areas_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Approximate town areas (Voronoi cells, not legal boundaries): dotted outline, no fill."""
    group = feature_group("town_areas", view.lang)
    batch = GeoBatch()
    opts = style("town_area").path_options()
    for props, geom in records(view.town_areas):
        code = clean_str(props.get("code"))
        town = view.towns_by_code.get(code, {})
        props.setdefault("name_zh", town.get("name_zh"))
        props.setdefault("name_en", town.get("name_en"))
        name = props.get("name_zh") if view.lang == "zh" else props.get("name_en")
        if batch.add(geom, opts, fid=code, tooltip=escape_html(name),
                     popup=area_brief_html(props, view.lang)):
            view.use("town_areas", "town_area")
            view.use("town_areas", "precision.approximate")
    gj = batch.to_geojson()
    if gj is not None:
        gj.add_to(group)
    return group, len(batch)
