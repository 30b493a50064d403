"""Rail and expressway coverage for planners: access of every town and located park to the network.

For each origin (the 134 towns of ``data/towns.csv`` and every *located* park of ``projects.csv`` — a park with
precision ``site`` or ``town``, i.e. with a point) and each target kind:

- ``expressway``: the nearest expressway entrance/interchange (``networks/expressway_entrances.geojson``),
- ``rail``: the nearest passenger railway station, any kind (``networks/stations.geojson``),
- ``hsr``: the nearest high-speed-rail station (``stations.geojson`` with ``hsr`` = 1),

we give the distance (km), the target's name and an estimated access time (minutes).

Two methods, and every result row says which one produced it (column ``method``):

``straight_line``
    distance = straight-line distance in EPSG:32650 (UTM 50N, metres → km);
    minutes = distance × detour factor / local road speed × 60 + fixed access minutes (:class:`Assumptions`).
``network``
    when a road graph is available (a networkx graph whose nodes carry ``x``/``y`` and whose edges carry
    ``length`` in metres and optionally ``speed_kph``/``travel_time``; see :func:`graph_from_roads`): one
    multi-source Dijkstra from all targets of the scenario. Targets and origins are snapped to their nearest
    graph node; the snap legs are straight-line access at the local speed (with the detour factor).

Scenarios: ``"2025"`` = the existing network (features with ``scenario`` 2025); ``"2030"`` = the same plus the
features marked 2030 and the planned stations/entrances of ``networks/planned_works.geojson`` (Point features
with ``role`` ``station``/``entrance``). Planned points are **schematic** (placed by the networks part along a
schematic line), which every result row carries in ``target_quality``. Because the 2030 target set is a superset
of the 2025 one, 2030 access is never worse than 2025 (tested).

No Streamlit here. All inputs and outputs in WGS84 (EPSG:4326); metric work in EPSG:32650.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiLineString

from geo.crs import METRIC_CRS, WGS84
from geo.load import PlanData, unit_names
from geo.text import clean_str

TARGETS: tuple[str, ...] = ("expressway", "rail", "hsr")
SCENARIOS: tuple[str, ...] = ("2025", "2030", "2030_all")
"""Analysis scenarios: ``2025`` the existing network; ``2030`` = 2025 + the planned works the plan says will be
built or completed by 2030 (statuses :data:`BUILT_BY_2030`); ``2030_all`` = 2025 + every planned work, including
those the plan only starts, seeks or studies (开工建设, 力争开工, 谋划/争取, 前期研究)."""
NETWORK_YEARS: tuple[str, ...] = ("2025", "2030")
"""Values of the networks' ``scenario`` column (2030 = drawn planned features, whatever their status)."""
AT_POINT_KM = 0.5
"""An origin this close (km) to a target placed at a town point is the town the target was placed at: its 0 km is
an artefact of the placement, not a measured distance."""
KM_THRESHOLDS: tuple[int, ...] = (10, 20, 30)
MIN_THRESHOLDS: tuple[int, ...] = (15, 30, 60)
SEAT_STANDARD_MIN: float = 30.0
"""The '30-minute' standard the county seats are checked against (minutes)."""

BANDS: tuple[str, ...] = ("le15", "15_30", "30_60", "gt60")
"""Access-time bands: ≤15, 15–30, 30–60, >60 minutes (upper bound inclusive). ``none`` = no value."""
BAND_COLORS: dict[str, str] = {
    "le15": "#1a9850", "15_30": "#91cf60", "30_60": "#fc8d59", "gt60": "#d73027", "none": "#9e9e9e",
}

RAIL_TARGET_2030 = 479.0
"""Plan target: 全市铁路里程 479 km by 2030 (plan line 557; all railway)."""
EXPRESSWAY_TARGET_2030 = 865.0
"""Plan target: 全市高速公路里程 865 km by 2030 (plan line 559)."""

ROUTE_BUFFER_M = 50.0
"""Half-width (m) used to merge parallel track ways / carriageways when estimating route length."""

HSR_ITEMS: frozenset[str] = frozenset({"transport-b08-01", "transport-b08-02"})
WIDENING_ITEMS: frozenset[str] = frozenset({"transport-b08-09", "transport-b08-10"})
"""Planned works that widen an existing road: they add no route length (their line duplicates the existing one)."""
PLAN_ITEM_MODE: dict[str, str] = {
    "transport-b08-01": "hsr", "transport-b08-02": "hsr",
    "transport-b08-03": "rail", "transport-b08-04": "rail",  # 铁路专用线 (sidings), counted as railway
    **{f"transport-b08-{n:02d}": "expressway" for n in range(5, 16)},
    "transport-s18-01": "rail",  # 德州至聊城城际铁路 (research only)
}
"""Summary mode (``hsr``/``rail``/``expressway``) of the planned transport works (docs/ARCHITECTURE.md ids)."""
PLAN_ITEM_STATUS: dict[str, str] = {
    "transport-b08-01": "complete", "transport-b08-02": "strive_start",
    "transport-b08-03": "start", "transport-b08-04": "start",
    **{f"transport-b08-{n:02d}": "complete" for n in range(5, 9)},
    **{f"transport-b08-{n:02d}": "start" for n in range(9, 14)},
    "transport-b08-14": "preparatory", "transport-b08-15": "preparatory", "transport-s18-01": "preparatory",
}
"""Fallback plan status of the works (plan lines 557–565) when projects.csv does not give one. Only ``complete``
(加快建成) means "in service by 2030"; ``start``/``strive_start`` = construction starts, ``preparatory`` = studies."""

COUNTY_SEATS: dict[str, tuple[str, str, str]] = {
    "371402": ("新湖街道", "probable", "区政府驻新湖街道 (two third-party web pages); general knowledge, not verified "
                                      "against an official source. Not 新华街道."),
    "371403": ("临齐街道", "probable", "区政府驻临齐街道中兴路 (encyclopedia page); former 陵城镇 split into 安德/临齐."),
    "371422": ("津城街道", "probable", "县人民政府驻津城街道 (Wikipedia mirror); former 宁津镇 split into 宁城/津城."),
    "371423": ("渤海路街道", "uncertain", "the county's only 街道, around the county town; 县政府 at 光明路. "
                                          "Alternative: 庆云镇."),
    "371424": ("邢侗街道", "uncertain", "former 临邑镇 seat split into 邢侗/恒源街道; which one holds the 县政府 "
                                        "is not confirmed."),
    "371425": ("晏城街道", "probable", "general knowledge: 县城 = 晏城."),
    "371426": ("龙门街道", "probable", "龙门街道 '为县政府驻地' (third-party web page)."),
    "371427": ("银城街道", "probable", "general knowledge: former 城关镇 → 银城街道."),
    "371428": ("广运街道", "probable", "general knowledge: 县城 = 广运街道."),
    "371481": ("市中街道", "probable", "general knowledge."),
    "371482": ("市中街道", "probable", "general knowledge."),
}
"""County seat (the town holding the county/district government) per county adcode: (town name_zh, certainty,
basis). **General knowledge** from web pages and encyclopedias, not an official list; within a county town the
alternative streets are a few km apart, so the 30-minute check hardly depends on the choice. A non-empty
``seat_zh`` in data/units.csv overrides this table."""


