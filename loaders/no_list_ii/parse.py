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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from harmonize.codes import canonical_code
from harmonize.ingest import glyphs, pdf
from harmonize.ingest.pdf import NoteRows, Row, open_pdf, page_rows, read_page
from harmonize.ingest.segmenter import (
    CodeStyle,
    Line,
    Unplaced,
    in_document_order,
    segment,
    summarise_unplaced,
)
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from loaders.no_list_ii.meta import EU_REGIME_DIGITS, META

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
LABEL_RUN = re.compile(r"^(?:\d{1,2}|[a-z])\.?$")
BARE_LABEL = re.compile(r"^(?:\d{1,2}|[a-z])$")  # a label printed without its dot
# Bold headings of what a category prints after its entries: "TABLE - DEPOSITION TECHNIQUES"
# (after 2E301) and "TECHNICAL NOTE ON "ADJUSTED PEAK PERFORMANCE"" (after 4E).
APPENDIX_HEADING = re.compile(r"^(?:TABLE\s*[-–]|TECHNICAL NOTE ON\b)")
TRAILER_HEADING = re.compile(r"^\d{4} UPDATE OF THE EU CONTROL LIST OF DUAL-USE ITEMS$")



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


@dataclass
class Layout(pdf.Layout):
    """The shared layout counts ("1C350 continued" is a break marker here), and where the
    list starts and the appended summary of the EU update begins."""

    first_list_page: int | None = None
    trailer_page: int | None = None


# -- format: PDF to rows ------------------------------------------------------------------------

def read_pdf(path: Path) -> tuple[list[Row], list[str], dict[str, str]]:
    """Rows of every page, each page's plain text (for the independent heading count), metadata."""
    rows: list[Row] = []
    texts: list[str] = []
    with open_pdf(path) as document:
        for index in range(document.page_count):
            page = document[index]
            textpage = page.get_textpage()
            # Symbol glyphs mapped, superscripts and subscripts marked (ingest.glyphs).
            rows.extend(page_rows(read_page(path, page, "dict", textpage=textpage), index,
                                  SAME_LINE, SMALL_PRINT, text_of=glyphs.pdf_line_text))
            texts.append(read_page(path, page, "text", textpage=textpage))
        metadata = {k: str(v) for k, v in (document.metadata or {}).items() if v}
    return rows, texts, metadata


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

    note = NoteRows(out.lines, nests=True)  # the italic rows of an open note

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
            note.close()
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
            note.close()
            aside = aside if aside and aside.startswith(APPENDIX) else f"{APPENDIX}: {text}"
            out.unplaced.append(Unplaced(row.location, text, aside))
            continue
        if is_structure_heading(row, in_list):
            note.close()
            in_list, aside = True, PREAMBLE
            if out.first_list_page is None:
                out.first_list_page = row.page
            out.structure_headings += 1
            continue
        if in_list and in_code_column and ENTRY_CODE.match(row.runs[0]):
            note.close()
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
        if note.take(row, text):
            continue
        note.close()
        # A roman label closes an open note in the segmenter instead of continuing its list.
        out.lines.extend(Line(t, row.location, x, note=row.italic, list_item=not row.italic)
                         for t, x in label_lines(row))
    note.close()
    return out


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
    unplaced = in_document_order([*seg.unplaced, *laid.unplaced])
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
                  check_counts=check_counts, lines=seg.lines)
