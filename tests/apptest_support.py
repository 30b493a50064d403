"""Shared helpers of the AppTest modules: start the app with URL params, open a tab, read the st_folium args."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.text import WORD_JOINER
from i18n import t

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def run_app(**params: str) -> AppTest:
    """The app run once with ``params`` as its URL query (as a shared link would open it)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    return at.run()


def open_tab(at: AppTest, key: str, lang: str | None = None) -> AppTest:
    """Switch to the tab ``key`` (map, county, compare, check, coverage, share): only the open tab runs."""
    if lang is None:
        lang = at.session_state["lang"] if "lang" in at.session_state else "zh"
    at.session_state["main_tab"] = t(f"ui.tab.{key}", lang)
    return at.run()


def folium_components(at: AppTest) -> list[dict]:
    """The arguments of every st_folium component on the page (what the browser iframe receives)."""
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")
            if c.proto.component_name.endswith("st_folium")]


def folium_args(at: AppTest) -> dict:
    """The arguments of the first (main) map."""
    return folium_components(at)[0]


def plain(markdown: str) -> str:
    """The text a Markdown element shows for ``markdown`` written with :func:`geo.text.escape_markdown` (backslash
    escapes and word joiners removed): compare what the visitor reads."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")
