"""Popup and tooltip HTML for every kind of feature on the map.

The rows a popup shows are built once per kind of feature (:func:`item_content`, :func:`town_content`,
:func:`network_content`, :func:`energy_content`): the full popup (``full=True``, the selected feature and the
details) and the brief popup of :mod:`layers.brief` (``full=False``, a few rows per feature on the map) are the
same rows, the brief one leaving out provenance, quotes, notes and sources.

Every data string passes through :func:`geo.text.escape_html` before it enters HTML (``html.escape`` plus the
characters special inside the JavaScript template literals folium embeds popups and tooltips in), so a hostile
name like ``<script>`` or ``${alert(1)}`` is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from geo.schema import CATEGORIES
from geo.text import clean_str, escape_html, is_blank, pinyin_name
from i18n import t
from layers.provenance import (
    area_basis_text,
    area_source_text,
    county_boundary_text,
    item_location_text,
    network_source_text,
    note_text,
    town_location_text,
)

#: CSS for the popup classes (put once in the page header by :func:`layers.map_builder.build_map`).
POPUP_CSS = (".dz-pop{font:12px/1.35 sans-serif;max-width:340px}.dz-pop .dz-h{font-weight:bold;font-size:14px}"
             ".dz-pop .dz-h2{color:#555}.dz-pop table{margin-top:4px;border-collapse:collapse;font-size:inherit}"
             ".dz-pop th{text-align:left;vertical-align:top;padding:1px 8px 1px 0;white-space:nowrap;color:#555;"
             "font-weight:normal}.dz-pop td{padding:1px 0}.dz-pop ul{padding-left:16px;margin:4px 0}"
             ".dz-pop small{color:#666}")


def _tr(prefix: str, value: Any, lang: str) -> str:
    """Translate a code via ``<prefix>.<value>``; unknown codes are shown as they are."""
    v = clean_str(value)
    if not v:
        return ""
    try:
        return t(f"{prefix}.{v}", lang)
    except KeyError:
        return v


#: A popup row: (escaped label, escaped value HTML).
Row = tuple[str, str]
#: What a popup says: its escaped names (one or two, display order) and its rows.
Content = tuple[tuple[str, ...], list[Row]]


def _row(label_key: str, value_html: str, lang: str) -> Row | None:
    """The row labelled ``label_key`` in ``lang``; ``None`` (no row) when the value is empty."""
    return (escape_html(t(label_key, lang)), value_html) if value_html else None


def _rows(rows: Iterable[Row | None]) -> list[Row]:
    return [r for r in rows if r]


def popup_names(zh: Any, en: Any, lang: str) -> tuple[str, ...]:
    """Escaped names in display order: the name in ``lang`` first, the other second when it differs."""
    zh_s, en_s = escape_html(zh), escape_html(en)
    first, second = (zh_s, en_s) if lang == "zh" else (en_s or zh_s, zh_s if en_s else "")
    return (first, second) if second and second != first else (first,)


def popup_html(names: Sequence[str], rows: Iterable[Row], cls: str = "") -> str:
    """A popup's HTML: the (escaped) names as headings over a table of the (escaped) rows; ``cls``: an extra CSS
    class beside ``dz-pop``."""
    head = f'<div class="dz-h">{names[0]}</div>' if names else ""
    if len(names) > 1:
        head += f'<div class="dz-h2">{names[1]}</div>'
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<div class="dz-pop{" " + cls if cls else ""}">{head}<table>{body}</table></div>'


def unit_names(codes: Iterable[str], units: Mapping[str, tuple[str, str]], lang: str) -> str:
    """Escaped, translated names of unit codes (``units``: code -> (name_zh, name_en))."""
    out = []
    for c in codes:
        c = clean_str(c)
        if not c:
            continue
        zh, en = units.get(c, (c, c))
        out.append(escape_html(zh if lang == "zh" else en))
    return "、".join(out) if lang == "zh" else ", ".join(out)


def _lines(value: Any, lang: str) -> str:
    v = clean_str(value)
    if not v:
        return ""
    return escape_html(t("layers.popup.lines_fmt", lang, lines=v.replace(";", ", ")))


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def cn_number(s: str) -> int | None:
    """A Chinese numeral below 1000 (``三十七`` -> 37, ``十八`` -> 18, ``一百零二`` -> 102); ``None`` if not one."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch in ("十", "百"):
            total += (cur or 1) * (10 if ch == "十" else 100)
            cur = 0
        else:
            return None
    return total + cur


