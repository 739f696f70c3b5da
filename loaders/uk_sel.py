"""UK Strategic Export Control List (consolidated PDF of the Export Control Joint Unit).

The PDF bundles seven component lists, each typeset from its own Word file; every page carries a
footer naming the component ("UK Military List (Page 5 of 37)", "Dual-Use List - Category 5
[Page 1 of 22]", "Dual-Use List – Annex IV [...]"), the Word file and a date. The footer title is
what assigns a page to a list, so a reordered or re-paginated edition still splits correctly.

Layout conventions the parser relies on (all measured with pymupdf):
- an entry heading prints its code alone at the left margin (x ≈ 57 pt) with the heading text at
  x ≈ 114 on the same baseline; paragraph levels sit 21.6 pt apart (114, 136, 157, 179 ...);
- page tops restate the entry code and the paragraph path ("5A001 | b." or "a. 3."), sometimes
  only in part: the restatement is dropped and the parse simply continues from the page before;
- regime margin marks (`[W]`, `[WS]`, `[T1.2]`, `[IV]`...) sit in the same left margin, on the
  line they qualify or on a line of their own just before it; they go to details["regime_marks"];
- notes ("Note:", "Technical Note:", "N.B.") and their own a./1. lists are set in italic; bold
  italic is Annex IV's mark for wording that differs from Annex I, not a note;
- category, group and section headings are bold at the left margin; footnotes are small type
  above the footer.

Lists produced: "uk-sel" (the UK Dual-Use List: Annex I of assimilated Regulation 428/2009,
categories 0-9, plus the national `PL8001`, `PL9002`-`PL9012` entries of Schedule 3, marked
national), "uk-sel-annex-iv" (Annex IV) and "uk-sel-ml" (the UK Military List, Schedule 2, with
its national `PL5001`). The other four component lists are left out with a note each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pymupdf

from harmonize.codes import canonical_code, entry_code
from harmonize.ingest import glyphs
from harmonize.ingest.segmenter import (
    CodeStyle,
    Line,
    Unplaced,
    back_to_enclosing_note,
    segment,
)
from harmonize.model import ListRow
from loaders.base import LoaderError, ParsedList, SourceMeta, finish, source_info

META = SourceMeta(
    source_id="uk-sel",
    jurisdiction="GB",
    list_name="UK Dual-Use List",
    publisher="UK Export Control Joint Unit (GOV.UK)",
    url=(
        "https://www.gov.uk/government/publications/uk-strategic-export-control-lists-the-"
        "consolidated-list-of-strategic-military-and-dual-use-items-that-require-export-"
        "authorisation"
    ),
    format="PDF",
    licence="Open Government Licence v3.0",
    citation="UK Strategic Export Control List (16 December 2025)",
    file_patterns=("*.pdf",),
    expected_entries=(340, 480),
)

ANNEX_IV_ID = "uk-sel-annex-iv"
MILITARY_ID = "uk-sel-ml"
ANNEX_IV_EXPECTED = (30, 150)
MILITARY_EXPECTED = (20, 40)

# Component lists, recognised by the title in the page footer.
PART_DUAL_USE = "dual-use"  # Annex I: introduction, definitions, categories 0-9
PART_NATIONAL = "national"  # Schedule 3, the "UK Dual-Use List" of PL entries
PART_ANNEX_IV = "annex-iv"
PART_MILITARY = "military"
_PART_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^UK Military List\b"), PART_MILITARY),
    (re.compile(r"^UK Dual-Use List\b"), PART_NATIONAL),
    (re.compile(r"^Dual-Use List\s*[-–]\s*Annex IV\b"), PART_ANNEX_IV),
    (re.compile(r"^Dual-Use List\s*[-–]\s*(Introduction|Definitions|Category \d)\b"),
     PART_DUAL_USE),
    (re.compile(r"^Strategic Export Control Lists: Contents and Introduction"), "contents"),
    (re.compile(r"^Non-military Firearms List\b"), "Non-military Firearms List"),
    (re.compile(r"^Human Rights List\b"), "Human Rights List"),
    (re.compile(r"^UK Security and Human Rights List\b"), "UK Security and Human Rights List"),
    (re.compile(r"^UK Radioactive Sources? List\b"), "UK Radioactive Sources List"),
)
_LEFT_OUT = {
    "Non-military Firearms List": "Annex I to assimilated Regulation 258/2012",
    "Human Rights List": "Annexes II-IV to assimilated Regulation 125/2019",
    "UK Security and Human Rights List": "Articles 4A and 42S of the Export Control Order 2008",
    "UK Radioactive Sources List": "Schedule to the Export of Radioactive Sources (Control) "
                                   "Order 2006",
}

MARGIN_X = 100.0  # codes, margin marks and section headings start left of this (text at ~114)
_FOOTER_BAND = 60.0  # footer lines sit within this distance of the page bottom
_FOOTNOTE_BAND = 110.0  # footnotes sit just above the footer
_SAME_LINE = 2.5  # pt: pieces whose tops differ less than this share a baseline
_LEVEL_STEP = 21.6  # pt between paragraph levels (114.2, 135.8, 157.4 ...)
_RAISED = 8.0  # pt: a superscript or subscript belongs to the line whose top is this near

ENTRY_CODE = r"(?:\d[A-E]\d{3}|PL\d{4}|ML\d{1,2})"
_HEADING_CODE = re.compile(rf"^(?P<code>{ENTRY_CODE})$")
_HEADING_WITH_TEXT = re.compile(rf"^(?P<code>{ENTRY_CODE})\s+(?P<rest>[A-Z\"'“‘(].*)$")
# Annex IV quotes parts of Annex I entries under their full codes ("6A001.a.2.f.").
# The item text may run on from the code without a space when pymupdf joins the two.
_ANNEX_IV_CODE = re.compile(
    rf"^(?P<code>{ENTRY_CODE}(?:\.(?:[a-z]|\d{{1,2}}))*\.?)"
    r"(?:(?:\s+|(?<=\.)(?=[A-Z\"'“‘]))(?P<rest>.*))?$"
)
_MARGIN_MARK = re.compile(r"^\[(?P<mark>[A-Z][A-Za-z0-9.&*/\-]{0,20})\]\s*")
_MARGIN_MARK_RUN = re.compile(r"^(?:\[[A-Z][A-Za-z0-9.&*/\-]{0,20}\]\s*)+")
_UNDOTTED_LABEL = re.compile(r"[a-z]|\d{1,2}")
_LABEL_START = re.compile(r"^(?:[a-z]|\d{1,2})\s?\.(?:\s|$)")
# Two or more labels opening a line ("a. 3." restating a path, "2. a. Text"), or a bare label.
_LABEL_RUN = re.compile(r"^(?:(?:[a-z]|\d{1,2})\.(?:\s+|$)){2,}|^(?:[a-z]|\d{1,2})\.$")
_PATH_PIECE = re.compile(r"^(?:(?:[a-z]\.|\d{1,2}\.?)\s*)+$")  # "a. 1" (sic) restating a path
_RESTATED_LABELS = re.compile(r"^(?:(?:[a-z]|\d{1,2})\.\s+)+")
_WRAPPED_REFERENCE = re.compile(r"^(?:[a-z]|\d{1,2})\.\s+(?:or|and|to)\s")
_NOTE_MARKER = r"(?:Technical\s+Notes?|Nota\s+Bene|N\.\s?B\.?|Notes?)"
_NOTE_START = re.compile(rf"^{_NOTE_MARKER}\b")
_NOTE_MARKER_ONLY = re.compile(rf"^{_NOTE_MARKER}\s*\d*\s*[.:]?$")
_STRUCTURAL = re.compile(r"^(?:TABLE\b|TECHNICAL NOTE ON\b)")
_FOOTNOTE_START = re.compile(r"^(?:\d{1,2}\.?|\*)(?:\s|$)")
_VERSION_SENTENCE = re.compile(
    r"in\s+force\s+on\s+(?:the\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4})"
)
_FOOTER_DATE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("Jan", "January"), ("Feb", "February"), ("Mar", "March"), ("Apr", "April"),
         ("May",), ("Jun", "June"), ("Jul", "July"), ("Aug", "August"),
         ("Sep", "Sept", "September"), ("Oct", "October"), ("Nov", "November"),
         ("Dec", "December")],
        start=1,
    )
    for name in names
}


def _is_500_series(entry: str) -> bool:
    """UK/EU plurilateral entries (3A501, 4A506...) number their paragraphs after the entry
    they extend, so their lists may open past "a."/"1." (3A501.a.15., 2E503.g.)."""
    return bool(re.match(r"^\d[A-E]5\d\d", entry))


def _is_national(canonical: str) -> bool:
    """`PL` codes are the UK's own; every Annex I style code (500-series included) is shared."""
    return canonical.startswith("PL")


