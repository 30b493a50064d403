"""The review store: users and sign-in, submissions of officials, review, audit — behind one small API.

Every write is one transaction (all or nothing). Callers pass the signed-in :class:`Account` they got from
:meth:`Store.authenticate`; each action re-reads that user from the database, so a changed role or a disabled
account takes effect at once. A refused action raises :class:`~geo.review.errors.Refused` and writes nothing.
Submissions are checked against the shipped data (``base``, a :class:`~geo.load.PlanData`) with the approved
changes already applied, by the same checks as ``python -m geo.validate``.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.checklist_sheet import CHECK, CHECK_COMMENT, verdict
from geo.corrections import read_upload
from geo.load import PlanData
from geo.problems import Problem, make
from geo.review import changes as ch
from geo.review.db import make_engine, read_session, write_session
from geo.review.errors import Refused
from geo.review.migrations import LATEST, current_version, upgrade
from geo.review.models import ROLES, AuditEvent, SignInAttempt, Submission, User
from geo.review.passwords import MIN_LENGTH, burn_time, hash_password, needs_rehash, verify_password
from geo.review.settings import database_url, describe

log = logging.getLogger("geo.review")
LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # the date in "placed by …" is the officials' calendar date
REVIEWER_ROLES = ("reviewer", "admin")


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Account:
    """A signed-in user as the UI holds it (no password hash)."""

    id: int
    name: str
    role: str
    unit: str | None
    active: bool = True

    @property
    def may_review(self) -> bool:
        return self.role in REVIEWER_ROLES


@dataclass(frozen=True)
class SubmissionInfo:
    """One submission as shown to officials and reviewers. ``changes``: field -> new value; ``old_values``:
    the same fields' values when it was submitted; ``geometry``: a placed point or outline (WGS84) or ``None``."""

    id: int
    item_id: str
    kind: str
    changes: dict[str, str]
    old_values: dict[str, str]
    units: str
    geometry: BaseGeometry | None
    user: str
    user_unit: str | None
    created_at: datetime
    reason: str
    status: str
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str | None = None
    superseded_by: int | None = None
    source_file: str | None = None
    source_row: int | None = None

    def diff(self) -> list[tuple[str, str, str]]:
        """(field, old, new) in projects.csv column order."""
        return [(f, self.old_values.get(f, ""), self.changes[f]) for f in ch.COLUMNS if f in self.changes]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    submission_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class SignInLimits:
    """At most ``max_failures`` wrong passwords per user name within ``window``; then every attempt is refused
    until the oldest of them is older than ``window`` (counted in the database: all app processes share it)."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class PlannedChange:
    """One changed row of a corrections file: the item, ``edit`` or ``new``, the changed fields (new and old
    values), the file's row number and the complete new row."""

    item_id: str
    kind: str
    changes: dict[str, str]
    old_values: dict[str, str]
    line: int
    row: dict[str, str]
    reason: str = ""

    def diff(self) -> list[tuple[str, str, str]]:
        """(field, old, new) in projects.csv column order."""
        return [(f, self.old_values.get(f, ""), self.changes[f]) for f in ch.COLUMNS if f in self.changes]


#: Columns of the downloaded checklist that are not projects.csv columns and are read without a warning
#: (the official's verdict and comment: see geo/checklist_xlsx.py).
IGNORED_UPLOAD_COLUMNS: tuple[str, ...] = (CHECK, CHECK_COMMENT)


