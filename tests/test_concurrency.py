"""Readers see the old or the new version of a source, never a mix; a killed import loses
nothing (the manifest is replaced atomically and parse files are never overwritten)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from harmonize.ingest import store
from tests.conftest import FIXTURES, ROOT
from tests.toy_loader import registry as sources

TOY = (FIXTURES / "toy" / "toy-list.txt").read_text()


def _state(root: Path) -> tuple[str, int]:
    """What a reader sees: the manifest's version and the row count of the parsed list."""
    manifest, frame = store.load_snapshot(root)
    [lst] = manifest["sources"]["toy-list"]["lists"]
    assert (frame["version"] == lst["version"]).all(), "rows from another version than listed"
    return lst["version"], len(frame)


def test_readers_see_old_or_new_never_a_mix(tmp_path: Path, store_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    old = TOY
    new = TOY.replace("2025-03-01", "2025-09-01") + "5A002 Second widgets.\na. Blue ones.\n"
    (folder / "toy-list.txt").write_text(old)
    store.import_source("toy-list", folder, registry=sources())
    allowed = {_state(store_home)}
    seen: set[tuple[str, int]] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add(_state(store_home))
            except BaseException as error:  # collected and failed below
                errors.append(error)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_number in range(12):
            text = new if round_number % 2 == 0 else old
            (folder / "toy-list.txt").write_text(text)
            store.import_source("toy-list", folder, registry=sources())
            allowed.add(_state(store_home))
    finally:
        stop.set()
        reader.join(timeout=30)
    assert not errors, errors
    assert len(allowed) == 2 and seen <= allowed and seen


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _big_toy_list(version: str, depth3: int) -> tuple[str, int]:
    """A valid toy list of one entry, paragraphs a.-z., a.1.-a.99. and `depth3` lettered
    sub-paragraphs under each of those: seconds to parse and write, so a kill can land while
    the import works. Returns the text and the number of rows it parses into."""
    lines = [f"Version: {version}", "5A001 Telecommunication widgets, as follows:"]
    for letter in LETTERS:
        lines.append(f"{letter}. Widgets of kind {letter}:")
        for number in range(1, 100):
            lines.append(f"{number}. Widgets {letter}{number} having any of the following:")
            lines.extend(f"{sub}. A frequency above {number} GHz for {letter}{number}{sub};"
                         for sub in LETTERS[:depth3])
    return "\n".join(lines) + "\n", 1 + 26 * 99 * (depth3 + 1) + 26


IMPORT_WITH_TOY = ("import sys; from tests.toy_loader import registry; from harmonize.cli "
                   "import main; sys.exit(main(sys.argv[1:], registry=registry()))")


def _writing(store_home: Path) -> bool:
    """A temporary file of the store is on disk: the import is writing a parse or the
    manifest."""
    return any(p.name.startswith(".") and p.name.endswith(".tmp") for p in store_home.rglob("*"))


@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_killed_import_loses_nothing(moment: str, tmp_path: Path, store_home: Path) -> None:
    """SIGKILL a real `harmonize import` of a new version while it parses, or as soon as it has
    started writing: readers then see the old version whole, and the next import completes."""
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    (folder / "toy-list.txt").write_text(_big_toy_list("2025-03-01", 1)[0])
    env = {**os.environ, "HARMONIZE_HOME": str(store_home),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-c", IMPORT_WITH_TOY, "import", str(folder.parent), "--json"]
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    old_state, old_manifest = _state(store_home), (store_home / store.MANIFEST).read_bytes()
    new_text, new_rows = _big_toy_list("2025-09-01", 26)
    (folder / "toy-list.txt").write_text(new_text)

    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        if moment == "parsing":
            time.sleep(1.5)  # the interpreter is up and reading; nothing written yet
            assert not _writing(store_home), "already writing: make the list larger"
        else:
            while not _writing(store_home):
                assert process.poll() is None, "the import ended before it wrote anything"
                assert time.monotonic() < deadline, "the import never started writing"
                time.sleep(0.002)
        assert process.poll() is None, "the import finished before the kill"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    assert (store_home / store.MANIFEST).read_bytes() == old_manifest
    assert _state(store_home) == old_state  # every listed parse file is there and whole
    # A killed writer may leave a temporary file behind; it is never a file the store reads.
    assert all(p.name.startswith(".") for p in store_home.rglob("*.tmp"))
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    assert _state(store_home) == ("2025-09-01", new_rows)


# The importing process stops itself just before it renames a written temporary file over the
# file named in HZ_PAUSE_BEFORE (a suffix), says so in HZ_PAUSED, and waits to be killed: the
# SIGKILL then lands exactly in the window between writing and replacing, every time.
PAUSING_IMPORT = """
import os, sys, time, pathlib
real_replace = os.replace
def pausing_replace(src, dst, *args, **kwargs):
    if str(dst).endswith(os.environ['HZ_PAUSE_BEFORE']):
        note = pathlib.Path(os.environ['HZ_PAUSED'] + '.part')
        note.write_text(str(src))
        real_replace(note, os.environ['HZ_PAUSED'])  # whole when it appears
        time.sleep(60)
    return real_replace(src, dst, *args, **kwargs)
os.replace = pausing_replace
from harmonize.cli import main
from tests.toy_loader import registry
sys.exit(main(sys.argv[1:], registry=registry()))
"""


@pytest.mark.parametrize("target", [store.MANIFEST, ".parquet"])
def test_import_killed_between_write_and_rename_keeps_the_old_version(
        target: str, tmp_path: Path, store_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in" / "toy-list"
    folder.mkdir(parents=True)
    (folder / "toy-list.txt").write_text(TOY)
    store.import_source("toy-list", folder, registry=sources())
    old_state, old_manifest = _state(store_home), (store_home / store.MANIFEST).read_bytes()
    (folder / "toy-list.txt").write_text(
        TOY.replace("2025-03-01", "2025-09-01") + "5A002 Second widgets.\na. Blue ones.\n")

    paused = tmp_path / "paused"
    env = {**os.environ, "HARMONIZE_HOME": str(store_home), "HZ_PAUSE_BEFORE": target,
           "HZ_PAUSED": str(paused),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-c", PAUSING_IMPORT, "import",
                                str(folder.parent), "--json"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not paused.exists():
            assert process.poll() is None, "the import ended before the pause"
            assert time.monotonic() < deadline, "the import never reached the pause"
            time.sleep(0.05)
        written = Path(paused.read_text())
        assert written.is_file()  # the new file is whole on disk, not yet in place
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    assert (store_home / store.MANIFEST).read_bytes() == old_manifest
    assert _state(store_home) == old_state  # readers still see the old version, whole
    # and the next import completes over the leftovers
    store.import_source("toy-list", folder, registry=sources())
    assert _state(store_home)[0] == "2025-09-01"
