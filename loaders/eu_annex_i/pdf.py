"""EU Annex I (dual-use list) read from the official EUR-Lex PDFs of 2015-2022.

Two print layouts of the same list, told apart by nothing but their margins:

- the Official Journal (e.g. Delegated Regulation 2015/2420 replacing Annex I of Regulation
  428/2009): entry codes in a code column at x ~68 pt, text at ~119 pt; running header
  "EN  L 340/38  Official Journal of the European Union  24.12.2015" above ~60 pt;
- the consolidated texts (CELEX 02015R2420-20151224, 02021R0821-20220107 ...): codes at
  ~107 pt, text at ~158 pt; running header "02021R0821 — EN — 07.01.2022 — 001.002 — 65".

Both: a paragraph label and its text are one run ("a. Seals, ..."), indented one step per level
(a. / 1. / a. at +10.6 pt); notes are set in italics; an entry that runs over a page break is
restated at the top of the next page ("0C004 (continued)"); group headings ("0C Materials"),
category and part headings are bold. Consolidated texts print amendment arrows ("▼M1", "►C1",
"◄") in the margin and inside the text.

Printed lines are rebuilt from pymupdf spans by baseline (`harmonize.ingest.pdf.page_rows`, as
for Norway's List II, which reproduces the same Annex I), and the italic rows from a note marker
on make one note line (`harmonize.ingest.pdf.NoteRows`). A superscript after "10" keeps a
caret (`10^6`), as in the consolidated HTML (`dialect.clean_text`). Running headers go to the
segmenter and are dropped there as noise; the count found by position must equal the count
dropped. Amendment arrows and page-break restatements are dropped and counted. Everything
before the first entry (general notes, definitions) and the text under category, part and group
headings is reported as unplaced.

The version is the document's own date: the consolidation date of its header
(`02021R0821 — EN — 07.01.2022`), else the date of the regulation (`of 12 October 2015`),
else a dated folder (`YYYY-MM-DD`) the file sits in. Annex IV is not read from the PDFs (noted).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harmonize.codes import canonical_code
from harmonize.ingest import pdf
from harmonize.ingest.pdf import NOTE_OPENING, NoteRows, Row, open_pdf, page_rows, read_page
from harmonize.ingest.segmenter import (
    LABEL,
    CodeStyle,
    Line,
    Unplaced,
    in_document_order,
    segment,
    summarise_unplaced,
)
from harmonize.ingest.source import (
    LoaderError,
    ParsedList,
    ReconciliationError,
    finish,
    source_info,
)
from loaders.eu_annex_i.meta import PDF_META

META = PDF_META

HEADER_BAND_END = 65.0  # running headers sit at ~50-57 pt
SAME_LINE = 4.5  # pt between the baselines of runs on one printed line (as in List II's PDF)
SMALL_PRINT = 8.0  # a run set smaller opens a footnote
CODE_COLUMN_END = 115.0  # codes at ~68 (OJ) or ~107 (consolidated); text at ~119 or ~158
SUPERSCRIPT = 1  # pymupdf span flag

ENTRY_CODE = re.compile(r"^\d[A-E]\d{3}$")
# "0C004 (continued)", "1A002.a. (continued)", "5A002 Note 2 (continued)"
BREAK_MARKER = re.compile(r"^\d[A-E]\d{3}\b.*\(\s*continued\s*\)\s*$")
AMENDMENT = re.compile(r"[►▼◄▲]\s*(?:[A-Z]\d{0,3}\b)?")
ANNEX_TITLE = re.compile(r"^ANNEX\s+(?P<n>[IVX]+)$")
GROUP_HEADING = re.compile(r"^\d[A-E]$")
PART_HEADING = re.compile(r"^(?:PART\s+[IVXL]+|Category\s+\d)\s*$")  # centred, above a category
SUBPART_HEADING = re.compile(r"^Part\s+\d\s*[-–]\s*\S")  # "Part 2 - "INFORMATION SECURITY""
CATEGORY_HEADING = re.compile(r"^CATEGORY\s+\d\b")
# "1. a. Voltage rating ...": a label and its first sub-label on one printed line.
DOUBLE_LABEL = re.compile(r"^(?P<label>[a-z]|\d{1,2})\.\s+(?P<rest>(?:a|1)\.\s+\S.*)$")

# The consolidated header (2015 texts print no leading 0: "2015R2420 — EN — 24.12.2015").
CONSOLIDATION_LINE = re.compile(
    r"\b0?\d{4}R\d{4}\s*[—–-]\s*EN\s*[—–-]\s*(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4})"
)
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
REGULATION_DATE = re.compile(
    r"REGULATION\s+\((?:EU|EC)\)\s+(?:No\s+)?\d{4}/\d+.{0,200}?\bof\s+(?P<d>\d{1,2})\s+"
    rf"(?P<m>{'|'.join(MONTHS)})\s+(?P<y>\d{{4}})", re.IGNORECASE | re.DOTALL,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

STYLE = CodeStyle(
    name="eu-annex-i-pdf",
    # The loader hands an entry code over as a line of its own: prose lines starting with a
    # code ("1C010 or ...") never open an entry.
    entry_heading=re.compile(r"^(?P<code>\d[A-E]\d{3})(?P<rest>)$"),
    noise=(
        CONSOLIDATION_LINE,  # consolidated running header
        re.compile(r"Official Journal of the European Union"),  # OJ running header
        re.compile(r"^(?:EN\s+)?L\s+\d+[A-Z]?/\d+(?:\s+EN)?$"),  # OJ header split from its title
        re.compile(r"^EN$"),
    ),
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1. ... 89.
)

PREFACE = "before the first entry (general notes, acronyms, definitions)"
PREAMBLE = "category preamble: text under a category, part or group heading"


@dataclass
class Layout(pdf.Layout):
    """The shared layout counts, and the amendment arrows ("0C004 (continued)" is a break
    marker here) and entry headings this print shows."""

    amendment_markers: int = 0  # rows made only of amendment arrows
    headings: dict[str, str] = field(default_factory=dict)  # entry code -> location, from rows


@dataclass
class Document:
    """What the format layer reads from one PDF."""

    rows: list[Row]
    page_texts: list[str]
    version: str
    annex_pages: tuple[int, int]  # first page of Annex I, first page after it (0-based)


# -- format: PDF to rows ---------------------------------------------------------------------


def mark_powers(page_dict: dict[str, Any]) -> dict[str, Any]:
    """A superscript span after "10" gets a caret (`10^6`), so it is not read as 106."""
    for block in page_dict["blocks"]:
        for line in block.get("lines", []):
            before = ""
            for span in line["spans"]:
                text = span["text"]
                if (span["flags"] & SUPERSCRIPT and re.fullmatch(r"\s*[-−+]?\d{1,3}\s*", text)
                        and re.search(r"(?<![\d,.])10\s*$", before)):
                    span["text"] = "^" + text.strip()
                before += span["text"]
    return page_dict


def read_document(path: Path) -> Document:
    """Rows of the Annex I pages, all page texts, the version date and the Annex I page range."""
    with open_pdf(path) as document:
        texts = [read_page(path, document[i], "text") for i in range(document.page_count)]
        start, end = annex_pages(texts, path)
        rows: list[Row] = []
        for index in range(start, min(end + 1, len(texts))):  # Annex II may share a page
            page_dict = mark_powers(read_page(path, document[index], "dict"))
            rows.extend(page_rows(page_dict, index, SAME_LINE, SMALL_PRINT))
        after = next((i for i, r in enumerate(rows) if r.page == end
                      and (m := ANNEX_TITLE.match(r.text)) and m["n"] == "II"), len(rows))
        rows = rows[:after]
        if end < len(texts):  # the independent count reads that page up to the title too
            texts[end] = re.split(r"(?m)^[ \t]*ANNEX\s+II[ \t]*$", texts[end])[0]
            end += 1
    return Document(rows, texts, parse_version(texts, path), (start, end))


def annex_pages(texts: list[str], path: Path) -> tuple[int, int]:
    """Pages of Annex I: from the page whose title line is "ANNEX I" and which holds entry
    codes, to the page titled "ANNEX II" after it."""
    def titled(index: int, number: str) -> bool:
        return any((m := ANNEX_TITLE.match(line.strip())) and m["n"] == number
                   for line in texts[index].splitlines())

    start = next((i for i in range(len(texts)) if titled(i, "I")), None)
    if start is None:
        raise LoaderError(path, "whole file", "no 'ANNEX I' title: not the EU dual-use list?")
    end = next((i for i in range(start + 1, len(texts)) if titled(i, "II")), len(texts))
    return start, end


def parse_version(texts: list[str], path: Path) -> str:
    """The document's own date (see the module doc)."""
    head = "\n".join(texts[:3])
    found = CONSOLIDATION_LINE.search(head)
    if found:
        return f"{found['y']}-{found['m']}-{found['d']}"
    dated = REGULATION_DATE.search(head)
    if dated:
        month = MONTHS.index(dated["m"].lower()) + 1
        return f"{dated['y']}-{month:02d}-{int(dated['d']):02d}"
    for folder in Path(path).resolve().parents:
        if ISO_DATE.match(folder.name):
            return folder.name
    raise LoaderError(path, "pages 1-3", "no consolidation or regulation date, and no dated "
                      "folder (YYYY-MM-DD) to date the list")


