"""ui.text.tr: a placeholder may be called ``key`` (ui.detail.unknown is "Not found: {key}")."""

from __future__ import annotations

from ui.text import tr


def test_a_placeholder_named_key_is_filled():
    # tr's own parameters are positional-only, so key= is a placeholder (it once raised TypeError)
    assert tr("detail.unknown", "en", key="park-x-99") == "Not found: park-x-99"
    assert tr("detail.unknown", "zh", key="park-x-99") == "未找到：park-x-99"

