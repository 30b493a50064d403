"""The review store (geo.review) on SQLite and on PostgreSQL + PostGIS: users, sign-in, submissions, review,
audit, merged data. Runs against the shipped data: park-b04-22 健身器材产业园 is a 宁津县 (371422) item,
park-b04-25 德瑞智能制造产业园 a 齐河县 (371425) one."""

from __future__ import annotations

import copy
import logging
from datetime import datetime

import pytest
from review_support import PASSWORDS, Clock
from shapely.geometry import Point, Polygon
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from geo.review import Refused, SignInLimits, Store, parse_placed_by
from geo.review.migrations import LATEST
from geo.review.models import AuditEvent, Base, Submission, User

pytestmark = [pytest.mark.usefixtures("fast_passwords"), pytest.mark.slow]

NINGJIN_ITEM, QIHE_ITEM = "park-b04-22", "park-b04-25"
NINGJIN_PT = Point(116.80, 37.65)  # inside 宁津县, near 津城街道
QIHE_PT = Point(116.76, 36.79)  # inside 齐河县


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock):
    s = Store.open(store_url, clock=clock)
    yield s
    s.close()


@pytest.fixture
def people(store: Store, data):
    units = set(data.units["code"])
    store.add_user("wang", PASSWORDS["wang"], role="official", unit="371422", known_units=units)
    store.add_user("li", PASSWORDS["li"], role="official", unit="371425", known_units=units)
    store.add_user("zhao", PASSWORDS["zhao"], role="reviewer")
    store.add_user("admin", PASSWORDS["admin"], role="admin")
    return {n: store.authenticate(n, PASSWORDS[n]) for n in ("wang", "li", "zhao", "admin")}


def counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        subs = conn.execute(text("SELECT count(*) FROM submissions")).scalar()
        events = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    return int(subs or 0), int(events or 0)


# ---------------------------------------------------------------------------------------------- schema


def test_init_creates_the_versioned_schema_once(store: Store):
    assert store.schema_version() == LATEST == 1
    assert store.init() == []  # idempotent
    insp = inspect(store.engine)
    for table in Base.metadata.sorted_tables:  # the migrated schema is the models' schema
        have = {c["name"]: c["nullable"] for c in insp.get_columns(table.name)}
        want = {c.name: c.nullable for c in table.columns}
        assert have == want, table.name
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT version, name FROM schema_migrations")).all()
    assert [r[0] for r in rows] == [1]


def test_geometry_column_is_postgis_geometry_or_wkt_text(store: Store, people, data):
    outline = Polygon([(116.79, 37.64), (116.81, 37.64), (116.81, 37.66), (116.79, 37.66)])
    store.submit_placement(people["wang"], data, NINGJIN_ITEM, outline=outline)
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "postgresql":
            udt = conn.execute(text("SELECT udt_name FROM information_schema.columns WHERE table_name='submissions' "
                                    "AND column_name='geometry' AND table_schema = current_schema()")).scalar()
            idx = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename='submissions' "
                                    "AND schemaname = current_schema() AND indexdef LIKE '%gist%'")).all()
            srid, area = conn.execute(text("SELECT ST_SRID(geometry), ST_Area(geometry::geography) "
                                           "FROM submissions")).one()
            assert udt == "geometry" and len(idx) == 1 and srid == 4326 and 3.9e6 < area < 4.0e6  # ~1.8 x 2.2 km
        else:
            raw = conn.execute(text("SELECT typeof(geometry), geometry FROM submissions")).one()
            assert raw == ("text", outline.wkt)


def test_a_newer_schema_is_refused_not_touched(store: Store, store_url: str):
    from geo.review import StoreUnavailable

    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations (version, name, applied_at) "
                          "VALUES (99, 'future', '2030-01-01 00:00:00')"))
    with pytest.raises(StoreUnavailable, match="newer"):
        Store.open(store_url)


# ---------------------------------------------------------------------------------------------- users


