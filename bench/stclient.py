"""A Streamlit session without a browser: speaks the app's websocket protocol (``/_stcore/stream``) with the
message classes the streamlit package ships (``BackMsg`` out, ``ForwardMsg`` in), the way the browser does.

What the browser does and this client copies (checked against frames recorded from Chromium, see
``bench/README.md``): the first message is a ``rerun_script`` with the page's query string; every later rerun
carries the state of every widget seen so far (value as the element set it or as the user changed it), the
query string the app last wrote (``page_info_changed``), the page's script hash (``new_session``) and the hashes
of the cached large messages, so that the server may send a reference (``ref_hash``) instead of a message the
client already has. A run is finished when ``script_finished`` arrives (a run cut short by ``st.rerun`` is
followed by the next one).
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
MAP_COMPONENT = "streamlit_folium"
"""Substring of the ``component_name`` of the app's map element (``streamlit_folium.st_folium``)."""

# widget element type -> the WidgetState field the browser fills in
_VALUE_FIELDS = {"checkbox": "bool_value", "selectbox": "string_value", "radio": "string_value",
                 "text_input": "string_value", "multiselect": "string_array_value"}
_CACHE_RUNS = 2  # the browser forgets a cached message that no run used for this many runs


class ProtocolError(RuntimeError):
    """The server answered something a browser would not accept (closed socket, unknown reference, timeout)."""


