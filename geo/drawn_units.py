"""Which units a drawn geometry crosses, and the ``units`` / ``unit_basis`` cells that list them.

A work the plan names only by its ends (济南至宁津高速公路) is drawn as a schematic line; the counties that
line crosses are listed in the item's ``units`` with the basis ``drawn_line`` (data/README.md), so that every
county view includes the works drawn across it. ``tools/drawn_line_units.py`` writes them into
data/projects.csv; the tests check that none is missing.

Geometry in: WGS84 (EPSG:4326). Lengths: metres in EPSG:32650 (:data:`geo.crs.METRIC_CRS`).
德州天衢新区 is a unit of its own inside 德城区: a stretch inside its outline counts for ``tianqu``, and for
``371402`` only what lies in 德城区 outside it.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, WGS84
from geo.schema import unit_bases

DRAWN_LINE = "drawn_line"
"""``unit_basis`` of a unit listed because the item's drawn (schematic) geometry crosses it."""
MIN_LENGTH_M = 1000.0
"""A line counts as crossing a unit when at least this much of it (metres) lies inside; shorter pieces are
line ends that stop at a border, or straight segments that cut a corner."""
TIANQU = "tianqu"


def unit_shapes(counties: gpd.GeoDataFrame, tianqu: gpd.GeoDataFrame | None = None) -> dict[str, BaseGeometry]:
    """Unit code -> polygon in EPSG:32650: every county by ``adcode`` (minus the 天衢新区 outline where they
    overlap), then ``tianqu`` when its outline is given. Inputs in any CRS (naive = WGS84)."""
    def metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return (gdf.set_crs(WGS84) if gdf.crs is None else gdf).to_crs(METRIC_CRS)

    tq = metric(tianqu).union_all() if tianqu is not None and len(tianqu) else None
    shapes: dict[str, BaseGeometry] = {}
    for code, geom in zip(counties["adcode"].astype(str), metric(counties).geometry, strict=True):
        shapes[code] = geom.difference(tq) if tq is not None and geom.intersects(tq) else geom
    if tq is not None:
        shapes[TIANQU] = tq
    return shapes


def units_crossed(geom: BaseGeometry | None, shapes: Mapping[str, BaseGeometry], *,
                  min_length_m: float = MIN_LENGTH_M) -> list[str]:
    """Codes of the units (in the order of ``shapes``) that ``geom`` (WGS84) crosses.

    A line crosses a unit when at least ``min_length_m`` of it lies inside; a point when it lies inside (or on
    the border). ``shapes`` as made by :func:`unit_shapes` (EPSG:32650). ``None``/empty -> ``[]``.
    """
    if geom is None or geom.is_empty:
        return []
    g = gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    if g.geom_type in ("Point", "MultiPoint"):
        return [code for code, shape in shapes.items() if shape.intersects(g)]
    return [code for code, shape in shapes.items() if g.intersection(shape).length >= min_length_m]


def crossing_geometry(item: Mapping[str, object], rivers: gpd.GeoDataFrame) -> BaseGeometry | None:
    """The geometry whose crossings an item's ``units`` must list (WGS84).

    Usually the item's own drawn geometry. An item drawn along a named river takes the river clipped to its
    units (``geo.load``); when those units all come from the drawing itself (basis ``drawn_line`` only), that
    clip would be circular, so the whole river(s) named in ``geometry_source`` (``river:黄河;…``) count instead.
    """
    source = str(item.get("geometry_source") or "")
    bases = set(unit_bases(str(item.get("units") or ""), str(item.get("unit_basis") or "")).values())
    if source.startswith("river:") and bases == {DRAWN_LINE} and len(rivers):
        names = set(source.removeprefix("river:").split(";"))
        lines = rivers[rivers["name"].astype(str).isin(names)].geometry
        return lines.union_all() if len(lines) else None
    geom = item.get("geometry")
    return geom if isinstance(geom, BaseGeometry) else None


def add_drawn_units(units: str, unit_basis: str, crossed: list[str]) -> tuple[str, str]:
    """The ``units`` and ``unit_basis`` cells with every unit of ``crossed`` listed.

    Units already listed keep their basis; the added ones get :data:`DRAWN_LINE`. ``city`` (no county stated)
    gives way to the crossed units. When all units share one basis the cell holds that one word, else one basis
    per unit, in the order of ``units`` (``name;drawn_line;drawn_line``).
    """
    bases = {u: b for u, b in unit_bases(units, unit_basis).items() if u != "city"}
    for code in crossed:
        bases.setdefault(code, DRAWN_LINE)
    if not bases:
        return units, unit_basis
    values = list(bases.values())
    basis_cell = values[0] if len(set(values)) == 1 else ";".join(values)
    return ";".join(bases), basis_cell


__all__ = ["DRAWN_LINE", "MIN_LENGTH_M", "unit_shapes", "units_crossed", "crossing_geometry", "add_drawn_units"]
