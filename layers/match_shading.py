"""Counties shaded by how many plan items match the item filter (issue 11 item 5c): with an industry filter on,
the map shows which counties have matching items, not only the few items that can be drawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import pandas as pd
from shapely.geometry import mapping

from geo.text import clean_str, escape_html, split_list
from i18n import t
from layers.styles import style
from layers.view import View

#: (lowest count, style key) of the shading classes, highest first; 0 matching items: not shaded.
CLASSES: tuple[tuple[int, str], ...] = ((6, "match.3"), (3, "match.2"), (1, "match.1"))


def match_counts(items: pd.DataFrame) -> dict[str, int]:
    """Matching items per unit code (an item listed for two counties counts for each; ``city`` left out)."""
    counts: dict[str, int] = {}
    if items is None or not len(items):
        return counts
    for units in items["units"]:
        for code in split_list(units):
            if code != "city":
                counts[code] = counts.get(code, 0) + 1
    return counts


def match_class(n: int) -> str | None:
    """Style key of a count (``None`` for 0)."""
    return next((key for lowest, key in CLASSES if n >= lowest), None)


def match_layer(view: View, counts: Mapping[str, int]) -> tuple[folium.FeatureGroup, int]:
    """One shaded polygon per county with matching items, tooltip "齐河县：5 项匹配"; (group, counties shaded)."""
    group = folium.FeatureGroup(name=t("layers.name.match", view.lang), show=True)
    n = 0
    for row in view.counties.to_dict("records"):
        code = clean_str(row.get("adcode"))
        k = counts.get(code, 0)
        key = match_class(k)
        geom: Any = row.get("geometry")
        if key is None or geom is None or geom.is_empty:
            continue
        st = style(key)
        view.use("match", key)
        tip = escape_html(t("layers.match.tooltip", view.lang, county=view.unit_name(code), n=k))
        folium.GeoJson({"type": "Feature", "properties": {"id": code, "n": k}, "geometry": mapping(geom)},
                       style_function=lambda _f, st=st: {"color": st.color, "weight": st.weight,
                                                         "opacity": st.opacity, "fillColor": st.fill_color,
                                                         "fillOpacity": st.fill_opacity},
                       tooltip=folium.Tooltip(tip)).add_to(group)
        n += 1
    return group, n
