"""The existing-energy layers (data/networks/power_plants.geojson, substations.geojson) and tools/build_energy:
real OSM polygons around Dezhou, attributed, reproducible; plan items placed at the plant the plan names."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point

from geo.networks import read_networks
from geo.paths import NETWORKS_DIR, SHARED_GEODATA
from tools.build_energy import output_mw

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nets():
    return read_networks(NETWORKS_DIR)


def test_output_strings_are_read_in_mw():
    assert output_mw("2720 MW") == 2720.0
    assert output_mw("1920MW") == 1920.0
    assert output_mw("500 kW") == 0.5
    assert output_mw("yes") is None and output_mw(None) is None


def test_power_plants_are_osm_polygons_in_and_around_dezhou(nets):
    plants = nets["power_plants"]
    assert len(plants) == 30
    assert int(plants["inside_dezhou"].sum()) == 16
    assert set(plants.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (plants["quality"] == "real").all() and (plants["precision"] == "site").all()
    assert plants["license"].str.startswith("ODbL-1.0").all()
    assert (plants["vintage"] == "OSM extract 2025-02-06").all()
    huaneng = plants.set_index("name").loc["华能国际电力股份有限公司德州电厂"]
    assert (huaneng["fuel"], huaneng["output_mw"], huaneng["inside_dezhou"]) == ("coal", 2720.0, 1)
    # the marker point lies on the plant's own polygon
    for r in plants.itertuples():
        assert r.geometry.buffer(1e-9).contains(Point(r.lon, r.lat)), r.name


def test_substations_are_the_220kv_and_above_ones(nets):
    subs = nets["substations"]
    assert len(subs) == 11 and int(subs["inside_dezhou"].sum()) == 6
    assert set(subs["max_kv"]) == {220.0, 500.0}
    assert "500kV长清变电站" in set(subs["name"])  # named in OSM; the others are labelled as unnamed
    unnamed = subs[subs["osm_name"] == ""]
    assert unnamed["name"].str.startswith("未命名").all() and unnamed["name_en"].str.startswith("unnamed").all()


def test_energy_builder_reproduces_the_shipped_files(tmp_path: Path):
    if not (SHARED_GEODATA / "dezhou_power_plants.geojson").is_file():
        pytest.skip(f"shared geodata not found at {SHARED_GEODATA}")
    from tools.build_energy import build

    built = build(tmp_path)
    assert sorted(built) == ["power_plants", "substations"]
    for name in built:
        shipped = (NETWORKS_DIR / f"{name}.geojson").read_text(encoding="utf-8")
        assert (tmp_path / f"{name}.geojson").read_text(encoding="utf-8") == shipped, name


def test_plan_items_placed_at_the_plant_the_plan_names(data, nets):
    items = data.items.set_index("id")
    plants = nets["power_plants"].set_index("name")
    for pid, plant in [("energy-b17-20", "华能国际电力股份有限公司德州电厂"), ("energy-b17-22", "华能国际电力股份有限公司德州电厂"),
                       ("industry_project-b02-01", "山东华鲁恒升集团德州热电有限责任公司"),
                       ("industry_project-b02-02", "山东华鲁恒升集团德州热电有限责任公司"),
                       ("industry_project-b02-03", "山东华鲁恒升集团德州热电有限责任公司"),
                       ("industry_project-b02-24", "山东华鲁恒升集团德州热电有限责任公司")]:
        row = items.loc[pid]
        assert row["precision"] == "site", pid
        assert (float(row["lon"]), float(row["lat"])) == (plants.loc[plant, "lon"], plants.loc[plant, "lat"]), pid
        assert plant in row["location_source"] and "OpenStreetMap" in row["location_source"], pid
    assert sorted(items.index[items["precision"] == "site"]) == [
        "energy-b17-20", "energy-b17-22", "industry_project-b02-01", "industry_project-b02-02",
        "industry_project-b02-03", "industry_project-b02-24"]
