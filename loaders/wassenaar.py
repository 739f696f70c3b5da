"""Wassenaar Arrangement: List of Dual-Use Goods and Technologies and Munitions List (PDF).

One PDF holds, in order: cover and contents, general notes, dual-use categories 1-9, the
Sensitive List and Very Sensitive List (annexes that only name dual-use codes), the Munitions
List, then definitions, acronyms and statements of understanding. Pages are told apart by their
running header. Two lists come back: the dual-use list ("wassenaar", rows marked with the
sensitivity read from the two annexes) and the munitions list ("wassenaar-ml", ML1...ML22).

Layout facts this module relies on (checked on WA-LIST (25) 1 Corr.):
- pymupdf splits a printed line into pieces at each tab stop: code, label and text of one
  visual line come as separate "lines" at one height. They are joined into rows by height and
  cut again at codes and labels, so every label becomes its own `Line` with its x position.
- Entry headings are printed spaced at the left margin (`5. A. 1.`); references in text are not
  spaced (`5.A.1.b.3.`). Page tops restate the path (`5. A. 1.` `b.` `2.`).
- Some entries are printed with their number alone (`1.`) at a fixed indent between the group
  heading and the paragraph labels: always the first entry after a group heading such as
  `4. A. SYSTEMS, EQUIPMENT AND COMPONENTS`, sometimes later ones (`1. D. 2.`, `6. B. 3.`).
- Notes are set in italics (so an upright label closes a note, an italic one stays in it);
  footnotes in a smaller size.

Not entries, reported as unplaced with their reason: general notes, category and group notes
("before the first entry"), sub-group titles ("ACOUSTICS"), the deposition-techniques table
after 2.E.3., the annex list of explosives after 1.E., footnotes, definitions, acronyms and
statements of understanding. The Sensitive Lists' abridged wording is not kept: only codes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pymupdf

from harmonize.codes import canonical_code
from harmonize.ingest import glyphs
from harmonize.ingest.segmenter import (
    CodeStyle,
    Line,
    Unplaced,
    back_to_enclosing_note,
    segment,
)
from harmonize.model import ListRow
from loaders import wassenaar_definitions
from loaders.base import LoaderError, ParsedList, SourceMeta, finish, source_info

META = SourceMeta(
    source_id="wassenaar",
    jurisdiction="WA",
    list_name="Wassenaar Dual-Use List",
    publisher="Wassenaar Arrangement Secretariat",
    url=(
        "https://www.wassenaar.org/app/uploads/2026/01/"
        "List-of-Dual-Use-Goods-and-Technologies-and-ML-2025-Corr.pdf"
    ),
    format="PDF",
    licence="Public document of the Wassenaar Arrangement",
    citation="Wassenaar Arrangement, WA-LIST (25) 1 Corr.",
    file_patterns=("*.pdf",),
    expected_entries=(150, 300),
)
ML_META = replace(
    META, source_id="wassenaar-ml", list_name="Wassenaar Munitions List", expected_entries=(20, 30)
)

NOISE = (
    re.compile(r"^WA-LIST\s*\(\d+\)\s*\d+(?:\s+Corr\.)?$"),
    re.compile(r"^-\s*\d{1,3}\s*-$"),
    re.compile(r"^\d{2}-\d{2}-\d{4}$"),
    re.compile(r"^_{10,}$"),
    re.compile(r"^DUAL-USE LIST - CATEGORY \d"),
    re.compile(r"^(?:Very )?Sensitive List$"),
    re.compile(r"^MUNITIONS\s+LIST\*?$"),
    re.compile(r"^DEFINITIONS$"),
    re.compile(r"^Acronyms and Abbreviations$"),
    re.compile(r"^Statements of Understanding and Validity Notes$"),
)
SPACED_CODE = r"\d\.\s+[A-E]\.\s+\d{1,3}\."
STYLE = CodeStyle(
    name="wassenaar-spaced",
    entry_heading=re.compile(rf"^(?P<code>{SPACED_CODE})(?:\s+(?P<rest>.*))?$"),
    noise=NOISE,
    note_indent_margin=3.0,  # pt: notes sit at the label column of what they annotate's children
    nested_note_margin=9.0,  # pt: an N.B. inside a note's own list sits at least a label step in
)
ML_STYLE = CodeStyle(
    name="wassenaar-ml",
    # "ML1." then a space or the end: references in text ("ML1.b.2.") never match.
    entry_heading=re.compile(r"^(?P<code>ML\d{1,2}\.)(?:\s+(?P<rest>.*))?$"),
    noise=NOISE,
    note_indent_margin=3.0,
    nested_note_margin=9.0,
)

DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
LEFT_MARGIN = 100.0  # entry headings start at x 85-91; anything right of this is not a heading
# Entries printed as a bare number ("1.") sit between the heading column and the first
# paragraph labels (x 124.7 in the 2025 list; labels at 142-149, note lists are italic).
BARE_ENTRY_X = (112.0, 136.0)
FOOTNOTE_SIZE = 10.5  # body text is 11 pt, footnotes and running headers 10 pt

_LEAD_CODE = re.compile(rf"^(?:{SPACED_CODE}|ML\d{{1,2}}\.)(?=\s|$)")
_LABEL_TOKEN = re.compile(r"(?:[a-z]|\d{1,2})\.(?=\s|$)")
_LABEL_ONLY = re.compile(r"^(?:[a-z]|\d{1,2})\.$")
LABEL_TOKEN_AT_START = re.compile(r"^(?:[a-z]|\d{1,2})\.(?:\s|$)")
_BARE_NUMBER = re.compile(r"^(?P<num>\d{1,3})\.(?:\s+(?P<rest>.*))?$")
_ENTRY_CODE = re.compile(r"^(?P<cat>\d)\.\s+(?P<grp>[A-E])\.\s+(?P<num>\d{1,3})\.(?=\s|$)")
GROUP_HEADING = re.compile(
    r"^(?P<cat>\d)\.\s+(?P<grp>[A-E])\.\s+(?:Part\s*\d\.?\s*)?"
    r"(?:[A-Z][A-Z ,\"'“”&/–-]*?(?:\s*-\s*None)?)?\s*$"
)
CATEGORY_HEADING = re.compile(r"^(?:\d\.\s+[A-Z]{3}[A-Z ,\"'“”&/–-]*|Part\s+\d\s*[-–]\s*\S.*)$")
SUBGROUP_HEADING = re.compile(r"^[A-Z\"“][A-Z ,\"'“”&/–-]*[A-Z]{4}[A-Z ,\"'“”&/–-]*$")
SIDE_REGION = re.compile(r"^(?:TABLE\s+-|ANNEX$)")
_SENSITIVE_CODE = re.compile(r"\d\.[A-E]\.\d{1,3}(?:\.(?:[a-z]|\d{1,2}))*\.?")

SECTION_TITLES = (  # first match on a page names its section; order matters
    ("front", re.compile(r"^TABLE OF CONTENTS$")),
    ("very-sensitive", re.compile(r"^Very Sensitive List$|^VERY SENSITIVE LIST OF")),
    ("sensitive", re.compile(r"^Sensitive List$|^THE SENSITIVE LIST OF")),
    ("munitions", re.compile(r"^MUNITIONS\s+LIST\*?$")),
    ("definitions", re.compile(r"^DEFINITIONS")),
    ("acronyms", re.compile(r"^Acronyms and Abbreviations$|^ACRONYMS AND ABBREVIATIONS")),
    ("understandings", re.compile(r"^Statements of Understanding|^STATEMENTS OF UNDERSTANDING")),
    ("dual-use", re.compile(r"^DUAL-USE LIST\b")),
)
NOT_ENTRIES = {
    "definitions": "definitions of terms (not entries)",
    "acronyms": "acronyms and abbreviations (not entries)",
    "understandings": "statements of understanding and validity notes (not entries)",
}


@dataclass(frozen=True)
class Segment:
    """One run of text pymupdf reports as a line: a cell between tab stops of a printed line."""

    x0: float
    x1: float
    y: float  # vertical centre
    text: str
    italic: bool
    size: float


@dataclass
class Row:
    """The segments of one printed line, left to right."""

    page: int  # 1-based page of the PDF
    y: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Piece:
    """A Line for the segmenter plus what the structural pass needs to know about it."""

    line: Line
    row_start: bool  # first piece of its printed line
    footnote: bool = False

    @property
    def text(self) -> str:
        return self.line.text


# -- reading the PDF ---------------------------------------------------------------------------

def open_pdf(path: Path) -> pymupdf.Document:
    """Open the file as a PDF, or raise LoaderError saying why it cannot be one."""
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own types for damaged or foreign files
        raise LoaderError(path, "whole file", f"not a readable PDF: {exc}") from exc
    if doc.needs_pass:
        raise LoaderError(path, "whole file", "the PDF is encrypted")
    if doc.is_repaired:  # mupdf rebuilt a broken cross-reference table: truncated or damaged
        raise LoaderError(path, "whole file", "damaged PDF (truncated?): mupdf had to repair it")
    if doc.page_count == 0:
        raise LoaderError(path, "whole file", "the PDF has no pages")
    return doc


def page_segments(page: pymupdf.Page) -> Iterator[Segment]:
    """The text runs of one page, in the order pymupdf stores them."""
    try:
        data: dict[str, Any] = page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)
    except Exception as exc:  # a damaged content stream surfaces here, not at open()
        raise LoaderError(page.parent.name, f"p. {page.number + 1}", f"unreadable: {exc}") from exc
    for block in data["blocks"]:
        for line in block.get("lines", ()):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            # Symbol-font glyphs mapped, superscripts and subscripts marked (harmonize.glyphs).
            text = " ".join(glyphs.pdf_line_text(line["spans"]).split())
            x0, y0, x1, y1 = line["bbox"]
            main = max(spans, key=lambda s: len(s["text"].strip()))
            yield Segment(
                x0=x0, x1=x1, y=(y0 + y1) / 2, text=text,
                # pymupdf flag bit 1 = italic; the font name is the fallback for synthetic faces
                italic=bool(main["flags"] & 2) or "Italic" in main["font"],
                size=max(s["size"] for s in spans),
            )


def rows_of(segments: Iterable[Segment], page_no: int) -> list[Row]:
    """Group segments into printed lines by height, top to bottom and left to right."""
    rows: list[Row] = []
    for seg in sorted(segments, key=lambda s: (s.y, s.x0)):
        # Half a line of 11 pt text: tab cells of one line differ by a point or two at most.
        if rows and abs(seg.y - rows[-1].y) <= 5.0:
            rows[-1].segments.append(seg)
        else:
            rows.append(Row(page_no, seg.y, [seg]))
    for row in rows:
        row.segments.sort(key=lambda s: s.x0)
    return rows


def read_rows(doc: pymupdf.Document) -> list[list[Row]]:
    """The rows of every page (index 0 = page 1)."""
    return [rows_of(page_segments(doc[i]), i + 1) for i in range(doc.page_count)]


# -- page sections, version ----------------------------------------------------------------------

def page_sections(pages: list[list[Row]]) -> list[str]:
    """Section of each page from its first title line; untitled pages continue the previous."""
    sections: list[str] = []
    current = "front"
    for rows in pages:
        for row in rows:
            name = next((n for n, p in SECTION_TITLES for s in row.segments if p.search(s.text)),
                        None)
            if name:
                current = name
                break
        sections.append(current)
    return sections


def parse_version(pages: list[list[Row]], path: Path) -> str:
    """ISO date of the running header date (dd-mm-yyyy) that most pages carry."""
    dates: Counter[str] = Counter()
    for rows in pages:
        for row in rows:
            for seg in row.segments:
                m = DATE.match(seg.text)
                if m:
                    dates[f"{m[3]}-{m[2]}-{m[1]}"] += 1
    if not dates:
        raise LoaderError(path, "running headers", "no dd-mm-yyyy date line: not a WA-LIST PDF?")
    return dates.most_common(1)[0][0]


# -- rows to lines -----------------------------------------------------------------------------

_ANY_NOISE = re.compile("|".join(f"(?:{p.pattern})" for p in NOISE))


def _is_noise(text: str) -> bool:
    return _ANY_NOISE.search(text) is not None  # one pass instead of one per pattern


def row_pieces(row: Row) -> list[Piece]:
    """Cut one printed line into segmenter lines: a leading code alone when labels follow it,
    each label alone when another label follows it, then the last label with its text."""
    location = f"p. {row.page}"
    pieces = [Piece(Line(s.text, location), row_start=False) for s in row.segments
              if _is_noise(s.text)]
    body = [s for s in row.segments if not _is_noise(s.text)]
    if not body:
        return pieces
    text = " ".join(s.text for s in body)
    starts: list[tuple[int, Segment]] = []  # character offset of each segment in `text`
    offset = 0
    for seg in body:
        starts.append((offset, seg))
        offset += len(seg.text) + 1

    def at(pos: int) -> Segment:
        return next(seg for start, seg in reversed(starts) if start <= pos)

    def x_at(pos: int) -> float:
        start, seg = next((st, sg) for st, sg in reversed(starts) if st <= pos)
        share = (pos - start) / max(len(seg.text), 1)
        return seg.x0 + (seg.x1 - seg.x0) * share  # labels inside one run: estimate by width

    footnote = all(s.size < FOOTNOTE_SIZE for s in body)
    cuts = [0]
    pos = 0
    lead = _LEAD_CODE.match(text)
    if lead and body[0].x0 < LEFT_MARGIN:
        after = lead.end() + len(text[lead.end():]) - len(text[lead.end():].lstrip())
        if _LABEL_TOKEN.match(text, after):
            cuts.append(after)
            pos = after
    while True:
        label = _LABEL_TOKEN.match(text, pos)
        if not label:
            break
        nxt = label.end() + len(text[label.end():]) - len(text[label.end():].lstrip())
        if nxt < len(text) and _LABEL_TOKEN.match(text, nxt):
            cuts.append(nxt)
            pos = nxt
        else:
            break
    bounds = [*cuts, len(text)]
    for i, (start, end) in enumerate(pairwise(bounds)):
        piece_text = text[start:end].strip()
        if not piece_text:
            continue
        seg = at(start)
        upright_label = not seg.italic and bool(_LABEL_TOKEN.match(piece_text))
        pieces.append(Piece(
            # Notes are italic: an upright label is list text and closes any open note.
            Line(piece_text, location, indent=round(x_at(start), 1), note=seg.italic,
                 list_item=upright_label),
            row_start=i == 0, footnote=footnote,
        ))
    return pieces


def join_false_headings(pieces: list[Piece]) -> list[Piece]:
    """A wrapped line of text that happens to start like a heading ("ML4. and 1.A.6. ...")
    is joined to the line before it: headings are printed at the left margin only."""
    out: list[Piece] = []
    last_text = -1  # index in `out` of the last piece that is not a running header
    for piece in pieces:
        line = piece.line
        if (piece.row_start and last_text >= 0 and (line.indent or 0.0) >= LEFT_MARGIN
                and _LEAD_CODE.match(line.text)):
            prev = out[last_text]
            out[last_text] = replace(
                prev, line=replace(prev.line, text=f"{prev.line.text} {line.text}"))
            continue
        out.append(piece)
        if not _is_noise(piece.text):
            last_text = len(out) - 1
    return out


def drop_restatements(lines: list[Line], style: CodeStyle) -> tuple[list[Line], int]:
    """Drop restatements of the path ("5. A. 1." "b." "2." before "b. text").

    Page tops, and a few places within a page, restate the code and labels of the ancestors
    of the paragraph that follows. Those are on the segmenter's current path anyway; fed as
    they are, a restated label that is also the next free label at some level ("c." after
    "b.6.c.1", or after "c.1.b.2") would open a new, empty paragraph instead of moving the
    cursor. A run of bare labels (after a restated code, or on their own) is a restatement
    when a labelled line follows; when plain text follows, its last label is a new paragraph
    printed with its text below, and is kept. Returns the kept lines and the count dropped.
    """
    kept: list[Line] = []
    dropped = 0
    current = ""
    run: list[Line] = []  # restated code and bare labels not yet decided on

    def close_run(followed_by_label: bool) -> None:
        nonlocal dropped
        labels = [ln for ln in run if _LABEL_ONLY.match(" ".join(ln.text.split()))]
        keep = labels[-1] if labels and not followed_by_label else None
        dropped += len(run) - (keep is not None)
        if keep is not None:
            kept.append(keep)
        run.clear()

    for line in lines:
        text = " ".join(line.text.split())
        if _is_noise(text):
            kept.append(line)
            continue
        heading = style.entry_heading.match(text)
        code = canonical_code(heading["code"]) if heading else None
        if heading and code:
            close_run(followed_by_label=True)
            if code == current and not heading["rest"]:
                run.append(line)
            else:
                current = code
                kept.append(line)
            continue
        if _LABEL_ONLY.match(text):
            run.append(line)
            continue
        if run:
            close_run(followed_by_label=bool(LABEL_TOKEN_AT_START.match(text)))
        kept.append(line)
    close_run(followed_by_label=False)
    return kept, dropped


def join_note_items(lines: list[Line]) -> list[Line]:
    """Join an italic list item ("a.", "1.") to the italic note text before it: notes are set in
    italics, so such a label belongs to the note's own list and must never open a paragraph
    (a note's "4." would otherwise become the next paragraph of the entry)."""
    out: list[Line] = []
    last_text = -1  # index in `out` of the last line that is not noise
    markers: list[float] = []  # indents of the note markers since the last upright line
    for line in lines:
        text = " ".join(line.text.split())
        if _is_noise(text):
            out.append(line)
            continue
        if line.note and LABEL_TOKEN_AT_START.match(text) and last_text >= 0 \
                and out[last_text].note and not back_to_enclosing_note(line.indent, markers):
            prev = out[last_text]
            out[last_text] = replace(prev, text=f"{prev.text} {text}")
            continue
        out.append(line)
        last_text = len(out) - 1
        if not line.note:
            markers = []
        elif _NOTE_AT_START.match(text) and line.indent is not None:
            markers.append(line.indent)
    return out


_NOTE_AT_START = re.compile(r"^(?:Technical\s+Notes?|Notes?|N\.\s?B\.)(?=[\s\d:.]|$)")


def prepare(lines: list[Line], style: CodeStyle) -> tuple[list[Line], int]:
    """Lines ready for the segmenter: restatements dropped, note list items joined."""
    kept, dropped = drop_restatements(lines, style)
    return join_note_items(kept), dropped


# -- structure of the dual-use part ------------------------------------------------------------

@dataclass
class DualUseStream:
    """Lines cut into chunks at category and group headings, plus what is kept out."""

    chunks: list[list[Line]] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    bare_entries: list[str] = field(default_factory=list)  # codes printed as a bare number


def structure_dual_use(pieces: list[Piece]) -> DualUseStream:
    """Split at category/group headings (their notes are not any entry's), turn bare entry
    numbers into spaced codes, and keep tables, annexes, sub-group titles and footnotes out."""
    out = DualUseStream(chunks=[[]])
    group: tuple[str, str] | None = None
    last_number = 0
    side_region = ""
    for piece in pieces:
        line, text = piece.line, piece.text
        if _is_noise(text):
            out.chunks[-1].append(line)
            continue
        indent = line.indent if line.indent is not None else 0.0
        at_margin = piece.row_start and indent < LEFT_MARGIN
        entry = _ENTRY_CODE.match(text)
        group_heading = GROUP_HEADING.match(text) if at_margin and not entry else None
        if at_margin and (group_heading or CATEGORY_HEADING.match(text)):
            group = (group_heading["cat"], group_heading["grp"]) if group_heading else None
            last_number, side_region = 0, ""
            out.chunks.append([line])
            continue
        if entry and at_margin:
            group, last_number, side_region = (entry["cat"], entry["grp"]), int(entry["num"]), ""
            out.chunks[-1].append(line)
            continue
        if piece.row_start and SIDE_REGION.match(text):
            side_region = "table" if text.startswith("TABLE") else "annex"
        if side_region:
            what = "table" if side_region == "table" else "annex to the category"
            out.unplaced.append(Unplaced(line.location, text, f"{what} (not an entry)"))
            continue
        if piece.footnote:
            out.unplaced.append(Unplaced(line.location, text, "footnote"))
            continue
        if piece.row_start and not line.note and SUBGROUP_HEADING.match(text):
            out.unplaced.append(Unplaced(line.location, text, "sub-group title (not an entry)"))
            continue
        bare = _BARE_NUMBER.match(text)
        if (bare and group and piece.row_start and not line.note
                and BARE_ENTRY_X[0] <= indent <= BARE_ENTRY_X[1]
                and int(bare["num"]) == last_number + 1):
            last_number = int(bare["num"])
            code = f"{group[0]}. {group[1]}. {last_number}."
            out.bare_entries.append(canonical_code(code) or code)
            rest = bare["rest"] or ""
            out.chunks[-1].append(replace(line, text=f"{code} {rest}".strip()))
            continue
        out.chunks[-1].append(line)
    return out


def count_headings(pages: Iterable[tuple[int, list[Segment]]]) -> dict[str, str]:
    """Independent count of dual-use entry headings in the raw text runs of each page
    (code -> first page), without the row joining, structure pass or segmenter: spaced codes
    opening a run at the left margin, plus a bare upright "N." run in the entry-number column
    that continues the numbering of the current group (how the first entry after a group
    heading is printed). Runs from a "TABLE -" or "ANNEX" title to the next heading are
    skipped: their numbered notes are not entries."""
    headings: dict[str, str] = {}
    group: tuple[str, str] | None = None
    last = 0
    skipping = False
    for page_no, runs in pages:
        for run in runs:
            text = run.text
            if _is_noise(text):
                continue
            spaced = _ENTRY_CODE.match(text)
            if spaced and run.x0 < LEFT_MARGIN:
                group, last, skipping = (spaced["cat"], spaced["grp"]), int(spaced["num"]), False
                code = canonical_code(spaced.group(0))
                if code:
                    headings.setdefault(code, f"p. {page_no}")
                continue
            heading = GROUP_HEADING.match(text)
            if run.x0 < LEFT_MARGIN and (heading or CATEGORY_HEADING.match(text)):
                group = (heading["cat"], heading["grp"]) if heading else None
                last, skipping = 0, False
                continue
            if SIDE_REGION.match(text):
                skipping = True
            if skipping or group is None or run.italic:
                continue
            if (text == f"{last + 1}." and BARE_ENTRY_X[0] <= run.x0 <= BARE_ENTRY_X[1]):
                last += 1
                code = canonical_code(f"{group[0]}. {group[1]}. {last}.")
                if code:
                    headings.setdefault(code, f"p. {page_no}")
    return headings


def count_ml_headings(pages: Iterable[tuple[int, list[Segment]]]) -> dict[str, str]:
    """Munitions List headings in the raw text runs: "ML7." then a space or the end of the
    run, at the left margin (references in text are "ML7.b." or sit further right)."""
    headings: dict[str, str] = {}
    for page_no, runs in pages:
        for run in runs:
            m = re.match(r"^(ML\d{1,2})\.(?=\s|$)", run.text)
            if m and run.x0 < LEFT_MARGIN:
                headings.setdefault(m[1], f"p. {page_no}")
    return headings


# -- Sensitive and Very Sensitive Lists ------------------------------------------------------------

def annex_codes(rows: Iterable[Row]) -> list[str]:
    """Canonical codes named in the code column of a Sensitive / Very Sensitive List page.
    "X to Y" ranges are expanded over the last label ("9.E.3.a.1. to 9.E.3.a.5.")."""
    column = " ".join(s.text for row in rows for s in row.segments if s.x0 < LEFT_MARGIN + 20)
    tokens = re.findall(rf"{_SENSITIVE_CODE.pattern}|\bto\b", column)
    codes: list[str] = []
    pending_range = False
    for token in tokens:
        if token == "to":
            pending_range = bool(codes)
            continue
        code = canonical_code(token)
        if not code:
            continue
        if pending_range:
            codes.extend(_expand_range(codes[-1], code))
        codes.append(code)
        pending_range = False
    return list(dict.fromkeys(codes))


def _expand_range(first: str, last: str) -> list[str]:
    """Codes strictly between two siblings: 9E003.a.1 .. 9E003.a.5 -> a.2, a.3, a.4."""
    head_a, _, tail_a = first.rpartition(".")
    head_b, _, tail_b = last.rpartition(".")
    if head_a != head_b or not head_a:
        return []
    if tail_a.isdigit() and tail_b.isdigit():
        return [f"{head_a}.{n}" for n in range(int(tail_a) + 1, int(tail_b))]
    if tail_a.isalpha() and tail_b.isalpha() and len(tail_a) == len(tail_b) == 1:
        return [f"{head_a}.{chr(c)}" for c in range(ord(tail_a) + 1, ord(tail_b))]
    return []


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


# -- parse -----------------------------------------------------------------------------------

def extract_lines(rows: Iterable[Row]) -> list[Piece]:
    """Segmenter lines (with layout facts) of the given printed rows, in reading order."""
    pieces: list[Piece] = []
    for row in rows:
        pieces.extend(row_pieces(row))
    return join_false_headings(pieces)


@dataclass
class WaDocument:
    """The PDF read once: rows of every page, the section of every page, the version."""

    path: Path
    pages: list[list[Row]]
    sections: list[str]
    version: str

    def rows_in(self, *names: str) -> list[list[Row]]:
        return [rows for rows, sec in zip(self.pages, self.sections, strict=True)
                if sec in names and rows]


def read_document(path: Path) -> WaDocument:
    """Open and read the PDF; LoaderError when it is not a WA-LIST PDF."""
    with open_pdf(path) as doc:
        pages = read_rows(doc)
    if not any("WA-LIST" in s.text for rows in pages for r in rows for s in r.segments):
        raise LoaderError(path, "running headers", "no 'WA-LIST' header: not the Wassenaar list")
    return WaDocument(path, pages, page_sections(pages), parse_version(pages, path))


def _segments(pages: list[list[Row]]) -> Iterator[tuple[int, list[Segment]]]:
    for rows in pages:
        yield rows[0].page, [s for r in rows for s in r.segments]


def parse_dual_use(doc: WaDocument, check_counts: bool = True) -> ParsedList:
    """Categories 1-9 as one list, marked from the Sensitive and Very Sensitive Lists."""
    dual_pages = doc.rows_in("dual-use")
    if not dual_pages:
        raise LoaderError(doc.path, "page headers", "no 'DUAL-USE LIST' pages found")
    stream = structure_dual_use(extract_lines(r for rows in dual_pages for r in rows))
    rows: list[ListRow] = []
    unplaced: list[Unplaced] = []
    noise = restated = 0
    for chunk in stream.chunks:
        ready, dropped = prepare(chunk, STYLE)
        seg = segment(ready, STYLE)
        rows.extend(seg.rows)
        unplaced.extend(seg.unplaced)
        noise += seg.dropped_noise
        restated += dropped
    unplaced.extend(stream.unplaced)
    for rows_of_page, section in zip(doc.pages, doc.sections, strict=True):
        if section in NOT_ENTRIES:  # definitions serve both lists; reported with the first
            unplaced.extend(Unplaced(f"p. {r.page}", r.text, NOT_ENTRIES[section])
                            for r in rows_of_page if not _is_noise(r.text))
    # Items a paragraph names only by a defined term (1.A.4.a.4. "RCAs"), from the Definitions.
    extended = wassenaar_definitions.add_defined_items(rows, wassenaar_definitions.defined_lists(
        wassenaar_definitions.PrintedRow(r.page, tuple((s.x0, s.text) for s in r.segments),
                                         any(s.italic for s in r.segments))
        for rows_of_page in doc.rows_in("definitions") for r in rows_of_page))
    sensitive = annex_codes(r for rows in doc.rows_in("sensitive") for r in rows)
    very_sensitive = annex_codes(r for rows in doc.rows_in("very-sensitive") for r in rows)
    missing = mark_sensitivity(rows, sensitive, very_sensitive)
    front = [i + 1 for i, sec in enumerate(doc.sections) if sec == "front"]
    notes = [
        f"pages {_span(front)}: cover and table of contents, not read",
        f"Sensitive List: {len(sensitive)} codes; Very Sensitive List: {len(very_sensitive)} "
        "codes; a listed code marks that entry or paragraph, its notes and its descendants; "
        "the annexes' own (abridged) wording is not kept",
        f"entries printed as a bare number, not a spaced code: {len(stream.bare_entries)} "
        f"({', '.join(stream.bare_entries)})",
        "category and group headings cut the text into blocks: their notes (and the general "
        "notes) are reported unplaced as 'before the first entry'",
        f"running headers and page numbers dropped: {noise} lines",
        f"restated paths (code and bare labels, mostly at page tops) dropped: {restated} lines",
        "locations are PDF page numbers (the printed page number is one less from p. 182)",
        "munitions list returned as its own list, wassenaar-ml",
        "paragraphs that name a defined term whose definition lists items, given those items "
        f"as sub-paragraphs located in the Definitions (details.printed_in): "
        f"{', '.join(extended) or 'none'}",
    ]
    if missing:
        notes.append("codes in the (Very) Sensitive List naming no entry or paragraph: "
                     + ", ".join(missing))
    headings = count_headings(_segments(dual_pages))
    return finish(doc.path, META, source_info(META, doc.version), rows, headings, unplaced,
                  notes, check_counts=check_counts)


def parse_munitions(doc: WaDocument, check_counts: bool = True) -> ParsedList | None:
    """The Munitions List (ML1...ML22) as its own list; None when the file has none."""
    ml_pages = doc.rows_in("munitions")
    if not ml_pages:
        return None
    pieces = extract_lines(r for rows in ml_pages for r in rows)
    footnotes = [Unplaced(p.line.location, p.text, "footnote") for p in pieces
                 if p.footnote and not _is_noise(p.text)]
    ready, restated = prepare([p.line for p in pieces if not p.footnote], ML_STYLE)
    seg = segment(ready, ML_STYLE)
    notes = [
        f"running headers and page numbers dropped: {seg.dropped_noise} lines",
        f"restated paths (code and bare labels, mostly at page tops) dropped: {restated} lines",
    ]
    return finish(doc.path, ML_META, source_info(ML_META, doc.version), seg.rows,
                  count_ml_headings(_segments(ml_pages)), [*seg.unplaced, *footnotes], notes,
                  check_counts=check_counts)


def parse(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Read the WA-LIST PDF: the dual-use list, then the munitions list when present.
    `check_counts=False` skips the expected-entries check (small test files)."""
    doc = read_document(Path(path))
    return with_munitions(parse_dual_use(doc, check_counts), parse_munitions(doc, check_counts),
                          "no MUNITIONS LIST pages in this file")


def with_munitions(dual_use: ParsedList, munitions: ParsedList | None,
                   missing: str) -> list[ParsedList]:
    """The dual-use list, then the munitions list, or a note saying why there is none."""
    if munitions is None:
        dual_use.notes.append(missing)
        return [dual_use]
    return [dual_use, munitions]


def _span(numbers: list[int]) -> str:
    if not numbers:
        return "none"
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
