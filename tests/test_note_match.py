"""Notes matched across levels of an entry, and pointers told apart (note_match): one finding
per note printed at another level, never a "missing" and a "not in the reference"; real
decontrol differences stay visible across levels. Hand-made lists."""

from __future__ import annotations

import pandas as pd
import pytest

from harmonize.compare import analysis
from harmonize.compare.note_match import (
    CROSS_REFERENCE,
    is_cross_reference,
    merge_levels,
    note_parts,
    numbered_items,
    split_pointers,
)
from harmonize.compare.note_rules import item_label
from harmonize.present.views import notes as note_views
from tests.handmade import manifest_for
from tests.test_note_compare import make_list

ENTRY = [("6D003", "Software as follows:"), ("6D003.a", "Acoustic software:"),
         ("6D003.a.5", "Software for diver detection:"),
         ("6D003.a.5.b", "Software for active acoustic systems;")]
DECONTROL = ("6D003.a.5 does not apply to software: a. Limited to 5 divers; or b. Designed for "
             "swimming pools; or c. Sold to hotels.")


def run(lists: dict[str, list[tuple[str, str, str]]]) -> analysis.Analysis:
    frame = pd.concat([make_list(s, ENTRY, notes) for s, notes in lists.items()],
                      ignore_index=True)
    return analysis.analyse(frame, manifest_for(*((s, s[:2].upper(), None) for s in lists)),
                            "wassenaar")


def findings(result: analysis.Analysis) -> list[tuple[str, str, str, str]]:
    found = note_views.note_findings(result.notes, result.aligned)
    return [(str(r.canonical), str(r.source), str(r.finding), str(r.reason))
            for r in found.itertuples()]


def changed_cells(result: analysis.Analysis) -> set[tuple[str, str]]:
    cells = note_views.differing_cells(result.aligned)
    return set(zip(cells["canonical"], cells["source"], strict=True))


def test_note_hung_on_a_child_is_one_finding_placed_elsewhere() -> None:
    result = run({"wassenaar": [("6D003.a.5", "note", DECONTROL)],
                  "eu-annex-i": [("6D003.a.5.b", "note", DECONTROL.replace(
                      "does not apply to", "does not control"))]})
    assert findings(result) == [("6D003.a.5", "eu-annex-i", "editorial",
                                 "printed at 6D003.a.5.b")]
    assert changed_cells(result) == set()


@pytest.mark.parametrize(("change", "reason"), [
    (("5 divers", "6 divers"), "number changed"),  # a changed number
    (("does not apply to", "does not apply not to"), "scope words"),  # an added "not"
    (("; or c. Sold to hotels", ""), "scope words removed"),  # an item removed from the list
])
def test_real_decontrol_difference_at_another_level_stays_visible(
        change: tuple[str, str], reason: str) -> None:
    result = run({"wassenaar": [("6D003.a.5", "note", DECONTROL)],
                  "eu-annex-i": [("6D003.a.5.b", "note", DECONTROL.replace(*change))]})
    (found,) = findings(result)
    assert found[:3] == ("6D003.a.5", "eu-annex-i", "changed")
    assert reason in found[3] and "printed at 6D003.a.5.b" in found[3]
    assert changed_cells(result) == {("6D003.a.5", "eu-annex-i")}


def test_different_notes_at_two_levels_stay_apart() -> None:
    other = ("6D003.a.5.b does not apply to hardware sold with sonar buoys for fishing "
             "vessels of any size.")
    result = run({"wassenaar": [("6D003.a.5", "note", DECONTROL)],
                  "eu-annex-i": [("6D003.a.5.b", "note", other)]})
    assert sorted(f[:3] for f in findings(result)) == [
        ("6D003.a.5", "eu-annex-i", "missing"), ("6D003.a.5.b", "eu-annex-i", "only here")]


def test_same_code_notes_left_apart_by_editorial_wording_are_joined() -> None:
    """Below the per-code match score on their identity words, alike once folded."""
    ours = ("Note: 6D003.a.5 does not control software: 1. Limited to 5 divers; or 2. "
            "Designed for swimming pools; or 3. Sold to hotels.")
    result = run({"wassenaar": [("6D003.a.5", "note", DECONTROL)],
                  "eu-annex-i": [("6D003.a.5", "note", ours)]})
    assert findings(result) == [("6D003.a.5", "eu-annex-i", "editorial", "")]


def test_cross_references_are_shown_apart_not_counted() -> None:
    result = run({"wassenaar": [("6D003", "nb", "SEE ALSO 6D103.")],
                  "eu-annex-i": [("6D003.a", "nb", "See also the Munitions List.")]})
    kinds = set(result.notes["kind"])
    assert kinds == {CROSS_REFERENCE}
    assert {f[2] for f in findings(result)} == {CROSS_REFERENCE}
    assert changed_cells(result) == set()
    assert note_views.differences(note_views.note_findings(result.notes,
                                                           result.aligned)).empty


