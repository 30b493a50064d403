"""The validator reports each kind of bad row with file, row and field — on tiny hand-made tables."""

from __future__ import annotations

import textwrap

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.load import load_all
from geo.validate import ValidationContext, main, validate_table

PLAN = [
    "第八节 推动产业延链集群发展",  # line 1
    "专栏4 重点产业园区（集群）",  # line 2
    "德城区：德州运河恒升化工产业园、电子信息产业集群。",  # line 3
    "陵城区：数字经济产业园。",  # line 4
    "加快建成天津至潍坊高铁（庆云段）；力争开工建设德",  # line 5
    "州至商河铁路。",  # line 6
    "县域经济中心镇：糜镇（农产品深加工）。",  # line 7
]
# Two made-up square "counties" side by side inside the Dezhou bbox (degrees, WGS84).
COUNTIES = gpd.GeoDataFrame(
    {"adcode": ["371402", "371403"], "name_zh": ["德城区", "陵城区"]},
    geometry=[box(116.2, 37.3, 116.4, 37.5), box(116.4, 37.3, 116.6, 37.5)], crs="EPSG:4326",
)
TOWNS = pd.DataFrame({
    "code": ["371402003000", "371403101000"], "name_zh": ["新华街道", "糜镇"], "unit": ["371402", "371403"],
    "tianqu": ["0", "0"], "lon": ["116.30", "116.50"], "lat": ["37.42", "37.40"],
})
UNITS = {"371402", "371403", "tianqu", "city"}

GOOD = {
    "id": "park-b04-01", "name_zh": "德州运河恒升化工产业园", "name_en": "Hengsheng Chemical Park",
    "category": "park", "subtype": "industrial_park", "industry_tags": "化工", "industry_tags_en": "chemicals",
    "status_zh": "", "status": "existing", "units": "371402", "unit_basis": "stated", "source_ref": "专栏4",
    "source_lines": "3", "quote": "德州运河恒升化工产业园", "precision": "county", "town_code": "", "lon": "",
    "lat": "", "location_source": "plan names the county only", "aliases": "", "notes": "",
}


def ctx(**kw) -> ValidationContext:
    base = {"units": UNITS, "towns": TOWNS, "counties": COUNTIES, "plan": PLAN}
    base.update(kw)
    return ValidationContext(**base)


def check(*rows: dict, context: ValidationContext | None = None):
    df = pd.DataFrame([{**GOOD, **r} for r in rows], dtype=str)
    return validate_table("projects", df, file="projects.csv", context=context or ctx())


def only_error(problems):
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 1, [str(p) for p in errors]
    return errors[0]


def test_good_row_passes():
    good, problems = check({})
    assert len(good) == 1
    assert problems == []


def test_unknown_county():
    good, problems = check({}, {"id": "park-b04-02", "units": "371499"})
    p = only_error(problems)
    assert (p.file, p.row, p.field) == ("projects.csv", 3, "units")
    assert "371499" in p.message
    assert list(good["id"]) == ["park-b04-01"]  # the good row is kept


def test_duplicate_id():
    _, problems = check({}, {"name_zh": "电子信息产业集群", "quote": "电子信息产业集群"})
    p = only_error(problems)
    assert (p.row, p.field) == (3, "id")
    assert "duplicate id 'park-b04-01'" in p.message and "row 2" in p.message


def test_missing_provenance():
    _, problems = check({"source_lines": "", "source_ref": ""})
    fields = sorted(p.field for p in problems if p.is_error)
    assert fields == ["source_lines", "source_ref"]


def test_name_not_on_cited_line():
    _, problems = check({"source_lines": "4"})
    errors = [p for p in problems if p.is_error]
    assert {p.field for p in errors} == {"name_zh", "quote"}
    assert "does not occur on the cited plan line(s) 4" in errors[0].message


def test_name_wrapping_across_lines_is_found():
    good, problems = check({"id": "transport-b08-02", "name_zh": "德州至商河铁路", "quote": "力争开工建设德州至商河铁路",
                            "category": "transport", "subtype": "hsr", "status_zh": "力争开工建设",
                            "status": "strive_start", "source_ref": "专栏8", "source_lines": "5;6",
                            "precision": "schematic", "location_source": "schematic through named places"})
    assert problems == [] and len(good) == 1


def test_status_words_with_a_gap():
    row = {"id": "transport-b08-02", "name_zh": "德州至商河铁路", "quote": "德州至商河铁路", "category": "transport",
           "subtype": "hsr", "status": "strive_start", "source_ref": "专栏8", "source_lines": "5;6",
           "precision": "schematic", "location_source": "schematic"}
    assert check({**row, "status_zh": "力争开工…商河"})[1] == []
    p = only_error(check({**row, "status_zh": "商河…力争开工"})[1])  # pieces must come in order
    assert p.field == "status_zh"


