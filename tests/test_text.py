"""geo.text: one behaviour for "cell -> clean string" and the two escapers (HTML, Markdown)."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from geo.text import clean_str, escape_html, escape_markdown, is_blank, pinyin_name, split_list


@pytest.mark.parametrize("value", [None, math.nan, np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT"),
                                   "", "   ", [], ()])
def test_missing_and_blank_cells_are_empty(value):
    assert clean_str(value) == ""
    assert is_blank(value)


@pytest.mark.parametrize("value,expected", [
    (" 齐河县 ", "齐河县"), (353.0, "353"), (np.float64(371402.0), "371402"), (np.int64(7), "7"), (7, "7"),
    (116.3, "116.3"), (37.123456789, "37.123456789"), (-0.5, "-0.5"), (True, "True"),
    (["371402", None, " tianqu "], "371402;tianqu"), (np.array(["a", "b"]), "a;b"),
    ("nan", "nan"),  # text is text: only real missing values are blank
])
def test_values_become_clean_text(value, expected):
    assert clean_str(value) == expected
    assert not is_blank(value)


def test_a_column_read_with_gaps_gives_the_same_text_as_one_read_as_strings():
    csv = "n,m\n353,a\n,b\n721,c\n"
    as_float = pd.read_csv(io.StringIO(csv))["n"]
    as_str = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)["n"]
    assert as_float.dtype == float
    assert [clean_str(v) for v in as_float] == [clean_str(v) for v in as_str] == ["353", "", "721"]


def test_split_list():
    assert split_list("371402; tianqu;;") == ["371402", "tianqu"]
    assert split_list(["a", " ", None, "b"]) == ["a", "b"]
    assert split_list(math.nan) == [] and split_list(None) == []


def test_escape_html_neutralises_markup_and_template_literals():
    assert escape_html('<b a="1">`${x}`\\</b>') == "&lt;b a=&quot;1&quot;&gt;&#96;&#36;{x}&#96;&#92;&lt;/b&gt;"
    assert escape_html(None) == "" and escape_html(math.nan) == "" and escape_html(12.0) == "12"
    assert escape_html("德州 & 齐河") == "德州 &amp; 齐河"


def test_escape_markdown_neutralises_markdown_and_html():
    assert escape_markdown("**x** [a](b) <i>") == r"\*\*x\*\* \[a\]\(b\) \<i\>"
    assert escape_markdown("a & &amp; b") == r"a \& \&amp\; b"  # no entity is decoded
    # what GFM would auto-link gets an invisible word joiner: no link, no fetch
    assert escape_markdown("http://x.invalid www.y.invalid a@b.invalid") == (
        "http\u2060\\:\\/\\/x\\.invalid www\u2060\\.y\\.invalid a\\@\u2060b\\.invalid")
    # escaped once: an apostrophe or ampersand is never turned into an entity whose '#'/'&' is then escaped again
    assert escape_markdown("Zhu'a Town & Co") == r"Zhu\'a Town \& Co"
    assert escape_markdown("$x$ :red[a]") == r"\$x\$ \:red\[a\]"
    assert escape_markdown("1. item - # h") == r"1\. item \- \# h"
    assert escape_markdown(None) == ""
    assert escape_markdown("齐河县") == "齐河县"


@pytest.mark.parametrize("zh,en", [("德州东", "Dezhoudong"), ("西安", "Xi'an"), ("四女寺", "Sinüsi"),
                                   ("Jinan", "Jinan"), ("齐河", "Qihe")])
def test_pinyin_name(zh, en):
    assert pinyin_name(zh) == en
