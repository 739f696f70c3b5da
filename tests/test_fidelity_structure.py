"""Structure that issue #14 fixes outside the segmenter: Wassenaar items listed only in the
Definitions, a copy's placeholder rows compared as not detailed, and `harmonize status`
printing what each list could not place. Hand-made rows and lists."""

from __future__ import annotations

import pandas as pd
import pytest

from harmonize.cli import main
from harmonize.compare import crosswalk, queries
from harmonize.model import ListRow, SourceInfo, rows_to_frame
from loaders.wassenaar.definitions import PrintedRow, add_defined_items, defined_lists, term_key
from tests.handmade import three_lists

DEFINITIONS = [
    PrintedRow(230, ((90.0, "Cat 1"), (148.0, '"Gadget Agents" ("GAs")')), False),
    PrintedRow(230, ((90.0, "ML7"), (169.0, "Substances that make gadgets work.")), False),
    PrintedRow(230, ((169.0, 'Note "GAs" include:'),), True),
    PrintedRow(230, ((198.0, "1. Gadgetane (CAS 111-11-1);"),), True),
    PrintedRow(230, ((198.0, "2. Widgetol, also known as"),), True),
    PrintedRow(230, ((216.0, "frobnium (CAS 222-22-2)."),), True),
    PrintedRow(230, ((90.0, "Cat 2"), (148.0, '"Robot"')), False),
    PrintedRow(230, ((169.0, "A manipulation mechanism."),), False),
]


def test_items_listed_in_a_definition_go_under_the_paragraph_naming_the_term() -> None:
    lists = defined_lists(DEFINITIONS)
    assert term_key('"Gadget Agents" ("GAs");') == "gadget agents"
    assert term_key('"Gadget Agents" used in toys;') is None  # more than the term: not named
    assert [(i.number, i.text) for i in lists["gadget agents"]] == [
        ("1", "Gadgetane (CAS 111-11-1);"), ("2", "Widgetol, also known as frobnium (CAS "
                                                  "222-22-2).")]
    assert "robot" not in lists  # a definition without a list adds nothing
    rows = [
        ListRow("1. A. 4.", "1A004", "", 0, "entry", "Masks:", "p. 5", entry="1A004"),
        ListRow("1.A.4.a", "1A004.a", "1A004", 1, "paragraph", "Masks against:", "p. 5",
                entry="1A004"),
        ListRow("1.A.4.a.4", "1A004.a.4", "1A004.a", 2, "paragraph",
                '"Gadget Agents" ("GAs");', "p. 5", entry="1A004"),
        ListRow("1.A.4.b", "1A004.b", "1A004", 1, "paragraph", "Suits.", "p. 5", entry="1A004"),
    ]
    assert add_defined_items(rows, lists) == ["1A004.a.4"]
    added = rows[3:5]
    assert [(r.canonical, r.parent, r.location) for r in added] == [
        ("1A004.a.4.a", "1A004.a.4", "p. 230"), ("1A004.a.4.b", "1A004.a.4", "p. 230")]
    assert added[0].details["printed_in"] == "Definitions" and added[1].details["item"] == "2"
    assert rows[5].canonical == "1A004.b"


def test_a_placeholder_row_is_not_detailed_never_substantive() -> None:
    frame, manifest = three_lists()
    us = frame[(frame["source_id"] == "us-ccl") & (frame["canonical"] != "5A001.b")]
    info = SourceInfo("us-ccl", "US", "us-ccl list", "2025-01-01", "us-ccl citation",
                      "https://example.invalid/us-ccl")
    # the copy holds 5A001.b's code but lost its text (a derived copy's placeholder row)
    placeholder = rows_to_frame(info, [
        ListRow("5A001", "5A001", "", 0, "entry", "Widgets.", "entries[0]"),
        ListRow("5A001.b", "5A001.b", "5A001", 1, "paragraph", "", "entries[0]",
                detailed=False, details={"placeholder": True}),
    ]).iloc[[1]].assign(seq=1000)
    frame = pd.concat([frame[frame["source_id"] != "us-ccl"], us, placeholder],
                      ignore_index=True)
    table = crosswalk.align(frame, manifest, crosswalk=pd.DataFrame(
        columns=["source", "code", "maps_to", "reason", "reviewed"]))
    cell = table[(table["canonical"] == "5A001.b") & (table["source"] == "us-ccl")].iloc[0]
    assert cell["status"] == "not-detailed"
    assert cell["reference_source"] == "wassenaar"


def test_status_prints_the_unplaced_count_per_list(
    store_home: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    payload = {"sources": [{"id": "toy-list", "jurisdiction": "XX", "version": "2025-03-01",
                            "entries": 3, "paragraphs": 4, "unplaced": 7,
                            "imported_at": "2025-01-01T00:00:00Z", "sha256": "0" * 64}]}
    monkeypatch.setattr(queries, "status", lambda manifest: payload)
    assert main(["status"]) == 0
    header, line = capsys.readouterr().out.splitlines()[:2]
    assert "unplaced" in header.split()
    assert line.split()[5] == "7"