def test_line_outside_plan():
    p = only_error(check({"source_lines": "99"})[1])
    assert p.field == "source_lines" and "outside the plan text" in p.message


def test_invalid_status_word():
    p = only_error(check({"status": "done"})[1])
    assert p.field == "status" and "'done' is not an allowed status" in p.message


def test_status_words_must_be_the_plans():
    p = only_error(check({"status_zh": "已建成"})[1])
    assert p.field == "status_zh"


def test_coordinates_outside_dezhou():
    p = only_error(check({"precision": "site", "lon": "113.0", "lat": "23.1", "location_source": "x"})[1])
    assert p.field == "lon" and "outside Dezhou" in p.message


def test_coordinates_outside_stated_county():
    # inside 陵城区's square, but the row says 德城区
    p = only_error(check({"precision": "site", "lon": "116.5", "lat": "37.4", "location_source": "x"})[1])
    assert p.field == "lon" and "outside its stated unit(s) 371402" in p.message


def test_site_point_inside_its_county_passes():
    good, problems = check({"precision": "site", "lon": "116.3", "lat": "37.4", "location_source": "OSM"})
    assert problems == [] and len(good) == 1


def test_county_precision_must_not_carry_coordinates():
    p = only_error(check({"lon": "116.3", "lat": "37.4"})[1])
    assert p.field == "precision" and "would claim a site" in p.message


def test_town_in_another_county():
    p = only_error(check({"precision": "town", "town_code": "371403101000"})[1])
    assert p.field == "town_code" and "糜镇" in p.message and "371403" in p.message


def test_town_precision_needs_known_town():
    p = only_error(check({"precision": "town", "town_code": "371402999000"})[1])
    assert p.field == "town_code" and "not in towns.csv" in p.message


def test_missing_column_rejects_the_file():
    df = pd.DataFrame([GOOD]).drop(columns=["precision"])
    good, problems = validate_table("projects", df, file="projects.csv", context=ctx())
    assert len(good) == 0
    assert problems[0].row is None and "precision" in problems[0].message


def test_without_plan_text_name_checks_are_skipped():
    good, problems = check({"source_lines": "4"}, context=ctx(plan=None))
    assert problems == [] and len(good) == 1


def test_town_roles_checks():
    df = pd.DataFrame([
        {"id": "town-center-01", "town_code": "371403101000", "town_name_zh": "糜镇", "unit": "371403",
         "role": "center", "industry_zh": "农产品深加工", "industry_en": "agri-food processing",
         "source_ref": "专栏16", "source_lines": "7", "quote": "糜镇（农产品深加工）", "notes": ""},
        {"id": "town-center-02", "town_code": "371403101000", "town_name_zh": "糜镇", "unit": "371402",
         "role": "hub", "industry_zh": "", "industry_en": "", "source_ref": "专栏16", "source_lines": "7",
         "quote": "", "notes": ""},
    ], dtype=str)
    good, problems = validate_table("town_roles", df, file="town_roles.csv", context=ctx())
    assert list(good["id"]) == ["town-center-01"]
    assert sorted((p.row, p.field) for p in problems if p.is_error) == [(3, "role"), (3, "unit")]


def _write_dataset(tmp_path, projects_rows: str) -> None:
    (tmp_path / "units.csv").write_text(
        "code,name_zh,name_en,kind,seat_zh,notes\n371402,德城区,Decheng,district,,\n"
        "371403,陵城区,Lingcheng,district,,\ncity,全市,City,city,,\n", encoding="utf-8")
    COUNTIES.assign(name_en=["Decheng", "Lingcheng"]).to_file(tmp_path / "counties.geojson", driver="GeoJSON")
    (tmp_path / "towns.csv").write_text(
        "code,name_zh,name_en,unit,type,tianqu,lon,lat,point_precision,point_source,code_2016,name_2016\n"
        "371402003000,新华街道,Xinhua,371402,街道,0,116.30,37.42,source_point,test,,\n"
        "371403101000,糜镇,Mi,371403,镇,0,116.50,37.40,source_point,test,,\n", encoding="utf-8")
    (tmp_path / "town_roles.csv").write_text(
        "id,town_code,town_name_zh,unit,role,industry_zh,industry_en,source_ref,source_lines,quote,notes\n",
        encoding="utf-8")
    header = ",".join(GOOD)
    (tmp_path / "projects.csv").write_text(header + "\n" + textwrap.dedent(projects_rows), encoding="utf-8")


