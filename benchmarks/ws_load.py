"""A Streamlit client without a browser: one visitor speaking the server's own websocket
protocol, for the load section of benchmarks/bench_ui.py (20 of them in one asyncio process cost
the machine far less than 20 browser pages, so the server's latencies are its own).

What the front end does, and so what a `Visitor` does (Streamlit 1.67: read in
web/server/starlette/starlette_websocket.py and starlette_routes.py, runtime/app_session.py,
runtime/forward_msg_cache.py, scriptrunner_utils/script_run_context.py and the front end's
bundle, static/static/js/index.*.js):

- A page load fetches the page's HTML, GET /_stcore/health (whose answer sets the
  `_streamlit_xsrf` cookie) and GET /_stcore/host-config, then opens ws://HOST/_stcore/stream
  with the subprotocols ["streamlit", <the xsrf cookie's value>] (a third entry, the last session
  id, only on reconnects), the cookie and an Origin header. With XSRF protection on, the token
  only guards the signed auth cookies: a client that sends none still gets a session.
- Every frame is one binary protobuf: BackMsg up, ForwardMsg down. A script run is asked for
  with BackMsg.rerun_script, a ClientState. The server answers new_session (at each run's
  start), navigation (the pages and their script hashes), page_info_changed (the query string
  the browser then shows and sends back), deltas, and script_finished. FINISHED_EARLY_FOR_RERUN
  means another run follows by itself (st.rerun, st.switch_page): a step ends at the first
  script_finished with another status.
- First load: page_name = the URL's path below the base ("" for the default page),
  page_script_hash empty, the URL's query string. Page switch (a navigation link): the target's
  page_script_hash, an empty query string (the front end keeps only parameters bound to
  widgets; this app binds none), and the states of the main script's widgets only (the page's
  own elements are dropped first). Widget change: the states of every widget drawn by the last
  run, the new value in place of the old, the current page's hash and query string.
- Each run carries ContextInfo (time zone, locale, URL, colour scheme) and the hashes of the
  messages the client keeps. Deltas flagged `cacheable` (new elements of 10 kB and more) are
  kept by the client; when the client lists a hash, the server sends {ref_hash} instead of the
  element. There is no HTTP endpoint to fetch a missed one any more: the client must keep them,
  and forget one after max_cached_message_age (new_session.config) finished runs without it,
  as the front end's ForwardMsgCache does.
- The server does not accept permessage-deflate: frames go uncompressed, as to a browser.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyarrow as pa
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin, Subprotocol

STREAM = "/_stcore/stream"
XSRF_COOKIE = "_streamlit_xsrf"
STATUS = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "early for rerun",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment ok",
}
# Widgets whose state this client keeps as the browser does; others (buttons, the tables'
# selections...) send nothing until used, in the browser too, or keep the server's value.
SCALAR_WIDGETS = {"text_input": "string_value", "text_area": "string_value",
                  "selectbox": "string_value", "radio": "string_value",
                  "checkbox": "bool_value"}
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "color_scheme": "light"}


class StepError(Exception):
    """A step that cannot go on: the visitor has to start again from a page load. `kind`
    groups the errors in a report, `detail` is one example."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


# -- what the front end keeps -----------------------------------------------------------------


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: text_input, selectbox...
    label: str
    script_hash: str  # the script that drew it: the main script's or a page's
    options: tuple[str, ...] = ()
    state: WidgetState | None = None  # the value the browser holds and sends back

    @property
    def value(self) -> str | bool | list[str] | None:
        if self.state is None:
            return None
        which = self.state.WhichOneof("value")
        if which == "string_array_value":
            return list(self.state.string_array_value.data)
        if which == "string_value":
            return self.state.string_value
        if which == "bool_value":
            return self.state.bool_value
        return None


def widget_state(widget_id: str, kind: str, value: str | bool | Sequence[str]) -> WidgetState:
    """The WidgetState the front end sends for `value` of a widget of this kind."""
    state = WidgetState(id=widget_id)
    if kind == "multiselect":
        if isinstance(value, str | bool):
            raise TypeError(f"a multiselect takes a list of options, not {value!r}")
        state.string_array_value.data.extend(value)
    elif SCALAR_WIDGETS.get(kind) == "bool_value":
        if not isinstance(value, bool):
            raise TypeError(f"a {kind} takes True or False, not {value!r}")
        state.bool_value = value
    elif SCALAR_WIDGETS.get(kind) == "string_value":
        if not isinstance(value, str):
            raise TypeError(f"a {kind} takes a string, not {value!r}")
        state.string_value = value
    else:
        raise ValueError(f"no widget state for a {kind}")
    return state


