"""benchmarks/ws_load.py without a server: the BackMsgs a visitor sends and what it keeps of the
ForwardMsgs it receives, in Streamlit's own protobuf messages."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
ws_load: Any = importlib.import_module("ws_load")

BASE = "http://127.0.0.1:8501"
MAIN, EXPLORER, GAPS = "hash-app", "hash-explorer", "hash-gaps"


def new_session(page: str = EXPLORER, max_age: int = 2) -> bytes:
    msg = ForwardMsg()
    msg.new_session.initialize.session_id = "session-1"
    msg.new_session.main_script_hash = MAIN
    msg.new_session.page_script_hash = page
    msg.new_session.config.max_cached_message_age = max_age
    return msg.SerializeToString()


def navigation(current: str = EXPLORER) -> bytes:
    msg = ForwardMsg()
    for name, path, script in (("Overview", "", "hash-overview"),
                               ("Explorer", "explorer", EXPLORER), ("Gaps", "gaps", GAPS)):
        page = msg.navigation.app_pages.add()
        page.page_name, page.url_pathname, page.page_script_hash = name, path, script
    msg.navigation.page_script_hash = current
    return msg.SerializeToString()


def element(script: str = EXPLORER, *, cacheable: bool = False, digest: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.active_script_hash = script
    msg.metadata.cacheable = cacheable
    msg.hash = digest
    msg.delta.new_element.SetInParent()
    return msg


def text_input(label: str, value: str, widget_id: str, script: str = EXPLORER) -> bytes:
    msg = element(script)
    box = msg.delta.new_element.text_input
    box.id, box.label, box.default, box.value, box.set_value = widget_id, label, "", value, True
    return msg.SerializeToString()


def selectbox(label: str, options: list[str], default: int, widget_id: str,
              script: str = EXPLORER) -> bytes:
    msg = element(script)
    box = msg.delta.new_element.selectbox
    box.id, box.label, box.default = widget_id, label, default
    box.options.extend(options)
    return msg.SerializeToString()


def dataframe(rows: int, *, cacheable: bool = False, digest: str = "") -> bytes:
    table = pa.table({"code": [f"5A{i:03d}" for i in range(rows)]})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    msg = element(cacheable=cacheable, digest=digest)
    msg.delta.new_element.dataframe.arrow_data.data = sink.getvalue().to_pybytes()
    return msg.SerializeToString()


def reference(digest: str) -> bytes:
    msg = ForwardMsg()
    msg.ref_hash = digest
    msg.metadata.active_script_hash = EXPLORER
    return msg.SerializeToString()


def finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> bytes:
    msg = ForwardMsg()
    msg.script_finished = status  # type: ignore[assignment]
    return msg.SerializeToString()


def query(text: str) -> bytes:
    msg = ForwardMsg()
    msg.page_info_changed.query_string = text
    return msg.SerializeToString()


def back(frame: bytes) -> BackMsg:
    return BackMsg.FromString(frame)


def feed(view: Any, *frames: bytes) -> bool:
    return [view.receive(frame) for frame in frames][-1]


def explorer_run(view: Any, rows: int = 3) -> None:
    assert feed(view, new_session(), navigation(), text_input("Search", "", "w-q"),
                selectbox("Reference list", ["WA", "EU"], 0, "w-ref"),
                selectbox("Main", ["a", "b"], 1, "w-main", script=MAIN), dataframe(rows),
                finished())


def test_first_load_asks_for_the_page_by_its_path() -> None:
    view = ws_load.View(BASE)
    msg = back(view.load("/explorer", "q=5A001"))
    assert msg.WhichOneof("type") == "rerun_script"
    client = msg.rerun_script
    assert (client.page_name, client.page_script_hash, client.query_string) == (
        "explorer", "", "q=5A001")
    assert client.context_info.url == f"{BASE}/explorer?q=5A001"
    assert not client.widget_states.widgets


def test_a_run_leaves_pages_widgets_and_tables() -> None:
    view = ws_load.View(BASE)
    view.load("/explorer")
    explorer_run(view, rows=3)
    assert view.pages == {"": "hash-overview", "explorer": EXPLORER, "gaps": GAPS}
    assert view.page_hash == EXPLORER and view.main_hash == MAIN
    assert view.widget("Search").value == ""
    assert view.widget("Reference list").value == "WA"  # its default, no value from the server
    assert view.run.clean and view.run.status == "ok"
    assert view.run.table is not None and view.run.table.rows == 3


def test_a_widget_change_sends_every_widget_and_the_query_string() -> None:
    view = ws_load.View(BASE)
    view.load("/explorer")
    explorer_run(view)
    view.receive(query("ref=WA"))
    client = back(view.change("Search", "intrusion software")).rerun_script
    states = {w.id: w for w in client.widget_states.widgets}
    assert states["w-q"].string_value == "intrusion software"
    assert states["w-ref"].string_value == "WA" and states["w-main"].string_value == "b"
    assert client.page_script_hash == EXPLORER and client.query_string == "ref=WA"
    with pytest.raises(ws_load.StepError):
        view.change("Reference list", "XX")  # not one of its options
    with pytest.raises(ws_load.StepError):
        view.change("No such label", "x")


def test_a_page_switch_keeps_only_the_main_scripts_widgets() -> None:
    view = ws_load.View(BASE)
    view.load("/explorer")
    explorer_run(view)
    view.receive(query("q=5A001"))
    client = back(view.switch("gaps")).rerun_script
    assert client.page_script_hash == GAPS and client.query_string == "" and not client.page_name
    assert [w.id for w in client.widget_states.widgets] == ["w-main"]
    with pytest.raises(ws_load.StepError):
        view.switch("nowhere")


def test_early_finish_for_a_rerun_does_not_end_the_step() -> None:
    view = ws_load.View(BASE)
    view.load("/")
    early = finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN)
    assert not feed(view, new_session(), dataframe(5), early)
    assert feed(view, new_session(), dataframe(2), finished())
    assert view.run.reruns == 1 and [t.rows for t in view.run.tables] == [2]


def test_exception_elements_and_script_errors_are_not_clean() -> None:
    view = ws_load.View(BASE)
    view.load("/")
    msg = element()
    msg.delta.new_element.exception.type = "KeyError"
    msg.delta.new_element.exception.message = "'lens'"
    assert feed(view, new_session(), msg.SerializeToString(), finished())
    assert view.run.exceptions == ["KeyError: 'lens'"] and not view.run.clean
    view.load("/")
    assert feed(view, new_session(), finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR))
    assert view.run.status == "compile error" and not view.run.clean


def test_cached_messages_come_back_as_references_until_they_expire() -> None:
    view = ws_load.View(BASE)
    view.load("/explorer")
    feed(view, new_session(max_age=1), navigation(),
         dataframe(4, cacheable=True, digest="big"), finished())
    first = view.run.table
    client = back(view.switch("explorer")).rerun_script
    assert list(client.cached_message_hashes) == ["big"]
    feed(view, new_session(max_age=1), reference("big"), finished())
    assert view.run.references == 1 and view.run.table == first
    for _ in range(2):  # two runs without it: older than max_cached_message_age
        view.switch("explorer")
        feed(view, new_session(max_age=1), finished())
    assert not back(view.switch("explorer")).rerun_script.cached_message_hashes
    with pytest.raises(ws_load.StepError, match="cache miss"):
        view.receive(reference("big"))


def test_tables_differ_by_content() -> None:
    view = ws_load.View(BASE)
    view.load("/explorer")
    feed(view, new_session(), dataframe(3), finished())
    three = view.run.table
    view.load("/explorer")
    feed(view, new_session(), dataframe(4), finished())
    assert three is not None and view.run.table is not None
    assert three.digest != view.run.table.digest and view.run.table.rows == 4
