"""What a fact sheet says about a unit, as plain data: every fact with its plan reference (no layout, no Streamlit).

Sources: ``county_profiles.csv`` (首位/特色/未来产业, 一县一展, directions, positioning), ``projects.csv`` (the unit's
专栏4 parks and every other item, by status), ``town_roles.csv`` (三镇 and other town roles), ``indicators.csv`` (2030
targets that name the unit, apply to each county, or — city-wide — the plan's main indicators) and the coverage
analysis :mod:`geo.coverage` (share of towns within 30 minutes of an expressway entrance / station, 2025 → 2030;
our estimate, said so). A fact's ``ref`` is its plan reference in the sheet's language ("专栏15 L759" /
"Box 15 L759"); only our own analysis has none and says where it comes from instead.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from geo import coverage as cov
from geo.attribution import attribution_lines
from geo.summary import items_for_unit
from geo.text import clean_str
from i18n import t
from layers.popups import source_ref_text
from layers.styles import STATUS_KEYS

CITY = "city"
TIANQU = "tianqu"
#: The plan box that lists each county's industrial parks and clusters.
PARK_BOX = "专栏4"
#: Units the plan names as the central city (中心城区): 第三十节, line 867.
CENTRAL_CITY: frozenset[str] = frozenset({"371402", TIANQU, "371403"})
#: Profile fields shown, in order.
PROFILE_FIELDS: tuple[str, ...] = ("primary_industry", "feature_industry", "future_industry", "expo",
                                   "gdp_target_2030", "target", "direction", "positioning", "omitted")
#: Indicators the city sheet shows: the plan's main indicator table (第三节) and the transport targets.
CITY_TARGET_REFS: tuple[str, ...] = ("第三节",)
CITY_TARGET_GROUPS: tuple[str, ...] = ("综合交通",)
ACCESS_TARGETS: tuple[str, ...] = ("expressway", "rail", "hsr")
ACCESS_MINUTES = 30
#: Plan title (line 3 of the plan text) and issue date (line 1267), cited on every sheet.
PLAN_TITLE_LINE = 3
PLAN_ISSUED_LINE = 1267


@dataclass(frozen=True)
class Fact:
    """One line of a sheet: ``label`` (may be empty), ``value``, its plan reference and a small note."""

    label: str
    value: str
    ref: str
    note: str = ""

    def texts(self) -> tuple[str, ...]:
        return (self.label, self.value, self.ref, self.note)


@dataclass(frozen=True)
class Access:
    """Share of the unit's towns within :data:`ACCESS_MINUTES` of a target kind, 2025 and 2030 (0–1)."""

    target: str
    label: str
    n_towns: int
    share_2025: float
    share_2030: float


