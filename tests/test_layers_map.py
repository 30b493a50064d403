"""build_map / layer_feature_counts on the hand-made fixture: groups, counts, unit filter, AMap shift, selection,
legend."""

from __future__ import annotations

import folium
import pytest

from i18n import t
from layers.draw import OnMapGroup
from layers.items import CLUSTER_MIN
from layers.legend import Legend
from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS, build_map, layer_feature_counts
from layers.view import build_view
from tests.map_support import drawn_style
from tests.toy_data import make_plan_data, plan_data

pytestmark = pytest.mark.slow


def _walk(el):
    for child in el._children.values():
        yield child
        yield from _walk(child)


def _groups(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.FeatureGroup) and c.control}


def _markers(el) -> list[folium.Marker]:
    return [c for c in _walk(el) if isinstance(c, folium.Marker)]


def _tooltips(el) -> list[str]:
    return [c.text for c in _walk(el) if isinstance(c, folium.Tooltip)]


def _legend(m: folium.Map) -> Legend:
    legends = [c for c in m._children.values() if isinstance(c, Legend)]
    assert len(legends) == 1
    return legends[0]


@pytest.fixture(scope="module")
def toy():
    """The hand-made plan data of tests/toy_data.py (``data`` is the shipped data, see conftest)."""
    return make_plan_data()


