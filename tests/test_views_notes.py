"""Notes on the pages: a note that differs while the paragraphs agree word for word is seen on
Compare (per card and side by side), on Gaps (a column, "note differences only") and on A
versus B (a kind of difference of its own). Hand-made lists (tests/notes_handmade.py)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from harmonize.compare import analysis
from harmonize.present.views import compare as compare_view
from harmonize.present.views import gaps as gap_views
from harmonize.present.views import notes as note_views
from harmonize.present.views import versus
from tests.notes_handmade import DECONTROL, DEFINITION, SPOOFING, note_analysis

LABELS = {"wassenaar": "Wassenaar · list", "eu-annex-i": "EU · Annex I", "us-ccl": "US · CCL"}
LISTS = {s: [s] for s in LABELS}


@pytest.fixture(scope="module")
def result() -> analysis.Analysis:
    return note_analysis()


def test_paragraphs_agree_while_notes_differ(result: analysis.Analysis) -> None:
    """The fixture's premise: every paragraph identical, three cells whose notes differ."""
    assert set(result.aligned["status"]) == {"identical"}
    changed = note_views.differing_cells(result.aligned)
    assert sorted(zip(changed["canonical"], changed["source"], strict=True)) == [
        ("4D004", "eu-annex-i"), ("4D004", "us-ccl"), ("4D004.a", "us-ccl")]


def test_findings_per_note_and_list(result: analysis.Analysis) -> None:
    findings = note_views.note_findings(result.notes, result.aligned)
    got = [(r.canonical, r.label, r.source, r.finding, r.reason, r.against)
           for r in findings.itertuples(index=False)]
    assert got == [
        ("4D004", "Note 1", "eu-annex-i", "identical", "", "wassenaar"),
        ("4D004", "Note 1", "us-ccl", "identical", "", "wassenaar"),
        ("4D004", "Note 2", "eu-annex-i", "changed",
         "parameter changed: system operating 300 MHz → 500 MHz", "wassenaar"),
        ("4D004", "Note 2", "us-ccl", "missing", "", "wassenaar"),
        ("4D004.a", "Note 1", "us-ccl", "only here", "", "us-ccl"),
    ]
    by_cell = {(r.canonical, r.source, r.label): r for r in findings.itertuples(index=False)}
    assert by_cell[("4D004", "eu-annex-i", "Note 2")].against_text == DEFINITION
    assert by_cell[("4D004", "us-ccl", "Note 2")].text == ""
    assert by_cell[("4D004.a", "us-ccl", "Note 1")].against_text == ""  # no reference note
    cells = note_views.cell_notes(findings)
    assert {k: (v.status, v.words()) for k, v in cells.items()} == {
        ("4D004", "eu-annex-i"): ("changed", "changed (1), identical (1)"),
        ("4D004", "us-ccl"): ("missing", "missing (1), identical (1)"),
        ("4D004.a", "us-ccl"): ("only here", "not in the reference (1)"),
    }
    # The cells with a difference are exactly those the core marks changed.
    differing = {k for k, v in cells.items() if v.status in note_views.DIFFERING}
    core = note_views.differing_cells(result.aligned)
    assert differing == set(zip(core["canonical"], core["source"], strict=True))
    # Limited to some codes: the same findings for those codes.
    assert len(note_views.note_findings(result.notes, result.aligned, {"4D004.a"})) == 1


def test_note_labels_and_where_notes_are_printed(result: analysis.Analysis) -> None:
    assert note_views.note_label("5A002.a/note/2", "note") == "Note 2"
    assert note_views.note_label("4E001/technical-note/1", "technical-note") == \
        "Technical Note 1"
    assert note_views.note_label("4A005/nb/1", "nb") == "N.B. 1"
    findings = note_views.note_findings(result.notes, result.aligned)
    printed = note_views.where_printed(result.frame, findings, LISTS)
    assert printed[("eu-annex-i", DEFINITION.replace("300", "500"))] == note_views.Printed(
        "eu-annex-i citation, 4D004", "note line 1", "2025-01-01")
    assert printed[("wassenaar", DEFINITION)].citation == "wassenaar citation, 4D004"
    assert printed[("us-ccl", SPOOFING)].location == "note line 1"


