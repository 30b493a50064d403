"""Folium layers and the map of the coverage analysis (:mod:`geo.coverage`).

- :func:`coverage_layer`: towns coloured by access-time band (≤15, 15–30, 30–60, >60 minutes to the nearest
  target, ``geo.coverage.BANDS``/``BAND_COLORS``), tooltips that mark figures resting on an assumed entrance or on
  a target placed at the town's own point; a legend control tied to the layer; optional distance rings
  (``folium.Circle``, radius in metres) around the scenario's entrances/stations.
- :func:`targets_layer`: the stations/entrances measured to (planned ones schematic, assumed entrances dashed,
  those of neighbouring cities grey).
- :func:`lines_layer`: the rail/expressway lines of the scenario (schematic lines dashed).
- :func:`coverage_map`: the coverage tab's map: basemap, county outlines with names, lines, targets, towns, fitted
  to the selected unit's outline.

Input geometry is WGS84; pass ``gcj02=True`` when the basemap is AMap (GCJ-02 tiles).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import LineString, MultiLineString

from geo import coverage as cov
from geo.load import PlanData
from i18n import t
from layers.basemaps import BASEMAP_KEYS, add_basemap, get_basemap
from layers.behaviour import BEHAVIOUR_CSS, FitUnit, MapBehaviour
from layers.boundaries import county_label_html, county_outlines_layer
from layers.draw import add_css, html_marker
from layers.legend import LEGEND_CSS
from layers.map_builder import DEFAULT_SIMPLIFY_M, DEZHOU_CENTER, ZOOM_SNAP, outline_bounds
from layers.styles import style
from layers.view import build_view

RING_COLOR = "#3f51b5"
OUTSIDE_FILL = "#bdbdbd"
"""Fill of targets in neighbouring cities (outside Dezhou)."""
TARGET_MODES: dict[str, tuple[str, ...]] = {"expressway": ("expressway",), "rail": ("rail", "hsr"), "hsr": ("hsr",)}
"""Line modes drawn for each target kind (the lines the targets sit on)."""


def _fmt(v: Any, digits: int) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "–"
    return f"{f:.{digits}f}" if np.isfinite(f) else "–"


def _display_xy(lon: float, lat: float, gcj02: bool) -> tuple[float, float]:
    if gcj02:
        from geo.crs import wgs84_to_gcj02

        lon, lat = wgs84_to_gcj02(float(lon), float(lat))
    return float(lon), float(lat)


def figure_flags(row: dict[str, Any], lang: str) -> list[str]:
    """Words that qualify one figure (a row of :func:`geo.coverage.coverage`): assumed entrance, target placed
    at this town's own point, target in a neighbouring city."""
    flags = []
    if row.get("assumed_entrance"):
        flags.append(t("coverage.flag.assumed_entrance", lang))
    if row.get("at_target_point"):
        flags.append(t("coverage.flag.at_target_point", lang))
    if row.get("target_outside"):
        flags.append(t("coverage.flag.outside", lang))
    return flags


def legend_entries(lang: str) -> list[tuple[str, str, str]]:
    """(band key, colour, label) in display order, incl. ``none``."""
    return [(b, cov.BAND_COLORS[b], t(f"coverage.band.{b}", lang)) for b in (*cov.BANDS, "none")]


def legend_html(lang: str, *, scenario: str, target: str, assumptions: cov.Assumptions | None = None) -> str:
    """The legend HTML (escaped i18n text, colour dots, and the assumptions line)."""
    a = assumptions or cov.Assumptions()
    title = t("coverage.legend_title", lang, target=t(f"coverage.target.{target}", lang),
              scenario=t(f"coverage.scenario.{scenario}", lang))
    # a <details> toggle like the main map's legend: collapsed on narrow maps (layers.behaviour.MapBehaviour)
    rows = [f"<details open><summary title='{html.escape(t('layers.legend.toggle_hint', lang))}'>{html.escape(title)}"
            f"<small class='dz-hide'>{html.escape(t('layers.legend.hide', lang))}</small>"
            f"<small class='dz-show'>{html.escape(t('layers.legend.show', lang))}</small></summary>"
            "<div class='dz-lg-body'>"]
    for _, color, label in legend_entries(lang):
        rows.append("<div style='display:flex;align-items:center;gap:6px;margin:2px 0'>"
                    f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
                    f"background:{color};border:1px solid #333'></span><span>{html.escape(label)}</span></div>")
    rows.append(f"<div style='margin-top:4px;max-width:240px;color:#555;font-size:11px'>"
                f"{html.escape(a.text(lang))}</div></div></details>")
    return "".join(rows)


