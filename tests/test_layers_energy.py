"""The existing-energy layer and the coarse WDB-II rivers on the real data: symbols, counts, legend and popups in
both languages (what a user reads, not file names)."""

from __future__ import annotations

import json

import pytest

from i18n import t
from layers.map_builder import build_map, layer_feature_counts
from layers.popups import energy_popup_html, network_popup_html


def _html(data, lang: str, layers=("energy_existing", "rivers"), unit: str = "city") -> str:
    return build_map(data, unit=unit, layers=list(layers), lang=lang).get_root().render()


def _has(html: str, text: str) -> bool:
    """``text`` in the page, raw (popups) or JSON-escaped (the legend control)."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.mark.slow
def test_energy_layer_counts_plants_and_substations(data):
    # 30 plants + 11 substations lie within the display margin (10 km) of the city; 禹城市: 5 plants, 3 substations
    assert layer_feature_counts(data, "city", ["energy_existing"]) == {"energy_existing": 41}
    assert layer_feature_counts(data, "371482", ["energy_existing"]) == {"energy_existing": 8}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_energy_legend_and_layer_name_in_the_interface_language(data, lang):
    html = _html(data, lang)
    for key in ("layers.name.energy_existing", "layers.legend.power_plant", "layers.legend.substation",
                "layers.legend.power_plant_area", "layers.legend.river_coarse", "layers.legend.canal_coarse"):
        assert _has(html, t(key, lang)), key


def test_plant_popup_in_user_words(data):
    plants = data.networks["power_plants"].set_index("name")
    props = plants.loc["华能国际电力股份有限公司德州电厂"].to_dict()
    zh, en = energy_popup_html(props, "zh"), energy_popup_html(props, "en")
    assert "燃煤" in zh and "2720 兆瓦" in zh and "德州市内" in zh and "© OpenStreetMap 贡献者" in zh
    assert "coal" in en and "2720 MW" in en and "inside Dezhou" in en and "© OpenStreetMap contributors" in en
    for html in (zh, en):  # no file names or tool names reach the user
        assert ".geojson" not in html and "OMap-GeoDB" not in html


def test_unnamed_substation_popup_says_so_and_gives_the_voltage(data):
    subs = data.networks["substations"]
    props = subs[subs["osm_name"] == ""].iloc[0].to_dict()
    assert "未命名 500 kV 变电站" in energy_popup_html(props, "zh") and "500 千伏" in energy_popup_html(props, "zh")
    assert "unnamed 500 kV substation" in energy_popup_html(props, "en")


def test_coarse_rivers_say_how_coarse_and_the_probable_name(data):
    rivers = data.networks["rivers"].set_index("name")
    tuhai = rivers.loc["徒骇河"].to_dict()
    assert tuhai["accuracy"] == "coarse" and tuhai["name_certainty"] == "probable"
    zh, en = network_popup_html(tuhai, "zh"), network_popup_html(tuhai, "en")
    assert t("layers.accuracy.coarse", "zh") in zh and "按河道走向推断为该河，未经核实" in zh
    assert "a few hundred metres off the real channel" in en and "inferred from its course, not verified" in en
    canal = network_popup_html(rivers.loc["卫运河/南运河（京杭运河）"].to_dict(), "en")
    assert "a few hundred metres" in canal and "inferred" not in canal
    assert rivers.loc["漳卫新河", "quality"] == "schematic" and not rivers.loc["漳卫新河", "accuracy"]
