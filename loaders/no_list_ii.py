"""Norway, List II (dual-use goods) of the export control regulation FOR-2013-06-19-718.

The official English PDF reproduces EU Annex I in a Word layout:

- every page has a running header (the category title, baseline ~48 pt from the top) and a
  page number footer (~772 pt); both reach the segmenter as text and `STYLE.noise` drops them;
- an entry heading is the bare code in the code column (x ~71 pt) with its heading text in a
  separate run at x ~113 pt on the same baseline; paragraph labels (`a.`, `1.`) and their text
  are separate runs too, so a printed line is re-assembled from the runs on one baseline and
  indented by the x of its first run;
- notes are set in italics: the italic rows from a note marker on are joined into one line
  (so a note's own `a.`/`1.` list is never taken for paragraphs); a roman row ends the note;
- the EU source's page-break markers survive inside the text flow ("1C350 continued",
  "3A001.a.5.", "5A002.a. Note 2 continued"): a code in the code column with a paragraph
  path, a note or "continued". They restate the path the text is already on: dropped, counted;
- category, part and group headings ("CATEGORY 4 - COMPUTERS", "Part 2 - ...", bold "4A
  Systems, Equipment and Components") are structure. Notes printed under them apply to a whole
  category and are reported as unplaced, not glued to the entry before;
- the front matter (general notes, acronyms, definitions), the two category appendices (the
  deposition table after 2E301, the "APP" technical note after 4E) and the appended summary of
  the EU's 2020 update are reported as unplaced with their reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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
from loaders.base import LoaderError, ParsedList, SourceMeta, finish, source_info

META = SourceMeta(
    source_id="no-list-ii",
    jurisdiction="NO",
    list_name="List II (dual-use goods)",
    publisher="Norwegian Ministry of Foreign Affairs (Lovdata)",
    url="https://lovdata.no/dokument/SF/forskrift/2013-06-19-718",
    format="PDF",
    licence="Public legal text (Norwegian Copyright Act § 14)",
    citation="Regulation FOR-2013-06-19-718, List II",
    file_patterns=("*.pdf",),
    # EU Annex I of 2021/821 has 366 entry headings; far outside means a changed layout.
    expected_entries=(300, 500),
)

# Positions in PDF points from the top left of an A4 page.
HEADER_BAND_END = 60.0  # running header baseline ~48
FOOTER_BAND_START = 755.0  # page number baseline ~772; body text ends above ~745
CODE_COLUMN_END = 90.0  # entry codes at x ~71; labels and text start at ~113 or further right
# Runs whose baselines differ by less than this share a printed line: a run made only of a
# superscript (a footnote number) sits ~3.5 pt above its line; lines are 11 pt or more apart.
SAME_LINE = 4.5
SMALL_PRINT = 8.0  # body text is 10 pt, superscripts 6.5 pt

ENTRY_CODE = re.compile(r"^\d[A-E]\d{3}$")
# A page-break marker: an entry code with a paragraph path, a note reference or "continued".
BREAK_MARKER = re.compile(
    r"^\d[A-E]\d{3}(?:\.\s?(?:[a-z]|\d{1,2}))*\.?"
    r"(?:\s+Note\s*\d*(?:\.\s?[a-z])?\.?)?(?:\s+continued)?$"
)
CATEGORY_HEADING = re.compile(r"^CATEGORY\s+\d\s*[-–]\s*[^.]*$")  # not the contents' dot leaders
PART_HEADING = re.compile(r"^Part\s+[12]\s*[-–]\s*\S")
GROUP_HEADING = re.compile(r"^\d[A-E]\d?$")  # bold "4A", "5A1", "5D2"
NOTE_MARKER = re.compile(
    r"^(?:Technical\s+[Nn]otes?|Notes?|N\.\s?B\.|Nota\s+Bene)(?:\s*\d{1,2})?\s*[.:]?(?:\s|$)"
)
LABEL_RUN = re.compile(r"^(?:\d{1,2}|[a-z])\.?$")
BARE_LABEL = re.compile(r"^(?:\d{1,2}|[a-z])$")  # a label printed without its dot
# Bold headings of what a category prints after its entries: "TABLE - DEPOSITION TECHNIQUES"
# (after 2E301) and "TECHNICAL NOTE ON "ADJUSTED PEAK PERFORMANCE"" (after 4E).
APPENDIX_HEADING = re.compile(r"^(?:TABLE\s*[-–]|TECHNICAL NOTE ON\b)")
TRAILER_HEADING = re.compile(r"^\d{4} UPDATE OF THE EU CONTROL LIST OF DUAL-USE ITEMS$")

# List II copies EU Annex I, whose third digit names the regime that agreed an entry:
# 0 Wassenaar (and the nuclear trigger list), 1 MTCR, 2 NSG, 3 Australia Group, 4 CWC.
# Another digit would be a Norwegian addition. (EU-level 500-series entries, added to Annex I
# in 2025, would need "5" here once a List II follows them.)
EU_REGIME_DIGITS = frozenset("01234")


def is_national(canonical: str) -> bool:
    """True for an entry number outside the EU Annex I regime series (a Norwegian addition)."""
    return bool(re.match(r"^\d[A-E]\d{3}", canonical)) and canonical[2] not in EU_REGIME_DIGITS


STYLE = CodeStyle(
    name="no-list-ii",
    # The loader hands an entry code over as a line of its own, so only a bare code opens an
    # entry; prose lines that begin with a code ("9A004 or sounding rockets ...") never do.
    entry_heading=re.compile(r"^(?P<code>\d[A-E]\d{3})(?P<rest>)$"),
    noise=(
        re.compile(r"^CATEGORY \d\b[^.]*$"),  # running header: the category title
        re.compile(r"^DEFINITIONS OF TERMS$"),
        re.compile(r"^Notes$"),  # running header of the front pages
        re.compile(r"^\d{4} UPDATE OF THE EU CONTROL LIST OF DUAL-USE ITEMS$"),
        re.compile(r"^\d{1,3}$"),  # page number
    ),
    is_national=is_national,
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1C350.1 ... 1C350.89
    note_indent_margin=3.0,  # pt: a note sits at the label column of its paragraph's children
    nested_note_margin=9.0,  # pt: an N.B. inside a note's own list sits a label step further in
)

PREAMBLE = "category preamble: notes printed under a category, part or group heading"
APPENDIX = "category appendix after its entries"
FOOTNOTE = "page footnote (kept out of the paragraph text)"
TRAILER = "after the list: summary of the EU list's 2020 update (not list text)"


@dataclass(frozen=True)
class Run:
    """One text line as pymupdf reports it: a label, a code or a stretch of text."""

    baseline: float
    x0: float
    text: str
    italic_chars: int
    chars: int
    bold: bool
    size: float


@dataclass(frozen=True)
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

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.runs).split())

    @property
    def bold(self) -> bool:
        return self.bolds[0]

    @property
    def location(self) -> str:
        return f"p. {self.page + 1}"


@dataclass
class Layout:
    """Rows sorted into what the segmenter reads and what the loader accounts for itself."""

    lines: list[Line] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    furniture: int = 0  # header and footer rows by position (fed to the segmenter as noise)
    break_markers: int = 0
    structure_headings: int = 0
    first_list_page: int | None = None
    trailer_page: int | None = None


# -- format: PDF to rows ------------------------------------------------------------------------

def open_pdf(path: Path) -> pymupdf.Document:
    try:
        document = pymupdf.open(path)
    except Exception as error:  # pymupdf raises FileDataError, FileNotFoundError, RuntimeError
        raise LoaderError(path, "whole file", f"not a readable PDF: {error}") from error
    if not document.is_pdf:
        raise LoaderError(path, "whole file", "not a PDF")
    if document.page_count == 0:
        raise LoaderError(path, "whole file", "PDF has no pages")
    return document


def read_pdf(path: Path) -> tuple[list[Row], list[str], dict[str, str]]:
    """Rows of every page, each page's plain text (for the independent heading count), metadata."""
    document = open_pdf(path)
    rows: list[Row] = []
    texts: list[str] = []
    try:
        for index in range(document.page_count):
            page = document[index]
            textpage = page.get_textpage()
            rows.extend(page_rows(page.get_text("dict", textpage=textpage), index))
            texts.append(page.get_text("text", textpage=textpage))
        metadata = {k: str(v) for k, v in (document.metadata or {}).items() if v}
    except Exception as error:  # a damaged page stream surfaces here, not at open()
        where = f"page {len(texts) + 1}"
        raise LoaderError(path, where, f"cannot extract text: {error}") from error
    finally:
        document.close()
    return rows, texts, metadata


