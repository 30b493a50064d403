"""Style and basemap registries: complete entries only, the intended looks, every label translated."""

from __future__ import annotations

import dataclasses

import folium
import pytest

from i18n import catalog
from layers.basemaps import BASEMAPS, Basemap, add_basemap, get_basemap, tile_url
from layers.styles import (
    STATUS_KEYS,
    STYLES,
    Style,
    marker_svg,
    mode_style,
    status_style,
    style,
    town_role_style,
    work_line_options,
)

_FULL = dict(key="x", label_key="layers.legend.county", shape="circle", color="#112233", fill_color="#112233",
             weight=1.0, opacity=1.0, fill_opacity=0.5, dash="", radius=5, z=1)


def test_style_with_a_missing_field_is_refused():
    partial = {k: v for k, v in _FULL.items() if k != "dash"}
    with pytest.raises(TypeError):
        Style(**partial)
    with pytest.raises(ValueError, match="missing"):
        Style(**{**_FULL, "color": None})
    with pytest.raises(ValueError, match="rrggbb"):
        Style(**{**_FULL, "color": "red"})
    with pytest.raises(ValueError, match="radius"):
        Style(**{**_FULL, "radius": 0})
    with pytest.raises(ValueError, match="0..1"):
        Style(**{**_FULL, "opacity": 1.5})
    assert Style(**_FULL).path_options()["radius"] == 5


def test_every_registered_style_has_all_fields_and_translated_labels():
    zh, en = catalog("zh"), catalog("en")
    names = {f.name for f in dataclasses.fields(Style)}
    assert len(names) == 11
    for key, st in STYLES.items():
        assert st.key == key
        assert st.label_key in zh and st.label_key in en, key
    with pytest.raises(KeyError, match="no style registered"):
        style("no.such.style")


def test_town_roles_are_distinct_and_other_towns_muted():
    center, feature, coop = (town_role_style([r]) for r in ("center", "feature", "cooperation"))
    assert (center.key, feature.key, coop.key) == ("town.center", "town.feature", "town.cooperation")
    assert len({center.shape, feature.shape, coop.shape}) == 3
    assert len({center.color, feature.color, coop.color}) == 3
    plain = town_role_style([])
    assert plain.key == "town.plain"
    assert plain.radius < min(center.radius, feature.radius, coop.radius)
    assert plain.opacity < center.opacity
    # a town with two roles takes the higher-priority one (祝阿镇: center + feature)
    assert town_role_style(["feature", "center"]).key == "town.center"


def test_status_styles_solid_bold_dashed_and_faded():
    assert status_style("existing").dash == ""
    for s in ("complete", "start", "strive_start"):
        st = status_style(s)
        assert st.dash and st.weight >= 4.5, s
    for s in ("preparatory", "planned"):
        st = status_style(s)
        assert st.dash and st.weight <= 2 and st.opacity <= 0.6, s
    assert len({status_style(s).dash for s in ("complete", "start", "strive_start")}) == 3
    assert status_style("nonsense").key == "status.unspecified"
    assert set(STATUS_KEYS) == {k.split(".", 1)[1] for k in STYLES if k.startswith("status.")}
    opts = work_line_options("hsr", "start")
    assert opts["color"] == mode_style("hsr").color and opts["dashArray"] == "10 6" and opts["weight"] == 5.0
    assert "dashArray" not in work_line_options("expressway", "existing")


def test_precision_styles():
    site, town = style("precision.site"), style("precision.town")
    assert site.fill_opacity > 0.5 and not site.hollow
    assert town.hollow and town.weight >= 3
    assert style("precision.schematic").dash == "8 6"
    approx = style("precision.approximate")
    assert approx.dash == "2 4" and approx.fill_opacity <= 0.1
    assert style("town_area").dash == "2 4" and style("town_area").fill_opacity <= 0.05
    # a hollow marker is a ring with a white centre
    svg = marker_svg(style("item.parks"), hollow=True)
    assert 'fill="#ffffff"' in svg and 'stroke="#1f78b4"' in svg
    assert 'fill="#1f78b4"' in marker_svg(style("item.parks"))


def test_basemap_registry_complete_and_keyless():
    assert set(BASEMAPS) == {"none", "osm", "light", "satellite", "amap", "tianditu"}
    with pytest.raises(TypeError):
        Basemap("x", "x", "x", "", "", "", 18, "", "wgs84")  # needs_key missing
    with pytest.raises(ValueError, match="attribution"):
        Basemap("x", "x", "x", "https://a/{z}/{x}/{y}.png", "", "", 18, "", "wgs84", False)
    with pytest.raises(ValueError, match="datum"):
        Basemap("x", "x", "x", "", "", "", 18, "", "bd09", False)
    assert get_basemap("osm").attribution == "© OpenStreetMap contributors"
    assert get_basemap("amap").datum == "gcj02"
    assert get_basemap("tianditu").datum == "cgcs2000" and get_basemap("tianditu").needs_key
    assert all(b.datum == "wgs84" for k, b in BASEMAPS.items() if k not in ("amap", "tianditu"))
    for b in BASEMAPS.values():  # no key is ever shipped
        assert "tk=" not in b.url or b.url.endswith("tk={key}")
    with pytest.raises(KeyError):
        get_basemap("google")


def test_tianditu_needs_a_key():
    bm = get_basemap("tianditu")
    with pytest.raises(ValueError, match="key"):
        tile_url(bm, None)
    with pytest.raises(ValueError, match="key"):
        add_basemap(folium.Map(tiles=None), "tianditu")
    url = tile_url(bm, "abcdef0123456789")
    assert url.endswith("tk=abcdef0123456789") and "vec_w" in url
    assert "cva_w" in tile_url(bm, "abcdef0123456789", labels=True)
    with pytest.raises(ValueError):
        tile_url(bm, "bad key&x=1")


def test_blank_basemap_adds_no_tiles():
    m = folium.Map(tiles=None)
    add_basemap(m, "none")
    assert not [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    m2 = folium.Map(tiles=None)
    add_basemap(m2, "osm")
    tiles = [c for c in m2._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1 and tiles[0].tiles == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap contributors" in m2.get_root().render()