def test_layer_keys_and_defaults():
    assert set(LAYER_KEYS) == {"counties", "tianqu", "towns", "town_areas", "parks", "transport_existing",
                               "transport_planned", "water", "energy", "logistics", "innovation", "culture_tourism",
                               "projects", "rivers", "energy_existing"}
    assert DEFAULT_LAYERS <= set(LAYER_KEYS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_layer_key_is_a_named_feature_group(toy, lang):
    m = build_map(toy, layers=LAYER_KEYS, lang=lang)
    names = set(_groups(m))
    for key in LAYER_KEYS:
        assert t(f"layers.name.{key}", lang) in names, key
    assert t("layers.name.county_only", lang) in names
    # the sidebar (and the link) switches layers: no Leaflet layer control that could disagree with it
    assert [c for c in m._children.values() if isinstance(c, folium.LayerControl)] == []
    assert "产业园区" in names if lang == "zh" else "Industrial parks" in names


def test_only_requested_layers(toy):
    m = build_map(toy, layers={"counties", "towns"})
    assert set(_groups(m)) == {"县市区", "乡镇（街道）"}  # no item layer -> no county badge group
    with pytest.raises(ValueError, match="unknown layer"):
        build_map(toy, layers={"counties", "roads"})


def test_feature_counts_city(toy):
    assert layer_feature_counts(toy, "city", LAYER_KEYS) == {
        "town_areas": 3, "counties": 2, "tianqu": 1, "rivers": 1, "transport_existing": 4, "transport_planned": 2,
        "energy_existing": 0, "water": 1, "energy": 0, "logistics": 0, "parks": 2, "innovation": 1, "culture_tourism": 0, "projects": 0,
        "towns": 3, "county_only": 4,
    }


def test_county_only_item_has_no_marker_but_a_badge(toy):
    m = build_map(toy, layers={"parks", "energy"})
    groups = _groups(m)
    parks = groups["产业园区"]
    tips = _tooltips(parks)
    assert "德州经济技术开发区" in tips and "郑家寨镇产业园" in tips
    assert "陵城区化工园" not in tips and "跨区产业集群" not in tips
    assert len(_markers(parks)) == 2
    assert _markers(groups["能源"]) == []  # both energy items are county / none precision
    badges = _markers(groups["仅定位到县的项目"])
    assert len(badges) == 2  # one per county
    texts = sorted(b.icon.options["html"].rsplit("</div>", 1)[0].rsplit(">", 1)[1] for b in badges)
    assert texts == ["2", "2"]  # 371402: cluster + solar; 371403: chemical park + cluster
    html = m.get_root().render()
    assert "德城区：2 项仅定位到县" in html and "陵城区：2 项仅定位到县" in html
    assert "陵城区化工园" in html and "德城区光伏项目" in html
    assert "全市风电计划" not in html  # precision none: listed by the UI only


def test_town_precision_is_a_ring_and_says_placed_at_town(toy):
    m = build_map(toy, layers={"parks"})
    parks = _groups(m)["产业园区"]
    by_tip = {mk._children[next(k for k in mk._children if k.startswith("tooltip"))].text: mk
              for mk in _markers(parks)}
    ring = by_tip["郑家寨镇产业园"].icon.options["html"]
    solid = by_tip["德州经济技术开发区"].icon.options["html"]
    assert 'fill="#ffffff"' in ring and 'fill="#1f78b4"' in solid
    assert "标注在乡镇：郑家寨镇" in m.get_root().render()


def test_unit_filter_keeps_the_right_ids(toy):
    ids = {u: set(build_view(toy, u).items["id"]) for u in ("city", "371402", "371403", "tianqu")}
    assert len(ids["city"]) == 10
    assert ids["371402"] == {"park-b04-01", "park-b04-04", "energy-b06-01", "transport-b08-02", "innovation-s09-01"}
    assert ids["371403"] == {"park-b04-02", "park-b04-03", "park-b04-04", "water-s18-01", "transport-b08-02",
                             "transport-s18-02"}
    assert ids["tianqu"] == {"innovation-s09-01"}  # the HSR line passes south of tianqu
    v = build_view(toy, "371403")
    assert set(v.towns["code"]) == {"371403100000"}
    assert set(v.networks["rail"]["name"]) == set()  # both rail lines lie in 371402
    assert set(v.networks["rivers"]["name"]) == {"马颊河"}
    with pytest.raises(ValueError, match="unknown unit"):
        build_view(toy, "999999")


def test_unit_view_counts_and_highlight(toy):
    c = layer_feature_counts(toy, "371403", LAYER_KEYS)
    assert (c["parks"], c["water"], c["transport_planned"], c["towns"], c["county_only"]) == (1, 1, 2, 1, 2)
    assert c["transport_existing"] == 1 and c["tianqu"] == 0
    m = build_map(toy, unit="371403", layers={"counties"})
    # the colours Leaflet draws the two county outlines with (not the legend swatch, which shows them too)
    assert drawn_style(m, "371403")["color"] == "#d7301f"  # county.selected outline
    assert drawn_style(m, "371402")["color"] == "#9e9e9e"  # the other county as context
    assert drawn_style(build_map(toy, layers={"counties"}), "371403")["color"] != "#d7301f"  # city view: none selected


def _park_marker_location(m: folium.Map) -> list[float]:
    for mk in _markers(_groups(m)["产业园区"]):
        if "德州经济技术开发区" in _tooltips(mk):
            return list(mk.location)
    raise AssertionError("site park marker not found")


def test_amap_basemap_shifts_coordinates_to_gcj02(toy):
    plain = _park_marker_location(build_map(toy, layers={"parks"}, basemap="none"))
    shifted = _park_marker_location(build_map(toy, layers={"parks"}, basemap="amap"))
    assert plain == [37.55, 116.45]
    assert 0.005 <= shifted[1] - plain[1] <= 0.006
    assert 0.0 < shifted[0] - plain[0] < 0.002
    # lines and polygons are shifted too (county bounds)
    v_none, v_amap = build_view(toy, "city"), build_view(toy, "city", shift=True)
    dx = v_amap.counties.total_bounds[0] - v_none.counties.total_bounds[0]
    assert 0.005 <= dx <= 0.006


def test_tianditu_without_key_raises(toy):
    with pytest.raises(ValueError, match="key"):
        build_map(toy, basemap="tianditu")
    html = build_map(toy, layers={"counties"}, basemap="tianditu", tianditu_key="0123456789abcdef").get_root().render()
    assert "tianditu.gov.cn" in html and "tk=0123456789abcdef" in html


def test_basemap_attribution_rendered(toy):
    html = build_map(toy, layers={"counties"}, basemap="osm").get_root().render()
    assert "OpenStreetMap contributors" in html
    assert "tile.openstreetmap.org" not in build_map(toy, layers={"counties"}).get_root().render()


def test_selected_item_opens_its_popup_and_zooms(toy):
    m = build_map(toy, layers={"parks"}, selected="park-b04-01")
    shown = [c for c in _walk(m) if isinstance(c, folium.Popup) and c.show]
    assert len(shown) == 1
    html = m.get_root().render()
    assert ".openPopup()" in html
    # Leaflet opens a popup only for a marker already on the map, and after the fit (so it pans into view): the
    # marker sits in a group that joined the map before the marker was created
    groups = [c for c in m._children.values() if isinstance(c, OnMapGroup)]
    assert len(groups) == 1
    marker = next(c for c in groups[0]._children.values() if isinstance(c, folium.Marker))
    assert any(isinstance(p, folium.Popup) and p.show for p in _walk(marker))
    assert marker.feature_id == "park-b04-01"  # a click on the selection selects the same item
    joined = html.index(f"L.featureGroup().addTo({m.get_name()})")
    assert html.index(".fitBounds(") < joined < html.index(f"var {marker.get_name()} = L.marker(")
    assert html.index(f"var {marker.get_name()} = L.marker(") < html.index(".openPopup()")
    assert html.index(".openPopup()") < html.index("function keepPopupInView()")
    assert '"maxHeight": 260' in html
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    (s, w), (n, e) = fits[-1].bounds
    assert s < 37.55 < n and w < 116.45 < e and n - s < 0.05
    # a town code works too; a county-only item zooms to its county badge
    m2 = build_map(toy, layers={"towns"}, selected="371402100000")
    assert any(isinstance(c, folium.Popup) and c.show for c in _walk(m2))
    m3 = build_map(toy, layers={"parks"}, selected="park-b04-03")
    assert "陵城区化工园" in m3.get_root().render()


def test_unit_view_fits_the_county(toy):
    m = build_map(toy, unit="371402", layers={"counties"})
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    assert [[round(v, 3) for v in p] for p in fits[-1].bounds] == [[37.3, 116.2], [37.6, 116.5]]


def test_schematic_and_status_styles_in_rendered_lines(toy):
    html = build_map(toy, layers={"transport_planned", "transport_existing"}).get_root().render()
    assert '"dashArray":"10 6"' in html  # HSR planned, status start (one style per class, compact JSON)
    assert '"dashArray":"8 6"' in html  # schematic existing rail / expressway


def test_legend_only_for_layers_on(toy):
    zh = _legend(build_map(toy, layers={"counties"})).html
    assert "县市区界" in zh and "实心：已知具体位置" not in zh and "开工建设" not in zh
    full = _legend(build_map(toy, layers=LAYER_KEYS)).html
    for part in ("高速公路（示意走向）", "实心：已知具体位置", "空心圆环", "虚线：示意走向", "点线轮廓：近似范围", "数字徽标", "开工建设（粗虚线）",
                 "县域经济中心镇", "区域合作重点镇", "高速铁路", "河流"):
        assert part in full, part
    en = _legend(build_map(toy, layers=LAYER_KEYS, lang="en")).html
    assert "Dashed: schematic route" in en and "Dotted outline: approximate area" in en
    assert "区域合作重点镇" not in en
    assert "L.control" in build_map(toy, layers={"counties"}).get_root().render()


def test_many_points_are_clustered(toy):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from layers.view import gdf_or_empty

    base = make_plan_data()
    rows = [dict(base.items.iloc[0].drop("geometry")) | {"id": f"park-b04-{i + 10:02d}", "name_zh": f"园区{i}"}
            for i in range(CLUSTER_MIN)]
    extra = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=[Point(116.25 + i * 0.005, 37.5) for i in range(CLUSTER_MIN)],
                             crs="EPSG:4326")
    base.items = gdf_or_empty(pd.concat([base.items, extra], ignore_index=True))
    m = build_map(base, layers={"parks"})
    from folium.plugins import MarkerCluster

    clusters = [c for c in _walk(m) if isinstance(c, MarkerCluster)]
    assert len(clusters) == 1 and len(_markers(clusters[0])) == CLUSTER_MIN + 2
    assert layer_feature_counts(base, "city", {"parks"})["parks"] == CLUSTER_MIN + 2


