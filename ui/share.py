"""Share and export: the link of the current view, the selection as CSV/GeoJSON, the map as standalone HTML, the
unit's fact sheet (PDF) and map picture (PNG), and the presentation-mode link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from geo.export import to_csv_bytes, to_geojson_bytes
from geo.url_state import query_string
from layers.basemaps import export_basemap
from layers.export_page import export_page
from ui import attribution
from ui.data import data_dir
from ui.text import tr


def map_page(html: str, lang: str, title: str, *, day: str | None = None) -> str:
    """The exported map page: ``<title>`` and heading ``title``, export date (UTC, ``day`` for tests), the plan and
    the data sources, in ``lang``."""
    day = day or datetime.now(UTC).date().isoformat()
    return export_page(html, lang=lang, title=title,
                       lines=[tr("export.date", lang, date=day), tr("export.plan", lang), attribution.text(lang)])


@st.cache_resource(show_spinner=False, max_entries=8)
def _page_bytes(key: str, _build: Callable[[], str]) -> bytes:
    """The map page's bytes, made once per view (``key``) and day: the button then holds the same file on every
    rerun."""
    return _build().encode("utf-8")


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
                       data=lambda: _factsheet_pdf(sheets.data, sheets.data_key, sheets.unit, lang),
                       on_click="ignore")  # no rerun: a deferred file id stays valid for the next click
    c2.download_button(tr("share.picture", lang), key="share_png", mime="image/png",
                       file_name=f"{stem}_{lang}_map.png",
                       data=lambda: _map_png(sheets.map_data, sheets.map_key, sheets.unit, lang, sheets.layers),
                       on_click="ignore")
    link = query_string({**params, "present": "1"})
    st.markdown(f"[{tr('share.present', lang)}]({link})")
    st.caption(tr("share.present_help", lang))


def render(params: dict[str, str], selection: pd.DataFrame, map_html: Callable[[], str] | None, lang: str,
           stem: str, basemap: str = "none", *, sheets: Sheets | None = None, title: str = "",
           html_key: str = "") -> None:
    """Share tab: link (query string of the state), downloads of the selection and of the map page (``map_html``
    gives the map, :func:`map_page` adds ``title``, date and sources; made once per ``html_key``; a basemap that
    needs the user's key is replaced by a keyless one in the file, and the tab says so), the fact sheet and picture
    of the unit (made only when downloaded) and the presentation-mode link.

    The selection and map downloads are made when the tab is drawn, not on click, and a click does not rerun the
    app: a deferred download (a callable) gets a new file id on every rerun and the previous id is dropped, so a
    click shortly after another download ("Deferred file … not found") did nothing (issue 11 item 10)."""
    st.header(tr("share.header", lang))
    st.caption(tr("share.link_help", lang))
    st.code(query_string(params) or "?", language=None)
    if sheets is not None:
        _sheet_downloads(sheets, lang, stem, params)
    st.subheader(tr("share.downloads", lang))
    st.text(tr("share.selection", lang, n=len(selection)))
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("share.csv", lang), data=to_csv_bytes(selection), file_name=f"{stem}.csv",
                       mime="text/csv", key="share_csv", on_click="ignore")
    c2.download_button(tr("share.geojson", lang), data=to_geojson_bytes(selection), file_name=f"{stem}.geojson",
                       mime="application/geo+json", key="share_geojson", on_click="ignore")
    if map_html is not None:
        day = datetime.now(UTC).date().isoformat()
        build = map_html
        page = _page_bytes(f"{html_key}|{lang}|{title}|{day}", lambda: map_page(build(), lang, title, day=day))
        c3.download_button(tr("share.html", lang), data=page, file_name=f"{stem}_map.html", mime="text/html",
                           key="share_html", on_click="ignore")
    st.caption(tr("share.html_note", lang))
    if export_basemap(basemap) != basemap:
        st.info(tr("share.html_no_key", lang, basemap=tr(f"basemap.{export_basemap(basemap)}", lang)))
