"""Corrections by county officials: read an uploaded file, diff it against the current rows, apply good rows.

Pure logic (no Streamlit). Validation itself is ``geo.validate.validate_table`` (called by the caller);
this module reads the upload, computes the per-id diff and returns the corrected items table.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.problems import Problem, make
from geo.schema import PROJECTS, with_current_columns
from geo.text import clean_str, split_list
from geo.vocab import normalise_codes

log = logging.getLogger("dezhou_plan_map")


@dataclass
class Upload:
    """An uploaded corrections file read as strings: ``frame`` (``None`` when unreadable), the file-level
    ``problems`` and the ``encoding`` that was read (``UTF-8``, ``UTF-8 (BOM)``, ``GB18030``, ``UTF-16``, ``Excel``)."""

    frame: pd.DataFrame | None
    problems: list[Problem]
    encoding: str = ""
    header_rows: int = 0
    """Header rows above the machine column names (1 for the downloaded checklist, whose first row has the
    headings in the interface language and whose second row the projects.csv names); file row = index + 2 + this."""


_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (BOM)"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode_text(content: bytes) -> tuple[str, str] | None:
    """``(text, encoding name)`` of a text file in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK
    (what Chinese Excel writes as "CSV"); ``None`` when it is none of them (binary or another encoding)."""
    for bom, codec, label in _BOMS:
        if content.startswith(bom):
            try:
                return content.decode(codec), label
            except UnicodeDecodeError:
                return None
    head = content[:4000]
    if head and head.count(0) > len(head) // 4:  # UTF-16 without BOM: every other byte of ASCII text is 0
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = content.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text, "UTF-16"
        return None
    for codec, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4000]):
            return None  # binary data that happens to decode
        return text, label
    return None


MAX_UPLOAD_MB = 20
"""Largest corrections file read (MB); larger files are refused with ``upload_too_large`` in the interface
language. Streamlit's own limit (``server.maxUploadSize`` in .streamlit/config.toml) is set above it, so this
message, not Streamlit's English one, is what a user sees up to that limit."""


def _machine_header(df: pd.DataFrame) -> pd.DataFrame | None:
    """``df`` re-headed by its first data row when that row holds the machine column names (``id`` …) and the
    header does not (the checklist workbook: interface-language headings, then projects.csv names)."""
    if "id" in [str(c).strip() for c in df.columns] or not len(df):
        return None
    first = [str(v).strip().lstrip("\ufeff") for v in df.iloc[0]]
    if "id" not in first:
        return None
    out = df.iloc[1:].reset_index(drop=True)
    out.columns = first
    return out.loc[:, [c for c in out.columns if c]]


def read_upload(name: str, content: bytes) -> Upload:
    """Read an uploaded corrections file (CSV in UTF-8 with/without BOM, GB18030/GBK or UTF-16; or .xlsx, also
    when saved under a .csv name) with every cell as a string; status, precision and category words the
    interface shows (or the plan's status words) become their codes. The downloaded checklist (headings in the
    interface language, machine names in the second row) is read by its second row. A file-level problem when
    unreadable, in words that say how to save the file (the parser's own message goes to the log only)."""
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        size = f"{len(content) / 1024 / 1024:.1f}"
        return Upload(None, [make(name, None, None, "upload_too_large",
                                  f"the file is {size} MB; at most {MAX_UPLOAD_MB} MB can be uploaded: split it "
                                  "into several files", size=size, limit=MAX_UPLOAD_MB)])
    is_excel = content.startswith(b"PK\x03\x04") or name.lower().endswith((".xlsx", ".xlsm"))
    encoding = "Excel"
    if not content.strip():
        return Upload(None, [make(name, None, None, "upload_empty", "the file is empty")], "")
    try:
        if is_excel:
            df = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
        else:
            decoded = decode_text(content)
            if decoded is None:
                return Upload(None, [make(name, None, None, "upload_encoding",
                                          "cannot read the file as text: save it as CSV UTF-8 (or as .xlsx)")])
            text, encoding = decoded
            if not text.strip():
                return Upload(None, [make(name, None, None, "upload_empty", "the file is empty")], encoding)
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # any parse error is reported to the user, not raised
        log.info("upload %r unreadable: %s", name, exc)
        code, message = (("upload_not_excel", "not a readable Excel workbook: open it in Excel and save it as .xlsx "
                                              "(or as CSV UTF-8)") if is_excel else
                         ("upload_unreadable", "cannot read the file as a table: save it as CSV UTF-8 or .xlsx "
                                               "with the columns of the downloaded checklist"))
        return Upload(None, [make(name, None, None, code, message)], encoding)
    df = df.fillna("")
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    header_rows = 0
    rehead = _machine_header(df)
    if rehead is not None:
        df, header_rows = rehead, 1
    if "id" not in df.columns:
        return Upload(None, [make(name, None, "id", "upload_no_id",
                                  "the file has no 'id' column (use the columns of projects.csv)")], encoding)
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    df = df[[any(v for v in row) for row in df.itertuples(index=False)]] if len(df) else df  # blank lines
    df = with_current_columns(PROJECTS, df)  # files made before a column was renamed (layer -> category)
    return Upload(normalise_codes(df.reset_index(drop=True)), [], encoding, header_rows)