def plan_statuses_of(data: PlanData) -> dict[str, str]:
    """Plan item id -> normalised status: projects.csv (``data.items``) where given, else :data:`PLAN_ITEM_STATUS`."""
    out = dict(PLAN_ITEM_STATUS)
    items = data.items
    if len(items) and "status" in items.columns:
        for pid, st in zip(items["id"].map(clean_str), items["status"].map(clean_str), strict=True):
            if st:
                out[pid] = st
    return out


BUILT_BY_2030: frozenset[str] = frozenset({"existing", "complete", "implementing"})
"""Plan statuses meaning "built or completed by 2030": ``complete`` (建成/加快建成/投入使用), ``existing`` (完成/建成通车)
and ``implementing`` (推进实施/加快建设: under way). Not ``start`` (推动…开工建设: construction starts, completion not
promised), ``strive_start`` (力争开工), ``planned`` (谋划/争取) or ``preparatory`` (前期研究) — scenario ``2030_all``."""
COMPLETE_BY_2030 = BUILT_BY_2030
"""Former name of :data:`BUILT_BY_2030` (the CLI's ``--only-complete``)."""


# --------------------------------------------------------------------------------------------------- assumptions
@dataclass(frozen=True, kw_only=True)
class Assumptions:
    """Assumptions of the access-time estimate (shown next to every figure).

    detour_factor: road distance / straight-line distance (dimensionless, ≥ 1).
    road_speed_kmh: average speed on local roads to the entrance/station (km/h); also the network method's
        speed on snap legs and on edges without a speed.
    access_min: fixed minutes added to every trip (parking, walking to the platform, waiting ...).
    """

    detour_factor: float = 1.3
    road_speed_kmh: float = 40.0
    access_min: float = 0.0

    def __post_init__(self) -> None:
        if not self.detour_factor >= 1.0:
            raise ValueError(f"detour_factor must be >= 1, got {self.detour_factor}")
        if not self.road_speed_kmh > 0:
            raise ValueError(f"road_speed_kmh must be > 0, got {self.road_speed_kmh}")
        if not self.access_min >= 0:
            raise ValueError(f"access_min must be >= 0, got {self.access_min}")

    def leg_minutes(self, km: Any) -> Any:
        """Minutes for a straight-line leg of ``km`` km (detour and local speed, no fixed minutes)."""
        return np.asarray(km, dtype=float) * self.detour_factor / self.road_speed_kmh * 60.0

    def minutes(self, km: Any) -> Any:
        """Straight-line method: ``km × detour / speed × 60 + access_min`` (minutes)."""
        return self.leg_minutes(km) + self.access_min

    def short(self) -> str:
        """Language-neutral one-liner (for CSV columns and the CLI header)."""
        return (f"straight-line distance x detour {self.detour_factor:g} / {self.road_speed_kmh:g} km/h "
                f"+ {self.access_min:g} min")

    def text(self, lang: str = "zh") -> str:
        """The assumptions as a sentence in ``lang`` (i18n key ``coverage.assumptions``)."""
        from i18n import t

        return t("coverage.assumptions", lang, detour=f"{self.detour_factor:g}",
                 speed=f"{self.road_speed_kmh:g}", access=f"{self.access_min:g}")


def band(minutes: float | None) -> str:
    """Access band of ``minutes``: ``le15`` (≤15), ``15_30``, ``30_60``, ``gt60`` (>60) or ``none`` (no value)."""
    if minutes is None or not np.isfinite(minutes):
        return "none"
    if minutes <= 15:
        return "le15"
    if minutes <= 30:
        return "15_30"
    if minutes <= 60:
        return "30_60"
    return "gt60"


# --------------------------------------------------------------------------------------------------- helpers
def _col(df: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def _scenario_str(values: pd.Series) -> pd.Series:
    """Normalise a ``scenario`` column to '2025'/'2030' strings (empty/missing → '2025')."""
    return pd.Series([clean_str(v) or "2025" for v in values], index=values.index, dtype=object)


def _truthy(values: pd.Series) -> pd.Series:
    return values.map(lambda v: str(v).strip().lower() in ("1", "1.0", "true", "yes", "y", "t"))


def _in_scenario(df: pd.DataFrame, scenario: str) -> pd.Series:
    """Rows of a network in ``scenario`` (2025 features; for 2030 scenarios also the features marked 2030)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {SCENARIOS}")
    sc = _scenario_str(_col(df, "scenario", None))
    return sc.isin(["2025"]) if scenario == "2025" else sc.isin(["2025", "2030"])


def scenario_statuses(scenario: str, plan_statuses: Collection[str] | None = None) -> frozenset[str] | None:
    """Plan statuses of the planned works counted in ``scenario``: ``plan_statuses`` when given, else
    :data:`BUILT_BY_2030` for ``2030`` and ``None`` (all works) for ``2030_all`` (and 2025, which has none)."""
    if plan_statuses is not None:
        return frozenset(plan_statuses)
    return BUILT_BY_2030 if scenario == "2030" else None


def _points_only(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(gdf) == 0:
        return gdf
    g = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    g = g.explode(index_parts=False)
    return g[g.geometry.geom_type == "Point"]


def _network(data: PlanData, name: str) -> gpd.GeoDataFrame:
    g = data.networks.get(name)
    if g is None:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    if g.crs is None:
        g = g.set_crs(WGS84)
    return g.to_crs(WGS84)


def _xy(geoms: gpd.GeoSeries) -> np.ndarray:
    """(n, 2) array of EPSG:32650 coordinates (metres) of WGS84 points; NaN for missing points."""
    if len(geoms) == 0:
        return np.zeros((0, 2))
    g = gpd.GeoSeries(geoms.values, crs=geoms.crs or WGS84).to_crs(METRIC_CRS)
    xs = np.array([p.x if p is not None and not p.is_empty else np.nan for p in g])
    ys = np.array([p.y if p is not None and not p.is_empty else np.nan for p in g])
    return np.column_stack([xs, ys])


# --------------------------------------------------------------------------------------------------- targets
TARGET_COLUMNS = ["target_id", "name_zh", "name_en", "kind", "target_scenario", "quality", "plan_item_id",
                  "source_network", "basis", "precision", "outside", "geometry"]


def targets(data: PlanData, *, scenario: str, target: str, plan_statuses: Collection[str] | None = None
            ) -> gpd.GeoDataFrame:
    """Entrances (``expressway``) or stations (``rail``/``hsr``) of ``scenario`` as WGS84 points.

    2030 = the 2025 set + features marked 2030 + planned points of planned_works (``role`` ``entrance`` for
    ``expressway``, ``station`` for ``rail``; for ``hsr`` planned stations of an HSR work: ``hsr`` = 1, ``mode``
    ``hsr`` or a plan item of :data:`HSR_ITEMS`) whose work has a status of :func:`scenario_statuses` (scenario
    ``2030``: built by 2030; ``2030_all``: every work; ``plan_statuses`` overrides).
    Columns: :data:`TARGET_COLUMNS` (``quality`` ``real``/``schematic``; ``basis`` of an entrance ``known``/
    ``assumed``/``plan``, '' for stations; ``precision`` ``site``/``town`` (placed at a town point); ``outside``
    True when the point lies outside the county polygons, i.e. in a neighbouring city).
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {TARGETS}")
    frames: list[pd.DataFrame] = []
    if target == "expressway":
        base = _points_only(_network(data, "expressway_entrances"))
        role = "entrance"
        network = "expressway_entrances"
    else:
        base = _points_only(_network(data, "stations"))
        role = "station"
        network = "stations"
        if "passenger" in base.columns:
            p = base["passenger"]
            base = base[p.isna() | _truthy(p)]
        if target == "hsr":
            base = base[_truthy(_col(base, "hsr", 0))]
    base = base[_in_scenario(base, scenario)]
    frames.append(_target_frame(base, network))
    if scenario != "2025":
        pw = _points_only(_network(data, "planned_works"))
        if len(pw):
            keep = _col(pw, "role", "").astype(str).str.lower().eq(role)
            if target == "hsr":
                keep &= (_truthy(_col(pw, "hsr", 0)) | _col(pw, "mode", "").astype(str).eq("hsr")
                         | _col(pw, "plan_item_id", "").astype(str).isin(HSR_ITEMS))
            statuses = scenario_statuses(scenario, plan_statuses)
            if statuses is not None:
                known = plan_statuses_of(data)
                status = _col(pw, "plan_item_id", "").astype(str).map(lambda i: known.get(i, ""))
                keep &= status.isin(statuses)
            planned = pw[keep].copy()
            planned["scenario"] = "2030"
            frames.append(_target_frame(planned, "planned_works", default_quality="schematic"))
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)
    out["outside"] = _outside(data, out.geometry)
    return out


