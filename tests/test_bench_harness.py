"""The load harness (bench.load over bench.stclient) and the sticky proxy (bench.proxy) against real servers.
No timings are asserted: only that steps, errors and routing are counted right."""

from __future__ import annotations

import asyncio
import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import app_server, free_port
from bench.load import STEPS, TOGGLE_LAYER, Flow, run_flow, run_level
from bench.proxy import COOKIE, running_proxy
from bench.stclient import Session

pytestmark = pytest.mark.slow

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _backend(name: str) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            body = f"{name} {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}", srv


@pytest.fixture()
def two_backends() -> Iterator[list[str]]:
    started = [_backend("A"), _backend("B")]
    yield [url for url, _ in started]
    for _, srv in started:
        srv.shutdown()
        srv.server_close()


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with _NO_PROXY.open(req, timeout=30) as r:
        return r.read().decode(), r.headers.get("Set-Cookie")


def test_proxy_spreads_new_visitors_and_keeps_them_on_their_backend(two_backends: list[str]) -> None:
    with running_proxy(two_backends) as proxy:
        body1, set1 = _get(proxy.url + "/a")
        body2, set2 = _get(proxy.url + "/b")
        assert (body1, body2) == ("A /a", "B /b")  # new visitors in turn
        assert set1 is not None and set1.startswith(f"{COOKIE}=0;") and "HttpOnly" in set1
        assert set2 is not None and set2.startswith(f"{COOKIE}=1;")
        for _ in range(3):  # a returning visitor stays where the cookie says, and gets no new cookie
            assert _get(proxy.url + "/c", cookie=f"x=1; {COOKIE}=1") == ("B /c", None)
            assert _get(proxy.url + "/d", cookie=f"{COOKIE}=0") == ("A /d", None)
        body, cookie = _get(proxy.url + "/e", cookie=f"{COOKIE}=7")  # unknown backend: treated as new
        assert body == "A /e" and cookie is not None and cookie.startswith(f"{COOKIE}=0;")


def test_harness_flow_against_the_app_direct_and_through_the_proxy() -> None:
    async def one_flow(url: str) -> tuple[Flow, list[str], str]:
        flow = await run_flow(url, 5)
        assert flow.session is not None
        unit, layer = flow.session.widget("unit"), flow.session.widget(f"layer__{TOGGLE_LAYER}")
        await flow.session.close()
        return flow, list(unit.options), layer.kind

    with app_server() as srv:
        flow, units, layer_kind = asyncio.run(one_flow(srv.url))
        assert flow.errors == []
        assert sorted(flow.times) == sorted(STEPS)
        assert flow.bytes > 100_000  # the city map alone is several hundred kB
        assert len(units) == 13  # city + 11 counties + tianqu
        assert layer_kind == "checkbox"

        with running_proxy([srv.url]) as proxy:  # the websocket passes the proxy; two sessions at once
            level = asyncio.run(run_level(proxy.url, 2, [srv.pid]))
        assert level.errors == []
        assert level.done == 2
        assert [len(level.step_times(step)) for step in STEPS] == [2, 2, 2]
        assert level.cpu > 0 and level.rss_before > 0


def test_harness_counts_an_exception_as_an_error(tmp_path: Path) -> None:
    script = tmp_path / "broken_app.py"
    script.write_text('import streamlit as st\n\nst.selectbox("unit", ["city", "a"], key="unit")\n'
                      'raise ValueError("boom in the script")\n', encoding="utf-8")
    with app_server(script) as srv:
        flow = asyncio.run(run_flow(srv.url, 0))
        assert flow.times == {}
        assert len(flow.errors) == 1
        # the message itself may be redacted (client.showErrorDetails), the exception element is what counts
        assert flow.errors[0].startswith("load: ProtocolError: exception ")

        async def one_run() -> tuple[list[str], dict[str, int]]:
            async with Session(srv.url) as s:
                run = await s.rerun("")
                return run.errors, run.elements

        errors, elements = asyncio.run(one_run())
        assert len(errors) == 1 and errors[0].startswith("exception ")
        assert elements.get("selectbox") == 1 and elements.get("exception") == 1
