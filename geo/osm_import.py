"""Replace the schematic networks with a real OpenStreetMap extract.

``import_osm(path, bbox=None)`` reads an ``.osm.pbf`` / ``.osm`` / ``.osm.xml`` file (pyosmium, an optional
package: without it these files give :class:`OsmiumMissing` saying how to install it) or a GeoJSON file
whose features carry OSM tags as properties (e.g. an Overpass/osmtogeojson export), and returns the networks
``rail``, ``stations``, ``expressways``, ``trunk_roads``, ``expressway_entrances``, ``rivers`` and ``airports`` as
GeoDataFrames in WGS84 (EPSG:4326), with the columns of data/README.md ("networks/"). Every feature is
``quality = real``, ``source = "OpenStreetMap (user extract FILE)"``, ``license`` ODbL.

CLI: ``python -m geo.osm_import FILE [--out data/networks] [--bbox W,S,E,N]`` writes the non-empty networks
(networks the extract does not contain are left as they are, unless ``--write-empty``).

Ways are merged per (network, name, mode, ref) into one (Multi)LineString, so a line split into many OSM ways is one
feature. Railway sidings/yards/spurs (``service=*``) and abandoned/disused lines are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString, MultiLineString, Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

from geo.crs import WGS84
from geo.geofile import feature_coordinate_problem
from geo.networks import NETWORK_COLUMNS, empty_network, write_network
from geo.paths import NETWORKS_DIR
from geo.problems import Problem, make

ODBL = "ODbL-1.0 (© OpenStreetMap contributors)"
IMPORT_NETWORKS: tuple[str, ...] = ("rail", "stations", "expressways", "trunk_roads", "expressway_entrances",
                                  "rivers", "airports")
_NON_TRAIN_STATIONS = {"subway", "light_rail", "monorail", "funicular", "tram"}
_HSR_USAGE = {"high_speed", "highspeed"}

Tags = dict[str, str]
Bbox = tuple[float, float, float, float]


# --------------------------------------------------------------------------------------- classification
def _is_yes(v: str | None) -> bool:
    return (v or "").lower() in ("yes", "true", "1")


def rail_mode(tags: Tags) -> str | None:
    """``hsr`` / ``rail`` for a main railway way, ``None`` for anything else (sidings, metro, disused …)."""
    if tags.get("railway") != "rail" or tags.get("service"):
        return None
    if _is_yes(tags.get("highspeed")) or tags.get("usage") in _HSR_USAGE:
        return "hsr"
    try:
        if float((tags.get("maxspeed") or "0").split()[0]) >= 250:
            return "hsr"
    except ValueError:
        pass
    return "rail"


def is_train_station(tags: Tags) -> bool:
    """railway=station/halt, or public_transport=station with train=yes; not metro/tram stations."""
    if tags.get("station") in _NON_TRAIN_STATIONS or tags.get("subway") == "yes":
        return False
    if tags.get("railway") in ("station", "halt"):
        return True
    return tags.get("public_transport") == "station" and _is_yes(tags.get("train"))


def line_network(tags: Tags) -> tuple[str, str] | None:
    """(network, mode) of a line way, or ``None`` when the way is of no interest."""
    mode = rail_mode(tags)
    if mode:
        return "rail", mode
    hw = tags.get("highway")
    if hw in ("motorway", "motorway_link"):
        return "expressways", "expressway" if hw == "motorway" else "expressway_link"
    if hw in ("trunk", "primary"):
        return "trunk_roads", hw
    ww = tags.get("waterway")
    if ww in ("river", "canal"):
        return "rivers", ww
    if tags.get("aeroway") == "runway":
        return "airports", "runway"
    return None


def _names(tags: Tags) -> tuple[str, str]:
    name = tags.get("name:zh") or tags.get("name") or ""
    name_en = tags.get("name:en") or ""
    return name, name_en


# --------------------------------------------------------------------------------------- readers
OSMIUM_HINT = ("reading .osm/.osm.pbf/.osm.xml files needs the optional package osmium (pyosmium), which the app "
               "does not install: pip install osmium==4.3.2 (it is in requirements-dev.txt), or give a GeoJSON export "
               "with OSM tags instead")


class OsmiumMissing(ImportError):
    """The optional package osmium is not installed (the message says how to install it)."""


def require_osmium() -> None:
    """Raise :class:`OsmiumMissing` (with :data:`OSMIUM_HINT`) when the optional package osmium is absent."""
    try:
        import osmium  # noqa: F401
    except ImportError as exc:
        raise OsmiumMissing(OSMIUM_HINT) from exc


class OsmImportError(ValueError):
    """The extract cannot be imported (not readable, not GeoJSON); ``str()`` says why in plain words."""


def _iter_osm(path: Path, problems: list[Problem] | None = None) -> Iterator[tuple[str, int, Tags, object, list[int]]]:
    """Yield (kind, id, tags, geometry, node_ids) for the nodes and ways of interest of an OSM file."""
    try:
        yield from _iter_osm_objects(path)
    except OsmImportError:
        raise
    except Exception as exc:  # shapely/GEOS reject malformed coordinates in many ways  # osmium raises RuntimeError and others for a broken file
        raise OsmImportError(f"{path.name} is not a readable OSM file (.osm.pbf, .osm, .osm.xml): "
                             f"{type(exc).__name__}") from exc


def _iter_osm_objects(path: Path) -> Iterator[tuple[str, int, Tags, object, list[int]]]:
    import osmium

    for o in osmium.FileProcessor(str(path)).with_locations():
        if isinstance(o, osmium.osm.Node):
            tags = dict(o.tags)
            if is_train_station(tags) or tags.get("highway") == "motorway_junction":
                yield "node", o.id, tags, Point(o.location.lon, o.location.lat), []
        elif isinstance(o, osmium.osm.Way):
            tags = dict(o.tags)
            if line_network(tags) is None and not is_train_station(tags):
                continue
            coords = [(n.lon, n.lat) for n in o.nodes if n.location.valid()]
            if len(coords) < 2:
                continue
            yield "way", o.id, tags, LineString(coords), [n.ref for n in o.nodes]


def _open_rings(geometry: dict) -> bool:
    """True when a GeoJSON (Multi)Polygon has a ring whose last position does not repeat its first."""
    polys = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry.get("coordinates")}.get(
        str(geometry.get("type")), [])
    return any(isinstance(ring, list) and len(ring) > 0 and ring[0] != ring[-1]
               for poly in polys or [] if isinstance(poly, list) for ring in poly)


def _feature_geometry(ft: dict, n: int, file: str, problems: list[Problem] | None) -> BaseGeometry | None:
    """The shapely geometry of GeoJSON feature number ``n`` (1-based), or ``None`` (reported) when it is unusable:
    not a geometry, an unclosed ring, coordinates that are not finite (NaN, 1e308) or not degrees."""
    def bad(code: str, message: str) -> None:
        if problems is not None:
            problems.append(make(file, n, "geometry", code, f"feature {n}: {message}; feature skipped", "warning", n=n))

    g = ft.get("geometry")
    if not isinstance(g, dict):
        bad("osm_bad_geometry", "the geometry is not a GeoJSON geometry")
        return None
    if _open_rings(g):
        bad("ring_not_closed", "a polygon ring is not closed (its last point must repeat its first)")
        return None
    try:
        geom = shape(g)
    except Exception as exc:
        bad("osm_bad_geometry", f"the geometry cannot be read ({type(exc).__name__})")
        return None
    if feature_coordinate_problem(geom):
        bad("feature_bad_coords", "coordinates are not finite numbers (NaN, infinite or huge)")
        return None
    x0, y0, x1, y1 = geom.bounds if not geom.is_empty else (0.0, 0.0, 0.0, 0.0)
    if min(x0, x1) < -180 or max(x0, x1) > 180 or min(y0, y1) < -90 or max(y0, y1) > 90:
        bad("osm_not_degrees", "coordinates are not longitude/latitude degrees (WGS84 expected)")
        return None
    return geom


def _iter_geojson(path: Path, problems: list[Problem] | None = None) -> Iterator[tuple[str, int, Tags, object, list[int]]]:
    try:
        doc = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise OsmImportError(f"{path.name} is not UTF-8 text (GeoJSON must be UTF-8)") from exc
    except json.JSONDecodeError as exc:
        raise OsmImportError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise OsmImportError(f"{path.name} is not a GeoJSON FeatureCollection (no 'features' list)")
    for i, ft in enumerate(doc["features"]):
        if not isinstance(ft, dict):
            if problems is not None:
                problems.append(make(path.name, i + 1, None, "osm_bad_geometry",
                                     f"feature {i + 1}: not a GeoJSON feature; feature skipped", "warning", n=i + 1))
            continue
        props = dict(ft.get("properties") or {})
        nested = props.pop("tags", None)
        if isinstance(nested, dict):
            props.update(nested)
        tags = {str(k): str(v) for k, v in props.items() if v is not None}
        if ft.get("geometry") is None:
            continue
        geom = _feature_geometry(ft, i + 1, path.name, problems)
        if geom is None:
            continue
        kind = "node" if geom.geom_type == "Point" else "way"
        raw_id = str(props.get("@id") or props.get("id") or i)
        try:
            fid = int(raw_id.rsplit("/", 1)[-1])
        except ValueError:
            fid = i
        yield kind, fid, tags, geom, []


# --------------------------------------------------------------------------------------- import
def _base(tags: Tags, source: str) -> dict:
    name, name_en = _names(tags)
    return {"name": name, "name_en": name_en, "quality": "real", "waypoints": "", "source": source,
            "license": ODBL, "scenario": "2025", "plan_item_id": "", "ref": tags.get("ref", "")}


def _clip_line(geom, region):
    if region is None:
        return geom
    g = geom.intersection(region)
    if g.is_empty:
        return None
    parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "LineString"]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def _frame(name: str, rows: list[dict]) -> gpd.GeoDataFrame:
    if not rows:
        return empty_network(name)
    cols = NETWORK_COLUMNS[name]
    for r in rows:
        for c in cols:
            r.setdefault(c, "")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


GroupKey = tuple[str, str, str, str, str]
"""(network, mode, name, name_en, ref): the ways of one line, merged into one feature."""


@dataclass
class _Collected:
    """What one pass over the extract finds: line parts per group, stations, motorway junctions."""

    groups: dict[GroupKey, list] = field(default_factory=lambda: defaultdict(list))
    group_tags: dict[GroupKey, Tags] = field(default_factory=dict)
    stations: list[dict] = field(default_factory=list)
    junctions: list[tuple[int, Tags, Point]] = field(default_factory=list)
    motorway_ref_at_node: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def _collect(records: Iterable, region: BaseGeometry | None) -> _Collected:
    """Sort the extract's nodes and ways into stations, junctions and line parts (clipped to ``region``)."""
    found = _Collected()
    for kind, fid, tags, geom, node_ids in records:
        if kind == "node" or geom.geom_type == "Point":
            if region is not None and not region.contains(geom):
                continue
            if tags.get("highway") == "motorway_junction":
                found.junctions.append((fid, tags, geom))
            elif is_train_station(tags):
                found.stations.append({"geometry": geom, "tags": tags})
            continue
        if is_train_station(tags) and line_network(tags) is None:  # station mapped as an area/way
            pt = geom.centroid
            if region is None or region.contains(pt):
                found.stations.append({"geometry": Point(pt.x, pt.y), "tags": tags})
            continue
        network_mode = line_network(tags)
        if network_mode is None:
            continue
        network, mode = network_mode
        if network == "expressways" and tags.get("ref"):
            for nid in node_ids:
                found.motorway_ref_at_node[nid].add(tags["ref"])
        g = _clip_line(geom, region)
        if g is None:
            continue
        name, name_en = _names(tags)
        key = (network, mode, name, name_en, tags.get("ref", ""))
        found.groups[key].extend(getattr(g, "geoms", [g]))
        found.group_tags.setdefault(key, tags)
    return found


