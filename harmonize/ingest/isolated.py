"""Imports run in a separate, memory- and time-limited process.

The dashboard must never parse an untrusted file inside the server: a decompression bomb, a
file that hangs a parser or a parser's memory growth would take every visitor's session with
it. `import_isolated` runs `harmonize import PATH --json` as a child process with an address-
space limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock timeout, and reads its
JSON answer. Whatever the child does, the server's memory does not grow with it; the store stays
consistent because every write of an import is atomic (see store.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEMORY_LIMIT_BYTES = 3 * 1024 * 1024 * 1024  # the largest real import peaks near 1 GB
CPU_LIMIT_SECONDS = 600
WALL_LIMIT_SECONDS = 900


@dataclass
class IsolatedImport:
    """What an import in a child process did."""

    ok: bool  # the child finished and every source it saw imported (or was cached/skipped)
    message: str  # one line for a person: what happened, or why it stopped
    sources: list[dict[str, Any]] = field(default_factory=list)  # the child's outcomes
    stopped: bool = False  # a limit (memory, CPU, the clock) ended the child

    def public_message(self) -> str:
        """The message without server paths (a visitor sees file names only)."""
        return without_paths(self.message)


def without_paths(text: str) -> str:
    """Absolute paths in a message replaced by their last part (`/srv/x/list.pdf` -> `list.pdf`)."""
    return _PATH.sub(lambda m: m.group().rstrip("/").rsplit("/", 1)[-1] or "/", text)


# The child sets its own limits first thing (a `preexec_fn` is unsafe in a threaded server).
CHILD = """
import resource, sys
memory, cpu = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
from harmonize.cli import main
sys.exit(main(sys.argv[3:]))
"""
# How running out of address space shows in a Python child
MEMORY_SIGNS = ("MemoryError", "failed to map segment", "Cannot allocate memory",
                "std::bad_alloc")
_PATH = re.compile(r"(?:/[^\s/:'\"]+)+/?")


def import_isolated(path: Path, *, home: Path, memory: int = MEMORY_LIMIT_BYTES,
                    cpu_seconds: int = CPU_LIMIT_SECONDS,
                    wall_seconds: float = WALL_LIMIT_SECONDS) -> IsolatedImport:
    """Import a folder or bundle into the store at `home` in a limited child process."""
    command = [sys.executable, "-c", CHILD, str(memory), str(cpu_seconds),
               "import", str(path), "--json"]
    env = {**os.environ, "HARMONIZE_HOME": str(home)}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=wall_seconds, check=False)
    except subprocess.TimeoutExpired:
        return IsolatedImport(False, f"the import took longer than {wall_seconds:.0f} s and "
                                     "was stopped; nothing of it was kept", stopped=True)
    return _outcome(done.returncode, done.stdout, done.stderr, memory, cpu_seconds)


def _outcome(returncode: int, stdout: str, stderr: str, memory: int,
             cpu_seconds: int) -> IsolatedImport:
    """Read the child's answer; name the limit when the child was stopped by one."""
    try:
        payload = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        payload = None
    sources = list(payload.get("sources", [])) if isinstance(payload, dict) else []
    if returncode < 0 or payload is None:
        last = (stderr.strip().splitlines() or [""])[-1]
        limit = True  # whether one of the child's limits ended it
        if returncode == -24 or "CPU time" in last:  # SIGXCPU
            reason = f"it used more than {cpu_seconds} s of CPU"
        elif returncode == -9 or any(sign in stderr for sign in MEMORY_SIGNS):
            reason = f"it needed more than {memory // (1024 * 1024)} MB of memory"
        else:  # the command refused the path (missing, not a bundle...): no limit involved
            reason, limit = last[-300:] or f"exit status {returncode}", False
        return IsolatedImport(False, f"the import was stopped: {reason}; nothing of it was "
                                     "kept", sources, stopped=limit)
    imported = [s for s in sources if s.get("status") in ("imported", "cached")]
    failed = [s for s in sources if s.get("status") == "failed"]
    if not sources or (not imported and not failed):
        return IsolatedImport(False, "nothing imported: the folder holds no list this tool "
                                     "reads", sources)
    message = f"{len(imported)} source(s) imported"
    if failed:
        message += f"; {len(failed)} failed: " + "; ".join(
            f"{s.get('source_id')}: {s.get('message', '')}"[:200] for s in failed)
    return IsolatedImport(not failed, message, sources)