@dataclass
class FactSheet:
    """Everything one sheet says, in its language (see the module docstring)."""

    unit: str
    lang: str
    unit_name: str
    profile: list[Fact]
    parks: list[Fact]
    towns: list[Fact]
    projects: list[tuple[str, list[Fact]]]  # (status label, items)
    access: list[Access]
    access_note: str
    targets: list[Fact]
    counts: dict[str, int]  # items, located, county_only, not_located, parks_box4, towns
    plan_title: Fact
    data_date: str
    attribution: tuple[str, ...]
    caveats: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every string of the sheet (for the font's character set)."""
        out = [self.unit_name, self.access_note, self.data_date, *self.attribution, *self.caveats,
               *self.plan_title.texts()]
        for facts in (self.profile, self.parks, self.towns, self.targets, *[f for _, f in self.projects]):
            for f in facts:
                out.extend(f.texts())
        out.extend(label for label, _ in self.projects)
        out.extend(a.label for a in self.access)
        return out


class ReportError(ValueError):
    """A sheet cannot be made as asked (unknown unit, …); the message says why."""


def lines_text(value: Any) -> str:
    """Plan line numbers as shown: ``'719;721'`` -> ``'719, 721'``."""
    return ", ".join(p.strip() for p in clean_str(value).split(";") if p.strip())


def ref_text(source_ref: Any, lines: Any, lang: str) -> str:
    """A plan reference in ``lang``: ``专栏15 L759`` / ``Box 15 L759``."""
    ref = source_ref_text(source_ref, lang)
    ln = lines_text(lines)
    return f"{ref} L{ln}" if ln else ref


def merged_ref(refs: list[tuple[Any, Any]], lang: str, *, max_lines: int | None = None) -> str:
    """Several plan references as one: ``[("专栏16", "781"), ("专栏16", "783")]`` -> ``专栏16 L781, 783``.

    ``max_lines``: a box or section citing more lines than this is named without them (``专栏4``)."""
    by_ref: dict[str, set[int]] = {}
    for source_ref, lines in refs:
        nums = by_ref.setdefault(clean_str(source_ref), set())
        nums.update(int(x) for x in clean_str(lines).split(";") if x.strip().isdigit())
    parts = [f"{source_ref_text(r, lang)} L{', '.join(str(n) for n in sorted(nums))}"
             if nums and (max_lines is None or len(nums) <= max_lines) else source_ref_text(r, lang)
             for r, nums in by_ref.items()]
    return "; ".join(parts)


def name_in(zh: Any, en: Any, lang: str) -> str:
    """A plan name: Chinese as written; in English the English rendering with the Chinese beside it."""
    zh_s, en_s = clean_str(zh), clean_str(en)
    if lang == "en" and en_s and en_s != zh_s:
        return f"{en_s} ({zh_s})" if zh_s else en_s
    return zh_s or en_s


def unit_display_name(data: Any, unit: str, lang: str) -> str:
    """The unit's name in ``lang`` (city: 德州市 / Dezhou City)."""
    if unit == CITY:
        return t("report.city_name", lang)
    rows = data.units[data.units["code"].astype(str) == unit]
    if not len(rows):
        raise ReportError(t("report.error.unit", lang, unit=unit))
    return clean_str(rows.iloc[0]["name_en" if lang == "en" else "name_zh"])


def _unit_names(data: Any, lang: str) -> dict[str, str]:
    col = "name_en" if lang == "en" else "name_zh"
    names = {str(c): clean_str(n) for c, n in zip(data.units["code"], data.units[col], strict=True)}
    names[CITY] = t("report.city_name", lang)
    return names


def _sep(lang: str) -> str:
    return ", " if lang == "en" else "、"


def _tags(zh: Any, en: Any, lang: str) -> str:
    return _sep(lang).join(x for x in clean_str(en if lang == "en" else zh).split(";") if x)


# --------------------------------------------------------------------------------------------------- profile
def profile_facts(data: Any, unit: str, lang: str) -> list[Fact]:
    """首位/特色/未来产业, 一县一展, 2030 GDP target, direction, positioning (and what the plan omits) of ``unit``;
    city-wide: each unit's lead industry and expo."""
    pr = data.profiles
    val = "value_en" if lang == "en" else "value_zh"
    out: list[Fact] = []
    if unit == CITY:  # one line per unit: its lead industry and its expo
        names = _unit_names(data, lang)
        for code in [str(c) for c in data.units["code"] if str(c) != CITY]:
            rows = pr[(pr["unit"].astype(str) == code) & pr["field"].isin(("primary_industry", "expo"))]
            if not len(rows):
                continue
            recs = sorted(rows.to_dict("records"), key=lambda r: clean_str(r["field"]) != "primary_industry")
            value = "; ".join(f"{t('ui.profile.' + clean_str(r['field']), lang)}: {clean_str(r[val])}" for r in recs)
            out.append(Fact(names.get(code, code), value,
                            merged_ref([(r["source_ref"], r["source_lines"]) for r in recs], lang)))
        for r in pr[(pr["unit"].astype(str) == CITY)].to_dict("records"):
            out.append(Fact(t("ui.profile." + clean_str(r["field"]), lang), clean_str(r[val]),
                            ref_text(r["source_ref"], r["source_lines"], lang)))
        return out
    mine = pr[pr["unit"].astype(str) == unit]
    for f in PROFILE_FIELDS:
        for r in mine[mine["field"] == f].to_dict("records"):
            out.append(Fact(t("ui.profile." + f, lang), clean_str(r[val]), ref_text(r["source_ref"], r["source_lines"], lang)))
    return out


# --------------------------------------------------------------------------------------------------- items
def precision_note(item: dict[str, Any], lang: str, town_names: dict[str, str]) -> str:
    """Where the item is on the map, in words (county-only items are listed, never pinned)."""
    p = clean_str(item.get("precision"))
    if p == "town":
        return t("report.precision.town", lang, town=town_names.get(clean_str(item.get("town_code")), ""))
    if p in ("site", "schematic", "county", "none"):
        return t(f"report.precision.{p}", lang)
    return p


def _town_names(data: Any, lang: str) -> dict[str, str]:
    towns = data.towns
    if not len(towns):
        return {}
    return {str(c): name_in(z, e, lang) if lang == "en" else clean_str(z)
            for c, z, e in zip(towns["code"], towns["name_zh"], towns["name_en"], strict=True)}


def _item_fact(item: dict[str, Any], lang: str, town_names: dict[str, str], *, with_tags: bool,
               unit_label: str = "") -> Fact:
    """An item as a fact: its name; the note gives its industries (parks) or its category, and where it is on the
    map."""
    name = name_in(item.get("name_zh"), item.get("name_en"), lang)
    where = precision_note(item, lang, town_names)
    if with_tags:
        tags = _tags(item.get("industry_tags"), item.get("industry_tags_en"), lang)
        note = f"{tags} · {where}" if tags else where
    else:
        note = f"{t('layers.category.' + clean_str(item.get('category')), lang)} · {where}"
    return Fact(unit_label, name, ref_text(item.get("source_ref"), item.get("source_lines"), lang), note)


def park_facts(data: Any, unit: str, lang: str) -> list[Fact]:
    """The unit's parks of 专栏4 with their industries; city-wide one line per unit listing its parks."""
    items = data.items
    parks = items[(items["source_ref"] == PARK_BOX) & (items["category"] == "park")]
    if unit != CITY:
        parks = items_for_unit(parks, unit)
    towns = _town_names(data, lang)
    recs = parks.drop(columns=parks.geometry.name).to_dict("records")
    if unit != CITY:
        return [_item_fact(r, lang, towns, with_tags=True) for r in recs]
    names = _unit_names(data, lang)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in recs:
        by_unit.setdefault(clean_str(r["units"]).split(";")[0], []).append(r)
    out = []
    for code, rows in by_unit.items():
        entries = []
        for r in rows:
            tags = _tags(r.get("industry_tags"), r.get("industry_tags_en"), lang)
            where = "" if clean_str(r["precision"]) == "county" else precision_note(r, lang, towns)
            extra = "; ".join(x for x in (tags, where) if x)
            entries.append(name_in(r["name_zh"], r["name_en"], lang) + (f" [{extra}]" if extra else ""))
        out.append(Fact(names.get(code, code), _sep(lang).join(entries) if lang == "zh" else "; ".join(entries),
                        merged_ref([(r["source_ref"], r["source_lines"]) for r in rows], lang),
                        t("report.precision.county_all", lang) if all(clean_str(r["precision"]) == "county" for r in rows)
                        else ""))
    return out


def _category_rank(category: str) -> int:
    order = ("transport", "water", "energy", "logistics", "innovation", "industry_project", "park",
             "culture_tourism", "service_project", "public_service", "ecology", "other")
    return order.index(category) if category in order else len(order)


def project_groups(data: Any, unit: str, lang: str) -> list[tuple[str, list[Fact]]]:
    """The unit's other items (all but its 专栏4 parks) by plan status, located ones first within a status.

    City-wide: the items the plan gives the city as a whole (``units`` contains ``city``)."""
    items = data.items
    if unit == CITY:
        mine = items[items["unit_list"].map(lambda us: CITY in us)]
    else:
        mine = items_for_unit(items, unit)
    mine = mine[mine["source_ref"] != PARK_BOX]
    towns = _town_names(data, lang)
    rank_p = {"site": 0, "town": 1, "schematic": 2, "county": 3, "none": 4}
    out = []
    recs = mine.drop(columns=mine.geometry.name).to_dict("records")
    for status in STATUS_KEYS:
        rows = [r for r in recs if clean_str(r["status"]) == status]
        if not rows:
            continue
        rows.sort(key=lambda r: (rank_p.get(clean_str(r["precision"]), 9), _category_rank(clean_str(r["category"])), clean_str(r["id"])))
        out.append((t(f"ui.status.{status}", lang), [_item_fact(r, lang, towns, with_tags=False) for r in rows]))
    return out


# --------------------------------------------------------------------------------------------------- towns
def town_facts(data: Any, unit: str, lang: str) -> list[Fact]:
    """三镇 towns (and the plan's other town roles) of the unit with role and industry (city-wide: all)."""
    roles = data.town_roles
    if unit != CITY:
        roles = roles[roles["unit"].astype(str) == unit]
    towns = _town_names(data, lang)
    names = _unit_names(data, lang) if unit == CITY else {}
    order = {r: i for i, r in enumerate(("center", "feature", "cooperation", "satellite", "land_consolidation",
                                          "other"))}
    recs = roles.drop(columns=roles.geometry.name).to_dict("records") if len(roles) else []
    recs.sort(key=lambda r: (order.get(clean_str(r["role"]), 9), clean_str(r["unit"]), clean_str(r["id"])))
    out = []
    if unit == CITY:  # one line per role: its towns with their unit and industry
        by_role: dict[str, list[dict[str, Any]]] = {}
        for r in recs:
            by_role.setdefault(clean_str(r["role"]), []).append(r)
        for role, rows in by_role.items():
            entries = []
            for r in rows:
                town = towns.get(clean_str(r["town_code"])) or clean_str(r["town_name_zh"])
                industry = clean_str(r["industry_en"] if lang == "en" else r["industry_zh"])
                extra = _sep(lang).join(x for x in (names.get(clean_str(r["unit"]), clean_str(r["unit"])), industry) if x)
                entries.append(f"{town} ({extra})" if lang == "en" else f"{town}（{extra}）")
            out.append(Fact(t(f"ui.role.{role}", lang), ("; " if lang == "en" else "、").join(entries),
                            merged_ref([(r["source_ref"], r["source_lines"]) for r in rows], lang)))
        return out
    for r in recs:
        town = towns.get(clean_str(r["town_code"])) or clean_str(r["town_name_zh"])
        industry = clean_str(r["industry_en"] if lang == "en" else r["industry_zh"])
        out.append(Fact(t(f"ui.role.{clean_str(r['role'])}", lang), town,
                        ref_text(r["source_ref"], r["source_lines"], lang), industry))
    return out


# --------------------------------------------------------------------------------------------------- targets
def _unit_kind(data: Any, unit: str) -> str:
    rows = data.units[data.units["code"].astype(str) == unit]
    return clean_str(rows.iloc[0]["kind"]) if len(rows) else ""


def applies_to(indicator_name: str, unit: str, unit_name_zh: str, kind: str) -> bool:
    """Whether an indicator of the plan is a 2030 target *for this unit*: it names the unit (齐河县地区生产总值), or it
    sets a value for each county — ``每个县（市、区）`` for every county and district, ``各县（市）`` / ``每个县（市）``
    for counties and county-level cities only (not districts, not 天衢新区)."""
    name = indicator_name.replace("(", "（").replace(")", "）")
    if unit_name_zh and unit_name_zh in name:
        return True
    if kind not in ("county", "county_city", "district"):
        return False
    if "每个县（市、区）" in name or "各县（市、区）" in name:
        return True
    if ("各县（市）" in name or "每个县（市）" in name) and kind in ("county", "county_city"):
        return True
    return False


def target_facts(data: Any, unit: str, lang: str) -> list[Fact]:
    """The plan's 2030 targets for the unit (see :func:`applies_to`); the central-city targets for 德城区, 天衢新区
    and 陵城区 (第三十节 L867); city-wide the main indicator table and the transport targets."""
    ind = data.indicators
    en = lang == "en"
    rows: list[dict[str, Any]]
    if unit == CITY:
        mask = ind["source_ref"].isin(CITY_TARGET_REFS) | ind["group"].isin(CITY_TARGET_GROUPS)
        rows = ind[mask].to_dict("records")
    else:
        name_zh = clean_str(data.units.loc[data.units["code"].astype(str) == unit, "name_zh"].iloc[0])
        kind = _unit_kind(data, unit)
        rows = [r for r in ind.to_dict("records") if applies_to(clean_str(r["name_zh"]), unit, name_zh, kind)]
        if unit in CENTRAL_CITY:
            rows += [r for r in ind.to_dict("records") if clean_str(r["group"]) == "中心城区" and r not in rows]
    out = []
    for r in rows:
        measure = clean_str(r["unit_en"] if en else r["unit_zh"])
        value = clean_str(r["target_2030"])
        base = clean_str(r["base_2025"])
        v = f"{value} {measure}".strip()
        if base:
            v += " " + t("report.target.base", lang, base=base)
        label = clean_str(r["name_en"] if en else r["name_zh"])
        note = t("report.target.central_city", lang) if clean_str(r["group"]) == "中心城区" and unit != CITY else ""
        out.append(Fact(label, v, ref_text(r["source_ref"], r["source_lines"], lang), note))
    if unit != CITY:
        for r in data.profiles[(data.profiles["unit"].astype(str) == unit)
                               & (data.profiles["field"] == "target")].to_dict("records"):
            out.append(Fact(t("ui.profile.target", lang), clean_str(r["value_en" if en else "value_zh"]),
                            ref_text(r["source_ref"], r["source_lines"], lang)))
    return out


# --------------------------------------------------------------------------------------------------- access
_SHARES: dict[int, tuple[Any, pd.DataFrame]] = {}


def _shares(data: Any) -> pd.DataFrame:
    """Per-unit coverage shares of towns (computed once per data object; a few kept)."""
    hit = _SHARES.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    results = cov.coverage_scenarios(data, target_kinds=ACCESS_TARGETS, include_parks=False)
    shares = cov.county_shares(results, data)
    if len(_SHARES) >= 4:
        _SHARES.pop(next(iter(_SHARES)))
    _SHARES[id(data)] = (data, shares)
    return shares


def access_rows(data: Any, unit: str, lang: str) -> list[Access]:
    """Share of the unit's towns within 30 minutes of each target kind, 2025 and 2030 (geo.coverage)."""
    shares = _shares(data)
    s = shares[(shares["county"] == unit) & (shares["origin_kind"] == "town")]
    out = []
    col = f"min_le_{ACCESS_MINUTES}"
    for target in ACCESS_TARGETS:
        rows = s[s["target"] == target].set_index("scenario")
        if not {"2025", "2030"} <= set(rows.index):
            continue
        out.append(Access(target, t(f"coverage.target.{target}", lang), int(rows.loc["2025", "n"]),
                          float(rows.loc["2025", col]), float(rows.loc["2030", col])))
    return out


# --------------------------------------------------------------------------------------------------- sheet
def data_date(data_dir: Path) -> str:
    """Date of the data (YYYY-MM-DD): the last commit that changed ``data_dir`` when it is in a git checkout,
    else the newest modification time of its files."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "."], cwd=data_dir, capture_output=True,
                             text=True, timeout=10, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max((p.stat().st_mtime for p in data_dir.rglob("*") if p.is_file()), default=0.0)
    return datetime.fromtimestamp(newest, tz=UTC).strftime("%Y-%m-%d")


def _entrance_counts(data: Any) -> dict[str, int]:
    """Existing expressway entrances in the data and how many of them are assumed (``basis`` = assumed)."""
    ent = data.networks.get("expressway_entrances")
    if ent is None or not len(ent):
        return {"total": 0, "assumed": 0}
    basis = ent["basis"].astype(str) if "basis" in ent.columns else pd.Series("", index=ent.index)
    return {"total": len(ent), "assumed": int((basis == "assumed").sum())}


def fact_sheet(data: Any, unit: str, lang: str, *, data_dir: Path) -> FactSheet:
    """All facts of ``unit``'s sheet in ``lang``."""
    if lang not in ("zh", "en"):
        raise ReportError(f"unknown language {lang!r}; expected zh or en")
    unit_name = unit_display_name(data, unit, lang)
    attribution = attribution_lines(lang)
    items = data.items if unit == CITY else items_for_unit(data.items, unit)
    precision = items["precision"].value_counts().to_dict() if len(items) else {}
    parks = park_facts(data, unit, lang)
    towns = town_facts(data, unit, lang)
    counts = {
        "items": len(items),
        "located": int(sum(precision.get(p, 0) for p in ("site", "town", "schematic"))),
        "county_only": int(precision.get("county", 0)),
        "not_located": int(precision.get("none", 0)),
        "parks_box4": len(parks),
        "towns": len(towns),
    }
    assumptions = cov.Assumptions()
    access_note = t("report.access.note", lang, minutes=ACCESS_MINUTES, assumptions=assumptions.text(lang))
    caveats = [t("report.caveat.precision", lang), t("report.caveat.county_only", lang, n=counts["county_only"]),
               t("report.caveat.schematic", lang, **_entrance_counts(data)), t("report.caveat.towns", lang)]
    plan_title = Fact(t("report.plan_title_label", lang), t("report.plan_title", lang),
                      f"L{PLAN_TITLE_LINE}, L{PLAN_ISSUED_LINE}", t("report.plan_issued", lang))
    return FactSheet(unit=unit, lang=lang, unit_name=unit_name, profile=profile_facts(data, unit, lang), parks=parks,
                     towns=towns, projects=project_groups(data, unit, lang), access=access_rows(data, unit, lang),
                     access_note=access_note, targets=target_facts(data, unit, lang), counts=counts,
                     plan_title=plan_title, data_date=data_date(data_dir), attribution=attribution, caveats=caveats)


#: Profile fields that make a unit's short caption (presentation mode), in order.
KEY_FIELDS: tuple[str, ...] = ("primary_industry", "feature_industry", "future_industry", "expo", "gdp_target_2030")


def key_facts(data: Any, unit: str, lang: str) -> list[Fact]:
    """A unit's few headline facts (presentation caption): its lead, feature and future industries, expo and 2030
    GDP target where the plan gives them (else its first positioning), and how many 专栏4 parks and 三镇 towns
    it has; city-wide the totals. Each cited."""
    out: list[Fact] = []
    val = "value_en" if lang == "en" else "value_zh"
    pr = data.profiles[data.profiles["unit"].astype(str) == unit]
    for f in KEY_FIELDS:
        rows = pr[pr["field"] == f].to_dict("records")
        if rows:
            out.append(Fact(t("ui.profile." + f, lang), "; ".join(clean_str(r[val]) for r in rows),
                            merged_ref([(r["source_ref"], r["source_lines"]) for r in rows], lang)))
    if unit != CITY and not any(f.label == t("ui.profile.primary_industry", lang) for f in out):
        pos = pr[pr["field"] == "positioning"].to_dict("records")[:1]
        out += [Fact(t("ui.profile.positioning", lang), clean_str(r[val]),
                     ref_text(r["source_ref"], r["source_lines"], lang)) for r in pos]
    items = data.items
    parks = items[(items["source_ref"] == PARK_BOX) & (items["category"] == "park")]
    roles = data.town_roles
    if unit != CITY:
        parks = items_for_unit(parks, unit)
        roles = roles[roles["unit"].astype(str) == unit]
    sanzhen = roles[roles["role"].isin(("center", "feature", "cooperation"))]
    if len(parks):
        out.append(Fact(t("report.key.parks", lang), str(len(parks)),
                        merged_ref([(r, ln) for r, ln in zip(parks["source_ref"], parks["source_lines"],
                                                               strict=True)], lang, max_lines=4)))
    if len(sanzhen):
        out.append(Fact(t("report.key.sanzhen", lang), str(len(sanzhen)),
                        merged_ref([(r, ln) for r, ln in zip(sanzhen["source_ref"], sanzhen["source_lines"],
                                                               strict=True)], lang)))
    return out