def test_users_have_roles_units_and_argon2_hashes(store: Store, people):
    assert [(u.name, u.role, u.unit) for u in store.users()] == [
        ("admin", "admin", None), ("li", "official", "371425"), ("wang", "official", "371422"),
        ("zhao", "reviewer", None)]
    with store.engine.connect() as conn:
        hashes = dict(conn.execute(select(User.name, User.password_hash)).all())
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert PASSWORDS["wang"] not in hashes["wang"] and hashes["wang"] != hashes["li"]
    assert "hash" not in repr(people["wang"]) and "argon2" not in repr(store.users())


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"name": "wang", "role": "official", "unit": "371422"}, "user_exists"),
    ({"name": "sun", "role": "official"}, "unit_required"),
    ({"name": "sun", "role": "official", "unit": "999999"}, "unknown_unit"),
    ({"name": "sun", "role": "reviewer", "unit": "371422"}, "unit_not_for_role"),
    ({"name": "sun", "role": "mayor"}, "bad_role"),
    ({"name": "", "role": "reviewer"}, "bad_name"),
])
def test_add_user_refusals(store: Store, people, data, kwargs, code):
    before = counts(store)
    with pytest.raises(Refused) as exc:
        store.add_user(password="long-enough-1", known_units=set(data.units["code"]), **kwargs)
    assert exc.value.code == code and counts(store) == before


def test_short_password_refused(store: Store):
    with pytest.raises(Refused) as exc:
        store.add_user("sun", "short", role="reviewer")
    assert exc.value.code == "password_too_short" and exc.value.params == {"n": "8"} and store.users() == []


# ---------------------------------------------------------------------------------------------- sign-in


def test_sign_in_refusals(store: Store, people):
    assert store.authenticate("wang", PASSWORDS["wang"]).unit == "371422"
    for name, password, code in (("wang", "wrong-password", "wrong_password"),
                                 ("nobody", "whatever-pass", "unknown_user")):
        with pytest.raises(Refused) as exc:
            store.authenticate(name, password)
        assert exc.value.code == code and exc.value.params["name"] == name
    store.set_active("li", False)
    with pytest.raises(Refused) as exc:
        store.authenticate("li", PASSWORDS["li"])
    assert exc.value.code == "user_disabled"
    with pytest.raises(Refused) as exc:  # an account held by the UI stops working at once
        store.confirm(people["li"], None, QIHE_ITEM)  # type: ignore[arg-type]
    assert exc.value.code == "user_disabled"


def test_sign_in_rate_limit_is_per_user_and_shared_by_processes(store: Store, store_url: str, clock: Clock, people):
    other_process = Store.open(store_url, clock=clock, limits=SignInLimits(max_failures=5))
    for i in range(5):
        with pytest.raises(Refused) as exc:
            (store if i % 2 else other_process).authenticate("wang", f"guess-{i}")
        assert exc.value.code == "wrong_password"
    with pytest.raises(Refused) as exc:  # now even the right password is refused, in every process
        other_process.authenticate("wang", PASSWORDS["wang"])
    assert exc.value.code == "too_many_attempts" and exc.value.params == {"name": "wang", "minutes": "15"}
    assert store.authenticate("li", PASSWORDS["li"]).name == "li"  # per user
    clock.advance(minutes=10)
    with pytest.raises(Refused) as exc:
        store.authenticate("wang", PASSWORDS["wang"])
    assert exc.value.params["minutes"] == "5"
    clock.advance(minutes=5, seconds=1)
    assert store.authenticate("wang", PASSWORDS["wang"]).name == "wang"
    other_process.close()


# ---------------------------------------------------------------------------------------------- submitting


