"""Detail panel of the selected item or town. All data text is escaped (no raw HTML, no Markdown injection)."""

from __future__ import annotations

import streamlit as st

from geo.load import PlanData, unit_names
from geo.text import clean_str, escape_markdown
from layers.popups import location_source_text, source_ref_text
from layers.provenance import note_text, town_location_text
from ui.text import category_label, maybe, tr, unit_name


def _row(label: str, value: str) -> None:
    if value:
        st.markdown(f"**{escape_markdown(label)}:** {value}")


def render(data: PlanData, key: str | None, lang: str) -> None:
    """Show the item (``id``) or town (``code``) ``key``; a hint when nothing is selected."""
    st.subheader(tr("detail.header", lang))
    if not key:
        st.caption(tr("detail.empty", lang))
        return
    items = data.items
    hit = items[items["id"] == key] if len(items) else items
    if len(hit):
        r = hit.iloc[0]
        st.markdown(f"#### {escape_markdown(r['name_zh'])}")
        if clean_str(r.get("name_en")):
            st.markdown(f"*{escape_markdown(r['name_en'])}*")
        sep = ", " if lang == "en" else "、"
        units = sep.join(unit_name(data.units, u, lang) for u in clean_str(r.get("units")).split(";") if u)
        _row(tr("detail.id", lang), escape_markdown(r["id"]))
        subtype = clean_str(r.get("subtype"))
        category = category_label(r["category"], lang)
        if subtype:
            category += " · " + maybe(f"layers.subtype.{subtype}", lang, subtype)
        _row(tr("detail.category", lang), escape_markdown(category))
        _row(tr("detail.county", lang), escape_markdown(units))
        status = tr(f"status.{clean_str(r['status'])}", lang) if clean_str(r.get("status")) else ""
        _row(tr("detail.status", lang), escape_markdown(status) + (f" （{escape_markdown(r['status_zh'])}）" if clean_str(r.get("status_zh")) else ""))
        tags = clean_str(r.get("industry_tags_en") if lang == "en" else r.get("industry_tags")).replace(";", sep)
        _row(tr("detail.industry", lang), escape_markdown(tags))
        prec = clean_str(r.get("precision"))
        _row(tr("detail.precision", lang), escape_markdown(tr(f"precision.{prec}", lang) if prec else ""))
        _row(tr("detail.location_source", lang),
             escape_markdown(location_source_text(r.get("location_source"), lang, unit_names(data.units))))
        _row(tr("detail.provenance", lang), escape_markdown(source_ref_text(r.get("source_ref"), lang)))
        _row(tr("detail.lines", lang), escape_markdown(r.get("source_lines")))
        if clean_str(r.get("quote")):
            st.markdown(f"> {escape_markdown(r['quote'])}")
        _row(tr("detail.aliases", lang), escape_markdown(clean_str(r.get("aliases")).replace(";", "、")))
        _row(tr("detail.notes", lang), escape_markdown(note_text(r.get("notes"), lang)))
        return
    towns = data.towns
    hit = towns[towns["code"].astype(str) == key] if len(towns) else towns
    if len(hit):
        r = hit.iloc[0]
        st.markdown(f"#### {escape_markdown(r['name_zh'])}")
        st.markdown(f"*{escape_markdown(r.get('name_en'))}*")
        _row(tr("detail.town_code", lang), escape_markdown(r["code"]))
        _row(tr("detail.county", lang), escape_markdown(unit_name(data.units, clean_str(r["unit"]), lang)))
        _row(tr("detail.location_source", lang), escape_markdown(town_location_text(r, lang)))
        roles = data.town_roles
        if roles is not None and len(roles):
            rr = roles[roles["town_code"].astype(str) == key]
            for role in rr.itertuples():
                ind = clean_str(role.industry_en if lang == "en" else role.industry_zh)
                _row(tr("detail.role", lang), escape_markdown(tr(f"role.{role.role}", lang)) + (f" （{escape_markdown(ind)}）" if ind else ""))
        return
    st.caption(tr("detail.unknown", lang, key=escape_markdown(key)))