def source_ref_text(ref: Any, lang: str) -> str:
    """A plan reference in ``lang``: ``专栏8`` -> "Box 8", ``第十八节`` -> "Section 18", ``第三章`` -> "Chapter 3"
    in English (unchanged in Chinese, and for anything else)."""
    v = clean_str(ref)
    if lang == "zh" or not v:
        return v

    def numbered(word: str) -> Callable[[re.Match[str]], str]:
        def sub(m: re.Match[str]) -> str:
            n = cn_number(m.group(1))
            return m.group(0) if n is None else f"{word} {n}"
        return sub

    v = re.sub(r"专栏\s*([0-9一二三四五六七八九十百零〇两]+)", numbered("Box"), v)
    v = re.sub(r"第([0-9一二三四五六七八九十百零〇两]+)节", numbered("Section"), v)
    v = re.sub(r"第([0-9一二三四五六七八九十百零〇两]+)章", numbered("Chapter"), v)
    return v.replace("；", "; ").replace("、", ", ")


_DIRECTIONS = {"东": "East", "西": "West", "南": "South", "北": "North"}


def place_name_en(name: str, places: Mapping[str, str] | None = None) -> str:
    """English of a short Chinese place name: ``places`` (stem -> English, e.g. 长官 -> Changguan) first, a
    station direction suffix translated (济南西 -> "Jinan West"), else pinyin."""
    places = places or {}
    if name in places:
        return places[name]
    if len(name) >= 3 and name[-1] in _DIRECTIONS:
        return f"{place_name_en(name[:-1], places)} {_DIRECTIONS[name[-1]]}"
    return pinyin_name(name)


def waypoints_text(value: Any, lang: str, places: Mapping[str, str] | None = None) -> str:
    """``a;b;c`` as "a → b → c"; in English the Chinese place names are translated (:func:`place_name_en`)."""
    names = [w.strip() for w in clean_str(value).split(";") if w.strip()]
    if lang != "zh":
        names = [place_name_en(w, places) for w in names]
    return " → ".join(names)


def provenance_rows(row: Mapping[str, Any], lang: str) -> list[Row | None]:
    """Rows: source box/section, plan line numbers, the quote."""
    quote = escape_html(row.get("quote"))
    return [
        _row("layers.popup.source", escape_html(source_ref_text(row.get("source_ref"), lang)), lang),
        _row("layers.popup.lines", _lines(row.get("source_lines"), lang), lang),
        _row("layers.popup.quote", f"“{quote}”" if quote else "", lang),
    ]


