"""``python -m geo.review export``: a complete data directory in the shipped layout with the approved changes
merged, ready to be committed back to data/ (``python -m geo.validate --data DIR`` passes on it).

Every shipped file is copied unchanged except ``projects.csv`` (rows of approved changes replaced, new items
appended; every other row byte-identical) and ``item_outlines.geojson`` (outlines placed by officials). Users,
passwords and hashes live only in the store and never reach an export.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from shapely.geometry import mapping

from geo.load import ITEM_OUTLINES, PlanData
from geo.review.changes import COLUMNS
from geo.review.errors import Refused
from geo.review.store import Store
from geo.validate import read_table


@dataclass
class ExportResult:
    out: Path
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    outlines: list[str] = field(default_factory=list)
    submissions: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _round(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round(x) for x in obj]
    return obj


def export_data(store: Store, base: PlanData, data_dir: Path, out: Path) -> ExportResult:
    """Copy ``data_dir`` to ``out`` (which must not exist or be empty) with the approved changes merged."""
    if out.resolve() == data_dir.resolve():
        raise Refused("export_onto_data", "export into a new folder, not onto the data directory itself")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise Refused("export_not_empty", f"{out} exists and is not an empty folder", path=str(out))
    merged = store.merged(base)
    shutil.copytree(data_dir, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    result = ExportResult(out=out, submissions=list(merged.applied), problems=[str(p) for p in merged.problems])

    raw = read_table(data_dir / "projects.csv")
    index = {str(i): n for n, i in enumerate(raw["id"])}
    new_rows = []
    for item_id, row in merged.rows.items():
        if item_id in index:
            n = index[item_id]
            for c in raw.columns:
                if c in COLUMNS:
                    raw.iat[n, raw.columns.get_loc(c)] = row.get(c, "")
            result.changed.append(item_id)
        else:
            new_rows.append({c: row.get(c, "") for c in raw.columns})
            result.added.append(item_id)
    if new_rows:
        raw = pd.concat([raw, pd.DataFrame(new_rows, columns=raw.columns)], ignore_index=True)
    raw.to_csv(out / "projects.csv", index=False, lineterminator="\n")

    if merged.outlines:
        path = out / ITEM_OUTLINES
        features = json.loads(path.read_text(encoding="utf-8"))["features"] if path.is_file() else []
        features = [f for f in features if str(f.get("properties", {}).get("id")) not in merged.outlines]
        for item_id, geom in sorted(merged.outlines.items()):
            row = merged.rows[item_id]
            features.append({"type": "Feature",
                             "properties": {"id": item_id, "name_zh": row.get("name_zh", ""),
                                            "source": row.get("location_source", "")},
                             "geometry": _round(mapping(geom))})
            result.outlines.append(item_id)
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                                   indent=1) + "\n", encoding="utf-8")
    return result
