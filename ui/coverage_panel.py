"""The coverage tab: access of towns and parks to expressway entrances, railway and HSR stations (2025 vs 2030).

Pure table builders (``shares_table``, ``gains_table``, ``seats_table``, ``lengths_table``) + :func:`render`
(Streamlit). All figures come from :mod:`geo.coverage` — the same functions the CLI uses — and every table is
shown next to the assumptions it depends on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from geo import coverage as cov
from geo.export import formula_safe_frame
from geo.load import PlanData, content_key, unit_names
from i18n import t
from layers.coverage import coverage_map, legend_entries, map_basemap
from ui.map_view import show_map
from ui.text import maybe
from ui.widgets import multiselect_text

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
    if "n_assumed" in s.columns:
        out[t("coverage.col.n_assumed", lang)] = s["n_assumed"].to_numpy()
        out[t("coverage.col.n_outside", lang)] = s["n_outside"].to_numpy()
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


def gains_table(results: pd.DataFrame, *, lang: str, target: str, n: int = 15, data: PlanData | None = None,
                to: str = "2030") -> pd.DataFrame:
    """The ``n`` towns with the largest 2025→``to`` time reduction for ``target`` (only those that gain); the last
    column says when the 2030 figure rests on an assumption or on a neighbouring city's target."""
    g = cov.gains(results, target=target, to=to)
    g = g[g["gain_min"] > 1e-9].head(n)
    name = g["name_en"] if lang == "en" else g["name_zh"]
    names = unit_names(data.units if data is not None else None)
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
        t("coverage.col.basis", lang): [_basis_word(a, o, lang) for a, o in
                                        zip(g.get("rests_on_assumption_2030", [False] * len(g)),
                                            g.get("target_outside_2030", [False] * len(g)), strict=True)],
    })


def _basis_word(assumed: Any, outside: Any, lang: str) -> str:
    """'assumed entrance' / 'outside Dezhou' / both or '' for one figure."""
    words = ([t("coverage.basis.assumed", lang)] if bool(assumed) else []) + \
        ([t("coverage.flag.outside", lang)] if bool(outside) else [])
    return "；".join(words) if lang == "zh" else "; ".join(words)


def _bilingual(zh: Any, en: Any, lang: str) -> list[str]:
    """Names as shown: Chinese, or in English the English name with the Chinese beside it (when there is one)."""
    zh_l = ["" if pd.isna(z) else str(z) for z in zh]
    if lang != "en" or en is None:
        return zh_l
    en_l = ["" if pd.isna(e) else str(e) for e in en]
    return [f"{e} ({z})" if e and z and e != z else (e or z) for z, e in zip(zh_l, en_l, strict=True)]


def _town_names_en(data: PlanData | None) -> dict[str, str]:
    if data is None:
        return {}
    towns = data.towns
    if not len(towns) or "name_en" not in towns.columns:
        return {}
    return dict(zip(towns["code"].astype(str), towns["name_en"].astype(str), strict=True))


def seats_table(check: pd.DataFrame, *, lang: str, target: str, data: PlanData | None = None) -> pd.DataFrame:
    """County seats vs the 30-minute standard for ``target`` in each scenario of ``check`` (minutes and met /
    not met per scenario; a figure resting on an assumed entrance or on a target placed at the seat's own point
    says so in its cell, e.g. "达标（推定入口）"). Seat in English with the Chinese beside it when ``data`` gives the
    town's English name."""
    c = check[check["target"] == target]
    en = _town_names_en(data)
    seat_en = [en.get(str(code), "") for code in c["town_code"]] if "town_code" in c.columns else None
    out = pd.DataFrame({
        t("coverage.col.county", lang): [_county_label(r, lang) for _, r in c.iterrows()],
        t("coverage.col.seat", lang): _bilingual(c["seat_zh"], seat_en, lang),
        t("coverage.col.certainty", lang): [maybe(f"coverage.certainty.{v}", lang, str(v)) for v in c["certainty"]],
    })
    for scen in cov.SCENARIOS:
        if f"minutes_{scen}" not in c.columns:
            continue
        label = t(f"coverage.scenario.{scen}", lang)
        out[t("coverage.col.minutes_in", lang, scenario=label)] = c[f"minutes_{scen}"].round(1).to_numpy()
        out[t("coverage.col.meets_in", lang, scenario=label)] = [
            _meets_word(bool(m), bool(a), bool(p), lang) for m, a, p in
            zip(c[f"meets_{scen}"], c.get(f"assumed_{scen}", [False] * len(c)),
                c.get(f"at_point_{scen}", [False] * len(c)), strict=True)]
    return out


def _meets_word(meets: bool, assumed: bool, at_point: bool, lang: str) -> str:
    word = t("coverage.meets" if meets else "coverage.fails", lang)
    if at_point:
        return t("coverage.meets_qualified", lang, word=word, why=t("coverage.basis.at_point", lang))
    if assumed:
        return t("coverage.meets_qualified", lang, word=word, why=t("coverage.basis.assumed", lang))
    return word


