"""Load an official township (乡镇/街道) boundary file supplied by a user, instead of our approximate areas.

``load_official_town_boundaries(path, towns=..., counties=...)`` reads GeoJSON / Shapefile / GeoPackage
(geopandas + pyogrio), matches every feature to a 12-digit town code of towns.csv (by a code field, or by
name within the county), checks the datum and reports problems instead of failing silently.

Datum handling:
- a declared CRS other than EPSG:4326/EPSG:4490 is reprojected to WGS84; a file without CRS is taken as
  WGS84 (reported) only when its coordinates are degrees — metres without a CRS refuse the file
  (:class:`geo.geofile.GeoFileError`), as does a file with no feature in the Dezhou area; single features
  outside it, or with coordinates that are not finite (NaN, infinite, 1e308), are reported and skipped;
- GCJ-02 (AMap "Mars" coordinates) cannot be declared in a CRS. It is detected by comparing the outline of
  the loaded features with our county outlines: if the features fit clearly better after a GCJ-02 -> WGS84
  conversion (the typical shift near Dezhou is ~490 m east / 100 m north), the file is treated as GCJ-02.
  By default it is then **converted** to WGS84 (``on_gcj02="convert"``, reported as a warning);
  ``on_gcj02="refuse"`` raises :class:`GCJ02DatumError` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, WGS84, from_gcj02
from geo.geofile import GeoFileError, feature_coordinate_problem, in_area, looks_like_degrees, read_geodata
from geo.problems import Problem, make
from geo.schema import DEZHOU_BBOX
from geo.text import clean_str, is_blank

CODE_RE = re.compile(r"^\d{12}$")
_SUFFIX_RE = re.compile(r"(办事处|街道办事处|人民政府)$")


class GCJ02DatumError(ValueError):
    """The file looks like GCJ-02 (AMap) coordinates and ``on_gcj02="refuse"`` was asked for."""


@dataclass(frozen=True)
class DatumCheck:
    """Estimated shift (m) that would move the features onto our county borders, and the GCJ-02 offset there.

    ``shift_*`` is the least-squares translation from the features' outer boundary to our county boundaries;
    ``gcj_*`` is what the GCJ-02 formula adds at that place (≈ +490 m E / +100 m N near Dezhou);
    ``gcj_fraction`` = how much of the GCJ-02 offset the features carry (≈ 1 for GCJ-02, ≈ 0 for WGS84).
    """

    shift_east_m: float
    shift_north_m: float
    gcj_east_m: float
    gcj_north_m: float
    gcj_fraction: float
    mean_distance_m: float
    verdict: Literal["wgs84", "gcj02", "undetermined"]


def _norm_name(name: object) -> str:
    s = re.sub(r"\s+", "", str(name or ""))
    return _SUFFIX_RE.sub("", s)


def _stem(name: str) -> str:
    """Name without the type suffix, for lenient matching (孔镇镇 -> 孔镇, 十里望回族镇 -> 十里望)."""
    for suf in ("回族镇", "街道", "镇", "乡"):
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


def _norm_code(value: object) -> str | None:
    """A town code from a boundary file as 12 digits (a 9-digit code gets ``000``); ``None`` when it is none."""
    s = clean_str(value)
    if re.fullmatch(r"\d+\.0+", s):  # a code stored as text of a float
        s = s.split(".")[0]
    if re.fullmatch(r"\d{9}", s):
        s += "000"
    return s if CODE_RE.match(s) else None


def _boundary_sample(geoms: gpd.GeoSeries, max_points: int = 3000) -> np.ndarray:
    """Coordinates (metric) sampled along the outer boundary of the union of ``geoms``."""
    union = shapely.union_all(np.asarray(geoms.values))
    boundary = shapely.segmentize(union.boundary, 200.0)
    coords = shapely.get_coordinates(boundary)
    if len(coords) > max_points:
        coords = coords[np.linspace(0, len(coords) - 1, max_points).astype(int)]
    return coords


def check_datum(features_wgs: gpd.GeoSeries, counties: gpd.GeoDataFrame) -> DatumCheck:
    """Estimate whether the features carry the GCJ-02 offset, by fitting them to our county borders.

    Points every 200 m along the outer boundary of the features' union are paired with their nearest point on
    our county boundaries (pairs farther than 1.5 km apart, e.g. inner borders of a partial file, are dropped).
    The translation ``s`` minimising the squared normal distances solves ``(Σ n nᵀ) s = Σ v``. Verdict
    ``gcj02`` when ``s`` undoes at least 60 % of the local GCJ-02 offset (and what remains is under 75 % of
    it); ``wgs84`` when the component of ``s`` along the GCJ-02 offset is under 35 % of it; otherwise
    ``undetermined``. Our county outlines are simplified, so only a consistent ~500 m shift is detectable.
    """
    lines = shapely.union_all(np.asarray(counties.to_crs(METRIC_CRS).boundary.values))
    metric = features_wgs.to_crs(METRIC_CRS)
    pts = shapely.points(_boundary_sample(metric))
    near = shapely.get_coordinates(shapely.shortest_line(pts, lines)).reshape(-1, 2, 2)
    v = near[:, 1, :] - near[:, 0, :]
    d = np.hypot(v[:, 0], v[:, 1])
    keep = d < 1500.0
    v, d = v[keep], d[keep]
    mean_d = float(d.mean()) if len(d) else float("nan")
    moving = d > 0.01
    if len(d) == 0 or moving.sum() < 0.5 * len(d):
        s_vec = np.zeros(2)  # (nearly) every sample lies on our borders already
    else:
        n = v[moving] / d[moving, None]
        a = n.T @ n
        s_vec = np.linalg.lstsq(a, v[moving].sum(axis=0), rcond=None)[0]
    # local GCJ-02 offset (metres) at the features' centre
    c = shapely.union_all(np.asarray(features_wgs.values)).centroid
    from geo.crs import wgs84_to_gcj02

    g = gpd.GeoSeries([c, shapely.Point(*wgs84_to_gcj02(c.x, c.y))], crs=WGS84).to_crs(METRIC_CRS)
    e = np.array([g.iloc[1].x - g.iloc[0].x, g.iloc[1].y - g.iloc[0].y])
    ee = float(e @ e) or 1.0
    frac = float(-(s_vec @ e) / ee)
    rest = float(np.hypot(*(s_vec + e)))
    if frac > 0.6 and rest < 0.75 * np.sqrt(ee):
        verdict: Literal["wgs84", "gcj02", "undetermined"] = "gcj02"
    elif abs(frac) < 0.35:
        verdict = "wgs84"
    else:
        verdict = "undetermined"
    return DatumCheck(float(s_vec[0]), float(s_vec[1]), float(e[0]), float(e[1]), frac, mean_d, verdict)


def _detect_field(df: pd.DataFrame, towns: pd.DataFrame) -> tuple[str | None, str | None]:
    """Guess a code field (most values are town codes) and a name field (most values are town names)."""
    codes = set(towns["code"].astype(str))
    names = {_norm_name(n) for n in towns["name_zh"]} | {_stem(_norm_name(n)) for n in towns["name_zh"]}
    best_code, best_name, sc, sn = None, None, 0.0, 0.0
    for col in df.columns:
        if col == "geometry":
            continue
        vals = df[col].dropna()
        if len(vals) == 0:
            continue
        c = float(np.mean([_norm_code(v) in codes for v in vals]))
        n = float(np.mean([_norm_name(v) in names for v in vals]))
        if c > sc:
            best_code, sc = col, c
        if n > sn:
            best_name, sn = col, n
    return (best_code if sc >= 0.5 else None), (best_name if sn >= 0.5 else None)


def load_official_town_boundaries(
    path: str | Path,
    *,
    towns: pd.DataFrame,
    counties: gpd.GeoDataFrame | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
    on_gcj02: Literal["convert", "refuse"] = "convert",
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read an official township boundary file and match it to our 12-digit town codes.

    ``towns``: towns.csv as a DataFrame (needs ``code``, ``name_zh``, ``unit``); ``counties``: our county
    polygons (WGS84; default: data/counties.geojson), used to find each feature's county and to check the datum.
    Matching uses ``code_field`` (12-digit codes; 9-digit codes get ``000`` appended) or else ``name_field``
    (name within the county of the feature's representative point). Without either, a field is guessed.
    Problems are :class:`geo.problems.Problem` with ``row`` = feature number (1-based) or ``None``.
    Returns ``(gdf, problems)``: gdf in EPSG:4326 with ``code``, ``name_zh``, ``unit``, ``source_name``,
    ``precision`` (= ``official``) and ``geometry``, one row per matched code.

    The steps, each a function of its own: read; drop features whose coordinates are not finite
    (:func:`_drop_bad_coordinates`); bring the file to WGS84 or refuse it (:func:`_to_wgs84`); drop features
    outside the Dezhou area (:func:`_drop_outside_area`); keep valid polygons (:func:`_valid_polygons`); detect
    and undo GCJ-02 (:func:`_resolve_datum`); match each feature to a town (:func:`_match_towns`); report the
    covered counties' towns without a feature (:func:`_missing_towns`).
    """
    fname = Path(path).name
    raw = read_geodata(Path(path), layer=layer)
    if counties is None:
        from geo.paths import DATA_DIR

        counties = gpd.read_file(DATA_DIR / "counties.geojson")
    counties = counties.to_crs(WGS84)
    towns = towns.assign(code=towns["code"].astype(str), unit=towns["unit"].astype(str))

    raw, skipped, problems = _drop_bad_coordinates(raw, fname=fname)
    raw, found = _to_wgs84(raw, fname=fname)
    problems += found
    raw, outside, found = _drop_outside_area(raw, fname=fname)
    problems += found
    raw, found = _valid_polygons(raw, fname=fname, skipped=skipped | outside)
    problems += found
    if raw.geometry.notna().sum() == 0:
        problems.append(make(fname, None, "geometry", "boundary_no_polygons", "no usable polygon features"))
        return _empty(), problems
    raw, found = _resolve_datum(raw, counties=counties, fname=fname, on_gcj02=on_gcj02)
    problems += found

    good = raw[raw.geometry.notna()]
    if code_field is None and name_field is None:
        code_field, name_field = _detect_field(pd.DataFrame(good.drop(columns="geometry")), towns)
        if code_field is None and name_field is None:
            problems.append(make(fname, None, None, "boundary_no_town_field",
                                 "no field with town codes or town names found; nothing matched"))
            return _empty(), problems
    for f in (code_field, name_field):
        if f is not None and f not in raw.columns:
            raise KeyError(f"{fname}: field {f!r} not found; fields: {[c for c in raw.columns if c != 'geometry']}")
    rows, found = _match_towns(raw, towns=towns, counties=counties, code_field=code_field, name_field=name_field,
                               fname=fname)
    problems += found
    problems += _missing_towns(rows, towns=towns, fname=fname)
    if not rows:
        return _empty(), problems
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84), problems


