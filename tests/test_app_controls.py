"""AppTest of the sidebar controls: language, unit, layer toggles, basemap, filters (real data)."""

import html
import json
import re

import pytest
from apptest_support import open_tab, run_app
from streamlit.testing.v1 import AppTest

from i18n import t
from layers.map_builder import LAYER_KEYS

pytestmark = pytest.mark.apptest


def map_script(at: AppTest) -> str:
    comps = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return json.loads(comps[0].proto.json_args)["script"]


def overlay_names(at: AppTest) -> list[str]:
    """Names of the layers drawn on the map, as the map's legend lists them (one section per layer with symbols;
    the map has no Leaflet layer control: the sidebar switches layers)."""
    script = map_script(at)
    assert "L.control.layers(" not in script
    return [html.unescape(n) for n in re.findall(r'dz-lg-sec\\?">(.*?)<\\?/div>', script)]


def metric(at: AppTest, key: str, lang: str) -> int:
    label = t(f"ui.{key}", lang)
    return int(next(m.value for m in at.metric if m.label == label))


def n_items(data, unit: str) -> int:
    return sum(unit in str(u).split(";") for u in data.items["units"])


def test_starts_clean_in_chinese(data):
    at = run_app()
    assert not at.exception
    assert [tab.label for tab in at.tabs][:2] == ["地图", "区县概况"]
    open_tab(at, "county")
    assert at.selectbox(key="unit").label == "区县 / 功能区"
    assert metric(at, "county.metric.items", "zh") == len(data.items)
    assert dict(at.query_params) == {"tab": "county"}  # only the open tab differs from the defaults


def test_language_switch_changes_labels(data):
    at = run_app()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert [tab.label for tab in at.tabs][:3] == ["Map", "County view", "City comparison"]
    assert at.selectbox(key="unit").label == "County / zone"
    assert "Qihe County (齐河县)" in at.selectbox(key="unit").options
    assert at.query_params["lang"] == "en"
    assert t("layers.name.counties", "en") in overlay_names(at)


def test_county_select_changes_the_summary_numbers(data):
    at = open_tab(run_app(), "county")
    assert metric(at, "county.metric.items", "zh") == len(data.items)
    for code in ("371425", "371482", "tianqu"):
        at.selectbox(key="unit").set_value(code).run()
        assert not at.exception
        assert metric(at, "county.metric.items", "zh") == n_items(data, code)
        in_unit = data.items["units"].map(lambda u, c=code: c in u.split(";"))
        parks = int(((data.items["category"] == "park") & in_unit).sum())
        assert metric(at, "county.metric.parks", "zh") == parks
        assert at.query_params["unit"] == code
    # the county table lists exactly the unit's items
    assert t("ui.county.table_count", "zh", n=n_items(data, "tianqu")) in [c.value for c in at.caption]
    assert any(len(d.value) == n_items(data, "tianqu") and "id" in d.value.columns for d in at.dataframe)


def test_layer_toggles_decide_the_map_layers():
    at = run_app()
    water = t("layers.name.water", "zh")
    counties = t("layers.name.counties", "zh")
    names = overlay_names(at)
    assert counties in names and water not in names
    at.toggle(key="layer__water").set_value(True).run()
    at.toggle(key="layer__counties").set_value(False).run()
    assert not at.exception
    names = overlay_names(at)
    assert water in names and counties not in names
    layers = at.query_params["layers"].split(",")
    assert "water" in layers and "counties" not in layers


def test_tianditu_asks_for_the_users_key_and_ships_none():
    at = run_app()
    at.selectbox(key="basemap").set_value("tianditu").run()
    assert not at.exception
    key_input = at.text_input(key="tianditu_key")
    assert key_input.value == "" and key_input.proto.type == key_input.proto.PASSWORD
    assert "tk=" not in map_script(at)  # without a key no Tianditu tiles are requested
    assert at.query_params["basemap"] == "tianditu"


