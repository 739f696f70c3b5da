"""US CCL: rows from the format-neutral records (entry, paragraphs, notes, placeholders for
parents the copy lacks), and the report and checks every CCL parse ends with."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import Line, Unplaced, note_kind
from harmonize.ingest.source import LoaderError, ParsedList, SourceMeta, finish, source_info
from harmonize.model import ListRow
from loaders.us_ccl.records import (
    LOOSE_DESIGNATOR,
    NOTE_MARKER,
    RawBlock,
    RawEntry,
    is_national,
    is_national_paragraph,
)
from loaders.us_ccl.spine import (
    ITEMS_MARKER,
    announces_with_colon,
    choose_spine,
    fits_list,
    is_ccl_path,
    mark_prelist,
    note_lists,
    opens_note_before_a,
)

DERIVED_JSON = "eCFR-derived JSON"  # the format name of the derived copy (it loses first items)


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
                      if is_ccl_path(lab.split("."))]

        def opens_list(i: int, first_a: int) -> bool:
            return announces_with_colon(blocks, i) or opens_note_before_a(blocks, i, first_a)

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


def entry_lines(entries: list[RawEntry]) -> list[Line]:
    """The entries as read, one line per heading and printed paragraph (with its designator;
    note text flagged): the line stream kept beside the parse."""
    lines: list[Line] = []
    for entry in entries:
        lines.append(Line(f"{entry.eccn} {entry.heading}".strip(), entry.location))
        lines.extend(Line(f"{b.label}. {b.text}" if b.label else b.text, b.location,
                          note=b.note_group is not None) for b in entry.blocks)
    return lines


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


# -- shared tail ------------------------------------------------------------------------------
def finish_ccl(path: Path, meta: SourceMeta, version: str, entries: list[RawEntry],
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
                    check_counts=check_counts, lines=entry_lines(entries))
    if stats.placeholders or stats.lost_first:
        # finish() marks detail by category; a placeholder has no text whatever its category.
        frame = parsed.frame
        empty = (frame["kind"] == "paragraph") & frame["canonical"].isin(
            [canonical_code(c) for c in [*stats.placeholders, *stats.lost_first]])
        frame.loc[empty, "detailed"] = False
    return parsed
