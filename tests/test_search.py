import pandas as pd
import pytest

from geo.search import SearchIndex, pinyin_full, pinyin_initials

ITEMS = pd.DataFrame([
    {"id": "transport-b08-02", "name_zh": "德州至商河铁路", "name_en": "Dezhou–Shanghe Railway", "aliases": "德商高铁"},
    {"id": "park-b04-01", "name_zh": "齐河经济开发区", "name_en": "Qihe Economic Development Zone", "aliases": ""},
    {"id": "park-b04-02", "name_zh": "齐河县智能制造产业园", "name_en": "Qihe Smart Manufacturing Park", "aliases": ""},
    {"id": "transport-s18-02", "name_zh": "庆云通用机场", "name_en": "Qingyun General Aviation Airport", "aliases": None},
])
TOWNS = pd.DataFrame([
    {"code": "371425001000", "name_zh": "晏城街道", "name_en": "Yancheng Subdistrict"},
    {"code": "371425104000", "name_zh": "祝阿镇", "name_en": "Zhu'a Town"},
])


def keys(hits):
    return [h.key for h in hits]


def test_pinyin_helpers():
    assert pinyin_full("齐河") == "qihe"
    assert pinyin_initials("德商高铁") == "dsgt"


def test_chinese_substring_and_alias():
    ix = SearchIndex(ITEMS, TOWNS)
    assert keys(ix.search("商河")) == ["transport-b08-02"]
    hit = ix.search("德商高铁")[0]
    assert (hit.key, hit.matched) == ("transport-b08-02", "zh")


def test_pinyin_full_and_initials_are_case_insensitive():
    ix = SearchIndex(ITEMS, TOWNS)
    assert keys(ix.search("DeShang")) == ["transport-b08-02"]
    assert keys(ix.search("dsgt")) == ["transport-b08-02"]
    assert ix.search("qytyjc")[0].key == "transport-s18-02"


def test_english_and_towns():
    ix = SearchIndex(ITEMS, TOWNS)
    assert keys(ix.search("airport")) == ["transport-s18-02"]
    hits = ix.search("yancheng")
    assert hits[0].kind == "town" and hits[0].key == "371425001000"
    assert keys(ix.search("祝阿")) == ["371425104000"]


def test_ranking_exact_before_prefix_before_substring():
    ix = SearchIndex(ITEMS, TOWNS)
    # "齐河经济开发区" exact beats the longer name that merely starts with 齐河
    assert keys(ix.search("齐河经济开发区"))[0] == "park-b04-01"
    ranked = keys(ix.search("齐河"))
    assert ranked[:2] == ["park-b04-01", "park-b04-02"]  # both prefixes; the shorter name first


def test_empty_and_unknown_queries():
    ix = SearchIndex(ITEMS, TOWNS)
    assert ix.search("") == [] and ix.search("   ") == []
    assert ix.search("zzzzqqq") == []
    assert SearchIndex(None, None).search("德州") == []


@pytest.mark.slow
def test_real_data_finds_the_fixed_transport_ids():
    from ui.data import load_plan_data

    data = load_plan_data()
    ix = SearchIndex(data.items, data.towns)
    ids = set(data.items["id"])
    if "transport-b08-02" in ids:
        assert ix.search("德商高铁")[0].key == "transport-b08-02"
    first_town = data.towns.iloc[0]
    assert first_town["code"] in keys(ix.search(first_town["name_zh"]))


UNITS = pd.DataFrame([
    {"code": "371425", "name_zh": "齐河县", "name_en": "Qihe County"},
    {"code": "371482", "name_zh": "禹城市", "name_en": "Yucheng City"},
    {"code": "tianqu", "name_zh": "德州天衢新区", "name_en": "Dezhou Tianqu New Area"},
    {"code": "city", "name_zh": "全市", "name_en": "City-wide"},
])


def test_units_come_first():
    """Issue 11 item 6: 齐河 / qihe / qh / Yucheng / 齐河县 find the county first, then its items."""
    ix = SearchIndex(ITEMS, TOWNS, UNITS)
    for q in ("齐河", "qihe", "qh", "齐河县", "Qihe County"):
        hits = ix.search(q)
        assert (hits[0].kind, hits[0].key) == ("unit", "371425"), q
        if q in ("齐河", "qihe", "qh"):
            assert {"park-b04-01", "park-b04-02"} <= set(keys(hits[1:])), q
    assert keys(ix.search("Yucheng")) == ["371482"]
    assert keys(ix.search("天衢")) == ["tianqu"] and keys(ix.search("tianqu")) == ["tianqu"]
    assert "city" not in keys(ix.search("全市"))
    assert len(ix.search("q", limit=None)) >= len(ix.search("q", limit=2)) == 2
