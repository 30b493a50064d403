"""Search plan items and towns by Chinese name, pinyin (full or initials) or English name.

Pure logic (no Streamlit). Units (counties, districts, 天衢新区) come first, then items and towns ranked: exact
match > prefix > substring; Chinese matches rank above pinyin, pinyin above initials and English. Returns unit codes,
item ids or 12-digit town codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from pypinyin import Style, lazy_pinyin

from geo.text import clean_str

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_UNIT_SUFFIX_ZH = re.compile(r"(新区|县|市|区)$")
_UNIT_SUFFIX_EN = re.compile(r"\s+(New Area|New District|County|City|District)$", re.I)
#: Kinds of hits, in the order they are listed.
KINDS: tuple[str, ...] = ("unit", "item", "town")


def _norm_latin(text: str) -> str:
    """Lower-case and drop everything but ASCII letters and digits."""
    return _NON_ALNUM.sub("", str(text).lower())


def pinyin_full(text: str) -> str:
    """Toneless pinyin of ``text``, syllables joined without spaces (``齐河`` -> ``qihe``)."""
    return _norm_latin("".join(lazy_pinyin(str(text), errors="ignore")))


def pinyin_initials(text: str) -> str:
    """First letters of the pinyin syllables of the Chinese characters in ``text`` (``齐河`` -> ``qh``)."""
    return _norm_latin("".join(lazy_pinyin(str(text), style=Style.FIRST_LETTER, errors="ignore")))


@dataclass(frozen=True)
class SearchHit:
    """One result: ``kind`` is ``unit``, ``item`` or ``town``; ``key`` the unit code, item id or town code;
    ``score`` higher = better."""

    kind: str
    key: str
    name_zh: str
    name_en: str
    score: float
    matched: str = ""


@dataclass
class _Entry:
    kind: str
    key: str
    name_zh: str
    name_en: str
    zh: list[str] = field(default_factory=list)
    full: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)


class SearchIndex:
    """An index over units (units.csv: ``code``, ``name_zh``, ``name_en``; ``city`` left out), items (``id``,
    ``name_zh``, ``name_en``, ``aliases``) and towns (``code``, ``name_zh``, ``name_en``). A unit is also found by its
    name without 县/市/区 (``齐河``, ``Qihe``)."""

    def __init__(self, items: pd.DataFrame | None = None, towns: pd.DataFrame | None = None,
                 units: pd.DataFrame | None = None) -> None:
        self.entries: list[_Entry] = []
        if units is not None and len(units):
            for row in units.itertuples(index=False):
                code, zh, en = clean_str(row.code), clean_str(row.name_zh), clean_str(getattr(row, "name_en", ""))
                if code == "city":
                    continue
                zh_stem, en_stem = _UNIT_SUFFIX_ZH.sub("", zh), _UNIT_SUFFIX_EN.sub("", en)
                self._add("unit", code, [zh] + ([zh_stem] if len(zh_stem) >= 2 and zh_stem != zh else []),
                          [en] + ([en_stem] if en_stem and en_stem != en else []))
        if items is not None and len(items):
            for row in items.itertuples(index=False):
                names = [clean_str(getattr(row, "name_zh", ""))]
                names += [a for a in clean_str(getattr(row, "aliases", "")).split(";") if a]
                self._add("item", clean_str(row.id), names, [clean_str(getattr(row, "name_en", "")), clean_str(row.id)])
        if towns is not None and len(towns):
            for row in towns.itertuples(index=False):
                self._add("town", clean_str(row.code), [clean_str(row.name_zh)], [clean_str(getattr(row, "name_en", ""))])

    def _add(self, kind: str, key: str, zh_names: Iterable[str], latin_names: Iterable[str]) -> None:
        zh_names = [n for n in zh_names if n]
        latin_names = [n for n in latin_names if n]
        if not key:
            return
        self.entries.append(
            _Entry(
                kind=kind,
                key=key,
                name_zh=zh_names[0] if zh_names else "",
                name_en=latin_names[0] if latin_names else "",
                zh=zh_names,
                full=[pinyin_full(n) for n in zh_names],
                initials=[pinyin_initials(n) for n in zh_names],
                latin=[_norm_latin(n) for n in latin_names] + [n.lower() for n in latin_names],
            )
        )

    def search(self, query: str, *, limit: int | None = 20, kinds: Iterable[str] = KINDS) -> list[SearchHit]:
        """Ranked hits for ``query`` (empty query -> no hits): units first, then items and towns by score; the
        first ``limit`` (all for ``None``)."""
        q = str(query or "").strip()
        if not q:
            return []
        q_latin = _norm_latin(q)
        q_lower = q.lower()
        kinds = set(kinds)
        hits: list[SearchHit] = []
        for e in self.entries:
            if e.kind not in kinds:
                continue
            best, how = 0.0, ""
            for n in e.zh:
                best, how = max((best, how), (_score(q, n, 100.0), "zh"))
            if q_latin:
                for n in e.full:
                    best, how = max((best, how), (_score(q_latin, n, 80.0), "pinyin"))
                for n in e.initials:
                    if len(q_latin) >= 2:
                        best, how = max((best, how), (_score(q_latin, n, 60.0), "initials"))
                for n in e.latin:
                    target = q_lower if " " in n or "-" in n else q_latin
                    best, how = max((best, how), (_score(target, n, 70.0), "en"))
            if best > 0:
                # shorter names first among equal match kinds; items before towns at equal score
                bonus = -min(len(e.name_zh), 40) / 100.0 + (0.001 if e.kind == "item" else 0.0)
                hits.append(SearchHit(e.kind, e.key, e.name_zh, e.name_en, best + bonus, how))
        hits.sort(key=lambda h: (h.kind != "unit", -h.score, h.kind, h.key))
        return hits if limit is None else hits[:limit]


def _score(q: str, name: str, base: float) -> float:
    """``base`` for exact, 0.8*base for prefix, 0.6*base for substring, else 0."""
    if not q or not name:
        return 0.0
    if name == q:
        return base
    if name.startswith(q):
        return base * 0.8
    if q in name:
        return base * 0.6
    return 0.0


def search(items: pd.DataFrame | None, towns: pd.DataFrame | None, query: str, *, limit: int | None = 20,
           units: pd.DataFrame | None = None) -> list[SearchHit]:
    """One-shot convenience wrapper: build an index and search it."""
    return SearchIndex(items, towns, units).search(query, limit=limit)
