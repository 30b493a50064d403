"""Folium layer of the coverage analysis (:mod:`geo.coverage`): towns coloured by access-time band.

Bands: ≤15, 15–30, 30–60, >60 minutes to the nearest target (``geo.coverage.BANDS``; colours
``geo.coverage.BAND_COLORS``), with a legend control that shows while the layer is on, and optional distance
rings (``folium.Circle``, radius in metres) around the scenario's entrances/stations.
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

from geo import coverage as cov
from i18n import t

RING_COLOR = "#3f51b5"


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


def legend_entries(lang: str) -> list[tuple[str, str, str]]:
    """(band key, colour, label) in display order, incl. ``none``."""
    return [(b, cov.BAND_COLORS[b], t(f"coverage.band.{b}", lang)) for b in (*cov.BANDS, "none")]


def legend_html(lang: str, *, scenario: str, target: str, assumptions: cov.Assumptions | None = None) -> str:
    """The legend HTML (escaped i18n text, colour dots, and the assumptions line)."""
    a = assumptions or cov.Assumptions()
    title = t("coverage.legend_title", lang, target=t(f"coverage.target.{target}", lang),
              scenario=t(f"coverage.scenario.{scenario}", lang))
    rows = [f"<div style='font-weight:bold;margin-bottom:4px'>{html.escape(title)}</div>"]
    for _, color, label in legend_entries(lang):
        rows.append("<div style='display:flex;align-items:center;gap:6px;margin:2px 0'>"
                    f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
                    f"background:{color};border:1px solid #333'></span><span>{html.escape(label)}</span></div>")
    rows.append(f"<div style='margin-top:4px;max-width:240px;color:#555;font-size:11px'>"
                f"{html.escape(a.text(lang))}</div>")
    return "".join(rows)


class CoverageLegend(MacroElement):
    """A Leaflet control attached to its FeatureGroup's map: shown while the group is on, removed when off."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var ctrl = L.control({position: 'bottomleft'});
            ctrl.onAdd = function (map) {
                var div = L.DomUtil.create('div', 'dz-coverage-legend');
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


def coverage_layer(data: Any, result: pd.DataFrame, *, lang: str, scenario: str, target: str,
                   rings_km: Iterable[float] = (), gcj02: bool = False, legend: bool = True,
                   show: bool = True) -> folium.FeatureGroup:
    """Towns of ``result`` (from :func:`geo.coverage.coverage`) for ``scenario``/``target`` as circle markers
    coloured by access band, tooltips with minutes, km, target and method; optional rings of ``rings_km`` km
    around every target of the scenario; a legend control (with the assumptions) tied to the group."""
    rows = result[(result["scenario"] == scenario) & (result["target"] == target)
                  & (result["origin_kind"] == "town")]
    fg = folium.FeatureGroup(name=t("coverage.layer_name", lang, target=t(f"coverage.target.{target}", lang),
                                    scenario=scenario), overlay=True, control=True, show=show)
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


def coverage_feature_group(data: Any, *, lang: str, scenario: str, target: str, rings_km: Iterable[float] = (),
                           assumptions: cov.Assumptions | None = None, gcj02: bool = False,
                           show: bool = True) -> folium.FeatureGroup:
    """The coverage layer for the main map (``build_map(extra_layers=[...])``): computes the towns' access with
    the same function as the CLI (:func:`geo.coverage.coverage`, default assumptions unless given)."""
    result = cov.coverage(data, scenario=scenario, target_kinds=[target], assumptions=assumptions,
                          include_parks=False)
    return coverage_layer(data, result, lang=lang, scenario=scenario, target=target, rings_km=rings_km,
                          gcj02=gcj02, show=show)
