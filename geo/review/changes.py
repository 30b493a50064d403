"""What a submission changes, checked the way ``geo.validate`` checks data/, and approved changes merged onto the
shipped items. Pure logic on plain rows (dicts of projects.csv column -> string); no database, no Streamlit."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.corrections import apply as apply_rows
from geo.load import PlanData
from geo.paths import plan_lines
from geo.problems import Problem, make
from geo.schema import PROJECTS
from geo.text import clean_str
from geo.validate import ValidationContext, validate_table
from geo.vocab import to_code

COLUMNS: tuple[str, ...] = PROJECTS.columns
#: Fields a submission may change (everything but the id).
FIELDS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "id")
_CODED = ("status", "precision", "category")

Row = dict[str, str]


@cache
def _plan() -> tuple[str, ...] | None:
    lines = plan_lines()
    return tuple(lines) if lines is not None else None


def validation_context(base: PlanData, item_ids: Iterable[str] = ()) -> ValidationContext:
    """The context ``geo.validate`` checks projects rows against (units, towns, outlines, plan text), with
    ``item_ids`` as the ids ``related`` may name."""
    ctx = _base_context(base)
    out = copy.copy(ctx)
    out.item_ids = set(item_ids)
    return out


_CTX_CACHE: dict[int, tuple[PlanData, ValidationContext]] = {}


def _base_context(base: PlanData) -> ValidationContext:
    hit = _CTX_CACHE.get(id(base))
    if hit is not None and hit[0] is base:
        return hit[1]
    plan = _plan()
    ctx = ValidationContext(
        units=set(base.units["code"].astype(str)),
        towns=pd.DataFrame(base.towns.drop(columns="geometry", errors="ignore")) if len(base.towns) else None,
        counties=base.counties if len(base.counties) else None,
        tianqu=base.tianqu if len(base.tianqu) else None,
        plan=list(plan) if plan is not None else None,
    )
    _CTX_CACHE.clear()  # one base at a time (the app loads the data once per process)
    _CTX_CACHE[id(base)] = (base, ctx)
    return ctx


def base_rows(items: pd.DataFrame) -> dict[str, Row]:
    """Item id -> its projects.csv columns as clean strings."""
    cols = [c for c in COLUMNS if c in items.columns]
    return {clean_str(r["id"]): {c: clean_str(r.get(c)) for c in COLUMNS} for r in items[cols].to_dict("records")}


def clean_changes(changes: Mapping[str, object]) -> Row:
    """``changes`` as clean strings, with status/precision/category words turned into codes."""
    out: Row = {}
    for key, value in changes.items():
        text = clean_str(value)
        out[str(key)] = to_code(str(key), text) if key in _CODED else text
    return out


def diff_fields(old: Mapping[str, str] | None, new: Mapping[str, str]) -> tuple[Row, Row]:
    """(changed fields with their new values, the same fields' old values) between two rows."""
    old = old or {}
    changed = {c: new.get(c, "") for c in FIELDS if new.get(c, "") != old.get(c, "")}
    return changed, {c: old.get(c, "") for c in changed}


def units_of(row: Mapping[str, str]) -> list[str]:
    return [u for u in row.get("units", "").split(";") if u]


def check_rows(rows: Sequence[Row], *, file: str, ctx: ValidationContext) -> tuple[list[int], list[Problem]]:
    """Validate full projects rows with ``geo.validate``; (positions of the good rows, problems)."""
    frame = pd.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows], columns=list(COLUMNS))
    good, problems = validate_table("projects", frame, file=file, context=ctx)
    return [int(i) for i in good.index], list(problems)


_PLACED = re.compile(r"^placed by (?P<name>.+), (?P<unit>[a-z0-9]+)(?: (?P<unit_name>[^,]+))?, (?P<date>\d{4}-\d{2}-\d{2})$")


def placed_by(name: str, unit: str, unit_name: str, day: date) -> str:
    """The ``location_source`` of an item placed on the map: ``placed by 王伟, 371422 宁津县, 2026-03-01``."""
    return f"placed by {name}, {unit} {unit_name}, {day.isoformat()}"


def parse_placed_by(location_source: str) -> dict[str, str] | None:
    """``{name, unit, unit_name, date}`` of a ``placed by …`` location source, else ``None`` (for the UI's words)."""
    m = _PLACED.match(location_source.strip())
    return {k: v or "" for k, v in m.groupdict().items()} if m else None


@dataclass
class Approved:
    """One approved submission as the merge needs it."""

    id: int
    item_id: str
    changes: Mapping[str, str]
    outline: BaseGeometry | None = None


@dataclass
class Merged:
    """Items with the approved changes applied, and the problems of approved changes that no longer validate."""

    items: pd.DataFrame
    rows: dict[str, Row] = field(default_factory=dict)
    outlines: dict[str, BaseGeometry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    applied: list[int] = field(default_factory=list)


def merge(base: PlanData, approved: Sequence[Approved]) -> Merged:
    """Apply ``approved`` (in approval order) onto ``base.items``. A touched row that no longer validates
    (e.g. the shipped data changed under it) keeps its shipped values and is reported, not dropped silently."""
    if not approved:
        return Merged(items=base.items)
    rows = base_rows(base.items)
    final: dict[str, Row] = {}
    outlines: dict[str, BaseGeometry | None] = {}
    by_item: dict[str, list[int]] = {}
    for a in approved:
        row = dict(final.get(a.item_id) or rows.get(a.item_id) or {c: "" for c in COLUMNS})
        row["id"] = a.item_id
        row.update(a.changes)
        final[a.item_id] = row
        by_item.setdefault(a.item_id, []).append(a.id)
        if a.outline is not None or "lon" in a.changes or "precision" in a.changes:
            outlines[a.item_id] = a.outline
    ids = list(final)
    ctx = validation_context(base, set(rows) | set(ids))
    good, found = check_rows([final[i] for i in ids], file="approved changes", ctx=ctx)
    problems = []
    for p in found:
        if p.row is None:
            continue
        item = ids[p.row - 2]
        subs = ",".join(str(s) for s in by_item[item])
        problems.append(make(f"approved change {item} (submission {subs})", None, p.field, p.code, p.message,
                             p.severity, **p.param_dict))
    keep = [ids[i] for i in good]
    frame = pd.DataFrame([final[i] for i in keep], columns=list(COLUMNS))
    kept_outlines = {i: g for i, g in outlines.items() if g is not None and i in keep}
    items = apply_rows(base.items, frame, base.towns, outlines=kept_outlines)
    applied = [s for i in keep for s in by_item[i]]
    return Merged(items=items, rows={i: final[i] for i in keep}, outlines=kept_outlines, problems=problems,
                  applied=applied)
