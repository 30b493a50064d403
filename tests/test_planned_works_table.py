"""data/networks/planned_works.csv, the table of planned works tools/build_networks.py draws: the shipped table
passes `python -m geo.validate`; a bad row is reported with its file, row and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo import validate
from geo.paths import DATA_DIR
from geo.validate import check_planned_works

FILE = "networks/planned_works.csv"


@pytest.fixture(scope="module")
def item_ids() -> set[str]:
    return set(pd.read_csv(DATA_DIR / "projects.csv", dtype=str, keep_default_na=False)["id"])


def _table() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / FILE, dtype=str, keep_default_na=False)


def test_shipped_table_passes_with_the_plan(plan: list[str], item_ids: set[str]) -> None:
    table = _table()
    assert len(table) == 22 and set(table["shape"]) == {"line", "point"}
    assert set(table["plan_item_id"]) <= item_ids
    assert check_planned_works(DATA_DIR, item_ids=item_ids, plan=plan) == []


def test_a_bad_row_names_file_row_and_field(tmp_path: Path, plan: list[str], item_ids: set[str]) -> None:
    table = _table()
    table.loc[0, "plan_item_id"] = "transport-b08-99"        # row 2: no such plan item
    table.loc[1, "shape"] = "polygon"                         # row 3: not a shape
    table.loc[2, "plan_name_zh"] = "德州至北京铁路"              # row 4: not on the cited lines
    table.loc[3, "waypoints"] = "陵城;临邑"                      # row 5: a station at two places
    table.loc[4, "source_lines"] = "abc"                      # row 6
    table.loc[5, "drawn"] = "along the river"                 # row 7: no such rule
    table.loc[6, "mode"] = "teleport"                         # row 8
    (tmp_path / "networks").mkdir()
    table.to_csv(tmp_path / FILE, index=False)
    found = {(p.file, p.row, p.field, p.code) for p in check_planned_works(tmp_path, item_ids=item_ids, plan=plan)}
    assert found == {
        (FILE, 2, "plan_item_id", "work_unknown_item"),
        (FILE, 3, "shape", "bad_choice"),
        (FILE, 4, "plan_name_zh", "name_not_on_line"),
        (FILE, 5, "waypoints", "work_point_place"),
        (FILE, 6, "source_lines", "bad_source_lines"),
        (FILE, 7, "drawn", "work_bad_drawn"),
        (FILE, 8, "mode", "bad_choice"),
    }


def test_rules_that_need_places_to_draw_through(tmp_path: Path, item_ids: set[str]) -> None:
    table = _table()
    crossing = table.index[table["drawn"].str.startswith("river_crossing:")][0]
    table.loc[crossing, "drawn_through"] = ""
    (tmp_path / "networks").mkdir()
    table.to_csv(tmp_path / FILE, index=False)
    problems = check_planned_works(tmp_path, item_ids=item_ids, plan=None)
    assert [(p.row, p.field, p.code) for p in problems] == [
        (int(crossing) + 2, "drawn_through", "work_drawn_through_missing")]


@pytest.mark.slow
def test_validate_cli_checks_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str], plan: list[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = _table()
    table.loc[1, "role"] = "bridge"
    table.to_csv(data / FILE, index=False)
    assert validate.main(["--data", str(data), "--quiet-warnings"]) == 1
    out = capsys.readouterr().out
    assert "networks/planned_works.csv:row 3:role: error: 'bridge' is not an allowed role" in out
    assert "1 error(s)" in out
