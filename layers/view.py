"""The part of PlanData one map shows: filtered to a unit, simplified, shifted (AMap) and rounded for display.

Filtering happens on WGS84 geometry. Display geometry is then (1) simplified (polygons with a shared-edge
coverage simplification, lines with Douglas-Peucker), (2) shifted to GCJ-02 when the basemap is AMap, and
(3) rounded: points to 5 decimals (about 1 m), lines and polygons to 4 (≤ 11 m). Tolerances are metres (:mod:`geo.simplify` works in EPSG:32650).

Network lines (rail, roads, rivers, planned works) and line-shaped items are clipped for display to the city
outline buffered by :data:`DISPLAY_CLIP_M` (computed in EPSG:32650): just-outside context (济南 stations, border
entrances) stays, long tails towards other cities do not. The analysis data (``PlanData``) is never modified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.crs import METRIC_CRS, WGS84, to_gcj02
from geo.load import PlanData, unit_names
from geo.simplify import simplify_coverage, simplify_lines
from geo.text import clean_str, is_blank, split_list

ROUND_DECIMALS = 5
#: Decimals of lines and polygons on the map: 4 (≤ 11 m), finer than their display simplification (30–60 m);
#: points keep :data:`ROUND_DECIMALS` (sites are shown up to street level).
SHAPE_DECIMALS = 4
#: Display clip of networks: city outline buffered by this many metres.
DISPLAY_CLIP_M = 10_000.0

def gdf_or_empty(obj: Any) -> gpd.GeoDataFrame:
    """``obj`` as a GeoDataFrame in WGS84 (an empty one for ``None``/no geometry column)."""
    if obj is None:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    if isinstance(obj, gpd.GeoDataFrame):
        try:
            obj.geometry  # noqa: B018 - raises when there is no active geometry column
        except AttributeError:
            return gpd.GeoDataFrame(pd.DataFrame(obj), geometry=gpd.GeoSeries([None] * len(obj), index=obj.index),
                                    crs=WGS84)
        if obj.crs is None:
            return obj.set_crs(WGS84)
        return obj if obj.crs.to_epsg() == 4326 else obj.to_crs(WGS84)
    df = pd.DataFrame(obj)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([None] * len(df), index=df.index), crs=WGS84)


def unit_list(row: Mapping[str, Any]) -> list[str]:
    """The unit codes of an item row (its ``unit_list``, else the ``;`` string ``units``)."""
    v = row.get("unit_list")
    return split_list(v if isinstance(v, list | tuple | np.ndarray) else row.get("units"))


def round_geom(geom: BaseGeometry | None, decimals: int | None = None) -> BaseGeometry | None:
    """Round every coordinate to ``decimals`` (5 ≈ 1 m); by default :data:`ROUND_DECIMALS` for points and
    :data:`SHAPE_DECIMALS` for lines and polygons."""
    if geom is None or geom.is_empty:
        return geom
    if decimals is None:
        decimals = ROUND_DECIMALS if geom.geom_type in ("Point", "MultiPoint") else SHAPE_DECIMALS
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


@dataclass
class View:
    """What one map shows (display-ready geometry) plus lookups for popups and joins."""

    unit: str
    lang: str
    shift: bool
    region: BaseGeometry | None  # WGS84 outline of the unit (None = city-wide)
    counties: gpd.GeoDataFrame
    tianqu: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    town_areas: gpd.GeoDataFrame
    items: gpd.GeoDataFrame  # items of the unit; display geometry
    town_roles: gpd.GeoDataFrame
    networks: dict[str, gpd.GeoDataFrame]
    items_by_id: dict[str, dict[str, Any]]  # all items (not filtered), for joins
    units: dict[str, tuple[str, str]]
    towns_by_code: dict[str, dict[str, Any]]
    label_points: dict[str, BaseGeometry]  # unit code -> display point of its label / badge
    legend: dict[str, list[str]] = field(default_factory=dict)  # layer key -> style keys drawn
    outline: BaseGeometry | None = None  # WGS84 outline the map fits: the unit's, the city's for ``city``
    clip_area: BaseGeometry | None = None  # WGS84 display clip of network lines (city outline + DISPLAY_CLIP_M)

    def display(self, geom: BaseGeometry | None) -> BaseGeometry | None:
        """A WGS84 geometry made display-ready (shifted for AMap, rounded)."""
        if geom is None or geom.is_empty:
            return geom
        return round_geom(to_gcj02(geom) if self.shift else geom)

    def clip(self, geom: BaseGeometry | None) -> BaseGeometry | None:
        """A WGS84 geometry clipped to :attr:`clip_area` (lines and polygons cut, points kept or dropped)."""
        return clip_geometry(geom, self.clip_area)

    def use(self, layer_key: str, style_key: str) -> None:
        """Record that ``style_key`` is drawn in ``layer_key`` (the legend lists exactly these)."""
        keys = self.legend.setdefault(layer_key, [])
        if style_key not in keys:
            keys.append(style_key)

    def place_names_en(self) -> dict[str, str]:
        """Short Chinese place name -> English, from the towns and units (长官 -> Changguan, 德州 -> Dezhou)."""
        cached = getattr(self, "_places", None)
        if cached is not None:
            return cached
        places: dict[str, str] = {}
        pairs = [(clean_str(r.get("name_zh")), clean_str(r.get("name_en"))) for r in self.towns_by_code.values()]
        pairs += list(self.units.values())
        for zh, en in pairs:
            if not zh or not en:
                continue
            zh_stem = re.sub(r"(街道|镇|乡|区|县|市)$", "", zh)
            en_stem = re.sub(r" (Subdistrict|Town|Township|District|County|City)$", "", en)
            if len(zh_stem) >= 2:
                places.setdefault(zh_stem, en_stem)
            places.setdefault(zh, en)
        places.setdefault("德州", "Dezhou")
        self._places = places
        return places

    def unit_name(self, code: str) -> str:
        zh, en = self.units.get(code, (code, code))
        return zh if self.lang == "zh" else en


def city_outline(counties: gpd.GeoDataFrame) -> BaseGeometry | None:
    """WGS84 union of the county polygons (``None`` when there are none)."""
    geoms = [g for g in counties.geometry if g is not None and not g.is_empty]
    return shapely.union_all(geoms) if geoms else None


def display_clip_area(outline: BaseGeometry | None, buffer_m: float = DISPLAY_CLIP_M) -> BaseGeometry | None:
    """``outline`` (WGS84) buffered by ``buffer_m`` metres in EPSG:32650, back in WGS84 (``None`` passes)."""
    if outline is None or outline.is_empty:
        return None
    metric = gpd.GeoSeries([outline], crs=WGS84).to_crs(METRIC_CRS)
    # simplify the buffer by 1 % of its width: the clip edge is a display convenience, not a boundary
    area = metric.buffer(buffer_m).simplify(buffer_m / 100).to_crs(WGS84).iloc[0]
    return shapely.make_valid(area)


def _parts_like(geom: BaseGeometry, template: BaseGeometry) -> BaseGeometry | None:
    """Keep the parts of ``geom`` of ``template``'s dimension (a clipped line may gain stray points)."""
    if geom is None or geom.is_empty:
        return None
    dim = shapely.get_dimensions(template)
    parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == dim and not g.is_empty]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return shapely.line_merge(shapely.multilinestrings(parts)) if dim == 1 else shapely.union_all(parts)


