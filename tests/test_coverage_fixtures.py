"""Hand-made fixture data for the coverage tests: a metric grid in EPSG:32650 with known distances.

Two square "counties" (40 km × 40 km): 371423 (x 480–520 km) and 371481 (x 520–560 km), y 4100–4140 km.
Coordinates are written in UTM 50N metres and stored in WGS84, like the real files.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from geo.load import PlanData
from tests.toy_data import plan_data

UTM = "EPSG:32650"


def _gdf(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=UTM), crs=UTM).to_crs("EPSG:4326")


def utm_point(x: float, y: float) -> Point:
    """A WGS84 point from UTM 50N metres."""
    return gpd.GeoSeries([Point(x, y)], crs=UTM).to_crs("EPSG:4326").iloc[0]


def make_data() -> PlanData:
    units = pd.DataFrame({"code": ["371423", "371481", "tianqu", "city"],
                          "name_zh": ["庆云县", "乐陵市", "德州天衢新区", "德州市（全市）"],
                          "name_en": ["Qingyun County", "Leling City", "Tianqu", "Dezhou"],
                          "kind": ["county", "county_city", "functional_zone", "city"],
                          "seat_zh": ["", "", "", ""]})
    counties = _gdf([{"adcode": "371423", "name_zh": "庆云县"}, {"adcode": "371481", "name_zh": "乐陵市"}],
                    [box(480000, 4100000, 520000, 4140000), box(520000, 4100000, 560000, 4140000)])
    towns = _gdf([
        {"code": "371423001000", "name_zh": "渤海路街道", "name_en": "Bohailu", "unit": "371423", "tianqu": "0"},
        {"code": "371423100000", "name_zh": "庆云镇", "name_en": "Qingyun", "unit": "371423", "tianqu": "1"},
        {"code": "371481001000", "name_zh": "市中街道", "name_en": "Shizhong", "unit": "371481", "tianqu": "0"},
    ], [Point(500000, 4120000), Point(490000, 4110000), Point(540000, 4130000)])
    items = _gdf([
        {"id": "park-b04-01", "name_zh": "甲园区", "name_en": "Park A", "category": "park", "precision": "site",
         "units": "371423"},
        {"id": "park-b04-02", "name_zh": "乙园区", "name_en": "Park B", "category": "park", "precision": "county",
         "units": "371423"},
        {"id": "park-b04-03", "name_zh": "丙园区", "name_en": "Park C", "category": "park", "precision": "town",
         "units": "371481;tianqu"},
        {"id": "energy-b01-01", "name_zh": "电站", "name_en": "Plant", "category": "energy", "precision": "site",
         "units": "371481"},
    ], [Point(505000, 4120000), None, Point(540000, 4130000), Point(540000, 4130000)])
    entrances = _gdf([
        {"name": "甲出入口", "name_en": "Entrance 1", "scenario": "2025", "quality": "real"},
        {"name": "乙出入口", "name_en": "Entrance 2", "scenario": "2025", "quality": "real"},
    ], [Point(503000, 4120000), Point(500000, 4124000)])
    stations = _gdf([
        {"name": "甲高铁站", "name_en": "HSR 1", "hsr": 1, "scenario": "2025"},
        {"name": "乙站", "name_en": "Rail 2", "hsr": 0, "scenario": "2025"},
    ], [Point(500000, 4115000), Point(510000, 4120000)])
    rail = _gdf([
        {"name": "京沪高铁", "mode": "hsr", "quality": "real", "scenario": "2025"},
        {"name": "京沪高铁", "mode": "hsr", "quality": "real", "scenario": "2025"},
        {"name": "京沪铁路", "mode": "rail", "quality": "schematic", "scenario": "2025"},
    ], [LineString([(480000, 4115000), (520000, 4115000)]), LineString([(480000, 4115010), (520000, 4115010)]),
        LineString([(510000, 4100000), (510000, 4140000)])])
    expressways = _gdf([{"name": "滨德高速", "quality": "real", "scenario": "2025", "ref": "G0321"}],
                       [LineString([(480000, 4120000), (560000, 4120000)])])
    planned = _gdf([
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
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    networks = {"stations": stations, "expressway_entrances": entrances, "rail": rail, "expressways": expressways,
                "planned_works": planned, "trunk_roads": empty}
    return plan_data(units=units, counties=counties, towns=towns, items=items, networks=networks)
