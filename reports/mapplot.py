"""The static map of a unit (for the fact sheet and the PNG picture), drawn with matplotlib + GeoPandas.

Same data, same selection and same symbols as the web map: the unit's part of the data comes from
:func:`layers.view.build_view` (the function the Folium map uses), every colour, line width, dash and marker shape
from the style registry :mod:`layers.styles` (web pixels are printed at :data:`PX_PT` points each), and the legend
lists exactly the symbols drawn (recorded with :meth:`layers.view.View.use`, sections from
:func:`layers.legend.legend_sections`). Precision rules are the web map's: ``site`` solid symbol, ``town`` hollow
ring at the town point, ``schematic`` dashed line, ``county`` never pinned (a numbered badge at the county label;
the sheet lists the items), ``none`` not drawn.

Plotted in EPSG:32650 (UTM 50N, metres): the scale bar (matplotlib-scalebar) is metric and true at the map, the
north arrow points to true north (the grid convergence at the map centre is applied).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import matplotlib
import matplotlib.patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib_scalebar.scalebar import ScaleBar
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo.attribution import attribution_lines
from geo.text import clean_str
from i18n import t
from layers.boundaries import TIANQU_LABEL_UNITS, county_labels
from layers.items import county_only_items, drawn_items, item_rows, item_style
from layers.keys import DEFAULT_LAYERS, ITEM_LAYER_KEYS, LAYER_KEYS
from layers.legend import SCHEMATIC_SUFFIX, legend_label, legend_sections
from layers.networks import (
    EXISTING_LINE_LAYERS,
    EXISTING_POINT_LAYERS,
    is_planned,
    network_style_key,
    planned_works,
    point_style_key,
)
from layers.styles import POINT_SHAPES, Style, mode_style, status_style, style, town_role_style
from layers.towns import roles_by_town
from layers.view import TIANQU_PARENT, View, build_view, records
from reports.fonts import SheetFonts

METRIC = "EPSG:32650"
WGS84 = "EPSG:4326"
#: One CSS pixel of a web-map style, in printed points (the web map's 3.5 px line is 2.1 pt on paper).
PX_PT = 0.6
#: Display simplification for print (metres; the web map uses 60 m).
SIMPLIFY_M = 30.0
#: matplotlib marker of each point shape of the style registry.
MARKERS: dict[str, str] = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*", "hexagon": "h"}
#: The picture: 960 × 640 CSS pixels at 2× = 1920 × 1280 pixels.
PNG_CSS_SIZE: tuple[int, int] = (960, 640)
PNG_SCALE = 2
#: The layer keys this module draws (a new key in ``layers.map_builder.LAYER_KEYS`` needs its drawing here too).
SUPPORTED_LAYERS: tuple[str, ...] = (
    "town_areas", "counties", "tianqu", "rivers", "transport_existing", "transport_planned", "energy_existing",
    "water", "energy", "logistics", "parks", "innovation", "culture_tourism", "projects", "towns",
)
#: Size of the picture's small print (points).
FOOTER_PT = 5.6
#: Legend labels that differ on paper (nothing to click there): style key -> i18n key.
PRINT_LABELS: dict[str, str] = {"precision.county": "report.legend.precision_county"}


def dashes(dash: str) -> tuple[float, ...] | None:
    """An SVG dash array of the style registry (px) as a matplotlib on/off sequence in points (``None``: solid)."""
    parts = [float(x) * PX_PT for x in dash.split()] if dash else []
    if not parts:
        return None
    return tuple(parts if len(parts) % 2 == 0 else parts * 2)


def line_kwargs(color: str, weight: float, opacity: float, dash: str = "") -> dict[str, Any]:
    """matplotlib keyword arguments of a line (colour, width in points, opacity, dashes)."""
    d = dashes(dash)
    return {"color": color, "linewidth": weight * PX_PT, "alpha": opacity,
            "linestyle": (0, d) if d else "solid", "capstyle": "butt" if d else "round"}


def _handle_line(kw: dict[str, Any]) -> Line2D:
    """A legend line from :func:`line_kwargs` (Line2D names the cap style differently)."""
    kw = dict(kw)
    cap = kw.pop("capstyle", "butt")
    return Line2D([], [], solid_capstyle=cap, dash_capstyle=cap, **kw)


def style_line_kwargs(st: Style, dash: str | None = None) -> dict[str, Any]:
    return line_kwargs(st.color, st.weight, st.opacity, st.dash if dash is None else dash)


def marker_kwargs(st: Style, *, hollow: bool = False) -> dict[str, Any]:
    """matplotlib ``plot`` keyword arguments of a point symbol (``hollow``: the ring of precision ``town``)."""
    if st.shape not in POINT_SHAPES:
        raise ValueError(f"style {st.key!r} is not a point symbol")
    size = 2 * st.radius * PX_PT * (1.25 if st.shape == "star" else 1.0)
    if hollow:
        return {"marker": MARKERS[st.shape], "markersize": size, "markerfacecolor": "#ffffff",
                "markeredgecolor": st.color, "markeredgewidth": max(st.weight, 2.5) * PX_PT, "linestyle": "none",
                "alpha": st.opacity}
    face = st.fill_color if not st.hollow else "#ffffff"
    edge = st.color if (st.fill_color != st.color or st.hollow) else "#ffffff"
    return {"marker": MARKERS[st.shape], "markersize": size, "markerfacecolor": face, "markeredgecolor": edge,
            "markeredgewidth": st.weight * PX_PT, "linestyle": "none", "alpha": max(st.fill_opacity, 0.9)}


def area_kwargs(st: Style, *, weight: float | None = None, fill_opacity: float | None = None) -> dict[str, Any]:
    """GeoPandas ``plot`` keyword arguments of an area (fill and outline are drawn separately, see :func:`_area`)."""
    return {"face": st.fill_color, "face_alpha": st.fill_opacity if fill_opacity is None else fill_opacity,
            **style_line_kwargs(st), "linewidth": (st.weight if weight is None else weight) * PX_PT}


@dataclass
class MapImage:
    """A rendered map: PNG bytes plus where things are (pixels from the top-left of the picture)."""

    png: bytes
    width_px: int
    height_px: int
    frame_px: tuple[int, int, int, int]  # map frame: left, top, right, bottom
    extent_m: tuple[float, float, float, float]  # EPSG:32650 minx, miny, maxx, maxy of the map frame
    outline_color: str  # colour of the unit's outline on the map
    legend: dict[str, list[str]] = field(default_factory=dict)
    drawn: dict[str, int] = field(default_factory=dict)  # layer key -> features drawn
    county_only: dict[str, int] = field(default_factory=dict)  # unit code -> items listed, not pinned


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not len(gdf):
        return gdf
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    return gdf.to_crs(METRIC) if len(gdf) else gdf


_TO_METRIC = Transformer.from_crs(WGS84, METRIC, always_xy=True)


def _pt(geom: BaseGeometry) -> tuple[float, float]:
    x, y = _TO_METRIC.transform(geom.x, geom.y)
    return float(x), float(y)


def _points(geom: BaseGeometry) -> list[tuple[float, float]]:
    """Metric coordinates of the point(s) of a display geometry."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Point":
        return [_pt(geom)]
    if geom.geom_type == "MultiPoint":
        return [_pt(g) for g in geom.geoms]
    return [_pt(geom.representative_point())]


