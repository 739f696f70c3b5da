"""Notes compared across lists: matched by text whatever their ordinals, with statuses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harmonize.compare import analysis
from harmonize.compare.note_compare import NOTE_COLUMNS
from harmonize.model import ListRow, SourceInfo, rows_to_frame
from tests.handmade import manifest_for

ENTRY = [("4D004", "Software specially designed for intrusion, as follows:"),
         ("4D004.a", "Software operating above 10 GHz;")]
DECONTROL = ("4D004 does not apply to software specially designed and limited to provide "
             "updates meeting all the following: a. The update operates only with the "
             "authorisation of the owner; and b. The update is not intrusion software.")
DEFINITION = ("For the purposes of 4D004, 'covert' means hidden from the owner of a system "
              "operating below 300 MHz.")
SPOOFING = "4D004.a does not apply to software for mobile telephones of mass market use."


def make_list(source_id: str, rows: list[tuple[str, str]],
              notes: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Entries and paragraphs, then notes (governed code, kind, text) keyed as finish() does."""
    info = SourceInfo(source_id, source_id[:2].upper(), f"{source_id} list", "2025-01-01",
                      f"{source_id} citation", f"https://example.invalid/{source_id}")
    built = [ListRow(code=code, canonical=code, parent=code.rpartition(".")[0],
                     depth=code.count("."), kind="paragraph" if "." in code else "entry",
                     text=text, location=f"line {i}") for i, (code, text) in enumerate(rows)]
    ordinals: dict[tuple[str, str], int] = {}
    for code, kind, text in notes:
        ordinals[(code, kind)] = ordinals.get((code, kind), 0) + 1
        built.append(ListRow(code=code, canonical=code, parent=code, depth=code.count(".") + 1,
                             kind=kind, text=text, location="note",
                             details={"note_key": f"{code}/{kind}/{ordinals[(code, kind)]}"}))
    return rows_to_frame(info, built)


def run(lists: dict[str, list[tuple[str, str, str]]]) -> analysis.Analysis:
    frame = pd.concat([make_list(s, ENTRY, notes) for s, notes in lists.items()],
                      ignore_index=True)
    manifest = manifest_for(*((s, s[:2].upper(), None) for s in lists))
    return analysis.analyse(frame, manifest, "wassenaar")


def notes_of(result: analysis.Analysis, code: str) -> list[dict[str, object]]:
    return analysis.note_lookup(result.notes, code)


def cell(result: analysis.Analysis, code: str, source: str) -> dict[str, object]:
    rows = result.aligned[(result.aligned["canonical"] == code)
                          & (result.aligned["source"] == source)]
    return dict(rows.iloc[0])


def test_notes_match_by_text_across_different_ordinals() -> None:
    result = run({"wassenaar": [("4D004", "note", DEFINITION), ("4D004", "note", DECONTROL)],
                  "eu-annex-i": [("4D004", "note", DECONTROL.replace("does not apply to",
                                                                     "does not control"))]})
    found = notes_of(result, "4D004")
    assert [(n["key"], n["statuses"]) for n in found] == [
        ("4D004/note/1", {"eu-annex-i": "absent", "wassenaar": "identical"}),
        ("4D004/note/2", {"eu-annex-i": "editorial", "wassenaar": "identical"})]
    # The EU's Note 1 is the reference's Note 2: matched by text, not by ordinal.
    assert cell(result, "4D004", "eu-annex-i")["note_status"] == "changed"
    assert cell(result, "4D004", "eu-annex-i")["note_detail"] == "4D004/note/1 absent"
    assert set(result.notes.columns) == set(NOTE_COLUMNS)


def test_decontrol_note_in_one_list_only() -> None:
    result = run({"wassenaar": [], "eu-annex-i": [("4D004.a", "note", SPOOFING)],
                  "uk-sel": []})
    found = notes_of(result, "4D004.a")
    assert len(found) == 1 and found[0]["against"] == "eu-annex-i"
    assert found[0]["statuses"] == {"eu-annex-i": "identical", "uk-sel": "absent",
                                    "wassenaar": "absent"}
    # The paragraph text is identical everywhere; the EU's decontrol note is not.
    eu, uk = cell(result, "4D004.a", "eu-annex-i"), cell(result, "4D004.a", "uk-sel")
    assert eu["status"] == "identical" and eu["note_status"] == "changed"
    assert eu["note_detail"] == "4D004.a/note/1 not in wassenaar"
    assert uk["status"] == "identical" and uk["note_status"] == "same"
    assert cell(result, "4D004.a", "wassenaar")["note_status"] == "same"  # the reference


def test_editorial_note_difference_is_not_a_change() -> None:
    result = run({"wassenaar": [("4D004", "note", DECONTROL)],
                  "eu-annex-i": [("4D004", "note", DECONTROL.replace("authorisation",
                                                                     "authorization"))]})
    (note,) = notes_of(result, "4D004")
    assert note["statuses"]["eu-annex-i"] == "editorial"
    assert [d["status"] for d in note["diffs"]] == ["editorial"]  # type: ignore[index]
    assert cell(result, "4D004", "eu-annex-i")["note_status"] == "same"


