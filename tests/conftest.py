"""Shared test fixtures: where the real reference lists are, and a throw-away store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The real lists sit beside the project (../shared/sources); CI has them, a fresh laptop may not.
SHARED_SOURCES = Path(
    os.environ.get("HARMONIZE_SHARED_SOURCES", ROOT.parent / "shared" / "sources")
)


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    """The folder of real official lists; skips the test with a reason when it is absent."""
    if not SHARED_SOURCES.is_dir():
        pytest.skip(f"real lists not found at {SHARED_SOURCES} (set HARMONIZE_SHARED_SOURCES)")
    return SHARED_SOURCES


def shared_file(shared: Path, source_id: str, name: str) -> Path:
    """One real file, or a skip naming what is missing."""
    path = shared / source_id / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def real_store(shared_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every real list imported once per test process."""
    from harmonize.cli import main

    home = tmp_path_factory.mktemp("real-store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONIZE_HOME", str(home))
        assert main(["import", str(shared_sources), "--json"]) == 0
    return home


@pytest.fixture()
def store_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty store for one test (HARMONIZE_HOME points at it)."""
    home = tmp_path / "store"
    monkeypatch.setenv("HARMONIZE_HOME", str(home))
    return home
