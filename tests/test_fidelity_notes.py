"""Where notes go (issue #14): the segmenter's layout rules (a note at the label column of a
paragraph's sub-paragraphs annotates that paragraph; a note inside a note's own list; "Note 2
cont." at a page top; free-standing technical notes after the entries; "Note 1.A.4.a. ..."),
and harmonize.ingest.notes (the code a note says it governs, its key). Hand-written lines."""

from __future__ import annotations

import re

from harmonize.ingest import notes
from harmonize.ingest.segmenter import CodeStyle, Line, segment
from harmonize.model import ListRow

STYLE = CodeStyle(
    "spaced",
    re.compile(r"^(?P<code>\d\.\s+[A-E]\.\s+\d{1,3}\.)(?:\s+(?P<rest>.*))?$"),
    note_indent_margin=3.0, nested_note_margin=9.0,
)


def lines(*spec: tuple[float | None, str, bool]) -> list[Line]:
    return [Line(text, f"p. {i}", indent, note=note, list_item=not note and bool(
        re.match(r"^(?:[a-z]|\d{1,2})\.\s", text))) for i, (indent, text, note) in enumerate(spec)]


def notes_of(rows: list[ListRow]) -> list[tuple[str, str, str]]:
    return [(r.kind, r.canonical, r.text) for r in rows if r.kind not in ("entry", "paragraph")]


# 9.A.1.a.1. and its last sub-paragraph b.; the notes are printed at the column of b.'s label
TREE = [
    (90.0, "9. A. 1. Gadgets, as follows:", False),
    (149.0, "a. Amplifiers as follows:", False),
    (169.0, "1. Solid-state amplifiers as follows:", False),
    (193.0, "a. Rated above 43.5 GHz;", False),
    (193.0, "b. Not used since 2016", False),
]


def test_a_note_at_the_sub_label_column_annotates_the_parent() -> None:
    seg = segment(lines(*TREE, (193.0, "N.B. For amplifiers, see 9.A.1.b.2.", True),
                        (169.0, "2. Filters;", False)), STYLE)
    assert notes_of(seg.rows) == [("nb", "9A001.a.1", "For amplifiers, see 9.A.1.b.2.")]
    assert seg.rows[-1].canonical == "9A001.a.2"
    seg = segment(lines(*TREE, (217.0, "Note Not used since 2010", True)), STYLE)
    assert notes_of(seg.rows) == [("note", "9A001.a.1.b", "Not used since 2010")]  # b.'s text
    without_indents = CodeStyle("plain", STYLE.entry_heading)
    seg = segment(lines(*TREE, (193.0, "N.B. For amplifiers, see 9.A.1.b.2.", True)),
                  without_indents)
    assert notes_of(seg.rows)[0][1] == "9A001.a.1.b"  # no layout rule: what it follows


def test_a_note_inside_a_note_is_its_own_row_and_the_list_goes_back() -> None:
    seg = segment(lines(*TREE[:4],
                        (169.0, "Technical Notes", True),
                        (168.0, "1. 'Crypto' means any of the following: a. Signatures;", True),
                        (188.0, "N.B. For activation tokens, see 9.A.2.b.", True),
                        (168.0, "2. 'Algorithm' means a cipher.", True),
                        (169.0, "Note 1 Details must be provided.", True),
                        (169.0, "Note 2 cont.", True),  # a restated marker at a page top
                        (169.0, "Upon request.", True),
                        (149.0, "b. Gadget housings;", False)), STYLE)
    assert notes_of(seg.rows) == [
        ("technical-note", "9A001.a", "1. 'Crypto' means any of the following: a. Signatures; "
                                      "2. 'Algorithm' means a cipher."),
        ("nb", "9A001.a", "For activation tokens, see 9.A.2.b."),  # hung with its note
        ("note", "9A001.a", "Details must be provided. Upon request."),  # "cont." dropped
    ]
    assert seg.continued_notes == 1
    assert [r.canonical for r in seg.rows if r.kind == "paragraph"][-1] == "9A001.b"