STYLE = CodeStyle(
    name="uk-sel",
    entry_heading=re.compile(rf"^(?P<code>{ENTRY_CODE})(?:\s+(?P<rest>.*))?$"),
    is_national=_is_national,
    entry_first_labels=("a", "1"),  # chemical lists: 1C350.1 ... 1C350.91
    sparse_labels=_is_500_series,
    note_indent_margin=3.0,  # pt: a note sits at the label column of its paragraph's children
    nested_note_margin=9.0,  # pt: an N.B. inside a note's own list sits a label step further in
)
# Annex IV quotes Annex I selectively (6A001.a.1.b. then its sub-items 1. and 6.).
ANNEX_IV_STYLE = CodeStyle(
    name="uk-sel-annex-iv", entry_heading=_ANNEX_IV_CODE, entry_first_labels=("a", "1"),
    sparse_labels=lambda entry: True,
    note_indent_margin=3.0,
    nested_note_margin=9.0,
)


# -- raw layer: pages, pieces, visual lines ---------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One pymupdf line: a run of text at one x position."""

    x: float
    y: float
    text: str
    italic: bool
    bold: bool
    size: float
    x1: float = 0.0  # right edge, to glue superscripts ("m" + "3") without a space
    glued_text: str = ""  # the text with its leading small script marked, for when it is glued