def test_loader_keeps_good_rows_and_reports_rejected(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(PLAN), encoding="utf-8")
    _write_dataset(tmp_path, """\
        park-b04-01,德州运河恒升化工产业园,Hengsheng,park,industrial_park,化工,chemicals,,existing,371402,stated,专栏4,3,德州运河恒升化工产业园,county,,,,plan names county,,
        park-b04-02,数字经济产业园,Digital Economy Park,park,industrial_park,,,,existing,371499,stated,专栏4,4,数字经济产业园,county,,,,plan names county,,
        park-b04-03,数字经济产业园,Digital Economy Park,park,industrial_park,,,,existing,371403,stated,专栏4,4,数字经济产业园,town,371403101000,,,placed at town 糜镇,,
        """)
    data = load_all(tmp_path, plan_text=plan)
    assert list(data.items["id"]) == ["park-b04-01", "park-b04-03"]
    assert data.items.geometry.iloc[0] is None  # county-only: no point is invented
    assert data.items.geometry.iloc[1].x == pytest.approx(116.50)  # placed at the town point
    rejected = data.rejected["projects.csv"]
    assert list(rejected["id"]) == ["park-b04-02"]
    assert "units" in rejected["problem"].iloc[0]
    assert any(p.row == 3 and p.field == "units" for p in data.problems)


