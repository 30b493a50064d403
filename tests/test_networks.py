"""Tests of the shipped networks (data/networks/*.geojson) and of geo.networks.read_networks."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.networks import NETWORK_COLUMNS, REGION_BBOX, TRANSPORT_PLAN_IDS, read_networks
from geo.paths import NETWORKS_DIR

LAYERS = list(NETWORK_COLUMNS)


@pytest.fixture(scope="module")
def nets() -> dict[str, gpd.GeoDataFrame]:
    return read_networks(NETWORKS_DIR)


def test_all_network_files_exist_and_are_rfc7946() -> None:
    for name in LAYERS:
        path = NETWORKS_DIR / f"{name}.geojson"
        assert path.is_file(), name
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        assert "crs" not in doc, f"{name}: RFC 7946 has no crs member"


@pytest.mark.parametrize("name", LAYERS)
def test_every_feature_has_provenance(nets: dict[str, gpd.GeoDataFrame], name: str) -> None:
    gdf = nets[name]
    for _, r in gdf.iterrows():
        label = f"{name}: {r['name']}"
        assert r["quality"] in ("real", "schematic"), label
        assert isinstance(r["source"], str) and r["source"].strip(), label
        assert isinstance(r["license"], str) and r["license"].strip(), label
        assert str(r["scenario"]) in ("2025", "2030"), label
        assert isinstance(r["name"], str) and r["name"].strip(), label
        if r["quality"] == "schematic":
            assert str(r["waypoints"]).strip(), f"{label}: schematic without waypoints"
        if "ODbL" not in str(r["license"]):
            assert "OpenStreetMap" not in str(r["source"]), f"{label}: OSM-derived but licence is not ODbL"


@pytest.mark.parametrize("name", LAYERS)
def test_coordinates_inside_region(nets: dict[str, gpd.GeoDataFrame], name: str) -> None:
    gdf = nets[name]
    if gdf.empty:
        return
    assert gdf.crs.to_epsg() == 4326
    region = box(*REGION_BBOX).buffer(1e-6)
    for _, r in gdf.iterrows():
        assert r.geometry is not None and not r.geometry.is_empty, r["name"]
        assert region.contains(r.geometry), f"{name}: {r['name']} leaves the region bbox"


def test_planned_works_keyed_by_fixed_ids(nets: dict[str, gpd.GeoDataFrame]) -> None:
    pw = nets["planned_works"]
    assert len(pw) >= 15
    assert set(pw["plan_item_id"]) <= TRANSPORT_PLAN_IDS
    assert (pw["scenario"].astype(str) == "2030").all()
    assert (pw["quality"] == "schematic").all()
    # the works the brief names explicitly
    for pid in ("transport-b08-01", "transport-b08-02", "transport-b08-05", "transport-b08-06",
                "transport-b08-07", "transport-b08-08", "transport-s18-01", "transport-s18-02"):
        assert pid in set(pw["plan_item_id"]), pid
    airport = pw[pw["plan_item_id"] == "transport-s18-02"]
    assert list(airport.geometry.geom_type) == ["Point"]
    assert airport["precision"].iloc[0] == "town"
    # planned station points carry their line's id and a role
    stations = pw[pw["role"] == "station"]
    assert set(stations["plan_item_id"]) == {"transport-b08-01", "transport-b08-02"}


def test_skipped_ids_are_documented(nets: dict[str, gpd.GeoDataFrame]) -> None:
    text = (NETWORKS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    drawn = set(nets["planned_works"]["plan_item_id"])
    for pid in sorted(TRANSPORT_PLAN_IDS - drawn):
        assert pid in text, f"{pid} is neither drawn nor explained in SOURCES.md"


def test_stations_named_and_flagged(nets: dict[str, gpd.GeoDataFrame]) -> None:
    st = nets["stations"]
    assert st["name"].str.len().min() > 0
    assert set(st["hsr"].astype(int)) <= {0, 1} and set(st["passenger"].astype(int)) <= {0, 1}
    hsr = set(st.loc[st["hsr"].astype(int) == 1, "name"])
    assert {"德州东", "平原东", "禹城东", "齐河"} <= hsr
    assert "德州" in set(st["name"]) and "德州" not in hsr
    assert (st.geometry.geom_type == "Point").all()
    assert (st["precision"] == "site").all()


def test_osm_jinghu_hsr_passes_dezhou_east(nets: dict[str, gpd.GeoDataFrame]) -> None:
    rail = nets["rail"].to_crs(32650)
    st = nets["stations"].to_crs(32650)
    line = rail[(rail["name"] == "京沪高铁") & (rail["quality"] == "real")]
    assert len(line) == 1
    assert line["mode"].iloc[0] == "hsr"
    assert "ODbL" in line["license"].iloc[0]
    dzd = st[st["name"] == "德州东"].geometry.iloc[0]
    assert line.geometry.iloc[0].distance(dzd) < 300
    # about 90 km of route inside Dezhou (one track way kept, not two)
    assert 200_000 < line.geometry.iloc[0].length < 260_000


def test_schematic_lines_pass_their_station_waypoints(nets: dict[str, gpd.GeoDataFrame]) -> None:
    rail = nets["rail"].to_crs(32650)
    st = nets["stations"].to_crs(32650).set_index("name")
    sj = rail[rail["name"] == "石济客专"].geometry.iloc[0]
    for name in ("德州东", "平原东", "禹城东", "齐河"):
        assert sj.distance(st.loc[name, "geometry"]) < 1.0, name
    assert rail.loc[rail["name"] == "石济客专", "waypoints"].iloc[0].split(";")[1:5] == [
        "德州东", "平原东", "禹城东", "齐河"]


def test_modes(nets: dict[str, gpd.GeoDataFrame]) -> None:
    assert set(nets["rail"]["mode"]) <= {"hsr", "rail"}
    assert set(nets["rivers"]["mode"]) <= {"river", "canal"}
    assert "黄河" in set(nets["rivers"]["name"])
    assert (nets["expressway_entrances"]["precision"] == "town").all()
    assert set(nets["expressways"]["ref"]) >= {"G2", "G3", "G20", "G0311", "G0321", "S12"}
    assert "G2;G3" not in set(nets["expressways"]["ref"])  # G2 and G3 do not share a road through Dezhou
    assert "京九铁路" not in set(nets["rail"]["name"])  # no km inside Dezhou: dropped on purpose


PLANNED_EXPRESSWAY_IDS = {f"transport-b08-{n:02d}" for n in range(5, 16)}


def test_entrance_counts_and_basis(nets: dict[str, gpd.GeoDataFrame]) -> None:
    ent = nets["expressway_entrances"]
    assert (ent["scenario"].astype(str) == "2025").all()
    assert set(ent["basis"]) == {"known", "assumed"}
    known = ent[ent["basis"] == "known"]
    assert sorted(known["name"]) == sorted(["德州收费站", "平原收费站", "禹城收费站", "齐河收费站", "陵城收费站"])
    assert (ent["basis"] == "assumed").sum() == 27
    assumed = ent[ent["basis"] == "assumed"]
    assert assumed["name"].str.endswith("推定）").all()
    assert (assumed["source"].str.startswith("assumed:")).all()
    assert (ent["precision"] == "town").all() and (ent["quality"] == "schematic").all()
    # one entrance per (town, road)
    assert not ent.duplicated(["waypoints", "road"]).any()
    # every county seat the drawn roads serve has at least one entrance; 宁津 and 临邑 have none in 2025
    assert {"乐陵", "庆云", "武城", "夏津", "平原", "禹城", "齐河", "德州"} <= set(ent["waypoints"])
    assert not {"宁津", "临邑"} & set(ent["waypoints"])
    pw = nets["planned_works"]
    pe = pw[pw["role"] == "entrance"]
    assert set(pe["basis"]) == {"assumed", "plan"}
    assert (pe["basis"] == "assumed").sum() == 7
    assert set(pe.loc[pe["basis"] == "plan", "plan_item_id"]) == {"transport-b08-20"}


def test_planned_entrances_belong_to_planned_expressways(nets: dict[str, gpd.GeoDataFrame]) -> None:
    pw = nets["planned_works"]
    pe = pw[(pw["role"] == "entrance") & (pw["basis"] == "assumed")]
    assert set(pe["plan_item_id"]) <= PLANNED_EXPRESSWAY_IDS
    lines = pw[pw["role"] == "line"]
    for pid in set(pe["plan_item_id"]):
        assert (lines.loc[lines["plan_item_id"] == pid, "mode"] == "expressway").all(), pid
    # the works the brief names get an entrance (b08-11 ends at 潘店, listed under b08-07, the same road)
    assert {"transport-b08-05", "transport-b08-06", "transport-b08-07", "transport-b08-08", "transport-b08-12",
            "transport-b08-13"} <= set(pe["plan_item_id"])
    assert (pe["scenario"].astype(str) == "2030").all()
    assert not pe.duplicated(["waypoints", "name"]).any()


def test_assumed_entrances_lie_on_their_road(nets: dict[str, gpd.GeoDataFrame]) -> None:
    ex = nets["expressways"].to_crs(32650).set_index("name")
    ent = nets["expressway_entrances"].to_crs(32650)
    for _, r in ent[ent["basis"] == "assumed"].iterrows():
        assert ex.loc[r["road"], "geometry"].distance(r.geometry) < 1000, r["name"]
    pw = nets["planned_works"].to_crs(32650)
    lines = pw[pw["role"] == "line"]
    for _, r in pw[(pw["role"] == "entrance") & (pw["basis"] == "assumed")].iterrows():
        line = lines.loc[lines["plan_item_id"] == r["plan_item_id"], "geometry"].union_all()
        assert line.distance(r.geometry) < 1000, r["name"]
        assert r["road"] == lines.loc[lines["plan_item_id"] == r["plan_item_id"], "name"].iloc[0]


def test_new_existing_expressways_cite_the_plan(nets: dict[str, gpd.GeoDataFrame]) -> None:
    ex = nets["expressways"].set_index("name")
    for name in ("德郓高速", "高青至武城高速公路商河至平原段"):
        assert "line 111" in ex.loc[name, "note"] and "ends only" in ex.loc[name, "note"], name
        assert ex.loc[name, "scenario"] == "2025"


def test_read_networks_missing_directory_gives_typed_empty_networks(tmp_path: Path) -> None:
    nets = read_networks(tmp_path / "nothing")
    assert set(nets) == set(LAYERS)
    for name, gdf in nets.items():
        assert gdf.empty
        assert gdf.crs.to_epsg() == 4326
        assert set(NETWORK_COLUMNS[name]) <= set(gdf.columns)


def test_read_networks_adds_missing_columns(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Point", "coordinates": [116.3, 37.4]}}]}
    (tmp_path / "stations.geojson").write_text(json.dumps(doc), encoding="utf-8")
    st = read_networks(tmp_path)["stations"]
    assert len(st) == 1 and st["name"].iloc[0] == "x"
    assert {"hsr", "quality", "source"} <= set(st.columns)
    assert st.geometry.iloc[0].x == pytest.approx(116.3)


@pytest.mark.slow
def test_builder_reproduces_the_shipped_files(tmp_path: Path) -> None:
    from geo.paths import SHARED_GEODATA

    if not (SHARED_GEODATA / "dezhou_rail.geojson").is_file():
        pytest.skip(f"shared geodata not found at {SHARED_GEODATA}")
    from tools.build_networks import build

    built = build(tmp_path)
    assert set(built) == set(LAYERS) - {"power_plants", "substations"}  # those two: tools/build_energy.py
    for name in built:
        shipped = (NETWORKS_DIR / f"{name}.geojson").read_text(encoding="utf-8")
        assert (tmp_path / f"{name}.geojson").read_text(encoding="utf-8") == shipped, (
            f"{name}.geojson differs from a fresh build: run python tools/build_networks.py")
