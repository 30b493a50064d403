"""Rules of the code base that a refactor could quietly break: CRS constants live in geo/crs.py only, one
helper for unit names, one map centre (static checks over the product code's syntax trees)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [p for d in ("geo", "layers", "ui", "tools", "bench") for p in sorted((ROOT / d).rglob("*.py"))] + [
    ROOT / "streamlit_app.py"]
EPSG = re.compile(r"EPSG:\d+")
CRS_CALLS = {"to_crs", "set_crs", "GeoSeries", "GeoDataFrame", "from_epsg"}


def _trees() -> list[tuple[str, ast.AST]]:
    return [(str(p.relative_to(ROOT)), ast.parse(p.read_text(encoding="utf-8"))) for p in PRODUCT]


@pytest.mark.slow
def test_crs_constants_are_defined_in_geo_crs_only():
    found = []
    for name, tree in _trees():
        if name == "geo/crs.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and EPSG.fullmatch(node.value):
                found.append(f"{name}:{node.lineno} {node.value!r}")
            if isinstance(node, ast.Call):
                fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                args = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("crs", "epsg"))]
                if fn in CRS_CALLS and any(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in args):
                    found.append(f"{name}:{node.lineno} {fn}(<EPSG code>)")
    assert not found, "use geo.crs.WGS84 / METRIC_CRS / EQUAL_AREA_CRS: " + "; ".join(found)


@pytest.mark.slow
def test_every_map_opens_on_the_one_centre():
    """folium.Map(location=...) in the app takes layers.map_builder.DEZHOU_CENTER, never a literal pair (bench/'s
    floor page is left bare on purpose)."""
    found = []
    for name, tree in _trees():
        if name.startswith("bench/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Map":
                loc = next((k.value for k in node.keywords if k.arg == "location"), None)
                # a literal pair of numbers; a map centred on a computed point (e.g. a placement preview) is fine
                if isinstance(loc, ast.List | ast.Tuple) and all(isinstance(e, ast.Constant | ast.UnaryOp)
                                                                 for e in loc.elts):
                    found.append(f"{name}:{node.lineno}")
    assert not found, "use layers.map_builder.DEZHOU_CENTER: " + ", ".join(found)


@pytest.mark.slow
def test_unit_names_come_from_one_mapping():
    """Only geo.load.unit_names turns units.csv rows into names (zip over code/name_zh/name_en)."""
    found = []
    for name, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "zip":
                cols = [a.slice.value for a in node.args if isinstance(a, ast.Subscript)
                        and isinstance(a.slice, ast.Constant)]
                if "code" in cols and ("name_zh" in cols or "name_en" in cols) and name != "geo/load.py":
                    found.append(f"{name}:{node.lineno}")
    assert not found, "use geo.load.unit_names: " + ", ".join(found)


def _marks(decorators: list[ast.expr]) -> set[str]:
    out = set()
    for d in decorators:
        for node in ast.walk(d):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "mark":
                out.add(node.attr)
    return out


def _test_modules() -> Iterator[tuple[Path, str, ast.Module]]:
    """(path, source, syntax tree) of every test module but this one."""
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        if path.name != Path(__file__).name:
            src = path.read_text(encoding="utf-8")
            yield path, src, ast.parse(src)


@pytest.mark.slow
def test_apptest_and_browser_tests_carry_their_markers():
    """`make test-fast` deselects AppTest and browser tests by marker: a test that runs the app must say so."""
    missing = []
    for path, src, tree in _test_modules():
        module = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
                module |= _marks([node.value])
        browser = "playwright" in src or "browser_support" in src
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                body = ast.get_source_segment(src, node) or ""
                marks = module | _marks(node.decorator_list)
                if browser and "browser" not in marks:
                    missing.append(f"{path.name}::{node.name} (browser)")
                if any(k in body for k in ("run_app(", "AppTest", "open_tab(")) and "apptest" not in marks:
                    missing.append(f"{path.name}::{node.name} (apptest)")
    assert not missing, missing


@pytest.mark.slow
def test_browser_tests_share_one_setup():
    """The Chromium skip/fail rule and the ``app_url``/``browser`` fixtures live in tests/browser_support.py only."""
    copies = []
    for path, src, tree in _test_modules():
        if "CHROMIUM.exists" in src or "sync_playwright" in src:
            copies.append(f"{path.name} (Chromium set-up)")
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "browser" and node.decorator_list:
                copies.append(f"{path.name}::browser")
    assert not copies, copies


def test_shipped_data_is_loaded_by_the_one_session_fixture():
    """``data`` is tests/conftest.py's session fixture (the shipped data, loaded once per run): a test module that
    defines its own ``data`` fixture loads it again (or means something else by the word)."""
    own = [f"{path.name}:{node.lineno}" for path, _, tree in _test_modules() for node in tree.body
           if isinstance(node, ast.FunctionDef) and node.name == "data" and node.decorator_list]
    assert not own, own