# -- layout: rows to segmenter lines -----------------------------------------------------------


def strip_amendments(row: Row) -> Row | None:
    """The row without amendment arrows ("▼M1", "►C1", "◄"); None when nothing else is left."""
    keep = [(AMENDMENT.sub("", t).strip(), x, b, i)
            for t, x, b, i in zip(row.runs, row.xs, row.bolds, row.italics, strict=True)]
    keep = [k for k in keep if k[0]]
    if not keep:
        return None
    if len(keep) == len(row.runs) and all(k[0] == t for k, t in zip(keep, row.runs, strict=True)):
        return row
    runs, xs, bolds, italics = (tuple(col) for col in zip(*keep, strict=True))
    return replace(row, runs=runs, xs=xs, bolds=bolds, italics=italics, x0=xs[0])


def layout(rows: list[Row]) -> Layout:
    """Turn printed rows into segmenter lines, setting aside furniture, amendment arrows,
    page-break restatements, structure headings and text that belongs to no entry."""
    out = Layout()
    aside: str | None = PREFACE
    # A text line that continues the one before ("... specified in" / "2B001, 2B006") is joined
    # to it, so that a code wrapped onto a line of its own never passes for an entry heading.
    joinable = False

    note = NoteRows(out.lines)  # the italic rows of an open note

    for raw in rows:
        if raw.baseline < HEADER_BAND_END:
            joinable = False
            out.furniture += 1  # a note running over the page break stays open
            out.lines.append(Line(raw.text, raw.location, raw.x0))
            continue
        row = strip_amendments(raw)
        if row is None:
            out.amendment_markers += 1
            continue
        text = row.text
        in_code_column = row.x0 < CODE_COLUMN_END
        if in_code_column and BREAK_MARKER.match(text):
            out.break_markers += 1
            continue
        if is_structure_heading(row):
            note.close()
            aside = PREFACE if aside == PREFACE else PREAMBLE
            out.structure_headings += 1
            continue
        if in_code_column and ENTRY_CODE.match(row.runs[0]) and len(row.runs) > 1:
            note.close()
            aside, joinable = None, True
            code = row.runs[0]
            out.headings.setdefault(code, row.location)
            out.lines.append(Line(code, row.location, row.x0))
            rest = " ".join(row.runs[1:])
            out.lines.extend(label_lines(rest, row, row.xs[1]))
            continue
        if aside:
            out.unplaced.append(Unplaced(row.location, text, aside))
            continue
        if note.take(row, text):
            continue
        note.close()
        if joinable and not LABEL.match(text) and not NOTE_OPENING.match(text):
            last = out.lines[-1]
            out.lines[-1] = replace(last, text=f"{last.text} {text}")
            continue
        out.lines.extend(label_lines(text, row, row.x0))
        joinable = True
    note.close()
    return out


