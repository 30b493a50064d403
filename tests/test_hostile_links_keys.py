"""Hostile links, keys and uploads (issue 9 defects 7 and 8): a malformed Tianditu key is refused with a message
and the map stays; an exported map never carries the user's key; a garbled ``layers`` value in a link falls back
to the default layers and unknown parameters leave the URL; the upload size limit speaks the interface language."""

from __future__ import annotations

import json

import pytest
from apptest_support import folium_components, open_tab, run_app
from streamlit.testing.v1 import AppTest

from geo.corrections import MAX_UPLOAD_MB, read_upload
from geo.url_state import decode
from i18n import t
from layers.basemaps import export_basemap, valid_key
from layers.map_builder import DEFAULT_LAYERS, LAYER_KEYS
from ui.map_view import export_map, map_html

GOOD_KEY = "0123456789abcdef0123456789abcdef"
DEFAULTS = tuple(k for k in LAYER_KEYS if k in set(DEFAULT_LAYERS))


def _dec(layers: str):
    return decode({"layers": layers}, units=["city"], layer_keys=LAYER_KEYS, default_layers=DEFAULTS)


@pytest.mark.parametrize("raw", ["nonsense", "<script>", ",,,", "bogus,also-bogus", "%00"])
def test_garbled_layers_value_falls_back_to_the_defaults(raw: str) -> None:
    assert _dec(raw).layers == DEFAULTS


def test_layers_value_keeps_its_valid_parts_and_the_explicit_empty_list() -> None:
    assert _dec(f"bogus,{LAYER_KEYS[0]}").layers == (LAYER_KEYS[0],)
    assert _dec("-").layers == ()


def _layer_toggles(at: AppTest) -> dict[str, bool]:
    return {k: bool(at.session_state[f"layer__{k}"]) for k in LAYER_KEYS}


@pytest.mark.apptest
def test_link_with_garbled_layers_shows_the_default_layers_and_drops_unknown_keys() -> None:
    at = run_app(layers="nonsense", foo="bar", utm_source="x")
    assert not at.exception
    toggles = _layer_toggles(at)
    assert {k for k, on in toggles.items() if on} == set(DEFAULTS) and DEFAULTS
    # the URL is rewritten from the view state: unknown keys are gone, the default layers need no parameter
    assert "foo" not in at.query_params and "utm_source" not in at.query_params
    assert "layers" not in at.query_params


@pytest.mark.parametrize("bad", ["short", "key with spaces 123", "<img src=x>abcdefgh", "a" * 65, "密钥密钥密钥密钥"])
def test_malformed_key_is_refused(bad: str) -> None:
    assert not valid_key(bad)
    assert valid_key(GOOD_KEY)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.apptest
def test_malformed_tianditu_key_is_refused_and_the_map_stays(lang: str) -> None:
    at = run_app(lang=lang, basemap="tianditu")
    at.text_input(key="tianditu_key").set_value("not a key!<b>").run()
    assert not at.exception
    assert [e.value for e in at.sidebar.error] == [t("ui.basemap.tianditu_bad_key", lang)]
    assert not [e.value for e in at.main.error]  # no failing tab, no fallback
    maps = folium_components(at)
    assert len(maps) == 1
    assert "tianditu.gov.cn" not in json.dumps(maps[0]) and "not a key" not in json.dumps(maps[0])


@pytest.mark.apptest
def test_well_formed_key_is_used_on_screen_but_never_exported(data) -> None:
    at = run_app(basemap="tianditu")
    at.text_input(key="tianditu_key").set_value(GOOD_KEY).run()
    assert not at.exception
    assert GOOD_KEY in json.dumps(folium_components(at)[0])  # the on-screen map uses the user's key
    at = open_tab(at, "share")
    assert not at.exception
    assert t("ui.share.html_no_key", "zh", basemap=t("ui.basemap.osm", "zh")) in [i.value for i in at.info]
    # the file the HTML download builds: the same view, OpenStreetMap instead of Tianditu, no key anywhere
    assert export_basemap("tianditu") == "osm" and export_basemap("none") == "none"
    html = map_html(export_map(data, "export-test", "city", DEFAULTS, "tianditu", "zh", None))
    assert GOOD_KEY not in html and "tianditu.gov.cn" not in html and "tk=" not in html
    assert "tile.openstreetmap.org" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.apptest
def test_upload_over_the_limit_is_refused_in_the_interface_language(lang: str) -> None:
    content = b"id,name_en\n" + b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 10)
    assert read_upload("big.csv", content).problems[0].code == "upload_too_large"
    at = run_app(lang=lang)
    at = open_tab(at, "check", lang)
    at.file_uploader(key="corr_upload").set_value(("big.csv", content, "text/csv")).run()
    assert not at.exception
    size = f"{len(content) / 1024 / 1024:.1f}"
    msg = t("validate.upload_too_large", lang, size=size, limit=MAX_UPLOAD_MB)
    assert any(msg.replace(".", "") in e.value.replace("\\", "").replace(".", "") for e in at.error), \
        [e.value for e in at.error]
