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
