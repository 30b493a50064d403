"""Presentation mode end to end in headless Chromium (no internet): no sidebar, no toolbar, the map fills the
window, labels are large, the tour reaches every unit, ← / → step, Esc returns to the normal view of the unit.

Skips when /usr/bin/chromium is absent, unless the environment variable CI is set (then it fails).
"""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, TIMEOUT, require_chromium

from bench.browser import MAP_IFRAME, new_page, wait_for_map
from geo.load import load_all
from i18n import t
from ui.present import tour
from ui.sidebar import unit_codes

pytestmark = pytest.mark.browser


sync_api = require_chromium()
expect = sync_api.expect


def names(lang: str) -> dict[str, str]:
    data = load_all()
    out = {"city": t("ui.unit.city", lang)}
    for code, zh, en in zip(data.units["code"], data.units["name_zh"], data.units["name_en"], strict=True):
        if code != "city":
            out[str(code)] = f"{en} ({zh})" if lang == "en" else zh
    return out


def title(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".dz-present-title").inner_text()


def test_presentation_tour_in_english_reaches_every_unit_and_esc_leaves(app_url, browser):
    blocked: list[str] = []
    page = new_page(browser, width=1600, height=900, blocked=blocked)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/?present=1&lang=en")
    frame = wait_for_map(page)
    en = names("en")
    expect(page.locator(".dz-present-title")).to_contain_text(en["city"], timeout=TIMEOUT)
    # no sidebar, no header/toolbar/menu
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    for sel in ('header[data-testid="stHeader"]', '[data-testid="stToolbar"]', "#MainMenu"):
        assert all(not el.is_visible() for el in page.locator(sel).all()), sel
    # the map takes most of the window; labels are 1.6 times larger
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box and box["height"] > 0.65 * 900 and box["width"] > 0.9 * 1600, box
    frame.locator(".dz-html > div").first.wait_for(state="attached", timeout=TIMEOUT)
    zoom = frame.locator(".dz-html > div").first.evaluate("e => getComputedStyle(e).zoom")
    assert float(zoom) == pytest.approx(1.6)
    # the caption: the city's cited headline facts
    facts = page.locator(".dz-present-facts").inner_text()
    assert t("report.key.parks", "en") in facts and "[Box 4" in facts
    page.screenshot(path=str(ARTIFACTS / "present_city_en.png"))

    order = tour(unit_codes(load_all()))
    seen = [order[0]]
    next_button = page.get_by_role("button", name=t("ui.present.next", "en"))
    for i, unit in enumerate(order[1:], start=2):
        next_button.click()
        expect(page).to_have_url(re.compile(rf"unit={unit}"), timeout=TIMEOUT)
        expect(page.locator(".dz-present-title")).to_contain_text(en[unit], timeout=TIMEOUT)
        expect(page.locator(".dz-present-title")).to_contain_text(f"{i} / {len(order)}")
        seen.append(unit)
    assert seen == order and len(set(seen)) == 13  # 11 counties, 天衢新区 and the city
    wait_for_map(page)
    page.screenshot(path=str(ARTIFACTS / "present_last_en.png"))
    # → goes round to the start, ← comes back
    page.keyboard.press("ArrowRight")
    expect(page.locator(".dz-present-title")).to_contain_text(en[order[0]], timeout=TIMEOUT)
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".dz-present-title")).to_contain_text(en[order[-1]], timeout=TIMEOUT)

    # Esc: back to the normal view of the same unit (sidebar, tabs, no present in the link)
    page.keyboard.press("Escape")
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(1, timeout=TIMEOUT)
    expect(page.get_by_role("tab", name="County view")).to_be_visible(timeout=TIMEOUT)
    assert "present" not in page.url and f"unit={order[-1]}" in page.url
    expect(page.get_by_text(f"Dezhou 15th Five-Year Plan Map · {en[order[-1]]}")).to_be_visible(timeout=TIMEOUT)
    assert blocked == [] and errors == []


def test_presentation_in_chinese_exit_button_and_esc_inside_the_map(app_url, browser):
    page = new_page(browser, width=1280, height=800)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/?present=1&unit=371425")
    frame = wait_for_map(page)
    zh = names("zh")
    expect(page.locator(".dz-present-title")).to_contain_text(zh["371425"], timeout=TIMEOUT)
    facts = page.locator(".dz-present-facts").inner_text()
    assert "首位产业" in facts and "高端智能制造" in facts and "专栏15 L759" in facts
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "present_qihe_zh.png"))
    # Esc with the focus inside the map frame leaves too
    frame.locator(".leaflet-container").first.click(position={"x": 30, "y": 30})
    frame.locator(".leaflet-container").first.press("Escape")
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(1, timeout=TIMEOUT)
    assert "present" not in page.url and "unit=371425" in page.url
    # and the exit button does the same from a fresh presentation
    page.goto(app_url + "/?present=1&unit=tianqu&lang=en")
    wait_for_map(page)
    page.get_by_role("button", name=t("ui.present.exit", "en")).click()
    expect(page.get_by_role("tab", name="County view")).to_be_visible(timeout=TIMEOUT)
    assert "present" not in page.url and "unit=tianqu" in page.url
    assert errors == []
