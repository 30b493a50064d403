"""Load every data file once, validate it row by row, and join it into one :class:`PlanData`.

All geometry is WGS84 (EPSG:4326). Bad rows are kept out of the tables and reported in
``PlanData.problems`` / ``PlanData.rejected``; the good rows are always usable.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from dataclasses import dataclass, field, fields
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.ops import unary_union

from geo import schema
from geo.crs import METRIC_CRS, WGS84
from geo.csv_table import SOURCE_ROWS, read_csv_table
from geo.geofile import GeoFileError, looks_like_degrees, read_geodata
from geo.networks import read_networks
from geo.paths import DATA_DIR, plan_lines
from geo.problems import Problem, make
from geo.text import clean_str
from geo.validate import ValidationContext, source_rows, validate_table


@dataclass
class PlanData:
    """Everything the app and the analyses use (see docs/ARCHITECTURE.md for the columns)."""

    units: pd.DataFrame
    counties: gpd.GeoDataFrame
    tianqu: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    town_areas: gpd.GeoDataFrame
    items: gpd.GeoDataFrame
    town_roles: gpd.GeoDataFrame
    profiles: pd.DataFrame
    indicators: pd.DataFrame
    networks: dict[str, gpd.GeoDataFrame]
    problems: list[Problem] = field(default_factory=list)
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    plan_available: bool = True

    def row_counts(self) -> dict[str, int]:
        """Good rows per table (for reports)."""
        return {
            "units": len(self.units), "counties": len(self.counties), "towns": len(self.towns),
            "projects": len(self.items), "town_roles": len(self.town_roles), "county_profiles": len(self.profiles),
            "indicators": len(self.indicators),
            **{f"networks/{k}": len(v) for k, v in self.networks.items()},
        }

    def unit_name(self, code: str, lang: str = "zh") -> str:
        """Display name of a unit code (``371402``, ``tianqu``, ``city``) in ``lang``; the code when unknown."""
        zh, en = unit_names(self.units).get(str(code), (code, code))
        return (en if lang == "en" else zh) or code


def _table_digest(table: pd.DataFrame) -> bytes:
    """SHA-1 of a table's content: column names, cells (as text) and index, geometry as WKB."""
    h = hashlib.sha1(",".join(map(str, table.columns)).encode("utf-8"))
    geom_col = table.geometry.name if isinstance(table, gpd.GeoDataFrame) and table._geometry_column_name in \
        table.columns else None
    if geom_col is not None:
        for wkb in shapely.to_wkb(table[geom_col].values):
            h.update(wkb if wkb is not None else b"\0")
    cells = pd.DataFrame(table.drop(columns=[geom_col] if geom_col else [])).astype(str)
    h.update(pd.util.hash_pandas_object(cells, index=True).to_numpy().tobytes())
    return h.digest()


_CONTENT_KEYS: dict[int, tuple[weakref.ref[PlanData], str]] = {}


def content_key(data: PlanData) -> str:
    """A hash of everything ``data`` holds (every table and network, geometry included): the cache key of the
    data. Equal content gives an equal key, any change of a cell or a vertex another; never ``id()``, which a
    new object can reuse. Computed once per object (PlanData is not changed in place once loaded)."""
    hit = _CONTENT_KEYS.get(id(data))
    if hit is not None and hit[0]() is data:
        return hit[1]
    h = hashlib.sha1()
    for f in fields(data):
        value = getattr(data, f.name)
        if isinstance(value, pd.DataFrame):
            h.update(f.name.encode("utf-8") + _table_digest(value))
    for name in sorted(data.networks):
        h.update(f"networks/{name}".encode() + _table_digest(data.networks[name]))
    key = h.hexdigest()[:16]
    for k in [k for k, (ref, _) in _CONTENT_KEYS.items() if ref() is None]:
        del _CONTENT_KEYS[k]
    _CONTENT_KEYS[id(data)] = (weakref.ref(data), key)
    return key


