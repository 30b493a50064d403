"""layers.keys: one mapping of item layer keys to item categories."""

from __future__ import annotations

from geo.schema import CATEGORIES
from layers import map_builder
from layers.keys import CATEGORY_LAYER, DEFAULT_LAYERS, ITEM_LAYER_KEYS, LAYER_CATEGORIES, LAYER_KEYS


def test_every_category_is_drawn_by_exactly_one_item_layer():
    drawn = [c for cs in LAYER_CATEGORIES.values() for c in cs]
    assert sorted(drawn) == sorted(CATEGORIES)
    assert CATEGORY_LAYER["park"] == "parks" and CATEGORY_LAYER["transport"] == "transport_planned"
    assert CATEGORY_LAYER["ecology"] == "projects"


def test_item_layer_keys_follow_the_drawing_order():
    assert ITEM_LAYER_KEYS == ("transport_planned", "water", "energy", "logistics", "parks", "innovation",
                               "culture_tourism", "projects")
    assert DEFAULT_LAYERS <= set(LAYER_KEYS)
    # the map builder uses the same keys (one definition)
    assert map_builder.LAYER_KEYS is LAYER_KEYS and map_builder.DEFAULT_LAYERS is DEFAULT_LAYERS
