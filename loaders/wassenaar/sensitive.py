"""Wassenaar: the Sensitive and Very Sensitive Lists (annexes naming dual-use codes), which
mark the rows they name and the rows below them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from harmonize.codes import canonical_code
from harmonize.ingest.labels import codes_between
from harmonize.model import ListRow
from loaders.wassenaar.pages import LEFT_MARGIN, Row

_SENSITIVE_CODE = re.compile(r"\d\.[A-E]\.\d{1,3}(?:\.(?:[a-z]|\d{1,2}))*\.?")


# -- Sensitive and Very Sensitive Lists ------------------------------------------------------------

def annex_codes(rows: Iterable[Row]) -> list[str]:
    """Canonical codes named in the code column of a Sensitive / Very Sensitive List page.
    "X to Y" ranges are expanded over the last label ("9.E.3.a.1. to 9.E.3.a.5.")."""
    column = " ".join(s.text for row in rows for s in row.segments if s.x0 < LEFT_MARGIN + 20)
    codes: list[str] = []
    add_listed_codes(re.findall(rf"{_SENSITIVE_CODE.pattern}|\bto\b", column), codes)
    return list(dict.fromkeys(codes))


def add_listed_codes(tokens: Iterable[str], codes: list[str]) -> None:
    """Add to `codes` the codes of one column or cell: each token a code (spaced or not) or
    "to", which expands the range from the code before it to the next one over the last label
    ("9.E.3.a.1. to 9.E.3.a.5.")."""
    pending_range = False
    for token in tokens:
        if token == "to":
            pending_range = bool(codes)
            continue
        code = canonical_code(token.replace(" ", ""))
        if not code:
            continue
        if pending_range:
            codes.extend(codes_between(codes[-1], code))
        codes.append(code)
        pending_range = False


def mark_sensitivity(rows: list[ListRow], sensitive: Iterable[str],
                     very_sensitive: Iterable[str]) -> list[str]:
    """Mark rows whose code (or an ancestor's) is listed; return listed codes not found."""
    levels = {code: "sensitive" for code in sensitive}
    levels.update({code: "very-sensitive" for code in very_sensitive})
    known = {r.canonical for r in rows if r.kind in ("entry", "paragraph")}
    for row in rows:
        parts = row.canonical.split(".")
        found = {levels[c] for c in (".".join(parts[:n]) for n in range(1, len(parts) + 1))
                 if c in levels}
        if "very-sensitive" in found:
            row.sensitivity = "very-sensitive"
        elif found:
            row.sensitivity = "sensitive"
    return sorted(code for code in levels if code not in known)
