"""County view: summary of the selected unit and a sortable, filterable table of all its items."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.export import formula_safe_frame
from geo.load import PlanData, unit_names
from geo.summary import UnitSummary, unit_summary
from geo.text import clean_str, escape_markdown
from layers.popups import source_ref_text
from ui import county_list, detail
from ui.text import category_label, lines_text, name, tr, unit_name

PROFILE_FIELDS = ("primary_industry", "feature_industry", "future_industry", "expo", "gdp_target_2030", "target",
                  "direction", "positioning", "omitted")


def _sep(lang: str) -> str:
    return ", " if lang == "en" else "、"


def unit_names_text(codes: object, units: pd.DataFrame | None, lang: str) -> str:
    """'371482;371426' -> 'Yucheng City, Pingyuan County' / '禹城市、平原县' (codes without a name stay as they are)."""
    names: dict[str, str] = {"city": tr("unit.city", lang)}
    names.update({c: en if lang == "en" else zh for c, (zh, en) in unit_names(units).items()})
    return _sep(lang).join(names.get(c, c) or c for c in clean_str(codes).split(";") if c)


def items_table(items: pd.DataFrame, lang: str, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Display table of items (plain text cells; Streamlit renders no HTML in dataframes); ``units`` (units.csv)
    turns the unit codes into names."""
    if items is None or not len(items):
        return pd.DataFrame(columns=["id", "name"])
    en = lang == "en"
    return formula_safe_frame(pd.DataFrame({
        "id": items["id"].astype(str),
        tr("col.name_zh", lang): items["name_zh"].map(clean_str),
        tr("col.name_en", lang): items["name_en"].map(clean_str),
        tr("col.category", lang): items["category"].map(lambda v: category_label(v, lang)),
        tr("col.status", lang): items["status"].map(lambda v: tr(f"status.{v}", lang) if clean_str(v) else ""),
        tr("col.industry", lang): (items["industry_tags_en"] if en else items["industry_tags"]).map(
            lambda v: clean_str(v).replace(";", _sep(lang))),
        tr("col.precision", lang): items["precision"].map(lambda v: tr(f"precision.{v}", lang) if clean_str(v) else ""),
        tr("col.units", lang): items["units"].map(lambda v: unit_names_text(v, units, lang)),
        tr("col.source", lang): items["source_ref"].map(lambda v: source_ref_text(v, lang)) + " L"
        + items["source_lines"].map(lines_text),
    })).reset_index(drop=True)


def _metrics(summ: UnitSummary, lang: str) -> None:
    c = st.columns(4)
    c[0].metric(tr("county.metric.items", lang), summ.n_items)
    c[1].metric(tr("county.metric.parks", lang), len(summ.parks))
    c[2].metric(tr("county.metric.towns", lang), len(summ.town_roles))
    c[3].metric(tr("county.metric.works", lang), len(summ.works))


