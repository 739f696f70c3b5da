"""Imports from the dashboard run in a separate, limited process (harmonize.ingest.isolated)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

from harmonize.ingest import isolated, store
from tests.conftest import FIXTURES

TOY = (FIXTURES / "toy" / "toy-list.txt").read_text()


def test_a_plain_import_succeeds_and_reports_sources(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "eu-annex-i"
    folder.mkdir(parents=True)
    (folder / "annex.md").write_text(
        (FIXTURES / "eu-annex-i" / "annex_sample.md").read_text())
    home = tmp_path / "store"
    result = isolated.import_isolated(tmp_path / "in", home=home)
    # the hand-made sample is too small for the real list's expected counts: a clear failure
    assert not result.ok and "eu-annex-i" in result.message and "failed" in result.message
    assert [s["source_id"] for s in result.sources] == ["eu-annex-i"]
    assert not (home / store.MANIFEST).exists()


def test_a_folder_holding_no_list_says_nothing_imported(tmp_path: Path) -> None:
    (tmp_path / "in" / "holiday-photos").mkdir(parents=True)
    result = isolated.import_isolated(tmp_path / "in", home=tmp_path / "store")
    assert not result.ok and not result.stopped
    assert result.message.startswith("nothing imported")


# Loaded by the child at start-up; allocates 4 GiB when the import command is loaded, that is
# after the child has set its limits.
HOG = """
import builtins
_real_import = builtins.__import__
def _hog(name, *args, **kwargs):
    module = _real_import(name, *args, **kwargs)
    if name == "harmonize.cli":
        builtins.blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]
    return module
builtins.__import__ = _hog
"""


def test_a_child_over_its_memory_limit_is_stopped_and_the_server_does_not_grow(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child allocates far past its cap (what a decompression bomb does); it is stopped
    with a message naming the limit, and this process's peak memory does not move."""
    (tmp_path / "sitecustomize.py").write_text(HOG)
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    (tmp_path / "in").mkdir()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = isolated.import_isolated(tmp_path / "in", home=tmp_path / "store",
                                      memory=1536 * 1024 * 1024)
    assert not result.ok and result.stopped
    assert "more than 1536 MB of memory" in result.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB


def test_a_child_that_hangs_is_stopped_by_the_clock(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sitecustomize.py").write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    (tmp_path / "in").mkdir()
    result = isolated.import_isolated(tmp_path / "in", home=tmp_path / "store",
                                      wall_seconds=3)
    assert not result.ok and result.stopped and "longer than 3 s" in result.message


def test_messages_for_visitors_carry_no_server_paths() -> None:
    result = isolated.IsolatedImport(
        False, "1 failed: wassenaar: /srv/secret/lists/wassenaar/list.pdf: not a PDF")
    assert result.public_message() == "1 failed: wassenaar: list.pdf: not a PDF"
    assert isolated.without_paths("see /etc/passwd and /tmp/x/") == "see passwd and x"
