"""The shared segmenter for the Wassenaar-family layout.

Every Wassenaar-family list (Wassenaar, EU Annex I, UK, Australia, Norway, Canada's Guide) prints
the same shape: an entry heading (`5A001 Telecommunications ...`), a paragraph tree whose labels
alternate letters and digits (`a.` / `1.` / `a.`), and "Note", "Technical Note" and "N.B." blocks
that attach to whatever they follow. Loaders only turn their format into `Line`s and state a
`CodeStyle`; this module builds the tree, so the rules live in one place.

How a paragraph label is placed: it is either the first child of the current paragraph or the
next sibling at one of the levels of the current path. Where several levels fit, the line's
indent decides when the loader knows it; otherwise the deepest level wins (a single-child list
is rare). A label that would re-create a code already seen in the entry is a "continued" line
(page tops repeat the path) and only moves the cursor. Inside a note, a run of `a.`, `b.` ... is
the note's own list. Text that fits nowhere is reported in `Segmented.unplaced`, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from harmonize.codes import canonical_code
from harmonize.ingest.labels import first_child, label_rank, next_label, same_type
from harmonize.model import ListRow


@dataclass(slots=True)  # not frozen: made per span or line, and frozen init costs 4x
class Line:
    """One line of raw text as a loader extracted it."""

    text: str
    location: str  # "p. 84", "line 6636", "w:p 1203"
    indent: float | None = None  # x position or indentation, where the format has one
    note: bool = False  # the format marks this line as note text (e.g. italics in EUR-Lex)
    # The format marks this line as list text, not note text (e.g. a paragraph style in a DOCX):
    # a label here closes an open note instead of continuing the note's own a./b. list.
    list_item: bool = False
    # This label is one step of a full code restated at a page top (`5.A.001.j.` before `1.`):
    # after the restated entry heading, each step moves one level down to a paragraph already
    # seen, instead of opening a new sibling that happens to carry the same label higher up.
    restates: bool = False


FREE_STANDING = re.compile(r"^TECHNICAL\s+NOTE\s+ON\b|^Technical\s+Note\s+on\s+[\"'‘“]")
# A note marker continued from the page before: "Note 2 cont.", "Technical Notes cont.",
# "Note 3 to 6.A.3.b.4.b. cont." (the rest of the note's text follows).
_CONTINUED = re.compile(
    r"^(?:to\s+[\d.A-Za-z\s]{2,30}?\s+)?(?:cont\.|\(cont(?:inued|\.)\)|continued)"
    r"(?:\s+|$)(?P<rest>.*)$")


@dataclass(frozen=True)
class CodeStyle:
    """How one publisher prints codes; the only format knowledge the segmenter needs."""

    name: str
    # Matches a line that opens an entry; must define groups `code` and `rest` (heading text).
    entry_heading: re.Pattern[str]
    # Lines to drop wherever they appear: running headers, page footers, page numbers.
    noise: tuple[re.Pattern[str], ...] = ()
    # Entries this list adds beyond the common numbering (US 3A090, UK PL9002 ...).
    is_national: Callable[[str], bool] = lambda canonical: False
    # Labels that may open an entry's first paragraph level. Most entries start at "a."; a few
    # chemical lists start at "1." (e.g. 1C350.1 ... 1C350.91): a loader may allow ("a", "1").
    entry_first_labels: tuple[str, ...] = ("a",)
    # Inside a note, a label leaves the note for an existing paragraph level only if the line's
    # indent is within this distance of that level's (None: no check). Keeps a note's own list
    # ("b." at a note's indent) from passing for the next paragraph of a shallower level.
    indent_tolerance: float | None = None
    # A note's own list may nest (`1.` then `a.`, `b.`, then `2.`): labels continuing any of its
    # levels stay note text. Off by default: without list_item lines to close a note, a real
    # paragraph `c.` after a note listing `a.`, `b.` would be kept in the note.
    nested_note_lists: bool = False
    # Entries whose paragraph labels may skip ahead: the UK/EU 500-series open past "a."/"1."
    # to repeat the numbering of the entry they extend (3A501.a.15., 2E503.g.), and EU/UK
    # Annex IV quotes only some paragraphs under a full code (6A001.a.1.b. then 1., 6.). For
    # them a label fits a level where it has the right type and comes after the last one there.
    sparse_labels: Callable[[str], bool] = lambda entry: False
    # How far (in the unit of `Line.indent`) a note's marker must sit right of a paragraph
    # label to be that paragraph's note (None: the format has no usable indents). Publishers
    # print a note at the text column of what it annotates, which is where that paragraph's
    # own sub-paragraph labels sit: a note after 3A001.b.4.f at the column of the label "f."
    # annotates 3A001.b.4, not 3A001.b.4.f.
    note_indent_margin: float | None = None
    # A note marker this far right of the open note's marker is a note inside that note's own
    # list (an N.B. in a Technical Note): a row of its own on the same code, and the lines
    # left of its marker go back to the enclosing note. None: notes never nest by indent.
    nested_note_margin: float | None = None
    # A heading that opens free-standing text after the entries, belonging to none of them
    # (the "TECHNICAL NOTE ON 'ADJUSTED PEAK PERFORMANCE'" after 4E): reported unplaced up to
    # the next entry heading instead of running on into the last entry.
    free_standing: re.Pattern[str] | None = FREE_STANDING


def any_pattern(patterns: Iterable[re.Pattern[str]]) -> Callable[[str], bool]:
    """A test for "one of `patterns` is found in the text", in one regex pass where the
    patterns can be joined (same flags, no group names or back-references): seven times faster
    than a search per pattern on a list's lines."""
    each = tuple(patterns)

    def one_by_one(text: str) -> bool:
        return any(p.search(text) for p in each)

    if not each or len({p.flags for p in each}) > 1 or any(
            p.groupindex or re.search(r"\\\d|\(\?P=", p.pattern) for p in each):
        return one_by_one
    try:
        combined = re.compile("|".join(f"(?:{p.pattern})" for p in each), each[0].flags)
    except re.error:  # e.g. an inline global flag, allowed only at the start of a pattern
        return one_by_one
    return lambda text: combined.search(text) is not None


