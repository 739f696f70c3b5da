"""One PDF reader for every loader, with one set of safety rules, and printed lines rebuilt
from pymupdf's spans by their baseline.

The rules (`open_pdf`): a file that MuPDF cannot open, that is not a PDF, that needs a password
(encrypted), that MuPDF had to repair (a broken cross-reference table: truncated or damaged on
the way) or that has no pages is refused with a `LoaderError` naming the file. A damaged content
stream shows only when a page is read: `read_page` names the file and the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from harmonize.ingest.segmenter import NOTE_WORDS, Line, Unplaced, back_to_enclosing_note
from harmonize.ingest.source import LoaderError

ITALIC, BOLD = 2, 16  # pymupdf span flags
Span = dict[str, Any]
# A printed line that opens a note: the marker, maybe its number, maybe ':' or '.', then text.
NOTE_OPENING = re.compile(rf"^{NOTE_WORDS}(?:\s*\d{{1,2}})?\s*[.:]?(?:\s|$)")


def open_pdf(path: Path) -> pymupdf.Document:
    """The file as a PDF, or LoaderError saying why it cannot be read as one."""
    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # pymupdf raises its own types for damaged or foreign files
        raise LoaderError(path, "whole file", f"not a readable PDF: {exc}") from exc
    problem = ("not a PDF" if not doc.is_pdf
               else "the PDF is encrypted (it needs a password)" if doc.needs_pass
               else "damaged PDF (truncated?): mupdf had to repair it" if doc.is_repaired
               else "the PDF has no pages" if doc.page_count == 0 else "")
    if problem:
        doc.close()
        raise LoaderError(path, "whole file", problem)
    return doc


def read_page(path: Path, page: pymupdf.Page, kind: str = "dict", **options: Any) -> Any:
    """`page.get_text(kind, **options)` (`kind="textpage"`: `page.get_textpage(**options)`, to
    read one page several ways); a damaged page stream raises LoaderError naming the file and
    the page."""
    try:
        if kind == "textpage":
            return page.get_textpage(**options)
        return page.get_text(kind, **options)
    except Exception as exc:
        raise LoaderError(path, f"p. {page.number + 1}", f"cannot extract text: {exc}") from exc


# -- printed lines from spans, by baseline (lists printed from Word: Norway, EUR-Lex PDFs) -------

@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
class Run:
    """One text line as pymupdf reports it: a label, a code or a stretch of text."""

    baseline: float
    x0: float
    text: str
    italic_chars: int
    chars: int
    bold: bool
    size: float


@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
class Row:
    """One printed line: the runs of a page that share a baseline, left to right."""

    page: int  # 0-based page index
    baseline: float
    x0: float
    runs: tuple[str, ...]
    xs: tuple[float, ...]  # x of each run
    bolds: tuple[bool, ...]  # whether each run starts bold
    italics: tuple[bool, ...]  # whether most characters of each run are italic
    italic: bool  # most of its characters are set in italics
    small_lead: bool = False  # its first run is set small (a superscript footnote number)
    # The runs' text, white space collapsed: read several times per row by the layouts, so
    # set once (dataclasses.replace sets it anew).
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = " ".join(" ".join(self.runs).split())

    @property
    def bold(self) -> bool:
        return self.bolds[0]

    @property
    def location(self) -> str:
        return f"p. {self.page + 1}"


_GROUP_CODE = re.compile(r"^\d[A-E]\d?$")


def bold_group_code(span: Span) -> bool:
    """A product-group heading printed as a bold code ("2B", "5A1"): Word prints it run into
    the end of the line before it at times ("... diameter.2B")."""
    return bool(span["flags"] & BOLD and _GROUP_CODE.match(span["text"].strip()))


def plain_text(spans: list[Span]) -> str:
    """The spans' text as extracted."""
    return "".join(s["text"] for s in spans)


