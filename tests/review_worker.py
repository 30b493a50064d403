"""A separate process acting on the review store, for the crash and concurrency tests.

    python tests/review_worker.py URL crash MARKER   # submit a 3-row batch; after the 2nd row's INSERT, write
                                                     # MARKER and hang inside the transaction (to be SIGKILLed)
    python tests/review_worker.py URL submit NAME PASSWORD ITEM... # one submission per item, printing ids
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.load import load_all
from geo.review import Store


def crash(url: str, marker: str) -> None:
    store = Store.open(url)
    data = load_all()
    me = store.authenticate("wang", "ningjin-pass-1")
    inserts = []

    @event.listens_for(store.engine, "after_cursor_execute")
    def _hang(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO SUBMISSIONS"):
            inserts.append(statement)
            if len(inserts) == 2:
                Path(marker).write_text("inside the transaction", encoding="utf-8")
                time.sleep(120)

    content = (b"id,status\npark-b04-22,existing\npark-b04-23,existing\npark-b04-24,existing\n")
    store.submit_file(me, data, "batch.csv", content)
    print("not killed")


def submit(url: str, name: str, password: str, items: list[str]) -> None:
    store = Store.open(url)
    data = load_all()
    me = store.authenticate(name, password)
    for item in items:
        print(store.submit_changes(me, data, item, {"notes": f"checked by {name}"}).id, flush=True)


if __name__ == "__main__":
    if sys.argv[2] == "crash":
        crash(sys.argv[1], sys.argv[3])
    else:
        submit(sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5:])
