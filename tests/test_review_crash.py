"""A process killed in the middle of a submission leaves no partial row; officials submitting at the same time
(threads and processes) all keep their submissions. SQLite and PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from review_support import PASSWORDS
from sqlalchemy import text

from geo.paths import PROJECT_ROOT
from geo.review import Store

pytestmark = [pytest.mark.usefixtures("fast_passwords"), pytest.mark.slow]
WORKER = Path(__file__).with_name("review_worker.py")
NINGJIN = ["park-b04-22", "park-b04-23", "park-b04-24"]
QIHE = ["park-b04-25", "park-b04-26"]


@pytest.fixture
def store(store_url: str):
    s = Store.open(store_url)
    s.add_user("wang", PASSWORDS["wang"], role="official", unit="371422")
    s.add_user("li", PASSWORDS["li"], role="official", unit="371425")
    yield s
    s.close()


def table_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
                for t in ("submissions", "audit_log")}


def test_a_killed_submission_leaves_nothing(store: Store, store_url: str, tmp_path: Path, data):
    before = table_counts(store)
    marker = tmp_path / "inside"
    proc = subprocess.Popen([sys.executable, str(WORKER), store_url, "crash", str(marker)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the worker never reached the middle of its transaction"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)  # two submission rows inserted, not committed
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL and "not killed" not in (proc.stdout.read() if proc.stdout else "")
    after = table_counts(store)
    assert after["submissions"] == before["submissions"] == 0
    assert after["audit_log"] == before["audit_log"] + 1  # only the worker's committed sign-in
    assert [e.action for e in store.audit()][-1] == "sign_in"
    # the store is not left locked: the next submission goes through at once
    me = store.authenticate("wang", PASSWORDS["wang"])
    t0 = time.monotonic()
    sub = store.submit_changes(me, data, NINGJIN[0], {"status": "existing"})
    assert sub.id >= 1 and time.monotonic() - t0 < 20 and table_counts(store)["submissions"] == 1


def test_two_officials_submitting_at_once_threads(store: Store, store_url: str, data):
    """Two app processes' worth of stores (own engines) writing at the same moment, on the same items too."""
    stores = [Store.open(store_url), Store.open(store_url)]
    people = [stores[0].authenticate("wang", PASSWORDS["wang"]), stores[1].authenticate("li", PASSWORDS["li"])]
    items = [NINGJIN, QIHE]
    start = threading.Barrier(2)
    done: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            start.wait()
            for round_ in range(4):
                for item in items[i]:
                    done[i].append(stores[i].submit_changes(people[i], data, item,
                                                            {"notes": f"round {round_} by {people[i].name}"}).id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for s in stores:
        s.close()
    assert errors == []
    assert len(done[0]) == 12 and len(done[1]) == 8 and len(set(done[0]) | set(done[1])) == 20
    subs = store.submissions()
    assert len(subs) == 20 and {s.user for s in subs} == {"wang", "li"}
    assert sum(1 for s in subs if s.item_id == "park-b04-22") == 4  # four pending on one item, all kept
    assert [e.action for e in store.audit()].count("submit") == 20


def test_two_officials_submitting_at_once_processes(store: Store, store_url: str):
    procs = [subprocess.Popen([sys.executable, str(WORKER), store_url, "submit", name, PASSWORDS[name], *items * 2],
                              cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, items in (("wang", NINGJIN), ("li", QIHE))]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    ids = [int(x) for out, _ in outs for x in out.split()]
    assert len(ids) == 10 and len(set(ids)) == 10
    assert sorted(s.id for s in store.submissions()) == sorted(ids)
    assert {s.user: 0 for s in store.submissions()} == {"wang": 0, "li": 0}
