"""The map legend: a Leaflet control (bilingual) explaining every symbol drawn, for the layers that are on.

The entries come from what the layer builders recorded with :meth:`layers.view.View.use`, and every swatch is
drawn from the same :mod:`layers.styles` entry as the symbol on the map. Precision and status symbols are
explained once, in their own sections ("approximate" = dotted outline, "schematic" = dashed line, …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.text import escape_html
from i18n import t
from layers.draw import add_css
from layers.styles import STATUS_KEYS, line_svg, marker_svg, style, swatch

_GENERAL_PREFIXES = ("precision.", "status.")


def legend_sections(used: Mapping[str, list[str]], order: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(section i18n key, style keys) in display order: one section per layer, then status, then precision."""
    sections: list[tuple[str, list[str]]] = []
    status: list[str] = []
    precision: list[str] = []
    for key in order:
        keys = used.get(key) or []
        own = [k for k in keys if not k.startswith(_GENERAL_PREFIXES)]
        status += [k for k in keys if k.startswith("status.") and k not in status]
        precision += [k for k in keys if k.startswith("precision.") and k not in precision]
        if own:
            sections.append((f"layers.name.{key}", own))
    if status:
        status.sort(key=lambda k: STATUS_KEYS.index(k.split(".", 1)[1]) if k.split(".", 1)[1] in STATUS_KEYS else 99)
        sections.append(("layers.legend.section_status", status))
    if precision:
        p_order = ["precision.site", "precision.town", "precision.county", "precision.schematic",
                   "precision.approximate"]
        precision.sort(key=lambda k: p_order.index(k) if k in p_order else 99)
        sections.append(("layers.legend.section_precision", precision))
    return sections


SCHEMATIC_SUFFIX = "~schematic"


def legend_label(key: str, lang: str) -> str:
    """The legend text of a style key (``<key>~schematic``: the style's label plus "(schematic)")."""
    if key.endswith(SCHEMATIC_SUFFIX):
        base = style(key.removesuffix(SCHEMATIC_SUFFIX))
        return t(base.label_key, lang) + t("layers.legend.schematic_suffix", lang)
    return t(style(key).label_key, lang)


def _swatch(key: str, section: str = "") -> str:
    if key.endswith(SCHEMATIC_SUFFIX):
        st = style(key.removesuffix(SCHEMATIC_SUFFIX))
        return line_svg(st.color, st.weight, st.opacity, style("precision.schematic").dash)
    st = style(key)
    if key == "precision.town":
        return marker_svg(style("precision.site"), hollow=True)
    if section == "layers.name.transport_planned" and st.shape == "line":
        # planned works: the mode gives the colour only; the dash comes from the status section
        return line_svg(st.color, st.weight, st.opacity, style("precision.schematic").dash)
    return swatch(st)


#: Legend width in CSS pixels (the map keeps its unit clear of it, see layers.map_builder).
LEGEND_WIDTH_PX = 215
#: Legend CSS (class ``dz-legend``): compact rows, the body scrolls so the toggle stays visible.
LEGEND_CSS = (
    ".dz-legend{background:rgba(255,255,255,.94);padding:3px 6px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.35);font:11px/1.25 sans-serif;"
    f"max-width:{LEGEND_WIDTH_PX}px;box-sizing:border-box;color:#222}}"
    ".dz-legend summary{cursor:pointer;font-weight:bold;font-size:12px;padding:1px 0;user-select:none}"
    ".dz-legend summary small{font-weight:normal;color:#777;margin-left:4px}"
    ".dz-legend details:not([open]) summary small.dz-hide,.dz-legend details[open] summary small.dz-show"
    "{display:none}"
    ".dz-legend .dz-lg-body{max-height:min(30vh,220px);overflow-y:auto;padding-right:2px}"
    ".dz-legend .dz-lg-sec{margin-top:3px;font-weight:bold;color:#444}"
    ".dz-legend .dz-lg-row{display:flex;align-items:center;gap:4px;margin:0;min-height:14px}"
    ".dz-legend .dz-lg-sw{flex:0 0 30px;display:inline-flex;justify-content:center;overflow:hidden}"
    ".dz-legend .dz-lg-sw svg{max-width:30px}"
)


def legend_html(used: Mapping[str, list[str]], order: Iterable[str], lang: str, *, open_: bool = True) -> str:
    """The legend's HTML (only i18n text, escaped, and SVG swatches): a ``<details>`` toggle whose summary is
    the title (plus a "click to hide/show" hint) and whose body lists one row per drawn symbol."""
    parts = [f'<details{" open" if open_ else ""}><summary title="{escape_html(t("layers.legend.toggle_hint", lang))}">'
             f'{escape_html(t("layers.legend.title", lang))}'
             f'<small class="dz-hide">{escape_html(t("layers.legend.hide", lang))}</small>'
             f'<small class="dz-show">{escape_html(t("layers.legend.show", lang))}</small></summary>'
             '<div class="dz-lg-body">']
    for section, keys in legend_sections(used, order):
        parts.append(f'<div class="dz-lg-sec">{escape_html(t(section, lang))}</div>')
        for k in keys:
            parts.append(f'<div class="dz-lg-row"><span class="dz-lg-sw">{_swatch(k, section)}</span>'
                         f'<span>{escape_html(legend_label(k, lang))}</span></div>')
    parts.append("</div></details>")
    return "".join(parts)


class Legend(MacroElement):
    """A Leaflet control holding the legend HTML (works in plain HTML export and in streamlit-folium).

    Bottom-left by default; its look is :data:`LEGEND_CSS` (added to the page header by :func:`make_legend`).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'dz-legend leaflet-control');
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position
        self.css = LEGEND_CSS


def make_legend(used: Mapping[str, list[str]], order: Iterable[str], lang: str) -> Legend | None:
    """A :class:`Legend` for the recorded symbols, or ``None`` when nothing is drawn."""
    order = list(order)
    if not any(used.get(k) for k in order):
        return None
    return Legend(legend_html(used, order, lang))


def add_legend(m: folium.Map, used: Mapping[str, list[str]], order: Iterable[str], lang: str) -> Legend | None:
    """Add the legend control and its CSS to the Folium map ``m``; returns the legend (``None``: nothing drawn)."""
    legend = make_legend(used, order, lang)
    if legend is not None:
        legend.add_to(m)
        add_css(m, LEGEND_CSS, name="dz_legend_css")
    return legend
