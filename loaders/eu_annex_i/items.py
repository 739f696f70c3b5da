"""EU Annex I: the lines of one entry classified (tokens) and grouped into points, note
blocks, text, and blocks that belong to no entry (items)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from harmonize.ingest.segmenter import NOTE_WORDS
from loaders.eu_annex_i.dialect import HEADING, STYLE, SourceLine, clean_text, indent_of

LABEL_LINE = re.compile(r"^(?P<label>[a-z]|\d{1,2})\.(?:\s+(?P<rest>\S.*))?$")
# "b Microwave or millimetre wave items as follows:", "12 Clostridium perfringens ..." (3A501.b,
# 1C351.c.12 lost their dot in the derived copy): a point only where that label is next.
UNDOTTED_LABEL = re.compile(r"^(?P<label>[a-z]|\d{1,2})\s+(?P<rest>[A-Z\"“‘'].*)$")
# Italic (note) text: "*...*", also after a dash or a point label ("— *Array processors;*",
# "a. *Civil cellular ...*", "*a.* *Marketing purpose;*").
ITALIC_LINE = re.compile(r"^(?:[—–•-]\s*)?(?:\**(?:[a-z]|\d{1,2})\.\**\s*)?\*")
NONE_LINE = re.compile(r"^None\.?$")
FOOTNOTE_REF = re.compile(r"^\(<sup>\d{1,3}</sup>\)$")
# (N.B. is matched by NB_WORD first: it prints its number after the dot, "N.B.2".)
NOTE_WORD = re.compile(
    rf"^(?P<word>{NOTE_WORDS})(?:\s*(?P<num>\d{{1,2}}))?\s*(?P<sep>[.:]|$)\s*(?P<rest>.*)$"
)
NB_WORD = re.compile(r"^(?P<word>N\.\s?B)\s*\.?\s*(?:(?P<num>\d{1,2})\s*\.?)?\s*(?P<rest>.*)$")
# A titled note ("Note to the Cryptography Note:"): a marker whose title is its text.
TITLED_NOTE = re.compile(r"^(?:Technical\s+)?Notes?\s+to\s+.{1,60}:$")


# -- Annex I: tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One non-blank line of Annex I, classified."""

    kind: str  # heading, entry, label, undotted, italic, none, table, text
    indent: int
    body: str  # the line without its indentation, markup kept
    location: str


def tokenize(lines: Iterable[SourceLine]) -> Iterator[Token]:
    for line in lines:
        body = line.text.strip()
        if not body:
            continue
        indent = indent_of(line.text)
        if HEADING.match(body):
            kind = "heading"
        elif indent <= 3 and STYLE.entry_heading.match(body):
            kind = "entry"
        elif ITALIC_LINE.match(body):
            kind = "italic"
        elif LABEL_LINE.match(body):
            kind = "label"
        elif UNDOTTED_LABEL.match(body):
            kind = "undotted"
        elif NONE_LINE.match(body):
            kind = "none"
        elif body.startswith("|"):
            kind = "table"
        else:
            kind = "text"
        yield Token(kind, indent, body, line.location)


@dataclass(frozen=True)
class Marker:
    kind: str  # the marker the segmenter reads: "Note", "Technical Note", "N.B."
    printed: str  # "Note 1", "N.B.2", "" when the copy prints no marker
    rest: str  # text after the marker on the same line


def note_marker(text: str) -> Marker | None:
    """The note marker opening a (cleaned) italic line, if any."""
    nb = NB_WORD.match(text)
    if nb:
        printed = "N.B." + (nb["num"] or "")
        return Marker("N.B.", printed, nb["rest"])
    if TITLED_NOTE.match(text):
        return Marker("Technical Note" if text.startswith("Technical") else "Note",
                      text.rstrip(":"), text)
    word = NOTE_WORD.match(text)
    if word and (word["sep"] or not word["rest"]):
        kind = "Technical Note" if word["word"].startswith("Technical") else "Note"
        printed = " ".join(word["word"].split()) + (f" {word['num']}" if word["num"] else "")
        return Marker(kind, printed, word["rest"])
    return None


# -- Annex I: items (points, note blocks, text) -------------------------------------------------


@dataclass
class NoteBlock:
    marker: Marker
    indent: int
    location: str
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t for t in [self.marker.rest, *self.texts] if t)


@dataclass
class Item:
    """What one entry holds, in order: a point, a note block, a line of text, or a line that
    belongs to no entry (reason set)."""

    kind: str  # point, note, text, outside
    token: Token
    note: NoteBlock | None = None
    reason: str = ""


def entry_items(tokens: list[Token], code: str) -> list[Item]:
    """Group an entry's tokens: italic lines into note blocks; a "None." line or a block the
    entry cannot hold (a table, text left of every point after the points began) makes the
    rest of the entry's tokens `outside`."""
    items: list[Item] = []
    outside = ""
    last_was_note = False
    points_began = False  # a point or note is among `items` (kept, not searched: linear time)
    for token in tokens:
        points_began = points_began or bool(items and items[-1].kind in ("point", "note"))
        if outside:
            items.append(Item("outside", token, reason=outside))
            continue
        if token.kind == "none":
            outside = (f"product group preface after {code} (the copy prints 'None.' for an "
                       "empty group and lacks the group headings)")
            items.append(Item("outside", token, reason="empty product group ('None.')"))
            continue
        if token.kind == "table" or (token.kind == "text" and token.indent == 0 and
                                     points_began):
            outside = (f"table or text after {code} whose heading this copy lacks "
                       "(not part of the entry)")
            items.append(Item("outside", token, reason=outside))
            continue
        if last_was_note and items[-1].note is not None and FOOTNOTE_REF.match(token.body):
            items[-1].note.texts.append(clean_text(token.body))  # "(<sup>10</sup>)" in a note
            continue
        if token.kind == "italic":
            text = clean_text(token.body)
            marker = note_marker(text)
            if marker is not None:
                block = NoteBlock(marker, token.indent, token.location)
                items.append(Item("note", token, note=block))
            elif last_was_note and items[-1].note is not None:
                items[-1].note.texts.append(text)
            else:  # italic text without a marker: a note whose marker the copy lost
                block = NoteBlock(Marker("Note", "", ""), token.indent, token.location, [text])
                items.append(Item("note", token, note=block))
            last_was_note = True
            continue
        last_was_note = False
        if token.kind in ("label", "undotted"):
            items.append(Item("point", token))
        else:
            items.append(Item("text", token))
    return items


def group_prefaces(items: list[Item], code: str, next_code: str | None) -> None:
    """The note blocks that end an entry and precede the next product group are that group's
    (or part's) preface when they come after the last block naming the entry and start with
    a block at the left margin: mark them outside."""
    if next_code is None or next_code[:2] == code[:2]:
        return
    start = len(items)
    while start > 0 and items[start - 1].kind == "note":
        start -= 1
    blocks = [item.note for item in items[start:] if item.note is not None]
    naming = [i for i, block in enumerate(blocks) if code in block.text]
    first = next((i for i in range(naming[-1] + 1 if naming else 0, len(blocks))
                  if blocks[i].indent == 0), None)
    if first is None:
        return
    for item in items[start + first:]:
        item.kind = "outside"
        item.reason = f"product group or part preface before {next_code} (heading absent)"