def unit_names(units: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    """Unit code -> (name_zh, name_en) from a units.csv table (empty for ``None`` or an empty table). The one
    mapping from unit codes to names: every other unit-name helper reads it."""
    if units is None or not len(units) or "code" not in units.columns:
        return {}
    return {clean_str(c): (clean_str(zh), clean_str(en))
            for c, zh, en in zip(units["code"], units["name_zh"], units["name_en"], strict=True)}


def _empty_gdf(columns: tuple[str, ...] | list[str] = ()) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series(dtype=str) for c in columns}, geometry=gpd.GeoSeries([], crs=WGS84),
                            crs=WGS84)


#: Files without which the map is not the plan's map: their absence is an error, not a warning.
REQUIRED_FILES: tuple[str, ...] = ("units.csv", "counties.geojson", "towns.csv", "projects.csv", "town_roles.csv")


def _missing(path: Path, problems: list[Problem]) -> None:
    severity = "error" if path.name in REQUIRED_FILES else "warning"
    problems.append(make(path.name, None, None, "file_missing", "file is missing", severity))


def _read_geojson(path: Path, problems: list[Problem]) -> gpd.GeoDataFrame:
    if not path.is_file():
        _missing(path, problems)
        return _empty_gdf()
    try:
        gdf = read_geodata(path)
    except GeoFileError as exc:
        problems.append(make(path.name, None, None, exc.code, str(exc)))
        return _empty_gdf()
    if (gdf.crs is None or gdf.crs.is_geographic) and not looks_like_degrees(gdf):
        problems.append(make(path.name, None, None, "not_degrees",
                             "coordinates are not longitude/latitude degrees and no CRS is declared (a file in "
                             "metres?): the file was not used; save it as WGS84 GeoJSON"))
        return _empty_gdf()
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    elif gdf.crs.to_epsg() not in (4326, 4490):
        problems.append(make(path.name, None, None, "crs_reprojected", f"CRS {gdf.crs} is not WGS84; reprojected",
                             "warning", crs=gdf.crs))
    return gdf.to_crs(WGS84)


def _read_csv(path: Path, spec: schema.TableSpec, problems: list[Problem]) -> pd.DataFrame:
    if not path.is_file():
        _missing(path, problems)
        return pd.DataFrame({c: pd.Series(dtype=str) for c in spec.columns})
    got = read_csv_table(path)
    problems.extend(got.problems)
    return got.frame


def _validated(kind: str, df: pd.DataFrame, file: str, ctx: ValidationContext, problems: list[Problem],
               rejected: dict[str, pd.DataFrame]) -> pd.DataFrame:
    good, found = validate_table(kind, df, file=file, context=ctx)
    problems.extend(found)
    if len(good) < len(df):
        bad = df.drop(index=good.index)
        messages: dict[int, list[str]] = {}
        for p in found:
            if p.is_error and p.row is not None:
                messages.setdefault(p.row, []).append(f"{p.field}: {p.message}")
        row_of = dict(zip(df.index, source_rows(df), strict=True))
        bad = bad.assign(problem=[" | ".join(messages.get(row_of[i], ["file-level problem"])) for i in bad.index])
        rejected[file] = bad
    if good.empty:  # a table rejected as a whole still has the schema's columns (the joins below need them)
        good = good.reindex(columns=list(dict.fromkeys([*schema.SPECS[kind].columns, *good.columns])))
    out = good.reset_index(drop=True)
    # the file's row numbers have served (the problems name them); pandas deep-copies ``attrs`` into the result of
    # every operation, so a list of 500 row numbers kept here cost each app run ~45 deep copies of it
    out.attrs.pop(SOURCE_ROWS, None)
    return out


def _to_points(df: pd.DataFrame, lon: str = "lon", lat: str = "lat") -> gpd.GeoSeries:
    pts = []
    for x, y in zip(df[lon], df[lat], strict=True):
        try:
            pts.append(Point(float(x), float(y)))
        except (TypeError, ValueError):
            pts.append(None)
    return gpd.GeoSeries(pts, index=df.index, crs=WGS84)


