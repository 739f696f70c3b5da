"""Concept and full-text search (harmonize.compare.search, `harmonize search`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from harmonize.cli import main
from harmonize.cli_search import kind_marker
from harmonize.compare import lenses, search
from tests.handmade import make_list

VOCABULARY = '''
[[concept]]
id = "intrusion"
terms = ["spyware", "hacking tool"]
phrases = ["intrusion software"]
codes = ["4A005"]
measures = ["m-intrusion"]
reason = "spyware is 'intrusion software' in the lists"
'''


@pytest.fixture
def index(tmp_path: Path) -> search.SearchIndex:
    path = tmp_path / "vocabulary.toml"
    path.write_text(VOCABULARY)
    frame = pd.concat([
        make_list("wa", "WA", [("4A005", "Systems for the delivery of intrusion software."),
                               ("4A005.a", "Command and control platforms."),
                               ("5A001", "Telecommunication systems."),
                               ("5A001.f", "Mobile interception or jamming equipment."),
                               ("6A003", "Cameras and thermal imaging cameras.")]),
        make_list("us", "US", [("4A005", "Systems for intrusion software delivery."),
                               ("4D004", "Software for the generation of intrusion software."),
                               ("6A003", "Cameras.")]),
    ], ignore_index=True)
    register = pd.DataFrame({"id": ["m-intrusion", "m-other"],
                             "title": ["Intrusion controls", "Camera rule"],
                             "summary": ["Adds intrusion entries.", "Thermal cameras."],
                             "codes": [["4A005"], ["6A003"]]})
    return search.SearchIndex.build(frame, register, search.load_vocabulary(path))


def test_everyday_word_finds_the_concept_codes_wording_and_register(
        index: search.SearchIndex) -> None:
    results = index.search("spyware")
    found = {(r["source"], r["canonical"]) for r in results}
    # the codes the concept names, and below them
    assert {("wa", "4A005"), ("wa", "4A005.a"), ("us", "4A005")} <= found
    # a row under another code that uses the lists' wording
    assert ("us", "4D004") in found
    assert ("measures", "m-intrusion") in found
    assert ("wa", "5A001") not in found and ("measures", "m-other") not in found
    by_row = {(r["source"], r["canonical"]): r for r in results}
    assert "concept 'spyware' -> 4A005" in str(by_row[("wa", "4A005")]["why"])
    assert "wording \"intrusion software\"" in str(by_row[("us", "4D004")]["why"])
    # a code the concept names ranks above a row found by wording alone
    assert float(by_row[("wa", "4A005")]["score"]) > float(by_row[("us", "4D004")]["score"])


def test_words_rank_and_say_which_words_matched(index: search.SearchIndex) -> None:
    results = index.search("thermal cameras")
    assert results[0]["canonical"] == "6A003" and results[0]["source"] == "wa"
    assert "words: camera, thermal" in str(results[0]["why"])
    assert all(r["canonical"] != "5A001.f" for r in results)


def test_a_code_in_any_style_finds_it_and_below(index: search.SearchIndex) -> None:
    results = index.search("4.A.5.")
    assert [(r["source"], r["canonical"]) for r in results[:2]] in (
        [("wa", "4A005"), ("us", "4A005")], [("us", "4A005"), ("wa", "4A005")])
    assert ("wa", "4A005.a") in {(r["source"], r["canonical"]) for r in results}


def test_lens_filter_keeps_register_rows_and_tagged_codes_only(
        index: search.SearchIndex) -> None:
    results = index.search("cameras spyware", lens_codes={"6A003"})
    assert {r["canonical"] for r in results if r["source"] != "measures"} == {"6A003"}


def test_nothing_for_an_empty_or_unknown_query(index: search.SearchIndex) -> None:
    assert index.search("   ") == []
    assert index.search("zzzz qqqq") == []


def test_stems_and_stop_words() -> None:
    assert search.words("The cameras of intercepting") == ["camera", "intercept"]
    assert search.stem("class") == "class" and search.stem("uses") == "uses"


def test_vocabulary_errors_name_the_file_and_concept(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text('[[concept]]\nid = "x"\nterms = ["a"]\n')
    with pytest.raises(search.VocabularyError, match=r"v\.toml: concept 1: missing reason"):
        search.load_vocabulary(path)


def test_unknown_codes_and_measures_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(VOCABULARY)
    vocabulary = search.load_vocabulary(path)
    assert search.unknown_codes(vocabulary, ["4A005.a"], ["m-intrusion"]) == []
    assert search.unknown_codes(vocabulary, ["4A006"], []) == [
        "intrusion: code 4A005 is in no loaded list",
        "intrusion: measure m-intrusion is not in the register"]


def test_lens_codes_include_sub_lenses() -> None:
    book = lenses.load_lenses()
    codes = search.lens_codes(["5A001.f.1", "4A005", "3A090"], book, "surveillance")
    assert codes == {"5A001.f.1", "4A005"}


@pytest.mark.integration
@pytest.mark.parametrize(("query", "expected"), [
    ("facial recognition", {"us-2024-07-facial-recognition-proposed", "3A981"}),
    ("spyware", {"4A005", "4D004"}),
    ("lawful interception", {"5A001.j"}),
    ("biometric", {"3A981"}),
    ("IMSI catcher", {"5A001.f"}),
    ("deep packet inspection", {"5A001.j"}),
    ("GPU", {"3A090"}),
    ("quantum computer", {"4A906", "4A506"}),
])
def test_analysts_words_find_the_controls_on_the_real_lists(
        query: str, expected: set[str], real_store: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONIZE_HOME", str(real_store))
    assert main(["search", query, "--json", "--limit", "200"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["query"] == query
    found = {r["canonical"] for r in payload["results"]}
    assert expected <= found, expected - found
    assert all(set(r) >= {"source", "canonical", "score", "why", "text"} and r["why"]
               for r in payload["results"])


@pytest.mark.integration
def test_vocabulary_codes_exist_in_the_real_lists(real_store: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONIZE_HOME", str(real_store))
    assert main(["search", "--check"]) == 0


@pytest.mark.parametrize(("kind", "marker"), [
    ("paragraph", ""), ("entry", ""), ("measure", ""), ("note", "[note] "),
    ("technical_note", "[technical_note] ")])
def test_text_output_marks_rows_that_are_not_the_paragraph_itself(kind: str,
                                                                   marker: str) -> None:
    # a search row from a note otherwise reads like a second copy of the paragraph's code
    assert kind_marker(kind) == marker
