"""The real city map from the shipped data (geo.load.load_all): every layer present, payload under 2 MB."""

from __future__ import annotations

import folium
import pytest

from i18n import t
from layers.map_builder import LAYER_KEYS, build_map, layer_feature_counts

MAX_HTML_BYTES = 2_000_000


@pytest.fixture(scope="module")
def real_data():
    load = pytest.importorskip("geo.load")
    data = load.load_all()
    if len(data.counties) == 0:
        pytest.skip("data/counties.geojson not present yet")
    return data


def _group_names(m: folium.Map) -> set[str]:
    return {c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup) and c.control}


@pytest.mark.parametrize("basemap", ["none", "amap"])
def test_real_city_map_all_layers(real_data, basemap):
    m = build_map(real_data, layers=LAYER_KEYS, basemap=basemap)
    html = m.get_root().render()
    assert len(html.encode("utf-8")) < MAX_HTML_BYTES
    names = _group_names(m)
    for key in LAYER_KEYS:
        assert t(f"layers.name.{key}", "zh") in names, key


def test_real_counts(real_data):
    counts = layer_feature_counts(real_data, "city", LAYER_KEYS)
    assert counts["counties"] == 11
    assert counts["towns"] == len(real_data.towns) == 134
    assert counts["town_areas"] == len(real_data.town_areas)
    assert counts["tianqu"] == len(real_data.tianqu)
    n_county_only = sum(
        len([u for u in units.split(";") if u != "city"])
        for units, p in zip(real_data.items["units"], real_data.items["precision"], strict=True) if p == "county")
    assert counts.get("county_only", 0) == n_county_only
    # one county: fewer towns, the 11 outlines stay as context
    qihe = layer_feature_counts(real_data, "371425", LAYER_KEYS)
    assert qihe["counties"] == 11
    assert 0 < qihe["towns"] < 134
    assert qihe["towns"] == int((real_data.towns["unit"].astype(str) == "371425").sum())


def test_real_unit_maps_are_small(real_data):
    for unit in ("371402", "371425", "tianqu"):
        html = build_map(real_data, unit=unit, layers=LAYER_KEYS).get_root().render()
        assert len(html.encode("utf-8")) < MAX_HTML_BYTES, unit