def test_an_approved_site_correction_reaches_the_merged_data(store: Store, people, data):
    """Issue 9 defect 1 through the store: precision=site with lon/lat on a county-only park."""
    sub = store.submit_changes(people["wang"], data, NINGJIN_ITEM,
                               {"precision": "site", "lon": "116.8", "lat": "37.65", "status": "推进实施",
                                "location_source": "county survey 2026"}, "site known from the county survey")
    assert sub.status == "pending" and sub.kind == "edit" and sub.user == "wang"
    assert sub.diff() == [("status", "unspecified", "implementing"), ("precision", "county", "site"),
                          ("lon", "", "116.8"), ("lat", "", "37.65"),
                          ("location_source", "plan lists it under 宁津县 in 专栏4 (line 361); county only",
                           "county survey 2026")]
    v0 = store.version()
    assert store.merged_data(data) is data  # nothing approved yet
    store.approve(people["zhao"], data, sub.id, "checked with the county")
    assert store.version() != v0
    merged = store.merged_data(data)
    row = merged.items.set_index("id").loc[NINGJIN_ITEM]
    assert (row["precision"], row["lon"], row["lat"], row["status"]) == ("site", "116.8", "37.65", "implementing")
    assert row.geometry.equals(Point(116.8, 37.65)) and row["geometry_source"] == "site"
    assert len(merged.items) == len(data.items) == 507
    base_row = data.items.set_index("id").loc[NINGJIN_ITEM]
    assert base_row["precision"] == "county" and base_row.geometry is None  # shipped data untouched
    assert store.submission(sub.id).status == "approved" and store.submission(sub.id).reviewer == "zhao"
    assert [e.action for e in store.audit(sub.id)] == ["submit", "approve"]


def test_placements_point_outline_and_town(store: Store, people, data):
    wang = people["wang"]
    p = store.submit_placement(wang, data, NINGJIN_ITEM, point=NINGJIN_PT, reason="on site")
    assert p.kind == "placement" and p.changes["precision"] == "site" and p.geometry is None
    assert p.changes["location_source"] == "placed by wang, 371422 宁津县, 2026-03-01"
    assert parse_placed_by(p.changes["location_source"]) == {"name": "wang", "unit": "371422", "unit_name": "宁津县",
                                                             "date": "2026-03-01"}
    outline = Polygon([(116.79, 37.64), (116.81, 37.64), (116.81, 37.66), (116.79, 37.66)])
    o = store.submit_placement(wang, data, "park-b04-23", outline=outline)
    assert o.geometry is not None and o.geometry.equals(outline)
    assert Point(float(o.changes["lon"]), float(o.changes["lat"])).within(outline)
    stored = store.submission(o.id)
    assert stored.geometry.equals(outline) and stored.geometry.geom_type == "Polygon"
    t = store.submit_placement(wang, data, "park-b04-24", town_code="371422101000")
    assert (t.changes["precision"], t.changes["town_code"]) == ("town", "371422101000")
    for sid in (p.id, o.id, t.id):
        store.approve(people["zhao"], data, sid)
    items = store.merged_data(data).items.set_index("id")
    assert items.loc[NINGJIN_ITEM].geometry.equals(Point(116.8, 37.65))
    assert items.loc["park-b04-23"].geometry.equals(outline) and items.loc["park-b04-23", "geometry_source"] == "outline"
    town_pt = data.towns.set_index("code").loc["371422101000"].geometry
    assert items.loc["park-b04-24"].geometry.equals(town_pt) and items.loc["park-b04-24", "precision"] == "town"