@dataclass
class VisualLine:
    """Pieces sharing a baseline, left to right (code | heading text, mark | label text)."""

    page: int
    y: float
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return join_pieces(self.pieces)


def join_pieces(pieces: list[Piece]) -> str:
    """Pieces' text left to right; a piece touching the one before it (a superscript) is glued."""
    text = ""
    for i, piece in enumerate(pieces):
        glue = i and piece.x - pieces[i - 1].x1 < 4.0 and piece.size < 9
        if glue and not piece.glued_text and piece.size < 9:  # a script on a line of its own
            prev = pieces[i - 1]
            raised = piece.y + piece.size / 2 < prev.y + prev.size / 2
            text += glyphs.superscript(piece.text) if raised else glyphs.subscript(piece.text)
        elif glue:
            text = f"{text}{piece.glued_text or piece.text}"
        else:
            text = f"{text} {piece.text}" if text else piece.text
    return text


@dataclass
class Page:
    number: int  # 1-based
    title: str  # footer title, '' where the page has no footer
    footer_date: str
    lines: list[VisualLine]
    footnotes: list[VisualLine]
    raw_text: str  # the page's text, one pymupdf line per line (for the independent count)


def _piece(line: dict[str, Any]) -> Piece | None:
    spans = [s for s in line["spans"] if s["text"].strip()]
    if not spans:
        return None
    # Symbol glyphs mapped, scripts marked (harmonize.glyphs); a leading small number stays
    # plain (footnotes are told by it) unless the piece is glued to the text before it.
    text = " ".join(glyphs.pdf_line_text(line["spans"], leading_scripts=False).split())
    glued = " ".join(glyphs.pdf_line_text(line["spans"]).split())
    if line["bbox"][0] < MARGIN_X:  # codes and margin marks ("[M-1]" with a raised 1): plain
        text = glued = glyphs.raw_text(text)
    chars = sum(len(s["text"]) for s in spans)
    # Notes are set in italic; bold italic marks Annex IV's differences from Annex I instead.
    italic = sum(len(s["text"]) for s in spans if s["flags"] & 2 and not s["flags"] & 16) * 2 \
        > chars
    bold = all(s["flags"] & 16 for s in spans)
    size = max(s["size"] for s in spans)
    if spans[0]["size"] < 9 and len(spans) > 1:
        size = spans[0]["size"]  # a footnote opens with its small superscript number
    return Piece(line["bbox"][0], line["bbox"][1], text, italic, bold, size, line["bbox"][2],
                 glued if glued != text else "")