class _Painter:
    """Draws one view onto matplotlib axes and records what it drew (for the legend and the tests)."""

    def __init__(self, ax: Any, view: View, fonts: SheetFonts, *, scale: float = 1.0) -> None:
        self.ax, self.view, self.fonts, self.scale = ax, view, fonts, scale
        self.drawn: dict[str, int] = {}
        self.placed: list[Any] = []  # display boxes of labels and symbols a new label must not cover

    def obstacle(self, xy: tuple[float, float], radius_pt: float = 3.0) -> None:
        """Keep labels off a symbol at metric point ``xy``."""
        from matplotlib.transforms import Bbox

        x, y = self.ax.transData.transform(xy)
        r = radius_pt * self.ax.figure.dpi / 72
        self.placed.append(Bbox.from_extents(x - r, y - r, x + r, y + r))

    def place(self, label: str, xy: tuple[float, float], candidates: Sequence[tuple[float, float, str, str]], *,
              required: bool, **kw: Any) -> bool:
        """Put ``label`` near ``xy`` at the first offset (points, ha, va) where it overlaps no other label or symbol
        and stays inside the map; a ``required`` label takes the first offset when none is free."""
        renderer = self.ax.figure.canvas.get_renderer()
        frame = self.ax.get_window_extent(renderer)
        for i, (dx, dy, ha, va) in enumerate(candidates):
            ann = self.ax.annotate(label, xy, xytext=(dx * self.scale, dy * self.scale), textcoords="offset points",
                                   ha=ha, va=va, annotation_clip=True, **kw)
            box = ann.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(b) for b in self.placed):
                self.placed.append(box)
                return True
            if required and i == len(candidates) - 1:
                ann.remove()
                ann = self.ax.annotate(label, xy, xytext=(candidates[0][0] * self.scale, candidates[0][1] * self.scale),
                                       textcoords="offset points", ha=candidates[0][2], va=candidates[0][3],
                                       annotation_clip=True, **kw)
                self.placed.append(ann.get_window_extent(renderer))
                return True
            ann.remove()
        return False

    def font(self, size: float, *, bold: bool = False) -> FontProperties:
        return FontProperties(fname=str(self.fonts.bold if bold else self.fonts.regular), size=size * self.scale)

    def count(self, key: str, n: int = 1) -> None:
        self.drawn[key] = self.drawn.get(key, 0) + n

    # --- primitives -----------------------------------------------------------------------------------
    def area(self, gdf: gpd.GeoDataFrame, st: Style, *, z: float, weight: float | None = None,
             fill_opacity: float | None = None) -> None:
        g = _metric(gdf)
        if not len(g):
            return
        kw = area_kwargs(st, weight=weight, fill_opacity=fill_opacity)
        if kw["face_alpha"] > 0:
            g.plot(ax=self.ax, color=kw["face"], alpha=kw["face_alpha"], linewidth=0, zorder=z)
        g.boundary.plot(ax=self.ax, color=kw["color"], alpha=kw["alpha"], linewidth=kw["linewidth"],
                        linestyle=kw["linestyle"], capstyle=kw["capstyle"], zorder=z + 0.1)

    def line(self, geom: BaseGeometry, kw: dict[str, Any], *, z: float) -> None:
        g = gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC)
        g.plot(ax=self.ax, zorder=z, **kw)

    def marker(self, xy: tuple[float, float], kw: dict[str, Any], *, z: float) -> None:
        self.ax.plot([xy[0]], [xy[1]], zorder=z, **kw)

    # --- layers ---------------------------------------------------------------------------------------
    def counties(self) -> None:
        v = self.view
        rows = records(v.counties)
        keyed = []
        for props, geom in rows:
            code = clean_str(props.get("adcode"))
            if v.unit == "city" or (v.unit == "tianqu" and code == TIANQU_PARENT):
                key = "county"
            elif code == v.unit:
                key = "county.selected"
            else:
                key = "county.context"
            keyed.append((key, props, geom))
        order = {"county.context": 0, "county": 1, "county.selected": 2}
        for key, _props, geom in sorted(keyed, key=lambda r: order[r[0]]):
            st = style(key)
            self.area(gpd.GeoDataFrame(geometry=[geom], crs=WGS84), st, z=st.z / 10)
            v.use("counties", key)
            self.count("counties")

    def tianqu(self) -> None:
        v = self.view
        st = style("tianqu")
        if not len(v.tianqu):
            return
        weight = st.weight + 1.5 if v.unit == "tianqu" else st.weight
        fill = min(1.0, st.fill_opacity * 3) if v.unit == "tianqu" else st.fill_opacity
        self.area(v.tianqu, st, z=st.z / 10, weight=weight, fill_opacity=fill)
        v.use("tianqu", "tianqu")
        v.use("tianqu", "precision.approximate")
        self.count("tianqu", len(v.tianqu))

    def town_areas(self) -> None:
        v = self.view
        if not len(v.town_areas):
            return
        st = style("town_area")
        self.area(v.town_areas, st, z=st.z / 10)
        v.use("town_areas", "town_area")
        v.use("town_areas", "precision.approximate")
        self.count("town_areas", len(v.town_areas))

    def rivers(self) -> None:
        v = self.view
        for props, geom in records(v.networks.get("rivers", gpd.GeoDataFrame())):
            if geom is None or geom.is_empty:
                continue
            key = "canal" if clean_str(props.get("mode")) == "canal" else "river"
            if clean_str(props.get("accuracy")) == "coarse":  # real but coarse lines (WDB-II): wide and pale
                key += ".coarse"
            schematic = clean_str(props.get("quality")) == "schematic"
            st = style(key)
            self.line(geom, style_line_kwargs(st, style("precision.schematic").dash if schematic else None),
                      z=st.z / 10)
            v.use("rivers", key + SCHEMATIC_SUFFIX if schematic else key)
            if schematic:
                v.use("rivers", "precision.schematic")
            self.count("rivers")
        st = style("reservoir")
        for _props, geom in records(v.networks.get("reservoirs", gpd.GeoDataFrame())):
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type in ("Point", "MultiPoint"):
                for xy in _points(geom):
                    self.marker(xy, {"marker": "o", "markersize": 6 * PX_PT * 2, "markerfacecolor": st.fill_color,
                                     "markeredgecolor": st.color, "linestyle": "none"}, z=st.z / 10)
            else:
                self.area(gpd.GeoDataFrame(geometry=[geom], crs=WGS84), st, z=st.z / 10)
            v.use("rivers", "reservoir")
            self.count("rivers")

    def transport_existing(self) -> None:
        v = self.view
        for layer, default_mode in EXISTING_LINE_LAYERS:
            for props, geom in records(v.networks.get(layer, gpd.GeoDataFrame())):
                if is_planned(props) or geom is None or geom.is_empty:
                    continue
                key = network_style_key(props, default_mode)
                st = style(key)
                schematic = clean_str(props.get("quality")) == "schematic"
                dash = st.dash or (style("precision.schematic").dash if schematic else "")
                self.line(geom, style_line_kwargs(st, dash), z=st.z / 10)
                v.use("transport_existing", key if key.endswith("_schematic") or not schematic
                      else key + SCHEMATIC_SUFFIX)
                if schematic:
                    v.use("transport_existing", "precision.schematic")
                self.count("transport_existing")
        for layer, kind in EXISTING_POINT_LAYERS:
            for props, geom in records(v.networks.get(layer, gpd.GeoDataFrame())):
                if is_planned(props) or geom is None or geom.is_empty:
                    continue
                key = point_style_key(props, kind)
                st = style(key)
                if geom.geom_type in ("Point", "MultiPoint"):
                    for xy in _points(geom):
                        self.marker(xy, marker_kwargs(st), z=st.z / 10)
                else:  # runways (lines) or airport areas
                    self.line(geom, line_kwargs(st.color, 4, st.opacity), z=st.z / 10)
                v.use("transport_existing", key)
                self.count("transport_existing")

    def energy_existing(self) -> None:
        """OSM power plants (grounds as areas, a symbol each) and >= 220 kV substations, as on the web map; the
        symbol stands at the feature's ``lon``/``lat`` (WGS84, a point on its polygon)."""
        v = self.view
        for layer, key in (("power_plants", "energy.plant"), ("substations", "energy.substation")):
            st = style(key)
            for props, geom in records(v.networks.get(layer, gpd.GeoDataFrame())):
                if geom is None or geom.is_empty:
                    continue
                if layer == "power_plants" and geom.geom_type in ("Polygon", "MultiPolygon"):
                    area = style("energy.plant_area")
                    self.area(gpd.GeoDataFrame(geometry=[geom], crs=WGS84), area, z=area.z / 10)
                    v.use("energy_existing", "energy.plant_area")
                try:
                    xy = _TO_METRIC.transform(float(props["lon"]), float(props["lat"]))
                    xy = (float(xy[0]), float(xy[1]))
                except (KeyError, TypeError, ValueError):
                    xy = _pt(geom.representative_point())
                self.marker(xy, marker_kwargs(st), z=st.z / 10)
                self.obstacle(xy)
                v.use("energy_existing", key)
                self.count("energy_existing")

    def transport_planned(self) -> None:
        v = self.view
        drawn_ids: set[str] = set()
        for work in planned_works(v):
            props, geom, pid, mode, status = work.props, work.geom, work.pid, work.mode, work.status
            if pid:
                drawn_ids.add(pid)
            if geom.geom_type in ("Point", "MultiPoint"):
                st, hollow = work.point_style, work.hollow
                for xy in _points(geom):
                    self.marker(xy, marker_kwargs(st, hollow=hollow), z=st.z / 10)
                v.use("transport_planned", st.key)
                v.use("transport_planned", "precision.town" if hollow else "precision.site")
            else:
                m, s = mode_style(mode), status_style(status)
                self.line(geom, line_kwargs(m.color, s.weight, s.opacity, s.dash), z=m.z / 10 + 0.2)
                v.use("transport_planned", m.key)
                v.use("transport_planned", s.key)
                if clean_str(props.get("quality")) == "schematic":
                    v.use("transport_planned", "precision.schematic")
            self.count("transport_planned")
        self.items("transport_planned", skip_ids=drawn_ids)

    def items(self, key: str, *, skip_ids: set[str] | None = None) -> None:
        v = self.view
        base = style(f"item.{key}")
        for item, geom, precision in drawn_items(item_rows(v, key), skip_ids=skip_ids):
            st = item_style(key, item, base)
            if geom.geom_type in ("Point", "MultiPoint"):
                hollow = precision in ("town", "schematic")
                for xy in _points(geom):
                    self.marker(xy, marker_kwargs(st, hollow=hollow), z=st.z / 10)
                v.use(key, st.key)
                v.use(key, "precision.town" if hollow else "precision.site")
            elif "Line" in geom.geom_type:
                if key == "transport_planned":
                    m, s = mode_style(item.get("subtype")), status_style(item.get("status"))
                    kw = line_kwargs(m.color, s.weight, s.opacity, s.dash)
                    v.use(key, m.key)
                    v.use(key, s.key)
                else:
                    kw = line_kwargs(st.color, 3.5, 0.9)
                    v.use(key, st.key)
                if precision == "schematic":
                    kw = {**kw, "linestyle": (0, dashes(style("precision.schematic").dash))}
                    v.use(key, "precision.schematic")
                self.line(geom, kw, z=st.z / 10)
            else:
                self.area(gpd.GeoDataFrame(geometry=[geom], crs=WGS84), st, z=st.z / 10, weight=2,
                          fill_opacity=0.1)
                v.use(key, st.key)
            self.count(key)

    def towns(self) -> list[tuple[tuple[float, float], str, bool]]:
        """Draw the towns; returns (position, name, has a role) for the labels."""
        v = self.view
        roles = roles_by_town(v)
        labels = []
        plain = style("town.plain")
        for props, geom in records(v.towns):
            code = clean_str(props.get("code"))
            if code in roles or geom is None or geom.is_empty:
                continue
            xy = _pt(geom)
            self.marker(xy, marker_kwargs(plain), z=plain.z / 10)
            self.obstacle(xy, 2)
            v.use("towns", "town.plain")
            self.count("towns")
            labels.append((xy, self._town_name(props), False))
        role_geoms = {clean_str(p.get("town_code")): g for p, g in records(v.town_roles) if g is not None}
        for code, rows in roles.items():
            geom = role_geoms.get(code)
            if geom is None or geom.is_empty:
                continue
            st = town_role_style([clean_str(r.get("role")) for r in rows])
            xy = _pt(geom)
            self.marker(xy, marker_kwargs(st), z=st.z / 10)
            self.obstacle(xy, st.radius * PX_PT)
            v.use("towns", st.key)
            self.count("towns")
            town = v.towns_by_code.get(code) or {"name_zh": rows[0].get("town_name_zh")}
            labels.append((xy, self._town_name(town), True))
        return labels

    def _town_name(self, town: dict[str, Any]) -> str:
        if self.view.lang == "zh":
            return clean_str(town.get("name_zh"))
        return clean_str(town.get("name_en")) or clean_str(town.get("name_zh"))

    # --- labels and badges ------------------------------------------------------------------------------
    def county_labels(self) -> None:
        v = self.view
        halo = [matplotlib.patheffects.withStroke(linewidth=2.5 * self.scale, foreground="#ffffff")]
        for pt, name, selected, muted in county_labels(v):
            color = style("county.selected").color if selected else ("#666666" if muted else style("county.label").color)
            size = 11 if selected else (7.5 if muted else 8.5)
            self.place(name, _pt(pt), [(0, 0, "center", "center")], required=selected or v.unit == "city",
                       color=color, zorder=9.0, fontproperties=self.font(size, bold=True), path_effects=halo)
        pt = v.label_points.get("tianqu")
        if pt is not None and len(v.tianqu) and v.unit in TIANQU_LABEL_UNITS:
            name = "德州天衢新区" if v.lang == "zh" else "Tianqu New Area"
            size = 11 if v.unit == "tianqu" else 8
            self.place(name, _pt(pt), [(0, 0, "center", "center"), (0, 10, "center", "bottom")], required=True,
                       color=style("tianqu").color, zorder=9.0, fontproperties=self.font(size, bold=True),
                       path_effects=halo, style="italic")

    def town_labels(self, labels: list[tuple[tuple[float, float], str, bool]]) -> None:
        if self.view.unit == "city":
            return  # 134 names would bury the map; the county labels and the role symbols remain
        halo = [matplotlib.patheffects.withStroke(linewidth=2 * self.scale, foreground="#ffffff")]
        spots = [(4, 1.5, "left", "bottom"), (4, -1.5, "left", "top"), (-4, 1.5, "right", "bottom"),
                 (-4, -1.5, "right", "top"), (0, 5, "center", "bottom"), (0, -5, "center", "top")]
        for xy, name, role in sorted(labels, key=lambda r: not r[2]):  # role towns first
            if name:
                self.place(name, xy, spots, required=role, color="#222222" if role else "#666666", zorder=8.5,
                           fontproperties=self.font(6.5 if role else 5.5, bold=role), path_effects=halo)

    def county_only_badges(self, keys: Iterable[str]) -> dict[str, int]:
        v = self.view
        out: dict[str, int] = {}
        badge = style("county.badge")
        for code, items in sorted(county_only_items(v, keys).items()):
            pt = v.label_points.get(code)
            if pt is None:
                continue
            ring = style("tianqu").color if code == "tianqu" else badge.color
            dy = -11 if code != "tianqu" or v.unit in TIANQU_LABEL_UNITS else 0
            self.ax.annotate(str(len(items)), _pt(pt), xytext=(0, dy * self.scale), textcoords="offset points",
                             ha="center", va="center", color=badge.color, zorder=9.5,
                             fontproperties=self.font(6.5, bold=True),
                             bbox={"boxstyle": "circle,pad=0.25", "facecolor": badge.fill_color, "edgecolor": ring,
                                   "linewidth": badge.weight * PX_PT * self.scale})
            renderer = self.ax.figure.canvas.get_renderer()
            self.placed.append(self.ax.texts[-1].get_window_extent(renderer))
            v.use("county_only", "precision.county")
            out[code] = len(items)
        return out