def test_filters_narrow_the_selection(data):
    at = open_tab(run_app(unit="371425"), "county")
    at.multiselect(key="f_category").set_value(["park"]).run()
    assert not at.exception
    expected = int(((data.items["category"] == "park") & data.items["units"].map(lambda u: "371425" in u.split(";"))).sum())
    assert t("ui.county.table_count", "zh", n=expected) in [c.value for c in at.caption]
    open_tab(at, "share")
    assert t("ui.share.selection", "zh", n=expected) in [x.value for x in at.text]
    assert at.query_params["category"] == "park"


def test_attribution_is_always_visible_and_map_clicks_only_return_objects():
    at = run_app(unit="371402")
    label = t("ui.attribution.label", "zh")
    side = [c.value for c in at.sidebar.caption if c.value.startswith(label)]
    main = [c.value for c in at.main.caption if c.value.startswith(label)]
    assert side and main
    for text in (side[0], main[0]):
        assert "OpenStreetMap" in text and "ODbL" in text and "CC BY 4.0" in text
        assert "](" not in text  # no repository-relative links
    comps = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    args = json.loads(comps[0].proto.json_args)
    # only clicks on objects come back (the clicked feature with its id, and the click count): panning and
    # zooming do not rerun the app
    assert sorted(args["returned_objects"]) == ["last_active_drawing", "last_object_clicked_count"]
    # the defaults are the component's own start values, in its order: the mounted map has nothing to report
    assert list(args["default"].items()) == [("last_object_clicked_count", 0), ("last_active_drawing", None)]


def test_industry_and_status_filters_from_the_link(data):
    tags = data.items["industry_tags"].fillna("").str.split(";").explode()
    tag = tags[tags != ""].value_counts().index[0]  # the most used industry tag
    at = open_tab(run_app(industry=tag, status="implementing,existing"), "county")
    assert not at.exception
    assert at.multiselect(key="f_industry").value == [tag]
    assert at.multiselect(key="f_status").value == ["implementing", "existing"]
    mask = data.items["industry_tags"].fillna("").map(lambda v: tag in v.split(";")) & data.items["status"].isin(
        ["implementing", "existing"])
    assert t("ui.county.table_count", "zh", n=int(mask.sum())) in [c.value for c in at.caption]
    # the summary numbers stay unfiltered (they describe the unit), the item table follows the filters
    assert int(next(m.value for m in at.metric if m.label == t("ui.county.metric.items", "zh"))) == len(data.items)


def test_city_comparison_tab(data):
    at = open_tab(run_app(lang="en"), "compare")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Qihe County (齐河县)" in set(d.value.iloc[:, 0]))
    assert len(table) == 12
    row = table[table.iloc[:, 0] == "Qihe County (齐河县)"].iloc[0]
    assert row[t("ui.compare.items", "en")] == n_items(data, "371425")
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 1


def test_layer_toggles_say_how_many_plan_items_are_on_the_map_and_listed_for_the_unit(data):
    at = run_app(unit="371425", lang="en")
    parks_in_plan = int(((data.items["category"] == "park")
                         & data.items["units"].str.split(";").map(lambda us: "371425" in us)).sum())
    assert parks_in_plan == 14
    labels = [tg.label for tg in at.sidebar.toggle]
    parks = [lb for lb in labels if lb.startswith(t("layers.name.parks", "en"))]
    assert parks == [f"{t('layers.name.parks', 'en')} (0 on map / 14 listed for this unit)"]


def test_layer_toggles_in_a_unit_view_name_the_units_own_list_and_in_the_city_view_the_plan(data):
    zone = run_app(unit="tianqu", lang="zh")
    water_zh = t("layers.name.water", "zh")
    water = [tg.label for tg in zone.sidebar.toggle if tg.label.startswith(water_zh)]
    # 德州天衢新区: one water line (漳卫新河 达标治理, listed because its drawn line crosses the zone) and the two
    # 马颊河 works, not drawn (the plan puts the river there: lines 235, 869)
    assert water == [f"{water_zh} (1 个在图 / 本区县列有 3 项)"]
    city = run_app(unit="city", lang="en")
    water_en = t("layers.name.water", "en")
    water = [tg.label for tg in city.sidebar.toggle if tg.label.startswith(water_en)]
    assert len(water) == 1 and water[0].endswith(" in the plan)") and "listed for this unit" not in water[0]


