"""Share and export: the link of the current view, the selection as CSV/GeoJSON, the map as standalone HTML."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.export import to_csv_bytes, to_geojson_bytes
from geo.url_state import query_string
from layers.basemaps import export_basemap
from ui.text import tr


def render(params: dict[str, str], selection: pd.DataFrame, map_html: Callable[[], str] | None, lang: str,
           stem: str, basemap: str = "none") -> None:
    """Share tab: link (query string of the state), downloads of the selection and of the map
    (``map_html`` is called only when the user downloads the map; a basemap that needs the user's key is
    replaced by a keyless one in the file, and the tab says so)."""
    st.header(tr("share.header", lang))
    st.caption(tr("share.link_help", lang))
    st.code(query_string(params) or "?", language=None)
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
