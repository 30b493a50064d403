"""Detail panel of the selected item or town. All data text is escaped (no raw HTML, no Markdown injection)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from layers.popups import source_ref_text
from ui.text import esc, maybe, s, tr, unit_name


def _row(label: str, value: str) -> None:
    if value:
        st.markdown(f"**{esc(label)}:** {value}")


def render(data: Any, key: str | None, lang: str) -> None:
    """Show the item (``id``) or town (``code``) ``key``; a hint when nothing is selected."""
    st.subheader(tr("detail.header", lang))
    if not key:
        st.caption(tr("detail.empty", lang))
        return
    items = data.items
    hit = items[items["id"] == key] if len(items) else items
    if len(hit):
        r = hit.iloc[0]
        st.markdown(f"#### {esc(r['name_zh'])}")
        if s(r.get("name_en")):
            st.markdown(f"*{esc(r['name_en'])}*")
        sep = ", " if lang == "en" else "、"
        units = sep.join(unit_name(data.units, u, lang) for u in s(r.get("units")).split(";") if u)
        _row(tr("detail.id", lang), esc(r["id"]))
        subtype = s(r.get("subtype"))
        category = tr(f"kind.{s(r['layer'])}", lang) if s(r["layer"]) else ""
        if subtype:
            category += " · " + maybe(f"layers.subtype.{subtype}", lang, subtype)
        _row(tr("detail.category", lang), esc(category))
        _row(tr("detail.county", lang), esc(units))
        status = tr(f"status.{s(r['status'])}", lang) if s(r.get("status")) else ""
        _row(tr("detail.status", lang), esc(status) + (f" （{esc(r['status_zh'])}）" if s(r.get("status_zh")) else ""))
        tags = s(r.get("industry_tags_en") if lang == "en" else r.get("industry_tags")).replace(";", sep)
        _row(tr("detail.industry", lang), esc(tags))
        prec = s(r.get("precision"))
        _row(tr("detail.precision", lang), esc(tr(f"precision.{prec}", lang) if prec else ""))
        _row(tr("detail.location_source", lang), esc(r.get("location_source")))
        _row(tr("detail.provenance", lang), esc(source_ref_text(r.get("source_ref"), lang)))
        _row(tr("detail.lines", lang), esc(r.get("source_lines")))
        if s(r.get("quote")):
            st.markdown(f"> {esc(r['quote'])}")
        _row(tr("detail.aliases", lang), esc(s(r.get("aliases")).replace(";", "、")))
        _row(tr("detail.notes", lang), esc(r.get("notes")))
        return
    towns = data.towns
    hit = towns[towns["code"].astype(str) == key] if len(towns) else towns
    if len(hit):
        r = hit.iloc[0]
        st.markdown(f"#### {esc(r['name_zh'])}")
        st.markdown(f"*{esc(r.get('name_en'))}*")
        _row(tr("detail.town_code", lang), esc(r["code"]))
        _row(tr("detail.county", lang), esc(unit_name(data.units, s(r["unit"]), lang)))
        pp = s(r.get("point_precision"))
        _row(tr("detail.point_precision", lang), esc(maybe(f"layers.point_precision.{pp}", lang, pp)))
        roles = data.town_roles
        if roles is not None and len(roles):
            rr = roles[roles["town_code"].astype(str) == key]
            for role in rr.itertuples():
                ind = s(role.industry_en if lang == "en" else role.industry_zh)
                _row(tr("detail.role", lang), esc(tr(f"role.{role.role}", lang)) + (f" （{esc(ind)}）" if ind else ""))
        return
    st.caption(tr("detail.unknown", lang, key=key))