def _visual_lines(page_no: int, pieces: list[Piece]) -> list[VisualLine]:
    out: list[VisualLine] = []
    raised: list[Piece] = []  # superscripts and subscripts: small type off the baseline
    for piece in sorted(pieces, key=lambda p: (round(p.y, 1), p.x)):
        if piece.size < 9:
            raised.append(piece)
        elif out and abs(out[-1].y - piece.y) < _SAME_LINE:
            out[-1].pieces.append(piece)
        else:
            out.append(VisualLine(page_no, piece.y, [piece]))
    for piece in raised:
        near = min(out, key=lambda ln: abs(ln.y - piece.y), default=None)
        if near is not None and abs(near.y - piece.y) < _RAISED:
            near.pieces.append(piece)
        else:
            out.append(VisualLine(page_no, piece.y, [piece]))
    out.sort(key=lambda ln: ln.y)
    for line in out:
        line.pieces.sort(key=lambda p: p.x)
    return out


def read_pages(path: Path) -> list[Page]:
    """Every page's footer, body lines and footnotes; LoaderError when it is not a readable PDF."""
    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # pymupdf raises several types for damaged files
        raise LoaderError(path, "whole file", f"not a readable PDF ({exc})") from exc
    pages: list[Page] = []
    try:
        if not doc.is_pdf:
            raise LoaderError(path, "whole file", "not a PDF")
        for index in range(doc.page_count):
            page = doc.load_page(index)
            try:
                data = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
            except Exception as exc:
                raise LoaderError(path, f"p. {index + 1}", f"text not extractable ({exc})") from exc
            pages.append(_page(index + 1, page.rect.height, data, partial(_words, page)))
    finally:
        doc.close()
    return pages


def _words(page: pymupdf.Page) -> list[tuple[Any, ...]]:
    return list(page.get_text("words"))


def _split_marked(pieces: list[Piece], words: Callable[[], list[tuple[Any, ...]]]) -> list[Piece]:
    """A margin mark run together with its line ("[M6B1a*] a. Filament ...") as one piece:
    split it where the text after the marks starts (from the page's word positions), so the
    label keeps its true indent."""
    marked = [p for p in pieces if p.x < MARGIN_X and _MARGIN_MARK.match(p.text)
              and _MARGIN_MARK_RUN.sub("", p.text)]
    if not marked:
        return pieces
    page_words = words()
    out: list[Piece] = []
    for piece in pieces:
        if piece not in marked:
            out.append(piece)
            continue
        on_line = sorted((w for w in page_words if abs(w[1] - piece.y) < _SAME_LINE
                          and w[0] >= piece.x - 0.5), key=lambda w: w[0])
        text_x = next((w[0] for w in on_line if not str(w[4]).startswith("[")), None)
        rest = _MARGIN_MARK_RUN.sub("", piece.text)
        marks = piece.text[: len(piece.text) - len(rest)].strip()
        if text_x is None:
            out.append(piece)
            continue
        out.append(replace(piece, text=marks, x1=text_x))
        out.append(replace(piece, x=text_x, text=rest))
    return out


