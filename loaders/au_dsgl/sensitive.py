"""Australia's DSGL: the Sensitive and Very sensitive sub-lists (tables after category 9),
whose codes set `sensitivity` on the rows they name and the rows below them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from harmonize.codes import canonical_code
from harmonize.ingest.labels import labels_between
from harmonize.model import ListRow
from loaders.au_dsgl.wordml import Paragraph

SUB_LIST = re.compile(r"^(Very\s+)?sensitive\s+list\s+of\s+dual-?\s?use", re.IGNORECASE)


# --- Sensitive and Very sensitive lists -----------------------------------------------------
_SUB_CODES = re.compile(r"^(?P<codes>\d[A-E]\d{3}[^|]*?)\s*\|")
_FULL_CODE = re.compile(r"^\d[A-E]\d{3}(?:\.[a-z0-9]+)*$")
_SHORT_CODE = re.compile(r"^(?:[a-z]|\d{1,2})(?:\s*\.\s*(?:[a-z]|\d{1,2}))*\.?$")


def sensitive_codes(paragraphs: Iterable[Paragraph]) -> dict[str, str]:
    """Codes named by the Sensitive ("sensitive") and Very sensitive ("very-sensitive") lists:
    the first cell of each table row."""
    level = ""
    found: dict[str, str] = {}
    for paragraph in paragraphs:
        heading = SUB_LIST.match(paragraph.flat) if not paragraph.in_table else None
        if heading:
            level = "very-sensitive" if heading[1] else "sensitive"
            continue
        match = _SUB_CODES.match(paragraph.flat) if paragraph.in_table and level else None
        for code in expand_codes(match["codes"]) if match else []:
            if found.get(code) != "very-sensitive":
                found[code] = level
    return found


def expand_codes(cell: str) -> list[str]:
    """A code cell, abbreviated after its first code, as canonical codes:
    `7D003.d.1. to 4. & 7.` -> 7D003.d.1, .d.2, .d.3, .d.4, .d.7;
    `6A002.a.1.a., b. and c.` -> 6A002.a.1.a, .a.1.b, .a.1.c."""
    codes: list[str] = []
    previous: list[str] = []
    ranging = False
    for part in re.split(r"\s*(,|&|\band\b|\bto\b)\s*", cell.strip()):
        if part in ("", ",", "&", "and"):
            continue
        if part == "to":
            ranging = True
            continue
        canonical = canonical_code(part) or ""
        if _FULL_CODE.match(canonical):
            labels = canonical.split(".")
        elif previous and _SHORT_CODE.match(part):
            tail = [t for t in re.split(r"\s*\.\s*", part.strip(" .")) if t]
            labels = previous[: len(previous) - len(tail)] + tail
        else:
            continue  # prose in the code cell: nothing to mark
        if ranging and len(labels) == len(previous):
            codes.extend(_label_range(previous, labels))
        else:
            codes.append(".".join(labels))
        previous, ranging = labels, False
    return list(dict.fromkeys(codes))


def _label_range(first: list[str], last: list[str]) -> list[str]:
    """The codes after `first` up to `last`, which differ from it in their last label only."""
    labels = [*labels_between(first[-1], last[-1]), last[-1]]
    return [".".join([*first[:-1], label]) for label in labels]


def mark_sensitivity(rows: list[ListRow], codes: dict[str, str]) -> list[str]:
    """Set `sensitivity` on each listed code and on the rows below it; return the listed codes
    that name no entry or paragraph (deleted items the sub-lists still mention)."""
    for row in rows:
        code = row.canonical
        while code and code not in codes:
            code = code.rsplit(".", 1)[0] if "." in code else ""
        if code:
            row.sensitivity = codes[code]
    produced = {r.canonical for r in rows if r.kind in ("entry", "paragraph")}
    return sorted(c for c in codes if c not in produced)
