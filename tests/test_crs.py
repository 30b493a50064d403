"""WGS84 <-> GCJ-02 conversion (geo/crs.py): known pairs, offsets near Dezhou, round trips, outside China."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from geo.crs import (
    METRIC_CRS,
    WGS84,
    from_gcj02,
    gcj02_to_wgs84,
    geodesic_distance_m,
    out_of_china,
    to_gcj02,
    to_metric,
    wgs84_to_gcj02,
)
from geo.paths import SHARED_GEODATA

DEZHOU_LON = st.floats(min_value=115.7, max_value=117.4, allow_nan=False)
DEZHOU_LAT = st.floats(min_value=36.4, max_value=38.0, allow_nan=False)


def test_constants() -> None:
    assert WGS84 == "EPSG:4326"
    assert METRIC_CRS == "EPSG:32650"


def test_known_pair_from_the_published_formula() -> None:
    # 德城区 (WGS84 116.3, 37.45) -> GCJ-02; the value follows from the public formula (computed once, frozen)
    lon, lat = wgs84_to_gcj02(116.3, 37.45)
    assert lon == pytest.approx(116.305782670797, abs=1e-9)
    assert lat == pytest.approx(37.45076660642112, abs=1e-9)
    assert isinstance(lon, float) and isinstance(lat, float)


def _shared_town_pairs() -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    gcj = json.loads((SHARED_GEODATA / "dezhou_towns.geojson").read_text(encoding="utf-8"))
    wgs = json.loads((SHARED_GEODATA / "dezhou_towns_wgs84_from_gcj02.geojson").read_text(encoding="utf-8"))
    w = {f["properties"]["adcode"]: f["geometry"]["coordinates"] for f in wgs["features"]}
    return [(f["properties"]["adcode"], tuple(f["geometry"]["coordinates"]), tuple(w[f["properties"]["adcode"]]))
            for f in gcj["features"]]


@pytest.mark.skipif(not (SHARED_GEODATA / "dezhou_towns.geojson").is_file(), reason="shared geodata not present")
def test_inverse_agrees_with_shared_derived_town_points() -> None:
    pairs = _shared_town_pairs()
    assert len(pairs) == 113
    g = np.array([p[1] for p in pairs])
    w = np.array([p[2] for p in pairs])
    lon, lat = gcj02_to_wgs84(g[:, 0], g[:, 1])
    d = geodesic_distance_m(lon, lat, w[:, 0], w[:, 1])
    assert float(np.max(d)) < 0.05  # the shared file is rounded to 7 decimals (~1 cm)
    # one town spelled out: 新华街道 (德城区)
    code, (glon, glat), (wlon, wlat) = next(p for p in pairs if p[0] == "371402003000")
    assert (glon, glat) == (116.302579, 37.422742)
    lon1, lat1 = gcj02_to_wgs84(glon, glat)
    assert float(geodesic_distance_m(lon1, lat1, wlon, wlat)) < 0.05


def test_forward_offset_near_dezhou_is_about_490m_east_100m_north() -> None:
    lon, lat = 116.36, 37.44  # Dezhou city
    glon, glat = wgs84_to_gcj02(lon, lat)
    east = float(geodesic_distance_m(lon, lat, glon, lat))
    north = float(geodesic_distance_m(lon, lat, lon, glat))
    assert glon > lon and glat > lat
    assert 420 < east < 560
    assert 50 < north < 150


def test_vectorised_equals_scalar() -> None:
    lons = np.array([115.8, 116.36, 117.2, 10.0])
    lats = np.array([36.5, 37.44, 37.9, 50.0])
    vlon, vlat = wgs84_to_gcj02(lons, lats)
    assert isinstance(vlon, np.ndarray) and vlon.shape == (4,)
    for i in range(4):
        slon, slat = wgs84_to_gcj02(float(lons[i]), float(lats[i]))
        assert vlon[i] == pytest.approx(slon, abs=1e-12) and vlat[i] == pytest.approx(slat, abs=1e-12)
    ilon, ilat = gcj02_to_wgs84(vlon, vlat)
    assert np.max(np.abs(ilon - lons)) < 1e-9 and np.max(np.abs(ilat - lats)) < 1e-9


def test_inverse_converges_below_1e9_degrees() -> None:
    lon, lat = 116.123456, 37.654321
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(back[0] - lon) < 1e-9 and abs(back[1] - lat) < 1e-9


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(DEZHOU_LON, DEZHOU_LAT)
def test_round_trip_below_half_a_metre_in_dezhou(lon: float, lat: float) -> None:
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_wgs84(glon, glat)
    assert float(geodesic_distance_m(lon, lat, blon, blat)) < 0.5
    # and the forward shift itself is a few hundred metres, never zero inside China
    assert 300 < float(geodesic_distance_m(lon, lat, glon, glat)) < 800


@pytest.mark.parametrize("lon,lat", [(2.35, 48.86), (-74.0, 40.7), (139.7, 35.7), (100.5, 0.5), (116.4, 56.0)])
def test_identity_outside_china(lon: float, lat: float) -> None:
    assert out_of_china(lon, lat) is True
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_out_of_china_vectorised() -> None:
    res = out_of_china(np.array([116.3, 2.35]), np.array([37.4, 48.86]))
    assert res.tolist() == [False, True]


def test_to_gcj02_on_geometry_and_gdf() -> None:
    poly = Polygon([(116.3, 37.4), (116.4, 37.4), (116.4, 37.5), (116.3, 37.4)])
    shifted = to_gcj02(poly)
    assert shifted.geom_type == "Polygon"
    assert shifted.exterior.coords[0] == pytest.approx(wgs84_to_gcj02(116.3, 37.4), abs=1e-12)
    gdf = gpd.GeoDataFrame(
        {"name": ["p", "l"]}, geometry=[Point(116.36, 37.44), LineString([(116.3, 37.4), (116.5, 37.6)])], crs=WGS84
    )
    out = to_gcj02(gdf)
    assert out is not gdf and list(out["name"]) == ["p", "l"]
    assert out.attrs["datum"] == "GCJ-02"
    assert gdf.geometry.iloc[0].x == 116.36  # input untouched
    assert out.geometry.iloc[0].x == pytest.approx(wgs84_to_gcj02(116.36, 37.44)[0], abs=1e-12)
    back = from_gcj02(out)
    assert back.geometry.iloc[1].distance(gdf.geometry.iloc[1]) < 1e-9


def test_to_gcj02_reprojects_metric_input_first() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(116.36, 37.44)], crs=WGS84)
    out = to_gcj02(to_metric(gdf))
    assert out.crs.to_epsg() == 4326
    assert out.geometry.iloc[0].x == pytest.approx(wgs84_to_gcj02(116.36, 37.44)[0], abs=1e-7)


@pytest.mark.slow
def test_to_metric() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(116.36, 37.44)], crs=WGS84)
    m = to_metric(gdf)
    assert m.crs.to_epsg() == 32650
    assert 400_000 < m.geometry.iloc[0].x < 600_000 and 4_000_000 < m.geometry.iloc[0].y < 4_300_000
