"""The schema of the data tables: columns, required fields and allowed values (see data/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: Item categories: the allowed values of projects.csv ``category`` (an item's kind; not a map layer).
CATEGORIES: tuple[str, ...] = (
    "park", "transport", "logistics", "water", "energy", "innovation", "industry_project",
    "service_project", "culture_tourism", "public_service", "ecology", "other",
)
_GENERIC_SUBTYPES = ("project", "site", "programme", "scenic_area", "event", "facility")
SUBTYPES: dict[str, tuple[str, ...]] = {
    "park": ("industrial_park", "cluster", "development_zone", "base", "functional_area"),
    "transport": ("railway", "hsr", "rail_siding", "intercity_rail", "rail_transit", "expressway", "trunk_road",
                  "urban_road", "interchange", "rural_road", "airport", "general_aviation", "waterway", "hub"),
    "logistics": ("land_port", "logistics_park", "logistics_hub", "cold_chain", "logistics_project"),
    "water": ("river_governance", "reservoir", "sluice", "irrigation", "water_supply", "water_transfer",
              "flood_storage", "ecology_restoration"),
    "energy": ("power_grid", "wind", "solar", "storage", "hydrogen", "gas", "heat", "nuclear", "thermal",
               "energy_project"),
    "innovation": ("lab", "platform", "incubator", "university", "research_institute", "innovation_zone"),
}
STATUSES: tuple[str, ...] = (
    "existing", "complete", "start", "strive_start", "preparatory", "planned", "implementing", "unspecified",
)
PRECISIONS: tuple[str, ...] = ("site", "town", "county", "schematic", "none")
UNIT_BASIS: tuple[str, ...] = ("stated", "name", "knowledge", "drawn_line", "none")
TOWN_ROLES: tuple[str, ...] = ("center", "feature", "cooperation", "satellite", "land_consolidation", "other")
PROFILE_FIELDS: tuple[str, ...] = (
    "direction", "primary_industry", "feature_industry", "future_industry", "expo", "gdp_target_2030",
    "target", "positioning", "omitted",
)
INDICATOR_KINDS: tuple[str, ...] = ("expected", "binding", "target")
TOWN_TYPES: tuple[str, ...] = ("街道", "镇", "乡")
POINT_PRECISIONS: tuple[str, ...] = ("source_point", "derived_villages", "knowledge", "none")

ID_PATTERN = re.compile(r"^[a-z_]+-[bs]\d{2}-\d{2,3}$")
TOWN_ROLE_ID_PATTERN = re.compile(r"^town-[a-z_]+-\d{2,3}$")
INDICATOR_ID_PATTERN = re.compile(r"^ind-\d{2,3}$")
SOURCE_REF_PATTERN = re.compile(r"^(专栏\s?\d{1,2}|第[一二三四五六七八九十百零〇]+[节章])$")
TOWN_CODE_PATTERN = re.compile(r"^\d{12}$")


def subtypes_for(category: str) -> tuple[str, ...]:
    """Allowed subtypes of ``category`` (categories without their own list take the generic ones)."""
    return SUBTYPES.get(category, _GENERIC_SUBTYPES) + (_GENERIC_SUBTYPES if category in SUBTYPES else ())


def unit_bases(units: str, unit_basis: str) -> dict[str, str]:
    """Unit code -> its basis, from a ``units`` cell and its ``unit_basis`` cell.

    ``unit_basis`` is one word for all units (``name``) or one word per unit in the same order
    (``name;drawn_line``). A cell with another number of words than units is read as the first word for all
    (the validator reports it).
    """
    codes = [u.strip() for u in units.split(";") if u.strip()]
    bases = [b.strip() for b in unit_basis.split(";") if b.strip()]
    if len(bases) != len(codes):
        bases = [bases[0] if bases else ""] * len(codes)
    return dict(zip(codes, bases, strict=True))


@dataclass(frozen=True)
class TableSpec:
    """A table: its file name, its columns in order, and the columns that must not be empty.

    ``former_columns``: (old name, current name) of renamed columns; files with the old name are still read
    (:func:`with_current_columns`).
    """

    kind: str
    filename: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    id_column: str
    former_columns: tuple[tuple[str, str], ...] = ()


PROJECTS = TableSpec(
    kind="projects",
    filename="projects.csv",
    columns=("id", "name_zh", "name_en", "category", "subtype", "industry_tags", "industry_tags_en", "status_zh",
             "status", "units", "unit_basis", "source_ref", "source_lines", "quote", "precision", "town_code",
             "lon", "lat", "location_source", "aliases", "related", "notes"),
    required=("id", "name_zh", "name_en", "category", "subtype", "status", "units", "unit_basis", "source_ref",
              "source_lines", "quote", "precision"),
    id_column="id",
    former_columns=(("layer", "category"),),
)
TOWN_ROLES_TABLE = TableSpec(
    kind="town_roles",
    filename="town_roles.csv",
    columns=("id", "town_code", "town_name_zh", "unit", "role", "industry_zh", "industry_en", "source_ref",
             "source_lines", "quote", "notes"),
    required=("id", "town_name_zh", "unit", "role", "source_ref", "source_lines"),
    id_column="id",
)
PROFILES = TableSpec(
    kind="county_profiles",
    filename="county_profiles.csv",
    columns=("unit", "field", "value_zh", "value_en", "source_ref", "source_lines", "notes"),
    required=("unit", "field", "value_zh", "value_en", "source_ref", "source_lines"),
    id_column="",
)
INDICATORS = TableSpec(
    kind="indicators",
    filename="indicators.csv",
    columns=("id", "name_zh", "name_en", "unit_zh", "unit_en", "base_2025", "target_2030", "kind", "group",
             "source_ref", "source_lines", "notes"),
    required=("id", "name_zh", "name_en", "kind", "source_ref", "source_lines"),
    id_column="id",
    former_columns=(("category", "group"),),
)
TOWNS = TableSpec(
    kind="towns",
    filename="towns.csv",
    columns=("code", "name_zh", "name_en", "unit", "type", "tianqu", "lon", "lat", "point_precision",
             "point_source", "code_2016", "name_2016"),
    required=("code", "name_zh", "name_en", "unit", "type", "point_precision"),
    id_column="code",
)
UNITS = TableSpec(
    kind="units",
    filename="units.csv",
    columns=("code", "name_zh", "name_en", "kind", "seat_zh", "notes"),
    required=("code", "name_zh", "name_en", "kind"),
    id_column="code",
)
#: The table of planned transport works drawn by tools/build_networks.py into networks/planned_works.geojson.
PLANNED_WORKS = TableSpec(
    kind="planned_works",
    filename="networks/planned_works.csv",
    columns=("plan_item_id", "source_ref", "source_lines", "plan_name_zh", "shape", "role", "mode", "name",
             "name_en", "waypoints", "drawn", "drawn_through", "ref", "basis", "road", "note"),
    required=("plan_item_id", "source_ref", "source_lines", "plan_name_zh", "shape", "role", "mode", "name",
              "name_en", "waypoints", "drawn", "note"),
    id_column="",
)
#: A planned work is a ``line`` (role ``line``) or a ``point`` (a station, an entrance or an airport).
WORK_SHAPES: dict[str, tuple[str, ...]] = {"line": ("line",), "point": ("station", "entrance", "airport")}
#: Modes of planned works: the transport subtypes, and expressway entrances (interchanges drawn as entrances).
WORK_MODES: tuple[str, ...] = (*SUBTYPES["transport"], "expressway_entrance")
#: How a work's line is drawn: ``waypoints`` (straight through the places), ``wdbii_river:<river>`` (along the
#: WDB-II line of the river), ``river_crossing:<river>`` (from where the straight line through ``drawn_through``
#: crosses the Natural Earth river to its last place), ``inside_county:<county>`` (the straight line through
#: ``drawn_through``, cut at the county border).
WORK_DRAWN = re.compile(r"^(waypoints|(wdbii_river|river_crossing|inside_county):\S+)$")

SPECS: dict[str, TableSpec] = {s.kind: s for s in (PROJECTS, TOWN_ROLES_TABLE, PROFILES, INDICATORS, TOWNS, UNITS,
                                                    PLANNED_WORKS)}


def with_current_columns(spec: TableSpec, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with former column names of ``spec`` renamed to the current ones (a column already present under
    its current name wins; the old one is then left as it is)."""
    renames = {old: new for old, new in spec.former_columns if old in df.columns and new not in df.columns}
    return df.rename(columns=renames) if renames else df

#: Dezhou's bounding box in WGS84 degrees (lon_min, lat_min, lon_max, lat_max): the city outline
#: (115.76, 36.41, 117.60, 38.01) plus about 5 km.
DEZHOU_BBOX: tuple[float, float, float, float] = (115.7, 36.35, 117.65, 38.06)
