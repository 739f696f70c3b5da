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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harmonize.ingest.pdf import open_pdf
from harmonize.ingest.segmenter import CodeStyle, Segmented, Unplaced, segment
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from loaders.wassenaar import definitions
from loaders.wassenaar.meta import META, ML_META, NOISE, NOT_ENTRIES
from loaders.wassenaar.pages import (
    SPACED_CODE,
    Row,
    Segment,
    extract_lines,
    is_noise,
    page_sections,
    parse_version,
    read_rows,
)
from loaders.wassenaar.sensitive import annex_codes, mark_sensitivity
from loaders.wassenaar.structure import (
    count_headings,
    count_ml_headings,
    prepare,
    structure_dual_use,
)

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
        pages = read_rows(path, doc)
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
    seg = Segmented()
    restated = 0
    for chunk in stream.chunks:
        ready, dropped = prepare(chunk, STYLE)
        seg.extend(segment(ready, STYLE))
        restated += dropped
    rows, noise = seg.rows, seg.dropped_noise
    unplaced = [*seg.unplaced, *stream.unplaced]
    for rows_of_page, section in zip(doc.pages, doc.sections, strict=True):
        if section in NOT_ENTRIES:  # definitions serve both lists; reported with the first
            unplaced.extend(Unplaced(f"p. {r.page}", r.text, NOT_ENTRIES[section])
                            for r in rows_of_page if not is_noise(r.text))
    # Items a paragraph names only by a defined term (1.A.4.a.4. "RCAs"), from the Definitions.
    extended = definitions.add_defined_items(rows, definitions.defined_lists(
        definitions.PrintedRow(r.page, tuple((s.x0, s.text) for s in r.segments),
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
                  notes, check_counts=check_counts, lines=seg.lines)


def parse_munitions(doc: WaDocument, check_counts: bool = True) -> ParsedList | None:
    """The Munitions List (ML1...ML22) as its own list; None when the file has none."""
    ml_pages = doc.rows_in("munitions")
    if not ml_pages:
        return None
    pieces = extract_lines(r for rows in ml_pages for r in rows)
    footnotes = [Unplaced(p.line.location, p.text, "footnote") for p in pieces
                 if p.footnote and not is_noise(p.text)]
    ready, restated = prepare([p.line for p in pieces if not p.footnote], ML_STYLE)
    seg = segment(ready, ML_STYLE)
    notes = [
        f"running headers and page numbers dropped: {seg.dropped_noise} lines",
        f"restated paths (code and bare labels, mostly at page tops) dropped: {restated} lines",
    ]
    return finish(doc.path, ML_META, source_info(ML_META, doc.version), seg.rows,
                  count_ml_headings(_segments(ml_pages)), [*seg.unplaced, *footnotes], notes,
                  check_counts=check_counts, lines=seg.lines)


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
