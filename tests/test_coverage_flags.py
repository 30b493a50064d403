"""Coverage figures that rest on assumptions, targets of neighbouring cities, and the two 2030 scenarios
(issue 11 items 15–17), on the hand-made fixture (EPSG:32650 metres, see tests/toy_data.py)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo import coverage as cov
from tests.toy_data import make_coverage_data as make_data
from tests.toy_data import utm_point
from ui import coverage_panel as panel

pytestmark = pytest.mark.slow


def _with_assumed_entrance_at_the_seat():
    """甲出入口 becomes an assumed entrance placed at the 渤海路街道 town point (500000, 4120000)."""
    d = make_data()
    ent = d.networks["expressway_entrances"].copy()
    ent["basis"] = ["assumed", "known"]
    ent["precision"] = ["town", "town"]
    ent.loc[0, "geometry"] = utm_point(500000, 4120000)
    d.networks["expressway_entrances"] = ent
    return d


def test_assumed_entrance_at_the_town_point_is_flagged_not_just_met():
    d = _with_assumed_entrance_at_the_seat()
    r = cov.coverage(d, scenario="2025", target_kinds=["expressway"], include_parks=False).set_index("origin_id")
    seat = r.loc["371423001000"]
    assert seat["km"] == pytest.approx(0.0, abs=1e-6) and seat["target_basis"] == "assumed"
    assert seat["assumed_entrance"] and seat["at_target_point"] and seat["rests_on_assumption"]
    # 庆云镇 (490000, 4110000): nearest is still 甲 at 14.1 km: assumed, but not at its own point
    other = r.loc["371423100000"]
    assert other["km"] == pytest.approx(14.142, abs=0.01)
    assert other["assumed_entrance"] and not other["at_target_point"]
    # 市中街道 (540000, 4130000) reaches the known 乙出入口 (500000, 4124000): 40.4 km, no assumption
    leling = r.loc["371481001000"]
    assert leling["target_basis"] == "known" and not leling["rests_on_assumption"]
    shares = cov.county_shares(r.reset_index(), d).set_index("county")
    assert shares.loc["371423", "n_assumed"] == 2 and shares.loc["371423", "n_at_point"] == 1
    assert shares.loc["city", "n_assumed"] == 2


def test_seat_table_says_met_only_on_an_assumption():
    d = _with_assumed_entrance_at_the_seat()
    res = cov.coverage_scenarios(d, include_parks=False)
    check = cov.seat_check(res, d).set_index(["adcode", "target"])
    row = check.loc[("371423", "expressway")]
    assert row["meets_2025"] and row["assumed_2025"] and row["at_point_2025"] and row["minutes_2025"] == 0
    zh = panel.seats_table(cov.seat_check(res, d), lang="zh", target="expressway", data=d)
    assert list(zh["2025 现状：是否达标"]) == ["达标（设施按本镇点放置，0 公里非实测）", "未达标"]
    en = panel.seats_table(cov.seat_check(res, d), lang="en", target="expressway", data=d)
    assert en.iloc[0]["2025 existing: standard met?"] == "meets (placed at this town's point; 0 km is not measured)"
    text = panel.summary_text(res, lang="en", scenario="2025", target="expressway")
    assert text.startswith("2025 existing · Expressway entrance: 2 of 3 within 30 minutes; 2 figures rest on")
    assert "(1 of them at 0 km, not measured)" in text and "for 0 the nearest target is outside Dezhou" in text


def test_station_of_a_neighbouring_city_counts_and_is_marked_outside():
    d = make_data()
    st = d.networks["stations"]
    # 丙站 500 m east of the 乐陵 box (x ≤ 560 km): 20.5 km from 市中街道 (540000, 4130000), whose nearest station
    # inside is 乙站 (510000, 4120000) at 31.6 km
    extra = gpd.GeoDataFrame({"name": ["丙站"], "name_en": ["Rail 3"], "hsr": [0], "scenario": ["2025"]},
                             geometry=[utm_point(560500, 4130000)], crs="EPSG:4326")
    d.networks["stations"] = pd.concat([st, extra], ignore_index=True)
    tg = cov.targets(d, scenario="2025", target="rail")
    assert dict(zip(tg["name_zh"], tg["outside"], strict=True)) == {"甲高铁站": False, "乙站": False, "丙站": True}
    r = cov.coverage(d, scenario="2025", target_kinds=["rail"], include_parks=False).set_index("origin_id")
    assert r.loc["371481001000", "target_name_zh"] == "丙站"
    assert r.loc["371481001000", "km"] == pytest.approx(20.5, abs=0.01) and r.loc["371481001000", "target_outside"]
    assert not r.loc["371423001000", "target_outside"]
    gt = panel.gains_table(cov.coverage_scenarios(d, include_parks=False), lang="zh", target="hsr", data=d)
    assert "2030 数值依据" in gt.columns


def test_2030_counts_only_works_built_by_2030_and_2030_all_every_work():
    d = make_data()
    pw = d.networks["planned_works"].copy()
    extra = pw.iloc[[4]].copy()  # a second planned HSR station, of 德商高铁 (力争开工建设: strive_start)
    extra["name"], extra["plan_item_id"] = "陵城站", "transport-b08-02"
    extra["geometry"] = [utm_point(500000, 4121000)]
    d.networks["planned_works"] = pd.concat([pw, extra], ignore_index=True)
    names = {s: set(cov.targets(d, scenario=s, target="hsr")["name_zh"]) for s in cov.SCENARIOS}
    assert names == {"2025": {"甲高铁站"}, "2030": {"甲高铁站", "庆云站"}, "2030_all": {"甲高铁站", "庆云站", "陵城站"}}
    res = cov.coverage_scenarios(d, target_kinds=["hsr"], include_parks=False)
    m = res.set_index(["scenario", "origin_id"])["minutes"]
    # 渤海路街道 (500000, 4120000): 5 km to 甲高铁站 = 9.75 min; 1 km to 陵城站 in 2030_all = 1.95 min
    assert m[("2030", "371423001000")] == pytest.approx(9.75) and m[("2030_all", "371423001000")] == pytest.approx(1.95)
    g = cov.gains(res, to="2030_all").set_index("origin_id")
    assert g.loc["371423001000", "gain_min"] == pytest.approx(7.8)
    assert cov.scenario_statuses("2030") == cov.BUILT_BY_2030 and cov.scenario_statuses("2030_all") is None
    assert "strive_start" not in cov.BUILT_BY_2030 and "complete" in cov.BUILT_BY_2030


def test_lines_of_2030_only_built_works_and_lengths_table_units():
    d = make_data()
    pw = d.networks["planned_works"].copy()
    pw.loc[2, "plan_item_id"] = "transport-b08-02"  # the HSR line becomes 德商 (strive_start)
    d.networks["planned_works"] = pw
    assert "transport-b08-02" not in set(cov.network_lines(d, scenario="2030")["plan_item_id"])
    assert "transport-b08-02" in set(cov.network_lines(d, scenario="2030_all")["plan_item_id"])
    lt = panel.lengths_table(cov.length_vs_targets(d), lang="zh")
    assert "2030 示意线占比（%）" in lt.columns and "距目标（公里；正 = 尚差，负 = 已超出）" in lt.columns


def test_cli_scenarios_and_flag_columns():
    import io
    from contextlib import redirect_stdout

    d = _with_assumed_entrance_at_the_seat()
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cov.main(["--scenario", "2030_all", "--target", "expressway"], data=d) == 0
    header, _, body = buf.getvalue().partition("\n")
    assert "scenario=2030_all" in header and "sought or studied" in header
    df = pd.read_csv(io.StringIO(body), dtype={"code": str})
    row = df.set_index("code").loc["371423001000"]
    assert bool(row["rests_on_assumption"]) and bool(row["at_target_point"]) and not bool(row["target_outside"])
    buf = io.StringIO()
    with redirect_stdout(buf):
        cov.main(["--scenario", "2030", "--target", "hsr"], data=d)
    assert "built or completed by 2030" in buf.getvalue().partition("\n")[0]
