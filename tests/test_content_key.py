"""geo.load.content_key: cache keys of the data come from its content, never from id()."""

from __future__ import annotations

import copy
import gc

import pytest
from shapely.geometry import Point

from geo.load import content_key
from tests.toy_data import make_plan_data

pytestmark = pytest.mark.slow


def test_equal_content_gives_equal_keys_and_any_change_another():
    a, b = make_plan_data(), make_plan_data()
    assert a is not b and content_key(a) == content_key(b)
    renamed = copy.copy(a)
    renamed.items = a.items.copy()
    renamed.items.loc[renamed.items.index[0], "name_zh"] = "另一个名字"
    moved = copy.copy(a)
    moved.towns = a.towns.copy()
    moved.towns.loc[moved.towns.index[0], "geometry"] = Point(116.31, 37.41)
    nets = copy.copy(a)
    nets.networks = {k: v for k, v in a.networks.items() if k != "rivers"}
    keys = {content_key(a), content_key(renamed), content_key(moved), content_key(nets)}
    assert len(keys) == 4


def test_a_new_object_at_a_reused_address_gets_its_own_key():
    a = make_plan_data()
    first = content_key(a)
    changed = copy.copy(a)
    changed.items = a.items.iloc[1:]
    del a
    gc.collect()
    assert content_key(changed) != first
    assert content_key(make_plan_data()) == first
