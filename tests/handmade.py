"""Small hand-made lists for the harmonization tests: every status and origin appears once."""

from __future__ import annotations

from typing import Any

import pandas as pd

from harmonize.codes import parent_code
from harmonize.model import ListRow, SourceInfo, rows_to_frame


def make_list(source_id: str, jurisdiction: str, rows: list[tuple[str, str]],
              national: tuple[str, ...] = ()) -> pd.DataFrame:
    info = SourceInfo(source_id, jurisdiction, f"{source_id} list", "2025-01-01",
                      f"{source_id} citation", f"https://example.invalid/{source_id}")
    built = []
    for i, (code, text) in enumerate(rows):
        kind = "entry" if "." not in code else "paragraph"
        depth = code.count(".")
        built.append(ListRow(code=code, canonical=code, parent=parent_code(code), depth=depth,
                             kind=kind, text=text, location=f"line {i + 1}",
                             national=code.split(".")[0] in national))
    return rows_to_frame(info, built)


def manifest_for(*lists: tuple[str, str, list[str] | None]) -> dict[str, Any]:
    """A manifest as the store writes it, with made-up provenance."""
    sources = {}
    for source_id, jurisdiction, detailed in lists:
        url = f"https://example.invalid/{source_id}"
        sources[source_id] = {
            "id": source_id, "publisher": "Publisher", "url": url, "sha256": "0" * 64,
            "imported_at": "2025-01-01T00:00:00Z", "format": "test", "raw_file": "",
            "lists": [{"id": source_id, "jurisdiction": jurisdiction, "list_name": "A list",
                       "version": "2025-01-01", "citation": f"{source_id} citation", "url": url,
                       "detailed_categories": detailed}],
        }
    return {"sources": sources}


WA = [
    ("5A001", "Telecommunication widgets, as follows:"),
    ("5A001.a", "Widgets made of aluminium having a strength of 1.95 GPa or more;"),
    ("5A001.b", "Widgets operating above 10 GHz;"),
    ("5A001.c", "Widgets for \"specially designed\" uses;"),
    ("5A001.d", "Widgets with 1 000 channels;"),
    ("9A001", "Gadgets."),
    ("9A001.a", "Gadgets for space."),
]
EU = [
    ("5A001", "Telecommunication widgets, as follows:"),
    ("5A001.a", "Widgets made of aluminium having a strength of 1,95 GPa or more; or"),
    ("5A001.b", "Widgets operating above 12 GHz;"),
    ("5A001.c", "Widgets for specially designed uses;"),
    ("5A501", "Quantum widgets."),
    ("5A101", "Missile widgets."),
    ("9A001", "Gadgets."),
    ("9A001.a", "Gadgets for space."),
]
US = [
    ("5A001", "Telecommunication widgets, as follows (see List of Items Controlled)."),
    ("5A001.a", "Widgets made of aluminum having a strength of 1.95 GPa or more;"),
    ("5A001.b", "Widgets operating above 10 GHz;"),
    ("5A001.c", "Widgets for “specially designed” uses;"),
    ("5A001.d", "Widgets with 1,000 channels;"),
    ("5A980", "Surreptitious listening widgets."),
    ("5A901", "Quantum widgets."),
    ("9A001", "Gadgets."),
]
GB = [
    ("5A001", "Telecommunication widgets, as follows:"),
    ("5A501", "Quantum widgets."),
]


def three_lists() -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = pd.concat([
        make_list("wassenaar", "WA", WA),
        make_list("eu-annex-i", "EU", EU),
        make_list("us-ccl", "US", US, national=("5A980", "5A901")),
    ], ignore_index=True)
    manifest = manifest_for(("wassenaar", "WA", None), ("eu-annex-i", "EU", None),
                            ("us-ccl", "US", ["1", "3", "4", "5"]))
    return frame, manifest
