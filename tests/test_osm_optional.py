"""osmium is an optional extra of the OSM importer: without it, .osm/.pbf files give a clear message (and the
GeoJSON route still works); the app's runtime requirements do not include it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from geo.osm_import import OSMIUM_HINT, OsmiumMissing, import_osm, main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_osmium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "osmium", None)  # `import osmium` now raises ImportError


def test_an_osm_file_without_osmium_says_how_to_install_it(no_osmium, tmp_path, capsys):
    extract = tmp_path / "extract.osm.pbf"
    extract.write_bytes(b"")
    with pytest.raises(OsmiumMissing, match=r"pip install osmium==4\.3\.2"):
        import_osm(extract)
    assert main([str(extract), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: reading .osm/.osm.pbf/.osm.xml files needs the optional package osmium")
    assert not (tmp_path / "out").exists()  # nothing written


def test_geojson_extracts_need_no_osmium(no_osmium, tmp_path):
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"@id": "node/1", "railway": "station", "name": "德州东站", "train": "yes"},
        "geometry": {"type": "Point", "coordinates": [116.38, 37.45]}}]}
    path = tmp_path / "extract.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    stations = import_osm(path)["stations"]
    assert list(stations["name"]) == ["德州东站"]


def test_osmium_is_an_extra_not_a_runtime_requirement():
    runtime = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").lower()
    assert "osmium" not in runtime and "osmium==4.3.2" in dev and "osmium==4.3.2" in OSMIUM_HINT
