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

from i18n import t
from layers.popups import (
    Content,
    Row,
    energy_content,
    item_content,
    network_content,
    popup_html,
    popup_names,
    town_content,
)

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
    rows: tuple[Row, ...]
    cls: str = BRIEF_CLASS

    def __str__(self) -> str:
        return popup_html(self.names, self.rows, self.cls)

    def __bool__(self) -> bool:
        return True

    def __contains__(self, text: str) -> bool:
        return text in str(self)


def _brief(content: Content, cls: str = BRIEF_CLASS) -> Brief:
    names, rows = content
    return Brief(names=names, rows=tuple(rows), cls=cls)


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


def item_brief_html(item: Mapping[str, Any], lang: str, *, units: Mapping[str, tuple[str, str]] | None = None,
                    town_name: str | None = None) -> Brief:
    """Brief popup of a plan item: names, category, county, status, location precision (the full record, with
    its provenance and quote, is in the details panel)."""
    return _brief(item_content(item, lang, units=units, town_name=town_name, full=False))


def town_brief_html(town: Mapping[str, Any], roles: Sequence[Mapping[str, Any]], lang: str, *,
                    units: Mapping[str, tuple[str, str]] | None = None) -> Brief:
    """Brief popup of a town: names, county, type and the roles the plan gives it."""
    return _brief(town_content(town, roles, lang, units=units, full=False))


def area_brief_html(props: Mapping[str, Any], lang: str) -> Brief:
    """Popup of an approximate town area: its names; the "approximate, not a legal boundary" line comes from
    :func:`brief_css` (a click opens the town in the details panel)."""
    return _brief((popup_names(props.get("name_zh"), props.get("name_en"), lang), []), cls=AREA_CLASS)


def network_brief_html(props: Mapping[str, Any], lang: str, *, item: Mapping[str, Any] | None = None,
                       units: Mapping[str, tuple[str, str]] | None = None,
                       places: Mapping[str, str] | None = None) -> Brief:
    """Brief popup of a network feature: what it is, how its line was drawn and how accurate it is; a planned
    work joined to its plan item: the item's brief rows plus the line's. Source, licence and notes are in the
    details panel."""
    return _brief(network_content(props, lang, item=item, units=units, places=places, full=False))


def energy_brief_html(props: Mapping[str, Any], lang: str) -> Brief:
    """Popup of an existing power plant or substation (OSM), the rows of :func:`layers.popups.energy_popup_html`
    as a :class:`Brief` (rows shared by many plants are sent once)."""
    return _brief(energy_content(props, lang), cls="dz-full")
