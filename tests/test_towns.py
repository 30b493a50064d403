"""Shipped data/towns.csv: 134 towns, codes, counts per county, points inside their own county, precision."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.crs import gcj02_to_wgs84, geodesic_distance_m
from geo.paths import DATA_DIR, SHARED_GEODATA
from tools.build_geography import TIANQU_MEMBERS, town_name_en

COUNTS = {
    "371402": 12, "371403": 13, "371422": 12, "371423": 9, "371424": 12, "371425": 15,
    "371426": 12, "371427": 14, "371428": 8, "371481": 16, "371482": 11,
}
COLUMNS = ["code", "name_zh", "name_en", "unit", "type", "tianqu", "lon", "lat",
           "point_precision", "point_source", "code_2016", "name_2016"]


@pytest.fixture(scope="module")
def towns() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "towns.csv", dtype={"code": str, "unit": str, "code_2016": str})


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA_DIR / "counties.geojson")


def test_columns(towns: pd.DataFrame) -> None:
    assert list(towns.columns) == COLUMNS


def test_134_unique_12_digit_codes(towns: pd.DataFrame) -> None:
    assert len(towns) == 134
    assert towns["code"].is_unique
    assert towns["code"].str.fullmatch(r"\d{12}").all()
    assert (towns["code"].str[:6] == towns["unit"]).all()


def test_counts_per_county(towns: pd.DataFrame) -> None:
    assert towns.groupby("unit").size().to_dict() == COUNTS


def test_types(towns: pd.DataFrame) -> None:
    assert set(towns["type"]) == {"街道", "镇", "乡"}
    for _, r in towns.iterrows():
        assert r["name_zh"].endswith(r["type"]), r["name_zh"]


def test_every_point_has_coordinates_and_precision(towns: pd.DataFrame) -> None:
    assert towns[["lon", "lat"]].notna().all().all()
    assert set(towns["point_precision"]) == {"source_point", "derived_villages", "knowledge"}
    assert (towns["point_source"].str.len() > 20).all()
    counts = towns["point_precision"].value_counts().to_dict()
    assert counts == {"source_point": 113, "derived_villages": 6, "knowledge": 15}
    # at most 6 decimals
    for col in ("lon", "lat"):
        assert ((towns[col] * 1e6).round() - towns[col] * 1e6).abs().max() < 1e-3


def test_each_point_inside_its_own_county(towns: pd.DataFrame, counties: gpd.GeoDataFrame) -> None:
    poly = dict(zip(counties["adcode"], counties.geometry, strict=True))
    outside = [r["name_zh"] for _, r in towns.iterrows() if not poly[r["unit"]].contains(Point(r["lon"], r["lat"]))]
    assert outside == []


@pytest.mark.skipif(not (SHARED_GEODATA / "dezhou_townships_2023.csv").is_file(), reason="shared geodata absent")
def test_source_points_are_the_converted_gcj02_points(towns: pd.DataFrame) -> None:
    src = pd.read_csv(SHARED_GEODATA / "dezhou_townships_2023.csv", dtype=str).dropna(subset=["point_lon_gcj02"])
    m = src.merge(towns, left_on="adcode", right_on="code")
    assert len(m) == 113 and set(m["point_precision"]) == {"source_point"}
    lon, lat = gcj02_to_wgs84(m["point_lon_gcj02"].astype(float).to_numpy(), m["point_lat_gcj02"].astype(float).to_numpy())
    d = geodesic_distance_m(lon, lat, m["lon"].to_numpy(), m["lat"].to_numpy())
    assert float(d.max()) < 0.1  # rounding to 6 decimals only
    # and they are NOT the raw GCJ-02 values (which would be ~500 m off)
    raw = geodesic_distance_m(m["point_lon_gcj02"].astype(float), m["point_lat_gcj02"].astype(float), m["lon"], m["lat"])
    assert float(raw.min()) > 300


def test_derived_village_points(towns: pd.DataFrame) -> None:
    d = towns[towns["point_precision"] == "derived_villages"].set_index("name_zh")
    assert sorted(d.index) == sorted(["新湖街道", "天衢街道", "安德街道", "渤海路街道", "邢侗街道", "恒源街道"])
    assert d.loc["新湖街道", "point_source"].startswith("mean of 17 ")
    assert d.loc["天衢街道", "point_source"].startswith("mean of 7 ")


def test_knowledge_points_say_what_they_are_based_on(towns: pd.DataFrame) -> None:
    k = towns[towns["point_precision"] == "knowledge"]
    assert set(k["name_zh"]) == {
        "运河街道", "长河街道", "宋官屯街道", "赵虎镇", "抬头寺镇", "袁桥镇", "张大庄镇", "东辛店镇",
        "晏北街道", "桃园街道", "德原街道", "北城街道", "李家户镇", "禹兴街道", "莒镇",
    }
    assert k["point_source"].str.contains("general knowledge, ±").all()


def test_tianqu_members(towns: pd.DataFrame) -> None:
    assert set(towns["tianqu"]) == {0, 1}
    members = towns[towns["tianqu"] == 1]
    assert dict(zip(members["code"], members["name_zh"], strict=True)) == TIANQU_MEMBERS
    assert (members["unit"] == "371402").all()
    # the plan names 德城区黄河涯镇 and 德州天衢新区抬头寺镇 (line 867)
    assert towns.set_index("name_zh").loc["黄河涯镇", "tianqu"] == 0
    assert towns.set_index("name_zh").loc["抬头寺镇", "tianqu"] == 1


@pytest.mark.parametrize(
    "zh,en",
    [("糜镇", "Mi Town"), ("新华街道", "Xinhua Subdistrict"), ("于集乡", "Yuji Township"),
     ("十里望回族镇", "Shiliwang Hui Ethnic Town"), ("孔镇镇", "Kongzhen Town"), ("宿安乡", "Su'an Township"),
     ("四女寺镇", "Sinüsi Town"), ("翟家镇", "Zhaijia Town")],
)
def test_town_names_en(zh: str, en: str) -> None:
    assert town_name_en(zh) == en


def test_name_en_in_file(towns: pd.DataFrame) -> None:
    assert towns.set_index("name_zh").loc["糜镇", "name_en"] == "Mi Town"
    assert towns["name_en"].str.match(r"^[A-Z][a-zü']+ (Subdistrict|Town|Township|Hui Ethnic Town)$").all()


def test_placed_points_keep_a_margin_from_the_county_border(towns: pd.DataFrame, counties: gpd.GeoDataFrame) -> None:
    """Points not taken from the source (villages/knowledge) lie at least 300 m inside their county."""
    m = counties.set_index("adcode").to_crs("EPSG:32650")
    placed = towns[towns["point_precision"] != "source_point"]
    pts = gpd.GeoSeries(gpd.points_from_xy(placed["lon"], placed["lat"]), crs="EPSG:4326").to_crs("EPSG:32650")
    for unit, pt, name in zip(placed["unit"], pts, placed["name_zh"], strict=True):
        assert m.loc[unit, "geometry"].boundary.distance(pt) >= 299.0, name
