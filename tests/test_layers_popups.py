"""Popups and tooltips: content (names, status, provenance, precision) and escaping of hostile strings."""

from __future__ import annotations

import math

import pytest

from geo.text import escape_html
from layers.map_builder import LAYER_KEYS, build_map
from layers.popups import county_only_popup_html, item_popup_html, item_tooltip, town_popup_html
from tests.toy_data import HOSTILE, make_plan_data

UNITS = {"371402": ("德城区", "Decheng District"), "371403": ("陵城区", "Lingcheng District")}
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&#96;x&#96;&#36;{y}"


def _item(**kw):
    base = {"id": "park-b04-09", "name_zh": "德州经济技术开发区", "name_en": "Dezhou Economic Development Zone",
            "category": "park", "subtype": "development_zone", "status_zh": "加快建成", "status": "complete",
            "units": "371402;371403", "industry_tags": "生物医药;医疗器械", "industry_tags_en": "biomedicine;devices",
            "precision": "site", "location_source": "OSM way 123", "source_ref": "专栏4", "source_lines": "310;311",
            "quote": "德州经济技术开发区（生物医药）", "aliases": "德州经开区", "notes": float("nan")}
    base.update(kw)
    return base


def test_esc_neutralises_html_and_js_template_characters():
    assert escape_html(HOSTILE) == ESCAPED
    assert escape_html(None) == "" and escape_html(math.nan) == "" and escape_html(12.0) == "12"
    assert "<" not in escape_html("<b>") and "`" not in escape_html("`") and "${" not in escape_html("${x}")


def test_item_popup_content_zh_and_en():
    zh = item_popup_html(_item(), "zh", units=UNITS)
    for part in ("德州经济技术开发区", "Dezhou Economic Development Zone", "园区 · 开发区", "德城区、陵城区",
                 "建成（加快建成）", "生物医药、医疗器械", "具体位置（来自具名数据源）", "其他来源（详见数据文件）",
                 "专栏4", "规划文本第 310, 311 行", "“德州经济技术开发区（生物医药）”", "德州经开区", "park-b04-09"):
        assert part in zh, part
    assert "nan" not in zh
    en = item_popup_html(_item(), "en", units=UNITS)
    assert en.index("Dezhou Economic Development Zone") < en.index("德州经济技术开发区")
    for part in ("Decheng District, Lingcheng District", "biomedicine, devices", "plan text line(s) 310, 311",
                 "Park · development zone"):
        assert part in en, part


def test_town_precision_popup_says_placed_at_town():
    html = item_popup_html(_item(precision="town", town_code="371403100000"), "zh", units=UNITS,
                           town_name="郑家寨镇")
    assert "标注在乡镇：郑家寨镇" in html and "仅知所在乡镇" in html
    en = item_popup_html(_item(precision="town"), "en", units=UNITS, town_name="Zhengjiazhai")
    assert "Placed at town: Zhengjiazhai" in en


def test_hostile_strings_escaped_in_every_popup():
    bad = _item(name_zh=HOSTILE, name_en=HOSTILE, quote=HOSTILE, notes=HOSTILE, location_source=HOSTILE)
    for html in (item_popup_html(bad, "zh", units=UNITS), item_popup_html(bad, "en"), item_tooltip(bad, "zh"),
                 county_only_popup_html(HOSTILE, [bad], "zh"),
                 town_popup_html({"name_zh": HOSTILE, "name_en": HOSTILE, "unit": "371402"},
                                 [{"role": "center", "industry_zh": HOSTILE, "quote": HOSTILE}], "zh")):
        assert "<script>" not in html and '"onmouseover' not in html and "`" not in html and "${" not in html
        assert ESCAPED in html


@pytest.mark.slow
def test_rendered_map_contains_only_the_escaped_name():
    data = make_plan_data(hostile=True)
    for lang in ("zh", "en"):
        html = build_map(data, layers=LAYER_KEYS, lang=lang, selected="park-b04-01").get_root().render()
        assert "<script>alert(1)" not in html
        assert '"onmouseover=`x`' not in html
        assert ESCAPED in html  # marker popup / tooltip of the site park