def _line_rows(found: _Collected, source: str) -> dict[str, list[dict]]:
    """One row per group of ways (merged), by network; every network of :data:`IMPORT_NETWORKS` present."""
    rows: dict[str, list[dict]] = {name: [] for name in IMPORT_NETWORKS}
    for key, parts in found.groups.items():
        network, mode = key[0], key[1]
        merged = linemerge(MultiLineString(parts)) if len(parts) > 1 else parts[0]
        row = _base(found.group_tags[key], source) | {"mode": mode, "geometry": merged}
        if network == "airports":
            row["precision"] = "site"
            if not row["name"]:
                row["name"] = "unnamed runway (OSM)"
        if not row["name"]:
            row["name"] = f"unnamed {mode} (OSM)"
        rows[network].append(row)
    return rows


def _station_rows(found: _Collected, hsr_lines: list[BaseGeometry], source: str) -> list[dict]:
    """Station rows; ``hsr`` when the station lies within ~300 m (0.003°) of a high-speed line of the extract."""
    out = []
    for st in found.stations:
        tags = st["tags"]
        pt = st["geometry"]
        freight = tags.get("usage") == "freight" or tags.get("railway:traffic_mode") == "freight"
        near_hsr = any(line.distance(pt) < 0.003 for line in hsr_lines)
        row = _base(tags, source) | {"mode": "rail", "geometry": pt, "hsr": int(near_hsr),
                                     "passenger": 0 if freight else 1, "precision": "site"}
        if not row["name"]:
            row["name"] = "unnamed station (OSM)"
        out.append(row)
    return out