def page_rows(page_dict: dict[str, Any], index: int) -> list[Row]:
    """The printed lines of one page (pymupdf's "dict" extraction), top to bottom."""
    runs: list[Run] = []
    for block in page_dict["blocks"]:
        for line in block.get("lines", []):
            runs.extend(line_runs(line["spans"]))
    runs.sort(key=lambda r: (r.baseline, r.x0))
    rows: list[Row] = []
    group: list[Run] = []
    for run in runs:
        if group and run.baseline - group[0].baseline > SAME_LINE:
            rows.append(_row(index, group))
            group = []
        group.append(run)
    if group:
        rows.append(_row(index, group))
    return rows


def line_runs(spans: list[dict[str, Any]]) -> list[Run]:
    """One pymupdf line as runs. A bold group code set into the end of a line ("diameter.2B")
    starts a run of its own, so that the group heading can be split from the text before it."""
    parts: list[list[dict[str, Any]]] = [[]]
    for span in spans:
        run_in = span["flags"] & 16 and GROUP_HEADING.match(span["text"].strip())
        if run_in and any(s["text"].strip() for s in parts[-1]):
            parts.append([])
        parts[-1].append(span)
    runs: list[Run] = []
    for part in parts:
        inked = [s for s in part if s["text"].strip()]
        if not inked:
            continue
        main = max(inked, key=lambda s: s["size"])  # superscripts must not move the baseline
        runs.append(Run(
            baseline=main["origin"][1], x0=inked[0]["bbox"][0],
            text=glyphs.pdf_line_text(part),  # Symbol glyphs mapped, scripts marked
            italic_chars=sum(len(s["text"].strip()) for s in inked if s["flags"] & 2),
            chars=sum(len(s["text"].strip()) for s in inked),
            bold=bool(inked[0]["flags"] & 16), size=main["size"],
        ))
    return runs


