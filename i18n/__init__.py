"""User-facing text, one place per language.

Each language is a folder (``zh``, ``en``) of JSON files, one per part of the app (``ui.json``, ``layers.json``,
``coverage.json`` ...). The files of one language are merged; a key defined twice is an error. Chinese is the
default; English must be complete (``tests/test_i18n.py`` checks that both languages have the same keys).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_DIR = Path(__file__).resolve().parent


@cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of ``lang`` merged from ``i18n/<lang>/*.json``; raises on a duplicated key."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} defined twice (second time in {path.name})")
            merged[key] = value
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fmt: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fmt``. A missing key raises ``KeyError``."""
    text = catalog(lang)[key]
    return text.format(**fmt) if fmt else text
