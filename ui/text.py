"""Text helpers for the UI: translated strings (``ui.*`` keys), bilingual plan names, safe Markdown."""

from __future__ import annotations

import html
import re

import pandas as pd

from i18n import catalog, t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def tr(key: str, lang: str, **fmt: object) -> str:
    """The UI string ``ui.<key>`` in ``lang``."""
    return t(f"ui.{key}", lang, **fmt)


def maybe(key: str, lang: str, default: str) -> str:
    """``key`` (a full i18n key) in ``lang`` when defined, else ``default``."""
    return catalog(lang).get(key, default)


def s(value: object) -> str:
    """A cell as a clean string ('' for None/NaN)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def lines_text(value: object) -> str:
    """Plan line numbers as shown: '279;287;721' -> '279, 287, 721' (';' is the data files' list separator)."""
    return ", ".join(p.strip() for p in s(value).split(";") if p.strip())


def esc(text: object) -> str:
    """Escape ``text`` for ``st.markdown``: HTML special characters and Markdown punctuation are neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(s(text), quote=True))


def name(zh: object, en: object, lang: str) -> str:
    """A plan name: Chinese as written; in English the English rendering beside it (``英文 (中文)``)."""
    zh_s, en_s = s(zh), s(en)
    if lang == "en" and en_s and en_s != zh_s:
        return f"{en_s} ({zh_s})" if zh_s else en_s
    return zh_s or en_s


def unit_name(units: pd.DataFrame, code: str, lang: str) -> str:
    """Display name of a unit code (``city`` -> 全市 / City-wide)."""
    rows = units[units["code"].astype(str) == str(code)]
    if not len(rows):
        return str(code)
    r = rows.iloc[0]
    return name(r["name_zh"], r["name_en"], lang)
