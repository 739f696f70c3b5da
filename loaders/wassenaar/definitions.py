"""Wassenaar: items a paragraph names by a defined term and the Definitions list.

Since the 2025 edition, 1.A.4.a.4. reads only `"Riot Control Agents" ("RCAs");`: the six agents
the EU, UK, Australian, Norwegian and US lists print under 1A004.a.4 (a. to f.) are listed in
the Definitions section, in the definition's note (`Note "RCAs" include: 1. ... 6. ...`). Left
out, the other lists would seem to control six items Wassenaar lacks. This module reads such
numbered definition lists and adds them as sub-paragraphs of the paragraph that consists of the
term alone, where they are printed (location in the Definitions), with the cross-reference in
`details` (`printed_in`, `definition`, `item`). Nothing is added for a paragraph with its own
sub-paragraphs or for a term whose definition lists nothing.

Layout of the Definitions pages (WA-LIST (25) 1 Corr.): the term in quotes at x ~148 on the
row of the categories using it (x ~90), the definition's text at x ~169, its note in italics,
numbered items at x ~198 and their wrapped lines further right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from harmonize.ingest import glyphs
from harmonize.model import ListRow

TERM_X = (140.0, 160.0)  # a defined term starts a row here
_QUOTED = re.compile(r"^[\"“'‘](?P<term>[^\"”'’]{2,80})[\"”'’]")
_INCLUDES = re.compile(r"\binclude[s]?\s*:\s*$")
_ITEM = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class DefinedItem:
    number: str
    text: str
    location: str


@dataclass(frozen=True)
class PrintedRow:
    """One printed row of the Definitions: page, text of each run with its x, italic flag."""

    page: int
    runs: tuple[tuple[float, str], ...]
    italic: bool

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.runs)


def term_key(text: str) -> str | None:
    """`"Riot Control Agents" ("RCAs");` -> `riot control agents`; None when the text is not
    a quoted term alone (with its acronym and a list connector at most)."""
    plain = " ".join(glyphs.raw_text(text).split())
    match = _QUOTED.match(plain)
    if not match:
        return None
    rest = plain[match.end():].strip()
    rest = re.sub(r"^\(\s*[\"“'‘][^)]{1,20}[\"”'’]\s*\)", "", rest).strip()
    if rest not in ("", ";", ".", ",", "; or", "; and", "or", "and"):
        return None
    return " ".join(match["term"].lower().split())


def defined_lists(rows: Iterable[PrintedRow]) -> dict[str, list[DefinedItem]]:
    """Term -> the numbered items its definition's note lists after "... include:"."""
    found: dict[str, list[DefinedItem]] = {}
    term: str | None = None
    listing = False
    for row in rows:
        term_run = next((t for x, t in row.runs if TERM_X[0] <= x < TERM_X[1]), None)
        key = term_key(term_run) if term_run is not None else None
        if key is not None:
            term, listing = key, False
            continue
        if term is None:
            continue
        body = " ".join(t for x, t in row.runs if x >= TERM_X[1])
        if not listing:
            listing = bool(row.italic and _INCLUDES.search(body))
            continue
        item = _ITEM.match(body)
        items = found.setdefault(term, [])
        if item:
            items.append(DefinedItem(item["n"], item["text"], f"p. {row.page}"))
        elif items and row.italic:
            last = items[-1]
            items[-1] = DefinedItem(last.number, f"{last.text} {body}", last.location)
        else:
            listing = False
    return {k: v for k, v in found.items() if v}


def add_defined_items(rows: list[ListRow], lists: dict[str, list[DefinedItem]]) -> list[str]:
    """Insert the listed items under each childless paragraph that is a defined term alone.
    Returns the codes of the paragraphs that received items."""
    parents = {r.parent for r in rows if r.kind == "paragraph"}
    extended: list[str] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        key = term_key(row.text) if row.kind == "paragraph" else None
        items = lists.get(key or "")
        if not items or row.canonical in parents:
            index += 1
            continue
        last_label = row.canonical.rsplit(".", 1)[-1]
        labels = _child_labels(last_label, len(items))
        added = [
            ListRow(
                code=f"{row.code.rstrip('.')}.{label}", canonical=f"{row.canonical}.{label}",
                parent=row.canonical, depth=row.depth + 1, kind="paragraph", text=item.text,
                location=item.location, entry=row.entry, national=row.national,
                details={"printed_in": "Definitions", "definition": key, "item": item.number,
                         "cross_reference": f"{row.canonical} names the defined term; its "
                                            "definition lists these items"},
            )
            for label, item in zip(labels, items, strict=True)
        ]
        rows[index + 1:index + 1] = added
        extended.append(row.canonical)
        index += 1 + len(added)
    return extended


def _child_labels(parent_label: str, count: int) -> list[str]:
    """Labels alternate: below a digit come letters, below a letter digits."""
    if parent_label.isdigit():
        return [chr(ord("a") + i) for i in range(count)]
    return [str(i + 1) for i in range(count)]
