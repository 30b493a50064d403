"""Where an official puts an item: a point or outline from an uploaded GeoJSON file, a clicked point on a
basemap drawn in GCJ-02 back to WGS84. Pure logic (no Streamlit); every geometry returned is WGS84 lon/lat."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo.crs import gcj02_to_wgs84, wgs84_to_gcj02
from geo.schema import DEZHOU_BBOX

MAX_GEOJSON_BYTES = 2_000_000


@dataclass(frozen=True)
class GeoJSONPlace:
    """A placement read from a GeoJSON file: ``point`` or ``outline`` (one of them), or a problem ``code``
    (i18n ``officials.geojson.<code>``)."""

    point: Point | None = None
    outline: BaseGeometry | None = None
    code: str = ""


def read_geojson_place(content: bytes) -> GeoJSONPlace:
    """One Point, Polygon or MultiPolygon (a bare geometry, a Feature, or a FeatureCollection of one feature) in
    WGS84 lon/lat (RFC 7946). Codes: ``too_big``, ``not_json``, ``no_feature``, ``several``, ``kind``, ``invalid``,
    ``outside`` (not near Dezhou: lat/lon swapped or a projected CRS)."""
    if len(content) > MAX_GEOJSON_BYTES:
        return GeoJSONPlace(code="too_big")
    try:
        obj = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return GeoJSONPlace(code="not_json")
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        feats = [f for f in obj.get("features") or [] if isinstance(f, dict)]
        if not feats:
            return GeoJSONPlace(code="no_feature")
        if len(feats) > 1:
            return GeoJSONPlace(code="several")
        obj = feats[0]
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
    if not isinstance(obj, dict) or obj.get("type") not in ("Point", "Polygon", "MultiPolygon"):
        return GeoJSONPlace(code="kind")
    try:
        geom = shape(obj)
    except Exception:
        return GeoJSONPlace(code="invalid")
    if geom.is_empty or not all(math.isfinite(v) for v in geom.bounds) or not geom.is_valid:
        return GeoJSONPlace(code="invalid")
    x0, y0, x1, y1 = DEZHOU_BBOX
    b = geom.bounds
    if not (x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1):
        return GeoJSONPlace(code="outside")
    if isinstance(geom, Point):
        return GeoJSONPlace(point=geom)
    return GeoJSONPlace(outline=geom)


def display_to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """A clicked (lon, lat) on a map drawn in ``datum`` (``gcj02`` for AMap) as WGS84."""
    if datum == "gcj02":
        x, y = gcj02_to_wgs84(lon, lat)
        return float(x), float(y)
    return lon, lat


def wgs84_to_display(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """WGS84 (lon, lat) where to draw it on a map in ``datum``."""
    if datum == "gcj02":
        x, y = wgs84_to_gcj02(lon, lat)
        return float(x), float(y)
    return lon, lat
