"""Australia, Defence and Strategic Goods List 2024 (F2024L01024), official DOCX.

The DOCX holds both Parts of the List, and both are returned:
- `au-dsgl`: Part 2, the dual-use list (categories 0-9). Its "Sensitive" and "Very sensitive"
  sub-lists (tables after category 9) are not rows: they set `sensitivity` on the rows they name.
- `au-dsgl-ml`: Part 1, the munitions list (`ML1` ... `ML22`, and Australia's own non-military
  lethal goods `ML901` ... `ML910`).

How the Word file prints the List (what this loader relies on):
- Codes are split by tabs: an entry heading is `5.⇥A.⇥001.⇥Telecommunications ...`, sometimes
  with a slip (`1⇥C.⇥001.`, `3.⇥A.⇥901⇥`, `A.⇥002.⇥o.⇥3.` without its category digit).
- A paragraph opens with its label (`j.⇥IP network ...`) in a style whose left indent grows one
  step (567 twips) a level: `DL0Aa` 1701, `DL0Aa1` 2268, `DL0Aa1a` 2835 ... (Part 1: half a step
  further, 851, 1418 ...). Notes use note styles (`DL0ANote`, `DL0AaTechH`, `MLNB` ...) and
  their own lists sit between the steps.
- At a page or block start a paragraph is printed with its full code: `5.⇥A.⇥001.⇥j.⇥1.⇥...`.
- A few lists are Word auto-numbered (`w:numPr`): their labels are rebuilt from numbering.xml.
- Word's non-breaking hyphen is an element (`w:noBreakHyphen`), read as "-" ("dual-use").
The DOCX is read with lxml from the zip (no entity expansion, no network): python-docx would
also work but does not give numbering labels and is slower.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import CodeStyle, Segmented, Unplaced, segment
from harmonize.ingest.source import LoaderError, ParsedList, finish, source_info
from loaders.au_dsgl.lines import DUAL_CODE, ML_CODE, PART1_GRID, PART2_GRID, to_lines
from loaders.au_dsgl.meta import META, ML_META
from loaders.au_dsgl.sensitive import SUB_LIST, mark_sensitivity, sensitive_codes
from loaders.au_dsgl.wordml import Paragraph, extract_paragraphs

DUAL_STYLE = CodeStyle(
    name="au-dsgl",
    # Matched by the segmenter on whitespace-collapsed text: "5. A. 001. Telecommunications ..."
    entry_heading=re.compile(
        r"^(?P<code>\d\s?\.?\s?[A-E]\s?\.?\s?\d{3}(?!\d)\.?)(?:\s+(?P<rest>.*))?$"
    ),
    # Australia's own entries: x9xx numbers (3A901, 3B901, 3B902, 3D901, 3D902, 3E901, 4A901,
    # 4D901, 4E901 in 2024) are outside the Wassenaar/EU numbering, whose third character is a
    # regime digit 0-5; the EU prints its own plurilateral additions as 5xx.
    is_national=lambda canonical: bool(re.match(r"^\d[A-E]9\d\d(\.|$)", canonical)),
    entry_first_labels=("a", "1"),  # 1C350 numbers its chemicals 1C350.1 ... 1C350.91
    indent_tolerance=0.25,  # steps of 567 twips: a quarter step tells levels apart
    nested_note_lists=True,  # safe here: styled paragraphs close notes (Line.list_item)
    note_indent_margin=0.25,  # notes sit half a step right of the paragraph they annotate
)
ML_STYLE = CodeStyle(
    name="au-dsgl-ml",
    entry_heading=re.compile(r"^(?P<code>ML\s?\d{1,3}(?!\d)\.?)(?:\s+(?P<rest>.*))?$"),
    # ML901-ML910: Australia's non-military lethal goods, beyond the Wassenaar ML1-ML22.
    is_national=lambda canonical: bool(re.match(r"^ML9\d\d(\.|$)", canonical)),
    indent_tolerance=0.25,
    nested_note_lists=True,
    note_indent_margin=0.25,
)

# Independent count of entries in the raw text: an entry code opening a paragraph and followed
# by text (heading text, or the first paragraph label where, as for 9E101, the entry has none).
_DUAL_HEADING_RAW = re.compile(
    r"^\s*(?P<cat>\d)\s*\.?\s*(?P<group>[A-E])\s*\.?\s*(?P<num>\d{3})(?!\d)\s*\.?[ \t]+\S"
)
_ML_HEADING_RAW = re.compile(r"^\s*ML\s?(?P<num>\d{1,3})(?!\d)\s*\.?[ \t]+\S")

# Part boundaries, on whitespace-collapsed text (the table of contents repeats the titles with
# a page number after them, so the whole text must match).
_PART1 = re.compile(r"^Part\s*1\s*[—–-]\s*Munitions\s+list$", re.IGNORECASE)
_PART2 = re.compile(r"^Part\s*2\s*[—–-]\s*Dual-?\s?use\s+list$", re.IGNORECASE)
# Headings that open a block of Part 2. Each block is segmented on its own so that the notes
# printed under a heading (category notes, the Cryptography Note) are reported as text before
# the block's first entry instead of being attached to the last entry of the block before.
_BLOCK_HEADINGS = (
    re.compile(r"^Category\s+\d\s*[—–-]"),
    re.compile(r"^Part\s*[12]\s*[—–-]\s*[“\"]?(?:TELECOMMUNICATIONS|INFORMATION\s+SECURITY)", re.I),
    # "0.⇥A.⇥Systems, Equipment and Components"; Category 5 adds its Part: "5.⇥A.⇥1.⇥Systems"
    re.compile(
        r"^\d\s*\.?\s*[A-E]\s*\.?\s*(?:\d\s*\.?\s*)?(?:Systems|Test|Materials|Software|Technology)\b"
    ),
    re.compile(r"^TABLE\b"),  # a table printed after the entries (2E003.f's, after 2E301)
)
_TABLE_BLOCK = re.compile(r"^TABLE\b")

_MONTHS = {
    name: number for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)
}
_DATED = re.compile(r"^(?:Dated|Compilation date:?)\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b")


# --- Where things are -----------------------------------------------------------------------
def parse_version(paragraphs: Iterable[Paragraph]) -> str | None:
    """ISO date the instrument was made ("Dated 14 August 2024"), or None when not printed."""
    for paragraph in paragraphs:
        match = _DATED.match(paragraph.flat)
        if match and match[2].lower() in _MONTHS:
            day, month, year = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def split_parts(
    path: Path, paragraphs: list[Paragraph]
) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
    """Part 1 (munitions), Part 2 categories 0-9, and the sensitive sub-lists after them."""
    part1 = _find(paragraphs, _PART1)
    part2 = _find(paragraphs, _PART2)
    if part2 is None:
        raise LoaderError(path, "document", "no 'Part 2—Dual-use list' heading: not the DSGL?")
    end = _find(paragraphs, SUB_LIST, after=part2)
    end = len(paragraphs) if end is None else end
    munitions = paragraphs[part1 + 1:part2] if part1 is not None and part1 < part2 else []
    return munitions, paragraphs[part2 + 1:end], paragraphs[end:]


def _find(paragraphs: list[Paragraph], pattern: re.Pattern[str], after: int = -1) -> int | None:
    for position, paragraph in enumerate(paragraphs):
        if position > after and not paragraph.in_table and pattern.match(paragraph.flat):
            return position
    return None


def split_blocks(paragraphs: list[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    """Part 2 cut at category, Category 5 Part, product-group and table headings."""
    blocks: list[tuple[str, list[Paragraph]]] = [("", [])]
    for paragraph in paragraphs:
        if not paragraph.in_table and any(h.match(paragraph.flat) for h in _BLOCK_HEADINGS):
            blocks.append((paragraph.flat, []))
        else:
            blocks[-1][1].append(paragraph)
    return [block for block in blocks if block[0] or block[1]]


# --- Independent heading count -----------------------------------------------------------------
def count_headings(
    raw_lines: Iterable[tuple[str, str]], heading: re.Pattern[str]
) -> dict[str, str]:
    """Entry codes opening a paragraph of the raw text (code -> location of the first), found by
    a regex of their own rather than by the segmenter, for `harmonize.ingest.source.reconcile`."""
    seen: dict[str, str] = {}
    for location, text in raw_lines:
        match = heading.match(text)
        code = canonical_code(text[: match.end() - 1]) if match else None
        if code and code not in seen:
            seen[code] = location
    return seen


def raw_lines(paragraphs: Iterable[Paragraph]) -> list[tuple[str, str]]:
    """(location, text) of the paragraphs outside tables: the raw text the count reads."""
    return [(p.location, p.text) for p in paragraphs if not p.in_table]


# --- Parse --------------------------------------------------------------------------------------
def segment_dual_use(paragraphs: list[Paragraph]) -> tuple[Segmented, int]:
    """Segment Part 2 block by block (see `_BLOCK_HEADINGS`); a table printed apart from its
    entry is reported unplaced rather than glued to the entry before it. Returns the rows and
    unplaced text, and the number of blocks."""
    out = Segmented()
    blocks = split_blocks(paragraphs)
    for heading, body in blocks:
        if _TABLE_BLOCK.match(heading):
            out.unplaced.extend(
                Unplaced(p.location, p.flat, f"in '{heading}', printed apart from its entry")
                for p in body if p.flat
            )
            continue
        out.extend(segment(to_lines(body, DUAL_CODE, PART2_GRID), DUAL_STYLE))
    return out, len(blocks)


def parse(path: Path, *, check_counts: bool = True) -> list[ParsedList]:
    """Part 2 (dual-use) as `au-dsgl`, then Part 1 (munitions) as `au-dsgl-ml`.
    `check_counts=False` skips the expected entry counts (for small hand-made files)."""
    path = Path(path)
    paragraphs = extract_paragraphs(path)
    version = parse_version(paragraphs[:300])
    if version is None:
        raise LoaderError(path, "cover page", "no 'Dated <day> <month> <year>': version unknown")
    munitions, dual_use, sub_lists = split_parts(path, paragraphs)

    dual, blocks = segment_dual_use(dual_use)
    listed = sensitive_codes(sub_lists)
    not_rows = mark_sensitivity(dual.rows, listed)
    notes = [
        f"Part 2 read as {blocks} blocks cut at category, Category 5 Part, product-group and "
        "table headings; text under such a heading before its first entry (category notes, "
        "the Cryptography Note) is reported unplaced as 'before the first entry'.",
        f"Sensitive and Very sensitive lists ({len(sub_lists)} paragraphs and table rows from "
        f"{sub_lists[0].location}) are not rows: their {len(listed)} codes set `sensitivity` on "
        "those rows and the rows below them (a sub-list may narrow an item; its wording is not "
        "kept)." if sub_lists else "No Sensitive or Very sensitive list after category 9.",
        "The EPUB rendition beside the DOCX is not parsed.",
    ]
    if not_rows:
        notes.append(f"Sensitive-list codes naming no row of Part 2: {', '.join(not_rows)}.")
    with_objects = [p.location for p in dual_use if p.objects]
    if with_objects:
        notes.append(
            f"Embedded equations or pictures, not text, not read: {', '.join(with_objects)}."
        )
    lists = [
        finish(path, META, source_info(META, version), dual.rows,
               count_headings(raw_lines(dual_use), _DUAL_HEADING_RAW), dual.unplaced, notes,
               check_counts=check_counts, lines=dual.lines)
    ]
    if munitions:
        ml = segment(to_lines(munitions, ML_CODE, PART1_GRID), ML_STYLE)
        lists.append(
            finish(path, ML_META, source_info(ML_META, version), ml.rows,
                   count_headings(raw_lines(munitions), _ML_HEADING_RAW), ml.unplaced,
                   ["The EPUB rendition beside the DOCX is not parsed."],
                   check_counts=check_counts, lines=ml.lines)
        )
    return lists


def unplaced_reasons(unplaced: Iterable[Unplaced]) -> dict[str, int]:
    """Counts of unplaced text by reason (the label of a 'does not continue' folded away)."""
    counts: dict[str, int] = {}
    for item in unplaced:
        key = "label does not continue" if item.reason.startswith("label ") else item.reason
        counts[key] = counts.get(key, 0) + 1
    return counts
