"""One error boundary per tab: a failing tab shows a message in the interface language (no traceback) and logs
the details on the server; the other tabs keep working."""

from __future__ import annotations

import logging

import pytest

from i18n import t
from tests.apptest_support import open_tab, plain, run_app
from ui import county_panel

pytestmark = pytest.mark.apptest


def _boom(*_a: object, **_k: object) -> None:
    raise RuntimeError("secret internal detail /srv/path")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_failing_tab_shows_a_message_and_logs_the_details(monkeypatch, caplog, lang):
    monkeypatch.setattr(county_panel, "render", _boom)
    at = run_app(lang=lang)
    with caplog.at_level(logging.ERROR, logger="dezhou_plan_map"):
        at = open_tab(at, "county", lang)
    assert not at.exception  # no traceback element for the visitor
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    tab_name = t("ui.tab.county", lang)
    assert tab_name in errors[0] and "secret internal detail" not in errors[0]
    # the server log has the exception and the reference the visitor sees
    rec = [r for r in caplog.records if r.name == "dezhou_plan_map"]
    assert len(rec) == 1 and rec[0].exc_info is not None and "secret internal detail" in str(rec[0].exc_info[1])
    ref = rec[0].args[1]
    assert len(ref) == 8 and ref in errors[0]
    # another tab still works
    at = open_tab(at, "check", lang)
    assert not at.exception and not at.error
    header = t("ui.check.header", lang, unit=t("ui.unit.city", lang))
    assert [plain(h.value) for h in at.header] == [header]
    table = next(d.value for d in at.dataframe if t("ui.col.location_source", lang) in d.value.columns)
    assert len(table) > 400  # every item of the plan, city-wide
