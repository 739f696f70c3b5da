"""Notes as comparable content: which code a note governs, and a stable key for each note.

The segmenter hangs a note on what its layout says it annotates (harmonize.ingest.segmenter).
Many notes also *say* what they govern: "5A002.a. does not apply to ...", "For the purposes of
3.A.1.b.4., ...", "4.E.1.a. and 4.E.1.c. do not apply ...", "In 0B001.b. '...' means ...",
"ECCN 1B607.a includes ...". `place_by_name` re-hangs such a note on the code it names (for
several codes, on the closest code holding them all), when that code is a row of the same entry;
a named code the list lacks leaves the note where the layout put it.

`assign_note_keys` gives every note row `details["note_key"]`: governed code, note kind and the
note's ordinal among the notes of that kind on that code, e.g. `5A002.a/note/2`. Lists that
print the same note on the same code get the same key, so a note's text can be compared across
lists like a paragraph's (see harmonize/model.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from harmonize.codes import canonical_code, entry_code, parent_code
from harmonize.model import NOTE_KINDS, ListRow

# A code in any family style: 5A002.a, 5.A.2.a., 3.A.1.b.4.
_CODE = r"\d\s?\.?\s?[A-E]\s?\.?\s?\d{1,3}(?:\s?\.\s?[a-z0-9]{1,2}\b)*\.?"
_CODES = rf"(?:ECCNs?\s+|[Pp]aragraphs?\s+|[Ii]tems?\s+)?{_CODE}" \
         rf"(?:\s*(?:,|\band\b|\bor\b|\bto\b)\s*(?:ECCNs?\s+)?{_CODE})*"
_LEAD = r"^(?:(?:[a-z]|\d{1,2})\.\s+)?"  # a note's own list label: "1. For the purposes of ..."
_VERB = (r"(?:does|do)\s+not|includes?|(?:only\s+)?appl(?:y|ies)|(?:is|are)\s+not|controls?"
         r"|(?:is|are)\s+(?:only\s+)?(?:applicable|limited)")
_GOVERNS = re.compile(
    rf"{_LEAD}(?:For\s+the\s+purposes?\s+of\s+(?P<purpose>{_CODES})"
    rf"|For\s+(?P<short>{_CODES})\s*[,:](?!\s*see\b)"
    rf"|In\s+(?P<within>{_CODES})\s*[,:'\"‘“]"
    rf"|(?P<subject>{_CODES})\s*,?\s+(?:{_VERB})\b)"
)
_ONE_CODE = re.compile(_CODE)
_THIS_ENTRY = re.compile(rf"{_LEAD}This\s+(?:entry|ECCN)\s+(?:{_VERB})\b")
# A note about the note before it: "For the purposes of this Note, marketing includes ...".
_THIS_NOTE = re.compile(rf"{_LEAD}(?:For\s+the\s+purposes?\s+of|In)\s+this\s+Note\b")


def governed_codes(text: str, entry: str = "") -> list[str]:
    """Canonical codes a note says it governs (empty when it names none as its subject).
    "This entry does not control ..." governs `entry`."""
    text = " ".join(text.split())
    match = _GOVERNS.match(text)
    if match is None:
        return [entry] if entry and _THIS_ENTRY.match(text) else []
    named = match["purpose"] or match["short"] or match["within"] or match["subject"] or ""
    codes = [canonical_code(found.group()) for found in _ONE_CODE.finditer(named)]
    return list(dict.fromkeys(c for c in codes if c))


def common_ancestor(codes: Iterable[str]) -> str:
    """The closest code holding all of `codes` (5A001.a.2, 5A001.a.4 -> 5A001.a)."""
    split = [c.split(".") for c in codes]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if any(p != parts[0] for p in parts):
            break
        common.append(parts[0])
    return ".".join(common)


def place_by_name(rows: list[ListRow]) -> int:
    """Hang every note that names what it governs on that code (or the closest row above it),
    where the code belongs to the note's own entry. Returns how many notes moved."""
    keyed = {r.canonical: r for r in rows if r.kind in ("entry", "paragraph")}
    moved = 0
    previous: ListRow | None = None  # the note just before, when nothing came between
    for row in rows:
        if row.kind not in NOTE_KINDS:
            previous = None
            continue
        entry = row.entry or entry_code(row.canonical)
        codes = governed_codes(row.text, entry)
        if not codes and previous is not None and _THIS_NOTE.match(" ".join(row.text.split())):
            codes = [previous.canonical]  # it explains the note it follows: hung with it
        previous = row
        if not codes or any(entry_code(c) != entry for c in codes):
            continue
        target = common_ancestor(codes)
        while target and target not in keyed:
            target = parent_code(target)
        if not target or target == row.canonical:
            continue
        host = keyed[target]
        row.details["layout_code"] = row.canonical  # where the layout alone had hung it
        row.canonical = row.parent = target
        row.code, row.depth = host.code, host.depth + 1
        row.details["placed_by"] = "named code"
        moved += 1
    return moved


def note_key(governed: str, kind: str, ordinal: int) -> str:
    return f"{governed}/{kind}/{ordinal}"


def assign_note_keys(rows: Iterable[ListRow]) -> None:
    """`details["note_key"]` on every note row: governed code / kind / ordinal (1-based, in
    the order printed)."""
    seen: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row.kind in NOTE_KINDS:
            seen[(row.canonical, row.kind)] += 1
            row.details["note_key"] = note_key(row.canonical, row.kind,
                                               seen[(row.canonical, row.kind)])
