"""Text of table cells: one way to turn a cell into a clean string, and the two escapers (HTML, Markdown).

Every module that shows or compares cell text uses :func:`clean_str`; text from data or users is escaped once,
where it enters HTML (:func:`escape_html`, popups and tooltips) or Markdown (:func:`escape_markdown`,
``st.markdown``). Pure functions, no Streamlit.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd
from pypinyin import lazy_pinyin

LIST_SEPARATOR = ";"
"""Separator of lists inside one cell of the data files (``371402;tianqu``)."""

_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character (CommonMark escapes them all)
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"
"""Invisible character :func:`escape_markdown` puts where GFM would turn text into a link (``http://``, ``www.``,
``a@b``): Streamlit's Markdown finds links in the text after escapes are resolved, so escaping cannot stop it."""
_HAN = re.compile(r"[\u4e00-\u9fff]")


def clean_str(value: object) -> str:
    """A table cell as clean text.

    - ``None``, NaN (float or numpy), ``pd.NA``, ``pd.NaT`` and blank strings -> ``''``;
    - strings are stripped; any other scalar is ``str()``-ed and stripped;
    - an integral float loses its ``.0`` (``353.0`` -> ``'353'``, as a line number or code read from a
      column with gaps); other floats keep their shortest exact form (``116.3`` -> ``'116.3'``);
    - a list, tuple or array is joined with :data:`LIST_SEPARATOR`, blanks left out (``['371402', None]`` ->
      ``'371402'``).

    The string ``'nan'`` is text like any other: only real missing values are blank.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return LIST_SEPARATOR.join(p for p in (clean_str(v) for v in value) if p)
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            return ""
        return str(int(f)) if f.is_integer() else repr(f)
    if value is pd.NA or value is pd.NaT:
        return ""
    try:
        if pd.isna(value):  # numpy NaT and other scalar missing markers
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def is_blank(value: object) -> bool:
    """True when :func:`clean_str` of ``value`` is empty (``None``, NaN, blank text, an empty list)."""
    return clean_str(value) == ""


def split_list(value: object) -> list[str]:
    """A ``;``-separated cell (or a list) as its non-empty, stripped parts: ``'a; b;'`` -> ``['a', 'b']``."""
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [p for p in (clean_str(v) for v in value) if p]
    return [p.strip() for p in clean_str(value).split(LIST_SEPARATOR) if p.strip()]


def escape_html(value: object) -> str:
    """``clean_str(value)`` escaped for HTML (quotes included), with the characters that are special inside the
    JavaScript template literals folium embeds popups and tooltips in (backtick, ``$``, backslash) as entities:
    ``<script>`` or ``${alert(1)}`` in a name is shown as text."""
    return html.escape(clean_str(value), quote=True).translate(_JS_TEMPLATE)


def escape_markdown(value: object) -> str:
    """``clean_str(value)`` for ``st.markdown`` / ``st.error``: shown exactly as written, never interpreted.

    Every ASCII punctuation character is backslash-escaped (no emphasis, link, image ``![x](url)``, raw HTML
    ``<img …>`` or entity ``&amp;``), and a :data:`WORD_JOINER` breaks what GFM would auto-link (``http://``,
    ``www.``, ``@``), so no data or user text ever becomes a link or makes the browser fetch anything."""
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, clean_str(value)))


def pinyin_name(name: str) -> str:
    """A Chinese proper name romanised: pinyin syllables joined, an apostrophe before a syllable starting with a,
    o or e, ü kept, first letter capitalised (``德州东`` -> ``Dezhoudong``, ``西安`` -> ``Xi'an``,
    ``吕`` -> ``Lü``). Text without Chinese characters is returned unchanged."""
    if not _HAN.search(name):
        return name
    syllables = lazy_pinyin(name, v_to_u=True)
    py = syllables[0] + "".join(("'" + s) if s[:1] in "aoe" else s for s in syllables[1:])
    return py[:1].upper() + py[1:]
