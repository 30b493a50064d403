"""Tests of geo.osm_import on tiny extracts written inside the test with osmium's SimpleWriter."""

from __future__ import annotations

import json
from pathlib import Path

import osmium
import pytest
from osmium.osm.mutable import Node, Way

from geo.networks import read_networks
from geo.osm_import import import_osm, main

# node id -> (lon, lat, tags)
NODES: dict[int, tuple[float, float, dict[str, str]]] = {
    # motorway G2 with a junction in the middle
    1: (116.40, 37.40, {}),
    2: (116.42, 37.30, {"highway": "motorway_junction", "name": "平原", "ref": "312"}),
    3: (116.45, 37.20, {}),
    # high-speed railway with a station on it, and a conventional line
    10: (116.45, 37.45, {}),
    11: (116.4558, 37.4089, {"railway": "station", "name": "德州东", "name:en": "Dezhou East"}),
    12: (116.5763, 37.2173, {}),
    13: (116.28, 37.45, {"railway": "station", "name": "德州", "usage": "main"}),
    14: (116.33, 37.35, {}),
    # a metro station that must not count as a train station
    15: (116.30, 37.44, {"railway": "station", "station": "subway", "name": "地铁站"}),
    # river
    20: (116.00, 36.90, {}),
    21: (116.20, 37.10, {}),
    22: (116.50, 37.30, {}),
    # a node far outside the bbox used in one test
    30: (120.0, 30.0, {"railway": "station", "name": "远处"}),
}
WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    100: ([1, 2], {"highway": "motorway", "ref": "G2", "name": "京沪高速"}),
    101: ([2, 3], {"highway": "motorway", "ref": "G2", "name": "京沪高速"}),
    102: ([2, 14], {"highway": "motorway_link"}),
    110: ([10, 11, 12], {"railway": "rail", "highspeed": "yes", "name": "京沪高铁", "usage": "main"}),
    111: ([13, 14], {"railway": "rail", "name": "京沪铁路", "usage": "main"}),
    112: ([13, 15], {"railway": "rail", "service": "siding"}),
    120: ([20, 21], {"waterway": "river", "name": "马颊河"}),
    121: ([21, 22], {"waterway": "river", "name": "马颊河"}),
    130: ([1, 14], {"highway": "primary", "ref": "G104", "name": "104国道"}),
}


def _write_extract(path: Path) -> Path:
    with osmium.SimpleWriter(str(path)) as w:
        for nid, (lon, lat, tags) in NODES.items():
            w.add_node(Node(id=nid, location=(lon, lat), tags=tags))
        for wid, (refs, tags) in WAYS.items():
            w.add_way(Way(id=wid, nodes=refs, tags=tags))
    return path


@pytest.fixture(params=["extract.osm", "extract.osm.pbf"])
def extract(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return _write_extract(tmp_path / request.param)


def test_layers_counts_names_modes(extract: Path) -> None:
    networks = import_osm(extract)
    # two motorway ways of G2 are merged into one line; the link is its own feature
    ex = networks["expressways"]
    assert sorted(ex["mode"]) == ["expressway", "expressway_link"]
    g2 = ex[ex["ref"] == "G2"].iloc[0]
    assert g2["name"] == "京沪高速" and g2["quality"] == "real"
    assert g2.geometry.geom_type == "LineString"
    assert list(g2.geometry.coords) == [(116.40, 37.40), (116.42, 37.30), (116.45, 37.20)]

    rail = networks["rail"].set_index("name")
    assert len(rail) == 2  # the siding is skipped
    assert rail.loc["京沪高铁", "mode"] == "hsr"
    assert rail.loc["京沪铁路", "mode"] == "rail"

    st = networks["stations"].set_index("name")
    assert sorted(st.index) == ["德州", "德州东", "远处"]  # no metro station
    assert st.loc["德州东", "hsr"] == 1 and st.loc["德州", "hsr"] == 0
    assert st.loc["德州东", "name_en"] == "Dezhou East"
    assert st.loc["德州东", "geometry"].x == pytest.approx(116.4558)
    assert st.loc["德州东", "geometry"].y == pytest.approx(37.4089)
    assert (st["precision"] == "site").all() and (st["passenger"] == 1).all()

    ent = networks["expressway_entrances"]
    assert len(ent) == 1
    e = ent.iloc[0]
    assert e["name"] == "平原" and e["ref"] == "G2" and e["precision"] == "site"
    assert (e.geometry.x, e.geometry.y) == pytest.approx((116.42, 37.30))

    tr = networks["trunk_roads"]
    assert list(tr["ref"]) == ["G104"] and list(tr["mode"]) == ["primary"]

    rv = networks["rivers"]
    assert list(rv["name"]) == ["马颊河"] and list(rv["mode"]) == ["river"]
    assert len(rv.geometry.iloc[0].coords) == 3

    for gdf in networks.values():
        if len(gdf):
            assert gdf.crs.to_epsg() == 4326
            assert (gdf["license"].str.contains("ODbL")).all()
            assert (gdf["source"] == f"OpenStreetMap (user extract {extract.name})").all()
            assert (gdf["quality"] == "real").all()


def test_bbox_drops_points_and_clips_lines(extract: Path) -> None:
    networks = import_osm(extract, bbox=(116.1, 36.0, 117.0, 38.0))
    assert "远处" not in set(networks["stations"]["name"])
    river = networks["rivers"].geometry.iloc[0]
    assert river.bounds[0] == pytest.approx(116.1)  # clipped at the west edge of the bbox


def test_geojson_input_with_osm_tags(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"@id": "way/5", "railway": "rail", "usage": "high_speed", "name": "石济客专"},
         "geometry": {"type": "LineString", "coordinates": [[116.4558, 37.4089], [116.5763, 37.2173]]}},
        {"type": "Feature", "properties": {"tags": {"public_transport": "station", "train": "yes", "name": "平原东"}},
         "geometry": {"type": "Point", "coordinates": [116.5763, 37.2173]}},
        {"type": "Feature", "properties": {"waterway": "canal", "name": "南运河"},
         "geometry": {"type": "LineString", "coordinates": [[116.2, 37.3], [116.3, 37.5]]}},
        {"type": "Feature", "properties": {"highway": "residential"},
         "geometry": {"type": "LineString", "coordinates": [[116.2, 37.3], [116.3, 37.5]]}},
    ]}
    p = tmp_path / "extract.geojson"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    networks = import_osm(p)
    assert list(networks["rail"]["mode"]) == ["hsr"]
    assert list(networks["stations"]["name"]) == ["平原东"]
    assert networks["stations"]["hsr"].iloc[0] == 1
    assert list(networks["rivers"]["mode"]) == ["canal"]
    assert networks["expressways"].empty and networks["trunk_roads"].empty


@pytest.mark.slow
def test_cli_writes_layers_readable_by_read_networks(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _write_extract(tmp_path / "x.osm.pbf")
    out = tmp_path / "networks"
    out.mkdir()
    (out / "airports.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert main([str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "rail: 2 features, written" in printed
    assert "airports: 0 features, kept" in printed
    nets = read_networks(out)
    assert len(nets["rail"]) == 2 and len(nets["stations"]) == 3
    assert nets["expressway_entrances"]["ref"].iloc[0] == "G2"
    doc = json.loads((out / "rail.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc
