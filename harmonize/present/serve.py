"""How the dashboard server is started: one command line and one environment, used by
`harmonize serve` (which `make run` calls), the browser tests and the UI benchmark.

Warm-up: `serve` starts a small helper process and then becomes the Streamlit server (same
process id, so a stop signal reaches Streamlit itself and no supervisor holds memory). The
helper waits until the server answers, asks it to run the app once with no visitor (Streamlit's
script health check), prints one line and exits; so the lists and their comparison are in memory
before the first visitor comes (a first visit after a start took ~3x a warm one,
benchmarks/bench_ui.py, "cold").

Memory (measured by benchmarks/bench_ui.py, section "references"): Streamlit runs each
session's script on a thread of its own, and glibc gives new threads malloc arenas of their own
that keep what was freed in them; the server grew by ~60 MB per reference list a visitor chose
while its live tables grew by ~20 MB. Capping the arenas must happen before the process starts
(glibc fixes the limit at the first extra arena), hence an environment variable here. Arrow's
allocator is switched to the system one inside the process (`use_system_arrow_allocator`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from harmonize.paths import app_script

APP = app_script()
ADDRESS = "127.0.0.1"  # loopback only: a team server is put behind a proxy on purpose
PORT = 8501
MALLOC_ARENAS = "2"


def command(script: Path = APP, port: int = PORT, python: str = sys.executable) -> list[str]:
    """`streamlit run` on loopback, headless, no usage statistics, no file watcher."""
    return [python, "-m", "streamlit", "run", str(script), "--server.address", ADDRESS,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


def serve_command(script: Path = APP, port: int = PORT, python: str = sys.executable,
                  allow_import: bool = False) -> list[str]:
    """`harmonize serve` for `script`: the server with its warm-up, as `make run` starts it."""
    return [python, "-m", "harmonize", "serve", "--script", str(script), "--port", str(port),
            *(["--allow-import"] if allow_import else [])]


READY_LINE = "harmonize serve: "  # the warm-up's one line on stderr (see `serve`)

# Importing from the dashboard (the Sources page). A served app (`harmonize serve`, `make run`)
# has it off unless started with --allow-import or with HARMONIZE_ALLOW_IMPORT=1; the owner's
# own `streamlit run app.py` on loopback keeps it; HARMONIZE_ALLOW_IMPORT=0 turns it off
# everywhere. Imports it allows run in a limited child process (harmonize.ingest.isolated).
ALLOW_IMPORT = "HARMONIZE_ALLOW_IMPORT"
SERVED = "HARMONIZE_SERVED"  # set by `serve` for the server it becomes
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def import_allowed(env: Mapping[str, str], address: str | None) -> bool:
    """Whether the dashboard offers imports: HARMONIZE_ALLOW_IMPORT decides when set; else a
    server started by `harmonize serve` does not, and a plain `streamlit run` does only when it
    listens on loopback (`address`: Streamlit's server.address)."""
    switch = env.get(ALLOW_IMPORT, "").strip().lower()
    if switch in _YES:
        return True
    if switch in _NO or env.get(SERVED) == "1":
        return False
    return (address or "") in LOOPBACK


def environment(base: Mapping[str, str] | None = None, *, served: bool = False,
                allow_import: bool = False) -> dict[str, str]:
    """`base` (default: this process's environment) with the malloc arena cap, unless the
    caller set one already; for a `served` app, marked as such, and with imports switched on
    when `allow_import` (else as the environment says, off by default: `import_allowed`)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)
    if served:
        env[SERVED] = "1"
    if allow_import:
        env[ALLOW_IMPORT] = "1"
    return env


def release_memory() -> None:
    """Hand memory freed by dropped caches back to the system: a full garbage collection (the
    server runs none after each script run, .streamlit/config.toml), then glibc's malloc_trim
    (Linux; nothing elsewhere). Without it, the server grew ~25 MB with every import
    (benchmarks/bench_ui.py, section 6)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def use_system_arrow_allocator() -> bool:
    """Arrow's default allocator (mimalloc) keeps freed pages for reuse: reading the parse
    caches left the process ~60 MB larger than with the system allocator (measured). True when
    this call switched it."""
    import pyarrow  # here, not at the top: the warm-up helper needs none of it

    if pyarrow.default_memory_pool().backend_name == "system":
        return False
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    return True


def serve(script: Path = APP, port: int = PORT, warm: bool = True,
          allow_import: bool = False) -> int:
    """Become the Streamlit server (never returns when it starts); with `warm`, a helper runs
    the app once as soon as the server answers; imports from the dashboard only with
    `allow_import` (or HARMONIZE_ALLOW_IMPORT=1)."""
    if not script.is_file():
        raise ValueError(f"{script}: no such app script (serve runs from a source checkout)")
    args = command(script, port)
    if warm:
        args += ["--server.scriptHealthCheckEnabled", "true"]
        # The helper learns this process id: after execve the server keeps it.
        subprocess.Popen([sys.executable, "-m", "harmonize.present.serve", f"http://{ADDRESS}:{port}",
                          str(os.getpid())], start_new_session=True)
    os.execve(args[0], args, environment(served=True, allow_import=allow_import))
    return 1  # pragma: no cover - execve does not return


def warm_up(base: str, server: int, timeout: float = 120) -> str:
    """Wait for the server at `base` (process id `server`) to answer, then have it run the app
    once; what happened, in one line (a failed warm-up only means the first visitor waits for
    the data)."""
    started = time.monotonic()
    while not answers(f"{base}/_stcore/health"):
        if not _alive(server):
            return f"the server (process {server}) stopped before answering"
        if time.monotonic() - started > timeout:
            return f"no answer within {timeout:.0f} s; not warmed up"
        time.sleep(0.1)
    ready = time.monotonic()
    if not answers(f"{base}/_stcore/script-health-check", timeout):
        return "the app's warm-up run failed or is not available; open the app to see why"
    return (f"ready on {base} in {time.monotonic() - started:.1f} s "
            f"(the app's first run, which loads the lists: {time.monotonic() - ready:.1f} s)")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def answers(url: str, timeout: float = 2) -> bool:
    """True when `url` answers 200 within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


if __name__ == "__main__":  # the warm-up helper `serve` starts: BASE_URL SERVER_PID
    print(f"{READY_LINE}{warm_up(sys.argv[1], int(sys.argv[2]))}", file=sys.stderr, flush=True)
