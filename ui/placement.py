"""Place an item on the map: click the map, type lon/lat, upload a point/polygon GeoJSON (a park's outline), or
put it at one of the unit's towns. The chosen spot is shown on the map before it is submitted; the store checks
that it lies inside the official's unit and records "placed by <official>, <unit>, <date>"."""

from __future__ import annotations

import folium
import geopandas as gpd
import streamlit as st
from shapely.geometry import Point, mapping

from geo.crs import METRIC_CRS, WGS84
from geo.placement import display_to_wgs84, read_geojson_place, wgs84_to_display
from geo.review import Account
from geo.text import clean_str
from i18n import t
from layers.basemaps import get_basemap
from ui.map_view import show_map
from ui.officials_context import CheckContext, attempt, show_messages, submitted
from ui.widgets import file_uploader

METHODS = ("click", "coords", "geojson", "town")
MAP_LAYERS = ("counties", "towns", "parks")
CLICKED = "place_clicked"  # (item id, lon, lat) in WGS84
CONSUMED = "place_consumed"  # the click of the last submitted placement (the map keeps returning it)


def _parse(text: str) -> float | None:
    try:
        v = float(text.replace("，", ".").strip())
    except ValueError:
        return None
    return v


def _marker(ctx: CheckContext, point: Point | None, outline: object = None) -> folium.FeatureGroup:
    """The chosen spot drawn on the map in its datum (a red ring; the outline dashed)."""
    fg = folium.FeatureGroup(name="placement")
    datum = get_basemap(ctx.basemap).datum if ctx.basemap else "wgs84"
    if outline is not None:
        from shapely.ops import transform

        shown = transform(lambda x, y, z=None: wgs84_to_display(x, y, datum), outline)
        folium.GeoJson(mapping(shown), style_function=lambda _f: {"color": "#d62728", "weight": 3,
                                                                   "dashArray": "6 4", "fillOpacity": 0.1}).add_to(fg)
    if point is not None:
        lon, lat = wgs84_to_display(point.x, point.y, datum)
        folium.CircleMarker([lat, lon], radius=9, color="#d62728", weight=3, fill=True, fill_opacity=0.4,
                            tooltip=t("officials.place.chosen_tip", ctx.lang)).add_to(fg)
    return fg


def _click_map(ctx: CheckContext, item_id: str) -> Point | None:
    lang = ctx.lang
    st.caption(t("officials.place.click_help", lang))
    got = st.session_state.get(CLICKED)
    point = Point(got[1], got[2]) if got and got[0] == item_id else None
    m = ctx.map_of(ctx.unit, MAP_LAYERS, None)
    out = show_map(m, view=("place", ctx.unit, ctx.basemap, lang, item_id), key_prefix="place_map_", height=460,
                   returned_objects=["last_clicked"], feature_group=_marker(ctx, point))
    click = out.get("last_clicked")
    if isinstance(click, dict) and "lat" in click and "lng" in click:
        datum = get_basemap(ctx.basemap).datum if ctx.basemap else "wgs84"
        lon, lat = display_to_wgs84(float(click["lng"]), float(click["lat"]), datum)
        if st.session_state.get(CONSUMED) == (item_id, round(lon, 6), round(lat, 6)):
            return point
        if not got or (got[0], round(got[1], 6), round(got[2], 6)) != (item_id, round(lon, 6), round(lat, 6)):
            st.session_state[CLICKED] = (item_id, lon, lat)
            st.rerun()  # draw the marker where the click was
    if point is not None:
        st.text(t("officials.place.chosen", lang, lon=f"{point.x:.6f}", lat=f"{point.y:.6f}"))
    return point


def _coords(ctx: CheckContext, item_id: str, row: dict[str, str]) -> Point | None:
    lang = ctx.lang
    c1, c2 = st.columns(2)
    lon_s = c1.text_input(t("officials.place.lon", lang), value=row.get("lon", ""), key=f"place_lon_{item_id}")
    lat_s = c2.text_input(t("officials.place.lat", lang), value=row.get("lat", ""), key=f"place_lat_{item_id}")
    if not lon_s.strip() and not lat_s.strip():
        return None
    lon, lat = _parse(lon_s), _parse(lat_s)
    if lon is None or lat is None:
        st.error(t("officials.place.not_numbers", lang))
        return None
    return Point(lon, lat)


