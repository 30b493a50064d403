"""reports.mapplot: the static map uses the web map's style registry, selection and precision rules."""

from __future__ import annotations

import pytest

from layers.keys import ITEM_LAYER_KEYS, LAYER_KEYS
from layers.styles import style
from layers.view import build_view
from reports import mapplot
from reports.factsheet import PDF_LAYERS, fonts_for

pytestmark = pytest.mark.slow


def test_dashes_and_widths_come_from_the_style_registry():
    st = style("precision.schematic")  # "8 6" px
    kw = mapplot.style_line_kwargs(st)
    assert kw["linestyle"] == (0, (8 * mapplot.PX_PT, 6 * mapplot.PX_PT))
    assert kw["color"] == st.color and kw["linewidth"] == st.weight * mapplot.PX_PT
    assert mapplot.dashes("") is None and mapplot.dashes("2") == (1.2, 1.2)
    ring = mapplot.marker_kwargs(style("item.parks"), hollow=True)
    assert ring["markerfacecolor"] == "#ffffff" and ring["markeredgecolor"] == style("item.parks").color
    assert mapplot.marker_kwargs(style("town.center"))["marker"] == "s"


def test_every_map_layer_can_be_drawn():
    assert set(mapplot.SUPPORTED_LAYERS) == set(LAYER_KEYS)
    with pytest.raises(ValueError, match="unknown layer"):
        mapplot.check_layers(["counties", "power_plants_x"])
    assert mapplot.check_layers(["towns", "counties"]) == ["counties", "towns"]


def test_true_north_at_the_central_meridian_and_west_of_it():
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", mapplot.METRIC, always_xy=True)
    assert abs(mapplot.true_north_angle(*fwd.transform(117.0, 37.4))) < 0.01  # UTM 50N central meridian
    west = mapplot.true_north_angle(*fwd.transform(116.0, 37.4))
    assert 0.5 < abs(west) < 0.7  # convergence ≈ Δλ · sin φ = 0.61°


@pytest.mark.parametrize("unit", ["371425", "371482", "tianqu", "city"])
def test_only_located_items_are_drawn_and_county_only_items_are_counted(data, unit):
    img = mapplot.render_map(data, unit, lang="zh", fonts=fonts_for(data), layers=PDF_LAYERS, size_in=(6, 5),
                             dpi=60, footer=False)
    view = build_view(data, unit)
    located = view.items[view.items["precision"].isin(["site", "town", "schematic"]) & view.items.geometry.notna()]
    drawn_items = sum(n for k, n in img.drawn.items() if k in ITEM_LAYER_KEYS and k != "transport_planned")
    assert drawn_items == len(located[located["category"] != "transport"])
    county = view.items[view.items["precision"] == "county"]
    expected: dict[str, int] = {}
    for units in county["unit_list"]:
        for u in units:
            if u != "city" and (unit == "city" or u == unit):
                expected[u] = expected.get(u, 0) + 1
    assert img.county_only == expected
    assert "precision.county" in img.legend.get("county_only", [])


def test_map_frame_fits_the_unit(data):
    img = mapplot.render_map(data, "371423", lang="en", fonts=fonts_for(data), size_in=(6, 4), dpi=50)
    minx, miny, maxx, maxy = img.extent_m
    assert 3.0 < (maxx - minx) / 1000 < 120  # 庆云县 is about 40 km across; the frame adds padding and aspect
    left, top, right, bottom = img.frame_px
    assert 0 <= left < right <= img.width_px and 0 <= top < bottom <= img.height_px
    assert img.outline_color == style("county.selected").color


def test_existing_energy_layer_draws_every_plant_and_substation_of_the_view(data):
    img = mapplot.render_map(data, "city", lang="en", fonts=fonts_for(data), layers=["counties", "energy_existing"],
                             size_in=(6, 4), dpi=50, footer=False)
    view = build_view(data, "city")
    n = sum(len(view.networks.get(k, [])) for k in ("power_plants", "substations"))
    assert n > 0 and img.drawn["energy_existing"] == n
    assert {"energy.plant", "energy.substation"} <= set(img.legend["energy_existing"])
