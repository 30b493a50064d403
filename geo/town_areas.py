"""Approximate town (乡镇/街道) areas: Voronoi cells of the town points, clipped to their own county.

These are *not* legal boundaries. Within each county the cells tile the county exactly (no gaps, no
overlaps): the Voronoi diagram is computed in metres (EPSG:32650), the cells are taken back to WGS84 and
intersected with the county polygon in its own (WGS84) coordinates, so the county outline is kept vertex
for vertex. Pieces of a cell that end up cut off from the cell's own point (possible where a county is
concave) are handed to the neighbouring cell with which they share the longest border.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, WGS84

METHOD: str = (
    "Voronoi cells of the town points (computed in EPSG:32650) clipped to the town's own county; "
    "detached pieces merged into the neighbour with the longest shared border"
)


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    """The non-empty polygons inside ``geom`` (flattening multi-geometries and collections)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _polygons(g)]


def _cells_for_county(points_wgs: list[BaseGeometry], county_wgs: BaseGeometry) -> list[BaseGeometry]:
    """Cells (WGS84) for the points of one county, in the order of ``points_wgs``."""
    n = len(points_wgs)
    if n == 0:
        return []
    if n == 1:
        return [county_wgs]
    pts_m = gpd.GeoSeries(points_wgs, crs=WGS84).to_crs(METRIC_CRS)
    county_m = gpd.GeoSeries([county_wgs], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    xy = np.array([[p.x, p.y] for p in pts_m])
    if len({(round(x, 3), round(y, 3)) for x, y in xy}) != n:
        raise ValueError("two towns of the same county share a point; Voronoi cells need distinct points")
    minx, miny, maxx, maxy = county_m.bounds
    pad = max(maxx - minx, maxy - miny)
    frame = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    vor = shapely.voronoi_polygons(MultiPoint(xy), extend_to=frame, ordered=True)
    cells_m = list(vor.geoms)
    cells_wgs = gpd.GeoSeries(cells_m, crs=METRIC_CRS).to_crs(WGS84)
    clipped = [shapely.make_valid(c.intersection(county_wgs)) for c in cells_wgs]

    # keep, for each cell, the piece holding its own point; collect the detached pieces
    kept: list[list[Polygon]] = []
    orphans: list[Polygon] = []
    for i, geom in enumerate(clipped):
        parts = _polygons(geom)
        own = [p for p in parts if p.intersects(points_wgs[i])]
        if not own and parts:  # point on the very edge: keep the largest piece
            own = [max(parts, key=lambda p: p.area)]
        kept.append(own)
        orphans.extend(p for p in parts if not any(p is q for q in own))
    cells = [shapely.union_all(k) if k else Polygon() for k in kept]
    for piece in sorted(orphans, key=lambda p: -p.area):
        best, best_len = None, -1.0
        for j, cell in enumerate(cells):
            if cell.is_empty:
                continue
            shared = piece.boundary.intersection(cell.boundary).length
            if shared > best_len:
                best, best_len = j, shared
        if best is not None and best_len > 0:
            cells[best] = shapely.union_all([cells[best], piece])
        else:  # isolated piece (no neighbour): give it to the nearest cell
            j = int(np.argmin([c.distance(piece) if not c.is_empty else np.inf for c in cells]))
            cells[j] = shapely.union_all([cells[j], piece])
    return cells


def node_coverage(geoms: list[BaseGeometry], tolerance: float = 1e-9) -> list[BaseGeometry]:
    """Insert into each polygon the vertices of its neighbours that lie on its edges (within ``tolerance``).

    Cells of neighbouring counties meet along the county border, but each carries its own Voronoi crossing
    points there; after noding, shared edges have identical vertices, so the whole set is a valid GEOS
    coverage (needed by ``shapely.coverage_simplify``). Areas change by < 1e-12 deg².
    """
    arr = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(arr)
    out: list[BaseGeometry] = []
    for i, g in enumerate(arr):
        nb = [j for j in tree.query(g) if j != i]
        if not nb:
            out.append(g)
            continue
        ref = shapely.multipoints(shapely.get_coordinates(arr[nb]))
        out.append(shapely.snap(g, ref, tolerance))
    return out


def build_town_areas(
    towns: gpd.GeoDataFrame,
    counties: gpd.GeoDataFrame,
    *,
    town_unit_col: str = "unit",
    county_code_col: str = "adcode",
) -> gpd.GeoDataFrame:
    """Approximate town areas (WGS84 polygons), one per row of ``towns`` that has a point.

    ``towns``: GeoDataFrame of Points (WGS84) with columns ``code``, ``name_zh`` and ``unit`` (county code);
    ``counties``: GeoDataFrame of county polygons (WGS84) with ``adcode``. Voronoi cells are computed in
    EPSG:32650 and clipped to the town's own county, so that within each county the cells tile it exactly.
    Finally all cells are noded (:func:`node_coverage`) so that the result is one valid polygon coverage.
    Returns columns ``code``, ``name_zh``, ``unit``, ``precision`` (= ``approximate``), ``method``, ``geometry``.
    """
    towns = towns.to_crs(WGS84) if towns.crs is not None else towns.set_crs(WGS84)
    counties = counties.to_crs(WGS84) if counties.crs is not None else counties.set_crs(WGS84)
    rows: list[dict[str, object]] = []
    for _, county in counties.iterrows():
        unit = str(county[county_code_col])
        sub = towns[(towns[town_unit_col].astype(str) == unit) & towns.geometry.notna()]
        sub = sub[~sub.geometry.is_empty]
        cells = _cells_for_county(list(sub.geometry), county.geometry)
        for (_, t), cell in zip(sub.iterrows(), cells, strict=True):
            rows.append(
                {
                    "code": str(t["code"]),
                    "name_zh": t.get("name_zh", ""),
                    "unit": unit,
                    "precision": "approximate",
                    "method": METHOD,
                    "geometry": cell,
                }
            )
    if rows:
        noded = node_coverage([r["geometry"] for r in rows])
        for r, g in zip(rows, noded, strict=True):
            r["geometry"] = g
    return gpd.GeoDataFrame(
        rows, columns=["code", "name_zh", "unit", "precision", "method", "geometry"], geometry="geometry", crs=WGS84
    )
