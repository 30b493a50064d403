"""Transport and water networks (data/networks/*.geojson), read as GeoDataFrames in WGS84.

Network names and columns follow data/README.md ("networks/"). A missing file yields an empty
GeoDataFrame with the expected columns in EPSG:4326, so callers never have to special-case it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.geofile import GeoFileError, feature_coordinate_problem, looks_like_degrees, read_geodata
from geo.paths import NETWORKS_DIR
from geo.problems import Problem, make
from geo.text import clean_str

#: Region the network files are clipped to (lon_min, lat_min, lon_max, lat_max), WGS84 degrees.
#: Dezhou itself spans about 115.77–117.60 E, 36.40–38.00 N; the margin keeps neighbouring
#: stations and the line ends that give the network its context.
REGION_BBOX: tuple[float, float, float, float] = (115.4, 36.2, 117.9, 38.2)

_COMMON: list[str] = ["name", "name_en", "mode", "quality", "waypoints", "source", "license", "scenario",
                      "plan_item_id", "note"]

#: Network name -> expected property columns (besides ``geometry``).
NETWORK_COLUMNS: dict[str, list[str]] = {
    "rail": [*_COMMON, "ref"],
    "stations": ["name", "name_en", "mode", "quality", "waypoints", "hsr", "passenger", "precision", "source",
                 "license", "scenario", "plan_item_id", "note"],
    "expressways": [*_COMMON, "ref"],
    "trunk_roads": [*_COMMON, "ref"],
    "expressway_entrances": ["name", "name_en", "mode", "quality", "waypoints", "ref", "precision", "source",
                             "license", "scenario", "plan_item_id", "note"],
    "rivers": [*_COMMON, "aliases", "accuracy", "name_certainty"],
    "reservoirs": [*_COMMON, "precision"],
    "airports": [*_COMMON, "ref", "precision"],
    "planned_works": [*_COMMON, "ref", "role", "precision"],
    # existing energy (OSM polygons; lon/lat = a point on the polygon for the marker; see tools/build_energy.py)
    "power_plants": [*_COMMON, "osm_name", "fuel", "output", "output_mw", "precision", "vintage", "inside_dezhou",
                     "lon", "lat"],
    "substations": [*_COMMON, "osm_name", "voltage", "max_kv", "precision", "vintage", "inside_dezhou", "lon", "lat"],
}

#: The fixed plan-item ids of the transport works (docs/ARCHITECTURE.md); planned_works keys on them.
TRANSPORT_PLAN_IDS: frozenset[str] = frozenset(
    [f"transport-b08-{i:02d}" for i in range(1, 25)] + [f"transport-s18-{i:02d}" for i in range(1, 10)]
)


def empty_network(name: str) -> gpd.GeoDataFrame:
    """An empty GeoDataFrame (EPSG:4326) with the columns of network ``name``."""
    cols = NETWORK_COLUMNS.get(name, _COMMON)
    return gpd.GeoDataFrame({c: pd.Series(dtype="object") for c in ["id", *cols]}, geometry=gpd.GeoSeries([], crs=WGS84),
                            crs=WGS84)


def read_network(path: Path, name: str, problems: list[Problem] | None = None) -> gpd.GeoDataFrame:
    """Read one network GeoJSON (WGS84); missing or empty file -> :func:`empty_network`.

    Missing expected columns are added (empty); extra columns are kept. Every feature gets its stable ``id``
    (:func:`feature_ids`) unless the file gives one. A file that cannot be read, or whose
    coordinates are not degrees without a declared CRS, raises :class:`geo.geofile.GeoFileError` — or, when
    ``problems`` is given, is reported there (file-level error) and read as :func:`empty_network`; features with
    coordinates that cannot be drawn (NaN, infinite, huge) are reported and dropped.
    """
    path = Path(path)
    if not path.is_file():
        return empty_network(name)
    try:
        gdf = read_geodata(path)
        if (gdf.crs is None or gdf.crs.is_geographic) and not looks_like_degrees(gdf):
            raise GeoFileError(f"{path.name}: coordinates are not longitude/latitude degrees and no CRS is declared",
                               code="not_degrees")
    except GeoFileError as exc:
        if problems is None:
            raise
        problems.append(make(f"networks/{path.name}", None, None, exc.code, str(exc)))
        return empty_network(name)
    bad = [i for i, g in enumerate(gdf.geometry) if feature_coordinate_problem(g)]
    for i in bad:
        if problems is None:
            raise GeoFileError(f"{path.name}: feature {i + 1} has coordinates that cannot be drawn", code="bad_coords")
        problems.append(make(f"networks/{path.name}", i + 1, "geometry", "feature_bad_coords",
                             f"feature {i + 1}: coordinates are not finite numbers (NaN, infinite or huge); "
                             "feature not used", n=i + 1))
    gdf = gdf.drop(index=gdf.index[bad]) if bad else gdf
    if gdf.empty:
        return empty_network(name)
    gdf = gdf.set_crs(WGS84, allow_override=True) if gdf.crs is None else gdf.to_crs(WGS84)
    for col in NETWORK_COLUMNS.get(name, _COMMON):
        if col not in gdf.columns:
            gdf[col] = None
    for col in ("waypoints", "plan_item_id", "note", "ref"):
        if col in gdf.columns:
            gdf[col] = gdf[col].fillna("")
    return with_feature_ids(gdf, name)


def with_feature_ids(gdf: gpd.GeoDataFrame, network: str) -> gpd.GeoDataFrame:
    """``gdf`` (a copy) whose every feature has its stable ``id``: the one the file gives, else
    :func:`feature_ids`. Every network of ``PlanData`` has it; the map's click matching relies on it."""
    given = gdf["id"].map(clean_str) if "id" in gdf.columns else pd.Series("", index=gdf.index)
    return gdf.assign(id=[g or f for g, f in zip(given, feature_ids(gdf, network), strict=True)])


def feature_ids(gdf: gpd.GeoDataFrame, network: str) -> list[str]:
    """Stable ids of the features of ``network``: ``<network>:<name>`` (``rivers:徒骇河``), ``:2``, ``:3`` … added
    for a name used again, ``<network>:#<n>`` (1-based position) for a feature without a name."""
    names = gdf["name"].map(clean_str) if "name" in gdf.columns else pd.Series("", index=gdf.index)
    seen: dict[str, int] = {}
    out = []
    for pos, name in enumerate(names, start=1):
        if not name:
            out.append(f"{network}:#{pos}")
            continue
        seen[name] = seen.get(name, 0) + 1
        out.append(f"{network}:{name}" + (f":{seen[name]}" if seen[name] > 1 else ""))
    return out


def read_networks(directory: Path | str = NETWORKS_DIR,
                  problems: list[Problem] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """All networks of ``directory`` keyed by network name (rail, stations, expressways, …), EPSG:4326
    (``problems``: see :func:`read_network`)."""
    d = Path(directory)
    return {name: read_network(d / f"{name}.geojson", name, problems) for name in NETWORK_COLUMNS}


def write_network(gdf: gpd.GeoDataFrame, path: Path | str) -> None:
    """Write a network as RFC 7946 GeoJSON (WGS84, no ``crs`` member, 6 decimals), one feature per line."""
    import json

    from shapely import set_precision

    out = gdf.to_crs(WGS84) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf
    feats = []
    if len(out):
        out = out.set_geometry(set_precision(out.geometry.values, 1e-6))
        feats = json.loads(out.to_json(drop_id=True, to_wgs84=False))["features"]
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False) for ft in feats))
        f.write("\n]}\n")
