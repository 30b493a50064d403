"""The maps never depend on a CDN: what the app hands to st_folium (AppTest, real data), the localisation of
folium's asset links (incl. MarkerCluster) and the standalone HTML export; missing data files are reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest
from apptest_support import APP, folium_components, open_tab, plain
from folium.plugins import MarkerCluster
from streamlit.testing.v1 import AppTest

from i18n import t
from layers.basemaps import BASEMAPS
from layers.geojson_layer import sent_layers
from layers.map_builder import DEFAULT_SIMPLIFY_M, LAYER_KEYS, build_map, outline_bounds
from layers.view import build_view
from ui.map_view import (
    LOCAL_ASSETS,
    STATIC_URL,
    UNUSED_ASSETS,
    VENDOR,
    localise,
    map_html,
    map_payload,
    uses_jquery,
)

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://[^\s\"'<>()\\`]+")
# the SVG namespace identifier in the inline marker symbols is a name, never fetched by the browser
SVG_NS = "http://www.w3.org/2000/svg"
ALL_LAYERS = ",".join(LAYER_KEYS)
LEAFLET_BANNER = "Leaflet 1.9.3"  # first line of the vendored leaflet.js


def external_urls(text: str) -> set[str]:
    return {u for u in URL.findall(text.replace(SVG_NS, ""))}


def test_vendored_files_exist():
    assert sorted(LOCAL_ASSETS.values()) == sorted(
        str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.suffix in (".js", ".css"))
    assert (VENDOR / "leaflet-1.9.3" / "leaflet.js").read_text(encoding="utf-8").startswith("/* @preserve\n * " +
                                                                                                 LEAFLET_BANNER)
    assert "markerClusterGroup" in (VENDOR / "leaflet.markercluster-1.1.0" / "leaflet.markercluster.js").read_text()
    cfg = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^\[server\][^\[]*^enableStaticServing = true$", cfg, flags=re.M | re.S)


@pytest.mark.apptest
def test_main_map_basemap_none_has_no_external_url():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang="en", layers=ALL_LAYERS, basemap="none")
    at.run()
    assert not at.exception
    (args,) = folium_components(at)
    # no jQuery: every marker is in a merged layer, whose popups need no $(…) (folium lists jQuery for every map)
    assert args["js_links"] == [STATIC_URL + "leaflet-1.9.3/leaflet.js"]
    assert "$(" not in args["script"] and not uses_jquery(args["script"])
    assert args["css_links"] == [STATIC_URL + "leaflet-1.9.3/leaflet.css"]
    assert external_urls(json.dumps(args, ensure_ascii=False)) == set()
    assert "L.geoJson(" in args["script"] or "L.geoJSON(" in args["script"]  # the map itself is there


@pytest.mark.apptest
def test_main_map_online_basemap_only_tiles_are_external():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang="en", basemap="osm")
    at.run()
    (args,) = folium_components(at)
    assert external_urls(json.dumps(args, ensure_ascii=False)) == {BASEMAPS["osm"].url}
    assert all(u.startswith(STATIC_URL) for u in args["js_links"] + args["css_links"])


@pytest.mark.apptest
def test_coverage_map_goes_through_the_same_localisation():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang="en", basemap="none")
    at.run()
    open_tab(at, "coverage")
    assert not at.exception
    (args,) = folium_components(at)  # only the open tab runs: this is the coverage map
    assert "L.circleMarker(" in args["script"] or "L.geoJson(" in args["script"]
    assert args["js_links"] == [STATIC_URL + "leaflet-1.9.3/leaflet.js"]  # its script uses no jQuery either
    assert external_urls(json.dumps(args, ensure_ascii=False)) == set()


@pytest.mark.apptest
def test_coverage_map_has_faint_county_outlines_and_fits_the_city(data):
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang="en", basemap="none")
    at.run()
    open_tab(at, "coverage")
    assert not at.exception
    (args,) = folium_components(at)
    script = args["script"]
    # the 11 counties as one GeoJson layer of outlines: grey county.context line, no fill, not clickable
    specs = sent_layers(script)
    collections = [spec["data"] for spec in specs]
    polygons = [c for c in collections if all("Polygon" in f["geometry"]["type"] for f in c["features"])]
    assert len(polygons) == 1 and len(polygons[0]["features"]) == len(data.counties) == 11
    (outlines,) = [spec for spec in specs if spec["data"] is polygons[0]]
    assert outlines["styles"] == [{"color": "#9e9e9e", "fill": False, "fillColor": "#eeeeee", "fillOpacity": 0.0,
                                   "interactive": False, "opacity": 0.7, "weight": 1.0}]
    # outlines drawn below the town markers
    assert script.index("DZ.layer(") < script.index("L.circleMarker(", script.index("DZ.layer("))
    # fitted to the city outline (the main map's city bounds), not a fixed centre and zoom
    city = outline_bounds(build_view(data, "city", lang="en", simplify_m=DEFAULT_SIMPLIFY_M))
    assert city == [[36.4084, 115.7595], [38.0108, 117.6004]]  # outlines are drawn to 4 decimals (≤ 11 m)
    fit = re.search(r"\.fitBounds\(\s*(\[\[.*?\]\])", script)
    assert fit is not None and json.loads(fit.group(1)) == city
    assert '"zoomSnap": 0.1' in script


def test_marker_cluster_assets_are_local():
    m = folium.Map(location=[37.4, 116.3], zoom_start=9, tiles=None)
    mc = MarkerCluster().add_to(m)
    folium.Marker([37.4, 116.3]).add_to(mc)
    html = localise(m).get_root().render()
    srcs = re.findall(r'<script src="([^"]+)"', html)
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert STATIC_URL + "leaflet.markercluster-1.1.0/leaflet.markercluster.js" in srcs
    assert STATIC_URL + "leaflet.markercluster-1.1.0/MarkerCluster.css" in hrefs
    assert STATIC_URL + "leaflet.markercluster-1.1.0/MarkerCluster.Default.css" in hrefs
    assert all(u.startswith(STATIC_URL) for u in srcs + hrefs)
    for u in srcs + hrefs:
        assert (VENDOR / u.removeprefix(STATIC_URL)).is_file()
    assert not any(u in html for u in UNUSED_ASSETS)


@pytest.mark.slow
def test_exported_html_is_standalone(data):
    m = build_map(data, unit="371425", layers=list(LAYER_KEYS), basemap="none", lang="en")
    html = map_html(m)
    assert re.findall(r"<script[^>]*\ssrc=", html) == []
    assert re.findall(r'<link rel="stylesheet"', html) == []
    assert STATIC_URL not in html
    leaflet = (VENDOR / "leaflet-1.9.3" / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet[:2000] in html and LEAFLET_BANNER in html
    assert "jQuery v3.7.1" not in html and "$(`" not in html  # no marker popup needs it: not inlined
    # Leaflet's CSS inline, its layer-control icon as a data URI (no relative image path left)
    assert ".leaflet-control-layers-toggle" in html and "url(data:image/png;base64," in html
    assert "url(images/" not in html
    assert "L.map(" in html and "L.control.layers(" in html
    # nothing is fetched from outside: the remaining URLs are Leaflet's attribution link and a comment in its CSS
    vendored = "".join(p.read_text(encoding="utf-8") for p in VENDOR.rglob("*.css")) + leaflet
    assert external_urls(html) == {"https://leafletjs.com", "https://bugzilla.mozilla.org/show_bug.cgi?id=888319"}
    assert external_urls(html) <= external_urls(vendored)
    # the cached map itself is untouched (still folium's CDN links)
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in m.get_root().render()


@pytest.mark.apptest
def test_missing_data_files_are_shown_not_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("DEZHOU_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang="en")
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith(t("ui.data.errors", "en", n=5))
    assert str(tmp_path) not in errors[0]  # no server path for visitors
    for f in ("units.csv", "counties.geojson", "towns.csv", "projects.csv", "town_roles.csv"):
        assert f"- {f}: error: file is missing" in plain(errors[0])
    assert [w.value for w in at.warning] == [t("ui.data.unusable", "en")]
    assert folium_components(at) == []  # no map, no invented data


def test_jquery_only_for_a_map_that_uses_it(data):
    """The map of a selection opens the item's popup: that marker stays a folium marker, whose HTML popup is built
    with jQuery, so jQuery is loaded (and inlined in the export); the same view without a selection loads none."""
    items = data.items[data.items.geometry.notna()]
    pick = str(items[items.geometry.geom_type == "Point"]["id"].iloc[0])  # an item drawn as a marker
    leaflet, jquery = STATIC_URL + "leaflet-1.9.3/leaflet.js", STATIC_URL + "jquery-3.7.1/jquery.min.js"
    with_popup = build_map(data, unit="city", layers=list(LAYER_KEYS), basemap="none", lang="en", selected=pick)
    payload = map_payload(with_popup)
    assert "$(`" in payload.script and payload.js_links == (leaflet, jquery)
    assert "jQuery v3.7.1" in map_html(with_popup)
    plain_map = build_map(data, unit="city", layers=list(LAYER_KEYS), basemap="none", lang="en")
    assert map_payload(plain_map).js_links == (leaflet,)
    assert "jQuery v3.7.1" not in map_html(plain_map)
