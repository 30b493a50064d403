"""Fact sheets and map pictures of a unit, and their command line.

    python -m reports.factsheet --unit CODE|city|tianqu --lang zh|en --out FILE.pdf|FILE.png [--layers a,b,c]

A ``.pdf`` is the A4 landscape fact sheet (1–2 pages, fonts embedded); a ``.png`` is the map picture at 2×
(1920 × 1280 pixels) with its legend, attribution and precision note. Both are built on the server from the same
data, selection and styles as the web map (no browser involved).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.attribution import attribution_lines
from geo.paths import data_dir as default_data_dir
from i18n import LANGUAGES, catalog, t
from layers.keys import DEFAULT_LAYERS, ITEM_LAYER_KEYS, LAYER_KEYS
from reports import mapplot
from reports.facts import ReportError, fact_sheet, unit_display_name
from reports.fonts import FontError, SheetFonts, register_pdf_fonts, sheet_fonts
from reports.pdf import MAP_H, MAP_W, build_pdf

#: Map resolution in the PDF (dots per inch of the printed map).
PDF_MAP_DPI = 200
#: The sheet's map: the web map's default layers plus every item layer (all located items of the unit are drawn;
#: the badge counts all of its county-only items, which the sheet lists).
PDF_LAYERS: tuple[str, ...] = tuple(k for k in LAYER_KEYS if k in DEFAULT_LAYERS or k in ITEM_LAYER_KEYS)
_TEXT_CACHE: dict[int, tuple[Any, list[str]]] = {}


def data_texts(data: Any) -> list[str]:
    """Every text a sheet can print: the string cells of the data tables, both i18n catalogues and the
    attribution (the fonts are cut to these characters; computed once per data object)."""
    hit = _TEXT_CACHE.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    texts: list[str] = []
    frames = [data.units, data.towns, data.items, data.town_roles, data.profiles, data.indicators, data.tianqu,
              *data.networks.values()]
    for df in frames:
        if df is None or not len(df):
            continue
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype).startswith("str"):
                texts.append("".join({str(v) for v in df[col].dropna()}))
    for lang in LANGUAGES:
        texts.append("".join(catalog(lang).values()))
        texts.extend(attribution_lines(lang))
    _TEXT_CACHE.clear()
    _TEXT_CACHE[id(data)] = (data, texts)
    return texts


def fonts_for(data: Any) -> SheetFonts:
    return sheet_fonts(data_texts(data))


def _check_chars(fonts: SheetFonts, texts: Iterable[str]) -> None:
    missing = set()
    for s in texts:
        missing |= fonts.missing(str(s))
    if missing:
        raise FontError(f"characters without a glyph in the sheet font: {''.join(sorted(missing))!r}")


@dataclass(frozen=True)
class Sheet:
    """A built fact sheet: the PDF and what went into it (for tests and the bench)."""

    pdf: bytes
    pages: int
    map: mapplot.MapImage
    body_pt: float


def build_sheet(data: Any, unit: str, lang: str, *, data_dir: Path | None = None) -> Sheet:
    """The fact sheet of ``unit`` in ``lang`` as a PDF."""
    fonts = fonts_for(data)
    sheet = fact_sheet(data, unit, lang, data_dir=data_dir or default_data_dir())
    _check_chars(fonts, sheet.texts())
    image = mapplot.render_map(data, unit, lang=lang, fonts=fonts, layers=PDF_LAYERS,
                               size_in=(MAP_W / 72, MAP_H / 72), dpi=PDF_MAP_DPI, footer=False)
    pdf, pages, layout = build_pdf(sheet, image.png, register_pdf_fonts(fonts))
    return Sheet(pdf=pdf, pages=pages, map=image, body_pt=layout.body_pt)


def build_png(data: Any, unit: str, lang: str, *, layers: Iterable[str] = DEFAULT_LAYERS) -> mapplot.MapImage:
    """The map picture of ``unit`` in ``lang`` at 2× (:data:`reports.mapplot.PNG_CSS_SIZE`), with title, legend,
    attribution and precision note."""
    fonts = fonts_for(data)
    w, h = mapplot.PNG_CSS_SIZE
    scale = mapplot.PNG_SCALE
    title = t("report.png_title", lang, series=t("report.series", lang), unit=unit_display_name(data, unit, lang))
    return mapplot.render_map(data, unit, lang=lang, fonts=fonts, layers=layers, size_in=(w / 100, h / 100),
                              dpi=100 * scale, title=title, footer=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m reports.factsheet", description=__doc__.split("\n\n")[0])
    p.add_argument("--unit", required=True, help="county code (371402 … 371482), tianqu or city")
    p.add_argument("--lang", choices=LANGUAGES, default="zh")
    p.add_argument("--out", required=True, type=Path, help="FILE.pdf (fact sheet) or FILE.png (map picture)")
    p.add_argument("--layers", default="", help=f"PNG only: comma-separated layer keys (default: the web map's "
                   f"default layers); any of {','.join(LAYER_KEYS)}")
    p.add_argument("--data-dir", type=Path, default=None, help="data folder (default: DEZHOU_DATA_DIR or data/)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".png"):
        print(f"error: --out must end in .pdf or .png, got {args.out.name!r}", file=sys.stderr)
        return 2
    from geo.load import load_all

    d = args.data_dir or default_data_dir()
    data = load_all(d)
    errors = [p for p in data.problems if p.severity == "error"]
    if errors:
        print("error: the data has problems that block a sheet:\n" + "\n".join(f"  {p}" for p in errors[:20]),
              file=sys.stderr)
        return 1
    try:
        if suffix == ".pdf":
            if args.layers:
                print("error: --layers applies to the PNG picture only", file=sys.stderr)
                return 2
            out = build_sheet(data, args.unit, args.lang, data_dir=d)
            args.out.write_bytes(out.pdf)
            print(f"{args.out}: {out.pages} page(s), {len(out.pdf) / 1024:.0f} KiB")
        else:
            layers = [x for x in args.layers.split(",") if x] or DEFAULT_LAYERS
            img = build_png(data, args.unit, args.lang, layers=layers)
            args.out.write_bytes(img.png)
            print(f"{args.out}: {img.width_px} x {img.height_px} px, {len(img.png) / 1024:.0f} KiB")
    except (ReportError, FontError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
