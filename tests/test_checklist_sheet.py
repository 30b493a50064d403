"""Issue 11 items 11-14 on the officials' files: the Excel checklist (headings in the interface language, machine
names in a hidden second row, bold frozen header, widths, dropdowns, a 确认/有误 column, no internal columns) uploads
back unchanged; only-the-changed-row uploads check related ids against the whole data; counts are changes, not
rows; encodings and unreadable files get messages in the interface language."""

from __future__ import annotations

import io

import openpyxl
import pytest

from geo.checklist_sheet import CHECK, CHECK_COMMENT, checklist_workbook, columns, verdict
from geo.corrections import read_upload
from geo.problems import problem_message
from geo.review import Store
from geo.schema import PROJECTS
from geo.summary import items_for_unit
from i18n import t

pytestmark = pytest.mark.slow

NINGJIN, PARK = "371422", "park-b04-22"  # 健身器材产业园; related: industry_project-b02-22 (not in a one-row upload)


@pytest.fixture
def store(tmp_path, fast_passwords, data):
    s = Store.open(f"sqlite:///{tmp_path / 'sheet.sqlite'}")
    s.add_user("wang", "ningjin-pass-1", role="official", unit=NINGJIN, known_units=set(data.units["code"]))
    yield s
    s.close()


def workbook(data, lang: str = "zh") -> tuple[bytes, openpyxl.Workbook]:
    content = checklist_workbook(items_for_unit(data.items, NINGJIN), lang)
    return content, openpyxl.load_workbook(io.BytesIO(content))


def test_checklist_workbook_reads_well(data):
    _, wb = workbook(data)
    ws = wb.active
    heads = [c.value for c in ws[1]]
    machine = [c.value for c in ws[2]]
    assert machine == columns() and "geometry_source" not in machine and "geometry" not in machine
    assert heads[:6] == ["编号（勿改）", "名称", "英文名", "类别", "进展", "定位精度"]
    assert heads[-2:] == [t("checklist.col.check", "zh"), t("checklist.col.check_comment", "zh")]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "C3" and ws.row_dimensions[2].hidden
    assert ws.column_dimensions["B"].width == 36 and ws.column_dimensions["A"].width == 18
    n = len(items_for_unit(data.items, NINGJIN))
    assert ws.max_row == n + 2
    status_col = machine.index("status") + 1
    words = {t(f"ui.status.{s}", "zh") for s in ("existing", "complete", "start", "strive_start", "preparatory",
                                                  "planned", "implementing", "unspecified")}
    assert {ws.cell(row=r, column=status_col).value for r in range(3, n + 3)} <= words  # words, not codes
    # dropdowns for status, precision, category and the verdict, from the hidden list sheet
    ranges = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter
    for col in ("status", "precision", CHECK):
        assert f"{letter(machine.index(col) + 1)}3" in ranges, col
    assert wb["lists"].sheet_state == "hidden"
    lists = [c.value for c in wb["lists"]["D"] if c.value]
    assert lists == [t("checklist.verdict.ok", "zh"), t("checklist.verdict.wrong", "zh")]
    _, wb_en = workbook(data, "en")
    assert [c.value for c in wb_en.active[1]][:2] == ["ID (do not change)", "Name (Chinese)"]


def test_no_formula_reaches_the_workbook(data):
    items = items_for_unit(data.items, NINGJIN).copy()
    items.loc[items.index[0], "notes"] = '=HYPERLINK("http://x","y")'
    wb = openpyxl.load_workbook(io.BytesIO(checklist_workbook(items, "zh")))
    k = columns().index("notes") + 1
    notes = [c.value for col in wb.active.iter_cols(min_col=k, max_col=k) for c in col]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in notes
    assert all(c.data_type == "s" for row in wb.active.iter_rows(min_row=3) for c in row if c.value)


def test_the_downloaded_checklist_uploads_back_unchanged(data, store):
    content, _ = workbook(data)
    upload = read_upload("宁津核对清单.xlsx", content)
    assert upload.problems == [] and upload.header_rows == 1 and upload.encoding == "Excel"
    wang = store.authenticate("wang", "ningjin-pass-1")
    result = store.preview_file(wang, data, "宁津核对清单.xlsx", content)
    n = len(items_for_unit(data.items, NINGJIN))
    assert result.rows == n and result.planned == [] and len(result.unchanged) == n
    assert not result.problems  # the verdict columns are known: no "columns ignored" warning


