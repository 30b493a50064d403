"""``python -m geo.review``: the whole flow through the CLI on SQLite and PostgreSQL — users, a GB18030 batch
with the interface's status words, refusals with their exit codes, review, CSV listing, export that validates —
and no password or hash in any output or exported file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from review_support import PASSWORDS

from geo.paths import DATA_DIR, PROJECT_ROOT
from geo.review import cli

pytestmark = [pytest.mark.usefixtures("fast_passwords"), pytest.mark.slow]


class Run:
    """Runs ``python -m geo.review`` in-process against one store; keeps everything it printed."""

    def __init__(self, url: str, monkeypatch: pytest.MonkeyPatch, data) -> None:
        self.url, self.mp = url, monkeypatch
        self.printed: list[str] = []
        monkeypatch.setattr(cli, "load_all", lambda _d: data)  # the shipped data, loaded once per module

    def __call__(self, *args: str, stdin: str = "", password: str | None = None) -> tuple[int, str, str]:
        if password is None:
            self.mp.delenv(cli.PASSWORD_ENV, raising=False)
        else:
            self.mp.setenv(cli.PASSWORD_ENV, password)
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["--db", self.url, *args], stdin=io.StringIO(stdin), out=out, err=err)
        self.printed += [out.getvalue(), err.getvalue()]
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run(store_url, monkeypatch, data) -> Run:
    r = Run(store_url, monkeypatch, data)
    assert r("init")[1].endswith("schema version 1 (applied 1)\n")
    assert r("init")[1].endswith("schema version 1 (up to date)\n")
    assert r("users", "add", "wang", "--role", "official", "--unit", "371422", stdin=PASSWORDS["wang"] + "\n")[0] == 0
    assert r("users", "add", "li", "--role", "official", "--unit", "371425", stdin=PASSWORDS["li"] + "\n")[0] == 0
    assert r("users", "add", "zhao", "--role", "reviewer", password=PASSWORDS["zhao"])[0] == 0
    return r


CORRECTIONS = (
    "id,status,precision,lon,lat,location_source\n"
    "park-b04-22,推进实施,具体位置,116.8,37.65,宁津县自然资源局 2026 年核查\n"  # 宁津县 item: stored
    "park-b04-25,建成,site,116.76,36.79,县里核查\n"  # a 齐河县 item: not wang's unit
    "park-b04-23,existing,site,116.2,37.0,核查\n"  # a 宁津县 item placed outside 宁津县: invalid
    "park-b04-24,未注明,仅区县,,,plan lists it under 宁津县 in 专栏4 (line 361); county only\n"  # unchanged
)


def test_the_whole_flow(run: Run, tmp_path: Path):
    code, out, err = run("users", "add", "wang", "--role", "official", "--unit", "371422", stdin="another-pass\n")
    assert code == 1 and "user wang exists already" in err
    code, out, _ = run("users", "list")
    assert out.splitlines() == ["li\tofficial\t371425\tactive", "wang\tofficial\t371422\tactive",
                                "zhao\treviewer\t-\tactive"]

    fix = tmp_path / "宁津县更正.csv"
    fix.write_bytes(CORRECTIONS.encode("gb18030"))
    code, out, err = run("submit", str(fix), "--user", "wang", password=PASSWORDS["wang"])
    assert code == 0
    assert "read 宁津县更正.csv (encoding: GB18030): 4 row(s)" in out
    assert "stored 1 pending submission(s): 1 (park-b04-22)" in out
    assert "1 row(s) identical to the current data: not stored" in out
    assert "宁津县更正.csv:row 3:units: error: park-b04-25 belongs to 371425, not to your unit 371422" in err
    assert "宁津县更正.csv:row 4:lon: error:" in err and "outside its stated unit(s) 371422" in err

    code, out, err = run("--lang", "zh", "submit", str(fix), "--user", "wang", password="wrong-password")
    assert (code, out) == (1, "") and err.strip() == "已拒绝：用户 wang 的密码错误"

    code, out, _ = run("show", "1")
    assert "  status: 'unspecified' -> 'implementing'" in out and "  precision: 'county' -> 'site'" in out
    assert "from: 宁津县更正.csv, row 2" in out

    code, _, err = run("approve", "1", "--user", "li", stdin=PASSWORDS["li"] + "\n")
    assert code == 1 and err.strip() == "refused: only a reviewer or an admin may do this (li is official)"
    code, out, _ = run("approve", "1", "--user", "zhao", "--comment", "checked", stdin=PASSWORDS["zhao"] + "\n")
    assert code == 0 and out.strip() == "submission 1 (park-b04-22) approved"
    code, _, err = run("approve", "1", "--user", "zhao", password=PASSWORDS["zhao"])
    assert code == 1 and "submission 1 is approved, not pending" in err

    second = tmp_path / "second.csv"
    second.write_text("id,notes\npark-b04-23,see the county's 2026 survey\n", encoding="utf-16")
    assert run("submit", str(second), "--user", "wang", password=PASSWORDS["wang"])[0] == 0
    with pytest.raises(SystemExit) as exc:  # a rejection needs --comment
        run("reject", "2", "--user", "zhao", password=PASSWORDS["zhao"])
    assert exc.value.code == 2
    code, out, _ = run("reject", "2", "--user", "zhao", "--comment", "=HYPERLINK(\"http://x\")",
                       password=PASSWORDS["zhao"])
    assert code == 0

    code, out, _ = run("list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["status"], r["item_id"], r["user"], r["reviewer"]) for r in rows] == [
        ("1", "approved", "park-b04-22", "wang", "zhao"), ("2", "rejected", "park-b04-23", "wang", "zhao")]
    assert rows[1]["review_comment"] == "'=HYPERLINK(\"http://x\")"  # no live formula in a download
    code, out, _ = run("list", "--status", "pending", "--unit", "371422")
    assert out.strip() == "0 submission(s)"

    dest = tmp_path / "export"
    code, out, err = run("export", "--out", str(dest))
    assert code == 0 and "1 item(s) changed, 0 added, 0 outline(s), from 1 approved submission(s)" in out
    shipped = (DATA_DIR / "projects.csv").read_text(encoding="utf-8").splitlines()
    exported = (dest / "projects.csv").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(shipped, exported, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("park-b04-22,")
    assert ",implementing,371422," in changed[0][1] and ",site,,116.8,37.65,宁津县自然资源局 2026 年核查," in changed[0][1]
    assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in DATA_DIR.iterdir())
    checked = subprocess.run([sys.executable, "-m", "geo.validate", "--data", str(dest)], capture_output=True,
                             text=True, cwd=PROJECT_ROOT, timeout=300)
    assert checked.returncode == 0 and "0 error(s)" in checked.stdout, checked.stdout[-2000:]
    code, _, err = run("export", "--out", str(dest))
    assert code == 1 and "exists and is not an empty folder" in err

    everything = "".join(run.printed) + "".join(p.read_text(encoding="utf-8", errors="replace")
                                                for p in dest.rglob("*") if p.is_file())
    for secret in (*PASSWORDS.values(), "another-pass", "wrong-password", "$argon2"):
        assert secret not in everything


def test_no_row_accepted_is_a_failure(run: Run, tmp_path: Path):
    fix = tmp_path / "fix.csv"
    fix.write_text("id,status\npark-b04-25,existing\n", encoding="utf-8-sig")  # 齐河县: not wang's
    code, out, err = run("submit", str(fix), "--user", "wang", password=PASSWORDS["wang"])
    assert code == 1 and "read fix.csv (encoding: UTF-8 (BOM)): 1 row(s)" in out
    assert err.splitlines()[-1] == "no row was accepted" and "fix.csv:row 2:units: error:" in err
    fix.write_bytes(b"\x00\x01\x02garbage\xff" * 50)
    code, _, err = run("--lang", "zh", "submit", str(fix), "--user", "wang", password=PASSWORDS["wang"])
    assert code == 1 and "无法将文件读取为文本" in err and "没有任何一行被接受" in err


def test_users_add_refusals(run: Run):
    assert run("users", "add", "sun", "--role", "official", stdin="long-enough\n")[0] == 1
    code, _, err = run("users", "add", "sun", "--role", "official", "--unit", "371499", stdin="long-enough\n")
    assert code == 1 and "unit code 371499 is not in units.csv" in err
    code, _, err = run("users", "add", "sun", "--role", "reviewer", stdin="short\n")
    assert code == 1 and "at least 8 characters" in err
    assert [line.split("\t")[0] for line in run("users", "list")[1].splitlines()] == ["li", "wang", "zhao"]


def test_entry_point_as_a_process(tmp_path: Path):
    """The real command, with real (production-cost) Argon2, reading the password from stdin."""
    env = {**os.environ, "PLANMAP_DB": f"sqlite:///{tmp_path / 'p.sqlite'}", "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop(cli.PASSWORD_ENV, None)

    def call(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "geo.review", *args], input=stdin, capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=300)

    added = call("users", "add", "zhao", "--role", "reviewer", stdin="review-pass-333\n")
    assert added.returncode == 0 and added.stdout.strip() == "user zhao added: reviewer"
    refused = call("approve", "1", "--user", "zhao", stdin="not-the-password\n")
    assert refused.returncode == 1 and refused.stderr.strip() == "refused: wrong password for user zhao"
    assert "not-the-password" not in refused.stdout + refused.stderr
    listed = call("list")
    assert listed.returncode == 0 and listed.stdout.strip() == "0 submission(s)"
    assert (tmp_path / "p.sqlite").is_file() and not (tmp_path / "var").exists()
