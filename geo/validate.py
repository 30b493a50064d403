"""Row-by-row validation of the data tables; ``python -m geo.validate`` checks everything under data/.

Every problem names its file, spreadsheet row (header = 1) and field. Rows with an error are rejected;
the loader keeps the good rows (see :mod:`geo.load`). Coordinates are WGS84 degrees.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo import schema
from geo.csv_table import SOURCE_ROWS, read_csv_table
from geo.export import looks_like_formula
from geo.paths import DATA_DIR, plan_lines, plan_text_path
from geo.problems import Problem, make
from geo.text import clean_str, split_list

_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    """Text without any white space (the plan wraps lines and puts spaces around numbers)."""
    return _WS.sub("", text)


@dataclass
class ValidationContext:
    """What the row checks compare against.

    ``towns``: DataFrame with ``code``, ``unit``, ``tianqu`` (and ``lon``/``lat``); ``counties``: GeoDataFrame in
    EPSG:4326 with ``adcode``; ``tianqu``: GeoDataFrame of the zone outline; ``plan``: plan text lines (index 0 =
    line 1) or ``None`` when the plan text is absent (then name/line checks are skipped, with one warning);
    ``item_ids``: ids of items outside the checked table that ``related`` may name (a corrections file holds
    only some rows).
    """

    units: set[str]
    towns: pd.DataFrame | None = None
    counties: gpd.GeoDataFrame | None = None
    tianqu: gpd.GeoDataFrame | None = None
    plan: list[str] | None = None
    item_ids: set[str] | None = None
    bbox: tuple[float, float, float, float] = schema.DEZHOU_BBOX
    _town_index: dict[str, dict] = field(default_factory=dict, init=False, repr=False)
    _unit_shapes: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.towns is not None and len(self.towns):
            self._town_index = {str(r["code"]): r for r in self.towns.to_dict("records")}
        if self.counties is not None and len(self.counties):
            for code, geom in zip(self.counties["adcode"].astype(str), self.counties.geometry, strict=True):
                self._unit_shapes[code] = geom
            self._unit_shapes["city"] = self.counties.union_all()
            if self.tianqu is not None and len(self.tianqu):
                self._unit_shapes["tianqu"] = self.tianqu.union_all()
            elif "371402" in self._unit_shapes:  # without its outline, 天衢新区 lies inside 德城区
                self._unit_shapes["tianqu"] = self._unit_shapes["371402"]

    def town(self, code: str) -> dict | None:
        return self._town_index.get(code)

    def unit_shape(self, code: str):  # shapely geometry or None
        return self._unit_shapes.get(code)

    def cited_text(self, lines: list[int]) -> str:
        assert self.plan is not None
        return "".join(_squash(self.plan[n - 1]) for n in lines)


def _cell(row: dict, col: str) -> str:
    return clean_str(row.get(col))


class _RowChecker:
    """Collects the problems of one table; ``err``/``warn`` record them for the current row."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()
        self.row = 0

    def err(self, fld: str | None, code: str, message: str, /, **params: object) -> None:
        self.problems.append(make(self.file, self.row, fld, code, message, "error", **params))
        self.bad_rows.add(self.row)

    def warn(self, fld: str | None, code: str, message: str, /, **params: object) -> None:
        self.problems.append(make(self.file, self.row, fld, code, message, "warning", **params))


def _check_columns(spec: schema.TableSpec, df: pd.DataFrame, file: str) -> list[Problem]:
    missing = [c for c in spec.required if c not in df.columns]
    if not missing:
        return []
    cols, expected = ", ".join(missing), ", ".join(spec.columns)
    out = [make(file, None, ",".join(missing), "missing_columns",
                f"missing column(s) {cols}; expected columns: {expected}",
                columns=cols, expected=expected)]
    unknown = [str(c) for c in df.columns if c not in spec.columns]
    for col in missing:  # a renamed or misspelt header (precison): name the column it probably was
        close = difflib.get_close_matches(col, unknown, n=1, cutoff=0.75)
        if close:
            out.append(make(file, 1, close[0], "column_misspelt",
                            f"column {close[0]!r} is probably {col!r} misspelt: rename it", column=repr(close[0]),
                            expected=repr(col)))
    return out


def _check_required(chk: _RowChecker, spec: schema.TableSpec, row: dict) -> None:
    for col in spec.required:
        if not _cell(row, col):
            chk.err(col, "empty_required", f"{col} is empty (required)", field=col)


