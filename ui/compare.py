"""City-wide comparison: a table and charts of parks and works per county and their lead industries."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.load import PlanData
from geo.summary import city_comparison
from ui.text import tr, unit_name


@st.cache_resource(show_spinner=False, max_entries=8)
def _comparison(_data: PlanData, data_key: str, lang: str) -> Any:
    return city_comparison(_data, lang)


def render(data: PlanData, lang: str, data_key: str) -> None:
    """Comparison table + bar chart (counts per county-level unit); ``data_key`` identifies the data version."""
    st.header(tr("compare.header", lang))
    df = _comparison(data, data_key, lang).copy()
    df["name"] = [unit_name(data.units, code, lang) for code in df.index]  # 中文 with the English beside it
    cols = {"name": tr("col.unit", lang), "items": tr("compare.items", lang), "parks": tr("compare.parks", lang),
            "transport_works": tr("compare.transport", lang), "water_works": tr("compare.water", lang),
            "located": tr("compare.located", lang), "town_roles": tr("compare.town_roles", lang),
            "lead_industry": tr("compare.lead", lang)}
    shown = df.rename(columns=cols)
    st.dataframe(shown, hide_index=True, key="compare_table")
    chart = df.set_index("name")[["parks", "transport_works", "water_works"]].rename(columns=cols)
    st.bar_chart(chart, stack=False)
    st.caption(tr("compare.note", lang))