def render(data: PlanData, unit: str, lang: str, *, items: pd.DataFrame | None = None) -> UnitSummary:
    """The county (unit) summary. ``items`` (filtered selection) feeds the item table; the summary is unfiltered."""
    summ = unit_summary(data, unit)
    st.header(tr("county.header", lang, unit=escape_markdown(unit_name(data.units, unit, lang)) if unit != "city"
                 else tr("unit.city", lang)))
    _metrics(summ, lang)

    # the unit's items as a clickable list grouped by category (parks first), details beside it
    listed = summ.items if items is None else items
    st.subheader(tr("county.list", lang))
    if items is not None and len(items) != len(summ.items):
        st.caption(tr("county.filtered", lang, n=len(items), total=len(summ.items)))
        if unit == "city":  # which counties have matching items (the map shades them the same way)
            from layers.match_shading import match_counts

            counts = match_counts(items)
            codes = [str(c) for c in data.units["code"] if str(c) != "city"]
            st.caption(tr("county.match_by_unit", lang))
            st.dataframe(pd.DataFrame({tr("col.units", lang): [unit_name(data.units, c, lang) for c in codes],
                                       tr("col.matching", lang): [counts.get(c, 0) for c in codes]}),
                         hide_index=True, key="county_match_counts")
    # the selected entry's details open under it (in view on a phone too, where columns would stack)
    # city-wide, each entry names its counties
    county_list.render(listed, lang, selected=st.session_state.get("selected"),
                       details=lambda item_id: detail.render(data, item_id, lang),
                       where=(lambda codes: unit_names_text(codes, data.units, lang)) if unit == "city" else None)

    st.subheader(tr("county.by_category", lang))
    if summ.by_category:
        st.dataframe(pd.DataFrame({tr("col.category", lang): [category_label(k, lang) for k in summ.by_category],
                                   tr("col.count", lang): list(summ.by_category.values())}),
                     hide_index=True, key="county_by_category")
    else:
        st.caption(tr("county.no_items", lang))

    if summ.profile:
        st.subheader(tr("county.profile", lang))
        for f in PROFILE_FIELDS:
            for row in summ.profile.get(f, []):
                val = row.get("value_en") if lang == "en" else row.get("value_zh")
                ref = f"{source_ref_text(row.get('source_ref', ''), lang)} L{lines_text(row.get('source_lines'))}"
                st.text(f"{tr('profile.' + f, lang)}: {val}   [{ref}]")

    ind = data.indicators
    if unit == "city" and len(ind):
        st.subheader(tr("county.indicators", lang))
        en = lang == "en"
        st.dataframe(pd.DataFrame({
            tr("col.indicator", lang): ind["name_en" if en else "name_zh"].map(clean_str),
            tr("col.measure", lang): ind["unit_en" if en else "unit_zh"].map(clean_str),
            tr("col.base_2025", lang): ind["base_2025"].map(clean_str),
            tr("col.target_2030", lang): ind["target_2030"].map(clean_str),
            tr("col.kind", lang): ind["kind"].map(lambda v: tr(f"indicator.{v}", lang) if clean_str(v) else ""),
            tr("col.source", lang): ind["source_ref"].map(lambda v: source_ref_text(v, lang)) + " L"
            + ind["source_lines"].map(lines_text),
        }), hide_index=True, key="county_indicators")

    st.subheader(tr("county.parks", lang))
    if len(summ.parks):
        st.dataframe(items_table(summ.parks, lang, data.units), hide_index=True, key="county_parks")
    else:
        st.caption(tr("county.none", lang))

    st.subheader(tr("county.towns", lang))
    tr_df = summ.town_roles
    towns = data.towns
    town_en = (dict(zip(towns["code"].astype(str), towns["name_en"].map(clean_str), strict=True))
               if len(towns) and "name_en" in towns.columns else {})
    if tr_df is not None and len(tr_df):
        st.dataframe(pd.DataFrame({
            tr("col.town", lang): [name(z, town_en.get(str(c), ""), lang)
                                   for z, c in zip(tr_df["town_name_zh"], tr_df["town_code"], strict=True)],
            tr("col.role", lang): [tr(f"role.{r}", lang) for r in tr_df["role"]],
            tr("col.industry", lang): [clean_str(e) if lang == "en" else clean_str(z)
                                       for z, e in zip(tr_df["industry_zh"], tr_df["industry_en"], strict=True)],
            tr("col.units", lang): [unit_names_text(u, data.units, lang) for u in tr_df["unit"]],
        }), hide_index=True, key="county_towns")
    else:
        st.caption(tr("county.none", lang))

    st.subheader(tr("county.works", lang))
    if len(summ.works):
        st.dataframe(items_table(summ.works, lang, data.units), hide_index=True, key="county_works")
    else:
        st.caption(tr("county.none", lang))

    st.subheader(tr("county.all_items", lang))
    table = items_table(summ.items if items is None else items, lang, data.units)
    q = st.text_input(tr("county.table_filter", lang), key="county_filter")
    if q:
        mask = table.apply(lambda col: col.astype(str).str.contains(q, case=False, regex=False)).any(axis=1)
        table = table[mask]
    st.caption(tr("county.table_count", lang, n=len(table)))
    st.dataframe(table, hide_index=True, key="county_items")
    return summ
