"""benchmarks/note_labels.py: a labelled note finding read on a whole printed note is the
finding of any of its parts once the comparison judges the note item by item."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import note_labels  # noqa: E402

WHOLE = "1. A 'bar' is a row. 2. A 'stack' is rows."
PART = "2. A 'stack' is rows."


def findings(text: str) -> pd.DataFrame:
    return pd.DataFrame([{"source": "eu-annex-i", "finding": "only here", "text": text,
                          "against": "wassenaar", "against_text": ""}])


def label(real: bool) -> note_labels.NoteLabel:
    return note_labels.NoteLabel("6D003", "eu-annex-i", "only here",
                                 note_labels.text_key(WHOLE), "", real, "")


def test_a_label_on_the_whole_note_is_reported_by_a_part() -> None:
    notes = pd.DataFrame([{"source": "eu-annex-i", "text": PART, "printed": WHOLE},
                          {"source": "wassenaar", "text": "x", "printed": ""}])
    printed = note_labels.printed_keys(notes)
    assert printed == {("eu-annex-i", note_labels.text_key(PART)): note_labels.text_key(WHOLE)}
    report = note_labels.evaluate(findings(PART), [label(True)], printed)
    assert (report.reported, report.true, report.hidden) == (1, 1, [])


def test_without_the_whole_note_a_part_is_another_finding() -> None:
    report = note_labels.evaluate(findings(PART), [label(True)])
    assert report.reported == 0 and report.hidden == [label(True)]
    assert note_labels.printed_keys(pd.DataFrame({"source": [], "text": []})) == {}
