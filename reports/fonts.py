"""The fact sheets' one typeface: Noto Sans SC (Simplified Chinese with Latin), embedded in every PDF and PNG.

Where it comes from: the variable TrueType ``NotoSansSC[wght].ttf`` of Google Fonts (SIL OFL 1.1), installed from
PyPI with the pinned requirements (package ``justmytype-intl-cjk``), so a fresh machine needs no system font.
Why not the alternatives: Debian's ``fonts-noto-cjk`` ships CFF (PostScript-outline) OpenType fonts, which reportlab
cannot embed; reportlab's built-in CID fonts (``STSong-Light``) are *not* embedded, so a reader without Chinese
fonts sees nothing.

How: a variable font's default outlines are its thinnest weight, so for each set of characters we cut a subset
(:mod:`fontTools.subset`) and pin it to a static weight (:mod:`fontTools.varLib.instancer`): 400 for text, 700 for
headings. That takes about half a second and gives small static TrueType files that matplotlib draws with and
reportlab embeds (again subset to the glyphs used).
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.resources
import shutil
import string
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_PACKAGE = "justmytype_intl_cjk"
FONT_RESOURCE = "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
#: sha256 of the font file as published in the package's manifest (pack_manifest.json).
FONT_SHA256 = "a3041811a78c361b1de50f953c805e0244951c21c5bd412f7232ef0d899af0da"
WEIGHTS: dict[str, int] = {"regular": 400, "bold": 700}
#: reportlab font names of the two weights.
PDF_REGULAR = "DezhouSans"
PDF_BOLD = "DezhouSans-Bold"
#: Characters every sheet may use besides its data and i18n text (digits, Latin, symbols drawn by the code).
BASE_CHARS = frozenset(" \u00a0" + string.printable.strip() + "·•–—…→←↑↓≥≤×°‰“”‘’（）《》【】、，。：；！？￥±≈●◯")


class FontError(RuntimeError):
    """The sheet font is missing, altered, or lacks a character the sheet needs."""


def source_font() -> Path:
    """Path of the installed variable font; :class:`FontError` naming the fix when it is not installed."""
    try:
        path = Path(str(importlib.resources.files(FONT_PACKAGE) / FONT_RESOURCE))
    except ModuleNotFoundError as exc:
        raise FontError(f"the fact-sheet font package {FONT_PACKAGE!r} is not installed; run `make venv` "
                        "(pip install -r requirements.txt)") from exc
    if not path.is_file():
        raise FontError(f"font file {FONT_RESOURCE} missing from package {FONT_PACKAGE!r}; reinstall it")
    return path


@lru_cache(maxsize=1)
def _checked_source() -> Path:
    path = source_font()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != FONT_SHA256:
        raise FontError(f"{path.name}: sha256 {digest} differs from the published {FONT_SHA256}")
    return path


@dataclass(frozen=True)
class SheetFonts:
    """Static TrueType subsets (regular and bold) covering :attr:`chars`."""

    regular: Path
    bold: Path
    chars: frozenset[str]

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` (other than whitespace) this font set does not cover."""
        return {c for c in text if not c.isspace() and c not in self.chars}


_TMP: list[Path] = []


def _tmpdir() -> Path:
    if not _TMP:
        d = Path(tempfile.mkdtemp(prefix="dezhou-fonts-"))
        atexit.register(shutil.rmtree, d, True)
        _TMP.append(d)
    return _TMP[0]


def _subset(chars: frozenset[str]) -> tuple[object, set[str]]:
    """The variable font cut down to ``chars`` (no OpenType layout tables: neither matplotlib nor reportlab uses
    them) and the characters the font does not have."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(_checked_source()), lazy=True)
    cmap = font.getBestCmap()
    lacking = {c for c in chars if ord(c) not in cmap}
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "vhea", "vmtx"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars if ord(c) in cmap])
    sub.subset(font)
    return font, lacking


def _name(font: Any, style: str) -> None:
    """Name a static instance after its weight (the variable font calls itself "Thin", its default)."""
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17):
            table.removeNames(nameID=rec.nameID)
    for name_id, value in ((1, "Noto Sans SC"), (2, style), (3, f"NotoSansSC-{style};subset"),
                           (4, f"Noto Sans SC {style}"), (6, f"NotoSansSC-{style}")):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


@lru_cache(maxsize=8)
def _build(chars: frozenset[str]) -> SheetFonts:
    digest = hashlib.sha1("".join(sorted(chars)).encode("utf-8")).hexdigest()[:12]
    paths = {}
    from fontTools.varLib import instancer

    font, lacking = _subset(chars)
    for name, weight in WEIGHTS.items():
        out = _tmpdir() / f"NotoSansSC-{name}-{digest}.ttf"
        static = instancer.instantiateVariableFont(font, {"wght": weight}, inplace=False, updateFontNames=False)
        _name(static, "Bold" if name == "bold" else "Regular")
        static.save(str(out))
        paths[name] = out
    return SheetFonts(regular=paths["regular"], bold=paths["bold"], chars=chars - lacking)


def sheet_fonts(texts: Iterable[str]) -> SheetFonts:
    """Fonts covering every character of ``texts`` plus :data:`BASE_CHARS` (built once per character set and
    process, in a temporary folder removed at exit)."""
    chars = set(BASE_CHARS)
    for t in texts:
        chars.update(c for c in str(t) if not c.isspace() or c == " ")
    return _build(frozenset(chars))


_REGISTERED: dict[str, Path] = {}


def register_pdf_fonts(fonts: SheetFonts) -> tuple[str, str]:
    """Register the two weights with reportlab (embedded as TrueType subsets); returns their font names.

    reportlab keeps one font per name for the whole process, so a font set with other characters gets its own
    names (``DezhouSans-<hash>``).
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    suffix = fonts.regular.stem.rsplit("-", 1)[-1]
    names = (f"{PDF_REGULAR}-{suffix}", f"{PDF_BOLD}-{suffix}")
    for name, path in zip(names, (fonts.regular, fonts.bold), strict=True):
        if _REGISTERED.get(name) != path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
            _REGISTERED[name] = path
    addMapping(names[0], 0, 0, names[0])
    addMapping(names[0], 1, 0, names[1])
    addMapping(names[0], 0, 1, names[0])
    addMapping(names[0], 1, 1, names[1])
    return names