def drawn_widget(element: Element, script_hash: str, held: WidgetState | None) -> Widget | None:
    """The widget an element draws and the value the browser then holds: the server's value
    when it sets one (set_value), else what the browser held already, else the default."""
    kind = element.WhichOneof("type")
    if kind not in SCALAR_WIDGETS and kind != "multiselect":
        return None
    proto = getattr(element, kind)
    options = tuple(getattr(proto, "options", ()))
    widget = Widget(proto.id, kind, proto.label, script_hash, options)
    value: str | bool | list[str] | None = None
    if kind == "multiselect":
        if proto.set_value:
            value = list(proto.raw_values)
        elif held is None:
            value = [options[i] for i in proto.default if 0 <= i < len(options)]
    elif kind in ("selectbox", "radio"):
        if proto.set_value:
            value = proto.raw_value if proto.HasField("raw_value") else None
        elif held is None and proto.HasField("default") and 0 <= proto.default < len(options):
            value = options[proto.default]
    elif proto.set_value:  # text_input, text_area, checkbox
        value = proto.value
    elif held is None:
        value = proto.default
    if value is not None:
        widget.state = widget_state(widget.id, kind, value)
    elif not proto.set_value:
        widget.state = held
    return widget


@dataclass
class Table:
    """A dataframe as drawn: a digest of its Arrow bytes and its row count."""

    digest: str
    rows: int
    size: int  # Arrow bytes


def drawn_table(element: Element) -> Table | None:
    if element.WhichOneof("type") != "dataframe":
        return None
    frame = element.dataframe
    if frame.HasField("lazy_data"):  # rows fetched page by page; the first page comes along
        data = frame.lazy_data.initial_chunk.data
        rows = frame.lazy_data.row_count
    else:
        data = frame.arrow_data.data
        rows = pa.ipc.open_stream(data).read_all().num_rows if data else 0
    return Table(hashlib.blake2b(data, digest_size=8).hexdigest(), rows, len(data))


class MessageCache:
    """The front end's ForwardMsgCache: the cacheable messages received, by hash."""

    def __init__(self) -> None:
        self.runs = 0  # finished script runs
        self.entries: dict[str, tuple[bytes, int]] = {}  # hash -> (frame, run last used)

    def keep(self, msg: ForwardMsg, frame: bytes) -> None:
        if msg.metadata.cacheable and msg.hash:
            if msg.hash in self.entries:
                self.entries[msg.hash] = (self.entries[msg.hash][0], self.runs)
            else:
                self.entries[msg.hash] = (frame, self.runs)

    def resolve(self, ref: ForwardMsg) -> tuple[ForwardMsg, bytes]:
        """The message a {ref_hash} stands for, with the reference's metadata."""
        entry = self.entries.get(ref.ref_hash)
        if entry is None:
            raise StepError("message cache miss", f"ref_hash {ref.ref_hash}")
        self.entries[ref.ref_hash] = (entry[0], self.runs)
        msg = ForwardMsg.FromString(entry[0])
        msg.metadata.CopyFrom(ref.metadata)
        return msg, entry[0]

    def finished_run(self, max_age: int) -> None:
        self.runs += 1
        for key in [k for k, (_, used) in self.entries.items() if self.runs - used > max_age]:
            del self.entries[key]

    def hashes(self) -> list[str]:
        return list(self.entries)


@dataclass
class Run:
    """What one step brought: from the BackMsg sent to the last script_finished."""

    seconds: float = float("nan")
    status: str = ""  # of the last script_finished: "ok", "compile error"...
    reruns: int = 0  # runs that ended early for a rerun the script asked for
    exceptions: list[str] = field(default_factory=list)  # exception elements drawn, any run
    tables: list[Table] = field(default_factory=list)  # dataframes of the last run, in order
    page_not_found: str | None = None
    messages: int = 0
    size: int = 0  # frame bytes
    references: int = 0  # elements sent as {ref_hash} to this client's cache

    @property
    def table(self) -> Table | None:
        return self.tables[0] if self.tables else None

    @property
    def clean(self) -> bool:
        return self.status == "ok" and not self.exceptions and self.page_not_found is None