def location_source_text(value: Any, lang: str, units: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Where an item's location comes from, as plain text in ``lang``: an item placed on the map by an official
    (``placed by 王伟, 371422 宁津县, 2026-03-01``) reads "由 王伟（宁津县）于 2026-03-01 在地图上定位" / "placed on the
    map by 王伟 (Ningjin County), 2026-03-01"; any other source in user words (:mod:`layers.provenance`)."""
    from geo.review.changes import parse_placed_by

    v = clean_str(value)
    placed = parse_placed_by(v) if v.startswith("placed by ") else None
    if placed is None:
        return item_location_text(v, lang)
    zh, en = (units or {}).get(placed["unit"], (placed["unit_name"] or placed["unit"],) * 2)
    return t("review.placed_by", lang, name=placed["name"], unit=zh if lang == "zh" else en, date=placed["date"])


def item_content(item: Mapping[str, Any], lang: str, *, units: Mapping[str, tuple[str, str]] | None = None,
                 town_name: str | None = None, full: bool = True) -> Content:
    """Names and rows of a plan item (a projects.csv row): category, county, status, location precision; ``full``
    adds industry, location source, provenance, aliases, notes and id.

    ``town_name``: name of the town an item of precision ``town`` is placed at (adds "placed at town").
    """
    units = units or {}
    codes = item.get("unit_list")
    if codes is None or isinstance(codes, float):
        codes = clean_str(item.get("units")).split(";")
    status_zh, status = escape_html(item.get("status_zh")), _tr("layers.status", item.get("status"), lang)
    # the plan's own wording in brackets in Chinese only (the English map stays English)
    status_html = escape_html(status) + (f"（{status_zh}）" if lang == "zh" and status_zh else "")
    category = escape_html(_tr("layers.category", item.get("category"), lang))
    sub = escape_html(_tr("layers.subtype", item.get("subtype"), lang))
    if sub:
        category += f" · {sub}"
    precision = clean_str(item.get("precision"))
    loc = escape_html(_tr("layers.precision", precision, lang))
    if precision == "town" and town_name:
        loc += "<br>" + escape_html(t("layers.popup.placed_at_town", lang, town=town_name))
    rows = [
        _row("layers.popup.category", category, lang),
        _row("layers.popup.county", unit_names(codes, units, lang), lang),
        _row("layers.popup.status", status_html, lang),
    ]
    if full:
        industry = item.get("industry_tags") if lang == "zh" else (
            item.get("industry_tags_en") if not is_blank(item.get("industry_tags_en")) else item.get("industry_tags"))
        rows.append(_row("layers.popup.industry",
                         escape_html(clean_str(industry).replace(";", "、" if lang == "zh" else ", ")), lang))
    rows.append(_row("layers.popup.precision", loc, lang))
    if full:
        rows += [
            _row("layers.popup.location_source",
                 escape_html(location_source_text(item.get("location_source"), lang, units)), lang),
            *provenance_rows(item, lang),
            _row("layers.popup.aliases", escape_html(clean_str(item.get("aliases")).replace(";", "; ")), lang),
            _row("layers.popup.notes", escape_html(note_text(item.get("notes"), lang)), lang),
            _row("layers.popup.id", escape_html(item.get("id")), lang),
        ]
    return popup_names(item.get("name_zh"), item.get("name_en"), lang), _rows(rows)


def item_popup_html(item: Mapping[str, Any], lang: str, *, units: Mapping[str, tuple[str, str]] | None = None,
                    town_name: str | None = None) -> str:
    """Popup of a plan item (a projects.csv row): names, category, county, status, industry, location, provenance.

    ``town_name``: name of the town an item of precision ``town`` is placed at (adds "placed at town").
    """
    return popup_html(*item_content(item, lang, units=units, town_name=town_name))


def item_tooltip(item: Mapping[str, Any], lang: str) -> str:
    """Short escaped tooltip: the item name in ``lang``."""
    name = item.get("name_zh") if lang == "zh" else (item.get("name_en") or item.get("name_zh"))
    return escape_html(name)


#: Town types of towns.csv (乡/镇/街道) -> i18n key.
TOWN_TYPE_KEYS = {"乡": "layers.town_type.township", "镇": "layers.town_type.town",
                  "街道": "layers.town_type.subdistrict"}


def town_type_text(value: Any, lang: str) -> str:
    """``乡``/``镇``/``街道`` in ``lang`` (other values unchanged)."""
    v = clean_str(value)
    return t(TOWN_TYPE_KEYS[v], lang) if v in TOWN_TYPE_KEYS else v


def town_content(town: Mapping[str, Any], roles: Sequence[Mapping[str, Any]], lang: str, *,
                 units: Mapping[str, tuple[str, str]] | None = None, full: bool = True) -> Content:
    """Names and rows of a town: county, type and each role the plan gives it; ``full`` adds where its point
    comes from and each role's provenance."""
    units = units or {}
    rows = [
        _row("layers.popup.county", unit_names([clean_str(town.get("unit"))], units, lang), lang),
        _row("layers.popup.town_type", escape_html(town_type_text(town.get("type"), lang)), lang),
    ]
    if full:
        rows.append(_row("layers.popup.location_source", escape_html(town_location_text(town, lang)), lang))
    for r in roles:
        industry = r.get("industry_zh") if lang == "zh" else (r.get("industry_en") or r.get("industry_zh"))
        role = escape_html(_tr("layers.role", r.get("role"), lang))
        if clean_str(industry):
            role += f"（{escape_html(industry)}）" if lang == "zh" else f" ({escape_html(industry)})"
        rows.append(_row("layers.popup.role", role, lang))
        if full:
            rows.extend(provenance_rows(r, lang))
    return popup_names(town.get("name_zh"), town.get("name_en"), lang), _rows(rows)


def town_popup_html(town: Mapping[str, Any], roles: Sequence[Mapping[str, Any]], lang: str, *,
                    units: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Popup of a town: names, county, type, point precision, and each role the plan gives it (with provenance)."""
    return popup_html(*town_content(town, roles, lang, units=units))


def county_popup_html(county: Mapping[str, Any], lang: str, *, n_items: int | None = None) -> str:
    """Popup of a county polygon: names, where the boundary comes from (user words), number of plan items."""
    rows = [
        _row("layers.popup.data_source", escape_html(county_boundary_text(county, lang)), lang),
        _row("layers.popup.n_items", escape_html(n_items) if n_items is not None else "", lang),
    ]
    return popup_html(popup_names(county.get("name_zh"), county.get("name_en"), lang), _rows(rows))


def area_popup_html(props: Mapping[str, Any], lang: str, *, note_key: str) -> str:
    """Popup of an approximate area (tianqu outline, town area) with the 'not a legal boundary' note."""
    members = clean_str(props.get("member_towns")).replace(";", "、" if lang == "zh" else ", ")
    rows = [
        _row("layers.popup.precision", escape_html(_tr("layers.precision", props.get("precision") or "approximate", lang)),
             lang),
        _row("layers.popup.members", escape_html(members), lang),
        _row("layers.popup.data_source", escape_html(area_source_text(props, lang)), lang),
        _row("layers.popup.basis", escape_html(area_basis_text(props, lang)), lang),
        _row("layers.popup.notes", escape_html(t(note_key, lang)), lang),
    ]
    return popup_html(popup_names(props.get("name_zh"), props.get("name_en"), lang), _rows(rows))


#: Kinds of "park" items in list order: the parks proper first, then what the plan lists among them but is no park
#: site (an industry cluster, a production base such as 国家农作物制种大县).
PARK_SUBTYPE_ORDER: tuple[str, ...] = ("development_zone", "industrial_park", "functional_area", "cluster", "base")
#: Kinds named beside an entry's name (an industrial park or a development zone is what the group says).
NAMED_SUBTYPES = frozenset({"functional_area", "cluster", "base"})


def list_order(item: Mapping[str, Any]) -> tuple[int, str]:
    """Sort key of an item within its category: parks proper before clusters and bases, then by id."""
    sub = clean_str(item.get("subtype"))
    rank = PARK_SUBTYPE_ORDER.index(sub) if sub in PARK_SUBTYPE_ORDER else len(PARK_SUBTYPE_ORDER)
    return rank, clean_str(item.get("id"))


def kind_note(item: Mapping[str, Any], lang: str) -> str:
    """The kind of a park-group item that is no park site ('产业集群', 'Base'), else ''."""
    sub = clean_str(item.get("subtype"))
    return _tr("layers.subtype", sub, lang) if sub in NAMED_SUBTYPES else ""


def county_only_popup_html(county_name: str, items: Sequence[Mapping[str, Any]], lang: str) -> str:
    """Popup of the county badge: 'N items located only to county' and their names grouped by category (parks
    first; within parks the parks proper before clusters and bases, which are named as such); each item's status
    and plan reference are in the details panel and the county view."""
    title = escape_html(t("layers.popup.county_only_title", lang, n=len(items), county=county_name))
    by_cat: dict[str, list[str]] = {}
    for it in sorted(items, key=list_order):
        name = it.get("name_zh") if lang == "zh" else (it.get("name_en") or it.get("name_zh"))
        kind = kind_note(it, lang)
        note = f' <small>（{escape_html(kind)}）</small>' if kind and lang == "zh" else (
            f' <small>({escape_html(kind)})</small>' if kind else "")
        by_cat.setdefault(clean_str(it.get("category")), []).append(f"<li>{escape_html(name)}{note}</li>")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    parts = [f'<div class="dz-h2">{escape_html(_tr("layers.category", cat, lang))} ({len(lis)})</div>'
             f'<ul>{"".join(lis)}</ul>' for cat, lis in sorted(by_cat.items(), key=lambda kv: order.get(kv[0], 99))]
    return (f'<div class="dz-pop" style="max-height:300px;overflow:auto"><div class="dz-h">{title}</div>'
            f'{"".join(parts)}</div>')


def network_content(props: Mapping[str, Any], lang: str, *, item: Mapping[str, Any] | None = None,
                    units: Mapping[str, tuple[str, str]] | None = None, places: Mapping[str, str] | None = None,
                    full: bool = True) -> Content:
    """Names and rows of a network feature: what it is and how its line was drawn (geometry, waypoints, accuracy,
    name certainty; ``full`` adds data source and notes). A planned work joined to its plan item: the item's
    names and rows (:func:`item_content`) followed by the line's.

    ``places``: short Chinese place name -> English, for the waypoints (see :func:`place_name_en`).
    """
    line_rows = [
        _row("layers.popup.geometry", escape_html(_tr("layers.quality", props.get("quality"), lang)), lang),
        _row("layers.popup.waypoints", escape_html(waypoints_text(props.get("waypoints"), lang, places)), lang),
        _row("layers.popup.accuracy", escape_html(_tr("layers.accuracy", props.get("accuracy"), lang)), lang),
        _row("layers.popup.name_certainty", escape_html(_tr("layers.name_certainty", props.get("name_certainty"), lang)),
             lang),
    ]
    if full:
        line_rows += [
            _row("layers.popup.data_source", escape_html(network_source_text(props, lang)), lang),
            _row("layers.popup.notes", escape_html(note_text(props.get("note"), lang)), lang),
        ]
    if item is not None:
        names, item_rows = item_content(item, lang, units=units, full=full)
        return names, item_rows + _rows(line_rows)
    rows = [
        _row("layers.popup.mode", escape_html(_tr("layers.mode", props.get("mode"), lang)), lang),
        _row("layers.popup.ref", escape_html(props.get("ref")), lang),
        *line_rows,
    ]
    return popup_names(*network_names(props), lang), _rows(rows)


def network_popup_html(props: Mapping[str, Any], lang: str, *, item: Mapping[str, Any] | None = None,
                       units: Mapping[str, tuple[str, str]] | None = None,
                       places: Mapping[str, str] | None = None) -> str:
    """Popup of a network feature; a planned work joined to its plan item shows the item popup plus geometry notes.

    ``places``: short Chinese place name -> English, for the waypoints (see :func:`place_name_en`).
    """
    return popup_html(*network_content(props, lang, item=item, units=units, places=places))


def network_names(props: Mapping[str, Any]) -> tuple[str, str]:
    """(zh, en) name of a network feature; "unnamed" in each language where the data has none."""
    name_zh = props.get("name") if not is_blank(props.get("name")) else t("layers.popup.unnamed", "zh")
    name_en = props.get("name_en") if not is_blank(props.get("name_en")) else t("layers.popup.unnamed", "en")
    return str(name_zh), str(name_en)


def _number(value: Any) -> str:
    """``2720.0`` -> "2720", ``0.5`` -> "0.5"; blank or not a number -> ""."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return ""


def energy_content(props: Mapping[str, Any], lang: str) -> Content:
    """Names and rows of an existing power plant or substation (OSM): kind, fuel, output or voltage, where,
    precision, source, in ``lang``; the raw OSM strings stay in data/networks."""
    mw, kv = _number(props.get("output_mw")), _number(props.get("max_kv"))
    inside = clean_str(props.get("inside_dezhou")) in ("1", "1.0", "True", "true")
    rows = [
        _row("layers.popup.mode", escape_html(_tr("layers.mode", props.get("mode"), lang)), lang),
        _row("layers.popup.fuel", escape_html(_tr("layers.fuel", props.get("fuel"), lang)), lang),
        _row("layers.popup.output", escape_html(t("layers.energy.mw", lang, mw=mw)) if mw else "", lang),
        _row("layers.popup.voltage", escape_html(t("layers.energy.kv", lang, kv=kv)) if kv else "", lang),
        _row("layers.popup.where", escape_html(t("layers.energy.inside" if inside else "layers.energy.outside", lang)),
             lang),
        _row("layers.popup.precision", escape_html(t("layers.energy.precision", lang)), lang),
        _row("layers.popup.data_source", escape_html(t("layers.energy.source", lang)), lang),
    ]
    # OSM gives Chinese names only; an unnamed feature has a generated name in both languages
    return popup_names(props.get("name"), props.get("name_en"), lang), _rows(rows)


def energy_popup_html(props: Mapping[str, Any], lang: str) -> str:
    """Popup of an existing power plant or substation (OSM), the rows of :func:`energy_content`."""
    return popup_html(*energy_content(props, lang))


def network_tooltip(props: Mapping[str, Any], lang: str, *, item: Mapping[str, Any] | None = None) -> str:
    """Escaped tooltip of a network feature; a planned work joined to its plan item: the item's name and the
    work's mode (``徒骇河 · 航道``), so a work drawn along a river does not read like the river itself."""
    if item is not None:
        mode = _tr("layers.mode", item.get("subtype") or props.get("mode"), lang)
        return item_tooltip(item, lang) + (f" · {escape_html(mode)}" if mode else "")
    name = props.get("name") if lang == "zh" else (props.get("name_en") or props.get("name"))
    if is_blank(name):
        name = t("layers.popup.unnamed", lang) + " · " + _tr("layers.mode", props.get("mode"), lang)
    return escape_html(name)
