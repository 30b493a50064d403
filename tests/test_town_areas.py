"""Approximate town areas: geo.town_areas on hand-made fixtures, and the shipped town_areas/tianqu files."""

from __future__ import annotations

from itertools import combinations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from geo.crs import METRIC_CRS, WGS84
from geo.paths import DATA_DIR
from geo.town_areas import build_town_areas


def _m2_per_deg2(lat: float) -> float:
    return 111_320.0 * 110_574.0 * float(np.cos(np.radians(lat)))


def _assert_tiles(cells: list[shapely.Geometry], county: shapely.Geometry) -> None:
    """Cells tile the county: no overlaps, union == county (checked in WGS84, converted to m²)."""
    k = _m2_per_deg2(county.centroid.y)
    for a, b in combinations(cells, 2):
        assert a.intersection(b).area * k < 1.0
    assert shapely.union_all(cells).symmetric_difference(county).area * k < 1.0


# ---------------------------------------------------------------- function level (hand-made fixtures)
def _fixture() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    counties = gpd.GeoDataFrame(
        {"adcode": ["000001", "000002"]},
        geometry=[box(116.0, 37.0, 116.2, 37.2), box(116.2, 37.0, 116.4, 37.2)],
        crs=WGS84,
    )
    towns = gpd.GeoDataFrame(
        {
            "code": ["000001001000", "000001002000", "000001003000", "000002001000"],
            "name_zh": ["甲街道", "乙镇", "丙乡", "丁镇"],
            "unit": ["000001", "000001", "000001", "000002"],
        },
        geometry=[Point(116.05, 37.05), Point(116.15, 37.05), Point(116.10, 37.15), Point(116.3, 37.1)],
        crs=WGS84,
    )
    return towns, counties


def test_cells_tile_each_county_and_hold_their_point() -> None:
    towns, counties = _fixture()
    areas = build_town_areas(towns, counties)
    assert list(areas["code"]) == list(towns["code"])
    assert areas.crs.to_epsg() == 4326
    assert set(areas["precision"]) == {"approximate"}
    assert areas["method"].str.contains("Voronoi").all()
    for _, c in counties.iterrows():
        sub = areas[areas["unit"] == c["adcode"]]
        _assert_tiles(list(sub.geometry), c.geometry)
    for (_, t), (_, a) in zip(towns.iterrows(), areas.iterrows(), strict=True):
        assert a.geometry.contains(t.geometry)
    # the single town of county 2 gets the whole county
    assert areas.geometry.iloc[3].equals(counties.geometry.iloc[1])


def test_voronoi_is_metric_not_degrees() -> None:
    # two points on a north-south line: the border is the metric perpendicular bisector
    counties = gpd.GeoDataFrame({"adcode": ["000001"]}, geometry=[box(116.0, 37.0, 116.2, 37.4)], crs=WGS84)
    towns = gpd.GeoDataFrame(
        {"code": ["a", "b"], "name_zh": ["a", "b"], "unit": ["000001", "000001"]},
        geometry=[Point(116.1, 37.1), Point(116.1, 37.3)],
        crs=WGS84,
    )
    areas = build_town_areas(towns, counties).to_crs(METRIC_CRS)
    a, b = areas.area
    assert a == pytest.approx(b, rel=0.02)


def test_concave_county_detached_piece_goes_to_a_neighbour() -> None:
    # U-shaped county: the Voronoi cell of the point in the left arm also reaches into the right arm
    u_shape = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    county = shapely.affinity.scale(shapely.affinity.translate(u_shape, 116.0, 37.0), 0.05, 0.05, origin=(116.0, 37.0))
    counties = gpd.GeoDataFrame({"adcode": ["000001"]}, geometry=[county], crs=WGS84)
    pts = [Point(116.025, 37.13), Point(116.075, 37.01), Point(116.125, 37.06)]
    towns = gpd.GeoDataFrame(
        {"code": ["a", "b", "c"], "name_zh": ["a", "b", "c"], "unit": ["000001"] * 3}, geometry=pts, crs=WGS84
    )
    areas = build_town_areas(towns, counties)
    _assert_tiles(list(areas.geometry), county)
    for g, p in zip(areas.geometry, pts, strict=True):
        assert g.contains(p)
        assert g.geom_type == "Polygon"  # no detached pieces left


def test_duplicate_points_are_refused() -> None:
    towns, counties = _fixture()
    towns.loc[1, "geometry"] = towns.geometry.iloc[0]
    with pytest.raises(ValueError, match="share a point"):
        build_town_areas(towns, counties)


# ---------------------------------------------------------------- shipped data
@pytest.fixture(scope="module")
def shipped() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    return (
        gpd.read_file(DATA_DIR / "town_areas.geojson"),
        gpd.read_file(DATA_DIR / "counties.geojson"),
        pd.read_csv(DATA_DIR / "towns.csv", dtype={"code": str, "unit": str}),
    )


def test_shipped_town_areas_tile_each_county(shipped: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]) -> None:
    areas, counties, towns = shipped
    assert len(areas) == 134 and areas["code"].is_unique
    assert set(areas["code"]) == set(towns["code"])
    assert areas.is_valid.all()
    assert set(areas["precision"]) == {"approximate"}
    for _, c in counties.iterrows():
        _assert_tiles(list(areas[areas["unit"] == c["adcode"]].geometry), c.geometry)


def test_shipped_town_area_contains_its_point(shipped: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]) -> None:
    areas, _, towns = shipped
    geom = dict(zip(areas["code"], areas.geometry, strict=True))
    for _, t in towns.iterrows():
        assert geom[t["code"]].contains(Point(t["lon"], t["lat"])), t["name_zh"]


def test_shipped_tianqu(shipped: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]) -> None:
    areas, counties, towns = shipped
    tq = gpd.read_file(DATA_DIR / "tianqu.geojson")
    assert len(tq) == 1
    r = tq.iloc[0]
    assert r["name_zh"] == "德州天衢新区" and r["precision"] == "approximate"
    members = towns[towns["tianqu"] == 1]
    assert r["member_towns"].split(";") == list(members["name_zh"])
    assert len(r["basis"]) > 100
    assert tq.is_valid.all()
    union = shapely.union_all(list(areas[areas["code"].isin(members["code"])].geometry))
    assert union.symmetric_difference(r.geometry).area * _m2_per_deg2(37.4) < 1.0
    # inside 德城区, a few hundred km²
    decheng = counties.set_index("adcode").loc["371402", "geometry"]
    assert r.geometry.difference(decheng).area * _m2_per_deg2(37.4) < 1.0
    km2 = float(tq.to_crs(METRIC_CRS).area.iloc[0]) / 1e6
    assert 150 < km2 < 400


def test_shipped_town_areas_are_one_valid_coverage(
    shipped: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame],
) -> None:
    """Across county borders too: shared edges carry identical vertices (needed for coverage simplification)."""
    areas, _, _ = shipped
    assert bool(shapely.coverage_is_valid(np.asarray(areas.geometry.values)))
