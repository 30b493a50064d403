"""Words people type for coded values: status, precision and category words -> the codes of projects.csv.

Officials fill spreadsheets with the words the interface shows (``推进实施``, ``being implemented``), the plan's own
status words (``加快建成``, ``力争开工建设``) or the codes themselves (``implementing``). :func:`normalise_codes`
turns every word it knows into its code; an unknown word is left as it is for the validator to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import pandas as pd

from geo import schema
from i18n import LANGUAGES, catalog

#: The plan's own status words (``status_zh``) and the normalised status each one means (data/README.md).
PLAN_STATUS_WORDS: dict[str, str] = {
    "现状": "existing", "已建成": "existing", "建成使用": "existing", "建成通车": "existing",
    "建成": "complete", "加快建成": "complete", "建成启用": "complete", "投入使用": "complete",
    "开工建设": "start", "推动开工建设": "start", "开工": "start",
    "力争开工": "strive_start", "力争开工建设": "strive_start",
    "前期工作": "preparatory", "前期研究": "preparatory", "前期研究工作": "preparatory", "研究推进": "preparatory",
    "研究工作": "preparatory",
    "谋划": "planned", "规划": "planned", "争取": "planned", "推动纳入": "planned", "争创": "planned",
    "谋划实施": "planned", "谋划推进": "planned", "谋划建设": "planned", "规划建设": "planned", "申报": "planned",
    "实施": "implementing", "推进": "implementing", "建设": "implementing", "打造": "implementing",
    "培育": "implementing", "重点实施": "implementing", "推进实施": "implementing", "加快建设": "implementing",
    "推进建设": "implementing", "重点推进": "implementing", "加快推进": "implementing",
    "未注明": "unspecified", "未说明": "unspecified",
}

#: Columns whose cells are codes, the allowed codes, and the i18n key prefixes of their words in the interface.
_CODED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "status": (schema.STATUSES, ("ui.status.", "layers.status.")),
    "precision": (schema.PRECISIONS, ("ui.precision.", "layers.precision.")),
    "category": (schema.CATEGORIES, ("layers.category.",)),
}
_SPLIT = re.compile(r"\s*[/／]\s*")


def _key(word: str) -> str:
    return re.sub(r"\s+", " ", word.strip()).casefold()


@cache
def words(column: str) -> dict[str, str]:
    """Word (case-folded) -> code for ``column`` (``status``, ``precision`` or ``category``), in every language."""
    codes, prefixes = _CODED[column]
    out: dict[str, str] = {_key(c): c for c in codes}
    for lang in LANGUAGES:
        texts = catalog(lang)
        for code in codes:
            for prefix in prefixes:
                label = texts.get(prefix + code)
                if not label:
                    continue
                out.setdefault(_key(label), code)
                for part in _SPLIT.split(label):  # "谋划 / 争取" -> also 谋划, 争取
                    if part:
                        out.setdefault(_key(part), code)
    if column == "status":
        for word, code in PLAN_STATUS_WORDS.items():
            out.setdefault(_key(word), code)
    return out


def to_code(column: str, value: str) -> str:
    """The code ``value`` stands for in ``column``; ``value`` itself when it is no known word."""
    return words(column).get(_key(value), value) if value.strip() else value


def normalise_codes(df: pd.DataFrame, columns: Iterable[str] = ("status", "precision", "category")) -> pd.DataFrame:
    """A copy of ``df`` (cells as strings) with the known words of the coded ``columns`` replaced by their codes."""
    out = df.copy()
    for col in columns:
        if col in out.columns and col in _CODED:
            out[col] = [to_code(col, str(v)) for v in out[col]]
    return out