def _check_choice(chk: _RowChecker, row: dict, col: str, allowed: Iterable[str]) -> None:
    value = _cell(row, col)
    allowed = tuple(allowed)
    if value and value not in allowed:
        shown = ", ".join(allowed)
        chk.err(col, "bad_choice", f"{value!r} is not an allowed {col}; allowed: {shown}", value=repr(value),
                field=col, allowed=shown)


def _check_unit_basis(chk: _RowChecker, row: dict) -> None:
    """``unit_basis``: one allowed word for all units, or one per unit of ``units`` (``name;drawn_line``)."""
    words = split_list(_cell(row, "unit_basis"))
    allowed = ", ".join(schema.UNIT_BASIS)
    for word in dict.fromkeys(words):
        if word not in schema.UNIT_BASIS:
            chk.err("unit_basis", "bad_choice", f"{word!r} is not an allowed unit_basis; allowed: {allowed}",
                    value=repr(word), field="unit_basis", allowed=allowed)
    n_units = len(split_list(_cell(row, "units")))
    if len(words) > 1 and len(words) != n_units:
        chk.err("unit_basis", "unit_basis_count",
                f"unit_basis gives {len(words)} words for {n_units} unit(s): give one word, or one per unit",
                n=len(words), n_units=n_units)


def _check_id(chk: _RowChecker, row: dict, col: str, pattern: re.Pattern, seen: dict[str, int]) -> None:
    value = _cell(row, col)
    if not value:
        return
    if not pattern.match(value):
        chk.err(col, "malformed_id", f"id {value!r} is malformed (expected like {pattern.pattern})",
                value=repr(value), pattern=pattern.pattern)
    if value in seen:
        chk.err(col, "duplicate_id", f"duplicate id {value!r} (first used in row {seen[value]})", value=repr(value),
                first_row=seen[value])
    else:
        seen[value] = chk.row


def _parse_lines(chk: _RowChecker, row: dict, ctx: ValidationContext) -> list[int]:
    raw = _cell(row, "source_lines")
    if not raw:
        return []
    try:
        lines = [int(v) for v in split_list(raw)]
    except ValueError:
        chk.err("source_lines", "bad_source_lines", f"source_lines {raw!r} must be line numbers separated by ';'",
                value=repr(raw))
        return []
    if ctx.plan is not None:
        outside = [n for n in lines if not 1 <= n <= len(ctx.plan)]
        if outside:
            chk.err("source_lines", "lines_outside_plan", f"line(s) {outside} outside the plan text (1–{len(ctx.plan)})",
                    lines=outside, n=len(ctx.plan))
            return []
    return lines


def _occurs(text: str, cited: str) -> bool:
    """``text`` occurs in ``cited``; ``…`` in ``text`` stands for any gap (e.g. ``推动…开工建设``)."""
    pos = 0
    for piece in _squash(text).split("…"):
        found = cited.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def _check_in_plan(chk: _RowChecker, ctx: ValidationContext, lines: list[int], col: str, text: str) -> None:
    """``text`` must occur in the cited lines (white space ignored; ``…`` marks an omitted stretch)."""
    if ctx.plan is None or not lines or not text:
        return
    if not _occurs(text, ctx.cited_text(lines)):
        shown = ";".join(map(str, lines))
        chk.err(col, "name_not_on_line", f"{col} {text!r} does not occur on the cited plan line(s) {shown}",
                field=col, text=repr(text), lines=shown)


def _check_source_ref(chk: _RowChecker, row: dict) -> None:
    value = _cell(row, "source_ref")
    if value and not schema.SOURCE_REF_PATTERN.match(value):
        chk.err("source_ref", "bad_source_ref", f"source_ref {value!r} must be 专栏N or 第…节", value=repr(value))


def _check_units(chk: _RowChecker, ctx: ValidationContext, col: str, value: str) -> list[str]:
    units = split_list(value)
    unknown = [u for u in units if u not in ctx.units]
    if unknown:
        shown, allowed = ", ".join(unknown), ", ".join(sorted(ctx.units))
        chk.err(col, "unknown_unit", f"unknown unit(s) {shown}; allowed: {allowed}", units=shown, allowed=allowed)
    return [u for u in units if u in ctx.units]