def _row(index: int, group: list[Run]) -> Row:
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
        small_lead=group[0].size < SMALL_PRINT,
    )


# -- layout: rows to segmenter lines --------------------------------------------------------------

def extract_lines(path: Path) -> list[Line]:
    """The segmenter's input for one PDF."""
    rows, _, _ = read_pdf(path)
    return layout(rows).lines


def layout(rows: list[Row]) -> Layout:
    """Turn printed lines into segmenter lines, setting aside page furniture, page-break markers,
    structure headings and the text that belongs to no entry."""
    out = Layout()
    in_list = in_trailer = False
    aside: str | None = None  # why the rows up to the next entry belong to no entry
    footnotes_on: int | None = None  # page whose footnote area has begun
    entry = ""
    note: list[Row] = []  # italic rows of an open note
    markers: list[float] = []  # x of the note markers since the last roman row

    def close_note() -> None:
        if note:
            text = " ".join(r.text for r in note)
            out.lines.append(Line(text, note[0].location, note[0].x0, note=True))
            note.clear()

    for row in split_run_in_headings(rows):
        text = row.text
        if not text:
            continue
        if row.baseline < HEADER_BAND_END or row.baseline > FOOTER_BAND_START:
            out.furniture += 1  # a note running over the page break stays open
            out.lines.append(Line(text, row.location, row.x0))
            continue
        in_code_column = row.x0 < CODE_COLUMN_END
        if row.small_lead and in_code_column and row.runs[0].isdigit():
            footnotes_on = row.page  # footnotes fill the page below their first number
        if footnotes_on == row.page:
            out.unplaced.append(Unplaced(row.location, text, FOOTNOTE))
            continue
        if in_list and TRAILER_HEADING.match(text):
            close_note()
            in_trailer, out.trailer_page = True, row.page
        if in_trailer:
            out.unplaced.append(Unplaced(row.location, text, TRAILER))
            continue
        if in_list and in_code_column and BREAK_MARKER.match(text) and (
            len(row.runs) > 1 or not ENTRY_CODE.match(text) or text == entry
        ):
            out.break_markers += 1
            continue
        if in_list and row.bold and APPENDIX_HEADING.match(text):
            close_note()
            aside = aside if aside and aside.startswith(APPENDIX) else f"{APPENDIX}: {text}"
            out.unplaced.append(Unplaced(row.location, text, aside))
            continue
        if is_structure_heading(row, in_list):
            close_note()
            in_list, aside = True, PREAMBLE
            if out.first_list_page is None:
                out.first_list_page = row.page
            out.structure_headings += 1
            continue
        if in_list and in_code_column and ENTRY_CODE.match(row.runs[0]):
            close_note()
            aside, entry = None, row.runs[0]
            out.lines.append(Line(entry, row.location, row.x0))
            if len(row.runs) > 1:  # heading text (or a first "a.") as lines of their own
                rest = replace(row, runs=row.runs[1:], xs=row.xs[1:], bolds=row.bolds[1:],
                               italics=row.italics[1:], x0=row.xs[1])
                out.lines.extend(Line(t, row.location, x, list_item=True)
                                 for t, x in label_lines(rest))
            continue
        if aside:
            out.unplaced.append(Unplaced(row.location, text, aside))
            continue
        if collect_note(row, text, note, close_note, markers):
            continue
        close_note()
        # A roman label closes an open note in the segmenter instead of continuing its list.
        out.lines.extend(Line(t, row.location, x, note=row.italic, list_item=not row.italic)
                         for t, x in label_lines(row))
    close_note()
    return out


