"""Coverage simplification (geo/simplify.py): shared borders stay shared, vertex counts drop."""

from __future__ import annotations

from itertools import combinations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from geo.crs import WGS84
from geo.paths import DATA_DIR
from geo.simplify import simplify_coverage, vertex_count


def _k(lat: float = 37.4) -> float:
    return 111_320.0 * 110_574.0 * float(np.cos(np.radians(lat)))


def _gaps_and_overlaps_m2(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    geoms = list(gdf.geometry)
    overlap = sum(a.intersection(b).area for a, b in combinations(geoms, 2)) * _k()
    union = shapely.union_all(geoms)
    holes = sum(Polygon(r).area for p in getattr(union, "geoms", [union]) for r in p.interiors) * _k()
    return overlap, holes


def _wiggly_pair() -> gpd.GeoDataFrame:
    """Two polygons sharing a wiggly north-south border of 200 vertices (≈ 10 km x 10 km each)."""
    ys = np.linspace(37.0, 37.1, 200)
    xs = 116.1 + 0.002 * np.sin(np.linspace(0, 40, 200))  # ±180 m wiggle
    border = list(zip(xs, ys, strict=True))
    left = Polygon([(116.0, 37.0), *border, (116.0, 37.1)])
    right = Polygon([*border, (116.2, 37.1), (116.2, 37.0)])
    return gpd.GeoDataFrame({"name": ["left", "right"]}, geometry=[left, right], crs=WGS84)


def test_coverage_simplify_exists() -> None:
    assert hasattr(shapely, "coverage_simplify")


def test_shared_border_kept_and_vertices_drop() -> None:
    gdf = _wiggly_pair()
    assert shapely.coverage_is_valid(np.asarray(gdf.geometry.values))
    before = vertex_count(gdf)
    out = simplify_coverage(gdf, 500.0)
    assert list(out["name"]) == ["left", "right"] and out.crs.to_epsg() == 4326
    after = vertex_count(out)
    assert after < before / 4
    overlap, holes = _gaps_and_overlaps_m2(out)
    assert overlap < 1.0 and holes < 1.0
    # the two still share a border line of roughly the original length (≈ 11 km)
    shared = out.geometry.iloc[0].intersection(out.geometry.iloc[1])
    assert shared.length * 111_000 > 10_000
    assert out.is_valid.all()
    # union is (nearly) unchanged: simplification only moves the shared wiggle
    assert shapely.union_all(list(out.geometry)).symmetric_difference(
        shapely.union_all(list(gdf.geometry))
    ).area * _k() < 1.0


def test_small_tolerance_changes_little() -> None:
    gdf = _wiggly_pair()
    out = simplify_coverage(gdf, 1.0)
    assert vertex_count(out) >= vertex_count(gdf) * 0.9


def test_keep_outer_boundary() -> None:
    gdf = _wiggly_pair()
    out = simplify_coverage(gdf, 500.0, simplify_boundary=False)
    outer_before = shapely.union_all(list(gdf.geometry))
    outer_after = shapely.union_all(list(out.geometry))
    assert outer_before.symmetric_difference(outer_after).area * _k() < 1.0


@pytest.mark.parametrize("name,tol", [("town_areas.geojson", 300.0), ("counties.geojson", 300.0)])
def test_shipped_coverages(name: str, tol: float) -> None:
    gdf = gpd.read_file(DATA_DIR / name)
    out = simplify_coverage(gdf, tol)
    assert len(out) == len(gdf) and out.is_valid.all()
    assert vertex_count(out) < vertex_count(gdf)
    overlap, holes = _gaps_and_overlaps_m2(out)
    assert overlap < 1.0 and holes < 1.0
    # neighbours that shared a border still do
    for (i, a), (j, b) in combinations(enumerate(gdf.geometry), 2):
        if a.intersection(b).length > 0.01:  # > ~1 km of common border before
            assert out.geometry.iloc[i].intersection(out.geometry.iloc[j]).length > 0.005


def _east_west_zigzag(amplitude_m: float, lat: float = 37.4) -> gpd.GeoDataFrame:
    """A north-south line whose middle vertex lies ``amplitude_m`` metres east of the straight line, plus a point."""
    from shapely.geometry import LineString, Point

    dlon = amplitude_m / (111_320.0 * float(np.cos(np.radians(lat))))
    line = LineString([(116.5, lat - 0.05), (116.5 + dlon, lat), (116.5, lat + 0.05)])
    return gpd.GeoDataFrame({"name": ["line", "point"]}, geometry=[line, Point(116.5, lat)], crs=WGS84)


def test_simplify_lines_tolerance_is_metres_in_longitude_too() -> None:
    from geo.simplify import simplify_lines

    gdf = _east_west_zigzag(150.0)
    # 150 m east is 150 m: kept at 130 m, removed at 170 m (a fixed 111 km per degree would read it as ~188 m)
    assert vertex_count(simplify_lines(gdf.iloc[[0]], 130.0)) == 3
    assert vertex_count(simplify_lines(gdf.iloc[[0]], 170.0)) == 2
    out = simplify_lines(gdf, 170.0)
    assert list(out.index) == list(gdf.index) and out.crs == gdf.crs
    assert out.geometry.iloc[1].equals(gdf.geometry.iloc[1])  # points untouched
    assert simplify_lines(gdf, 0.0) is gdf
