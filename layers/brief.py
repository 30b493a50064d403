"""Brief popups: what a feature's popup on the map says, in a few rows; the whole record opens beside the map.

A click on a feature selects it by its stable id (:mod:`layers.draw`) and the details panel shows everything the
full popups of :mod:`layers.popups` say (provenance, plan lines, the quote, aliases, notes, data source and
licence). The map therefore carries per feature only its names and the rows a user reads at a glance —
category, county, status, how precisely it is placed — instead of a full table each (most of the map's bytes
were those tables). One CSS rule (:func:`brief_css`) adds the "details beside the map" line to every brief popup,
so that text is sent once, not once per feature. Text is escaped exactly as in :mod:`layers.popups`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.text import clean_str, escape_html
from i18n import t
from layers.popups import _number, _tr, network_names, town_type_text, unit_names, waypoints_text

__all__ = ["AREA_CLASS", "BRIEF_CLASS", "Brief", "area_brief_html", "brief_css", "item_brief_html",
           "network_brief_html", "town_brief_html"]

#: CSS class of a brief popup (its "details beside the map" line comes from :func:`brief_css`).
BRIEF_CLASS = "dz-brief"
#: CSS class of an approximate area's popup (its "not a legal boundary" line comes from :func:`brief_css`).
AREA_CLASS = "dz-area"


@dataclass(frozen=True)
class Brief:
    """A brief popup as data: escaped names (one or two) and rows of (escaped label, escaped value HTML).

    ``str()`` is its HTML (as :mod:`layers.popups` writes popups); :class:`layers.geojson_layer.GeoJsonLayer`
    sends it as ``[names, [[label index, value], …]]`` with each label once per layer, and the map's runtime
    writes the same HTML when the popup opens.
    """

    names: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]
    cls: str = BRIEF_CLASS

    def __str__(self) -> str:
        head = f'<div class="dz-h">{self.names[0]}</div>' if self.names else ""
        if len(self.names) > 1:
            head += f'<div class="dz-h2">{self.names[1]}</div>'
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in self.rows)
        return f'<div class="dz-pop {self.cls}">{head}<table>{body}</table></div>'

    def __bool__(self) -> bool:
        return True

    def __contains__(self, text: str) -> bool:
        return text in str(self)


def _names(zh: Any, en: Any, lang: str) -> tuple[str, ...]:
    """Escaped names in display order (as :func:`layers.popups._names`): the second only when it differs."""
    zh_s, en_s = escape_html(zh), escape_html(en)
    first, second = (zh_s, en_s) if lang == "zh" else (en_s or zh_s, zh_s if en_s else "")
    return (first, second) if second and second != first else (first,)


def _row(label_key: str, value_html: str, lang: str) -> tuple[str, str] | None:
    return (escape_html(t(label_key, lang)), value_html) if value_html else None


def _brief(names: tuple[str, ...], rows: list[tuple[str, str] | None], cls: str = BRIEF_CLASS) -> Brief:
    return Brief(names=names, rows=tuple(r for r in rows if r), cls=cls)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and non-ASCII characters escaped)."""
    return '"' + "".join(c if c.isascii() and c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} "
                         for c in text) + '"'


def brief_css(lang: str) -> str:
    """The CSS rules that write the "details beside the map" line under every brief popup and the "approximate,
    not a legal boundary" line under every area popup, in ``lang`` (sent once, not once per feature)."""
    look = "display:block;margin-top:4px;color:#666;font-size:11px"
    return (f".{BRIEF_CLASS}::after{{content:{_css_string(t('layers.popup.more_in_panel', lang))};{look}}}"
            f".{AREA_CLASS}::after{{content:{_css_string(t('layers.popup.town_area_note', lang))};{look}}}")