class CoverageLegend(MacroElement):
    """A Leaflet control attached to its FeatureGroup's map: shown while the group is on, removed when off."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var ctrl = L.control({position: 'bottomleft'});
            ctrl.onAdd = function (map) {
                var div = L.DomUtil.create('div', 'dz-legend dz-coverage-legend');
                div.setAttribute('style', 'background:white;padding:6px 8px;border-radius:4px;'
                    + 'box-shadow:0 0 4px rgba(0,0,0,.3);font-size:12px;line-height:1.3');
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            group.on('add', function (e) { ctrl.addTo(e.target._map); });
            group.on('remove', function () { ctrl.remove(); });
            if (group._map) { ctrl.addTo(group._map); }
        })();
        {% endmacro %}
    """)

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "CoverageLegend"
        self.html = html_text


def coverage_layer(data: PlanData, result: pd.DataFrame, *, lang: str, scenario: str, target: str,
                   rings_km: Iterable[float] = (), gcj02: bool = False, legend: bool = True,
                   show: bool = True) -> folium.FeatureGroup:
    """Towns of ``result`` (from :func:`geo.coverage.coverage`) for ``scenario``/``target`` as circle markers
    coloured by access band, tooltips with minutes, km, target and method; optional rings of ``rings_km`` km
    around every target of the scenario; a legend control (with the assumptions) tied to the group."""
    rows = result[(result["scenario"] == scenario) & (result["target"] == target)
                  & (result["origin_kind"] == "town")]
    fg = folium.FeatureGroup(name=t("coverage.layer_name", lang, target=t(f"coverage.target.{target}", lang),
                                    scenario=t(f"coverage.scenario.{scenario}", lang)),
                             overlay=True, control=True, show=show)
    name_col = "name_en" if lang == "en" else "name_zh"
    tname_col = "target_name_en" if lang == "en" else "target_name_zh"
    for r in rows.to_dict("records"):
        if not (np.isfinite(r["lon"]) and np.isfinite(r["lat"])):
            continue
        b = cov.band(r["minutes"])
        tname = r.get(tname_col) or r.get("target_name_zh") or ""
        if r.get("target_quality") == "schematic":
            tname = f"{tname} · {t('coverage.schematic_target', lang)}"
        tip = t("coverage.tooltip", lang, name=r.get(name_col) or r["name_zh"], minutes=_fmt(r["minutes"], 0),
                km=_fmt(r["km"], 1), target=tname, method=t(f"coverage.method.{r['method']}", lang))
        tip += "".join(f" · {flag}" for flag in figure_flags(r, lang))
        x, y = _display_xy(r["lon"], r["lat"], gcj02)
        folium.CircleMarker(location=[y, x], radius=6, color="#333333", weight=1, fill=True,
                            fill_color=cov.BAND_COLORS[b], fill_opacity=0.9,
                            tooltip=html.escape(tip)).add_to(fg)
    rings = sorted({float(k) for k in rings_km if float(k) > 0})
    if rings:
        tg = cov.targets(data, scenario=scenario, target=target)
        for tr in tg.itertuples():
            p = tr.geometry
            if p is None or p.is_empty:
                continue
            x, y = _display_xy(p.x, p.y, gcj02)
            for km in rings:
                label = f"{tr.name_zh} · {t('coverage.ring_name', lang, km=f'{km:g}')}"
                folium.Circle(location=[y, x], radius=km * 1000.0, color=RING_COLOR, weight=1, fill=False,
                              dash_array="4 4" if tr.quality == "schematic" else None,
                              tooltip=html.escape(label)).add_to(fg)
    if legend:
        a = cov.Assumptions(**result.attrs["assumptions"]) if result.attrs.get("assumptions") else None
        fg.add_child(CoverageLegend(legend_html(lang, scenario=scenario, target=target, assumptions=a)))
    return fg