def _legend_handle(key: str, section: str) -> Any:
    """A legend swatch for a registered style key (same rules as :func:`layers.legend._swatch`)."""
    if key.endswith(SCHEMATIC_SUFFIX):
        st = style(key.removesuffix(SCHEMATIC_SUFFIX))
        return _handle_line(style_line_kwargs(st, style("precision.schematic").dash))
    st = style(key)
    if key == "precision.town":
        return Line2D([], [], **marker_kwargs(style("precision.site"), hollow=True))
    if st.shape in POINT_SHAPES:
        return Line2D([], [], **marker_kwargs(st))
    if st.shape == "line":
        if section == "layers.name.transport_planned":
            return _handle_line(style_line_kwargs(st, style("precision.schematic").dash))
        return _handle_line(style_line_kwargs(st))
    if st.shape == "area":
        d = dashes(st.dash)
        return Patch(facecolor=st.fill_color, alpha=None, edgecolor=st.color,
                     linewidth=min(st.weight, 3) * PX_PT, linestyle=(0, d) if d else "solid",
                     fill=st.fill_opacity > 0)
    if st.shape == "badge":
        return Line2D([], [], marker="o", markersize=9 * PX_PT * 1.6, markerfacecolor=st.fill_color,
                      markeredgecolor=st.color, markeredgewidth=st.weight * PX_PT, linestyle="none")
    return None  # labels: no swatch