def _parse_lonlat(chk: _RowChecker, row: dict) -> tuple[float, float] | None:
    lon_s, lat_s = _cell(row, "lon"), _cell(row, "lat")
    if not lon_s and not lat_s:
        return None
    try:
        lon, lat = float(lon_s), float(lat_s)
    except ValueError:
        chk.err("lon" if not _is_float(lon_s) else "lat", "coords_not_numbers",
                f"coordinates ({lon_s!r}, {lat_s!r}) are not numbers", lon=repr(lon_s), lat=repr(lat_s))
        return None
    return lon, lat


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _check_point_place(chk: _RowChecker, ctx: ValidationContext, lonlat: tuple[float, float],
                       units: list[str], what: str) -> None:
    lon, lat = lonlat
    x0, y0, x1, y1 = ctx.bbox
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        chk.err("lon", "outside_dezhou",
                f"{what} ({lon:.5f}, {lat:.5f}) is outside Dezhou (bbox {ctx.bbox}); WGS84 lon/lat expected",
                what=what, lon=f"{lon:.5f}", lat=f"{lat:.5f}", bbox=ctx.bbox)
        return
    city = ctx.unit_shape("city")
    if city is None:
        return
    pt = Point(lon, lat)
    if not city.buffer(0.002).contains(pt):
        chk.err("lon", "outside_boundary", f"{what} ({lon:.5f}, {lat:.5f}) is outside Dezhou's boundary",
                what=what, lon=f"{lon:.5f}", lat=f"{lat:.5f}")
        return
    shapes = [ctx.unit_shape(u) for u in units if u != "city" and ctx.unit_shape(u) is not None]
    if shapes and not any(s.buffer(0.0005).contains(pt) for s in shapes):
        chk.err("lon", "outside_unit", f"{what} ({lon:.5f}, {lat:.5f}) is outside its stated unit(s) {';'.join(units)}",
                what=what, lon=f"{lon:.5f}", lat=f"{lat:.5f}", units=";".join(units))


# --------------------------------------------------------------------------------------------- tables


def source_rows(df: pd.DataFrame) -> list[int]:
    """Each row's row number in its file (header = 1): ``df.attrs['source_rows']`` when the reader recorded them
    (:mod:`geo.csv_table`, which skips unreadable lines), else position + 2."""
    rows = df.attrs.get(SOURCE_ROWS)
    if isinstance(rows, list) and len(rows) == len(df):
        return [int(r) for r in rows]
    return list(range(2, len(df) + 2))


def _rows(df: pd.DataFrame) -> Iterable[tuple[int, dict]]:
    yield from zip(source_rows(df), df.to_dict("records"), strict=True)