def _geojson(ctx: CheckContext, item_id: str, *, say: bool) -> tuple[Point | None, object]:
    up = st.session_state.get(f"place_gj_{item_id}")
    if up is None:
        return None, None
    got = read_geojson_place(up.getvalue())
    if got.code and say:
        st.error(t(f"officials.geojson.{got.code}", ctx.lang))
    return got.point, got.outline


def _submit(ctx: CheckContext, acc: Account, item_id: str) -> None:
    """The placement button's callback: reads the chosen spot from the session (the widgets' latest values) and
    submits it. Runs before the script, so no rerun of the map can swallow the click."""
    ss = st.session_state
    method, reason = ss.get("place_method", "click"), str(ss.get(f"place_reason_{item_id}") or "")
    point, outline, town = None, None, ""
    if method == "click":
        got = ss.get(CLICKED)
        point = Point(got[1], got[2]) if got and got[0] == item_id else None
    elif method == "coords":
        lon, lat = (_parse(str(ss.get(f"place_{k}_{item_id}") or "")) for k in ("lon", "lat"))
        point = Point(lon, lat) if lon is not None and lat is not None else None
    elif method == "geojson":
        point, outline = _geojson(ctx, item_id, say=False)
    else:
        town = str(ss.get(f"place_town_{item_id}") or "")
    assert ctx.store is not None
    store = ctx.store
    if outline is not None:
        info = attempt(ctx, lambda: store.submit_placement(acc, ctx.base, item_id, outline=outline,
                                                           reason=reason), defer=True)
    elif point is not None:
        info = attempt(ctx, lambda: store.submit_placement(acc, ctx.base, item_id, point=point, reason=reason),
                       defer=True)
    elif town:
        info = attempt(ctx, lambda: store.submit_placement(acc, ctx.base, item_id, town_code=town, reason=reason),
                       defer=True)
    else:
        return
    if info is not None and method == "click" and point is not None:  # not offered again for a second submission
        ss[CONSUMED] = (item_id, round(point.x, 6), round(point.y, 6))
        ss.pop(CLICKED, None)
    submitted(info, ctx.lang, defer=True)


def render(ctx: CheckContext, acc: Account, item_id: str, row: dict[str, str]) -> None:
    """The placement form for ``item_id``; submits a placement (pending review)."""
    lang = ctx.lang
    method = st.radio(t("officials.place.method", lang), METHODS, key="place_method", horizontal=True,
                      format_func=lambda m: t(f"officials.place.method.{m}", lang))
    point = outline = None
    town = ""
    if method == "click":
        point = _click_map(ctx, item_id)
    elif method == "coords":
        point = _coords(ctx, item_id, row)
    elif method == "geojson":
        st.caption(t("officials.place.geojson_help", lang))
        file_uploader(t("officials.place.geojson", lang), lang, type=["geojson", "json"], key=f"place_gj_{item_id}")
        point, outline = _geojson(ctx, item_id, say=True)
        if outline is not None:
            area = float(gpd.GeoSeries([outline], crs=WGS84).to_crs(METRIC_CRS).area.iloc[0]) / 1e6
            st.text(t("officials.place.outline_read", lang, area=f"{area:.2f}"))
    else:
        towns = ctx.data.towns
        mine = towns[towns["unit"].astype(str) == ctx.unit] if len(towns) and ctx.unit != "city" else towns
        codes = [str(c) for c in mine["code"]]
        names = dict(zip(codes, mine["name_zh"].map(clean_str), strict=True))
        if codes:
            town = st.selectbox(t("officials.place.town", lang), codes, format_func=lambda c: f"{names[c]}（{c}）",
                                key=f"place_town_{item_id}")
    if method in ("coords", "geojson") and (point is not None or outline is not None):
        m = ctx.map_of(ctx.unit, MAP_LAYERS, None)
        show_map(m, view=("place_preview", ctx.unit, ctx.basemap, lang, item_id), key_prefix="place_preview_",
                 height=360, returned_objects=[], feature_group=_marker(ctx, point, outline))
    st.text_input(t("officials.reason", lang), key=f"place_reason_{item_id}")
    ready = point is not None or outline is not None or bool(town)
    st.button(t("officials.place.button", lang), key="place_button", disabled=not ready, on_click=_submit,
              args=(ctx, acc, item_id))
    show_messages()
