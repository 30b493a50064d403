"""Shipped data/counties.geojson: 11 valid counties, WGS84, no gaps/overlaps, total area within 1 % of 10,356 km²."""

from __future__ import annotations

import json
from itertools import combinations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.crs import EQUAL_AREA_CRS, METRIC_CRS
from geo.paths import DATA_DIR

ADCODES = ["371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428", "371481", "371482"]


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA_DIR / "counties.geojson")


@pytest.mark.slow
def test_file_is_rfc7946(counties: gpd.GeoDataFrame) -> None:
    fc = json.loads((DATA_DIR / "counties.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert counties.crs.to_epsg() == 4326


def test_eleven_counties_with_schema(counties: gpd.GeoDataFrame) -> None:
    assert sorted(counties["adcode"].astype(str)) == ADCODES
    for col in ("adcode", "name_zh", "name_en", "kind", "precision", "source", "license", "datum"):
        assert col in counties.columns and counties[col].notna().all(), col
    assert set(counties["datum"]) == {"WGS84"}
    assert set(counties["kind"]) == {"district", "county", "county_city"}
    units = pd.read_csv(DATA_DIR / "units.csv", dtype=str).set_index("code")
    for _, r in counties.iterrows():
        assert r["name_zh"] == units.loc[r["adcode"], "name_zh"]
        assert r["kind"] == units.loc[r["adcode"], "kind"]


def test_all_valid_polygons(counties: gpd.GeoDataFrame) -> None:
    assert counties.is_valid.all()
    assert set(counties.geom_type) <= {"Polygon", "MultiPolygon"}
    # inside a Dezhou bounding box (WGS84)
    minx, miny, maxx, maxy = counties.total_bounds
    assert 115.7 < minx and maxx < 117.7 and 36.3 < miny and maxy < 38.1


def test_no_overlaps(counties: gpd.GeoDataFrame) -> None:
    m = counties.to_crs(METRIC_CRS)
    total = sum(a.intersection(b).area for a, b in combinations(m.geometry, 2))
    assert total < 1.0  # m²


def test_union_has_no_holes(counties: gpd.GeoDataFrame) -> None:
    union = shapely.union_all(list(counties.to_crs(METRIC_CRS).geometry))
    parts = getattr(union, "geoms", [union])
    holes = sum(shapely.Polygon(r).area for p in parts for r in p.interiors)
    assert holes < 1.0
    assert len(parts) == 1  # one connected city outline


def test_total_area_within_one_percent(counties: gpd.GeoDataFrame) -> None:
    ea = counties.to_crs(EQUAL_AREA_CRS).area.sum() / 1e6
    utm = counties.to_crs(METRIC_CRS).area.sum() / 1e6
    assert abs(ea / 10356 - 1) < 0.01, ea
    assert abs(utm / 10356 - 1) < 0.01, utm
    assert ea == pytest.approx(10288.3, abs=1.0)  # the CGCS2000 set (−0.65 %)


def test_each_county_area_plausible(counties: gpd.GeoDataFrame) -> None:
    areas = dict(zip(counties["adcode"], counties.to_crs(EQUAL_AREA_CRS).area / 1e6, strict=True))
    assert areas["371402"] == pytest.approx(528.1, abs=1.0)
    assert areas["371425"] == pytest.approx(1411.5, abs=1.0)  # 齐河县, the largest
    assert max(areas, key=areas.get) == "371425"


def test_valid_coverage(counties: gpd.GeoDataFrame) -> None:
    import numpy as np

    assert bool(shapely.coverage_is_valid(np.asarray(counties.geometry.values)))
