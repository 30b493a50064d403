"""The floor page: the smallest Streamlit app with one st_folium map of one feature, with the app's vendored
Leaflet (``ui.map_view.localise``: /app/static/vendor, no CDN). What Streamlit + st_folium cost by themselves; the
app's time to first map is compared with it (``python -m bench firstmap``). Started by
:func:`bench.firstmap.floor_server` (it needs the project's static/ beside the script and the project on the path).
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from ui.map_view import localise

st.set_page_config(page_title="floor", layout="wide")
m = folium.Map(location=[37.45, 116.55], zoom_start=9, tiles=None)
folium.CircleMarker([37.45, 116.55], radius=8, tooltip="德州").add_to(m)
st_folium(localise(m), key="floor_map", height=620, width=None,
          returned_objects=["last_object_clicked_tooltip", "last_object_clicked"])
