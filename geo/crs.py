"""Coordinate reference systems and the WGS84 <-> GCJ-02 ("Mars coordinates") conversion.

The project stores and computes in WGS84 (``EPSG:4326``); metric work happens in UTM zone 50N
(``EPSG:32650``). GCJ-02 is used only to *display* data on AMap/Tencent tiles, which are drawn in GCJ-02.

The forward formula (WGS84 -> GCJ-02) is the widely published public approximation of the Chinese
obfuscation (Krasovsky ellipsoid constants ``a = 6378245``, ``ee = 0.00669342162296594323``).
Around Dezhou it shifts a point by about 490 m east and 100 m north. The inverse has no closed form;
:func:`gcj02_to_wgs84` inverts the forward formula by fixed-point iteration (converges to < 1e-9 degrees,
i.e. well under a millimetre, in a handful of steps). Outside China both directions are the identity
(the usual ``out_of_china`` bounding box).

All functions take and return longitude/latitude in decimal degrees, either as scalars (``float``) or as
numpy arrays of equal shape (vectorised).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar, overload

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

WGS84: str = "EPSG:4326"
"""Storage CRS of every file in data/ (longitude, latitude in degrees)."""
METRIC_CRS: str = "EPSG:32650"
"""Metric CRS for distances/areas/buffers around Dezhou (UTM zone 50N, metres)."""
EQUAL_AREA_CRS: str = "EPSG:6933"
"""Global equal-area CRS (WGS 84 / NSIDC EASE-Grid 2.0), used to cross-check areas (m²)."""

_A: float = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula (m)
_EE: float = 0.00669342162296594323  # eccentricity squared used by the GCJ-02 formula



def out_of_china(lon: ArrayLike, lat: ArrayLike) -> Any:
    """``True`` where (lon, lat) lies outside the rough China box in which GCJ-02 applies.

    Scalar in -> ``bool``; arrays in -> boolean array.
    """
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    res = (lon_a < 72.004) | (lon_a > 137.8347) | (lat_a < 0.8293) | (lat_a > 55.8271)
    return bool(res) if res.ndim == 0 else res


def _transform_lat(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * math.pi) + 40.0 * np.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * math.pi) + 320.0 * np.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * math.pi) + 40.0 * np.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * math.pi) + 300.0 * np.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _delta(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 minus WGS84 offset (degrees) at WGS84 (lon, lat); zero outside China."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * math.pi)
    outside = out_of_china(lon, lat)
    dlon = np.where(outside, 0.0, dlon)
    dlat = np.where(outside, 0.0, dlat)
    return dlon, dlat


def _ret(lon: NDArray[np.float64], lat: NDArray[np.float64], scalar: bool) -> tuple[Any, Any]:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


@overload
def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Any, Any]:
    """Forward conversion WGS84 -> GCJ-02 (degrees in, degrees out); identity outside China."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon_a, lat_a)
    return _ret(lon_a + dlon, lat_a + dlat, lon_a.ndim == 0 and lat_a.ndim == 0)


@overload
def gcj02_to_wgs84(lon: float, lat: float, *, tol: float = ..., max_iter: int = ...) -> tuple[float, float]: ...
@overload
def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, tol: float = ..., max_iter: int = ...
) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tol: float = 1e-11, max_iter: int = 30) -> tuple[Any, Any]:
    """Inverse conversion GCJ-02 -> WGS84 (degrees), by fixed-point iteration of the forward formula.

    Iterates ``w <- w - (forward(w) - g)`` until every coordinate moves by less than ``tol`` degrees
    (default 1e-11°, about 1 µm). Identity outside China.
    """
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(max_iter):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon = np.asarray(f_lon) - g_lon
        e_lat = np.asarray(f_lat) - g_lat
        w_lon = w_lon - e_lon
        w_lat = w_lat - e_lat
        if float(np.max(np.abs(e_lon), initial=0.0)) < tol and float(np.max(np.abs(e_lat), initial=0.0)) < tol:
            break
    return _ret(w_lon, w_lat, g_lon.ndim == 0 and g_lat.ndim == 0)


G = TypeVar("G", BaseGeometry, gpd.GeoDataFrame, gpd.GeoSeries)


def _apply(obj: G, fn: Any, datum: str) -> G:
    def coords_fn(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        if len(xy) == 0:
            return xy
        x, y = fn(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    if isinstance(obj, BaseGeometry):
        return shapely.transform(obj, coords_fn)
    if isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        if obj.crs is not None and not obj.crs.equals(WGS84) and not obj.crs.equals("EPSG:4490"):
            obj = obj.to_crs(WGS84)
        out = obj.copy()
        geoms = shapely.transform(np.asarray(out.geometry.values), coords_fn)
        if isinstance(out, gpd.GeoDataFrame):
            out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=WGS84), crs=WGS84)
        else:
            out = gpd.GeoSeries(geoms, index=out.index, crs=WGS84)
        out.attrs["datum"] = datum
        return out
    raise TypeError(f"expected a shapely geometry, GeoSeries or GeoDataFrame, got {type(obj).__name__}")


def to_gcj02(obj: G) -> G:
    """Convert a WGS84 shapely geometry / GeoSeries / GeoDataFrame to GCJ-02 for display on AMap tiles.

    Returns a new object; every vertex is shifted with :func:`wgs84_to_gcj02`. GCJ-02 has no EPSG code, so a
    returned GeoDataFrame keeps the label ``EPSG:4326`` and gets ``attrs["datum"] = "GCJ-02"``. Use the result
    for drawing only, never for storage or analysis.
    """
    return _apply(obj, wgs84_to_gcj02, "GCJ-02")


def from_gcj02(obj: G) -> G:
    """Convert a GCJ-02 shapely geometry / GeoSeries / GeoDataFrame back to WGS84 (vertex-wise inverse)."""
    return _apply(obj, gcj02_to_wgs84, "WGS84")


def to_metric(gdf: G) -> G:
    """Reproject a GeoDataFrame/GeoSeries to :data:`METRIC_CRS` (UTM 50N, metres). Naive input is taken as WGS84."""
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    return gdf.to_crs(METRIC_CRS)


def geodesic_distance_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> Any:
    """Geodesic distance in metres on the WGS84 ellipsoid (scalar or array)."""
    from pyproj import Geod

    _, _, dist = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return dist
