"""Party lists in the store and on the command line: snapshots with sha256, the parse cache,
the manifest's parties section, the cross-check of the derived US copy, `harmonize import`
and `harmonize parties --json`, and the Parties page with AppTest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from harmonize.cli import main
from harmonize.ingest import parties_store, store
from loaders.party_lists import readers

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parties"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture()
def party_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_import_snapshots_parses_and_cross_checks(party_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    outcomes = parties_store.import_party_dir(party_dir, readers(), root)
    assert {o.source_id: o.status for o in outcomes} == {
        "us-ear-744": "imported", "us-entity-list": "imported",
        "eu-restrictive-measures": "imported"}
    manifest = store.read_manifest(root)
    assert manifest["sources"] == {}  # control lists untouched
    us = manifest["parties"]["us-ear-744"]
    assert us["files"][0]["sha256"] == store.sha256_file(
        party_dir / "us-ear-744" / "title-15-part-744-2026-07-23.xml")
    assert (root / us["files"][0]["raw_file"]).is_file()
    assert us["unplaced"] == 1 and us["lists"][0]["records"] == 10
    assert parties_store.load_unplaced("us-ear-744", root)[0]["reason"].startswith("3 cells")
    check = manifest["parties"]["us-entity-list"]["cross_check"]
    entity = check["lists"]["us-entity-list"]
    assert (entity["original_entries"], entity["copy_entries"]) == (8, 3)
    assert entity["examples_only_in_copy"] == ["An Entity Only The Copy Has"]
    assert "cross-check with us-ear-744" in outcomes[-1].message
    # The derived copy does not make parties while the XML is loaded.
    assert parties_store.primary_sources(manifest) == ["eu-restrictive-measures", "us-ear-744"]
    again = parties_store.import_party_dir(party_dir, readers(), root)
    assert {o.status for o in again} == {"cached"}


def test_a_failing_source_leaves_the_others(party_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    parties_store.import_party_dir(party_dir, readers(), root)
    (party_dir / "us-ear-744" / "title-15-part-744-2026-07-23.xml").write_text(
        "<DIV5>", encoding="utf-8")
    outcomes = {o.source_id: o for o in parties_store.import_party_dir(party_dir, readers(),
                                                                        root)}
    assert outcomes["us-ear-744"].status == "failed"
    assert "not well-formed" in outcomes["us-ear-744"].message
    assert outcomes["eu-restrictive-measures"].status == "cached"
    kept = store.read_manifest(root)["parties"]["us-ear-744"]
    assert (root / "parsed" / kept["parsed_file"]).is_file()  # the previous snapshot stays


def test_cli_import_and_parties_json(party_dir: Path, store_home: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(party_dir), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    statuses = {s["source_id"]: s["status"] for s in imported["sources"]}
    assert statuses["us-ear-744"] == "imported"  # not "skipped: no loader"
    assert main(["parties", "--query", "example technologies", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["parties"]) == 1
    party = payload["parties"][0]
    assert set(party) >= {"id", "name", "aliases", "country", "listings", "matched_by"}
    assert {x["jurisdiction"] for x in party["listings"]} == {"US", "EU"}
    assert {x["list"] for x in party["listings"]} == {"us-entity-list", "eu-32014R0269"}
    assert party["matched_by"] and all("score" in x and "names" in x
                                       for x in party["matched_by"])
    assert main(["parties", "--lists", "us-meu-list", "--json"]) == 0
    meu = json.loads(capsys.readouterr().out)
    assert {p["name"] for p in meu["parties"]} == {"Academy of Sample Propulsion (ASP)",
                                                   "AECR Power Co. Ltd."}
    assert main(["parties", "--only", "EU", "--json"]) == 0
    only_eu = json.loads(capsys.readouterr().out)
    assert all(p["jurisdictions"] == ["EU"] for p in only_eu["parties"])
    assert main(["parties", "--lens", "nope", "--json"]) == 2


def test_first_run_imports_the_party_lists_too(party_dir: Path, store_home: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`make run` on an empty store with HARMONIZE_IMPORT_DIR: the Parties page has its data."""
    monkeypatch.setenv("HARMONIZE_IMPORT_DIR", str(party_dir))
    assert main(["first-run"]) == 0
    capsys.readouterr()
    assert main(["parties", "--query", "example technologies", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["parties"]) == 1


def test_parties_command_without_party_lists(store_home: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parties", "--json"]) == 2
    assert "no party list loaded" in capsys.readouterr().err


def test_parties_page(party_dir: Path, store_home: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "parties"
    at.run()
    assert not at.exception
    assert "No party list is loaded" in " ".join(i.value for i in at.info)
    assert main(["import", str(party_dir), "--json"]) == 0
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "parties"
    at.query_params["q"] = "example technologies"
    at.run()
    assert not at.exception
    assert at.text_input(key="parties.q").value == "example technologies"
    frames = [f.value for f in at.dataframe]
    assert any("Example Group PJSC" in " ".join(map(str, f.get("aliases", [])))
               or "Aktsionernoe Obshchestvo Primer Teknolodzhiz" in set(f.get("party", []))
               for f in frames)
