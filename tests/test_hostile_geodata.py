"""Boundary files and OSM extracts with hostile coordinates (issue 9 defect 5): a file in metres without a CRS, a
file outside Dezhou, garbage, NaN / 1e308 coordinates and unclosed rings give clear errors — never a traceback,
never towns that "vanish off the map" — in the validator, the app (loader) and the OSM importer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo.load import OFFICIAL_TOWN_DIR, load_all
from geo.paths import DATA_DIR, PROJECT_ROOT
from i18n import t
from tests.apptest_support import APP, folium_components, plain

pytestmark = pytest.mark.slow


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    (d / OFFICIAL_TOWN_DIR).mkdir()
    return d


def _towns_fc(crs: str = "EPSG:4326") -> dict:
    """The approximate town areas of data/ as a FeatureCollection in ``crs`` (no ``crs`` member: GeoJSON's
    coordinates are then read as undeclared)."""
    g = gpd.read_file(DATA_DIR / "town_areas.geojson")[["code", "name_zh", "geometry"]].to_crs(crs)
    return json.loads(g.to_json(drop_id=True, to_wgs84=False))


def _drop(d: Path, fc: dict | str) -> Path:
    p = d / OFFICIAL_TOWN_DIR / "towns.geojson"
    p.write_text(fc if isinstance(fc, str) else json.dumps(fc), encoding="utf-8")
    return p


def _validate(d: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo.validate", "--data", str(d), "--quiet-warnings"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def _codes(d: Path) -> tuple[list[str], gpd.GeoDataFrame]:
    data = load_all(d)
    return [p.code for p in data.problems], data.town_areas


def test_boundary_file_in_metres_without_crs_is_refused(data_copy: Path) -> None:
    fc = _towns_fc("EPSG:32650")
    fc.pop("crs", None)
    _drop(data_copy, fc)
    codes, areas = _codes(data_copy)
    assert "boundary_not_degrees" in codes
    # the approximate areas stay: no town vanishes off the map
    assert len(areas) == 134 and set(areas["method"]) == set(gpd.read_file(DATA_DIR / "town_areas.geojson")["method"])
    assert areas.total_bounds[0] > 115 and areas.total_bounds[2] < 118
    r = _validate(data_copy)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert "towns.geojson: error:" in r.stdout and "not longitude/latitude degrees" in r.stdout


def test_boundary_file_outside_dezhou_is_refused(data_copy: Path) -> None:
    g = gpd.read_file(DATA_DIR / "town_areas.geojson")[["code", "name_zh", "geometry"]]
    g["geometry"] = g.geometry.translate(xoff=10.0)  # somewhere in the sea east of China
    _drop(data_copy, g.to_json(drop_id=True))
    codes, areas = _codes(data_copy)
    assert "boundary_outside_area" in codes and len(areas) == 134


def test_bad_coordinates_skip_their_feature_only(data_copy: Path) -> None:
    fc = _towns_fc()
    fc["features"][0]["geometry"]["coordinates"][0][1] = [1e308, 37.0]
    fc["features"][1]["geometry"] = {"type": "Point", "coordinates": [116.3, 37.4]}
    _drop(data_copy, fc)
    data = load_all(data_copy)
    bad = [p for p in data.problems if p.code == "feature_bad_coords"]
    assert [(p.file, p.row) for p in bad] == [("towns.geojson", 1)]
    official = data.town_areas[data.town_areas["method"].str.startswith("official")]
    assert len(official) == 132  # every other feature is used (feature 2 is a point: not a polygon)
    assert fc["features"][0]["properties"]["code"] not in set(official["code"])


@pytest.mark.apptest
def test_unclosed_ring_and_garbage_are_clear_errors_in_validator_and_app(data_copy: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fc = _towns_fc()
    fc["features"][0]["geometry"]["coordinates"][0].pop()  # the ring no longer repeats its first point
    _drop(data_copy, fc)
    codes, areas = _codes(data_copy)
    assert "ring_not_closed" in codes and len(areas) == 134
    r = _validate(data_copy)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr and "ring is not closed" in r.stdout
    (data_copy / "networks" / "stations.geojson").write_text('{"type":"FeatureCollection","features":[{"type":'
                                                             '"Feature","properties":{"name":"x"},"geometry":'
                                                             '{"type":"Point","coordinates":[NaN, 37.4]}}]}')
    monkeypatch.setenv("DEZHOU_DATA_DIR", str(data_copy))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    [err] = [plain(e.value) for e in at.error]
    assert t("validate.ring_not_closed", "zh") in err
    assert t("validate.feature_bad_coords", "zh", n=1) in err and "networks/stations.geojson" in err
    assert str(data_copy) not in err
    assert len(folium_components(at)) == 1


def _osm(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo.osm_import", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("name,content,message", [
    ("x.geojson", b"\xff\xfe\x00 garbage \x81", "is not UTF-8 text"),
    ("x.geojson", b'{"type": "FeatureCollection", "features": [', "is not valid JSON"),
    ("x.geojson", b'{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
    ("x.osm.pbf", b"garbage garbage garbage", "is not a readable OSM file"),
])
def test_osm_importer_refuses_garbage_in_plain_words(tmp_path: Path, name: str, content: bytes,
                                                      message: str) -> None:
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    r = _osm([str(tmp_path / name), "--out", str(out)])
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert r.stderr.startswith("error: ") and message in r.stderr
    assert list(out.iterdir()) == []  # nothing written


def test_osm_importer_skips_bad_features_and_keeps_the_good(tmp_path: Path) -> None:
    rail = {"railway": "rail", "name": "京沪高铁", "highspeed": "yes"}
    features = [
        {"type": "Feature", "properties": rail,
         "geometry": {"type": "LineString", "coordinates": [[116.3, 37.4], [116.4, 37.5]]}},
        {"type": "Feature", "properties": {"railway": "rail", "name": "坏线"},
         "geometry": {"type": "LineString", "coordinates": [[116.3, 37.4], [1e308, 37.5]]}},
        {"type": "Feature", "properties": {"railway": "station", "name": "坏站"},
         "geometry": {"type": "Polygon", "coordinates": [[[116.3, 37.4], [116.31, 37.4], [116.31, 37.41]]]}},
        {"type": "Feature", "properties": {"railway": "station", "name": "米站"},
         "geometry": {"type": "Point", "coordinates": [452000.0, 4140000.0]}},
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}).replace("1e+308", "1e308")
    src = tmp_path / "extract.geojson"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    r = _osm([str(src), "--out", str(out)])
    assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert any(ln.startswith("extract.geojson:row 2:geometry: warning: feature 2: coordinates are not finite")
               for ln in lines), lines
    assert any(ln.startswith("extract.geojson:row 3:geometry: warning: feature 3: a polygon ring is not closed")
               for ln in lines), lines
    assert any(ln.startswith("extract.geojson:row 4:geometry: warning: feature 4: coordinates are not longitude")
               for ln in lines), lines
    rail_out = gpd.read_file(out / "rail.geojson")
    assert list(rail_out["name"]) == ["京沪高铁"]
    assert not (out / "stations.geojson").exists()