def _draw_legend(ax: Any, view: View, order: list[str], painter: _Painter) -> None:
    """The legend of the symbols drawn, in the panel ``ax``: the largest size (one column, then two) that fits."""
    lang = view.lang
    ax.set_axis_off()
    entries: list[tuple[Any, str, bool]] = []  # handle, label, is a section heading
    for section, keys in legend_sections(view.legend, order):
        entries.append((Patch(visible=False), t(section, lang), True))
        for k in keys:
            h = _legend_handle(k, section)
            if h is not None:
                entries.append((h, t(PRINT_LABELS[k], lang) if k in PRINT_LABELS else legend_label(k, lang), False))
    if not entries:
        return
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    px_per_pt = ax.figure.dpi / 72
    handle_len, pad, col_space = 2.6, 0.6, 1.0
    for ncol, size in ((1, 6.5), (1, 6.0), (1, 5.5), (2, 5.5), (2, 5.0), (2, 4.6)):
        text_px = box.width / ncol - (handle_len + pad + (col_space if ncol > 1 else 0)) * size * px_per_pt
        labels = ["\n".join(wrap_to_width(label, painter.font(size, bold=b), text_px, renderer))
                  for _, label, b in entries]
        leg = ax.legend([h for h, _, _ in entries], labels, loc="upper left", frameon=False, borderaxespad=0,
                        handlelength=handle_len, handletextpad=pad, labelspacing=0.35, columnspacing=col_space,
                        ncols=ncol, prop=painter.font(size), title=t("layers.legend.title", lang),
                        title_fontproperties=painter.font(size + 1.5, bold=True), alignment="left")
        for txt, (_, _, b) in zip(leg.get_texts(), entries, strict=True):
            if b:
                txt.set_fontproperties(painter.font(size, bold=True))
        if leg.get_window_extent(renderer).height <= box.height:
            return
        leg.remove()
    ax.add_artist(leg)  # the smallest try, even if it runs past the panel


