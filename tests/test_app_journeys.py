"""Issue 11 (the three journeys): AppTests of the language switch, the open tab in links, the multiselects'
language and the details panel's escaping."""

from __future__ import annotations

import pytest
from apptest_support import open_tab, run_app

from i18n import t

pytestmark = pytest.mark.apptest

ZHUA = "371425104000"  # 祝阿镇, Zhu'a Town: an apostrophe in the English name


def test_language_switch_sends_the_view_back_in_the_new_language():
    """Item 1: after a switch the browser must get each choice widget's value with the new language's label
    (Streamlit keeps the label, not the code, in the browser); otherwise the next click resets it."""
    at = run_app(unit="371482", basemap="osm", category="park", status="planned", tab="county")
    assert at.session_state["main_tab"] == t("ui.tab.county", "zh")  # the link's tab is open
    at.radio(key="lang").set_value("en").run()
    unit = at.selectbox(key="unit")
    assert unit.value == "371482"
    assert unit.proto.set_value and unit.proto.raw_value == "Yucheng City (禹城市)"
    basemap = at.selectbox(key="basemap")
    assert basemap.proto.set_value and basemap.proto.raw_value == t("ui.basemap.osm", "en")
    cat = at.multiselect(key="f_category")
    assert cat.proto.set_value and list(cat.proto.raw_values) == [t("layers.category.park", "en")]
    status = at.multiselect(key="f_status")
    assert list(status.proto.raw_values) == [t("ui.status.planned", "en")]
    assert at.session_state["main_tab"] == t("ui.tab.county", "en")
    assert dict(at.query_params) == {"lang": "en", "unit": "371482", "basemap": "osm", "category": "park",
                                     "status": "planned", "tab": "county"}
    at.toggle(key="layer__water").set_value(True).run()  # a later click sends the same values again (every run
    # does: ui.sidebar.resend_view_values), still with the new language's label
    unit = at.selectbox(key="unit")
    assert unit.proto.set_value and unit.proto.raw_value == "Yucheng City (禹城市)"
    assert at.toggle(key="layer__water").proto.set_value and at.toggle(key="layer__water").proto.value is True
    assert at.query_params["unit"] == "371482" and at.query_params["tab"] == "county"
    at.radio(key="lang").set_value("zh").run()
    assert at.selectbox(key="unit").proto.raw_value == "禹城市"
    assert at.header[0].value.startswith("禹城市")


def test_share_link_keeps_the_tab_looked_at_before():
    at = run_app(unit="371425", tab="county")
    at = open_tab(at, "share")
    assert at.query_params["tab"] == "share"  # the address bar: the open tab
    link = at.code[0].value
    assert "tab=county" in link and "unit=371425" in link  # the offered link: the view before Share


def test_multiselects_speak_chinese():
    """Item 8: no English 'Choose options' placeholder and no English-only 'Select all' row in zh."""
    at = run_app()
    boxes = [at.multiselect(key=k) for k in ("f_industry", "f_status", "f_category")]
    assert all(b.proto.placeholder == t("ui.choose.many", "zh") == "请选择（可多选）" for b in boxes)
    assert all(b.proto.select_all == 0 for b in boxes)
    at = run_app(lang="en")
    boxes = [at.multiselect(key=k) for k in ("f_industry", "f_status", "f_category")]
    assert all(b.proto.placeholder == "Choose options" and b.proto.select_all != 0 for b in boxes)


def test_details_escape_once():
    """Item 2: "Zhu'a Town" reaches Markdown with one backslash escape, never as an HTML entity."""
    at = run_app(lang="en", selected=ZHUA)
    texts = [m.value for m in at.markdown]
    assert r"*Zhu\'a Town*" in texts, texts
    assert not any("&#x27;" in s or "&amp;" in s for s in texts)


def _fit(at) -> list[list[float]]:
    from test_app_search_share import fit_bounds

    return fit_bounds(at)


def test_search_offers_the_county_first_and_says_when_capped(data):
    """Item 6: 'qh' lists 齐河县 first; the header says 'first 15 of N'; picking the county opens it."""
    at = run_app()
    at.text_input(key="search_q").set_value("qh").run()
    pick = at.selectbox(key="search_pick")
    assert pick.options[0] == "齐河县 · 区县 / 功能区"
    m = __import__("re").fullmatch(r"搜索结果（前 15 项，共 (\d+) 项）：选择后在地图上定位", pick.label)
    assert m and int(m.group(1)) > 15 and len(pick.options) == 15
    pick.set_value("unit:371425").run()
    assert at.session_state["unit"] == "371425" and at.query_params["unit"] == "371425"
    assert at.selectbox(key="unit").value == "371425"


