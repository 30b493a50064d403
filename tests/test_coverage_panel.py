"""The coverage tab: table builders and a headless Streamlit run (AppTest) on the fixture data."""

from __future__ import annotations

from test_coverage_fixtures import make_data

from geo import coverage as cov
from ui import coverage_panel as panel


def test_shares_table_percentages_and_headers():
    d = make_data()
    shares = cov.county_shares(cov.coverage_scenarios(d), d)
    zh = panel.shares_table(shares, lang="zh", scenario="2025", target="expressway")
    row = zh.set_index("县（市、区）").loc["庆云县"]
    assert row["数量"] == 2 and row["≤10 公里"] == 50 and row["≤60 分钟"] == 100
    en = panel.shares_table(shares, lang="en", scenario="2030", target="hsr")
    assert list(en["County"]) == ["Qingyun County", "Laoling City", "Tianqu", "Dezhou"]
    assert en.set_index("County").loc["Laoling City", "≤ 15 min"] == 100


def test_change_seats_lengths_tables():
    d = make_data()
    res = cov.coverage_scenarios(d)
    shares = cov.county_shares(res, d)
    chg = panel.median_change(shares, lang="en", target="hsr")
    assert chg.loc["Laoling City", "2025"] > chg.loc["Laoling City", "2030"]
    g = panel.gains_table(res, lang="zh", target="hsr", data=d)
    assert list(g["乡镇（街道）"]) == ["市中街道"] and list(g["县（市、区）"]) == ["乐陵市"]
    seats = panel.seats_table(cov.seat_check(res, d), lang="en", target="expressway")
    assert list(seats["2025"]) == ["meets", "fails"] and list(seats["2030"]) == ["meets", "meets"]
    lt = panel.lengths_table(cov.length_vs_targets(d), lang="en")
    assert list(lt["2030 target (km)"]) == [479, 865]


def test_render_headless():
    from streamlit.testing.v1 import AppTest

    script = """
import sys
sys.path.insert(0, "tests")
from test_coverage_fixtures import make_data
from ui.coverage_panel import render
render(make_data(), lang="en")
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(at.radio) == 3
    assert at.radio[0].options == ["2025 existing", "2030 planned (incl. schematic)"]
    assert len(at.dataframe) >= 4
    captions = " ".join(c.value for c in at.caption)
    assert "detour factor 1.3" in captions
    at.radio[0].set_value("2030").run()
    assert not at.exception
