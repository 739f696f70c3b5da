"""Australia's DSGL: a block of paragraphs as the shared segmenter's `Line`s (full codes as
restated paths, run-together labels split, note-styled text merged into its note, paragraph
styles on the indentation grid marked as list text)."""

from __future__ import annotations

import re

from harmonize.ingest.labels import alternating
from harmonize.ingest.segmenter import NOTE_WORDS, Line
from loaders.au_dsgl.wordml import Paragraph

PART2_GRID = 0.0  # Part 2 paragraph labels sit on whole steps (1701, 2268 ... twips)
PART1_GRID = 0.5  # Part 1 paragraph labels sit on half steps (851, 1418 ... twips)

# --- Codes and styles ---------------------------------------------------------------------------
# A code opening a paragraph (tabs between its parts). Part 2 tolerates the file's slips.
DUAL_CODE = re.compile(
    r"^\s*(?:(?P<cat>\d)\s*\.?\s*)?(?P<group>[A-E])\s*\.?\s*(?P<num>\d{3})(?!\d)\s*\.?"
)
ML_CODE = re.compile(r"^\s*ML\s?\d{1,3}(?!\d)\s*\.?")
_GROUP_DOT = re.compile(r"^\s*[A-E]\s*\.")
# One paragraph label ("j." or "12.") followed by white space or the end of the text.
_LABEL_RUN = re.compile(r"(?P<label>[a-z]|\d{1,2})\s*\.(?:\s+|$)")

# Styles the List uses for Notes, Technical Notes, N.B.s and their lists (and formulas in them).
_NOTE_STYLE = re.compile(r"note|nb|tech|formula", re.IGNORECASE)
# A marker, its number, then ':' or '.' or the end: the dot of "N.B." is not that '.' (an
# "N.B. For ..." sentence inside a note's list stays in the note), hence the atomic group.
_NOTE_MARKER = re.compile(rf"^\s*(?>{NOTE_WORDS})(?:\s+\d{{1,2}})?\s*(?:[.:]|$)")


# --- From paragraphs to the segmenter's lines ---------------------------------------------------
def to_lines(paragraphs: list[Paragraph], code: re.Pattern[str], grid_offset: float) -> list[Line]:
    """The shared segmenter's lines for one block of the List.

    - A full paragraph code (`5.⇥A.⇥001.⇥j.⇥1.⇥text`) becomes the restated entry heading, one
      `restates` step per label on the way, and the paragraph itself.
    - A paragraph opening with two labels (`1.⇥a.⇥text`) becomes `1.` and `a. text`.
    - Note-styled text without a marker continues the note before it and is merged into it, so
      that the items of a note's own list never pass for paragraphs.
    - A label in a paragraph style, on this Part's indentation grid (`grid_offset`), is list
      text (`Line.list_item`): it closes a note printed between a paragraph and its children.
    """
    lines: list[Line] = []
    kept = [p for p in paragraphs if p.text.strip()]
    category = ""  # category digit of the last code seen, for a code printed without it
    for position, paragraph in enumerate(kept):
        text = re.sub(r"^(\s*N\.\s?B\.)(\d)", r"\1 \2", paragraph.text)  # "N.B.1:" -> "N.B. 1:"
        note = bool(_NOTE_STYLE.search(paragraph.style))
        match = _code_at_start(code, paragraph)
        if match:
            category = match.groupdict().get("cat") or category
            labels, rest_at = _leading_labels(text, match.end())
            rest = text[rest_at:].strip()
            if labels and _note_item_in_disguise(kept, position, labels[-1]):
                # A note list item printed with a full code between two items of that list.
                _add_note_text(lines, f"{labels[-1]}. {rest}", paragraph)
            elif labels:
                entry = _entry_part(match, category)
                lines.extend(_full_code_lines(paragraph, entry, labels, rest))
            else:
                lines.append(Line(text, paragraph.location, paragraph.indent))
            continue
        if note and not _NOTE_MARKER.match(text) and lines and _is_note(lines[-1]):
            _add_note_text(lines, text, paragraph)
            continue
        labels, rest_at = _leading_labels(text, 0)
        list_item = (
            bool(labels) and bool(paragraph.style) and not note and not paragraph.in_table
            and paragraph.indent is not None and _on_grid(paragraph.indent, grid_offset)
        )
        if len(labels) > 1 and not note and alternating(labels):
            first = paragraph.indent - len(labels) + 1 if paragraph.indent is not None else None
            for depth, label in enumerate(labels[:-1]):
                indent = first + depth if first is not None else None
                lines.append(Line(f"{label}.", paragraph.location, indent, list_item=list_item))
            lines.append(Line(f"{labels[-1]}. {text[rest_at:].strip()}", paragraph.location,
                              paragraph.indent, list_item=list_item))
            continue
        lines.append(Line(text, paragraph.location, paragraph.indent, note, list_item))
    return lines


