"""The coverage tab: access of towns and parks to expressway entrances, railway and HSR stations (2025 vs 2030).

Pure table builders (``shares_table``, ``gains_table``, ``seats_table``, ``lengths_table``) + :func:`render`
(Streamlit). All figures come from :mod:`geo.coverage` — the same functions the CLI uses — and every table is
shown next to the assumptions it depends on.
"""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st

from geo import coverage as cov
from i18n import t
from layers.basemaps import BASEMAP_KEYS, add_basemap, get_basemap
from layers.boundaries import county_outlines_layer
from layers.coverage import coverage_layer, legend_entries
from layers.map_builder import DEFAULT_SIMPLIFY_M, ZOOM_SNAP, outline_bounds
from layers.view import build_view
from ui.map_view import show_map
from ui.text import maybe

GAP_WARN_KM = 40.0
"""Warn about expressway lines with a stretch longer than this (km) without any entrance in the data."""
_PCT = [f"km_le_{k}" for k in cov.KM_THRESHOLDS] + [f"min_le_{m}" for m in cov.MIN_THRESHOLDS]


def _county_label(row: pd.Series, lang: str) -> str:
    return str(row["county_name_en"] if lang == "en" else row["county_name_zh"])


def shares_table(shares: pd.DataFrame, *, lang: str, scenario: str, target: str,
                 origin_kind: str = "town") -> pd.DataFrame:
    """Per-county shares (percent, 0–100) for one scenario/target/origin kind, with translated headers."""
    s = shares[(shares["scenario"] == scenario) & (shares["target"] == target)
               & (shares["origin_kind"] == origin_kind)]
    out = pd.DataFrame({t("coverage.col.county", lang): [_county_label(r, lang) for _, r in s.iterrows()],
                        t("coverage.col.n", lang): s["n"].to_numpy(),
                        t("coverage.col.n_missing", lang): s["n_missing"].to_numpy()})
    for k in cov.KM_THRESHOLDS:
        out[t("coverage.col.km_le", lang, k=k)] = (s[f"km_le_{k}"] * 100).round(0).to_numpy()
    for m in cov.MIN_THRESHOLDS:
        out[t("coverage.col.min_le", lang, m=m)] = (s[f"min_le_{m}"] * 100).round(0).to_numpy()
    out[t("coverage.col.median_min", lang)] = s["median_min"].round(1).to_numpy()
    return out.reset_index(drop=True)


def median_change(shares: pd.DataFrame, *, lang: str, target: str, origin_kind: str = "town") -> pd.DataFrame:
    """Median minutes per county (rows, without tianqu/city) in 2025 and 2030 (columns) for the chart."""
    s = shares[(shares["target"] == target) & (shares["origin_kind"] == origin_kind)
               & ~shares["county"].isin(["tianqu", "city"])]
    if s.empty:
        return pd.DataFrame()
    s = s.assign(label=[_county_label(r, lang) for _, r in s.iterrows()])
    return s.pivot_table(index="label", columns="scenario", values="median_min", aggfunc="first")


def gains_table(results: pd.DataFrame, *, lang: str, target: str, n: int = 15, data: Any = None) -> pd.DataFrame:
    """The ``n`` towns with the largest 2025→2030 time reduction for ``target`` (only those that gain)."""
    g = cov.gains(results, target=target)
    g = g[g["gain_min"] > 1e-9].head(n)
    name = g["name_en"] if lang == "en" else g["name_zh"]
    names = cov.unit_names(data)
    county = [names.get(c, (c, c))[1 if lang == "en" else 0] for c in g["county"]]
    en = {}  # target name zh -> en, from the results (geo.coverage.gains keeps only the Chinese name)
    if "target_name_en" in results.columns:
        en = dict(zip(results["target_name_zh"].astype(str), results["target_name_en"].astype(str), strict=True))
    target_en = [en.get(str(z), "") for z in g["target_name_zh_2030"]]
    return pd.DataFrame({
        t("coverage.col.county", lang): county, t("coverage.col.town", lang): name.to_numpy(),
        t("coverage.col.minutes_2025", lang): g["minutes_2025"].round(1).to_numpy(),
        t("coverage.col.minutes_2030", lang): g["minutes_2030"].round(1).to_numpy(),
        t("coverage.col.gain_min", lang): g["gain_min"].round(1).to_numpy(),
        t("coverage.col.target_2030", lang): _bilingual(g["target_name_zh_2030"], target_en, lang),
    })