def _page(number: int, height: float, data: dict[str, Any],
          words: Callable[[], list[tuple[Any, ...]]] = list) -> Page:
    pieces = [p for b in data["blocks"] for ln in b.get("lines", []) if (p := _piece(ln))]
    raw_text = "\n".join(p.text for p in pieces)
    pieces = _split_marked(pieces, words)
    footer = [p for p in pieces if p.y >= height - _FOOTER_BAND]
    body = [p for p in pieces if p.y < height - _FOOTER_BAND]
    title, footer_date = "", ""
    if footer:
        ordered = sorted(footer, key=lambda p: p.x)
        centre = [p for p in ordered if 150 < p.x < 450]
        title = centre[0].text if centre else ""
        right = [p for p in ordered if _FOOTER_DATE.match(p.text)]
        footer_date = right[-1].text if right else ""
    # Footnotes: small type at the page bottom, opened by a number (or *) in the left margin.
    marker = min((p.y for p in body if p.y >= height - _FOOTNOTE_BAND and p.x < MARGIN_X
                  and p.size < 9 and _FOOTNOTE_START.match(p.text)), default=None)
    noted = [p for p in body if marker is not None and p.y >= marker - 1]
    lines = _visual_lines(number, [p for p in body if marker is None or p.y < marker - 1])
    footnotes = _visual_lines(number, noted)
    return Page(number, title, footer_date, lines, footnotes, raw_text)


def page_parts(path: Path, pages: list[Page]) -> dict[str, list[Page]]:
    """Pages grouped by component list (footer title); pages without a footer go to 'unfooted'."""
    parts: dict[str, list[Page]] = {}
    for page in pages:
        if not page.title:
            parts.setdefault("unfooted", []).append(page)
            continue
        part = next((name for pattern, name in _PART_TITLES if pattern.search(page.title)), None)
        if part is None:
            raise LoaderError(path, f"p. {page.number}",
                              f"footer title {page.title!r} names no known component list")
        parts.setdefault(part, []).append(page)
    for needed in (PART_DUAL_USE, PART_NATIONAL, PART_ANNEX_IV):
        if needed not in parts:
            raise LoaderError(path, "page footers", f"no pages of the {needed} component list: "
                              "not the UK consolidated list?")
    return parts


# -- version ---------------------------------------------------------------------------------

def _iso(day: str, month: str, year: str) -> str | None:
    number = _MONTHS.get(month)
    if number is None:
        return None
    try:
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def parse_version(path: Path, pages: Iterable[Page]) -> str:
    """Date of the legislation the list reproduces: the introduction's "in force on the ...",
    else the date most footers of the dual-use pages carry."""
    pages = list(pages)
    for page in pages:
        if page.title.startswith("Strategic Export Control Lists"):
            found = _VERSION_SENTENCE.search(" ".join(page.raw_text.split()))
            if found and (iso := _iso(found["day"], found["month"], found["year"])):
                return iso
    dates = Counter(p.footer_date for p in pages if p.footer_date)
    for text, _ in dates.most_common():
        found = _FOOTER_DATE.match(text)
        if found and (iso := _iso(found["day"], found["month"], found["year"])):
            return iso
    raise LoaderError(path, "introduction and footers", "no version date printed")


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
        while found := _MARGIN_MARK.match(text):
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
        found = _ANNEX_IV_CODE.match(first.text)
        if found and canonical_code(found["code"]):
            return found["code"], " ".join(filter(None, [found["rest"], rest]))
    return None


# -- independent heading count -----------------------------------------------------------------

# A code alone on a line, or opening a line before capitalised text ("5A001 Telecoms"): the
# body never starts a line that way (a wrapped reference reads "3A001 or 3A501").
_RAW_HEADING = re.compile(rf"^(?P<code>{ENTRY_CODE})(?:\s+[A-Z\"'“‘(].*)?\s*$")
_RAW_ANNEX_IV_HEADING = re.compile(
    rf"^(?P<code>{ENTRY_CODE}(?:\.(?:[a-z]|\d{{1,2}}))+\.)(?:\s*[A-Z\"'“‘].*)?$"
)


