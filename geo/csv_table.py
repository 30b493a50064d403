"""Read one CSV table of data/ without ever raising: every cell a string, every problem reported by file and row.

A data file that was hand-edited or re-saved by a spreadsheet can be broken in many ways; each becomes a
:class:`geo.problems.Problem` (file, row, field, plain words) and every row that can be read is kept:

- empty file, binary file, unknown encoding: a file-level error, no rows;
- GB18030/GBK or UTF-16 text, or an Excel workbook saved under a .csv name: the rows are read, with a file-level
  error saying how to save it (data files are UTF-8 CSV);
- a row with more or fewer cells than the header: that row is rejected (its row and the cell counts named);
- a stray quote mark that opens a cell which runs over the following lines: that row is rejected and the
  following lines are read on their own (without this a CSV parser silently merges them into one cell).

Row numbers are the rows a spreadsheet shows (header = row 1; a cell spanning lines stays in its row; after a
stray quote, each following line is a row). Pure logic (no Streamlit).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.problems import Problem, make

SOURCE_ROWS = "source_rows"
"""Key of ``DataFrame.attrs`` holding each row's spreadsheet row number (header = 1)."""


@dataclass
class TableRead:
    """A CSV table read as strings (``frame``, with ``frame.attrs[SOURCE_ROWS]``) and the problems found."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""


def _empty(columns: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    df.attrs[SOURCE_ROWS] = []
    return df


def _one_record(text: str) -> list[str] | None:
    """``text`` (one physical line) parsed alone as one CSV record, or ``None`` when it is not one."""
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def parse_csv_text(text: str, file: str) -> TableRead:
    """Parse CSV ``text`` (already decoded) line by line; see the module docstring for what is reported."""
    problems: list[Problem] = []
    lines = text.splitlines(keepends=True)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return TableRead(_empty(), [make(file, None, None, "file_empty", "the file is empty (no header row)")])
    header = _one_record(lines[0])
    if not header or not any(h.strip() for h in header):
        return TableRead(_empty(), [make(file, 1, None, "header_unreadable",
                                         "the first row is not a header of column names")])
    header = [h.strip().lstrip("\ufeff") for h in header]
    seen: dict[str, int] = {}
    for k, h in enumerate(header):
        if h in seen:
            problems.append(make(file, 1, h, "duplicate_column", f"column {h!r} appears twice; the second is "
                                 f"read as {h}.{seen[h]}", column=h))
            header[k] = f"{h}.{seen[h]}"
            seen[h] += 1
        else:
            seen[h] = 1
    n = len(header)
    records: list[list[str]] = []
    rows: list[int] = []
    i, line_no = 1, 1
    while i < len(lines):
        line_no += 1  # the spreadsheet row: one per record (a cell may span lines), blank lines count
        if not lines[i].strip():
            i += 1
            continue
        reader = csv.reader(io.StringIO("".join(lines[i:])))
        try:
            rec = next(reader)
            used = reader.line_num
        except csv.Error:
            rec, used = None, len(lines) - i
        if used > 1:  # the record spans lines: a real multi-line cell, or a stray quote swallowing rows?
            swallowed = [_one_record(x) for x in lines[i + 1:i + used]]
            if rec is None or len(rec) != n or any(r is not None and len(r) == n for r in swallowed):
                problems.append(make(file, line_no, None, "stray_quote",
                                     f"a quote mark (\") opens a cell that does not close on this line; the row "
                                     f"was not read (the {used - 1} line(s) after it are read on their own)",
                                     n=used - 1))
                i += 1
                continue
        if rec is None:
            problems.append(make(file, line_no, None, "row_unreadable", "the row could not be read as CSV"))
            i += used
            continue
        if len(rec) != n:
            problems.append(make(file, line_no, None, "ragged_row",
                                 f"the row has {len(rec)} cells but the header has {n}; the row was not read",
                                 n=len(rec), expected=n))
        else:
            records.append(rec)
            rows.append(line_no)
        i += used
    df = pd.DataFrame(records, columns=header, dtype=str) if records else _empty(header)
    df.attrs[SOURCE_ROWS] = rows
    return TableRead(df, problems)


def _excel(content: bytes, file: str) -> TableRead:
    try:
        df = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl").fillna("")
    except Exception as exc:  # a broken workbook is a reported problem
        return TableRead(_empty(), [make(file, None, None, "excel_unreadable",
                                         f"an Excel workbook that cannot be read ({type(exc).__name__})",
                                         error=type(exc).__name__)])
    df.columns = [str(c).strip() for c in df.columns]
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip()
    df.attrs[SOURCE_ROWS] = list(range(2, len(df) + 2))
    return TableRead(df, [make(file, None, None, "file_is_excel",
                               "this is an Excel workbook saved under a .csv name; its rows were read, but save it "
                               "as 'CSV UTF-8' so other tools can read it")], "Excel")


def read_csv_table(path: Path | str) -> TableRead:
    """Read the CSV file ``path`` (UTF-8 with or without BOM; GB18030, UTF-16 and Excel read with an error that
    says how to re-save it) with every cell a stripped string. Never raises for a bad file."""
    path = Path(path)
    file = path.name
    try:
        content = path.read_bytes()
    except OSError as exc:
        return TableRead(_empty(), [make(file, None, None, "file_unreadable",
                                         f"cannot be read: {exc.strerror or type(exc).__name__}",
                                         error=exc.strerror or type(exc).__name__)])
    if not content.strip():
        return TableRead(_empty(), [make(file, None, None, "file_empty", "the file is empty (no header row)")])
    if content.startswith(b"PK\x03\x04"):
        return _excel(content, file)
    from geo.corrections import decode_text

    decoded = decode_text(content)
    if decoded is None:
        return TableRead(_empty(), [make(file, None, None, "file_not_text",
                                         "the file is not CSV text in UTF-8, GB18030 or UTF-16 (binary or another "
                                         "encoding); save it as 'CSV UTF-8'")])
    text, encoding = decoded
    out = parse_csv_text(text, file)
    out.encoding = encoding
    if encoding not in ("UTF-8", "UTF-8 (BOM)"):
        out.problems.insert(0, make(file, None, None, "file_encoding",
                                    f"the file is saved as {encoding}; its rows were read, but data files must be "
                                    "UTF-8: save it as 'CSV UTF-8'", encoding=encoding))
    return out
