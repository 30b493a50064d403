"""The exported map page: a standalone HTML map (folium's rendered page) with a ``<title>``, a heading, the export
date and a source line, in the interface language.

Pure string work (no Streamlit). Every text passes through :func:`geo.text.escape_html` once, here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.text import escape_html

#: CSS of the page head: the heading sits above the map, which fills the rest of the window.
EXPORT_CSS = ("html,body{height:100%;margin:0}body{display:flex;flex-direction:column}"
              ".dz-export-head{flex:0 0 auto;padding:6px 12px;font:13px/1.4 sans-serif;color:#333;"
              "border-bottom:1px solid #ccc;background:#fff}"
              ".dz-export-head h1{font-size:18px;margin:0 0 2px}.dz-export-head p{margin:0;color:#555}"
              ".folium-map{flex:1 1 auto;min-height:0;height:auto!important;position:relative!important}")

_HEAD = re.compile(r"<head>", re.I)
_BODY = re.compile(r"<body[^>]*>", re.I)
_HTML = re.compile(r"<html[^>]*>", re.I)


def export_page(html: str, *, lang: str, title: str, lines: Sequence[str]) -> str:
    """``html`` (a complete page from folium) with ``<html lang>``, ``<title>title</title>``, and a header block:
    ``<h1>title</h1>`` and one paragraph per entry of ``lines`` (date, sources …). Raises ``ValueError`` when the
    page has no ``<head>`` or ``<body>`` (not a page folium wrote)."""
    if not _HEAD.search(html) or not _BODY.search(html):
        raise ValueError("export_page: the map HTML has no <head> or <body>")
    html_lang = "zh-CN" if lang == "zh" else "en"
    head = f"<head>\n<title>{escape_html(title)}</title>\n<style>{EXPORT_CSS}</style>"
    block = (f'<header class="dz-export-head"><h1>{escape_html(title)}</h1>'
             + "".join(f"<p>{escape_html(x)}</p>" for x in lines if x) + "</header>")
    html = _HTML.sub(f'<html lang="{html_lang}">', html, count=1)
    html = _HEAD.sub(lambda _m: head, html, count=1)
    return _BODY.sub(lambda m: m.group(0) + "\n" + block, html, count=1)
