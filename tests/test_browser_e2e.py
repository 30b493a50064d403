"""End to end in a real browser: the app in a subprocess (`streamlit run`), Debian's /usr/bin/chromium driven by
Playwright, no internet: every request to a host other than 127.0.0.1/localhost is aborted (nothing is stubbed), so
the map draws only because the app serves Leaflet itself (static/vendor at /app/static/vendor; jQuery too,
for a map that uses it).

Skips when /usr/bin/chromium is absent, unless the environment variable CI is set (then it fails).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, TIMEOUT, require_chromium, wait_idle

from bench.browser import MAP_IFRAME, new_page, wait_for_map
from i18n import t
from ui.data import load_plan_data

pytestmark = pytest.mark.browser


sync_api = require_chromium()
expect = sync_api.expect
STATIC = "/app/static/vendor/"


def overlays(frame) -> list[str]:
    return [x.strip() for x in frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()]


def test_browser_flow(app_url, browser):
    data = load_plan_data()
    blocked: list[str] = []  # requests to any other host: aborted, as on a machine without internet
    requested: list[str] = []
    page = new_page(browser, blocked=blocked, requested=requested)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url)
    frame = wait_for_map(page)
    # one place switches layers: the sidebar (and the link); the map has no Leaflet layer control of its own
    expect(frame.locator(".leaflet-control-layers")).to_have_count(0)
    assert t("layers.name.counties", "zh") in frame.locator(".dz-legend").inner_text()
    # Leaflet came from the app itself (the map iframe resolves /app/static/... on the same origin); jQuery is not
    # loaded at all: no marker of this map builds its popup with $(…) (ui.map_view.uses_jquery)
    assert f"{app_url}{STATIC}leaflet-1.9.3/leaflet.js" in requested
    assert f"{app_url}{STATIC}leaflet-1.9.3/leaflet.css" in requested
    assert not [u for u in requested if "jquery" in u]

    # 1. language -> English: labels change
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.get_by_role("tab", name="County view")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("County / zone")).to_be_visible()
    wait_idle(page)  # a rerun under way would redraw the select box and detach its open option list

    # 2. select a county: the heading and the URL follow (after the runs of the switch: the new map mounts and
    # reports its first value, a rerun that would redraw an open dropdown)
    wait_for_map(page)
    wait_idle(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="County / zone").get_by_role("combobox").click()
    page.get_by_role("option", name="Qihe County (齐河县)").click()
    expect(page.get_by_text("Dezhou 15th Five-Year Plan Map · Qihe County (齐河县)")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"unit=371425"), timeout=TIMEOUT)

    # 3. toggle a layer on: the link follows and a new map is drawn (still without a second layer switch)
    water = t("layers.name.water", "en")
    page.locator('[data-testid="stSidebar"]').get_by_text(re.compile(rf"^{re.escape(water)} \(\d+ on map / \d+ listed for this unit\)$")).click()
    expect(page).to_have_url(re.compile(r"layers=[^&]*water"), timeout=TIMEOUT)
    frame = wait_for_map(page)
    expect(frame.locator(".leaflet-control-layers")).to_have_count(0)

    # 4. search an item by its alias and pick it: details show, URL holds it
    page.get_by_placeholder(t("ui.search.placeholder", "en")).fill("德商高铁")
    page.keyboard.press("Enter")
    results = page.locator('[data-testid="stSelectbox"]').filter(has_text="Results")
    expect(results).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    results.get_by_role("combobox").click()
    page.get_by_role("option", name=re.compile("德州至商河铁路")).first.click()
    expect(page.locator("h4", has_text="德州至商河铁路")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"selected=transport-b08-02"), timeout=TIMEOUT)

    # 5. a shared link reopens the same view in a fresh page
    yucheng = data.items[data.items["units"].map(lambda u: "371482" in u.split(";"))]
    sel = yucheng[yucheng.geometry.notna()]["id"].iloc[0] if yucheng.geometry.notna().any() else yucheng["id"].iloc[0]
    link = f"{app_url}/?lang=en&unit=371482&layers=counties,transport_planned,towns&selected={sel}"
    page2 = new_page(browser, blocked=blocked, requested=requested)
    page2.on("pageerror", lambda e: errors.append(str(e)))
    page2.goto(link)
    frame2 = wait_for_map(page2)
    expected = [t(f"layers.name.{k}", "en") for k in ("counties", "transport_planned", "towns")]
    # markers and lines are drawn; the legend names the visible layers only
    assert frame2.locator(".leaflet-marker-pane > *").count() > 0
    assert frame2.locator(".leaflet-overlay-pane path").count() > 0
    legend_text = frame2.locator(".dz-legend").inner_text()
    assert legend_text.startswith(t("layers.legend.title", "en"))
    assert all(n in legend_text for n in expected) and t("layers.name.water", "en") not in legend_text
    name_zh = yucheng.set_index("id").loc[sel, "name_zh"]
    expect(page2.locator("h4", has_text=name_zh)).to_be_visible(timeout=TIMEOUT)
    expect(page2.get_by_text("Yucheng City (禹城市)").first).to_be_visible()
    expect(page2.get_by_text(re.compile("Data sources:")).first).to_be_visible()  # attribution
    # the open popup lies wholly inside the map after the fit (was cut off at the top edge)
    page2.wait_for_timeout(1200)
    popup_box = frame2.locator(".leaflet-popup").first.bounding_box()
    map_box = frame2.locator(".leaflet-container").first.bounding_box()
    assert popup_box and map_box and popup_box["height"] > 100
    assert popup_box["y"] >= map_box["y"] + 5, (popup_box, map_box)
    assert popup_box["y"] + popup_box["height"] <= map_box["y"] + map_box["height"] - 5, (popup_box, map_box)
    assert map_box["x"] <= popup_box["x"] and popup_box["x"] + popup_box["width"] <= map_box["x"] + map_box["width"]
    page2.screenshot(path=str(ARTIFACTS / "e2e.png"), full_page=False)

    # 6. clicking a point on the map opens its details (no re-zoom) and updates the link
    page3 = new_page(browser, blocked=blocked, requested=requested)
    page3.on("pageerror", lambda e: errors.append(str(e)))
    page3.goto(f"{app_url}/?lang=en&unit=371482")
    frame3 = wait_for_map(page3)
    expect(page3.get_by_text(t("ui.detail.empty", "en"))).to_be_visible(timeout=TIMEOUT)
    frame3.locator(".leaflet-marker-pane > .dz-pt").first.click(force=True)
    expect(page3).to_have_url(re.compile(r"selected="), timeout=TIMEOUT)
    clicked = re.search(r"selected=([^&]+)", page3.url).group(1)
    towns = data.towns.set_index(data.towns["code"].astype(str))
    items = data.items.set_index("id")
    assert clicked in towns.index or clicked in items.index
    shown = towns.loc[clicked, "name_zh"] if clicked in towns.index else items.loc[clicked, "name_zh"]
    expect(page3.locator("h4", has_text=shown)).to_be_visible(timeout=TIMEOUT)

    # 7. the map downloads as a standalone HTML page (built on click)
    page2.get_by_role("tab", name="Share / export").click()
    html = ""
    for _attempt in range(3):  # a rerun still in flight can replace the button under the click: try again
        wait_idle(page2)
        try:
            with page2.expect_download(timeout=30_000) as dl:
                page2.get_by_role("button", name=t("ui.share.html", "en")).click()
        except sync_api.TimeoutError:
            continue
        html = Path(dl.value.path()).read_text(encoding="utf-8")
        break
    assert html.lstrip().startswith("<!DOCTYPE html>") and "L.map(" in html and "L.control.layers(" in html
    assert html.count("L.marker(") > 0 and "fitBounds(" in html
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html  # standalone: assets inline

    # 8. the exported file opens in a browser without internet and without the app
    page4 = new_page(browser, blocked=blocked)
    page4.on("pageerror", lambda e: errors.append(str(e)))
    page4.set_content(html)
    page4.locator(".leaflet-overlay-pane path").first.wait_for(state="attached", timeout=TIMEOUT)
    assert page4.locator(".leaflet-marker-pane > *").count() > 0
    # the exported page has no sidebar: its layer control lists the layers that were on
    names = overlays(page4)
    assert all(n in names for n in expected), names
    assert t("layers.name.water", "en") not in names and t("layers.name.parks", "en") not in names

    # basemap "none" (the default): the browser never tried to reach another host
    assert blocked == []
    assert errors == []



def test_coverage_map_draws_without_internet(app_url, browser):
    """The coverage tab's map is localised the same way: it draws with no internet (basemap none)."""
    blocked: list[str] = []
    page = new_page(browser, blocked=blocked)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/?lang=en")
    wait_for_map(page)
    page.get_by_role("tab", name=t("ui.tab.coverage", "en")).click()
    expect(page.get_by_text(t("coverage.tab_title", "en"))).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(MAP_IFRAME)).to_have_count(1, timeout=TIMEOUT)  # only the open tab runs
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(".leaflet-container").first.wait_for(timeout=TIMEOUT)
    frame.locator(".leaflet-overlay-pane path, .leaflet-marker-pane > *").first.wait_for(
        state="attached", timeout=TIMEOUT)
    assert frame.locator(".leaflet-overlay-pane path").count() > 50  # one circle per town / park
    # faint county outlines under the towns (not clickable)
    assert frame.locator('.leaflet-overlay-pane path[stroke="#9e9e9e"]').count() == 11
    iframe = page.locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    iframe.screenshot(path=str(ARTIFACTS / "coverage_map.png"))
    assert blocked == [] and errors == []


