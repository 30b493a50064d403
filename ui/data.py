"""The plan data the app serves (cached): the shipped data with the approved changes of the review store applied,
and the filters of the current view."""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo import paths
from geo.load import PlanData, content_key, load_all
from geo.review import Store
from geo.search import SearchIndex
from geo.summary import items_for_unit
from layers.keys import LAYER_CATEGORIES
from ui.review_store import get_store, store_failed, store_key
from ui.text import problem_line

log = logging.getLogger("dezhou_plan_map")


def data_dir() -> Path:
    """The data directory: ``DEZHOU_DATA_DIR`` if set, else data/ of the repository (:func:`geo.paths.data_dir`)."""
    return paths.data_dir()


def load_plan_data() -> PlanData:
    """Load the data from :func:`data_dir` (no caching; used by tests and the bench too)."""
    return load_all(data_dir())


@st.cache_resource(show_spinner=False)
def _load(path: str) -> PlanData:
    return load_all(Path(path))


def get_base() -> PlanData:
    """The shipped plan data (loaded once per process and data directory). Missing or broken files are not
    replaced by anything: they show up in ``data.problems`` (see :func:`blocking_problems`)."""
    return _load(str(data_dir()))


@dataclass(frozen=True)
class Served:
    """What the app serves this run. ``data``: the shipped data with every approved change of the review store
    (the shipped data alone when the store is unavailable); ``base``: the shipped data (submissions are checked
    against it); ``key``: a cache key of ``data`` that changes when an approval does; ``store``: the open review
    store, ``None`` when it cannot be used now."""

    data: PlanData
    base: PlanData
    key: str
    store: Store | None

    @property
    def store_ok(self) -> bool:
        return self.store is not None


@st.cache_resource(show_spinner=False, max_entries=4)
def _merged(_base: PlanData, _store: Store, key: str) -> PlanData:
    return _store.merged_data(_base)


def served() -> Served:
    """The data of this run: ``store.version()`` (one cheap query) is read on every run, so every session sees
    an approval at its next rerun; the merged data is built once per version and shared by all sessions."""
    base = get_base()
    base_key = content_key(base)
    store = get_store()
    if store is None:
        return Served(base, base, base_key + ":shipped", None)
    try:
        key = f"{base_key}:{store_key(str(store.engine.url))}:{store.version()}"
        return Served(_merged(base, store, key), base, key, store)
    except Exception:  # the store stopped answering: serve the shipped data, details in the log
        log.exception("the review store cannot be read")
        store_failed(store)
        return Served(base, base, base_key + ":shipped", None)


def get_data() -> PlanData:
    """The data every visitor sees: the shipped data with the approved changes (see :func:`served`)."""
    return served().data


def blocking_problems(data: PlanData, lang: str = "en") -> list[str]:
    """The loader's problems of severity ``error`` as text in ``lang`` (e.g. ``towns.csv: error: file is missing``,
    ``towns.csv：错误：文件缺失``)."""
    return [problem_line(p, lang) for p in data.problems if getattr(p, "severity", "") == "error"]


def unusable(data: PlanData) -> bool:
    """True when the app cannot show anything meaningful: no units or no county outlines loaded."""
    return not len(data.units) or not len(data.counties)


def with_items(data: PlanData, items: pd.DataFrame) -> PlanData:
    """A shallow copy of ``data`` whose ``items`` are replaced (e.g. filtered)."""
    out = copy.copy(data)
    out.items = items
    return out


def _tags(v: Any) -> list[str]:
    return [x for x in str(v or "").split(";") if x]


def filter_items(items: pd.DataFrame, *, industry: tuple[str, ...] = (), status: tuple[str, ...] = (),
                 category: tuple[str, ...] = ()) -> pd.DataFrame:
    """Items matching every non-empty filter: any of the industry tags, one of the statuses, one of the categories."""
    if items is None or not len(items) or not (industry or status or category):
        return items  # no filter: the same frame (not a copy; frames served to the app are never changed in place)
    mask = pd.Series(True, index=items.index)
    if industry:
        want = set(industry)
        mask &= items["industry_tags"].map(lambda v: bool(want & set(_tags(v))))
    if status:
        mask &= items["status"].isin(status)
    if category:
        mask &= items["category"].isin(category)
    return items[mask]