@dataclass
class BatchResult:
    """A corrections file submitted as a batch: the encoding read, the data rows, the submissions stored (one per
    changed row), the problems (file/row/field) and the ids of rows identical to the current data."""

    file: str
    encoding: str
    rows: int
    submissions: list[SubmissionInfo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    planned: list[PlannedChange] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class Store:
    """The review store on one database (see :mod:`geo.review.settings` for the URL)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = _utcnow,
                 limits: SignInLimits = SignInLimits()) -> None:
        self.engine = engine
        self.clock = clock
        self.limits = limits

    # ------------------------------------------------------------------------------------------ opening

    @classmethod
    def open(cls, url: str | URL | None = None, *, init: bool = True, **kwargs: Any) -> Store:
        """The store at ``url`` (default: ``$PLANMAP_DB`` or the SQLite file under var/); ``init`` brings the
        schema to the newest version first (idempotent, safe with several processes)."""
        resolved = url if isinstance(url, URL) else database_url(url)
        store = cls(make_engine(resolved), **kwargs)
        if init:
            store.init()
        return store

    @classmethod
    def from_env(cls, **kwargs: Any) -> Store:
        """The store named by ``PLANMAP_DB`` (created and migrated on first use)."""
        return cls.open(None, **kwargs)

    def init(self) -> list[int]:
        """Apply pending schema migrations; returns the versions applied."""
        applied = upgrade(self.engine)
        if applied:
            log.info("review store schema migrated to version %s", applied[-1])
        return applied

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return current_version(conn)

    @property
    def location(self) -> str:
        """The database URL without its password."""
        return describe(self.engine.url)

    def close(self) -> None:
        self.engine.dispose()

    def _now(self) -> datetime:
        return self.clock()

    # ------------------------------------------------------------------------------------------ users

    def add_user(self, name: str, password: str, *, role: str, unit: str | None = None,
                 known_units: Collection[str] | None = None, actor: str = "cli") -> Account:
        """Create a user. Officials need a ``unit`` (one of ``known_units`` when given); reviewers and admins
        are city-wide (no unit)."""
        name = name.strip()
        if not name or len(name) > 80 or any(ord(c) < 32 for c in name):
            raise Refused("bad_name", "a user name needs 1–80 printable characters")
        if role not in ROLES:
            raise Refused("bad_role", f"role {role!r} is not one of {', '.join(ROLES)}", role=role,
                          allowed=", ".join(ROLES))
        unit = (unit or "").strip() or None
        if role == "official" and unit is None:
            raise Refused("unit_required", "an official needs --unit (the unit code the official acts for)")
        if role != "official" and unit is not None:
            raise Refused("unit_not_for_role", f"a {role} is city-wide and takes no unit", role=role)
        if unit is not None and known_units is not None and unit not in known_units:
            raise Refused("unknown_unit", f"unit {unit!r} is not a unit code of units.csv", unit=unit)
        _check_password(password)
        try:
            with write_session(self.engine) as s:
                if s.scalar(select(User.id).where(User.name == name)) is not None:
                    raise Refused("user_exists", f"user {name!r} exists already", name=name)
                user = User(name=name, role=role, unit=unit, password_hash=hash_password(password), active=True,
                            created_at=self._now())
                s.add(user)
                s.flush()
                self._audit(s, actor, "user_added", None, name=name, role=role, unit=unit)
                account = _account(user)
        except IntegrityError:  # a concurrent add of the same name
            raise Refused("user_exists", f"user {name!r} exists already", name=name) from None
        log.info("user %s added (%s%s)", name, role, f", unit {unit}" if unit else "")
        return account

    def set_password(self, name: str, password: str, *, actor: str = "cli") -> None:
        _check_password(password)
        with write_session(self.engine) as s:
            user = self._user_by_name(s, name)
            user.password_hash = hash_password(password)
            self._audit(s, actor, "password_set", None, name=user.name)

    def set_active(self, name: str, active: bool, *, actor: str = "cli") -> None:
        with write_session(self.engine) as s:
            user = self._user_by_name(s, name)
            user.active = active
            self._audit(s, actor, "user_enabled" if active else "user_disabled", None, name=user.name)

    def users(self) -> list[Account]:
        with read_session(self.engine) as s:
            return [_account(u) for u in s.scalars(select(User).order_by(User.name))]

    def user(self, name: str) -> Account | None:
        with read_session(self.engine) as s:
            u = s.scalar(select(User).where(User.name == name))
            return _account(u) if u is not None else None

    def _user_by_name(self, s: Session, name: str) -> User:
        user = s.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            raise Refused("unknown_user", f"no user named {name!r}", name=name)
        return user

    # ------------------------------------------------------------------------------------------ sign-in

    def authenticate(self, name: str, password: str) -> Account:
        """The account of ``name`` when ``password`` is right. Refusals: ``unknown_user``, ``wrong_password``,
        ``user_disabled``, ``too_many_attempts`` (see :class:`SignInLimits`). Every attempt is recorded."""
        name = name.strip()
        now = self._now()
        with write_session(self.engine) as s:
            user = s.scalar(select(User).where(User.name == name).with_for_update())
            since = now - self.limits.window
            last_ok = s.scalar(select(func.max(SignInAttempt.id)).where(
                SignInAttempt.user_name == name, SignInAttempt.ok.is_(True)))
            failures = list(s.scalars(select(SignInAttempt.at).where(
                SignInAttempt.user_name == name, SignInAttempt.ok.is_(False), SignInAttempt.at > since,
                SignInAttempt.id > (last_ok or 0),
            ).order_by(SignInAttempt.id)))
            if len(failures) >= self.limits.max_failures:
                wait = failures[-self.limits.max_failures] + self.limits.window - now
                minutes = max(1, math.ceil(wait.total_seconds() / 60))
                log.warning("sign-in of %r refused: too many failed attempts", name)
                raise Refused("too_many_attempts", f"too many failed sign-ins for {name!r}; try again in "
                                                   f"{minutes} minute(s)", name=name, minutes=minutes)
            if user is None:
                burn_time(password)
                ok, refusal = False, Refused("unknown_user", f"no user named {name!r}", name=name)
            elif not verify_password(user.password_hash, password):
                ok, refusal = False, Refused("wrong_password", f"wrong password for {name!r}", name=name)
            elif not user.active:
                ok, refusal = False, Refused("user_disabled", f"user {name!r} is disabled", name=name)
            else:
                ok, refusal = True, None
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
            s.add(SignInAttempt(user_name=name, at=now, ok=ok))
            account = _account(user) if ok and user is not None else None
            if account is not None:
                self._audit(s, account.name, "sign_in", None)
        if account is None:
            assert refusal is not None
            log.warning("sign-in of %r refused: %s", name, refusal.code)
            raise refusal
        return account

    def _actor(self, s: Session, account: Account, *, review: bool = False) -> User:
        user = s.get(User, account.id)
        if user is None or user.name != account.name:
            raise Refused("unknown_user", f"no user named {account.name!r}", name=account.name)
        if not user.active:
            raise Refused("user_disabled", f"user {user.name!r} is disabled", name=user.name)
        if review and user.role not in REVIEWER_ROLES:
            raise Refused("reviewer_only", f"only a reviewer or admin may do this ({user.name} is {user.role})",
                          name=user.name, role=user.role)
        return user

    # ------------------------------------------------------------------------------------------ submitting

    def submit_changes(self, user: Account, base: PlanData, item_id: str, changes: Mapping[str, object],
                       reason: str = "") -> SubmissionInfo:
        """Propose new values for fields of item ``item_id`` (projects.csv columns; status and precision may be
        given in the interface's words). Refusals: ``unknown_item``, ``unknown_field``, ``no_change``,
        ``not_your_unit``, ``invalid_change`` (with the validator's problems)."""
        return self._submit_one(user, base, item_id, ch.clean_changes(changes), reason, kind="edit")

    def submit_new_item(self, user: Account, base: PlanData, row: Mapping[str, object],
                        reason: str = "") -> SubmissionInfo:
        """Propose a new item (a full projects.csv row with a new id)."""
        values = ch.clean_changes(row)
        item_id = values.pop("id", "")
        if not item_id:
            raise Refused("id_required", "a new item needs an id")
        return self._submit_one(user, base, item_id, values, reason, kind="new")

    def confirm(self, user: Account, base: PlanData, item_id: str, comment: str = "") -> SubmissionInfo:
        """Record "checked, correct" for an item (a submission without changes, reviewed like the others)."""
        return self._submit_one(user, base, item_id, {}, comment, kind="confirm")

    def submit_placement(self, user: Account, base: PlanData, item_id: str, *, point: Point | None = None,
                         outline: BaseGeometry | None = None, town_code: str | None = None,
                         reason: str = "") -> SubmissionInfo:
        """Place an item on the map: at a ``point`` or with an ``outline`` (a park's polygon; its lon/lat become a
        point inside it) — precision ``site`` — or at a town (``town_code``) — precision ``town``. The location
        source says ``placed by <name>, <unit>, <date>``. Geometry is WGS84 lon/lat."""
        given = [g for g in (point, outline, town_code) if g is not None and g != ""]
        if len(given) != 1:
            raise Refused("placement_needs_one", "give exactly one of a point, an outline or a town")
        with read_session(self.engine) as s:
            actor = self._actor(s, user)
            name, unit = actor.name, actor.unit or "city"
        day = self._now().replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()
        source = ch.placed_by(name, unit, base.unit_name(unit, "zh"), day)
        geometry: BaseGeometry | None = None
        if town_code:
            values = {"precision": "town", "town_code": town_code.strip(), "lon": "", "lat": "",
                      "location_source": source}
        else:
            geom = point if point is not None else outline
            assert geom is not None
            geometry = _check_geometry(geom, outline=outline is not None)
            anchor = geometry if point is not None else geometry.representative_point()
            values = {"precision": "site", "lon": f"{anchor.x:.6f}", "lat": f"{anchor.y:.6f}",
                      "location_source": source}
            if outline is None:
                geometry = None  # a point lives in lon/lat; only outlines need the geometry column
        return self._submit_one(user, base, item_id, values, reason, kind="placement", geometry=geometry,
                                town_code=town_code)

    def _submit_one(self, user: Account, base: PlanData, item_id: str, values: ch.Row, reason: str, *, kind: str,
                    geometry: BaseGeometry | None = None, town_code: str | None = None) -> SubmissionInfo:
        item_id = item_id.strip()
        unknown = sorted(set(values) - set(ch.FIELDS))
        if unknown:
            raise Refused("unknown_field", f"unknown field(s) {', '.join(unknown)}", fields=", ".join(unknown))
        with write_session(self.engine) as s:
            actor = self._actor(s, user)
            current, ids = self._current_row(s, base, item_id)
            if kind == "new" and current is not None:
                raise Refused("item_exists", f"item {item_id} exists already", item=item_id)
            if kind != "new" and current is None:
                raise Refused("unknown_item", f"no item {item_id}", item=item_id)
            new = dict(current or {c: "" for c in ch.COLUMNS})
            new["id"] = item_id
            new.update(values)
            changed, old = ch.diff_fields(current, new)
            if kind != "confirm" and not changed:
                raise Refused("no_change", f"the values given for {item_id} are the current ones", item=item_id)
            _check_unit(actor, ch.units_of(current) if current is not None else None, ch.units_of(new), item_id)
            ctx = ch.validation_context(base, ids | {item_id})
            if town_code:
                _check_town(actor, ctx, town_code, item_id)
            if geometry is not None or (kind == "placement" and not town_code):
                _check_inside(actor, ctx, geometry or Point(float(new["lon"]), float(new["lat"])), new, item_id)
            _, problems = ch.check_rows([new], file=item_id, ctx=ctx)
            errors = [_unrow(p) for p in problems if p.is_error]
            if errors:
                raise Refused("invalid_change", f"{item_id}: " + "; ".join(f"{p.field}: {p.message}" for p in errors),
                              problems=errors, item=item_id)
            sub = self._add_submission(s, actor, item_id, kind, changed, old, new, geometry, reason)
            info = _info(sub, actor, None)
        log.info("submission %s by %s: %s %s (%s)", info.id, info.user, kind, item_id, ", ".join(changed) or "-")
        return info

    def _add_submission(self, s: Session, actor: User, item_id: str, kind: str, changed: ch.Row, old: ch.Row,
                        new: ch.Row, geometry: BaseGeometry | None, reason: str, *, source_file: str | None = None,
                        source_row: int | None = None) -> Submission:
        sub = Submission(item_id=item_id, kind=kind, changes=changed, old_values=old, units=new.get("units", ""),
                         geometry=geometry, user_id=actor.id, created_at=self._now(), reason=reason.strip(),
                         status="pending", source_file=source_file, source_row=source_row)
        s.add(sub)
        s.flush()
        self._audit(s, actor.name, "submit", sub.id, item_id=item_id, kind=kind, fields=sorted(changed),
                    **({"file": source_file, "row": source_row} if source_file else {}))
        return sub

    def submit_file(self, user: Account, base: PlanData, name: str, content: bytes) -> BatchResult:
        """A corrections file (CSV in UTF-8/GB18030/UTF-16, or Excel; projects.csv columns, at least ``id``) as a
        batch: each row is completed from the current data (columns it leaves out keep their values), checked
        like data/, and each changed good row stored as one pending submission — all in one transaction.
        Rows of other units, unknown ids with incomplete rows, and invalid rows are reported with file/row/field.
        """
        with write_session(self.engine) as s:
            actor = self._actor(s, user)
            result = self._plan_file(s, actor, base, name, content)
            for change in result.planned:
                sub = self._add_submission(s, actor, change.item_id, change.kind, change.changes, change.old_values,
                                           change.row, None, change.reason, source_file=name,
                                           source_row=change.line)
                result.submissions.append(_info(sub, actor, None))
        log.info("batch %s by %s: %d row(s), %d stored", name, user.name, result.rows, len(result.submissions))
        return result

    def preview_file(self, user: Account | None, base: PlanData, name: str, content: bytes) -> BatchResult:
        """What :meth:`submit_file` would store, without storing anything (``planned``; ``submissions`` stays
        empty). Without a ``user`` (a visitor who has not signed in) the unit check is left out."""
        with read_session(self.engine) as s:
            actor = self._actor(s, user) if user is not None else None
            return self._plan_file(s, actor, base, name, content)

    def _plan_file(self, s: Session, actor: User | None, base: PlanData, name: str, content: bytes) -> BatchResult:
        upload = read_upload(name, content)
        result = BatchResult(file=name, encoding=upload.encoding, rows=0, problems=list(upload.problems))
        if upload.frame is None:
            return result
        frame = upload.frame
        result.rows = len(frame)
        given = [c for c in frame.columns if c in ch.COLUMNS]
        ignored = [c for c in frame.columns if c not in ch.COLUMNS and c not in IGNORED_UPLOAD_COLUMNS]
        if ignored:
            result.problems.append(make(name, None, ",".join(ignored), "upload_columns_ignored",
                                        f"column(s) {', '.join(ignored)} are not projects.csv columns: ignored",
                                        "warning", columns=", ".join(ignored)))
        current = self._current_rows(s, base)
        full: list[ch.Row] = []
        verdicts: list[tuple[str, str]] = []
        for rec in frame.to_dict("records"):
            verdicts.append((verdict(rec.get(CHECK, "")), str(rec.get(CHECK_COMMENT, "")).strip()))
            rid = str(rec.get("id", "")).strip()
            row = dict(current.get(rid) or {c: "" for c in ch.COLUMNS})
            row.update(ch.clean_changes({c: rec.get(c, "") for c in given}))
            full.append(row)
        ctx = ch.validation_context(base, set(current) | {r["id"] for r in full if r["id"]})
        good, problems = ch.check_rows(full, file=name, ctx=ctx)
        result.problems.extend(problems)
        for pos in good:
            row, line = full[pos], pos + 2 + upload.header_rows
            old_row = current.get(row["id"])
            if actor is not None:
                try:
                    _check_unit(actor, ch.units_of(old_row) if old_row is not None else None, ch.units_of(row),
                                row["id"])
                except Refused as refusal:
                    result.problems.append(make(name, line, "units", "not_your_unit", refusal.message,
                                                **refusal.params))
                    continue
            changed, old = ch.diff_fields(old_row, row)
            mark, comment = verdicts[pos]
            if not changed and mark == "ok":  # marked 确认 in the checklist: "checked, correct"
                result.planned.append(PlannedChange(row["id"], "confirm", {}, {}, line, row, comment))
            elif not changed:
                result.unchanged.append(row["id"])
                if mark == "wrong":
                    result.problems.append(make(name, line, CHECK, "checklist_marked_wrong",
                                                "marked wrong but no field changed", "warning"))
            else:
                result.planned.append(PlannedChange(row["id"], "edit" if old_row is not None else "new", changed,
                                                    old, line, row, comment))
        return result

    def withdraw(self, user: Account, submission_id: int) -> SubmissionInfo:
        """The author takes back a pending submission."""
        with write_session(self.engine) as s:
            actor = self._actor(s, user)
            sub = self._pending(s, submission_id)
            if sub.user_id != actor.id:
                raise Refused("not_author", f"submission {submission_id} is not {actor.name}'s", id=submission_id)
            sub.status = "withdrawn"
            self._audit(s, actor.name, "withdraw", sub.id)
            return _info(sub, actor, None)

    # ------------------------------------------------------------------------------------------ reviewing

    def approve(self, reviewer: Account, base: PlanData, submission_id: int, comment: str = "") -> SubmissionInfo:
        """Approve a pending submission (reviewer or admin, not the author): its changes are applied for every
        visitor; other pending submissions on the same item become ``superseded``. The change is checked again
        against the current data; a change that no longer validates is refused (reject it instead)."""
        with write_session(self.engine) as s:
            actor = self._actor(s, reviewer, review=True)
            sub = self._pending(s, submission_id)
            if sub.user_id == actor.id:
                raise Refused("own_submission", "a submission is reviewed by somebody else", id=submission_id)
            if sub.kind != "confirm":
                current, ids = self._current_row(s, base, sub.item_id)
                if sub.kind == "new" and current is not None:
                    raise Refused("item_exists", f"item {sub.item_id} exists already", item=sub.item_id)
                new = dict(current or {c: "" for c in ch.COLUMNS})
                new["id"] = sub.item_id
                new.update(sub.changes)
                ctx = ch.validation_context(base, ids | {sub.item_id})
                _, problems = ch.check_rows([new], file=sub.item_id, ctx=ctx)
                errors = [_unrow(p) for p in problems if p.is_error]
                if errors:
                    raise Refused("invalid_change", f"{sub.item_id}: "
                                  + "; ".join(f"{p.field}: {p.message}" for p in errors), problems=errors,
                                  item=sub.item_id)
            now = self._now()
            sub.status, sub.reviewer_id, sub.reviewed_at = "approved", actor.id, now
            sub.review_comment = comment.strip() or None
            self._audit(s, actor.name, "approve", sub.id, item_id=sub.item_id, comment=sub.review_comment or "")
            others = s.scalars(select(Submission).where(
                Submission.item_id == sub.item_id, Submission.status == "pending", Submission.id != sub.id,
            ).with_for_update())
            superseded = []
            for other in others:
                other.status, other.superseded_by = "superseded", sub.id
                other.reviewer_id, other.reviewed_at = actor.id, now
                self._audit(s, actor.name, "supersede", other.id, by=sub.id)
                superseded.append(other.id)
            info = self._info_in(s, sub)
        log.info("submission %s approved by %s%s", submission_id, actor.name,
                 f"; superseded {superseded}" if superseded else "")
        return info

    def reject(self, reviewer: Account, submission_id: int, comment: str) -> SubmissionInfo:
        """Reject a pending submission with a comment saying why (reviewer or admin, not the author)."""
        if not comment.strip():
            raise Refused("comment_required", "a rejection needs a comment saying why")
        with write_session(self.engine) as s:
            actor = self._actor(s, reviewer, review=True)
            sub = self._pending(s, submission_id)
            if sub.user_id == actor.id:
                raise Refused("own_submission", "a submission is reviewed by somebody else", id=submission_id)
            sub.status, sub.reviewer_id, sub.reviewed_at = "rejected", actor.id, self._now()
            sub.review_comment = comment.strip()
            self._audit(s, actor.name, "reject", sub.id, item_id=sub.item_id, comment=sub.review_comment)
            info = self._info_in(s, sub)
        log.info("submission %s rejected by %s", submission_id, actor.name)
        return info

    def _pending(self, s: Session, submission_id: int) -> Submission:
        sub = s.get(Submission, submission_id, with_for_update=True)
        if sub is None:
            raise Refused("no_submission", f"no submission {submission_id}", id=submission_id)
        if sub.status != "pending":
            raise Refused("not_pending", f"submission {submission_id} is {sub.status}, not pending",
                          id=submission_id, status=sub.status)
        return sub

    # ------------------------------------------------------------------------------------------ reading

    def submission(self, submission_id: int) -> SubmissionInfo | None:
        with read_session(self.engine) as s:
            sub = s.get(Submission, submission_id)
            return self._info_in(s, sub) if sub is not None else None

    def submissions(self, *, status: str | None = None, unit: str | None = None, user: str | None = None,
                    item_id: str | None = None) -> list[SubmissionInfo]:
        """Submissions, oldest first, filtered by status, by unit (the item's units include it), by author name
        or by item."""
        q = select(Submission).order_by(Submission.id)
        if status:
            q = q.where(Submission.status == status)
        if item_id:
            q = q.where(Submission.item_id == item_id)
        if user:
            q = q.join(User, User.id == Submission.user_id).where(User.name == user)
        with read_session(self.engine) as s:
            subs = list(s.scalars(q))
            out = [self._info_in(s, sub) for sub in subs]
        if unit:
            out = [i for i in out if unit in i.units.split(";")]
        return out

    def pending(self, unit: str | None = None) -> list[SubmissionInfo]:
        """The reviewer's queue: pending submissions, oldest first."""
        return self.submissions(status="pending", unit=unit)

    def submissions_of(self, user: Account) -> list[SubmissionInfo]:
        """Everything ``user`` submitted, oldest first, with each one's status."""
        return self.submissions(user=user.name)

    def audit(self, submission_id: int | None = None) -> list[AuditEntry]:
        q = select(AuditEvent).order_by(AuditEvent.id)
        if submission_id is not None:
            q = q.where(AuditEvent.submission_id == submission_id)
        with read_session(self.engine) as s:
            return [AuditEntry(e.id, e.at, e.actor, e.action, e.submission_id, dict(e.details)) for e in s.scalars(q)]

    def _info_in(self, s: Session, sub: Submission) -> SubmissionInfo:
        author = s.get(User, sub.user_id)
        reviewer = s.get(User, sub.reviewer_id) if sub.reviewer_id is not None else None
        assert author is not None
        return _info(sub, author, reviewer)

    # ------------------------------------------------------------------------------------------ merged data

    def version(self) -> str:
        """A cheap key that changes whenever the approved changes do (for caching merged data)."""
        with self.engine.connect() as conn:
            n, last = conn.execute(select(func.count(AuditEvent.id), func.max(AuditEvent.id))
                                   .where(AuditEvent.action == "approve")).one()
        return f"{LATEST}:{n}:{last or 0}"

    def _approved(self, s: Session) -> list[ch.Approved]:
        q = select(Submission).where(Submission.status == "approved", Submission.kind != "confirm") \
            .order_by(Submission.reviewed_at, Submission.id)
        return [ch.Approved(sub.id, sub.item_id, dict(sub.changes), sub.geometry if sub.kind == "placement" else None)
                for sub in s.scalars(q)]

    def _current_rows(self, s: Session, base: PlanData) -> dict[str, ch.Row]:
        rows = ch.base_rows(base.items)
        for a in self._approved(s):
            row = dict(rows.get(a.item_id) or {c: "" for c in ch.COLUMNS})
            row["id"] = a.item_id
            row.update(a.changes)
            rows[a.item_id] = row
        return rows

    def _current_row(self, s: Session, base: PlanData, item_id: str) -> tuple[ch.Row | None, set[str]]:
        rows = self._current_rows(s, base)
        return rows.get(item_id), set(rows)

    def merged(self, base: PlanData) -> ch.Merged:
        """The approved changes applied onto ``base.items`` (see :func:`geo.review.changes.merge`)."""
        with read_session(self.engine) as s:
            approved = self._approved(s)
        return ch.merge(base, approved)

    def merged_data(self, base: PlanData) -> PlanData:
        """``base`` with the approved changes applied to its items (a shallow copy; ``base`` is not changed).
        Approved changes that no longer validate are reported in ``problems``. Cache it by :meth:`version`."""
        merged = self.merged(base)
        if merged.items is base.items and not merged.problems:
            return base
        out = copy.copy(base)
        out.items = merged.items
        out.problems = list(base.problems) + merged.problems
        return out

    # ------------------------------------------------------------------------------------------ audit

    def _audit(self, s: Session, actor: str, action: str, submission_id: int | None, **details: Any) -> None:
        s.add(AuditEvent(at=self._now(), actor=actor, action=action, submission_id=submission_id,
                         details={k: v for k, v in details.items() if v is not None}))


# ---------------------------------------------------------------------------------------------- helpers


def _account(user: User) -> Account:
    return Account(id=user.id, name=user.name, role=user.role, unit=user.unit, active=user.active)


def _info(sub: Submission, author: User, reviewer: User | None) -> SubmissionInfo:
    return SubmissionInfo(
        id=sub.id, item_id=sub.item_id, kind=sub.kind, changes=dict(sub.changes), old_values=dict(sub.old_values),
        units=sub.units, geometry=sub.geometry, user=author.name, user_unit=author.unit, created_at=sub.created_at,
        reason=sub.reason, status=sub.status, reviewer=reviewer.name if reviewer is not None else None,
        reviewed_at=sub.reviewed_at, review_comment=sub.review_comment, superseded_by=sub.superseded_by,
        source_file=sub.source_file, source_row=sub.source_row)


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise Refused("password_too_short", f"a password needs at least {MIN_LENGTH} characters", n=MIN_LENGTH)


def _check_unit(actor: User, old_units: Iterable[str] | None, new_units: Iterable[str], item_id: str) -> None:
    """An official acts only on items of the official's unit (before and after the change)."""
    if actor.role in REVIEWER_ROLES:
        return
    for units in (old_units, new_units):
        if units is None:
            continue
        units = list(units)
        if actor.unit not in units:
            raise Refused("not_your_unit", f"{item_id} belongs to {';'.join(units) or '-'}, not to {actor.name}'s "
                                           f"unit {actor.unit}", item=item_id, units=";".join(units),
                          unit=actor.unit or "")


def _check_town(actor: User, ctx: Any, town_code: str, item_id: str) -> None:
    """An official places items only at towns of the official's unit."""
    if actor.role in REVIEWER_ROLES:
        return
    town = ctx.town(town_code)
    if town is None:
        return  # the validator reports the unknown town
    in_unit = str(town.get("unit")) == actor.unit or (
        actor.unit == "tianqu" and str(town.get("tianqu", "0")) in ("1", "1.0", "True", "true"))
    if not in_unit:
        raise Refused("not_your_unit", f"town {town_code} lies in {town.get('unit')}, not in {actor.name}'s unit "
                                       f"{actor.unit}", item=item_id, units=str(town.get("unit")),
                      unit=actor.unit or "")


def _check_geometry(geom: BaseGeometry, *, outline: bool) -> BaseGeometry:
    kinds = ("Polygon", "MultiPolygon") if outline else ("Point",)
    if geom is None or geom.is_empty or geom.geom_type not in kinds:
        raise Refused("bad_geometry", f"expected a {' or '.join(kinds)}", expected=" / ".join(kinds))
    if not geom.is_valid:
        raise Refused("bad_geometry", "the outline is not a valid polygon (self-intersecting or unclosed)",
                      expected=" / ".join(kinds))
    return geom


def _check_inside(actor: User, ctx: Any, geom: BaseGeometry, row: Mapping[str, str], item_id: str) -> None:
    """A placed point or outline lies inside the acting official's unit (reviewers: the item's units)."""
    codes = [actor.unit] if actor.role not in REVIEWER_ROLES and actor.unit else ch.units_of(row)
    shapes = [ctx.unit_shape(c) for c in codes if c != "city" and ctx.unit_shape(c) is not None]
    if not shapes:
        shapes = [ctx.unit_shape("city")] if ctx.unit_shape("city") is not None else []
    if shapes and not any(shape.buffer(0.002).contains(geom) for shape in shapes):
        raise Refused("outside_unit", f"the placed location of {item_id} is outside {';'.join(codes)}",
                      item=item_id, units=";".join(codes))


def _unrow(p: Problem) -> Problem:
    """A problem of a single submitted row, without the row number of the internal one-row table."""
    return Problem(p.file, None, p.field, p.message, p.severity, p.code, p.params)
