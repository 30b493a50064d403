"""The map layer keys (what the user toggles) and which item categories each item layer draws.

A *layer* is a map layer key (``parks``, ``transport_planned``, …); a *category* is an item's kind, the
projects.csv column ``category`` (``park``, ``transport``, …; :data:`geo.schema.CATEGORIES`). The mapping between
the two lives here and nowhere else.
"""

from __future__ import annotations

from geo.schema import CATEGORIES

#: Every layer key, in drawing order (areas, lines, points).
LAYER_KEYS: tuple[str, ...] = (
    "town_areas", "counties", "tianqu", "rivers", "transport_existing", "transport_planned", "energy_existing",
    "water", "energy",
    "logistics", "parks", "innovation", "culture_tourism", "projects", "towns",
)
#: Layers shown when the URL names none.
DEFAULT_LAYERS: frozenset[str] = frozenset({
    "counties", "tianqu", "towns", "parks", "transport_existing", "transport_planned", "rivers",
})
#: Item layer key -> the item categories drawn in it (every category in exactly one layer).
LAYER_CATEGORIES: dict[str, tuple[str, ...]] = {
    "parks": ("park",),
    "water": ("water",),
    "energy": ("energy",),
    "logistics": ("logistics",),
    "innovation": ("innovation",),
    "culture_tourism": ("culture_tourism",),
    "projects": ("industry_project", "service_project", "public_service", "ecology", "other"),
    "transport_planned": ("transport",),
}
#: Item layer keys in drawing order.
ITEM_LAYER_KEYS: tuple[str, ...] = tuple(k for k in LAYER_KEYS if k in LAYER_CATEGORIES)
#: Category -> the item layer key that draws it.
CATEGORY_LAYER: dict[str, str] = {c: k for k, cs in LAYER_CATEGORIES.items() for c in cs}

if set(CATEGORY_LAYER) != set(CATEGORIES) or sum(map(len, LAYER_CATEGORIES.values())) != len(CATEGORIES):
    raise RuntimeError("LAYER_CATEGORIES must list every category of geo.schema.CATEGORIES exactly once")
if not set(LAYER_CATEGORIES) <= set(LAYER_KEYS) or not DEFAULT_LAYERS <= set(LAYER_KEYS):
    raise RuntimeError("LAYER_CATEGORIES and DEFAULT_LAYERS must use keys of LAYER_KEYS")