def _code_at_start(code: re.Pattern[str], paragraph: Paragraph) -> re.Match[str] | None:
    match = code.match(paragraph.text) if not paragraph.in_table else None
    if match and "cat" in code.groupindex and not match["cat"]:
        # Without its category digit, a code must at least print "A." to be told from prose.
        return match if _GROUP_DOT.match(paragraph.text) else None
    return match


def _leading_labels(text: str, start: int) -> tuple[list[str], int]:
    """Labels right at `start` ("j.⇥1.⇥a.⇥") and where the text after them begins."""
    labels: list[str] = []
    position = start
    while True:
        at = position + (len(text[position:]) - len(text[position:].lstrip()))
        match = _LABEL_RUN.match(text, at)
        if not match:
            return labels, position
        labels.append(match["label"])
        position = match.end()


def _entry_part(match: re.Match[str], category: str) -> str:
    """The entry code of a full code, as printed; a Part 2 code printed without its category
    digit (`A.⇥002.⇥o.⇥3.` inside 8A002) gets the digit of the codes before it."""
    printed = " ".join(match.group().split())
    if "cat" in match.re.groupindex and not match["cat"] and category:
        return f"{category}. {printed}"
    return printed


def _full_code_lines(
    paragraph: Paragraph, printed: str, labels: list[str], rest: str
) -> list[Line]:
    """`5.⇥A.⇥001.⇥j.⇥1.⇥text` -> `5. A. 001.` (restates the entry), `j.` (one step down),
    `1. text` (the paragraph). Indents follow the one-step-per-level layout, so that the levels
    passed through keep an indent the segmenter can compare later siblings with."""
    first = paragraph.indent - len(labels) + 1 if paragraph.indent is not None else None
    lines = [Line(printed, paragraph.location)]
    for depth, label in enumerate(labels):
        last = depth == len(labels) - 1
        lines.append(Line(
            f"{label}. {rest}" if last else f"{label}.", paragraph.location,
            first + depth if first is not None else None, list_item=last, restates=not last,
        ))
    return lines


def _is_note(line: Line) -> bool:
    return line.note or bool(_NOTE_MARKER.match(line.text))


def _add_note_text(lines: list[Line], text: str, paragraph: Paragraph) -> None:
    """Append note text to the note line before it, or start a note-styled line."""
    if lines and _is_note(lines[-1]):
        last = lines[-1]
        lines[-1] = Line(f"{last.text} {text.strip()}", last.location, last.indent, note=True)
    else:
        lines.append(Line(text, paragraph.location, paragraph.indent, note=True))


def _on_grid(indent: float, offset: float) -> bool:
    return abs((indent - offset) - round(indent - offset)) < 0.1


def _note_item_in_disguise(kept: list[Paragraph], position: int, label: str) -> bool:
    """True when the paragraphs before and after are note-styled items labelled just before
    and just after `label` (ML910.e of the 2024 List is a note item printed as a full code)."""
    if not 0 < position < len(kept) - 1 or len(label) != 1 or not label.isalpha():
        return False
    before, after = kept[position - 1], kept[position + 1]
    return (
        bool(_NOTE_STYLE.search(before.style)) and bool(_NOTE_STYLE.search(after.style))
        and _leading_labels(before.text, 0)[0][:1] == [chr(ord(label) - 1)]
        and _leading_labels(after.text, 0)[0][:1] == [chr(ord(label) + 1)]
    )
