"""``python -m geo.review``: the review store without the browser (setup, batch work, scripting, tests).

    python -m geo.review init
    python -m geo.review users add NAME --role official|reviewer|admin [--unit CODE]   # password from stdin
    python -m geo.review users list | passwd NAME | disable NAME | enable NAME
    python -m geo.review submit FILE --user NAME            # a corrections CSV/Excel as pending submissions
    python -m geo.review list [--status S] [--unit CODE] [--user NAME] [--format text|csv]
    python -m geo.review show ID
    python -m geo.review approve ID --user NAME [--comment TEXT]
    python -m geo.review reject ID --user NAME --comment TEXT
    python -m geo.review withdraw ID --user NAME
    python -m geo.review export --out DIR                    # data/ with the approved changes merged

Passwords (the acting user's for submit/approve/reject/withdraw, the new one for ``users add``/``passwd``) are
read from the environment variable ``PLANMAP_PASSWORD`` or else from the first line of standard input (hidden
prompt on a terminal); they are never printed or logged. The store is ``--db URL`` or ``$PLANMAP_DB`` (default
``sqlite:///var/planmap.sqlite``). Exit code: 0 done; 1 refused, or no row accepted; 2 usage; 3 store unavailable.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from geo.export import formula_safe
from geo.load import PlanData, load_all
from geo.paths import DATA_DIR
from geo.problems import Problem, problem_message
from geo.review.errors import Refused, StoreUnavailable
from geo.review.models import ROLES, STATUSES
from geo.review.store import Account, Store, SubmissionInfo
from geo.validate import read_table
from i18n import catalog, t

PASSWORD_ENV = "PLANMAP_PASSWORD"
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


class _Context:
    def __init__(self, args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> None:
        self.args, self.stdin, self.out, self.err = args, stdin, out, err
        self.lang: str = args.lang
        self._store: Store | None = None
        self._base: PlanData | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.args.db, init=self.args.command != "init")
        return self._store

    @property
    def base(self) -> PlanData:
        if self._base is None:
            self._base = load_all(self.args.data)
        return self._base

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def refused(self, refusal: Refused) -> int:
        key = f"review.refused.{refusal.code}"
        message = refusal.message
        if key in catalog(self.lang):
            try:
                message = t(key, self.lang, **refusal.params)
            except (KeyError, IndexError, ValueError):
                pass
        print(t("review.cli.refused", self.lang, message=message), file=self.err)
        for p in refusal.problems:
            print("  " + self.problem(p), file=self.err)
        return EXIT_REFUSED

    def problem(self, p: Problem) -> str:
        where = p.file + (f":row {p.row}" if p.row is not None else "") + (f":{p.field}" if p.field else "")
        return f"{where}: {p.severity}: {problem_message(p, self.lang)}"

    def password(self) -> str:
        env = os.environ.get(PASSWORD_ENV)
        if env is not None:
            return env
        if self.stdin.isatty():
            return getpass.getpass("password: ")
        line = self.stdin.readline()
        return line.rstrip("\r\n")

    def sign_in(self) -> Account:
        password = self.password()
        if not password:
            raise Refused("password_required", "no password given (stdin or PLANMAP_PASSWORD)")
        return self.store.authenticate(self.args.user, password)


# ---------------------------------------------------------------------------------------------- commands


def _init(c: _Context) -> int:
    applied = c.store.init()
    version = c.store.schema_version()
    c.say(f"store {c.store.location}: schema version {version}"
          + (f" (applied {', '.join(map(str, applied))})" if applied else " (up to date)"))
    return EXIT_OK


def _users(c: _Context) -> int:
    a = c.args
    if a.users_cmd == "add":
        password = c.password()
        account = c.store.add_user(a.name, password, role=a.role, unit=a.unit,
                                   known_units=set(read_table(Path(a.data) / "units.csv")["code"]))
        c.say(f"user {account.name} added: {account.role}" + (f", unit {account.unit}" if account.unit else ""))
    elif a.users_cmd == "list":
        for u in c.store.users():
            c.say(f"{u.name}\t{u.role}\t{u.unit or '-'}\t{'active' if u.active else 'disabled'}")
    elif a.users_cmd == "passwd":
        c.store.set_password(a.name, c.password())
        c.say(f"password of {a.name} changed")
    elif a.users_cmd in ("disable", "enable"):
        c.store.set_active(a.name, a.users_cmd == "enable")
        c.say(f"user {a.name} {a.users_cmd}d")
    return EXIT_OK


def _submit(c: _Context) -> int:
    path = Path(c.args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=c.err)
        return EXIT_REFUSED
    user = c.sign_in()
    result = c.store.submit_file(user, c.base, path.name, content)
    c.say(t("review.cli.read", c.lang, file=path.name, encoding=result.encoding or "-", rows=result.rows))
    for p in result.problems:
        print(c.problem(p), file=c.err if p.is_error else c.out)
    if result.unchanged:
        c.say(t("review.cli.unchanged", c.lang, n=len(result.unchanged)))
    if not result.submissions:
        print(t("review.cli.no_row", c.lang), file=c.err)
        return EXIT_REFUSED
    c.say(t("review.cli.stored", c.lang, n=len(result.submissions),
            ids=", ".join(f"{s.id} ({s.item_id})" for s in result.submissions)))
    return EXIT_OK


_CSV_COLUMNS = ("id", "status", "kind", "item_id", "units", "user", "user_unit", "created_at", "reason", "changes",
                "old_values", "geometry_wkt", "reviewer", "reviewed_at", "review_comment", "superseded_by",
                "source_file", "source_row")


def _csv_row(s: SubmissionInfo) -> list[str]:
    values = {
        "id": s.id, "status": s.status, "kind": s.kind, "item_id": s.item_id, "units": s.units, "user": s.user,
        "user_unit": s.user_unit, "created_at": s.created_at.isoformat(timespec="seconds"), "reason": s.reason,
        "changes": json.dumps(s.changes, ensure_ascii=False), "old_values": json.dumps(s.old_values, ensure_ascii=False),
        "geometry_wkt": s.geometry.wkt if s.geometry is not None else "", "reviewer": s.reviewer,
        "reviewed_at": s.reviewed_at.isoformat(timespec="seconds") if s.reviewed_at else "",
        "review_comment": s.review_comment, "superseded_by": s.superseded_by, "source_file": s.source_file,
        "source_row": s.source_row,
    }
    return [formula_safe("" if values[c] is None else str(values[c])) for c in _CSV_COLUMNS]


def _list(c: _Context) -> int:
    a = c.args
    subs = c.store.submissions(status=a.status, unit=a.unit, user=a.user)
    if a.format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(_CSV_COLUMNS)
        for s in subs:
            w.writerow(_csv_row(s))
        c.out.write(buf.getvalue())
        return EXIT_OK
    for s in subs:
        fields = ", ".join(s.changes) or "-"
        c.say(f"{s.id}\t{s.status}\t{s.kind}\t{s.item_id}\t{s.units}\t{s.user}\t"
              f"{s.created_at.isoformat(timespec='minutes')}\t{fields}")
    c.say(f"{len(subs)} submission(s)")
    return EXIT_OK


def _show(c: _Context) -> int:
    s = c.store.submission(c.args.id)
    if s is None:
        raise Refused("no_submission", f"no submission {c.args.id}", id=c.args.id)
    c.say(f"submission {s.id}: {s.kind} of {s.item_id} ({s.units}) by {s.user}"
          f"{f' ({s.user_unit})' if s.user_unit else ''}, {s.created_at.isoformat(timespec='minutes')} UTC")
    c.say(f"status: {s.status}" + (f" by {s.reviewer}, {s.reviewed_at:%Y-%m-%d %H:%M} UTC" if s.reviewer else "")
          + (f" (superseded by {s.superseded_by})" if s.superseded_by else ""))
    if s.reason:
        c.say(f"reason: {s.reason}")
    if s.review_comment:
        c.say(f"review comment: {s.review_comment}")
    if s.source_file:
        c.say(f"from: {s.source_file}, row {s.source_row}")
    for f, old, new in s.diff():
        c.say(f"  {f}: {old!r} -> {new!r}")
    if s.geometry is not None:
        c.say(f"  geometry: {s.geometry.wkt}")
    return EXIT_OK


def _review(c: _Context) -> int:
    a = c.args
    user = c.sign_in()
    if a.command == "approve":
        s = c.store.approve(user, c.base, a.id, a.comment or "")
        others = [x.id for x in c.store.submissions(item_id=s.item_id, status="superseded") if x.superseded_by == s.id]
        c.say(f"submission {s.id} ({s.item_id}) approved" + (f"; superseded: {others}" if others else ""))
    elif a.command == "reject":
        s = c.store.reject(user, a.id, a.comment)
        c.say(f"submission {s.id} ({s.item_id}) rejected")
    else:
        s = c.store.withdraw(user, a.id)
        c.say(f"submission {s.id} ({s.item_id}) withdrawn")
    return EXIT_OK


def _export(c: _Context) -> int:
    from geo.review.export import export_data

    out = Path(c.args.out)
    result = export_data(c.store, c.base, Path(c.args.data), out)
    c.say(f"exported {Path(c.args.data)} to {out}: {len(result.changed)} item(s) changed, {len(result.added)} "
          f"added, {len(result.outlines)} outline(s), from {len(result.submissions)} approved submission(s)")
    for p in result.problems:
        print(f"not exported: {p}", file=c.err)
    c.say(f"check it: python -m geo.validate --data {out}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------- parser


def _data_default() -> Path:
    env = os.environ.get("DEZHOU_DATA_DIR")
    return Path(env) if env else DATA_DIR


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo.review", description="The review store of officials' corrections.")
    p.add_argument("--db", default=None, help="database URL (default: $PLANMAP_DB or sqlite:///var/planmap.sqlite)")
    p.add_argument("--data", type=Path, default=_data_default(), help="shipped data directory (default: data/)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of messages (default: en)")
    p.add_argument("--verbose", action="store_true", help="log what the store does (never passwords)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or upgrade the store's schema")
    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users_cmd", required=True)
    add = users.add_parser("add", help="add a user (password from stdin or PLANMAP_PASSWORD)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", default=None, help="unit code of an official (e.g. 371422)")
    users.add_parser("list", help="list users (never their passwords)")
    for name in ("passwd", "disable", "enable"):
        users.add_parser(name).add_argument("name")
    s = sub.add_parser("submit", help="submit a corrections CSV/Excel as pending submissions")
    s.add_argument("file")
    s.add_argument("--user", required=True)
    ls = sub.add_parser("list", help="list submissions")
    ls.add_argument("--status", choices=STATUSES)
    ls.add_argument("--unit")
    ls.add_argument("--user")
    ls.add_argument("--format", choices=("text", "csv"), default="text")
    sub.add_parser("show", help="show one submission with its diff").add_argument("id", type=int)
    for name in ("approve", "reject", "withdraw"):
        r = sub.add_parser(name)
        r.add_argument("id", type=int)
        r.add_argument("--user", required=True)
        if name != "withdraw":
            r.add_argument("--comment", required=name == "reject", default=None)
    ex = sub.add_parser("export", help="write the data directory with the approved changes merged")
    ex.add_argument("--out", required=True)
    return p


_COMMANDS: dict[str, Callable[[_Context], int]] = {
    "init": _init, "users": _users, "submit": _submit, "list": _list, "show": _show, "approve": _review,
    "reject": _review, "withdraw": _review, "export": _export,
}


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, stream=err or sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    elif not logging.getLogger().handlers:
        logging.getLogger("geo.review").addHandler(logging.NullHandler())  # refusals are printed once, below
    c = _Context(args, stdin or sys.stdin, out or sys.stdout, err or sys.stderr)
    try:
        return _COMMANDS[args.command](c)
    except Refused as refusal:
        return c.refused(refusal)
    except StoreUnavailable as exc:
        print(t("review.cli.store_unavailable", c.lang, error=str(exc)), file=c.err)
        return EXIT_UNAVAILABLE
    finally:
        if c._store is not None:
            c._store.close()
