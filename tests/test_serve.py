"""The server launch: loopback, the memory settings, and a clear error off a source checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow
import pytest

from harmonize import cli, serve


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
    code = ("import pyarrow; from harmonize import serve; "
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
