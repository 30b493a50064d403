"""The coverage tab: table builders and a headless Streamlit run (AppTest) on the fixture data."""

from __future__ import annotations

import pytest

from geo import coverage as cov
from tests.toy_data import make_coverage_data as make_data
from tests.toy_data import plan_data
from ui import coverage_panel as panel

pytestmark = pytest.mark.slow


def test_shares_table_percentages_and_headers():
    d = make_data()
    shares = cov.county_shares(cov.coverage_scenarios(d), d)
    zh = panel.shares_table(shares, lang="zh", scenario="2025", target="expressway")
    row = zh.set_index("县（市、区）").loc["庆云县"]
    assert row["数量（个）"] == 2 and row["≤10 公里（%）"] == 50 and row["≤60 分钟（%）"] == 100
    # the fixture's entrances are real points: no figure rests on an assumption, none is outside
    assert row["依赖推定入口或位置（个）"] == 0 and row["最近设施在外市（个）"] == 0
    en = panel.shares_table(shares, lang="en", scenario="2030", target="hsr")
    assert list(en["County"]) == ["Qingyun County", "Leling City", "Tianqu", "Dezhou"]
    assert en.set_index("County").loc["Leling City", "≤15 min (%)"] == 100
    assert all("(%)" in c or "(count)" in c or c in ("County", "Count", "Median (min)") for c in en.columns)


def test_change_seats_lengths_tables():
    d = make_data()
    res = cov.coverage_scenarios(d)
    shares = cov.county_shares(res, d)
    chg = panel.median_change(shares, lang="en", target="hsr")
    assert chg.loc["Leling City", "2025"] > chg.loc["Leling City", "2030"]
    g = panel.gains_table(res, lang="zh", target="hsr", data=d)
    assert list(g["乡镇（街道）"]) == ["市中街道"] and list(g["县（市、区）"]) == ["乐陵市"]
    seats = panel.seats_table(cov.seat_check(res, d), lang="en", target="expressway")
    assert list(seats["2025 existing: standard met?"]) == ["meets", "fails"]
    assert list(seats["2030 built as planned: standard met?"]) == ["meets", "meets"]
    assert list(seats["2030 built as planned (min)"]) == [5.9, 9.8]
    lt = panel.lengths_table(cov.length_vs_targets(d), lang="en")
    assert list(lt["2030 target (km)"]) == [479, 865]


@pytest.mark.apptest
def test_render_headless():
    from streamlit.testing.v1 import AppTest

    script = """
import sys
sys.path.insert(0, "tests")
from tests.toy_data import make_coverage_data as make_data
from ui.coverage_panel import render
render(make_data(), lang="en")
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(at.radio) == 3
    assert at.radio[0].options == ["2025 existing", "2030 built as planned", "2030 incl. sought and studied works"]
    assert len(at.dataframe) >= 4
    captions = " ".join(c.value for c in at.caption)
    assert "detour factor 1.3" in captions
    info = " ".join(i.value for i in at.info)
    assert "2025 existing · Expressway entrance: 1 of 3 within 30 minutes; 0 figures rest on" in info
    method = " ".join(m.value for m in at.markdown)
    assert "2030 built as planned" in method and "within 50 km" in method and "38.2° N" in method
    at.radio[0].set_value("2030_all").run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "2030 incl. sought and studied works · Expressway entrance: 2 of 3 within 30 minutes" in info
    assert any("Change 2025→2030 incl. sought and studied works" in m.value for m in at.markdown)


@pytest.mark.apptest
def test_render_follows_the_selected_county_in_chinese():
    from streamlit.testing.v1 import AppTest

    script = """
import sys
sys.path.insert(0, "tests")
from tests.toy_data import make_coverage_data as make_data
from ui.coverage_panel import render
render(make_data(), lang="zh", unit="371481", basemap="none")
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.radio[0].options == ["2025 现状", "2030 规划建成", "2030 含争取和研究项目"]
    assert "2025 现状 · 高速公路出入口：3 个对象中 1 个在 30 分钟内" in at.info[0].value
    assert any("虚线 = 示意线或推定/规划位置" in c.value for c in at.caption)


def test_english_tables_have_no_raw_codes_or_tuple_headers():
    """QA: the per-county lengths table showed tuple headers ('expressway', '2025') and the works table raw
    columns/values (plan_item_id, strive_start, True); county seats were Chinese only in English."""

    import pandas as pd

    d = make_data()
    res = cov.coverage_scenarios(d)
    seats = panel.seats_table(cov.seat_check(res, d), lang="en", target="expressway", data=d)
    assert list(seats["County seat"]) == ["Bohailu (渤海路街道)", "Shizhong (市中街道)"]
    assert list(panel.seats_table(cov.seat_check(res, d), lang="zh", target="expressway", data=d)["可信度"]) == [
        "不确定", "较可靠"]
    per = panel.county_lengths_table(cov.network_lengths(d), lang="en")
    assert list(per.columns[:4]) == ["County", "High-speed rail 2025 existing (km)",
                                     "Conventional rail and sidings 2025 existing (km)", "All railway 2025 existing (km)"]
    assert per.set_index("County").loc["Leling City", "Expressway 2030 incl. sought and studied works (km)"] == 80.0
    works = pd.DataFrame({"plan_item_id": ["transport-b08-02", "transport-b08-09"],
                          "name": ["德州至商河铁路", "G0311 济南—聊城高速公路改扩建"], "mode": ["hsr", "expressway"],
                          "status": ["strive_start", "start"], "quality": ["schematic", "schematic"],
                          "km": [58.46, 31.81], "counted": [True, False]})
    items = pd.DataFrame({"id": ["transport-b08-02"], "name_en": ["Dezhou–Shanghe railway"]})
    en = panel.works_table(works, lang="en", data=plan_data(items=items))
    assert en.to_dict("records")[0] == {
        "Plan item": "transport-b08-02", "Work": "Dezhou–Shanghe railway (德州至商河铁路)", "Mode": "High-speed rail",
        "Plan status": "strive to start", "Geometry": "schematic", "km in the city": 58.5,
        "Counted in 2030 length": "yes"}
    assert en.iloc[1]["Work"] == "G0311 济南—聊城高速公路改扩建"  # no English name: the Chinese alone
    zh = panel.works_table(works, lang="zh", data=None)
    assert list(zh["规划状态"]) == ["力争开工", "开工建设"] and list(zh["计入 2030 里程"]) == ["是", "否（既有道路改扩建）"]


def test_gains_table_names_the_2030_target_in_english():
    d = make_data()
    res = cov.coverage_scenarios(d)
    res = res.assign(target_name_en=res["target_name_zh"].map({"庆云站": "Qingyun station"}).fillna(""))
    g = panel.gains_table(res, lang="en", target="hsr", data=d)
    assert list(g["Nearest in 2030"]) == ["Qingyun station (庆云站)"]