@dataclass
class Widget:
    """A widget element as the server sent it: ``kind`` is the element type (``checkbox``, ``selectbox``, …),
    ``options`` the formatted option labels (select widgets)."""

    id: str
    kind: str
    label: str
    options: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The user key (``st.selectbox(..., key="unit")`` -> ``unit``); '' for widgets without one."""
        parts = self.id.split("-", 2)
        return parts[2] if self.id.startswith("$$ID-") and len(parts) == 3 else ""


@dataclass
class Run:
    """What one script run sent: wall time from request to ``script_finished`` (s), payload bytes and frames,
    its elements by type, the map component's arguments, texts (markdown, headings), and every error shown
    (exceptions, error alerts, a status other than success). ``deflated``: the payload compressed message by
    message (what websocket compression would send; only with ``Session(..., deflate=True)``)."""

    seconds: float = 0.0
    bytes: int = 0
    deflated: int = 0
    frames: int = 0
    refs: int = 0
    status: str = ""
    elements: dict[str, int] = field(default_factory=dict)
    map_args: list[str] = field(default_factory=list)
    map_bytes: int = 0
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    query_string: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "FINISHED_SUCCESSFULLY" and not self.errors


class Session:
    """One browser-less session of the app at ``base_url`` (``http://host:port``).

    ``cookie`` is sent with the websocket handshake (a sticky-session proxy routes by it); ``deflate`` also
    counts each message's deflated size (:attr:`Run.deflated`).
    Use as ``async with Session(url) as s: run = await s.rerun()``.
    """

    def __init__(self, base_url: str, *, cookie: str | None = None, timeout_s: float = 300.0,
                 deflate: bool = False) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookie = cookie
        self.timeout_s = timeout_s
        self.deflate = deflate
        self.widgets: dict[str, Widget] = {}
        self._values: dict[str, WidgetState] = {}
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, last run that used it)
        self._runs = 0
        self._page_script_hash = ""
        self._query_string = ""
        self._ws: Any = None

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        uri = "ws" + self.base_url[len("http"):] + STREAM_PATH
        headers = {"Cookie": self.cookie} if self.cookie else None
        # no proxy from the environment (loopback only); frames up to the server's own limit (200 MB)
        self._ws = await connect(uri, subprotocols=["streamlit"], additional_headers=headers, proxy=None,
                                 max_size=None, open_timeout=self.timeout_s, ping_interval=None)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def widget(self, key: str) -> Widget:
        """The widget with user key ``key`` (KeyError names the keys seen)."""
        for w in self.widgets.values():
            if w.key == key:
                return w
        raise KeyError(f"no widget with key {key!r}; seen: {sorted(w.key for w in self.widgets.values())}")

    def set(self, key: str, value: object) -> None:
        """Change widget ``key`` to ``value`` as a user would (sent with the next :meth:`rerun`); a select widget
        takes the option label as shown."""
        w = self.widget(key)
        if w.kind in ("selectbox", "radio") and value not in w.options:
            raise ValueError(f"{value!r} is not an option of {key!r}: {list(w.options)}")
        self._values[w.id] = _state(w.id, _VALUE_FIELDS[w.kind], value)

    async def rerun(self, query_string: str | None = None) -> Run:
        """Ask for a script run (the first one opens the page with ``query_string``); wait until it finished."""
        if self._ws is None:
            raise ProtocolError("not connected")
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self._query_string if query_string is None else query_string
        if self._runs:
            cs.widget_states.widgets.extend(self._values.values())
            cs.page_script_hash = self._page_script_hash
            cs.cached_message_hashes.extend(self._cache)
        else:
            cs.widget_states.SetInParent()
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-US"
        cs.context_info.url = self.base_url + "/"
        self._runs += 1
        run = Run()
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self._receive_run(run), self.timeout_s)
        except TimeoutError as exc:
            raise ProtocolError(f"no script_finished within {self.timeout_s:.0f} s") from exc
        run.seconds = time.perf_counter() - t0
        run.query_string = self._query_string
        self._cache = {h: (m, n) for h, (m, n) in self._cache.items() if self._runs - n < _CACHE_RUNS}
        return run

    async def _receive_run(self, run: Run) -> None:
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                data = await self._ws.recv()
            except ConnectionClosed as exc:
                raise ProtocolError(f"websocket closed by the server ({exc})") from exc
            run.bytes += len(data)
            run.frames += 1
            if self.deflate:  # permessage-deflate: raw deflate per message, without its 4-byte tail
                z = zlib.compressobj(wbits=-15)
                run.deflated += len(z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)) - 4
            fm = ForwardMsg()
            fm.ParseFromString(data)
            if fm.HasField("ref_hash"):
                hit = self._cache.get(fm.ref_hash)
                if hit is None:
                    raise ProtocolError(f"reference to a message this client never had ({fm.ref_hash})")
                run.refs += 1
                self._cache[fm.ref_hash] = (hit[0], self._runs)
                fm = hit[0]
            elif fm.metadata.cacheable and fm.hash:
                self._cache[fm.hash] = (fm, self._runs)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self._page_script_hash = fm.new_session.page_script_hash
            elif kind == "page_info_changed":
                self._query_string = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._element(fm.delta.new_element, run, len(data))
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":  # st.rerun(): the next run follows by itself
                    continue
                run.status = status
                if status != "FINISHED_SUCCESSFULLY":
                    run.errors.append(f"script run ended with {status}")
                return

    def _element(self, el: Any, run: Run, nbytes: int) -> None:
        etype = el.WhichOneof("type")
        run.elements[etype] = run.elements.get(etype, 0) + 1
        body = getattr(el, etype)
        if etype == "exception":
            run.errors.append(f"exception {body.type}: {body.message[:200]}")
        elif etype == "alert" and body.format == body.ERROR:
            run.errors.append(f"error shown: {body.body[:200]}")
        elif etype in ("markdown", "heading"):
            run.texts.append(body.body)
        elif etype == "component_instance" and MAP_COMPONENT in body.component_name:
            run.map_args.append(body.json_args)
            run.map_bytes += nbytes
        elif etype in _VALUE_FIELDS:
            w = Widget(body.id, etype, body.label, tuple(getattr(body, "options", ())))
            self.widgets[w.id] = w
            value = _element_value(etype, body)
            if body.set_value or w.id not in self._values:
                self._values[w.id] = _state(w.id, _VALUE_FIELDS[etype], value)


def _element_value(etype: str, body: Any) -> object:
    """The value a widget element shows (what the browser reports for it)."""
    if etype == "checkbox":
        return body.value if body.set_value else body.default
    if etype == "text_input":
        return body.value if body.set_value else body.default
    if etype == "multiselect":
        return list(body.raw_values) if body.set_value else [body.options[i] for i in body.default]
    if body.set_value:  # selectbox, radio
        return body.raw_value
    return body.options[body.default] if 0 <= body.default < len(body.options) else ""


def _state(widget_id: str, value_field: str, value: object) -> WidgetState:
    s = WidgetState(id=widget_id)
    if value_field == "string_array_value":
        s.string_array_value.data.extend(str(v) for v in value)  # type: ignore[attr-defined]
    elif value_field == "bool_value":
        s.bool_value = bool(value)
    else:
        setattr(s, value_field, str(value))
    return s