def selection(data: PlanData, unit: str, industry: tuple[str, ...], status: tuple[str, ...],
              category: tuple[str, ...]) -> pd.DataFrame:
    """The items of the current view: the unit's items, filtered."""
    return filter_items(items_for_unit(data.items, unit), industry=industry, status=status, category=category)


def industry_options(items: pd.DataFrame) -> list[str]:
    """All industry tags (Chinese) used by items, sorted by frequency then name."""
    counts: dict[str, int] = {}
    for v in items.get("industry_tags", pd.Series(dtype=str)):
        for tag in _tags(v):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def industry_english(items: pd.DataFrame) -> dict[str, str]:
    """Chinese industry tag -> English tag (from industry_tags_en, same order)."""
    out: dict[str, str] = {}
    for zh, en in zip(items.get("industry_tags", []), items.get("industry_tags_en", []), strict=False):
        for a, b in zip(_tags(zh), _tags(en), strict=False):
            out.setdefault(a, b)
    return out


@st.cache_resource(show_spinner=False, max_entries=8)
def search_index(_data: PlanData, key: str) -> SearchIndex:
    """Search index over the data's units, items and towns (cached per data version ``key``)."""
    return SearchIndex(_data.items, _data.towns, _data.units)


def unit_codes(data: PlanData) -> list[str]:
    """city first, then the 11 counties, then tianqu (as in units.csv)."""
    codes = [str(c) for c in data.units["code"]]
    return ["city"] + [c for c in codes if c not in ("city", "tianqu")] + (["tianqu"] if "tianqu" in codes else [])


def plan_item_totals(items: pd.DataFrame, unit: str) -> dict[str, int]:
    """Plan items per item layer key for ``unit`` (drawn or not): the sidebar shows them beside the map counts."""
    if not len(items):
        return {k: 0 for k in LAYER_CATEGORIES}
    if unit != "city":
        items = items[items["units"].astype(str).str.split(";").map(lambda us: unit in us)]
    return {k: int(items["category"].isin(v).sum()) for k, v in LAYER_CATEGORIES.items()}


@dataclass(frozen=True)
class Facts:
    """What every run of the app reads from the data (sidebar options and counts, the link decoder's choices),
    derived once per data version by :func:`facts` instead of on every run of every session."""

    unit_codes: tuple[str, ...]
    """city, the counties, tianqu (:func:`unit_codes`)."""
    industries: tuple[str, ...]
    """Industry tags (Chinese) by frequency (:func:`industry_options`)."""
    industry_en: Mapping[str, str]
    """Chinese industry tag -> English (:func:`industry_english`)."""
    selectable: frozenset[str]
    """Item ids and town codes (what a link may select)."""
    totals: Mapping[str, Mapping[str, int]]
    """Unit code -> plan items per item layer key (:func:`plan_item_totals`)."""


def make_facts(data: PlanData) -> Facts:
    """:class:`Facts` of ``data`` (uncached; the app uses :func:`facts`)."""
    codes = tuple(unit_codes(data))
    ids = set(data.items["id"].astype(str))
    if len(data.towns):
        ids |= set(data.towns["code"].astype(str))
    return Facts(unit_codes=codes, industries=tuple(industry_options(data.items)),
                 industry_en=industry_english(data.items), selectable=frozenset(ids),
                 totals={u: plan_item_totals(data.items, u) for u in codes})


@st.cache_resource(show_spinner=False, max_entries=8)
def facts(_data: PlanData, key: str) -> Facts:
    """:func:`make_facts` cached per data version ``key`` (:attr:`Served.key`: it changes with every approval)."""
    return make_facts(_data)
