import io

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.corrections import apply, diff, read_upload

COLS = ["id", "name_zh", "name_en", "category", "precision", "town_code", "lon", "lat", "units", "status"]


def current():
    g = gpd.GeoDataFrame([
        {"id": "park-b04-01", "name_zh": "齐河经济开发区", "name_en": "Qihe EDZ", "category": "park", "precision": "county",
         "town_code": "", "lon": float("nan"), "lat": float("nan"), "units": "371425", "status": "existing"},
        {"id": "park-b04-02", "name_zh": "禹城高新区", "name_en": "Yucheng HTZ", "category": "park", "precision": "county",
         "town_code": "", "lon": float("nan"), "lat": float("nan"), "units": "371482", "status": "existing"},
    ], geometry=[None, None], crs=4326)
    g["unit_list"] = g["units"].str.split(";")
    return g


TOWNS = gpd.GeoDataFrame({"code": ["371425001000"]}, geometry=[Point(116.76, 36.8)], crs=4326)


def upload():
    return pd.DataFrame([
        {"id": "park-b04-01", "name_zh": "齐河经济开发区", "name_en": "Qihe Economic Development Zone", "category": "park",
         "precision": "site", "town_code": "", "lon": "116.7", "lat": "36.81", "units": "371425", "status": "existing"},
        {"id": "park-b04-02", "name_zh": "禹城高新区", "name_en": "Yucheng HTZ", "category": "park", "precision": "county",
         "town_code": "", "lon": "", "lat": "", "units": "371482", "status": "existing"},
        {"id": "park-b04-99", "name_zh": "新园区", "name_en": "New park", "category": "park", "precision": "town",
         "town_code": "371425001000", "lon": "", "lat": "", "units": "371425", "status": "planned"},
    ], columns=COLS)


def test_read_upload_csv_with_bom_and_excel():
    csv = upload().to_csv(index=False).encode("utf-8-sig")
    df, problems = read_upload("fix.csv", csv)
    assert problems == [] and list(df.columns) == COLS and df.loc[0, "lon"] == "116.7"
    buf = io.BytesIO()
    upload().to_excel(buf, index=False)
    df2, problems2 = read_upload("fix.xlsx", buf.getvalue())
    assert problems2 == [] and df2.loc[2, "town_code"] == "371425001000"


def test_read_upload_accepts_the_former_column_name_layer():
    old = upload().rename(columns={"category": "layer"})
    assert "layer" in old.columns
    df, problems = read_upload("old.csv", old.to_csv(index=False).encode("utf-8"))
    assert problems == [] and list(df.columns) == COLS and list(df["category"]) == ["park"] * 3
    d = diff(current(), df)
    assert d.new_ids == ["park-b04-99"] and d.unchanged == ["park-b04-02"]


def test_read_upload_reports_unreadable_files():
    df, problems = read_upload("fix.csv", b"name\nx\n")
    assert df is None and problems[0].field == "id" and problems[0].file == "fix.csv"
    df, problems = read_upload("fix.xlsx", b"not a workbook")
    assert df is None and "cannot read" in problems[0].message


def test_diff_lists_changed_fields_and_new_ids():
    d = diff(current(), upload())
    assert d.changed == {"park-b04-01": [("name_en", "Qihe EDZ", "Qihe Economic Development Zone"),
                                         ("precision", "county", "site"), ("lon", "", "116.7"),
                                         ("lat", "", "36.81")]}
    assert d.new_ids == ["park-b04-99"] and d.unchanged == ["park-b04-02"]
    frame = d.as_frame()
    assert len(frame) == 5 and set(frame["change"]) == {"changed", "new"}


def test_apply_replaces_fields_appends_new_rows_and_recomputes_geometry():
    out = apply(current(), upload(), TOWNS)
    assert list(out["id"]) == ["park-b04-01", "park-b04-02", "park-b04-99"]
    r0 = out.set_index("id").loc["park-b04-01"]
    assert r0["precision"] == "site" and r0["lon"] == 116.7 and r0.geometry.equals(Point(116.7, 36.81))
    r2 = out.set_index("id").loc["park-b04-99"]
    assert r2.geometry.equals(Point(116.76, 36.8)) and r2["unit_list"] == ["371425"]
    assert apply(current(), upload().iloc[0:0]) is not None