@dataclass(frozen=True)
class Unplaced:
    """Text the segmenter could not attach to any entry."""

    location: str
    text: str
    reason: str


def in_document_order(unplaced: Iterable[Unplaced]) -> list[Unplaced]:
    """Unplaced text sorted by the first number of its location (page or line), stably."""
    def number(item: Unplaced) -> int:
        found = re.search(r"\d+", item.location)
        return int(found.group()) if found else 0

    return sorted(unplaced, key=number)


def summarise_unplaced(unplaced: Iterable[Unplaced]) -> list[str]:
    """One report line per reason, most frequent first; stray labels are counted together."""
    reasons = Counter(re.sub(r"^label '\w+' does not", "labels that do not", u.reason)
                      for u in unplaced)
    return [f"{n} unplaced line(s): {reason}" for reason, n in reasons.most_common()]


@dataclass
class Segmented:
    """What the segmenter made of a stream of lines."""

    rows: list[ListRow] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    dropped_noise: int = 0  # header/footer lines removed, counted so nothing vanishes unseen
    lines: list[Line] = field(default_factory=list)  # what it was fed, in order (line stream)
    continued_notes: int = 0  # "Note 2 cont." markers read as the continuation of a note

    @property
    def entries(self) -> list[str]:
        return [r.canonical for r in self.rows if r.kind == "entry"]

    def extend(self, other: Segmented) -> None:
        """Add the result of another block (blocks are segmented apart, read as one list)."""
        self.rows.extend(other.rows)
        self.unplaced.extend(other.unplaced)
        self.dropped_noise += other.dropped_noise
        self.lines.extend(other.lines)
        self.continued_notes += other.continued_notes


