"""Read the network layers of data/networks/ (placeholder until the networks module lands)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

NETWORK_LAYERS: tuple[str, ...] = (
    "rail", "stations", "expressways", "trunk_roads", "expressway_entrances", "rivers", "reservoirs", "airports",
    "planned_works",
)


def read_networks(directory: Path) -> dict[str, gpd.GeoDataFrame]:
    """Each network layer as a WGS84 GeoDataFrame; a missing file gives an empty one."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for name in NETWORK_LAYERS:
        path = Path(directory) / f"{name}.geojson"
        if path.is_file():
            out[name] = gpd.read_file(path).to_crs("EPSG:4326")
        else:
            out[name] = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    return out
