"""AppTest: presentation mode (no sidebar, tour buttons, cited caption, exit) and the Share tab's fact sheet and
map picture downloads (made on click, in the interface language, for the selected unit and layers)."""

from __future__ import annotations

import io

import pytest
from apptest_support import folium_args, open_tab, run_app
from PIL import Image
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from i18n import t
from ui.present import TOUR, neighbours, requested, tour

pytestmark = pytest.mark.apptest


def test_tour_order_and_neighbours():
    units = ["city", "371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428",
             "371481", "371482", "tianqu"]
    order = tour(units)
    assert order[0] == "city" and sorted(order) == sorted(units) and len(order) == 13
    assert order[:4] == ["city", "371402", "tianqu", "371403"]  # the central city first (第三十节)
    assert neighbours(order, "city") == (order[-1], "371402")
    assert neighbours(order, order[-1]) == (order[-2], "city")
    assert tour(units + ["999999"])[-1] == "999999" and set(TOUR) == set(units)
    assert requested({"present": "1"}) and requested({"present": ["0", "1"]}) and not requested({"present": "0"})


def test_presentation_mode_shows_only_the_map_the_caption_and_the_tour_buttons():
    at = run_app(present="1", unit="371425", lang="en")
    assert not at.exception and not at.error
    assert len(at.sidebar) == 0 and len(at.tabs) == 0  # no sidebar, no tabs
    assert [b.label for b in at.button] == [t(f"ui.present.{k}", "en") for k in ("prev", "next", "other_lang", "exit")]
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "Qihe County (齐河县)" in bodies and "High-end intelligent manufacturing" in bodies
    assert "[Box 15 L759]" in bodies and "OpenStreetMap" in bodies  # cited facts and the attribution
    args = folium_args(at)
    assert "zoom: 1.6" in args["header"] and 'e.key !== "Escape"' in args["script"]
    at.button(key="present_next").click().run()
    assert at.query_params["unit"] == "371427" and at.query_params["present"] == "1"
    at.button(key="present_lang").click().run()
    assert at.query_params["lang"] == "zh"
    assert "夏津县" in " ".join(h.proto.body for h in at.get("html"))
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params and at.query_params["unit"] == "371427"
    assert len(at.tabs) == 6 and at.selectbox(key="unit").value == "371427"


def test_presented_map_and_its_payload_are_made_once_per_view(data, monkeypatch):
    """Presentation mode reuses the payload cache: the presented copy of a cached map is made once and kept, so
    its browser payload is rendered once however often the view runs; it never takes over the payload made for the
    normal view of the same map (which has no presentation CSS)."""
    from layers.map_builder import build_map
    from ui import map_view
    from ui.present import presented_map

    m = build_map(data, unit="371425", layers=["counties", "parks"], basemap="none", lang="en")
    normal = map_view.map_payload(m)  # the normal view was shown first in this process
    renders: list[int] = []
    real = map_view.component_args
    monkeypatch.setattr(map_view, "component_args", lambda fm: renders.append(1) or real(fm))
    first = map_view.map_payload(presented_map(m))
    again = map_view.map_payload(presented_map(m))
    assert presented_map(m) is presented_map(m) and again is first and len(renders) == 1
    assert "zoom: 1.6" in first.header and 'e.key !== "Escape"' in first.script
    assert "zoom: 1.6" not in normal.header and map_view.map_payload(m) is normal


def test_share_tab_offers_the_fact_sheet_and_picture_of_the_unit(monkeypatch):
    deferred: dict[str, object] = {}
    real_deferred = MediaFileManager.add_deferred

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        deferred[file_name] = data_callable  # made only when the user clicks: call it here
        return real_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    at = open_tab(run_app(unit="371423", lang="en", layers="counties,towns,parks"), "share")
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert t("ui.share.factsheet", "en") in labels and t("ui.share.picture", "en") in labels
    pdf = deferred["dezhou_371423_en_factsheet.pdf"]()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and "Qingyun County" in text and "Box 4 L" in text
    png = deferred["dezhou_371423_en_map.png"]()
    assert Image.open(io.BytesIO(png)).size == (1920, 1280)
    links = " ".join(m.value for m in at.markdown)
    assert "present=1" in links and "unit=371423" in links and t("ui.share.present", "en") in links
