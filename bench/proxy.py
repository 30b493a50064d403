"""A small reverse proxy with sticky sessions for several app processes on loopback (bench and tests only; in
production use nginx, see docs/DEPLOY.md).

Routing: a request that carries the cookie ``planmap_backend=<i>`` goes to backend ``i``; any other gets the next
backend in turn and the response sets that cookie, so a visitor's page, its websocket (``/_stcore/stream``) and
later downloads reach the same Streamlit process, which holds the session. After the first request head a
connection is spliced byte for byte, so websocket upgrades and keep-alive pass unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from urllib.parse import urlparse

from bench.browser import Server

COOKIE = "planmap_backend"
_COOKIE_RE = re.compile(rb"(?im)^cookie:.*?\b" + COOKIE.encode() + rb"=(\d+)")
_HEAD_END = b"\r\n\r\n"
_MAX_HEAD = 64 * 1024


class StickyProxy:
    """Listen on 127.0.0.1:``port`` and spread visitors over ``backends`` ((host, port) pairs) by cookie.
    ``routed`` counts new visitors (no cookie) per backend."""

    def __init__(self, backends: Sequence[tuple[str, int]], port: int) -> None:
        if not backends:
            raise ValueError("a proxy needs at least one backend")
        self.backends = list(backends)
        self.port = port
        self.routed = [0] * len(self.backends)
        self._next = itertools.cycle(range(len(self.backends)))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        try:
            head = await c_reader.readuntil(_HEAD_END)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            c_writer.close()
            return
        m = _COOKIE_RE.search(head)
        index = int(m.group(1)) if m and int(m.group(1)) < len(self.backends) else None
        new_visitor = index is None
        if index is None:
            index = next(self._next)
            self.routed[index] += 1
        host, port = self.backends[index]
        try:
            b_reader, b_writer = await asyncio.open_connection(host, port, limit=_MAX_HEAD)
        except OSError:
            c_writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            c_writer.close()
            return
        b_writer.write(head)
        await b_writer.drain()
        up = asyncio.create_task(self._pipe(c_reader, b_writer))
        if new_visitor:  # add the cookie to the first response head, then splice
            try:
                resp = await b_reader.readuntil(_HEAD_END)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                up.cancel()
                c_writer.close()
                return
            cookie = f"Set-Cookie: {COOKIE}={index}; Path=/; HttpOnly; SameSite=Lax\r\n".encode()
            c_writer.write(resp[:-2] + cookie + b"\r\n")
        await self._pipe(b_reader, c_writer)
        up.cancel()

    async def serve(self) -> None:
        server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, limit=_MAX_HEAD)
        async with server:
            await server.serve_forever()


@contextlib.contextmanager
def running_proxy(backend_urls: Sequence[str], port: int | None = None,
                  timeout_s: float = 30.0) -> Iterator[Server]:
    """Run the proxy (``python -m bench.proxy``, its own process) in front of ``backend_urls``
    (``http://127.0.0.1:port``); yield it once it accepts connections; stop it afterwards."""
    from bench.browser import ROOT, free_port, stop

    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.proxy", "--port", str(port), *backend_urls], cwd=ROOT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"proxy exited with code {proc.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"proxy did not listen on {port} within {timeout_s:.0f} s")
            time.sleep(0.1)
        yield Server(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        stop(proc, timeout_s=10)


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bench.proxy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True, help="port to listen on (127.0.0.1)")
    ap.add_argument("backends", nargs="+", help="backend base URLs, e.g. http://127.0.0.1:8501")
    args = ap.parse_args(argv)
    backends = [(urlparse(u).hostname or "127.0.0.1", int(urlparse(u).port or 80)) for u in args.backends]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(StickyProxy(backends, args.port).serve())


if __name__ == "__main__":
    main()
