"""Wassenaar PDF: the pages read (text runs, printed lines by height, each page's section by
its title, the version date) and printed lines cut into the segmenter's `Line`s with their
layout facts (`Piece`): a code, each label of a run of labels, the last with its text."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pymupdf

from harmonize.ingest import glyphs
from harmonize.ingest.pdf import read_page
from harmonize.ingest.segmenter import Line, any_pattern
from harmonize.ingest.source import LoaderError
from loaders.wassenaar.meta import NOISE, SECTION_TITLES

SPACED_CODE = r"\d\.\s+[A-E]\.\s+\d{1,3}\."

DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
LEFT_MARGIN = 100.0  # entry headings start at x 85-91; anything right of this is not a heading
# Entries printed as a bare number ("1.") sit between the heading column and the first
# paragraph labels (x 124.7 in the 2025 list; labels at 142-149, note lists are italic).
BARE_ENTRY_X = (112.0, 136.0)
FOOTNOTE_SIZE = 10.5  # body text is 11 pt, footnotes and running headers 10 pt

_LEAD_CODE = re.compile(rf"^(?:{SPACED_CODE}|ML\d{{1,2}}\.)(?=\s|$)")
_LABEL_TOKEN = re.compile(r"(?:[a-z]|\d{1,2})\.(?=\s|$)")



@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
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


@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
class Piece:
    """A Line for the segmenter plus what the structural pass needs to know about it."""

    line: Line
    row_start: bool  # first piece of its printed line
    footnote: bool = False

    @property
    def text(self) -> str:
        return self.line.text


# -- reading the PDF ---------------------------------------------------------------------------

def page_segments(path: Path, page: pymupdf.Page) -> Iterator[Segment]:
    """The text runs of one page, in the order pymupdf stores them."""
    data: dict[str, Any] = read_page(path, page, "dict", flags=pymupdf.TEXTFLAGS_TEXT)
    for block in data["blocks"]:
        for line in block.get("lines", ()):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            # Symbol-font glyphs mapped, superscripts and subscripts marked (ingest.glyphs).
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


def read_rows(path: Path, doc: pymupdf.Document) -> list[list[Row]]:
    """The rows of every page (index 0 = page 1)."""
    return [rows_of(page_segments(path, doc[i]), i + 1) for i in range(doc.page_count)]


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

_ANY_NOISE = any_pattern(NOISE)


# Asked of each text four or five times on its way (row, piece, restatements, note items):
# ~64,000 calls on ~12,000 texts for the 2025 list.
@functools.lru_cache(maxsize=1 << 15)
def is_noise(text: str) -> bool:
    return _ANY_NOISE(text)  # one pass instead of one per pattern


def row_pieces(row: Row) -> list[Piece]:
    """Cut one printed line into segmenter lines: a leading code alone when labels follow it,
    each label alone when another label follows it, then the last label with its text."""
    location = f"p. {row.page}"
    noisy = [is_noise(s.text) for s in row.segments]
    pieces = [Piece(Line(s.text, location), row_start=False)
              for s, noise in zip(row.segments, noisy, strict=True) if noise]
    body = [s for s, noise in zip(row.segments, noisy, strict=True) if not noise]
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
        if not is_noise(piece.text):
            last_text = len(out) - 1
    return out


# -- parse -----------------------------------------------------------------------------------

def extract_lines(rows: Iterable[Row]) -> list[Piece]:
    """Segmenter lines (with layout facts) of the given printed rows, in reading order."""
    pieces: list[Piece] = []
    for row in rows:
        pieces.extend(row_pieces(row))
    return join_false_headings(pieces)
