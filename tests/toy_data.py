"""Builders of hand-made :class:`geo.load.PlanData` for tests (the real type, never a look-alike).

:func:`plan_data` fills every table a test does not give with an empty one, as :func:`geo.load.load_all` does for
a missing optional file.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.load import PlanData

_GEO_TABLES = ("counties", "tianqu", "towns", "town_areas", "items", "town_roles")
_TABLES = ("units", "profiles", "indicators")


def empty_gdf() -> gpd.GeoDataFrame:
    """An empty GeoDataFrame in WGS84."""
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


def plan_data(**tables: Any) -> PlanData:
    """A PlanData from the given tables (keyword = PlanData field); the others are empty."""
    unknown = set(tables) - {*_GEO_TABLES, *_TABLES, "networks", "problems", "rejected"}
    if unknown:
        raise TypeError(f"PlanData has no table(s) {sorted(unknown)}")
    full: dict[str, Any] = {name: empty_gdf() for name in _GEO_TABLES}
    full.update({name: pd.DataFrame() for name in _TABLES})
    full["networks"] = {}
    full.update(tables)
    return PlanData(**full)
