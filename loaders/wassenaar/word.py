"""Wassenaar Arrangement list as the Secretariat's per-section Word files (editions 2012-2021).

Before the single PDF, each edition was published as 18 Word files, one per section:
`01 - WA-LIST (13) 1 - Table of Contents.doc`, `02 - ... GTN and GSN.doc`, `03 - ... Cat 1.doc`
... `07 - ... Cat 5P1.doc`, `08 - ... Cat 5P2.doc` ... `13 - ... SL.doc`, `14 - ... VSL.doc`,
`15 - ... ML.doc`, `16 - ... DEF.doc`, `17 - ... Acronyms and Abbreviations.doc`,
`18 - ... SOUs and Validity Notes.doc`. Legacy `.doc` (Word 97) throughout; from 2017 the table
of contents is a `.docx`. `parse(folder)` reads one edition (a folder of these files) and
returns the same two lists as the PDF loader: `wassenaar` (dual-use, marked from the Sensitive
and Very Sensitive Lists) and `wassenaar-ml` (munitions).

Text extraction: `.doc` through the Debian tool `antiword` (`antiword -w 0`: one line per Word
paragraph, tabs kept, the paragraph's left indent as leading spaces); `catdoc` is the fallback.
`.docx` through python-docx (paragraph text, tabs kept). Neither shows italics, so notes are
recognised by their markers (`Note`, `Technical Note`, `N.B.`) only.

Layout facts this module relies on (checked on the ten editions 2012-02-21 ... 2021-12-22):
- An entry heading starts a line at the left margin with the spaced code, parts split by tabs:
  `5.<TAB>A.<TAB>1.<TAB>Telecommunications ...`. The same line may go on with paragraph labels
  (`5.<TAB>A.<TAB>1.<TAB>b.<TAB>2.<TAB>b.<TAB>Incorporating ...`): the Secretariat prints the full
  path of a paragraph where a page starts or a paragraph follows a note. Every label but the
  last names a paragraph already seen (restated); the last opens the paragraph or, when seen
  already, continues it.
- The same path indented (`   6.<TAB>A.<TAB>3.<TAB>b.<TAB>4.<TAB>Note 3 cont.`) restates where a
  page continues: it only moves the cursor (its "cont." words are dropped).
- Paragraph labels follow leading tabs (two plus the depth: `<TAB><TAB><TAB>a.` is a first-level
  paragraph). Entries are sometimes printed as a bare number after two tabs
  (`<TAB><TAB>2.<TAB>On-line ...`): always the next number of the current group.
- Group headings (`9.<TAB>B.<TAB>TEST, INSPECTION ...`, `5.<TAB>A.<TAB>Part 1.<TAB>...`) and
  category headings cut the text into blocks; their notes are reported unplaced as "before the
  first entry". Tables (`TABLE - DEPOSITION TECHNIQUES`), annexes (`List - "explosives"`,
  `ANNEX`) and the technical note on 'APP' closing Category 4 are reported, not read as
  entries; so are footnotes (`*<TAB>The Russian Federation ...`).
- The version is the date on the table of contents (`04-12-2013` in its text, or in the footer
  of the `.docx`); the citation is its `WA-LIST (13) 1` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from harmonize.codes import canonical_code
from harmonize.ingest.labels import first_child, next_label
from harmonize.ingest.segmenter import NOTE_WORDS, CodeStyle, Line, Segmented, Unplaced, segment
from harmonize.ingest.source import ParsedList, finish, source_info
from loaders.wassenaar import parse as wassenaar
from loaders.wassenaar.meta import WORD_META, WORD_ML_META
from loaders.wassenaar.sensitive import add_listed_codes, mark_sensitivity
from loaders.wassenaar.structure import join_note_items
from loaders.wassenaar.word_files import Edition, RawLine, read_edition

META = WORD_META
ML_META = WORD_ML_META
STYLE = replace(wassenaar.STYLE, nested_note_lists=True)
ML_STYLE = replace(wassenaar.ML_STYLE, nested_note_lists=True)

LABEL = r"(?:[a-z]|\d{1,2})\."
_WS = r"[ \t]+"
# A spaced code at the start of a (stripped) line, then labels, then the text.
DUAL_CODE = re.compile(
    rf"^(?P<code>\d\.{_WS}[A-E]\.{_WS}\d{{1,3}}\.)(?P<labels>(?:{_WS}{LABEL}(?=\s|$))*)"
    r"\s*(?P<rest>.*)$"
)
ML_CODE = re.compile(
    rf"^(?P<code>ML\d{{1,2}}\.)(?P<labels>(?:{_WS}{LABEL}(?=\s|$))*)\s*(?P<rest>.*)$"
)
GROUP_HEADING = re.compile(
    r"^(?P<cat>\d)\.\s+(?P<grp>[A-E])\.\s+(?:Part\s*\d\.?\s*)?"
    r"(?P<title>[A-Z\"“”'][^a-z]*?(?:\s*[-–]\s*None)?)?\s*$"
)
CATEGORY_HEADING = re.compile(
    r"^(?:\d\.\s+[A-Z]{3}[A-Z ,\"'“”&/–-]*|Part\s+\d\s*[-–]\s*\S.*|CATEGORY\s+\d.*)$"
)
CONTINUED = re.compile(r"\s*(?:(?:Technical\s+)?Notes?(?:\s+\d{1,2})?\s*)?(?:[a-z]\.\s*)?"
                       r"\(?cont(?:inued)?\.?\)?\s*$", re.I)
SIDE_REGION = re.compile(r"^(?:TABLE\s+-|ANNEX$|List\s+-|TECHNICAL NOTE ON\b)")
FOOTNOTE = re.compile(r"^(?:\*\s|_{10,}$)")
BARE = re.compile(r"^(?P<num>\d{1,3})\.(?:\s+(?P<rest>.*))?$")
SENSITIVE_CODE = re.compile(r"\d\.\s?[A-E]\.\s?\d{1,3}\.?(?:\s?(?:[a-z]|\d{1,2})\.)*|\bto\b")


# -- lines for the segmenter -------------------------------------------------------------------

@dataclass
class Stream:
    chunks: list[list[Line]] = field(default_factory=lambda: [[]])
    unplaced: list[Unplaced] = field(default_factory=list)
    bare_entries: list[str] = field(default_factory=list)
    restated: int = 0


def _label_lines(code: str, labels: str, rest: str, location: str,
                 heading: bool) -> list[Line]:
    """A full path as segmenter lines: the entry code, then one restating line per label; the
    text goes on the last label (or on the entry when there is none)."""
    steps = labels.split()
    if not steps:
        return [Line(f"{code} {rest}".strip(), location)] if heading or rest else [
            Line(code, location)]
    out = [Line(code, location)]
    for i, label in enumerate(steps):
        last = i == len(steps) - 1
        out.append(Line(f"{label} {rest}".strip() if last else label, location,
                        list_item=True, restates=True))
    return out


NOTE_MARKER = re.compile(rf"^{NOTE_WORDS}(?:\s*\d{{1,2}}\.?)?(?=\s|:|$)")


class NoteList:
    """Whether a label line belongs to a note's own list (`Note ... the following:` then
    `a.`, `b.`; `Technical Notes` then `1.`, `2.`), tracked the way the segmenter's nested note
    lists are: a label continues one of the levels or opens the next one down. A label laid out
    as a paragraph (two tabs plus its depth, four spaces per tab: `<12 sp><3 tabs>c.`) or left
    of the note's marker is the entry's next paragraph, not a note item."""

    def __init__(self) -> None:
        self.in_note = False
        self.levels: list[str] | None = None  # None: no list announced
        self.spaces = 0  # left indent of the marker that opened the note

    def marker(self, raw: RawLine) -> None:
        rest = NOTE_MARKER.sub("", raw.text).strip()
        if self.in_note and (CONTINUED.fullmatch(rest)
                             or (self.levels and raw.spaces > self.spaces)):
            return  # a note inside a note's list ("Technical Note" under 1.c.1.), "Note 2 cont."
        self.in_note, self.spaces = True, raw.spaces
        self.levels = [] if (not rest or rest.endswith(":")) else None

    def text(self, text: str) -> None:
        if self.in_note and self.levels is None and text.rstrip().endswith(":"):
            self.levels = []

    def close(self) -> None:
        self.in_note, self.levels = False, None

    def takes(self, label: str, raw: RawLine) -> bool:
        if self.levels is None:
            return False
        if raw.spaces + 4 < self.spaces or (raw.tabs >= 2 and abs(raw.spaces - 4 * raw.tabs) <= 1):
            return False
        for depth in range(len(self.levels) - 1, -1, -1):
            if label == next_label(self.levels[depth]):
                self.levels = [*self.levels[:depth], label]
                return True
        start = first_child(self.levels[-1] if self.levels else None)
        if label == start or (not self.levels and label == "1"):
            self.levels = [*self.levels, label]
            return True
        return False


def stream_lines(lines: Iterable[RawLine], code_re: re.Pattern[str], groups: bool) -> Stream:
    """Cut the raw lines of one list into segmenter lines (see the module doc)."""
    out = Stream()
    group: tuple[str, str] | None = None
    last_number = 0
    side = ""
    notes = NoteList()
    for raw in lines:
        text, location = raw.text, raw.location
        at_margin = raw.tabs == 0 and raw.spaces == 0
        if FOOTNOTE.match(text):
            if not text.startswith("_"):
                out.unplaced.append(Unplaced(location, text, "footnote"))
            continue
        code = code_re.match(text)
        if code and (not at_margin or CONTINUED.fullmatch(code["rest"] or "x")):
            # A path restated where a page continues: "4. A. 3. cont.", "5. A. 2. Note cont."
            out.restated += 1
            rest = CONTINUED.sub("", code["rest"]) if CONTINUED.search(code["rest"]) else \
                code["rest"]
            if notes.in_note and not rest.strip() and re.search(r"Note|N\.B", code["rest"]):
                continue  # the note goes on: the cursor stays in it
            notes.close()
            out.chunks[-1].extend(_label_lines(" ".join(code["code"].split()),
                                               code["labels"], rest, location, False))
            continue
        if groups and at_margin and not code:
            heading = GROUP_HEADING.match(text)
            if heading and CONTINUED.search(text):  # "1. C. Technical Note cont."
                out.restated += 1
                continue
            if heading or CATEGORY_HEADING.match(text):
                group = (heading["cat"], heading["grp"]) if heading else None
                last_number, side = 0, ""
                notes.close()
                out.chunks.append([Line(text, location)])
                continue
        if code:
            side = ""
            notes.close()
            printed = " ".join(code["code"].split())
            canonical = canonical_code(printed)
            if groups and canonical:
                group = (canonical[0], canonical[1])
                last_number = int(canonical[2:5])
            out.chunks[-1].extend(_label_lines(printed, code["labels"], code["rest"], location,
                                               True))
            continue
        if at_margin and SIDE_REGION.match(text):
            side = text
        if side:
            out.unplaced.append(Unplaced(location, text, f"{side[:40]} (not an entry)"))
            continue
        bare = BARE.match(text)
        if (groups and bare and group and raw.tabs == 2
                and int(bare["num"]) == last_number + 1):
            last_number += 1
            notes.close()
            printed = f"{group[0]}. {group[1]}. {last_number}."
            out.bare_entries.append(canonical_code(printed) or printed)
            out.chunks[-1].append(Line(f"{printed} {bare['rest'] or ''}".strip(), location))
            continue
        indent = float(raw.tabs) if raw.tabs else None
        if NOTE_MARKER.match(text):
            notes.marker(raw)
            out.chunks[-1].append(Line(text, location, indent=indent, note=True))
            continue
        label = re.match(r"^(?P<label>[a-z]|\d{1,2})\.(?:\s|$)", text)
        if label:
            in_list = notes.in_note and notes.takes(label["label"], raw)
            if not in_list:
                notes.close()
            out.chunks[-1].append(Line(text, location, indent=indent, note=in_list,
                                       list_item=not in_list))
            continue
        notes.text(text)
        out.chunks[-1].append(Line(text, location, indent=indent, note=notes.in_note))
    return out


def count_headings(lines: Iterable[RawLine]) -> dict[str, str]:
    """Independent count of dual-use entry headings in the raw lines: a spaced code at the
    left margin, or a bare number after two tabs continuing the numbering of its group."""
    headings: dict[str, str] = {}
    group: tuple[str, str] | None = None
    last = 0
    skipping = False
    for raw in lines:
        text = raw.text
        at_margin = raw.tabs == 0 and raw.spaces == 0
        spaced = re.match(r"^(\d)\.\s+([A-E])\.\s+(\d{1,3})\.(?=\s|$)", text)
        if spaced and at_margin:
            group, last, skipping = (spaced[1], spaced[2]), int(spaced[3]), False
            headings.setdefault(f"{spaced[1]}{spaced[2]}{int(spaced[3]):03d}", raw.location)
            continue
        heading = re.match(r"^(\d)\.\s+([A-E])\.\s+(?:Part|[A-Z\"“])", text)
        if at_margin and (heading or re.match(r"^(?:\d\.\s+[A-Z]{3}|Part\s+\d\s*[-–])", text)):
            if not CONTINUED.search(text):
                group = (heading[1], heading[2]) if heading else None
                last, skipping = 0, False
            continue
        if at_margin and SIDE_REGION.match(text):
            skipping = True
        if skipping or group is None:
            continue
        if raw.tabs == 2 and re.match(rf"^{last + 1}\.(?:\s|$)", text):
            last += 1
            headings.setdefault(f"{group[0]}{group[1]}{last:03d}", raw.location)
    return headings


def count_ml_headings(lines: Iterable[RawLine]) -> dict[str, str]:
    headings: dict[str, str] = {}
    for raw in lines:
        m = re.match(r"^(ML\d{1,2})\.(?=\s|$)", raw.text)
        if m and raw.tabs == 0 and raw.spaces == 0:
            headings.setdefault(m[1], raw.location)
    return headings


# -- Sensitive and Very Sensitive Lists ------------------------------------------------------

def annex_codes(lines: Iterable[RawLine]) -> list[str]:
    """Codes named in the code column (first table cell) of a (Very) Sensitive List file;
    "X to Y" ranges expanded over the last label."""
    codes: list[str] = []
    for raw in lines:
        if raw.text.startswith("|"):
            add_listed_codes(SENSITIVE_CODE.findall(raw.text.split("|")[1]), codes)
    return list(dict.fromkeys(codes))


# -- parse -----------------------------------------------------------------------------------

def _all_lines(edition: Edition, section: str) -> list[RawLine]:
    return [line for _, lines in edition.sections.get(section, []) for line in lines]


def _segment(stream: Stream, style: CodeStyle) -> Segmented:
    """The blocks of a stream segmented apart, in one result."""
    seg = Segmented()
    for chunk in stream.chunks:
        seg.extend(segment(join_note_items(chunk), style))
    return seg


def parse_dual_use(edition: Edition, check_counts: bool = True) -> ParsedList:
    lines = _all_lines(edition, "dual-use")
    stream = stream_lines(lines, DUAL_CODE, groups=True)
    seg = _segment(stream, STYLE)
    rows = seg.rows
    sensitive = annex_codes(_all_lines(edition, "sensitive"))
    very_sensitive = annex_codes(_all_lines(edition, "very-sensitive"))
    missing = mark_sensitivity(rows, sensitive, very_sensitive)
    meta = replace(META, citation=f"Wassenaar Arrangement, {edition.citation}")
    notes = [
        f"read from {len(edition.sections['dual-use'])} per-section Word files "
        f"({', '.join(p.name for p, _ in edition.sections['dual-use'])})",
        f"Sensitive List: {len(sensitive)} codes; Very Sensitive List: {len(very_sensitive)} "
        "codes (first column of their tables); the annexes' abridged wording is not kept",
        f"entries printed as a bare number, not a spaced code: {len(stream.bare_entries)} "
        f"({', '.join(stream.bare_entries)})",
        f"restated paths (page continuations) used to move the cursor: {stream.restated} lines",
        "notes are recognised by their markers only (the text tools give no italics)",
        "not read: table of contents (version and citation only), "
        + ", ".join(edition.other_files or ["-"]),
    ]
    if missing:
        notes.append("codes in the (Very) Sensitive List naming no entry or paragraph: "
                     + ", ".join(missing))
    return finish(edition.folder, meta, source_info(meta, edition.version), rows,
                  count_headings(lines), [*seg.unplaced, *stream.unplaced], notes,
                  check_counts=check_counts,
                  lines=seg.lines)


def parse_munitions(edition: Edition, check_counts: bool = True) -> ParsedList | None:
    lines = _all_lines(edition, "munitions")
    if not lines:
        return None
    stream = stream_lines(lines, ML_CODE, groups=False)
    seg = _segment(stream, ML_STYLE)
    meta = replace(ML_META, citation=f"Wassenaar Arrangement, {edition.citation}")
    notes = [f"restated paths (page continuations) used to move the cursor: {stream.restated}"]
    return finish(edition.folder, meta, source_info(meta, edition.version), seg.rows,
                  count_ml_headings(lines), [*stream.unplaced, *seg.unplaced], notes,
                  check_counts=check_counts,
                  lines=seg.lines)


def parse(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Read one edition: `path` is its folder (or any file in it)."""
    edition = read_edition(Path(path))
    return wassenaar.with_munitions(parse_dual_use(edition, check_counts),
                                    parse_munitions(edition, check_counts),
                                    "no munitions list file (ML) in this edition")
