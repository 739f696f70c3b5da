"""US Commerce Control List (15 CFR Part 774, Supplement No. 1).

Two formats, chosen by the file suffix:

- eCFR versioner XML (`.xml`, or gzip as the API may send it): the official text. Entries open
  with `<FP-2><B>5A001 Heading</B></FP-2>` (a few with `<FP-1><B>`), licence data sits in
  `<FP-1>` blocks and a `<TABLE>`, items are `<P>j.1.a. ...</P>`, notes are `<NOTE>` elements.
  The file carries no issue date of its own, so the version is taken, in this order, from a date
  attribute on the root or the supplement (`date`, `issue_date` ...), a sidecar
  `<file>.meta.json` with `version` / `ecfrIssueDate` / `url` (refresh writes it), or a
  `YYYY-MM-DD` in the file name (`title-15-2026-07-23.xml`).
- eCFR-derived JSON (`ccl.json`, a third party's conversion of that XML): heading, reasons,
  licence rows and exceptions for every ECCN, paragraph text only for `deepCategories`.
  Version = `ecfrIssueDate`. The converter kept every `<P>` but dropped note headings, so notes
  arrive as unlabelled "text" items, numbered note paragraphs as kind "note", and a note's own
  `a.`/`b.` list as items whose codes clash with real paragraphs. `_EntryBuilder` undoes that.

Both formats become `RawEntry` records with `RawBlock`s; one builder turns them into rows. The
labels give full paths (`j.1.a`), so the shared segmenter's relative-label placement is not
used; the hard part here is telling an entry's paragraphs from the note lists that re-use their
letters, which `choose_spine` and `note_lists` do per entry. Codes (harmonize.codes),
reconciliation and validation (loaders.base.finish) are the shared ones.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import Unplaced, note_kind
from harmonize.model import ListRow
from loaders.base import LoaderError, ParsedList, SourceMeta, finish, source_info

META = SourceMeta(
    source_id="us-ccl",
    jurisdiction="US",
    list_name="Commerce Control List",
    publisher="US Department of Commerce, Bureau of Industry and Security (eCFR)",
    url="https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml?part=774",
    format="eCFR XML (or eCFR-derived JSON)",
    licence="US public domain",
    citation="15 CFR Part 774, Supplement No. 1 (Commerce Control List)",
    file_patterns=("*.xml", "*.xml.gz", "ccl.json", "*.json"),
    expected_entries=(550, 750),
    # The reference copy (derived JSON) holds paragraph text for these categories only; the
    # XML holds everything, and parse() widens this to all categories for it.
    detailed_categories=("1", "3", "4", "5"),
)

ECCN = re.compile(r"^\d[A-E]\d{3}$")
# A paragraph designator as the eCFR prints it: "a. ", "j.1.a. ", "1. ", "2.b. ".
DESIGNATOR = re.compile(
    r"^(?P<label>(?:[a-z]|\d{1,2})(?:\.(?:[a-z]|\d{1,2}))*)\.\s+(?P<rest>\S.*)$"
)
# A designator the converter missed: dot missing or doubled ("b.1 Being", "b.2.a.. Auto...").
LOOSE_DESIGNATOR = re.compile(
    r"^(?P<label>[a-z](?:\.(?:[a-z]|\d{1,2}))+)\.{0,2}\s+(?P<rest>\S.*)$"
)
NOTE_MARKER = re.compile(
    r"^(?P<marker>Technical\s+Notes?|Nota\s+Bene|N\.\s?B\.|Notes?)(?![A-Za-z])"
)
ANNOUNCES_CHILDREN = re.compile(r"(:|following|as follows)\s*$")
SOFT_END = re.compile(r"(;|\bor|\band)\s*$")
DERIVED_JSON = "eCFR-derived JSON"
ITEMS_MARKER = re.compile(r"^Items\s*:?\s*$")
# Licence data the derived JSON leaves as text before the items: licence exception and field
# lines, "XX applies to ..." requirement rows, value lines ("$1500: 3A001.c.", "Yes for:"),
# pointers to the EAR's licence, reporting and exception sections, and the items statement.
# A "License Requirement Note: 1A006 does not apply ..." with text stays a note: it limits
# what the entry controls, as the other lists' notes do.
LICENCE_LINE = re.compile(
    r"^(?:\(\d\)\s*)?(?:"
    r"(?:LVS|GBS|CIV|STA|TSR|APP|ACA|ACE|ENC|IEC|LPP|AIA|ACM|TMP|RPL|NAC)\s*:"
    r"|(?:Reason\s+for\s+Control|Related\s+Controls|Related\s+Definitions"
    r"|Reporting\s+Requirements|Special\s+Reporting|Special\s+Conditions\s+for\s+STA"
    r"|Control\(s\)|Unit)\s*:|License\s+Requirements?(?:\s+Notes?)?\s*:\s*$"
    r"|[A-Z]{2,3}(?:\s*(?:,|and)\s*[A-Z]{2,3})*\s+applies\s+to\b"
    r"|\$[\d,]+\s*:|Yes\b.{0,40}:\s*$|N/A\b"
    r"|See\s+§\s*7(?:36|40|42|43|44|48)\.\S+\s.*\b(?:licen[cs]e|licensing|reporting)\b"
    r"|\(See\s+Part\s+740\b|Special\s+Post\s+Shipment\s+Verification\b"
    r"|For\s+all\s+destinations,\s+except\b|License\s+Exception\s+[A-Z]{3}\b"
    r"|This\s+licensing\s+requirement\b"
    r"|The\s+list\s+of\s+items\s+controlled\s+is\s+contained\s+in\s+the\s+ECCN\s+heading)",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
# Reason-for-control codes: an FP-1 "NS: ..." line is not a licence exception.
REASON_CODES = frozenset(
    ["NS", "MT", "NP", "CB", "CW", "RS", "CC", "SL", "EI", "AT", "UN", "FC", "SI", "SS", "XP"]
)


# -- national numbering ----------------------------------------------------------------------
def is_national(canonical: str) -> bool:
    """US-only ECCNs: 0x9x (3A090, 4E091), 500/600-series (0A521, 9A610), 900-series (3A981)."""
    entry = canonical.split(".", 1)[0]
    if not ECCN.match(entry):
        return False
    number = int(entry[2:])
    return 90 <= number <= 99 or 500 <= number <= 699 or number >= 900


def is_national_paragraph(entry: str, label: str) -> bool:
    """A paragraph of a national entry, or a `.z` paragraph (US-only pull-in of 3A090/4A090
    items) and everything below it."""
    return is_national(entry) or label.split(".", 1)[0] == "z"


# -- format-neutral records ------------------------------------------------------------------
@dataclass
class RawBlock:
    """One printed paragraph of an entry's body, before it is placed."""

    text: str
    location: str
    label: str | None = None  # designator printed at its start ('j.1.a', '1', '2.b')
    note_group: str | None = None  # explicit note (XML <NOTE>) holding it
    note_marker: str = ""  # that note's printed heading ("Technical Note:")


