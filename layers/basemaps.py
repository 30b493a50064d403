"""Registry of basemaps (background tiles) and the function that puts one on a map.

Every entry is complete (missing fields raise ``TypeError``, empty required values ``ValueError``). ``datum``
says in which datum the tiles are drawn: ``wgs84`` (OSM, CARTO, Esri), ``cgcs2000`` (Tianditu; equal to WGS84
within centimetres, no shift) or ``gcj02`` (AMap / 高德: our WGS84 data must be shifted with
:func:`geo.crs.to_gcj02` for display). No API key is ever stored here: Tianditu needs the user's key at call time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import quote

import folium

from layers.draw import add_css

DATUMS: tuple[str, ...] = ("wgs84", "cgcs2000", "gcj02")


@dataclass(frozen=True)
class Basemap:
    """One background tile source (all fields required)."""

    key: str
    name_zh: str
    name_en: str
    url: str  # XYZ template; "" only for the blank basemap; Tianditu templates contain {key}
    label_url: str  # optional overlay of labels (Tianditu annotations); "" = none
    attribution: str  # shown in the map corner (required for every tiled basemap)
    max_zoom: int
    subdomains: str  # "" = none
    datum: str  # one of DATUMS
    needs_key: bool

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) is None:
                raise ValueError(f"basemap {self.key!r}: field {f.name!r} is missing (None)")
        if not self.key or not self.name_zh or not self.name_en:
            raise ValueError("basemap: key, name_zh and name_en must not be empty")
        if self.datum not in DATUMS:
            raise ValueError(f"basemap {self.key!r}: datum {self.datum!r} not in {DATUMS}")
        if self.url and not self.attribution:
            raise ValueError(f"basemap {self.key!r}: a tiled basemap needs an attribution")
        if self.url and not self.url.startswith("https://"):
            raise ValueError(f"basemap {self.key!r}: url must be https")
        if self.needs_key != ("{key}" in self.url):
            raise ValueError(f"basemap {self.key!r}: needs_key must match a {{key}} placeholder in the url")
        if not 1 <= int(self.max_zoom) <= 22:
            raise ValueError(f"basemap {self.key!r}: max_zoom out of range")

    def name(self, lang: str) -> str:
        """Display name in ``lang`` (``zh`` or ``en``)."""
        return self.name_zh if lang == "zh" else self.name_en


_TDT = "https://t{s}.tianditu.gov.cn/DataServer?T=%s&x={x}&y={y}&l={z}&tk={key}"

BASEMAPS: dict[str, Basemap] = {
    b.key: b
    for b in (
        Basemap("none", "无底图（离线）", "No basemap (offline)", "", "", "", 18, "", "wgs84", False),
        Basemap("osm", "OpenStreetMap", "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "",
                "© OpenStreetMap contributors", 19, "", "wgs84", False),
        Basemap("light", "浅色底图（CARTO Positron）", "Light (CARTO Positron)",
                "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "",
                "© OpenStreetMap contributors © CARTO", 20, "abcd", "wgs84", False),
        Basemap("satellite", "卫星影像（Esri）", "Satellite (Esri World Imagery)",
                "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
                "", "Tiles © Esri — Source: Esri, i-cubed, USDA, USGS, AEX, GeoEye, Getmapping, Aerogrid, IGN, "
                "IGP, UPR-EGP, and the GIS User Community", 18, "", "wgs84", False),
        Basemap("amap", "高德地图（GCJ-02）", "AMap / Gaode (GCJ-02)",
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=7&x={x}&y={y}&z={z}",
                "", "© 高德地图 AutoNavi", 18, "1234", "gcj02", False),
        Basemap("tianditu", "天地图（需密钥）", "Tianditu (needs a key)", _TDT % "vec_w", _TDT % "cva_w",
                "© 天地图 Tianditu (National Platform for Common GeoSpatial Information Services)", 18, "01234567",
                "cgcs2000", True),
    )
}
BASEMAP_KEYS: tuple[str, ...] = tuple(BASEMAPS)
_KEY_RE = re.compile(r"^[A-Za-z0-9]{8,64}$")
BLANK_BACKGROUND = "#f4f3ee"


def valid_key(key: str | None) -> bool:
    """True when ``key`` has the form of a Tianditu key (tk): 8–64 ASCII letters and digits, nothing else."""
    return bool(key) and _KEY_RE.match(key.strip()) is not None  # type: ignore[union-attr]


#: Exported maps never carry a user's key: a basemap that needs one is replaced by this keyless one.
EXPORT_FALLBACK = "osm"


def export_basemap(key: str) -> str:
    """The basemap an exported (standalone HTML) map uses instead of ``key``: the same one, unless it needs the
    user's key (Tianditu), then :data:`EXPORT_FALLBACK` — a key written into a file would be shared with it."""
    return EXPORT_FALLBACK if get_basemap(key).needs_key else key


def get_basemap(key: str) -> Basemap:
    """The registered basemap ``key``; raises ``KeyError`` listing the valid keys."""
    if key not in BASEMAPS:
        raise KeyError(f"unknown basemap {key!r}; expected one of {BASEMAP_KEYS}")
    return BASEMAPS[key]


def tile_url(basemap: Basemap, key: str | None = None, *, labels: bool = False) -> str:
    """The tile URL template of ``basemap`` with the user's ``key`` filled in (Tianditu).

    Raises ``ValueError`` when the basemap needs a key and none (or a malformed one) is given.
    """
    template = basemap.label_url if labels else basemap.url
    if not basemap.needs_key:
        return template
    if not key or not _KEY_RE.match(key.strip()):
        raise ValueError(f"basemap {basemap.key!r} needs a user key (tk); none or a malformed one was given")
    return template.replace("{key}", quote(key.strip(), safe=""))


def add_basemap(m: folium.Map, key: str, *, lang: str = "zh", tianditu_key: str | None = None) -> Basemap:
    """Put basemap ``key`` on ``m`` (a map created with ``tiles=None``) and return its registry entry.

    ``none`` adds no tiles, only a plain background colour (works offline). ``tianditu`` without
    ``tianditu_key`` raises ``ValueError`` before anything is added.
    """
    bm = get_basemap(key)
    if not bm.url:
        add_css(m, f".leaflet-container{{background:{BLANK_BACKGROUND};}}", name="dz_blank_background")
        return bm
    url = tile_url(bm, tianditu_key)
    label_url = tile_url(bm, tianditu_key, labels=True) if bm.label_url else ""
    kwargs: dict[str, Any] = {"subdomains": bm.subdomains} if bm.subdomains else {}
    folium.TileLayer(tiles=url, attr=bm.attribution, name=bm.name(lang), max_zoom=bm.max_zoom,
                     max_native_zoom=bm.max_zoom, overlay=False, control=False, **kwargs).add_to(m)
    if label_url:
        folium.TileLayer(tiles=label_url, attr=bm.attribution, name=bm.name(lang) + " (labels)",
                         max_zoom=bm.max_zoom, max_native_zoom=bm.max_zoom, overlay=True, control=False,
                         **kwargs).add_to(m)
    return bm