@pytest.mark.parametrize("text", [
    "SEE ALSO 6A102.", "1. See also the Munitions List.", "SEE ALSO MILITARY GOODS CONTROLS.",
    "See also the International Traffic in Arms Regulations (ITAR) (22 CFR parts 120-130).",
    "For radio receivers see 5A001.b.5.", "2. For radio receivers, see 5.A.1.b.5.",
    "See 1A007.b. for detonators.", "N.B. For masks and reticles, see 6B002."])
def test_pointers(text: str) -> None:
    assert is_cross_reference(text)


@pytest.mark.parametrize("text", [
    "2B121 does not apply to rotary tables for medical equipment. For controls on machine "
    "tool rotary tables see 2B008.",  # a decontrol note that also points
    "For the purposes of 5A001.f, 'see-through' means transparent.",  # a definition
    "SEE ALSO 1C202. 1. Note: 1C002 does not apply to metal alloys.",  # glued to a note
    "For the control status of equipment, see: a. Category 6 for sensors; b. Category 8.",
    "See-through displays are included in 6A002."])
def test_near_miss_pointers(text: str) -> None:
    assert not is_cross_reference(text)


@pytest.mark.parametrize(("text", "parts"), [
    ("SEE ALSO 1C202. 1. Note: 1C002 does not apply to metal alloys.",
     ["SEE ALSO 1C202.", "1. Note: 1C002 does not apply to metal alloys."]),
    ("SEE ALSO MILITARY GOODS CONTROLS, 3A229 AND 3A232. For the purposes of 1A007, the word "
     "initiator is used in place of detonator.",
     ["SEE ALSO MILITARY GOODS CONTROLS, 3A229 AND 3A232.",
      "For the purposes of 1A007, the word initiator is used in place of detonator."]),
    ("For technology for turbine blades, see 9E003. SEE ALSO MILITARY GOODS CONTROLS.",
     ["For technology for turbine blades, see 9E003.", "SEE ALSO MILITARY GOODS CONTROLS."]),
])
def test_a_pointer_glued_to_a_note_comes_apart(text: str, parts: list[str]) -> None:
    assert split_pointers(text) == parts


@pytest.mark.parametrize("text", [
    "SEE ALSO 3A201.a. and the Military Goods Controls.",  # a code's full stop, not a sentence's
    "SEE ALSO ENTRY 1C350, 1C351.d. AND MUNITIONS LIST.",
    "1. SEE ALSO MILITARY GOODS CONTROLS.",  # a label is no note
    "See also the ITAR (22 CFR parts 120-130). Defense articles in USML Category XI(b) are "
    "subject to the ITAR.",  # a pointer in sentence case is one note, as printed
    "1C002 does not apply to metal alloys. See also 1C202.",
    "SEE ALSO 1A002 does not apply to X. For the purposes of 9A110, missile means a rocket.",
])
def test_near_miss_pointer_splits(text: str) -> None:
    assert split_pointers(text) == [text]


def test_a_glued_pointer_hides_no_note_and_makes_no_difference() -> None:
    """The pointer the parse glued to a note compares apart: the note itself is identical."""
    definition = "In 6D003 'missile' means rocket systems capable of a range exceeding 300 km."
    result = run({"wassenaar": [("6D003", "nb", definition)],
                  "eu-annex-i": [("6D003", "nb", f"SEE ALSO 1A002. {definition}")]})
    assert changed_cells(result) == set()
    kinds = dict(zip(result.notes["text"], result.notes["kind"], strict=True))
    assert kinds["SEE ALSO 1A002."] == CROSS_REFERENCE and kinds[definition] == "nb"


@pytest.mark.parametrize(("text", "parts"), [
    ("1. A 'bar' is a row of lasers. 2. A 'stack' is rows of bars.",
     [("1. A 'bar' is a row of lasers.", 1), ("2. A 'stack' is rows of bars.", 2)]),
    ("For the purposes of 6.A.5.d.1.: 1. A 'bar' is a row. 2. A 'stack' is rows.",
     [("For the purposes of 6.A.5.d.1.: 1. A 'bar' is a row.", 1),
      ("For the purposes of 6.A.5.d.1.: 2. A 'stack' is rows.", 2)]),
    ("For the purposes of 1B001.g., 'tow' is T. For the purpose of 1B001: 1. 'Band' is B. "
     "2. 'Axis' is A.",  # another note run into the lead-in comes apart
     [("For the purposes of 1B001.g., 'tow' is T.", 0),
      ("For the purpose of 1B001: 1. 'Band' is B.", 1),
      ("For the purpose of 1B001: 2. 'Axis' is A.", 2)]),
    ("For the purposes of 6.A.3.b.1., cameras are rated by pixels. 2. For the purposes of "
     "6.A.3.b.1.b.3., tracking data is T.",  # item 1 lost its label
     [("For the purposes of 6.A.3.b.1., cameras are rated by pixels.", 1),
      ("2. For the purposes of 6.A.3.b.1.b.3., tracking data is T.", 2)]),
    ("For the purposes of 3.A.1.a. Note: 1. 'Film' is F. 2. 'Stack' is S.",  # no note before
     [("For the purposes of 3.A.1.a. Note: 1. 'Film' is F.", 1),
      ("For the purposes of 3.A.1.a. Note: 2. 'Stack' is S.", 2)]),
    ("1. A resolution of n bit is 2^n levels. 2. SFDR is R. 3 A signal is full scale.",
     [("1. A resolution of n bit is 2^n levels.", 1), ("2. SFDR is R.", 2),
      ("3 A signal is full scale.", 3)]),  # Norway's label without its dot
])
def test_a_numbered_note_compares_item_by_item(text: str, parts: list[tuple[str, int]]) -> None:
    assert numbered_items(text) == parts


