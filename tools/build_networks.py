"""Build data/networks/*.geojson from the shared geodata (reproducible; WGS84 in and out).

Run: ``.venv/bin/python -m tools.build_networks`` (or ``python tools/build_networks.py``).

Inputs (read-only, ``geo.paths.SHARED_GEODATA``):
- dezhou_rail.geojson              OSM-derived 京沪高铁 (real geometry, ODbL)
- dezhou_hsr_stations.geojson      OSM-derived named station points (ODbL)
- dezhou_rivers_naturalearth.geojson  Natural Earth 10m 黄河 (public domain)
- dezhou_aeroways.geojson          OSM runways (ODbL)
- dezhou_towns_wgs84_from_gcj02.geojson  town points (WGS84, derived) used as schematic waypoints
- dezhou_city_wgs84_from_gcj02.geojson   city outline, only to report lengths inside Dezhou
and the project's own data/networks/planned_works.csv (the table of planned works: plan item, plan box and lines,
how each is drawn; checked by ``python -m geo.validate``), data/towns.csv and data/units.csv.

Everything that is not traced from a named source is drawn as straight segments through named
waypoints, marked ``quality = schematic`` with the waypoints listed. Not used (licence unclear, see
data/networks/SOURCES.md): dezhou_rail_dcw_vmap0.geojson, dezhou_rivers_ngcc4m.geojson (both are only
read by ``--check`` as a cross-check), and the withdrawn RailVista corridors (never).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString, MultiLineString, Point, box, shape
from shapely.ops import linemerge

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.crs import METRIC_CRS, WGS84
from geo.networks import NETWORK_COLUMNS, REGION_BBOX, write_network
from geo.paths import DATA_DIR, NETWORKS_DIR, SHARED_GEODATA

ODBL = "ODbL-1.0 (© OpenStreetMap contributors)"
CC0 = "CC0 (our own drawing)"
SCHEMATIC_SOURCE = "schematic: general knowledge of the route, drawn through named places"

# ---------------------------------------------------------------------------------------------------------
# Named places used as waypoints.
# ---------------------------------------------------------------------------------------------------------
# Towns inside Dezhou: (display name, county name, town name in dezhou_towns_wgs84_from_gcj02.geojson).
# County seats are represented by the seat's 街道/镇 point (AMap "centre" point converted to WGS84).
TOWN_WAYPOINTS: dict[str, tuple[str, str]] = {
    "德州": ("德城区", "新华街道"),
    "二屯": ("德城区", "二屯镇"),
    "黄河涯": ("德城区", "黄河涯镇"),
    "陵城": ("陵城区", "临齐街道"),
    "宁津": ("宁津县", "宁城街道"),
    "长官": ("宁津县", "长官镇"),
    "大柳": ("宁津县", "大柳镇"),
    "庆云": ("庆云县", "庆云镇"),
    "崔口": ("庆云县", "崔口镇"),
    "临邑": ("临邑县", "临邑镇"),
    "齐河": ("齐河县", "晏城街道"),
    "晏城": ("齐河县", "晏城街道"),
    "表白寺": ("齐河县", "表白寺镇"),
    "潘店": ("齐河县", "潘店镇"),
    "安头": ("齐河县", "安头乡"),
    "平原": ("平原县", "龙门街道"),
    "夏津": ("夏津县", "银城街道"),
    "渡口驿": ("夏津县", "渡口驿乡"),
    "武城": ("武城县", "广运街道"),
    "老城": ("武城县", "老城镇"),
    "甲马营": ("武城县", "甲马营镇"),
    "四女寺": ("武城县", "四女寺镇"),
    "鲁权屯": ("武城县", "鲁权屯镇"),
    "乐陵": ("乐陵市", "市中街道"),
    "大孙": ("乐陵市", "大孙乡"),
    "西段": ("乐陵市", "西段乡"),
    "禹城": ("禹城市", "市中街道"),
    # towns near expressways (chosen from a cross-check of junction/exit positions, see build_expressways)
    "赵虎": ("德城区", "赵虎镇"),
    "丁坞": ("乐陵市", "丁坞镇"),
    "郑店": ("乐陵市", "郑店镇"),
    "孟寺": ("临邑县", "孟寺镇"),
    "安仁": ("禹城市", "安仁镇"),
}

# Places outside Dezhou, from general knowledge (city/county centre, ± a few km). Only line ends use them.
EXTERNAL_PLACES: dict[str, tuple[float, float]] = {
    "吴桥": (116.39, 37.63),
    "济南": (117.00, 36.67),
    "济阳": (117.17, 36.98),
    "高唐": (116.23, 36.86),
    "东阿": (116.25, 36.33),
    "商河": (117.15, 37.31),
    "章丘": (117.53, 36.71),
    "滨州": (117.97, 37.38),
    "黄骅": (117.33, 38.37),
    "无棣": (117.61, 37.77),
    "聊城": (115.98, 36.46),
    "临清": (115.70, 36.84),
    "东光": (116.54, 37.89),
    "阳信": (117.58, 37.64),
    "清河": (115.67, 37.06),
    "郓城": (115.94, 35.60),
}

REF_STATIONS_NOTE = "station points: dezhou_hsr_stations.geojson (OSM via chinese-railway-gtfs, ODbL)"


def _load_geojson(name: str) -> list[dict]:
    with open(SHARED_GEODATA / name, encoding="utf-8") as f:
        return json.load(f)["features"]


class Places:
    """Look-up of waypoint coordinates: OSM stations (``站:NAME``), Dezhou towns, then external places."""

    def __init__(self, towns_csv: Path | None = None) -> None:
        self.stations: dict[str, tuple[float, float]] = {}
        for ft in _load_geojson("dezhou_hsr_stations.geojson"):
            lon, lat = ft["geometry"]["coordinates"][:2]
            self.stations[ft["properties"]["name"]] = (round(lon, 6), round(lat, 6))
        self.towns: dict[tuple[str, str], tuple[float, float]] = {}
        for ft in _load_geojson("dezhou_towns_wgs84_from_gcj02.geojson"):
            p = ft["properties"]
            lon, lat = ft["geometry"]["coordinates"][:2]
            self.towns[(p["county_name"], p["name"])] = (round(lon, 6), round(lat, 6))
        self.town_source = "/work/shared/geodata/dezhou_towns_wgs84_from_gcj02.geojson"
        # Prefer the project's own towns.csv (geography part) where it gives a point for the town.
        towns_csv = towns_csv if towns_csv is not None else DATA_DIR / "towns.csv"
        if towns_csv.is_file():
            import pandas as pd

            units = pd.read_csv(DATA_DIR / "units.csv", dtype=str).set_index("code")["name_zh"].to_dict()
            t = pd.read_csv(towns_csv, dtype=str)
            n = 0
            for r in t.itertuples():
                county = units.get(r.unit)
                if county and isinstance(r.lon, str) and isinstance(r.lat, str) and r.lon and r.lat:
                    self.towns[(county, r.name_zh)] = (round(float(r.lon), 6), round(float(r.lat), 6))
                    n += 1
            if n:
                self.town_source = "data/towns.csv"

    def get(self, key: str) -> tuple[float, float]:
        """Coordinates (lon, lat) of a waypoint key; ``站:`` prefix = station, else town or external place."""
        if key.startswith("站:"):
            return self.stations[key[2:]]
        if key in TOWN_WAYPOINTS:
            return self.towns[TOWN_WAYPOINTS[key]]
        return EXTERNAL_PLACES[key]

    def line(self, keys: list[str]) -> LineString:
        return LineString([self.get(k) for k in keys])

    def license_for(self, keys: list[str]) -> str:
        """Licence text of a drawing through ``keys``: our drawing is CC0, borrowed waypoint points keep theirs."""
        parts = [CC0]
        if any(k.startswith("站:") for k in keys):
            parts.append("station waypoints " + ODBL)
        if any(k in TOWN_WAYPOINTS for k in keys):
            parts.append("town waypoints © Vonng/adcode, CC BY 4.0")
        return "; ".join(parts)


def waypoint_text(keys: list[str]) -> str:
    """Waypoints as written in the ``waypoints`` property: names joined by ';' (station names keep no prefix)."""
    return ";".join(k[2:] if k.startswith("站:") else k for k in keys)


REGION = box(*REGION_BBOX)


def clip(geom):  # shapely geometry in, shapely geometry out
    """Clip to the region bbox; lines come back as LineString or MultiLineString."""
    g = geom.intersection(REGION)
    if g.geom_type == "GeometryCollection":
        parts = [p for p in g.geoms if p.geom_type in ("LineString", "MultiLineString")]
        g = linemerge(MultiLineString([q for p in parts for q in getattr(p, "geoms", [p])]))
    if g.geom_type == "MultiLineString":
        merged = linemerge(g)
        g = merged
    return g


def _round_geom(geom):
    from shapely import set_precision

    return set_precision(geom, 1e-6)


def feature(geom, **props) -> dict:
    return {"geometry": geom, **props}


def schematic_line(places: Places, keys: list[str], **props) -> dict:
    props.setdefault("license", places.license_for(keys))
    return feature(clip(places.line(keys)), quality="schematic", waypoints=waypoint_text(keys), **props)


# ---------------------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------------------
def build_rail(places: Places) -> list[dict]:
    feats: list[dict] = []
    # Real: 京沪高铁 from OSM. The source maps the line as two parallel track ways, dissolved into
    # equal-length pairs; we keep one way of each pair (the pairs lie metres apart) so lengths are route km.
    src = [ft for ft in _load_geojson("dezhou_rail.geojson") if ft["properties"]["name"] == "京沪高铁"]
    kept, seen = [], []
    for ft in src:
        g = shape(ft["geometry"])
        if any(abs(g.length - s.length) < 1e-3 and g.distance(s) < 0.001 for s in seen):
            continue
        seen.append(g)
        kept.append(g)
    jh = clip(linemerge(MultiLineString(kept)))
    feats.append(feature(
        jh, name="京沪高铁", name_en="Beijing–Shanghai High-Speed Railway", mode="hsr", quality="real",
        waypoints="", ref="", scenario="2025", plan_item_id="",
        source="OpenStreetMap via GitHub Raymond1030/China-High-speed-railway-Mapbox-Visualization@6a8ec38 "
               "(src/shapefile/京沪高铁.json), through /work/shared/geodata/dezhou_rail.geojson",
        license=ODBL,
        note="OSM extract no later than 2022-09; one of the two mapped track ways kept; clipped to the region bbox",
    ))
    # Schematic lines through named OSM station points.
    st = "station points from dezhou_hsr_stations.geojson (OSM, ODbL); straight segments between them"
    lines = [
        (["站:景州", "站:德州东", "站:平原东", "站:禹城东", "站:齐河", "站:济南东"],
         "石济客专", "Shijiazhuang–Jinan Passenger Railway", "hsr",
         "stations 德州东, 平原东, 禹城东, 齐河 are the Dezhou stops of the line (opened 2017); " + st),
        (["站:东光", "站:德州", "站:黄河涯", "站:平原", "站:禹城", "站:晏城", "站:济南"],
         "京沪铁路", "Beijing–Shanghai Railway (conventional)", "rail",
         "the conventional line's stations in Dezhou; enters 济南 over the 泺口 bridge (not drawn); " + st),
        (["站:衡水", "站:清凉店", "站:王瞳", "站:德州"],
         "石德铁路", "Shijiazhuang–Dezhou Railway", "rail",
         "joins the 京沪铁路 at 德州; " + st),
        (["站:德州", "站:陵城", "站:临邑", "站:商河北"],
         "德大铁路", "Dezhou–Dajiawa Railway", "rail",
         "Dezhou section only (the line continues east to 滨州/东营/大家洼); the junction layout at 德州 is not "
         "known to us (drawn from 德州 station); " + st),
        (["站:聊城西", "站:茌平南", "站:长清", "站:济南西"],
         "济郑高铁", "Jinan–Zhengzhou High-Speed Railway", "hsr",
         "opened Dec 2023, after the OSM rail extract; no station in Dezhou; the straight 茌平南→长清 segment crosses "
         "about 24 km of southern 齐河 county, where the real line must cross the Yellow River's north bank to reach "
         "长清 (inference, moderate confidence); " + st),
        (["站:聊城", "站:茌平", "站:晏城"],
         "邯济铁路", "Handan–Jinan Railway", "rail",
         "enters Dezhou in 齐河 county and joins the 京沪铁路 at/near 晏城; the part 晏城–济南 runs on the 京沪铁路; "
         + st),
    ]
    for keys, name, name_en, mode, note in lines:
        feats.append(schematic_line(
            places, keys, name=name, name_en=name_en, mode=mode, ref="", scenario="2025", plan_item_id="",
            source="schematic: general knowledge of the line's stations, drawn through OSM station points",
            note=note))
    return feats


HSR_STATIONS = {"德州东", "平原东", "禹城东", "齐河", "景州", "衡水北", "济南东", "济南西", "济南", "茌平南", "长清",
                "聊城西"}
HSR_BASIS = {
    "德州东": "京沪高铁 and 石济客专", "平原东": "石济客专", "禹城东": "石济客专", "齐河": "石济客专",
    "景州": "石济客专", "衡水北": "石济客专", "济南东": "石济客专", "济南西": "京沪高铁 and 济郑高铁",
    "济南": "G/D trains of the 胶济客专 and 石济客专 services", "茌平南": "济郑高铁", "长清": "济郑高铁",
    "聊城西": "济郑高铁",
}
STATION_EN = {
    "德州": "Dezhou", "德州东": "Dezhou East", "平原东": "Pingyuan East", "禹城东": "Yucheng East", "齐河": "Qihe",
    "黄河涯": "Huangheya", "临邑": "Linyi (Shandong)", "陵城": "Lingcheng", "平原": "Pingyuan", "禹城": "Yucheng",
    "晏城北": "Yancheng North", "晏城": "Yancheng", "景州": "Jingzhou", "东光": "Dongguang", "王瞳": "Wangtong",
    "商河北": "Shanghe North", "临清": "Linqing", "济南西": "Jinan West", "济南东": "Jinan East", "济南": "Jinan",
    "茌平": "Chiping", "茌平南": "Chiping South", "长清": "Changqing", "衡水北": "Hengshui North", "衡水": "Hengshui",
    "清凉店": "Qingliangdian", "大营镇": "Daying Town", "清河城": "Qinghe City", "临西": "Linxi",
    "南宫东": "Nangong East", "泊头": "Botou", "阳信": "Yangxin", "聊城": "Liaocheng", "聊城西": "Liaocheng West",
    "聊城北": "Liaocheng North", "聊城东": "Liaocheng East", "黄台": "Huangtai", "大明湖": "Daminghu",
    "历城": "Licheng", "党家庄": "Dangjiazhuang", "枣强": "Zaoqiang", "章丘": "Zhangqiu", "章丘北": "Zhangqiu North",
    "堂邑": "Tangyi",
}


STATIONS_NEAR_M = 50_000
"""Stations outside Dezhou are kept within this distance (m, EPSG:32650) of the city outline: a town near the
border may be nearer a neighbouring city's station (coverage counts them, marked as outside)."""