def test_edits_and_verdicts_in_the_checklist_become_submissions(data, store):
    _, wb = workbook(data)
    ws = wb.active
    machine = [c.value for c in ws[2]]
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    col = {c: machine.index(c) + 1 for c in machine}
    ws.cell(row=rows[PARK], column=col["status"], value="建成")  # the interface's word
    ws.cell(row=rows[PARK], column=col[CHECK], value="有误")
    ws.cell(row=rows[PARK], column=col[CHECK_COMMENT], value="已建成投产")
    other = next(i for i in rows if i != PARK)
    ws.cell(row=rows[other], column=col[CHECK], value="确认")
    third = next(i for i in rows if i not in (PARK, other))
    ws.cell(row=rows[third], column=col[CHECK], value="有误")  # marked wrong, nothing changed: a warning
    buf = io.BytesIO()
    wb.save(buf)
    wang = store.authenticate("wang", "ningjin-pass-1")
    result = store.submit_file(wang, data, "checked.xlsx", buf.getvalue())
    kinds = {s.item_id: (s.kind, s.changes, s.reason, s.source_row) for s in result.submissions}
    assert kinds[PARK] == ("edit", {"status": "complete"}, "已建成投产", rows[PARK])  # the Excel row number
    assert kinds[other][:2] == ("confirm", {})
    assert len(result.submissions) == 2
    [warn] = [p for p in result.problems if p.code == "checklist_marked_wrong"]
    assert warn.row == rows[third] and warn.field == CHECK and not warn.is_error


def test_a_one_row_upload_checks_related_ids_against_the_whole_data(data, store):
    row = data.items.loc[data.items["id"] == PARK, list(PROJECTS.columns)]
    row = row.astype(str).replace({"nan": ""}).assign(name_en="One Row Only")
    assert row["related"].iloc[0] == "industry_project-b02-22"
    result = store.preview_file(None, data, "one.csv", row.to_csv(index=False).encode("utf-8"))
    assert [p.code for p in result.problems] == []  # no "关联编号 … 不在本表中"
    assert [(c.item_id, c.changes) for c in result.planned] == [(PARK, {"name_en": "One Row Only"})]
    bad = row.assign(related="industry_project-b99-99")
    result = store.preview_file(None, data, "bad.csv", bad.to_csv(index=False).encode("utf-8"))
    assert [p.code for p in result.problems] == ["related_unknown"]


def test_encodings_are_read_and_named(data, store):
    row = data.items.loc[data.items["id"] == PARK, list(PROJECTS.columns)]
    text = row.astype(str).replace({"nan": ""}).assign(status="推进实施").to_csv(index=False)
    for codec, name in (("gb18030", "GB18030"), ("utf-16", "UTF-16"), ("utf-8-sig", "UTF-8 (BOM)"),
                        ("utf-8", "UTF-8")):
        result = store.preview_file(None, data, "f.csv", text.encode(codec))
        assert result.encoding == name and not result.errors, codec
        assert [c.changes.get("status") for c in result.planned] in ([], ["implementing"])


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"", "empty.csv", "upload_empty"),
    (bytes(range(256)) * 8, "garbage.csv", "upload_encoding"),
    (b"PK\x03\x04 this is not really a workbook", "renamed.xlsx", "upload_not_excel"),
    ("编号,名称\n1,2\n".encode("gb18030"), "renamed_headers.csv", "upload_no_id"),
])
def test_unreadable_files_say_how_to_save_them_in_the_interface_language(content, name, code):
    [p] = read_upload(name, content).problems
    assert p.code == code
    zh = problem_message(p, "zh")
    assert zh == t(f"validate.{code}", "zh") and all(w not in zh for w in ("Error", "zip", "codec", "Traceback"))
    assert problem_message(p, "en") == t(f"validate.{code}", "en")


def test_verdict_words():
    assert [verdict(v) for v in ("确认", " correct ", "有误", "Wrong", "", "✓")] == ["ok", "ok", "wrong", "wrong", "",
                                                                                   "ok"]
