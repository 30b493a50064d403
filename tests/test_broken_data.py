"""Broken data files (issue 9 defect 3): the validator never traces back and names file, row and field; the loader
keeps every readable row; the app keeps serving what loaded and shows no traceback or server path.

Each test copies data/ to tmp_path, breaks one file the way a hand edit or a spreadsheet does, and goes through the
real entry points: ``python -m geo.validate --data`` (a subprocess), ``geo.load.load_all`` and the app
(``DEZHOU_DATA_DIR``, AppTest).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.load import load_all
from geo.paths import DATA_DIR, PROJECT_ROOT
from i18n import t
from tests.apptest_support import APP, folium_components, plain

pytestmark = pytest.mark.slow

N_PROJECTS = len(pd.read_csv(DATA_DIR / "projects.csv", dtype=str))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    return d


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stray_quote(d: Path) -> None:
    """Row 11 gets a quote mark at the start of its name cell (a typo); the next quote in the file is lines later."""
    lines = _lines(d / "projects.csv")
    first, rest = lines[10].split(",", 1)
    lines[10] = f'{first},"{rest}'
    _write(d / "projects.csv", lines)


def ragged(d: Path) -> None:
    lines = _lines(d / "projects.csv")
    lines[5] += ",extra,cells"
    _write(d / "projects.csv", lines)


def renamed_header(d: Path) -> None:
    text = (d / "projects.csv").read_text(encoding="utf-8")
    (d / "projects.csv").write_text(text.replace("precision", "precison", 1), encoding="utf-8")


def encoded(codec: str):
    def mutate(d: Path) -> None:
        (d / "projects.csv").write_bytes((d / "projects.csv").read_text(encoding="utf-8").encode(codec))
    return mutate


def empty(d: Path) -> None:
    (d / "projects.csv").write_bytes(b"")


def xlsx_as_csv(d: Path) -> None:
    df = pd.read_csv(d / "projects.csv", dtype=str, keep_default_na=False)
    df.to_excel(d / "p.xlsx", index=False)
    (d / "p.xlsx").replace(d / "projects.csv")


def garbage_boundaries(d: Path) -> None:
    (d / "official_town_boundaries").mkdir()
    (d / "official_town_boundaries" / "towns.geojson").write_bytes(b"\x00\x01 not json {{{")


def garbage_network(d: Path) -> None:
    (d / "networks" / "rail.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")


# (breakage, problem code, row, field, projects rows kept)
CASES = {
    "stray_quote": (stray_quote, "stray_quote", 11, None, N_PROJECTS - 1),
    "ragged_row": (ragged, "ragged_row", 6, None, N_PROJECTS - 1),
    "renamed_header": (renamed_header, "column_misspelt", 1, "precison", 0),
    "gb18030": (encoded("gb18030"), "file_encoding", None, None, N_PROJECTS),
    "utf16": (encoded("utf-16"), "file_encoding", None, None, N_PROJECTS),
    "empty": (empty, "file_empty", None, None, 0),
    "xlsx_as_csv": (xlsx_as_csv, "file_is_excel", None, None, N_PROJECTS),
    "garbage_boundaries": (garbage_boundaries, "geofile_unreadable", None, None, N_PROJECTS),
    "garbage_network": (garbage_network, "geofile_unreadable", None, None, N_PROJECTS),
}


@pytest.mark.parametrize("case", list(CASES))
def test_validator_reports_broken_file_without_traceback(case: str, data_copy: Path) -> None:
    mutate, code, row, fld, kept = CASES[case]
    mutate(data_copy)
    r = subprocess.run([sys.executable, "-m", "geo.validate", "--data", str(data_copy), "--quiet-warnings"],
                       cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    out = r.stdout + r.stderr
    assert "Traceback" not in out and 'File "' not in out
    assert r.returncode == 1
    data = load_all(data_copy)
    hits = [p for p in data.problems if p.code == code]
    assert hits, [str(p) for p in data.problems if p.is_error]
    assert (hits[0].row, hits[0].field) == (row, fld)
    assert str(hits[0]) in out  # the CLI prints the same problem: file, row, field, plain words
    assert len(data.items) == kept


def test_stray_quote_keeps_every_following_row(data_copy: Path) -> None:
    """Without the fix, the quote merged rows 11-16 into one cell and six good rows vanished silently."""
    ids = pd.read_csv(DATA_DIR / "projects.csv", dtype=str)["id"].tolist()
    stray_quote(data_copy)
    data = load_all(data_copy)
    assert set(data.items["id"]) == set(ids) - {ids[9]}  # only row 11 (the 10th data row) is missing
    p = next(p for p in data.problems if p.code == "stray_quote")
    assert p.file == "projects.csv" and p.row == 11 and p.is_error


def test_later_row_numbers_stay_right_after_a_skipped_row(data_copy: Path) -> None:
    lines = _lines(data_copy / "projects.csv")
    lines[5] += ",extra"  # row 6 ragged
    cells = lines[20].split(",")
    cells[3] = "no_such_category"  # row 21 has a bad category
    lines[20] = ",".join(cells)
    _write(data_copy / "projects.csv", lines)
    data = load_all(data_copy)
    bad = [p for p in data.problems if p.file == "projects.csv" and p.field == "category"]
    assert [p.row for p in bad] == [21]
    rejected = data.rejected["projects.csv"]
    assert len(rejected) == 1 and rejected["problem"].iloc[0].startswith("category:")
    assert len(data.items) == N_PROJECTS - 2


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.apptest
def test_app_keeps_serving_what_loaded(lang: str, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stray_quote(data_copy)
    garbage_network(data_copy)
    garbage_boundaries(data_copy)
    monkeypatch.setenv("DEZHOU_DATA_DIR", str(data_copy))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(lang=lang)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    msg = plain(errors[0])  # the text the visitor reads
    assert msg.startswith(t("ui.data.errors", lang, n=3))
    # names what failed in the interface language: file, row, and the message text of that language
    assert "projects.csv" in msg and "rail.geojson" in msg and "towns.geojson" in msg
    assert t("validate.stray_quote", lang, n=5) in msg
    assert t("validate.geofile_unreadable", lang) in msg
    # no server path, no reader internals
    assert str(data_copy) not in msg and str(data_copy.parent) not in msg and "DataSourceError" not in msg
    everything = " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
        str(getattr(e, "value", "")) for e in at.sidebar)
    assert str(data_copy) not in everything
    # the map is still there with the counties and the items that did load
    assert len(folium_components(at)) == 1


@pytest.mark.apptest
def test_unforeseen_loader_failure_is_a_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import geo.load

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError(f"internal detail {tmp_path}")

    monkeypatch.setenv("DEZHOU_DATA_DIR", str(tmp_path / "other"))  # a fresh cache key
    monkeypatch.setattr(geo.load, "load_all", boom)
    import ui.data

    monkeypatch.setattr(ui.data, "load_all", boom)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    [err] = [e.value for e in at.error]
    assert err.startswith(t("ui.data.load_failed", "zh", ref="")[:10]) and str(tmp_path) not in err


def test_served_tables_keep_no_row_numbers(data_copy: Path) -> None:
    """The file row numbers are for the problems only: pandas deep-copies ``attrs`` into every derived frame, so
    keeping them on the served tables made every app run copy them dozens of times (issue 9 item 10)."""
    lines = _lines(data_copy / "projects.csv")
    lines[5] += ",extra"  # a rejected row: its number is still reported
    _write(data_copy / "projects.csv", lines)
    data = load_all(data_copy)
    assert [p.row for p in data.problems if p.file == "projects.csv" and p.is_error] == [6]
    tables = {f: getattr(data, f) for f in ("units", "towns", "items", "town_roles", "profiles", "indicators")}
    assert {f: "source_rows" in df.attrs for f, df in tables.items()} == dict.fromkeys(tables, False)
    assert len(data.items) == N_PROJECTS - 1