def clip_geometry(geom: BaseGeometry | None, area: BaseGeometry | None) -> BaseGeometry | None:
    """``geom`` cut to ``area`` (both WGS84); ``None`` when nothing is left. ``area`` ``None``: unchanged."""
    if geom is None or geom.is_empty or area is None:
        return geom
    if shapely.within(geom, area):
        return geom
    return _parts_like(shapely.intersection(geom, area), geom)


def clip_gdf(gdf: gpd.GeoDataFrame, area: BaseGeometry | None, *, lines_only: bool = False) -> gpd.GeoDataFrame:
    """Rows of ``gdf`` with geometry cut to ``area``; rows left empty are dropped (display only, a copy).

    ``lines_only``: clip only line geometries (points and polygons stay as they are).
    """
    if area is None or not len(gdf):
        return gdf
    geoms = list(gdf.geometry)
    out, keep = [], []
    for g in geoms:
        if g is None or g.is_empty or (lines_only and "Line" not in g.geom_type):
            out.append(g)
            keep.append(True)
            continue
        c = clip_geometry(g, area)
        out.append(c)
        keep.append(c is not None)
    clipped = gdf.set_geometry(gpd.GeoSeries(out, index=gdf.index, crs=WGS84))
    return clipped[np.array(keep, dtype=bool)]


