"""Provenance in the user's words and language (issue 11 item 4).

The data files keep the technical trail (file paths, package names and versions, conversion functions, English
working notes); popups and the details panel show where a location or line comes from as a user would say it,
in the interface language: "位置：乡镇驻地（公开数据 Vonng/adcode，CC BY 4.0）". Each function maps a raw source
string of data/ to one of a few known kinds (``layers.prov.<kind>`` in i18n); an unknown string reads "other
(details in the data files)" rather than leaking the raw text. Pure functions, no Streamlit, no HTML (callers escape).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from geo.text import clean_str
from i18n import t

#: projects.csv ``location_source`` -> kind (first match wins; matched case-insensitively at the start).
ITEM_SOURCE_KINDS: tuple[tuple[str, str], ...] = (
    (r"site: .*openstreetmap", "item.site_osm"),
    (r"placed at town ", "item.placed_at_town"),
    (r"schematic: drawn along the river", "item.schematic_river"),
    (r"schematic", "item.schematic"),
    (r"networks/[a-z_]+\.geojson feature", "item.network_line"),
    (r"county only", "item.county_only"),
    (r"(county stated in|plan lists it under|plan names|county from the plan|line \d+ names)", "item.county_plan"),
    (r"(county (implied by|from) the item('s)? name|county of its .* from the name)", "item.county_name"),
    (r"(knowledge:|county (by|from) general knowledge)", "item.county_knowledge"),
)

#: networks ``source`` -> kind.
NETWORK_SOURCE_KINDS: tuple[tuple[str, str], ...] = (
    (r"openstreetmap", "net.osm"),
    (r"cia world data bank", "net.wdb"),
    (r"schematic", "net.schematic"),
    (r"assumed: an interchange", "net.assumed_entrance"),
    (r"plan text \+ general knowledge", "net.plan_knowledge"),
    (r"general knowledge", "net.knowledge"),
)

#: Parts of a networks ``license`` cell -> kind (all that occur are listed).
LICENSE_PARTS: tuple[tuple[str, str], ...] = (
    (r"CC0 \(our own drawing", "lic.own"),
    (r"station waypoints ODbL|^ODbL", "lic.osm"),
    (r"Vonng/adcode", "lic.adcode"),
    (r"public domain", "lic.public_domain"),
)

_FILE_REF = re.compile(r"\s*\(?(?:from|in|via|through)?\s*\S+\.(?:geojson|csv|json|zip|7z|nc|shp)\b\)?", re.I)
_KM = re.compile(r"±\s*(\d+(?:\.\d+)?)\s*km")
_TOWN = re.compile(r"placed at town (\S+?)(?:\s|$|\()")


def _kind(value: str, table: tuple[tuple[str, str], ...]) -> str | None:
    low = value.lower()
    for pattern, kind in table:
        if re.match(pattern, low, flags=re.I):
            return kind
    return None


def _prov(key: str, lang: str, **fmt: object) -> str:
    return t(f"layers.prov.{key}", lang, **fmt)


def item_location_text(value: Any, lang: str) -> str:
    """An item's ``location_source`` in user words ('' for a blank cell)."""
    v = clean_str(value)
    if not v:
        return ""
    kind = _kind(v, ITEM_SOURCE_KINDS)
    if kind is None:
        return _prov("other", lang)
    if kind == "item.placed_at_town":
        m = _TOWN.search(v)
        return _prov(kind, lang, town=m.group(1) if m else "")
    return _prov(kind, lang)


def town_location_text(town: Mapping[str, Any], lang: str) -> str:
    """Where a town point comes from (``point_precision``, the ± km of an estimate) in user words."""
    pp = clean_str(town.get("point_precision"))
    if pp == "source_point":
        return _prov("town.source_point", lang)
    if pp == "derived_villages":
        return _prov("town.derived_villages", lang)
    if pp == "knowledge":
        m = _KM.search(clean_str(town.get("point_source")))
        return _prov("town.knowledge_km", lang, km=m.group(1)) if m else _prov("town.knowledge", lang)
    return _prov("other", lang) if clean_str(town.get("point_source")) else ""


def county_boundary_text(county: Mapping[str, Any], lang: str) -> str:
    """A county outline's source in user words (open data, its licence, simplified for display)."""
    lic = clean_str(county.get("license"))
    if lic.upper().startswith("MIT"):
        return _prov("county.open_mit", lang)
    return _prov("other", lang)


def area_source_text(props: Mapping[str, Any], lang: str) -> str:
    """An approximate area's method (town areas: split between the town points; 天衢新区: union of its towns)."""
    method = clean_str(props.get("method") or props.get("source")).lower()
    if method.startswith("voronoi"):
        return _prov("area.voronoi", lang)
    if method.startswith("union of the member towns"):
        return _prov("area.union", lang)
    return _prov("other", lang) if method else ""


def area_basis_text(props: Mapping[str, Any], lang: str) -> str:
    """The basis of an area's membership (天衢新区: public knowledge, not an official list)."""
    basis = clean_str(props.get("basis")).lower()
    if not basis:
        return ""
    return _prov("area.basis_knowledge", lang) if "general knowledge" in basis else _prov("other", lang)


def network_source_text(props: Mapping[str, Any], lang: str) -> str:
    """A network feature's source and licences in user words: "OpenStreetMap 贡献者（ODbL）"."""
    src = clean_str(props.get("source"))
    if not src:
        return ""
    kind = _kind(src, NETWORK_SOURCE_KINDS)
    text = _prov(kind, lang) if kind else _prov("other", lang)
    lic = clean_str(props.get("license"))
    parts = [_prov(k, lang) for pattern, k in LICENSE_PARTS if re.search(pattern, lic)]
    if kind in ("net.osm", "net.wdb"):  # the source phrase already names its licence
        parts = [p for p in parts if p not in (_prov("lic.osm", lang), _prov("lic.public_domain", lang))]
    sep = "；" if lang == "zh" else "; "
    return sep.join([text, *parts])


def note_text(value: Any, lang: str) -> str:
    """A working note of the data (written in English) for the popup: none in the Chinese interface; in English
    without file names."""
    v = clean_str(value)
    if lang == "zh" or not v:
        return ""
    return re.sub(r"\s{2,}", " ", _FILE_REF.sub("", v)).strip(" ;,")