def test_click_on_yucheng_shizhong_selects_yucheng_town(app_url, browser):
    """A real mouse click on 禹城's 市中街道 (乐陵市 has a town of the same name) selects 禹城's town code: the click
    is matched by the feature's id (streamlit-folium returns the clicked feature), never by its name."""
    page = new_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{app_url}/?lang=en&unit=371482&layers=counties,towns")
    wait_for_map(page)
    expect(page.get_by_text(t("ui.detail.empty", "en"))).to_be_visible(timeout=TIMEOUT)
    iframe = page.locator(MAP_IFRAME).first
    frame = iframe.element_handle().content_frame()
    # where Leaflet draws the town whose feature id is 禹城's 市中街道 (the map's own coordinates, no guessing)
    x, y = frame.evaluate("""(id) => {
        let hit = null;
        window.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.id === id
                                        && l.getLatLng) { hit = l; } });
        const p = window.map.latLngToContainerPoint(hit.getLatLng());
        const r = window.map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", "371482001000")
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(r"selected=371482001000"), timeout=TIMEOUT)
    expect(page.locator("h4", has_text="市中街道")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Yucheng City (禹城市)").first).to_be_visible(timeout=TIMEOUT)
    assert errors == []


def test_first_visit_is_one_run_and_sends_the_map_first(app_url, browser):
    """A first visit is one script run: the map component's start value equals the ``default`` the app sends, so
    the mounted map reports nothing (before, it sent its start value and the whole page ran and was sent again,
    ~12 kB). A click still reports (test_click_on_yucheng_shizhong_selects_yucheng_town). The map element arrives
    before any sidebar element (the app draws the sidebar after the map), and the sidebar is complete."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page = new_page(browser)
    sent: list[str] = []
    received: list[str] = []  # "map", "sidebar" (an element of the sidebar), "main", or the message type

    def on_ws(ws) -> None:  # type: ignore[no-untyped-def]
        def on_sent(payload: bytes | str) -> None:
            msg = BackMsg()
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("utf-8"))
            sent.append(msg.WhichOneof("type") or "")

        def on_received(payload: bytes | str) -> None:
            msg = ForwardMsg()
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("utf-8"))
            kind = msg.WhichOneof("type") or ""
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                if el.WhichOneof("type") == "component_instance" and "st_folium" in el.component_instance.component_name:
                    kind = "map"
                else:
                    kind = "sidebar" if msg.metadata.delta_path[0] == 1 else "main"
            received.append(kind)
        ws.on("framesent", on_sent)
        ws.on("framereceived", on_received)

    page.on("websocket", on_ws)
    page.goto(app_url)
    wait_for_map(page)
    wait_idle(page)
    page.wait_for_timeout(1500)  # room for a late report from the component (it would come right after drawing)
    assert sent.count("rerun_script") == 1, sent
    assert received.count("map") == 1 and "sidebar" in received
    assert received.index("map") < received.index("sidebar")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(t("layers.name.water", "zh"), exact=False)).to_be_visible()
    expect(sidebar.get_by_text(t("ui.attribution.label", "zh"), exact=False)).to_be_visible()
