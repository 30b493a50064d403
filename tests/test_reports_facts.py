"""reports.facts: what a sheet says and where it is cited (real data, one unit at a time)."""

from __future__ import annotations

import re

import pytest

from geo.paths import DATA_DIR
from i18n import t
from reports import facts
from reports.facts import applies_to, fact_sheet, merged_ref, ref_text, target_facts


def test_references_in_both_languages():
    assert ref_text("专栏15", "759", "zh") == "专栏15 L759"
    assert ref_text("专栏15", "759", "en") == "Box 15 L759"
    assert ref_text("第二十三节", "713;715", "en") == "Section 23 L713, 715"
    assert merged_ref([("专栏16", "781"), ("专栏16", "783;781"), ("专栏11", "621")], "zh") == "专栏16 L781, 783; 专栏11 L621"


def test_which_indicators_are_targets_of_a_unit():
    assert applies_to("齐河县地区生产总值", "371425", "齐河县", "county")
    assert not applies_to("齐河县地区生产总值", "371424", "临邑县", "county")
    # each county, district included
    assert applies_to("每个县（市、区）经济强镇", "371402", "德城区", "district")
    # counties and county-level cities only: not a district, not 天衢新区
    assert applies_to("各县（市）首位产业产值", "371481", "乐陵市", "county_city")
    assert not applies_to("各县（市）首位产业产值", "371402", "德城区", "district")
    assert not applies_to("各县(市)税收过亿元企业", "tianqu", "德州天衢新区", "functional_zone")
    assert applies_to("各县(市)税收过亿元企业", "371423", "庆云县", "county")


@pytest.mark.slow
def test_targets_of_qihe_a_district_and_tianqu(data):
    qihe = {f.label: f for f in target_facts(data, "371425", "zh")}
    assert qihe["齐河县地区生产总值"].value.startswith(">600") and qihe["齐河县地区生产总值"].ref == "第二十三节 L713"
    assert "各县（市）首位产业产值" in qihe and "每个县（市、区）经济强镇" in qihe
    decheng = {f.label for f in target_facts(data, "371402", "zh")}
    assert "各县（市）首位产业产值" not in decheng and "每个县（市、区）经济强镇" in decheng
    assert "中心城区常住人口和经济规模占全市比重" in decheng  # 第三十节 L867: 德城区 is part of the central city
    tianqu = {f.label: f for f in target_facts(data, "tianqu", "en")}
    assert set(tianqu) == {"Share of the central city in the city's resident population and economy",
                           "Share of central-city municipal pipelines under intelligent monitoring"}
    assert all(f.note == t("report.target.central_city", "en") for f in tianqu.values())
    assert len(target_facts(data, "371424", "zh")) >= 3  # 临邑县 GDP >500 + the per-county ones
    city = target_facts(data, "city", "en")
    assert any(f.label == "Railway mileage of the city" or "479" in f.value for f in city)


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["371425", "371402", "tianqu", "city"])
def test_every_fact_is_cited(data, unit):
    sheet = fact_sheet(data, unit, "en", data_dir=DATA_DIR)
    groups = [sheet.profile, sheet.parks, sheet.towns, sheet.targets, *[f for _, f in sheet.projects]]
    for group in groups:
        for f in group:
            assert re.match(r"^(Box \d+|Section \d+)( L[\d, ]+)?(; (Box|Section) \d+ L[\d, ]+)*$", f.ref), f
            assert f.value
    # no Chinese section words left in an English sheet's references
    assert not any("专栏" in f.ref or "节" in f.ref for g in groups for f in g)


@pytest.mark.slow
def test_qihe_sheet_content(data):
    s = fact_sheet(data, "371425", "zh", data_dir=DATA_DIR)
    profile = {f.label: f for f in s.profile}
    assert profile["首位产业"].value == "高端智能制造" and profile["首位产业"].ref == "专栏15 L759"
    assert profile["一县一展"].value == "汽车展览会"
    assert len(s.parks) == 7 and all(f.ref.startswith("专栏4 L") for f in s.parks)
    assert {f.label for f in s.towns} == {"县域经济中心镇", "产业发展特色镇", "区域合作重点镇"}
    statuses = [label for label, _ in s.projects]
    assert statuses[0] == t("ui.status.existing", "zh")  # in the plan's status order
    n_listed = sum(len(f) for _, f in s.projects) + len(s.parks)
    qihe = data.items[data.items["unit_list"].map(lambda us: "371425" in us)]
    assert n_listed == s.counts["items"] == len(qihe)  # every item of the unit is listed
    assert s.counts["county_only"] + s.counts["located"] + s.counts["not_located"] == s.counts["items"]
    assert [a.target for a in s.access] == ["expressway", "rail", "hsr"]
    assert all(0 <= a.share_2025 <= a.share_2030 <= 1 for a in s.access)  # 2030 adds, never removes
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", s.data_date)


def test_county_only_items_say_so_and_town_items_name_their_town(data):
    towns = {"371425101000": "祝阿镇"}
    item = {"precision": "county"}
    assert facts.precision_note(item, "en", towns) == "county only, not on the map"
    item = {"precision": "town", "town_code": "371425101000"}
    assert facts.precision_note(item, "zh", towns) == "按祝阿镇驻地定位（◯）"


@pytest.mark.slow
def test_city_sheet_groups_by_unit(data):
    s = fact_sheet(data, "city", "zh", data_dir=DATA_DIR)
    assert len(s.parks) == 12  # one line per unit with parks in 专栏4 (11 counties + 天衢新区)
    assert len(s.profile) >= 12
    assert s.unit_name == "德州市"
    assert s.counts["items"] == len(data.items)


def test_unknown_unit_is_a_clear_error(data):
    with pytest.raises(facts.ReportError, match="371499"):
        fact_sheet(data, "371499", "zh", data_dir=DATA_DIR)
    with pytest.raises(facts.ReportError, match="language"):
        fact_sheet(data, "371425", "fr", data_dir=DATA_DIR)


def test_plan_title_and_issue_date_are_the_plans(plan):
    assert re.sub(r"\s", "", t("report.plan_title", "zh")).strip("《》") == re.sub(r"\s", "", plan[facts.PLAN_TITLE_LINE - 1])
    assert t("report.plan_issued", "zh") in plan[facts.PLAN_ISSUED_LINE - 1]
