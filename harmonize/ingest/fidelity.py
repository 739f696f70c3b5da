"""How faithfully a parsed list renders what its publisher printed: measures over the rows.

Each measure is a pure function over one list's rows, so the benchmark
(`benchmarks/bench_fidelity.py`), the integration tests and `harmonize status` read the same
numbers:

- private-use glyphs: symbol-font characters (U+E000–U+F8FF) left unmapped;
- flattened powers of ten: `10-14 J`, `14.65 x 106 m`, `10 −4` (a lost superscript);
- odd degree signs: `215ºC` (masculine ordinal), `-50oC` (letter o) or `145ᵒC` (a raised
  letter o) for °C, and `0.05ᵒ` for a degree of angle;
- broken line-end hyphens: `non- volatile`;
- note placement: of the notes that name the code they govern ("X does not apply to…",
  "For the purposes of X…", "X includes…"), the share hung on that code or an ancestor of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from harmonize.codes import canonical_code
from harmonize.model import NOTE_KINDS

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# A number, a multiplication sign, then 10 followed by digits that were a superscript.
FLATTENED_POWER = re.compile(r"\d\s*[x×]\s*10\s?[-−–]?\s?\d{1,2}(?![\d.,])")
# Also a raised letter o ("145ᵒC", a PDF's superscript o rendered as printed).
ODD_DEGREE = re.compile(r"\d\s*(?:º|o|ᵒ)\s*[CF]\b|\d\s?[ºᵒ](?![A-Za-z])")
# A hyphen at a line end left before a space: "non- volatile"; not a suspended hyphen
# ("pre- and post-") and not a dash between words ("- the").
BROKEN_HYPHEN = re.compile(r"\b[a-z]{2,}- (?!and\b|or\b|to\b|nor\b)[a-z]{2,}")
# A code in any family style, e.g. 5A001.d, 5.A.1.d., 3.A.1.b.4, optionally after "ECCN".
_PREFIX = r"(?:ECCNs?\s+|[Pp]aragraph\s+|[Ii]tem\s+)?"
_CODE = r"\d\s*\.?\s*[A-E]\s*\.?\s*\d{1,3}(?:\s*\.\s*[a-z0-9]{1,2}\b)*\.?"
NAMING_NOTE = re.compile(
    rf"^(?:(?:Note|N\.B\.|Technical Note)\s*\d*\s*[:.]?\s*)?"
    rf"(?:For the purposes? of\s+{_PREFIX}(?P<purpose>{_CODE})"
    rf"|{_PREFIX}(?P<subject>{_CODE})\s+(?:does not|do not|includes?|applies|only applies|"
    rf"is not|are not))")


def private_use_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["text"].astype(str).str.contains(PRIVATE_USE)]


def flattened_power_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["text"].astype(str).str.contains(FLATTENED_POWER)]


def odd_degree_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["text"].astype(str).str.contains(ODD_DEGREE)]


def broken_hyphen_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["text"].astype(str).str.contains(BROKEN_HYPHEN)]


def named_code(text: str) -> str | None:
    """The canonical code a note names as the one it governs, or None."""
    match = NAMING_NOTE.match(text.strip())
    if not match:
        return None
    return canonical_code(match["purpose"] or match["subject"])


def holds(ancestor: str, code: str) -> bool:
    """`ancestor` is `code` or one of its ancestors (5A001.d holds 5A001.d.4)."""
    return code == ancestor or code.startswith(ancestor + ".")


@dataclass(frozen=True)
class NotePlacement:
    naming: int  # notes that name the code they govern
    placed: int  # of those, hung on that code or an ancestor of it
    misplaced: tuple[tuple[str, str], ...]  # (named code, code the note hangs on)
    # Of the naming notes, those the layout alone had already hung right: the loaders re-hang
    # a note on the code it names (harmonize.ingest.notes, `details.layout_code` keeps where
    # the layout put it), so `placed` also credits that rule; this share does not.
    by_layout: int = 0

    @property
    def share(self) -> float | None:
        return self.placed / self.naming if self.naming else None

    @property
    def layout_share(self) -> float | None:
        return self.by_layout / self.naming if self.naming else None


def note_placement(rows: pd.DataFrame) -> NotePlacement:
    notes = rows[rows["kind"].isin(NOTE_KINDS)]
    naming = placed = by_layout = 0
    misplaced: list[tuple[str, str]] = []
    details = notes["details"] if "details" in notes else pd.Series([""] * len(notes))
    for text, parent, extra in zip(notes["text"].astype(str), notes["parent"].astype(str),
                                   details.astype(str), strict=True):
        code = named_code(text)
        if code is None:
            continue
        naming += 1
        if holds(parent, code):
            placed += 1
        else:
            misplaced.append((code, parent))
        layout = _layout_code(extra) or parent
        by_layout += holds(layout, code)
    return NotePlacement(naming, placed, tuple(misplaced), by_layout)


def _layout_code(details: str) -> str:
    if '"layout_code"' not in details:
        return ""
    return str(json.loads(details).get("layout_code", ""))


@dataclass(frozen=True)
class ListFidelity:
    list_id: str
    rows: int
    private_use: int
    flattened_powers: int
    odd_degrees: int
    broken_hyphens: int
    notes: NotePlacement


def list_fidelity(list_id: str, rows: pd.DataFrame) -> ListFidelity:
    return ListFidelity(
        list_id, len(rows), len(private_use_rows(rows)), len(flattened_power_rows(rows)),
        len(odd_degree_rows(rows)), len(broken_hyphen_rows(rows)), note_placement(rows))


def fidelity(frame: pd.DataFrame) -> list[ListFidelity]:
    """The measures for every list in a frame of loaded rows, by list id."""
    return [list_fidelity(str(list_id), rows)
            for list_id, rows in frame.groupby("source_id", sort=True)]
