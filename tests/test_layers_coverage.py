"""The coverage map layer: one circle marker per town, coloured by access band; rings; legend; same numbers."""

from __future__ import annotations

import json
from collections import Counter

import folium
import pytest

from geo import coverage as cov
from layers.coverage import CoverageLegend, coverage_feature_group, coverage_layer, legend_entries
from tests.toy_data import make_coverage_data as make_data

pytestmark = pytest.mark.slow


def _markers(fg: folium.FeatureGroup) -> list[folium.CircleMarker]:
    return [c for c in fg._children.values() if isinstance(c, folium.CircleMarker)]


def _circles(fg: folium.FeatureGroup) -> list[folium.Circle]:
    return [c for c in fg._children.values() if isinstance(c, folium.Circle)
            and not isinstance(c, folium.CircleMarker)]


def test_markers_per_band_2025_expressway():
    d = make_data()
    res = cov.coverage_scenarios(d)
    fg = coverage_layer(d, res, lang="zh", scenario="2025", target="expressway")
    markers = _markers(fg)
    assert len(markers) == 3  # towns only, parks are not drawn
    colours = Counter(m.options["fillColor"] for m in markers)
    # 5.9 min (le15), 32.0 min (30_60), 74.7 min (gt60)
    assert colours == Counter({cov.BAND_COLORS["le15"]: 1, cov.BAND_COLORS["30_60"]: 1,
                               cov.BAND_COLORS["gt60"]: 1})
    assert any(isinstance(c, CoverageLegend) for c in fg._children.values())
    assert _circles(fg) == []


def test_2030_moves_the_far_town_into_the_best_band():
    d = make_data()
    res = cov.coverage_scenarios(d)
    fg = coverage_layer(d, res, lang="en", scenario="2030", target="hsr")
    colours = Counter(m.options["fillColor"] for m in _markers(fg))
    assert colours == Counter({cov.BAND_COLORS["le15"]: 2, cov.BAND_COLORS["15_30"]: 1})
    assert fg.layer_name == "Coverage: High-speed-rail station (2030 built as planned)"
    html = folium.Map().add_child(fg).get_root().render()
    assert "Shizhong: 6 min, 3.0 km, nearest:" in html and "schematic position" in html
    assert "detour factor 1.3" in html


def test_rings_in_metres_around_each_target():
    d = make_data()
    res = cov.coverage(d, scenario="2030", target_kinds=["expressway"])
    fg = coverage_layer(d, res, lang="zh", scenario="2030", target="expressway", rings_km=(10, 20))
    circles = _circles(fg)
    assert len(circles) == 3 * 2  # 3 entrances in 2030 × 2 rings
    assert sorted({c.options["radius"] for c in circles}) == [10000.0, 20000.0]


def test_legend_entries_are_translated_and_ordered():
    zh = legend_entries("zh")
    en = legend_entries("en")
    assert [b for b, _, _ in zh] == ["le15", "15_30", "30_60", "gt60", "none"]
    assert en[0][2] == "≤ 15 min" and zh[3][2] == "> 60 分钟"
    assert [c for _, c, _ in en] == [cov.BAND_COLORS[b] for b, _, _ in en]


def test_feature_group_for_main_map_uses_the_same_numbers():
    d = make_data()
    fg = coverage_feature_group(d, lang="zh", scenario="2025", target="rail")
    res = cov.coverage(d, scenario="2025", target_kinds=["rail"], include_parks=False)
    expected = [cov.BAND_COLORS[b] for b in res["band"]]
    assert [m.options["fillColor"] for m in _markers(fg)] == expected
    m = folium.Map()
    fg.add_to(m)
    assert "dz-coverage-legend" in m.get_root().render()


def test_gcj02_shift_moves_markers_about_half_a_kilometre():
    d = make_data()
    res = cov.coverage(d, scenario="2025", target_kinds=["rail"], include_parks=False)
    a = _markers(coverage_layer(d, res, lang="zh", scenario="2025", target="rail"))
    b = _markers(coverage_layer(d, res, lang="zh", scenario="2025", target="rail", gcj02=True))
    dlon = b[0].location[1] - a[0].location[1]
    assert 0.003 < dlon < 0.008  # ~ 0.5 km east at 37° N
    assert b[0].location[0] != pytest.approx(a[0].location[0], abs=1e-7)


