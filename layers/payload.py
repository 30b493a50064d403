"""The map script as sent to the browser: the same JavaScript, fewer bytes.

folium writes every JSON value through Jinja's ``tojson``, which escapes each non-ASCII character as ``\\uXXXX``
(6 bytes for a Chinese character that UTF-8 writes in 3) and ``<``, ``>``, ``&``, ``'`` as ``\\u003c`` … (6 bytes for
1), and it indents every element's script. :func:`compact_script` undoes both without changing what the script
does: an escape inside a JavaScript string literal and the character itself are the same string, and indentation
is only whitespace between statements.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import cast

import folium
from branca.element import Element

from layers.draw import FeatureMarker
from layers.geojson_layer import GeoJsonLayer, ensure_runtime

__all__ = ["compact_script", "merge_markers", "unescape_json_strings"]

# a \uXXXX escape not preceded by an odd number of backslashes (``\\u0041`` is a backslash and "u0041")
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")
#: Kept as escapes: control characters, the surrogate halves of astral characters, the JavaScript line
#: terminators U+2028/U+2029, and the quote and backslash (a literal one would end or alter the string).
_KEEP = frozenset({0x22, 0x5C, 0x2028, 0x2029})


def _unescape(mt: re.Match[str]) -> str:
    code = int(mt.group(2), 16)
    if code < 0x20 or 0xD800 <= code <= 0xDFFF or code in _KEEP:
        return mt.group(0)
    return mt.group(1) + chr(code)


def unescape_json_strings(js: str) -> str:
    """``js`` with the ``\\uXXXX`` escapes of printable characters replaced by the characters; ``</`` and ``<!--``
    are written ``<\\/`` and ``<\\!--`` (the same string in JavaScript), so no data string can end a ``<script>``
    element that holds the script."""
    return _ESCAPE.sub(_unescape, js).replace("</", "<\\/").replace("<!--", "<\\!--")


_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def compact_script(js: str) -> str:
    """``js`` without ``\\uXXXX`` escapes of printable characters, indentation and blank lines (line breaks are
    kept, so automatic semicolon insertion sees the same statements)."""
    return _INDENT.sub("\n", unescape_json_strings(js)).strip()


def _containers(el: Element) -> Iterator[Element]:
    """``el`` and every element below it that has children (depth first)."""
    yield el
    for child in list(el._children.values()):
        if child._children:
            yield from _containers(child)


def _class_key(mk: FeatureMarker) -> str:
    """Markers with the same key look and behave the same: one symbol class."""
    icon = mk.icon.options if isinstance(mk.icon, folium.DivIcon) else None
    return json.dumps([icon, mk.options, bool(mk.tooltip_html), bool(mk.popup_html), mk.popup_options],
                      sort_keys=True, default=str)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(w.title() for w in rest)


def merge_markers(root: Element, *, min_class: int = 1) -> int:
    """Write the clickable point markers of one symbol class under one parent (a layer group, a cluster) as one
    GeoJSON layer: the icon and the options once, per point only its position, id, tooltip and popup.

    What the browser draws is the same (the same ``L.marker`` with the same ``L.divIcon`` per point, the same
    popup and tooltip, the id in ``feature.properties.id`` for clicks); only the script is shorter (a folium
    marker with its icon, popup and tooltip is about 1 KB of script). A class of one marker is merged too: still
    fewer bytes (city, all layers: 228 -> 221 kB of script), and a folium marker's HTML popup is built with jQuery
    (``$(`…`)[0]``) in the browser, the merged layer's is not, so a map without such markers needs no jQuery (see
    ``ui.map_view.uses_jquery``). Markers with an open popup, a non-DivIcon icon or a class of fewer than
    ``min_class`` stay as they are. Alters ``root`` in place (use it on a copy); returns the number of markers
    merged.
    """
    ensure_runtime(root)
    merged = 0
    for parent in list(_containers(root)):
        classes: dict[str, list[str]] = {}
        for name, child in parent._children.items():
            if (type(child) is FeatureMarker and isinstance(child.icon, folium.DivIcon)
                    and child.location is not None and not child.popup_shown):
                classes.setdefault(_class_key(child), []).append(name)
        replace: dict[str, GeoJsonLayer | None] = {}
        for names in classes.values():
            if len(names) < min_class:
                continue
            members = [cast(FeatureMarker, parent._children[n]) for n in names]
            first = members[0]
            features = []
            for mk in members:
                lat, lon = mk.location or (None, None)  # a merged marker has its location (checked above)
                features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                                 "properties": {"id": mk.feature_id, "tip": mk.tooltip_html, "pop": mk.popup_html}})
            icon = {_camel(k): v for k, v in cast(folium.DivIcon, first.icon).options.items()}
            gj = GeoJsonLayer(features, styles=[{}], icon=icon, marker=dict(first.options),
                              popup_options=first.popup_options)
            replace[names[0]] = gj
            for n in names[1:]:
                replace[n] = None
            merged += len(members)
        if not replace:
            continue
        children = OrderedDict()
        for name, child in parent._children.items():
            if name not in replace:
                children[name] = child
            elif (layer := replace[name]) is not None:
                layer._parent = parent
                children[layer.get_name()] = layer
        parent._children = children
    return merged
