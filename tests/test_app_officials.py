"""AppTest of the officials' workflow on the review store (issue 10 items 2-4): sign-in and its refusals, an
official refused on another unit's item, confirm / edit / place / batch upload stored as pending, the reviewer's
queue with approve / reject / supersede, and what the session keeps (the account, never the password)."""

from __future__ import annotations

import pytest
from app_review_support import NINGJIN, NINGJIN_PARK, PASSWORDS, QIHE, QIHE_PARK
from apptest_support import open_tab, plain, run_app
from streamlit.testing.v1 import AppTest

from geo.review import Account
from i18n import t

pytestmark = pytest.mark.apptest
ZH = "zh"


def check_tab(unit: str, lang: str = ZH) -> AppTest:
    return open_tab(run_app(unit=unit, **({"lang": lang} if lang != ZH else {})), "check", lang)


def sign_in(at: AppTest, name: str, password: str, lang: str = ZH) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    next(b for b in at.button if b.label == t("officials.signin.submit", lang)).click()
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join([plain(e.value) for e in at.error] + [e.value for e in at.success] + [e.value for e in at.warning]
                     + [e.value for e in at.info] + [x.value for x in at.text])


def pick(at: AppTest, item_id: str, action: str) -> AppTest:
    at.selectbox(key="act_item").select(item_id).run()
    at.radio(key="act_kind").set_value(action)
    return at.run()


def test_sign_in_keeps_the_account_and_never_the_password(review_env):
    at = sign_in(check_tab(NINGJIN), "wang", PASSWORDS["wang"])
    assert not at.exception
    acc = at.session_state["review_account"]
    assert isinstance(acc, Account) and (acc.name, acc.role, acc.unit) == ("wang", "official", NINGJIN)
    assert t("officials.signin.signed_in", ZH, who="wang（区县用户，宁津县）") in [plain(s.value) for s in at.success]
    for key in list(at.session_state):  # nothing in the session holds the password (or its hash)
        value = repr(at.session_state[key])
        assert PASSWORDS["wang"] not in value and "argon2" not in value, key
    next(b for b in at.button if b.label == t("officials.signin.sign_out", ZH)).click()
    at.run()
    assert at.session_state["review_account"] is None
    assert [x.value for x in at.text_input if x.key == "signin_name"]  # the form is back


def test_wrong_password_unknown_user_and_rate_limit_in_the_interface_language(review_env):
    at = sign_in(check_tab(NINGJIN, "en"), "wang", "not-the-password", "en")
    assert [plain(e.value) for e in at.error] == [t("review.refused.wrong_password", "en", name="wang")]
    assert at.session_state["review_account"] is None
    at = sign_in(check_tab(NINGJIN), "nobody", "whatever-123")
    assert [plain(e.value) for e in at.error] == [t("review.refused.unknown_user", ZH, name="nobody")]
    for _ in range(4):  # five wrong passwords in all, then even the right one is refused for a while
        at = sign_in(at, "wang", "still-wrong-1")
    at = sign_in(at, "wang", PASSWORDS["wang"])
    assert at.session_state["review_account"] is None
    assert t("review.refused.too_many_attempts", ZH, name="wang", minutes=15) in [plain(e.value) for e in at.error]


def test_an_official_of_ningjin_is_refused_on_a_qihe_item_and_nothing_changes(review_env):
    at = sign_in(check_tab(QIHE), "wang", PASSWORDS["wang"])
    at = pick(at, QIHE_PARK, "confirm")
    assert t("officials.item.other_unit", ZH) in [c.value for c in at.caption]
    at.button(key="confirm_button").click().run()
    assert not at.exception
    refused = t("review.refused.not_your_unit", ZH, item=QIHE_PARK, units="齐河县", unit="宁津县")
    assert refused in [plain(e.value) for e in at.error]
    at = pick(at, QIHE_PARK, "edit")
    at.text_input(key=f"edit_{QIHE_PARK}_name_en").input("Changed by the wrong county")
    next(b for b in at.button if b.label == t("officials.edit.button", ZH)).click()
    at.run()
    assert refused in [plain(e.value) for e in at.error]
    assert review_env.store.submissions() == []  # nothing stored