@pytest.mark.parametrize(("who", "call", "code"), [
    ("wang", lambda s, d, u: s.submit_changes(u, d, QIHE_ITEM, {"name_en": "x"}), "not_your_unit"),
    ("wang", lambda s, d, u: s.submit_placement(u, d, QIHE_ITEM, point=QIHE_PT), "not_your_unit"),
    ("wang", lambda s, d, u: s.submit_changes(u, d, NINGJIN_ITEM, {"units": "371425"}), "not_your_unit"),
    ("wang", lambda s, d, u: s.submit_placement(u, d, NINGJIN_ITEM, town_code="371425001000"), "not_your_unit"),
    ("wang", lambda s, d, u: s.submit_placement(u, d, NINGJIN_ITEM, point=QIHE_PT), "outside_unit"),
    ("wang", lambda s, d, u: s.submit_changes(u, d, "park-b04-99", {"name_en": "x"}), "unknown_item"),
    ("wang", lambda s, d, u: s.submit_changes(u, d, NINGJIN_ITEM, {"colour": "red"}), "unknown_field"),
    ("wang", lambda s, d, u: s.submit_changes(u, d, NINGJIN_ITEM, {"precision": "county"}), "no_change"),
    ("wang", lambda s, d, u: s.submit_changes(u, d, NINGJIN_ITEM, {"precision": "site"}), "invalid_change"),
    ("wang", lambda s, d, u: s.submit_placement(u, d, NINGJIN_ITEM, outline=Polygon([(116.8, 37.6), (116.9, 37.7),
                                                                                      (116.8, 37.7), (116.9, 37.6)])),
     "bad_geometry"),
    ("wang", lambda s, d, u: s.approve(u, d, 1), "reviewer_only"),
    ("li", lambda s, d, u: s.reject(u, 1, "no"), "reviewer_only"),
    ("li", lambda s, d, u: s.withdraw(u, 1), "not_author"),
    ("zhao", lambda s, d, u: s.reject(u, 1, "  "), "comment_required"),
    ("zhao", lambda s, d, u: s.approve(u, d, 999), "no_submission"),
])
def test_every_refusal_changes_nothing(store: Store, people, data, who, call, code):
    store.submit_changes(people["wang"], data, NINGJIN_ITEM, {"name_en": "Fitness Equipment Park (Ningjin)"})
    before = counts(store)
    with pytest.raises(Refused) as exc:
        call(store, data, people[who])
    assert exc.value.code == code, exc.value
    assert counts(store) == before
    assert store.submission(1).status == "pending"


def test_refusal_of_an_invalid_change_names_the_field(store: Store, people, data):
    with pytest.raises(Refused) as exc:
        store.submit_changes(people["wang"], data, NINGJIN_ITEM, {"precision": "site", "lon": "116.2", "lat": "37.0"},
                             "wrong county")
    assert exc.value.code == "invalid_change" and exc.value.params == {"item": NINGJIN_ITEM}
    assert [(p.field, p.code) for p in exc.value.problems] == [("lon", "outside_unit")]
    assert exc.value.problems[0].file == NINGJIN_ITEM and exc.value.problems[0].row is None


def test_reviewers_may_not_review_their_own_and_only_pending(store: Store, people, data):
    own = store.submit_changes(people["admin"], data, QIHE_ITEM, {"name_en": "Derui Park"})
    with pytest.raises(Refused) as exc:
        store.approve(people["admin"], data, own.id)
    assert exc.value.code == "own_submission"
    store.reject(people["zhao"], own.id, "English name is fine as it is")
    with pytest.raises(Refused) as exc:
        store.approve(people["zhao"], data, own.id)
    assert exc.value.code == "not_pending" and exc.value.params["status"] == "rejected"
    assert store.submission(own.id).review_comment == "English name is fine as it is"


def test_approving_one_of_two_pending_supersedes_the_other(store: Store, people, data):
    a = store.submit_placement(people["wang"], data, NINGJIN_ITEM, point=NINGJIN_PT)
    b = store.submit_changes(people["admin"], data, NINGJIN_ITEM, {"status": "existing"})
    c = store.submit_changes(people["wang"], data, "park-b04-23", {"status": "existing"})
    assert [s.id for s in store.pending(unit="371422")] == [a.id, b.id, c.id]
    store.approve(people["zhao"], data, b.id, "the county says it exists")
    assert store.submission(a.id).status == "superseded" and store.submission(a.id).superseded_by == b.id
    assert store.submission(c.id).status == "pending"  # another item
    assert [e.action for e in store.audit(a.id)] == ["submit", "supersede"]
    assert [s.status for s in store.submissions_of(people["wang"])] == ["superseded", "pending"]


def test_withdraw_and_confirm(store: Store, people, data):
    s = store.submit_changes(people["li"], data, QIHE_ITEM, {"status": "start"})
    assert store.withdraw(people["li"], s.id).status == "withdrawn"
    c = store.confirm(people["li"], data, QIHE_ITEM, "checked on site, correct")
    assert c.kind == "confirm" and c.changes == {} and c.reason == "checked on site, correct"
    store.approve(people["zhao"], data, c.id)
    assert store.merged_data(data) is data  # a confirmation changes no data