def test_compare_cards_say_how_notes_stand_and_show_them_side_by_side(
        result: analysis.Analysis) -> None:
    notes = compare_view.code_notes(result.notes, result.aligned, result.frame,
                                    ["4D004", "4D004.a"], LISTS)
    rows = compare_view.compare_rows(result.aligned, "4D004",
                                     ["wassenaar", "eu-annex-i", "us-ccl"])
    own = compare_view.notes_for(result.frame, "4D004", list(LABELS))
    out = compare_view.compare_html("4D004", rows, own, {}, LISTS, LABELS, {}, "wassenaar",
                                    compared_notes=notes["4D004"])
    cards = out.split('class="hz-card"')[1:]
    assert len(cards) == 3
    text = [re.sub(r"<[^>]+>", " ", c) for c in cards]
    assert "Notes:" in text[0] and "the reference for the others" in text[0]
    assert re.search(r"Notes:\s+changed\s+changed \(1\), identical \(1\)", text[1])
    assert re.search(r"Notes:\s+missing\s+missing \(1\), identical \(1\)", text[2])
    side = out.split('class="hz-nsbs"')[1]
    assert side.count("<details>") == 2  # one per note, folded
    note2 = side.split("<details>")[2]
    summary = re.sub(r"<[^>]+>", "", note2.split("</summary>")[0])
    assert summary == "Note 2 · Wassenaar prints it · EU: changed · US: missing"
    assert '<del class="hz-del">300</del>' in note2 and '<ins class="hz-ins">500</ins>' in note2
    assert "why: parameter changed: system operating 300 MHz → 500 MHz" in note2
    assert "eu-annex-i citation, 4D004 · version 2025-01-01 · at note line 1" in note2
    assert "Not printed in this list." in note2
    # A note only one list prints: compared with nobody's, said as not in the reference.
    rows_a = compare_view.compare_rows(result.aligned, "4D004.a", ["wassenaar", "us-ccl"])
    out_a = compare_view.compare_html("4D004.a", rows_a, own.iloc[0:0], {}, LISTS, LABELS, {},
                                      "wassenaar", compared_notes=notes["4D004.a"])
    summary = html.unescape(re.sub(r"<[^>]+>", "", out_a.split("<summary>")[-1].split(
        "</summary>")[0]))
    assert summary == ("Note 1 · not in Wassenaar, compared with US's · "
                       "US: not in the reference")
    # Without notes on a code: no notes block at all.
    rows_b = compare_view.compare_rows(result.aligned, "4D004.b")
    out_b = compare_view.compare_html("4D004.b", rows_b, own.iloc[0:0], {}, LISTS, LABELS, {},
                                      "wassenaar", compared_notes=notes.get(
                                          "4D004.b", compare_view.code_notes(
                                              result.notes, result.aligned, result.frame,
                                              ["4D004.b"], LISTS)["4D004.b"]))
    assert "hz-nsbs" not in out_b and "Notes:" not in out_b