def coverage_feature_group(data: PlanData, *, lang: str, scenario: str, target: str, rings_km: Iterable[float] = (),
                           assumptions: cov.Assumptions | None = None, gcj02: bool = False,
                           show: bool = True) -> folium.FeatureGroup:
    """The coverage layer for the main map (``build_map(extra_layers=[...])``): computes the towns' access with
    the same function as the CLI (:func:`geo.coverage.coverage`, default assumptions unless given)."""
    result = cov.coverage(data, scenario=scenario, target_kinds=[target], assumptions=assumptions,
                          include_parks=False)
    return coverage_layer(data, result, lang=lang, scenario=scenario, target=target, rings_km=rings_km,
                          gcj02=gcj02, show=show)


def _line_style(mode: str, schematic: bool) -> dict[str, Any]:
    if mode == "expressway":
        opts = style("mode.expressway").path_options()
        return {**opts, "dashArray": "8 6", "opacity": 0.8} if schematic else opts
    key = {"hsr": "mode.hsr", "rail": "mode.rail"}[mode] + ("_schematic" if schematic else "")
    return style(key).path_options()


def lines_layer(data: PlanData, *, lang: str, scenario: str, target: str, gcj02: bool = False) -> folium.FeatureGroup:
    """The rail/expressway lines of ``scenario`` that carry ``target`` (:data:`TARGET_MODES`), from
    :func:`geo.coverage.network_lines` — planned works of scenario ``2030`` only if built by 2030. Schematic lines
    are dashed and say so in their tooltip."""
    fg = folium.FeatureGroup(name=t("coverage.layer.lines", lang), overlay=True, control=True, show=True)
    lines = cov.network_lines(data, scenario=scenario)
    lines = lines[lines["mode"].isin(TARGET_MODES[target])]
    for r in lines.itertuples():
        geom = r.geometry
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
        schematic = r.quality == "schematic"
        tip = f"{r.name} · {t(f'coverage.mode.{r.mode}', lang)}"
        if schematic:
            tip += f" · {t('coverage.quality.schematic', lang)}"
        if r.plan_item_id:
            tip += f" · {t('coverage.planned', lang)}"
        for part in parts:
            if not isinstance(part, LineString):
                continue
            coords = [_display_xy(x, y, gcj02)[::-1] for x, y, *_ in part.coords]
            folium.PolyLine(coords, tooltip=html.escape(tip), **_leaflet(_line_style(r.mode, schematic))).add_to(fg)
    return fg


def _leaflet(opts: dict[str, Any]) -> dict[str, Any]:
    """Leaflet path options as folium keyword arguments (``fillColor`` -> ``fill_color`` …)."""
    names = {"fillColor": "fill_color", "fillOpacity": "fill_opacity", "dashArray": "dash_array"}
    return {names.get(k, k): v for k, v in opts.items()}


def target_tooltip(row: Any, lang: str) -> str:
    """Plain-text tooltip of one target (escape before use): name, kind and the words that qualify it."""
    name = (row.name_en or row.name_zh) if lang == "en" else row.name_zh
    words = [name]
    if row.quality == "schematic" and row.source_network == "planned_works":
        words.append(t("coverage.schematic_target", lang))
    if row.basis == "assumed":
        words.append(t("coverage.flag.assumed_entrance", lang))
    if row.precision == "town":
        words.append(t("coverage.flag.placed_at_town", lang))
    if row.outside:
        words.append(t("coverage.flag.outside", lang))
    return " · ".join(words)