def _drop_bad_coordinates(raw: gpd.GeoDataFrame, *, fname: str) -> tuple[gpd.GeoDataFrame, set[int], list[Problem]]:
    """Features whose coordinates cannot be drawn (NaN, infinite, huge) get no geometry and are reported; also
    returns their feature numbers (1-based, as in the file). Coordinates in the file's own CRS."""
    bad = [i for i, g in enumerate(raw.geometry) if feature_coordinate_problem(g)]
    problems = [make(fname, i + 1, "geometry", "feature_bad_coords",
                     f"feature {i + 1}: coordinates are not finite numbers (NaN, infinite or huge); "
                     "feature not used", n=i + 1) for i in bad]
    if bad:
        raw = raw.set_geometry(gpd.GeoSeries([None if i in bad else g for i, g in enumerate(raw.geometry)],
                                             index=raw.index, crs=raw.crs))
    return raw, {i + 1 for i in bad}, problems


def _to_wgs84(raw: gpd.GeoDataFrame, *, fname: str) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The features in WGS84 (EPSG:4326): a declared CRS other than EPSG:4326/4490 is reprojected (reported);
    no CRS is taken as WGS84 (reported) only when the coordinates are degrees. Raises
    :class:`geo.geofile.GeoFileError` for metres without a declared CRS."""
    if (raw.crs is None or raw.crs.is_geographic) and not looks_like_degrees(raw):
        # metres (a projected CRS) with the .prj missing, or GeoJSON (always read as WGS84): never "taken as WGS84"
        raise GeoFileError(f"{fname}: the coordinates are not longitude/latitude degrees and the file declares "
                           "no CRS (metres of a projected CRS without its .prj?); save it with its CRS or as WGS84",
                           code="boundary_not_degrees")
    if raw.crs is None:
        return raw.set_crs(WGS84), [make(fname, None, "crs", "boundary_no_crs",
                                         "no CRS declared; assumed WGS84 (EPSG:4326)", "warning")]
    if not (raw.crs.equals(WGS84) or raw.crs.to_epsg() in (4326, 4490)):
        problem = make(fname, None, "crs", "boundary_crs_reprojected",
                       f"declared CRS {raw.crs.to_string()}; reprojected to WGS84", "warning", crs=raw.crs.to_string())
        return raw.to_crs(WGS84), [problem]
    return raw.set_crs(WGS84, allow_override=True), []  # EPSG:4490 (CGCS2000) == WGS84 to < 1 m


def _drop_outside_area(raw: gpd.GeoDataFrame, *, fname: str) -> tuple[gpd.GeoDataFrame, set[int], list[Problem]]:
    """Features (WGS84) outside the Dezhou area (:data:`geo.schema.DEZHOU_BBOX`, degrees) get no geometry and are
    reported; also returns their feature numbers. Raises :class:`geo.geofile.GeoFileError` when no feature lies
    in the area (wrong coordinates or CRS)."""
    outside = [i for i, g in enumerate(raw.geometry, start=1)
               if g is not None and not g.is_empty and not in_area(g, DEZHOU_BBOX)]
    if outside and len(outside) == sum(1 for g in raw.geometry if g is not None and not g.is_empty):
        raise GeoFileError(f"{fname}: no feature lies in the Dezhou area (lon {DEZHOU_BBOX[0]}–{DEZHOU_BBOX[2]}, "
                           f"lat {DEZHOU_BBOX[1]}–{DEZHOU_BBOX[3]}): wrong coordinates or a wrong CRS",
                           code="boundary_outside_area")
    problems = [make(fname, i, "geometry", "boundary_feature_outside_area",
                     f"feature {i} lies outside the Dezhou area; feature not used", n=i) for i in outside]
    if outside:
        keep = [g if in_area(g, DEZHOU_BBOX) else None for g in raw.geometry]
        raw = raw.set_geometry(gpd.GeoSeries(keep, index=raw.index, crs=WGS84))
    return raw, set(outside), problems


def _valid_polygons(raw: gpd.GeoDataFrame, *, fname: str, skipped: set[int]) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Keep each feature's (multi)polygon, repairing an invalid one with ``make_valid`` (reported); empty and
    non-polygon geometries are reported and dropped. ``skipped``: feature numbers (1-based) already dropped."""
    problems: list[Problem] = []
    geoms: list[BaseGeometry | None] = []
    for i, g in enumerate(raw.geometry, start=1):
        if i in skipped:
            geoms.append(None)
            continue
        if g is None or g.is_empty:
            problems.append(make(fname, i, "geometry", "boundary_empty_geometry", "empty geometry; feature skipped"))
            geoms.append(None)
            continue
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(make(fname, i, "geometry", "boundary_not_polygon",
                                 f"{g.geom_type} is not a polygon; feature skipped", geom_type=g.geom_type))
            geoms.append(None)
            continue
        if not g.is_valid:
            reason = shapely.is_valid_reason(g)
            fixed = shapely.make_valid(g)
            polys = [p for p in getattr(fixed, "geoms", [fixed]) if p.geom_type in ("Polygon", "MultiPolygon")]
            g = shapely.union_all(polys) if polys else None
            problems.append(make(fname, i, "geometry", "boundary_repaired",
                                 f"invalid geometry ({reason}); repaired with make_valid", "warning", reason=reason))
        geoms.append(g)
    return raw.set_geometry(gpd.GeoSeries(geoms, index=raw.index, crs=WGS84)), problems