def county_lengths_table(lengths: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Route km per county (rows) and mode/scenario (columns, translated headers such as 'Expressway 2030 (km)')."""
    per = lengths[lengths["county"] != "city"]
    if per.empty:
        return pd.DataFrame()
    label = "county_name_en" if lang == "en" else "county_name_zh"
    wide = per.pivot_table(index=label, columns=["mode", "scenario"], values="route_km", aggfunc="first",
                           sort=False).round(1)
    wide.columns = [t("coverage.col.mode_year_km", lang, mode=maybe(f"coverage.mode.{m}", lang, str(m)),
                      year=maybe(f"coverage.scenario.{y}", lang, str(y))) for m, y in wide.columns]
    wide.index.name = t("coverage.col.county", lang)
    return wide.reset_index()


def works_table(works: pd.DataFrame, *, lang: str, data: PlanData | None = None) -> pd.DataFrame:
    """Planned rail/expressway works drawn: translated headers, mode, plan status, geometry quality, counted
    (in English the plan item's English name from ``data.items`` beside the Chinese)."""
    items = data.items if data is not None else None
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
        t("coverage.col.schematic_share_pct", lang): (vs["schematic_share_2030"] * 100).round(0).to_numpy(),
        t("coverage.col.gap", lang): vs["gap_2030_km"].round(1).to_numpy(),
    })


@st.cache_data(show_spinner=False, max_entries=16)
def _results(_data: PlanData, data_key: str, detour: float, speed: float, access: float) -> pd.DataFrame:
    a = cov.Assumptions(detour_factor=detour, road_speed_kmh=speed, access_min=access)
    return cov.coverage_scenarios(_data, assumptions=a)


@st.cache_data(show_spinner=False, max_entries=4)
def _lengths(_data: PlanData, data_key: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lengths = cov.network_lengths(_data)
    return lengths, cov.length_vs_targets(_data, lengths), cov.planned_work_lengths(_data)


def _line_names(data: PlanData, names: Any, lang: str) -> list[str]:
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
def _gaps(_data: PlanData, data_key: str, scenario: str) -> pd.DataFrame:
    return cov.entrance_gaps(_data, scenario=scenario)


def _csv(df: pd.DataFrame, a: cov.Assumptions) -> bytes:
    return (f"# {a.short()}\n" + formula_safe_frame(df).to_csv(index=False)).encode("utf-8-sig")


@dataclass(frozen=True)
class Choice:
    """What the user picked at the top of the tab."""

    scenario: str
    target: str
    origin_kind: str
    assumptions: cov.Assumptions


def _controls(lang: str) -> Choice:
    """Scenario / target / origin radios and the assumptions expander."""
    c1, c2, c3 = st.columns(3)
    scenario = c1.radio(t("coverage.scenario", lang), cov.SCENARIOS, index=0, key="cov_scenario",
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
    a = cov.Assumptions(detour_factor=float(detour), road_speed_kmh=float(speed), access_min=float(access))
    return Choice(scenario=str(scenario), target=str(target), origin_kind=str(origin_kind), assumptions=a)


def summary_text(results: pd.DataFrame, *, lang: str, scenario: str, target: str, origin_kind: str = "town") -> str:
    """One line for the scenario/target/origin kind: how many figures there are, how many rest on an assumed
    entrance or on a target placed at the origin's own point, and how many reach a neighbouring city's target."""
    r = results[(results["scenario"] == scenario) & (results["target"] == target)
                & (results["origin_kind"] == origin_kind)]
    return t("coverage.summary", lang, n=len(r), within30=int((r["minutes"] <= 30).sum()),
             assumed=int(r["rests_on_assumption"].sum()), at_point=int(r["at_target_point"].sum()),
             outside=int(r["target_outside"].sum()), scenario=t(f"coverage.scenario.{scenario}", lang),
             target=t(f"coverage.target.{target}", lang))


def _gap_warning(data: PlanData, choice: Choice, data_key: str, lang: str) -> None:
    if choice.target != "expressway":
        return
    gaps = _gaps(data, data_key, choice.scenario)
    missing = gaps[(gaps["n_entrances"] == 0) | (gaps["max_gap_km"] > GAP_WARN_KM)]
    if len(missing):
        st.warning(t("coverage.entrance_gaps", lang, n=len(missing), total=len(gaps),
                     names=("、" if lang == "zh" else ", ").join(_line_names(data, missing["name"], lang))))


def _county_table_section(results: pd.DataFrame, shares: pd.DataFrame, choice: Choice, lang: str) -> None:
    a = choice.assumptions
    st.markdown(f"#### {t('coverage.table_heading', lang)}")
    table = shares_table(shares, lang=lang, scenario=choice.scenario, target=choice.target,
                         origin_kind=choice.origin_kind)
    if choice.origin_kind == "park" and table.empty:
        st.info(t("coverage.no_parks", lang))
    pct_cols = [c for c in table.columns if c.startswith("≤")]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(c, format="%.0f%%") for c in pct_cols})
    st.caption(a.text(lang) + " " + t("coverage.table_note", lang))
    st.download_button(t("coverage.download_shares", lang), _csv(shares, a), file_name="coverage_by_county.csv",
                       mime="text/csv", key="cov_dl_shares")
    st.download_button(t("coverage.download_towns", lang), _csv(results, a), file_name="coverage_towns_parks.csv",
                       mime="text/csv", key="cov_dl_towns")