TIANQU_PARENT = "371402"  # 德城区: the boundary sources put all of 天衢新区 inside it


def _outside_tianqu(county: BaseGeometry, tianqu: BaseGeometry | None) -> BaseGeometry:
    """The part of a county outside 天衢新区 when that part is substantial (≥ 25 %), else the county.

    Its label then sits away from the 天衢新区 badge instead of on top of it (德城区).
    """
    if tianqu is None or not county.intersects(tianqu):
        return county
    rest = county.difference(tianqu)
    if rest.is_empty or rest.area < 0.25 * county.area:
        return county
    return rest


def _label_point(geom: BaseGeometry) -> BaseGeometry:
    """Pole of inaccessibility of the largest part (0.002° ≈ 200 m tolerance): where a label sits best."""
    poly = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    return polylabel(poly, tolerance=0.002)


def unit_region(data: PlanData, unit: str) -> BaseGeometry | None:
    """WGS84 outline of ``unit`` (a county adcode, ``tianqu``) or ``None`` for ``city``."""
    if unit == "city":
        return None
    if unit == "tianqu":
        tq = gdf_or_empty(data.tianqu)
        geoms = [g for g in tq.geometry if g is not None and not g.is_empty]
        return shapely.union_all(geoms) if geoms else None
    counties = gdf_or_empty(data.counties)
    match = counties[counties["adcode"].astype(str) == unit] if "adcode" in counties.columns else counties.iloc[:0]
    if not len(match):
        raise ValueError(f"unknown unit {unit!r}: not a county adcode, 'tianqu' or 'city'")
    return match.geometry.iloc[0]


def _intersects(gdf: gpd.GeoDataFrame, region: BaseGeometry) -> np.ndarray:
    """Geometries sharing interior with ``region`` (merely touching its edge does not count); None -> False."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    return np.asarray(shapely.intersects(geoms, region) & ~shapely.touches(geoms, region), dtype=bool)


def filter_items(items: gpd.GeoDataFrame, unit: str, region: BaseGeometry | None) -> gpd.GeoDataFrame:
    """Items of ``unit``: its code in the item's units OR its geometry intersecting the unit's outline."""
    if unit == "city" or not len(items):
        return items
    by_code = np.array([unit in unit_list(r) for r in items.to_dict("records")], dtype=bool)
    by_geom = _intersects(items, region) if region is not None else np.zeros(len(items), dtype=bool)
    return items[by_code | by_geom]


def _town_in_unit(town: Mapping[str, Any], unit: str) -> bool:
    if unit == "tianqu":
        return clean_str(town.get("tianqu")) in ("1", "True", "true")
    return clean_str(town.get("unit")) == unit


def filter_towns(towns: gpd.GeoDataFrame, unit: str) -> gpd.GeoDataFrame:
    if unit == "city" or not len(towns):
        return towns
    return towns[[_town_in_unit(r, unit) for r in towns.to_dict("records")]]


def filter_lines(gdf: gpd.GeoDataFrame, region: BaseGeometry | None) -> gpd.GeoDataFrame:
    """Network features touching the unit's outline (all of them city-wide)."""
    if region is None or not len(gdf):
        return gdf
    return gdf[_intersects(gdf, region)]