def _resolve_datum(raw: gpd.GeoDataFrame, *, counties: gpd.GeoDataFrame, fname: str,
                   on_gcj02: Literal["convert", "refuse"]) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Compare the features (WGS84 as declared) with our county outlines (:func:`check_datum`): GCJ-02 is
    converted to WGS84 (reported) or, with ``on_gcj02="refuse"``, raises :class:`GCJ02DatumError`; an
    undetermined datum is reported and taken as WGS84. Shifts in the messages are metres."""
    check = check_datum(raw[raw.geometry.notna()].geometry, counties)
    if check.verdict == "gcj02":
        msg = (
            f"coordinates look like GCJ-02 (AMap): the features sit {-check.shift_east_m:.0f} m east / "
            f"{-check.shift_north_m:.0f} m north of our county borders (GCJ-02 offset here: {check.gcj_east_m:.0f} m / "
            f"{check.gcj_north_m:.0f} m)"
        )
        if on_gcj02 == "refuse":
            raise GCJ02DatumError(msg + "; refused (convert it to WGS84 first, or load with on_gcj02='convert')")
        problem = make(fname, None, "crs", "boundary_gcj02_converted", msg + "; converted to WGS84", "warning",
                       east=f"{-check.shift_east_m:.0f}", north=f"{-check.shift_north_m:.0f}",
                       gcj_east=f"{check.gcj_east_m:.0f}", gcj_north=f"{check.gcj_north_m:.0f}")
        return from_gcj02(raw), [problem]
    if check.verdict == "undetermined":
        return raw, [make(
            fname, None, "crs", "boundary_datum_unconfirmed",
            f"datum could not be confirmed (estimated offset from our county borders {-check.shift_east_m:.0f} m E / "
            f"{-check.shift_north_m:.0f} m N, mean distance {check.mean_distance_m:.0f} m); taken as WGS84",
            "warning", east=f"{-check.shift_east_m:.0f}", north=f"{-check.shift_north_m:.0f}",
            distance=f"{check.mean_distance_m:.0f}",
        )]
    return raw, []


def _match_towns(raw: gpd.GeoDataFrame, *, towns: pd.DataFrame, counties: gpd.GeoDataFrame, code_field: str | None,
                 name_field: str | None, fname: str) -> tuple[list[dict[str, object]], list[Problem]]:
    """One output row per town matched by a feature (WGS84): by ``code_field`` when given, else by
    ``name_field`` within the county that holds the feature's representative point. Unknown codes, names
    without a match, features outside our counties and second features of a town are reported and skipped."""
    problems: list[Problem] = []
    good = raw[raw.geometry.notna()]
    by_code = towns.set_index("code")
    county_of = gpd.sjoin(
        gpd.GeoDataFrame(geometry=good.geometry.representative_point(), crs=WGS84),
        counties[["adcode", "geometry"]],
        how="left",
        predicate="within",
    )["adcode"]
    county_of = county_of[~county_of.index.duplicated()]
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for pos, (idx, feat) in enumerate(raw.iterrows(), start=1):
        if not isinstance(feat.geometry, BaseGeometry):  # skipped above (a row Series may hold it as NaN, not None)
            continue
        if code_field is not None:
            label = str(feat[code_field])
            code, problem = _town_by_code(feat[code_field], by_code=by_code, field=code_field, pos=pos, fname=fname)
        else:
            assert name_field is not None
            label = str(feat[name_field])
            code, problem = _town_by_name(label, unit=county_of.get(idx), towns=towns, field=name_field, pos=pos,
                                          fname=fname)
        if code is None:
            problems += [problem] if problem else []
            continue
        if code in seen:
            problems.append(
                make(fname, pos, code_field or name_field, "boundary_duplicate_town",
                     f"duplicate town {code} (also feature {seen[code]}); later feature ignored", code=code,
                     first=seen[code])
            )
            continue
        seen[code] = pos
        t = by_code.loc[code]
        rows.append({"code": code, "name_zh": t["name_zh"], "unit": t["unit"], "source_name": label,
                     "precision": "official", "geometry": feat.geometry})
    return rows, problems


def _town_by_code(value: object, *, by_code: pd.DataFrame, field: str, pos: int,
                  fname: str) -> tuple[str | None, Problem | None]:
    """The town code in a feature's code field (``by_code``: towns indexed by code), or the problem why not."""
    label = str(value)
    code = _norm_code(value)
    if code is None or code not in by_code.index:
        return None, make(fname, pos, field, "boundary_unknown_code",
                          f"code {label!r} is not one of our 134 town codes", "warning", code=repr(label))
    return code, None


