"""Share and export: the link of the current view, the selection as CSV/GeoJSON, the map as standalone HTML, the
unit's fact sheet (PDF) and map picture (PNG), and the presentation-mode link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from geo.export import to_csv_bytes, to_geojson_bytes
from geo.url_state import query_string
from layers.basemaps import export_basemap
from ui.data import data_dir
from ui.text import tr


@dataclass(frozen=True)
class Sheets:
    """What the fact sheet and the map picture of the current view are made from: the sheet from the unit's
    full data (``data``), the picture from the map's (filtered) data and the layers switched on."""

    data: Any
    data_key: str
    unit: str
    layers: tuple[str, ...]
    map_data: Any
    map_key: str


@st.cache_resource(show_spinner=False, max_entries=32)
def _factsheet_pdf(_data: Any, data_key: str, unit: str, lang: str) -> bytes:
    from reports.factsheet import build_sheet

    return build_sheet(_data, unit, lang, data_dir=data_dir()).pdf


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_png(_data: Any, map_key: str, unit: str, lang: str, layers: tuple[str, ...]) -> bytes:
    from reports.factsheet import build_png

    return build_png(_data, unit, lang, layers=layers).png


def _sheet_downloads(sheets: Sheets, lang: str, stem: str, params: dict[str, str]) -> None:
    st.subheader(tr("share.investor", lang))
    from reports.fonts import FontError, source_font

    try:
        source_font()
    except FontError as exc:  # the pinned font package is missing: say so instead of offering broken buttons
        st.warning(tr("share.font_missing", lang, error=str(exc)))
        return
    st.caption(tr("share.investor_help", lang))
    c1, c2 = st.columns(2)
    c1.download_button(tr("share.factsheet", lang), key="share_pdf", mime="application/pdf",
                       file_name=f"{stem}_{lang}_factsheet.pdf",
                       data=lambda: _factsheet_pdf(sheets.data, sheets.data_key, sheets.unit, lang))
    c2.download_button(tr("share.picture", lang), key="share_png", mime="image/png",
                       file_name=f"{stem}_{lang}_map.png",
                       data=lambda: _map_png(sheets.map_data, sheets.map_key, sheets.unit, lang, sheets.layers))
    link = query_string({**params, "present": "1"})
    st.markdown(f"[{tr('share.present', lang)}]({link})")
    st.caption(tr("share.present_help", lang))


def render(params: dict[str, str], selection: pd.DataFrame, map_html: Callable[[], str] | None, lang: str,
           stem: str, basemap: str = "none", *, sheets: Sheets | None = None) -> None:
    """Share tab: link (query string of the state), downloads of the selection and of the map
    (``map_html`` is called only when the user downloads the map; a basemap that needs the user's key is
    replaced by a keyless one in the file, and the tab says so), the fact sheet and picture of the unit (made only
    when downloaded) and the presentation-mode link."""
    st.header(tr("share.header", lang))
    st.caption(tr("share.link_help", lang))
    st.code(query_string(params) or "?", language=None)
    if sheets is not None:
        _sheet_downloads(sheets, lang, stem, params)
    st.subheader(tr("share.downloads", lang))
    st.text(tr("share.selection", lang, n=len(selection)))
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("share.csv", lang), data=to_csv_bytes(selection), file_name=f"{stem}.csv",
                       mime="text/csv", key="share_csv")
    c2.download_button(tr("share.geojson", lang), data=to_geojson_bytes(selection), file_name=f"{stem}.geojson",
                       mime="application/geo+json", key="share_geojson")
    if map_html is not None:
        c3.download_button(tr("share.html", lang), data=lambda: map_html().encode("utf-8"), file_name=f"{stem}_map.html",
                           mime="text/html", key="share_html")
    st.caption(tr("share.html_note", lang))
    if export_basemap(basemap) != basemap:
        st.info(tr("share.html_no_key", lang, basemap=tr(f"basemap.{export_basemap(basemap)}", lang)))
