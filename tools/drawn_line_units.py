"""List in data/projects.csv every county a schematic item's drawn geometry crosses (basis ``drawn_line``).

Run: ``.venv/bin/python -m tools.drawn_line_units`` (writes data/projects.csv) or ``--check`` (changes nothing,
exit 1 when a unit is missing). Rerun it whenever data/networks/ or a schematic item changes.

The geometry is the one the app draws (``geo.load``: the item's lines in networks/planned_works.geojson, or the
river it names; see ``geo.drawn_units.crossing_geometry``); a line crosses a unit when ≥ 1 km of it lies inside
(EPSG:32650). Units already listed keep
their basis; ``city`` gives way to the crossed units. See ``geo.drawn_units``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.drawn_units import DRAWN_LINE, add_drawn_units, crossing_geometry, unit_shapes, units_crossed
from geo.load import load_all
from geo.paths import DATA_DIR
from geo.schema import unit_bases


def planned_changes(data_dir: Path = DATA_DIR) -> dict[str, tuple[str, str]]:
    """Item id -> new (units, unit_basis) for every schematic item whose drawing crosses an unlisted unit."""
    data = load_all(data_dir)
    shapes = unit_shapes(data.counties, data.tianqu)
    changes: dict[str, tuple[str, str]] = {}
    rivers = data.networks["rivers"]
    for item in data.items[data.items["precision"] == "schematic"].to_dict("records"):
        units, basis = item["units"], item["unit_basis"]
        crossed = units_crossed(crossing_geometry(item, rivers), shapes)
        if set(unit_bases(units, basis).values()) == {DRAWN_LINE}:
            new = (";".join(crossed), DRAWN_LINE) if crossed else (units, basis)  # all from the drawing: redo
        else:
            new = add_drawn_units(units, basis, crossed)
        if new != (units, basis):
            changes[item["id"]] = new
    return changes


def apply_changes(path: Path, changes: dict[str, tuple[str, str]]) -> int:
    """Write ``changes`` into the projects table at ``path`` (other cells and the CSV layout unchanged)."""
    raw = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    fields = list(rows[0]) if rows else []
    n = 0
    for row in rows:
        if row["id"] in changes:
            row["units"], row["unit_basis"] = changes[row["id"]]
            n += 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="data directory (default: data/)")
    ap.add_argument("--check", action="store_true", help="only report; exit 1 when a unit is missing")
    args = ap.parse_args(argv)
    changes = planned_changes(args.data)
    for pid, (units, basis) in changes.items():
        print(f"{pid}: units {units} (unit_basis {basis})")
    if args.check:
        print(f"{len(changes)} item(s) miss a unit their drawn line crosses")
        return 1 if changes else 0
    n = apply_changes(args.data / "projects.csv", changes)
    print(f"updated {n} row(s) of {args.data / 'projects.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
