"""Hand-made lists whose paragraphs agree word for word while their notes differ: the EU
changes a threshold in a definition note, the US lacks that note and prints a decontrol note
of its own on a paragraph. Shared by the view, export and page tests of notes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from harmonize.compare import analysis, lenses
from harmonize.model import ListRow, SourceInfo, rows_to_frame
from tests.handmade import manifest_for
from tests.test_note_compare import DECONTROL, DEFINITION, SPOOFING

__all__ = ["BOOK", "DECONTROL", "DEFINITION", "NOTES", "SPOOFING", "note_analysis",
           "note_lists"]

ENTRY = [("4D004", "Software specially designed for intrusion, as follows:"),
         ("4D004.a", "Software operating above 10 GHz;"),
         ("4D004.b", "Software for covert updates.")]
NOTES: dict[str, list[tuple[str, str, str]]] = {
    "wassenaar": [("4D004", "note", DECONTROL), ("4D004", "note", DEFINITION)],
    "eu-annex-i": [("4D004", "note", DECONTROL),
                   ("4D004", "note", DEFINITION.replace("300 MHz", "500 MHz"))],
    "us-ccl": [("4D004", "note", DECONTROL), ("4D004.a", "note", SPOOFING)],
}
JURISDICTIONS = {"wassenaar": "WA", "eu-annex-i": "EU", "us-ccl": "US"}
BOOK = lenses.LensBook((lenses.Lens("intrusion", "Intrusion software", "", "", ("4D004",),
                                    ()),), ())


def make_list(source_id: str, notes: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The entry and its paragraphs, then the notes (governed code, kind, text) keyed as the
    loaders' finish() keys them, each with its own citation."""
    info = SourceInfo(source_id, JURISDICTIONS[source_id], f"{source_id} list", "2025-01-01",
                      f"{source_id} citation", f"https://example.invalid/{source_id}")
    built = [ListRow(code=code, canonical=code, parent=code.rpartition(".")[0],
                     depth=code.count("."), kind="paragraph" if "." in code else "entry",
                     text=text, location=f"line {i}") for i, (code, text) in enumerate(ENTRY)]
    ordinals: dict[tuple[str, str], int] = {}
    for i, (code, kind, text) in enumerate(notes):
        ordinals[(code, kind)] = ordinals.get((code, kind), 0) + 1
        built.append(ListRow(code=code, canonical=code, parent=code, depth=code.count(".") + 1,
                             kind=kind, text=text, location=f"note line {i}",
                             details={"note_key": f"{code}/{kind}/{ordinals[(code, kind)]}"}))
    return rows_to_frame(info, built)


def note_lists() -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = pd.concat([make_list(s, n) for s, n in NOTES.items()], ignore_index=True)
    return frame, manifest_for(*((s, JURISDICTIONS[s], None) for s in NOTES))


def note_analysis() -> analysis.Analysis:
    frame, manifest = note_lists()
    return analysis.analyse(frame, manifest, "wassenaar", book=BOOK)