def test_selected_line_item_and_unknown_selection(toy):
    m = build_map(toy, layers={"transport_planned"}, selected="transport-b08-02")
    shown = [c for c in _walk(m) if isinstance(c, folium.Popup) and c.show]
    assert len(shown) == 1
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    (s, w), (n, e) = fits[-1].bounds
    assert w < 116.3 and e > 116.7  # the whole schematic line
    # after the fit and the open popup, a check pans the map so the whole popup shows, 10 px inside every edge
    html = m.get_root().render()
    assert html.index(".fitBounds(") < html.index(".openPopup()") < html.index("function keepPopupInView()")
    assert f"}})({m.get_name()}, 10);" in html
    assert "map.panBy([dx, dy]" in html and 'map.on("resize popupopen"' in html
    m2 = build_map(toy, layers={"parks"}, selected="no-such-id")
    assert not [c for c in _walk(m2) if isinstance(c, folium.Popup) and c.show]
    assert "keepPopupInView" not in m2.get_root().render()


def test_planned_work_popup_joins_the_plan_item(toy):
    html = build_map(toy, layers={"transport_planned"}, lang="en").get_root().render()
    # name and status come from the item (projects.csv), geometry notes from planned_works
    assert "EN transport-b08-02" in html and "construction start" in html
    assert "Dezhou East → Lingcheng" in html or "Dezhou East \\u2192 Lingcheng" in html  # waypoints in English
    zh = build_map(toy, layers={"transport_planned"}, lang="zh").get_root().render()
    assert "德州东 → 陵城" in zh or "\\u5fb7\\u5dde\\u4e1c" in zh


