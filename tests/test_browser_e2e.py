"""End to end in a real browser: the app in a subprocess (`streamlit run`), Debian's /usr/bin/chromium driven by
Playwright, no internet (Leaflet/jQuery served from ui/vendor, everything else external stubbed or aborted).

Skips when /usr/bin/chromium is absent, unless the environment variable CI is set (then it fails).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, MAP_IFRAME, launch, new_page, no_internet_route, running_app, wait_for_map
from i18n import t
from ui.data import load_plan_data

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing but CI is set: the browser test must run", pytrace=False)
    pytest.skip(f"{CHROMIUM} not found (install Debian's chromium to run the browser test)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
TIMEOUT = 120_000


@pytest.fixture(scope="module")
def app_url():
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def overlays(frame) -> list[str]:
    return [x.strip() for x in frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()]


def wait_idle(page) -> None:
    """Wait until Streamlit is not running the script (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=TIMEOUT)


def test_browser_flow(app_url, browser):
    data = load_plan_data()
    page = new_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url)
    frame = wait_for_map(page)
    assert t("layers.name.counties", "zh") in overlays(frame)

    # 1. language -> English: labels change
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.get_by_role("tab", name="County view")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("County / zone")).to_be_visible()

    # 2. select a county: the heading and the URL follow
    page.locator('[data-testid="stSelectbox"]').filter(has_text="County / zone").get_by_role("combobox").click()
    page.get_by_role("option", name="Qihe County (齐河县)").click()
    expect(page.get_by_text("Dezhou 15th Five-Year Plan Map · Qihe County (齐河县)")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"unit=371425"), timeout=TIMEOUT)

    # 3. toggle a layer on: it appears in the map's layer control
    water = t("layers.name.water", "en")
    page.locator('[data-testid="stSidebar"]').get_by_text(re.compile(rf"^{re.escape(water)} \(\d+\)$")).click()
    expect(page).to_have_url(re.compile(r"layers=[^&]*water"), timeout=TIMEOUT)
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".leaflet-control-layers-overlays label", has_text=water)).to_have_count(1, timeout=TIMEOUT)

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
    page2 = new_page(browser)
    page2.on("pageerror", lambda e: errors.append(str(e)))
    page2.goto(link)
    frame2 = wait_for_map(page2)
    expected = [t(f"layers.name.{k}", "en") for k in ("counties", "transport_planned", "towns")]
    expect(frame2.locator(".leaflet-control-layers-overlays label")).to_have_count(
        len(overlays(frame2)), timeout=TIMEOUT)
    names = overlays(frame2)
    assert all(n in names for n in expected), names
    assert t("layers.name.water", "en") not in names and t("layers.name.parks", "en") not in names
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
    page2.screenshot(path=str(ARTIFACTS / "e2e.png"), full_page=False)

    # 6. clicking a point on the map opens its details (no re-zoom) and updates the link
    page3 = new_page(browser)
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
    assert errors == []



def test_offline_assets_render_without_any_internet(browser):
    """With DEZHOU_OFFLINE_ASSETS=1 the map carries Leaflet/jQuery inline: it draws even when every
    non-local request fails."""
    with running_app(env={"DEZHOU_OFFLINE_ASSETS": "1"}) as url:
        page = new_page(browser, route=no_internet_route)
        page.goto(url + "/?lang=en&unit=371425")
        frame = wait_for_map(page)
        assert t("layers.name.counties", "en") in overlays(frame)
        assert frame.locator(".leaflet-overlay-pane path").count() > 0
        # (the coverage tab's own map loads its scripts from the CDN: it is not part of this check)
