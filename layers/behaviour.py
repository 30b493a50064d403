"""What the map does in the browser once it knows its real size: fit the unit, keep the user's view, thin labels,
keep the legend out of the way.

- :class:`FitUnit` fits the unit (or the selection) into the frame the map really has: the room kept for the
  legend depends on the map's width (a phone-sized map gets no legend margin, its legend starts collapsed), and
  the fit is made again when the frame is resized before the user moved the map.
- The same element keeps the user's view when only the layers, the basemap or the language change: the last view
  (centre, zoom) of a unit is kept in the tab's ``sessionStorage`` under the unit and selection it belongs to, and
  a new map of the same unit and selection starts there instead of fitting. Another unit, another selection or
  a new tab fits as before; an exported page (no stored view) fits.
- :class:`MapBehaviour` thins the labels (``.dz-label``) by zoom: a label overlapping one drawn before it, or cut
  by the map's edge, is hidden, so names never pile up or show half; it collapses the legend on narrow maps and hides it while an open popup
  overlaps it (Leaflet draws controls above popups).
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.map import FitBounds
from folium.template import Template

__all__ = ["BEHAVIOUR_CSS", "FitUnit", "MapBehaviour", "NARROW_PX", "VIEW_STORE_KEY"]

#: Maps narrower than this many CSS pixels keep no margin for the legend and start with it collapsed.
NARROW_PX = 600
#: CSS of the behaviours: the legend steps aside while an open popup overlaps it.
BEHAVIOUR_CSS = ".dz-legend.dz-legend-away{visibility:hidden}"
#: The sessionStorage key of the last view.
VIEW_STORE_KEY = "planmap:view"


class FitUnit(FitBounds):
    """``fitBounds`` of the unit (or selection) with the legend margin only where the map is wide enough, and the
    user's last view of the same ``view_id`` restored instead (see the module docs)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map, wide, narrow, viewId, storeKey, minWidth) {
            map._dzFit = {{ this.bounds|tojson }};  // what the map fits (read by the browser tests)
            function fit(animate) {
                var s = map.getSize(), p = s.x >= minWidth ? wide : narrow;
                // no room yet (hidden or zero-sized frame): Leaflet would compute a NaN centre; fitted on resize
                if (s.x <= p[0][0] + p[1][0] || s.y <= p[0][1] + p[1][1]) { return; }
                map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: p[0], paddingBottomRight: p[1], animate: animate});
            }
            var saved = null;
            try { saved = JSON.parse(window.sessionStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
            var touched = false;
            if (viewId && saved && saved.id === viewId && isFinite(saved.zoom) && saved.center
                    && isFinite(saved.center[0]) && isFinite(saved.center[1])) {
                map.setView(saved.center, saved.zoom, {animate: false});
                touched = true;
            } else {
                fit(false);
            }
            ["pointerdown", "wheel", "touchstart", "keydown"].forEach(function(ev) {
                map.getContainer().addEventListener(ev, function() { touched = true; }, {passive: true});
            });
            map.on("resize", function() { if (!touched) { fit(false); } });
            map.on("moveend", function() {
                if (!viewId) { return; }
                var c = map.getCenter();
                if (!isFinite(c.lat) || !isFinite(c.lng) || !isFinite(map.getZoom())) { return; }
                try {
                    window.sessionStorage.setItem(storeKey, JSON.stringify({id: viewId, center: [c.lat, c.lng], zoom: map.getZoom()}));
                } catch (e) { /* storage off: the map fits every time */ }
            });
        })({{ this._parent.get_name() }}, {{ this.wide|tojson }}, {{ this.narrow|tojson }},
           {{ this.view_id|tojson }}, {{ this.store_key|tojson }}, {{ this.min_width|tojson }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], *, padding_top_left: tuple[int, int],
                 padding_bottom_right: tuple[int, int] = (10, 10), view_id: str = "",
                 narrow_padding: tuple[int, int] = (10, 10), min_width: int = NARROW_PX) -> None:
        super().__init__(bounds, padding_top_left=padding_top_left, padding_bottom_right=padding_bottom_right)
        self._name = "FitUnit"
        self.wide = [list(padding_top_left), list(padding_bottom_right)]
        self.narrow = [list(narrow_padding), list(narrow_padding)]
        self.view_id = view_id
        self.store_key = VIEW_STORE_KEY
        self.min_width = min_width


class MapBehaviour(MacroElement):
    """Label thinning by zoom, the legend collapsed on narrow maps and out of the way of open popups."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map, minWidth) {
            function thin() {
                var shown = [];
                var labels = Array.prototype.slice.call(map.getContainer().querySelectorAll(".dz-label"));
                labels.sort(function(a, b) {  // larger labels (the selected county) win
                    return parseFloat(getComputedStyle(b).fontSize) - parseFloat(getComputedStyle(a).fontSize);
                });
                var box = map.getContainer().getBoundingClientRect();
                labels.forEach(function(el) {
                    el.style.visibility = "";
                    var r = el.getBoundingClientRect();
                    if (!r.width) { return; }
                    // a label cut by the map's edge ("Qingyun Count") is hidden like an overlapping one
                    var cut = r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
                    var hit = cut || shown.some(function(s) {
                        return r.left < s.right + 2 && r.right > s.left - 2 && r.top < s.bottom + 1 && r.bottom > s.top - 1;
                    });
                    if (hit) { el.style.visibility = "hidden"; } else { shown.push(r); }
                });
            }
            function legend() { return map.getContainer().querySelector(".dz-legend"); }
            function overlaps(a, b) { return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top; }
            map.whenReady(function() {
                var lg = legend();
                if (lg && map.getSize().x < minWidth) {
                    var d = lg.querySelector("details");
                    if (d) { d.removeAttribute("open"); }
                }
                setTimeout(thin, 0);
            });
            map.on("zoomend moveend resize layeradd", function() { setTimeout(thin, 0); });
            window.addEventListener("load", thin);
            [300, 1000].forEach(function(ms) { setTimeout(thin, ms); });
            map.on("popupopen", function(e) {
                setTimeout(function() {
                    var lg = legend(), el = e.popup.getElement();
                    if (lg && el && overlaps(lg.getBoundingClientRect(), el.getBoundingClientRect())) {
                        lg.classList.add("dz-legend-away");
                    }
                }, 0);
            });
            map.on("popupclose", function() { var lg = legend(); if (lg) { lg.classList.remove("dz-legend-away"); } });
        })({{ this._parent.get_name() }}, {{ this.min_width|tojson }});
        {% endmacro %}
    """)

    def __init__(self, *, min_width: int = NARROW_PX) -> None:
        super().__init__()
        self._name = "MapBehaviour"
        self.min_width = min_width