def test_extra_layers_and_tianqu_view(toy):
    extra = folium.FeatureGroup(name="uploaded boundaries")
    m = build_map(toy, unit="tianqu", layers={"counties", "tianqu", "towns"}, extra_layers=[extra])
    assert "uploaded boundaries" in _groups(m)
    assert layer_feature_counts(toy, "tianqu", {"towns", "tianqu"}) == {"towns": 1, "tianqu": 1}
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    assert [[round(v, 3) for v in p] for p in fits[-1].bounds] == [[37.4, 116.3], [37.5, 116.4]]


def test_empty_data_builds_an_empty_map():
    empty = plan_data()
    counts = layer_feature_counts(empty, "city", LAYER_KEYS)
    assert set(counts) == {*LAYER_KEYS, "county_only"} and set(counts.values()) == {0}
    m = build_map(empty, layers=LAYER_KEYS, selected="park-b04-01")
    assert len(_groups(m)) == len(LAYER_KEYS) + 1
    assert not [c for c in m._children.values() if isinstance(c, Legend)]  # nothing drawn, no legend


def test_city_view_fits_the_city_outline_not_the_networks(toy):
    m = build_map(toy, layers=LAYER_KEYS)
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    assert [[round(v, 3) for v in p] for p in fits[-1].bounds] == [[37.3, 116.2], [37.6, 116.8]]
    assert m.options["zoom_snap"] == 0.1
    # the unit is fitted clear of the bottom-left legend (215 px wide + 10 px margin)
    assert fits[-1].options["paddingTopLeft"] == (225, 10)


