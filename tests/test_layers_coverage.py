"""The coverage map layer: one circle marker per town, coloured by access band; rings; legend; same numbers."""

from __future__ import annotations

from collections import Counter

import folium
import pytest
from test_coverage_fixtures import make_data

from geo import coverage as cov
from layers.coverage import CoverageLegend, coverage_feature_group, coverage_layer, legend_entries


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
    assert fg.layer_name == "Coverage: High-speed-rail station (2030)"
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