LABEL = re.compile(r"^(?P<label>[a-z]|\d{1,2})\s?\.(?:\s+(?P<rest>.*))?$")
# The words that open a note, in every list of the family and every loader (each adds what its
# format prints after them): Note, Notes, Technical Note(s), N.B. (or N.B, N. B.), Nota Bene.
NOTE_WORDS = r"(?:Technical\s+[Nn]otes?|Nota\s+Bene|N\.\s?B\.?|Notes?)"
_NOTE = re.compile(
    rf"^(?P<marker>{NOTE_WORDS})"
    # "Note 2." or "Note 2:", but not the "1." of a code: "Note 1.A.4.a. includes ..."
    r"(?:\s+\d{1,2}(?=\s|:|\.(?!\s*[A-Za-z0-9]\.)|$))?\s*(?P<sep>[.:]?)\s*(?P<rest>.*)$"
)
# What a wrapped line of prose has after the word "Note", and a marker never has.
_PROSE_AFTER_NOTE = frozenset("(abcdefghijklmnopqrstuvwxyz")
_NOTE_KIND = {
    "technical": "technical-note", "nota": "nb", "n": "nb", "note": "note", "notes": "note",
}


def note_kind(marker: str) -> str:
    """Model kind for a note marker: 'Technical Note' -> technical-note, 'N.B.' -> nb."""
    first = re.split(r"[\s.]", marker.strip(), maxsplit=1)[0].lower()
    return _NOTE_KIND.get(first, "note")


@dataclass
class _Level:
    label: str
    indent: float | None