def count_headings(pages: Iterable[tuple[int, str]], annex_iv: bool = False) -> dict[str, str]:
    """Entry headings in raw page text (page number, text): a line holding only an entry code
    (the PDF sets the code apart from its heading text); in Annex IV also a paragraph code
    ("6A001.a.2.f.") opening a line, alone or before a capitalised item text. Repeats at page
    tops count once. Returns canonical code -> first location."""
    seen: dict[str, str] = {}
    for number, text in pages:
        for raw in text.splitlines():
            line = " ".join(raw.split())
            found = _RAW_HEADING.match(line) or (annex_iv and _RAW_ANNEX_IV_HEADING.match(line))
            if found:
                canonical = canonical_code(found["code"])
                if canonical:
                    seen.setdefault(canonical, f"p. {number}")
    return seen


# -- rows ----------------------------------------------------------------------------------------

def _apply_marks(rows: list[ListRow], lines: list[Line], marks: dict[str, list[str]]) -> int:
    """Attach margin marks to the entry or paragraph opened on their line; a note's marks go to
    what it annotates, marks on a line that opened no row to the row before it. Returns how
    many marks found no row (before the first entry)."""
    keyed = {r.canonical: r for r in rows if r.kind in ("entry", "paragraph")}
    opened: dict[str, ListRow] = {}
    for row in rows:
        target = row if row.kind in ("entry", "paragraph") else keyed.get(row.canonical)
        if target is not None:
            opened.setdefault(row.location, target)
    lost = 0
    current: ListRow | None = None
    for line in lines:
        current = opened.get(line.location, current)
        found = marks.get(line.location)
        if not found:
            continue
        if current is None:
            lost += len(found)
            continue
        existing = current.details.setdefault("regime_marks", [])
        existing.extend(m for m in found if m not in existing)
    for row in keyed.values():
        row.sensitivity = _sensitivity(row.details.get("regime_marks", []))
    return lost


def _sensitivity(marks: list[str]) -> str:
    """[WS] -> sensitive, [WVS] or [WS&VS] -> very-sensitive; an asterisk ([WS*]) means only
    part of the item is on that list, so it sets nothing."""
    exact = [m for m in marks if m.startswith("W") and "*" not in m]
    if any("VS" in m for m in exact):
        return "very-sensitive"
    if any("WS" in m for m in exact):
        return "sensitive"
    return ""


def _merge_repeats(rows: list[ListRow]) -> list[ListRow]:
    """Annex IV quotes some entries twice (1E201 for the stealth part and again for the NSG
    part): one row per code, the later quotation's text appended and its page kept."""
    first: dict[str, ListRow] = {}
    kept: list[ListRow] = []
    for row in rows:
        if row.kind in ("entry", "paragraph") and row.canonical in first:
            earlier = first[row.canonical]
            earlier.text = f"{earlier.text} {row.text}".strip()
            earlier.details.setdefault("also_at", []).append(row.location)
            continue
        if row.kind in ("entry", "paragraph"):
            first[row.canonical] = row
        kept.append(row)
    for row in kept:
        row.entry = entry_code(row.canonical)  # "6A001.a.2.f" is an Annex IV item of 6A001
    return kept


def _segment_part(extracted: Extracted, style: CodeStyle) -> tuple[list[ListRow], list[Unplaced]]:
    seg = segment(extracted.lines, style)
    lost = _apply_marks(seg.rows, extracted.lines, extracted.marks)
    unplaced = [*extracted.unplaced, *seg.unplaced]
    if lost:
        unplaced.append(Unplaced("", f"{lost} margin mark(s)", "before the first entry"))
    return seg.rows, unplaced


def _raw_pages(pages: Iterable[Page]) -> Iterator[tuple[int, str]]:
    for page in pages:
        yield page.number, page.raw_text


