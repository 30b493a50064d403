"""The app's view state and its encoding in URL query parameters (a copied link reopens the same view).

Pure logic (no Streamlit). Decoding is tolerant: unknown or malformed values fall back to the defaults,
never raise. Lists are comma-separated; an explicitly empty layer list is written as ``-``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

BASEMAPS: tuple[str, ...] = ("none", "osm", "light", "satellite", "amap", "tianditu")
LANGS: tuple[str, ...] = ("zh", "en")
EMPTY = "-"
PARAM_KEYS: tuple[str, ...] = ("lang", "unit", "layers", "basemap", "selected", "industry", "status", "category",
                               "tab")
#: The app's tabs (URL parameter ``tab``; the first is the default and is left out of links).
TABS: tuple[str, ...] = ("map", "county", "compare", "check", "coverage", "share")
#: Former parameter names still decoded (links shared before the rename keep working): old -> current.
FORMER_PARAMS: dict[str, str] = {"kind": "category"}


@dataclass(frozen=True)
class ViewState:
    """What the user looks at. ``layers`` are map layer keys; ``industry``/``status``/``category`` are item
    filters (industry tags, normalised status, item category); empty filter = no filtering; ``tab`` is the open
    tab (one of :data:`TABS`)."""

    lang: str = "zh"
    unit: str = "city"
    layers: tuple[str, ...] = ()
    basemap: str = "none"
    selected: str | None = None
    industry: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    category: tuple[str, ...] = field(default=())
    tab: str = TABS[0]

    def with_(self, **changes: object) -> ViewState:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _first(value: object) -> str | None:
    """A query value may be a string or a list of strings (repeated key); take the last non-empty one."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        vals = [str(v) for v in value if v is not None and str(v) != ""]
        return vals[-1] if vals else None
    return str(value)


def _split(raw: str | None, allowed: Iterable[str] | None) -> tuple[str, ...] | None:
    """Comma list -> tuple of allowed values in order without duplicates; ``None`` when absent or when no part
    is allowed (a garbled value means "not given", so the caller's default applies — never "nothing")."""
    if raw is None:
        return None
    if raw.strip() == EMPTY:
        return ()
    allowed_set = set(allowed) if allowed is not None else None
    out: list[str] = []
    for part in raw.split(","):
        p = part.strip()
        if p and p not in out and (allowed_set is None or p in allowed_set):
            out.append(p)
    return tuple(out) if out else None


def decode(
    params: Mapping[str, object],
    *,
    units: Iterable[str],
    layer_keys: Iterable[str],
    default_layers: Iterable[str],
    selectable: Iterable[str] | None = None,
    industries: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
) -> ViewState:
    """Read a :class:`ViewState` from query params; bad values are ignored (defaults used instead).

    A former parameter name (:data:`FORMER_PARAMS`, e.g. ``kind``) is read when the current one is absent."""
    params = {**{new: params[old] for old, new in FORMER_PARAMS.items() if old in params}, **params}
    layer_keys = tuple(layer_keys)
    lang = _first(params.get("lang"))
    unit = _first(params.get("unit"))
    basemap = _first(params.get("basemap"))
    selected = _first(params.get("selected"))
    tab = _first(params.get("tab"))
    sel_ok = selected is not None and (selectable is None or selected in set(selectable))
    layers = _split(_first(params.get("layers")), layer_keys)
    if layers is None:
        layers = tuple(k for k in default_layers if k in layer_keys)
    return ViewState(
        lang=lang if lang in LANGS else "zh",
        unit=unit if unit in set(units) else "city",
        layers=layers,
        basemap=basemap if basemap in BASEMAPS else "none",
        selected=selected if sel_ok else None,
        industry=_split(_first(params.get("industry")), industries) or (),
        status=_split(_first(params.get("status")), statuses) or (),
        category=_split(_first(params.get("category")), categories) or (),
        tab=tab if tab in TABS else TABS[0],
    )


def encode(state: ViewState, *, default_layers: Iterable[str]) -> dict[str, str]:
    """Query params for ``state``; values equal to the defaults are left out so links stay short."""
    out: dict[str, str] = {}
    if state.lang != "zh":
        out["lang"] = state.lang
    if state.unit != "city":
        out["unit"] = state.unit
    if tuple(state.layers) != tuple(default_layers):
        out["layers"] = ",".join(state.layers) if state.layers else EMPTY
    if state.basemap != "none":
        out["basemap"] = state.basemap
    if state.selected:
        out["selected"] = state.selected
    for name in ("industry", "status", "category"):
        vals = getattr(state, name)
        if vals:
            out[name] = ",".join(vals)
    if state.tab != TABS[0]:
        out["tab"] = state.tab
    return out


def query_string(params: Mapping[str, str]) -> str:
    """``?a=1&b=2`` (URL-encoded, UTF-8) for a share link; empty string when there are no params."""
    from urllib.parse import urlencode

    return ("?" + urlencode(dict(params), safe=",")) if params else ""
