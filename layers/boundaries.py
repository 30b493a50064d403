"""County polygons with labels, and the approximate 天衢新区 outline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import folium

from geo.text import clean_str, escape_html
from layers.draw import GeoBatch, feature_group, html_marker
from layers.popups import area_popup_html, county_popup_html
from layers.styles import style
from layers.view import TIANQU_PARENT, View, records

#: Views where 天衢新区 gets a name label (city-wide its pink area and badge are enough; a label there would
#: crowd 德城区's).
TIANQU_LABEL_UNITS = frozenset({"tianqu", TIANQU_PARENT})


def county_label_html(name: str, *, selected: bool = False, muted: bool = False) -> str:
    """HTML of a county label (``name`` is escaped here): the selected county's is larger and in its outline
    colour; ``muted`` (the other counties of a county view) is smaller and grey."""
    st = style("county.label")
    color, size = st.color, 13
    if selected:
        color, size = style("county.selected").color, 16
    elif muted:
        color, size = "#666666", 12
    return (f'<div class="dz-label" style="font:bold {size}px sans-serif;color:{color};white-space:nowrap;'
            f'transform:translate(-50%,-50%);display:inline-block;'
            f'pointer-events:none;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff">{escape_html(name)}</div>')


def tianqu_label_html(name: str) -> str:
    """HTML of the 天衢新区 label (escaped here): italic, in the outline colour."""
    return (f'<div class="dz-label" style="font:italic bold 13px sans-serif;color:{style("tianqu").color};white-space:nowrap;'
            f'transform:translate(-50%,-50%);display:inline-block;'
            f'pointer-events:none;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff">{escape_html(name)}</div>')



def county_labels(view: View) -> Iterator[tuple[Any, str, bool, bool]]:
    """(label point, name in the view's language, selected, muted) of each county that has a label point; a
    county is muted when another county is the view's unit."""
    for props, _ in records(view.counties):
        code = clean_str(props.get("adcode"))
        pt = view.label_points.get(code)
        if pt is None:
            continue
        selected = code == view.unit
        yield (pt, clean_str(props.get("name_zh") if view.lang == "zh" else props.get("name_en")), selected,
               view.unit not in ("city", "tianqu") and not selected)

def counties_layer(view: View, *, n_items: dict[str, int] | None = None) -> tuple[folium.FeatureGroup, int]:
    """County outlines (the view's unit highlighted, others as context) and one label per county.

    Returns the group and the number of county polygons drawn.
    """
    group = feature_group("counties", view.lang)
    batch = GeoBatch()
    n_items = n_items or {}
    for props, geom in records(view.counties):
        code = clean_str(props.get("adcode"))
        if view.unit == "city" or (view.unit == "tianqu" and code == TIANQU_PARENT):
            key = "county"
        elif code == view.unit:
            key = "county.selected"
        else:
            key = "county.context"
        name = props.get("name_zh") if view.lang == "zh" else props.get("name_en")
        if batch.add(geom, style(key).path_options(), fid=code, tooltip=escape_html(name),
                     popup=county_popup_html(props, view.lang, n_items=n_items.get(code))):
            view.use("counties", key)
    gj = batch.to_geojson()
    if gj is not None:
        gj.add_to(group)
    for pt, name, selected, muted in county_labels(view):
        # above the symbols (readable), but not clickable: clicks reach the symbols under the name
        html_marker(pt, county_label_html(name, selected=selected, muted=muted), (1, 1), (0, 0),
                    z=style("county.label").z + (1 if selected else 0), interactive=False).add_to(group)
    if len(batch):
        view.use("counties", "county.label")
    return group, len(batch)


def county_outlines_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """Faint county outlines only (no fill, no labels, not clickable): context under another map's symbols,
    e.g. the coverage map. Style ``county.context`` without its fill. Returns the group and the polygons drawn."""
    group = feature_group("counties", view.lang)
    batch = GeoBatch()
    options = style("county.context").path_options() | {"fill": False, "fillOpacity": 0.0, "interactive": False}
    for props, geom in records(view.counties):
        batch.add(geom, options, fid=clean_str(props.get("adcode")))
    gj = batch.to_geojson()
    if gj is not None:
        gj.add_to(group)
    return group, len(batch)


def _member_names_en(view: View, props: dict) -> str:
    """The ``;`` list of 天衢新区 member towns in English (from ``member_codes`` and the towns table)."""
    codes = [c for c in clean_str(props.get("member_codes")).split(";") if c]
    names = [clean_str(view.towns_by_code.get(c, {}).get("name_en")) for c in codes]
    if codes and all(names):
        return ";".join(names)
    return clean_str(props.get("member_towns"))


def tianqu_layer(view: View) -> tuple[folium.FeatureGroup, int]:
    """The 天衢新区 outline: approximate (built from member towns' approximate areas), dotted, light fill."""
    group = feature_group("tianqu", view.lang)
    batch = GeoBatch()
    st = style("tianqu")
    opts = st.path_options()
    if view.unit == "tianqu":
        opts = {**opts, "weight": st.weight + 1.5, "fillOpacity": min(1.0, st.fill_opacity * 3)}
    for props, geom in records(view.tianqu):
        props.setdefault("name_zh", "德州天衢新区")
        props.setdefault("name_en", "Dezhou Tianqu New Area")
        if props.get("name_zh") is None:
            props["name_zh"], props["name_en"] = "德州天衢新区", "Dezhou Tianqu New Area"
        name = props["name_zh"] if view.lang == "zh" else props["name_en"]
        if view.lang != "zh":
            props["member_towns"] = _member_names_en(view, props)
        if batch.add(geom, opts, fid="tianqu", tooltip=escape_html(name),
                     popup=area_popup_html(props, view.lang, note_key="layers.popup.tianqu_note")):
            view.use("tianqu", "tianqu")
            view.use("tianqu", "precision.approximate")
    gj = batch.to_geojson()
    if gj is not None:
        gj.add_to(group)
    pt = view.label_points.get("tianqu")
    if len(batch) and pt is not None and view.unit in TIANQU_LABEL_UNITS:
        name = "德州天衢新区" if view.lang == "zh" else "Tianqu New Area"
        html_marker(pt, tianqu_label_html(name), (1, 1), (0, 0), z=style("county.label").z,
                    interactive=False).add_to(group)
    return group, len(batch)
