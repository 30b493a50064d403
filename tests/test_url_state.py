import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.url_state import ViewState, decode, encode, query_string

UNITS = ["city", "371402", "371425", "tianqu"]
LAYERS = ("counties", "parks", "transport", "water")
DEFAULT = ("counties", "parks")


def dec(params, **kw):
    return decode(params, units=UNITS, layer_keys=LAYERS, default_layers=DEFAULT, selectable={"park-b04-01"},
                  industries=["生物医药"], statuses=["complete", "planned"], categories=["park", "water"], **kw)


def test_defaults_encode_to_nothing_and_decode_back():
    s = dec({})
    assert s == ViewState(layers=DEFAULT)
    assert encode(s, default_layers=DEFAULT) == {}


def test_round_trip_full_state():
    s = ViewState(lang="en", unit="371425", layers=("water",), basemap="osm", selected="park-b04-01",
                  industry=("生物医药",), status=("complete", "planned"), category=("park",))
    params = encode(s, default_layers=DEFAULT)
    assert params == {"lang": "en", "unit": "371425", "layers": "water", "basemap": "osm",
                      "selected": "park-b04-01", "industry": "生物医药", "status": "complete,planned", "category": "park"}
    assert dec(params) == s


def test_empty_layer_list_is_kept():
    s = ViewState(layers=())
    p = encode(s, default_layers=DEFAULT)
    assert p == {"layers": "-"}
    assert dec(p).layers == ()


def test_bad_values_fall_back_to_defaults():
    s = dec({"lang": "fr", "unit": "999999", "basemap": "google", "selected": "<script>", "layers": "bogus,water,water",
             "status": "done", "industry": "", "kind": "park,xx"})
    assert s.lang == "zh" and s.unit == "city" and s.basemap == "none" and s.selected is None
    assert s.layers == ("water",)
    assert s.status == () and s.industry == () and s.category == ("park",)


def test_repeated_keys_take_the_last_value():
    assert dec({"unit": ["371402", "371425"]}).unit == "371425"
    assert dec({"unit": []}).unit == "city"


def test_query_string_is_url_encoded():
    assert query_string({}) == ""
    assert query_string({"unit": "371425", "industry": "生物医药"}) == "?unit=371425&industry=%E7%94%9F%E7%89%A9%E5%8C%BB%E8%8D%AF"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["lang", "unit", "layers", "basemap", "selected", "status", "x"]),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3))))
@pytest.mark.slow
def test_decode_never_raises(params):
    s = dec(params)
    assert s.unit in UNITS and s.lang in ("zh", "en") and set(s.layers) <= set(LAYERS)
    assert dec(encode(s, default_layers=DEFAULT)) == s


def test_former_kind_param_is_decoded_as_category_and_category_wins():
    assert dec({"kind": "water"}).category == ("water",)
    assert dec({"kind": "water", "category": "park"}).category == ("park",)
    # re-encoding writes the current name only
    assert encode(dec({"kind": "water"}), default_layers=DEFAULT) == {"category": "water"}


def test_open_tab_round_trips_and_bad_tab_falls_back():
    """A shared link keeps the open tab (issue 11 item 1); the map tab is the default and stays out of links."""
    s = ViewState(layers=DEFAULT, unit="371425", tab="county")
    params = encode(s, default_layers=DEFAULT)
    assert params == {"unit": "371425", "tab": "county"}
    assert dec(params) == s
    assert "tab" not in encode(s.with_(tab="map"), default_layers=DEFAULT)
    assert dec({"tab": "evil"}).tab == "map" and dec({"tab": ["county", "coverage"]}).tab == "coverage"
