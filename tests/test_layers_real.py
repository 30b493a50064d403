"""The real city map from the shipped data (geo.load.load_all): every layer present, payload under 2 MB."""

from __future__ import annotations

import folium
import pytest

from i18n import t
from layers.map_builder import LAYER_KEYS, build_map, layer_feature_counts

pytestmark = pytest.mark.slow

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


# --- the view fits the unit's outline; networks are clipped for display to the city outline + 10 km ----------

def _fit(m: folium.Map) -> list[list[float]]:
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    assert len(fits) == 1
    return fits[0].bounds


def _outline_bounds(geom) -> list[float]:
    """south, west, north, east (as FitBounds holds them, flattened)."""
    minx, miny, maxx, maxy = geom.bounds
    return [miny, minx, maxy, maxx]


def _flat(bounds: list[list[float]]) -> list[float]:
    return [*bounds[0], *bounds[1]]


def test_real_fit_bounds_are_the_unit_outline(real_data):
    import shapely

    city = shapely.union_all(list(real_data.counties.geometry))
    m = build_map(real_data, layers=LAYER_KEYS)
    assert _flat(_fit(m)) == pytest.approx(_outline_bounds(city), abs=6e-5)  # outlines drawn to 4 decimals
    # Dezhou spans about 36.41–38.01 N, 115.76–117.60 E; the networks reach 36.2–38.2 / 115.7–117.9
    (s, w), (n, e) = _fit(m)
    assert 36.3 < s < 36.5 and 37.9 < n < 38.1 and 115.7 < w < 115.8 and 117.5 < e < 117.7
    qihe = real_data.counties[real_data.counties["adcode"].astype(str) == "371425"].geometry.iloc[0]
    m_qihe = build_map(real_data, unit="371425", layers=LAYER_KEYS)
    assert _flat(_fit(m_qihe)) == pytest.approx(_outline_bounds(qihe), abs=6e-5)


def _network_coords(m: folium.Map, lang: str = "zh") -> list[tuple[float, float]]:
    """Every lon/lat of the GeoJSON features in the transport and river groups."""
    names = {t(f"layers.name.{k}", lang) for k in ("transport_existing", "transport_planned", "rivers")}
    out: list[tuple[float, float]] = []

    def walk(el):
        for c in el._children.values():
            yield c
            yield from walk(c)

    for g in m._children.values():
        if isinstance(g, folium.FeatureGroup) and g.layer_name in names:
            for c in walk(g):
                if isinstance(c, folium.GeoJson):
                    for f in c.data["features"]:
                        out += [tuple(xy) for xy in _flatten(f["geometry"]["coordinates"])]
                elif isinstance(c, folium.Marker):
                    lat, lon = c.location
                    out.append((lon, lat))
    return out


def _flatten(coords):
    if isinstance(coords[0], int | float):
        yield coords[:2]
        return
    for c in coords:
        yield from _flatten(c)


def test_real_networks_clipped_to_city_plus_10km(real_data):
    import geopandas as gpd
    import shapely

    before = {k: v.geometry.copy() for k, v in real_data.networks.items()}
    m = build_map(real_data, layers=LAYER_KEYS)
    coords = _network_coords(m)
    assert len(coords) > 200
    city = gpd.GeoSeries([shapely.union_all(list(real_data.counties.geometry))], crs="EPSG:4326").to_crs(32650)
    pts = gpd.GeoSeries(gpd.points_from_xy([c[0] for c in coords], [c[1] for c in coords]), crs="EPSG:4326")
    dist = pts.to_crs(32650).distance(city.iloc[0])
    assert dist.max() <= 12_000  # nothing farther than ~12 km outside Dezhou
    assert dist.max() > 5_000  # but just-outside context (border stations, entrances) is kept
    # the raw data reach ~25 km beyond the outline: the clip is what keeps the view on Dezhou
    raw = gpd.GeoSeries(list(real_data.networks["rail"].geometry), crs="EPSG:4326").to_crs(32650)
    assert raw.apply(lambda g: shapely.hausdorff_distance(g, g.intersection(city.iloc[0].buffer(0)))).max() > 20_000
    # analysis data untouched (display only)
    for k, v in real_data.networks.items():
        assert v.geometry.equals(before[k]), k


def test_real_no_layer_control_and_compact_legend(real_data):
    from geo.text import escape_html
    from layers.legend import Legend

    m = build_map(real_data, layers=LAYER_KEYS, lang="en")
    # the sidebar is the one layer switch (an exported page gets its own control, see ui.map_view.map_html)
    assert [c for c in m._children.values() if isinstance(c, folium.LayerControl)] == []
    assert m.options["zoom_snap"] == 0.1
    legends = [c for c in m._children.values() if isinstance(c, Legend)]
    assert len(legends) == 1 and legends[0].position == "bottomleft"
    html = legends[0].html
    assert html.startswith("<details open><summary") and "dz-lg-body" in html
    for key in ("counties", "tianqu", "towns", "rivers", "transport_existing", "transport_planned", "water",
                "culture_tourism"):
        assert escape_html(t(f"layers.name.{key}", "en")) in html, key
    for key in ("precision_approximate", "precision_schematic", "precision_county", "precision_town",
                "precision_site"):
        assert escape_html(t(f"layers.legend.{key}", "en")) in html, key
    page = m.get_root().render()
    assert "max-height:min(30vh,220px);overflow-y:auto" in page and "font:11px/1.25 sans-serif" in page


def test_real_label_points_do_not_pile_up(real_data):
    """德城区's name sits in its part outside 天衢新区, ≥ 8 km from the 天衢新区 badge."""
    import geopandas as gpd

    from layers.view import build_view

    v = build_view(real_data, "city")
    pts = gpd.GeoSeries(v.label_points, crs="EPSG:4326").to_crs(32650)
    assert pts["371402"].distance(pts["tianqu"]) > 8_000
    codes = [c for c in pts.index if c != "tianqu"]
    nearest = min(pts[a].distance(pts[b]) for a in codes for b in codes if a < b)
    assert nearest > 15_000  # county labels at least ~15 km apart


def test_planned_transport_count_is_of_works_not_drawn_pieces(real_data):
    """QA: the sidebar said 'Planned transport works (11 on map / 9 in the plan)' for 齐河县, counting the 11 line
    pieces of 8 works (济南至宁津高速 and the widenings are drawn in several pieces)."""
    from layers.networks import records
    from layers.view import build_view

    view = build_view(real_data, "371425", lang="zh", shift=False, simplify_m=0.0)
    pieces = [p.get("plan_item_id") for p, g in records(view.networks["planned_works"])
              if g is not None and not g.is_empty]
    assert len(pieces) == 11 and len(set(pieces)) == 8
    assert layer_feature_counts(real_data, "371425", ["transport_planned"])["transport_planned"] == 8