@pytest.mark.parametrize("text", [
    "3A225 does not control changers meeting any of the following: 1. Returned to the maker; "
    "2. Needing software; or 3. Needing keys.",  # the items of one list
    "1. Exceeding 2 W. 2 Hz is the limit.",  # a number before a unit is no label
    "Power exceeding 2. 5 W or more.",
    "The frequency is 1. The power is 2. The mass is 3.",  # no item opens with a capital
    "For the purposes of 5A001: see 1. and 2. below",
    "2. A 'stack' is rows of bars.",  # a lone item
])
def test_near_miss_numbered_notes(text: str) -> None:
    assert numbered_items(text) == [(text, 0)]


def test_an_item_whose_label_lost_its_dot_is_compared_with_it() -> None:
    assert item_label("3 A signal is full scale.", 3) == "3. A signal is full scale."
    assert item_label("For X: 3 A signal is S.", 3) == "For X: 3. A signal is S."
    assert item_label("3 A signal is full scale.", 0) == "3 A signal is full scale."
    assert item_label("3. A signal is S.", 3) == "3. A signal is S."
    assert item_label("2 A signal is S.", 3) == "2 A signal is S."  # not its label


def test_note_parts_take_the_pointer_apart_before_the_items() -> None:
    assert note_parts("SEE ALSO 6A102. 1. A 'bar' is a row. 2. A 'stack' is rows.") == [
        ("SEE ALSO 6A102.", 0), ("1. A 'bar' is a row.", 1), ("2. A 'stack' is rows.", 2)]


def test_a_numbered_note_against_separate_notes_differs_only_where_an_item_does() -> None:
    """One list prints two technical notes, another the same two as one numbered note: no
    difference; with an item's value changed, that item alone is flagged, under its number."""
    first = "For the purposes of 6D003.a, a 'diver' is a person under water."
    second = "For the purposes of 6D003.a, a 'pool' is less than 50 m long."
    joined = f"1. {first} 2. {second}"
    same = run({"wassenaar": [("6D003.a", "technical-note", first),
                              ("6D003.a", "technical-note", second)],
                "eu-annex-i": [("6D003.a", "technical-note", joined)]})
    assert changed_cells(same) == set()
    changed = run({"wassenaar": [("6D003.a", "technical-note", first),
                                 ("6D003.a", "technical-note", second)],
                   "eu-annex-i": [("6D003.a", "technical-note",
                                   joined.replace("50 m", "25 m"))]})
    assert changed_cells(changed) == {("6D003.a", "eu-annex-i")}
    differing = [f for f in findings(changed) if f[2] == "changed"]
    assert [(f[0], f[1]) for f in differing] == [("6D003.a", "eu-annex-i")]
    notes = changed.notes[(changed.notes["source"] == "eu-annex-i")
                          & (changed.notes["status"] == "substantive")]
    assert notes["text"].tolist() == [f"2. {second.replace('50 m', '25 m')}"]
    assert notes["printed"].tolist() == [joined.replace("50 m", "25 m")]
    # The item is found where its whole note is printed (the citation every fact carries).
    found = note_views.note_findings(changed.notes, changed.aligned)
    where = note_views.where_printed(changed.frame, found, {})
    item = (("eu-annex-i", f"2. {second.replace('50 m', '25 m')}"))
    assert where[item].citation == "eu-annex-i citation, 6D003.a" and where[item].location == "note"
    assert where[("wassenaar", second)].citation == "wassenaar citation, 6D003.a"


class _N:
    def __init__(self, source: str, text: str, kind: str = "note") -> None:
        self.source, self.kind, self.ikey, self.ctext = source, kind, text, text
        self.words = text.lower()


def test_merge_keeps_the_code_holding_the_reference_and_never_joins_one_list_twice() -> None:
    a, b = _N("wassenaar", "X does not apply to pumps"), _N("eu-annex-i", "X does not apply "
                                                                         "to pumps")
    c = _N("eu-annex-i", "X does not apply to pumps")
    levels = {"1A001.a": [{"eu-annex-i": b}], "1A001.a.1": [{"wassenaar": a}],
              "1A001.a.2": [{"eu-annex-i": c}]}
    merged = merge_levels(levels, {code: "wassenaar" for code in levels}, 60.0)
    joined = [m for m in merged if len(m.group) == 2]
    assert len(joined) == 1 and joined[0].code == "1A001.a.1"
    assert set(joined[0].placed.values()) <= {"1A001.a", "1A001.a.2"}
    assert len(merged) == 2  # one EU note joined; the other stays alone (siblings not related)
