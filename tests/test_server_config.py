"""The server settings in .streamlit/config.toml: every key is an option Streamlit knows (a misspelt key is only
a warning in the server log, the setting then silently not applied), and the settings the load figures rely on."""

from __future__ import annotations

import tomllib

from streamlit import config

from geo.paths import PROJECT_ROOT

CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"


def _options() -> dict[str, object]:
    parsed = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, keys in parsed.items() for key, value in keys.items()}


def test_every_setting_is_a_streamlit_option() -> None:
    options = _options()
    known = set(config._config_options_template)
    assert sorted(k for k in options if k not in known) == []
    assert len(options) >= 8


def test_no_forced_garbage_collection_after_each_run() -> None:
    """Streamlit's default gc.collect(2) after every script run walked every cached map and data frame: ~80 % of
    the server CPU of a cached rerun (issue 9 item 10, ``python -m bench profile``)."""
    options = _options()
    assert options["runner.postScriptGC"] is False
    assert options["server.enableWebsocketCompression"] is True
    assert options["server.enableStaticServing"] is True
