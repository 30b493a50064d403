import pytest

from i18n import LANGUAGES, catalog, t


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["zh"] == keys["en"], {
        "missing in en": sorted(keys["zh"] - keys["en"]),
        "missing in zh": sorted(keys["en"] - keys["zh"]),
    }


def test_english_is_translated():
    en, zh = catalog("en"), catalog("zh")
    untranslated = [k for k in en if any("\u4e00" <= ch <= "\u9fff" for ch in en[k]) and en[k] == zh[k]]
    assert untranslated == []


def test_lookup_and_errors():
    assert t("app.title", "en") == "Dezhou 15th Five-Year Plan Map"
    assert "十五五" in t("app.title")
    with pytest.raises(KeyError):
        t("no.such.key", "en")
    with pytest.raises(ValueError):
        catalog("fr")


def test_status_words_are_the_same_in_tables_filters_and_map_popups():
    """QA: the county table said 'unspecified'/'implementing' where the popup of the same item said
    'not stated'/'being implemented' (未说明 vs 未注明 in Chinese)."""
    from geo.schema import STATUSES

    for lang in ("zh", "en"):
        for st in STATUSES:
            assert t(f"ui.status.{st}", lang) == t(f"layers.status.{st}", lang), (lang, st)
    assert t("ui.status.unspecified", "en") == "not stated" and t("ui.status.implementing", "zh") == "推进实施"
