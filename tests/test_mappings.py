"""Reviewed mappings: label translation, references inside mapped texts, lookup from either
code, and the reference text chosen where the reference list lacks a code."""

from __future__ import annotations

import pandas as pd
import pytest

from harmonize.compare import analysis, crosswalk, mappings
from harmonize.compare.mappings import Mapping, back, translate
from tests.handmade import EU, US, make_list, manifest_for, three_lists


def _mapping(code: str, maps_to: str, labels: str = "same", scope: str = "subtree") -> Mapping:
    return Mapping("xx", code, maps_to, "same control", "test", scope, labels)


@pytest.mark.parametrize(("mapping", "code", "expected"), [
    (_mapping("4A906", "4A506"), "4A906.a.3", "4A506.a.3"),
    (_mapping("5506.2.c.ii", "4A506", "canada"), "5506.2.c.ii.A.VIII", "4A506.a.8"),
    (_mapping("5506.2.c.ii", "4A506", "canada"), "5506.2.c.ii.C", "4A506.c"),
    (_mapping("5506.2.d.iii", "3B501.k", "canada"), "5506.2.d.iii.B.III", "3B501.k.2.c"),
    (_mapping("3A901.b", "3A501.b.13", "renumber"), "3A901.b.3", "3A501.b.13.c"),
    (_mapping("3B901", "3B501.k", "renumber"), "3B901.b.1", "3B501.k.2.a"),
    (_mapping("4E901", "4E906.a", scope="code"), "4E901", "4E906.a"),
])
def test_labels_translate_both_ways(mapping: Mapping, code: str, expected: str) -> None:
    assert translate(code, mapping) == expected
    assert back(expected, mapping) == code


def test_scope_code_maps_that_row_only() -> None:
    assert translate("4E901.a", _mapping("4E901", "4E906.a", scope="code")) is None
    assert translate("4A9060", _mapping("4A906", "4A506")) is None  # a prefix is no parent


def test_references_in_a_mapped_text_read_as_their_counterparts() -> None:
    rows = [Mapping("au-dsgl", "4A901", "4A506", "r", "t"),
            Mapping("au-dsgl", "4D901", "4D906", "r", "t")]
    text = "items specified in 4A901.b., 4A901.c., or 4D901."
    assert mappings.translate_references(text, "au-dsgl", rows) == (
        "items specified in 4A506.b, 4A506.c, or 4D906")
    assert mappings.translate_references(text, "us-ccl", rows) == text  # another source's


def test_canada_refers_to_its_own_levels_by_name() -> None:
    rows = [Mapping("ca-ecl", "5506.2.c.ii", "4A506", "r", "t", "subtree", "canada")]
    text = "specially designed for items specified in clause (A), and"
    assert mappings.translate_references(text, "ca-ecl", rows, "5506.2.c.ii.B") == (
        "specially designed for items specified in 4A506.a, and")
    # subparagraph (c)(ii): the paragraph and the subparagraph of the same item
    assert mappings.translate_references("see subparagraph (c)(ii)", "ca-ecl", rows,
                                         "5506.2.d.i") == "see 4A506"


def test_bad_labels_are_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "crosswalk.csv"
    path.write_text("source,code,maps_to,reason,reviewed,scope,labels\n"
                    "ca-ecl,5506.2,4A506,same,me,subtree,roman\n")
    with pytest.raises(ValueError, match="line 2: labels must be"):
        mappings.load_crosswalk(path)


QUANTUM = pd.DataFrame([
    {"source": "us-ccl", "code": "5A901", "maps_to": "5A501", "reason": "same text",
     "reviewed": "test", "scope": "subtree", "labels": "same"}])


def _with_quantum_paragraphs() -> tuple[pd.DataFrame, dict]:  # type: ignore[type-arg]
    frame, manifest = three_lists()
    paragraph = "Quantum widgets with 34 or more qubits;"
    frame = pd.concat([
        frame[frame["source_id"] == "wassenaar"],
        make_list("eu-annex-i", "EU", [*EU, ("5A501.a", paragraph)]),
        make_list("us-ccl", "US", [*US, ("5A901.a", paragraph)], national=("5A980", "5A901")),
    ], ignore_index=True)
    return frame, manifest


def test_lookup_by_either_code_gives_the_same_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, manifest = _with_quantum_paragraphs()
    monkeypatch.setattr(mappings, "load_crosswalk", lambda path=None: QUANTUM)
    monkeypatch.setattr(crosswalk, "load_crosswalk", lambda path=None: QUANTUM)
    result = analysis.analyse(frame, manifest)
    mapped, target = analysis.lookup(result, "5A901.a"), analysis.lookup(result, "5A501.a")
    assert mapped["compared_as"] == target["compared_as"] == "5A501.a"
    assert mapped["statuses"] == target["statuses"] == {
        "eu-annex-i": "identical", "us-ccl": "identical", "wassenaar": "absent"}
    assert [m["joins"] for m in mapped["mappings"]] == ["us-ccl 5A901.a = 5A501.a"]
    assert mapped["mappings"] == target["mappings"]
    assert {(m["source"], m["code"]) for m in mapped["matches"]} == {
        ("eu-annex-i", "5A501.a"), ("us-ccl", "5A901.a")}


def test_without_the_reference_the_newest_complete_text_is_used() -> None:
    frame, manifest = three_lists()
    frame = frame[frame["source_id"] != "wassenaar"]
    del manifest["sources"]["wassenaar"]
    manifest["sources"]["eu-annex-i"]["lists"][0]["version"] = "2020-01-01"
    uk = make_list("uk-sel", "GB", [("5A001", "Telecommunication widgets, as follows:"),
                                    ("5A001.b", "Widgets operating above 11 GHz;")])
    frame = pd.concat([frame, uk], ignore_index=True)
    manifest["sources"].update(manifest_for(("uk-sel", "GB", None))["sources"])
    manifest["sources"]["uk-sel"]["lists"][0]["version"] = "2024-06-01"
    table = crosswalk.align(frame, manifest, crosswalk=QUANTUM.iloc[0:0])
    row = table[(table["canonical"] == "5A001.b") & (table["source"] == "eu-annex-i")].iloc[0]
    # UK 2024 is newer than the EU 2020 text; the US copy (2025) is partial: not chosen.
    assert (row["reference_source"], row["reference_version"]) == ("uk-sel", "2024-06-01")
    assert "newest complete text" in row["reference_basis"]
    assert row["status"] == "substantive" and row["parameters"] == "frequency 11 GHz → 12 GHz"