def _left_out_notes(parts: dict[str, list[Page]]) -> list[str]:
    return [
        f"{name} ({_LEFT_OUT[name]}), pp. {parts[name][0].number}-{parts[name][-1].number}: "
        "left out (not a Wassenaar-family list)"
        for name in _LEFT_OUT if name in parts
    ]


def parse(path: Path, *, check_counts: bool = True) -> list[ParsedList]:
    """The UK Dual-Use List (with the national PL entries), its Annex IV and the Military List.
    `check_counts=False` skips the expected entry counts (for small hand-made files)."""
    path = Path(path)
    pages = read_pages(path)
    parts = page_parts(path, pages)
    version = parse_version(path, pages)

    # Schedule 3 (PL entries) and Annex I are segmented apart: each opens with its own
    # definitions, which must not run on into the other's last entry.
    rows_national, unplaced_national = _segment_part(extract_lines(parts[PART_NATIONAL]), STYLE)
    rows_dual, unplaced_dual = _segment_part(extract_lines(parts[PART_DUAL_USE]), STYLE)
    headings = {**count_headings(_raw_pages(parts[PART_NATIONAL])),
                **count_headings(_raw_pages(parts[PART_DUAL_USE]))}
    main = finish(
        path, META, source_info(META, version), [*rows_national, *rows_dual], headings,
        [*unplaced_national, *unplaced_dual],
        notes=[
            "Annex I of assimilated Regulation 428/2009 (categories 0-9) and the UK national "
            "entries of Schedule 3 to the Export Control Order 2008 (PL8001, PL9002-PL9012, "
            "national=True) in one list; Annex IV is 'uk-sel-annex-iv', the Military List "
            "'uk-sel-ml'.",
            "Regime margin marks ([W], [WS], [M6A1*], [T5.2.3], [IV]...) are kept in "
            "details['regime_marks']; [WS] sets sensitivity 'sensitive', [WVS] / [WS&VS] "
            "'very-sensitive' (asterisked marks, meaning 'in part', set nothing).",
            "Category and group notes (e.g. the metals and alloys note before 1C001), the "
            "introduction, general notes and definitions are reported unplaced; so is the "
            "deposition-techniques table printed after 2E503 (it belongs to 2E003.f).",
            *_left_out_notes(parts),
        ],
        check_counts=check_counts,
    )

    rows_iv, unplaced_iv = _segment_part(extract_lines(parts[PART_ANNEX_IV], annex_iv=True),
                                         ANNEX_IV_STYLE)
    annex_iv = finish(
        path, replace(META, source_id=ANNEX_IV_ID, expected_entries=ANNEX_IV_EXPECTED),
        source_info(META, version, ANNEX_IV_ID, "UK Dual-Use List, Annex IV"),
        _merge_repeats(rows_iv),
        count_headings(_raw_pages(parts[PART_ANNEX_IV]), annex_iv=True), unplaced_iv,
        notes=["Annex IV quotes Annex I selectively under full codes: each printed code "
               "(5D002.a., 6A001.a.2.f.) is an entry row, the sub-items it quotes are its "
               "paragraphs (6A001.a.1.b.1, 6A001.a.1.b.6); a code quoted twice (1E201, 3E201) "
               "is one row with both texts (details['also_at'])."],
        check_counts=check_counts,
    )
    parsed = [main, annex_iv]

    if PART_MILITARY in parts:
        rows_ml, unplaced_ml = _segment_part(extract_lines(parts[PART_MILITARY]), STYLE)
        parsed.append(finish(
            path, replace(META, source_id=MILITARY_ID, expected_entries=MILITARY_EXPECTED),
            source_info(META, version, MILITARY_ID, "UK Military List"),
            rows_ml, count_headings(_raw_pages(parts[PART_MILITARY])), unplaced_ml,
            notes=["Schedule 2 to the Export Control Order 2008 (ML1-ML22); PL5001 is "
                   "national."],
            check_counts=check_counts,
        ))
    return parsed