class View:
    """One browser tab's side of the protocol, without I/O: the BackMsgs it sends and what it
    keeps of the ForwardMsgs it receives."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cache = MessageCache()
        self.max_age = 2  # new_session.config.max_cached_message_age
        self.session_id = ""
        self.main_hash = ""
        self.page_hash = ""  # the current page's script hash
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash
        self.query = ""
        self.widgets: dict[str, Widget] = {}  # drawn by the last finished run
        self.run = Run()
        self._drawn: dict[str, Widget] = {}
        self._new_session = False

    # -- up ------------------------------------------------------------------------------------

    def rerun(self, states: Iterable[WidgetState], *, page_hash: str = "", page_name: str = "",
              query: str = "", path: str = "") -> bytes:
        self.run = Run()
        self._new_session = False
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = query
        client.page_script_hash = page_hash
        client.page_name = page_name
        client.widget_states.widgets.extend(states)
        client.cached_message_hashes.extend(self.cache.hashes())
        for key, value in CONTEXT.items():
            setattr(client.context_info, key, value)
        client.context_info.url = self.base + (path or "/") + (f"?{query}" if query else "")
        client.context_info.is_embedded = False
        return msg.SerializeToString()

    def load(self, path: str, query: str = "") -> bytes:
        """The first run of a page opened at `path` (below the base)."""
        self.query = query
        return self.rerun((), page_name=path.strip("/"), query=query, path=path)

    def switch(self, page: str) -> bytes:
        """A click on the navigation link to `page` (its url path, "" for the default page)."""
        if page not in self.pages:
            raise StepError("no such page in the navigation", page)
        kept = [w.state for w in self.widgets.values()
                if w.state is not None and w.script_hash == self.main_hash]
        self.query = ""
        return self.rerun(kept, page_hash=self.pages[page], path=f"/{page}")

    def change(self, label: str, value: str | bool | Sequence[str]) -> bytes:
        """The user sets the widget labelled `label` to `value`."""
        widget = self.widget(label)
        if widget.kind in ("selectbox", "radio") and value not in widget.options:
            raise StepError("no such option", f"{label}: {value!r}")
        widget.state = widget_state(widget.id, widget.kind, value)
        page = next((p for p, h in self.pages.items() if h == self.page_hash), "")
        return self.rerun([w.state for w in self.widgets.values() if w.state is not None],
                          page_hash=self.page_hash, query=self.query, path=f"/{page}")

    def widget(self, label: str) -> Widget:
        for widget in self.widgets.values():
            if widget.label == label:
                return widget
        raise StepError("no such widget on the page", label)

    # -- down ----------------------------------------------------------------------------------

    def receive(self, frame: bytes) -> bool:
        """Take one ForwardMsg; True once the step's last script_finished came."""
        msg = ForwardMsg.FromString(frame)
        self.run.messages += 1
        self.run.size += len(frame)
        if msg.WhichOneof("type") == "ref_hash":
            msg, frame = self.cache.resolve(msg)
            self.run.references += 1
        else:
            self.cache.keep(msg, frame)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._new_session = True
            session = msg.new_session
            self.session_id = session.initialize.session_id
            self.max_age = session.config.max_cached_message_age
            self.main_hash = session.main_script_hash
            self.page_hash = session.page_script_hash
            self._drawn = {}
            self.run.tables = []
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.run.page_not_found = msg.page_not_found.page_name or "(no name)"
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.metadata.active_script_hash)
        elif kind == "script_finished":
            self.run.status = STATUS.get(msg.script_finished, str(msg.script_finished))
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.run.reruns += 1
                return False
            self.widgets = self._drawn
            if self._new_session:
                self.cache.finished_run(self.max_age)
            return True
        return False

    def _element(self, element: Element, script_hash: str) -> None:
        if element.WhichOneof("type") == "exception":
            error = element.exception
            self.run.exceptions.append(("warning " if error.is_warning else "")
                                       + f"{error.type}: {error.message}"[:200])
            return
        table = drawn_table(element)
        if table is not None:
            self.run.tables.append(table)
        kind = element.WhichOneof("type")
        if kind in SCALAR_WIDGETS or kind == "multiselect":
            widget_id = getattr(element, kind).id
            held = self.widgets.get(widget_id) or self._drawn.get(widget_id)
            widget = drawn_widget(element, script_hash, held.state if held else None)
            if widget is not None:
                self._drawn[widget.id] = widget


