"""THE style registry: one complete :class:`Style` per layer key and per sub-kind.

Every symbol on the map (county outline, town by role, item point by layer, transport line by mode and
status, precision markers) takes its look from here, and the legend draws its swatches from the same entries,
so the map and the legend cannot drift apart. Like ``xyzservices`` providers, an entry must be complete:
constructing a :class:`Style` with a missing field raises ``TypeError``, an empty or out-of-range value raises
``ValueError``.

Units: ``weight`` and ``radius`` in screen pixels, ``opacity``/``fill_opacity`` in 0..1, ``dash`` is an SVG
``stroke-dasharray`` (``""`` = solid line), ``z`` orders layers (higher draws on top).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

SHAPES: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle", "star", "hexagon",  # point symbols
    "line", "area", "label", "badge",  # non-point symbols
)
POINT_SHAPES: tuple[str, ...] = SHAPES[:6]
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DASH = re.compile(r"^(\d+(\.\d+)?( \d+(\.\d+)?)*)?$")


@dataclass(frozen=True)
class Style:
    """A complete symbol description (all fields required; no defaults on purpose)."""

    key: str
    label_key: str  # i18n key of the legend label
    shape: str  # one of SHAPES
    color: str  # stroke colour, #rrggbb
    fill_color: str  # fill colour, #rrggbb
    weight: float  # stroke width, px
    opacity: float  # stroke opacity 0..1
    fill_opacity: float  # fill opacity 0..1 (0 = hollow / no fill)
    dash: str  # SVG dash array, "" = solid
    radius: int  # point symbol radius, px (0 for lines/areas)
    z: int  # drawing order, higher on top

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                raise ValueError(f"style {self.key!r}: field {f.name!r} is missing (None)")
        if not self.key or not self.label_key:
            raise ValueError("style: key and label_key must not be empty")
        if self.shape not in SHAPES:
            raise ValueError(f"style {self.key!r}: shape {self.shape!r} not in {SHAPES}")
        for name in ("color", "fill_color"):
            if not _COLOR.match(getattr(self, name)):
                raise ValueError(f"style {self.key!r}: {name} must be #rrggbb, got {getattr(self, name)!r}")
        for name in ("opacity", "fill_opacity"):
            if not 0.0 <= float(getattr(self, name)) <= 1.0:
                raise ValueError(f"style {self.key!r}: {name} must be within 0..1")
        if float(self.weight) < 0 or int(self.radius) < 0:
            raise ValueError(f"style {self.key!r}: weight and radius must be >= 0")
        if self.shape in POINT_SHAPES and self.radius <= 0:
            raise ValueError(f"style {self.key!r}: a point symbol needs radius > 0")
        if not _DASH.match(self.dash):
            raise ValueError(f"style {self.key!r}: dash {self.dash!r} is not an SVG dash array")

    @property
    def hollow(self) -> bool:
        """True when the symbol has no fill (a ring / outline only)."""
        return self.fill_opacity == 0.0

    def path_options(self) -> dict[str, Any]:
        """Leaflet path options (``color``, ``weight``, ``dashArray`` …) for lines, areas and circle markers."""
        opts: dict[str, Any] = {
            "color": self.color, "weight": self.weight, "opacity": self.opacity,
            "fillColor": self.fill_color, "fillOpacity": self.fill_opacity, "fill": self.fill_opacity > 0,
        }
        if self.dash:
            opts["dashArray"] = self.dash
        if self.radius:
            opts["radius"] = self.radius
        return opts


def _s(key: str, label: str, shape: str, color: str, fill: str, weight: float, opacity: float,
       fill_opacity: float, dash: str, radius: int, z: int) -> Style:
    return Style(key=key, label_key=label, shape=shape, color=color, fill_color=fill, weight=weight,
                 opacity=opacity, fill_opacity=fill_opacity, dash=dash, radius=radius, z=z)


_ENTRIES: list[Style] = [
    # --- boundaries -------------------------------------------------------------------------------------
    _s("county", "layers.legend.county", "area", "#555555", "#ffffff", 1.5, 0.9, 0.0, "", 0, 20),
    _s("county.selected", "layers.legend.county_selected", "area", "#d7301f", "#fdd49e", 3.5, 1.0, 0.12,
       "", 0, 21),
    _s("county.context", "layers.legend.county_context", "area", "#9e9e9e", "#eeeeee", 1.0, 0.7, 0.25, "",
       0, 19),
    _s("county.label", "layers.legend.county_label", "label", "#333333", "#ffffff", 0, 1.0, 0.8, "", 0, 90),
    _s("county.badge", "layers.legend.county_badge", "badge", "#6a3d9a", "#ffffff", 2, 1.0, 1.0, "", 0, 95),
    _s("tianqu", "layers.legend.tianqu", "area", "#e7298a", "#e7298a", 2.5, 0.9, 0.06, "2 6", 0, 25),
    _s("town_area", "layers.legend.town_area", "area", "#8c8c8c", "#8c8c8c", 1.0, 0.8, 0.02, "2 4", 0, 10),
    # counties shaded by the number of items matching the item filter (layers/match_shading.py)
    _s("match.1", "layers.legend.match_1", "area", "#fdae6b", "#fdd0a2", 1.0, 0.8, 0.35, "", 0, 5),
    _s("match.2", "layers.legend.match_2", "area", "#f16913", "#fd8d3c", 1.0, 0.8, 0.4, "", 0, 5),
    _s("match.3", "layers.legend.match_3", "area", "#a63603", "#d94801", 1.0, 0.8, 0.45, "", 0, 5),
    # --- towns by role (专栏16 三镇 and others); plain towns muted ---------------------------------------------
    _s("town.center", "layers.legend.town_center", "square", "#b2182b", "#b2182b", 1.5, 1.0, 0.95, "", 8, 80),
    _s("town.feature", "layers.legend.town_feature", "diamond", "#7b3294", "#7b3294", 1.5, 1.0, 0.95, "", 8, 79),
    _s("town.cooperation", "layers.legend.town_cooperation", "triangle", "#018571", "#018571", 1.5, 1.0, 0.95,
       "", 8, 78),
    _s("town.satellite", "layers.legend.town_satellite", "hexagon", "#e66101", "#e66101", 1.5, 1.0, 0.9, "",
       7, 77),
    _s("town.land_consolidation", "layers.legend.town_land_consolidation", "circle", "#8c6d31", "#8c6d31",
       1.5, 1.0, 0.9, "", 6, 76),
    _s("town.other", "layers.legend.town_other_role", "circle", "#4d4d4d", "#4d4d4d", 1.5, 1.0, 0.9, "", 6, 75),
    _s("town.plain", "layers.legend.town_plain", "circle", "#8c8c8c", "#d9d9d9", 1.0, 0.7, 0.7, "", 3, 40),
    # --- plan items, one colour and shape per layer key ----------------------------------------------------
    _s("item.parks", "layers.name.parks", "square", "#1f78b4", "#1f78b4", 1.5, 1.0, 0.9, "", 7, 60),
    _s("item.water", "layers.name.water", "circle", "#0570b0", "#0570b0", 1.5, 1.0, 0.9, "", 7, 61),
    _s("item.energy", "layers.name.energy", "triangle", "#e6ab02", "#e6ab02", 1.5, 1.0, 0.9, "", 8, 62),
    _s("item.logistics", "layers.name.logistics", "hexagon", "#a6761d", "#a6761d", 1.5, 1.0, 0.9, "", 7, 63),
    _s("item.innovation", "layers.name.innovation", "star", "#6a3d9a", "#6a3d9a", 1.5, 1.0, 0.9, "", 8, 64),
    _s("item.culture_tourism", "layers.name.culture_tourism", "diamond", "#d95f02", "#d95f02", 1.5, 1.0, 0.9,
       "", 7, 65),
    _s("item.projects", "layers.name.projects", "circle", "#33a02c", "#33a02c", 1.5, 1.0, 0.9, "", 7, 66),
    _s("item.transport_planned", "layers.name.transport_planned", "circle", "#e31a1c", "#e31a1c", 1.5, 1.0, 0.9,
       "", 7, 67),
    # --- location precision (modifiers; swatches in the legend use a neutral colour) ---------------------------
    _s("precision.site", "layers.legend.precision_site", "circle", "#444444", "#444444", 1.5, 1.0, 0.9, "", 7, 0),
    _s("precision.town", "layers.legend.precision_town", "circle", "#444444", "#ffffff", 3.0, 1.0, 0.0, "", 7, 0),
    _s("precision.schematic", "layers.legend.precision_schematic", "line", "#444444", "#444444", 3.0, 0.9, 0.0,
       "8 6", 0, 0),
    _s("precision.approximate", "layers.legend.precision_approximate", "area", "#444444", "#444444", 1.5, 0.9,
       0.05, "2 4", 0, 0),
    _s("precision.county", "layers.legend.precision_county", "badge", "#6a3d9a", "#ffffff", 2, 1.0, 1.0, "", 0, 0),
    # --- transport works by status (dash / weight / opacity; colour comes from the mode) -----------------------
    _s("status.existing", "layers.legend.status_existing", "line", "#444444", "#444444", 3.0, 0.9, 0.0, "", 0, 0),
    _s("status.complete", "layers.legend.status_complete", "line", "#444444", "#444444", 5.0, 1.0, 0.0, "14 5", 0, 0),
    _s("status.start", "layers.legend.status_start", "line", "#444444", "#444444", 5.0, 1.0, 0.0, "10 6", 0, 0),
    _s("status.strive_start", "layers.legend.status_strive_start", "line", "#444444", "#444444", 4.5, 0.95, 0.0, "6 6",
       0, 0),
    _s("status.implementing", "layers.legend.status_implementing", "line", "#444444", "#444444", 3.5, 0.85, 0.0, "8 6",
       0, 0),
    _s("status.preparatory", "layers.legend.status_preparatory", "line", "#444444", "#444444", 2.0, 0.6, 0.0, "4 6",
       0, 0),
    _s("status.planned", "layers.legend.status_planned", "line", "#444444", "#444444", 2.0, 0.45, 0.0, "2 6", 0, 0),
    _s("status.unspecified", "layers.legend.status_unspecified", "line", "#444444", "#444444", 2.0, 0.6, 0.0, "4 4",
       0, 0),
    # --- transport modes (colour) -----------------------------------------------------------------------
    _s("mode.hsr", "layers.mode.hsr", "line", "#c51b7d", "#c51b7d", 3.5, 0.9, 0.0, "", 0, 45),
    _s("mode.rail", "layers.mode.rail", "line", "#404040", "#404040", 2.5, 0.9, 0.0, "", 0, 44),
    _s("mode.rail_schematic", "layers.mode.rail_schematic", "line", "#404040", "#404040", 2.5, 0.8, 0.0, "8 6",
       0, 44),
    _s("mode.hsr_schematic", "layers.mode.hsr_schematic", "line", "#c51b7d", "#c51b7d", 3.5, 0.8, 0.0, "8 6",
       0, 45),
    _s("mode.intercity_rail", "layers.mode.intercity_rail", "line", "#dd3497", "#dd3497", 3.0, 0.9, 0.0, "", 0, 45),
    _s("mode.rail_transit", "layers.mode.rail_transit", "line", "#7a0177", "#7a0177", 3.0, 0.9, 0.0, "", 0, 45),
    _s("mode.rail_siding", "layers.mode.rail_siding", "line", "#737373", "#737373", 2.0, 0.9, 0.0, "", 0, 43),
    _s("mode.expressway", "layers.mode.expressway", "line", "#f16913", "#f16913", 3.5, 0.9, 0.0, "", 0, 42),
    _s("mode.trunk_road", "layers.mode.trunk_road", "line", "#b8860b", "#b8860b", 2.5, 0.9, 0.0, "", 0, 41),
    _s("mode.urban_road", "layers.mode.urban_road", "line", "#8c510a", "#8c510a", 2.0, 0.9, 0.0, "", 0, 41),
    _s("mode.waterway", "layers.mode.waterway", "line", "#2171b5", "#2171b5", 3.0, 0.9, 0.0, "", 0, 41),
    _s("mode.other", "layers.mode.other", "line", "#e31a1c", "#e31a1c", 3.0, 0.9, 0.0, "", 0, 41),
    _s("mode.station", "layers.mode.station", "circle", "#404040", "#ffffff", 2.0, 1.0, 1.0, "", 4, 70),
    _s("mode.station_hsr", "layers.mode.station_hsr", "circle", "#c51b7d", "#ffffff", 2.5, 1.0, 1.0, "", 5, 71),
    _s("mode.entrance", "layers.mode.entrance", "circle", "#f16913", "#ffffff", 1.5, 1.0, 1.0, "", 3, 69),
    _s("mode.airport", "layers.mode.airport", "square", "#08519c", "#08519c", 1.5, 1.0, 0.9, "", 6, 72),
    _s("mode.interchange", "layers.mode.interchange", "circle", "#f16913", "#f16913", 1.5, 1.0, 0.9, "", 6, 68),
    # --- hydrography ---------------------------------------------------------------------------------------
    _s("river", "layers.legend.river", "line", "#4292c6", "#4292c6", 2.0, 0.85, 0.0, "", 0, 30),
    _s("canal", "layers.legend.canal", "line", "#2171b5", "#2171b5", 2.5, 0.85, 0.0, "", 0, 31),
    _s("river.coarse", "layers.legend.river_coarse", "line", "#4292c6", "#4292c6", 3.0, 0.55, 0.0, "", 0, 30),
    _s("canal.coarse", "layers.legend.canal_coarse", "line", "#2171b5", "#2171b5", 3.5, 0.55, 0.0, "", 0, 31),
    _s("reservoir", "layers.legend.reservoir", "area", "#2171b5", "#9ecae1", 1.0, 0.9, 0.6, "", 0, 32),
    # --- existing energy (OSM): plant grounds, plant and substation symbols --------------------------------------
    _s("energy.plant_area", "layers.legend.power_plant_area", "area", "#8c2d04", "#fdae6b", 1.0, 0.9, 0.35, "",
       0, 33),
    _s("energy.plant", "layers.legend.power_plant", "circle", "#8c2d04", "#fd8d3c", 1.5, 1.0, 0.95, "", 6, 58),
    _s("energy.substation", "layers.legend.substation", "diamond", "#54278f", "#ffffff", 2.0, 1.0, 1.0, "", 6, 57),
    # --- selection highlight -------------------------------------------------------------------------------
    _s("selected", "layers.legend.selected", "circle", "#ffd92f", "#ffd92f", 6.0, 0.9, 0.0, "", 14, 99),
]

STYLES: dict[str, Style] = {}
for _entry in _ENTRIES:
    if _entry.key in STYLES:
        raise ValueError(f"style key {_entry.key!r} registered twice")
    STYLES[_entry.key] = _entry

#: Town role -> style key (priority order: a town with two roles is drawn with the first one listed here).
TOWN_ROLE_STYLES: dict[str, str] = {
    "center": "town.center", "feature": "town.feature", "cooperation": "town.cooperation",
    "satellite": "town.satellite", "land_consolidation": "town.land_consolidation", "other": "town.other",
}
STATUS_KEYS: tuple[str, ...] = ("existing", "complete", "start", "strive_start", "implementing", "preparatory",
                                "planned", "unspecified")
#: Transport subtype / network mode -> mode style key.
MODE_STYLES: dict[str, str] = {
    "hsr": "mode.hsr", "railway": "mode.rail", "rail": "mode.rail", "intercity_rail": "mode.intercity_rail",
    "rail_transit": "mode.rail_transit", "rail_siding": "mode.rail_siding", "expressway": "mode.expressway",
    "trunk_road": "mode.trunk_road", "urban_road": "mode.urban_road", "rural_road": "mode.urban_road",
    "waterway": "mode.waterway", "interchange": "mode.interchange", "airport": "mode.airport",
    "general_aviation": "mode.airport", "hub": "mode.other",
}


def style(key: str) -> Style:
    """The registered style ``key``; raises ``KeyError`` naming the key when it is not registered."""
    try:
        return STYLES[key]
    except KeyError:
        raise KeyError(f"no style registered for {key!r}") from None


def town_role_style(roles: list[str] | tuple[str, ...]) -> Style:
    """Style of a town with ``roles`` (highest-priority role wins; no role = muted plain town)."""
    for role, key in TOWN_ROLE_STYLES.items():
        if role in roles:
            return STYLES[key]
    return STYLES["town.plain"] if not roles else STYLES["town.other"]


def mode_style(mode: str | None) -> Style:
    """Colour style of a transport mode / subtype (unknown modes get ``mode.other``)."""
    return STYLES[MODE_STYLES.get(str(mode or ""), "mode.other")]


def status_style(status: str | None) -> Style:
    """Dash/weight/opacity style of a plan status (unknown statuses get ``status.unspecified``)."""
    s = str(status or "")
    return STYLES[f"status.{s}"] if s in STATUS_KEYS else STYLES["status.unspecified"]


def work_line_options(mode: str | None, status: str | None) -> dict[str, Any]:
    """Leaflet options of a transport-work line: colour of the mode, dash/weight/opacity of the status."""
    m, st = mode_style(mode), status_style(status)
    opts = {"color": m.color, "weight": st.weight, "opacity": st.opacity, "fill": False}
    if st.dash:
        opts["dashArray"] = st.dash
    return opts


def _points(shape: str, c: float, r: float) -> str:
    if shape == "square":
        return f"{c - r},{c - r} {c + r},{c - r} {c + r},{c + r} {c - r},{c + r}"
    if shape == "diamond":
        return f"{c},{c - r} {c + r},{c} {c},{c + r} {c - r},{c}"
    if shape == "triangle":
        return f"{c},{c - r} {c + r},{c + r * 0.8:.1f} {c - r},{c + r * 0.8:.1f}"
    if shape == "hexagon":
        h = r * 0.87
        return (f"{c - r / 2:.1f},{c - h:.1f} {c + r / 2:.1f},{c - h:.1f} {c + r},{c} "
                f"{c + r / 2:.1f},{c + h:.1f} {c - r / 2:.1f},{c + h:.1f} {c - r},{c}")
    if shape == "star":
        import math

        pts = []
        for i in range(10):
            rr = r if i % 2 == 0 else r * 0.45
            a = math.pi / 2 + i * math.pi / 5
            pts.append(f"{c + rr * math.cos(a):.1f},{c - rr * math.sin(a):.1f}")
        return " ".join(pts)
    raise ValueError(shape)


def marker_svg(st: Style, *, hollow: bool = False, dash: str = "") -> str:
    """Inline SVG of a point symbol (for DivIcon markers and legend swatches).

    ``hollow`` draws the shape as a thick ring with a white centre (precision ``town``: placed at the town).
    """
    if st.shape not in POINT_SHAPES:
        raise ValueError(f"style {st.key!r} is not a point symbol")
    weight = max(st.weight, 2.5) if hollow else st.weight
    r = st.radius
    size = 2 * r + int(2 * weight) + 2
    c = size / 2
    fill = "#ffffff" if hollow or st.hollow else st.fill_color
    fo = 0.9 if hollow else (st.fill_opacity if not st.hollow else 0.0)
    stroke = st.color if (hollow or st.fill_color != st.color or st.hollow) else "#ffffff"
    attrs = (f'fill="{fill}" fill-opacity="{fo}" stroke="{stroke}" stroke-width="{weight}" '
             f'stroke-opacity="{st.opacity}"')
    if dash:
        attrs += f' stroke-dasharray="{dash}"'
    if st.shape == "circle":
        body = f'<circle cx="{c}" cy="{c}" r="{r}" {attrs}/>'
    else:
        body = f'<polygon points="{_points(st.shape, c, r)}" {attrs}/>'
    return f'<svg width="{size}" height="{size}">{body}</svg>'


def marker_size(st: Style, *, hollow: bool = False) -> int:
    """Pixel size of :func:`marker_svg` (square), for DivIcon ``icon_size``/``icon_anchor``."""
    weight = max(st.weight, 2.5) if hollow else st.weight
    return 2 * st.radius + int(2 * weight) + 2


def line_svg(color: str, weight: float, opacity: float, dash: str, width: int = 36) -> str:
    """Inline SVG swatch of a line (legend)."""
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="{width}" height="12"><line x1="2" y1="6" '
            f'x2="{width - 2}" y2="6" stroke="{color}" stroke-width="{weight}" stroke-opacity="{opacity}"{d}/></svg>')


def area_svg(st: Style) -> str:
    """Inline SVG swatch of an area (legend)."""
    d = f' stroke-dasharray="{st.dash}"' if st.dash else ""
    return (f'<svg width="28" height="18"><rect x="2" y="2" width="24" '
            f'height="14" fill="{st.fill_color}" fill-opacity="{st.fill_opacity}" stroke="{st.color}" '
            f'stroke-width="{min(st.weight, 3)}" stroke-opacity="{st.opacity}"{d}/></svg>')


def badge_html(text: str, st: Style | None = None, *, border: str | None = None) -> str:
    """HTML of a round count badge (``text`` must already be escaped); ``border``: ring colour (default: text)."""
    st = st or STYLES["county.badge"]
    return (f'<div style="background:{st.fill_color};color:{st.color};border:{st.weight}px solid {border or st.color};'
            f'border-radius:11px;min-width:22px;height:22px;line-height:18px;text-align:center;font:bold 12px '
            f'sans-serif;padding:0 4px;box-sizing:border-box;box-shadow:0 1px 3px rgba(0,0,0,.4)">{text}</div>')


def swatch(st: Style) -> str:
    """Legend swatch for any registered style."""
    if st.shape in POINT_SHAPES:
        return marker_svg(st)
    if st.shape == "line":
        return line_svg(st.color, st.weight, st.opacity, st.dash)
    if st.shape == "area":
        return area_svg(st)
    if st.shape == "badge":
        return badge_html("N", st)
    return (f'<span style="font:bold 12px sans-serif;color:{st.color};text-shadow:0 0 3px #fff">'
            f'Aa</span>')
