"""The server launch: loopback, the memory settings, and a clear error off a source checkout."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pyarrow
import pytest

from harmonize import cli
from harmonize.present import serve


def test_command_serves_the_app_on_loopback_only() -> None:
    args = serve.command(port=9123)
    assert args[args.index("--server.address") + 1] == "127.0.0.1"
    assert args[args.index("--server.port") + 1] == "9123"
    assert Path(args[args.index("run") + 1]) == serve.APP and serve.APP.is_file()


def test_environment_caps_malloc_arenas_unless_the_operator_chose() -> None:
    assert serve.environment({"PATH": "/bin"}) == {"PATH": "/bin", "MALLOC_ARENA_MAX": "2"}
    assert serve.environment({"MALLOC_ARENA_MAX": "8"})["MALLOC_ARENA_MAX"] == "8"


def test_arrow_allocator_switch_in_a_fresh_process() -> None:
    # A fresh interpreter: this test process's pool may already be switched by app tests.
    code = ("import pyarrow; from harmonize.present import serve; "
            "print(pyarrow.default_memory_pool().backend_name, serve.use_system_arrow_allocator(),"
            " pyarrow.default_memory_pool().backend_name, serve.use_system_arrow_allocator())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[1:] == ["True", "system", "False"]
    assert out[0] != "system"
    assert pyarrow.system_memory_pool().backend_name == "system"


def test_serve_without_the_app_script_names_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no-app\.py: no such app script"):
        serve.serve(tmp_path / "no-app.py")


def test_cli_has_serve_with_a_port() -> None:
    args = cli.build_parser().parse_args(["serve", "--port", "9000"])
    assert args.port == 9000 and args.func is cli.cmd_serve


class _Answers(http.server.BaseHTTPRequestHandler):
    """Answers the health check; the script health check only when the class says so."""

    script_ok = True
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        ok = self.path == "/_stcore/health" or (
            self.path == "/_stcore/script-health-check" and self.script_ok)
        self.send_response(200 if ok else 503)
        self.end_headers()
        self.wfile.write(b"ok" if ok else b"error")

    def log_message(self, *args: object) -> None:
        pass


def _fake_server(script_ok: bool) -> tuple[http.server.HTTPServer, str]:
    _Answers.script_ok, _Answers.seen = script_ok, []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.mark.parametrize("script_ok", [True, False])
def test_warm_up_runs_the_app_once_after_the_server_answers(script_ok: bool) -> None:
    httpd, base = _fake_server(script_ok)
    try:
        report = serve.warm_up(base, os.getpid(), timeout=10)
    finally:
        httpd.shutdown()
    assert _Answers.seen[0] == "/_stcore/health"
    assert _Answers.seen[-1] == "/_stcore/script-health-check"
    assert report.startswith(f"ready on {base}") if script_ok else "warm-up run failed" in report


def test_warm_up_says_when_the_server_died() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    report = serve.warm_up("http://127.0.0.1:9", process.pid, timeout=10)
    assert report == f"the server (process {process.pid}) stopped before answering"


def test_warm_up_helper_prints_its_report_line() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    done = subprocess.run([sys.executable, "-m", "harmonize.present.serve", "http://127.0.0.1:9",
                           str(dead.pid)], capture_output=True, text=True, timeout=60)
    assert done.stderr.startswith(serve.READY_LINE + "the server (process")


def test_serve_command_is_the_cli() -> None:
    args = serve.serve_command(Path("x.py"), 9001, python="py")
    assert args == ["py", "-m", "harmonize", "serve", "--script", "x.py", "--port", "9001"]
    parsed = cli.build_parser().parse_args([*args[3:], "--no-warm-up"])
    assert parsed.script == "x.py" and parsed.port == 9001 and parsed.no_warm_up


@pytest.mark.parametrize(("env", "address", "allowed"), [
    ({}, "127.0.0.1", True),  # the owner's own `streamlit run app.py` (the project's config)
    ({}, "0.0.0.0", False),  # listening beyond loopback
    ({}, None, False),  # Streamlit's default: every interface
    ({serve.SERVED: "1"}, "127.0.0.1", False),  # `harmonize serve`
    ({serve.SERVED: "1", serve.ALLOW_IMPORT: "1"}, "127.0.0.1", True),  # --allow-import
    ({serve.ALLOW_IMPORT: "yes"}, "0.0.0.0", True),
    ({serve.ALLOW_IMPORT: "0"}, "127.0.0.1", False),  # off everywhere
    ({serve.ALLOW_IMPORT: "maybe", serve.SERVED: "1"}, "127.0.0.1", False),
])
def test_import_switch(env: dict[str, str], address: str | None, allowed: bool) -> None:
    assert serve.import_allowed(env, address) is allowed


def test_serve_marks_its_server_and_passes_the_switch() -> None:
    served = serve.environment({"PATH": "/bin"}, served=True)
    assert served[serve.SERVED] == "1" and serve.ALLOW_IMPORT not in served
    assert not serve.import_allowed(served, "127.0.0.1")
    opened = serve.environment({"PATH": "/bin"}, served=True, allow_import=True)
    assert serve.import_allowed(opened, "127.0.0.1")
    assert serve.serve_command(port=1)[-1] != "--allow-import"
    assert serve.serve_command(port=1, allow_import=True)[-1] == "--allow-import"
    args = cli.build_parser().parse_args(["serve", "--allow-import", "--no-warm-up"])
    assert args.allow_import is True
    assert cli.build_parser().parse_args(["serve"]).allow_import is False
