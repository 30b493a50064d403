"""County officials' check: every item the plan assigns to the unit with how precisely it is located;
CSV/Excel download; upload of a corrections file (projects.csv columns) validated row by row, previewed as a
diff and applied for this session only."""

from __future__ import annotations

from functools import cache

import pandas as pd
import streamlit as st

from geo.corrections import diff, read_upload
from geo.export import formula_safe_frame, to_csv_bytes, to_excel_bytes
from geo.load import PlanData
from geo.paths import plan_lines
from geo.summary import items_for_unit
from geo.text import clean_str, escape_markdown
from geo.validate import ValidationContext, validate_table
from layers.popups import source_ref_text
from ui.text import category_label, lines_text, problem_text, tr


@cache
def _plan() -> tuple[str, ...] | None:
    lines = plan_lines()
    return tuple(lines) if lines is not None else None


def context(data: PlanData) -> ValidationContext:
    """Validation context of the loaded data (units, towns, county shapes, plan text if present)."""
    plan = _plan()
    return ValidationContext(
        units=set(data.units["code"].astype(str)),
        towns=pd.DataFrame(data.towns.drop(columns="geometry", errors="ignore")) if len(data.towns) else None,
        counties=data.counties if len(data.counties) else None,
        tianqu=data.tianqu if len(data.tianqu) else None,
        plan=list(plan) if plan is not None else None,
    )


def checklist_table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per item: name, precision (how it is located) and where the location comes from."""
    if items is None or not len(items):
        return pd.DataFrame(columns=["id"])
    return formula_safe_frame(pd.DataFrame({  # the grid can be copied or downloaded as CSV: no live formula
        "id": items["id"].astype(str),
        tr("col.name_zh", lang): items["name_zh"].map(clean_str),
        tr("col.name_en", lang): items["name_en"].map(clean_str),
        tr("col.category", lang): items["category"].map(lambda v: category_label(v, lang)),
        tr("col.precision", lang): items["precision"].map(lambda v: tr(f"precision.{v}", lang) if clean_str(v) else ""),
        tr("col.location_source", lang): items["location_source"].map(clean_str),
        tr("col.town_code", lang): items["town_code"].map(clean_str),
        "lon": items["lon"].map(clean_str),
        "lat": items["lat"].map(clean_str),
        tr("col.source", lang): items["source_ref"].map(lambda v: source_ref_text(v, lang)) + " L"
        + items["source_lines"].map(lines_text),
    }).reset_index(drop=True))


def diff_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The corrections diff (geo.corrections columns id, change, field, old, new) with translated headers and
    change kinds; ``field`` stays the projects.csv column name (the name in the file the official edits)."""
    out = formula_safe_frame(frame.assign(change=frame["change"].map(lambda v: tr(f"check.change.{v}", lang))))
    return out.rename(columns={c: tr(f"check.diff_col.{c}", lang) for c in frame.columns})


def _apply(good: pd.DataFrame) -> None:
    prev = st.session_state.get("corrections")
    merged = pd.concat([prev, good], ignore_index=True) if prev is not None and len(prev) else good.copy()
    st.session_state["corrections"] = merged.drop_duplicates("id", keep="last").reset_index(drop=True)
    st.session_state["corrections_applied"] = len(good)


def _discard() -> None:
    st.session_state["corrections"] = None
    st.session_state["corrections_applied"] = 0


def render(data: PlanData, unit: str, lang: str, unit_label: str) -> None:
    """The checklist tab for ``unit`` (``data`` already includes this session's corrections)."""
    st.header(tr("check.header", lang, unit=escape_markdown(unit_label)))
    st.caption(tr("check.intro", lang))
    items = items_for_unit(data.items, unit)
    table = checklist_table(items, lang)
    counts = items["precision"].value_counts() if len(items) else pd.Series(dtype=int)
    st.text(" · ".join(f"{tr('precision.' + str(k), lang)}: {int(v)}" for k, v in counts.items()))
    st.dataframe(table, hide_index=True, key="check_table")
    c1, c2 = st.columns(2)
    c1.download_button(tr("check.download_csv", lang), data=to_csv_bytes(items), file_name=f"dezhou_{unit}_items.csv",
                       mime="text/csv", key="check_dl_csv")
    c2.download_button(tr("check.download_xlsx", lang), data=lambda: to_excel_bytes(items),  # built on click
                       file_name=f"dezhou_{unit}_items.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="check_dl_xlsx")

    st.subheader(tr("check.upload_header", lang))
    st.caption(tr("check.upload_help", lang))
    up = st.file_uploader(tr("check.upload", lang), type=["csv", "xlsx"], key="corr_upload")
    if up is not None:
        upload = read_upload(up.name, up.getvalue())
        df, problems = upload.frame, upload.problems
        good = df.iloc[0:0] if df is not None else None
        if df is not None:
            good, vproblems = validate_table("projects", df, file=up.name, context=context(data))
            problems = problems + list(vproblems)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity != "error"]
        n_rows = 0 if df is None else len(df)
        n_good = 0 if good is None else len(good)
        st.text(tr("check.summary", lang, rows=n_rows, good=n_good, bad=n_rows - n_good))
        for p in errors:
            st.error(escape_markdown(problem_text(p, lang)))  # file names and cells are text, never Markdown
        for p in warnings:
            st.warning(escape_markdown(problem_text(p, lang)))
        if good is not None and len(good):
            d = diff(data.items, good)
            st.subheader(tr("check.diff_header", lang))
            st.text(tr("check.diff_summary", lang, changed=len(d.changed), new=len(d.new_ids),
                       same=len(d.unchanged)))
            frame = diff_table(d.as_frame(), lang)
            if len(frame):
                st.dataframe(frame, hide_index=True, key="check_diff")
            st.button(tr("check.apply", lang, n=n_good), key="check_apply", on_click=_apply, args=(good,))
    corr = st.session_state.get("corrections")
    if corr is not None and len(corr):
        st.success(tr("check.applied", lang, n=len(corr)))
        st.button(tr("check.discard", lang), key="check_discard", on_click=_discard)
