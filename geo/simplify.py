"""Simplification for display, with tolerances in metres (the work is done in EPSG:32650, results in WGS84).

Polygon coverages (counties, town areas) use ``shapely.coverage_simplify`` (GEOS CoverageSimplifier, shapely >=
2.1): every shared edge between two neighbours is simplified once, so neighbours keep sharing their border exactly
(no gaps, no slivers). Lines use Douglas-Peucker.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC_CRS, WGS84


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float, *, simplify_boundary: bool = True) -> gpd.GeoDataFrame:
    """Simplify a polygon coverage with a tolerance in metres; neighbours keep sharing their borders.

    The work is done in EPSG:32650 (metres); the result is returned in WGS84 (EPSG:4326) with the same
    columns and index. ``simplify_boundary=False`` keeps the outer boundary of the coverage unchanged.
    The input should be a valid coverage (polygons that meet only along shared edges).
    """
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    if len(gdf) == 0:
        return gdf.to_crs(WGS84)
    metric = gdf.to_crs(METRIC_CRS)
    geoms = np.asarray(metric.geometry.values)
    simplified = shapely.coverage_simplify(geoms, tolerance=float(tolerance_m), simplify_boundary=simplify_boundary)
    out = metric.copy()
    out = out.set_geometry(gpd.GeoSeries(simplified, index=metric.index, crs=METRIC_CRS))
    return out.to_crs(WGS84)


def simplify_lines(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Douglas-Peucker simplification of the line geometries of ``gdf`` (WGS84) with a tolerance in metres.

    Lines are simplified in EPSG:32650 and returned in WGS84; other geometries (points, polygons, ``None``) are
    left exactly as they are. Same columns and index.
    """
    if tolerance_m <= 0 or len(gdf) == 0:
        return gdf
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    is_line = np.array([g is not None and not g.is_empty and "Line" in g.geom_type for g in geoms], dtype=bool)
    if not is_line.any():
        return gdf
    lines = gpd.GeoSeries(geoms[is_line], crs=gdf.crs or WGS84).to_crs(METRIC_CRS)
    simplified = gpd.GeoSeries(shapely.simplify(np.asarray(lines.values), float(tolerance_m), preserve_topology=False),
                               crs=METRIC_CRS).to_crs(WGS84)
    out = geoms.copy()
    out[is_line] = np.asarray(simplified.values, dtype=object)
    return gdf.set_geometry(gpd.GeoSeries(out, index=gdf.index, crs=WGS84))


def vertex_count(gdf: gpd.GeoDataFrame) -> int:
    """Total number of coordinates in the geometries of ``gdf``."""
    return int(shapely.get_num_coordinates(np.asarray(gdf.geometry.values)).sum())