def is_structure_heading(row: Row) -> bool:
    """Category, part and group headings: bold, or a centred "PART III"."""
    text = row.text
    if PART_HEADING.match(text) or CATEGORY_HEADING.match(text):
        return True
    if SUBPART_HEADING.match(text) and (row.bold or row.x0 < CODE_COLUMN_END):
        return True
    return row.bold and not LABEL.match(text) and (
        bool(GROUP_HEADING.match(row.runs[0])) or text.upper() == text)


def label_lines(text: str, row: Row, x: float) -> Iterator[Line]:
    """A row as segmenter lines; "1. a. Voltage ..." gives one line per label. A roman label
    closes an open note in the segmenter instead of continuing the note's own list."""
    double = DOUBLE_LABEL.match(text)
    if double and not row.italic:
        yield Line(f"{double['label']}.", row.location, x, list_item=True)
        yield Line(double["rest"], row.location, x + 10.6, list_item=True)
        return
    yield Line(text, row.location, x, note=row.italic, list_item=not row.italic)


# -- the list ----------------------------------------------------------------------------------


def count_headings(texts: list[str], pages: tuple[int, int]) -> dict[str, str]:
    """Independent count of entry headings in the plain page text: a line holding nothing but
    an entry code, on the Annex I pages. A restated code ("0C004" then "(continued)") is the
    same heading, and a restatement is not counted at all (2015/2420 consolidated restates
    "7B005 (continued)" above 7B003); codes cited in prose never stand alone on a line."""
    headings: dict[str, str] = {}
    for index in range(*pages):
        for match in re.finditer(r"(?m)^[ \t]*(\d[A-E]\d{3})[ \t]*$(?!\s*\()", texts[index]):
            code = canonical_code(match.group(1))
            if code:
                headings.setdefault(code, f"p. {index + 1}")
    return headings