def test_network_lines_clipped_for_display_only():
    from shapely.geometry import LineString, Point

    from layers.view import DISPLAY_CLIP_M, build_view, gdf_or_empty

    base = make_plan_data()
    rail = base.networks["rail"]
    long_line = rail.iloc[[0]].copy()
    long_line["name"] = "长线"
    # from 116.5 E, 37.45 N (inside) to 118.5 E (about 150 km east of the outline)
    long_line = long_line.set_geometry([LineString([(116.5, 37.45), (118.5, 37.45)])], crs="EPSG:4326")
    far_station = base.networks["stations"].iloc[[0]].copy().set_geometry([Point(117.5, 37.45)], crs="EPSG:4326")
    near_station = base.networks["stations"].iloc[[0]].copy().set_geometry([Point(116.85, 37.45)], crs="EPSG:4326")
    import pandas as pd

    base.networks = {**base.networks, "rail": gdf_or_empty(pd.concat([rail, long_line], ignore_index=True)),
                     "stations": gdf_or_empty(pd.concat([far_station, near_station], ignore_index=True))}
    v = build_view(base, "city")
    clipped = v.networks["rail"].set_index("name").geometry["长线"]
    # east edge of the outline is 116.8 E; + 10 km at 37.45 N is about 0.113 degrees of longitude
    assert 116.8 + 0.10 < clipped.bounds[2] < 116.8 + 0.125
    assert clipped.bounds[0] == 116.5
    assert len(v.networks["stations"]) == 1 and v.networks["stations"].geometry.iloc[0].x == 116.85
    assert DISPLAY_CLIP_M == 10_000
    # the toy data keep the whole line
    assert base.networks["rail"].geometry.iloc[-1].bounds[2] == 118.5
    html = build_map(base, layers={"transport_existing"}).get_root().render()
    assert "118.5" not in html and "117.5" not in html


def test_no_layer_control_and_legend_toggle(toy):
    m = build_map(toy, layers=LAYER_KEYS, lang="en")
    assert not any(isinstance(c, folium.LayerControl) for c in _walk(m))
    legend = _legend(m)
    assert legend.position == "bottomleft"
    assert legend.html.startswith('<details open><summary title="Click the legend title to hide or show the legend">'
                                  'Legend<small class="dz-hide">hide</small><small class="dz-show">show</small>')
    html = m.get_root().render()
    assert ".dz-legend .dz-lg-body{max-height:min(30vh,220px);overflow-y:auto" in html
    assert "dz-legend leaflet-control" in html


def test_selected_county_label_stands_out(toy):
    from layers.boundaries import county_label_html

    m = build_map(toy, unit="371402", layers={"counties"})
    labels = [mk.icon.options["html"] for mk in _markers(m) if "translate(-50%" in mk.icon.options["html"]]
    assert len(labels) == 2
    sel = next(h for h in labels if "德城区" in h)
    other = next(h for h in labels if "陵城区" in h)
    assert "16px" in sel and "#d7301f" in sel and "12px" in other and "#666666" in other
    assert county_label_html("x").count("13px") == 1
    # labels do not catch clicks: they sit above the symbols
    assert all(mk.options.get("interactive") is False for mk in _markers(m) if "translate(-50%" in
               mk.icon.options["html"])


def test_fit_keeps_the_view_and_fits_narrow_maps_without_legend_margin(toy):
    """The unit is fitted with the legend margin only on wide maps; the user's view of the same unit and selection
    is restored when only layers change (sessionStorage, keyed by unit and selection); labels are thinned."""
    from layers.behaviour import NARROW_PX, VIEW_STORE_KEY, FitUnit, MapBehaviour

    a = build_map(toy, unit="371402", layers={"counties"})
    b = build_map(toy, unit="371402", layers={"counties", "towns"}, lang="en")
    c = build_map(toy, unit="371403", layers={"counties"})
    fits = {k: [x for x in m._children.values() if isinstance(x, FitUnit)] for k, m in (("a", a), ("b", b), ("c", c))}
    assert all(len(v) == 1 for v in fits.values())
    (fa,), (fb,), (fc,) = fits["a"], fits["b"], fits["c"]
    assert fa.view_id == fb.view_id == "371402|" != fc.view_id  # layers and language do not change the view id
    assert fa.wide == [[225, 10], [10, 10]] and fa.narrow == [[10, 10], [10, 10]] and fa.min_width == NARROW_PX
    assert len([x for x in a._children.values() if isinstance(x, MapBehaviour)]) == 1
    html = a.get_root().render()
    assert VIEW_STORE_KEY in html and "sessionStorage" in html and ".dz-legend.dz-legend-away{visibility:hidden}" in html
    assert r'class=\"dz-label\"' in html  # county labels take part in the thinning