@dataclass
class RawEntry:
    """One ECCN as read from either format."""

    eccn: str
    heading: str
    location: str
    reasons: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    blocks: list[RawBlock] = field(default_factory=list)


@dataclass
class BuildStats:
    """What the builder had to decide, so the report can say it."""

    recovered_labels: int = 0  # "text" items whose own text starts with a fitting designator
    note_list_items: int = 0  # labelled items that belong to a note's own list
    placeholders: list[str] = field(default_factory=list)  # parents the source lacks
    announced_items: int = 0  # items of lists a note announced ("... does not apply to:")
    prelists: list[str] = field(default_factory=list)  # entries whose first a./b. run was a note
    loose_items: list[str] = field(default_factory=list)  # off-tree items with no note open
    late_starts: list[str] = field(default_factory=list)  # entries whose paragraphs skip 'a.'
    lost_first: list[str] = field(default_factory=list)  # not-detailed rows for a lost 'a.'
    items_markers: int = 0  # bare "Items:" lines skipped as structure

    def add(self, other: BuildStats) -> None:
        self.recovered_labels += other.recovered_labels
        self.note_list_items += other.note_list_items
        self.placeholders.extend(other.placeholders)
        self.announced_items += other.announced_items
        self.prelists.extend(other.prelists)
        self.loose_items.extend(other.loose_items)
        self.late_starts.extend(other.late_starts)
        self.lost_first.extend(other.lost_first)
        self.items_markers += other.items_markers


def split_designator(text: str) -> tuple[str | None, str]:
    """'j.1.a. Analysis ...' -> ('j.1.a', 'Analysis ...'); no designator -> (None, text)."""
    match = DESIGNATOR.match(text)
    if match and len(match["label"]) <= 16:
        return match["label"], match["rest"]
    return None, text


def _first_child(parent_label: str | None) -> str:
    """Labels alternate: below a letter come digits, below a digit (or the entry) letters."""
    return "1" if parent_label is not None and parent_label.isalpha() else "a"


