"""Map clicks are matched by the stable id every clickable feature carries, never by its name.

市中街道 is the name of a town in 乐陵市 (371481001000) and one in 禹城市 (371482001000); matching by tooltip once
returned 乐陵's code for a click on 禹城's. 徒骇河 is drawn by the rivers layer and again, on the same line, as
the planned navigation works (transport-s18-07): two features, two ids, two tooltips.
"""

from __future__ import annotations

from typing import Any

import folium
import pytest

from layers.geojson_layer import sent_layers, tooltip_text
from layers.keys import LAYER_KEYS
from layers.map_builder import build_map
from tests.apptest_support import run_app
from tests.map_support import drawn_features
from ui import map_view
from ui.map_component import MapPayload
from ui.map_view import click_key, clicked_id, clicked_item

LELING, YUCHENG = "371481001000", "371482001000"


def _click(feature: dict[str, Any], count: int = 1) -> dict[str, Any]:
    return {"last_active_drawing": {k: v for k, v in feature.items() if k != "_tip"},
            "last_object_clicked_count": count}


@pytest.fixture(scope="module")
def city_map(data) -> folium.Map:
    return build_map(data, unit="city", layers=LAYER_KEYS, simplify_m=0.0)


@pytest.mark.slow
def test_every_clickable_feature_carries_its_id(data, city_map):
    feats = drawn_features(city_map)
    assert len(feats) > 400
    assert all(f["properties"]["id"] for f in feats), [f["_tip"] for f in feats if not f["properties"]["id"]][:5]
    items, towns = set(data.items["id"]), set(data.towns["code"].astype(str))
    ids = [f["properties"]["id"] for f in feats]
    # every town symbol is its town (134), every located item is drawn under its id
    town_symbols = [i for i in ids if i in towns]
    assert len(set(town_symbols)) == len(towns)
    assert {i for i in ids if i in items} >= set(data.items.loc[data.items["precision"] == "site", "id"])


@pytest.mark.slow
def test_the_two_shizhong_subdistricts_are_told_apart_by_id(data, city_map):
    feats = [f for f in drawn_features(city_map) if f["_tip"] == "市中街道"]
    towns = [f for f in feats if f["geometry"]["type"] == "Point"]
    assert sorted(f["properties"]["id"] for f in towns) == [LELING, YUCHENG]
    yucheng = next(f for f in towns if f["geometry"]["coordinates"][0] < 117.0)  # 禹城 lies west of 乐陵
    assert clicked_id(_click(yucheng)) == YUCHENG
    assert clicked_item(data, _click(yucheng)) == YUCHENG
    leling = next(f for f in towns if f["geometry"]["coordinates"][0] > 117.0)
    assert clicked_item(data, _click(leling)) == LELING


def test_tuhai_river_and_its_navigation_works_are_two_features(data, city_map):
    feats = drawn_features(city_map)
    river = [f for f in feats if f["properties"]["id"] == "rivers:徒骇河"]
    works = [f for f in feats if f["properties"]["id"] == "transport-s18-07"]
    assert len(river) == 1 and len(works) == 1
    assert river[0]["_tip"] == "徒骇河" and works[0]["_tip"] == "徒骇河 · 航道"
    assert clicked_item(data, _click(river[0])) is None  # a river is no plan item: nothing is selected
    assert clicked_item(data, _click(works[0])) == "transport-s18-07"


def test_clicks_on_other_features_and_before_any_click_select_nothing(data):
    assert clicked_item(data, {}) is None and clicked_item(data, None) is None
    assert clicked_item(data, {"last_active_drawing": None, "last_object_clicked_count": 0}) is None
    county = {"type": "Feature", "properties": {"id": "371482"}, "geometry": None}
    assert clicked_item(data, _click(county)) is None
    # a name is never matched: a feature whose only clue is its name selects nothing
    assert clicked_item(data, {"last_active_drawing": {"properties": {"tip": "市中街道"}}}) is None
    # the same feature clicked twice is two clicks
    town = {"type": "Feature", "properties": {"id": YUCHENG}, "geometry": None}
    assert click_key(_click(town, 1)) != click_key(_click(town, 2))


@pytest.mark.apptest
def test_app_selects_the_clicked_shizhong_of_yucheng(data, monkeypatch):
    """AppTest: the component returns what the browser sends for a click on 禹城's 市中街道 (the clicked feature as
    Leaflet's toGeoJSON gives it, taken from the very map the app rendered); the app selects 禹城's town."""
    clicks: list[dict[str, Any]] = []

    def fake_component(payload: MapPayload, **_kw: Any) -> dict[str, Any]:
        # the features as the browser receives them in the map script (layers.geojson_layer)
        feats = [{**f, "_tip": tooltip_text(f["properties"])}
                 for spec in sent_layers(payload.script) for f in spec["data"]["features"]]
        feats = [f for f in feats if f["_tip"] == "市中街道"]
        assert len(feats) == 1  # the 禹城 view draws its own towns only
        clicks.append(_click(feats[0], count=len(clicks) + 1))
        return clicks[-1] if len(clicks) > 1 else {}  # first run: no click yet

    monkeypatch.setattr(map_view, "render_component", fake_component)
    at = run_app(unit="371482", layers="counties,towns")
    assert at.query_params.get("selected") in (None, [])
    at.run()  # the user clicks 市中街道
    assert at.session_state["selected"] == YUCHENG
    assert at.query_params["selected"] == [YUCHENG] or at.query_params["selected"] == YUCHENG
    assert any("市中街道" in h.value for h in at.markdown) and any("禹城市" in m.value for m in at.markdown)
    assert not any("乐陵市" in m.value for m in at.markdown)