def build_view(data: PlanData, unit: str = "city", *, lang: str = "zh", shift: bool = False,
               simplify_m: float = 0.0) -> View:
    """Filter ``data`` to ``unit`` and prepare display geometry (see module docstring)."""
    units = unit_names(data.units)
    counties = gdf_or_empty(data.counties)
    if "adcode" in counties.columns:
        counties = counties.assign(adcode=counties["adcode"].astype(str))
        for r in counties.to_dict("records"):
            units.setdefault(r["adcode"], (clean_str(r.get("name_zh")), clean_str(r.get("name_en"))))
    if unit not in ("city", "tianqu") and unit not in set(counties.get("adcode", [])):
        raise ValueError(f"unknown unit {unit!r}: not a county adcode, 'tianqu' or 'city'")
    region = unit_region(data, unit)
    tianqu = gdf_or_empty(data.tianqu)
    tianqu_view = tianqu if unit in ("city", "tianqu") else filter_lines(tianqu, region)
    towns_all = gdf_or_empty(data.towns)
    towns = filter_towns(towns_all, unit)
    town_codes = set(towns["code"].astype(str)) if "code" in towns.columns else set()
    areas = gdf_or_empty(data.town_areas)
    if unit != "city" and len(areas):
        if "code" in areas.columns:
            areas = areas[areas["code"].astype(str).isin(town_codes)]
        elif "unit" in areas.columns and unit != "tianqu":
            areas = areas[areas["unit"].astype(str) == unit]
        elif region is not None:
            areas = areas[[g is not None and region.contains(g.representative_point()) for g in areas.geometry]]
    items_all = gdf_or_empty(data.items)
    items = filter_items(items_all, unit, region)
    roles = gdf_or_empty(data.town_roles)
    if unit != "city" and len(roles):
        keep = []
        for r in roles.to_dict("records"):
            keep.append(clean_str(r.get("unit")) == unit or clean_str(r.get("town_code")) in town_codes)
        roles = roles[keep]
    city = city_outline(counties)
    clip_area = display_clip_area(city)
    networks = {k: clip_gdf(filter_lines(gdf_or_empty(v), region), clip_area)
                for k, v in data.networks.items()}
    items_display = clip_gdf(items, clip_area, lines_only=True)

    # label points (WGS84 first, display later)
    labels: dict[str, BaseGeometry] = {}
    tq_geoms = [g for g in tianqu.geometry if g is not None and not g.is_empty]
    tq_union = shapely.union_all(tq_geoms) if tq_geoms else None
    if "adcode" in counties.columns:
        for code, geom in zip(counties["adcode"], counties.geometry, strict=True):
            if geom is not None and not geom.is_empty:
                labels[code] = _label_point(_outside_tianqu(geom, tq_union))
    if tq_union is not None:
        labels["tianqu"] = _label_point(tq_union)
    elif TIANQU_PARENT in labels:
        labels["tianqu"] = labels[TIANQU_PARENT]

    view = View(unit=unit, lang=lang, shift=shift, region=region, counties=counties, tianqu=tianqu_view, towns=towns,
                town_areas=areas, items=items, town_roles=roles, networks=networks,
                items_by_id={clean_str(r["id"]): r for r in items_all.drop(columns="geometry").to_dict("records")}
                if len(items_all) else {},
                units=units,
                towns_by_code={clean_str(r["code"]): r for r in towns_all.drop(columns="geometry").to_dict("records")}
                if "code" in towns_all.columns else {},
                label_points={}, outline=region if region is not None else city, clip_area=clip_area)
    # display geometry
    view.counties = _prep(_simplify_polygons(counties, simplify_m), view)
    view.tianqu = _prep(_simplify_polygons(tianqu_view, simplify_m), view)
    view.town_areas = _prep(_simplify_polygons(areas, simplify_m), view)
    view.towns = _prep(towns, view)
    view.items = _prep(simplify_lines(items_display, simplify_m / 2), view)
    view.town_roles = _prep(roles, view)
    view.networks = {k: _prep(simplify_lines(v, simplify_m / 2), view) for k, v in networks.items()}
    view.label_points = {k: view.display(g) for k, g in labels.items()}
    return view


def _simplify_polygons(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """A polygon coverage simplified for display (shared borders stay shared); unchanged for tolerance 0."""
    return simplify_coverage(gdf, tolerance_m) if tolerance_m > 0 and len(gdf) else gdf


def _prep(gdf: gpd.GeoDataFrame, view: View) -> gpd.GeoDataFrame:
    if not len(gdf):
        return gdf
    geoms = [view.display(g) if g is not None else None for g in gdf.geometry]
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=WGS84))


def records(gdf: gpd.GeoDataFrame) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
    """(properties, geometry) pairs of a GeoDataFrame; blank cells become ``None``."""
    if not len(gdf):
        return []
    props = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    out = []
    for p, g in zip(props, gdf.geometry, strict=True):
        clean = {k: (None if not isinstance(v, list | tuple | np.ndarray) and is_blank(v) else v) for k, v in p.items()}
        out.append((clean, g))
    return out
