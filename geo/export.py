"""Export a selection of plan items as CSV (UTF-8 with BOM, for Excel), GeoJSON (RFC 7946, WGS84) or Excel.

Pure logic (no Streamlit). Input is a (Geo)DataFrame of items as in ``PlanData.items`` (EPSG:4326).
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.crs import WGS84
from geo.schema import PROJECTS
from geo.text import clean_str, is_blank

_DROP = ("geometry", "unit_list")


_FORMULA_START = tuple("=+-@＝＋－＠")
_LEADING = " \t\r\n\u3000"
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def looks_like_formula(text: object) -> bool:
    """True for a text cell a spreadsheet would run as a formula: it starts with = + - @ (also full-width ＝＋－＠,
    or after leading tabs, line breaks or spaces). A plain number (``-12.5``, ``+3``) is a number, not a formula."""
    if not isinstance(text, str):
        return False
    core = text.lstrip(_LEADING)
    return core.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(core)


def formula_safe(text: str) -> str:
    """``text`` that no spreadsheet runs as a formula (OWASP CSV injection): a cell that
    :func:`looks_like_formula` gets a leading ``'``; the visible text stays."""
    return "'" + text if looks_like_formula(text) else text


def formula_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are :func:`formula_safe` (numbers and other values unchanged): for tables
    shown in the app, whose grid can be copied or downloaded as CSV by the browser."""
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: formula_safe(v) if isinstance(v, str) else v)
    return out


def table_columns(df: pd.DataFrame) -> list[str]:
    """Columns to export: the projects.csv columns present, in schema order, then any other plain columns."""
    cols = [c for c in PROJECTS.columns if c in df.columns]
    cols += [c for c in df.columns if c not in cols and c not in _DROP]
    return cols


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(df[table_columns(df)]).copy()
    for c in out.columns:
        out[c] = out[c].map(_cell)
    return out


def _cell(v: object) -> object:
    """A number stays a number (a numeric cell in Excel); anything else is :func:`geo.text.clean_str` text made
    :func:`formula_safe` (checked on the raw text, so leading white space cannot hide a formula)."""
    if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool) and not is_blank(v):
        return v
    text = clean_str(v)
    return "'" + text if (looks_like_formula(v) or looks_like_formula(text)) else text


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV of the selection, UTF-8 with BOM (opens correctly in Excel), projects.csv column order."""
    return _plain(df).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, *, sheet: str = "items") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet holding the selection. Every text cell is stored as a string,
    never as a formula (openpyxl would turn text starting with ``=`` into one); numbers stay numbers."""
    from openpyxl import Workbook

    plain = _plain(df)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in plain.columns])
    for row in plain.itertuples(index=False):
        ws.append([None if isinstance(v, str) and v == "" else v for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _round_coords(obj: object, nd: int = 6) -> object:
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x, nd) for x in obj]
    return obj


def to_geojson_dict(df: pd.DataFrame) -> dict:
    """RFC 7946 FeatureCollection (lon/lat WGS84, no ``crs`` member, 6 decimals); unlocated items get ``null`` geometry."""
    geoms = df["geometry"] if "geometry" in df.columns else pd.Series([None] * len(df), index=df.index)
    crs = getattr(df, "crs", None)
    if crs is not None and getattr(crs, "to_epsg", lambda: 4326)() != 4326:
        df = df.to_crs(WGS84)
        geoms = df["geometry"]
    plain = _plain(df)
    features = []
    for (_, props), geom in zip(plain.iterrows(), geoms, strict=True):
        g = None
        if geom is not None and not (isinstance(geom, float)) and not geom.is_empty:
            gm = mapping(geom)
            g = {"type": gm["type"], **({"coordinates": _round_coords(gm["coordinates"])} if "coordinates" in gm
                                         else {"geometries": [
                                             {"type": x["type"], "coordinates": _round_coords(x["coordinates"])}
                                             for x in gm["geometries"]]})}
        fprops = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
        features.append({"type": "Feature", "id": fprops.get("id") or None, "geometry": g, "properties": fprops})
    for f in features:
        if f["id"] is None:
            del f["id"]
    return {"type": "FeatureCollection", "features": features}


def to_geojson_bytes(df: pd.DataFrame) -> bytes:
    """:func:`to_geojson_dict` serialised as UTF-8 JSON (non-ASCII kept)."""
    return json.dumps(to_geojson_dict(df), ensure_ascii=False).encode("utf-8")
