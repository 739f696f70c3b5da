"""The real lists end to end: `harmonize import ../shared/sources`, then status and lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harmonize.cli import main

pytestmark = pytest.mark.integration

MAIN_LISTS = ("us-ccl", "eu-annex-i", "wassenaar")


@pytest.fixture(scope="module")
def imported(real_store: Path) -> Path:
    return real_store


def run(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> dict:  # type: ignore[type-arg]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONIZE_HOME", str(home))
        capsys.readouterr()
        main([*argv, "--json"])
    return dict(json.loads(capsys.readouterr().out))


def test_status_lists_every_source_with_counts(imported: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    status = {s["id"]: s for s in run(capsys, imported, "status")["sources"]}
    assert set(MAIN_LISTS) <= set(status)
    assert status["us-ccl"]["entries"] == 633
    assert status["us-ccl"]["version"] == "2026-07-23"
    assert status["wassenaar"]["version"] == "2026-01-15"
    for row in status.values():
        assert len(row["sha256"]) == 64 and row["imported_at"].endswith("Z")
        assert row["entries"] > 0


@pytest.mark.parametrize(
    "query", ["5.A.1.j.1.a", "5A001j1a", "5. A. 1. j. 1. a.", "1-5.A.1.j.1.a."]
)
def test_same_paragraph_in_the_three_lists(imported: Path, capsys: pytest.CaptureFixture[str],
                                           query: str) -> None:
    found = run(capsys, imported, "lookup", query)
    assert found["canonical"] == "5A001.j.1.a"
    sources = {m["source"] for m in found["matches"]}
    assert set(MAIN_LISTS) <= sources
    for match in found["matches"]:
        assert "application layer" in match["text"].lower()


@pytest.mark.parametrize("code", ["4A005", "4D004", "5A001.j"])
def test_surveillance_entries_in_the_three_lists(imported: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 code: str) -> None:
    found = run(capsys, imported, "lookup", code)
    assert set(MAIN_LISTS) <= {m["source"] for m in found["matches"]}


@pytest.mark.parametrize("code", ["3A090", "0D521"])
def test_us_only_codes(imported: Path, capsys: pytest.CaptureFixture[str], code: str) -> None:
    found = run(capsys, imported, "lookup", code)
    assert [m["source"] for m in found["matches"]] == ["us-ccl"]
    assert found["matches"][0]["national"] is True
    assert {"eu-annex-i", "wassenaar"} <= set(found["absent_in"])


def test_us_category_without_text_is_not_detailed(imported: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    found = run(capsys, imported, "lookup", "9A001.a")
    assert "us-ccl" in found["not_detailed_in"]
    assert "us-ccl" not in found["absent_in"]
