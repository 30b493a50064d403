"""The review store's words in the interface language: refusals, statuses, kinds, and a submission's diff with
status/precision/category as words and unit codes as names (never codes to an official)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from geo.checklist_sheet import WORDED, heading, word
from geo.load import unit_names as unit_name_map
from geo.review import Refused
from i18n import t
from layers.popups import location_source_text
from ui.text import problem_message

UNIT_PARAMS = ("unit", "units")


def unit_names(data: Any, codes: str, lang: str) -> str:
    """``371422;371425`` -> ``宁津县、齐河县`` / ``Ningjin County, Qihe County``."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(data.unit_name(c, lang) for c in str(codes).split(";") if c) or "-"


def refusal_text(refusal: Refused, lang: str, data: Any = None) -> str:
    """A refusal of the store as one message in ``lang`` (unit codes as names), with its row problems."""
    params = dict(refusal.params)
    if data is not None:
        for key in UNIT_PARAMS:
            if key in params:
                params[key] = unit_names(data, params[key], lang)
    text = t(f"review.refused.{refusal.code}", lang, **params)
    if refusal.problems:
        text += "：" if lang == "zh" else ": "
        text += ("；" if lang == "zh" else "; ").join(
            f"{heading(p.field, lang) if p.field and _has_heading(p.field) else (p.field or '-')} — "
            f"{problem_message(p, lang)}" for p in refusal.problems)
    return text


def _has_heading(field: str) -> bool:
    from i18n import catalog

    return f"checklist.col.{field}" in catalog("zh")


def status_word(status: str, lang: str) -> str:
    """A submission's status (pending/approved/…) in words."""
    return t(f"review.status.{status}", lang)


def kind_word(kind: str, lang: str) -> str:
    """A submission's kind (edit/placement/confirm/new) in words."""
    return t(f"review.kind.{kind}", lang)


def value_text(field: str, value: str, lang: str, data: Any = None) -> str:
    """A field's value as an official reads it: status/precision/category as words, units as names, a
    "placed by" location source in words."""
    if not value:
        return ""
    if field in WORDED:
        return word(field, value, lang)
    if field == "units" and data is not None:
        return unit_names(data, value, lang)
    if field == "location_source":
        units = None
        if data is not None:
            units = unit_name_map(data.units)
        return location_source_text(value, lang, units)
    return value


def diff_frame(diff: Iterable[tuple[str, str, str]], lang: str, data: Any = None) -> pd.DataFrame:
    """(field, old, new) rows as a table with the fields' headings and values in words (issue 11.14)."""
    rows = [{t("officials.diff.field", lang): heading(f, lang) if _has_heading(f) else f,
             t("officials.diff.old", lang): value_text(f, o, lang, data),
             t("officials.diff.new", lang): value_text(f, n, lang, data)} for f, o, n in diff]
    return pd.DataFrame(rows, columns=[t(f"officials.diff.{c}", lang) for c in ("field", "old", "new")])