def _river_index(rivers: gpd.GeoDataFrame) -> list[tuple[tuple[str, ...], object, str]]:
    """(names, geometry, river name) per river: its name split at / （ ） plus its ``aliases``."""
    out: list[tuple[tuple[str, ...], object, str]] = []
    if not len(rivers) or "name" not in rivers.columns:
        return out
    aliases = rivers["aliases"] if "aliases" in rivers.columns else pd.Series("", index=rivers.index)
    for name, alias, geom in zip(rivers["name"].astype(str), aliases.fillna("").astype(str), rivers.geometry,
                                 strict=True):
        names = {n for n in re.split(r"[/（）()、;]", f"{name};{alias}") if len(n) >= 2}
        out.append((tuple(sorted(names, key=len, reverse=True)), geom, name))
    return out


#: A river stretch drawn for an item also keeps what lies this far (metres) outside Dezhou beyond its units: rivers
#: such as the 卫运河 *are* the border, and their lines (coarse, see networks/SOURCES.md) wander across it.
RIVER_BORDER_M = 2000.0


def _river_clip_area(units: object, city: object | None) -> object:
    """The area a river item is clipped to: its units, plus the strip within :data:`RIVER_BORDER_M` of them that
    lies outside Dezhou (``city``); never a neighbouring Dezhou county. WGS84 in and out, buffer in EPSG:32650."""
    if city is None:
        return units
    strip = gpd.GeoSeries([units], crs=WGS84).to_crs(METRIC_CRS).buffer(RIVER_BORDER_M).to_crs(WGS84).iloc[0]
    return unary_union([units, strip.difference(city)])


def _item_geometry(items: pd.DataFrame, towns: gpd.GeoDataFrame, planned: gpd.GeoDataFrame,
                   rivers: gpd.GeoDataFrame, unit_shapes: dict[str, object],
                   outlines: dict[str, object] | None = None) -> tuple[gpd.GeoSeries, list[str]]:
    """Geometry of each item and where it comes from.

    site: its outline (item_outlines.geojson) if it has one, else its own point; town: the town point; schematic: its features in networks/planned_works.geojson
    (lines, or points where only a point is drawn), else the river(s) its name names (rivers layer);
    county/none: no geometry — a county-only item is never given a point. A river stretch is clipped to the
    item's units (``京杭大运河（武城段）`` → the canal inside 武城县, plus what lies just outside Dezhou beside it:
    :func:`_river_clip_area`).
    """
    town_pt = dict(zip(towns["code"], towns.geometry, strict=True)) if len(towns) else {}
    drawn: dict[str, list] = {}
    if len(planned) and "plan_item_id" in planned.columns:
        for pid, geom in zip(planned["plan_item_id"].astype(str), planned.geometry, strict=True):
            if geom is not None:
                drawn.setdefault(pid, []).append(geom)
    river_index = _river_index(rivers)
    geoms, sources = [], []
    for row in items.to_dict("records"):
        precision, geom, source = row["precision"], None, ""
        if precision == "site" and outlines and row["id"] in outlines:
            geom, source = outlines[row["id"]], "outline"
        elif precision == "site":
            geom, source = Point(float(row["lon"]), float(row["lat"])), "site"
        elif precision == "town" and row["town_code"] in town_pt:
            geom, source = town_pt[row["town_code"]], f"town:{row['town_code']}"
        elif precision == "schematic" and row["id"] in drawn:
            parts = drawn[row["id"]]
            lines = [g for g in parts if g.geom_type in ("LineString", "MultiLineString")]
            geom, source = unary_union(lines or parts), "planned_works"
        elif precision == "schematic":
            hits = [(geom_, river) for names, geom_, river in river_index if any(n in row["name_zh"] for n in names)]
            if hits:
                geom = unary_union([g for g, _ in hits])
                source = "river:" + ";".join(river for _, river in hits)
                shapes = [unit_shapes[u] for u in row["units"].split(";") if u in unit_shapes]
                if shapes:
                    clipped = geom.intersection(_river_clip_area(unary_union(shapes), unit_shapes.get("city")))
                    geom = None if clipped.is_empty else clipped
        geoms.append(geom)
        sources.append(source)
    return gpd.GeoSeries(geoms, index=items.index, crs=WGS84), sources