def _town_by_name(label: str, *, unit: object, towns: pd.DataFrame, field: str, pos: int,
                  fname: str) -> tuple[str | None, Problem | None]:
    """The code of the one town of county ``unit`` named ``label`` (exactly, else without its type suffix), or
    the problem why not."""
    if is_blank(unit):
        return None, make(fname, pos, field, "boundary_outside_counties",
                          f"{label!r}: feature lies outside our 11 counties", "warning", name=repr(label))
    cands = towns[towns["unit"] == str(unit)]
    n = _norm_name(label)
    hit = cands[cands["name_zh"].map(_norm_name) == n]
    if len(hit) == 0:
        hit = cands[cands["name_zh"].map(lambda x: _stem(_norm_name(x))) == _stem(n)]
    if len(hit) != 1:
        return None, make(fname, pos, field, "boundary_name_no_match",
                          f"name {label!r} matches no town of county {unit}", "warning", name=repr(label), unit=unit)
    return str(hit["code"].iloc[0]), None


def _missing_towns(rows: list[dict[str, object]], *, towns: pd.DataFrame, fname: str) -> list[Problem]:
    """A warning naming (up to 20 of) the towns of the counties the file covers that have no feature."""
    by_code = towns.set_index("code")
    missing = sorted(set(by_code.index) - {str(r["code"]) for r in rows})
    if not rows or not missing:
        return []
    units_covered = {r["unit"] for r in rows}
    miss_in = [c for c in missing if by_code.loc[c, "unit"] in units_covered]
    if not miss_in:
        return []
    listed = ", ".join(f"{c} {by_code.loc[c, 'name_zh']}" for c in miss_in[:20])
    return [make(fname, None, None, "boundary_towns_missing",
                 f"{len(miss_in)} town(s) of the covered counties have no feature: " + listed, "warning",
                 n=len(miss_in), towns=listed)]


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        columns=["code", "name_zh", "unit", "source_name", "precision", "geometry"], geometry="geometry", crs=WGS84
    )
