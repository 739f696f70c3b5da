"""EU Annex I: an entry's points placed by their indentation and fed to the shared
segmenter, notes attached by indentation; the stream of lines for the whole annex."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.ingest.labels import first_child, first_of_type, next_label, same_type
from harmonize.ingest.segmenter import Line, Unplaced
from harmonize.ingest.source import LoaderError
from loaders.eu_annex_i.dialect import STYLE, SourceLine, clean_text
from loaders.eu_annex_i.items import (
    LABEL_LINE,
    UNDOTTED_LABEL,
    Item,
    NoteBlock,
    Token,
    entry_items,
    group_prefaces,
    tokenize,
)

# "1. a. Voltage rating ..." (3A201.a.1.a): a point and its first sub-point on one line.
FIRST_SUBPOINT = re.compile(r"^(?P<label>a|1)\.\s+(?P<rest>\S.*)$")
CATEGORY_TITLE = re.compile(r"\bCATEGORY\s+(?P<n>\d)\b", re.IGNORECASE)


# -- Annex I: the outline of points ---------------------------------------------------------------


@dataclass
class _Node:
    indent: int
    label: str  # as printed
    fed: str  # label fed to the segmenter
    code: str  # printed canonical code
    fed_code: str


@dataclass
class Stream:
    """What the segmenter is fed, and what is needed to put the printed codes back."""

    lines: list[Line] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    points: list[tuple[str, str, str]] = field(default_factory=list)  # location, fed, printed
    printed_code: dict[str, str] = field(default_factory=dict)  # fed code -> printed code
    printed_seen: set[str] = field(default_factory=set)
    note_attach: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    undotted: list[str] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    unmarked_notes: int = 0


class Outline:
    """The points of one entry, placed by indentation (three spaces a level; the derived copy
    is off by one space in places, so indents are read in steps of three)."""

    def __init__(self, stream: Stream, code: str, path: Path) -> None:
        self.stream, self.code, self.path = stream, code, path
        self.stack: list[_Node] = []

    def sibling(self, indent: int, label: str) -> _Node | None:
        """Close deeper points and return the open point that `label` follows, if any.

        The derived copy sometimes prints a point at the wrong indentation: a first sub-point
        at its parent's indentation (1C010.e.1 under 1C010.e), or the next point of that
        sub-list one level deeper (1C010.e.2). A label of the other type than the open point
        at its indentation is that point's first sub-point ("1." under "e.") when it starts a
        list; otherwise it continues an open point of its own type higher up.
        """
        while self.stack and self.stack[-1].indent > indent:
            self.stack.pop()
        other_type_here = False
        while self.stack and self.stack[-1].indent == indent:
            top = self.stack[-1]
            if same_type(top.label, label):
                return self.stack.pop()
            if label == first_of_type(label):
                self.stream.regrouped.append(f"{top.code}.{label}")
                return None
            other_type_here = True
            self.stack.pop()
        if other_type_here:
            for k in range(len(self.stack) - 1, -1, -1):
                node = self.stack[k]
                if same_type(node.label, label) and label == next_label(node.label):
                    del self.stack[k:]
                    self.stream.regrouped.append(node.code.rsplit(".", 1)[0] + f".{label}")
                    return node
        return None

    def place(self, token: Token) -> None:
        indent = token.indent - token.indent % 3
        dotted = LABEL_LINE.match(token.body)
        match = dotted or UNDOTTED_LABEL.match(token.body)
        assert match is not None
        label, rest = match["label"], match["rest"] or ""
        previous = self.sibling(indent, label)
        if not dotted:
            expected = next_label(previous.label) if previous else None
            if label != expected:  # not a lost dot after all: plain text
                if previous is not None:
                    self.stack.append(previous)
                self.stream.lines.append(Line(clean_text(token.body), token.location))
                return
            self.stream.undotted.append(self.printed(label))
        sub = FIRST_SUBPOINT.match(rest)
        if sub and not same_type(sub["label"], label):
            self.open(previous, indent, label, "", token)
            self.open(None, indent + 3, sub["label"], sub["rest"], token)
            return
        self.open(previous, indent, label, rest, token)

    def printed(self, label: str) -> str:
        return f"{self.stack[-1].code if self.stack else self.code}.{label}"

    def open(self, previous: _Node | None, indent: int, label: str, rest: str,
             token: Token) -> None:
        location = token.location
        parent = self.stack[-1] if self.stack else None
        parent_code = parent.code if parent else self.code
        # The segmenter is fed the printed label where it has the type its level takes (gaps
        # in 500-series entries are the segmenter's `sparse_labels` rule); a label of the other
        # type (0B004.b.10.1 under 10.) is fed as the label it stands for (a.) and put back.
        if previous is None:
            first = first_of_type(label) if parent is None else first_child(parent.fed)
            fed = label if same_type(label, first) else first
            if label != first_of_type(label):
                self.stream.gaps.append(f"{parent_code}.{label}")
        else:
            fed = label if same_type(label, previous.fed) else next_label(previous.fed)
            if label != next_label(previous.label):
                self.stream.gaps.append(f"{parent_code}.{label}")
        printed = f"{parent_code}.{label}"
        if printed in self.stream.printed_seen:
            if previous is not None:
                self.stack.append(previous)
            self.stream.unplaced.append(Unplaced(location, clean_text(token.body),
                                                 f"point {printed} printed twice"))
            self.stream.lines.append(Line(clean_text(token.body), location))
            return
        if not re.fullmatch(r"[a-z]|\d{1,2}", fed):
            raise LoaderError(self.path, location,
                              f"point {printed}: more points than labels can number")
        node = _Node(indent, label, fed, printed,
                     f"{parent.fed_code if parent else self.code}.{fed}")
        self.stack.append(node)
        self.stream.printed_code[node.fed_code] = printed
        self.stream.printed_seen.add(printed)
        self.stream.points.append((location, node.fed_code, printed))
        self.stream.lines.append(Line(f"{fed}. {clean_text(rest)}".strip(), location,
                                      indent=float(indent), list_item=True))


def feed_entry(stream: Stream, entry: Token, items: list[Item], path: Path) -> None:
    """Feed one entry: heading, points (gap-free labels, by indentation), note blocks."""
    match = STYLE.entry_heading.match(entry.body)
    assert match is not None
    code = match["code"]
    stream.lines.append(Line(f"{code} {clean_text(match['rest'])}".strip(), entry.location))
    outline = Outline(stream, code, path)
    for item in items:
        token = item.token
        if item.kind == "outside":
            text = clean_text(token.body)
            if item.note is not None:
                text = f"{item.note.marker.printed}: {item.note.text}".lstrip(": ")
            stream.unplaced.append(Unplaced(token.location, text, item.reason))
        elif item.kind == "text":
            stream.lines.append(Line(clean_text(token.body), token.location))
        elif item.kind == "note" and item.note is not None:
            _feed_note(stream, item.note, code, outline.stack)
        elif item.kind == "point":
            outline.place(token)


def _feed_note(stream: Stream, block: NoteBlock, code: str, stack: list[_Node]) -> None:
    # Attach to the deepest open point left of the marker (see the module doc).
    attached = [n for n in stack if n.indent < block.indent]
    target = attached[-1].code if attached else code
    depth = target.count(".") + 1
    stream.note_attach[block.location] = (target, depth, block.marker.printed)
    if not block.marker.printed:
        stream.unmarked_notes += 1
    stream.lines.append(Line(f"{block.marker.kind}: {block.text}".strip(), block.location,
                             indent=float(block.indent), note=True))


def annex_i_stream(region: list[SourceLine], path: Path) -> Stream:
    """Turn the Annex I lines into the segmenter's input (see the module doc)."""
    tokens = list(tokenize(region))
    stream = Stream()
    entries = [i for i, t in enumerate(tokens) if t.kind == "entry"]
    if not entries:
        raise LoaderError(path, "Annex I", "no entry heading (e.g. '1A001...'): not Annex I")
    for token in tokens[: entries[0]]:
        stream.unplaced.append(Unplaced(token.location, clean_text(token.body),
                                        "before the first entry"))
    for n, start in enumerate(entries):
        end = entries[n + 1] if n + 1 < len(entries) else len(tokens)
        body = tokens[start + 1:end]
        heading = next((i for i, t in enumerate(body) if t.kind == "heading"), len(body))
        code_match = STYLE.entry_heading.match(tokens[start].body)
        assert code_match is not None
        code = code_match["code"]
        next_code = None
        if heading == len(body) and n + 1 < len(entries):
            next_match = STYLE.entry_heading.match(tokens[entries[n + 1]].body)
            next_code = next_match["code"] if next_match else None
        items = entry_items(body[:heading], code)
        group_prefaces(items, code, next_code)
        feed_entry(stream, tokens[start], items, path)
        titles = [CATEGORY_TITLE.search(clean_text(t.body)) for t in body[heading:]
                  if t.kind == "heading"]
        category = next((m["n"] for m in titles if m), "")
        preface = f"category {category} preface" if category else "preface under a heading"
        for token in body[heading:]:
            stream.unplaced.append(Unplaced(token.location, clean_text(token.body), preface))
    return stream