def true_north_angle(x: float, y: float) -> float:
    """Clockwise angle (degrees) from grid north of EPSG:32650 to true north at metric point (x, y)."""
    back = Transformer.from_crs(METRIC, WGS84, always_xy=True)
    lon, lat = back.transform(x, y)
    x2, y2 = _TO_METRIC.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(x2 - x, y2 - y))


def _north_arrow(ax: Any, painter: _Painter, lang: str, angle_deg: float) -> None:
    a = math.radians(angle_deg)
    length = 22 * painter.scale
    dx, dy = length * math.sin(a), length * math.cos(a)
    ax.annotate("", xy=(0.95, 0.90), xycoords="axes fraction", xytext=(-dx, -dy), textcoords="offset points",
                arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "#222222",
                            "linewidth": 1.6 * painter.scale}, zorder=10)
    ax.annotate(t("report.map.north", lang), xy=(0.95, 0.90), xycoords="axes fraction",
                xytext=(dx * 0.35, dy * 0.35 + 4 * painter.scale), textcoords="offset points", ha="center",
                va="bottom", fontproperties=painter.font(8, bold=True), color="#222222", zorder=10)


def _extent(view: View, aspect: float, pad: float = 0.05) -> tuple[float, float, float, float]:
    """Metric extent fitting the unit's outline (the city's for ``city``) into a frame of ``aspect`` (w/h)."""
    outline = gpd.GeoSeries([view.outline], crs=WGS84).to_crs(METRIC).iloc[0]
    minx, miny, maxx, maxy = outline.bounds
    w, h = (maxx - minx) * (1 + 2 * pad), (maxy - miny) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


