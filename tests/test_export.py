import io
import json

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.export import to_csv_bytes, to_excel_bytes, to_geojson_bytes, to_geojson_dict
from geo.schema import PROJECTS


def sel():
    g = gpd.GeoDataFrame({
        "id": ["park-b04-01", "transport-b08-02", "other-s01-01"],
        "name_zh": ["齐河经济开发区", "德州至商河铁路", "全市<b>项目</b>"],
        "name_en": ["Qihe EDZ", "Dezhou–Shanghe Railway", "city programme"],
        "category": ["park", "transport", "other"], "units": ["371425", "371402;371424", "city"],
        "lon": [116.7612345678, float("nan"), float("nan")], "lat": [36.8, float("nan"), float("nan")],
    }, geometry=[Point(116.7612345678, 36.8), LineString([(116.3, 37.4), (116.9, 36.9)]), None], crs=4326)
    g["unit_list"] = g["units"].str.split(";")
    return g


@pytest.mark.slow
def test_csv_has_bom_schema_order_and_no_geometry():
    b = to_csv_bytes(sel())
    assert b.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(b), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns) == [c for c in PROJECTS.columns if c in sel().columns]
    assert "geometry" not in df.columns and "unit_list" not in df.columns
    assert df.loc[1, "units"] == "371402;371424" and df.loc[1, "lon"] == ""
    assert df.loc[2, "name_zh"] == "全市<b>项目</b>"


def test_geojson_is_rfc7946():
    d = json.loads(to_geojson_bytes(sel()).decode("utf-8"))
    assert d["type"] == "FeatureCollection" and "crs" not in d
    f0, f1, f2 = d["features"]
    assert f0["geometry"] == {"type": "Point", "coordinates": [116.761235, 36.8]}  # lon, lat; 6 decimals
    assert f1["geometry"]["type"] == "LineString" and f1["geometry"]["coordinates"][0] == [116.3, 37.4]
    assert f2["geometry"] is None  # unlocated items: null geometry is valid RFC 7946
    assert f0["id"] == "park-b04-01" and f0["properties"]["name_zh"] == "齐河经济开发区"
    assert f1["properties"]["lon"] == ""
    assert "geometry" not in f0["properties"]


def test_geojson_reprojects_to_wgs84():
    g = sel().iloc[:1].to_crs(32650)
    d = to_geojson_dict(g)
    lon, lat = d["features"][0]["geometry"]["coordinates"]
    assert abs(lon - 116.761235) < 1e-6 and abs(lat - 36.8) < 1e-6


def test_excel_round_trip():
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(sel())))
    ws = wb["items"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "id" and rows[1][0] == "park-b04-01" and rows[2][1] == "德州至商河铁路"
    assert len(rows) == 4


@pytest.mark.slow
def test_empty_selection():
    empty = sel().iloc[0:0]
    assert json.loads(to_geojson_bytes(empty)) == {"type": "FeatureCollection", "features": []}
    assert to_csv_bytes(empty).decode("utf-8-sig").startswith("id,name_zh")


@pytest.mark.slow
def test_geojson_rounds_every_coordinate_to_6_decimals():
    g = sel().iloc[:2].copy()
    g["geometry"] = [Polygon([(116.1234564, 37.0000004), (116.2, 37.0), (116.2, 37.1234567891)]),
                     LineString([(116.30000049, 37.4), (116.5, 37.99999951)])]
    f0, f1 = to_geojson_dict(g)["features"]
    assert f0["geometry"]["coordinates"][0][:3] == [[116.123456, 37.0], [116.2, 37.0], [116.2, 37.123457]]
    assert f1["geometry"]["coordinates"] == [[116.3, 37.4], [116.5, 38.0]]
    assert [f["id"] for f in (f0, f1)] == list(g["id"])
