"""Read a vector geodata file (GeoJSON, GeoPackage, Shapefile) and check its coordinates, with plain-word errors.

:func:`read_geodata` raises :class:`GeoFileError` (a ``ValueError``) whose message names the problem without any
server path or reader internals; :func:`coordinate_problems` finds what no map can draw: coordinates that are
not finite (NaN, infinite), absurdly large (1e308), or not longitude/latitude degrees. Pure logic.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

log = logging.getLogger("dezhou_plan_map")


class GeoFileError(ValueError):
    """A geodata file that cannot be used; ``str()`` is a plain-word message without paths."""

    def __init__(self, message: str, *, code: str = "geofile_unreadable") -> None:
        super().__init__(message)
        self.code = code


def read_geodata(path: Path | str, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """``gpd.read_file(path)``; a file that is not readable geodata raises :class:`GeoFileError` (the reader's
    own message, which carries the server path, goes to the server log only)."""
    path = Path(path)
    try:
        return gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
    except Exception as exc:  # any reader failure becomes one plain-word error
        log.info("cannot read %s: %s", path, exc)
        if "closed linestring" in str(exc):
            raise GeoFileError(f"{path.name}: a polygon ring is not closed (its last point must repeat its first)",
                               code="ring_not_closed") from exc
        raise GeoFileError(f"{path.name} is not a readable GeoJSON, GeoPackage or Shapefile "
                           f"({type(exc).__name__})", code="geofile_unreadable") from exc


def feature_coordinate_problem(geom: object) -> str | None:
    """Why the coordinates of ``geom`` cannot be drawn (``'not_finite'`` for NaN/infinite, ``'huge'`` for a value
    beyond ±1e9), or ``None`` when they are fine (``None``/empty geometries are fine here)."""
    if geom is None or getattr(geom, "is_empty", True):
        return None
    xy = shapely.get_coordinates(geom)
    if not len(xy):
        return None
    if not np.isfinite(xy).all():
        return "not_finite"
    if (np.abs(xy) > 1e9).any():  # no CRS has coordinates that large (Gauss-Krüger with zone prefix: ~4e7)
        return "huge"
    return None


def looks_like_degrees(gdf: gpd.GeoDataFrame) -> bool:
    """True when every finite coordinate of ``gdf`` lies within ±180 / ±90 (longitude/latitude degrees)."""
    xy = shapely.get_coordinates(np.asarray(gdf.geometry.values))
    xy = xy[np.isfinite(xy).all(axis=1)] if len(xy) else xy
    if not len(xy):
        return True
    return bool((np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all())


def in_area(geom: object, bbox: tuple[float, float, float, float], margin: float = 0.1) -> bool:
    """True when ``geom`` (WGS84) overlaps ``bbox`` (lon_min, lat_min, lon_max, lat_max) widened by ``margin``
    degrees."""
    if geom is None or getattr(geom, "is_empty", True):
        return False
    x0, y0, x1, y1 = geom.bounds  # type: ignore[attr-defined]
    return not (x1 < bbox[0] - margin or x0 > bbox[2] + margin or y1 < bbox[1] - margin or y0 > bbox[3] + margin)
