"""A naive map of the same layers, for comparison only: raw geometry (no simplification, full coordinate
precision), one Folium object per feature, a default marker with its own popup per item (no aggregation of
county-only items into badges, no clustering), and no caching anywhere (data are reloaded on every view)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import folium
import geopandas as gpd

from geo.crs import WGS84
from layers.keys import LAYER_CATEGORIES
from layers.map_builder import DEZHOU_CENTER

NETWORKS: dict[str, tuple[str, ...]] = {
    "rivers": ("rivers", "reservoirs"),
    "transport_existing": ("rail", "stations", "expressways", "trunk_roads", "expressway_entrances", "airports"),
    "transport_planned": ("planned_works",),
}


def _features(gdf: gpd.GeoDataFrame, group: folium.FeatureGroup, label: str) -> None:
    for _, row in gdf.iterrows():
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        props = {k: str(v) for k, v in row.drop(labels=[gdf.geometry.name]).items()}
        gj = {"type": "Feature", "geometry": geom.__geo_interface__, "properties": props}
        folium.GeoJson(gj, tooltip=html.escape(str(props.get(label, "")))).add_to(group)


def _unit_point(data: Any, code: str) -> Any:
    c = data.counties[data.counties["adcode"].astype(str) == code]
    if len(c):
        return c.geometry.iloc[0].representative_point()
    if code == "tianqu" and len(data.tianqu):
        return data.tianqu.geometry.iloc[0].representative_point()
    return None


def build_map(data: Any, *, unit: str = "city", layers: Iterable[str] = (), **_: Any) -> folium.Map:
    """The naive map (WGS84, OpenStreetMap-less: no tiles) of ``layers`` for ``unit``."""
    m = folium.Map(location=DEZHOU_CENTER, zoom_start=9, tiles=None)
    for key in layers:
        group = folium.FeatureGroup(name=key)
        if key == "counties":
            _features(data.counties, group, "name_zh")
        elif key == "tianqu":
            _features(data.tianqu, group, "name_zh")
        elif key == "town_areas":
            _features(data.town_areas, group, "name_zh")
        elif key == "towns":
            for r in data.towns.itertuples():
                if r.geometry is not None and not r.geometry.is_empty:
                    folium.Marker([r.geometry.y, r.geometry.x], tooltip=html.escape(str(r.name_zh)),
                                  popup=folium.Popup(html.escape(f"{r.name_zh} {r.name_en} {r.code}"))).add_to(group)
        for net in NETWORKS.get(key, ()):
            _features(data.networks.get(net, gpd.GeoDataFrame()), group, "name")
        if key in LAYER_CATEGORIES:
            items = data.items[data.items["category"].isin(LAYER_CATEGORIES[key])]
            if unit != "city":
                items = items[items["units"].map(lambda u: unit in str(u).split(";"))]
            for r in items.itertuples():
                geom = r.geometry
                if geom is None or geom.is_empty:
                    units = str(r.units).split(";")
                    geom = _unit_point(data, units[0]) if units[0] != "city" else None
                if geom is None:
                    continue
                if geom.geom_type != "Point":
                    _features(gpd.GeoDataFrame([{"name_zh": r.name_zh}], geometry=[geom], crs=WGS84), group, "name_zh")
                    geom = geom.representative_point()
                body = "<br>".join(html.escape(str(x)) for x in (r.name_zh, r.name_en, r.status, r.source_ref, r.quote))
                folium.Marker([geom.y, geom.x], tooltip=html.escape(str(r.name_zh)),
                              popup=folium.Popup(body, max_width=300)).add_to(group)
        group.add_to(m)
    folium.LayerControl().add_to(m)
    if unit != "city":
        p = _unit_point(data, unit)
        c = data.counties[data.counties["adcode"].astype(str) == unit]
        if len(c):
            minx, miny, maxx, maxy = c.total_bounds
            m.fit_bounds([[miny, minx], [maxy, maxx]])
        elif p is not None:
            m.location = [p.y, p.x]
    return m
