"""The store and the CLI on a hand-written list (no real publisher format involved)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import loaders
from harmonize.cli import main
from harmonize.ingest import store
from tests.conftest import FIXTURES
from tests.toy_loader import registry as sources


@pytest.fixture()
def toy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_home: Path) -> Path:
    # Entry points that build the registry themselves (the Sources page) see the toy list too.
    monkeypatch.setattr(loaders, "registry", sources)
    src = tmp_path / "in"
    (src / "toy-list").mkdir(parents=True)
    shutil.copy(FIXTURES / "toy" / "toy-list.txt", src / "toy-list" / "toy-list.txt")
    (src / "unknown-source").mkdir()
    return src


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*argv, "--json"], registry=sources())
    return code, json.loads(capsys.readouterr().out)


def test_import_status_list_lookup(toy_dir: Path, store_home: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "import", str(toy_dir))
    assert code == 0
    by_id = {s["source_id"]: s for s in out["sources"]}
    assert by_id["toy-list"]["status"] == "imported"
    assert by_id["unknown-source"]["status"] == "skipped"

    code, status = run_json(capsys, "status")
    [row] = status["sources"]
    assert (row["id"], row["version"], row["entries"], row["paragraphs"]) == (
        "toy-list", "2025-03-01", 3, 4)
    raw = store_home / row["raw_file"]
    assert store.sha256_file(raw) == row["sha256"]

    code, listing = run_json(capsys, "list", "toy-list")
    codes = [r["canonical"] for r in listing["rows"]]
    assert codes[:4] == ["5A001", "5A001.a", "5A001.a.1", "5A001.a.2"]
    assert {r["kind"] for r in listing["rows"]} == {"entry", "paragraph", "note"}

    code, found = run_json(capsys, "lookup", "5. A. 1. a. 2.")
    assert code == 0 and found["canonical"] == "5A001.a.2"
    [match] = found["matches"]
    assert match["citation"] == "Toy List, 5A001.a.2"
    assert match["notes"][0]["text"].startswith("5A001.a.2 applies only")

    # 9A001.a: category 9 is not detailed in this copy -> never reported absent.
    _, silent = run_json(capsys, "lookup", "9A001.a")
    assert silent["absent_in"] == [] and silent["not_detailed_in"] == ["toy-list"]
    _, missing = run_json(capsys, "lookup", "5A001.c")
    assert missing["absent_in"] == ["toy-list"]


def test_second_import_uses_the_cache(toy_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "import", str(toy_dir))
    _, again = run_json(capsys, "import", str(toy_dir))
    assert {s["source_id"]: s["status"] for s in again["sources"]}["toy-list"] == "cached"


def test_failed_source_keeps_previous_snapshot(toy_dir: Path, store_home: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "import", str(toy_dir))
    before = (store_home / "manifest.json").read_bytes()
    (toy_dir / "toy-list" / "toy-list.txt").write_text("no version here\n5A001 X\n")
    code, out = run_json(capsys, "import", str(toy_dir))
    assert code == 1
    failed = {s["source_id"]: s for s in out["sources"]}["toy-list"]
    assert failed["status"] == "failed"
    assert "toy-list.txt: line 1: no 'Version" in failed["message"]
    assert (store_home / "manifest.json").read_bytes() == before


def test_reconciliation_failure_names_the_heading(toy_dir: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # "5A002 " with nothing after it: the raw heading count sees it, the segmenter does not
    # (its heading pattern needs text), so the import must fail loudly and name the place.
    path = toy_dir / "toy-list" / "toy-list.txt"
    path.write_text("Version: 2025-03-01\n5A001 Widgets\n5A002 \n5A003 Gizmos\n")
    code, out = run_json(capsys, "import", str(toy_dir))
    assert code == 1
    message = {s["source_id"]: s for s in out["sources"]}["toy-list"]["message"]
    assert "entry headings" in message and "5A002 (line 3)" in message


def test_status_when_empty(store_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status"]) == 0
    assert "Nothing loaded" in capsys.readouterr().out


def test_python_module_entry_point() -> None:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "harmonize", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("harmonize ")


def test_first_run_imports_the_named_folder_once(toy_dir: Path, store_home: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HARMONIZE_IMPORT_DIR", str(toy_dir))
    assert main(["first-run"], registry=sources()) == 0
    assert "importing" in capsys.readouterr().out
    assert set(store.read_manifest()["sources"]) == {"toy-list"}
    assert main(["first-run"], registry=sources()) == 0  # a filled store is left alone
    assert "1 source(s) loaded" in capsys.readouterr().out


def test_first_run_offline_says_what_to_do(store_home: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HARMONIZE_IMPORT_DIR", raising=False)
    assert main(["first-run", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "No list could be loaded" in out and "HARMONIZE_IMPORT_DIR=" in out


def test_the_collector_is_paused_during_a_parse_and_restored(
        toy_dir: Path, store_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from tests import toy_loader

    seen: list[bool] = []
    real_parse = toy_loader.parse

    def spying(path: Path):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real_parse(path)

    monkeypatch.setattr(toy_loader, "parse", spying)
    assert gc.isenabled()
    assert store.import_dir(toy_dir, registry=sources())[0].status == "imported"
    assert seen == [False] and gc.isenabled()  # the pause itself: tests/test_collector.py