def build_stations(city) -> list[dict]:
    """Named passenger stations in Dezhou and within :data:`STATIONS_NEAR_M` of it (OSM points of the GTFS station
    list, which covers lon 115.4–117.9, lat 36.2–38.2 only: north of 38.2° (e.g. 沧州西, 南皮) nothing is known)."""
    city_m = gpd.GeoSeries([city], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    near = city_m.buffer(STATIONS_NEAR_M)
    feats = []
    for ft in _load_geojson("dezhou_hsr_stations.geojson"):
        name = ft["properties"]["name"]
        pt = shape(ft["geometry"])
        pt_m = gpd.GeoSeries([pt], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
        if not near.contains(pt_m):
            continue
        inside = city_m.contains(pt_m)
        hsr = 1 if name in HSR_STATIONS else 0
        feats.append(feature(
            Point(round(pt.x, 6), round(pt.y, 6)), name=name, name_en=STATION_EN.get(name, ""), mode="rail",
            quality="real", hsr=hsr, passenger=1, precision="site", scenario="2025", plan_item_id="",
            source="OpenStreetMap station point via GitHub wensimehrp/chinese-railway-gtfs@3f527cf (out.csv), "
                   "through /work/shared/geodata/dezhou_hsr_stations.geojson",
            license=ODBL,
            note=("inside Dezhou" if inside else f"outside Dezhou (within {STATIONS_NEAR_M / 1000:g} km)")
            + "; passenger=1 because the station is in a passenger timetable (GTFS) list"
            + (f"; hsr=1: served by {HSR_BASIS[name]}" if hsr else "; hsr=0: no HSR service known to us (not verified)"),
        ))
    return feats


# Cross-check used to choose the waypoints of G3, G2, G20, G0321 and 滨德 (not shipped, no coordinates copied):
# the junction/exit positions in TravelMapping/HighwayData hwy_data/CHN-SD/chng/chnsd.{g02,g03,g20,g0321}.wpt
# (OSM-derived waypoint lists) — each waypoint below is a Dezhou town within ~1–7 km of such a position.
TM_CHECK = ("waypoints chosen by cross-checking junction/exit positions of TravelMapping/HighwayData "
            "(hwy_data/CHN-SD/chng/chnsd.{}.wpt, OSM-derived; no geometry copied)")
PLAN_L111 = ("the plan (line 111) names it as built in 2021–2025: '京台高速改扩建完成，德郓高速、高武高速商河至平原段"
             "建成通车'")

# (waypoints, name, name_en, ref, short name for entrances (zh, en), note)
EXPRESSWAYS: list[tuple[list[str], str, str, str, tuple[str, str], str]] = [
    (["吴桥", "德州", "平原", "禹城", "齐河", "济南"], "京台高速", "Beijing–Taipei Expressway", "G3",
     ("京台高速", "Beijing–Taipei Expwy"),
     "the old 京福高速: from the Hebei border past 德州, 平原, 禹城 and 齐河 (晏城) to 济南; drawn through the county "
     "seats it serves (the road passes them at a distance of a few km); " + TM_CHECK.format("g03")
     + ". Until 2026-11 this file drew it as a G2/G3 shared section: wrong, G2 runs further east"),
    (["西段", "丁坞", "郑店", "商河", "孟寺", "济南"], "京沪高速", "Beijing–Shanghai Expressway", "G2",
     ("京沪高速", "Beijing–Shanghai Expwy"),
     "enters Shandong north of 乐陵 and runs south past the west of 乐陵 (丁坞), 郑店, the west of 商河 and "
     "孟寺 (临邑) to 济南; the line passes each waypoint town at ~1–7 km; " + TM_CHECK.format("g02")),
    (["济南", "潘店", "聊城"], "济南—聊城高速公路", "Jinan–Liaocheng Expressway", "G0311",
     ("济聊高速", "Jinan–Liaocheng Expwy"),
     "the plan names it G0311 济南—聊城高速公路 (formerly the provincial S1 济聊高速); crosses southern 齐河 county; "
     "潘店 taken as on the road because the plan names a 潘店枢纽 (junction); a toll station '齐河西' on the S1 "
     "is attested (2017 traffic notice in a public code repository), site unknown; alignment otherwise unknown to us"),
    (["黄河涯", "四女寺", "鲁权屯", "武城", "夏津", "聊城"], "德上高速", "Dezhou–Shangrao Expressway", "G0321",
     ("德上高速", "Dezhou–Shangrao Expwy"),
     "starts at the G3 south of 德州 (near 黄河涯/丁庄), runs west past 四女寺 and 鲁权屯, then south a few km "
     "(~5–7 km) west of the seats of 武城 and 夏津 towards 聊城; " + TM_CHECK.format("g0321")
     + ". Until 2026-11 this file drew it as a straight 德州→聊城 line"),
    (["德州", "赵虎", "丁坞", "乐陵", "庆云", "阳信", "滨州"], "滨德高速", "Binzhou–Dezhou Expressway", "S12",
     ("滨德高速", "Binzhou–Dezhou Expwy"),
     "S12 滨德高速: leaves the G3 north of 德州 and meets the G2 near 丁坞 (both junctions from "
     + TM_CHECK.format("g03/g02") + "); a toll station '庆云' between 阳信 and the west is attested (2017 traffic "
     "notice: 'S12滨德高速阳信收费站-庆云收费站'); the straight drawing G3-junction→G2-junction→庆云 passes within "
     "~1 km of 乐陵 and 赵虎, so they are waypoints; it passes 宁津 at ~6 km (not a waypoint: not known). It does "
     "not pass the 陵城 seat (~20 km north of it, through the north of 陵城区: the plan's new 陵城北互通). Until "
     "2026-11 this file drew it 德州→陵城→滨州"),
    (["济南", "齐河", "安仁", "高唐", "夏津", "渡口驿", "清河"], "青银高速", "Qingdao–Yinchuan Expressway", "G20",
     ("青银高速", "Qingdao–Yinchuan Expwy"),
     "from 济南 past 齐河 (junction with G3 north of 晏城), south of 禹城 (安仁; an exit '禹城南' is attested by "
     "a 2017 traffic notice), north of 高唐, past 夏津 and 渡口驿 into Hebei (清河); " + TM_CHECK.format("g20")),
    (["德州", "郓城"], "德郓高速", "Dezhou–Yuncheng Expressway", "",
     ("德郓高速", "Dezhou–Yuncheng Expwy"),
     PLAN_L111 + "; ends only (德州, 郓城 in 菏泽): a straight line between them, not the alignment; its course "
     "through Dezhou and its ref are not known to us"),
    (["商河", "平原"], "高青至武城高速公路商河至平原段", "Gaoqing–Wucheng Expressway, Shanghe–Pingyuan section", "",
     ("高武高速", "Gaoqing–Wucheng Expwy"),
     PLAN_L111 + "; ends only (商河, 平原): a straight line; it probably passes 临邑 county (not known, so no "
     "临邑 waypoint); the 平原→武城 continuation is planned (transport-b08-13)"),
]

# Places that end a line but are not taken as an entrance site: cities with many interchanges whose centre point is
# no interchange (and which lie across the Yellow River from 齐河 or far away).
NOT_ENTRANCE: frozenset[str] = frozenset({"济南", "聊城", "滨州"})
ENTRANCE_MAX_OUTSIDE_M = 15_000
"""Entrances at waypoints outside Dezhou are kept if within this distance (m, EPSG:32650) of the city outline."""
ASSUMED_SOURCE = "assumed: an interchange at each county seat/town on the line's waypoints (not verified)"

PLACE_EN: dict[str, str] = {
    "德州": "Dezhou", "平原": "Pingyuan", "禹城": "Yucheng", "齐河": "Qihe", "陵城": "Lingcheng", "吴桥": "Wuqiao",
    "西段": "Xiduan", "丁坞": "Dingwu", "郑店": "Zhengdian", "商河": "Shanghe", "孟寺": "Mengsi", "潘店": "Pandian",
    "黄河涯": "Huangheya", "四女寺": "Sinüsi", "鲁权屯": "Luquantun", "武城": "Wucheng", "夏津": "Xiajin",
    "赵虎": "Zhaohu", "乐陵": "Leling", "庆云": "Qingyun", "阳信": "Yangxin", "安仁": "Anren", "高唐": "Gaotang",
    "渡口驿": "Dukouyi", "清河": "Qinghe", "宁津": "Ningjin", "临清": "Linqing", "东阿": "Dong'e",
}


def build_expressways(places: Places) -> list[dict]:
    return [schematic_line(places, keys, name=name, name_en=en, mode="expressway", ref=ref, scenario="2025",
                           plan_item_id="", source=SCHEMATIC_SOURCE, note=note)
            for keys, name, en, ref, _short, note in EXPRESSWAYS]


def build_trunk_roads(places: Places) -> list[dict]:
    rows = [
        (["吴桥", "德州", "平原", "禹城", "齐河", "济南"], "G104 京岚线", "G104 Beijing–Pingtan National Road", "G104",
         "old 北京—福州 national road through 德州, 平原, 禹城 and 齐河 (晏城); drawn through the county seats"),
        (["乐陵", "平原", "夏津"], "S323 乐馆线", "S323 Leling–Guantao Provincial Road", "S323",
         "the plan names a section 平原小仓村至平原夏津界, so it runs 平原→夏津; its course 乐陵→平原 is not known to us "
         "(straight); continues beyond 夏津 to 馆陶 (not drawn)"),
        (["乐陵", "宁津"], "G339 滨榆线", "G339 Binzhou–Yulin National Road", "G339",
         "the plan names a 宁津绕城段 (bypass of 宁津); the road comes from 滨州 in the east; only 乐陵→宁津 drawn, "
         "the passage through 乐陵 is our assumption (moderate confidence)"),
    ]
    return [schematic_line(places, keys, name=name, name_en=en, mode="trunk_road", ref=ref, scenario="2025",
                           plan_item_id="", source=SCHEMATIC_SOURCE, note=note)
            for keys, name, en, ref, note in rows]


def entrance_towns(places: Places, keys: list[str], city_m) -> list[str]:
    """Waypoints of a line taken as (assumed) entrance sites: Dezhou towns, and places outside Dezhou within
    :data:`ENTRANCE_MAX_OUTSIDE_M` of the city outline (``city_m`` in EPSG:32650); not :data:`NOT_ENTRANCE`."""
    out: list[str] = []
    for k in keys:
        if k in NOT_ENTRANCE or k in out or (k not in TOWN_WAYPOINTS and k not in EXTERNAL_PLACES):
            continue
        if k not in TOWN_WAYPOINTS:
            pt = gpd.GeoSeries([Point(places.get(k))], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
            if pt.distance(city_m) > ENTRANCE_MAX_OUTSIDE_M:
                continue
        out.append(k)
    return out


def assumed_entrance(places: Places, town: str, road: tuple[str, str], *, ref: str, road_name: str,
                     scenario: str, plan_item_id: str, extra: str = "", **props) -> dict:
    """An assumed entrance of ``road`` (short zh, en) at the waypoint ``town`` (placed at its point)."""
    lon, lat = places.get(town)
    where = "Dezhou town point" if town in TOWN_WAYPOINTS else "general-knowledge place point outside Dezhou"
    return feature(
        Point(lon, lat), name=f"{town}（{road[0]}，推定）", name_en=f"{PLACE_EN.get(town, town)} ({road[1]}, assumed)",
        mode="expressway_entrance", quality="schematic", waypoints=town, ref=ref, precision="town",
        scenario=scenario, plan_item_id=plan_item_id, source=ASSUMED_SOURCE,
        license=places.license_for([town]) if town in TOWN_WAYPOINTS else CC0 + " (general-knowledge point)",
        basis="assumed", road=road_name,
        note=f"assumed entrance of {road_name} at {town} (a waypoint of the line): not verified that an interchange "
             f"exists here; placed at the {where}, not at a toll plaza" + (f"; {extra}" if extra else ""),
        **props)


KNOWN_ENTRANCES = [("德州", "Dezhou", "京台高速"), ("平原", "Pingyuan", "京台高速"), ("禹城", "Yucheng", "京台高速"),
                   ("齐河", "Qihe", "京台高速"), ("陵城", "Lingcheng", "滨德高速")]


def build_entrances(places: Places, city) -> list[dict]:
    """Existing (2025) entrances: 5 named toll stations (``basis`` known) + one assumed entrance per waypoint
    town of every existing expressway (``basis`` assumed), no duplicate (town, road)."""
    refs = {name: ref for _k, name, _en, ref, _s, _n in EXPRESSWAYS}
    feats = []
    seen: set[tuple[str, str]] = set()
    for town, en, road in KNOWN_ENTRANCES:
        lon, lat = places.get(town)
        note = (f"an entrance of the {road} serving {town}; placed at the town point (towns file), not surveyed; "
                "the real toll station is a few km away")
        if town == "陵城":
            note = ("a toll station named after 陵城 (general knowledge; road given as 滨德高速); placed at the 陵城 "
                    "seat point, not surveyed. DOUBT: the 滨德高速 as now drawn passes ~20 km north of this point "
                    "(see its note); the station's site, and whether it is on the 滨德高速, are not known to us")
        feats.append(feature(
            Point(lon, lat), name=f"{town}收费站", name_en=f"{en} toll station", mode="expressway_entrance",
            quality="schematic", waypoints=town, ref=refs[road], precision="town", scenario="2025", plan_item_id="",
            source="general knowledge", license=places.license_for([town]), basis="known", road=road, note=note))
        seen.add((town, road))
    city_m = gpd.GeoSeries([city], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    attested = {("安仁", "青银高速"): "an exit named '禹城南' on the G20 is attested (2017 traffic notice); it lies "
                                   "between 安仁 and 禹城",
                ("潘店", "济南—聊城高速公路"): "a toll station '齐河西' on the S1 济聊高速 is attested (2017 traffic "
                                          "notice), site unknown",
                ("庆云", "滨德高速"): "a toll station '庆云' on the S12 is attested (2017 traffic notice), site "
                                   "unknown"}
    for keys, name, _en, ref, short, _note in EXPRESSWAYS:
        for town in entrance_towns(places, keys, city_m):
            if (town, name) in seen:
                continue
            seen.add((town, name))
            feats.append(assumed_entrance(places, town, short, ref=ref, road_name=name, scenario="2025",
                                          plan_item_id="", extra=attested.get((town, name), "")))
    return feats


# Planned expressways of the plan (scenario 2030) that get assumed entrances: plan id -> (short name zh/en, waypoints
# as drawn in build_planned). b08-09/b08-10 widen existing roads (no new entrance); b08-11 ends at 潘店, the same
# road as b08-07 (济南至临清高速), so 潘店 is listed once, under b08-07.
PLANNED_ENTRANCE_ROADS: dict[str, tuple[tuple[str, str], list[str]]] = {
    "transport-b08-05": (("济宁高速", "Jinan–Ningjin Expwy"), ["济南", "宁津"]),
    "transport-b08-06": (("庆章高速", "Qingyun–Zhangqiu Expwy"), ["庆云", "章丘"]),
    "transport-b08-07": (("济临高速", "Jinan–Linqing Expwy"), ["潘店", "临清"]),
    "transport-b08-08": (("济东高速", "Jinan–Dong'e Expwy"), ["齐河", "东阿"]),
    "transport-b08-11": (("济临高速", "Jinan–Linqing Expwy"), ["潘店"]),
    "transport-b08-12": (("济阳高速", "Jinan–Yanggu Expwy"), ["济南", "齐河"]),
    "transport-b08-13": (("高武高速", "Gaoqing–Wucheng Expwy"), ["平原", "武城"]),
}


CANAL_KEYS = ["临清", "渡口驿", "老城", "甲马营", "鲁权屯", "四女寺", "德州", "二屯", "东光"]
ZWX_KEYS = ["四女寺", "大柳", "长官", "大孙", "西段", "庆云", "崔口"]
TUHAI_KEYS = ["高唐", "禹城", "安头", "济阳"]


WDBII_SOURCE = ("CIA World Data Bank II river lines in GSHHG 2.3.7 (binned_river_f.nc of the Debian package "
                "gmt-gshhg-full 2.3.7-6, extracted with GMT 6.4.0), through /work/shared/geodata/dezhou_rivers_wdbii.geojson")
WDBII_LICENSE = "public domain (CIA World Data Bank II, US Government); GSHHG distribution LGPL-3.0-or-later"
WDBII_NOTE = ("coarse: WDB-II lines (a 1970s–80s compilation) lie a few hundred metres (median 0.2–0.9 km against the "
              "NGCC 1:4M river map) and in places several km off the channel")


def wdbii_rivers() -> dict[str, object]:
    """The WDB-II river lines we use, merged per river (WGS84): 黄河, 卫运河/南运河 (the stretch from 临清 past 德州;
    not the 小运河 south of 临清 nor the 南运河 north of 东光), 卫河 and the unnamed line that is probably 徒骇河."""
    parts: dict[str, list] = {}
    for ft in _load_geojson("dezhou_rivers_wdbii.geojson"):
        p, g = ft["properties"], shape(ft["geometry"])
        name, inferred = p.get("name") or "", p.get("name_inferred") or ""
        if name == "黄河":
            parts.setdefault("黄河", []).append(g)
        elif name.startswith("卫河"):
            parts.setdefault("卫河", []).append(g)
        elif name.startswith("南运河"):
            minx, miny, maxx, maxy = g.bounds  # the piece that runs 临清 (36.84 N) -> north of 德州 (37.62 N)
            if miny > 36.8 and maxy < 37.7:
                parts.setdefault("南运河", []).append(g)
        elif inferred.startswith("徒骇河"):
            parts.setdefault("徒骇河", []).append(g)
    return {k: clip(linemerge(MultiLineString([q for g in v for q in getattr(g, "geoms", [g])])))
            for k, v in parts.items()}


def build_rivers(places: Places) -> list[dict]:
    """黄河, the canal, 卫河 and (probably) 徒骇河 from WDB-II (real, coarse); 漳卫新河 schematic (no source has it)."""
    wdb = wdbii_rivers()
    common = {"quality": "real", "waypoints": "", "scenario": "2025", "plan_item_id": "", "source": WDBII_SOURCE,
              "license": WDBII_LICENSE, "accuracy": "coarse"}
    feats = [
        feature(wdb["黄河"], name="黄河", name_en="Yellow River", mode="river", aliases="", name_certainty="",
                note=WDBII_NOTE + "; forms 齐河's southern edge; name from the NGCC 1:4M cross-check (median 0.35 km)",
                **common),
        feature(wdb["南运河"], name="卫运河/南运河（京杭运河）", name_en="Wei Canal / South Canal (Grand Canal)",
                mode="canal", name_certainty="",
                # other names the plan uses for it: plan items named after a river are drawn along it (geo.load)
                aliases="京杭大运河;京杭运河;大运河;卫运河;南运河;运河",
                note=WDBII_NOTE + "; 卫运河 along the Shandong–Hebei border (夏津, 武城) down to 四女寺, then 南运河 past "
                     "德州; WDB-II classes it as an intermittent minor river; name from the NGCC 1:4M cross-check "
                     "(median 0.4 km)", **common),
        feature(wdb["卫河"], name="卫河", name_en="Wei River", mode="river", aliases="", name_certainty="",
                note=WDBII_NOTE + "; west of 临清 (outside Dezhou), where it joins the 漳河 to form the 卫运河; name "
                     "from the NGCC 1:4M cross-check (大沙河)", **common),
        feature(wdb["徒骇河"], name="徒骇河", name_en="Tuhai River", mode="river", aliases="", name_certainty="probable",
                note=WDBII_NOTE + "; WDB-II gives no name and the NGCC map has no match: by its course (聊城 → 茌平 → "
                     "禹城 → 济阳/商河 → 滨州) this is probably the 徒骇河, not verified", **common),
    ]
    feats.append(schematic_line(
        places, ZWX_KEYS, name="漳卫新河", name_en="Zhangweixin River", mode="river", scenario="2025",
        plan_item_id="", source=SCHEMATIC_SOURCE, aliases="", name_certainty="", accuracy="",
        note="leaves the canal at 四女寺 and forms the northern border of 宁津, 乐陵 and 庆云 before reaching the sea "
             "(beyond 崔口, not drawn); waypoints are towns near the bank (a few km off), not points on the water; no "
             "open line data has this river"))
    return feats


def build_airports() -> list[dict]:
    feats = []
    for ft in _load_geojson("dezhou_aeroways.geojson"):
        g = shape(ft["geometry"])
        c = g.centroid
        if abs(c.x - 116.463) < 0.01 and abs(c.y - 37.227) < 0.01:
            name, en, note = ("unnamed runway (OSM)", "unnamed runway (OSM)",
                              "a runway mapped in OSM in 平原 county; its name and use are not known to us")
        elif abs(c.x - 117.216) < 0.01 and abs(c.y - 36.857) < 0.01:
            name, en, note = ("济南遥墙国际机场（跑道）", "Jinan Yaoqiang International Airport (runway)",
                              "outside Dezhou; the nearest commercial airport")
        else:
            continue
        feats.append(feature(
            _round_geom(g), name=name, name_en=en, mode="runway", quality="real", waypoints="",
            ref=ft["properties"].get("ref", ""), precision="site", scenario="2025", plan_item_id="",
            source="OpenStreetMap aeroway=runway via GitHub OpenQGIS/OMap-GeoDB@29eeb63 (aeroways_oData.zip)",
            license=ODBL, note=note + "; OSM extract early 2025"))
    return feats


#: The table of planned works drawn in planned_works.geojson: one row a line or point, with its plan item, the plan
#: box and lines it comes from and how it is drawn (data/README.md, "networks/planned_works.csv").
WORKS_TABLE = NETWORKS_DIR / "planned_works.csv"
POINT_SOURCE = "plan text + general knowledge; placed at the town point"


def read_works(path: Path = WORKS_TABLE) -> list[dict[str, str]]:
    """The rows of the works table as strings ('' for an empty cell), in file order."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")


def _work_line(row: dict[str, str], places: Places, county_polys: dict):
    """The line of a works-table row (WGS84), by its ``drawn`` rule; ``None`` when it cannot be drawn."""
    rule, _, arg = row["drawn"].partition(":")
    through = (row["drawn_through"] or row["waypoints"]).split(";")
    if rule == "waypoints":
        return places.line(through)
    if rule == "wdbii_river":
        return wdbii_rivers()[arg]
    if rule == "river_crossing":
        # the crossing site is unknown: take where the straight line through ``through`` meets the Natural Earth
        # river (the crossing nearest the last place) and draw from there to the last place
        river = next(shape(ft["geometry"]) for ft in _load_geojson("dezhou_rivers_naturalearth.geojson")
                     if ft["properties"]["name"] == arg)
        cross = places.line(through).intersection(river)
        if cross.is_empty:
            return None
        end = places.get(through[-1])
        pt = min(getattr(cross, "geoms", [cross]), key=lambda g: g.distance(Point(end)))
        return LineString([(pt.x, pt.y), end])
    if rule == "inside_county":
        # the straight line through ``through``, cut at the county border (the longest piece inside)
        county = county_polys.get(arg)
        seg = places.line(through).intersection(county) if county is not None else places.line(through)
        if seg.geom_type != "LineString":
            seg = max(getattr(seg, "geoms", [seg]), key=lambda g: g.length)
        return seg
    raise ValueError(f"{WORKS_TABLE.name}: {row['plan_item_id']}: unknown drawn rule {row['drawn']!r}")


def build_planned(places: Places, county_polys: dict, city, works: list[dict[str, str]] | None = None) -> list[dict]:
    """The planned works of the works table (schematic lines through named places, or points at a town), then
    the assumed entrances of the planned expressways (one at each waypoint town)."""
    feats: list[dict] = []
    for row in works if works is not None else read_works():
        keys = row["waypoints"].split(";")
        common = dict(name=row["name"], name_en=row["name_en"], mode=row["mode"], quality="schematic",
                      ref=row["ref"], role=row["role"], scenario="2030", plan_item_id=row["plan_item_id"])
        extra = {k: row[k] for k in ("basis", "road") if row[k]}
        if row["shape"] == "point":
            feats.append(feature(Point(*places.get(keys[0])), waypoints=keys[0], precision="town", **common,
                                 source=POINT_SOURCE, license=places.license_for(keys), note=row["note"], **extra))
            continue
        geom = _work_line(row, places, county_polys)
        if geom is None:
            continue
        wdbii = row["drawn"].startswith("wdbii_river:")
        feats.append(feature(clip(geom), waypoints=waypoint_text(keys), precision="schematic", **common,
                             source=WDBII_SOURCE if wdbii else SCHEMATIC_SOURCE,
                             license=WDBII_LICENSE if wdbii else places.license_for(keys), note=row["note"], **extra))
    # Assumed entrances of the planned expressways: one at each waypoint town (role entrance, read by geo.coverage).
    city_m = gpd.GeoSeries([city], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    names = {f["plan_item_id"]: f["name"] for f in feats if f.get("role") == "line"}
    # (town, road) pairs already served by an existing road of the same name (高武高速 at 平原) are not repeated
    seen: set[tuple[str, str]] = {(t, short[0]) for keys, *_r, short, _n in EXPRESSWAYS
                                  for t in entrance_towns(places, keys, city_m)}
    for pid, (short, keys) in PLANNED_ENTRANCE_ROADS.items():
        for town in entrance_towns(places, keys, city_m):
            if (town, short[0]) in seen:
                continue
            seen.add((town, short[0]))
            feats.append(assumed_entrance(places, town, short, ref="", road_name=names[pid], scenario="2030",
                                          plan_item_id=pid, role="entrance"))
    return feats


# ids of the fixed list deliberately not drawn; the reasons are in data/networks/SOURCES.md
SKIPPED_IDS: dict[str, str] = {
    "transport-b08-03": "private siding; the plan gives no place",
    "transport-b08-04": "private siding; the plan gives no place",
    "transport-b08-14": "northward extension of a planned road; no end named",
    "transport-b08-15": "northward extension of a planned road; no end named",
    "transport-b08-16": "G240 segment; 杨官屯 and the border point are not known to us",
    "transport-b08-18": "宁津 bypass; which side of town is not known (use precision town 宁津)",
    "transport-b08-19": "urban road; 黄庄立交桥/三十里铺大桥 not located by us",
    "transport-b08-21": "urban road (幸福大道) not located by us",
    "transport-b08-22": "urban road (晶华大道) not located by us",
    "transport-b08-24": "urban junction not located by us",
    "transport-s18-03": "临邑 general-aviation airport: only the county is named (precision county)",
    "transport-s18-04": "乐陵 general-aviation airport: only the county is named (precision county)",
    "transport-s18-05": "德州 airport site not decided",
    "transport-s18-09": "extension of 济南 rail transit: no route named",
}


# ---------------------------------------------------------------------------------------------------------
def _gdf(name: str, feats: list[dict]) -> gpd.GeoDataFrame:
    cols = NETWORK_COLUMNS[name]
    rows = []
    for f in feats:
        row = {c: f.get(c, "") for c in cols}
        for k, v in f.items():  # keep any extra property
            if k not in row and k != "geometry":
                row[k] = v
        row["geometry"] = _round_geom(f["geometry"])
        rows.append(row)
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def lengths_inside(gdf: gpd.GeoDataFrame, city) -> list[float]:
    """Length (km, EPSG:32650) of each feature inside the Dezhou city outline."""
    m = gdf.to_crs(METRIC_CRS)
    c = gpd.GeoSeries([city], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    return [round(g.intersection(c).length / 1000, 1) if g is not None else 0.0 for g in m.geometry]


def build(out_dir: Path = NETWORKS_DIR) -> dict[str, gpd.GeoDataFrame]:
    """Build all networks and write them to ``out_dir``; returns them keyed by network name."""
    places = Places()
    city = shape(_load_geojson("dezhou_city_wgs84_from_gcj02.geojson")[0]["geometry"])
    county_polys = {ft["properties"]["name"]: shape(ft["geometry"])
                    for ft in _load_geojson("dezhou_counties_wgs84_from_gcj02.geojson")}
    networks = {
        "rail": _gdf("rail", build_rail(places)),
        "stations": _gdf("stations", build_stations(city)),
        "expressways": _gdf("expressways", build_expressways(places)),
        "trunk_roads": _gdf("trunk_roads", build_trunk_roads(places)),
        "expressway_entrances": _gdf("expressway_entrances", build_entrances(places, city)),
        "rivers": _gdf("rivers", build_rivers(places)),
        "reservoirs": _gdf("reservoirs", []),
        "airports": _gdf("airports", build_airports()),
        "planned_works": _gdf("planned_works", build_planned(places, county_polys, city)),
    }
    for name, gdf in networks.items():
        write_network(gdf, Path(out_dir) / f"{name}.geojson")
    return networks


def report(networks: dict[str, gpd.GeoDataFrame]) -> str:
    """One line per feature: network, name, quality, plan id, km inside Dezhou (EPSG:32650)."""
    city = shape(_load_geojson("dezhou_city_wgs84_from_gcj02.geojson")[0]["geometry"])
    out = []
    for name, gdf in networks.items():
        if gdf.empty:
            out.append(f"{name}: (empty)")
            continue
        kms = lengths_inside(gdf, city)
        for (_, r), km in zip(gdf.iterrows(), kms, strict=True):
            kind = r.geometry.geom_type
            extra = f"{km} km inside Dezhou" if "Line" in kind else kind
            out.append(f"{name}: {r['name']} [{r['quality']}] {r.get('plan_item_id', '')} {extra}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=NETWORKS_DIR)
    ap.add_argument("--report", action="store_true", help="print per-feature lengths inside Dezhou")
    args = ap.parse_args(argv)
    networks = build(args.out)
    print(report(networks) if args.report else f"wrote {len(networks)} networks to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
