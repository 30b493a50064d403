"""AppTest of the officials' check: a corrections file with one bad row reports file/row/field, the good row
is previewed as a diff and applied for the session only."""


import pandas as pd
import pytest
from apptest_support import APP, open_tab, plain
from streamlit.testing.v1 import AppTest

from geo.schema import PROJECTS
from i18n import t

pytestmark = pytest.mark.apptest


def qihe_rows(data) -> pd.DataFrame:
    items = data.items[data.items["units"].map(lambda u: "371425" in u.split(";"))]
    return items[list(PROJECTS.columns)].astype(str).replace({"nan": ""}).head(2).reset_index(drop=True)


def upload_file(data) -> tuple[pd.DataFrame, bytes]:
    rows = qihe_rows(data)
    rows.loc[0, "name_en"] = "Corrected English name"
    rows.loc[1, "status"] = "finished-ish"  # not an allowed status: row 3 of the file
    rows.loc[1, "units"] = rows.loc[1, "units"] + ";371499"  # and an unknown unit code in the same row
    new = rows.iloc[0].copy()
    new["id"] = "other-s99-01"
    new["name_en"] = "A second copy under a new id"
    rows = pd.concat([rows, new.to_frame().T], ignore_index=True)
    return rows, rows.to_csv(index=False).encode("utf-8-sig")


def test_checklist_lists_every_item_of_the_unit_with_precision(data):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["unit"] = "371425"
    open_tab(at.run(), "check")
    n = int(data.items["units"].map(lambda u: "371425" in u.split(";")).sum())
    header = t("ui.check.header", "zh", unit="齐河县")
    assert header in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if t("ui.col.location_source", "zh") in d.value.columns)
    assert len(table) == n
    assert set(table[t("ui.col.precision", "zh")]) <= {t(f"ui.precision.{p}", "zh") for p in
                                                       ("site", "town", "county", "schematic", "none")}


def test_upload_reports_the_bad_row_and_applies_the_good_ones(data):
    rows, content = upload_file(data)
    good_id = rows.loc[0, "id"]
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["unit"] = "371425"
    open_tab(at.run(), "check")
    at.file_uploader(key="corr_upload").set_value(("qihe_fix.csv", content, "text/csv")).run()
    assert not at.exception
    errors = [plain(e.value) for e in at.error]
    assert any("qihe_fix.csv" in e and "第 3 行" in e and "status" in e for e in errors), errors
    # the messages themselves are Chinese (the field stays the file's column name)
    assert any(e.startswith("qihe_fix.csv 第 3 行，字段 units：未知的区县代码 371499；允许的代码：371402") for e in errors), errors
    assert "qihe_fix.csv 第 3 行，字段 status：'finished-ish' 不是 status 允许的取值；允许的取值：" in "\n".join(errors)
    assert not any("unknown unit" in e or "is not an allowed" in e for e in errors), errors
    assert t("ui.check.summary", "zh", rows=3, good=2, bad=1) in [x.value for x in at.text]
    assert t("ui.check.diff_summary", "zh", changed=1, new=1, same=0) in [x.value for x in at.text]
    # the diff preview speaks Chinese: headers 编号/更改/字段/原值/新值, kinds 修改/新增 (field = the CSV column)
    diff = next(d.value for d in at.dataframe if list(d.value.columns) == ["编号", "更改", "字段", "原值", "新值"])
    changed = diff[diff["更改"] == "修改"]
    assert list(changed["编号"]) == [good_id] and list(changed["字段"]) == ["name_en"]
    assert list(changed["新值"]) == ["Corrected English name"]
    assert list(diff[diff["更改"] == "新增"]["编号"]) == ["other-s99-01"]

    # English errors name file, row and field too
    at.radio(key="lang").set_value("en").run()
    assert any("qihe_fix.csv, row 3, field status: 'finished-ish' is not an allowed status; allowed: " in plain(e.value)
               for e in at.error)
    assert any(plain(e.value).startswith("qihe_fix.csv, row 3, field units: unknown unit(s) 371499; allowed: 371402")
               for e in at.error)
    diff_en = next(d.value for d in at.dataframe if "Old value" in d.value.columns)
    assert sorted(diff_en["Change"]) == ["changed", "new row"]
    at.radio(key="lang").set_value("zh").run()

    at.button(key="check_apply").click().run()
    assert not at.exception
    corr = at.session_state["corrections"]
    assert sorted(corr["id"]) == sorted([good_id, "other-s99-01"])
    n = int(data.items["units"].map(lambda u: "371425" in u.split(";")).sum())
    label = t("ui.county.metric.items", "zh")
    open_tab(at, "county")
    assert int(next(m.value for m in at.metric if m.label == label)) == n + 1  # the new row counts
    open_tab(at, "check")
    # the corrected name shows in the check table
    table = next(d.value for d in at.dataframe if t("ui.col.location_source", "zh") in d.value.columns)
    assert "Corrected English name" in set(table[t("ui.col.name_en", "zh")])
    # discarding restores the data
    at.button(key="check_discard").click().run()
    assert at.session_state["corrections"] is None
    open_tab(at, "county")
    label = t("ui.county.metric.items", "zh")
    assert int(next(m.value for m in at.metric if m.label == label)) == n


def test_unreadable_upload_is_reported():
    at = open_tab(AppTest.from_file(APP, default_timeout=180).run(), "check")
    at.file_uploader(key="corr_upload").set_value(("notes.csv", b"foo,bar\n1,2\n", "text/csv")).run()
    assert not at.exception
    assert any("notes.csv" in plain(e.value) and "id" in plain(e.value) for e in at.error)
    assert "notes.csv 第 - 行，字段 id：文件没有“id”列（请使用 projects.csv 的列）" in [plain(e.value) for e in at.error]