def _validate_projects(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    seen: dict[str, int] = {}
    for chk.row, row in _rows(df):
        _check_required(chk, schema.PROJECTS, row)
        _check_id(chk, row, "id", schema.ID_PATTERN, seen)
        category = _cell(row, "category")
        _check_choice(chk, row, "category", schema.CATEGORIES)
        if category in schema.CATEGORIES:
            _check_choice(chk, row, "subtype", schema.subtypes_for(category))
        _check_choice(chk, row, "status", schema.STATUSES)
        _check_choice(chk, row, "precision", schema.PRECISIONS)
        _check_unit_basis(chk, row)
        _check_source_ref(chk, row)
        units = _check_units(chk, ctx, "units", _cell(row, "units"))
        lines = _parse_lines(chk, row, ctx)
        _check_in_plan(chk, ctx, lines, "name_zh", _cell(row, "name_zh"))
        _check_in_plan(chk, ctx, lines, "quote", _cell(row, "quote"))
        if _cell(row, "status_zh"):
            _check_in_plan(chk, ctx, lines, "status_zh", _cell(row, "status_zh"))
        tags, tags_en = split_list(_cell(row, "industry_tags")), split_list(_cell(row, "industry_tags_en"))
        if tags and len(tags) != len(tags_en):
            chk.err("industry_tags_en", "tags_mismatch",
                    f"{len(tags)} industry tag(s) but {len(tags_en)} English tag(s)", n=len(tags), n_en=len(tags_en))
        _check_project_location(chk, ctx, row, units)
    all_ids = (set(df["id"]) if "id" in df.columns else set()) | (ctx.item_ids or set())
    for chk.row, row in _rows(df):
        unknown = [r for r in split_list(_cell(row, "related")) if r not in all_ids]
        if unknown:
            chk.warn("related", "related_unknown", f"related id(s) {', '.join(unknown)} not in this table",
                     ids=", ".join(unknown))


def _check_project_location(chk: _RowChecker, ctx: ValidationContext, row: dict, units: list[str]) -> None:
    precision = _cell(row, "precision")
    lonlat = _parse_lonlat(chk, row)
    town_code = _cell(row, "town_code")
    if precision in ("county", "none", "schematic") and lonlat is not None:
        chk.err("precision", "coords_with_county_precision",
                f"coordinates given but precision is {precision!r}: a point would claim a site; "
                "use precision site (with a named source) or leave lon/lat empty", precision=repr(precision))
    if precision != "none" and precision in schema.PRECISIONS and not _cell(row, "location_source"):
        chk.err("location_source", "location_source_missing", f"precision {precision!r} needs a location_source",
                precision=repr(precision))
    if precision == "site":
        if lonlat is None:
            chk.err("lon", "site_needs_coords", "precision site needs lon and lat (WGS84)")
        else:
            _check_point_place(chk, ctx, lonlat, units, "site")
    if town_code:
        _check_town(chk, ctx, town_code, units, mismatch_field="town_code")
    elif precision == "town":
        chk.err("town_code", "town_needs_code", "precision town needs a town_code")


def _check_town(chk: _RowChecker, ctx: ValidationContext, code: str, units: list[str], *,
                mismatch_field: str) -> None:
    """``code`` is a 12-digit code of towns.csv lying in one of ``units`` (a mismatch is reported on
    ``mismatch_field``)."""
    if not schema.TOWN_CODE_PATTERN.match(code):
        chk.err("town_code", "town_code_malformed", f"town_code {code!r} must have 12 digits", code=repr(code))
        return
    if ctx.towns is None:
        return
    town = ctx.town(code)
    if town is None:
        chk.err("town_code", "town_not_found", f"town_code {code} is not in towns.csv", code=code)
    elif not _town_in_units(town, units):
        chk.err(mismatch_field, "town_wrong_unit", f"town {town.get('name_zh')} ({code}) lies in {town.get('unit')}, "
                                f"not in the stated unit(s) {';'.join(units)}",
                town=town.get("name_zh"), code=code, unit=town.get("unit"), units=";".join(units))


def _town_in_units(town: dict, units: list[str]) -> bool:
    if "city" in units or str(town.get("unit")) in units:
        return True
    return "tianqu" in units and str(town.get("tianqu", "0")) in ("1", "1.0", "True", "true")


def _validate_town_roles(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    seen: dict[str, int] = {}
    for chk.row, row in _rows(df):
        _check_required(chk, schema.TOWN_ROLES_TABLE, row)
        _check_id(chk, row, "id", schema.TOWN_ROLE_ID_PATTERN, seen)
        _check_choice(chk, row, "role", schema.TOWN_ROLES)
        _check_source_ref(chk, row)
        units = _check_units(chk, ctx, "unit", _cell(row, "unit"))
        lines = _parse_lines(chk, row, ctx)
        _check_in_plan(chk, ctx, lines, "town_name_zh", _cell(row, "town_name_zh"))
        if _cell(row, "quote"):
            _check_in_plan(chk, ctx, lines, "quote", _cell(row, "quote"))
        if _cell(row, "industry_zh"):
            _check_in_plan(chk, ctx, lines, "industry_zh", _cell(row, "industry_zh"))
            if not _cell(row, "industry_en"):
                chk.err("industry_en", "industry_en_empty", "industry_zh is given but industry_en is empty")
        code = _cell(row, "town_code")
        if not code:
            chk.warn("town_code", "town_without_code",
                     f"town {_cell(row, 'town_name_zh')} has no town_code: it cannot be placed",
                     town=_cell(row, "town_name_zh"))
        else:
            _check_town(chk, ctx, code, units, mismatch_field="unit")


_VERBATIM_PROFILE_FIELDS = ("direction", "primary_industry", "feature_industry", "future_industry", "expo",
                            "gdp_target_2030", "target", "positioning")


def _validate_profiles(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    for chk.row, row in _rows(df):
        _check_required(chk, schema.PROFILES, row)
        _check_choice(chk, row, "field", schema.PROFILE_FIELDS)
        _check_source_ref(chk, row)
        _check_units(chk, ctx, "unit", _cell(row, "unit"))
        lines = _parse_lines(chk, row, ctx)
        if _cell(row, "field") in _VERBATIM_PROFILE_FIELDS:
            _check_in_plan(chk, ctx, lines, "value_zh", _cell(row, "value_zh"))


def _validate_indicators(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    seen: dict[str, int] = {}
    for chk.row, row in _rows(df):
        _check_required(chk, schema.INDICATORS, row)
        _check_id(chk, row, "id", schema.INDICATOR_ID_PATTERN, seen)
        _check_choice(chk, row, "kind", schema.INDICATOR_KINDS)
        _check_source_ref(chk, row)
        _parse_lines(chk, row, ctx)


def _validate_towns(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    seen: dict[str, int] = {}
    for chk.row, row in _rows(df):
        _check_required(chk, schema.TOWNS, row)
        _check_id(chk, row, "code", schema.TOWN_CODE_PATTERN, seen)
        _check_choice(chk, row, "type", schema.TOWN_TYPES)
        _check_choice(chk, row, "point_precision", schema.POINT_PRECISIONS)
        units = _check_units(chk, ctx, "unit", _cell(row, "unit"))
        lonlat = _parse_lonlat(chk, row)
        if lonlat is None and _cell(row, "point_precision") not in ("none", ""):
            chk.err("lon", "point_without_coords", "a point precision is given but lon/lat are empty")
        if lonlat is not None:
            _check_point_place(chk, ctx, lonlat, units, "town point")


def _validate_units(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    seen: dict[str, int] = {}
    for chk.row, row in _rows(df):
        _check_required(chk, schema.UNITS, row)
        _check_id(chk, row, "code", re.compile(r"^(\d{6}|[a-z]+)$"), seen)


def _check_formulas(df: pd.DataFrame, chk: _RowChecker) -> None:
    """Warn on every text cell a spreadsheet would run as a formula (= + - @, also full-width or after leading
    white space; plain numbers excepted). Exports neutralise them (:func:`geo.export.formula_safe`); the warning
    asks for the cell to be fixed at its source."""
    cols = list(df.columns)
    for chk.row, row in _rows(df):
        for col in cols:
            value = row.get(col)
            if looks_like_formula(value):
                shown = str(value).strip()[:40]
                chk.warn(str(col), "formula_cell", f"{col} {shown!r} starts like a spreadsheet formula "
                         "(= + - @): exports neutralise it with a leading ', but check the text", field=col,
                         value=repr(shown))


def _validate_planned_works(df: pd.DataFrame, chk: _RowChecker, ctx: ValidationContext) -> None:
    """The table of planned works (networks/planned_works.csv): each row names a plan item of projects.csv
    (``ctx.item_ids``) and the plan box and lines where the plan names it (``plan_name_zh`` must occur there);
    its shape, role, mode and drawing rule are ones tools/build_networks.py knows."""
    for chk.row, row in _rows(df):
        _check_required(chk, schema.PLANNED_WORKS, row)
        item = _cell(row, "plan_item_id")
        if item and ctx.item_ids is not None and item not in ctx.item_ids:
            chk.err("plan_item_id", "work_unknown_item", f"plan_item_id {item!r} is not an id of projects.csv",
                    value=repr(item))
        _check_source_ref(chk, row)
        lines = _parse_lines(chk, row, ctx)
        _check_in_plan(chk, ctx, lines, "plan_name_zh", _cell(row, "plan_name_zh"))
        _check_choice(chk, row, "shape", schema.WORK_SHAPES)
        shape = _cell(row, "shape")
        if shape in schema.WORK_SHAPES:
            _check_choice(chk, row, "role", schema.WORK_SHAPES[shape])
        _check_choice(chk, row, "mode", schema.WORK_MODES)
        drawn = _cell(row, "drawn")
        if drawn and not schema.WORK_DRAWN.match(drawn):
            chk.err("drawn", "work_bad_drawn", f"drawn {drawn!r} must be waypoints, wdbii_river:<river>, "
                    "river_crossing:<river> or inside_county:<county>", value=repr(drawn))
        elif drawn.startswith(("river_crossing:", "inside_county:")) and len(split_list(_cell(row, "drawn_through"))) < 2:
            chk.err("drawn_through", "work_drawn_through_missing",
                    f"drawn {drawn!r} needs drawn_through: two or more places separated by ';'", value=repr(drawn))
        if shape == "point" and (len(split_list(_cell(row, "waypoints"))) != 1 or drawn not in ("", "waypoints")):
            chk.err("waypoints", "work_point_place", "a point is drawn at one place: one waypoint, drawn waypoints")
        elif shape == "line" and drawn == "waypoints" and len(split_list(_cell(row, "waypoints"))) < 2:
            chk.err("waypoints", "work_line_places", "a line drawn through its waypoints needs two or more places")


_VALIDATORS: dict[str, Callable[[pd.DataFrame, _RowChecker, ValidationContext], None]] = {
    "projects": _validate_projects,
    "town_roles": _validate_town_roles,
    "county_profiles": _validate_profiles,
    "indicators": _validate_indicators,
    "towns": _validate_towns,
    "units": _validate_units,
    "planned_works": _validate_planned_works,
}


def validate_table(kind: str, df: pd.DataFrame, *, file: str,
                   context: ValidationContext) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of ``df`` (a table of ``kind``, read as strings) and split off the bad rows.

    Returns the good rows (original index kept) and all problems. A missing required column rejects
    the whole table with one file-level problem.
    """
    if kind not in _VALIDATORS:
        raise ValueError(f"unknown table kind {kind!r}; expected one of {', '.join(_VALIDATORS)}")
    spec = schema.SPECS[kind]
    problems = _check_columns(spec, df, file) if len(df.columns) else []  # no header: the reader said so
    if problems or not len(df.columns):
        empty = df.iloc[0:0].reindex(columns=list(dict.fromkeys([*spec.columns, *df.columns])))
        empty.attrs[SOURCE_ROWS] = []
        return empty, problems
    chk = _RowChecker(file)
    _VALIDATORS[kind](df, chk, context)
    _check_formulas(df, chk)
    rows = source_rows(df)
    keep = [i for i, r in enumerate(rows) if r not in chk.bad_rows]
    good = df.iloc[keep]
    good.attrs[SOURCE_ROWS] = [rows[i] for i in keep]
    return good, chk.problems


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (UTF-8, optional BOM) with every cell as a string and empty cells as ''.

    Strict: raises ``ValueError`` naming the file, row and problem when the file is broken (empty, not UTF-8
    text, a ragged row, a stray quote ...). The loader uses :func:`geo.csv_table.read_csv_table`, which reports
    the problems and keeps every readable row."""
    got = read_csv_table(path)
    errors = [p for p in got.problems if p.is_error]
    if errors:
        raise ValueError("; ".join(str(p) for p in errors))
    return got.frame


def check_planned_works(data_dir: Path, *, item_ids: set[str], plan: list[str] | None) -> list[Problem]:
    """Problems of ``data_dir``/networks/planned_works.csv (the table tools/build_networks.py draws the planned
    works from; the app reads the drawn planned_works.geojson): ``item_ids`` are the ids of projects.csv, ``plan``
    the plan text lines (``None``: line checks skipped). A missing file is no problem (data without the table)."""
    path = Path(data_dir) / schema.PLANNED_WORKS.filename
    if not path.is_file():
        return []
    got = read_csv_table(path)
    if any(p.is_error for p in got.problems):
        return got.problems
    _, found = validate_table("planned_works", got.frame, file=schema.PLANNED_WORKS.filename,
                              context=ValidationContext(units=set(), plan=plan, item_ids=item_ids))
    return got.problems + found


# --------------------------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """Validate all data (or the tables given) and print every problem; exit 1 on errors."""
    from geo.load import load_all  # the loader runs the same checks

    parser = argparse.ArgumentParser(prog="python -m geo.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="data directory (default: data/)")
    parser.add_argument("--projects", type=Path, action="append", default=None,
                        help="validate this projects table instead of data/projects.csv (repeatable)")
    parser.add_argument("--plan", type=Path, default=None, help="plan text (default: $DEZHOU_PLAN_TEXT)")
    parser.add_argument("--quiet-warnings", action="store_true", help="print errors only")
    args = parser.parse_args(argv)

    try:
        data = load_all(args.data, plan_text=args.plan, projects_files=args.projects)
    except Exception as exc:  # a bug in the checks must not look like a broken data file's traceback
        print(f"internal error while checking {args.data}: {type(exc).__name__}: {exc} "
              "(this is a bug in geo/, not in the data: please report it)")
        return 2
    if data.plan_available is False:
        print(f"warning: plan text not found at {args.plan or plan_text_path()}: name/line checks skipped "
              "(set DEZHOU_PLAN_TEXT)")
    problems = data.problems + check_planned_works(args.data, item_ids=set(data.items["id"].astype(str)),
                                                   plan=plan_lines(args.plan))
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors + ([] if args.quiet_warnings else warnings):
        print(p)
    counts = ", ".join(f"{name} {n}" for name, n in data.row_counts().items())
    print(f"checked: {counts}")
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["ValidationContext", "check_planned_works", "validate_table", "read_table", "main", "plan_lines"]
