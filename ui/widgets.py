"""Arguments and wrappers that make Streamlit's widgets speak the interface language."""

from __future__ import annotations

from typing import Any, TypedDict

import streamlit as st

from geo.corrections import MAX_UPLOAD_MB
from ui.text import tr


class MultiselectText(TypedDict, total=False):
    """Keyword arguments of ``st.multiselect`` set by :func:`multiselect_text`."""

    placeholder: str
    select_all: bool


def multiselect_text(lang: str) -> MultiselectText:
    """``placeholder`` in ``lang`` (Streamlit's default is English "Choose options"). Streamlit 1.67 draws the
    dropdown's "Select all" row with English text built into its frontend, which no argument translates: in the
    Chinese interface that row is switched off (``select_all=False``); English keeps it."""
    kw: MultiselectText = {"placeholder": tr("choose.many", lang)}
    if lang != "en":
        kw["select_all"] = False
    return kw


#: CSS for Streamlit's file uploader in Chinese: its button text ("Upload") and its size line ("50MB per file •
#: CSV") are English built into the frontend; the button reads the i18n word instead and the size line is hidden
#: (every uploader's label names the formats and the size limit in the interface language).
_UPLOADER_CSS = (
    '[data-testid="stFileUploaderDropzoneInstructions"]{{display:none}}'
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{{font-size:0}}'
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
    '{{content:"{button}";font-size:0.875rem}}'
)


def file_uploader(label: str, lang: str, **kwargs: Any) -> Any:
    """``st.file_uploader`` that speaks ``lang``: the size limit of the corrections upload
    (:data:`geo.corrections.MAX_UPLOAD_MB`) and, in Chinese, the button in Chinese without the English size line."""
    if lang != "en":
        button = tr("upload.button", lang).replace('"', "")
        st.html(f"<style>{_UPLOADER_CSS.format(button=button)}</style>")
    kwargs.setdefault("max_upload_size", MAX_UPLOAD_MB)
    return st.file_uploader(label, **kwargs)
