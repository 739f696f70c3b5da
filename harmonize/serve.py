"""How the dashboard server is started: one command line and one environment, used by
`harmonize serve` (which `make run` calls), the browser tests and the UI benchmark.

Memory (measured by benchmarks/bench_ui.py, section "references"): Streamlit runs each
session's script on a thread of its own, and glibc gives new threads malloc arenas of their own
that keep what was freed in them; the server grew by ~60 MB per reference list a visitor chose
while its live tables grew by ~20 MB. Capping the arenas must happen before the process starts
(glibc fixes the limit at the first extra arena), hence an environment variable here. Arrow's
allocator is switched to the system one inside the process (`use_system_arrow_allocator`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pyarrow

APP = Path(__file__).resolve().parent.parent / "app.py"
ADDRESS = "127.0.0.1"  # loopback only: a team server is put behind a proxy on purpose
PORT = 8501
MALLOC_ARENAS = "2"


def command(script: Path = APP, port: int = PORT, python: str = sys.executable) -> list[str]:
    """`streamlit run` on loopback, headless, no usage statistics, no file watcher."""
    return [python, "-m", "streamlit", "run", str(script), "--server.address", ADDRESS,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the malloc arena cap, unless the
    caller set one already."""
    env = dict(os.environ if base is None else base)
    env.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)
    return env


def use_system_arrow_allocator() -> bool:
    """Arrow's default allocator (mimalloc) keeps freed pages for reuse: reading the parse
    caches left the process ~60 MB larger than with the system allocator (measured). True when
    this call switched it."""
    if pyarrow.default_memory_pool().backend_name == "system":
        return False
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    return True


def serve(script: Path = APP, port: int = PORT) -> int:
    """Replace this process with the Streamlit server (never returns when it starts)."""
    if not script.is_file():
        raise ValueError(f"{script}: no such app script (serve runs from a source checkout)")
    args = command(script, port)
    os.execve(args[0], args, environment())
    return 1  # pragma: no cover - execve does not return