def test_free_standing_technical_note_opens_no_paragraphs() -> None:
    seg = segment(lines((90.0, "4. E. 1. Technology as follows:", False),
                        (149.0, "a. Technology for intrusion software.", False),
                        (135.0, "TECHNICAL NOTE ON 'ADJUSTED PEAK PERFORMANCE' ('APP')", False),
                        (90.0, "1. For each processor i, determine the peak number;", False),
                        (90.0, "2. Calculate the floating point rate R;", False),
                        (90.0, "4. E. 2. Other technology.", False)), STYLE)
    assert [r.canonical for r in seg.rows] == ["4E001", "4E001.a", "4E002"]
    assert [u.text[:2] for u in seg.unplaced] == ["TE", "1.", "2."]
    assert all("free-standing" in u.reason for u in seg.unplaced)


def test_a_note_number_never_takes_the_first_part_of_a_code() -> None:
    seg = segment(lines((90.0, "1. A. 4. Masks, as follows:", False),
                        (149.0, "a. Full face masks;", False),
                        (169.0, "Note 1.A.4.a. includes respirators.", True),
                        (169.0, "Note 2: Other masks.", True)), STYLE)
    assert [t for _, _, t in notes_of(seg.rows)] == ["1.A.4.a. includes respirators.",
                                                      "Other masks."]


def test_governed_codes_in_every_style() -> None:
    assert notes.governed_codes("5A002.a. does not apply to smart cards") == ["5A002.a"]
    assert notes.governed_codes("1. For the purposes of 3.A.1.b.4., a 'widget' is") == [
        "3A001.b.4"]
    assert notes.governed_codes("4.E.1.a. and 4.E.1.c. do not apply to disclosure") == [
        "4E001.a", "4E001.c"]
    assert notes.governed_codes("In 0B001.b. 'high strength' means") == ["0B001.b"]
    assert notes.governed_codes("ECCN 1B607.a includes controls over facilities") == ["1B607.a"]
    assert notes.governed_codes("This entry does not control toys.", "3C004") == ["3C004"]
    assert notes.governed_codes("For 'MMIC' amplifiers, see 3A001.b.2.") == []
    assert notes.governed_codes("For 3A001.b.2, see also 3A101.") == []
    assert notes.common_ancestor(["5A001.a.2", "5A001.a.4"]) == "5A001.a"


def _row(code: str, kind: str, text: str = "", parent: str | None = None) -> ListRow:
    parent = code.rsplit(".", 1)[0] if parent is None else parent
    depth = code.count(".") + (kind not in ("entry", "paragraph"))
    return ListRow(code, code, parent if kind != "entry" else "", depth, kind, text, "p. 1",
                   entry=code.split(".")[0])


def test_notes_go_to_the_code_they_name_and_get_keys() -> None:
    rows = [
        _row("5A001", "entry"), _row("5A001.d", "paragraph"), _row("5A001.d.4", "paragraph"),
        _row("5A001.d.4", "note", "5A001.d. does not apply to radios.", "5A001.d.4"),
        _row("5A001.d.4", "technical-note", "For the purposes of this Note, a radio is",
             "5A001.d.4"),
        _row("5A001.d.4", "note", "5A001.d.9 does not apply to toys.", "5A001.d.4"),  # no row
        _row("5A001.d.4", "note", "3A001 does not apply to ships.", "5A001.d.4"),  # other entry
        _row("5A001.d.4", "note", "Widgets are small.", "5A001.d.4"),
    ]
    assert notes.place_by_name(rows) == 3
    assert [(r.kind, r.canonical) for r in rows[3:]] == [
        ("note", "5A001.d"), ("technical-note", "5A001.d"), ("note", "5A001.d"),
        ("note", "5A001.d.4"), ("note", "5A001.d.4")]
    assert rows[3].details["layout_code"] == "5A001.d.4" and rows[3].depth == 2
    notes.assign_note_keys(rows)
    assert [r.details["note_key"] for r in rows[3:]] == [
        "5A001.d/note/1", "5A001.d/technical-note/1", "5A001.d/note/2", "5A001.d.4/note/1",
        "5A001.d.4/note/2"]
