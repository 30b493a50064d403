"""AppTest of the officials' check: a corrections file with one bad row reports file/row/field, the good rows
are previewed as a diff in words and submitted into the review store (pending until approved)."""


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


def test_upload_reports_the_bad_row_and_submits_the_good_ones(data, review_env):
    """The corrections upload is a batch submission into the review store (issue 10): previewed with file/row/
    field problems and a diff in words, stored as pending by a signed-in official, on the map once approved."""
    from test_app_officials import sign_in

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
    texts = [x.value for x in at.text]
    assert t("officials.batch.read", "zh", file="qihe_fix.csv", encoding="UTF-8 (BOM)", rows=3) in texts
    assert t("officials.batch.summary", "zh", rows=3, changes=2, confirms=0, same=0, bad=1) in texts
    # the diff preview speaks Chinese: headers 编号/更改/字段/原值/新值, kinds and fields in words
    diff = next(d.value for d in at.dataframe if list(d.value.columns) == ["编号", "更改", "字段", "原值", "新值"])
    changed = diff[diff["更改"] == "修改"]
    assert list(changed["编号"]) == [good_id] and list(changed["字段"]) == ["英文名"]
    assert list(changed["新值"]) == ["Corrected English name"]
    assert set(diff[diff["更改"] == "新增条目"]["编号"]) == {"other-s99-01"}

    # English errors name file, row and field too
    at.radio(key="lang").set_value("en").run()
    assert any("qihe_fix.csv, row 3, field status: 'finished-ish' is not an allowed status; allowed: " in plain(e.value)
               for e in at.error)
    assert any(plain(e.value).startswith("qihe_fix.csv, row 3, field units: unknown unit(s) 371499; allowed: 371402")
               for e in at.error)
    diff_en = next(d.value for d in at.dataframe if "Old value" in d.value.columns)
    assert set(diff_en["Change"]) == {t("review.kind.edit", "en"), t("review.kind.new", "en")}
    at.radio(key="lang").set_value("zh").run()

    # a visitor cannot submit; 齐河县's official can
    assert not [b for b in at.button if b.key == "check_apply"]
    at = sign_in(at, "li", "qihe-pass-22")
    at.button(key="check_apply").click().run()
    assert not at.exception
    subs = review_env.store.submissions(user="li")
    assert sorted(s.item_id for s in subs) == sorted([good_id, "other-s99-01"])
    assert {s.status for s in subs} == {"pending"} and {s.source_row for s in subs} == {2, 4}
    n = int(data.items["units"].map(lambda u: "371425" in u.split(";")).sum())
    label = t("ui.county.metric.items", "zh")
    open_tab(at, "county")
    assert int(next(m.value for m in at.metric if m.label == label)) == n  # pending: nothing changed yet
    for s in subs:
        review_env.store.approve(review_env.accounts["zhao"], data, s.id, comment="ok")
    at.run()
    assert int(next(m.value for m in at.metric if m.label == label)) == n + 1  # the new row counts
    open_tab(at, "check")
    table = next(d.value for d in at.dataframe if t("ui.col.location_source", "zh") in d.value.columns)
    assert "Corrected English name" in set(table[t("ui.col.name_en", "zh")])


def test_unreadable_upload_is_reported():
    at = open_tab(AppTest.from_file(APP, default_timeout=180).run(), "check")
    at.file_uploader(key="corr_upload").set_value(("notes.csv", b"foo,bar\n1,2\n", "text/csv")).run()
    assert not at.exception
    assert any("notes.csv" in plain(e.value) and "id" in plain(e.value) for e in at.error)
    assert "notes.csv 第 - 行，字段 id：" + t("validate.upload_no_id", "zh") in [plain(e.value) for e in at.error]