class _Canvas(FigureCanvasAgg):
    """An Agg canvas that draws only when asked to save: GeoPandas' ``plot`` calls ``draw_idle`` after every
    layer, which on Agg redraws the whole figure each time (35 full redraws for one county map)."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_layers(layers: Iterable[str]) -> list[str]:
    """The layer keys in drawing order; ``ValueError`` naming unknown or unsupported keys."""
    wanted = set(layers)
    unknown = wanted - set(LAYER_KEYS)
    if unknown:
        raise ValueError(f"unknown layer key(s) {sorted(unknown)}; expected some of {LAYER_KEYS}")
    unsupported = wanted - set(SUPPORTED_LAYERS)
    if unsupported:
        raise ValueError(f"layer(s) {sorted(unsupported)} cannot be drawn on the static map yet")
    return [k for k in LAYER_KEYS if k in wanted]


def render_map(data: Any, unit: str, *, lang: str, fonts: SheetFonts, layers: Iterable[str] = DEFAULT_LAYERS,
               size_in: tuple[float, float] = (9.6, 6.4), dpi: int = 200, title: str | None = None,
               footer: bool = True, legend_frac: float = 0.27) -> MapImage:
    """Draw ``unit``'s map (layer keys ``layers``) as a PNG of ``size_in`` inches at ``dpi``.

    ``title``: a heading above the map (the picture; the fact sheet has its own). ``footer``: the data attribution
    and the precision note under the map, in ``lang`` (the picture travels alone, so it carries them).
    """
    keys = check_layers(layers)
    view = build_view(data, unit, lang=lang, shift=False, simplify_m=SIMPLIFY_M)
    fig = Figure(figsize=size_in, dpi=dpi)  # no pyplot: no global state, safe in the app's threads
    _Canvas(fig)
    scale = 1.0
    top = 1.0 - (0.06 if title else 0.0)
    painter0 = _Painter(None, view, fonts, scale=scale)
    foot = _footer_lines(fig, painter0, lang, 0) if footer else []
    bottom = (len(foot) + 1.2) * FOOTER_PT * 1.3 / 72 / size_in[1] if footer else 0.0
    map_w = 1.0 - legend_frac
    ax = fig.add_axes((0.0, bottom, map_w, top - bottom))
    ax_leg = fig.add_axes((map_w + 0.015, bottom + 0.01, legend_frac - 0.02, top - bottom - 0.02))
    ax.set_xticks([])
    ax.set_yticks([])
    painter = _Painter(ax, view, fonts, scale=scale)
    frame_w_in, frame_h_in = size_in[0] * map_w, size_in[1] * (top - bottom)
    extent = _extent(view, frame_w_in / frame_h_in)

    def fix_frame() -> None:  # GeoPandas autoscales after each layer: the frame is the unit's, always
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal")

    fix_frame()
    labels: list[tuple[tuple[float, float], str, bool]] = []
    with matplotlib.rc_context({"lines.scale_dashes": False}):
        for key in keys:
            if key in ("counties", "tianqu", "town_areas", "rivers", "transport_existing", "transport_planned",
                       "energy_existing"):
                getattr(painter, key)()
            elif key == "towns":
                labels = painter.towns()
            else:
                painter.items(key)
        fix_frame()
        if "counties" in keys:
            painter.county_labels()
        item_keys = [k for k in keys if k in ITEM_LAYER_KEYS]
        county_only = painter.county_only_badges(item_keys) if item_keys else {}
        if "towns" in keys:
            painter.town_labels(labels)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    ax.add_artist(ScaleBar(1.0, "m", location="lower left", length_fraction=0.22, box_alpha=0.75,
                           font_properties={"fname": str(fonts.regular), "size": 7 * scale},
                           border_pad=0.6))
    _north_arrow(ax, painter, lang, true_north_angle((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2))
    _draw_legend(ax_leg, view, [*keys, "county_only"], painter)
    if title:
        fig.text(0.01, 0.985, title, ha="left", va="top", fontproperties=painter.font(12, bold=True),
                 color="#222222")
    if footer:
        foot = _footer_lines(fig, painter, lang, sum(county_only.values()))
        fig.text(0.01, bottom - 0.4 * FOOTER_PT / 72 / size_in[1], "\n".join(foot), ha="left", va="top",
                 fontproperties=painter.font(FOOTER_PT), color="#444444", linespacing=1.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="#ffffff")
    w_px, h_px = int(round(size_in[0] * dpi)), int(round(size_in[1] * dpi))
    bb = ax.get_window_extent()
    frame = (int(bb.x0), int(h_px - bb.y1), int(bb.x1), int(h_px - bb.y0))
    outline_key = "county.selected" if unit not in ("city", "tianqu") else ("tianqu" if unit == "tianqu" else "county")
    return MapImage(png=buf.getvalue(), width_px=w_px, height_px=h_px, frame_px=frame, extent_m=extent,
                    outline_color=style(outline_key).color, legend=dict(view.legend), drawn=dict(painter.drawn),
                    county_only=county_only)


def wrap_to_width(text_: str, prop: FontProperties, max_px: float, renderer: Any) -> list[str]:
    """``text_`` broken into lines no wider than ``max_px`` (measured with ``renderer``): between words, and
    between any two CJK characters."""
    import re

    tokens = re.findall(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+|\s+",
                        text_)
    widths: dict[str, float] = {}

    def width(tok: str) -> float:  # tokens measured once; a line's width is the sum of its tokens'
        if tok not in widths:
            widths[tok] = renderer.get_text_width_height_descent(tok.replace(" ", "\u00a0"), prop, ismath=False)[0]
        return widths[tok]

    lines: list[str] = []
    cur, cur_w = "", 0.0
    for tok in tokens:
        w = width(tok)
        if cur_w + w <= max_px or not cur.strip():
            cur, cur_w = cur + tok, cur_w + w
            continue
        lines.append(cur.rstrip())
        cur = tok.lstrip()
        cur_w = width(cur) if cur else 0.0
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _footer_lines(fig: Any, painter: _Painter, lang: str, n_county_only: int) -> list[str]:
    """Attribution and the precision note (the picture's small print), wrapped to the picture's width."""
    note = t("report.map.precision_note", lang)
    if n_county_only:
        note += " " + t("report.map.county_only_note", lang, n=n_county_only)
    attribution = t("ui.attribution.label", lang) + ": " + " · ".join(attribution_lines(lang))
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width * 0.98
    prop = painter.font(FOOTER_PT)
    return wrap_to_width(note, prop, width, renderer) + wrap_to_width(attribution, prop, width, renderer)
