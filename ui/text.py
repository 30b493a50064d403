"""Text helpers for the UI: translated strings (``ui.*`` keys), bilingual plan names, category and unit names.

Cell text and escaping: :mod:`geo.text`."""

from __future__ import annotations

import pandas as pd

from geo.load import unit_names
from geo.problems import Problem
from geo.problems import problem_message as geo_problem_message
from geo.text import clean_str
from i18n import catalog, t


def tr(key: str, lang: str, /, **fmt: object) -> str:
    """The UI string ``ui.<key>`` in ``lang``."""
    return t(f"ui.{key}", lang, **fmt)


def maybe(key: str, lang: str, default: str) -> str:
    """``key`` (a full i18n key) in ``lang`` when defined, else ``default``."""
    return catalog(lang).get(key, default)


def lines_text(value: object) -> str:
    """Plan line numbers as shown: '279;287;721' -> '279, 287, 721' (';' is the data files' list separator)."""
    return ", ".join(p.strip() for p in clean_str(value).split(";") if p.strip())


def category_label(category: object, lang: str) -> str:
    """An item category (projects.csv ``category``) in ``lang`` (``park`` -> 园区 / Park); '' for a blank cell,
    an unknown code as it is."""
    c = clean_str(category)
    return maybe(f"layers.category.{c}", lang, c) if c else ""


def name(zh: object, en: object, lang: str) -> str:
    """A plan name: Chinese as written; in English the English rendering beside it (``英文 (中文)``)."""
    zh_s, en_s = clean_str(zh), clean_str(en)
    if lang == "en" and en_s and en_s != zh_s:
        return f"{en_s} ({zh_s})" if zh_s else en_s
    return zh_s or en_s


def unit_name(units: pd.DataFrame, code: str, lang: str) -> str:
    """Display name of a unit code (``city`` -> 全市 / City-wide)."""
    names = unit_names(units).get(str(code))
    return name(*names, lang) if names else str(code)


def problem_message(p: Problem, lang: str) -> str:
    """The message of a validation problem in ``lang`` (see :func:`geo.problems.problem_message`)."""
    return geo_problem_message(p, lang)


def problem_text(p: Problem, lang: str) -> str:
    """One problem for the officials' check: ``file 第 N 行，字段 X：…`` / ``file, row N, field X: …``
    (``-`` for a file-level row or field; the field is the file's column name, as in the spreadsheet)."""
    return tr("check.problem", lang, file=p.file, row=p.row if p.row is not None else "-", field=p.field or "-",
              message=problem_message(p, lang))


def problem_line(p: Problem, lang: str) -> str:
    """One problem in a list of loader problems; in English exactly ``str(p)`` (``file:row N:field: error: …``)."""
    where = p.file
    if p.row is not None:
        where += tr("problem.row", lang, row=p.row)
    if p.field:
        where += tr("problem.field", lang, field=p.field)
    severity = maybe(f"ui.problem.severity.{p.severity}", lang, p.severity)
    return tr("problem.line", lang, where=where, severity=severity, message=problem_message(p, lang))
