"""Corrections uploaded by county officials: read the file, diff it against the current rows, apply good rows.

Pure logic (no Streamlit). Validation itself is ``geo.validate.validate_table`` (called by the caller);
this module reads the upload, computes the per-id diff and returns the corrected items table.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd
from shapely.geometry import Point

from geo.problems import Problem, make
from geo.schema import PROJECTS, with_current_columns
from geo.text import clean_str, split_list


def read_upload(name: str, content: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read an uploaded CSV (UTF-8, with or without BOM) or .xlsx as strings; a file-level problem if unreadable."""
    try:
        if name.lower().endswith((".xlsx", ".xlsm")):
            df = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
        else:
            df = pd.read_csv(io.BytesIO(content), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any parse error is reported to the user, not raised
        return None, [make(name, None, None, "upload_unreadable", f"cannot read the file: {exc}", error=exc)]
    df = df.fillna("")
    df.columns = [str(c).strip() for c in df.columns]
    df = with_current_columns(PROJECTS, df)  # files made before a column was renamed (layer -> category)
    problems = []
    if "id" not in df.columns:
        problems.append(make(name, None, "id", "upload_no_id",
                             "the file has no 'id' column (use the columns of projects.csv)"))
        return None, problems
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    return df, problems


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


def _geometry(row: pd.Series, old_geom: object, towns: pd.DataFrame | None) -> object:
    prec = clean_str(row.get("precision"))
    if prec == "site":
        try:
            return Point(float(row["lon"]), float(row["lat"]))
        except (KeyError, TypeError, ValueError):
            return None
    if prec == "town" and towns is not None and len(towns):
        hit = towns[towns["code"].astype(str) == clean_str(row.get("town_code"))]
        if len(hit):
            return hit.geometry.iloc[0]
        return None
    if prec == "schematic":
        return old_geom
    return None


def apply(current: pd.DataFrame, good: pd.DataFrame, towns: pd.DataFrame | None = None) -> pd.DataFrame:
    """``current`` with the validated rows of ``good`` applied: same id -> fields replaced; new id -> appended.
    Geometry is recomputed from precision (site: lon/lat; town: town point; schematic: kept; else None)."""
    if good is None or not len(good):
        return current
    out = current.copy()
    out.index = out["id"].astype(str)
    cols = [c for c in PROJECTS.columns if c in good.columns]
    for row in good.to_dict("records"):
        rid = clean_str(row.get("id"))
        if not rid:
            continue
        old_geom = out.at[rid, "geometry"] if (rid in out.index and "geometry" in out.columns) else None
        if rid not in out.index:
            out.loc[rid] = pd.Series(dtype=object)
            out.at[rid, "id"] = rid
        for c in cols:
            val = row.get(c)
            if c in ("lon", "lat"):
                val = pd.to_numeric(clean_str(val), errors="coerce") if clean_str(val) else float("nan")
            elif c == "source_lines" and c in out.columns and pd.api.types.is_numeric_dtype(out[c]):
                val = pd.to_numeric(clean_str(val), errors="coerce")
            else:
                val = clean_str(val)
            out.at[rid, c] = val
        if "unit_list" in out.columns:
            out.at[rid, "unit_list"] = split_list(row.get("units"))
        if "geometry" in out.columns:
            out.at[rid, "geometry"] = _geometry(out.loc[rid], old_geom, towns)
    return out.reset_index(drop=True)