def test_changed_threshold_in_a_note_is_substantive_with_its_parameter() -> None:
    result = run({"wassenaar": [("4D004", "technical-note", DEFINITION)],
                  "eu-annex-i": [("4D004", "technical-note", DEFINITION.replace("300", "400"))],
                  "not-detailed": []})
    (note,) = notes_of(result, "4D004")
    (diff,) = note["diffs"]  # type: ignore[misc]
    assert (diff["source"], diff["against"], diff["status"], diff["reason"]) == (
        "eu-annex-i", "wassenaar", "substantive", "parameter changed")
    assert sorted((p["source"], p["value"]) for p in diff["parameters"]) == [
        ("eu-annex-i", 400.0), ("wassenaar", 300.0)]
    eu = cell(result, "4D004", "eu-annex-i")
    assert eu["status"] == "identical" and eu["note_status"] == "changed"
    assert eu["note_detail"] == "4D004/technical-note/1: parameter changed"
    tags = pd.DataFrame({"lens": ["intrusion"], "canonical": ["4D004"], "reason": ["test"]})
    from harmonize.compare import scores

    counts = scores.lens_scores(result.aligned, tags, "wassenaar").set_index("source")
    assert counts.loc["eu-annex-i", "note_changed"] == 1
    assert counts.loc["eu-annex-i", "share_same"] == 1.0  # shares stand on the paragraph text


def test_silent_copy_is_not_detailed_for_its_notes() -> None:
    frame = pd.concat([make_list("wassenaar", ENTRY, [("4D004.a", "note", SPOOFING)]),
                       make_list("us-ccl", ENTRY[:1], [])], ignore_index=True)
    manifest = manifest_for(("wassenaar", "WA", None), ("us-ccl", "US", ["1"]))
    result = analysis.analyse(frame, manifest, "wassenaar")
    (note,) = notes_of(result, "4D004.a")
    assert note["statuses"] == {"us-ccl": "not-detailed", "wassenaar": "identical"}
    assert cell(result, "4D004.a", "us-ccl")["note_status"] == ""


@pytest.mark.integration
def test_real_4d004_decontrol_note_is_editorial_everywhere(real_store: Path) -> None:
    """Read in both texts: Wassenaar's `4.D.4 does not apply to` and the EU's `4D004 does not
    control` the same updates; the other lists print the same note."""
    result = analysis.load_analysis(root=real_store)
    (note,) = notes_of(result, "4D004")
    assert note["against"] == "wassenaar" and note["kind"] == "note"
    statuses = note["statuses"]
    assert statuses["wassenaar"] == "identical"  # type: ignore[index]
    for source in ("eu-annex-i", "uk-sel", "no-list-ii", "au-dsgl", "us-ccl"):
        assert statuses[source] in ("identical", "editorial"), source  # type: ignore[index]
        assert cell(result, "4D004", source)["note_status"] == "same", source


# One note in the reference, printed by another list as two (its last item a note of its own).
WHOLE = ("4D004 does not apply to software specially designed and limited to provide updates "
         "meeting all the following: a. The update operates only with the authorisation of the "
         "owner of the system; and b. The update is not intrusion software, and it is "
         "delivered by the maker of the operating system.")
HEAD, TAIL = WHOLE.split(" and b. ")


def test_a_note_one_list_splits_in_two_is_compared_whole() -> None:
    split = [("4D004", "note", HEAD + " and"), ("4D004", "note", "b. " + TAIL)]
    result = run({"wassenaar": [("4D004", "note", WHOLE)], "eu-annex-i": split})
    (note,) = notes_of(result, "4D004")  # one note, not a changed one and one of its own
    assert note["statuses"]["eu-annex-i"] in ("identical", "editorial")
    assert cell(result, "4D004", "eu-annex-i")["note_status"] == "same"


def test_a_split_note_with_a_changed_part_stays_a_difference() -> None:
    changed = TAIL.replace("maker of the operating system", "maker of any application")
    split = [("4D004", "note", HEAD + " and"), ("4D004", "note", "b. " + changed)]
    result = run({"wassenaar": [("4D004", "note", WHOLE)], "eu-annex-i": split})
    assert cell(result, "4D004", "eu-annex-i")["note_status"] == "changed"


def test_a_second_note_of_its_own_is_not_joined_to_the_first() -> None:
    # The EU's extra note resembles nothing of the reference's: it stays a note of its own.
    result = run({"wassenaar": [("4D004", "note", WHOLE)],
                  "eu-annex-i": [("4D004", "note", WHOLE), ("4D004", "note", DEFINITION)]})
    found = notes_of(result, "4D004")
    assert len(found) == 2
    assert cell(result, "4D004", "eu-annex-i")["note_detail"].endswith("not in wassenaar")