def load_all(data_dir: Path | str | None = None, *, plan_text: Path | str | None = None,
             projects_files: list[Path] | None = None) -> PlanData:
    """Read, validate and join all tables under ``data_dir`` (default: the project's data/).

    ``plan_text``: the plan text file (default: the setting, see :mod:`geo.paths`); when it is absent the
    name-on-cited-line checks are skipped and ``plan_available`` is ``False``.
    ``projects_files``: projects tables to use instead of ``data/projects.csv``.
    """
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    problems: list[Problem] = []
    rejected: dict[str, pd.DataFrame] = {}
    plan = plan_lines(Path(plan_text)) if plan_text is not None else plan_lines()

    units = _read_csv(d / "units.csv", schema.UNITS, problems)
    counties = _read_geojson(d / "counties.geojson", problems)
    if "adcode" in counties.columns:
        counties["adcode"] = counties["adcode"].astype(str)
    tianqu = _read_geojson(d / "tianqu.geojson", problems)
    town_areas = _read_geojson(d / "town_areas.geojson", problems)
    networks = read_networks(d / "networks", problems=problems)

    ctx = ValidationContext(units=set(units["code"]), counties=counties if len(counties) else None,
                            tianqu=tianqu if len(tianqu) else None, plan=plan)
    units = _validated("units", units, "units.csv", ctx, problems, rejected)
    towns_df = _validated("towns", _read_csv(d / "towns.csv", schema.TOWNS, problems), "towns.csv", ctx,
                          problems, rejected)
    towns = gpd.GeoDataFrame(towns_df, geometry=_to_points(towns_df), crs=WGS84)
    ctx = ValidationContext(units=set(units["code"]), towns=towns_df, counties=ctx.counties, tianqu=ctx.tianqu,
                            plan=plan)

    files = projects_files or [d / "projects.csv"]
    frames = []
    for path in files:
        raw = _read_csv(Path(path), schema.PROJECTS, problems)
        frames.append(_validated("projects", raw, Path(path).name, ctx, problems, rejected))
    items_df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=schema.PROJECTS.columns)
    dup = items_df["id"].duplicated(keep="first") if len(items_df) else pd.Series([], dtype=bool)
    for pid in items_df.loc[dup, "id"]:
        problems.append(make("projects", None, "id", "duplicate_id_across_files",
                             f"id {pid!r} appears in more than one file; kept the first", value=repr(pid)))
    items_df = items_df.loc[~dup].reset_index(drop=True)
    planned = networks.get("planned_works", _empty_gdf())
    unit_shapes = {c: g for c in ctx.units if (g := ctx.unit_shape(c)) is not None}
    outlines = _item_outlines(d / ITEM_OUTLINES, items_df, problems)
    geometry, geometry_source = _item_geometry(items_df, towns, planned, networks.get("rivers", _empty_gdf()),
                                               unit_shapes, outlines)
    items = gpd.GeoDataFrame(items_df.assign(geometry_source=geometry_source), geometry=geometry, crs=WGS84)
    items["unit_list"] = [v.split(";") for v in items["units"]] if len(items) else pd.Series(dtype=object)
    _report_missing_schematic(items, problems)

    roles_df = _validated("town_roles", _read_csv(d / "town_roles.csv", schema.TOWN_ROLES_TABLE, problems),
                          "town_roles.csv", ctx, problems, rejected)
    town_pt = dict(zip(towns["code"], towns.geometry, strict=True)) if len(towns) else {}
    town_roles = gpd.GeoDataFrame(
        roles_df, geometry=gpd.GeoSeries([town_pt.get(c) for c in roles_df["town_code"]], index=roles_df.index,
                                         crs=WGS84), crs=WGS84)
    profiles = _validated("county_profiles", _read_csv(d / "county_profiles.csv", schema.PROFILES, problems),
                          "county_profiles.csv", ctx, problems, rejected)
    indicators = _validated("indicators", _read_csv(d / "indicators.csv", schema.INDICATORS, problems),
                            "indicators.csv", ctx, problems, rejected)
    town_areas = _official_town_areas(d / OFFICIAL_TOWN_DIR, towns_df, counties, town_areas, problems)
    if plan is None:
        problems.append(make("plan text", None, None, "plan_text_missing",
                             "plan text not found: names were not checked against their cited lines", "warning"))
    return PlanData(units=units, counties=counties, tianqu=tianqu, towns=towns, town_areas=town_areas, items=items,
                    town_roles=town_roles, profiles=profiles, indicators=indicators, networks=networks,
                    problems=problems, rejected=rejected, plan_available=plan is not None)