class _Builder:
    def __init__(self, style: CodeStyle) -> None:
        self.style = style
        self.is_noise = any_pattern(style.noise)
        self.out = Segmented()
        self.entry: str = ""
        self.entry_printed: str = ""
        self.path: list[_Level] = []
        self.seen: set[str] = set()
        self.last_child: dict[str, str] = {}  # parent code -> label of its last child
        self.current: ListRow | None = None  # row receiving continuation text
        # Continuation text per row (by id), joined once at the end: appending to the row's
        # string line by line copied it every time (quadratic on long paragraphs).
        self.pieces: dict[int, list[str]] = {}
        self.paragraphs: dict[str, ListRow] = {}  # canonical -> its (last) paragraph row
        self.in_note = False
        self.note_list_next: str | None = None  # next label of a note's own a./b. list
        self.note_levels: list[str] = []  # last label at each level of a nested note list
        # Notes open now, outermost first, with their marker's indent: a note printed inside
        # another note's own list (an N.B. in a Technical Note) is pushed on top of it.
        self.open_notes: list[tuple[ListRow, float | None]] = []
        self.aside: str | None = None  # why text up to the next entry belongs to no entry

    # -- helpers ---------------------------------------------------------------
    def _labels(self) -> list[str]:
        return [lvl.label for lvl in self.path]

    def _code(self, labels: list[str]) -> str:
        return ".".join([self.entry, *labels])

    def _path_codes(self) -> list[str]:
        """The code of every level of the current path, the entry first."""
        codes = [self.entry]
        for lvl in self.path:
            codes.append(f"{codes[-1]}.{lvl.label}")
        return codes

    def _printed(self, labels: list[str]) -> str:
        # Paragraph codes are rarely printed whole; this is the entry as printed plus the labels.
        if not labels:
            return self.entry_printed
        return ".".join([self.entry_printed.rstrip(". "), *labels])

    def _emit(self, row: ListRow) -> None:
        self.out.rows.append(row)
        self.current = row
        self.pieces[id(row)] = [row.text] if row.text else []
        if row.kind == "paragraph":
            self.paragraphs[row.canonical] = row

    def _append(self, text: str) -> None:
        if self.current is not None and text:
            self.pieces[id(self.current)].append(text)

    def finish(self) -> Segmented:
        """Join each row's text from its pieces (once, linear in the text)."""
        for row in self.out.rows:
            row.text = " ".join(self.pieces.get(id(row), [])).strip()
        return self.out

    # -- line kinds -----------------------------------------------------------------
    def open_entry(self, printed: str, canonical: str, rest: str, location: str) -> None:
        if canonical == self.entry:  # a "continued" heading repeats the entry at a page top
            self.path = []
            self.in_note, self.open_notes = False, []
            self.note_list_next = None
            if rest:
                self._append(rest)
            return
        self.entry, self.entry_printed = canonical, printed
        self.path, self.seen, self.last_child, self.aside = [], {canonical}, {}, None
        self.in_note, self.note_list_next, self.open_notes = False, None, []
        self._emit(
            ListRow(
                code=printed, canonical=canonical, parent="", depth=0, kind="entry",
                text=rest, location=location, entry=canonical,
                national=self.style.is_national(canonical),
            )
        )

    def open_note(self, marker: str, rest: str, location: str,
                  indent: float | None = None, nested: bool = False) -> None:
        if nested:  # inside the open note's list: on the code that note is hung on
            enclosing = self.open_notes[-1][0]
            code, attached, depth = enclosing.code, enclosing.canonical, enclosing.depth
        else:
            labels = self._labels()[: self._note_level(indent)]
            code, attached, depth = self._printed(labels), self._code(labels), len(labels) + 1
            self.open_notes = []
        self.in_note, self.note_list_next = True, None
        row = ListRow(code=code, canonical=attached, parent=attached, depth=depth,
                      kind=note_kind(marker), text=rest, location=location, entry=self.entry)
        self.open_notes.append((row, indent))
        self._emit(row)

    def _note_level(self, indent: float | None) -> int:
        """How many levels of the current path a note at `indent` annotates: the levels whose
        label sits left of the note's marker (a note is printed at the text column of what
        it annotates). Without indents, the whole path (the note follows what it annotates)."""
        margin = self.style.note_indent_margin
        if margin is None or indent is None:
            return len(self.path)
        level = 0
        for depth, lvl in enumerate(self.path):
            if lvl.indent is not None and lvl.indent > indent - margin:
                break
            level = depth + 1
        return level

    def _nests_in(self, depth: int, indent: float | None) -> bool:
        """The marker at `indent` sits inside the list of the open note at `depth`."""
        margin = self.style.nested_note_margin
        if margin is None or indent is None or len(self.open_notes) < -depth:
            return False
        outer = self.open_notes[depth][1]
        return outer is not None and indent > outer + margin

    def _close_nested(self, indent: float | None) -> bool:
        """A line left of a nested note's marker goes back to the note enclosing it (True)."""
        margin = self.style.note_indent_margin or 0.0
        closed = False
        while len(self.open_notes) > 1 and indent is not None:
            top = self.open_notes[-1][1]
            if top is None or indent >= top - margin:
                break
            self.open_notes.pop()
            self.current = self.open_notes[-1][0]
            self.note_list_next, closed = None, True
        return closed

    def _continue_note(self, marker: str) -> bool:
        """A marker restated at a page top ("Note 2 cont."): the open note, or the entry's last
        note of that kind, takes the text that follows."""
        kind = note_kind(marker)
        if self.in_note and self.open_notes:
            while len(self.open_notes) > 1 and self.open_notes[-1][0].kind != kind:
                self.open_notes.pop()  # back to the note the restated marker names
            self.current = self.open_notes[-1][0]
            return True
        for row in reversed(self.out.rows):
            if row.entry != self.entry:
                break
            if row.kind == kind:
                self.current, self.in_note, self.note_list_next = row, True, None
                self.open_notes = [(row, None)]
                return True
        return False

    def candidates(self, label: str) -> list[int]:
        """Levels (0 = child of the entry) where `label` opens a new paragraph, deepest first.

        At each level the label must be the next one after the last child already seen under
        that parent, or the first label of the right type when there is none.
        """
        fits: list[int] = []
        sparse = self.style.sparse_labels(self.entry)
        parents = self._path_codes()
        for level in range(len(self.path), -1, -1):
            last = self.last_child.get(parents[level])
            if last is None:
                if self.in_note:
                    continue  # inside a note, "a." starts the note's own list, not a child
                above = self.path[level - 1].label if level else None
                if sparse and not level and "." in self.entry:
                    above = self.entry.rsplit(".", 1)[1]  # children of "6A001.a.1.b" are digits
                if above is None and label in self.style.entry_first_labels:
                    expected = label
                else:
                    expected = first_child(above)
                if sparse and same_type(label, expected):
                    expected = label
            else:
                expected = next_label(last)
                if sparse and same_type(label, last) and label_rank(label) > label_rank(last):
                    expected = label
            if label == expected:
                fits.append(level)
        return fits

    def place_label(self, label: str, rest: str, line: Line) -> bool:
        """Open a paragraph (or move the cursor); False when the label fits nowhere."""
        if line.restates and self._code([*self._labels(), label]) in self.seen:
            return self._navigate(label, rest, line)  # one step down a restated full code
        fits = self.candidates(label)
        tolerance = self.style.indent_tolerance
        if self.in_note and tolerance is not None and line.indent is not None:
            fits = [lv for lv in fits if self._indent_distance(lv, line.indent) <= tolerance]
        if not fits:
            return self._navigate(label, rest, line)
        level = fits[0]
        if line.indent is not None and len(fits) > 1:
            level = min(fits, key=lambda lv: self._indent_distance(lv, line.indent))
        self.path = [*self.path[:level], _Level(label, line.indent)]
        labels = [lvl.label for lvl in self.path]
        canonical = self._code(labels)
        parent = self._code(labels[:-1])
        self.seen.add(canonical)
        self.last_child[parent] = label
        self.in_note, self.note_list_next, self.open_notes = False, None, []
        self._emit(
            ListRow(
                code=self._printed(labels), canonical=canonical, parent=parent,
                depth=len(labels), kind="paragraph", text=rest, location=line.location,
                entry=self.entry, national=self.style.is_national(self.entry),
            )
        )
        return True

    def _indent_distance(self, level: int, indent: float | None) -> float:
        """How far a line's indent is from the indent recorded for a level (siblings align)."""
        if indent is None:
            return 0.0
        if level < len(self.path) and self.path[level].indent is not None:
            return abs((self.path[level].indent or 0.0) - indent)
        # A new deeper level: it must sit right of its parent.
        parent_indent = self.path[level - 1].indent if level else None
        if parent_indent is not None and indent > parent_indent:
            return 0.5
        return 1e9

    def _navigate(self, label: str, rest: str, line: Line) -> bool:
        """A label restating a code already seen (continued line): move the cursor there."""
        if self.in_note:
            return False
        parents = self._path_codes()
        for level in range(len(self.path), -1, -1):
            code = f"{parents[level]}.{label}"
            if code in self.seen:
                self.path = [*self.path[:level], _Level(label, line.indent)]
                if rest:  # text after a restated label continues that paragraph
                    self.current = self.paragraphs[code]
                    self._append(rest)
                return True
        return False

    def feed(self, line: Line) -> None:
        text = " ".join(line.text.split())
        if not text:
            return
        if self.is_noise(text):
            self.out.dropped_noise += 1
            return
        heading = self.style.entry_heading.match(text)
        if heading:
            printed = heading["code"].strip()
            canonical = canonical_code(printed)
            if canonical:
                rest = (heading["rest"] or "").strip()
                self.open_entry(" ".join(printed.split()), canonical, rest,
                                line.location)
                return
        if not self.entry:
            self.out.unplaced.append(Unplaced(line.location, text, "before the first entry"))
            return
        if self.aside is None and self.style.free_standing is not None \
                and self.style.free_standing.match(text):
            self.aside = f"free-standing text after the entries, part of none: {text[:80]}"
            self.current, self.in_note, self.open_notes = None, False, []
        if self.aside is not None:
            self.out.unplaced.append(Unplaced(line.location, text, self.aside))
            return
        note = _NOTE.match(text)
        if note and not note["sep"] and note["rest"][:1] in _PROSE_AFTER_NOTE \
                and not _CONTINUED.match(note["rest"]):
            note = None  # "Note (Note 3 in Category 5)", "Note 3 in ...": a wrapped line
        if note and (line.note or _looks_like_note_marker(text)):
            continued = _CONTINUED.match(note["rest"])
            if continued and self._continue_note(note["marker"]):
                self.out.continued_notes += 1
                if continued["rest"]:
                    self._append(continued["rest"])
                return
            if self.in_note:
                self._close_nested(line.indent)
                if not self._nests_in(-1, line.indent) and self._nests_in(-2, line.indent):
                    self.open_notes.pop()  # a sibling of the nested note it follows
                nested = self._nests_in(-1, line.indent)
            else:
                nested = False
            self.open_note(note["marker"], note["rest"], line.location, line.indent, nested)
            return
        back = self.in_note and self._close_nested(line.indent)
        label = LABEL.match(text)
        if label and back and line.note:
            self._append(text)  # an item of the enclosing note's own list, after a nested note
            return
        if label:
            lab, rest = label["label"], (label["rest"] or "").strip()
            if line.list_item and self.in_note:
                self.in_note, self.note_list_next, self.open_notes = False, None, []
            if self.in_note and self._note_list_takes(lab):
                self._append(text)
                return
            if self.place_label(lab, rest, line):
                return
            if self.in_note:
                self._append(text)
                return
            self.out.unplaced.append(
                Unplaced(line.location, text,
                         f"label {lab!r} does not continue {self._printed(self._labels())}")
            )
            self._append(text)  # kept in the text of what precedes it, and reported
            return
        current_kind = self.current.kind if self.current is not None else ""
        if line.note and not self.in_note and current_kind == "paragraph":
            # Note-styled text without a marker: a note all the same.
            self.open_note("Note", text, line.location, line.indent)
            return
        self._append(text)

    def _note_list_takes(self, label: str) -> bool:
        if self.style.nested_note_lists:
            return self._nested_note_list_takes(label)
        expected = self.note_list_next or ("a" if label == "a" else "1" if label == "1" else None)
        if expected == label:
            self.note_list_next = next_label(label)
            return True
        return False

    def _nested_note_list_takes(self, label: str) -> bool:
        # note_list_next is None whenever a note opens or closes: the levels start afresh then.
        levels = self.note_levels if self.note_list_next is not None else []
        for depth in range(len(levels) - 1, -1, -1):
            if label == next_label(levels[depth]):
                levels = [*levels[:depth], label]
                break
        else:
            if levels and label != first_child(levels[-1]):
                return False
            if not levels and label not in ("a", "1"):
                return False
            levels = [*levels, label]
        self.note_levels, self.note_list_next = levels, next_label(label)
        return True