def test_an_official_edits_and_confirms_and_sees_the_status_after_a_restart(review_env, data):
    at = sign_in(check_tab(NINGJIN), "wang", PASSWORDS["wang"])
    at = pick(at, NINGJIN_PARK, "edit")
    at.selectbox(key=f"edit_{NINGJIN_PARK}_status").select("complete")
    at.text_input(key=f"edit_{NINGJIN_PARK}_name_en").input("Fitness Equipment Industrial Park")
    next(b for b in at.button if b.label == t("officials.edit.button", ZH)).click()
    at.run()
    assert not at.exception
    [sub] = review_env.store.submissions(user="wang")
    assert sub.status == "pending" and sub.changes["status"] == "complete"
    assert sub.changes["name_en"] == "Fitness Equipment Industrial Park"
    assert t("officials.submitted", ZH, id=sub.id, item=NINGJIN_PARK) in [plain(s.value) for s in at.success]
    at = pick(at, NINGJIN_PARK, "confirm")
    at.text_input(key="confirm_comment").input("site visit 2026-11")
    at.button(key="confirm_button").click().run()
    assert [s.kind for s in review_env.store.submissions(user="wang")] == ["edit", "confirm"]
    # "restart": a new session (new AppTest, new script run) reads the status from the store
    at = sign_in(check_tab(NINGJIN), "wang", PASSWORDS["wang"])
    mine = next(d.value for d in at.dataframe if t("officials.mine.col.status", ZH) in d.value.columns)
    assert list(mine[t("officials.mine.col.status", ZH)]) == ["待审核", "待审核"]
    changes = mine[t("officials.mine.col.changes", ZH)].iloc[1]  # newest first: the edit is second
    old = t(f"ui.status.{data.items.set_index('id').loc[NINGJIN_PARK, 'status']}", ZH)
    assert f"进展: {old} → 建成" in changes, changes
    # the map still shows the shipped value: pending changes nothing for visitors
    items = data.items.set_index("id")
    assert items.loc[NINGJIN_PARK, "status"] != "complete"


def test_a_placement_by_coordinates_is_stored_with_placed_by(review_env):
    at = sign_in(check_tab(NINGJIN), "wang", PASSWORDS["wang"])
    at = pick(at, NINGJIN_PARK, "place")
    at.radio(key="place_method").set_value("coords").run()
    at.text_input(key=f"place_lon_{NINGJIN_PARK}").input("116.80")
    at.text_input(key=f"place_lat_{NINGJIN_PARK}").input("37.65").run()
    at.button(key="place_button").click().run()
    assert not at.exception
    [sub] = review_env.store.submissions(user="wang")
    assert sub.kind == "placement" and sub.changes["precision"] == "site"
    assert (sub.changes["lon"], sub.changes["lat"]) == ("116.800000", "37.650000")
    assert sub.changes["location_source"].startswith("placed by wang, 371422 宁津县, 20")
    # outside the unit: refused with a message, nothing stored
    at.text_input(key=f"place_lon_{NINGJIN_PARK}").input("116.25")
    at.text_input(key=f"place_lat_{NINGJIN_PARK}").input("36.75").run()
    at.button(key="place_button").click().run()
    assert t("review.refused.outside_unit", ZH, item=NINGJIN_PARK, units="宁津县") in [plain(e.value) for e in at.error]
    assert len(review_env.store.submissions()) == 1


def reviewer_tab(unit: str = NINGJIN) -> AppTest:
    return sign_in(check_tab(unit), "zhao", PASSWORDS["zhao"])


def test_reviewer_approves_and_the_change_reaches_visitors(review_env, data):
    env = review_env
    sub = env.store.submit_changes(env.accounts["wang"], data, NINGJIN_PARK, {"name_en": "Approved Name Park"},
                                   reason="county gazette")
    at = reviewer_tab()
    assert t("officials.queue.count", ZH, n=1, unit="宁津县") in [x.value for x in at.text]
    diff = next(d.value for d in at.dataframe if t("officials.diff.old", ZH) in d.value.columns)
    assert list(diff[t("officials.diff.field", ZH)]) == ["英文名"] and diff[t("officials.diff.new", ZH)].iloc[0] == \
        "Approved Name Park"
    at.text_input(key=f"rv_comment_{sub.id}").input("checked")
    at.button(key=f"rv_approve_{sub.id}").click().run()
    assert not at.exception
    got = env.store.submission(sub.id)
    assert got.status == "approved" and got.reviewer == "zhao" and got.review_comment == "checked"
    assert t("officials.queue.approved", ZH, id=sub.id, item=NINGJIN_PARK) in [plain(s.value) for s in at.success]
    visitor = check_tab(NINGJIN)  # a fresh anonymous session
    table = next(d.value for d in visitor.dataframe if t("ui.col.location_source", ZH) in d.value.columns)
    assert "Approved Name Park" in set(table[t("ui.col.name_en", ZH)])


def test_reviewer_rejects_only_with_a_comment(review_env, data):
    env = review_env
    sub = env.store.submit_changes(env.accounts["wang"], data, NINGJIN_PARK, {"name_en": "Wrong"})
    at = reviewer_tab()
    at.button(key=f"rv_reject_{sub.id}").click().run()
    assert t("review.refused.comment_required", ZH) in [plain(e.value) for e in at.error]
    assert env.store.submission(sub.id).status == "pending"
    at.text_input(key=f"rv_comment_{sub.id}").input("the plan says otherwise")
    at.button(key=f"rv_reject_{sub.id}").click().run()
    got = env.store.submission(sub.id)
    assert got.status == "rejected" and got.review_comment == "the plan says otherwise"