def test_a_new_item(store: Store, people, data):
    row = data.items.set_index("id").loc[NINGJIN_ITEM]
    new = {c: ("" if str(row[c]) == "nan" else str(row[c])) for c in
           ("name_zh", "name_en", "category", "subtype", "status", "units", "unit_basis", "source_ref", "source_lines",
            "quote", "precision", "location_source")}
    new["id"] = "park-b04-90"
    s = store.submit_new_item(people["wang"], data, new, "second site of the same park")
    assert s.kind == "new"
    with pytest.raises(Refused) as exc:
        store.submit_new_item(people["wang"], data, {**new, "id": NINGJIN_ITEM})
    assert exc.value.code == "item_exists"
    store.approve(people["zhao"], data, s.id)
    merged = store.merged_data(data)
    assert len(merged.items) == 508 and merged.items["id"].iloc[-1] == "park-b04-90"
    assert merged.items["unit_list"].iloc[-1] == ["371422"]


def test_merged_data_reports_an_approved_change_that_no_longer_validates(store: Store, people, data):
    s = store.submit_placement(people["wang"], data, NINGJIN_ITEM, point=NINGJIN_PT)
    store.approve(people["zhao"], data, s.id)
    moved = copy.copy(data)  # the shipped data changed: the item now belongs to 齐河县
    items = data.items.copy()
    items.loc[items["id"] == NINGJIN_ITEM, "units"] = "371425"
    moved.items = items
    merged = store.merged_data(moved)
    row = merged.items.set_index("id").loc[NINGJIN_ITEM]
    assert row["precision"] == "county" and row["units"] == "371425"  # the shipped row is kept
    assert [(p.code, p.field) for p in merged.problems[len(data.problems):]] == [("outside_unit", "lon")]
    assert f"submission {s.id}" in merged.problems[-1].file


def test_audit_log_is_append_only(store: Store, people, data):
    store.submit_changes(people["wang"], data, NINGJIN_ITEM, {"status": "existing"})
    for stmt in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(stmt))
    with store.engine.connect() as conn:
        actions = conn.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions.count("user_added") == 4 and actions[-1] == "submit"


def test_no_password_or_hash_in_logs(store: Store, data, caplog):
    caplog.set_level(logging.DEBUG)
    store.add_user("wang", PASSWORDS["wang"], role="official", unit="371422")
    with pytest.raises(Refused) as exc:
        store.authenticate("wang", "a-wrong-password")
    me = store.authenticate("wang", PASSWORDS["wang"])
    store.submit_changes(me, data, NINGJIN_ITEM, {"status": "existing"})
    text_seen = caplog.text + str(exc.value) + repr(exc.value) + repr(me)
    with store.engine.connect() as conn:
        details = " ".join(str(d) for d in conn.execute(select(AuditEvent.details)).scalars())
    for secret in (PASSWORDS["wang"], "a-wrong-password", "$argon2"):
        assert secret not in text_seen and secret not in details
    assert "sign-in of 'wang' refused: wrong_password" in caplog.text


def test_database_errors_never_show_the_hash(store: Store, people):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as exc:
        with store.engine.begin() as conn:
            conn.execute(insert(User).values(name="wang", role="official", unit="371422", active=True,
                                             password_hash="$argon2id$v=19$m=65536,t=3,p=4$SECRET",
                                             created_at=datetime(2026, 3, 1)))
    assert "SECRET" not in str(exc.value) and "argon2" not in str(exc.value)


def test_submission_rows_are_plain_text(store: Store, people, data):
    """What an official types is stored and returned as text (no evaluation, no truncation)."""
    note = "=HYPERLINK(\"http://example.com\") <script>alert(1)</script> 'quoted'"
    s = store.submit_changes(people["wang"], data, NINGJIN_ITEM, {"notes": note})
    with store.engine.connect() as conn:
        raw = conn.execute(select(Submission.changes).where(Submission.id == s.id)).scalar()
    assert raw == {"notes": note} and store.submission(s.id).changes["notes"] == note
