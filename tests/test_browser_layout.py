"""The map's layout in a real browser (issue 11 items 3, 7, 19): a sidebar layer switch keeps the user's zoom and
pan, popups are not covered by the legend, and at phone size (390×844) the unit fills the map, the legend starts
collapsed, labels do not pile up and the main pages do not overflow sideways.

Chromium and the app as in tests/test_browser_e2e.py (no internet; skips without /usr/bin/chromium unless CI).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import TIMEOUT, require_chromium, wait_idle

from bench.browser import MAP_IFRAME, new_page, wait_for_map
from i18n import t

pytestmark = pytest.mark.browser

sync_api = require_chromium()
expect = sync_api.expect


def map_frame(page: Any) -> Any:
    """The Frame of the (newest) map iframe once its map has drawn features (to evaluate script in it)."""
    wait_for_map(page)
    frames = page.locator(MAP_IFRAME)
    return frames.nth(frames.count() - 1).element_handle().content_frame()


def view_of(frame: Any) -> tuple[float, float, float]:
    return tuple(frame.evaluate("() => { var c = window.map.getCenter(); return [window.map.getZoom(), c.lat, c.lng]; }"))


def test_sidebar_layer_switch_keeps_zoom_and_pan_and_no_second_layer_control(app_url, browser):
    page = new_page(browser)
    page.goto(app_url + "/?unit=371425")
    frame = map_frame(page)
    assert frame.locator(".leaflet-control-layers").count() == 0  # the sidebar is the one layer switch
    z0, _, _ = view_of(frame)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    frame.evaluate("() => window.map.panBy([120, -80], {animate: false})")
    page.wait_for_timeout(300)
    zoomed = view_of(frame)
    assert zoomed[0] > z0 + 1.5
    water = t("layers.name.water", "zh")
    page.locator('[data-testid="stSidebar"]').get_by_text(re.compile(rf"^{re.escape(water)}\s*[（(]")).click()
    expect(page).to_have_url(re.compile(r"layers=[^&]*water"), timeout=TIMEOUT)
    wait_idle(page)
    page.wait_for_timeout(1500)
    frame2 = map_frame(page)
    assert frame2 != frame  # a new map (new layers) …
    after = view_of(frame2)
    assert after[0] == pytest.approx(zoomed[0], abs=0.01)  # … at the user's zoom and centre
    assert after[1] == pytest.approx(zoomed[1], abs=1e-4) and after[2] == pytest.approx(zoomed[2], abs=1e-4)

    # another unit is fitted again (not the stored view of 齐河县)
    page.goto(app_url + "/?unit=371482")
    frame3 = map_frame(page)
    page.wait_for_timeout(500)
    assert view_of(frame3)[0] < zoomed[0] - 1


def test_open_popup_is_not_covered_by_the_legend(app_url, browser):
    page = new_page(browser)
    page.goto(app_url)
    frame = map_frame(page)
    page.wait_for_timeout(500)
    legend = frame.locator(".dz-legend")
    assert legend.is_visible()
    frame.evaluate("""() => {
        var m = window.map, s = m.getSize();
        var ll = m.containerPointToLatLng([140, s.y - 30]);
        m.openPopup('<div style="width:300px;height:200px">test popup</div>', ll, {autoPan: false});
    }""")
    page.wait_for_timeout(500)
    assert frame.locator(".leaflet-popup").count() == 1
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.dz-legend')).visibility") == "hidden"
    frame.evaluate("() => window.map.closePopup()")
    page.wait_for_timeout(300)
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.dz-legend')).visibility") == "visible"


def test_phone_390x844_city_view_fits_the_map_and_the_pages_do_not_overflow(app_url, browser):
    page = new_page(browser, width=390, height=844)
    page.goto(app_url)
    frame = map_frame(page)
    page.wait_for_timeout(2500)  # labels are thinned after the map's last fit (resize, fonts)
    assert frame.locator(".dz-legend details[open]").count() == 0  # the legend starts collapsed
    box = frame.evaluate("""() => {
        var m = window.map, b = L.latLngBounds(m._dzFit), s = m.getSize();
        var sw = m.latLngToContainerPoint(b.getSouthWest()), ne = m.latLngToContainerPoint(b.getNorthEast());
        return {w: ne.x - sw.x, h: sw.y - ne.y, left: sw.x, top: ne.y, mw: s.x, mh: s.y};
    }""")
    # the whole city is inside the map and fills it along one side (was crushed into ~150 px beside the legend)
    assert box["left"] >= 0 and box["top"] >= 0 and box["left"] + box["w"] <= box["mw"] + 1
    assert box["w"] >= 0.8 * box["mw"] or box["h"] >= 0.8 * box["mh"], box
    # visible labels never overlap each other
    rects = frame.evaluate("""() => Array.prototype.filter.call(document.querySelectorAll('.dz-label'),
        function(el) { return getComputedStyle(el).visibility !== 'hidden'; })
        .map(function(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
    assert len(rects) >= 3
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # the main pages fit the phone's width (no sideways scrolling)
    for tab in ("map", "county"):
        if tab != "map":
            page.get_by_role("tab", name=t(f"ui.tab.{tab}", "zh")).click()
            wait_idle(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 391, (tab, width)