def _bilingual(zh: Any, en: Any, lang: str) -> list[str]:
    """Names as shown: Chinese, or in English the English name with the Chinese beside it (when there is one)."""
    zh_l = ["" if pd.isna(z) else str(z) for z in zh]
    if lang != "en" or en is None:
        return zh_l
    en_l = ["" if pd.isna(e) else str(e) for e in en]
    return [f"{e} ({z})" if e and z and e != z else (e or z) for z, e in zip(zh_l, en_l, strict=True)]


def _town_names_en(data: Any) -> dict[str, str]:
    towns = getattr(data, "towns", None)
    if towns is None or not len(towns) or "name_en" not in towns.columns:
        return {}
    return dict(zip(towns["code"].astype(str), towns["name_en"].astype(str), strict=True))


def seats_table(check: pd.DataFrame, *, lang: str, target: str, data: Any = None) -> pd.DataFrame:
    """County seats vs the 30-minute standard for ``target`` in 2025 and 2030 (seat in English with the Chinese
    beside it when ``data`` gives the town's English name)."""
    c = check[check["target"] == target]
    ok, bad = t("coverage.meets", lang), t("coverage.fails", lang)
    en = _town_names_en(data)
    seat_en = [en.get(str(code), "") for code in c["town_code"]] if "town_code" in c.columns else None
    return pd.DataFrame({
        t("coverage.col.county", lang): [_county_label(r, lang) for _, r in c.iterrows()],
        t("coverage.col.seat", lang): _bilingual(c["seat_zh"], seat_en, lang),
        t("coverage.col.certainty", lang): [maybe(f"coverage.certainty.{v}", lang, str(v)) for v in c["certainty"]],
        t("coverage.col.minutes_2025", lang): c["minutes_2025"].round(1).to_numpy(),
        "2025": [ok if v else bad for v in c["meets_2025"]],
        t("coverage.col.minutes_2030", lang): c["minutes_2030"].round(1).to_numpy(),
        "2030": [ok if v else bad for v in c["meets_2030"]],
    })


