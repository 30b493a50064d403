"""The fact sheets of all 13 units (11 counties, 天衢新区, the city) in both languages, built once per session:
pages, text (unit name, every 专栏4 park, plan references, attribution), embedded fonts, the rendered map; the PNG
picture; the command line."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.attribution import attribution_lines
from geo.load import load_all
from i18n import t
from reports import factsheet, pdf
from reports.facts import PARK_BOX
from reports.mapplot import PNG_CSS_SIZE, PNG_SCALE

pytestmark = pytest.mark.slow

UNITS = ("371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428", "371481",
         "371482", "tianqu", "city")
LANGS = ("zh", "en")
MAX_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="session")
def plan_data():
    return load_all()


@pytest.fixture(scope="session")
def sheets(plan_data):
    """(unit, lang) -> built sheet, for all 13 units in both languages (built once)."""
    return {(u, lang): factsheet.build_sheet(plan_data, u, lang) for u in UNITS for lang in LANGS}


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed (line breaks inside names become one space)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def unit_name(data, unit: str, lang: str) -> str:
    if unit == "city":
        return t("report.city_name", lang)
    row = data.units[data.units["code"] == unit].iloc[0]
    return row["name_en" if lang == "en" else "name_zh"]


def box4_parks(data, unit: str):
    items = data.items
    parks = items[(items["source_ref"] == PARK_BOX) & (items["category"] == "park")]
    if unit != "city":
        parks = parks[parks["unit_list"].map(lambda us: unit in us)]
    return parks


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("lang", LANGS)
def test_sheet_is_one_or_two_a4_landscape_pages_under_3_mb(sheets, plan_data, unit, lang):
    s = sheets[(unit, lang)]
    reader = PdfReader(io.BytesIO(s.pdf))
    assert 1 <= len(reader.pages) <= 2 and s.pages == len(reader.pages)
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (842, 595)  # A4 landscape in points
    assert len(s.pdf) < MAX_BYTES
    assert reader.metadata.title == f"{unit_name(plan_data, unit, lang)} · {t('report.sheet_kind', lang)}"


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("lang", LANGS)
def test_text_names_the_unit_and_every_box4_park_in_the_language(sheets, plan_data, unit, lang):
    text = pdf_text(sheets[(unit, lang)].pdf)
    flat = squeeze(text)
    assert squeeze(unit_name(plan_data, unit, lang)) in flat
    parks = box4_parks(plan_data, unit)
    assert len(parks) >= 3
    col = "name_en" if lang == "en" else "name_zh"
    missing = [n for n in parks[col] if squeeze(n) not in flat]
    assert missing == []
    # every park is cited: Box 4 / 专栏4 with its line
    ref = "专栏4 L" if lang == "zh" else "Box 4 L"
    assert text.count(ref) >= (1 if unit == "city" else len(parks))
    # the plan's title and the data date, in the sheet's language
    assert squeeze(t("report.plan_title", lang)) in flat
    assert squeeze(t("report.data_date", lang, date="")) in flat


@pytest.mark.parametrize("lang", LANGS)
def test_text_carries_the_attribution_and_the_precision_caveats(sheets, lang):
    for unit in ("371425", "city"):
        flat = squeeze(pdf_text(sheets[(unit, lang)].pdf))
        for line in attribution_lines(lang):
            assert squeeze(line) in flat
        for required in ("OpenStreetMap", "ODbL", "CC BY 4.0"):
            assert required in flat.replace("CCBY4.0", "CC BY 4.0")
        assert squeeze(t("report.caveat.precision", lang)) in flat


def test_chinese_sheet_is_chinese_and_english_sheet_is_english(sheets):
    zh = pdf_text(sheets[("371425", "zh")].pdf)
    en = pdf_text(sheets[("371425", "en")].pdf)
    assert "首位产业" in zh and "Lead industry" not in zh
    assert "Lead industry" in en and "首位产业" not in en
    assert "高端智能制造" in squeeze(zh) and "High-end intelligent manufacturing" in en  # 专栏15 L759
    assert "专栏15 L759" in zh and "Box 15 L759" in en


def test_county_facts_are_cited_and_county_only_items_are_listed(sheets, plan_data):
    text = pdf_text(sheets[("371425", "zh")].pdf)
    # the 2030 GDP target of 齐河县 with its line
    assert ">600" in text and "第二十三节 L713" in text
    # every county-only project is listed (not pinned)
    qihe = plan_data.items[plan_data.items["unit_list"].map(lambda us: "371425" in us)]
    county_only = qihe[(qihe["precision"] == "county") & (qihe["source_ref"] != PARK_BOX)]
    assert len(county_only) > 10
    flat = squeeze(text)
    listed = [n for n in county_only["name_zh"] if squeeze(n) in flat]
    assert len(listed) == len(county_only), set(county_only["name_zh"]) - set(listed)
    assert t("report.precision.county", "zh") in text


def _fonts(reader: PdfReader) -> list[dict]:
    out = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            out.append(ref.get_object())
    return out


@pytest.mark.parametrize("unit", ("371402", "tianqu", "city"))
def test_every_font_is_an_embedded_truetype_subset(sheets, unit):
    reader = PdfReader(io.BytesIO(sheets[(unit, "zh")].pdf))
    fonts = _fonts(reader)
    assert fonts
    for f in fonts:
        desc = f.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in f:
            desc = f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        desc = desc.get_object()
        assert "/FontFile2" in desc, f["/BaseFont"]  # TrueType program embedded
        assert re.match(r"^/[A-Z]{6}\+NotoSansSC-(Regular|Bold)$", str(f["/BaseFont"])), f["/BaseFont"]
        assert "/ToUnicode" in f  # text can be searched and copied


@pytest.fixture(scope="session")
def poppler() -> None:
    """poppler-utils (pdffonts, pdftoppm): skip without them, except in CI (``CI`` set), where they must be there."""
    missing = [tool for tool in ("pdffonts", "pdftoppm") if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing but CI is set: .ci/run installs poppler-utils", pytrace=False)
    if missing:
        pytest.skip(f"{', '.join(missing)} not found (apt-get install poppler-utils)")


def test_pdffonts_reports_every_font_embedded(sheets, tmp_path, poppler):
    path = tmp_path / "s.pdf"
    path.write_bytes(sheets[("371481", "en")].pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.strip().splitlines()[2:]
    assert rows
    for row in rows:
        parts = row.split()
        emb, sub = parts[-5], parts[-4]
        assert (emb, sub) == ("yes", "yes"), row


def _render(pdf_bytes: bytes, tmp_path: Path, dpi: int) -> np.ndarray:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
                   check=True)
    png = next(tmp_path.glob("p*.png"))
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


def _hex(c: str) -> np.ndarray:
    return np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)])


@pytest.mark.parametrize("unit", ("371425", "371423", "tianqu", "city"))
def test_rendered_page_shows_the_unit_outline_filling_the_map_frame(sheets, tmp_path, unit, poppler):
    s = sheets[(unit, "zh")]
    dpi = 100
    img = _render(s.pdf, tmp_path, dpi)
    h, w, _ = img.shape
    assert abs(w - 841.89 / 72 * dpi) <= 1 and abs(h - 595.28 / 72 * dpi) <= 1
    non_white = (img.sum(axis=2) < 740).mean()
    assert non_white > 0.08  # not blank
    # the map image's axes frame on the page (points -> pixels)
    k = dpi / 72
    img_x0, img_top = pdf.MARGIN * k, h - (pdf.MARGIN + pdf.FOOTER_H + pdf.MAP_H) * k
    sx, sy = pdf.MAP_W * k / s.map.width_px, pdf.MAP_H * k / s.map.height_px
    fl, ft, fr, fb = s.map.frame_px
    x0, x1 = int(img_x0 + fl * sx) + 2, int(img_x0 + fr * sx) - 2
    y0, y1 = int(img_top + ft * sy) + 2, int(img_top + fb * sy) - 2
    frame = img[y0:y1, x0:x1]
    near = np.abs(frame - _hex(s.map.outline_color)).sum(axis=2) < 60
    ys, xs = np.nonzero(near)
    assert len(xs) > 200, f"outline colour {s.map.outline_color} hardly drawn in the map frame"
    span_x = (xs.max() - xs.min()) / frame.shape[1]
    span_y = (ys.max() - ys.min()) / frame.shape[0]
    # the map fits the unit's outline (5 % padding) in its limiting dimension, centred
    assert max(span_x, span_y) > 0.8, (span_x, span_y)
    cx, cy = (xs.max() + xs.min()) / 2 / frame.shape[1], (ys.max() + ys.min()) / 2 / frame.shape[0]
    assert abs(cx - 0.5) < 0.12 and abs(cy - 0.5) < 0.12, (cx, cy)


def test_png_picture_is_2x_with_its_legend_and_small_print(plan_data):
    img = factsheet.build_png(plan_data, "371482", "en")
    w, h = PNG_CSS_SIZE
    assert (img.width_px, img.height_px) == (w * PNG_SCALE, h * PNG_SCALE)
    pic = Image.open(io.BytesIO(img.png))
    assert pic.size == (1920, 1280) and pic.format == "PNG"
    arr = np.asarray(pic.convert("RGB")).astype(int)
    assert (arr.sum(axis=2) < 740).mean() > 0.05
    assert len(img.png) < MAX_BYTES
    assert img.legend["towns"] and img.county_only == {"371482": img.county_only["371482"]}
    # a layer selection: only those layers are drawn and explained
    only = factsheet.build_png(plan_data, "371482", "zh", layers=["counties", "towns"])
    assert set(only.drawn) == {"counties", "towns"} and set(only.legend) <= {"counties", "towns"}
    with pytest.raises(ValueError, match="unknown layer"):
        factsheet.build_png(plan_data, "371482", "zh", layers=["counties", "nope"])


def test_cli_writes_pdf_and_png_and_rejects_bad_input(tmp_path, capsys):
    pdf_path, png_path = tmp_path / "qingyun.pdf", tmp_path / "qingyun.png"
    assert factsheet.main(["--unit", "371423", "--lang", "en", "--out", str(pdf_path)]) == 0
    assert pdf_path.read_bytes().startswith(b"%PDF") and "Qingyun County" in pdf_text(pdf_path.read_bytes())
    assert factsheet.main(["--unit", "371423", "--lang", "zh", "--out", str(png_path), "--layers",
                           "counties,towns,parks"]) == 0
    assert Image.open(png_path).size == (1920, 1280)
    capsys.readouterr()
    assert factsheet.main(["--unit", "371499", "--lang", "en", "--out", str(pdf_path)]) == 1
    assert "Unknown unit code 371499" in capsys.readouterr().err
    assert factsheet.main(["--unit", "city", "--out", str(tmp_path / "x.svg")]) == 2
    assert factsheet.main(["--unit", "city", "--out", str(pdf_path), "--layers", "towns"]) == 2