def page_rows(page_dict: dict[str, Any], index: int, same_line: float, small_print: float,
              starts_run: Callable[[Span], bool] = bold_group_code,
              text_of: Callable[[list[Span]], str] = plain_text) -> list[Row]:
    """The printed lines of one page (pymupdf's "dict" extraction), top to bottom: runs whose
    baselines differ by no more than `same_line` points share a line; a line whose first run
    is smaller than `small_print` opens with a superscript (a footnote number). `text_of`
    gives a run's text from its spans (`glyphs.pdf_line_text`: symbols and scripts as printed)."""
    runs: list[Run] = []
    for block in page_dict["blocks"]:
        for line in block.get("lines", []):
            runs.extend(line_runs(line["spans"], starts_run, text_of))
    runs.sort(key=lambda r: (r.baseline, r.x0))
    rows: list[Row] = []
    group: list[Run] = []
    for run in runs:
        if group and run.baseline - group[0].baseline > same_line:
            rows.append(_row(index, group, small_print))
            group = []
        group.append(run)
    if group:
        rows.append(_row(index, group, small_print))
    return rows


def line_runs(spans: list[Span], starts_run: Callable[[Span], bool],
              text_of: Callable[[list[Span]], str] = plain_text) -> list[Run]:
    """One pymupdf line as runs: a span for which `starts_run` holds, after inked text, starts
    a run of its own (so a heading run into a line can be split from the text before it)."""
    parts: list[list[Span]] = [[]]
    for span in spans:
        if starts_run(span) and any(s["text"].strip() for s in parts[-1]):
            parts.append([])
        parts[-1].append(span)
    runs: list[Run] = []
    for part in parts:
        inked = [s for s in part if s["text"].strip()]
        if not inked:
            continue
        main = max(inked, key=lambda s: s["size"])  # superscripts must not move the baseline
        italic_chars = chars = 0
        for span in inked:
            length = len(span["text"].strip())
            chars += length
            if span["flags"] & ITALIC:
                italic_chars += length
        runs.append(Run(
            baseline=main["origin"][1], x0=inked[0]["bbox"][0], text=text_of(part),
            italic_chars=italic_chars, chars=chars,
            bold=bool(inked[0]["flags"] & BOLD), size=main["size"],
        ))
    return runs


def _row(index: int, group: list[Run], small_print: float) -> Row:
    group = sorted(group, key=lambda r: r.x0)
    italic = sum(r.italic_chars for r in group)
    total = sum(r.chars for r in group)
    return Row(
        page=index, baseline=max(r.baseline for r in group), x0=group[0].x0,
        runs=tuple(r.text.strip() for r in group),
        xs=tuple(r.x0 for r in group),
        bolds=tuple(r.bold for r in group),
        italics=tuple(r.italic_chars * 2 > r.chars for r in group),
        italic=total > 0 and italic * 2 > total,
        small_lead=group[0].size < small_print,
    )


@dataclass
class Layout:
    """Printed rows sorted into the segmenter's lines and what the loader accounts for itself
    (a loader's own layout adds its counters)."""

    lines: list[Line] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    # Running headers and footers found by position: fed to the segmenter, which drops them as
    # noise by their text; the two counts must agree (body text that looks like furniture, or
    # furniture whose text is not recognised, fails the parse).
    furniture: int = 0
    break_markers: int = 0  # page-break restatements of the code being continued, dropped
    structure_headings: int = 0  # category, part and group headings read as structure


class NoteRows:
    """Italic rows from a note marker on, gathered into one note line (so the note's own a./b.
    list stays inside it) and added to `out` when the note closes.

    With `nests` (a style with `CodeStyle.nested_note_margin`): a row left of an N.B. printed
    inside a note's list, but inside that note, starts a line of its own, which the segmenter
    hands back to the enclosing note (`segmenter.back_to_enclosing_note`)."""

    def __init__(self, out: list[Line], nests: bool = False) -> None:
        self.out = out
        self.rows: list[Row] = []
        self.nests = nests
        self.markers: list[float] = []  # x of the note markers since the last roman row

    def take(self, row: Row, text: str) -> bool:
        """True when the row opens or continues a note (a new marker closes the open one)."""
        if not row.italic:
            self.markers.clear()
            return False
        if NOTE_OPENING.match(text):
            self.close()
            self.markers.append(row.x0)
            self.rows.append(row)
            return True
        if not self.rows:
            return False
        if self.nests and back_to_enclosing_note(row.x0, self.markers):
            self.close()
        self.rows.append(row)
        return True

    def close(self) -> None:
        if self.rows:
            first = self.rows[0]
            self.out.append(Line(" ".join(r.text for r in self.rows), first.location, first.x0,
                                 note=True))
            self.rows = []