def test_two_pending_on_one_item_side_by_side_and_approving_one_supersedes_the_other(review_env, data):
    env = review_env
    units = set(data.units["code"].astype(str))
    env.store.add_user("sun", "ningjin-pass-2", role="official", unit=NINGJIN, known_units=units)
    sun = env.store.authenticate("sun", "ningjin-pass-2")
    a = env.store.submit_changes(env.accounts["wang"], data, NINGJIN_PARK, {"name_en": "Name A"})
    b = env.store.submit_changes(sun, data, NINGJIN_PARK, {"name_en": "Name B"})
    at = reviewer_tab()
    assert t("officials.queue.side_by_side", ZH, n=2) in [plain(w.value) for w in at.warning]
    new_values = [d.value[t("officials.diff.new", ZH)].iloc[0] for d in at.dataframe
                  if t("officials.diff.new", ZH) in d.value.columns]
    assert new_values == ["Name A", "Name B"]
    at.button(key=f"rv_approve_{b.id}").click().run()
    assert env.store.submission(b.id).status == "approved"
    assert env.store.submission(a.id).status == "superseded" and env.store.submission(a.id).superseded_by == b.id
    assert t("officials.queue.count", ZH, n=0, unit="宁津县") in [x.value for x in at.text]


def test_batch_upload_of_a_gb18030_file_is_stored_as_pending_changes(review_env, data):
    items = data.items[data.items["id"] == NINGJIN_PARK].drop(columns=["geometry", "unit_list"], errors="ignore")
    rows = items.astype(str).replace({"nan": ""})
    rows = rows.assign(status="建成", name_en="Batch Name")  # a Chinese status word, as the interface shows it
    content = rows.to_csv(index=False).encode("gb18030")
    at = sign_in(check_tab(NINGJIN), "wang", PASSWORDS["wang"])
    at.file_uploader(key="corr_upload").set_value(("宁津更正.csv", content, "text/csv")).run()
    assert not at.exception
    out = texts(at)
    assert t("officials.batch.read", ZH, file="宁津更正.csv", encoding="GB18030", rows=1) in out
    assert t("officials.batch.gb18030", ZH) in [c.value for c in at.caption]
    assert t("officials.batch.summary", ZH, rows=1, changes=1, confirms=0, same=0, bad=0) in out
    diff = next(d.value for d in at.dataframe if list(d.value.columns) == ["编号", "更改", "字段", "原值", "新值"])
    status_row = diff[diff["字段"] == "进展"].iloc[0]
    old = t(f"ui.status.{items['status'].iloc[0]}", ZH)
    assert (status_row["原值"], status_row["新值"]) == (old, "建成")  # words, not codes
    at.button(key="check_apply").click().run()
    [sub] = review_env.store.submissions(user="wang")
    assert sub.status == "pending" and sub.changes["status"] == "complete" and sub.source_file == "宁津更正.csv"
    assert t("officials.batch.stored", ZH, n=1, ids=f"#{sub.id}") in [plain(s.value) for s in at.success]
    at.run()  # a rerun with the same file offers no second submission
    assert t("officials.batch.already", ZH) in [plain(s.value) for s in at.success]
    assert not [b for b in at.button if b.key == "check_apply"]


def test_visitors_preview_an_upload_but_must_sign_in_to_submit(review_env, data):
    items = data.items[data.items["id"] == NINGJIN_PARK].drop(columns=["geometry", "unit_list"], errors="ignore")
    content = items.astype(str).replace({"nan": ""}).assign(name_en="X").to_csv(index=False).encode("utf-8")
    at = check_tab(NINGJIN, "en")
    at.file_uploader(key="corr_upload").set_value(("fix.csv", content, "text/csv")).run()
    assert t("officials.batch.sign_in_first", "en") in [plain(i.value) for i in at.info]
    assert not [b for b in at.button if b.key == "check_apply"]
    assert review_env.store.submissions() == []




def test_an_approved_site_correction_of_a_decheng_park_applies_in_the_app(review_env, data):
    """Issue 9 defect 1: precision=site with lon/lat for park-b04-01 (德城区) crashed the session when applied
    (string lon/lat columns given a float); through the store it is applied for every visitor, rerun after rerun."""
    env = review_env
    env.store.add_user("zhou", "decheng-pass-1", role="official", unit="371402",
                       known_units=set(data.units["code"].astype(str)))
    zhou = env.store.authenticate("zhou", "decheng-pass-1")
    counties = data.counties
    site = counties[counties["adcode"].astype(str) == "371402"].geometry.iloc[0].buffer(-0.01).representative_point()
    sub = env.store.submit_changes(zhou, data, "park-b04-01", {"precision": "具体位置", "lon": f"{site.x:.4f}",
                                                                "lat": f"{site.y:.4f}"})
    assert sub.changes["precision"] == "site"  # the interface's word became the code
    env.store.approve(env.accounts["zhao"], data, sub.id, comment="ok")
    at = check_tab("371402")
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if t("ui.col.location_source", ZH) in d.value.columns)
    row = table[table["id"] == "park-b04-01"].iloc[0]
    assert row[t("ui.col.precision", ZH)] == t("ui.precision.site", ZH)
    assert (row["lon"], row["lat"]) == (f"{site.x:.4f}", f"{site.y:.4f}")