def test_picking_a_thing_of_another_county_opens_that_county(data):
    """Item 6 (browser walk): in 齐河县, picking 徐园子乡 (庆云县) zoomed to an empty corner at 500 m, because 齐河's
    map holds no area of a 庆云 town; the search covers the city, so the pick opens the thing's county."""
    xuyuanzi = "371423203000"
    at = run_app(unit="371425")
    at.text_input(key="search_q").set_value("徐园子").run()
    at.selectbox(key="search_pick").set_value(xuyuanzi).run()
    assert at.session_state["unit"] == "371423" and at.query_params["unit"] == "371423"
    assert at.query_params["selected"] == xuyuanzi
    area = data.town_areas[data.town_areas["code"].astype(str) == xuyuanzi].geometry.iloc[0]
    (s, w), (n, e) = _fit(at)
    minx, miny, maxx, maxy = area.bounds
    assert s <= miny and n >= maxy and w <= minx and e >= maxx  # the town's area, not ±0.02° around its point
    # a thing of the open county keeps the county; an item of several counties opens the city
    items = data.items
    own = items[items["units"] == "371423"].iloc[0]
    at.text_input(key="search_q").set_value(own["name_zh"]).run()
    at.selectbox(key="search_pick").set_value(own["id"]).run()
    assert at.session_state["unit"] == "371423"
    shared = items[items["units"].str.contains(";") & ~items["units"].str.contains("371423")].iloc[0]
    at.text_input(key="search_q").set_value(shared["name_zh"]).run()
    at.selectbox(key="search_pick").set_value(shared["id"]).run()
    assert at.session_state["unit"] == "city" and at.query_params["selected"] == shared["id"]


def test_picking_an_item_zooms_to_its_real_precision(data):
    """Item 6: a county-only item fits its county's outline; a town-precision item its town's area."""
    items = data.items
    county_item = items[(items["precision"] == "county") & (items["units"] == "371425")].iloc[0]
    qihe = data.counties[data.counties["adcode"].astype(str) == "371425"].geometry.iloc[0]
    at = run_app(selected=county_item["id"])
    (s, w), (n, e) = _fit(at)
    minx, miny, maxx, maxy = qihe.bounds
    assert s <= miny and w <= minx and n >= maxy and e >= maxx  # the whole county in view
    assert (n - s) < (maxy - miny) + 0.1  # ... and not much more (it was ±0.02° around the badge)
    town_item = items[items["precision"] == "town"].iloc[0]
    area = data.town_areas[data.town_areas["code"].astype(str) == str(town_item["town_code"])].geometry.iloc[0]
    at = run_app(selected=town_item["id"])
    (s, w), (n, e) = _fit(at)
    minx, miny, maxx, maxy = area.bounds
    assert s <= miny and n >= maxy and w <= minx and e >= maxx
    assert (n - s) < (maxy - miny) + 0.05


def test_county_list_grouped_parks_first_and_opens_details(data):
    """Item 5b: the county view lists the unit's items by category, parks first; a click opens the details
    (by the stable id) and the link holds the selection."""
    from ui.data import items_for_unit

    mine = items_for_unit(data.items, "371425")
    n_parks = int((mine["category"] == "park").sum())
    at = open_tab(run_app(unit="371425"), "county")
    labels = [e.label for e in at.expander]
    assert labels[0] == f"园区（{n_parks}）" and n_parks > 0
    assert sum(int(__import__("re").search(r"（(\d+)）", x).group(1)) for x in labels if "（" in x) == len(mine)
    park = mine[mine["category"] == "park"].sort_values("id").iloc[0]
    button = at.button(key=f"open_item__{park['id']}")
    assert button.label.startswith(park["name_zh"])
    button.click().run()
    assert at.session_state["selected"] == park["id"] and at.query_params["selected"] == park["id"]
    assert f"#### {park['name_zh']}" in [m.value for m in at.markdown]


def test_county_badge_popup_groups_parks_first():
    from layers.popups import county_only_popup_html

    items = [{"id": "transport-x", "name_zh": "某铁路", "category": "transport", "status": "planned"},
             {"id": "park-x", "name_zh": "某产业园", "category": "park", "status": "planned"},
             {"id": "other-x", "name_zh": "国家农作物制种大县", "category": "other", "status": "planned"}]
    html = county_only_popup_html("齐河县", items, "zh")
    assert html.index("园区 (1)") < html.index("某产业园") < html.index("交通") < html.index("某铁路") < html.index(
        "国家农作物制种大县")
    # within the parks: the parks proper first; a cluster or a base the plan lists among them is named as such
    parks = [{"id": "park-a", "name_zh": "制种基地", "category": "park", "subtype": "base"},
             {"id": "park-b", "name_zh": "某集群", "category": "park", "subtype": "cluster"},
             {"id": "park-c", "name_zh": "某开发区", "category": "park", "subtype": "development_zone"},
             {"id": "park-d", "name_zh": "某园", "category": "park", "subtype": "industrial_park"}]
    html = county_only_popup_html("齐河县", parks, "zh")
    assert html.index("某开发区") < html.index("某园") < html.index("某集群") < html.index("制种基地")
    assert "某集群 <small>（产业集群）</small>" in html and "制种基地 <small>（基地）</small>" in html
    assert "某园 <small>" not in html
    en = county_only_popup_html("Qihe", parks, "en")
    assert "制种基地 <small>(base)</small>" in en  # no English name: the Chinese one