def parse(path: Path) -> list[ParsedList]:
    """Read Annex I from one EUR-Lex PDF."""
    return [read_list(Path(path))]


def read_list(path: Path, check_counts: bool = True) -> ParsedList:
    """Annex I of one PDF; `check_counts=False` skips the expected-size check (small test
    files), never the reconciliation of headings with entries."""
    started = time.perf_counter()
    doc = read_document(path)
    laid = layout(doc.rows)
    seg = segment(laid.lines, STYLE)
    if seg.dropped_noise != laid.furniture:
        raise LoaderError(path, "running headers",
                          f"{laid.furniture} found by position but {seg.dropped_noise} dropped "
                          "as noise: a header went unrecognised or body text looked like one")
    headings = count_headings(doc.page_texts, doc.annex_pages)
    entries = [r for r in seg.rows if r.kind == "entry"]
    if len(entries) != len({r.canonical for r in entries}):
        twice = sorted({r.canonical for r in entries
                        if sum(e.canonical == r.canonical for e in entries) > 1})
        raise ReconciliationError(path, "entry headings",
                                  f"entr(y/ies) opened twice: {', '.join(twice[:10])}")
    unplaced = in_document_order([*laid.unplaced, *seg.unplaced])
    notes = [
        f"{seg.dropped_noise} running headers dropped",
        f"{laid.amendment_markers} rows of amendment arrows dropped ('▼M1')",
        f"{laid.break_markers} page-break restatements dropped ('0C004 (continued)')",
        f"{laid.structure_headings} category, part and group headings read as structure",
        *summarise_unplaced(unplaced),
        "Annex IV is not read from the PDF",
        f"parsed in {time.perf_counter() - started:.1f} s",
    ]
    info = source_info(META, doc.version)
    return finish(path, META, info, seg.rows, headings, unplaced=unplaced, notes=notes,
                  check_counts=check_counts, lines=seg.lines)
