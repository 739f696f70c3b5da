"""UK consolidated list: one component list's printed lines as the segmenter's `Line`s (wrapped
lines joined, page-top restatements dropped, margin marks set aside, headings reported)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import NOTE_WORDS, Line, Unplaced, back_to_enclosing_note
from loaders.uk_sel.pages import MARGIN_MARK, MARGIN_X, Page, Piece, VisualLine, join_pieces

_LEVEL_STEP = 21.6  # pt between paragraph levels (114.2, 135.8, 157.4 ...)

ENTRY_CODE = r"(?:\d[A-E]\d{3}|PL\d{4}|ML\d{1,2})"
_HEADING_CODE = re.compile(rf"^(?P<code>{ENTRY_CODE})$")
_HEADING_WITH_TEXT = re.compile(rf"^(?P<code>{ENTRY_CODE})\s+(?P<rest>[A-Z\"'“‘(].*)$")
# Annex IV quotes parts of Annex I entries under their full codes ("6A001.a.2.f.").
# The item text may run on from the code without a space when pymupdf joins the two.
ANNEX_IV_CODE = re.compile(
    rf"^(?P<code>{ENTRY_CODE}(?:\.(?:[a-z]|\d{{1,2}}))*\.?)"
    r"(?:(?:\s+|(?<=\.)(?=[A-Z\"'“‘]))(?P<rest>.*))?$"
)
_UNDOTTED_LABEL = re.compile(r"[a-z]|\d{1,2}")
_LABEL_START = re.compile(r"^(?:[a-z]|\d{1,2})\s?\.(?:\s|$)")
# Two or more labels opening a line ("a. 3." restating a path, "2. a. Text"), or a bare label.
_LABEL_RUN = re.compile(r"^(?:(?:[a-z]|\d{1,2})\.(?:\s+|$)){2,}|^(?:[a-z]|\d{1,2})\.$")
_PATH_PIECE = re.compile(r"^(?:(?:[a-z]\.|\d{1,2}\.?)\s*)+$")  # "a. 1" (sic) restating a path
_RESTATED_LABELS = re.compile(r"^(?:(?:[a-z]|\d{1,2})\.\s+)+")
_WRAPPED_REFERENCE = re.compile(r"^(?:[a-z]|\d{1,2})\.\s+(?:or|and|to)\s")
_NOTE_START = re.compile(rf"^{NOTE_WORDS}\b")
_NOTE_MARKER_ONLY = re.compile(rf"^{NOTE_WORDS}\s*\d*\s*[.:]?$")
_STRUCTURAL = re.compile(r"^(?:TABLE\b|TECHNICAL NOTE ON\b)")


# -- lines for the segmenter -------------------------------------------------------------------

@dataclass
class Extracted:
    """What extract_lines made of one component list."""

    lines: list[Line] = field(default_factory=list)
    marks: dict[str, list[str]] = field(default_factory=dict)  # Line location -> margin marks
    unplaced: list[Unplaced] = field(default_factory=list)
    restatements: int = 0  # page tops restating entry and path, dropped


@dataclass
class _Pending:
    text: str
    location: str
    indent: float
    note: bool
    bare: bool  # only a code or labels: page-top restatement or label awaiting its text
    marks: list[str]
    list_item: bool = False
    merge_into: int | None = None  # index of an emitted Line this text continues


def _location(page: int, count: Counter[int]) -> str:
    count[page] += 1
    return f"p. {page}" if count[page] == 1 else f"p. {page} ({count[page]})"


def _strip_marks(line: VisualLine) -> tuple[list[Piece], list[str]]:
    """Remove the regime margin marks ([W], [T1.2*], [IV]...) leading a line."""
    marks: list[str] = []
    pieces = list(line.pieces)
    while pieces and pieces[0].x < MARGIN_X:
        first = pieces[0]
        text = first.text
        while found := MARGIN_MARK.match(text):
            marks.append(found["mark"])
            text = text[found.end():]
        if text == first.text:
            break
        if text:
            pieces[0] = replace(first, text=text)
            break
        pieces.pop(0)
    return pieces, marks


def extract_lines(pages: Iterable[Page], annex_iv: bool = False) -> Extracted:
    """Turn one component list's pages into segmenter Lines.

    Wrapped lines are joined to the line they continue, so only entry headings, paragraph labels
    and note markers open a Line; that keeps a wrapped line that happens to start with a code
    ("3A001 or 3A501.") from passing for an entry heading. Category, group and section headings
    and the text under them up to the next entry heading are reported unplaced: the model has
    no row for a category.
    """
    out = Extracted()
    count: Counter[int] = Counter()
    pending: _Pending | None = None
    pending_marks: list[str] = []
    held: str | None = None  # reason while inside a category/group heading block
    last_code = ""
    heading_location = ""
    quoted_label: str | None = None  # Annex IV: first label after "9A008.d." may restate "d."
    note_markers: list[float] = []  # indents of the note markers since the last upright line

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.merge_into is not None:
            line = out.lines[pending.merge_into]
            out.lines[pending.merge_into] = replace(line, text=f"{line.text} {pending.text}")
            if pending.marks:
                out.marks.setdefault(line.location, []).extend(pending.marks)
            pending = None
        elif pending is not None:
            out.lines.append(Line(pending.text, pending.location, pending.indent, pending.note,
                                  list_item=pending.list_item))
            if pending.marks:
                out.marks[pending.location] = pending.marks
            pending = None

    def start(text: str, page: int, indent: float, note: bool, bare: bool,
              marks: list[str], list_item: bool = False) -> None:
        nonlocal pending, pending_marks
        flush()
        pending = _Pending(text, _location(page, count), indent, note, bare,
                           [*pending_marks, *marks], list_item)
        pending_marks = []

    def feed(text: str, page: int, indent: float, italic: bool, marks: list[str]) -> None:
        nonlocal quoted_label
        # "b. or 1C210.a." is a wrapped reference, not paragraph b
        is_label = bool(_LABEL_START.match(text)) and not _WRAPPED_REFERENCE.match(text)
        if is_label and quoted_label is not None:
            label, quoted_label = text.split(".", 1)[0], None
            if label == quoted_label_of(last_code) and not italic:
                # Annex IV prints "9A008.d. <heading of 9A008>" then "d. <the item>": the item
                # text belongs to the 9A008.d row, whatever notes came between.
                add_to_heading(text)
                return
        is_note = bool(_NOTE_START.match(text))
        in_note = pending is not None and pending.note
        # An italic label after note text is the note's own list (all note text is italic).
        note_item = is_label and italic and in_note
        into_note = italic and pending is not None and not in_note
        # Left of an N.B. printed inside a note's list, inside that note: the note goes on
        # (a Line of its own, which the segmenter hands back to the enclosing note).
        back = in_note and not is_note and back_to_enclosing_note(indent, note_markers)
        if not italic:
            note_markers.clear()
        elif is_note:
            note_markers.append(indent)
        if pending is None or pending.bare or is_note or into_note or back \
                or (is_label and not note_item):
            bare = bool(re.fullmatch(r"(?:[a-z]|\d{1,2})\s?\.", text))
            start(text, page, indent, italic or is_note, bare, marks,
                  list_item=is_label and not italic)
        else:
            pending.text = f"{pending.text} {text}"
            pending.marks.extend(marks)

    def quoted_label_of(code: str) -> str:
        return code.rstrip(".").rsplit(".", 1)[-1] if "." in code else ""

    def add_to_heading(text: str) -> None:
        nonlocal pending
        if pending is not None and pending.location == heading_location:
            pending.text = f"{pending.text} {text}"
            return
        flush()
        index = next(i for i in range(len(out.lines) - 1, -1, -1)
                     if out.lines[i].location == heading_location)
        # the item's wrapped lines follow: keep collecting them for the heading's Line
        pending = _Pending(text, heading_location, 0.0, False, False, [], merge_into=index)

    for page in pages:
        for note_line in page.footnotes:
            out.unplaced.append(Unplaced(f"p. {page.number}", note_line.text, "footnote"))
        page_top, restating = True, False
        for vline in page.lines:
            pieces, marks = _strip_marks(vline)
            if not pieces:
                pending_marks.extend(marks)  # a mark on a line of its own qualifies what follows
                continue
            first = pieces[0]
            heading = _heading(pieces, annex_iv)
            if heading is not None and page_top and heading[0] == last_code:
                # Page tops restate the entry and the paragraph path ("5A001 | b." or "a. 3.");
                # the parse simply continues from the previous page, so the restatement is
                # dropped (restatements can be partial: "1C002 | c." above 1C002.c.1.d).
                restating = True
                out.restatements += 1
                pieces = pieces[1:]
                pending_marks.extend(marks)
                marks = []
                if not pieces:
                    page_top = False
                    continue
                first = pieces[0]
            elif heading is not None:
                held = None
                code, rest = heading
                last_code = code
                page_top = restating = False
                quoted_label = quoted_label_of(code) if annex_iv else None
                if not _LABEL_START.match(rest):
                    start(f"{code} {rest}".strip(), page.number, first.x, False, not rest, marks)
                    heading_location = pending.location if pending is not None else ""
                    continue
                # a heading beside its first paragraph ("4E001 | a. ..."): two Lines
                start(code, page.number, first.x, False, True, marks)
                marks, pieces, first = [], pieces[1:], pieces[1]
            page_top = False
            if restating and len(pieces) > 1 and _PATH_PIECE.match(pieces[0].text) \
                    and _NOTE_START.match(pieces[1].text):
                # "a. 1 | Technical Note 1": the path, then the note being continued
                pieces, first = pieces[1:], pieces[1]
            if len(pieces) > 1 and _UNDOTTED_LABEL.fullmatch(pieces[0].text):
                # a label printed without its dot, its text at the next tab stop ("b | Induct")
                pieces = [replace(pieces[0], text=pieces[0].text + "."), *pieces[1:]]
                first = pieces[0]
            text = join_pieces(pieces)
            if restating:
                if _LABEL_RUN.match(text):
                    path_labels, rest = _split_label_run(text)
                    text = _RESTATED_LABELS.sub("", text) if _NOTE_START.match(
                        _RESTATED_LABELS.sub("", text)) else rest
                    if not text:
                        pending_marks.extend(marks)
                        continue
                if _NOTE_MARKER_ONLY.match(_RESTATED_LABELS.sub("", text)) \
                        and pending is not None and pending.note:
                    continue  # "Technical Notes:" / "a. Technical Notes" restated above its rest
                restating = False
            if all(p.bold for p in pieces) and (first.x < MARGIN_X or _STRUCTURAL.match(text)):
                flush()
                reason = "table (columns not parsed)" if text.startswith("TABLE") else (
                    "category, group or section heading")
                out.unplaced.append(Unplaced(f"p. {page.number}", text, reason))
                held = reason if reason.startswith("table") else (
                    "category or group note (belongs to no entry)" if last_code
                    else "before the first entry")
                pending_marks = []
                continue
            if held is not None:
                out.unplaced.append(Unplaced(f"p. {page.number}", text, held))
                continue
            italic = first.italic
            if _LABEL_RUN.match(text):
                # "a. 3." restating a path at a page top, or "2. a. Text": one Line per label
                path_labels, text = _split_label_run(text)
                for step, label in enumerate(path_labels):
                    # labels run together on one line: each the next tab stop further in
                    feed(label, page.number, first.x + step * _LEVEL_STEP, italic, marks)
                    marks = []
                if not text:
                    continue
                indent = first.x + len(path_labels) * _LEVEL_STEP
            else:
                indent = first.x
            feed(text, page.number, indent, italic, marks)
    flush()
    return out


def _split_label_run(text: str) -> tuple[list[str], str]:
    """Labels restating a path, and the paragraph that follows them on the same line:
    'a. 3.' -> (['a.', '3.'], ''); 'b. 5. Text' -> (['b.'], '5. Text')."""
    tokens = text.split()
    consumed = 0
    while consumed < len(tokens) and re.fullmatch(r"(?:[a-z]|\d{1,2})\.", tokens[consumed]):
        consumed += 1
    if consumed == len(tokens):
        return tokens, ""
    return tokens[: consumed - 1], " ".join(tokens[consumed - 1:])


def _heading(pieces: list[Piece], annex_iv: bool) -> tuple[str, str] | None:
    """(code, heading text) when the line opens an entry: a code at the left margin, alone
    or run together with its capitalised heading text."""
    first = pieces[0]
    if first.x >= MARGIN_X:
        return None
    rest = join_pieces(pieces[1:])
    if _HEADING_CODE.match(first.text):
        return first.text, rest
    found = _HEADING_WITH_TEXT.match(first.text)
    if found:
        return found["code"], " ".join(filter(None, [found["rest"], rest]))
    if annex_iv:
        found = ANNEX_IV_CODE.match(first.text)
        if found and canonical_code(found["code"]):
            return found["code"], " ".join(filter(None, [found["rest"], rest]))
    return None
