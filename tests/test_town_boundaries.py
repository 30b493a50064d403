"""Loading a user's official township boundary file (geo/town_boundaries.py) with tiny hand-made files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from geo.crs import WGS84, to_gcj02
from geo.paths import SHARED_GEODATA
from geo.town_boundaries import GCJ02DatumError, check_datum, load_official_town_boundaries

# two hand-made "counties" (≈ 18 km x 22 km each) and four towns, two per county
COUNTIES = gpd.GeoDataFrame(
    {"adcode": ["371402", "371403"]},
    geometry=[box(116.2, 37.3, 116.4, 37.5), box(116.4, 37.3, 116.6, 37.5)],
    crs=WGS84,
)
TOWNS = pd.DataFrame(
    {
        "code": ["371402001000", "371402101000", "371403001000", "371403101000"],
        "name_zh": ["新湖街道", "黄河涯镇", "安德街道", "郑家寨镇"],
        "unit": ["371402", "371402", "371403", "371403"],
    }
)
TOWN_POLYS = [
    box(116.2, 37.4, 116.4, 37.5),
    box(116.2, 37.3, 116.4, 37.4),
    box(116.4, 37.4, 116.6, 37.5),
    box(116.4, 37.3, 116.6, 37.4),
]


def _official(codes: list[str], names: list[str], polys: list[Polygon] = TOWN_POLYS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"XZQDM": codes, "XZQMC": names}, geometry=polys, crs=WGS84)


def _errors(problems: list) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


def test_geojson_matched_by_code(tmp_path: Path) -> None:
    path = tmp_path / "towns.geojson"
    _official(["371402001000", "371402101000", "371403001", "371403101000"],
              ["新湖街道办事处", "黄河涯镇", "安德街道", "郑家寨镇"]).to_file(path, driver="GeoJSON")
    gdf, problems = load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="XZQDM")
    assert _errors(problems) == []
    assert sorted(gdf["code"]) == sorted(TOWNS["code"])  # 9-digit 371403001 -> 371403001000
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf["precision"]) == {"official"}
    assert not any("GCJ-02" in str(p) for p in problems)
    row = gdf.set_index("code").loc["371402001000"]
    assert row["name_zh"] == "新湖街道" and row["source_name"] == "371402001000"
    assert row.geometry.equals(TOWN_POLYS[0])


@pytest.mark.slow
def test_geopackage_in_web_mercator_matched_by_name(tmp_path: Path) -> None:
    path = tmp_path / "towns.gpkg"
    _official(["x"] * 4, ["新湖街道办事处", "黄河涯", "安德街道", "郑家寨镇"]).to_crs("EPSG:3857").to_file(
        path, driver="GPKG", layer="xz"
    )
    gdf, problems = load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, name_field="XZQMC")
    assert _errors(problems) == []
    assert any(p.field == "crs" and "reprojected" in p.message for p in problems)
    assert sorted(gdf["code"]) == sorted(TOWNS["code"])  # 黄河涯 matched leniently to 黄河涯镇
    got = gdf.set_index("code").loc["371403101000"].geometry
    assert got.symmetric_difference(TOWN_POLYS[3]).area < 1e-10


def test_gcj02_file_is_detected_and_converted(tmp_path: Path) -> None:
    path = tmp_path / "amap_towns.geojson"
    to_gcj02(_official(TOWNS["code"].tolist(), TOWNS["name_zh"].tolist())).to_file(path, driver="GeoJSON")
    gdf, problems = load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="XZQDM")
    warn = [p for p in problems if p.field == "crs"]
    assert len(warn) == 1 and "GCJ-02" in warn[0].message and "converted to WGS84" in warn[0].message
    assert len(gdf) == 4
    for code, poly in zip(TOWNS["code"], TOWN_POLYS, strict=True):
        got = gdf.set_index("code").loc[code].geometry
        assert got.symmetric_difference(poly).area < 1e-12  # back on the WGS84 squares (~1e-2 m²)


def test_gcj02_file_refused_on_request(tmp_path: Path) -> None:
    path = tmp_path / "amap_towns.geojson"
    to_gcj02(_official(TOWNS["code"].tolist(), TOWNS["name_zh"].tolist())).to_file(path, driver="GeoJSON")
    with pytest.raises(GCJ02DatumError, match="GCJ-02"):
        load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="XZQDM", on_gcj02="refuse")


def test_check_datum_verdicts() -> None:
    feats = _official(TOWNS["code"].tolist(), TOWNS["name_zh"].tolist())
    ok = check_datum(feats.geometry, COUNTIES)
    assert ok.verdict == "wgs84" and ok.mean_distance_m < 1.0 and ok.gcj_fraction == 0.0
    shifted = check_datum(to_gcj02(feats).geometry, COUNTIES)
    assert shifted.verdict == "gcj02"
    assert shifted.gcj_fraction == pytest.approx(1.0, abs=0.1)
    assert 420 < shifted.gcj_east_m < 560 and 50 < shifted.gcj_north_m < 150
    assert shifted.shift_east_m == pytest.approx(-shifted.gcj_east_m, abs=60)


def test_unmatched_duplicate_and_invalid_are_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(116.4, 37.3), (116.6, 37.4), (116.6, 37.3), (116.4, 37.4), (116.4, 37.3)])
    polys = [TOWN_POLYS[0], TOWN_POLYS[1], TOWN_POLYS[1], bowtie, TOWN_POLYS[2]]
    path = tmp_path / "messy.geojson"
    _official(
        ["371402001000", "371402101000", "371402101000", "371403101000", "999999999999"],
        ["a", "b", "c", "d", "e"],
        polys,
    ).to_file(path, driver="GeoJSON")
    gdf, problems = load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="XZQDM")
    text = [str(p) for p in problems]
    assert any(p.row == 3 and "duplicate town 371402101000" in p.message and p.severity == "error" for p in problems)
    assert any(p.row == 4 and "invalid geometry" in p.message for p in problems)
    assert any(p.row == 5 and "999999999999" in p.message for p in problems)
    assert any("371403001000 安德街道" in t for t in text)  # a town of a covered county without feature
    assert sorted(gdf["code"]) == ["371402001000", "371402101000", "371403101000"]
    assert gdf.is_valid.all()
    assert str(problems[0]).startswith("messy.geojson:")


def test_fields_are_detected_when_not_given(tmp_path: Path) -> None:
    path = tmp_path / "auto.geojson"
    _official(TOWNS["code"].tolist(), ["x1", "x2", "x3", "x4"]).to_file(path, driver="GeoJSON")
    gdf, problems = load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES)
    assert _errors(problems) == [] and len(gdf) == 4


def test_unknown_field_raises(tmp_path: Path) -> None:
    path = tmp_path / "t.geojson"
    _official(TOWNS["code"].tolist(), TOWNS["name_zh"].tolist()).to_file(path, driver="GeoJSON")
    with pytest.raises(KeyError, match="NOPE"):
        load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="NOPE")


@pytest.mark.slow
def test_works_against_the_shipped_counties(tmp_path: Path) -> None:
    """Our own approximate areas, written as if they were an official file, load cleanly (all 134)."""
    from geo.paths import DATA_DIR

    areas = gpd.read_file(DATA_DIR / "town_areas.geojson")
    towns = pd.read_csv(DATA_DIR / "towns.csv", dtype={"code": str, "unit": str})
    path = tmp_path / "areas.gpkg"
    areas[["code", "name_zh", "geometry"]].to_file(path, driver="GPKG")
    gdf, problems = load_official_town_boundaries(path, towns=towns, name_field="name_zh")
    assert _errors(problems) == [] and len(gdf) == 134
    shifted = tmp_path / "areas_gcj.geojson"
    to_gcj02(areas[["code", "geometry"]]).to_file(shifted, driver="GeoJSON")
    gdf2, problems2 = load_official_town_boundaries(shifted, towns=towns, code_field="code")
    assert any("GCJ-02" in p.message for p in problems2) and len(gdf2) == 134


@pytest.mark.skipif(not (SHARED_GEODATA / "dezhou_counties.geojson").is_file(), reason="shared geodata absent")
def test_datum_check_on_real_amap_county_outlines() -> None:
    """Detailed AMap outlines: raw GCJ-02 is recognised, their WGS84 conversion is accepted as WGS84."""
    from geo.paths import DATA_DIR

    ours = gpd.read_file(DATA_DIR / "counties.geojson")
    gcj = gpd.read_file(SHARED_GEODATA / "dezhou_counties.geojson")
    wgs = gpd.read_file(SHARED_GEODATA / "dezhou_counties_wgs84_from_gcj02.geojson")
    raw = check_datum(gcj.geometry, ours)
    assert raw.verdict == "gcj02" and raw.gcj_fraction > 0.7
    conv = check_datum(wgs.geometry, ours)
    assert conv.verdict == "wgs84" and abs(conv.gcj_fraction) < 0.3


def test_boundary_problems_have_codes_rendered_in_both_languages(tmp_path: Path) -> None:
    """Every problem of a messy file and of a GCJ-02 file has a message code; English text = the message."""
    from ui.text import problem_message

    bowtie = Polygon([(116.4, 37.3), (116.6, 37.4), (116.6, 37.3), (116.4, 37.4), (116.4, 37.3)])
    messy = tmp_path / "messy.geojson"
    _official(["371402001000", "371402101000", "371402101000", "371403101000", "999999999999"],
              ["a", "b", "c", "d", "e"],
              [TOWN_POLYS[0], TOWN_POLYS[1], TOWN_POLYS[1], bowtie, TOWN_POLYS[2]]).to_file(messy, driver="GeoJSON")
    amap = tmp_path / "amap_towns.geojson"
    to_gcj02(_official(TOWNS["code"].tolist(), TOWNS["name_zh"].tolist())).to_file(amap, driver="GeoJSON")
    problems = [p for path in (messy, amap)
                for p in load_official_town_boundaries(path, towns=TOWNS, counties=COUNTIES, code_field="XZQDM")[1]]
    assert {"boundary_duplicate_town", "boundary_repaired", "boundary_unknown_code", "boundary_towns_missing",
            "boundary_gcj02_converted"} <= {p.code for p in problems}
    for p in problems:
        assert problem_message(p, "en") == p.message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem_message(p, "zh").replace(p.param_dict.get("towns", ""), ""))
    dup = next(p for p in problems if p.code == "boundary_duplicate_town")
    assert problem_message(dup, "zh") == "乡镇 371402101000 重复（另见第 2 个要素）；已忽略后一个要素"
