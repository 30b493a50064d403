"""reports.fonts: static TrueType subsets of Noto Sans SC, built from the pinned PyPI font."""

from __future__ import annotations

import hashlib

import pytest
from fontTools.ttLib import TTFont

from reports import fonts


def test_source_font_is_the_published_file():
    path = fonts.source_font()
    assert path.name == "NotoSansSC[wght].ttf"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == fonts.FONT_SHA256


@pytest.mark.slow
def test_subsets_are_static_truetype_at_400_and_700():
    f = fonts.sheet_fonts(["德州市齐河县 Qihe County"])
    for path, weight, style in ((f.regular, 400, "Regular"), (f.bold, 700, "Bold")):
        font = TTFont(str(path))
        assert "glyf" in font and "fvar" not in font and "CFF " not in font  # TrueType outlines, no variations
        assert font["OS/2"].usWeightClass == weight
        assert font["name"].getDebugName(6) == f"NotoSansSC-{style}"
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "德州市齐河县Qihe ")
        assert len(cmap) < 400  # a subset, not the 30,000-glyph font
    assert f.missing("德州 abc") == set()
    assert f.missing("鼎") == {"鼎"}


@pytest.mark.slow
def test_same_characters_same_files_and_pdf_names():
    a = fonts.sheet_fonts(["平原县"])
    b = fonts.sheet_fonts(["县原平"])
    assert a == b
    names = fonts.register_pdf_fonts(a)
    assert names[0].startswith(fonts.PDF_REGULAR) and names[1].startswith(fonts.PDF_BOLD)