def _entrance_rows(found: _Collected, source: str) -> list[dict]:
    """Expressway entrance rows from motorway junctions, with the refs of the motorways through the node."""
    out = []
    for nid, tags, pt in found.junctions:
        row = _base(tags, source) | {"mode": "expressway_entrance", "geometry": pt, "precision": "site",
                                     "ref": ";".join(sorted(found.motorway_ref_at_node.get(nid, set()))),
                                     "note": f"junction ref {tags['ref']}" if tags.get("ref") else ""}
        if not row["name"]:
            row["name"] = f"junction {tags.get('ref', nid)} (OSM)"
        out.append(row)
    return out


def import_osm(path: Path | str, *, bbox: Bbox | None = None,
               problems: list[Problem] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Networks from an OSM extract (pbf/osm/xml or GeoJSON with OSM tags), WGS84.

    ``bbox``: (lon_min, lat_min, lon_max, lat_max) in degrees; points outside are dropped, lines clipped.
    Returns a dict with the keys of :data:`IMPORT_NETWORKS` (empty GeoDataFrames where nothing was found).
    A file that cannot be read raises :class:`OsmImportError` (plain words); GeoJSON features with unusable
    geometry (unclosed ring, NaN/infinite/huge or non-degree coordinates) are skipped and, when ``problems`` is
    given, reported there (file, feature number).
    """
    path = Path(path)
    source = f"OpenStreetMap (user extract {path.name})"
    region = box(*bbox) if bbox is not None else None
    suffixes = "".join(path.suffixes).lower()
    is_geojson = suffixes.endswith(("json", "geojson"))
    if not is_geojson:
        require_osmium()  # before reading: a missing package is not a broken file
    records: Iterable = _iter_geojson(path, problems) if is_geojson else _iter_osm(path, problems)

    found = _collect(records, region)
    rows = _line_rows(found, source)
    hsr_lines = [r["geometry"] for r in rows["rail"] if r["mode"] == "hsr"]
    rows["stations"].extend(_station_rows(found, hsr_lines, source))
    rows["expressway_entrances"].extend(_entrance_rows(found, source))
    return {name: _frame(name, r) for name, r in rows.items()}


def write_networks(networks: dict[str, gpd.GeoDataFrame], out_dir: Path | str, *,
                 write_empty: bool = False) -> list[Path]:
    """Write each (non-empty, unless ``write_empty``) network to ``out_dir/<name>.geojson``; returns the paths."""
    written = []
    for name, gdf in networks.items():
        if gdf.empty and not write_empty:
            continue
        p = Path(out_dir) / f"{name}.geojson"
        write_network(gdf, p)
        written.append(p)
    return written


def _parse_bbox(text: str) -> Bbox:
    try:
        parts = [float(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("bbox must be W,S,E,N (four numbers)") from None
    if len(parts) != 4:
        raise argparse.ArgumentTypeError("bbox must be W,S,E,N")
    return parts[0], parts[1], parts[2], parts[3]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.osm_import",
                                 description="Write data/networks networks from an OpenStreetMap extract.")
    ap.add_argument("file", type=Path, help=".osm.pbf, .osm, .osm.xml or GeoJSON with OSM tags")
    ap.add_argument("--out", type=Path, default=NETWORKS_DIR)
    ap.add_argument("--bbox", type=_parse_bbox, default=None, help="W,S,E,N in degrees (WGS84)")
    ap.add_argument("--write-empty", action="store_true", help="also overwrite networks the extract does not contain")
    args = ap.parse_args(argv)
    problems: list[Problem] = []
    try:
        networks = import_osm(args.file, bbox=args.bbox, problems=problems)
    except OsmiumMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OsmImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {args.file.name}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    for p in problems:
        print(p)
    written = write_networks(networks, args.out, write_empty=args.write_empty)
    for name, gdf in networks.items():
        status = "written" if Path(args.out) / f"{name}.geojson" in written else "kept (none in extract)"
        print(f"{name}: {len(gdf)} features, {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
