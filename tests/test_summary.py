
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.summary import city_comparison, items_for_unit, unit_summary, works_touching
from tests.toy_data import plan_data


def tiny():
    counties = gpd.GeoDataFrame({"adcode": ["371402", "371425"]},
                                geometry=[box(116.2, 37.3, 116.5, 37.6), box(116.5, 36.6, 116.9, 37.0)], crs=4326)
    items = gpd.GeoDataFrame({
        "id": ["park-b04-01", "park-b04-02", "transport-b08-02", "water-s18-01", "other-s01-01"],
        "name_zh": ["甲园", "乙园", "德州至商河铁路", "某河治理", "全市项目"],
        "category": ["park", "park", "transport", "water", "other"],
        "precision": ["county", "site", "schematic", "none", "none"],
        "status": ["existing", "implementing", "strive_start", "planned", "unspecified"],
        "units": ["371402", "371425", "371402", "city", "city"],
    }, geometry=[None, Point(116.7, 36.8), LineString([(116.3, 37.4), (116.7, 36.9)]), None, None], crs=4326)
    items["unit_list"] = items["units"].str.split(";")
    units = pd.DataFrame({"code": ["371402", "371425", "tianqu", "city"], "name_zh": ["德城区", "齐河县", "天衢", "全市"],
                          "name_en": ["Decheng", "Qihe", "Tianqu", "City"]})
    roles = pd.DataFrame({"town_code": ["371425104000"], "town_name_zh": ["祝阿镇"], "unit": ["371425"],
                          "role": ["center"], "industry_zh": ["生物医药"], "industry_en": ["biomedicine"]})
    profiles = pd.DataFrame({"unit": ["371425", "371425"], "field": ["primary_industry", "expo"],
                             "value_zh": ["生物医药", "某展"], "value_en": ["biomedicine", "an expo"],
                             "source_ref": ["专栏15", "专栏11"], "source_lines": ["1", "2"], "notes": ["", ""]})
    return plan_data(units=units, counties=counties, tianqu=counties.iloc[0:0], items=items,
                     town_roles=roles, profiles=profiles)


def test_items_for_unit():
    d = tiny()
    assert list(items_for_unit(d.items, "371402")["id"]) == ["park-b04-01", "transport-b08-02"]
    assert len(items_for_unit(d.items, "city")) == 5
    assert len(items_for_unit(d.items, "tianqu")) == 0


def test_works_touching_uses_assignment_and_geometry():
    d = tiny()
    # the railway is assigned to 德城区 only, but its line crosses 齐河县's polygon
    assert list(works_touching(d, "371425")["id"]) == ["transport-b08-02"]
    assert list(works_touching(d, "371402")["id"]) == ["transport-b08-02"]
    assert sorted(works_touching(d, "city")["id"]) == ["transport-b08-02", "water-s18-01"]


def test_unit_summary_numbers():
    s = unit_summary(tiny(), "371425")
    assert s.n_items == 1
    assert s.by_category == {"park": 1}
    assert s.by_precision == {"site": 1}
    assert list(s.parks["id"]) == ["park-b04-02"]
    assert list(s.town_roles["town_name_zh"]) == ["祝阿镇"]
    assert s.profile["primary_industry"][0]["value_zh"] == "生物医药"
    assert s.profile["expo"][0]["value_en"] == "an expo"
    c = unit_summary(tiny(), "city")
    assert c.n_items == 5 and c.by_category == {"park": 2, "other": 1, "transport": 1, "water": 1}


def test_city_comparison_table():
    t = city_comparison(tiny(), "en")
    assert list(t.index) == ["371402", "371425", "tianqu"]
    assert t.loc["371402", "items"] == 2 and t.loc["371402", "parks"] == 1
    assert t.loc["371425", "transport_works"] == 1 and t.loc["371425", "located"] == 1
    assert t.loc["371425", "lead_industry"] == "biomedicine" and t.loc["371425", "town_roles"] == 1
    assert t.loc["tianqu", "items"] == 0


@pytest.mark.slow
def test_real_data_counts_match_an_independent_count():
    from ui.data import load_plan_data

    d = load_plan_data()
    for code in ("371425", "371402", "tianqu"):
        expected = sum(code in str(u).split(";") for u in d.items["units"])
        assert unit_summary(d, code).n_items == expected
    comp = city_comparison(d)
    assert len(comp) == 12 and "city" not in comp.index
    for code, row in comp.iterrows():
        mine = d.items[d.items["units"].map(lambda u, c=code: c in str(u).split(";"))]
        assert row["items"] == len(mine)
        assert row["parks"] == int((mine["category"] == "park").sum())
        assert row["town_roles"] == int((d.town_roles["unit"].astype(str) == code).sum())