def test_real_data_layer_matches_coverage():
    from geo.paths import DATA_DIR

    if not (DATA_DIR / "towns.csv").is_file() or not (DATA_DIR / "networks" / "stations.geojson").is_file():
        pytest.skip("real data not there yet")
    from geo.load import load_all

    data = load_all()
    res = cov.coverage(data, scenario="2030", target_kinds=["hsr"], include_parks=False)
    fg = coverage_feature_group(data, lang="zh", scenario="2030", target="hsr")
    drawn = [m.options["fillColor"] for m in _markers(fg)]
    located = res[res["lon"].notna()]
    assert drawn == [cov.BAND_COLORS[b] for b in located["band"]]
    assert len(drawn) == len(data.towns[data.towns.geometry.notna()])


def _fit_bounds(fmap: folium.Map) -> list[list[float]]:
    fits = [c for c in fmap._children.values() if isinstance(c, folium.map.FitBounds)]
    assert len(fits) == 1
    return fits[0].bounds


def test_coverage_map_draws_what_it_measured_to_and_follows_the_county():
    from layers.coverage import coverage_map, lines_layer, targets_layer
    from tests.toy_data import utm_point

    d = make_data()
    res = cov.coverage_scenarios(d)
    fmap = coverage_map(d, res, lang="zh", scenario="2030", target="expressway", unit="371481", basemap="none")
    html = fmap.get_root().render()
    # county names, the lines and the entrances measured to, and the towns
    assert json.dumps("庆云县")[1:-1] in html and json.dumps("乐陵市")[1:-1] in html  # DivIcon html is JSON
    assert "滨德高速" in html and "庆云至章丘高速公路 · 高速公路 · 示意 · 规划" in html
    assert "庆云南出入口 · 规划示意位置" in html and "甲出入口" in html
    # fitted to 乐陵 (x 520–560 km, y 4100–4140 km in UTM 50N), not to the city (x from 480 km)
    (s, w), (n, e) = _fit_bounds(fmap)
    sw, ne = utm_point(520000, 4100000), utm_point(560000, 4140000)
    assert w == pytest.approx(sw.x, abs=0.02) and e == pytest.approx(ne.x, abs=0.02)
    assert s == pytest.approx(sw.y, abs=0.02) and n == pytest.approx(ne.y, abs=0.02)
    city = coverage_map(d, res, lang="en", scenario="2025", target="rail", unit="city", basemap="none")
    assert _fit_bounds(city)[0][1] == pytest.approx(utm_point(480000, 4100000).x, abs=0.02)
    # lines per target kind: 2 rail lines (京沪高铁 twice + 京沪铁路) for rail, the expressway for expressway
    assert len([c for c in lines_layer(d, lang="en", scenario="2025", target="rail")._children.values()
                if isinstance(c, folium.PolyLine)]) == 3
    assert len([c for c in lines_layer(d, lang="en", scenario="2025", target="hsr")._children.values()
                if isinstance(c, folium.PolyLine)]) == 2
    # targets: one marker each; the planned one dashed
    marks = _markers(targets_layer(d, lang="en", scenario="2030", target="expressway"))
    assert len(marks) == 3 and [m.options.get("dashArray") for m in marks].count("2 2") == 1


def test_tooltips_mark_assumed_entrances_and_outside_targets():
    from layers.coverage import targets_layer
    from tests.toy_data import utm_point

    d = make_data()
    ent = d.networks["expressway_entrances"].copy()
    ent["basis"], ent["precision"] = ["assumed", "known"], ["town", "town"]
    ent.loc[0, "geometry"] = utm_point(500000, 4120000)  # at 渤海路街道's point
    ent.loc[1, "geometry"] = utm_point(570000, 4130000)  # beyond 乐陵's east edge: a neighbouring city
    d.networks["expressway_entrances"] = ent
    res = cov.coverage(d, scenario="2025", target_kinds=["expressway"], include_parks=False)
    html = folium.Map().add_child(coverage_layer(d, res, lang="zh", scenario="2025", target="expressway")) \
        .get_root().render()
    assert "渤海路街道：0 分钟，0.0 公里，最近：甲出入口（直线估算） · 推定入口（未核实是否存在） · 设施按本镇点放置" in html
    assert "市中街道：59 分钟，30.0 公里，最近：乙出入口（直线估算） · 外市" in html  # 58.5 min
    marks = _markers(targets_layer(d, lang="en", scenario="2025", target="expressway"))
    assert [m.options["fillColor"] for m in marks] == ["#ffffff", "#bdbdbd"]
    assert [m.options.get("dashArray") for m in marks] == ["2 2", None]
