"""The error boundary of a tab: a failure shows a message in the interface language (never a traceback) and is
logged on the server with its details; the other tabs keep working."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui.text import tr

log = logging.getLogger("dezhou_plan_map")


@contextmanager
def tab_boundary(tab: str, lang: str) -> Iterator[None]:
    """Run the body of tab ``tab``; on an exception, log it (with a short reference) and show
    ``ui.error.tab`` with that reference instead of the tab's remaining content.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from ``BaseException`` and passes through.
    """
    try:
        yield
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("tab %s failed (ref %s)", tab, ref)
        st.error(tr("error.tab", lang, tab=tr(f"tab.{tab}", lang), ref=ref))


@contextmanager
def page_boundary(message_key: str, lang: str) -> Iterator[None]:
    """Run a step the whole page needs (loading the data); on an exception, log it with a short reference,
    show ``ui.<message_key>`` (with ``{ref}``) and stop the page: a message instead of a traceback."""
    try:
        yield
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("page step %s failed (ref %s)", message_key, ref)
        st.error(tr(message_key, lang, ref=ref))
        st.stop()
