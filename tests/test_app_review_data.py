"""The app serves the shipped data with the approved changes of the review store, to every session, and keeps
serving the shipped data (saying so) when the store cannot be opened."""

from __future__ import annotations

import pytest
from app_review_support import NINGJIN, NINGJIN_PARK
from apptest_support import folium_args, open_tab, run_app
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from i18n import t

SITE = Point(116.80, 37.65)  # inside 宁津县, near 津城街道


def check_table(at: AppTest):
    return next(d.value for d in at.dataframe if t("ui.col.location_source", "zh") in d.value.columns)


def precision_of(at: AppTest, item_id: str) -> str:
    table = check_table(at)
    return table.loc[table["id"] == item_id, t("ui.col.precision", "zh")].iloc[0]


def place_and_approve(env, data, item_id: str = NINGJIN_PARK, point: Point = SITE) -> int:
    sub = env.store.submit_placement(env.accounts["wang"], data, item_id, point=point, reason="site visit")
    env.store.approve(env.accounts["zhao"], data, sub.id, comment="ok")
    return sub.id


@pytest.mark.apptest
def test_an_approved_placement_is_on_the_map_for_a_new_anonymous_session(review_env, data):
    place_and_approve(review_env, data)
    at = run_app(unit=NINGJIN, selected=NINGJIN_PARK)
    assert not at.exception
    script = folium_args(at)["script"]
    assert "37.65" in script and "116.8" in script  # the park's marker at its site
    placed = t("review.placed_by", "zh", name="wang", unit="宁津县", date="")
    assert placed.split("于")[0] in script  # "由 wang（宁津县）" in the popup, in words
    details = "\n".join(m.value for m in at.markdown)
    assert t("ui.precision.site", "zh") in details and "由 wang（宁津县）于 20" in details
    open_tab(at, "check")
    assert precision_of(at, NINGJIN_PARK) == t("ui.precision.site", "zh")
    table = check_table(at)  # the checklist says who placed it, in words (the raw trail stays in exports)
    source = table.loc[table["id"] == NINGJIN_PARK, t("ui.col.location_source", "zh")].iloc[0]
    assert source.startswith("由 wang（宁津县）于 20") and source.endswith("在地图上定位"), source


@pytest.mark.apptest
def test_an_approval_reaches_an_open_session_at_its_next_rerun(review_env, data):
    at = open_tab(run_app(unit=NINGJIN), "check")
    assert precision_of(at, NINGJIN_PARK) == t("ui.precision.county", "zh")
    place_and_approve(review_env, data)
    at.run()
    assert precision_of(at, NINGJIN_PARK) == t("ui.precision.site", "zh")
    assert not at.sidebar.warning  # the store is fine


@pytest.mark.apptest
def test_a_pending_submission_changes_nothing_for_visitors(review_env, data):
    review_env.store.submit_changes(review_env.accounts["wang"], data, NINGJIN_PARK, {"name_en": "Not yet"})
    at = open_tab(run_app(unit=NINGJIN), "check")
    table = check_table(at)
    assert "Not yet" not in set(table[t("ui.col.name_en", "zh")])


@pytest.mark.apptest
def test_without_a_store_the_app_serves_the_shipped_data_and_says_so(monkeypatch, data):
    monkeypatch.setenv("PLANMAP_DB", "sqlite:////proc/no-such-dir/planmap.sqlite")  # cannot be created
    at = run_app(lang="en")
    assert not at.exception
    assert t("ui.officials.store_unavailable", "en") in [w.value for w in at.sidebar.warning]
    open_tab(at, "county")
    label = t("ui.county.metric.items", "en")
    assert int(next(m.value for m in at.metric if m.label == label)) == len(data.items)
    monkeypatch.setenv("PLANMAP_DB", "oracle://nobody@nowhere/db")  # not a supported database
    at = run_app()
    assert not at.exception
    assert t("ui.officials.store_unavailable", "zh") in [w.value for w in at.sidebar.warning]


def test_placed_by_reads_in_the_interface_language():
    from layers.popups import item_popup_html, location_source_text

    units = {NINGJIN: ("宁津县", "Ningjin County")}
    source = "placed by 王伟, 371422 宁津县, 2026-03-01"
    assert location_source_text(source, "zh", units) == "由 王伟（宁津县）于 2026-03-01 在地图上定位"
    assert location_source_text(source, "en", units) == "placed on the map by 王伟 (Ningjin County), 2026-03-01"
    # any other source in user words (issue 11 item 4), not the data file's working text
    assert location_source_text("plan lists it under 宁津县", "en", units) == "County: stated in the plan"
    assert location_source_text("plan lists it under 宁津县", "zh", units) == "区县：规划原文写明"
    evil = "placed by <b>x</b>, 371422 宁津县, 2026-03-01"  # a user name is data: escaped where it enters HTML
    html = item_popup_html({"name_zh": "园", "location_source": evil, "precision": "site"}, "zh", units=units)
    assert "由 &lt;b&gt;x&lt;/b&gt;（宁津县）" in html and "<b>x" not in html


def _listed_parks(at: AppTest) -> int:
    """The '本区县列有 N 项' number beside the parks toggle (plan items of the unit, from the cached facts)."""
    import re

    label = at.toggle(key="layer__parks").label
    found = re.search(r"本区县列有 (\d+) 项", label)
    assert found, label
    return int(found.group(1))


def _industry_options(at: AppTest) -> list[str]:
    return list(at.multiselect(key="f_industry").options)


@pytest.mark.apptest
def test_an_approval_reaches_the_cached_sidebar_facts(review_env, data):
    """The sidebar's options and totals are cached per data version (issue 9 item 10): an approved change of an
    item's category and industry tags shows in them for an open session at its next rerun and for a new one."""
    row = data.items[data.items["id"] == NINGJIN_PARK].iloc[0]
    at = run_app(unit=NINGJIN)  # the facts of the data before the approval are now cached
    parks = _listed_parks(at)
    assert row["category"] == "park" and parks >= 1
    assert not any("测试产业" in o for o in _industry_options(at))
    sub = review_env.store.submit_changes(review_env.accounts["wang"], data, NINGJIN_PARK, {
        "category": "industry_project", "subtype": "project",
        "industry_tags": row["industry_tags"] + ";测试产业", "industry_tags_en": row["industry_tags_en"] + ";Test industry"})
    review_env.store.approve(review_env.accounts["zhao"], data, sub.id, comment="ok")
    for session in (at.run(), run_app(unit=NINGJIN)):  # the open session's next rerun, a new visitor
        assert not session.exception
        assert _listed_parks(session) == parks - 1
        assert any("测试产业" in o for o in _industry_options(session))