# -- the network side -------------------------------------------------------------------------


async def http_get(host: str, port: int, path: str, cookie: str = "",
                   timeout: float = 30) -> tuple[int, dict[str, list[str]]]:
    """GET `path` over a fresh HTTP/1.1 connection: the status and the headers (lower-case
    names); the body is read and dropped."""

    async def fetch() -> tuple[int, dict[str, list[str]]]:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
                          f"Accept: */*\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "")
                          + "\r\n").encode("latin-1"))
            await writer.drain()
            answer = await reader.read()
        finally:
            writer.close()
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        parts = head[0].split()
        if len(parts) < 2 or not parts[1].isdigit():
            raise StepError("bad HTTP answer", f"GET {path}: {head[0][:80]!r}")
        headers: dict[str, list[str]] = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        return int(parts[1]), headers

    try:
        return await asyncio.wait_for(fetch(), timeout)
    except TimeoutError as error:
        raise StepError("timeout", f"GET {path}") from error
    except OSError as error:
        raise StepError("HTTP request failed", f"GET {path}: {error}") from error


class Visitor:
    """One visitor: a page load, then page switches and widget changes, each timed from the
    BackMsg sent to the last script_finished. Failures raise StepError; after one, `open`
    again (a fresh session, as a browser reload)."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout
        self.view = View(self.origin)
        self.socket: ClientConnection | None = None

    async def open(self, path: str = "/", query: str = "") -> tuple[float, Run]:
        """A page load: its HTTP requests and the websocket handshake (seconds, returned
        first), then the page's first run."""
        await self.close()
        self.view = View(self.origin)
        started = time.perf_counter()
        cookie = ""
        for url in (path + (f"?{query}" if query else ""), "/_stcore/health",
                    "/_stcore/host-config"):
            status, headers = await http_get(self.host, self.port, url, cookie, self.timeout)
            if status >= 400:
                raise StepError(f"HTTP {status}", f"GET {url}")
            for value in headers.get("set-cookie", ()):
                name, _, rest = value.partition("=")
                if name == XSRF_COOKIE:
                    cookie = f"{XSRF_COOKIE}={rest.split(';', 1)[0]}"
        token = cookie.partition("=")[2] or "PLACEHOLDER_AUTH_TOKEN"  # what the front end sends
        try:
            self.socket = await connect(
                f"ws://{self.host}:{self.port}{STREAM}", origin=Origin(self.origin),
                subprotocols=[Subprotocol("streamlit"), Subprotocol(token)],
                additional_headers={"Cookie": cookie} if cookie else None,
                open_timeout=self.timeout, ping_interval=None, max_size=None)
        except TimeoutError as error:
            raise StepError("timeout", "websocket handshake") from error
        except (OSError, InvalidHandshake) as error:
            raise StepError("websocket handshake failed", str(error)[:160]) from error
        connected = time.perf_counter() - started
        return connected, await self.step(self.view.load(path, query))

    async def switch(self, page: str) -> Run:
        return await self.step(self.view.switch(page))

    async def change(self, label: str, value: str | bool | Sequence[str]) -> Run:
        return await self.step(self.view.change(label, value))

    async def step(self, back: bytes) -> Run:
        if self.socket is None:
            raise StepError("not connected")
        deadline = time.perf_counter() + self.timeout
        started = time.perf_counter()
        try:
            await self.socket.send(back)
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError
                frame = await asyncio.wait_for(self.socket.recv(), left)
                if isinstance(frame, str):
                    raise StepError("text frame from the server", frame[:80])
                if self.view.receive(frame):
                    break
        except TimeoutError as error:
            raise StepError("timeout", f"no final script_finished within {self.timeout:.0f} s "
                            f"({self.view.run.messages} messages so far)") from error
        except ConnectionClosed as error:
            raise StepError("disconnected", f"close code {error.rcvd.code if error.rcvd else '-'}"
                            f" {error.rcvd.reason if error.rcvd else ''}".strip()) from error
        run = self.view.run
        run.seconds = time.perf_counter() - started
        return run

    async def close(self) -> None:
        socket, self.socket = self.socket, None
        if socket is not None:
            with suppress(TimeoutError, OSError, ConnectionClosed):
                await asyncio.wait_for(socket.close(), 5)
