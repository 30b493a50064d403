"""geo.drawn_units on tiny hand-made shapes, the per-unit ``unit_basis`` rule of the validator, and the shipped
data: every schematic item lists every unit its drawn geometry crosses."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.drawn_units import add_drawn_units, crossing_geometry, unit_shapes, units_crossed
from geo.schema import unit_bases
from geo.validate import ValidationContext, validate_table

# Two made-up counties side by side (0.2° ≈ 17.7 km wide at 37.4° N) and a 天衢新区 in the east half of the first.
COUNTIES = gpd.GeoDataFrame({"adcode": ["371402", "371403"]},
                            geometry=[box(116.2, 37.3, 116.4, 37.5), box(116.4, 37.3, 116.6, 37.5)], crs="EPSG:4326")
TIANQU = gpd.GeoDataFrame({"name_zh": ["德州天衢新区"]}, geometry=[box(116.3, 37.3, 116.4, 37.5)], crs="EPSG:4326")


@pytest.fixture(scope="module")
def shapes():
    return unit_shapes(COUNTIES, TIANQU)


def test_unit_shapes_cut_tianqu_out_of_its_county(shapes):
    assert list(shapes) == ["371402", "371403", "tianqu"]
    area = {k: round(v.area / 1e6) for k, v in shapes.items()}  # km², EPSG:32650
    assert area["371402"] == area["tianqu"]  # each half of the 0.2° square
    assert area["371403"] == pytest.approx(2 * area["tianqu"], rel=0.01)


def test_a_line_crosses_each_unit_it_runs_through(shapes):
    line = LineString([(116.25, 37.4), (116.55, 37.4)])  # west 德城区 -> 天衢新区 -> 陵城区
    assert units_crossed(line, shapes) == ["371402", "371403", "tianqu"]


def test_a_line_ending_just_past_a_border_does_not_count(shapes):
    line = LineString([(116.45, 37.4), (116.395, 37.4)])  # ~0.44 km into 天衢新区
    assert units_crossed(line, shapes) == ["371403"]
    assert units_crossed(line, shapes, min_length_m=100) == ["371403", "tianqu"]


def test_a_point_crosses_the_unit_it_lies_in(shapes):
    assert units_crossed(Point(116.35, 37.4), shapes) == ["tianqu"]
    assert units_crossed(None, shapes) == []


def test_add_drawn_units_keeps_the_named_unit_and_marks_the_added_ones():
    assert add_drawn_units("371422", "name", ["371403", "371422"]) == ("371422;371403", "name;drawn_line")
    assert add_drawn_units("city", "none", ["371425", "371482"]) == ("371425;371482", "drawn_line")
    assert add_drawn_units("371425;371482", "knowledge", ["371425"]) == ("371425;371482", "knowledge")
    assert add_drawn_units("371422;371403", "name;drawn_line", ["371424"]) == (
        "371422;371403;371424", "name;drawn_line;drawn_line")


def test_unit_bases_reads_one_word_or_one_per_unit():
    assert unit_bases("371422;371403", "name") == {"371422": "name", "371403": "name"}
    assert unit_bases("371422;371403", "name;drawn_line") == {"371422": "name", "371403": "drawn_line"}


def _validate(units: str, unit_basis: str):
    row = {"id": "transport-b08-05", "name_zh": "济南至宁津高速公路", "name_en": "Jinan–Ningjin Expressway",
           "category": "transport", "subtype": "expressway", "status": "complete",
           "units": units, "unit_basis": unit_basis, "source_ref": "专栏8", "source_lines": "1",
           "quote": "济南至宁津高速公路", "precision": "none"}
    ctx = ValidationContext(units={"371402", "371403", "371422", "city"}, plan=["加快建成济南至宁津高速公路"])
    return validate_table("projects", pd.DataFrame([row], dtype=str), file="projects.csv", context=ctx)


@pytest.mark.slow
def test_validator_accepts_one_basis_per_unit():
    good, problems = _validate("371422;371403", "name;drawn_line")
    assert problems == [] and len(good) == 1


def test_validator_rejects_a_basis_list_of_another_length():
    good, problems = _validate("371422;371403;371402", "name;drawn_line")
    assert [(p.row, p.field, p.code) for p in problems] == [(2, "unit_basis", "unit_basis_count")]
    assert "2 words for 3 unit(s)" in problems[0].message
    assert len(good) == 0


def test_validator_rejects_an_unknown_basis_word():
    _, problems = _validate("371422;371403", "name;line")
    assert [(p.field, p.code) for p in problems] == [("unit_basis", "bad_choice")]
    assert "'line' is not an allowed unit_basis" in problems[0].message


# ------------------------------------------------------------------------------------------ shipped data


@pytest.mark.slow
def test_every_schematic_item_lists_every_unit_its_drawn_geometry_crosses(data):
    shapes = unit_shapes(data.counties, data.tianqu)
    drawn = data.items[(data.items["precision"] == "schematic") & data.items.geometry.notna()]
    assert len(drawn) == 27
    rivers = data.networks["rivers"]
    missing = {r["id"]: sorted(set(units_crossed(crossing_geometry(r, rivers), shapes)) - set(r["units"].split(";")))
               for r in drawn.to_dict("records")}
    assert {k: v for k, v in missing.items() if v} == {}
    tuhai = data.items.set_index("id").loc["culture_tourism-s40-03"]  # the 徒骇河 belt: its units = the river's
    assert (tuhai["units"], tuhai["unit_basis"]) == ("371424;371425;371482", "drawn_line")


def test_jinan_ningjin_expressway_lists_the_counties_its_line_crosses(data):
    row = data.items.set_index("id").loc["transport-b08-05"]
    assert unit_bases(row["units"], row["unit_basis"]) == {
        "371422": "name", "371403": "drawn_line", "371424": "drawn_line", "371425": "drawn_line"}
    linyi = data.items[data.items["unit_list"].map(lambda us: "371424" in us)]
    assert "transport-b08-05" in set(linyi["id"])


def test_drawn_line_basis_only_where_the_drawing_adds_a_unit(data):
    bases = data.items.apply(lambda r: unit_bases(r["units"], r["unit_basis"]), axis=1)
    with_drawn = sorted(pid for pid, b in zip(data.items["id"], bases, strict=True) if "drawn_line" in b.values())
    assert with_drawn == sorted(["transport-b08-05", "transport-s18-01", "transport-s18-08", "water-s18-01",
                                 "ecology-s34-01", "culture_tourism-s40-01", "culture_tourism-s40-03"])
