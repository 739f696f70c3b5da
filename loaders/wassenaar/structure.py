"""Wassenaar: restated paths dropped, a note's own list items kept in the note, the dual-use
part cut into blocks at category and group headings (bare entry numbers made codes, tables,
annexes, sub-group titles and footnotes kept out), and the independent count of headings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from harmonize.codes import canonical_code
from harmonize.ingest.segmenter import (
    NOTE_WORDS,
    CodeStyle,
    Line,
    Unplaced,
    back_to_enclosing_note,
)
from loaders.wassenaar.pages import BARE_ENTRY_X, LEFT_MARGIN, Piece, Segment, is_noise

_LABEL_ONLY = re.compile(r"^(?:[a-z]|\d{1,2})\.$")
LABEL_TOKEN_AT_START = re.compile(r"^(?:[a-z]|\d{1,2})\.(?:\s|$)")
_BARE_NUMBER = re.compile(r"^(?P<num>\d{1,3})\.(?:\s+(?P<rest>.*))?$")
_ENTRY_CODE = re.compile(r"^(?P<cat>\d)\.\s+(?P<grp>[A-E])\.\s+(?P<num>\d{1,3})\.(?=\s|$)")
GROUP_HEADING = re.compile(
    r"^(?P<cat>\d)\.\s+(?P<grp>[A-E])\.\s+(?:Part\s*\d\.?\s*)?"
    r"(?:[A-Z][A-Z ,\"'“”&/–-]*?(?:\s*-\s*None)?)?\s*$"
)
CATEGORY_HEADING = re.compile(r"^(?:\d\.\s+[A-Z]{3}[A-Z ,\"'“”&/–-]*|Part\s+\d\s*[-–]\s*\S.*)$")
SUBGROUP_HEADING = re.compile(r"^[A-Z\"“][A-Z ,\"'“”&/–-]*[A-Z]{4}[A-Z ,\"'“”&/–-]*$")
SIDE_REGION = re.compile(r"^(?:TABLE\s+-|ANNEX$)")


def drop_restatements(lines: list[Line], style: CodeStyle) -> tuple[list[Line], int]:
    """Drop restatements of the path ("5. A. 1." "b." "2." before "b. text").

    Page tops, and a few places within a page, restate the code and labels of the ancestors
    of the paragraph that follows. Those are on the segmenter's current path anyway; fed as
    they are, a restated label that is also the next free label at some level ("c." after
    "b.6.c.1", or after "c.1.b.2") would open a new, empty paragraph instead of moving the
    cursor. A run of bare labels (after a restated code, or on their own) is a restatement
    when a labelled line follows; when plain text follows, its last label is a new paragraph
    printed with its text below, and is kept. Returns the kept lines and the count dropped.
    """
    kept: list[Line] = []
    dropped = 0
    current = ""
    run: list[Line] = []  # restated code and bare labels not yet decided on

    def close_run(followed_by_label: bool) -> None:
        nonlocal dropped
        labels = [ln for ln in run if _LABEL_ONLY.match(" ".join(ln.text.split()))]
        keep = labels[-1] if labels and not followed_by_label else None
        dropped += len(run) - (keep is not None)
        if keep is not None:
            kept.append(keep)
        run.clear()

    for line in lines:
        text = " ".join(line.text.split())
        if is_noise(text):
            kept.append(line)
            continue
        heading = style.entry_heading.match(text)
        code = canonical_code(heading["code"]) if heading else None
        if heading and code:
            close_run(followed_by_label=True)
            if code == current and not heading["rest"]:
                run.append(line)
            else:
                current = code
                kept.append(line)
            continue
        if _LABEL_ONLY.match(text):
            run.append(line)
            continue
        if run:
            close_run(followed_by_label=bool(LABEL_TOKEN_AT_START.match(text)))
        kept.append(line)
    close_run(followed_by_label=False)
    return kept, dropped


def join_note_items(lines: list[Line]) -> list[Line]:
    """Join an italic list item ("a.", "1.") to the italic note text before it: notes are set in
    italics, so such a label belongs to the note's own list and must never open a paragraph
    (a note's "4." would otherwise become the next paragraph of the entry)."""
    out: list[Line] = []
    last_text = -1  # index in `out` of the last line that is not noise
    markers: list[float] = []  # indents of the note markers since the last upright line
    for line in lines:
        text = " ".join(line.text.split())
        if is_noise(text):
            out.append(line)
            continue
        # Left of an N.B. printed inside a note's list, but inside that note: not glued to the
        # N.B. (the segmenter hands the line back to the enclosing note).
        if line.note and LABEL_TOKEN_AT_START.match(text) and last_text >= 0 \
                and out[last_text].note and not back_to_enclosing_note(line.indent, markers):
            prev = out[last_text]
            out[last_text] = replace(prev, text=f"{prev.text} {text}")
            continue
        out.append(line)
        last_text = len(out) - 1
        if not line.note:
            markers = []
        elif _NOTE_AT_START.match(text) and line.indent is not None:
            markers.append(line.indent)
    return out


_NOTE_AT_START = re.compile(rf"^{NOTE_WORDS}(?=[\s\d:.]|$)")


def prepare(lines: list[Line], style: CodeStyle) -> tuple[list[Line], int]:
    """Lines ready for the segmenter: restatements dropped, note list items joined."""
    kept, dropped = drop_restatements(lines, style)
    return join_note_items(kept), dropped


# -- structure of the dual-use part ------------------------------------------------------------

@dataclass
class DualUseStream:
    """Lines cut into chunks at category and group headings, plus what is kept out."""

    chunks: list[list[Line]] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    bare_entries: list[str] = field(default_factory=list)  # codes printed as a bare number


def structure_dual_use(pieces: list[Piece]) -> DualUseStream:
    """Split at category/group headings (their notes are not any entry's), turn bare entry
    numbers into spaced codes, and keep tables, annexes, sub-group titles and footnotes out."""
    out = DualUseStream(chunks=[[]])
    group: tuple[str, str] | None = None
    last_number = 0
    side_region = ""
    for piece in pieces:
        line, text = piece.line, piece.text
        if is_noise(text):
            out.chunks[-1].append(line)
            continue
        indent = line.indent if line.indent is not None else 0.0
        at_margin = piece.row_start and indent < LEFT_MARGIN
        entry = _ENTRY_CODE.match(text)
        group_heading = GROUP_HEADING.match(text) if at_margin and not entry else None
        if at_margin and (group_heading or CATEGORY_HEADING.match(text)):
            group = (group_heading["cat"], group_heading["grp"]) if group_heading else None
            last_number, side_region = 0, ""
            out.chunks.append([line])
            continue
        if entry and at_margin:
            group, last_number, side_region = (entry["cat"], entry["grp"]), int(entry["num"]), ""
            out.chunks[-1].append(line)
            continue
        if piece.row_start and SIDE_REGION.match(text):
            side_region = "table" if text.startswith("TABLE") else "annex"
        if side_region:
            what = "table" if side_region == "table" else "annex to the category"
            out.unplaced.append(Unplaced(line.location, text, f"{what} (not an entry)"))
            continue
        if piece.footnote:
            out.unplaced.append(Unplaced(line.location, text, "footnote"))
            continue
        if piece.row_start and not line.note and SUBGROUP_HEADING.match(text):
            out.unplaced.append(Unplaced(line.location, text, "sub-group title (not an entry)"))
            continue
        bare = _BARE_NUMBER.match(text)
        if (bare and group and piece.row_start and not line.note
                and BARE_ENTRY_X[0] <= indent <= BARE_ENTRY_X[1]
                and int(bare["num"]) == last_number + 1):
            last_number = int(bare["num"])
            code = f"{group[0]}. {group[1]}. {last_number}."
            out.bare_entries.append(canonical_code(code) or code)
            rest = bare["rest"] or ""
            out.chunks[-1].append(replace(line, text=f"{code} {rest}".strip()))
            continue
        out.chunks[-1].append(line)
    return out


def count_headings(pages: Iterable[tuple[int, list[Segment]]]) -> dict[str, str]:
    """Independent count of dual-use entry headings in the raw text runs of each page
    (code -> first page), without the row joining, structure pass or segmenter: spaced codes
    opening a run at the left margin, plus a bare upright "N." run in the entry-number column
    that continues the numbering of the current group (how the first entry after a group
    heading is printed). Runs from a "TABLE -" or "ANNEX" title to the next heading are
    skipped: their numbered notes are not entries."""
    headings: dict[str, str] = {}
    group: tuple[str, str] | None = None
    last = 0
    skipping = False
    for page_no, runs in pages:
        for run in runs:
            text = run.text
            if is_noise(text):
                continue
            spaced = _ENTRY_CODE.match(text)
            if spaced and run.x0 < LEFT_MARGIN:
                group, last, skipping = (spaced["cat"], spaced["grp"]), int(spaced["num"]), False
                code = canonical_code(spaced.group(0))
                if code:
                    headings.setdefault(code, f"p. {page_no}")
                continue
            heading = GROUP_HEADING.match(text)
            if run.x0 < LEFT_MARGIN and (heading or CATEGORY_HEADING.match(text)):
                group = (heading["cat"], heading["grp"]) if heading else None
                last, skipping = 0, False
                continue
            if SIDE_REGION.match(text):
                skipping = True
            if skipping or group is None or run.italic:
                continue
            if (text == f"{last + 1}." and BARE_ENTRY_X[0] <= run.x0 <= BARE_ENTRY_X[1]):
                last += 1
                code = canonical_code(f"{group[0]}. {group[1]}. {last}.")
                if code:
                    headings.setdefault(code, f"p. {page_no}")
    return headings


def count_ml_headings(pages: Iterable[tuple[int, list[Segment]]]) -> dict[str, str]:
    """Munitions List headings in the raw text runs: "ML7." then a space or the end of the
    run, at the left margin (references in text are "ML7.b." or sit further right)."""
    headings: dict[str, str] = {}
    for page_no, runs in pages:
        for run in runs:
            m = re.match(r"^(ML\d{1,2})\.(?=\s|$)", run.text)
            if m and run.x0 < LEFT_MARGIN:
                headings.setdefault(m[1], f"p. {page_no}")
    return headings