def _outside(data: PlanData, points: gpd.GeoSeries) -> list[bool]:
    """True for points outside every county polygon (in a neighbouring city); all False without counties."""
    counties = data.counties
    if len(counties) == 0 or len(points) == 0:
        return [False] * len(points)
    city = shapely.union_all(list(counties.to_crs(WGS84).geometry))
    return [bool(p is not None and not p.is_empty and not city.covers(p)) for p in points]


def _target_frame(g: gpd.GeoDataFrame, network: str, default_quality: str = "real") -> pd.DataFrame:
    n = len(g)
    name = _col(g, "name", "").fillna("").astype(str)
    ids = [f"{network}:#{i}" for i in range(1, n + 1)]
    if "id" in g.columns:  # the network feature's stable id (geo.networks.feature_ids)
        ids = [clean_str(v) or d for v, d in zip(g["id"], ids, strict=True)]
    quality = _col(g, "quality", default_quality).fillna(default_quality).astype(str)
    return pd.DataFrame({
        "target_id": ids,
        "name_zh": name.values,
        "name_en": _col(g, "name_en", "").fillna("").astype(str).values,
        "kind": network,
        "target_scenario": _scenario_str(_col(g, "scenario", None)).values,
        "quality": quality.replace("", default_quality).values,
        "plan_item_id": _col(g, "plan_item_id", "").fillna("").astype(str).values,
        "source_network": network,
        "basis": _col(g, "basis", "").fillna("").astype(str).values,
        "precision": _col(g, "precision", "").fillna("").astype(str).values,
        "outside": False,
        "geometry": g.geometry.values,
    })


# --------------------------------------------------------------------------------------------------- origins
ORIGIN_COLUMNS = ["origin_kind", "origin_id", "name_zh", "name_en", "county", "tianqu", "geometry"]


def origins(data: PlanData, *, include_parks: bool = True) -> gpd.GeoDataFrame:
    """Towns (all rows of ``data.towns``) and located parks (category ``park``, precision ``site``/``town``).

    ``county`` is the county adcode (towns: their ``unit``; parks: the county polygon containing the point, else
    their first county unit). ``tianqu`` is 1 for towns of 德州天衢新区 and for parks whose units include it.
    """
    towns = data.towns
    frames = []
    if len(towns):
        frames.append(pd.DataFrame({
            "origin_kind": "town",
            "origin_id": towns["code"].astype(str).values,
            "name_zh": _col(towns, "name_zh", "").astype(str).values,
            "name_en": _col(towns, "name_en", "").astype(str).values,
            "county": _col(towns, "unit", "").astype(str).values,
            "tianqu": _truthy(_col(towns, "tianqu", 0)).astype(int).values,
            "geometry": towns.geometry.values,
        }))
    items = data.items
    if include_parks and len(items):
        parks = items[(_col(items, "category", "") == "park") & _col(items, "precision", "").isin(["site", "town"])]
        parks = parks[parks.geometry.notna()]
        parks = parks[parks.geometry.geom_type == "Point"]
        if len(parks):
            units = [str(u).split(";") for u in _col(parks, "units", "")]
            county = _county_of_points(data, parks.geometry)
            fallback = [next((c for c in u if c.isdigit()), "") for u in units]
            frames.append(pd.DataFrame({
                "origin_kind": "park",
                "origin_id": parks["id"].astype(str).values,
                "name_zh": _col(parks, "name_zh", "").astype(str).values,
                "name_en": _col(parks, "name_en", "").astype(str).values,
                "county": [c or f for c, f in zip(county, fallback, strict=True)],
                "tianqu": [int("tianqu" in u) for u in units],
                "geometry": parks.geometry.values,
            }))
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in ORIGIN_COLUMNS}, geometry="geometry", crs=WGS84)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)