def collect_note(row: Row, text: str, note: list[Row], close_note: Callable[[], None],
                 markers: list[float] | None = None) -> bool:
    """Italic rows from a note marker on are gathered into one note (so the note's own a./b.
    list stays inside it); True when the row was taken. `markers` (x of the note markers
    since the last roman row): a row left of an N.B. printed inside a note's list, but inside
    that note, starts a Line of its own, which the segmenter hands back to the enclosing note."""
    markers = [] if markers is None else markers
    if not row.italic:
        markers.clear()
        return False
    if NOTE_MARKER.match(text):
        close_note()  # a new marker opens a new note
        markers.append(row.x0)
        note.append(row)
        return True
    if not note:
        return False
    if back_to_enclosing_note(row.x0, markers):
        close_note()
    note.append(row)
    return True


def is_structure_heading(row: Row, in_list: bool) -> bool:
    """A category, part or group heading (the first category heading opens the list)."""
    text = row.text
    if row.x0 < CODE_COLUMN_END and CATEGORY_HEADING.match(text):
        return True
    if not in_list:
        return False
    if row.x0 < CODE_COLUMN_END and PART_HEADING.match(text):
        return True
    return row.bold and bool(GROUP_HEADING.match(row.runs[0]))


def split_run_in_headings(rows: list[Row]) -> Iterator[Row]:
    """Rows, with a group heading run into the end of a line ("... diameter.2B Test, ...")
    split off as a row of its own."""
    for row in rows:
        at = next((i for i in range(1, len(row.runs)) if row.bolds[i] and not row.bolds[0]
                   and GROUP_HEADING.match(row.runs[i])), None)
        if at is None:
            yield row
            continue
        yield replace(row, runs=row.runs[:at], xs=row.xs[:at], bolds=row.bolds[:at],
                      italics=row.italics[:at], italic=all(row.italics[:at]))
        yield replace(row, runs=row.runs[at:], xs=row.xs[at:], bolds=row.bolds[at:],
                      italics=row.italics[at:], x0=row.xs[at], italic=False, small_lead=False)


