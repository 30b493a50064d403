"""Every refusal the review store can raise, and every row problem it reports, has its text in zh and en."""

from __future__ import annotations

import re
from pathlib import Path

from geo.review import Refused
from geo.vocab import PLAN_STATUS_WORDS, to_code
from i18n import catalog, t

REVIEW = Path(__file__).resolve().parent.parent / "geo" / "review"


def _codes(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in REVIEW.glob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8"), re.S))
    return found


def test_every_refusal_code_has_its_text_in_both_languages():
    codes = _codes(r'Refused\(\s*"([a-z_]+)"')
    assert {"wrong_password", "unknown_user", "not_your_unit", "reviewer_only", "too_many_attempts"} <= codes
    for lang in ("zh", "en"):
        missing = sorted(c for c in codes if f"review.refused.{c}" not in catalog(lang))
        assert missing == [], (lang, missing)


def test_row_problem_codes_of_the_store_have_validate_texts():
    codes = _codes(r'make\((?:[^()]|\([^()]*\))*?"([a-z]+_[a-z_]+)",\s*(?:f?"|refusal\.message)')
    assert {"not_your_unit", "upload_columns_ignored"} <= codes
    for lang in ("zh", "en"):
        assert sorted(c for c in codes if f"validate.{c}" not in catalog(lang)) == [], lang


def test_refusal_texts_take_their_params():
    r = Refused("not_your_unit", "x", item="park-b04-25", units="371425", unit="371422")
    assert t(f"review.refused.{r.code}", "zh", **r.params) == "park-b04-25 属于 371425，不属于您所在的单位 371422"
    assert t(f"review.refused.{r.code}", "en", **r.params) == "park-b04-25 belongs to 371425, not to your unit 371422"
    r = Refused("too_many_attempts", "x", name="wang", minutes=15)
    assert t(f"review.refused.{r.code}", "zh", **r.params) == "用户 wang 登录失败次数过多，请 15 分钟后再试"


def test_status_words_of_the_interface_and_the_plan_become_codes():
    for lang in ("zh", "en"):
        for code in ("existing", "complete", "start", "strive_start", "preparatory", "planned", "implementing",
                     "unspecified"):
            assert to_code("status", t(f"ui.status.{code}", lang)) == code, (lang, code)
    assert to_code("status", "谋划") == to_code("status", "争取") == "planned"  # the two halves of "谋划 / 争取"
    assert to_code("status", "加快建成") == "complete" and to_code("status", " Being Implemented ") == "implementing"
    assert all(to_code("status", w) == c for w, c in PLAN_STATUS_WORDS.items())
    assert to_code("precision", "仅知所在乡镇") == "town" and to_code("category", "园区") == "park"
    assert to_code("status", "大概") == "大概"  # unknown: left for the validator to report