def _item_rows(item: Mapping[str, Any], lang: str, units: Mapping[str, tuple[str, str]],
               town_name: str | None) -> list[tuple[str, str] | None]:
    codes = item.get("unit_list")
    if codes is None or isinstance(codes, float):
        codes = clean_str(item.get("units")).split(";")
    status_zh, status = escape_html(item.get("status_zh")), _tr("layers.status", item.get("status"), lang)
    status_html = escape_html(status) + (f"（{status_zh}）" if lang == "zh" and status_zh else "")
    category = escape_html(_tr("layers.category", item.get("category"), lang))
    sub = escape_html(_tr("layers.subtype", item.get("subtype"), lang))
    if sub:
        category += f" · {sub}"
    precision = clean_str(item.get("precision"))
    loc = escape_html(_tr("layers.precision", precision, lang))
    if precision == "town" and town_name:
        loc += "<br>" + escape_html(t("layers.popup.placed_at_town", lang, town=town_name))
    return [
        _row("layers.popup.category", category, lang),
        _row("layers.popup.county", unit_names(codes, units, lang), lang),
        _row("layers.popup.status", status_html, lang),
        _row("layers.popup.precision", loc, lang),
    ]


def item_brief_html(item: Mapping[str, Any], lang: str, *, units: Mapping[str, tuple[str, str]] | None = None,
                    town_name: str | None = None) -> Brief:
    """Brief popup of a plan item: names, category, county, status, location precision (the full record, with
    its provenance and quote, is in the details panel)."""
    return _brief(_names(item.get("name_zh"), item.get("name_en"), lang), _item_rows(item, lang, units or {}, town_name))


def town_brief_html(town: Mapping[str, Any], roles: Sequence[Mapping[str, Any]], lang: str, *,
                    units: Mapping[str, tuple[str, str]] | None = None) -> Brief:
    """Brief popup of a town: names, county, type and the roles the plan gives it."""
    rows: list[tuple[str, str] | None] = [
        _row("layers.popup.county", unit_names([clean_str(town.get("unit"))], units or {}, lang), lang),
        _row("layers.popup.town_type", escape_html(town_type_text(town.get("type"), lang)), lang),
    ]
    for r in roles:
        industry = r.get("industry_zh") if lang == "zh" else (r.get("industry_en") or r.get("industry_zh"))
        role = escape_html(_tr("layers.role", r.get("role"), lang))
        if clean_str(industry):
            role += f"（{escape_html(industry)}）" if lang == "zh" else f" ({escape_html(industry)})"
        rows.append(_row("layers.popup.role", role, lang))
    return _brief(_names(town.get("name_zh"), town.get("name_en"), lang), rows)


def area_brief_html(props: Mapping[str, Any], lang: str) -> Brief:
    """Popup of an approximate town area: its names; the "approximate, not a legal boundary" line comes from
    :func:`brief_css` (a click opens the town in the details panel)."""
    return _brief(_names(props.get("name_zh"), props.get("name_en"), lang), [], cls=AREA_CLASS)


def network_brief_html(props: Mapping[str, Any], lang: str, *, item: Mapping[str, Any] | None = None,
                       units: Mapping[str, tuple[str, str]] | None = None,
                       places: Mapping[str, str] | None = None) -> Brief:
    """Brief popup of a network feature: what it is, how its line was drawn and how accurate it is; a planned
    work joined to its plan item: the item's brief rows plus the line's. Source, licence and notes are in the
    details panel."""
    geo_rows = [
        _row("layers.popup.geometry", escape_html(_tr("layers.quality", props.get("quality"), lang)), lang),
        _row("layers.popup.waypoints", escape_html(waypoints_text(props.get("waypoints"), lang, places)), lang),
        _row("layers.popup.accuracy", escape_html(_tr("layers.accuracy", props.get("accuracy"), lang)), lang),
        _row("layers.popup.name_certainty",
             escape_html(_tr("layers.name_certainty", props.get("name_certainty"), lang)), lang),
    ]
    if item is not None:
        return _brief(_names(item.get("name_zh"), item.get("name_en"), lang),
                      _item_rows(item, lang, units or {}, None) + geo_rows)
    rows: list[tuple[str, str] | None] = [_row("layers.popup.mode", escape_html(_tr("layers.mode", props.get("mode"), lang)), lang),
            _row("layers.popup.ref", escape_html(props.get("ref")), lang), *geo_rows]
    return _brief(_names(*network_names(props), lang), rows)


def energy_brief_html(props: Mapping[str, Any], lang: str) -> Brief:
    """Popup of an existing power plant or substation (OSM), the rows of
    :func:`layers.popups.energy_popup_html` as a :class:`Brief` (rows shared by many plants are sent once)."""
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
    return _brief(_names(props.get("name"), props.get("name_en"), lang), rows, cls="dz-full")
