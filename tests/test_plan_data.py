"""The shipped plan data against the plan text itself: completeness of 专栏4 and 专栏16, provenance, precision."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest

from geo.paths import DATA_DIR


def _box_lines(plan: list[str], heading: str, stop: str) -> list[tuple[int, str]]:
    """(line number, text) of a box, from its heading to the first line starting with ``stop``."""
    start = next(i for i, line in enumerate(plan) if line.replace(" ", "").startswith(heading))
    out = []
    for i in range(start + 1, len(plan)):
        line = plan[i].strip()
        if line.startswith(stop):
            break
        if line:
            out.append((i + 1, line))
    return out


@pytest.mark.slow
def test_shipped_data_validates_without_errors(data):
    errors = [str(p) for p in data.problems if p.is_error]
    assert errors == []
    assert data.rejected == {}


def test_every_cited_line_contains_the_name(data, plan):
    def squash(s: str) -> str:
        return re.sub(r"\s+", "", s)

    missing = []
    for row in data.items.itertuples():
        text = "".join(squash(plan[int(n) - 1]) for n in row.source_lines.split(";"))
        if squash(row.name_zh) not in text or squash(row.quote) not in text:
            missing.append(row.id)
    assert missing == []
    assert len(data.items) > 150


def test_all_55_parks_of_box_4(data, plan):
    expected = []
    unit_code = dict(zip(data.units["name_zh"], data.units["code"], strict=True))
    for _, line in _box_lines(plan, "专栏4", "打造产业生态"):
        county, names = line.split("：", 1)
        for name in names.rstrip("。").split("、"):
            expected.append((unit_code[county], name))
    assert len(expected) == 55
    parks = data.items[data.items["source_ref"].str.replace(" ", "") == "专栏4"]
    got = sorted(zip(parks["units"], parks["name_zh"], strict=True))
    assert got == sorted(expected)
    assert sorted(parks["id"]) == [f"park-b04-{i:02d}" for i in range(1, 56)]


def test_all_31_towns_of_box_16(data, plan):
    roles = {"县域经济中心镇": "center", "产业发展特色镇": "feature", "区域合作重点镇": "cooperation"}
    expected = []
    for _, line in _box_lines(plan, "专栏16", "完善兴产体系"):
        kind, entries = line.split("：", 1)
        for entry in entries.rstrip("。").split("、"):
            town, industry = re.match(r"(.+?)（(.+)）", entry).groups()
            expected.append((roles[kind], town, industry))
    assert len(expected) == 31
    box = data.town_roles[data.town_roles["role"].isin(roles.values())]
    got = sorted(zip(box["role"], box["town_name_zh"], box["industry_zh"], strict=True))
    assert got == sorted(expected)
    zhua = data.town_roles[data.town_roles["town_name_zh"] == "祝阿镇"]
    assert sorted(zhua["role"]) == ["center", "feature"]
    assert box["town_code"].str.fullmatch(r"\d{12}").all()  # every 三镇 town is placed


def test_aliases_are_one_item(data):
    names = " ".join(data.items["name_zh"]) + " " + " ".join(data.items["aliases"])
    assert "德商高铁" in names and "津潍高铁" in names
    assert (data.items["aliases"].str.contains("德商高铁")).sum() == 1
    assert (data.items["aliases"].str.contains("津潍高铁")).sum() == 1
    dezhou_shanghe = data.items.set_index("id").loc["transport-b08-02"]
    assert dezhou_shanghe["name_zh"] == "德州至商河铁路" and "德商高铁" in dezhou_shanghe["aliases"]


def test_fixed_transport_ids_present(data):
    ids = set(data.items["id"])
    assert {f"transport-b08-{i:02d}" for i in range(1, 25)} <= ids
    assert {"transport-s18-01", "transport-s18-02"} <= ids


def test_no_item_placed_more_precisely_than_its_source(data):
    items = data.items
    county_only = items[items["precision"].isin(["county", "none"])]
    assert county_only.geometry.isna().all()
    town = items[items["precision"] == "town"]
    assert town["town_code"].str.fullmatch(r"\d{12}").all()
    assert town.geometry.notna().all()
    site = items[items["precision"] == "site"]
    # a site needs a named data source, not general knowledge
    assert not site["location_source"].str.contains("knowledge", case=False).any()
    assert items.loc[items["precision"] != "none", "location_source"].str.len().gt(0).all()


def test_every_unit_has_a_profile(data):
    units = set(data.units["code"]) - {"city"}
    profiled = set(data.profiles["unit"])
    assert units <= profiled, sorted(units - profiled)
    nine = {"371482", "371481", "371422", "371425", "371424", "371426", "371428", "371427", "371423"}
    primary = data.profiles[data.profiles["field"] == "primary_industry"]
    assert set(primary["unit"]) == nine
    yucheng = data.profiles[(data.profiles["unit"] == "371482") & (data.profiles["field"] == "primary_industry")]
    assert list(yucheng["value_zh"]) == ["生物制造"]
    omitted_units = set(data.profiles.loc[data.profiles["field"] == "omitted", "unit"])
    assert {"371402", "371403", "tianqu"} <= omitted_units  # 专栏14/15 do not list them; the data says so


def test_rail_and_expressway_targets(data):
    targets = dict(zip(data.indicators["name_zh"], data.indicators["target_2030"], strict=True))
    joined = " ".join(f"{k}={v}" for k, v in targets.items())
    assert re.search(r"铁路[^=]*=\D*479", joined)
    assert re.search(r"高速公路[^=]*=\D*865", joined)


def test_plan_text_is_not_in_the_repo():
    assert not list(DATA_DIR.rglob("000_*.txt"))


def test_river_items_are_drawn_along_their_river_clipped_to_their_county(data):
    items = data.items.set_index("id")
    wucheng = items.loc["culture_tourism-b20-08"]  # 京杭大运河（武城段）
    assert wucheng["geometry_source"].startswith("river:卫运河/南运河")
    counties = data.counties.set_index("adcode").geometry
    # the canal is the border with Hebei: the stretch keeps what wanders up to 2 km outside Dezhou, but never
    # enters a neighbouring Dezhou county (lengths in EPSG:32650)
    line = gpd.GeoSeries([wucheng.geometry], crs=4326).to_crs(32650).iloc[0]
    metric = counties.to_crs(32650)
    assert line.length > 50_000 and line.intersection(metric["371428"]).length > 25_000
    assert line.intersection(metric.drop("371428").union_all()).length < 1.0
    assert line.difference(metric["371428"].buffer(2001)).length < 1.0
    canal = data.networks["rivers"].set_index("name").loc["卫运河/南运河（京杭运河）", "geometry"]
    assert wucheng.geometry.length < canal.length
    assert items.loc["water-b09-05", "geometry_source"] == "river:徒骇河"


def test_every_schematic_item_has_a_geometry(data):
    schematic = data.items[data.items["precision"] == "schematic"]
    assert schematic.geometry.notna().all(), list(schematic.loc[schematic.geometry.isna(), "id"])
    assert set(schematic["geometry_source"]) <= {"planned_works"} | {
        s for s in schematic["geometry_source"] if s.startswith("river:")}


# ------------------------------------------------------------------ corrections of the independent check (issue 8)


def test_english_names_checked_against_the_plan(data):
    en = data.items.set_index("id")["name_en"]
    assert en["park-b04-38"] == "Farm and Sideline Products Deep Processing Cluster (Pingyuan)"  # 农副产品
    assert en["transport-b08-24"] == "Sanshilipu Bridge at-grade junction rebuild"  # 平交口
    assert en["industry_project-b02-14"] == (
        "Chenlang Food 200,000 t/yr Frozen and Fresh Fruit and Vegetable Deep Processing")  # 冻鲜果蔬
    assert not en.str.contains("level.crossing|By-Product", case=False).any()


def test_box_8_keeps_the_plans_own_status_words(data, plan):
    items = data.items.set_index("id")
    nine = [f"transport-b08-{n}" for n in ("03", "04", "09", "10", "11", "12", "13", "18", "21")]
    assert list(items.loc[nine, "status_zh"]) == ["推动…开工建设"] * 9
    assert set(items.loc[nine, "status"]) == {"start"}
    # no 专栏8 row claims a plain 开工建设 where the box says 推动…开工建设 (lines 563, 565, 567, 569)
    box8 = items[items["source_ref"] == "专栏8"]
    assert sorted(box8.index[box8["status_zh"] == "开工建设"]) == []
    for pid in nine:  # '…' stands for the works named between 推动 and 开工建设 on the box's first cited line
        line = re.sub(r"\s+", "", plan[int(items.loc[pid, "source_lines"].split(";")[0]) - 1])
        assert re.search("推动.*" + re.escape(re.sub(r"\s+", "", items.loc[pid, "name_zh"])) + ".*开工建设", line), pid


def test_majia_river_rows_include_tianqu(data, plan):
    items = data.items.set_index("id")
    for pid in ("water-b09-01", "water-s18-06"):
        assert items.loc[pid, "unit_list"] == ["371426", "tianqu", "371403", "371481", "371423"]
    assert "德州天衢新区“马颊岛”" in plan[235 - 1] and "马颊河" in plan[869 - 1]


def test_deyun_expressway_is_unknown_beyond_its_end_points(data):
    row = data.items.set_index("id").loc["transport-s01-03"]
    assert (row["units"], row["unit_basis"]) == ("371402", "name")
    assert "unknown beyond the end points" in row["location_source"]
    assert "straight placeholder" in row["notes"]


def test_merged_green_indicator_cells_are_documented(data):
    ind = data.indicators.set_index("id")
    for i in ("ind-15", "ind-16", "ind-17", "ind-18"):
        assert ind.loc[i, "target_2030"] == "完成省定目标"
        assert ind.loc[i, "source_lines"].split(";")[-1] == "204"  # where the merged cell's text stands
        assert ind.loc[i, "notes"].startswith("Reading of a merged cell")


def test_no_build_labels_left_in_the_data():
    labels = re.compile(r"projects_p\d|outside this part|outside (lines )?\d+[-–]\d+|\(audit\)|Audit:|networks part|"
                        r"logistics part")
    hits = []
    for path in sorted(DATA_DIR.rglob("*.csv")) + sorted(DATA_DIR.rglob("*.md")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if labels.search(line):
                hits.append(f"{path.name}:{n}")
    assert hits == []
