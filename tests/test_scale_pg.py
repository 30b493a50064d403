"""Two app processes behind the sticky-session proxy (bench.proxy) sharing one PostgreSQL review store (issue 9
item 11; deployment in docs/DEPLOY.md): a change approved in the store is served by both processes, each
visitor stays on the process the proxy gave it, and the load harness runs its flows through the proxy without
errors. Needs the PostgreSQL test server (``PLANMAP_TEST_PG``, see tests/review_support.py); no timings."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from review_support import PASSWORDS

from bench.browser import app_server
from bench.load import run_level
from bench.proxy import COOKIE, running_proxy
from bench.stclient import Session
from geo.load import load_all
from geo.review import Store

pytestmark = pytest.mark.slow


async def _details(url: str, backend: int, item_id: str) -> tuple[list[str], str]:
    """The texts of a first visit with ``selected=item_id``, pinned to ``backend`` by the proxy's cookie."""
    async with Session(url, cookie=f"{COOKIE}={backend}") as s:
        run = await s.rerun(f"selected={item_id}&lang=en")
        assert run.ok, run.errors
        return run.texts, run.query_string


def test_two_processes_behind_the_proxy_serve_one_postgresql_store(pg_store_url: str, fast_passwords) -> None:
    data = load_all()
    store = Store.open(pg_store_url)
    units = set(data.units["code"].astype(str))
    store.add_user("wang", PASSWORDS["wang"], role="official", unit="371402", known_units=units)
    store.add_user("zhao", PASSWORDS["zhao"], role="reviewer")
    items = data.items
    item = items[items["units"].astype(str) == "371402"].iloc[0]
    tag = f"reviewed {uuid.uuid4().hex[:4]}"  # shown as Markdown text: look for the part without punctuation
    item_id, new_name = str(item["id"]), f"{item['name_en']} ({tag})"
    official, reviewer = store.authenticate("wang", PASSWORDS["wang"]), store.authenticate("zhao", PASSWORDS["zhao"])
    sub = store.submit_changes(official, data, item_id, {"name_en": new_name}, reason="scale test")
    store.approve(reviewer, data, sub.id)
    store.close()

    env = {"PLANMAP_DB": pg_store_url}
    with app_server(env=env) as a, app_server(env=env) as b, running_proxy([a.url, b.url]) as proxy:
        for backend in (0, 1):  # each process reads the approved change from the shared store
            texts, _ = asyncio.run(_details(proxy.url, backend, item_id))
            assert any(tag in x for x in texts), (backend, [x for x in texts if x.startswith("####")])
        level = asyncio.run(run_level(proxy.url, 4, [a.pid, b.pid]))
        assert level.errors == [] and level.done == 4
        assert level.cpu > 0  # both processes' CPU is counted (pids of a and b)
