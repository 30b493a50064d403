"""Export a selection of plan items as CSV (UTF-8 with BOM, for Excel), GeoJSON (RFC 7946, WGS84) or Excel.

Pure logic (no Streamlit). Input is a (Geo)DataFrame of items as in ``PlanData.items`` (EPSG:4326).
"""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

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


#: Decimals of exported coordinates (degrees): 6 decimals ≈ 0.1 m, finer than any source.
GEOJSON_DECIMALS = 6


def _geojson_frame(df: pd.DataFrame, decimals: int = GEOJSON_DECIMALS) -> gpd.GeoDataFrame:
    """``df`` as a WGS84 GeoDataFrame ready for ``to_json``: table columns as plain cells (numbers stay numbers),
    coordinates rounded to ``decimals``, index = the item id (the features' ``id``)."""
    geoms = df["geometry"] if "geometry" in df.columns else gpd.GeoSeries([None] * len(df), index=df.index)
    crs = getattr(df, "crs", None)
    geo = gpd.GeoSeries(list(geoms), crs=crs if crs is not None else WGS84)
    if geo.crs is not None and geo.crs.to_epsg() != 4326:
        geo = geo.to_crs(WGS84)
    empty = geo.isna() | geo.is_empty
    rounded = shapely.transform(geo.values, lambda xy: np.round(xy, decimals))
    rounded[empty.to_numpy()] = None  # unlocated items: null geometry is valid RFC 7946
    plain = _plain(df).reset_index(drop=True)
    out = gpd.GeoDataFrame(plain, geometry=gpd.GeoSeries(rounded, crs=WGS84), crs=WGS84)
    if "id" in plain.columns:
        out.index = [clean_str(i) for i in plain["id"]]
    return out


def to_geojson_dict(df: pd.DataFrame) -> dict:
    """RFC 7946 FeatureCollection (lon/lat WGS84, no ``crs`` member, 6 decimals); unlocated items get ``null``
    geometry; each feature's ``id`` is the item id."""
    doc = json.loads(to_geojson_bytes(df))
    return doc if isinstance(doc, dict) else {}


def to_geojson_bytes(df: pd.DataFrame) -> bytes:
    """The items of ``df`` as RFC 7946 GeoJSON, UTF-8 (non-ASCII kept), written by GeoPandas' ``to_json``."""
    return _geojson_frame(df).to_json(na="null", ensure_ascii=False).encode("utf-8")
