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
from collections.abc import Iterable, Iterator
from pathlib import Path

from harmonize.codes import canonical_code, entry_code
from harmonize.ingest.labels import is_500_series
from harmonize.ingest.segmenter import CodeStyle, Line, Segmented, Unplaced, segment
from harmonize.ingest.source import ParsedList, finish, source_info
from harmonize.model import ListRow
from loaders.uk_sel.lines import ANNEX_IV_CODE, ENTRY_CODE, Extracted, extract_lines
from loaders.uk_sel.meta import (
    ANNEX_IV_META,
    LEFT_OUT,
    META,
    MILITARY_META,
    PART_ANNEX_IV,
    PART_DUAL_USE,
    PART_MILITARY,
    PART_NATIONAL,
)
from loaders.uk_sel.pages import Page, page_parts, parse_version, read_pages


def _is_national(canonical: str) -> bool:
    """`PL` codes are the UK's own; every Annex I style code (500-series included) is shared."""
    return canonical.startswith("PL")


STYLE = CodeStyle(
    name="uk-sel",
    entry_heading=re.compile(rf"^(?P<code>{ENTRY_CODE})(?:\s+(?P<rest>.*))?$"),
    is_national=_is_national,
    entry_first_labels=("a", "1"),  # chemical lists: 1C350.1 ... 1C350.91
    sparse_labels=is_500_series,
    note_indent_margin=3.0,  # pt: a note sits at the label column of its paragraph's children
    nested_note_margin=9.0,  # pt: an N.B. inside a note's own list sits a label step further in
)
# Annex IV quotes Annex I selectively (6A001.a.1.b. then its sub-items 1. and 6.).
ANNEX_IV_STYLE = CodeStyle(
    name="uk-sel-annex-iv", entry_heading=ANNEX_IV_CODE, entry_first_labels=("a", "1"),
    sparse_labels=lambda entry: True,
    note_indent_margin=3.0,
    nested_note_margin=9.0,
)


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


def _segment_part(extracted: Extracted, style: CodeStyle) -> Segmented:
    """One component list segmented, its margin marks applied, its unplaced text first."""
    seg = segment(extracted.lines, style)
    lost = _apply_marks(seg.rows, extracted.lines, extracted.marks)
    seg.unplaced = [*extracted.unplaced, *seg.unplaced]
    if lost:
        seg.unplaced.append(Unplaced("", f"{lost} margin mark(s)", "before the first entry"))
    return seg


def _raw_pages(pages: Iterable[Page]) -> Iterator[tuple[int, str]]:
    for page in pages:
        yield page.number, page.raw_text


def _left_out_notes(parts: dict[str, list[Page]]) -> list[str]:
    return [
        f"{name} ({LEFT_OUT[name]}), pp. {parts[name][0].number}-{parts[name][-1].number}: "
        "left out (not a Wassenaar-family list)"
        for name in LEFT_OUT if name in parts
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
    dual = _segment_part(extract_lines(parts[PART_NATIONAL]), STYLE)
    dual.extend(_segment_part(extract_lines(parts[PART_DUAL_USE]), STYLE))
    headings = {**count_headings(_raw_pages(parts[PART_NATIONAL])),
                **count_headings(_raw_pages(parts[PART_DUAL_USE]))}
    main = finish(
        path, META, source_info(META, version), dual.rows, headings, dual.unplaced,
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
        check_counts=check_counts, lines=dual.lines,
    )

    iv = _segment_part(extract_lines(parts[PART_ANNEX_IV], annex_iv=True), ANNEX_IV_STYLE)
    annex_iv = finish(
        path, ANNEX_IV_META, source_info(ANNEX_IV_META, version), _merge_repeats(iv.rows),
        count_headings(_raw_pages(parts[PART_ANNEX_IV]), annex_iv=True), iv.unplaced,
        notes=["Annex IV quotes Annex I selectively under full codes: each printed code "
               "(5D002.a., 6A001.a.2.f.) is an entry row, the sub-items it quotes are its "
               "paragraphs (6A001.a.1.b.1, 6A001.a.1.b.6); a code quoted twice (1E201, 3E201) "
               "is one row with both texts (details['also_at'])."],
        check_counts=check_counts, lines=iv.lines,
    )
    parsed = [main, annex_iv]

    if PART_MILITARY in parts:
        ml = _segment_part(extract_lines(parts[PART_MILITARY]), STYLE)
        parsed.append(finish(
            path, MILITARY_META, source_info(MILITARY_META, version),
            ml.rows, count_headings(_raw_pages(parts[PART_MILITARY])), ml.unplaced,
            notes=["Schedule 2 to the Export Control Order 2008 (ML1-ML22); PL5001 is "
                   "national."],
            check_counts=check_counts, lines=ml.lines,
        ))
    return parsed