# 'Note 1', 'Note:', 'Technical Note', 'N.B.' opening a line; not 'Notes on ...' prose.
_MARKER_ALONE = re.compile(rf"^{NOTE_WORDS}(\s+\d{{1,2}})?\s*[.:]?\s*$")
_MARKER_THEN_TEXT = re.compile(rf"^{NOTE_WORDS}(\s+\d{{1,2}})?\s*[.:]\s+\S")
_NB_THEN_TEXT = re.compile(r"^N\.\s?B\.\s+\S")


def _looks_like_note_marker(text: str) -> bool:
    return bool(_MARKER_ALONE.match(text) or _MARKER_THEN_TEXT.match(text)
                or _NB_THEN_TEXT.match(text))


def back_to_enclosing_note(indent: float | None, markers: list[float],
                           margin: float = 3.0) -> bool:
    """For loaders that join a note's lines before the segmenter sees them: True when a line
    at `indent` sits left of the last note marker (an N.B. inside a note's own list) but
    inside an earlier one, so it continues the enclosing note and must not be glued to the
    N.B. (the segmenter hands it back, CodeStyle.nested_note_margin). `markers` holds the
    indents of the note markers since the last paragraph text; the closed ones are removed."""
    if indent is None or len(markers) < 2 or indent >= markers[-1] - margin \
            or not any(m <= indent + margin for m in markers[:-1]):
        return False
    while len(markers) > 1 and indent < markers[-1] - margin:
        markers.pop()
    return True


def segment(lines: Iterable[Line], style: CodeStyle) -> Segmented:
    """Build entries, paragraphs and notes from a loader's lines (kept in `Segmented.lines`)."""
    builder = _Builder(style)
    fed = list(lines)
    for line in fed:
        builder.feed(line)
    builder.out.lines = fed
    return builder.finish()


def rows_for_entries(seg: Segmented) -> dict[str, list[ListRow]]:
    """Rows grouped by entry code, in order (handy for loaders that post-process)."""
    grouped: dict[str, list[ListRow]] = {}
    for row in seg.rows:
        grouped.setdefault(row.entry, []).append(row)
    return grouped