@dataclass
class CorrectionDiff:
    """``changed``: id -> list of (field, old, new); ``new_ids``: ids not in the current table;
    ``unchanged``: ids whose row is identical."""

    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    new_ids: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_frame(self) -> pd.DataFrame:
        """Long table: id, change (changed/new), field, old, new."""
        rows = [
            {"id": i, "change": "changed", "field": f, "old": o, "new": n}
            for i, chs in self.changed.items() for f, o, n in chs
        ]
        rows += [{"id": i, "change": "new", "field": "", "old": "", "new": ""} for i in self.new_ids]
        return pd.DataFrame(rows, columns=["id", "change", "field", "old", "new"])


def diff(current: pd.DataFrame, uploaded: pd.DataFrame) -> CorrectionDiff:
    """Compare ``uploaded`` rows with ``current`` by ``id``, on the projects.csv columns both tables have."""
    cur = current.set_index(current["id"].astype(str), drop=False)
    cols = [c for c in PROJECTS.columns if c in uploaded.columns and c != "id"]
    out = CorrectionDiff()
    for row in uploaded.to_dict("records"):
        rid = clean_str(row.get("id"))
        if not rid:
            continue
        if rid not in cur.index:
            out.new_ids.append(rid)
            continue
        old = cur.loc[rid]
        if isinstance(old, pd.DataFrame):
            old = old.iloc[0]
        changes = [
            (c, clean_str(old.get(c)), clean_str(row.get(c)))
            for c in cols
            if clean_str(old.get(c)) != clean_str(row.get(c))
        ]
        if changes:
            out.changed[rid] = changes
        else:
            out.unchanged.append(rid)
    return out


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _geometry(rec: dict, old_geom: object, old_source: str, towns: pd.DataFrame | None,
              outline: BaseGeometry | None) -> tuple[object, str]:
    """(geometry, geometry_source) of a corrected row: site -> its outline or its lon/lat point; town -> the town
    point; schematic -> the drawn geometry kept; county/none -> no geometry."""
    prec = clean_str(rec.get("precision"))
    if prec == "site":
        if outline is not None:
            return outline, "outline"
        lon, lat = _float(clean_str(rec.get("lon"))), _float(clean_str(rec.get("lat")))
        return (Point(lon, lat), "site") if lon is not None and lat is not None else (None, "")
    if prec == "town" and towns is not None and len(towns):
        code = clean_str(rec.get("town_code"))
        hit = towns[towns["code"].astype(str) == code]
        return (hit.geometry.iloc[0], f"town:{code}") if len(hit) else (None, "")
    if prec == "schematic":
        return old_geom, old_source
    return None, ""


def _typed(value: str, dtype: object) -> object:
    """``value`` (a clean string) as a cell of a column of ``dtype``: a float for numeric columns, else the string."""
    if pd.api.types.is_numeric_dtype(dtype):
        return _float(value) if value else float("nan")
    return value


def apply(current: pd.DataFrame, good: pd.DataFrame | None, towns: pd.DataFrame | None = None, *,
          outlines: Mapping[str, BaseGeometry] | None = None) -> pd.DataFrame:
    """``current`` with the validated rows of ``good`` applied: same id -> the given fields replaced; new id ->
    appended. Every cell is written in its column's type (the loaded tables hold strings; numeric columns get
    floats). Geometry is recomputed from precision (site: ``outlines[id]`` if given, else lon/lat; town: the town
    point; schematic: kept; county/none: none), ``unit_list`` from ``units``."""
    if good is None or not len(good):
        return current
    outlines = outlines or {}
    columns = list(current.columns)
    dtypes = dict(current.dtypes)
    geo_col = "geometry" if "geometry" in columns else None
    records = current.to_dict("records")
    by_id = {clean_str(r.get("id")): r for r in records}
    cols = [c for c in PROJECTS.columns if c in good.columns]
    for row in good.to_dict("records"):
        rid = clean_str(row.get("id"))
        if not rid:
            continue
        rec = by_id.get(rid)
        if rec is None:
            rec = {c: _typed("", dtypes.get(c, object)) for c in columns if c != geo_col}
            rec["id"] = rid
            records.append(rec)
            by_id[rid] = rec
        old_geom, old_source = rec.get(geo_col) if geo_col else None, clean_str(rec.get("geometry_source"))
        for c in cols:
            rec[c] = _typed(clean_str(row.get(c)), dtypes.get(c, object))
        if "unit_list" in columns:
            rec["unit_list"] = split_list(rec.get("units"))
        if geo_col:
            geom, source = _geometry(rec, old_geom, old_source, towns, outlines.get(rid))
            rec[geo_col] = geom
            if "geometry_source" in columns:
                rec["geometry_source"] = source
    frame = pd.DataFrame.from_records(records, columns=columns)
    if geo_col:
        return gpd.GeoDataFrame(frame, geometry=geo_col, crs=getattr(current, "crs", None))
    return frame