def test_detail_panel_in_english_renders_plan_references_in_english():
    at = run_app(selected="transport-s18-07", lang="en")
    text = " ".join(m.value for m in at.main.markdown).replace("\\", "")  # Markdown escapes
    assert "Section 18" in text and "第十八节" not in text.split("Section 18")[0][-40:]
    assert f"Transport · {t('layers.subtype.waterway', 'en')}" in text
    assert "Qihe County (齐河县), Yucheng City (禹城市)" in text


def test_county_view_in_english_cites_boxes_and_sections_in_english():
    at = open_tab(run_app(unit="371425", lang="en"), "county", "en")
    texts = [x.value for x in at.text]
    assert any(v.startswith("Lead industry: ") and v.endswith("[Box 15 L759]") for v in texts), texts
    assert any("[Section 23 L713]" in v for v in texts)
    assert not [v for v in texts if "专栏" in v or "第二十三节" in v]


def test_coverage_data_gap_names_lines_in_english():
    at = open_tab(run_app(unit="371425", lang="en"), "coverage", "en")
    assert not at.exception
    (warning,) = [w.value for w in at.warning if w.value.startswith("Data gap")]
    assert "Binzhou–Dezhou Expressway (滨德高速)" in warning


def test_english_county_and_check_tables_show_names_not_codes():
    """QA: the county view listed units as raw codes ('371482;371426'), singled-out towns only in Chinese, and the
    officials' check cited '专栏4' in English."""
    at = open_tab(run_app(unit="371482", lang="en"), "county", "en")
    tables = [d.value for d in at.dataframe]
    parks = next(v for v in tables if "Units" in v.columns and "Status" in v.columns)
    row = parks.set_index("id").loc["park-s07-01"]
    assert row["Units"] == "Yucheng City, Pingyuan County"
    assert parks.set_index("id").loc["park-s07-08", "Industry"] == "hydrogen energy, hydrogen equipment"
    assert parks.set_index("id").loc["park-s06-01", "Source"] == "Section 6 L279, 287, 721"
    tianqu = [x.value for x in open_tab(run_app(unit="tianqu", lang="en"), "county", "en").text]
    assert any(v.endswith("[Box 14 L719, 721, 723, 725, 727, 729, 731, 733, 735, 737]") for v in tianqu), tianqu
    towns = next(v for v in tables if list(v.columns) == ["Town", "Role", "Industry", "Units"])
    assert towns.iloc[0].to_dict() == {"Town": "Fangsi Town (房寺镇)", "Role": t("ui.role.center", "en"),
                                       "Industry": "green energy equipment", "Units": "Yucheng City"}
    assert not any(re.fullmatch(r"[0-9;a-z]+", str(u)) for v in tables if "Units" in v.columns
                   for u in v["Units"])
    at = open_tab(at, "check", "en")
    check = next(d.value for d in at.dataframe if "Location source" in d.value.columns)
    assert check.set_index("id").loc["park-b04-10", "Source"] == "Box 4 L357"
    assert not [v for v in check["Source"] if "专栏" in v or "第" in v]
    at = open_tab(run_app(unit="371482", lang="zh"), "county", "zh")
    parks = next(d.value for d in at.dataframe if t("ui.col.status", "zh") in d.value.columns)
    assert "禹城市、平原县" in set(parks[t("ui.col.units", "zh")])


def test_clearing_the_selection_keeps_the_sidebar_choices():
    """The clear button of the details panel empties the selection (panel, link) and nothing else: the unit, the
    language and the layers chosen in the sidebar stay (the sidebar is drawn after the map; the button is a callback,
    so the click is one run)."""
    at = run_app(selected="transport-s18-07", lang="en", unit="371425", layers="counties,transport_existing")
    assert at.query_params["selected"] == "transport-s18-07"
    at.button(key="clear_selected").click().run()
    assert not at.exception
    assert "selected" not in at.query_params
    assert t("ui.detail.empty", "en") in [c.value for c in at.main.caption]
    assert at.selectbox(key="unit").value == "371425" and at.radio(key="lang").value == "en"
    assert [k for k in LAYER_KEYS if at.toggle(key=f"layer__{k}").value] == ["counties", "transport_existing"]
    assert at.query_params["unit"] == "371425" and at.query_params["layers"] == "counties,transport_existing"