def _next_label(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _alternates(parts: list[str]) -> bool:
    return all(p.isalpha() == (i % 2 == 0) for i, p in enumerate(parts))


# -- the tree builder -------------------------------------------------------------------------
def fits_list(cursor: list[str], parts: list[str]) -> int | None:
    """Where a label continues a note's own list, given the list's cursor (path of the last
    item): the level it opens, or None. A single label may close any number of levels; a
    longer one must extend the cursor's path, and inside a numbered note ('2.') that path is
    printed without the number ('a.1' under '2.a')."""
    if len(parts) == 1:
        label = parts[0]
        for level in range(len(cursor), -1, -1):
            if level == len(cursor):
                if label in ({_first_child(cursor[-1])} if cursor else {"a", "1"}):
                    return level
            elif label == _next_label(cursor[level]) and label.isdigit() == cursor[level].isdigit():
                return level
        return None
    depth = len(parts) - 1
    for offset in range(len(cursor)):
        end = offset + depth
        if end > len(cursor) or cursor[offset:end] != parts[:-1]:
            continue
        expected = _first_child(cursor[-1]) if end == len(cursor) else _next_label(cursor[end])
        if parts[-1] == expected:
            return end
    return None


def note_lists(blocks: list[RawBlock], announces: Callable[[int], bool]) -> set[int]:
    """Lettered blocks that belong to a note's own list ("5A001.j does not apply to ...:" then
    a., b.), for lists opened where `announces(i)` holds for the opening block i.

    From the opening block on, labelled blocks belong to the list while they continue its
    cursor (a numbered `1.` may nest in it; unlabelled text such as a Technical Note may
    interrupt it). The list ends at a label it cannot take, at a numbered block that starts a
    new note, or at a full stop closing a list whose items end in ';' / 'or' / 'and' (lists of
    whole sentences end every item with a full stop, so there it closes nothing).
    """
    marked: set[int] = set()
    cursor: list[str] | None = None  # None: no list running
    soft_ends = False  # an item of the running list ended in ';', 'or' or 'and'
    opener = -1
    for i, block in enumerate(blocks):
        if block.note_group is not None:
            cursor = None
            continue
        if block.label is None:
            if announces(i):
                cursor, soft_ends, opener = [], False, i
            continue
        parts = block.label.split(".")
        if cursor is not None:
            level = fits_list(cursor, parts)
            if (level == len(cursor) and cursor and i - 1 != opener
                    and blocks[i - 1].label is not None
                    and not ANNOUNCES_CHILDREN.search(blocks[i - 1].text)):
                level = None  # only an item that announces sub-items ("...following:") has them
            closed = (soft_ends and level is not None and level < len(cursor)
                      and blocks[i - 1].label is not None
                      and blocks[i - 1].text.rstrip().endswith("."))
            if level is not None and not closed:
                cursor = [*cursor[:level], parts[-1]]
                soft_ends = soft_ends or bool(SOFT_END.search(block.text))
                if not block.label[0].isdigit():
                    marked.add(i)
                continue
        cursor = [parts[-1]] if block.label[0].isdigit() and announces(i) else None
        soft_ends, opener = False, i
    return marked


def _announces_with_colon(blocks: list[RawBlock], i: int) -> bool:
    """A note that ends with ':' right before an `a.` (or `1.`) opens its own list."""
    text, label = blocks[i].text.rstrip(), blocks[i].label
    following = blocks[i + 1].label if i + 1 < len(blocks) else None
    if label is None:
        return text.endswith(":") and not ITEMS_MARKER.match(text) and following in ("a", "1")
    return label[0].isdigit() and text.endswith(":") and following == "a"


def _opens_note_before_a(blocks: list[RawBlock], i: int, first_a: int) -> bool:
    """A note (unlabelled or numbered) followed by an `a.` when the entry already has its `a.`:
    that `a.` starts the note's list (3A090 Technical Note 1: a. ... d.)."""
    block = blocks[i]
    opener = (block.label is None and not ITEMS_MARKER.match(block.text.strip())) or (
        block.label is not None and block.label[0].isdigit())
    return opener and i + 1 < len(blocks) and blocks[i + 1].label == "a" and first_a < i


def _sort_key(label: tuple[str, ...]) -> tuple[int, ...]:
    """Labels as numbers that order like the list (a < b, 2 < 10); letters and digits alternate
    by depth in a candidate, so equal depths always compare like with like."""
    return tuple(int(p) if p.isdigit() else ord(p) for p in label)


def _follows(previous: tuple[int, ...], label: tuple[int, ...]) -> int | None:
    """Placeholders needed when `label` comes right after `previous` in a pre-order walk of the
    paragraph tree (a child, or a later sibling of the path); None when it cannot."""
    common = 0
    limit = min(len(previous), len(label))
    while common < limit and previous[common] == label[common]:
        common += 1
    if common == len(previous):
        return len(label) - common - 1 if len(label) > common else None
    if common < len(label) and label[common] > previous[common]:
        return len(label) - common - 1
    return None


def choose_spine(candidates: list[tuple[int, tuple[str, ...]]]) -> set[int]:
    """The paragraphs: the largest set of labelled blocks that reads, in document order, as one
    pre-order walk of a tree (siblings ascending, children after parents).

    Notes' own a./b. lists, licence notes enumerated before the items and the like repeat or
    go back in the labels, so they fall outside the walk. Skipped parent levels cost half a
    paragraph (they become placeholders); among equals the later blocks win, because the
    derived copy puts note-like lists before the items they mirror.
    """
    keys = [_sort_key(label) for _, label in candidates]
    best: list[float] = []
    back: list[int] = []
    for i, key in enumerate(keys):
        score, prev = 1.0 - 0.5 * (len(key) - 1), -1
        for j in range(i):
            gap = _follows(keys[j], key)
            if gap is not None and best[j] + 1.0 - 0.5 * gap > score:
                score, prev = best[j] + 1.0 - 0.5 * gap, j
        best.append(score + candidates[i][0] * 1e-7)
        back.append(prev)
    if not best:
        return set()
    end = max(range(len(best)), key=lambda k: best[k])
    chosen: set[int] = set()
    while end >= 0:
        chosen.add(candidates[end][0])
        end = back[end]
    return chosen


def mark_prelist(blocks: list[RawBlock]) -> list[RawBlock]:
    """Turn a leading a./b./c. run that the real items then restart into one note.

    The derived JSON keeps every <P> of the entry, including a list printed in a heading note
    before the items (1C240: "does not control: a. ...; b. ..." then a.1, a.2, b.). Such a run is
    recognised when the very next block restarts or goes back in the tree (`a.` again, or `a.1`
    after `b.`) with no note text in between.
    """
    start = next((i for i, b in enumerate(blocks) if b.label and b.note_group is None), None)
    if start is None or blocks[start].label != "a":
        return blocks
    end = start
    while end + 1 < len(blocks):
        following = blocks[end + 1].label
        if following is None or "." in following or following[0].isdigit():
            break
        if following != _next_label(blocks[end].label or "a"):
            break
        end += 1
    if end + 1 >= len(blocks):
        return blocks
    nxt = blocks[end + 1].label
    last = blocks[end].label or "a"
    if nxt is None or nxt[0].isdigit() or nxt.split(".")[0] > last:
        return blocks
    if nxt.split(".")[0] == last and "." in nxt:
        return blocks  # 'b' then 'b.1': the run goes on, in order
    group = f"prelist-{start}"
    marked = list(blocks)
    for i in range(start, end + 1):
        marked[i] = dataclasses.replace(blocks[i], note_group=group)
    return marked


class _EntryBuilder:
    """Turn one entry's blocks into entry, paragraph and note rows.

    First the paragraphs are chosen (`choose_spine`) among the labelled blocks and the
    unlabelled ones whose text starts with a designator the converter missed ("b.1 Being ...");
    then the blocks are walked in order: a chosen block is a paragraph, an unlabelled block
    opens a note on the last paragraph (the converter dropped the "Note:" heading), a numbered
    block (`1.` is never a CCL paragraph) continues the open note's list or opens a note, and
    any other labelled block is an item of the open note's own list.
    """

    def __init__(self, raw: RawEntry, fill_lost_first: bool = False) -> None:
        self.raw = raw
        self.fill_lost_first = fill_lost_first
        self.eccn = raw.eccn
        self.rows: list[ListRow] = []
        self.unplaced: list[Unplaced] = []
        self.stats = BuildStats()
        self.seen: set[str] = set()  # paragraph label paths
        self.current: ListRow  # row that receives appended text
        self.path = ""  # label path of the last paragraph ('' = entry)
        self.note: ListRow | None = None  # open note (None once a paragraph follows)
        self.owner: ListRow | None = None  # note whose own a./1. list is running
        self.cursor: list[str] = []  # position in that list
        self.group: str | None = None

    def build(self) -> None:
        entry = ListRow(
            code=self.eccn, canonical=self.eccn, parent="", depth=0, kind="entry",
            text=self.raw.heading, location=self.raw.location, entry=self.eccn,
            reasons=self.raw.reasons, national=is_national(self.eccn),
            details=self.raw.details,
        )
        self.rows.append(entry)
        self.current = entry
        blocks = mark_prelist(self.raw.blocks)
        if blocks is not self.raw.blocks:
            self.stats.prelists.append(self.eccn)
        labels: dict[int, tuple[str, str]] = {}  # block index -> (label, text) if candidate
        for i, block in enumerate(blocks):
            if block.note_group is not None:
                continue
            if block.label and not block.label[0].isdigit():
                labels[i] = (block.label, block.text)
            elif block.label is None:
                loose = LOOSE_DESIGNATOR.match(" ".join(block.text.split()))
                if loose:
                    labels[i] = (loose["label"], loose["rest"])
        candidates = [(i, tuple(lab.split("."))) for i, (lab, _) in labels.items()
                      if _alternates(lab.split("."))]

        def opens_list(i: int, first_a: int) -> bool:
            return _announces_with_colon(blocks, i) or _opens_note_before_a(blocks, i, first_a)

        # Lists announced with ':' are notes whatever the spine; lists restarting at `a.` are
        # notes once the spine has its own `a.` before them, which needs the spine first.
        excluded = note_lists(blocks, functools.partial(opens_list, first_a=len(blocks)))
        for _ in range(4):
            spine = choose_spine([c for c in candidates if c[0] not in excluded])
            first_a = min((i for i in spine if labels[i][0] == "a"), default=len(blocks))
            more = note_lists(blocks, functools.partial(opens_list, first_a=first_a))
            if more <= excluded:
                break
            excluded |= more
        else:
            spine = choose_spine([c for c in candidates if c[0] not in excluded])
        self.stats.announced_items += len(excluded)
        for i, block in enumerate(blocks):
            text = " ".join(block.text.split())
            if i in spine:
                label, rest = labels[i]
                if block.label is None:
                    self.stats.recovered_labels += 1
                self.emit_paragraph(label, " ".join(rest.split()), block.location)
            elif text:
                self.feed_other(block, text)
        first = next((r for r in self.rows if r.kind == "paragraph" and r.depth == 1), None)
        if first is not None and not first.canonical.endswith(".a"):
            self.stats.late_starts.append(self.eccn)
            if self.fill_lost_first and first.canonical.endswith(".b") and "a" not in self.seen:
                self._lost_first()

    def _lost_first(self) -> None:
        """The derived JSON loses the item printed on the 'Items:' line: a row that says the
        copy is silent there (not detailed), so the code reads neither absent nor empty."""
        self.rows.insert(1, ListRow(
            code=f"{self.eccn}.a", canonical=f"{self.eccn}.a", parent=self.eccn, depth=1,
            kind="paragraph", text="", location=self.raw.location, entry=self.eccn,
            national=is_national_paragraph(self.eccn, "a"), detailed=False,
            details={"placeholder": True, "why": "the derived copy lost this first item "
                     "(printed on the 'Items:' line); its text is not in the copy"}))
        self.stats.lost_first.append(f"{self.eccn}.a")

    # rows ----------------------------------------------------------------------------------
    def _canonical(self, label: str) -> str:
        code = canonical_code(f"{self.eccn}.{label}")
        if code is None:  # cannot happen for designators matched above; loud if it does
            raise ValueError(f"{self.eccn}.{label} is not a code")
        return code

    def open_note(self, text: str, location: str, marker: str = "") -> ListRow:
        attached = self._canonical(self.path) if self.path else self.eccn
        depth = len(self.path.split(".")) if self.path else 0
        found = NOTE_MARKER.match(marker or text)
        row = ListRow(
            code=f"{self.eccn}.{self.path}" if self.path else self.eccn, canonical=attached,
            parent=attached, depth=depth + 1, kind=note_kind(found["marker"]) if found else "note",
            text=text, location=location, entry=self.eccn, national=is_national(self.eccn),
        )
        self.rows.append(row)
        self.current = self.note = row
        return row

    def emit_paragraph(self, label: str, text: str, location: str,
                       placeholder: bool = False) -> None:
        parts = label.split(".")
        parent_label = ".".join(parts[:-1])
        if parent_label and parent_label not in self.seen:
            # The copy lacks the parent (the derived JSON drops the paragraph that opens the
            # items, e.g. 1B201.a before 1B201.a.1). Its children prove it exists, so it gets an
            # empty placeholder row marked not-detailed instead of the children being orphaned.
            self.emit_paragraph(parent_label, "", location, placeholder=True)
        details: dict[str, Any] = {}
        if placeholder:
            details = {"placeholder": True,
                       "why": "paragraph text absent from the source copy; its sub-paragraphs "
                              "are present"}
            self.stats.placeholders.append(f"{self.eccn}.{label}")
        row = ListRow(
            code=f"{self.eccn}.{label}", canonical=self._canonical(label),
            parent=self._canonical(parent_label) if parent_label else self.eccn,
            depth=len(parts), kind="paragraph", text=text, location=location, entry=self.eccn,
            national=is_national_paragraph(self.eccn, label), details=details,
        )
        self.rows.append(row)
        self.seen.add(label)
        self.current, self.path = row, label
        self.note, self.owner, self.cursor, self.group = None, None, [], None

    def append(self, row: ListRow, text: str) -> None:
        row.text = f"{row.text} {text}".strip()

    # notes ---------------------------------------------------------------------------------
    def feed_other(self, block: RawBlock, text: str) -> None:
        if block.note_group is not None:
            self.feed_explicit_note(block, text)
            return
        self.group = None
        if block.label is None:
            if ITEMS_MARKER.match(text):
                self.stats.items_markers += 1  # the line that opens the items: structure
                return
            self.open_note(text, block.location)
            if text.endswith(":"):  # it announces a list; otherwise a running list goes on
                self.owner, self.cursor = self.note, []
            return
        parts = block.label.split(".")
        level = fits_list(self.cursor, parts) if self.owner is not None else None
        if level is None and (block.label[0].isdigit() or self.note is None):
            # A numbered paragraph that continues nothing opens a note ("Technical Notes: 1.");
            # so does a lettered one outside any note, which is reported as well.
            if not block.label[0].isdigit():
                self.stats.loose_items.append(f"{self.eccn}.{block.label}")
                self.unplaced.append(Unplaced(
                    block.location, f"{block.label}. {text}",
                    f"label {block.label!r} off the paragraph tree of {self.eccn} after "
                    f"{self.current.canonical}; kept as a note there"))
            self.open_note(f"{block.label}. {text}", block.location)
            self.owner, self.cursor = self.note, parts
            return
        owner = self.owner if level is not None else self.note
        assert owner is not None
        self.cursor = parts if level is None else [*self.cursor[:level], parts[-1]]
        self.owner = owner
        self.append(owner, f"{block.label}. {text}")
        self.stats.note_list_items += 1

    def feed_explicit_note(self, block: RawBlock, text: str) -> None:
        body = f"{block.label}. {text}" if block.label else text
        if block.note_group != self.group or self.note is None:
            self.group = block.note_group
            self.open_note(body, block.location, block.note_marker)
            self.owner, self.cursor = self.note, []
            return
        if block.label:
            self.stats.note_list_items += 1
        self.append(self.note, body)


def build_rows(entries: list[RawEntry], fill_lost_first: bool = False,
               ) -> tuple[list[ListRow], list[Unplaced], BuildStats]:
    """Rows of every entry, in order, with what could not be placed and the builder's counts.
    `fill_lost_first`: a not-detailed row for an 'a.' the (derived) copy lost."""
    rows: list[ListRow] = []
    unplaced: list[Unplaced] = []
    stats = BuildStats()
    for raw in entries:
        builder = _EntryBuilder(raw, fill_lost_first)
        builder.build()
        rows.extend(builder.rows)
        unplaced.extend(builder.unplaced)
        stats.add(builder.stats)
    return rows, unplaced, stats


# -- JSON (eCFR-derived) ----------------------------------------------------------------------
def count_headings_json(raw_text: str) -> dict[str, str]:
    """ECCNs in the raw JSON text by an independent regex: canonical -> 'entries[i]'."""
    found: dict[str, str] = {}
    for index, match in enumerate(re.finditer(r'"eccn"\s*:\s*"([^"]*)"', raw_text)):
        code = canonical_code(match[1]) or match[1]
        found.setdefault(code, f"entries[{index}]")
    return found


def parse_version_json(data: dict[str, Any]) -> str:
    """`ecfrIssueDate`, else the date in the versioner URL it was made from."""
    issue = data.get("ecfrIssueDate")
    if isinstance(issue, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", issue):
        return issue
    url = (data.get("source") or {}).get("url", "") if isinstance(data.get("source"), dict) else ""
    match = re.search(r"/full/(\d{4}-\d{2}-\d{2})/", url)
    if match:
        return match[1]
    raise ValueError("no ecfrIssueDate and no dated versioner URL")


def _licence_rows(raw_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in raw_rows:
        row: dict[str, Any] = {"control": r.get("control", ""),
                               "country_chart": r.get("countryChart", "")}
        if r.get("singleCellRow"):
            row["single_cell_row"] = True
        if r.get("requirementCellEmptyInSource"):
            row["requirement_cell_empty_in_source"] = True
        rows.append(row)
    return rows


def entries_from_json(path: Path, data: dict[str, Any]) -> tuple[list[RawEntry], list[str]]:
    """RawEntry per JSON entry, and the categories whose paragraph text the copy holds."""
    entries_raw = data.get("entries")
    if not isinstance(entries_raw, list):
        raise LoaderError(path, "top level", "no 'entries' list: not the eCFR-derived CCL JSON")
    deep = [str(c) for c in data.get("deepCategories") or []]
    entries: list[RawEntry] = []
    for i, item in enumerate(entries_raw):
        where = f"entries[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("eccn"), str):
            raise LoaderError(path, where, "entry without an 'eccn' string")
        eccn = item["eccn"].strip()
        if not ECCN.match(eccn):
            raise LoaderError(path, where, f"{eccn!r} is not an ECCN")
        details: dict[str, Any] = {}
        if item.get("countryChart"):
            details["licence_requirements"] = _licence_rows(item["countryChart"])
        if item.get("licenceExceptionFlags"):
            details["licence_exceptions"] = dict(item["licenceExceptionFlags"])
        for key, name in (("relatedControls", "related_controls"),
                          ("staSpecialConditions", "sta_special_conditions")):
            if item.get(key):
                details[name] = item[key]
        blocks: list[RawBlock] = []
        items_seen = False
        for j, it in enumerate(item.get("items") or []):
            if not isinstance(it, dict) or not isinstance(it.get("text"), str):
                raise LoaderError(path, f"{where}.items[{j}]", "item without text")
            kind, label = it.get("kind"), it.get("paragraph")
            if kind not in ("item", "note", "text"):
                raise LoaderError(path, f"{where}.items[{j}]", f"unknown item kind {kind!r}")
            items_seen = items_seen or kind == "item"
            if kind == "text" and not items_seen and LICENCE_LINE.match(it["text"].strip()):
                # Licence data printed before the items ("LVS: N/A", "Reason for Control: NS,
                # AT"): the entry's details, not a note (issue #14).
                details.setdefault("licence_text", []).append(" ".join(it["text"].split()))
                continue
            blocks.append(RawBlock(
                text=it["text"], location=f"{where}.items[{j}] ({eccn})",
                label=label if kind != "text" and isinstance(label, str) and label else None,
            ))
        entries.append(RawEntry(
            eccn=eccn, heading=" ".join(str(item.get("heading") or "").split()),
            location=f"{where} ({eccn})", reasons=str(item.get("reasonForControl") or ""),
            details=details, blocks=blocks,
        ))
    return entries, deep


def parse_json(path: Path, check_counts: bool = True) -> list[ParsedList]:
    try:
        raw_text = path.read_text(encoding="utf-8")
        data = json.loads(raw_text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LoaderError(path, "whole file", f"not readable JSON: {error}") from error
    if not isinstance(data, dict):
        raise LoaderError(path, "top level", "expected a JSON object")
    try:
        version = parse_version_json(data)
    except ValueError as error:
        raise LoaderError(path, "ecfrIssueDate", str(error)) from error
    entries, deep = entries_from_json(path, data)
    meta = dataclasses.replace(META, detailed_categories=tuple(deep) if deep else None)
    source = data.get("source")
    url = str(source.get("url") or "") if isinstance(source, dict) else ""
    return [_finish(path, meta, version, entries, count_headings_json(raw_text), [],
                    check_counts, DERIVED_JSON, url=url)]


# -- XML (eCFR versioner) ---------------------------------------------------------------------
SUPPLEMENT = "Supplement No. 1 to Part 774"
HEADING_XML = re.compile(r"<FP-[12]>\s*<B>\s*(\d[A-E]\d{3})\s")
STRUCTURAL = re.compile(
    r"^(Category\s+\d|Part\s+\d|[A-E]\.\s|License\s+Requirements|List\s+Based\s+License"
    r"|List\s+of\s+Items\s+Controlled|Special\s+Conditions\s+for\s+STA)", re.IGNORECASE,
)
SECTION_LINE = re.compile(r"^(License\s+Requirements|List\s+Based\s+License\s+Exceptions.*"
                          r"|List\s+of\s+Items\s+Controlled|Special\s+Conditions\s+for\s+STA)\s*:?$",
                          re.IGNORECASE)
FIELD_LINE = re.compile(r"^(?P<key>[A-Z][A-Za-z()/ ]{1,40}?)\s*:\s*(?P<value>.*)$")


def count_headings_xml(raw_text: str) -> dict[str, str]:
    """ECCN headings by an independent regex on the raw XML: canonical -> 'line N'."""
    start = raw_text.find(f'N="{SUPPLEMENT}"')
    if start < 0:
        return {}
    end = raw_text.find("<DIV9", start + 1)
    body = raw_text[start:] if end < 0 else raw_text[start:end]
    line_base = raw_text.count("\n", 0, start) + 1
    found: dict[str, str] = {}
    for match in HEADING_XML.finditer(body):
        found.setdefault(match[1], f"line {line_base + body.count(chr(10), 0, match.start())}")
    return found


def read_xml_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # the versioner may answer gzip
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise LoaderError(path, "whole file", f"corrupt gzip: {error}") from error
    return data


def parse_xml_tree(path: Path, data: bytes) -> etree._Element:
    """Parse with no entity expansion, no network and no huge-tree mode."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise LoaderError(path, f"line {error.lineno}",
                          f"not well-formed XML: {error.msg}") from error
    if root is None:
        raise LoaderError(path, "whole file", "empty XML document")
    return root


def find_supplement(root: etree._Element) -> etree._Element | None:
    for div in root.iter("DIV9"):
        if (div.get("N") or "").strip().startswith(SUPPLEMENT):
            return div
    if root.tag == "DIV9" and (root.get("N") or "").startswith(SUPPLEMENT):
        return root
    return None


def element_text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_version_xml(path: Path, root: etree._Element, supplement: etree._Element) -> str:
    """The issue date: a date attribute in the file, else a sidecar, else the file name."""
    for element in (root, supplement):
        for name, value in element.attrib.items():
            if "date" in str(name).lower():
                match = ISO_DATE.search(str(value))
                if match:
                    return match[1]
    sidecar = path.with_name(path.name + ".meta.json")
    if sidecar.is_file():
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise LoaderError(sidecar, "whole file", f"sidecar is not JSON: {error}") from error
        for key in ("version", "ecfrIssueDate", "date", "url"):
            match = ISO_DATE.search(str(meta.get(key, ""))) if isinstance(meta, dict) else None
            if match:
                return match[1]
    match = ISO_DATE.search(path.name)
    if match:
        return match[1]
    raise LoaderError(path, "version", "no issue date: no date attribute, no "
                      f"{sidecar.name} and no YYYY-MM-DD in the file name")


def _table_rows(table: etree._Element) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    body: list[list[str]] = []
    for tr in table.iter("TR"):
        cells = [c for c in tr if c.tag in ("TH", "TD")]
        texts = [element_text(c) for c in cells]
        if cells and all(c.tag == "TH" for c in cells) and not header:
            header = texts
        elif any(texts):
            body.append(texts)
    return header, body


def _is_licence_table(header: list[str], body: list[list[str]]) -> bool:
    names = " ".join(header or (body[0] if body else [])).lower()
    return "country chart" in names or names.startswith("control")


class _XmlReader:
    """Walk the supplement in document order and collect RawEntry records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[RawEntry] = []
        self.unplaced: list[Unplaced] = []
        self.entry: RawEntry | None = None
        self.between_entries = False  # after a category heading, before the next entry
        self.note_count = 0
        self.skipped_tables: list[str] = []

    def where(self, element: etree._Element) -> str:
        return f"line {element.sourceline} <{element.tag!s}>"

    def walk(self, parent: etree._Element) -> None:
        for element in parent:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            if tag in ("DIV", "EXTRACT", "GPOTABLE_DIV"):
                self.walk(element)
            elif tag in ("FP-2", "FP-1", "FP"):
                self.flush_paragraph(element)
            elif tag in ("HD1", "HD2", "HD3"):
                self.heading(element)
            elif tag == "P":
                self.block(element, element_text(element))
            elif tag == "NOTE":
                self.note(element)
            elif tag == "TABLE":
                self.table(element)
            elif tag in ("HEAD", "CITA", "SOURCE", "AUTH", "PRTPAGE"):
                continue
            else:
                text = element_text(element)
                if text:
                    self.unplace(element, text, f"element <{tag}> not read")

    def unplace(self, element: etree._Element, text: str, reason: str) -> None:
        self.unplaced.append(Unplaced(self.where(element), text, reason))

    def heading(self, element: etree._Element) -> None:
        text = element_text(element)
        if not text:
            return
        if re.match(r"^(Category|Part)\s+\d", text, re.IGNORECASE):
            self.between_entries = True
            return
        if STRUCTURAL.match(text):
            return  # group letters and section titles: structure, not content
        if self.entry is None or self.between_entries:
            self.unplace(element, text, "before the first entry" if self.entry is None
                         else "category text between entries")
        else:
            self.unplace(element, text, f"subheading inside {self.entry.eccn}")

    def flush_paragraph(self, element: etree._Element) -> None:
        text = element_text(element)
        first = element[0] if len(element) else None
        leading = (element.text or "").strip()
        if first is not None and first.tag == "B" and not leading:
            match = re.match(r"^(\d[A-E]\d{3})\s+(.*)$", element_text(first))
            if match:
                rest = text[len(element_text(first)):].strip()
                heading = re.sub(r"\s+([.,;:])", r"\1", " ".join(f"{match[2]} {rest}".split()))
                self.entry = RawEntry(eccn=match[1], heading=heading, location=self.where(element))
                self.entries.append(self.entry)
                self.between_entries = False
                return
        if not text:
            return
        if self.outside_entry(element, text):
            return
        self.field(element, text)

    def field(self, element: etree._Element, text: str) -> None:
        assert self.entry is not None
        details = self.entry.details
        if SECTION_LINE.match(text):
            return
        match = FIELD_LINE.match(text)
        if not match:
            self.block(element, text)
            return
        key, value = match["key"].strip(), match["value"].strip()
        lowered = key.lower()
        if NOTE_MARKER.match(key):
            self.block(element, text)
        elif lowered == "reason for control":
            self.entry.reasons = value
        elif lowered in ("related controls", "related definitions", "unit", "control(s)"):
            details[lowered.replace(" ", "_").replace("(s)", "s")] = value
        elif lowered == "items":
            if value:
                self.block(element, value)
        elif re.fullmatch(r"[A-Z]{2,4}", key) and key not in REASON_CODES:
            details.setdefault("licence_exceptions", {})[key] = value
            if key == "STA":
                details["sta_special_conditions"] = text
        else:
            details.setdefault("other_fields", []).append(text)

    def outside_entry(self, element: etree._Element, text: str) -> bool:
        """Text before the first entry or between entries is reported, not attached."""
        if self.entry is not None and not self.between_entries:
            return False
        self.unplace(element, text, "before the first entry" if self.entry is None
                     else "category text between entries")
        return True

    def block(self, element: etree._Element, text: str, group: str | None = None,
              marker: str = "") -> None:
        if not text:
            return
        if self.outside_entry(element, text) or self.entry is None:
            return
        label, rest = split_designator(text)
        self.entry.blocks.append(RawBlock(rest, self.where(element), label, group, marker))

    def note(self, element: etree._Element) -> None:
        self.note_count += 1
        group = f"note-{self.note_count}"
        marker = " ".join(element_text(h) for h in element if h.tag == "HED")
        for child in element:
            if child.tag != "HED":
                self.block(child, element_text(child), group, marker)

    def table(self, element: etree._Element) -> None:
        header, body = _table_rows(element)
        if self.entry is None or self.between_entries:
            self.unplace(element, " | ".join(header), "table outside an entry")
            return
        if _is_licence_table(header, body):
            rows = self.entry.details.setdefault("licence_requirements", [])
            for cells in body:
                if len(cells) >= 2 and cells[1]:
                    rows.append({"control": cells[0], "country_chart": cells[1]})
                elif cells and cells[0]:
                    rows.append({"control": cells[0], "country_chart": cells[0],
                                 "single_cell_row": True})
            return
        # Any other table (e.g. a process/substrate matrix) is kept as note text, flattened.
        self.skipped_tables.append(self.entry.eccn)
        flat = "; ".join(" | ".join(r) for r in [header, *body] if r)
        self.entry.blocks.append(RawBlock(f"Table: {flat}", self.where(element), None,
                                          f"table-{element.sourceline}", "Table"))


def parse_xml(path: Path, check_counts: bool = True) -> list[ParsedList]:
    data = read_xml_bytes(path)
    root = parse_xml_tree(path, data)
    supplement = find_supplement(root)
    if supplement is None:
        raise LoaderError(path, f"<{root.tag!s}>", f'no <DIV9 N="{SUPPLEMENT}">: not the CCL part')
    version = parse_version_xml(path, root, supplement)
    reader = _XmlReader(path)
    reader.walk(supplement)
    seen = Counter(e.eccn for e in reader.entries)
    doubled = [c for c, n in seen.items() if n > 1]
    if doubled:
        first = next(e for e in reader.entries if e.eccn == doubled[0])
        raise LoaderError(path, first.location, f"ECCN heading repeated: {', '.join(doubled[:5])}")
    headings = count_headings_xml(data.decode("utf-8", errors="replace"))
    notes = []
    if reader.skipped_tables:
        notes.append("non-licence tables kept as note text in: "
                     + ", ".join(sorted(set(reader.skipped_tables))))
    meta = dataclasses.replace(META, detailed_categories=None)
    return [_finish(path, meta, version, reader.entries, headings, reader.unplaced,
                    check_counts, "eCFR XML", notes)]


# -- shared tail ------------------------------------------------------------------------------
def _finish(path: Path, meta: SourceMeta, version: str, entries: list[RawEntry],
            headings: dict[str, str], unplaced: list[Unplaced], check_counts: bool,
            fmt: str, notes: list[str] | None = None, url: str = "") -> ParsedList:
    doubled = [c for c, n in Counter(e.eccn for e in entries).items() if n > 1]
    if doubled:
        raise LoaderError(path, "entries", f"ECCN listed twice: {', '.join(doubled[:5])}")
    rows, more_unplaced, stats = build_rows(entries, fill_lost_first=fmt == DERIVED_JSON)
    licence_lines = sum(len(e.details.get("licence_text", [])) for e in entries)
    report = [f"format: {fmt}; version {version}"]
    if meta.detailed_categories is not None:
        report.append("paragraph text only for categories "
                      + ", ".join(meta.detailed_categories) + "; other entries not detailed")
    report.append(f"{stats.recovered_labels} paragraph(s) recovered from unlabelled text that "
                  "opens with a designator missing or doubling its dot ('b.1 ...', 'b.2.a.. ...')")
    report.append(f"{stats.note_list_items} labelled item(s) kept as text of the note whose own "
                  f"list they are ({stats.announced_items} in lists a note opens with ':' or "
                  "restarts at a. after the entry's own a.)")
    if stats.loose_items:
        report.append(f"{len(stats.loose_items)} labelled item(s) off the paragraph tree with no "
                      "note open, kept as notes and listed as unplaced: "
                      + ", ".join(stats.loose_items[:12]))
    if stats.placeholders:
        report.append(f"{len(stats.placeholders)} placeholder paragraph(s) for parents the source "
                      "lacks (children present; empty text, detailed=False, "
                      "details.placeholder): " + ", ".join(stats.placeholders[:12])
                      + (" ..." if len(stats.placeholders) > 12 else ""))
    if stats.late_starts:
        report.append(f"{len(stats.late_starts)} entr(y/ies) whose paragraphs start after a. "
                      "(in the derived JSON the first item, printed on the 'Items:' line, is "
                      "lost; a not-detailed row with no text stands for an 'a.' lost before a "
                      f"'b.' ({len(stats.lost_first)}), nothing else is invented): "
                      + ", ".join(stats.late_starts[:12])
                      + (" ..." if len(stats.late_starts) > 12 else ""))
    if licence_lines:
        report.append(f"{licence_lines} licence-data line(s) printed before the items ('LVS: "
                      "N/A', 'Reason for Control: ...', 'XX applies to ...') kept in the entry's "
                      "details.licence_text, not as notes")
    if stats.items_markers:
        report.append(f"{stats.items_markers} bare 'Items:' line(s) skipped as structure")
    if stats.prelists:
        report.append("leading a./b. run restarted by the items, kept as a note: "
                      + ", ".join(stats.prelists))
    report.extend(notes or [])
    info = source_info(dataclasses.replace(meta, url=url or meta.url.format(date=version)), version)
    parsed = finish(path, meta, info, rows, headings, [*unplaced, *more_unplaced], report,
                    check_counts=check_counts)
    if stats.placeholders or stats.lost_first:
        # finish() marks detail by category; a placeholder has no text whatever its category.
        frame = parsed.frame
        empty = (frame["kind"] == "paragraph") & frame["canonical"].isin(
            [canonical_code(c) for c in [*stats.placeholders, *stats.lost_first]])
        frame.loc[empty, "detailed"] = False
    return parsed


def parse(path: Path, check_counts: bool = True) -> list[ParsedList]:
    """Read one CCL file; `.json` -> the derived JSON, `.xml` / `.gz` -> eCFR XML."""
    path = Path(path)
    name = path.name.lower()
    if not path.is_file():
        raise LoaderError(path, "whole file", "no such file")
    if name.endswith(".json"):
        return parse_json(path, check_counts)
    if name.endswith((".xml", ".xml.gz", ".gz")):
        return parse_xml(path, check_counts)
    raise LoaderError(path, "file name", "expected .xml (eCFR), .xml.gz or .json (derived)")