@pytest.mark.slow
def test_cli_exit_codes(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(PLAN), encoding="utf-8")
    _write_dataset(tmp_path, """\
        park-b04-01,德州运河恒升化工产业园,Hengsheng,park,industrial_park,化工,chemicals,,existing,371402,stated,专栏4,3,德州运河恒升化工产业园,county,,,,plan names county,,
        """)
    assert main(["--data", str(tmp_path), "--plan", str(plan), "--quiet-warnings"]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(GOOD) + "\npark-b04-01,不存在的园区,X,park,industrial_park,,,,existing,371402,stated,"
                   "专栏4,3,不存在的园区,county,,,,plan names county,,\n", encoding="utf-8")
    assert main(["--data", str(tmp_path), "--plan", str(plan), "--projects", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.csv:row 2:name_zh: error: name_zh '不存在的园区' does not occur on the cited plan line(s) 3" in out


def test_missing_required_file_is_an_error(tmp_path, capsys):
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(PLAN), encoding="utf-8")
    _write_dataset(tmp_path, "")
    (tmp_path / "towns.csv").unlink()
    assert main(["--data", str(tmp_path), "--plan", str(plan)]) == 1
    assert "towns.csv: error: file is missing" in capsys.readouterr().out


@pytest.mark.slow
def test_official_town_boundaries_replace_approximate_areas(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(PLAN), encoding="utf-8")
    _write_dataset(tmp_path, "")
    approx = gpd.GeoDataFrame(
        {"code": ["371402003000", "371403101000"], "name_zh": ["新华街道", "糜镇"], "unit": ["371402", "371403"],
         "precision": ["approximate", "approximate"]},
        geometry=list(COUNTIES.geometry), crs="EPSG:4326")
    approx.to_file(tmp_path / "town_areas.geojson", driver="GeoJSON")
    data = load_all(tmp_path, plan_text=plan)
    assert sorted(data.town_areas["precision"]) == ["approximate", "approximate"]

    folder = tmp_path / "official_town_boundaries"
    folder.mkdir()
    official = gpd.GeoDataFrame({"XZQDM": ["371402003"], "XZQMC": ["新华街道办事处"]},
                                geometry=[box(116.2, 37.3, 116.4, 37.5)], crs="EPSG:4490")
    official.to_file(folder / "towns.gpkg", driver="GPKG")
    data = load_all(tmp_path, plan_text=plan)
    areas = data.town_areas.set_index("code")
    assert areas.loc["371402003000", "precision"] == "official"
    assert areas.loc["371403101000", "precision"] == "approximate"  # not covered by the file: kept
    assert "towns.gpkg" in areas.loc["371402003000", "method"]
    assert not [p for p in data.problems if p.is_error]


# Bad rows of projects.csv, each with the message code it must produce (row 2 of the file is GOOD, these are row 3).
BAD_ROWS = [
    ({"units": "371499"}, "unknown_unit"),
    ({"id": "park-b04-01"}, "duplicate_id"),
    ({"id": "Park 1"}, "malformed_id"),
    ({"source_lines": "4"}, "name_not_on_line"),
    ({"source_lines": "99"}, "lines_outside_plan"),
    ({"source_lines": "3;x"}, "bad_source_lines"),
    ({"source_ref": "table 4"}, "bad_source_ref"),
    ({"status": "done"}, "bad_choice"),
    ({"name_en": ""}, "empty_required"),
    ({"industry_tags_en": ""}, "tags_mismatch"),
    ({"precision": "site", "lon": "113.0", "lat": "23.1", "location_source": "x"}, "outside_dezhou"),
    ({"precision": "site", "lon": "116.5", "lat": "37.4", "location_source": "x"}, "outside_unit"),
    ({"precision": "site", "lon": "116.30", "lat": "37.0", "location_source": "x"}, "outside_boundary"),
    ({"precision": "site", "lon": "east", "lat": "37.4", "location_source": "x"}, "coords_not_numbers"),
    ({"precision": "site", "location_source": "x"}, "site_needs_coords"),
    ({"lon": "116.3", "lat": "37.4"}, "coords_with_county_precision"),
    ({"location_source": ""}, "location_source_missing"),
    ({"precision": "town"}, "town_needs_code"),
    ({"precision": "town", "town_code": "37140310"}, "town_code_malformed"),
    ({"precision": "town", "town_code": "371402999000"}, "town_not_found"),
    ({"precision": "town", "town_code": "371403101000"}, "town_wrong_unit"),
    ({"related": "park-b09-09"}, "related_unknown"),
]


@pytest.mark.parametrize(("row", "code"), BAD_ROWS, ids=[c for _, c in BAD_ROWS])
def test_every_problem_has_a_translated_code(row, code):
    """Each bad row's problem carries a message code with text in both languages; in English that text, filled
    with the problem's params, is exactly the (unchanged) English message; the Chinese one has no English
    template words left and keeps the values (e.g. the unknown unit code)."""
    from i18n import catalog
    from ui.text import problem_message

    _, problems = check({}, {"id": "park-b04-02", **row})
    mine = [p for p in problems if p.row == 3]
    assert code in {p.code for p in mine}, [(p.code, p.message) for p in mine]
    for p in problems:
        assert p.code, p
        assert f"validate.{p.code}" in catalog("en") and f"validate.{p.code}" in catalog("zh")
        assert problem_message(p, "en") == p.message
        zh = problem_message(p, "zh")
        assert zh != p.message and any("\u4e00" <= ch <= "\u9fff" for ch in zh)
        for value in p.param_dict.values():
            if value not in ("site", "town point"):  # these words are translated
                assert value in zh, (value, zh)


def test_unknown_unit_in_chinese_and_english():
    from ui.text import problem_text

    p = only_error(check({}, {"id": "park-b04-02", "units": "371499"})[1])
    assert (p.code, p.param_dict["units"]) == ("unknown_unit", "371499")
    assert problem_text(p, "zh") == ("projects.csv 第 3 行，字段 units：未知的区县代码 371499；"
                                     "允许的代码：371402, 371403, city, tianqu")
    assert problem_text(p, "en") == ("projects.csv, row 3, field units: unknown unit(s) 371499; "
                                     "allowed: 371402, 371403, city, tianqu")
    p = only_error(check({"precision": "site", "lon": "116.5", "lat": "37.4", "location_source": "x"})[1])
    assert problem_text(p, "zh").endswith("选址（116.50000, 37.40000）不在所填区县 371402 范围内")


def test_problem_without_a_known_code_falls_back_to_its_message():
    from geo.problems import Problem
    from ui.text import problem_line, problem_text

    p = Problem("x.csv", 4, "lon", "some new check", code="no_such_code")
    assert problem_text(p, "zh") == "x.csv 第 4 行，字段 lon：some new check"
    assert problem_line(Problem("x.csv", None, None, "odd"), "en") == "x.csv: error: odd"
    assert hash(p) == hash(Problem("x.csv", 4, "lon", "some new check", code="no_such_code"))


def test_table_level_and_loader_problems_have_codes(tmp_path):
    from ui.text import problem_line, problem_message

    df = pd.DataFrame([GOOD]).drop(columns=["precision"])
    (p,) = validate_table("projects", df, file="projects.csv", context=ctx())[1]
    assert p.code == "missing_columns" and problem_message(p, "en") == p.message
    assert problem_message(p, "zh").startswith("缺少列 precision；应有的列：id, ")
    _write_dataset(tmp_path, "")
    (tmp_path / "towns.csv").unlink()
    data = load_all(tmp_path, plan_text=tmp_path / "no_plan.txt")
    assert {"file_missing", "plan_text_missing"} <= {p.code for p in data.problems}
    assert all(p.code for p in data.problems)
    towns = next(p for p in data.problems if p.file == "towns.csv")
    assert problem_line(towns, "en") == "towns.csv: error: file is missing" == str(towns)
    assert problem_line(towns, "zh") == "towns.csv：错误：文件缺失"
    for p in data.problems:
        assert problem_message(p, "en") == p.message
