"""UK consolidated list: the PDF's pages (pieces of text at their positions, printed lines,
footers naming the component list, footnotes), the component lists by footer, the version."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pymupdf

from harmonize.ingest import glyphs
from harmonize.ingest.pdf import open_pdf, read_page
from harmonize.ingest.source import LoaderError
from loaders.uk_sel.meta import (
    PART_ANNEX_IV,
    PART_DUAL_USE,
    PART_NATIONAL,
    PART_TITLES,
)

MARGIN_X = 100.0  # codes, margin marks and section headings start left of this (text at ~114)
_FOOTER_BAND = 60.0  # footer lines sit within this distance of the page bottom
_FOOTNOTE_BAND = 110.0  # footnotes sit just above the footer
_SAME_LINE = 2.5  # pt: pieces whose tops differ less than this share a baseline
_RAISED = 8.0  # pt: a superscript or subscript belongs to the line whose top is this near
MARGIN_MARK = re.compile(r"^\[(?P<mark>[A-Z][A-Za-z0-9.&*/\-]{0,20})\]\s*")
MARGIN_MARK_RUN = re.compile(r"^(?:\[[A-Z][A-Za-z0-9.&*/\-]{0,20}\]\s*)+")
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


# -- raw layer: pages, pieces, visual lines ---------------------------------------------------

@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
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
        if glue and not piece.glued_text:  # a script on a line of its own: raised or lowered
            prev = pieces[i - 1]
            raised = piece.y + piece.size / 2 < prev.y + prev.size / 2
            text += glyphs.superscript(piece.text) if raised else glyphs.subscript(piece.text)
        elif glue:
            text = f"{text}{piece.glued_text}"
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
    every = line["spans"]
    spans = [s for s in every if s["text"].strip()]
    if not spans:
        return None
    # Symbol glyphs mapped, scripts marked (ingest.glyphs); a leading small number stays
    # plain (footnotes are told by it) unless the piece is glued to the text before it.
    marked, plain = glyphs.pdf_line_texts(every)
    text = " ".join(plain.split())
    glued = text if marked is plain else " ".join(marked.split())  # same object: no lead
    if line["bbox"][0] < MARGIN_X:  # codes and margin marks ("[M-1]" with a raised 1): plain
        text = glued = glyphs.raw_text(text)
    chars = italic_chars = 0
    bold, size = True, spans[0]["size"]
    for span in spans:
        flags, length = span["flags"], len(span["text"])
        chars += length
        # Notes are set in italic; bold italic marks Annex IV's differences from Annex I.
        if flags & 2 and not flags & 16:
            italic_chars += length
        bold = bold and bool(flags & 16)
        size = max(size, span["size"])
    if spans[0]["size"] < 9 and len(spans) > 1:
        size = spans[0]["size"]  # a footnote opens with its small superscript number
    return Piece(line["bbox"][0], line["bbox"][1], text, italic_chars * 2 > chars, bold, size,
                 line["bbox"][2], glued if glued != text else "")


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
    pages: list[Page] = []
    with open_pdf(path) as doc:
        for index in range(doc.page_count):
            page = doc.load_page(index)
            # One text page read twice: the spans, and (on a page with a margin mark run into
            # its line) the word positions; building it is most of the extraction's cost.
            textpage = read_page(path, page, "textpage", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
            data = read_page(path, page, "dict", textpage=textpage)
            pages.append(_page(index + 1, page.rect.height, data,
                               partial(_words, path, page, textpage)))
    return pages


def _words(path: Path, page: pymupdf.Page, textpage: pymupdf.TextPage) -> list[tuple[Any, ...]]:
    return list(read_page(path, page, "words", textpage=textpage))


def _split_marked(pieces: list[Piece], words: Callable[[], list[tuple[Any, ...]]]) -> list[Piece]:
    """A margin mark run together with its line ("[M6B1a*] a. Filament ...") as one piece:
    split it where the text after the marks starts (from the page's word positions), so the
    label keeps its true indent."""
    marked = [p for p in pieces if p.x < MARGIN_X and MARGIN_MARK.match(p.text)
              and MARGIN_MARK_RUN.sub("", p.text)]
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
        rest = MARGIN_MARK_RUN.sub("", piece.text)
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
        part = next((name for pattern, name in PART_TITLES if pattern.search(page.title)), None)
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