#: Optional: outlines (polygons) of items placed as areas, e.g. a park's outline drawn by a county official;
#: features with property ``id`` (a projects.csv id of precision ``site``) and ``source``.
ITEM_OUTLINES = "item_outlines.geojson"


def _item_outlines(path: Path, items: pd.DataFrame, problems: list[Problem]) -> dict[str, object]:
    """Item id -> outline polygon from ``item_outlines.geojson`` (absent file: none). Features that are not valid
    polygons, or whose id is no site-precision item, are reported and not used."""
    if not path.is_file():
        return {}
    gdf = _read_geojson(path, problems)
    if not len(gdf):
        return {}
    if "id" not in gdf.columns:
        problems.append(make(path.name, None, "id", "outline_no_id", "features have no 'id' property"))
        return {}
    precision = dict(zip(items["id"], items["precision"], strict=True)) if len(items) else {}
    out: dict[str, object] = {}
    for n, (pid, geom) in enumerate(zip(gdf["id"].astype(str), gdf.geometry, strict=True), start=1):
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            problems.append(make(path.name, n, "geometry", "outline_invalid",
                                 f"feature {n} ({pid}): not a valid polygon", id=pid, n=n))
        elif precision.get(pid) != "site":
            problems.append(make(path.name, n, "id", "outline_not_site",
                                 f"feature {n}: {pid} is no site-precision item of projects.csv; outline not used",
                                 "warning", id=pid, n=n))
        else:
            out[pid] = geom
    return out


#: Drop an official township boundary file (GeoJSON, GeoPackage or Shapefile) into this folder of data/ and
#: the app uses its polygons instead of the approximate (Voronoi) town areas, after validation.
OFFICIAL_TOWN_DIR = "official_town_boundaries"
_BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")


def _official_town_areas(folder: Path, towns: pd.DataFrame, counties: gpd.GeoDataFrame,
                         approximate: gpd.GeoDataFrame, problems: list[Problem]) -> gpd.GeoDataFrame:
    """Official town polygons where a user supplied them (matched by code/name, datum checked), approximate
    areas for the towns they do not cover. Without a file, the approximate areas unchanged."""
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in _BOUNDARY_SUFFIXES) if folder.is_dir() else []
    if not files:
        return approximate
    from geo.town_boundaries import GCJ02DatumError, load_official_town_boundaries

    if len(files) > 1:
        problems.append(make(OFFICIAL_TOWN_DIR, None, None, "boundary_files_many",
                             f"{len(files)} files found; using {files[0].name} only", "warning", n=len(files),
                             file=files[0].name))
    try:
        official, found = load_official_town_boundaries(files[0], towns=towns, counties=counties)
    except GeoFileError as exc:
        problems.append(make(files[0].name, None, None, exc.code, f"official town boundaries not used: {exc}"))
        return approximate
    except (GCJ02DatumError, KeyError, ValueError, OSError) as exc:
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        problems.append(make(files[0].name, None, None, "boundaries_not_used",
                             f"official town boundaries not used: {detail}", error=detail))
        return approximate
    problems.extend(found)
    if not len(official):
        return approximate
    official = official.assign(method=f"official boundary file {files[0].name}")
    keep = approximate[~approximate["code"].astype(str).isin(set(official["code"]))] if len(approximate) else approximate
    merged = pd.concat([official, keep], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


def _report_missing_schematic(items: gpd.GeoDataFrame, problems: list[Problem]) -> None:
    for pid in items.loc[(items["precision"] == "schematic") & items.geometry.isna(), "id"]:
        problems.append(make("projects.csv", None, "precision", "schematic_not_drawn",
                             f"{pid}: precision schematic but neither networks/planned_works.geojson nor the "
                             "rivers layer has a geometry for it (listed, not drawn)", "warning", id=pid))