def targets_layer(data: PlanData, *, lang: str, scenario: str, target: str, gcj02: bool = False) -> folium.FeatureGroup:
    """The stations or entrances of ``scenario`` measured to (:func:`geo.coverage.targets`): registry styles
    ``mode.entrance``/``mode.station``/``mode.station_hsr``; assumed entrances and planned (schematic) points
    dashed, neighbouring cities' points filled grey."""
    fg = folium.FeatureGroup(name=t("coverage.layer.targets", lang, target=t(f"coverage.target.{target}", lang)),
                             overlay=True, control=True, show=True)
    tg = cov.targets(data, scenario=scenario, target=target)
    key = "mode.entrance" if target == "expressway" else ("mode.station_hsr" if target == "hsr" else "mode.station")
    base = style(key).path_options()
    for r in tg.itertuples():
        p = r.geometry
        if p is None or p.is_empty:
            continue
        opts = dict(base, radius=max(int(base.get("radius", 4)), 5))
        if r.basis == "assumed" or r.quality == "schematic" and r.source_network == "planned_works":
            opts["dashArray"] = "2 2"
        if r.outside:
            opts["fillColor"] = OUTSIDE_FILL
        x, y = _display_xy(p.x, p.y, gcj02)
        folium.CircleMarker(location=[y, x], tooltip=html.escape(target_tooltip(r, lang)),
                            **_leaflet(opts)).add_to(fg)
    return fg


def county_names_layer(view: Any) -> folium.FeatureGroup:
    """County names at their label points (not interactive); the selected county's larger."""
    fg = folium.FeatureGroup(name=t("coverage.layer.county_names", view.lang), overlay=True, control=False)
    names = {code: (zh, en) for code, (zh, en) in view.units.items()}
    for code, pt in view.label_points.items():
        if code == "tianqu" or pt is None or code not in names:
            continue
        name = names[code][1] if view.lang == "en" and names[code][1] else names[code][0]
        selected = code == view.unit
        muted = view.unit not in ("city", "tianqu") and not selected
        html_marker(pt, county_label_html(name, selected=selected, muted=muted), (1, 1), (0, 0),
                    interactive=False).add_to(fg)
    return fg


def map_basemap(basemap: str) -> str:
    """The coverage map's basemap: the app's when its tiles are WGS84 and need no key (``none`` draws no tiles),
    else OpenStreetMap."""
    bm = get_basemap(basemap) if basemap in BASEMAP_KEYS else None
    return bm.key if bm is not None and bm.datum == "wgs84" and not bm.needs_key else "osm"


def coverage_map(data: PlanData, result: pd.DataFrame, *, lang: str, scenario: str, target: str, unit: str = "city",
                 rings_km: Iterable[float] = (), basemap: str = "osm") -> folium.Map:
    """The coverage tab's map: basemap (:func:`map_basemap`), faint county outlines and names, the lines and the
    stations/entrances measured to, the towns by band (with legend), fitted to ``unit``'s outline (a county
    adcode, ``tianqu`` or ``city``)."""
    fmap = folium.Map(location=DEZHOU_CENTER, zoom_start=8, tiles=None, zoom_snap=ZOOM_SNAP)
    add_basemap(fmap, map_basemap(basemap), lang=lang)
    view = build_view(data, unit, lang=lang, simplify_m=DEFAULT_SIMPLIFY_M)
    county_outlines_layer(view)[0].add_to(fmap)
    lines_layer(data, lang=lang, scenario=scenario, target=target).add_to(fmap)
    targets_layer(data, lang=lang, scenario=scenario, target=target).add_to(fmap)
    coverage_layer(data, result, lang=lang, scenario=scenario, target=target, rings_km=rings_km).add_to(fmap)
    county_names_layer(view).add_to(fmap)
    bounds = outline_bounds(view)
    if bounds is not None:  # fitted to the frame the map really has (refitted on resize until the user moves it)
        FitUnit(bounds, padding_top_left=(10, 10), padding_bottom_right=(10, 10)).add_to(fmap)
    MapBehaviour().add_to(fmap)  # legend collapsed on a phone and out of the way of popups, names thinned
    add_css(fmap, LEGEND_CSS + BEHAVIOUR_CSS, name="dz_cov_css")
    return fmap
