import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.corrections import apply, diff, read_upload
from geo.schema import PROJECTS

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


def _read(name, content):
    u = read_upload(name, content)
    return u.frame, u.problems


def test_read_upload_csv_with_bom_and_excel():
    csv = upload().to_csv(index=False).encode("utf-8-sig")
    df, problems = _read("fix.csv", csv)
    assert problems == [] and list(df.columns) == COLS and df.loc[0, "lon"] == "116.7"
    buf = io.BytesIO()
    upload().to_excel(buf, index=False)
    df2, problems2 = _read("fix.xlsx", buf.getvalue())
    assert problems2 == [] and df2.loc[2, "town_code"] == "371425001000"


def test_read_upload_accepts_the_former_column_name_layer():
    old = upload().rename(columns={"category": "layer"})
    assert "layer" in old.columns
    df, problems = _read("old.csv", old.to_csv(index=False).encode("utf-8"))
    assert problems == [] and list(df.columns) == COLS and list(df["category"]) == ["park"] * 3
    d = diff(current(), df)
    assert d.new_ids == ["park-b04-99"] and d.unchanged == ["park-b04-02"]


def test_read_upload_reports_unreadable_files():
    df, problems = _read("fix.csv", b"name\nx\n")
    assert df is None and problems[0].field == "id" and problems[0].file == "fix.csv"
    df, problems = _read("fix.xlsx", b"not a workbook")
    assert df is None and problems[0].code == "upload_not_excel" and "save it as .xlsx" in problems[0].message
    assert "BadZipFile" not in problems[0].message and "File is not a zip" not in problems[0].message


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
    assert r0["precision"] == "site" and r0["lon"] == 116.7 and r0.geometry.equals(Point(116.7, 36.81))  # float col
    r2 = out.set_index("id").loc["park-b04-99"]
    assert r2.geometry.equals(Point(116.76, 36.8)) and r2["unit_list"] == ["371425"]
    assert apply(current(), upload().iloc[0:0]) is not None


def test_read_upload_detects_the_encoding_and_says_which():
    """Issue 11.11: what Chinese Excel writes (GB18030/GBK), UTF-16 and UTF-8 with or without BOM."""
    text = upload().to_csv(index=False)
    for content, encoding in ((text.encode("utf-8"), "UTF-8"), (text.encode("utf-8-sig"), "UTF-8 (BOM)"),
                              (text.encode("gbk"), "GB18030"), (text.encode("gb18030"), "GB18030"),
                              (text.encode("utf-16"), "UTF-16"), (text.encode("utf-16-le"), "UTF-16")):
        u = read_upload("fix.csv", content)
        assert u.problems == [] and u.encoding == encoding, encoding
        assert list(u.frame["name_zh"]) == ["齐河经济开发区", "禹城高新区", "新园区"], encoding
    buf = io.BytesIO()
    upload().to_excel(buf, index=False)
    u = read_upload("saved-as.csv", buf.getvalue())  # an .xlsx saved under a .csv name
    assert u.encoding == "Excel" and len(u.frame) == 3


def test_read_upload_refuses_binary_and_empty_files_with_a_fix():
    for content, code in ((bytes(range(256)) * 4, "upload_encoding"), (b"", "upload_empty"),
                          (b"  \n", "upload_empty")):
        u = read_upload("fix.csv", content)
        assert u.frame is None and [p.code for p in u.problems] == [code]
    assert "CSV UTF-8" in read_upload("fix.csv", bytes(range(256)) * 4).problems[0].message


def test_read_upload_turns_status_and_precision_words_into_codes():
    """Issue 11.12: the words the interface shows (zh and en) and the plan's own status words."""
    df = upload().assign(status=["推进实施", "加快建成", "being implemented"], precision=["具体位置", "仅区县", "town"])
    u = read_upload("fix.csv", df.to_csv(index=False).encode("gb18030"))
    assert list(u.frame["status"]) == ["implementing", "complete", "implementing"]
    assert list(u.frame["precision"]) == ["site", "county", "town"]
    odd = read_upload("fix.csv", df.assign(status=["大概吧", "", "existing"]).to_csv(index=False).encode("utf-8"))
    assert list(odd.frame["status"]) == ["大概吧", "", "existing"]  # unknown words left for the validator


@pytest.mark.slow
def test_apply_works_for_every_column_type_on_the_loaded_data(data):
    """Issue 9 defect 1: precision=site with lon/lat for park-b04-01 (德城区) crashed with
    "Invalid value '116.3553' for dtype 'str'"; every column of the loaded items must take a corrected value."""
    items = data.items
    row = items.set_index("id").loc["park-b04-01"]
    fix = pd.DataFrame([{**{c: ("" if str(row[c]) in ("nan", "None") else str(row[c])) for c in COLS if c != "id"},
                         "id": "park-b04-01", "precision": "site", "lon": "116.3553", "lat": "37.4554",
                         "status": "existing"}])
    out = apply(items, fix, data.towns)
    r = out.set_index("id").loc["park-b04-01"]
    assert (r["precision"], r["lon"], r["lat"]) == ("site", "116.3553", "37.4554")
    assert r.geometry.equals(Point(116.3553, 37.4554)) and r["geometry_source"] == "site"
    assert len(out) == len(items) and out.crs == items.crs and list(out.columns) == list(items.columns)
    for col in PROJECTS.columns[1:]:  # every column of the loaded table takes a corrected value
        again = apply(out, pd.DataFrame([{"id": "park-b04-01", col: "x"}]), data.towns)
        assert again.set_index("id").loc["park-b04-01", col] == "x", col
    numeric = items.assign(lon=pd.to_numeric(items["lon"], errors="coerce"))  # a float column takes floats
    r2 = apply(numeric, fix, data.towns).set_index("id").loc["park-b04-01"]
    assert r2["lon"] == 116.3553
