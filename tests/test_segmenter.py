"""The shared segmenter on a hand-written Wassenaar-style stream."""

from __future__ import annotations

import re

from harmonize.ingest.segmenter import CodeStyle, Line, note_kind, segment

STYLE = CodeStyle(
    "spaced",
    re.compile(r"^(?P<code>\d\.\s+[A-E]\.\s+\d{1,3}\.)(?:\s+(?P<rest>.*))?$"),
    noise=(re.compile(r"^LIST-HEADER"), re.compile(r"^- \d+ -$")),
    is_national=lambda code: code.startswith("9A9"),
)

STREAM = """\
Category preface text
9. A. 1.
Gadgets, as follows:
a.
Gadgets having any of the following:
1.
A frequency above 10 GHz;
2.
A mass below 3 kg;
Note 1
9.A.1.a.2. applies only to portable gadgets.
9. A. 1.
b.
Gadget parts having:
1.
Being sealed units having any of the following:
a.
A seal rated above 5 bar;
b.
A seal rated below 1 bar;
2.
Being open units having all of the following:
a. Fitted with a valve
LIST-HEADER (25) 1
- 85 -
9. A. 1.
b.
2.
b. Fitted with a gauge
Note
9.A.1.b.2.b. does not apply to gadgets for:
a. Toy use; or
b. Museum display
c. Film props
Technical Note
'Sealed' means closed to air.
9. A. 1.
c.
Gadget housings
z.
Out of sequence text
9. A. 901.
National gadgets.
"""


def run() -> list[tuple[str, str, str, int]]:
    lines = [Line(t, f"line {i + 1}") for i, t in enumerate(STREAM.splitlines())]
    seg = segment(lines, STYLE)
    return [(r.kind, r.canonical, r.parent, r.depth) for r in seg.rows]


def test_tree_codes_and_parents() -> None:
    rows = run()
    paragraphs = [c for k, c, _, _ in rows if k == "paragraph"]
    assert paragraphs == [
        "9A001.a", "9A001.a.1", "9A001.a.2", "9A001.b", "9A001.b.1", "9A001.b.1.a",
        "9A001.b.1.b", "9A001.b.2", "9A001.b.2.a", "9A001.b.2.b", "9A001.c",
    ]
    assert ("paragraph", "9A001.b.2.b", "9A001.b.2", 3) in rows
    assert [c for k, c, _, _ in rows if k == "entry"] == ["9A001", "9A901"]


def test_notes_attach_and_keep_their_own_lists() -> None:
    seg = segment([Line(t, f"line {i + 1}") for i, t in enumerate(STREAM.splitlines())], STYLE)
    notes = [r for r in seg.rows if r.kind in ("note", "technical-note")]
    assert [(n.kind, n.canonical) for n in notes] == [
        ("note", "9A001.a.2"), ("note", "9A001.b.2.b"), ("technical-note", "9A001.b.2.b"),
    ]
    assert "a. Toy use; or b. Museum display c. Film props" in notes[1].text
    # The note's own "c." must not become paragraph 9A001.b.2.c
    assert "9A001.b.2.c" not in {r.canonical for r in seg.rows}


def test_continued_lines_join_text_and_noise_is_counted() -> None:
    seg = segment([Line(t, f"line {i + 1}") for i, t in enumerate(STREAM.splitlines())], STYLE)
    by_code = {r.canonical: r for r in seg.rows if r.kind == "paragraph"}
    assert by_code["9A001.b.2.b"].text == "Fitted with a gauge"
    assert seg.dropped_noise == 2


def test_unplaced_text_is_reported_not_dropped() -> None:
    seg = segment([Line(t, f"line {i + 1}") for i, t in enumerate(STREAM.splitlines())], STYLE)
    reasons = {(u.location, u.reason.split(" ")[0]) for u in seg.unplaced}
    assert ("line 1", "before") in reasons
    out_of_sequence = [u for u in seg.unplaced if u.text.startswith("z.")]
    assert out_of_sequence and out_of_sequence[0].location == "line 40"
    housing = next(r for r in seg.rows if r.canonical == "9A001.c")
    assert "z. Out of sequence text" in housing.text


def test_national_flag_from_style() -> None:
    seg = segment([Line(t, "x") for t in STREAM.splitlines()], STYLE)
    assert {r.canonical for r in seg.rows if r.national} == {"9A901"}


def test_indent_breaks_ties_between_levels() -> None:
    # After a.1.a, "b." could be a.1.b or b; the indent says it is the top-level b.
    lines = [
        Line("9. A. 2.", "1", 0), Line("a. Top", "2", 10), Line("1. Mid", "3", 20),
        Line("a. Deep", "4", 30), Line("b. Top again", "5", 10),
    ]
    seg = segment(lines, STYLE)
    assert [r.canonical for r in seg.rows][-1] == "9A002.b"
    no_indent = segment([Line(x.text, x.location) for x in lines], STYLE)
    assert [r.canonical for r in no_indent.rows][-1] == "9A002.a.1.b"


def test_note_kinds() -> None:
    assert note_kind("Technical Note") == "technical-note"
    assert note_kind("N.B.") == "nb"
    assert note_kind("Nota Bene") == "nb"
    assert note_kind("Notes") == "note"


def test_any_pattern_agrees_with_a_search_per_pattern() -> None:
    from harmonize.ingest.segmenter import any_pattern

    texts = ["", "WA-LIST (25) 1", "- 12 -", "Page 3", "x Page 3", "abcabc", "ABC", "12-01-2025"]
    families = [
        (re.compile(r"^WA-LIST\s*\(\d+\)\s*\d+$"), re.compile(r"^-\s*\d{1,3}\s*-$"),
         re.compile(r"Page \d")),  # joined into one pattern
        (re.compile(r"(abc)\1"), re.compile(r"^- \d")),  # a back-reference: one by one
        (re.compile(r"(?P<x>A)B"), re.compile(r"C")),  # a group name: one by one
        (re.compile(r"abc", re.IGNORECASE), re.compile(r"Page")),  # mixed flags: one by one
        (re.compile(r"(?i)abc"), re.compile(r"x")),  # an inline flag, only valid at the start
        (),
    ]
    for patterns in families:
        test = any_pattern(patterns)
        assert [test(t) for t in texts] == [any(p.search(t) for p in patterns) for t in texts]
