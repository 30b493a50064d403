"""The reviewer's queue: pending submissions oldest first, grouped by item; several pending on one item are shown
side by side (approving one supersedes the others). Each shows who, when, why, the diff in words (old → new),
a small map of a placement, and approve / reject with a comment."""

from __future__ import annotations

import folium
import streamlit as st
from shapely.geometry import Point, mapping

from geo.review import Account, SubmissionInfo
from geo.text import clean_str, escape_markdown
from i18n import t
from ui.map_view import show_map
from ui.officials_context import CheckContext, attempt
from ui.review_text import diff_frame, kind_word, unit_names

FLASH = "officials_flash"


def preview_map(sub: SubmissionInfo, ctx: CheckContext) -> folium.Map | None:
    """A small map of a placement: the unit outline, the placed point or outline (WGS84, no basemap tiles)."""
    geom = sub.geometry
    lon, lat = sub.changes.get("lon", ""), sub.changes.get("lat", "")
    point = None
    if lon and lat:
        try:
            point = Point(float(lon), float(lat))
        except ValueError:
            point = None
    code = sub.changes.get("town_code", "")
    if point is None and geom is None and code and len(ctx.data.towns):
        hit = ctx.data.towns[ctx.data.towns["code"].astype(str) == code]
        point = hit.geometry.iloc[0] if len(hit) else None
    if point is None and geom is None:
        return None
    focus = geom if geom is not None else point
    assert focus is not None
    c = focus.centroid
    m = folium.Map(location=[c.y, c.x], zoom_start=12, tiles=None, control_scale=True)
    units = [u for u in sub.units.split(";") if u]
    counties = ctx.data.counties
    shapes = counties[counties["adcode"].astype(str).isin(units)] if len(counties) else counties
    for g in shapes.geometry:
        folium.GeoJson(mapping(g), style_function=lambda _f: {"color": "#555", "weight": 1.5, "fill": False}).add_to(m)
    if geom is not None:
        folium.GeoJson(mapping(geom), style_function=lambda _f: {"color": "#d62728", "weight": 3,
                                                                 "fillOpacity": 0.2}).add_to(m)
    if point is not None:
        folium.CircleMarker([point.y, point.x], radius=8, color="#d62728", fill=True, fill_opacity=0.5).add_to(m)
    return m


def _decide(ctx: CheckContext, acc: Account, sub: SubmissionInfo, approve: bool) -> None:
    comment = str(st.session_state.get(f"rv_comment_{sub.id}") or "")
    assert ctx.store is not None
    if approve:
        done = attempt(ctx, lambda: ctx.store.approve(acc, ctx.base, sub.id, comment))  # type: ignore[union-attr]
    else:
        done = attempt(ctx, lambda: ctx.store.reject(acc, sub.id, comment))  # type: ignore[union-attr]
    if done is not None:
        st.session_state[FLASH] = t("officials.queue.approved" if approve else "officials.queue.rejected",
                                    ctx.lang, id=sub.id, item=sub.item_id)
        st.rerun()  # the approved change is served from the next run on


def _card(ctx: CheckContext, acc: Account, sub: SubmissionInfo) -> None:
    lang = ctx.lang
    st.markdown(f"**#{sub.id} · {kind_word(sub.kind, lang)}**")
    st.text(t("officials.queue.by", lang, user=sub.user,
              unit=unit_names(ctx.data, sub.user_unit, lang) if sub.user_unit else t("ui.unit.city", lang),
              when=sub.created_at.strftime("%Y-%m-%d %H:%M") + " UTC"))
    if sub.reason:
        st.text(t("officials.queue.reason", lang, reason=sub.reason))
    if sub.source_file:
        st.text(t("officials.queue.from_file", lang, file=sub.source_file, row=sub.source_row or "-"))
    diff = sub.diff()
    if diff:
        st.dataframe(diff_frame(diff, lang, ctx.data), hide_index=True, key=f"rv_diff_{sub.id}")
    else:
        st.caption(t("officials.queue.no_change", lang))
    m = preview_map(sub, ctx) if sub.kind in ("placement", "edit", "new") else None
    if m is not None:
        show_map(m, view=("review", sub.id), key_prefix=f"rv_map_{sub.id}_", height=240, returned_objects=[])
    st.text_input(t("officials.queue.comment", lang), key=f"rv_comment_{sub.id}")
    c1, c2 = st.columns(2)
    if c1.button(t("officials.queue.approve", lang), key=f"rv_approve_{sub.id}", type="primary"):
        _decide(ctx, acc, sub, True)
    if c2.button(t("officials.queue.reject", lang), key=f"rv_reject_{sub.id}"):
        _decide(ctx, acc, sub, False)


def render(ctx: CheckContext, acc: Account) -> None:
    lang = ctx.lang
    st.subheader(t("officials.queue.header", lang))
    assert ctx.store is not None
    unit = None if ctx.unit == "city" else ctx.unit
    pending = attempt(ctx, lambda: ctx.store.pending(unit))  # type: ignore[union-attr]
    if pending is None:
        return
    st.text(t("officials.queue.count", lang, n=len(pending), unit=ctx.unit_label))
    by_item: dict[str, list[SubmissionInfo]] = {}
    for sub in pending:
        by_item.setdefault(sub.item_id, []).append(sub)
    names = dict(zip(ctx.data.items["id"].astype(str), ctx.data.items["name_zh"].map(clean_str), strict=True))
    for item_id, subs in by_item.items():
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(names.get(item_id, item_id))}**（{escape_markdown(item_id)}）")
            if len(subs) > 1:
                st.warning(escape_markdown(t("officials.queue.side_by_side", lang, n=len(subs))))
            for start in range(0, len(subs), 3):
                cols = st.columns(min(3, len(subs) - start))
                for col, sub in zip(cols, subs[start:start + 3], strict=True):
                    with col:
                        _card(ctx, acc, sub)
