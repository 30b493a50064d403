"""Builders of hand-made :class:`geo.load.PlanData` for tests (the real type, never a look-alike).

:func:`plan_data` fills every table a test does not give with an empty one, as :func:`geo.load.load_all` does for
a missing optional file.

:func:`make_plan_data` — the layers' toy: 2 counties, 3 towns, items of every precision.

Geometry (WGS84): county 371402 is the square lon 116.2–116.5 × lat 37.3–37.6, county 371403 the square
lon 116.5–116.8 × lat 37.3–37.6 (they share the edge lon = 116.5). Tianqu is a small square inside 371402.

:func:`make_coverage_data` — the coverage toy: a metric grid in EPSG:32650 with known distances.

Two square "counties" (40 km × 40 km): 371423 (x 480–520 km) and 371481 (x 520–560 km), y 4100–4140 km.
Coordinates are written in UTM 50N metres and stored in WGS84, like the real files.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from geo.crs import METRIC_CRS, WGS84
from geo.load import PlanData
from geo.networks import with_feature_ids

_GEO_TABLES = ("counties", "tianqu", "towns", "town_areas", "items", "town_roles")
_TABLES = ("units", "profiles", "indicators")


def empty_gdf() -> gpd.GeoDataFrame:
    """An empty GeoDataFrame in WGS84."""
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


def plan_data(**tables: Any) -> PlanData:
    """A PlanData from the given tables (keyword = PlanData field); the others are empty."""
    unknown = set(tables) - {*_GEO_TABLES, *_TABLES, "networks", "problems", "rejected"}
    if unknown:
        raise TypeError(f"PlanData has no table(s) {sorted(unknown)}")
    full: dict[str, Any] = {name: empty_gdf() for name in _GEO_TABLES}
    full.update({name: pd.DataFrame() for name in _TABLES})
    full["networks"] = {}
    full.update(tables)
    return PlanData(**full)


# ----------------------------------------------------------------------------------- the layers' toy
HOSTILE = '<script>alert(1)</script>"onmouseover=`x`${y}'


def _wgs84_gdf(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


def _item(id_: str, category: str, subtype: str, precision: str, units: str, name_zh: str, *, status: str = "implementing",
          town_code: str = "", lon: float | None = None, lat: float | None = None, name_en: str = "") -> dict:
    return {
        "id": id_, "name_zh": name_zh, "name_en": name_en or f"EN {id_}", "category": category, "subtype": subtype,
        "industry_tags": "生物医药;医疗器械", "industry_tags_en": "biomedicine;medical devices", "status_zh": "加快建设",
        "status": status, "units": units, "unit_basis": "stated", "source_ref": "专栏4", "source_lines": "310;311",
        "quote": name_zh[:20], "precision": precision, "town_code": town_code, "lon": lon, "lat": lat,
        "location_source": "test source", "aliases": "", "notes": "", "unit_list": units.split(";"),
    }


def make_plan_data(hostile: bool = False) -> PlanData:
    """The fixture; ``hostile=True`` gives the site park a script-injection name."""
    units = pd.DataFrame([
        {"code": "371402", "name_zh": "德城区", "name_en": "Decheng District", "kind": "district"},
        {"code": "371403", "name_zh": "陵城区", "name_en": "Lingcheng District", "kind": "district"},
        {"code": "tianqu", "name_zh": "德州天衢新区", "name_en": "Dezhou Tianqu New Area", "kind": "functional_zone"},
        {"code": "city", "name_zh": "德州市（全市）", "name_en": "Dezhou (city-wide)", "kind": "city"},
    ])
    counties = _wgs84_gdf([
        {"adcode": "371402", "name_zh": "德城区", "name_en": "Decheng District", "kind": "district",
         "precision": "official", "source": "test"},
        {"adcode": "371403", "name_zh": "陵城区", "name_en": "Lingcheng District", "kind": "district",
         "precision": "official", "source": "test"},
    ], [box(116.2, 37.3, 116.5, 37.6), box(116.5, 37.3, 116.8, 37.6)])
    tianqu = _wgs84_gdf([{"name_zh": "德州天衢新区", "name_en": "Dezhou Tianqu New Area", "precision": "approximate",
                    "member_towns": "371402001000"}], [box(116.3, 37.4, 116.4, 37.5)])
    towns = _wgs84_gdf([
        {"code": "371402001000", "name_zh": "新湖街道", "name_en": "Xinhu", "unit": "371402", "type": "街道",
         "tianqu": 1, "point_precision": "source_point", "point_source": "test"},
        {"code": "371402100000", "name_zh": "黄河涯镇", "name_en": "Huangheya", "unit": "371402", "type": "镇",
         "tianqu": 0, "point_precision": "source_point", "point_source": "test"},
        {"code": "371403100000", "name_zh": "郑家寨镇", "name_en": "Zhengjiazhai", "unit": "371403", "type": "镇",
         "tianqu": 0, "point_precision": "knowledge", "point_source": "test"},
    ], [Point(116.35, 37.45), Point(116.25, 37.35), Point(116.7, 37.5)])
    town_areas = _wgs84_gdf([
        {"code": "371402001000", "precision": "approximate"},
        {"code": "371402100000", "precision": "approximate"},
        {"code": "371403100000", "precision": "approximate"},
    ], [box(116.3, 37.4, 116.4, 37.5), box(116.2, 37.3, 116.3, 37.4), box(116.5, 37.3, 116.8, 37.6)])
    park_name = HOSTILE if hostile else "德州经济技术开发区"
    rows = [
        _item("park-b04-01", "park", "development_zone", "site", "371402", park_name, lon=116.45, lat=37.55),
        _item("park-b04-02", "park", "industrial_park", "town", "371403", "郑家寨镇产业园",
              town_code="371403100000"),
        _item("park-b04-03", "park", "industrial_park", "county", "371403", "陵城区化工园"),
        _item("park-b04-04", "park", "cluster", "county", "371402;371403", "跨区产业集群"),
        _item("energy-b06-01", "energy", "solar", "county", "371402", "德城区光伏项目"),
        _item("energy-b06-02", "energy", "wind", "none", "city", "全市风电计划"),
        _item("water-s18-01", "water", "reservoir", "site", "371403", "丁东水库", lon=116.75, lat=37.35),
        _item("transport-b08-02", "transport", "hsr", "schematic", "371402;371403", "德州至商河铁路",
              status="start"),
        _item("transport-s18-02", "transport", "general_aviation", "site", "371403", "庆云通用机场",
              status="complete", lon=116.6, lat=37.58),
        _item("innovation-s09-01", "innovation", "lab", "town", "tianqu", "天衢实验室", town_code="371402001000"),
    ]
    line = LineString([(116.3, 37.32), (116.5, 37.42), (116.7, 37.4)])
    geoms = [Point(116.45, 37.55), Point(116.7, 37.5), None, None, None, None, Point(116.75, 37.35), line,
             Point(116.6, 37.58), Point(116.35, 37.45)]
    items = _wgs84_gdf(rows, geoms)
    roles = _wgs84_gdf([
        {"id": "town-center-01", "town_code": "371402100000", "town_name_zh": "黄河涯镇", "unit": "371402",
         "role": "center", "industry_zh": "食品", "industry_en": "food", "source_ref": "专栏16",
         "source_lines": "700", "quote": "黄河涯镇（食品）", "notes": ""},
        {"id": "town-feature-01", "town_code": "371402100000", "town_name_zh": "黄河涯镇", "unit": "371402",
         "role": "feature", "industry_zh": "", "industry_en": "", "source_ref": "专栏16", "source_lines": "701",
         "quote": "黄河涯镇", "notes": ""},
        {"id": "town-cooperation-01", "town_code": "371403100000", "town_name_zh": "郑家寨镇", "unit": "371403",
         "role": "cooperation", "industry_zh": "", "industry_en": "", "source_ref": "专栏16", "source_lines": "702",
         "quote": "郑家寨镇", "notes": ""},
    ], [Point(116.25, 37.35), Point(116.25, 37.35), Point(116.7, 37.5)])
    net = {
        "rail": _wgs84_gdf([{"name": "京沪高铁", "name_en": "Beijing–Shanghai HSR", "mode": "hsr", "quality": "real",
                       "scenario": "2025", "source": "OSM", "license": "ODbL-1.0", "plan_item_id": None},
                      {"name": "石德铁路", "name_en": "Shijiazhuang–Dezhou Railway", "mode": "rail",
                       "quality": "schematic", "scenario": "2025", "source": "test", "license": "", "plan_item_id": None}],
                     [LineString([(116.3, 37.3), (116.3, 37.6)]), LineString([(116.2, 37.5), (116.45, 37.5)])]),
        "stations": _wgs84_gdf([{"name": "德州东", "name_en": "Dezhou East", "mode": "station", "hsr": 1, "scenario": "2025"}],
                         [Point(116.3, 37.45)]),
        "expressways": _wgs84_gdf([{"name": "京台高速", "name_en": "G3", "mode": "expressway", "quality": "schematic",
                              "scenario": "2025", "ref": "G3"}], [LineString([(116.6, 37.3), (116.6, 37.6)])]),
        "rivers": _wgs84_gdf([{"name": "马颊河", "name_en": "Majia River", "mode": "river", "quality": "real"}],
                       [LineString([(116.55, 37.3), (116.75, 37.6)])]),
        "planned_works": _wgs84_gdf([{"name": "德商高铁", "name_en": "Dezhou–Shanghe HSR", "mode": "hsr",
                                "quality": "schematic", "scenario": "2030", "plan_item_id": "transport-b08-02",
                                "waypoints": "德州东;陵城"}], [line]),
    }
    net = {k: with_feature_ids(v, k) for k, v in net.items()}  # as geo.networks.read_network gives them
    return plan_data(units=units, counties=counties, tianqu=tianqu, towns=towns, town_areas=town_areas,
                     items=items, town_roles=roles, networks=net)


# ----------------------------------------------------------------------------------- the coverage toy
UTM = METRIC_CRS


def _utm_gdf(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=UTM), crs=UTM).to_crs(WGS84)


def utm_point(x: float, y: float) -> Point:
    """A WGS84 point from UTM 50N metres."""
    return gpd.GeoSeries([Point(x, y)], crs=UTM).to_crs(WGS84).iloc[0]


def make_coverage_data() -> PlanData:
    units = pd.DataFrame({"code": ["371423", "371481", "tianqu", "city"],
                          "name_zh": ["庆云县", "乐陵市", "德州天衢新区", "德州市（全市）"],
                          "name_en": ["Qingyun County", "Leling City", "Tianqu", "Dezhou"],
                          "kind": ["county", "county_city", "functional_zone", "city"],
                          "seat_zh": ["", "", "", ""]})
    counties = _utm_gdf([{"adcode": "371423", "name_zh": "庆云县"}, {"adcode": "371481", "name_zh": "乐陵市"}],
                    [box(480000, 4100000, 520000, 4140000), box(520000, 4100000, 560000, 4140000)])
    towns = _utm_gdf([
        {"code": "371423001000", "name_zh": "渤海路街道", "name_en": "Bohailu", "unit": "371423", "tianqu": "0"},
        {"code": "371423100000", "name_zh": "庆云镇", "name_en": "Qingyun", "unit": "371423", "tianqu": "1"},
        {"code": "371481001000", "name_zh": "市中街道", "name_en": "Shizhong", "unit": "371481", "tianqu": "0"},
    ], [Point(500000, 4120000), Point(490000, 4110000), Point(540000, 4130000)])
    items = _utm_gdf([
        {"id": "park-b04-01", "name_zh": "甲园区", "name_en": "Park A", "category": "park", "precision": "site",
         "units": "371423"},
        {"id": "park-b04-02", "name_zh": "乙园区", "name_en": "Park B", "category": "park", "precision": "county",
         "units": "371423"},
        {"id": "park-b04-03", "name_zh": "丙园区", "name_en": "Park C", "category": "park", "precision": "town",
         "units": "371481;tianqu"},
        {"id": "energy-b01-01", "name_zh": "电站", "name_en": "Plant", "category": "energy", "precision": "site",
         "units": "371481"},
    ], [Point(505000, 4120000), None, Point(540000, 4130000), Point(540000, 4130000)])
    entrances = _utm_gdf([
        {"name": "甲出入口", "name_en": "Entrance 1", "scenario": "2025", "quality": "real"},
        {"name": "乙出入口", "name_en": "Entrance 2", "scenario": "2025", "quality": "real"},
    ], [Point(503000, 4120000), Point(500000, 4124000)])
    stations = _utm_gdf([
        {"name": "甲高铁站", "name_en": "HSR 1", "hsr": 1, "scenario": "2025"},
        {"name": "乙站", "name_en": "Rail 2", "hsr": 0, "scenario": "2025"},
    ], [Point(500000, 4115000), Point(510000, 4120000)])
    rail = _utm_gdf([
        {"name": "京沪高铁", "mode": "hsr", "quality": "real", "scenario": "2025"},
        {"name": "京沪高铁", "mode": "hsr", "quality": "real", "scenario": "2025"},
        {"name": "京沪铁路", "mode": "rail", "quality": "schematic", "scenario": "2025"},
    ], [LineString([(480000, 4115000), (520000, 4115000)]), LineString([(480000, 4115010), (520000, 4115010)]),
        LineString([(510000, 4100000), (510000, 4140000)])])
    expressways = _utm_gdf([{"name": "滨德高速", "quality": "real", "scenario": "2025", "ref": "G0321"}],
                       [LineString([(480000, 4120000), (560000, 4120000)])])
    planned = _utm_gdf([
        {"name": "庆云至章丘高速公路", "plan_item_id": "transport-b08-06", "mode": "expressway",
         "quality": "schematic", "scenario": "2030", "role": ""},
        {"name": "G0311 济南—聊城高速公路改扩建", "plan_item_id": "transport-b08-09", "mode": "expressway",
         "quality": "schematic", "scenario": "2030", "role": ""},
        {"name": "天津至潍坊高铁", "plan_item_id": "transport-b08-01", "mode": "hsr",
         "quality": "schematic", "scenario": "2030", "role": ""},
        {"name": "庆云南出入口", "plan_item_id": "transport-b08-06", "mode": "expressway",
         "quality": "schematic", "scenario": "2030", "role": "entrance"},
        {"name": "庆云站", "plan_item_id": "transport-b08-01", "mode": "hsr",
         "quality": "schematic", "scenario": "2030", "role": "station"},
    ], [LineString([(540000, 4100000), (540000, 4140000)]), LineString([(480000, 4120000), (500000, 4120000)]),
        LineString([(530000, 4133000), (560000, 4133000)]),
        Point(540000, 4125000), Point(540000, 4133000)])
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    networks = {"stations": stations, "expressway_entrances": entrances, "rail": rail, "expressways": expressways,
                "planned_works": planned, "trunk_roads": empty}
    return plan_data(units=units, counties=counties, towns=towns, items=items, networks=networks)