def _map_section(data: PlanData, results: pd.DataFrame, choice: Choice, *, unit: str, basemap: str, lang: str) -> None:
    rings = st.multiselect(t("coverage.rings", lang), list(cov.KM_THRESHOLDS), default=[], key="cov_rings",
                           **multiselect_text(lang))
    fmap = coverage_map(data, results, lang=lang, scenario=choice.scenario, target=choice.target, unit=unit,
                        rings_km=rings, basemap=basemap)
    show_map(fmap, view=(choice.scenario, choice.target, choice.origin_kind, tuple(rings), map_basemap(basemap),
                         unit, lang), height=480, key_prefix="cov_map_", returned_objects=[])
    st.caption(" · ".join(label for _, _, label in legend_entries(lang)) + " — " + t("coverage.map_note", lang)
               + " " + choice.assumptions.text(lang))


def _change_section(data: PlanData, results: pd.DataFrame, shares: pd.DataFrame, choice: Choice, lang: str) -> None:
    a = choice.assumptions
    st.markdown(f"#### {t('coverage.chart_heading', lang)}")
    chg = median_change(shares, lang=lang, target=choice.target, origin_kind=choice.origin_kind)
    if not chg.empty:
        chg.columns = [t(f"coverage.scenario.{c}", lang) for c in chg.columns]
        st.bar_chart(chg, stack=False)
    to = choice.scenario if choice.scenario != "2025" else "2030"
    st.markdown(f"#### {t('coverage.change_heading', lang, scenario=t(f'coverage.scenario.{to}', lang))}")
    st.dataframe(gains_table(results, lang=lang, target=choice.target, data=data, to=to), hide_index=True,
                 width="stretch")
    st.caption(a.text(lang) + " " + t("coverage.change_note", lang))
    st.download_button(t("coverage.download_gains", lang), _csv(cov.gains(results, to=to), a),
                       file_name=f"coverage_gains_2025_{to}.csv", mime="text/csv", key="cov_dl_gains")


def _seats_section(data: PlanData, results: pd.DataFrame, choice: Choice, lang: str) -> None:
    a = choice.assumptions
    st.markdown(f"#### {t('coverage.seats_heading', lang)}")
    check = cov.seat_check(results, data)
    st.dataframe(seats_table(check, lang=lang, target=choice.target, data=data), hide_index=True, width="stretch")
    st.caption(a.text(lang) + " " + t("coverage.seats_note", lang))
    st.download_button(t("coverage.download_seats", lang), _csv(check, a), file_name="coverage_county_seats.csv",
                       mime="text/csv", key="cov_dl_seats")


def _lengths_section(data: PlanData, data_key: str, lang: str) -> None:
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
    st.download_button(t("coverage.download_lengths", lang), formula_safe_frame(lengths).to_csv(index=False).encode("utf-8-sig"),
                       file_name="network_lengths.csv", mime="text/csv", key="cov_dl_lengths")


def render(data: PlanData, *, lang: str, basemap: str = "osm", unit: str = "city") -> None:
    """The coverage tab: controls, summary, per-county table, map (fitted to ``unit``), change 2025→2030, county
    seats, network lengths, method. ``basemap``: the app's basemap key (see :func:`layers.coverage.map_basemap`)."""
    st.markdown(f"### {t('coverage.tab_title', lang)}")
    st.caption(t("coverage.intro", lang))
    if len(data.towns) == 0:
        st.info(t("coverage.no_data", lang))
        return
    choice = _controls(lang)
    a = choice.assumptions
    data_key = content_key(data)
    results = _results(data, data_key, a.detour_factor, a.road_speed_kmh, a.access_min)
    results.attrs["assumptions"] = {"detour_factor": a.detour_factor, "road_speed_kmh": a.road_speed_kmh,
                                    "access_min": a.access_min}
    shares = cov.county_shares(results, data)
    st.info(summary_text(results, lang=lang, scenario=choice.scenario, target=choice.target,
                         origin_kind=choice.origin_kind))
    _gap_warning(data, choice, data_key, lang)
    _county_table_section(results, shares, choice, lang)
    _map_section(data, results, choice, unit=unit, basemap=basemap, lang=lang)
    _change_section(data, results, shares, choice, lang)
    _seats_section(data, results, choice, lang)
    _lengths_section(data, data_key, lang)
    with st.expander(t("coverage.method_heading", lang)):
        st.markdown(t("coverage.method_text", lang, near_km="50", assumed_km=f"{cov.AT_POINT_KM:g}"))
