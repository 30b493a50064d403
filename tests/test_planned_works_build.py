"""The planned network drawn by tools/build_networks.build_planned: the same works, names and (rounded) geometry as
the shipped data/networks/planned_works.geojson. Written before the table of works moved into
data/networks/planned_works.csv, and kept: the table and the code that reads it must draw exactly this network."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo.paths import NETWORKS_DIR, SHARED_GEODATA

PROPS = ("plan_item_id", "name", "name_en", "mode", "role", "precision", "quality", "waypoints", "ref", "scenario",
         "source", "license", "note")


def _rows(gdf: gpd.GeoDataFrame) -> list[tuple]:
    """One tuple per feature: its properties and its geometry as WKT with 6 decimals (~0.1 m)."""
    out = []
    for _, r in gdf.iterrows():
        props = tuple("" if r.get(c) is None or r.get(c) != r.get(c) else str(r.get(c)) for c in PROPS)
        out.append((*props, shapely.to_wkt(shapely.set_precision(r.geometry, 1e-6), rounding_precision=6)))
    return out


@pytest.fixture(scope="module")
def built() -> gpd.GeoDataFrame:
    if not (SHARED_GEODATA / "dezhou_towns_wgs84_from_gcj02.geojson").is_file():
        pytest.skip(f"shared geodata not found at {SHARED_GEODATA}")
    from tools import build_networks as bn

    city = shape(bn._load_geojson("dezhou_city_wgs84_from_gcj02.geojson")[0]["geometry"])
    county_polys = {ft["properties"]["name"]: shape(ft["geometry"])
                    for ft in bn._load_geojson("dezhou_counties_wgs84_from_gcj02.geojson")}
    return bn._gdf("planned_works", bn.build_planned(bn.Places(), county_polys, city))


def test_built_planned_network_is_the_shipped_one(built: gpd.GeoDataFrame) -> None:
    shipped = gpd.read_file(NETWORKS_DIR / "planned_works.geojson")
    assert len(built) == len(shipped) == 29
    assert _rows(built) == _rows(shipped)


def test_built_planned_network_has_every_drawn_work(built: gpd.GeoDataFrame) -> None:
    lines = built[built["role"] == "line"]
    assert len(lines) == 17 and lines["plan_item_id"].is_unique
    assert set(built.loc[built["role"] == "station", "name"]) == {
        "庆云站（津潍高铁）", "陵城站（德商高铁，规划）", "临邑站（德商高铁，规划）"}
    canal = built[built["plan_item_id"] == "transport-s18-06"].iloc[0]
    assert canal["source"].startswith("CIA World Data Bank II") and canal["waypoints"].startswith("临清;渡口驿")
    s323 = built[built["plan_item_id"] == "transport-b08-17"].iloc[0]
    assert s323["ref"] == "S323" and s323["waypoints"] == "平原;平原/夏津县界"