def label_lines(row: Row) -> list[tuple[str, float]]:
    """A row as segmenter lines (text, indent). A row that opens two levels at once
    ("1. a. Voltage rating ...") gives one line per label, each at its own x; a label printed
    without its dot ("12 Clostridium ...") gets the dot back."""
    if row.x0 < CODE_COLUMN_END or len(row.runs) < 2:
        return [(row.text, row.x0)]
    lines: list[tuple[str, float]] = []
    runs, xs = list(row.runs), list(row.xs)
    while len(runs) > 2 and LABEL_RUN.match(runs[0]) and LABEL_RUN.match(runs[1]):
        lines.append((runs[0].rstrip(".") + ".", xs[0]))
        runs, xs = runs[1:], xs[1:]
    label = runs[0] + "." if BARE_LABEL.match(runs[0]) else runs[0]
    lines.append((" ".join(" ".join([label, *runs[1:]]).split()), xs[0]))
    return lines


# -- the list ---------------------------------------------------------------------------------

def count_headings(page_texts: list[str], first_page: int, end_page: int) -> dict[str, str]:
    """Independent count of entry headings in the plain page text: a line holding nothing but
    an entry code (`0A001`) on the list's pages. Codes cited in prose never stand alone."""
    headings: dict[str, str] = {}
    for index in range(first_page, end_page):
        for match in re.finditer(r"(?m)^[ \t]*(\d[A-E]\d{3})[ \t]*$", page_texts[index]):
            code = canonical_code(match.group(1))
            if code:
                headings.setdefault(code, f"p. {index + 1}")
    return headings


def parse_version(metadata: dict[str, str], path: Path) -> str:
    """The date of the list as the PDF records it (creation date, else modification date).

    The printed text names only the year of the EU list it follows ("Liste II - flerbruksvarer
    (2021)"); the file's own date is the date Lovdata publishes the list under.
    """
    for key in ("creationDate", "modDate"):
        found = re.match(r"^D:(\d{4})(\d{2})(\d{2})", metadata.get(key, ""))
        if found:
            return "-".join(found.groups())
    raise LoaderError(path, "PDF metadata", "no creation or modification date to date the list")


def parse(path: Path) -> list[ParsedList]:
    """Read List II from the official PDF."""
    return [read_list(Path(path))]


def read_list(path: Path, check_counts: bool = True) -> ParsedList:
    """The list in one PDF; `check_counts=False` skips the expected-size check (small test
    files), never the reconciliation of headings with entries."""
    rows, page_texts, metadata = read_pdf(path)
    version = parse_version(metadata, path)
    laid = layout(rows)
    if laid.first_list_page is None:
        raise LoaderError(path, "whole file", "no 'CATEGORY n - ...' heading: not List II?")
    seg = segment(laid.lines, STYLE)
    end_page = laid.trailer_page if laid.trailer_page is not None else len(page_texts)
    headings = count_headings(page_texts, laid.first_list_page, end_page)
    # Running headers and page numbers are found by position here and by text in the segmenter;
    # a difference means body text looked like furniture, or a running header went unrecognised.
    if seg.dropped_noise != laid.furniture:
        raise LoaderError(
            path, "running headers and page numbers",
            f"{laid.furniture} found by position but {seg.dropped_noise} dropped as noise",
        )
    unplaced = sorted([*seg.unplaced, *laid.unplaced], key=_page_number)
    national = sorted({r.canonical for r in seg.rows if r.kind == "entry" and r.national})
    notes = [
        f"{seg.dropped_noise} running headers and page numbers dropped",
        f"{laid.break_markers} page-break markers of the EU source dropped ('1C350 continued')",
        f"{laid.structure_headings} category, part and group headings read as structure",
        *summarise_unplaced(unplaced),
        f"national entries: {', '.join(national) if national else 'none'}",
    ]
    info = source_info(META, version)
    return finish(path, META, info, seg.rows, headings, unplaced=unplaced, notes=notes,
                  check_counts=check_counts)


def summarise_unplaced(unplaced: list[Unplaced]) -> list[str]:
    """One line per reason; stray labels are counted per paragraph they failed to continue."""
    reasons = Counter(re.sub(r"^label '\w+' does not", "labels that do not", u.reason)
                      for u in unplaced)
    return [f"{n} unplaced line(s): {reason}" for reason, n in reasons.most_common()]


def _page_number(item: Unplaced) -> int:
    found = re.search(r"\d+", item.location)
    return int(found.group()) if found else 0