@pytest.mark.slow
def test_hostile_county_name_in_geojson_popup_is_escaped():
    data = make_plan_data()
    data.counties.loc[0, "name_zh"] = HOSTILE
    html = build_map(data, layers={"counties"}).get_root().render()
    assert "<script>alert(1)" not in html
    # GeoJSON properties are embedded as JSON with '&' written as \u0026
    assert ESCAPED.replace("&", "\\u0026") in html or ESCAPED in html


def test_county_only_popup_lists_items():
    items = [_item(precision="county", name_zh="陵城区化工园"), _item(precision="county", name_zh="跨区产业集群")]
    html = county_only_popup_html("陵城区", items, "zh")
    assert "陵城区：2 项仅定位到县" in html
    assert html.count("<li>") == 2 and "陵城区化工园" in html and "跨区产业集群" in html


def test_english_popups_translate_plan_references_status_and_town_types():
    from layers.popups import cn_number, place_name_en, source_ref_text, town_type_text, waypoints_text

    assert [cn_number(x) for x in ("十八", "三十七", "四十九", "一", "一百零二", "8", "节")] == [18, 37, 49, 1, 102, 8,
                                                                                       None]
    assert source_ref_text("专栏8", "en") == "Box 8" and source_ref_text("第三十七节", "en") == "Section 37"
    assert source_ref_text("第二章；专栏4", "en") == "Chapter 2; Box 4"
    assert source_ref_text("第三十七节", "zh") == "第三十七节"
    en = item_popup_html(_item(), "en", units=UNITS)
    assert "to be completed" in en and "加快建成" not in en.split("Quote")[0]  # plan wording only in Chinese
    assert "Box 4" in en and "专栏4" not in en
    assert [town_type_text(x, "en") for x in ("乡", "镇", "街道", "")] == ["township", "town", "subdistrict", ""]
    assert town_type_text("街道", "zh") == "街道"
    places = {"长官": "Changguan", "德州": "Dezhou"}
    assert place_name_en("德州东", places) == "Dezhou East" and place_name_en("长官", places) == "Changguan"
    assert place_name_en("济南西") == "Jinan West" and place_name_en("高唐") == "Gaotang"
    assert waypoints_text("德州东;长官;高唐", "en", places) == "Dezhou East → Changguan → Gaotang"
    assert waypoints_text("德州东;长官", "zh", places) == "德州东 → 长官"
    town = town_popup_html({"name_zh": "郑家寨镇", "name_en": "Zhengjiazhai Town", "unit": "371403", "type": "镇"},
                           [{"role": "center", "industry_zh": "生物医药", "industry_en": "biomedicine"}], "en",
                           units=UNITS)
    assert "<td>town</td>" in town and " (biomedicine)" in town and "（" not in town


def test_brief_popup_rows_are_the_full_popups_rows():
    """One row builder: the brief popup on the map shows the first rows of the full popup (category, county,
    status; then precision), the full one adds industry, source, provenance and id."""
    from layers.brief import item_brief_html
    from layers.popups import item_content

    item = _item()
    names, full_rows = item_content(item, "en", units=UNITS)
    brief = item_brief_html(item, "en", units=UNITS)
    assert brief.names == names == ("Dezhou Economic Development Zone", "德州经济技术开发区")
    labels = [k for k, _ in full_rows]
    assert [k for k, _ in brief.rows] == ["Category", "County", "Status", "Location precision"]
    assert all(r in full_rows for r in brief.rows)
    assert labels[:3] == ["Category", "County", "Status"] and "Lines" in labels and labels[-1] == "ID"
    assert dict(brief.rows)["County"] == "Decheng District, Lingcheng District"
    assert str(brief).startswith('<div class="dz-pop dz-brief"><div class="dz-h">Dezhou Economic Development Zone')