def test_note_text_is_escaped(result: analysis.Analysis) -> None:
    notes = result.notes.copy()
    notes.loc[notes["text"] == SPOOFING, "text"] = "<script>x</script> does not apply"
    found = compare_view.code_notes(notes, result.aligned, result.frame, ["4D004.a"], LISTS)
    out = compare_view.notes_side_by_side("4D004.a", found["4D004.a"], ["us-ccl"], LABELS)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_gaps_notes_column_and_note_differences_only(result: analysis.Analysis) -> None:
    every = gap_views.select_gaps(analysis.gaps(result))
    assert every.empty  # the paragraphs agree: no divergence at all
    rows = gap_views.note_gaps(result.aligned)
    assert list(zip(rows["canonical"], rows["source"], strict=True)) == [
        ("4D004", "eu-annex-i"), ("4D004", "us-ccl"), ("4D004.a", "us-ccl")]
    words = gap_views.note_words(rows, result.notes, result.aligned)
    assert words == ["Note 2 changed (parameter changed: system operating 300 MHz → 500 MHz)",
                     "Note 2 missing", "Note 1 not in the reference"]
    table = gap_views.gap_table(rows, carried={}, notes=words)
    assert list(table["notes"]) == words
    assert list(gap_views.gap_download(table)["notes"]) == words
    # The filter keeps only rows whose notes differ (the others say "same").
    aligned = result.aligned.assign(row=range(len(result.aligned)))
    kept = gap_views.select_gaps(aligned, notes_only=True)
    assert sorted(kept["row"]) == sorted(rows.index)
    same = result.aligned[result.aligned["note_status"] == "same"]
    assert set(gap_views.note_words(same, result.notes, result.aligned)) == {"same"}
    assert gap_views.note_words(result.aligned.iloc[0:0], result.notes, result.aligned) == []
    # Read in full, a row says its notes differ.
    reading = gap_views.gap_reading({str(k): v for k, v in rows.iloc[0].items()}, LABELS, {})
    assert "notes: differ from the reference text's (below)" in reading


def test_versus_counts_notes_that_differ_between_the_chosen_lists(
        result: analysis.Analysis) -> None:
    chosen = ["eu-annex-i", "us-ccl"]
    found = versus.note_differences(result.aligned, result.notes, chosen)
    # EU and US differ on Note 2 of 4D004 (EU changed it, US lacks it) and on the US
    # decontrol note of 4D004.a; Wassenaar and the EU differ on 4D004 only.
    assert found == {"4D004": chosen, "4D004.a": chosen}
    assert versus.note_differences(result.aligned, result.notes,
                                   ["wassenaar", "eu-annex-i"]) == {
        "4D004": ["wassenaar", "eu-annex-i"]}
    every = versus.differences(result.aligned, chosen)
    assert every.empty  # wording and holdings agree
    rows = versus.with_notes(every, result.aligned, chosen, found)
    assert list(rows["canonical"]) == ["4D004", "4D004.a"]
    assert list(rows["notes"]) == [chosen, chosen]
    assert list(rows["wording"]) == [[], []] and list(rows["missing"]) == [[], []]
    assert versus.counts(rows, chosen).to_dict(orient="index") == {
        "eu-annex-i": {"holds": 0, "lacks": 0, "wording": 0, "notes": 2},
        "us-ccl": {"holds": 0, "lacks": 0, "wording": 0, "notes": 2}}
    assert len(versus.select(rows, notes_only=True)) == 2
    assert versus.select(rows, ["wording"]).empty
    page = versus.versus_html(rows, chosen, LABELS, "Wassenaar", "wassenaar", {},
                              lambda c: f"compare?code={c}", {})
    assert page.count("notes differ: EU, US") == 2
    # Without note differences, rows keep an empty `notes` and select() keeps nothing.
    plain = versus.with_notes(every, result.aligned, chosen, {})
    assert plain.empty and versus.select(plain, notes_only=True).empty


def test_signatures_compare_notes_between_lists(result: analysis.Analysis) -> None:
    signature = note_views.signatures(result.notes)
    assert signature[("4D004", "wassenaar")] == ("=", "=")
    assert signature[("4D004", "us-ccl")] == ("=", "")
    eu = signature[("4D004", "eu-annex-i")]
    assert eu is not None and eu[0] == "=" and "500 mhz" in eu[1]
    assert note_views.notes_differ(signature[("4D004", "wassenaar")],
                                   signature[("4D004", "us-ccl")])
    assert not note_views.notes_differ(None, ("=",))
    silent = pd.DataFrame({"canonical": ["X"], "note": [1], "source": ["a"],
                           "status": ["not-detailed"], "text": [""]})
    assert note_views.signatures(silent) == {("X", "a"): None}
    assert DECONTROL in set(result.notes["text"])
