"""Build data/networks/power_plants.geojson and substations.geojson from the shared OSM power extract.

Run: ``.venv/bin/python -m tools.build_energy`` (``--report`` lists every feature kept).

Inputs (read-only, ``geo.paths.SHARED_GEODATA``; provenance in ``SOURCES_POWER_RIVERS.md`` there):
- dezhou_power_plants.geojson             OSM ``power=plant`` polygons (ODbL, OSM extract of 2025-02-06)
- dezhou_substations_220kv_plus.geojson   OSM ``power=substation`` polygons whose ``voltage`` reaches 220 kV
- data/counties.geojson                   the Dezhou outline (union of the counties) for the clip

Kept: every feature within :data:`BUFFER_M` of the Dezhou outline (EPSG:32650), so plants and substations just
across the border that serve Dezhou stay on the map, marked ``inside_dezhou = 0``. Geometry is OSM's own polygon
(real, ``precision = site``); ``lon``/``lat`` is a point on it (shapely ``representative_point``) for the marker.
Substations without a voltage tag are not in the input (OSM tags a voltage on only 75 of 416), so the
substation layer is a lower bound.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.crs import METRIC_CRS, WGS84
from geo.networks import NETWORK_COLUMNS, write_network
from geo.paths import DATA_DIR, NETWORKS_DIR, SHARED_GEODATA

BUFFER_M = 10_000.0
"""Features within this distance (metres, EPSG:32650) of the Dezhou outline are kept."""
ODBL = "ODbL-1.0 (© OpenStreetMap contributors)"
VINTAGE = "OSM extract 2025-02-06"
SOURCE = ("OpenStreetMap power={kind} polygons via GitHub OpenQGIS/OMap-GeoDB@8f3082b "
          "(oData-power/power_polygon_oData.7z), through /work/shared/geodata/{file}")
PLANTS_FILE = "dezhou_power_plants.geojson"
SUBSTATIONS_FILE = "dezhou_substations_220kv_plus.geojson"

#: OSM ``plant:source`` values -> the ``fuel`` codes of the layer (legend and popup words live in i18n).
FUELS: dict[str, str] = {"coal": "coal", "waste": "waste", "biomass": "biomass", "solar": "solar", "gas": "gas",
                         "coal gas": "coal_gas", "waste_heat": "waste_heat"}


def _features(name: str) -> list[dict]:
    with open(SHARED_GEODATA / name, encoding="utf-8") as f:
        return json.load(f)["features"]


def output_mw(value: object) -> float | None:
    """Electrical output in MW from an OSM ``output``/``plant:output:electricity`` string (``2720 MW``,
    ``1920MW``, ``500 kW``); ``yes``, empty or unreadable -> ``None``."""
    m = re.fullmatch(r"\s*([\d.]+)\s*(GW|MW|kW)\s*", str(value or ""), flags=re.IGNORECASE)
    if not m:
        return None
    factor = {"gw": 1000.0, "mw": 1.0, "kw": 0.001}[m.group(2).lower()]
    return round(float(m.group(1)) * factor, 3)


def _near_dezhou(feats: list[dict], outline_m) -> list[tuple[dict, bool]]:  # shapely polygon
    """(feature, inside Dezhou) for the features within :data:`BUFFER_M` of ``outline_m`` (EPSG:32650)."""
    geoms = gpd.GeoSeries([shape(f["geometry"]) for f in feats], crs=WGS84).to_crs(METRIC_CRS)
    near = outline_m.buffer(BUFFER_M)
    return [(f, bool(outline_m.intersects(g))) for f, g in zip(feats, geoms, strict=True) if near.intersects(g)]


def _common(ft: dict, inside: bool, kind: str, file: str) -> dict:
    g = shape(ft["geometry"])
    pt = g.representative_point()
    return {
        "geometry": g, "osm_name": (ft["properties"].get("name") or "").strip(), "mode": kind, "quality": "real",
        "waypoints": "", "precision": "site", "scenario": "2025", "plan_item_id": "", "license": ODBL,
        "source": SOURCE.format(kind="plant" if kind == "power_plant" else "substation", file=file),
        "vintage": VINTAGE, "inside_dezhou": int(inside), "lon": round(pt.x, 6), "lat": round(pt.y, 6),
    }


def build_plants(outline_m) -> list[dict]:
    out = []
    for ft, inside in _near_dezhou(_features(PLANTS_FILE), outline_m):
        p = ft["properties"]
        row = _common(ft, inside, "power_plant", PLANTS_FILE)
        fuel = FUELS.get((p.get("plant_source") or "").strip(), "")
        mw = output_mw(p.get("output"))
        row.update(fuel=fuel, output=(p.get("output") or "").strip(), output_mw=mw, voltage="", max_kv=None)
        row["name"] = row["osm_name"] or "未命名电厂"
        row["name_en"] = "" if row["osm_name"] else "unnamed power plant"
        row["note"] = ("inside Dezhou" if inside else "outside Dezhou (within 10 km)") + (
            "" if row["osm_name"] else "; no name in OSM") + ("" if fuel else "; fuel not tagged in OSM") + (
            "" if mw is not None else "; output not tagged in OSM")
        out.append(row)
    return sorted(out, key=lambda r: (-r["inside_dezhou"], -(r["output_mw"] or 0), r["name"]))


def build_substations(outline_m) -> list[dict]:
    out = []
    for ft, inside in _near_dezhou(_features(SUBSTATIONS_FILE), outline_m):
        p = ft["properties"]
        row = _common(ft, inside, "substation", SUBSTATIONS_FILE)
        kv = float(p["max_kv"])
        row.update(fuel="", output="", output_mw=None, voltage=str(p.get("voltage") or ""), max_kv=kv)
        row["name"] = row["osm_name"] or f"未命名 {kv:g} kV 变电站"
        row["name_en"] = "" if row["osm_name"] else f"unnamed {kv:g} kV substation"
        row["note"] = ("inside Dezhou" if inside else "outside Dezhou (within 10 km)") + (
            "" if row["osm_name"] else "; no name in OSM")
        out.append(row)
    return sorted(out, key=lambda r: (-r["inside_dezhou"], -r["max_kv"], r["lat"], r["lon"]))


def _gdf(name: str, rows: list[dict]) -> gpd.GeoDataFrame:
    cols = NETWORK_COLUMNS[name]
    return gpd.GeoDataFrame([{c: r.get(c, "") for c in cols} | {"geometry": r["geometry"]} for r in rows],
                            geometry="geometry", crs=WGS84)


def dezhou_outline_m(data_dir: Path = DATA_DIR):  # shapely polygon
    """The Dezhou outline (union of data/counties.geojson) in EPSG:32650."""
    counties = gpd.read_file(data_dir / "counties.geojson")
    return counties.to_crs(METRIC_CRS).union_all()


def build(out_dir: Path = NETWORKS_DIR) -> dict[str, gpd.GeoDataFrame]:
    """Build both layers, write them to ``out_dir`` and return them keyed by layer name."""
    outline = dezhou_outline_m()
    layers = {"power_plants": _gdf("power_plants", build_plants(outline)),
              "substations": _gdf("substations", build_substations(outline))}
    for name, gdf in layers.items():
        write_network(gdf, Path(out_dir) / f"{name}.geojson")
    return layers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=NETWORKS_DIR)
    ap.add_argument("--report", action="store_true", help="list every feature kept")
    args = ap.parse_args(argv)
    layers = build(args.out)
    for name, gdf in layers.items():
        print(f"{name}: {len(gdf)} features, {int(gdf['inside_dezhou'].sum())} inside Dezhou")
        if args.report:
            for r in gdf.to_dict("records"):
                what = r.get("fuel") or (f"{r['max_kv']:g} kV" if "max_kv" in r else "fuel not tagged")
                print(f"  {r['name']} | {what} | {r.get('output', '')} | inside={r['inside_dezhou']} | {r['lon']},{r['lat']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
