"""Topology-preserving simplification of a polygon coverage (counties, town areas) for display.

Uses ``shapely.coverage_simplify`` (GEOS CoverageSimplifier, shapely >= 2.1): every shared edge between
two neighbours is simplified once, so neighbours keep sharing their border exactly (no gaps, no slivers).
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


def vertex_count(gdf: gpd.GeoDataFrame) -> int:
    """Total number of coordinates in the geometries of ``gdf``."""
    return int(shapely.get_num_coordinates(np.asarray(gdf.geometry.values)).sum())
