"""Issue 11 item 9: the exported map page has a <title>, a heading, the export date and a source line (zh, en)."""

from __future__ import annotations

import re

import pytest

from layers.export_page import export_page
from layers.map_builder import build_map
from ui.map_view import map_html
from ui.share import map_page

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("lang", "title", "date_line", "plan_word", "sources_word"), [
    ("zh", "德州“十五五”规划地图 · 禹城市", "导出日期：2026-12-01", "规划依据：《德州市国民经济和社会发展第十五个五年规划纲要》",
     "数据来源"),
    ("en", "Dezhou 15th Five-Year Plan Map · Yucheng City (禹城市)", "Exported on 2026-12-01", "Plan: Outline of the 15th",
     "Data sources"),
])
def test_exported_map_page_has_title_heading_date_and_sources(data, lang, title, date_line, plan_word, sources_word):
    html = map_page(map_html(build_map(data, unit="371482", lang=lang)), lang, title, day="2026-12-01")
    assert re.search(r"<title>(.*?)</title>", html).group(1) == title
    assert html.count("<title>") == 1
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in html
    head = re.search(r'<header class="dz-export-head">(.*?)</header>', html, flags=re.S).group(1)
    assert f"<h1>{title}</h1>" in head
    paras = re.findall(r"<p>(.*?)</p>", head)
    assert paras[0] == date_line
    assert paras[1].startswith(plan_word)
    assert paras[2].startswith(sources_word) and "OpenStreetMap" in paras[2]
    # the page stays a working standalone map below the header
    assert html.index("</header>") < html.index('class="folium-map"') and "L.map(" in html


def test_export_page_escapes_once_and_refuses_a_non_page():
    page = export_page("<html><head></head><body><div></div></body></html>", lang="en", title="A <b> & 'c'",
                       lines=["x < y"])
    assert "<title>A &lt;b&gt; &amp; &#x27;c&#x27;</title>" in page and "<p>x &lt; y</p>" in page
    assert "&amp;lt;" not in page
    with pytest.raises(ValueError, match="no <head>"):
        export_page("<div>map</div>", lang="zh", title="t", lines=[])