def test_industry_filter_shades_counties_and_counts_them(data):
    """Item 5c: with an industry filter on, the map shades the counties by matching items (tooltip with the
    count, legend section) and the county view lists the counts per county."""
    import re

    from layers.match_shading import match_counts
    from ui.data import filter_items

    tag = "生物医药"
    matching = filter_items(data.items, industry=(tag,))
    counts = match_counts(matching)
    assert counts and max(counts.values()) >= 1
    at = run_app(industry=tag)
    script = __import__("apptest_support").folium_args(at)["script"]
    shaded = {c for c, n in counts.items() if n and c != "tianqu"}
    for code in shaded:
        name = data.units.set_index("code").loc[code, "name_zh"]
        assert f"{name}：{counts[code]} 项符合筛选" in script, name
    legend = __import__("json").dumps(t("layers.name.match", "zh"))[1:-1]
    assert t("layers.name.match", "zh") in script or legend in script  # legend section (JSON-escaped)
    plain = run_app()
    assert "项符合筛选" not in __import__("apptest_support").folium_args(plain)["script"]
    at = open_tab(at, "county")
    table = next(d.value for d in at.dataframe if t("ui.col.matching", "zh") in d.value.columns)
    got = dict(zip(table[t("ui.col.units", "zh")], table[t("ui.col.matching", "zh")], strict=True))
    assert got["齐河县"] == counts.get("371425", 0) and sum(got.values()) == sum(counts.values())
    assert re.search(rf"当前筛选：{len(matching)} 项匹配", " ".join(c.value for c in at.caption))


def test_city_wide_list_builds_only_the_open_group_a_page_at_a_time(data):
    """Issue 11 item 5b, city-wide (~500 items): one collapsed section per category with its count; only the open
    group's entries are built, PAGE at a time; another group opens on demand and its entry opens the details
    under it, by id."""
    from ui.county_list import PAGE

    items = data.items
    n_parks = int((items["category"] == "park").sum())
    at = open_tab(run_app(), "county")
    labels = [e.label for e in at.expander]
    assert labels[0] == f"园区（{n_parks}）" and n_parks > PAGE
    counts = [int(__import__("re").search(r"（(\d+)）", x).group(1)) for x in labels if "（" in x]
    assert sum(counts) == len(items) > 400
    entries = [b for b in at.button if b.key and b.key.startswith("open_item__")]
    from ui.county_list import groups

    park_group = groups(items)[0][1]
    assert park_group["subtype"].tolist()[0] == "development_zone" and park_group["subtype"].tolist()[-1] == "base"
    first_parks = park_group["id"].head(PAGE).tolist()
    assert [b.key.removeprefix("open_item__") for b in entries] == first_parks  # one page of the open group
    first = items.set_index("id").loc[first_parks[0]]
    from ui.county_panel import unit_names_text

    # city-wide each entry names its counties
    assert entries[0].label.startswith(f"{first['name_zh']} · {unit_names_text(first['units'], data.units, 'zh')}")
    more = at.button(key="item_more__park")
    assert more.label == f"显示更多（还有 {n_parks - PAGE} 项未显示）"
    more.click().run()
    assert len([b for b in at.button if b.key and b.key.startswith("open_item__")]) == 2 * PAGE
    # a closed group builds nothing until it is opened
    transport = items[items["category"] == "transport"].sort_values("id")
    assert not any(b.key == f"open_item__{transport['id'].iloc[0]}" for b in at.button)
    at.session_state["item_group__transport"] = True
    at.run()
    work = transport.iloc[0]
    at.button(key=f"open_item__{work['id']}").click().run()
    assert at.session_state["selected"] == work["id"] and at.query_params["selected"] == work["id"]
    assert f"#### {work['name_zh']}" in [m.value for m in at.markdown]


def test_county_list_speaks_english(data):
    at = open_tab(run_app(unit="371425", lang="en"), "county")
    labels = [e.label for e in at.expander]
    assert labels[0].startswith("Park (") and all("（" not in x for x in labels)
    from geo.schema import STATUSES

    words = {t(f"ui.status.{s}", "en") for s in STATUSES}
    entries = [b.label for b in at.button if b.key and b.key.startswith("open_item__")]
    assert entries and all(x.rsplit(" · ", 1)[-1] in words for x in entries)
