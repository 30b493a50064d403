"""The officials' checklist as an Excel workbook that reads well and uploads back unchanged.

Row 1 holds the headings in the interface language (bold, frozen with row 2), row 2 (hidden) the projects.csv
column names the upload maps by (:func:`geo.corrections.read_upload` reads a file headed that way). Status,
precision and category are written as the interface's words and offered as dropdowns; a ``check`` column (确认 /
有误, dropdown) and ``check_comment`` let the official mark each row. Internal columns (geometry, geometry_source,
unit_list) are left out. Every cell is text (never a formula; see :func:`geo.export.formula_safe`).

Pure logic (no Streamlit).
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from geo import schema
from geo.export import formula_safe
from geo.text import clean_str
from i18n import LANGUAGES, catalog, t

#: The official's verdict columns (not projects.csv columns; read by the batch upload).
CHECK, CHECK_COMMENT = "check", "check_comment"
#: Coded columns written as words, with the i18n key prefix of their words and the allowed codes.
WORDED: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("ui.status.", schema.STATUSES),
    "precision": ("ui.precision.", schema.PRECISIONS),
    "category": ("layers.category.", schema.CATEGORIES),
}
#: Column order of the sheet: what an official checks first, then the rest of projects.csv.
FIRST = ("id", "name_zh", "name_en", "category", "status", "precision", "town_code", "lon", "lat",
         "location_source", "units")
WIDTHS = {"id": 18, "name_zh": 36, "name_en": 36, "quote": 60, "notes": 40, "location_source": 36,
          CHECK: 10, CHECK_COMMENT: 40}


def columns() -> list[str]:
    """The sheet's machine column names, in order."""
    return [*FIRST, *(c for c in schema.PROJECTS.columns if c not in FIRST), CHECK, CHECK_COMMENT]


def heading(column: str, lang: str) -> str:
    """A column's heading in ``lang`` (``checklist.col.<column>``)."""
    return t(f"checklist.col.{column}", lang)


def verdict_words(lang: str) -> tuple[str, str]:
    """The two verdict words of the ``check`` column in ``lang``: (correct, wrong)."""
    return t("checklist.verdict.ok", lang), t("checklist.verdict.wrong", lang)


def verdict(value: object) -> str:
    """``ok``, ``wrong`` or '' for a cell of the ``check`` column (either language, or ok/wrong/✓/✗)."""
    text = re.sub(r"\s+", "", clean_str(value)).casefold()
    if not text:
        return ""
    for lang in LANGUAGES:
        ok, wrong = verdict_words(lang)
        if text == re.sub(r"\s+", "", ok).casefold():
            return "ok"
        if text == re.sub(r"\s+", "", wrong).casefold():
            return "wrong"
    if text in ("ok", "correct", "✓", "✔", "对", "无误", "正确", "y", "yes"):
        return "ok"
    if text in ("wrong", "error", "✗", "✘", "x", "错", "错误", "n", "no"):
        return "wrong"
    return text


def word(column: str, code: object, lang: str) -> str:
    """A coded cell as the interface's word (``implementing`` -> 推进实施); unknown codes as they are."""
    c = clean_str(code)
    prefix = WORDED[column][0]
    return catalog(lang).get(prefix + c, c) if c else ""


def _cell_text(column: str, value: object, lang: str) -> str:
    return formula_safe(word(column, value, lang) if column in WORDED else clean_str(value))


def checklist_workbook(items: pd.DataFrame, lang: str) -> bytes:
    """The checklist of ``items`` (``PlanData.items`` rows) as .xlsx bytes in ``lang``."""
    cols = columns()
    wb = Workbook()
    ws = wb.active
    ws.title = t("checklist.sheet", lang)[:31]
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    bold = Font(bold=True)
    fill = PatternFill("solid", start_color="DDEBF7")
    for j, col in enumerate(cols, start=1):
        head = ws.cell(row=1, column=j, value=heading(col, lang))
        head.font, head.fill = bold, fill
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=2, column=j, value=col)
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(col, 14)
    ws.row_dimensions[2].hidden = True
    ws.freeze_panes = "C3"  # headings and the id/name columns stay in view
    records = items.to_dict("records") if items is not None and len(items) else []
    for i, rec in enumerate(records, start=3):
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=i, column=j)
            cell.value = _cell_text(col, rec.get(col), lang) if col in schema.PROJECTS.columns else ""
            cell.data_type = "s"
    last = max(len(records) + 2, 3) + 200  # room for new rows
    choices = {col: [word(col, c, lang) for c in codes] for col, (_, codes) in WORDED.items()}
    choices[CHECK] = list(verdict_words(lang))
    for k, (col, words) in enumerate(choices.items(), start=1):
        for r, w in enumerate(words, start=1):
            lists.cell(row=r, column=k, value=w)
        letter = get_column_letter(k)
        dv = DataValidation(type="list", formula1=f"=lists!${letter}$1:${letter}${len(words)}", allow_blank=True,
                            showErrorMessage=col == CHECK)
        dv.error = t("checklist.dropdown_error", lang)
        ws.add_data_validation(dv)
        target = get_column_letter(cols.index(col) + 1)
        dv.add(f"{target}3:{target}{last}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