def _county_of_points(data: PlanData, points: gpd.GeoSeries) -> list[str]:
    counties = data.counties
    if len(counties) == 0:
        return [""] * len(points)
    pts = gpd.GeoDataFrame(geometry=gpd.GeoSeries(points.values, crs=WGS84), crs=WGS84)
    joined = gpd.sjoin(pts, counties[["adcode", "geometry"]].to_crs(WGS84), how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return [str(a) if isinstance(a, str) or pd.notna(a) else "" for a in joined["adcode"].reindex(pts.index)]


# --------------------------------------------------------------------------------------------------- nearest
def nearest_points(point_xy: np.ndarray, candidate_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each point (metres, EPSG:32650), the row index of the nearest candidate point and the distance in
    **metres**, from a shapely ``STRtree`` of the candidates; among equidistant candidates the lowest index wins.
    Points (or candidates) with a non-finite coordinate take no part: their rows get -1 and ``inf``."""
    pts = np.asarray(point_xy, dtype=float).reshape(-1, 2)
    cand = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    idx = np.full(len(pts), -1, dtype=int)
    dist = np.full(len(pts), np.inf)
    ok_c = np.flatnonzero(np.isfinite(cand).all(axis=1))
    ok_p = np.flatnonzero(np.isfinite(pts).all(axis=1))
    if len(ok_c) == 0 or len(ok_p) == 0:
        return idx, dist
    tree = shapely.STRtree(shapely.points(cand[ok_c]))
    (which_p, which_c), d = tree.query_nearest(shapely.points(pts[ok_p]), all_matches=True, return_distance=True)
    # all_matches=True returns every equidistant candidate: keep the lowest candidate index per point
    order = np.lexsort((ok_c[which_c], which_p))
    first = np.ones(len(order), dtype=bool)
    first[1:] = which_p[order][1:] != which_p[order][:-1]
    sel = order[first]
    idx[ok_p[which_p[sel]]] = ok_c[which_c[sel]]
    dist[ok_p[which_p[sel]]] = d[sel]
    return idx, dist


# --------------------------------------------------------------------------------------------------- straight line
def nearest_straight(origin_xy: np.ndarray, target_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each origin (metres, EPSG:32650), the straight-line distance in **km** to the nearest target and
    that target's row index (-1 and ``inf`` when there is no target or the origin has no point)."""
    idx, dist_m = nearest_points(origin_xy, target_xy)
    return dist_m / 1000.0, idx


# --------------------------------------------------------------------------------------------------- network
def graph_from_roads(roads: gpd.GeoDataFrame, *, default_speed_kmh: float = 40.0,
                     speeds_kmh: dict[str, float] | None = None) -> nx.Graph:
    """An undirected road graph from WGS84 road lines (e.g. the OSM importer's roads).

    Nodes: line vertices in EPSG:32650 rounded to 1 m (attributes ``x``, ``y`` in metres; ``graph.graph["crs"]``
    = EPSG:32650). Edges: consecutive vertices, ``length`` (m) and ``speed_kph`` — from a ``speed_kmh``/
    ``maxspeed`` column, else by ``highway`` class (``speeds_kmh``, defaults: motorway 100, trunk 80,
    primary 60, secondary 50, tertiary 40), else ``default_speed_kmh``. Lines meet only at shared vertices.
    """
    classes = {"motorway": 100.0, "motorway_link": 60.0, "trunk": 80.0, "trunk_link": 50.0, "primary": 60.0,
               "secondary": 50.0, "tertiary": 40.0, **(speeds_kmh or {})}
    g = nx.Graph(crs=METRIC_CRS)
    if len(roads) == 0:
        return g
    m = roads.to_crs(METRIC_CRS)
    for row in m.itertuples():
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        speed = None
        for col in ("speed_kmh", "maxspeed"):
            v = clean_str(getattr(row, col, None))
            try:
                speed = float(v.split()[0]) if v else None
            except ValueError:
                speed = None
            if speed:
                break
        if not speed:
            speed = classes.get(str(getattr(row, "highway", "")), default_speed_kmh)
        parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
        for part in parts:
            coords = [(round(x), round(y)) for x, y, *_ in part.coords]
            for a, b in zip(coords[:-1], coords[1:], strict=True):
                if a == b:
                    continue
                length = math.hypot(b[0] - a[0], b[1] - a[1])
                for node in (a, b):
                    if node not in g:
                        g.add_node(node, x=float(node[0]), y=float(node[1]))
                if not g.has_edge(a, b) or g[a][b]["length"] / g[a][b]["speed_kph"] > length / speed:
                    g.add_edge(a, b, length=length, speed_kph=float(speed))
    return g


def _node_xy(graph: nx.Graph) -> tuple[list[Any], np.ndarray]:
    nodes = list(graph.nodes)
    xy = np.array([[graph.nodes[n]["x"], graph.nodes[n]["y"]] for n in nodes], dtype=float).reshape(-1, 2)
    crs = graph.graph.get("crs", WGS84)
    if len(nodes) and str(crs).upper() != METRIC_CRS:
        pts = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=crs).to_crs(METRIC_CRS)
        xy = np.column_stack([pts.x.values, pts.y.values])
    return nodes, xy


def _edge_minutes(data: dict[str, Any], default_speed: float) -> tuple[float, float]:
    """(minutes, km) of one edge: ``travel_time`` (s) if given, else ``length`` (m) / ``speed_kph``."""
    km = float(data.get("length", 0.0)) / 1000.0
    if data.get("travel_time") is not None:
        return float(data["travel_time"]) / 60.0, km
    speed = data.get("speed_kph") or default_speed
    return km / float(speed) * 60.0, km


class _Source:
    """The virtual node the search starts from (one edge to the node each target snaps to)."""


def network_access(graph: nx.Graph, origin_xy: np.ndarray, target_xy: np.ndarray,
                   assumptions: Assumptions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network method: one multi-source Dijkstra (networkx, on minutes) from all targets at once.

    Targets and origins (EPSG:32650 metres) are snapped to their nearest graph node (:func:`nearest_points`, an
    STRtree); the snap legs count as straight-line access (``Assumptions.leg_minutes``). The targets start with
    their snap-leg minutes: a virtual source node is joined to each target's node by an edge of those minutes, and
    ``networkx.dijkstra_predecessor_and_distance`` searches from it (``multi_source_dijkstra`` would start every
    target at 0 and keep a full path per node). Returns per origin: minutes (incl. ``access_min``), km (snap legs
    straight-line + road km along the fastest path) and the index of the target reached (-1 / inf when none).
    Directed graphs are traversed against edge direction (origin → target trips).
    """
    n = len(origin_xy)
    minutes = np.full(n, np.inf)
    km = np.full(n, np.inf)
    which = np.full(n, -1, dtype=int)
    nodes, nxy = _node_xy(graph)
    if n == 0 or len(target_xy) == 0 or not nodes:
        return minutes, km, which
    default_speed = assumptions.road_speed_kmh
    multi = graph.is_multigraph()

    def edge(d: dict[str, Any]) -> tuple[float, float]:
        """(minutes, km) of the fastest of the parallel edges ``d`` (one edge unless a multigraph)."""
        return min(_edge_minutes(e, default_speed) for e in d.values()) if multi else _edge_minutes(d, default_speed)

    # origin -> target trips: search from the targets along reversed edges
    search = graph.reverse(copy=True) if graph.is_directed() else graph.copy()
    source = _Source()
    seed: dict[Any, tuple[float, int, float]] = {}  # node -> (snap minutes, target index, snap km)
    t_idx, t_dist = nearest_points(np.asarray(target_xy, dtype=float), nxy)
    for ti, (j, dist_m) in enumerate(zip(t_idx, t_dist, strict=True)):
        if j < 0:
            continue
        leg_km = float(dist_m) / 1000.0
        cand = (float(assumptions.leg_minutes(leg_km)), ti, leg_km)
        if nodes[j] not in seed or cand[:2] < seed[nodes[j]][:2]:
            seed[nodes[j]] = cand
    if not seed:
        return minutes, km, which
    search.add_node(source)
    seed_edges = [(source, node, {"seed_minutes": s[0]}) for node, s in seed.items()]
    if multi:
        search.add_edges_from((u, v, 0, d) for u, v, d in seed_edges)
    else:
        search.add_edges_from(seed_edges)

    def weight(u: Any, v: Any, d: dict[str, Any]) -> float:
        if u is source or v is source:
            return float(next(iter(d.values()))["seed_minutes"]) if multi else float(d["seed_minutes"])
        return edge(d)[0]

    pred, dist = nx.dijkstra_predecessor_and_distance(search, source, weight=weight)
    reached: dict[Any, tuple[float, int]] = {source: (0.0, -1)}  # node -> (km from the source, target index)

    def trace(node: Any) -> tuple[float, int]:
        chain = []
        while node not in reached:
            chain.append(node)
            node = pred[node][0]
        total, ti = reached[node]
        for nd in reversed(chain):
            prev = pred[nd][0]
            if prev is source:
                _, ti, total = seed[nd]
            else:
                total += edge(search[prev][nd])[1]
            reached[nd] = (total, ti)
        return reached[chain[0]] if chain else reached[node]

    o_idx, o_dist = nearest_points(np.asarray(origin_xy, dtype=float), nxy)
    for i, (j, dist_m) in enumerate(zip(o_idx, o_dist, strict=True)):
        if j < 0 or nodes[j] not in dist:
            continue
        leg_km = float(dist_m) / 1000.0
        road_km, ti = trace(nodes[j])
        minutes[i] = dist[nodes[j]] + float(assumptions.leg_minutes(leg_km)) + assumptions.access_min
        km[i] = road_km + leg_km
        which[i] = ti
    return minutes, km, which


# --------------------------------------------------------------------------------------------------- main table
RESULT_COLUMNS = ["scenario", "target", "origin_kind", "origin_id", "name_zh", "name_en", "county", "tianqu",
                  "lon", "lat", "km", "minutes", "band", "target_name_zh", "target_name_en", "target_id",
                  "target_scenario", "target_quality", "target_plan_item_id", "target_basis", "target_outside",
                  "assumed_entrance", "at_target_point", "rests_on_assumption", "method", "assumptions"]


def coverage(data: PlanData, *, scenario: str = "2025", target_kinds: Sequence[str] = TARGETS,
             assumptions: Assumptions | None = None, graph: nx.Graph | None = None, include_parks: bool = True,
             plan_statuses: Collection[str] | None = None) -> pd.DataFrame:
    """Access of every town and located park to each target kind in ``scenario``: one row per origin × target.

    Columns: :data:`RESULT_COLUMNS`. ``km`` is straight-line km (``straight_line``) or snap legs + road km
    (``network``, when ``graph`` is given); ``minutes`` see :class:`Assumptions`. ``df.attrs["assumptions"]``
    holds the assumptions as a dict. Missing origin points or no target give ``NaN``.

    Flags of each figure: ``assumed_entrance`` — the nearest target is an entrance whose existence is assumed
    (``basis`` ``assumed``); ``at_target_point`` — the target was placed at a town point (precision ``town``) and
    the origin lies within :data:`AT_POINT_KM` of it, so its ~0 km is the placement, not a distance (the real toll
    station or station is a few km away); ``rests_on_assumption`` = either; ``target_outside`` — the target lies
    in a neighbouring city.
    """
    a = assumptions or Assumptions()
    orig = origins(data, include_parks=include_parks)
    oxy = _xy(orig.geometry)
    lon = [p.x if p is not None and not p.is_empty else np.nan for p in orig.geometry]
    lat = [p.y if p is not None and not p.is_empty else np.nan for p in orig.geometry]
    frames = []
    for kind in target_kinds:
        tg = targets(data, scenario=scenario, target=kind, plan_statuses=plan_statuses)
        txy = _xy(tg.geometry)
        if graph is not None:
            minutes, km, idx = network_access(graph, oxy, txy, a)
            method = "network"
        else:
            km, idx = nearest_straight(oxy, txy)
            minutes = a.minutes(km)
            method = "straight_line"
        ok = idx >= 0

        def pick(col: str, idx: np.ndarray = idx, ok: np.ndarray = ok, tg: gpd.GeoDataFrame = tg) -> list[Any]:
            vals = tg[col].to_numpy()
            return [vals[j] if good else "" for j, good in zip(idx, ok, strict=True)]

        km_out = np.where(ok, km, np.nan)
        min_out = np.where(ok, minutes, np.nan)
        assumed = np.array([b == "assumed" for b in pick("basis")], dtype=bool)
        at_point = np.array([p == "town" for p in pick("precision")], dtype=bool) & (np.nan_to_num(
            km_out, nan=np.inf) <= AT_POINT_KM)
        frames.append(pd.DataFrame({
            "scenario": scenario, "target": kind,
            "origin_kind": orig["origin_kind"].values, "origin_id": orig["origin_id"].values,
            "name_zh": orig["name_zh"].values, "name_en": orig["name_en"].values,
            "county": orig["county"].values, "tianqu": orig["tianqu"].values,
            "lon": lon, "lat": lat,
            "km": km_out, "minutes": min_out, "band": [band(m) for m in min_out],
            "target_name_zh": pick("name_zh"), "target_name_en": pick("name_en"), "target_id": pick("target_id"),
            "target_scenario": pick("target_scenario"), "target_quality": pick("quality"),
            "target_plan_item_id": pick("plan_item_id"), "target_basis": pick("basis"),
            "target_outside": [bool(v) for v in pick("outside")],
            "assumed_entrance": assumed, "at_target_point": at_point, "rests_on_assumption": assumed | at_point,
            "method": method, "assumptions": a.short(),
        }, columns=RESULT_COLUMNS))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RESULT_COLUMNS)
    out.attrs["assumptions"] = asdict(a)
    return out


def coverage_scenarios(data: PlanData, **kwargs: Any) -> pd.DataFrame:
    """:func:`coverage` for every scenario of :data:`SCENARIOS`, concatenated (same keyword arguments)."""
    return pd.concat([coverage(data, scenario=s, **kwargs) for s in SCENARIOS], ignore_index=True)


# --------------------------------------------------------------------------------------------------- summaries
def county_shares(result: pd.DataFrame, data: PlanData | None = None, *, km_thresholds: Iterable[float] = KM_THRESHOLDS,
                  min_thresholds: Iterable[float] = MIN_THRESHOLDS) -> pd.DataFrame:
    """Per county (plus 天衢新区 and city-wide), origin kind, scenario and target: the number of origins, how many
    lack a value, and the **share** (0–1) within each km threshold (``km_le_10`` ...) and each minutes threshold
    (``min_le_15`` ...), plus the median minutes. Shares are over all origins of the group (no value = not within).
    ``n_assumed``: origins whose figure rests on an assumption (``rests_on_assumption``: assumed entrance or target
    placed at the origin's own point), ``n_at_point`` those of them at ~0 km, ``n_outside``: origins whose nearest
    target lies in a neighbouring city.
    """
    names = unit_names(data.units if data is not None else None)
    km_t, min_t = list(km_thresholds), list(min_thresholds)
    rows = []
    groups: list[tuple[str, pd.DataFrame]] = []
    for county, sub in result.groupby("county", sort=True):
        groups.append((str(county), sub))
    tq = result[result["tianqu"] == 1]
    if len(tq):
        groups.append(("tianqu", tq))
    groups.append(("city", result))
    for code, sub in groups:
        for (kind, scen, tgt), g in sub.groupby(["origin_kind", "scenario", "target"], sort=True):
            n = len(g)
            row: dict[str, Any] = {
                "county": code, "county_name_zh": names.get(code, (code, code))[0],
                "county_name_en": names.get(code, (code, code))[1],
                "origin_kind": kind, "scenario": scen, "target": tgt, "n": n,
                "n_missing": int(g["minutes"].isna().sum()),
                "n_assumed": int(_col(g, "rests_on_assumption", False).astype(bool).sum()),
                "n_at_point": int(_col(g, "at_target_point", False).astype(bool).sum()),
                "n_outside": int(_col(g, "target_outside", False).astype(bool).sum()),
            }
            for k in km_t:
                row[f"km_le_{k:g}"] = float((g["km"] <= k).sum()) / n if n else np.nan
            for m in min_t:
                row[f"min_le_{m:g}"] = float((g["minutes"] <= m).sum()) / n if n else np.nan
            row["median_min"] = float(g["minutes"].median()) if g["minutes"].notna().any() else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def county_seats(data: PlanData) -> pd.DataFrame:
    """The county seat town per county: columns adcode, seat_zh, town_code, certainty, basis.

    ``units.csv`` ``seat_zh`` wins when filled; else :data:`COUNTY_SEATS` (general knowledge, see there).
    ``town_code`` is empty when the name is not found among the county's towns.
    """
    units = data.units
    from_units: dict[str, str] = {}
    if "seat_zh" in units.columns:
        from_units = {str(c): str(s).strip() for c, s in zip(units["code"], units["seat_zh"], strict=True)
                      if isinstance(s, str) and s.strip()}
    towns = data.towns
    rows = []
    for adcode, (name, certainty, basis) in COUNTY_SEATS.items():
        if adcode in from_units and from_units[adcode] != name:
            name, certainty, basis = from_units[adcode], "data", "units.csv seat_zh"
        code = ""
        if len(towns):
            hit = towns[(towns["unit"].astype(str) == adcode) & (towns["name_zh"] == name)]
            code = str(hit["code"].iloc[0]) if len(hit) else ""
        rows.append({"adcode": adcode, "seat_zh": name, "town_code": code, "certainty": certainty, "basis": basis})
    return pd.DataFrame(rows)


def seat_check(results: pd.DataFrame, data: PlanData, *, standard_min: float = SEAT_STANDARD_MIN) -> pd.DataFrame:
    """County seats against the ``standard_min`` standard, per target: minutes/km and target in each scenario
    present in ``results`` (e.g. from :func:`coverage_scenarios`), whether it is met (``meets_<scenario>``) and
    whether that figure rests on an assumption (``assumed_<scenario>``: assumed entrance, or the target placed at
    the seat's own point so that its ~0 km is no distance; ``at_point_<scenario>`` the latter alone)."""
    seats = county_seats(data)
    names = unit_names(data.units)
    if names:
        seats = seats[seats["adcode"].isin(names)]
    towns = results[results["origin_kind"] == "town"]
    rows = []
    for s in seats.itertuples():
        for tgt in sorted(towns["target"].unique()):
            row: dict[str, Any] = {"adcode": s.adcode, "county_name_zh": names.get(s.adcode, (s.adcode,) * 2)[0],
                                   "county_name_en": names.get(s.adcode, (s.adcode,) * 2)[1],
                                   "seat_zh": s.seat_zh, "town_code": s.town_code, "certainty": s.certainty,
                                   "target": tgt}
            for scen in sorted(towns["scenario"].unique()):
                hit = towns[(towns["origin_id"] == s.town_code) & (towns["target"] == tgt)
                            & (towns["scenario"] == scen)]
                m = float(hit["minutes"].iloc[0]) if len(hit) else np.nan
                row[f"minutes_{scen}"] = m
                row[f"km_{scen}"] = float(hit["km"].iloc[0]) if len(hit) else np.nan
                row[f"target_{scen}"] = str(hit["target_name_zh"].iloc[0]) if len(hit) else ""
                row[f"meets_{scen}"] = bool(m <= standard_min) if np.isfinite(m) else False
                row[f"assumed_{scen}"] = bool(hit["rests_on_assumption"].iloc[0]) if len(hit) and \
                    "rests_on_assumption" in hit.columns else False
                row[f"at_point_{scen}"] = bool(hit["at_target_point"].iloc[0]) if len(hit) and \
                    "at_target_point" in hit.columns else False
            rows.append(row)
    return pd.DataFrame(rows)


def gains(results: pd.DataFrame, *, target: str | None = None, origin_kind: str = "town",
          to: str = "2030") -> pd.DataFrame:
    """2025 → ``to`` (``2030`` or ``2030_all``) change per origin (and target): minutes/km/target name in both
    (columns ``*_2025`` and ``*_2030``, whichever 2030 scenario ``to`` is) and ``gain_min`` = minutes_2025 −
    minutes_2030 (≥ 0 by construction), sorted by the largest gain."""
    r = results[results["origin_kind"] == origin_kind]
    if target is not None:
        r = r[r["target"] == target]
    keys = ["target", "origin_id", "name_zh", "name_en", "county"]
    cols = ["minutes", "km", "target_name_zh", "target_quality"]
    cols += [c for c in ("rests_on_assumption", "target_outside") if c in r.columns]
    a = r[r["scenario"] == "2025"][keys + cols]
    b = r[r["scenario"] == to][keys + cols]
    m = a.merge(b, on=keys, suffixes=("_2025", "_2030"))
    m["gain_min"] = m["minutes_2025"] - m["minutes_2030"]
    m["gain_km"] = m["km_2025"] - m["km_2030"]
    return m.sort_values(["gain_min", "origin_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def entrance_gaps(data: PlanData, *, scenario: str = "2030", max_km: float = 3.0) -> pd.DataFrame:
    """Data-completeness check of the expressway entrances, per expressway line of ``scenario``.

    ``n_entrances``: entrances of the same scenario (incl. planned ones) within ``max_km`` km of the line;
    ``max_gap_km``: the longest stretch of the line (km, along it, ends included) with no such entrance.
    A line with 0 entrances, or a stretch much longer than the usual 10–30 km interchange spacing, adds
    nothing to access here — that is missing entrance data, not necessarily a road without entrances.
    Columns: name, plan_item_id, source_network, km (whole line, EPSG:32650), n_entrances, max_gap_km.
    """
    lines = network_lines(data, scenario=scenario)
    lines = lines[lines["mode"] == "expressway"].to_crs(METRIC_CRS)
    ent = targets(data, scenario=scenario, target="expressway")
    exy = gpd.GeoSeries(ent.geometry.values, crs=WGS84).to_crs(METRIC_CRS) if len(ent) else None
    rows = []
    for r in lines.itertuples():
        geom = shapely.line_merge(r.geometry) if r.geometry.geom_type == "MultiLineString" else r.geometry
        length = float(geom.length)
        near = exy[exy.distance(geom) <= max_km * 1000.0] if exy is not None else []
        pos = sorted([0.0, length, *[float(geom.project(p)) for p in near]])
        rows.append({"name": r.name, "plan_item_id": r.plan_item_id, "source_network": r.source_network,
                     "km": length / 1000.0, "n_entrances": len(near),
                     "max_gap_km": max(b - a for a, b in zip(pos[:-1], pos[1:], strict=True)) / 1000.0})
    return pd.DataFrame(rows, columns=["name", "plan_item_id", "source_network", "km", "n_entrances", "max_gap_km"])


# --------------------------------------------------------------------------------------------------- lengths
def _line_parts(g: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(g) == 0:
        return g
    g = g[g.geometry.notna() & ~g.geometry.is_empty]
    return g[g.geometry.geom_type.isin(["LineString", "MultiLineString"])]


def network_lines(data: PlanData, *, scenario: str, plan_statuses: Collection[str] | None = None) -> gpd.GeoDataFrame:
    """All rail (``hsr``/``rail``) and expressway lines of ``scenario`` (WGS84) with columns mode, name,
    quality (``real``/``schematic``), plan_item_id, status, source_network.

    2030 adds the lines marked 2030 in rail/expressways and the planned_works lines of rail/HSR/expressway
    works, except widenings of existing roads (:data:`WIDENING_ITEMS`), and never a plan item twice; scenario
    ``2030`` only the works built by 2030 (:func:`scenario_statuses`), ``2030_all`` every work.
    """
    frames = []
    rail = _line_parts(_network(data, "rail"))
    rail = rail[_in_scenario(rail, scenario)]
    frames.append(pd.DataFrame({
        "mode": _col(rail, "mode", "rail").astype(str).where(lambda s: s.isin(["hsr", "rail"]), "rail").values,
        "name": _col(rail, "name", "").fillna("").astype(str).values,
        "quality": _col(rail, "quality", "real").fillna("real").astype(str).values,
        "plan_item_id": _col(rail, "plan_item_id", "").fillna("").astype(str).values,
        "source_network": "rail", "geometry": rail.geometry.values}))
    ex = _line_parts(_network(data, "expressways"))
    ex = ex[_in_scenario(ex, scenario)]
    frames.append(pd.DataFrame({
        "mode": "expressway",
        "name": _col(ex, "name", "").fillna("").astype(str).values,
        "quality": _col(ex, "quality", "real").fillna("real").astype(str).values,
        "plan_item_id": _col(ex, "plan_item_id", "").fillna("").astype(str).values,
        "source_network": "expressways", "geometry": ex.geometry.values}))
    out = pd.concat(frames, ignore_index=True)
    known = plan_statuses_of(data)
    if scenario != "2025":
        pw = _line_parts(_network(data, "planned_works"))
        statuses = scenario_statuses(scenario, plan_statuses)
        if len(pw) and statuses is not None:
            pw = pw[_col(pw, "plan_item_id", "").fillna("").astype(str).map(lambda i: known.get(i, "")).isin(statuses)]
        if len(pw):
            pid = _col(pw, "plan_item_id", "").fillna("").astype(str)
            mode = [PLAN_ITEM_MODE.get(p) or {"hsr": "hsr", "rail": "rail", "rail_siding": "rail",
                                              "intercity_rail": "rail", "railway": "rail",
                                              "expressway": "expressway"}.get(str(m), "")
                    for p, m in zip(pid, _col(pw, "mode", ""), strict=True)]
            work = _col(pw, "work", "").fillna("").astype(str).str.lower()
            keep = (pd.Series(mode, index=pw.index) != "") & ~pid.isin(WIDENING_ITEMS) & (work != "widening")
            pw = pw[keep.values]
            added = pd.DataFrame({
                "mode": [m for m, k in zip(mode, keep, strict=True) if k],
                "name": _col(pw, "name", "").fillna("").astype(str).values,
                "quality": _col(pw, "quality", "schematic").fillna("schematic").astype(str).values,
                "plan_item_id": pid[keep.values].values, "source_network": "planned_works",
                "geometry": pw.geometry.values})
            # a plan item drawn in planned_works wins over the same item marked 2030 in rail/expressways
            dup = out["plan_item_id"].isin(set(added["plan_item_id"]) - {""})
            out = pd.concat([out[~dup], added], ignore_index=True)
    out["status"] = [("existing" if not p else known.get(p, "")) for p in out["plan_item_id"]]
    return gpd.GeoDataFrame(out, geometry="geometry", crs=WGS84)


def _route_km(geoms: Sequence[Any], buffer_m: float = ROUTE_BUFFER_M) -> float:
    """Route length (km) of metric lines with parallel duplicates (double track ways, two carriageways) merged.

    The lines are buffered by ``buffer_m`` (flat caps) and unioned; each resulting band of area A and perimeter P
    is treated as a rectangle of length L and width W (A = L·W, P = 2L + 2W), so L is the larger root of
    L² − (P/2)·L + A = 0. Exact for straight bands; an approximation at junctions and sharp curves.
    """
    geoms = [g for g in geoms if g is not None and not g.is_empty and g.length > 0]
    if not geoms:
        return 0.0
    merged = shapely.union_all([shapely.buffer(g, buffer_m, cap_style="flat") for g in geoms])
    total = 0.0
    for poly in getattr(merged, "geoms", [merged]):
        area, half_p = float(poly.area), float(poly.length) / 2.0
        disc = half_p * half_p - 4.0 * area
        total += (half_p + math.sqrt(disc)) / 2.0 if disc > 0 else half_p / 2.0
    return total / 1000.0


def network_lengths(data: PlanData, *, scenarios: Sequence[str] = SCENARIOS) -> pd.DataFrame:
    """Line length per county (clipped to the county polygons), mode and scenario, and city-wide (km, EPSG:32650).

    Columns: county, county_name_zh/en, scenario, mode (``hsr``, ``rail``, ``railway`` = hsr + rail,
    ``expressway``), km (sum of drawn geometry), route_km (parallel track ways/carriageways within
    :data:`ROUTE_BUFFER_M` of each other merged, per line name), schematic_km, schematic_share (of km).
    City-wide = clipped to the union of the counties (the whole drawn length when no county polygons).
    """
    counties = data.counties
    names = unit_names(data.units)
    areas: list[tuple[str, Any]] = []
    if len(counties):
        cm = counties.to_crs(METRIC_CRS)
        for code, geom in zip(cm["adcode"].astype(str), cm.geometry, strict=True):
            areas.append((code, geom))
        city = shapely.union_all([g for _, g in areas])
    else:
        city = None
    rows = []
    for scen in scenarios:
        lines = network_lines(data, scenario=scen).to_crs(METRIC_CRS)
        units = [*areas, ("city", city)]
        for code, area in units:
            clipped = lines.copy()
            if area is not None:
                clipped["geometry"] = shapely.intersection(clipped.geometry.values, area)
            clipped = clipped[~clipped.geometry.is_empty & (clipped.geometry.length > 1.0)]
            for mode in ("hsr", "rail", "railway", "expressway"):
                sub = clipped[clipped["mode"].isin(["hsr", "rail"] if mode == "railway" else [mode])]
                km = float(sub.geometry.length.sum()) / 1000.0
                sch = float(sub[sub["quality"] == "schematic"].geometry.length.sum()) / 1000.0
                route = sum(_route_km(list(g.geometry)) for _, g in sub.groupby(["mode", "name"]))
                rows.append({"county": code, "county_name_zh": names.get(code, (code, code))[0],
                             "county_name_en": names.get(code, (code, code))[1], "scenario": scen, "mode": mode,
                             "km": km, "route_km": route, "schematic_km": sch,
                             "schematic_share": sch / km if km > 0 else np.nan})
    return pd.DataFrame(rows)


def _indicator_target(data: PlanData, name_zh: str, default: float) -> float:
    """The 2030 target (km) of indicator ``name_zh`` in data/indicators.csv, else ``default``."""
    ind = data.indicators
    if len(ind) and {"name_zh", "target_2030"} <= set(ind.columns):
        hit = ind.loc[ind["name_zh"] == name_zh, "target_2030"]
        try:
            return float(str(hit.iloc[0]).strip().lstrip("><≥≤=")) if len(hit) else default
        except ValueError:
            return default
    return default


def length_vs_targets(data: PlanData, lengths: pd.DataFrame | None = None) -> pd.DataFrame:
    """City-wide route length vs the plan's 2030 targets: rail (``railway`` = all railway, 479 km) and
    ``expressway`` (865 km) — read from indicators.csv (全市铁路里程, 全市高速公路里程) when present. Columns: mode, target_2030_km, km_2025, route_km_2025, km_2030, route_km_2030,
    route_km_2030_complete (2025 + only works the plan says will be built by 2030, scenario ``2030``),
    schematic_share_2030, gap_2030_km (target − route_km_2030). ``*_2030`` (except ``_complete``) are of scenario
    ``2030_all`` (every planned work drawn), the plan's own reading of its target."""
    lengths = network_lengths(data) if lengths is None else lengths
    city = lengths[lengths["county"] == "city"]
    complete = network_lines(data, scenario="2030")
    complete = complete[(complete["status"].isin(BUILT_BY_2030))].to_crs(METRIC_CRS)
    all_2030 = "2030_all" if (city["scenario"] == "2030_all").any() else "2030"
    counties = data.counties
    if len(counties):
        area = shapely.union_all(list(counties.to_crs(METRIC_CRS).geometry))
        complete["geometry"] = shapely.intersection(complete.geometry.values, area)
    rows = []
    for mode, target in (("railway", _indicator_target(data, "全市铁路里程", RAIL_TARGET_2030)),
                         ("expressway", _indicator_target(data, "全市高速公路里程", EXPRESSWAY_TARGET_2030))):
        r25 = city[(city["scenario"] == "2025") & (city["mode"] == mode)]
        r30 = city[(city["scenario"] == all_2030) & (city["mode"] == mode)]
        sub = complete[complete["mode"].isin(["hsr", "rail"] if mode == "railway" else [mode])]
        route_c = sum(_route_km(list(g.geometry)) for _, g in sub.groupby(["mode", "name"]))
        rows.append({
            "mode": mode, "target_2030_km": target,
            "km_2025": float(r25["km"].sum()), "route_km_2025": float(r25["route_km"].sum()),
            "km_2030": float(r30["km"].sum()), "route_km_2030": float(r30["route_km"].sum()),
            "route_km_2030_complete": route_c,
            "schematic_share_2030": float(r30["schematic_share"].iloc[0]) if len(r30) else np.nan,
            "gap_2030_km": target - float(r30["route_km"].sum()),
        })
    return pd.DataFrame(rows)


def planned_work_lengths(data: PlanData) -> pd.DataFrame:
    """Length (km, inside the counties, EPSG:32650) of each planned rail/expressway work drawn in
    planned_works, with its mode, plan status and quality; widenings are listed with ``counted`` = False."""
    pw = _line_parts(_network(data, "planned_works"))
    if len(pw) == 0:
        return pd.DataFrame(columns=["plan_item_id", "name", "mode", "status", "quality", "km", "counted"])
    m = pw.to_crs(METRIC_CRS)
    counties = data.counties
    if len(counties):
        area = shapely.union_all(list(counties.to_crs(METRIC_CRS).geometry))
        m["geometry"] = shapely.intersection(m.geometry.values, area)
    m["plan_item_id"] = _col(m, "plan_item_id", "").fillna("").astype(str)
    rows = []
    for pid, g in m.groupby("plan_item_id", sort=True):
        mode = PLAN_ITEM_MODE.get(pid, str(_col(g, "mode", "").iloc[0]))
        if mode not in ("hsr", "rail", "expressway"):
            continue
        rows.append({"plan_item_id": pid, "name": str(_col(g, "name", "").iloc[0]), "mode": mode,
                     "status": plan_statuses_of(data).get(pid, ""),
                     "quality": str(_col(g, "quality", "schematic").iloc[0]),
                     "km": float(g.geometry.length.sum()) / 1000.0, "counted": pid not in WIDENING_ITEMS})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------- CLI
CLI_COLUMNS = ["code", "name_zh", "name_en", "county", "county_name_zh", "km", "minutes", "target_name_zh",
               "target_scenario", "target_quality", "rests_on_assumption", "at_target_point", "target_outside",
               "method"]


def town_table(data: PlanData, *, scenario: str, target: str, assumptions: Assumptions | None = None,
               graph: nx.Graph | None = None, plan_statuses: Collection[str] | None = None) -> pd.DataFrame:
    """One row per town for one scenario/target (the CLI's table; the app uses :func:`coverage` too)."""
    res = coverage(data, scenario=scenario, target_kinds=[target], assumptions=assumptions, graph=graph,
                   include_parks=False, plan_statuses=plan_statuses)
    names = unit_names(data.units)
    out = pd.DataFrame({
        "code": res["origin_id"], "name_zh": res["name_zh"], "name_en": res["name_en"], "county": res["county"],
        "county_name_zh": [names.get(c, (c, c))[0] for c in res["county"]],
        "km": res["km"].round(2), "minutes": res["minutes"].round(1), "target_name_zh": res["target_name_zh"],
        "target_scenario": res["target_scenario"], "target_quality": res["target_quality"],
        "rests_on_assumption": res["rests_on_assumption"], "at_target_point": res["at_target_point"],
        "target_outside": res["target_outside"], "method": res["method"]}, columns=CLI_COLUMNS)
    out.attrs["assumptions"] = res.attrs.get("assumptions")
    return out


def main(argv: Sequence[str] | None = None, *, data: PlanData | None = None) -> int:
    """``python -m geo.coverage --scenario 2025|2030 [--target expressway|rail|hsr] [--out FILE.csv]``.

    Prints (or writes) one CSV row per town; the first line is a ``#`` comment with the assumptions.
    ``--roads FILE.geojson`` switches to the network method on a graph built from those road lines.
    """
    p = argparse.ArgumentParser(prog="python -m geo.coverage", description=__doc__.splitlines()[0])
    p.add_argument("--scenario", choices=SCENARIOS, required=True)
    p.add_argument("--target", choices=TARGETS, default="expressway")
    p.add_argument("--out", help="write the CSV here instead of standard output")
    p.add_argument("--detour", type=float, default=Assumptions().detour_factor, help="detour factor (≥1)")
    p.add_argument("--speed", type=float, default=Assumptions().road_speed_kmh, help="local road speed, km/h")
    p.add_argument("--access-min", type=float, default=Assumptions().access_min, help="fixed access minutes")
    p.add_argument("--only-complete", action="store_true",
                   help="with 2030_all: add only works built by 2030 (the default of scenario 2030)")
    p.add_argument("--roads", help="road lines for the network method: a GeoJSON file (WGS84) or the name of a "
                   "network (e.g. trunk_roads); expressways should not be in it (no access between entrances)")
    args = p.parse_args(argv)
    a = Assumptions(detour_factor=args.detour, road_speed_kmh=args.speed, access_min=args.access_min)
    if data is None:
        from geo.load import load_all

        data = load_all()
    graph = None
    if args.roads:
        roads = data.networks.get(args.roads)
        roads = gpd.read_file(args.roads) if roads is None else roads
        graph = graph_from_roads(roads, default_speed_kmh=a.road_speed_kmh)
    statuses = BUILT_BY_2030 if args.only_complete else None
    table = town_table(data, scenario=args.scenario, target=args.target, assumptions=a, graph=graph,
                       plan_statuses=statuses)
    method = "network" if graph is not None else "straight_line"
    header = (f"# scenario={args.scenario} target={args.target} method={method} assumptions: {a.short()}; "
              "distances in EPSG:32650"
              + ("; 2030 adds the plan's planned stations/entrances (schematic positions)"
                 + (" of works built or completed by 2030 (建成/加快建成/完成/推进实施) only"
                    if args.scenario == "2030" or args.only_complete
                    else " of every work, incl. those only started, sought or studied (开工/力争开工/谋划/争取/研究)")
                 if args.scenario != "2025" else "")
              + "; columns rests_on_assumption/target_outside: see the coverage method")
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            fh.write(header + "\n")
            table.to_csv(fh, index=False, quoting=csv.QUOTE_MINIMAL)
    else:
        try:
            sys.stdout.write(header + "\n")
            table.to_csv(sys.stdout, index=False, quoting=csv.QUOTE_MINIMAL)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `| head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