def county_lengths_table(lengths: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Route km per county (rows) and mode/scenario (columns, translated headers such as 'Expressway 2030 (km)')."""
    per = lengths[lengths["county"] != "city"]
    if per.empty:
        return pd.DataFrame()
    label = "county_name_en" if lang == "en" else "county_name_zh"
    wide = per.pivot_table(index=label, columns=["mode", "scenario"], values="route_km", aggfunc="first",
                           sort=False).round(1)
    wide.columns = [t("coverage.col.mode_year_km", lang, mode=maybe(f"coverage.mode.{m}", lang, str(m)), year=y)
                    for m, y in wide.columns]
    wide.index.name = t("coverage.col.county", lang)
    return wide.reset_index()


def works_table(works: pd.DataFrame, *, lang: str, data: Any = None) -> pd.DataFrame:
    """Planned rail/expressway works drawn: translated headers, mode, plan status, geometry quality, counted
    (in English the plan item's English name from ``data.items`` beside the Chinese)."""
    items = getattr(data, "items", None)
    en = (dict(zip(items["id"].astype(str), items["name_en"].astype(str), strict=True))
          if items is not None and len(items) and "name_en" in items.columns else {})
    names_en = [en.get(str(pid), "") for pid in works["plan_item_id"]]
    return pd.DataFrame({
        t("coverage.col.plan_item", lang): works["plan_item_id"].astype(str).to_numpy(),
        t("coverage.col.work", lang): _bilingual(works["name"], names_en, lang),
        t("coverage.col.mode", lang): [maybe(f"coverage.mode.{m}", lang, str(m)) for m in works["mode"]],
        t("coverage.col.status", lang): [maybe(f"ui.status.{v}", lang, str(v)) for v in works["status"]],
        t("coverage.col.quality", lang): [maybe(f"coverage.quality.{v}", lang, str(v)) for v in works["quality"]],
        t("coverage.col.km", lang): works["km"].round(1).to_numpy(),
        t("coverage.col.counted", lang): [t("coverage.counted." + ("yes" if v else "no"), lang)
                                          for v in works["counted"]],
    })


def lengths_table(vs: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """City-wide route length vs the plan's 2030 targets (479 km railway, 865 km expressway)."""
    return pd.DataFrame({
        t("coverage.col.mode", lang): [t(f"coverage.mode.{m}", lang) for m in vs["mode"]],
        t("coverage.col.target_km", lang): vs["target_2030_km"].round(0).to_numpy(),
        t("coverage.col.km_2025", lang): vs["route_km_2025"].round(1).to_numpy(),
        t("coverage.col.km_2030", lang): vs["route_km_2030"].round(1).to_numpy(),
        t("coverage.col.km_2030_complete", lang): vs["route_km_2030_complete"].round(1).to_numpy(),
        t("coverage.col.schematic_share", lang): (vs["schematic_share_2030"] * 100).round(0).to_numpy(),
        t("coverage.col.gap", lang): vs["gap_2030_km"].round(1).to_numpy(),
    })


@st.cache_data(show_spinner=False, max_entries=16)
def _results(_data: Any, data_key: str, detour: float, speed: float, access: float,
             only_complete: bool = False) -> pd.DataFrame:
    a = cov.Assumptions(detour_factor=detour, road_speed_kmh=speed, access_min=access)
    return cov.coverage_scenarios(_data, assumptions=a,
                                  plan_statuses=cov.COMPLETE_BY_2030 if only_complete else None)


@st.cache_data(show_spinner=False, max_entries=4)
def _lengths(_data: Any, data_key: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lengths = cov.network_lengths(_data)
    return lengths, cov.length_vs_targets(_data, lengths), cov.planned_work_lengths(_data)


def _line_names(data: Any, names: Any, lang: str) -> list[str]:
    """Line names as shown: Chinese, or in English the English name with the Chinese beside it."""
    if lang != "en":
        return [str(n) for n in names]
    english: dict[str, str] = {}
    for layer in ("expressways", "planned_works"):
        gdf = data.networks.get(layer)
        if gdf is not None and len(gdf) and "name_en" in gdf.columns:
            english.update(zip(gdf["name"].astype(str), gdf["name_en"].astype(str), strict=True))
    return [f"{english[n]} ({n})" if english.get(n) else str(n) for n in map(str, names)]


@st.cache_data(show_spinner=False, max_entries=4)
def _gaps(_data: Any, data_key: str, scenario: str) -> pd.DataFrame:
    return cov.entrance_gaps(_data, scenario=scenario)


def _csv(df: pd.DataFrame, a: cov.Assumptions) -> bytes:
    return (f"# {a.short()}\n" + df.to_csv(index=False)).encode("utf-8-sig")


def render(data: Any, *, lang: str, basemap: str = "osm") -> None:
    """The coverage tab (scenario/target toggles, county table, change chart, seats, lengths, downloads).

    ``basemap``: the app's basemap key; the coverage map follows it when its tiles are in WGS84 and need no key
    (``none`` draws without any tile request), else it uses OpenStreetMap."""
    st.markdown(f"### {t('coverage.tab_title', lang)}")
    st.caption(t("coverage.intro", lang))
    if data is None or len(getattr(data, "towns", [])) == 0:
        st.info(t("coverage.no_data", lang))
        return
    c1, c2, c3 = st.columns(3)
    scenario = c1.radio(t("coverage.scenario", lang), cov.SCENARIOS, index=0, horizontal=True, key="cov_scenario",
                        format_func=lambda s: t(f"coverage.scenario.{s}", lang))
    target = c2.radio(t("coverage.target", lang), cov.TARGETS, index=0, horizontal=True, key="cov_target",
                      format_func=lambda s: t(f"coverage.target.{s}", lang))
    origin_kind = c3.radio(t("coverage.origin_kind", lang), ("town", "park"), index=0, horizontal=True,
                           key="cov_origin", format_func=lambda s: t(f"coverage.origin.{s}", lang))
    d = cov.Assumptions()
    with st.expander(t("coverage.assumptions_heading", lang)):
        e1, e2, e3 = st.columns(3)
        detour = e1.number_input(t("coverage.detour", lang), min_value=1.0, max_value=3.0, value=d.detour_factor,
                                 step=0.05, key="cov_detour")
        speed = e2.number_input(t("coverage.speed", lang), min_value=5.0, max_value=120.0, value=d.road_speed_kmh,
                                step=5.0, key="cov_speed")
        access = e3.number_input(t("coverage.access_min", lang), min_value=0.0, max_value=120.0,
                                 value=d.access_min, step=1.0, key="cov_access")
    only_complete = st.checkbox(t("coverage.only_complete", lang), value=False, key="cov_only_complete",
                                help=t("coverage.only_complete_help", lang))
    a = cov.Assumptions(detour_factor=float(detour), road_speed_kmh=float(speed), access_min=float(access))
    data_key = str(id(data))
    results = _results(data, data_key, a.detour_factor, a.road_speed_kmh, a.access_min, bool(only_complete))
    results.attrs["assumptions"] = {"detour_factor": a.detour_factor, "road_speed_kmh": a.road_speed_kmh,
                                    "access_min": a.access_min}
    shares = cov.county_shares(results, data)

    if target == "expressway":
        gaps = _gaps(data, data_key, scenario)
        missing = gaps[(gaps["n_entrances"] == 0) | (gaps["max_gap_km"] > GAP_WARN_KM)]
        if len(missing):
            st.warning(t("coverage.entrance_gaps", lang, n=len(missing), total=len(gaps),
                         names=("、" if lang == "zh" else ", ").join(_line_names(data, missing["name"], lang))))

    # --- per-county table
    st.markdown(f"#### {t('coverage.table_heading', lang)}")
    table = shares_table(shares, lang=lang, scenario=scenario, target=target, origin_kind=origin_kind)
    if origin_kind == "park" and table.empty:
        st.info(t("coverage.no_parks", lang))
    pct_cols = [c for c in table.columns if c.startswith("≤")]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(c, format="%.0f%%") for c in pct_cols})
    st.caption(a.text(lang) + " " + t("coverage.table_note", lang))
    st.download_button(t("coverage.download_shares", lang), _csv(shares, a), file_name="coverage_by_county.csv",
                       mime="text/csv", key="cov_dl_shares")
    st.download_button(t("coverage.download_towns", lang), _csv(results, a), file_name="coverage_towns_parks.csv",
                       mime="text/csv", key="cov_dl_towns")

    # --- map of the towns by band
    rings = st.multiselect(t("coverage.rings", lang), list(cov.KM_THRESHOLDS), default=[], key="cov_rings")
    bm = get_basemap(basemap) if basemap in BASEMAP_KEYS else None
    bm_key = bm.key if bm is not None and bm.datum == "wgs84" and not bm.needs_key else "osm"
    # zoom_snap as the main map: the fit fills the frame instead of dropping a whole zoom level
    fmap = folium.Map(location=[37.35, 116.75], zoom_start=8, tiles=None, zoom_snap=ZOOM_SNAP)
    add_basemap(fmap, bm_key, lang=lang)
    # faint county outlines under the towns, and the map fitted to the city (as the main map's city view)
    city = build_view(data, "city", lang=lang, simplify_m=DEFAULT_SIMPLIFY_M)
    county_outlines_layer(city)[0].add_to(fmap)
    coverage_layer(data, results, lang=lang, scenario=scenario, target=target, rings_km=rings).add_to(fmap)
    bounds = outline_bounds(city)
    if bounds is not None:
        fmap.fit_bounds(bounds, padding=(10, 10))
    # the same path as the main map: assets from /app/static/vendor, no CDN
    show_map(fmap, view=(scenario, target, origin_kind, tuple(rings), bm_key, lang), height=480,
             key_prefix="cov_map_", returned_objects=[])
    st.caption(" · ".join(label for _, _, label in legend_entries(lang)) + " — " + a.text(lang))

    # --- change 2025 -> 2030
    st.markdown(f"#### {t('coverage.chart_heading', lang)}")
    chg = median_change(shares, lang=lang, target=target, origin_kind=origin_kind)
    if not chg.empty:
        st.bar_chart(chg, stack=False)
    st.markdown(f"#### {t('coverage.change_heading', lang)}")
    gt = gains_table(results, lang=lang, target=target, data=data)
    st.dataframe(gt, hide_index=True, width="stretch")
    st.caption(a.text(lang) + " " + t("coverage.change_note", lang))
    st.download_button(t("coverage.download_gains", lang), _csv(cov.gains(results), a),
                       file_name="coverage_gains_2025_2030.csv", mime="text/csv", key="cov_dl_gains")

    # --- county seats
    st.markdown(f"#### {t('coverage.seats_heading', lang)}")
    check = cov.seat_check(results, data)
    st.dataframe(seats_table(check, lang=lang, target=target, data=data), hide_index=True, width="stretch")
    st.caption(a.text(lang) + " " + t("coverage.seats_note", lang))
    st.download_button(t("coverage.download_seats", lang), _csv(check, a), file_name="coverage_county_seats.csv",
                       mime="text/csv", key="cov_dl_seats")

    # --- network lengths vs targets
    st.markdown(f"#### {t('coverage.lengths_heading', lang)}")
    lengths, vs, works = _lengths(data, data_key)
    st.dataframe(lengths_table(vs, lang=lang), hide_index=True, width="stretch")
    st.caption(t("coverage.lengths_note", lang, buffer=f"{cov.ROUTE_BUFFER_M:g}"))
    per_county = county_lengths_table(lengths, lang=lang)
    if len(per_county):
        st.markdown(f"##### {t('coverage.county_lengths_heading', lang)}")
        st.dataframe(per_county, hide_index=True, width="stretch")
    if len(works):
        st.markdown(f"##### {t('coverage.works_heading', lang)}")
        st.dataframe(works_table(works, lang=lang, data=data), hide_index=True, width="stretch")
    st.download_button(t("coverage.download_lengths", lang), lengths.to_csv(index=False).encode("utf-8-sig"),
                       file_name="network_lengths.csv", mime="text/csv", key="cov_dl_lengths")
