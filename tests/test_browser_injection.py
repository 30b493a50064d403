"""Markdown/HTML injection in a real browser (issue 9 defect 4): values from data files, uploaded cells and an
uploaded file's name that carry ``![x](http://…)`` or ``<img src=…>`` are shown as text — the page never fetches
anything outside localhost (every request is recorded with ``page.on("request")``).

The app runs in a subprocess on a copy of data/ (``DEZHOU_DATA_DIR``) whose units.csv names a county with such
text and whose projects.csv has a row rejected for such an id; the test uploads a corrections file named and
filled with such text. Skips when /usr/bin/chromium is absent, unless CI is set.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from browser_support import ARTIFACTS, TIMEOUT, require_chromium, serve_app

from bench.browser import is_local, new_page, wait_for_map
from geo.paths import DATA_DIR
from geo.schema import PROJECTS
from geo.text import WORD_JOINER
from i18n import t

pytestmark = pytest.mark.browser

require_chromium()
IMG_MD = "![x](http://example.invalid/{}.png)"
IMG_HTML = '<img src="http://example.invalid/{}.png">'
FILE_NAME = "![f](https:example.invalid) <img src=https:example.invalid>.csv"  # no '/' in a file name


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("inject") / "data"
    shutil.copytree(DATA_DIR, d)
    units = pd.read_csv(d / "units.csv", dtype=str, keep_default_na=False)
    units.loc[units["code"] == "371425", "name_zh"] = "齐河县" + IMG_MD.format("unit") + IMG_HTML.format("unit")
    units.to_csv(d / "units.csv", index=False)
    projects = pd.read_csv(d / "projects.csv", dtype=str, keep_default_na=False)
    bad = projects.iloc[[0]].copy()
    bad["id"] = IMG_MD.format("id") + IMG_HTML.format("id")  # a malformed id: the row is rejected, its id shown
    pd.concat([projects, bad]).to_csv(d / "projects.csv", index=False)
    return d


@pytest.fixture(scope="module")
def app_url(hostile_dir: Path):
    with serve_app(env={"DEZHOU_DATA_DIR": str(hostile_dir)}) as url:
        yield url


def _text(shown: str) -> str:
    """What the visitor reads (the invisible word joiners that stop auto-links removed)."""
    return shown.replace(WORD_JOINER, "")


def _upload_content() -> bytes:
    data = pd.read_csv(DATA_DIR / "projects.csv", dtype=str, keep_default_na=False)
    rows = data[data["units"].str.split(";").map(lambda u: "371425" in u)].head(1)[list(PROJECTS.columns)].copy()
    rows["status"] = IMG_MD.format("status") + IMG_HTML.format("status")  # not an allowed status: shown in an error
    rows["units"] = "371425;" + IMG_MD.format("unitcell")
    return rows.to_csv(index=False).encode("utf-8")


def test_injected_text_never_makes_the_browser_fetch_outside(app_url: str, browser) -> None:
    blocked: list[str] = []
    page = new_page(browser, blocked=blocked)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/?unit=371425")
    wait_for_map(page)
    # the data error names the rejected row's id as text
    err = page.locator('[data-testid="stAlert"]').first
    err.wait_for(timeout=TIMEOUT)
    assert IMG_MD.format("id") in _text(err.inner_text())
    heading = page.locator("h3", has_text="齐河县").first  # the map's title names the unit, as text
    heading.wait_for(timeout=TIMEOUT)
    assert IMG_MD.format("unit") + IMG_HTML.format("unit") in _text(heading.inner_text())
    # the officials' check: its header carries the unit name; upload a hostile file
    page.get_by_role("tab", name=t("ui.tab.check", "zh")).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": _upload_content()}])
    alerts = page.locator('[data-testid="stAlert"]', has_text="example.invalid/status.png")
    alerts.first.wait_for(timeout=TIMEOUT)
    page.locator('[data-testid="stAlert"]', has_text="example.invalid/unitcell.png").first.wait_for(
        timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # let the page settle: any fetch an injected image caused would show up
    shown = _text(" ".join(page.locator('[data-testid="stAlert"]').all_inner_texts()))
    assert "![f](https:example.invalid)" in shown  # the file name as text
    assert IMG_MD.format("unitcell") in shown
    page.wait_for_timeout(1500)
    assert page.locator('img[src*="example.invalid"]').count() == 0
    assert page.locator('a[href*="example.invalid"]').count() == 0  # shown as text, not even as a link
    page.screenshot(path=str(ARTIFACTS / "injection_check_tab.png"), full_page=True)
    outside = [u for u in requests if not is_local(u)]
    assert outside == [] and blocked == [], outside + blocked
    assert any(u.startswith(app_url) for u in requests)  # the recorder did see the page's own requests
