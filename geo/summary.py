"""County (unit) summaries and the city-wide comparison table.

Pure logic (no Streamlit). Works on a ``PlanData`` (see geo/load.py): ``items`` (with ``unit_list``),
``town_roles``, ``profiles``, ``counties``/``tianqu`` polygons (EPSG:4326) and ``units``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geo.load import PlanData
from geo.text import clean_str, split_list

CITY = "city"
WORK_CATEGORIES: tuple[str, ...] = ("transport", "water")
PROFILE_ORDER: tuple[str, ...] = (
    "direction", "primary_industry", "feature_industry", "future_industry", "expo", "gdp_target_2030",
    "target", "positioning", "omitted",
)


def unit_list(value: object) -> list[str]:
    """The ';'-separated ``units`` cell (or an existing list) as a list of unit codes."""
    return split_list(value)


def _units_col(items: pd.DataFrame) -> pd.Series:
    if "unit_list" in items.columns:
        return items["unit_list"].map(unit_list)
    return items["units"].map(unit_list) if "units" in items.columns else pd.Series([[]] * len(items), index=items.index)


def items_for_unit(items: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Items the plan assigns to ``unit`` (``city`` -> all items). 德州天衢新区 items count for ``tianqu`` only."""
    if unit == CITY or items is None or not len(items):
        return items
    mask = _units_col(items).map(lambda us: unit in us)
    return items[mask]


def unit_polygon(data: PlanData, unit: str) -> Any:
    """The unit's polygon (shapely, WGS84) or ``None`` (city -> None: no clipping)."""
    if unit == CITY:
        return None
    if unit == "tianqu":
        tq = data.tianqu
        return tq.geometry.iloc[0] if len(tq) else None
    c = data.counties
    if not len(c):
        return None
    rows = c[c["adcode"].astype(str) == str(unit)]
    return rows.geometry.iloc[0] if len(rows) else None


def works_touching(data: PlanData, unit: str, categories: Iterable[str] = WORK_CATEGORIES) -> pd.DataFrame:
    """Transport/water items assigned to ``unit`` or whose geometry intersects its polygon."""
    items = data.items
    if items is None or not len(items):
        return items
    sel = items[items["category"].isin(tuple(categories))]
    if unit == CITY:
        return sel
    assigned = _units_col(sel).map(lambda us: unit in us)
    poly = unit_polygon(data, unit)
    if poly is not None and "geometry" in sel.columns:
        touches = sel.geometry.map(lambda g: g is not None and not g.is_empty and g.intersects(poly))
        assigned = assigned | touches.astype(bool)
    return sel[assigned]


@dataclass
class UnitSummary:
    """Numbers and lists for one unit (see :func:`unit_summary`)."""

    unit: str
    n_items: int
    by_category: dict[str, int]
    by_precision: dict[str, int]
    by_status: dict[str, int]
    parks: pd.DataFrame
    town_roles: pd.DataFrame
    profile: dict[str, list[dict[str, str]]]
    works: pd.DataFrame
    items: pd.DataFrame = field(repr=False)


def _counts(df: pd.DataFrame, col: str) -> dict[str, int]:
    if df is None or not len(df) or col not in df.columns:
        return {}
    vc = df[col].fillna("").astype(str).value_counts()
    return {str(k): int(v) for k, v in sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))}


def unit_summary(data: PlanData, unit: str) -> UnitSummary:
    """Summary of ``unit``: item counts by layer/precision/status, parks, 三镇 towns with roles, profile facts
    (首位/特色/未来产业, 一县一展, 2030 targets …), transport and water works touching it, and all its items."""
    items = items_for_unit(data.items, unit)
    roles = data.town_roles
    if len(roles) and unit != CITY:
        roles = roles[roles["unit"].astype(str) == unit]
    profiles = data.profiles
    profile: dict[str, list[dict[str, str]]] = {}
    if len(profiles):
        pr = profiles[profiles["unit"].astype(str) == unit]
        for f in PROFILE_ORDER:
            rows = pr[pr["field"] == f]
            if len(rows):
                profile[f] = [
                    {k: clean_str(v) for k, v in r.items()} for r in rows.to_dict("records")
                ]
    parks = items[items["category"] == "park"] if len(items) else items
    return UnitSummary(
        unit=unit,
        n_items=len(items),
        by_category=_counts(items, "category"),
        by_precision=_counts(items, "precision"),
        by_status=_counts(items, "status"),
        parks=parks,
        town_roles=roles,
        profile=profile,
        works=works_touching(data, unit),
        items=items,
    )


def city_comparison(data: PlanData, lang: str = "zh") -> pd.DataFrame:
    """One row per county-level unit (11 counties + tianqu): items, parks, transport works, water works,
    located items (site/town/schematic), town roles and the lead (首位) industry. Index = unit code."""
    units = data.units[data.units["code"].astype(str) != CITY]
    rows = []
    profiles = data.profiles
    roles = data.town_roles
    for u in units.itertuples(index=False):
        code = str(u.code)
        its = items_for_unit(data.items, code)
        works = works_touching(data, code)
        lead = ""
        if len(profiles):
            pr = profiles[(profiles["unit"].astype(str) == code) & (profiles["field"] == "primary_industry")]
            col = "value_en" if lang == "en" else "value_zh"
            lead = "；".join(str(v) for v in pr[col].dropna()) if len(pr) else ""
        rows.append({
            "unit": code,
            "name": u.name_en if lang == "en" else u.name_zh,
            "items": int(len(its)),
            "parks": int((its["category"] == "park").sum()) if len(its) else 0,
            "transport_works": int((works["category"] == "transport").sum()) if len(works) else 0,
            "water_works": int((works["category"] == "water").sum()) if len(works) else 0,
            "located": int(its["precision"].isin(["site", "town", "schematic"]).sum()) if len(its) else 0,
            "town_roles": int((roles["unit"].astype(str) == code).sum()) if len(roles) else 0,
            "lead_industry": lead,
        })
    return pd.DataFrame(rows).set_index("unit")
